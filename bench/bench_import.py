"""CSV import speed (issue "Fast at a million people", item 6): rows a second against the
store's own bulk write, measured in the same run on the same kind of database.

* ours: `importer.import_csv` of a partner list of N rows (default 20,000, as an
  industrial estate's list) into an encrypted laptop database that already holds P
  people: every row validated as at the registration form (NIK, name, phone, region
  code, contribution), saved with its change-log and audit entries and search row, about
  1 % of rows refused and written to the report, which is written too;
* baseline: `demo.fill_demo` of N people into a fresh encrypted database: the bulk write
  the store offers for data it made itself (no validation, no change log, no audit, the
  search index rebuilt once at the end).

Wall time and the process's CPU time are both printed: on a shared machine the wall
time depends on the others' load, the CPU time much less.  Target: ≥ 5,000 rows/s.

Run: `.venv/bin/python bench/bench_import.py [--rows 20000] [--people 0,30000]`
(the 300,000 and 1,000,000 sizes are run by hand: building them takes minutes).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

from common import size, verdict, work_folder

from bpjs_field import importer
from bpjs_field.demo import fill_demo, person_name
from bpjs_field.domain.regions import districts
from bpjs_field.security import session

TARGET_ROWS_PER_S = 5000.0
FAST_KDF = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}  # logging in is not measured


def partner_list(path: Path, rows: int, seed: int = 20) -> int:
    """A partner's list as officers receive them: names as varied as the demo branch's (the
    index of people by name is written in their order), KTP spellings, dotted region codes,
    Rupiah with dots; every hundredth row has a mistake.  Returns the bad rows."""
    rng = random.Random(seed)
    codes = [d.code for d in districts()]
    bad = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(importer.COLUMNS), delimiter=";")
        writer.writeheader()
        for i in range(rows):
            district = rng.choice(codes)
            female = rng.random() < 0.5
            day = rng.randint(1, 28) + (40 if female else 0)
            nik = f"{district}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{i % 9999 + 1:04d}"
            row = {"nama": person_name(rng, "P" if female else "L"),
                   "segmen": "bpu", "persetujuan": "ya", "nik": nik,
                   "jenis_kelamin": "PEREMPUAN" if female else "LAKI-LAKI",
                   "telepon": f"08{rng.choice((12, 13, 21, 52, 57, 77, 96))}{rng.randint(10**7, 10**8 - 1)}",
                   "kode_kecamatan": f"{district[:2]}.{district[2:4]}.{district[4:]}",
                   "alamat": f"Kp. Pulo RT {rng.randint(1, 9):03d}/RW {rng.randint(1, 9):03d}",
                   "pekerjaan": rng.choice(("pedagang", "ojek", "nelayan")),
                   "penghasilan": rng.choice(("1.000.000", "1.500.000", "2.000.000")),
                   "jht": rng.choice(("ya", "tidak")), "bulan_dibayar": str(rng.randint(1, 3))}
            if i % 100 == 99:
                row["jenis_kelamin"] = "X"
                bad += 1
            writer.writerow(row)
    return bad


def new_database(path: Path):
    return session.create_protected(path, employee_no="KC-0421", full_name="Siti Rahmawati",
                                     branch="Kantor Cabang Bekasi Cikarang", password="rahasia-bench",
                                     confirm="rahasia-bench", kdf=FAST_KDF)


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows in the partner's list")
    parser.add_argument("--people", default="0",
                        help="people already in the database, comma-separated sizes (e.g. 0,30000)")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny run that checks the script works (timings not judged)")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.people = 60, "0,30"
    sizes = [size(s) if s.strip() != "0" else 0 for s in args.people.split(",") if s.strip()]
    with work_folder("bpjs-bench-import-", args.keep) as folder:
        source = folder / "mitra.csv"
        bad = partner_list(source, args.rows)
        base_store = new_database(folder / "baseline.sqlite3")
        base_wall, base_cpu = timed(lambda: fill_demo(base_store, args.rows, seed=7))
        base_store.close()
        results = []
        for people in sizes:
            db = folder / f"import-{people}.sqlite3"
            store = new_database(db)
            if people:
                fill_demo(store, people, seed=11)
            report = None

            def run() -> None:
                nonlocal report
                report = importer.import_csv(store, source, consent_version="bench")
                importer.write_report(report, folder / f"laporan-{people}.csv")
            wall, cpu = timed(run)
            assert report is not None and report.rejected == bad and report.saved == args.rows - bad
            store.close()
            results.append({"people": people, "rows": args.rows, "wall_s": round(wall, 2),
                            "rows_per_s": round(args.rows / wall), "cpu_rows_per_s": round(args.rows / cpu),
                            "baseline_per_s": round(args.rows / base_wall),
                            "baseline_cpu_per_s": round(args.rows / base_cpu)})
    print(f"CSV import of {args.rows:,} rows ({bad} refused and reported), encrypted database")
    print(f"{'people before':>14} {'import rows/s':>14} {'(cpu)':>8} {'demo fill/s':>12} {'(cpu)':>8} "
          f"{'ratio':>6}  target")
    missed = False
    for r in results:
        ok = r["rows_per_s"] >= TARGET_ROWS_PER_S
        missed |= not ok
        print(f"{r['people']:>14,} {r['rows_per_s']:>14,} {r['cpu_rows_per_s']:>8,} "
              f"{r['baseline_per_s']:>12,} {r['baseline_cpu_per_s']:>8,} "
              f"{r['rows_per_s'] / r['baseline_per_s']:>6.2f}  ≥ {TARGET_ROWS_PER_S:,.0f} "
              f"{'OK' if ok else 'MISSED'}")
    print(json.dumps(results))
    return verdict(not missed, args.smoke)


if __name__ == "__main__":
    sys.exit(main())
