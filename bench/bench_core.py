"""Core benchmarks at branch scale (issue "Core, storage and the two commands").

Builds a database of N people (default 300,000) with `bpjs-field demo` in a
child process (timed, peak memory read from the child's rusage), then measures
against baselines taken in the same run on the same file:

* saving one registration through `Store.registrations.register` (validation,
  person, registration, search index, change log, audit; WAL + synchronous=FULL)
  vs. a bare sqlite3 INSERT of the same four rows with the same settings;
* name and NIK prefix search through `SearchIndex.search` vs. a bare FTS5
  `MATCH … LIMIT`;
* lookup by registration code;
* the search of every prefix length the people page sends (NIK 1–16 digits, names
  1–8 characters), the worst length's p95 being the figure;
* the daily backup in the background (copy, quick_check, the weekly full check) and the
  searches made meanwhile; closing the store (close backup decision, bounded ANALYZE)
  vs. closing a bare sqlite3 connection.

The database and its backups are removed at the end unless `--keep DIR` is given.

Run: `.venv/bin/python bench/bench_core.py [--people 300000] [--keep DIR] [--smoke]`
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_common, pct, verdict, work_folder  # noqa: E402

from bpjs_field import PersonInput, RegistrationInput, Store, backup  # noqa: E402
from bpjs_field.store.store import dumps, utc_now  # noqa: E402

TARGETS = {"save_median_ms": 5.0, "save_ratio": 2.0, "search_p95_ms": 15.0, "code_p95_ms": 1.0,
           "demo_s": 60.0, "close_s": 2.0, "first_search_ms": 50.0}


def build(db: Path, people: int) -> tuple[float, float]:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bpjs_field", "--db", str(db), "demo", "--participants",
                    str(people)], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib


def bench_save(store: Store, n: int) -> list[float]:
    rng = random.Random(5)
    times = []
    for i in range(n):
        nik = f"3216{rng.randint(1, 23):02d}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}77{9000 + i:04d}"
        form = RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Peserta Benchmark", nik=nik, phone="0812-3456-7890"),
            consent_given=True, consent_version="bench", declared_income=1_500_000, occupation="pedagang")
        t = time.perf_counter()
        store.registrations.register(form)
        times.append((time.perf_counter() - t) * 1000)
    return times


def bench_bare_insert(path: Path, n: int) -> list[float]:
    """The same four rows (person, registration, change log, audit) with plain sqlite3."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    times = []
    for i in range(n):
        pid, rid, now = str(uuid.uuid4()), str(uuid.uuid4()), utc_now()
        nik = f"3216010101{50 + i // 9999:02d}{i % 9999 + 1:04d}"
        contribution = dumps({"lines": [], "total": 16800})
        t = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO people(id, nik, full_name, name_key, birth_date, sex, phone, "
                      "created_device, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                      (pid, nik, "Peserta Dasar", "peserta dasar", "1950-01-01", "L", "+6281234567890",
                       "bench", now, now))
        conn.execute("INSERT INTO registrations(id, code, person_id, device_id, segment, programs, "
                     "declared_income, contribution, monthly_total, consent_version, consent_at, "
                     "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     (rid, f"BASE{i:05d}", pid, "bench", "bpu", '["JKK","JKM"]', 1_500_000, contribution,
                      16800, "bench", now, now, now))
        conn.execute("INSERT INTO change_log(change_id, entity, entity_id, op, payload, hlc, created_at) "
                     "VALUES (?,?,?,?,?,?,?)", (str(uuid.uuid4()), "registration", rid, "upsert",
                                               contribution, now, now))
        conn.execute("INSERT INTO audit_log(at, device_id, action, entity, entity_id) VALUES (?,?,?,?,?)",
                     (now, "bench", "registration.create", "registration", rid))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t) * 1000)
    conn.close()
    return times


def bench_search(store: Store, queries: list[str]) -> tuple[list[float], list[float]]:
    ours, bare = [], []
    conn = sqlite3.connect(str(store.path))
    for q in queries:
        t = time.perf_counter()
        store.search_index.search(q, limit=50)
        ours.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        conn.execute("SELECT rowid FROM people_fts WHERE people_fts MATCH ? LIMIT 50",
                     (f'"{q.split()[0].lower()}"*',)).fetchall()
        bare.append((time.perf_counter() - t) * 1000)
    conn.close()
    return ours, bare


def bench_every_length(store: Store, samples: int) -> dict[str, float]:
    """p95 of the search the people page sends (limit 100) for NIK prefixes of every
    length 1–16 and name prefixes of 1–8 characters: the worst length is the figure."""
    niks = [r["nik"] for r in store.query(
        "SELECT nik FROM people WHERE nik IS NOT NULL ORDER BY random() LIMIT ?", (samples,))]
    names = [r["full_name"] for r in store.query(
        "SELECT full_name FROM people ORDER BY random() LIMIT ?", (samples,))]
    out = {}
    for kind, values, lengths in (("nik", niks, range(1, 17)), ("name", names, range(1, 9))):
        for length in lengths:
            times = []
            for value in values:
                t = time.perf_counter()
                store.search_index.search(value[:length], limit=100)
                times.append((time.perf_counter() - t) * 1000)
            out[f"{kind}{length}"] = pct(times, 95)
    return out


def bench_backup_and_close(store: Store, queries: list[str]) -> dict[str, float]:
    """The daily backup in the background while searches run; the checks; closing."""
    figures = {}
    runner = backup.BackgroundBackup(store.path, store.key)
    t = time.perf_counter()
    runner.start_if_due()
    during = []
    while runner.running:
        for q in queries:
            s = time.perf_counter()
            store.search_index.search(q, limit=50)
            during.append((time.perf_counter() - s) * 1000)
            if not runner.running:
                break
    runner.wait()
    if runner.error is not None:
        raise runner.error
    figures["backup_s"] = time.perf_counter() - t  # copy + quick_check + first full check
    figures["search_during_backup_p95_ms"] = pct(during, 95) if during else 0.0
    made = runner.last.path
    t = time.perf_counter()
    backup.verify_backup(made, store.key, full=False)
    figures["quick_check_s"] = time.perf_counter() - t
    t = time.perf_counter()
    backup.verify_backup(made, store.key, full=True)
    figures["integrity_check_s"] = time.perf_counter() - t
    return figures


def time_close(path: Path) -> tuple[float, float]:
    """Closing the store after some work (the close backup's decision, bounded ANALYZE),
    against closing a bare sqlite3 connection that did the same search."""
    store = Store.open(path)
    store.search_index.search("siti", limit=50)
    store.people.count()
    t = time.perf_counter()
    backup.backup_on_close(store, budget_s=1.0)
    store.close()
    ours = time.perf_counter() - t
    conn = sqlite3.connect(str(path))
    conn.execute("SELECT rowid FROM people_fts WHERE people_fts MATCH 'siti*' LIMIT 50").fetchall()
    t = time.perf_counter()
    conn.close()
    return ours, time.perf_counter() - t


def time_analyze(path: Path) -> tuple[float, float]:
    """ANALYZE of the people table as the store bounds it (analysis_limit) and unbounded,
    which is what `PRAGMA optimize` on closing used to run."""
    out = []
    for limit in (1000, 0):
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute(f"PRAGMA analysis_limit={limit}")
        t = time.perf_counter()
        conn.execute("ANALYZE people")
        out.append(time.perf_counter() - t)
        conn.close()
    return out[0], out[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common(parser, default=300_000)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="keep the database in this folder")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.saves = min(args.people, 300), min(args.saves, 20)
    with work_folder("bpjs-bench-core-", args.keep) as folder:
        figures, rows = run(folder, args)
    print(f"Database: {args.people:,} people, {figures['database_mib']:.0f} MiB")
    for name, value, baseline, target, ok in rows:
        print(f"{name:<32} {value:>10}   {baseline:<40} target {target:<16} {'OK' if ok else 'MISSED'}")
    print("search p95 by prefix length (ms): " + "  ".join(
        f"{k}={v:.2f}" for k, v in figures["by_length_p95_ms"].items()))
    print(json.dumps(figures))
    return verdict(all(r[-1] for r in rows), args.smoke)


def run(folder: Path, args: argparse.Namespace) -> tuple[dict, list]:
    db = folder / "bench.sqlite3"
    for old in folder.glob("bench.sqlite3*"):
        old.unlink()
    shutil.rmtree(folder / "backups", ignore_errors=True)
    demo_s, demo_mib = build(db, args.people)
    store = Store.open(db)
    rng = random.Random(3)
    sample = store.query("SELECT full_name, nik FROM people WHERE nik IS NOT NULL "
                         "ORDER BY random() LIMIT 200")
    codes = [r["code"] for r in store.query("SELECT code FROM registrations ORDER BY random() LIMIT 500")]
    queries = []
    for row in sample:
        first = row["full_name"].split()[0]
        queries += [first[: rng.randint(2, len(first))], row["nik"][: rng.randint(4, 12)],
                    " ".join(w[:3] for w in row["full_name"].split()[:2])]
    size_mib = sum(p.stat().st_size for p in folder.glob("bench.sqlite3*")) / 2**20
    backups = bench_backup_and_close(store, queries)  # first: the daily backup due at start
    bare_save = bench_bare_insert(db, args.saves)
    ours_save = bench_save(store, args.saves)
    ours_search, bare_search = bench_search(store, queries)
    by_length = bench_every_length(store, 20 if args.smoke else 100)
    code_times = []
    for code in codes:
        t = time.perf_counter()
        assert store.registrations.by_code(code) is not None
        code_times.append((time.perf_counter() - t) * 1000)
    store.close()
    close_s, bare_close_s = time_close(db)
    analyze_s, analyze_full_s = time_analyze(db)

    worst = max(by_length, key=by_length.get)
    figures = {
        "people": args.people, "database_mib": round(size_mib, 1),
        "demo_s": round(demo_s, 1), "demo_peak_mib": round(demo_mib),
        "save_median_ms": round(statistics.median(ours_save), 2),
        "save_p95_ms": round(pct(ours_save, 95), 2),
        "bare_insert_median_ms": round(statistics.median(bare_save), 2),
        "save_ratio": round(statistics.median(ours_save) / statistics.median(bare_save), 2),
        "search_p50_ms": round(pct(ours_search, 50), 2), "search_p95_ms": round(pct(ours_search, 95), 2),
        "bare_fts_p50_ms": round(pct(bare_search, 50), 2), "bare_fts_p95_ms": round(pct(bare_search, 95), 2),
        "worst_length": worst, "worst_length_p95_ms": round(by_length[worst], 2),
        "by_length_p95_ms": {k: round(v, 2) for k, v in by_length.items()},
        "code_p50_ms": round(pct(code_times, 50), 3), "code_p95_ms": round(pct(code_times, 95), 3),
        "close_s": round(close_s, 3), "bare_close_s": round(bare_close_s, 4),
        "analyze_s": round(analyze_s, 4), "analyze_full_s": round(analyze_full_s, 4),
        **{k: round(v, 3) for k, v in backups.items()},
    }
    rows = [
        ("demo --participants", f"{figures['demo_s']} s", f"peak {figures['demo_peak_mib']} MiB", "≤ 60 s",
         figures["demo_s"] <= TARGETS["demo_s"] * max(1, args.people / 300_000)),
        ("save registration (median)", f"{figures['save_median_ms']} ms",
         f"bare insert {figures['bare_insert_median_ms']} ms (×{figures['save_ratio']})", "≤ 5 ms and ≤ 2×",
         figures["save_median_ms"] <= TARGETS["save_median_ms"] and figures["save_ratio"] <= TARGETS["save_ratio"]),
        ("prefix search p95", f"{figures['search_p95_ms']} ms", f"bare FTS5 p95 {figures['bare_fts_p95_ms']} ms",
         "≤ 15 ms", figures["search_p95_ms"] <= TARGETS["search_p95_ms"]),
        ("every prefix length, worst p95", f"{figures['worst_length_p95_ms']} ms", f"({worst})",
         "≤ 15 ms", figures["worst_length_p95_ms"] <= TARGETS["search_p95_ms"]),
        ("search while backup runs p95", f"{figures['search_during_backup_p95_ms']} ms",
         f"backup {figures['backup_s']} s in the background", "≤ 50 ms",
         figures["search_during_backup_p95_ms"] <= TARGETS["first_search_ms"]),
        ("  checks of that backup", f"{figures['quick_check_s']} s",
         f"full integrity_check {figures['integrity_check_s']} s (weekly)", "—", True),
        ("close the store", f"{figures['close_s']} s", f"bare sqlite3 close {figures['bare_close_s']} s",
         "≤ 2 s", figures["close_s"] <= TARGETS["close_s"]),
        ("  ANALYZE people, bounded", f"{figures['analyze_s']} s",
         f"unbounded (as before) {figures['analyze_full_s']} s", "—", True),
        ("code lookup p95", f"{figures['code_p95_ms']} ms", "", "≤ 1 ms",
         figures["code_p95_ms"] <= TARGETS["code_p95_ms"]),
    ]
    return figures, rows


if __name__ == "__main__":
    sys.exit(main())
