"""The branch's report and Excel export at scale (issue "After the event"):

* the report for a year (`reporting.funnel.build`, by segment and by kecamatan) on an
  encrypted laptop database of N people (default 300,000), a third with a KPJ and a fifth
  paid; target ≤ 1 s.  Baseline in the same run: `Store.stats()`'s count of registrations
  by segment (one grouped scan, no joins);
* the XLSX export of every registration (`reporting.exports.export`, write-only openpyxl,
  text cells, dates, rupiah formats); target ≤ 30 s at 300,000 and flat memory: the peak
  resident memory during the export of all N rows against the export of N/10 (Linux
  `clear_refs` resets the peak before each).  Baseline: the same rows written with
  `csv.writer`.

Run: `.venv/bin/python bench/bench_reports.py [--people 300000]` (building 300,000 people
takes about a minute); `--smoke` for the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

from common import add_common, median, verdict, work_folder

from bpjs_field.demo import fill_demo
from bpjs_field.reporting import exports, funnel
from bpjs_field.security import session

REPORT_TARGET_S = 1.0
EXPORT_TARGET_S = 30.0
FLAT_RATIO = 1.5  # peak memory exporting N rows at most 1.5 x that of N/10 rows
FAST_KDF = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}


def peak_rss_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def follow_up(store, seed: int = 16) -> None:
    """A third of the registrations got a KPJ, a fifth paid (set directly: setup only)."""
    rng = random.Random(seed)
    ids = [r[0] for r in store.db.execute("SELECT id FROM registrations")]
    kpj = [(f"{10**10 + i:011d}", r) for i, r in enumerate(ids) if rng.random() < 0.33]
    with store.write():
        store.db.conn.executemany(
            "UPDATE registrations SET status = 'kpj', kpj_no = ?, kpj_at = '2026-11-30' "
            "WHERE id = ?", kpj)
        store.db.conn.executemany(
            "UPDATE registrations SET status = 'dibayar', first_paid_at = '2026-12-01', "
            "first_paid_months = 3 WHERE id = ?", [(r,) for _k, r in kpj[: len(kpj) * 3 // 5]])


def timed(fn, runs: int = 1) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def csv_baseline(store, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        for row in exports.registration_rows(store, exports.Masker(False), None):
            writer.writerow(row)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common(parser, default=300_000)
    parser.add_argument("--keep", type=Path, help="keep the database and files here")
    args = parser.parse_args()
    if args.smoke:
        args.people = 300
    with work_folder("bpjs-bench-reports-", args.keep) as folder:
        store = session.create_protected(
            folder / "laptop.sqlite3", employee_no="KC-0421", full_name="Siti Rahmawati",
            branch="Kantor Cabang Bekasi Cikarang", password="rahasia-bench",
            confirm="rahasia-bench", kdf=FAST_KDF)
        fill_demo(store, args.people, seed=16)
        follow_up(store)
        registrations = store.scalar("SELECT count(*) FROM registrations")
        year = dict(start=date(2026, 1, 1), end=date(2026, 12, 31))
        funnel.build(store, by="segment", **year)  # first read of the pages
        baseline = timed(lambda: store.stats(), runs=3)
        by_segment = timed(lambda: funnel.build(store, by="segment", **year), runs=3)
        by_kecamatan = timed(lambda: funnel.build(store, by="kecamatan", **year), runs=3)
        total = funnel.build(store, by="segment", **year).total
        csv_s = timed(lambda: csv_baseline(store, folder / "baseline.csv"))
        measured = peak_rss_reset()
        # A tenth of the rows first (one event's worth), then all of them.
        small_event = store.scalar("SELECT event_id FROM registrations GROUP BY event_id "
                                   "ORDER BY count(*) DESC LIMIT 1")
        small_rows = store.scalar("SELECT count(*) FROM registrations WHERE event_id = ?",
                                  (small_event,))
        exports.export(store, "registrations", folder / "small.xlsx", event_id=small_event)
        small_peak = peak_rss_mb()
        peak_rss_reset()
        xlsx_s = timed(lambda: exports.export(store, "registrations", folder / "all.xlsx"))
        all_peak = peak_rss_mb()
        size_mb = (folder / "all.xlsx").stat().st_size / 2**20
        store.close()
    report_s = max(by_segment, by_kecamatan)
    flat = not measured or all_peak <= FLAT_RATIO * small_peak
    ok = report_s <= REPORT_TARGET_S and xlsx_s <= EXPORT_TARGET_S and flat
    print(f"Report and XLSX export, encrypted laptop database, {args.people:,} people, "
          f"{registrations:,} registrations ({total.kpj:,} with KPJ, {total.paid:,} paid)")
    print(f"{'figure':<44} {'value':>10}  target")
    print(f"{'baseline: registrations by segment (s)':<44} {baseline:>10.3f}")
    print(f"{'report for a year, by segment (s)':<44} {by_segment:>10.3f}  ≤ {REPORT_TARGET_S} "
          f"{'OK' if by_segment <= REPORT_TARGET_S else 'MISSED'}")
    print(f"{'report for a year, by kecamatan (s)':<44} {by_kecamatan:>10.3f}  ≤ {REPORT_TARGET_S} "
          f"{'OK' if by_kecamatan <= REPORT_TARGET_S else 'MISSED'}")
    print(f"{'baseline: the same rows as CSV (s)':<44} {csv_s:>10.2f}")
    print(f"{'XLSX export of every registration (s)':<44} {xlsx_s:>10.2f}  ≤ {EXPORT_TARGET_S} "
          f"{'OK' if xlsx_s <= EXPORT_TARGET_S else 'MISSED'}")
    print(f"{'XLSX file size (MB)':<44} {size_mb:>10.1f}")
    print(f"{f'peak memory, export of {small_rows:,} rows (MB)':<44} {small_peak:>10.0f}")
    print(f"{f'peak memory, export of {registrations:,} rows (MB)':<44} {all_peak:>10.0f}  "
          f"≤ {FLAT_RATIO} x {'OK' if flat else 'MISSED'}")
    print(json.dumps({"people": args.people, "registrations": registrations,
                      "report_s": round(report_s, 3), "baseline_s": round(baseline, 3),
                      "xlsx_s": round(xlsx_s, 2), "csv_s": round(csv_s, 2),
                      "peak_small_mb": round(small_peak), "peak_all_mb": round(all_peak)}))
    return verdict(ok, args.smoke)


if __name__ == "__main__":
    sys.exit(main())
