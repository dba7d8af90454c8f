"""Growth: the core and workstation figures at several sizes, side by side.

    .venv/bin/python bench/bench_scale.py [--sizes 30k,300k,1m] [--keep DIR] [--smoke]

For each size a database is built once (`bpjs-field demo`, timed by bench_core), then
`bench_core.py` and `bench_gui.py` run on it, each with its baselines from the same run
(bare SQLite for the store, a bare QApplication for start).  Their figures are printed
in one table, a column per size, so what grows is plain to see.  The databases are
removed at the end unless `--keep DIR` is given.  A million people take about 2.3 GiB
and a quarter of an hour on a 2-core machine: those runs are made by hand, not in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, size, verdict, work_folder  # noqa: E402

BENCH = Path(__file__).resolve().parent

# (label, source, key, unit, target): ms figures are shown in ms, s figures in s.
ROWS = [
    ("database size", "core", "database_mib", "MiB", None),
    ("demo build", "core", "demo_s", "s", None),
    ("start to usable window p95", "gui", "start_p95_s", "s", 1.0),
    ("  bare QApplication start p95", "gui", "start_bare_p95_s", "s", None),
    ("first search after start (backup due)", "gui", "first_search_s", "ms", 50),
    ("  p50 over starts: backup as app runs", "gui", "first_search_p50_s", "ms", 50),
    ("    the same, backup as it ran before", "gui", "first_search_same_p50_s", "ms", None),
    ("    the same, no backup due", "gui", "first_search_none_p50_s", "ms", None),
    ("search as you type, on screen p95", "gui", "search_p95_s", "ms", 50),
    ("prefix search p95 (store)", "core", "search_p95_ms", "ms", 15),
    ("  bare FTS5 MATCH p95", "core", "bare_fts_p95_ms", "ms", None),
    ("every prefix length, worst p95", "core", "worst_length_p95_ms", "ms", 15),
    ("search while backup runs p95", "core", "search_during_backup_p95_ms", "ms", 50),
    ("daily backup in background", "core", "backup_s", "s", None),
    ("  quick_check of it", "core", "quick_check_s", "s", None),
    ("  integrity_check of it (weekly)", "core", "integrity_check_s", "s", None),
    ("close the app after work", "gui", "close_s", "s", 2.0),
    ("close the store", "core", "close_s", "s", 2.0),
    ("  bare sqlite3 close", "core", "bare_close_s", "s", None),
    ("ANALYZE people (analysis_limit)", "core", "analyze_s", "s", None),
    ("  unbounded, as closing did", "core", "analyze_full_s", "s", None),
    ("save a registration (median)", "core", "save_median_ms", "ms", 5),
    ("  bare sqlite3 insert (median)", "core", "bare_insert_median_ms", "ms", None),
    ("scan to answer painted p95", "gui", "scan_p95_s", "ms", 100),
    ("code lookup p95", "core", "code_p95_ms", "ms", 1),
]


def last_json(output: str) -> dict:
    for line in reversed(output.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError("no figures printed:\n" + output[-3000:])


def run(script: str, *args: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True,
                          text=True, cwd=ROOT, env=env)
    sys.stdout.write(done.stdout)
    if done.returncode not in (0, 1):  # 1: a target missed, still figures to show
        raise RuntimeError(f"{script} failed:\n{done.stderr[-3000:]}")
    return last_json(done.stdout)


def show(value: float | None, unit: str, key: str) -> str:
    if value is None:
        return "—"
    if unit == "ms" and key.endswith("_s"):
        value *= 1000
    return f"{value:,.1f} {unit}" if value >= 10 else f"{value:.3g} {unit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30k,300k", help="comma-separated, each up to 1m")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    parser.add_argument("--smoke", action="store_true", help="two tiny sizes: checks the script works")
    args = parser.parse_args()
    sizes = [100, 300] if args.smoke else [size(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, dict]] = {}
    with work_folder("bpjs-bench-scale-", args.keep) as folder:
        for n in sizes:
            keep = folder / f"{n}"
            print(f"== {n:,} people ==", flush=True)
            smoke = ["--smoke"] if args.smoke else []
            core = run("bench_core.py", "--people", str(n), "--keep", str(keep), *smoke)
            gui = run("bench_gui.py", "--people", str(n), "--db", str(keep / "bench.sqlite3"), *smoke)
            results[n] = {"core": core, "gui": gui}
    ok = True
    header = f"{'figure':<40}" + "".join(f"{f'{n:,}':>16}" for n in sizes) + "   target"
    print("\n" + header + "\n" + "-" * len(header))
    for label, source, key, unit, target in ROWS:
        values = [results[n][source].get(key) for n in sizes]
        line = f"{label:<40}" + "".join(f"{show(v, unit, key):>16}" for v in values)
        if target is not None:
            scaled = [None if v is None else (v * 1000 if unit == "ms" and key.endswith("_s") else v)
                      for v in values]
            missed = [n for n, v in zip(sizes, scaled) if v is not None and v > target]
            ok &= not missed
            line += f"   ≤ {target} {unit}" + (f"  MISSED at {', '.join(f'{n:,}' for n in missed)}"
                                              if missed else "  OK")
        print(line)
    return verdict(ok, args.smoke)


if __name__ == "__main__":
    sys.exit(main())
