"""Receipt printer speed: from a registration to ESC/POS bytes ready to send, against
its target, beside a baseline measured in the same run: the same words and QR
through python-escpos's stock calls (`Dummy.text` per string, `qr()` drawn by the
qrcode package, `cut()`), with no layout, so a slow machine does not hide a slow
layout.  Also the 58 mm PDF receipt against the 20 ms of the other receipts.

Target: receipt bytes ready to send <= 50 ms (median, ReceiptData read from the
store included; the first receipt after start, which imports python-escpos, is
shown apart).

    .venv/bin/python bench/bench_escpos.py [--receipts 200] [--smoke]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_printing import bare_pages, make_store, receipt_strings, timed  # noqa: E402
from common import add_common, verdict  # noqa: E402
from bpjs_field.printing import receipt  # noqa: E402
from bpjs_field.printing.receipt_data import receipt_data  # noqa: E402



def row(name: str, value: float, target: float, baseline: float, label: str) -> bool:
    ok = value <= target
    print(f"{name:<34} {value * 1000:8.2f} ms  target <= {target * 1000:5.1f} ms  "
          f"{label} {baseline * 1000:6.2f} ms (x{value / baseline:4.1f})  "
          f"{'OK' if ok else 'TOO SLOW'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description="Receipt printer speed against its targets")
    add_common(parser, name="--receipts", default=200, help_text="registrations to print from")
    args = parser.parse_args()
    # Each timed run takes a new registration: 60 + 40 + 40 + 30 of them at full size.
    runs = 3 if args.smoke else 60
    count = 4 * runs + 2 if args.smoke else max(args.receipts, 4 * runs + 2)
    with tempfile.TemporaryDirectory() as tmp:
        store, ids = make_store(Path(tmp) / "bench.sqlite3", count)
        start = time.perf_counter()
        from bpjs_field.printing.escpos import Layout, receipt_escpos, receipt_escpos_job
        receipt_escpos_job(store, ids[0])
        first = time.perf_counter() - start

        pick = iter(ids[1:])  # a new registration each time: no QR from a cache
        ready = statistics.median(timed(lambda: receipt_escpos_job(store, next(pick)), runs))
        datas = [receipt_data(store, rid, copy_number=0) for rid in ids[runs + 1:]]
        picked = iter(datas)
        bytes_only = statistics.median(timed(lambda: receipt_escpos(next(picked)), runs))
        wide = statistics.median(timed(lambda: receipt_escpos(next(picked), Layout(80, True, True)), runs))

        from escpos.printer import Dummy

        def bare(data) -> bytes:
            p = Dummy(profile="POS-5890")
            for text in receipt_strings(data):
                p.text(text + "\n")
            p.qr(data.code, size=8)
            p.cut()
            return p.output
        baseline_iter = iter(datas[::-1])
        baseline = statistics.median(timed(lambda: bare(next(baseline_iter)), runs))
        pdf58 = statistics.median(timed(lambda: receipt.render_receipt(next(picked), "thermal58"), runs))
        pdf_bare = statistics.median(timed(
            lambda: bare_pages([receipt_strings(datas[0])], (164.4, 1200)), runs))
        size = len(receipt_escpos(datas[0]))
        store.close()

    print(f"bpjs_field receipt printer benchmark ({count} registrations, medians)")
    label = "stock python-escpos"
    ok = row("ESC/POS receipt ready to send", ready, 0.050, baseline, label)
    row("  bytes only (ReceiptData given)", bytes_only, 0.050, baseline, label)
    row("  80 mm, native QR, cut", wide, 0.050, baseline, label)
    print(f"{'  first after start (imports)':<34} {first * 1000:8.1f} ms  ({size} bytes a receipt)")
    ok &= row("58 mm PDF receipt", pdf58, 0.020, pdf_bare, "bare reportlab page")
    return verdict(ok, args.smoke)


if __name__ == "__main__":
    raise SystemExit(main())
