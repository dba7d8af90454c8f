"""Regenerate the pictures of every printed document under docs/pdf/.

Builds a demo database (`bpjs_field.demo.fill_demo`), picks the busiest event
and a BPU, a PU and a TKA registration from it, renders receipts (A4, A5,
80 mm roll, and a reprint marked SALINAN), all six brochures in Indonesian and
the BPU one in English, the attendance list and the event summary, and turns
each page into a PNG with poppler's pdftoppm (a PDF beside each, for zooming
in).  The print date is fixed so the pictures only change when the layout does.

    .venv/bin/python scripts/render_docs.py [--out docs/pdf] [--dpi 80]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bpjs_field.demo import fill_demo  # noqa: E402
from bpjs_field.domain.formatting import WIB  # noqa: E402
from bpjs_field.printing import brochure_content, documents, event_papers, receipt  # noqa: E402
from bpjs_field.printing.brochures import Brochure, render_brochure  # noqa: E402
from bpjs_field.printing.receipt_data import receipt_data  # noqa: E402
from bpjs_field.store import Store  # noqa: E402

PRINTED = datetime(2026, 11, 22, 14, 35, tzinfo=WIB)
DAY = PRINTED.date()


def to_png(pdf: bytes, out: Path, name: str, dpi: int) -> list[Path]:
    target = out / f"{name}.pdf"
    target.write_bytes(pdf)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(target), str(out / name)], check=True)
    target.unlink()  # the PNGs are what we keep; PDFs are a command away
    return sorted(out.glob(f"{name}-*.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "pdf"))
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "demo.sqlite3")
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
        data = receipt_data(store, bpu["id"], copy_number=2, printed_at=PRINTED)
        made += to_png(receipt.render_receipt(data, "thermal"), out, "receipt-thermal-salinan",
                       args.dpi + 20)
        for segment in ("pu", "tka"):
            if segment in pick:
                data = receipt_data(store, pick[segment]["id"], copy_number=0, printed_at=PRINTED)
                made += to_png(receipt.render_receipt(data, "a5"), out, f"receipt-a5-{segment}",
                               args.dpi + 20)
        stamp = documents.stamp_for(store, event["event_id"], "0812-3456-7890")
        for kind in brochure_content.KINDS:
            made += to_png(render_brochure(Brochure(kind, "id", DAY, stamp if kind == "bpu" else None)),
                           out, f"brochure-{kind}-id", args.dpi)
        made += to_png(render_brochure(Brochure("bpu", "en", DAY)), out, "brochure-bpu-en", args.dpi)
        sheet = event_papers.attendance_sheet_data(store, event["event_id"], printed_at=PRINTED)
        made += to_png(event_papers.render_attendance_sheet(sheet), out, "attendance-sheet", args.dpi)
        summary = event_papers.event_summary_data(store, event["event_id"], printed_at=PRINTED)
        made += to_png(event_papers.render_event_summary(summary), out, "event-summary", args.dpi)
        store.close()
    for path in made:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
