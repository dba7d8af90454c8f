"""Regenerate the pictures of every printed document under docs/pdf/.

Builds a demo database (`bpjs_field.demo.fill_demo`), picks the busiest event
and a BPU, a PU and a TKA registration from it, renders receipts (A4, A5,
80 mm roll, and a reprint marked SALINAN), all six brochures in Indonesian and
the BPU one in English, the attendance list and the event summary, and turns
each page into a PNG with poppler's pdftoppm (a PDF beside each, for zooming
in).  The print date is fixed so the pictures only change when the layout does.
Three receipts show the money rules on fixed dates: a BPU paying twelve months
on 5 December 2026 (the PP 50/2025 discount ends inside them), a BPU whose
contribution the Pemerintah Kota Cilegon pays (APBD: no discount), and a wage
earner at a micro business (JKK and JKM only).

`--keep-pdf` keeps each PDF beside its pictures, `--db` keeps the database and
`manifest.json` says which registration or brochure each file shows (the tests
read the PDFs back and compare the amounts printed with the amounts computed).

    .venv/bin/python scripts/render_docs.py [--out docs/pdf] [--dpi 80] [--keep-pdf] [--db FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bpjs_field.demo import fill_demo  # noqa: E402
from bpjs_field.domain.registration import PersonInput, RegistrationInput  # noqa: E402
from bpjs_field.domain.formatting import WIB  # noqa: E402
from bpjs_field.printing import brochure_content, documents, event_papers, receipt  # noqa: E402
from bpjs_field.printing.brochures import Brochure, render_brochure  # noqa: E402
from bpjs_field.printing.receipt_data import receipt_data  # noqa: E402
from bpjs_field.store import Store  # noqa: E402

PRINTED = datetime(2026, 11, 22, 14, 35, tzinfo=WIB)
DAY = PRINTED.date()
MONEY_DAY = date(2026, 12, 5)  # the last month of the PP 50/2025 discount for most sectors
MONEY_AT = "2026-12-05T03:00:00+00:00"  # 10.00 WIB
KEEP_PDF = False


def to_png(pdf: bytes, out: Path, name: str, dpi: int) -> list[Path]:
    target = out / f"{name}.pdf"
    target.write_bytes(pdf)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(target), str(out / name)], check=True)
    if not KEEP_PDF:
        target.unlink()  # the PNGs are what we keep; PDFs are a command away
    return sorted(out.glob(f"{name}-*.png"))


def money_examples(store: Store, event_id: str) -> dict[str, str]:
    """Registrations made on MONEY_DAY that show the money rules on paper."""
    def register(**kw) -> str:
        form = RegistrationInput(consent_given=True, consent_version="PDP-2026.1", event_id=event_id,
                                 period=MONEY_DAY, **kw)
        reg_id = store.registrations.register(form, today=MONEY_DAY).registration["id"]
        with store.write():  # a fixed time, so the pictures only change when the layout does
            store.db.execute("UPDATE registrations SET created_at = ?, consent_at = ? WHERE id = ?",
                             (MONEY_AT, MONEY_AT, reg_id))
        return reg_id

    return {
        "receipt-a5-bpu-12-bulan": register(
            segment="bpu", declared_income=1_000_000, months_paid=12, occupation="pedagang",
            person=PersonInput(full_name="Sri Wahyuni", nik="3216094512880004")),
        "receipt-a5-bpu-apbd": register(
            segment="bpu", declared_income=1_000_000, months_paid=3, occupation="nelayan",
            payer="apbd", payer_name="Pemerintah Kota Cilegon",
            person=PersonInput(full_name="Ahmad Fauzi", nik="3672011204850005")),
        "receipt-a5-mikro": register(
            segment="pu", wage=5_938_885, risk_class=1, employer_name="Warung Makan Bu Sri",
            employer_scale="mikro", person=PersonInput(full_name="Dewi Lestari", nik="3216095507900006")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "pdf"))
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--keep-pdf", action="store_true", help="keep each PDF beside its pictures")
    parser.add_argument("--db", help="keep the demo database in this file")
    args = parser.parse_args()
    global KEEP_PDF
    KEEP_PDF = args.keep_pdf
    if shutil.which("pdftoppm") is None:
        print("pdftoppm missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    manifest: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "demo.sqlite3"
        store = Store.open(db)
        fill_demo(store, participants=400)
        event = store.query_one("SELECT event_id, count(*) AS n FROM registrations "
                                "WHERE event_id IS NOT NULL GROUP BY event_id ORDER BY n DESC LIMIT 1")
        regs = store.registrations.for_event(event["event_id"])
        pick = {}
        for reg in store.query("SELECT * FROM registrations ORDER BY created_at"):
            pick.setdefault(reg["segment"], reg)
        bpu = next((r for r in regs if r["segment"] == "bpu"), pick["bpu"])
        for fmt in receipt.FORMATS:
            data = receipt_data(store, bpu["id"], copy_number=0, printed_at=PRINTED)
            made += to_png(receipt.render_receipt(data, fmt), out, f"receipt-{fmt}", args.dpi + 20)
            manifest[f"receipt-{fmt}"] = {"registration": bpu["id"]}
        for name, reg_id in money_examples(store, event["event_id"]).items():
            data = receipt_data(store, reg_id, copy_number=0, printed_at=PRINTED)
            made += to_png(receipt.render_receipt(data, "a5"), out, name, args.dpi + 20)
            manifest[name] = {"registration": reg_id}
        data = receipt_data(store, bpu["id"], copy_number=2, printed_at=PRINTED)
        made += to_png(receipt.render_receipt(data, "thermal"), out, "receipt-thermal-salinan",
                       args.dpi + 20)
        for segment in ("pu", "tka"):
            if segment in pick:
                data = receipt_data(store, pick[segment]["id"], copy_number=0, printed_at=PRINTED)
                made += to_png(receipt.render_receipt(data, "a5"), out, f"receipt-a5-{segment}",
                               args.dpi + 20)
                manifest[f"receipt-a5-{segment}"] = {"registration": pick[segment]["id"]}
        stamp = documents.stamp_for(store, event["event_id"], "0812-3456-7890")
        for kind in brochure_content.KINDS:
            made += to_png(render_brochure(Brochure(kind, "id", DAY, stamp if kind == "bpu" else None)),
                           out, f"brochure-{kind}-id", args.dpi)
            manifest[f"brochure-{kind}-id"] = {"brochure": kind, "lang": "id", "day": DAY.isoformat()}
        made += to_png(render_brochure(Brochure("bpu", "en", DAY)), out, "brochure-bpu-en", args.dpi)
        manifest["brochure-bpu-en"] = {"brochure": "bpu", "lang": "en", "day": DAY.isoformat()}
        sheet = event_papers.attendance_sheet_data(store, event["event_id"], printed_at=PRINTED)
        made += to_png(event_papers.render_attendance_sheet(sheet), out, "attendance-sheet", args.dpi)
        summary = event_papers.event_summary_data(store, event["event_id"], printed_at=PRINTED)
        made += to_png(event_papers.render_event_summary(summary), out, "event-summary", args.dpi)
        manifest["event-summary"] = {"event": event["event_id"]}
        store.close()
    if args.keep_pdf or args.db:
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    for path in made:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
