"""Printing speed against its targets, each beside a bare reportlab baseline measured
in the same run (the same text drawn with drawString on plain pages, no layout,
no QR, no embedded font), so a slow machine does not hide a slow layout.

Targets: one receipt <= 20 ms (median), 500 receipts in one PDF <= 5 s, the six
brochures <= 2 s.  The size is the number of receipts in one PDF (`--receipts`, up to
1,000,000: an event report of a whole branch); the target scales with it.

    .venv/bin/python bench/bench_printing.py [--receipts 500] [--smoke]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import add_common, verdict  # noqa: E402

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from bpjs_field.domain.registration import PersonInput, RegistrationInput  # noqa: E402
from bpjs_field.printing import brochure_content, receipt  # noqa: E402
from bpjs_field.printing.brochures import Brochure, render_brochures  # noqa: E402
from bpjs_field.printing.qr import qr_runs  # noqa: E402
from bpjs_field.printing.receipt_data import receipt_data  # noqa: E402
from bpjs_field.store import Store  # noqa: E402

DAY = date(2026, 11, 22)


def make_store(path: Path, count: int) -> tuple[Store, list[str]]:
    store = Store.open(path)
    officer = store.officers.create(full_name="Siti Rahmawati", employee_no="KC-0421",
                                    branch="Kantor Cabang Bekasi Cikarang")
    store.remember_officer(officer["id"])
    event = store.events.create({"kind": "senam_bersama", "title": "Senam Sehat Cikarang Utara",
                                 "starts_at": "2026-11-22T06:30:00+07:00",
                                 "venue": "Lapangan Desa Karangasih"})
    ids = []
    for i in range(count):
        segment = "bpu" if i % 3 else "pu"
        form = RegistrationInput(
            segment=segment, consent_given=True, consent_version="PDP-2026.1", event_id=event["id"],
            declared_income=1_000_000 + 500_000 * (i % 5), with_jht=bool(i % 2), months_paid=1 + i % 3,
            wage=5_938_885, risk_class=1, employer_scale="menengah", period=DAY,
            person=PersonInput(full_name=f"Peserta {chr(65 + i % 26)}{chr(65 + i // 26 % 26)}",
                               nik=f"321609010185{i + 1:04d}"))
        ids.append(store.registrations.register(form, today=DAY).registration["id"])
    return store, ids


def receipt_strings(data) -> list[str]:
    """The receipt's words, for the bare baseline page."""
    out = []
    for block in receipt.receipt_blocks(data):
        for attr in ("text", "label", "value", "amount", "display", "caption"):
            value = getattr(block, attr, None)
            if isinstance(value, str):
                out.append(value)
    return out


def bare_pages(pages: list[list[str]], size) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, pageCompression=1)
    for lines in pages:
        y = size[1] - 40
        for line in lines:
            c.drawString(40, y, line[:120])
            y -= 12
            if y < 40:
                y = size[1] - 40
        c.showPage()
    c.save()
    return buf.getvalue()


def brochure_strings(kind: str) -> list[list[str]]:
    data = brochure_content.load_brochure(kind, "id").data
    words = [data["title"], data["tagline"], *data.get("cover_points", [])]

    def walk(value):
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
    walk(data["panels"])
    half = len(words) // 2
    return [words[:half], words[half:]]


def timed(fn, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, value: float, target: float, baseline: float, unit: str = "ms") -> bool:
    scale = 1000 if unit == "ms" else 1
    ok = value <= target
    print(f"{name:<34} {value * scale:9.2f} {unit}  target <= {target * scale:7.1f} {unit}  "
          f"bare reportlab {baseline * scale:8.2f} {unit}  (x{value / baseline:4.1f})  "
          f"{'OK' if ok else 'TOO SLOW'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description="Printing speed against its targets")
    add_common(parser, name="--receipts", default=500, help_text="receipts in one PDF")
    args = parser.parse_args()
    count = min(args.receipts, 12) if args.smoke else args.receipts
    singles = 5 if args.smoke else 60
    with tempfile.TemporaryDirectory() as tmp:
        store, ids = make_store(Path(tmp) / "bench.sqlite3", max(count, 2 * singles + 2))
        datas = [receipt_data(store, rid, copy_number=0) for rid in ids]
        receipt.render_receipt(datas[0], "a4")  # load fonts once, as a running app has

        # A different registration each time, so no QR comes from the encoder's cache.
        pick = iter(datas[1:])
        one = statistics.median(timed(lambda: receipt.render_receipt(next(pick), "a4"), singles))
        lines = receipt_strings(datas[1])
        one_bare = statistics.median(timed(lambda: bare_pages([lines], A4), singles))
        thermal = statistics.median(timed(lambda: receipt.render_receipt(next(pick), "thermal"), singles))
        assemble = statistics.median(timed(lambda: receipt_data(store, ids[3]), singles))
        datas = datas[:count]

        qr_runs.cache_clear()
        many, = timed(lambda: receipt.render_receipts(datas, "a4"))
        pages = [receipt_strings(d) for d in datas]
        many_bare, = timed(lambda: bare_pages(pages, A4))

        specs = [Brochure(kind, "id", DAY) for kind in brochure_content.KINDS]
        six = min(timed(lambda: render_brochures(specs), 3))
        brochure_pages = [p for kind in brochure_content.KINDS for p in brochure_strings(kind)]
        six_bare = min(timed(lambda: bare_pages(brochure_pages, landscape(A4)), 3))
        store.close()

    print(f"bpjs_field printing benchmark (median of {singles} for single receipts)")
    ok = row("one receipt, A4", one, 0.020, one_bare)
    row("one receipt, 80 mm roll", thermal, 0.020, one_bare)
    print(f"{'  (ReceiptData from the store)':<34} {assemble * 1000:9.1f} ms")
    ok &= row(f"{count} receipts in one PDF", many, 5.0 * count / 500, many_bare, unit="s")
    ok &= row("six brochures (12 pages)", six, 2.0, six_bare, unit="s")
    return verdict(ok, args.smoke)


if __name__ == "__main__":
    raise SystemExit(main())
