"""GUI speed targets, measured beside baselines from the same run.

    .venv/bin/python bench/bench_gui.py [--people 300000] [--db PATH] [--smoke]

Targets (up to 1,000,000 people in the database):
  * process start to a usable main window      <= 1.5 s
    (baseline: a bare QApplication + empty QMainWindow process)
  * the first search after start, with the daily backup due (so running) <= 50 ms
    (baseline: the bare `store.search_index.search` call)
  * search-as-you-type results on screen       <= 50 ms p95 after the last keystroke
    (baseline: the same bare call)
  * scanned code to the answer on screen       <= 100 ms p95
    (baseline: the bare `store.attendance.check_in_code` call)
  * closing the app after work, backup on close included   <= 2 s
    (baseline: closing a bare sqlite3 connection)

With `--db PATH` the database is built there once and kept for the next run;
without it, it is built in a temporary folder removed at the end.  Runs offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import add_common, verdict, work_folder  # noqa: E402

failures: list[str] = []
figures: dict[str, float] = {}

START_PROBE = r"""
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from ui.app import Workstation, create_application
from bpjs_field.store import Store
app = create_application([])
station = Workstation(Store.open(Path(sys.argv[1])))
station.start()
home = station.window.home

def ready():
    if home.summary is None:      # usable = home figures painted, not just a frame
        QTimer.singleShot(1, ready)
        return
    station.window.repaint()
    print("READY", time.time(), flush=True)
    app.quit()

QTimer.singleShot(0, ready)
app.exec()
station.close(final_backup=False)  # the probe measures start; it has no work to back up
"""

BASELINE_PROBE = r"""
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 740); w.show()
def ready():
    w.repaint(); print("READY", time.time(), flush=True); app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def fmt(values: list[float]) -> str:
    return (f"p50 {statistics.median(values) * 1000:7.1f} ms   p95 {p95(values) * 1000:7.1f} ms   "
            f"max {max(values) * 1000:7.1f} ms   n={len(values)}")


def build_db(path: Path, people: int) -> None:
    from bpjs_field.demo import fill_demo
    from bpjs_field.store import Store, views
    store = Store.open(path)
    try:
        have = store.people.count()
        if have < people:
            started = time.perf_counter()
            fill_demo(store, participants=people - have)
            print(f"filled {people - have:,} demo people in {time.perf_counter() - started:.1f} s")
        if store.get_setting(views.CURRENT_OFFICER) is None:
            views.setup_officer(store, full_name="Siti Rahmawati", employee_no="KC-0421",
                                branch="Kantor Cabang Bekasi Cikarang")
    finally:
        store.close()


def time_process(code: str, args: list[str], runs: int, data: Path) -> list[float]:
    env = {**os.environ, "BPJS_FIELD_DATA": str(data)}
    out = []
    for _ in range(runs):
        started = time.time()
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=120)
        line = next((x for x in done.stdout.splitlines() if x.startswith("READY")), None)
        if line is None:
            raise RuntimeError(done.stderr[-2000:])
        out.append(float(line.split()[1]) - started)
    return out


def judge(name: str, value: float, target: float) -> str:
    figures[name] = round(value, 4)
    if value > target:
        failures.append(name)
        return "MISSED"
    return "OK"


class Waiter:
    """Waits as the app's event loop does: asleep until an event arrives, the interpreter lock
    free for the database worker.  (Spinning `processEvents()` in a Python loop instead keeps
    taking the lock from the worker: under load it added 10-40 ms to a search at 300,000
    people.)  `done()` ends the current wait; `sleep(ms)` waits that long."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEventLoop
        self._loop_class = QEventLoop
        self.loop = None
        self.finished = False

    def done(self, *_args) -> None:
        self.finished = True
        if self.loop is not None:
            self.loop.quit()

    def wait(self, timeout_s: float = 5.0) -> None:
        from PySide6.QtCore import QTimer
        if self.finished:
            return
        self.loop = self._loop_class()
        QTimer.singleShot(int(timeout_s * 1000), self.loop.quit)
        self.loop.exec()
        self.loop = None
        if not self.finished:
            raise RuntimeError(f"nothing arrived within {timeout_s} s")

    def sleep(self, ms: int) -> None:
        from PySide6.QtCore import QTimer
        loop = self._loop_class()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def reset(self) -> None:
        self.finished = False


def bench_in_process(db: Path, queries: int, scans: int) -> None:
    from PySide6.QtWidgets import QApplication

    from bpjs_field.store import Store
    from ui.app import Workstation, create_application

    from bpjs_field import backup

    app = create_application([])
    shutil.rmtree(db.parent / "backups", ignore_errors=True)  # so the daily backup is due
    bare = Store.open(db)
    first_text = bare.query("SELECT full_name FROM people ORDER BY random() LIMIT 1")[0]["full_name"][:4]
    started = time.perf_counter()
    bare.search_index.search(first_text, 100)
    first_bare = time.perf_counter() - started
    station = Workstation(Store.open(db))
    station.start()
    # The app waits for start-up work before the daily backup's first check; here it starts
    # with the window, the worst case for the first search.
    station.start_backups(delay_ms=0)
    window = station.window
    rng = random.Random(7)

    # -- the first search after start, the daily backup running -------------------------
    window.show_page("people")
    page = window.people
    deadline = time.monotonic() + 30
    while page.people.rowCount() == 0 and time.monotonic() < deadline:
        app.processEvents()
    waiter = Waiter()
    page.search_finished.connect(waiter.done)
    running = station.backups.running
    started = time.perf_counter()
    page.search.setText(first_text)
    waiter.wait()
    page.table.viewport().repaint()
    first = time.perf_counter() - started
    print(f"first search, bare store call  {first_bare * 1000:7.1f} ms")
    print(f"first search after start       {first * 1000:7.1f} ms   backup "
          f"{'running' if running else 'done'}: target <= 50 ms  {judge('first_search_s', first, 0.050)}")

    # -- search as you type ---------------------------------------------------------
    names = [r["full_name"] for r in bare.query(
        "SELECT full_name FROM people WHERE rowid IN (SELECT abs(random()) % ? + 1 FROM people LIMIT ?)",
        (max(1, bare.people.count()), queries))]
    texts = []
    for name in names:
        words = name.split()
        texts.append(words[0][:rng.randint(min(3, len(words[0])), len(words[0]))] +
                     (" " + words[-1][:3] if len(words) > 1 and rng.random() < 0.5 else ""))
    baseline = []
    for text in texts:
        started = time.perf_counter()
        bare.search_index.search(text, 100)
        baseline.append(time.perf_counter() - started)

    gui = []
    for text in texts:
        page.search.clear()
        for i in range(1, len(text)):  # typed at about 15 keys per second
            page.search.setText(text[:i])
            waiter.sleep(65)
        waiter.reset()
        last_key = time.perf_counter()
        page.search.setText(text)  # the last keystroke
        waiter.wait()
        page.table.viewport().repaint()
        gui.append(time.perf_counter() - last_key)
    print(f"search, bare store call        {fmt(baseline)}")
    print(f"search, last key -> on screen  {fmt(gui)}   target p95 <= 50 ms  "
          f"{judge('search_p95_s', p95(gui), 0.050)}")

    # -- scanned codes -----------------------------------------------------------------
    event = bare.events.active()
    other = [e for e in bare.events.list() if e["id"] != event["id"]][0]
    codes = [r["code"] for r in bare.query(
        "SELECT code FROM registrations ORDER BY random() LIMIT ?", (scans * 2,))]
    scan_base = []
    for code in codes[scans:]:
        started = time.perf_counter()
        bare.attendance.check_in_code(other["id"], code)
        scan_base.append(time.perf_counter() - started)
    bare.close()
    window.show_page("checkin")
    checkin = window.checkin
    answers: list[str] = []
    original = checkin._paint

    def paint(html, colour, status):
        original(html, colour, status)
        answers.append(status)
        waiter.done()

    checkin._paint = paint
    gui_scan = []
    for code in codes[:scans]:
        checkin.input.setText(code)  # the scanner's keystrokes arrive before its Enter
        answers.clear()
        waiter.reset()
        started = time.perf_counter()
        checkin.submit()
        waiter.wait()
        checkin.answer.repaint()
        gui_scan.append(time.perf_counter() - started)
    print(f"scan, bare check_in_code       {fmt(scan_base)}")
    print(f"scan, Enter -> answer painted  {fmt(gui_scan)}   target p95 <= 100 ms  "
          f"{judge('scan_p95_s', p95(gui_scan), 0.100)}")

    # -- closing after the work (the check-ins are new work for the close backup) ---------
    still = station.backups.running
    started = time.perf_counter()
    station.close()
    closing = time.perf_counter() - started
    QApplication.processEvents()
    conn = sqlite3.connect(str(db))
    conn.execute("SELECT count(*) FROM people_fts WHERE people_fts MATCH 'siti*'").fetchone()
    started = time.perf_counter()
    conn.close()
    bare_close = time.perf_counter() - started
    made = [b.reason for b in backup.list_backups(db)]
    left = "; left to the next start" if backup.unfinished(db) else ""
    print(f"close, bare sqlite3 close      {bare_close * 1000:7.1f} ms")
    print(f"close after work               {closing * 1000:7.1f} ms   daily backup "
          f"{'stopped' if still else 'done'}; backups now: {made or 'none'}{left}; "
          f"target <= 2 s  {judge('close_s', closing, 2.0)}")


def first_search_repeated(db: Path, runs: int) -> None:
    """The first search after start, `runs` times over, each with a new window and store,
    in turn: with the daily backup due, run as the app runs it (its thread at a lower
    priority, stepping aside while the database worker is busy); the same backup as it ran
    before (the window's priority, never stepping aside); and with no backup due (the
    baseline for what the backup costs the search, in the same run)."""
    from bpjs_field import backup
    from bpjs_field.store import Store
    from ui.app import Workstation

    lower = backup.lower_thread_priority
    with Store.open(db) as bare:
        names = [r["full_name"][:4] for r in bare.query(
            "SELECT full_name FROM people ORDER BY random() LIMIT ?", (runs,))]
    arms = ("lower", "same", "none")
    times: dict[str, list[float]] = {arm: [] for arm in arms}
    running = 0
    for i, text in enumerate(names):
        arm = arms[i % len(arms)]
        backup.lower_thread_priority = lower if arm == "lower" else (lambda: False)
        shutil.rmtree(db.parent / "backups", ignore_errors=True)  # so the daily backup is due
        station = Workstation(Store.open(db))
        try:
            station.start()
            if arm != "none":
                station.start_backups(delay_ms=0)
                if arm == "same":
                    station.backups.busy = None
            window = station.window
            window.show_page("people")
            page = window.people
            waiter = Waiter()
            deadline = time.monotonic() + 30
            while page.people.rowCount() == 0 and time.monotonic() < deadline:
                waiter.sleep(1)
            page.search_finished.connect(waiter.done)
            running += arm != "none" and station.backups.running
            started = time.perf_counter()
            page.search.setText(text)
            waiter.wait()
            page.table.viewport().repaint()
            times[arm].append(time.perf_counter() - started)
        finally:
            station.close(final_backup=False)
            station.window.deleteLater()
    backup.lower_thread_priority = lower
    shutil.rmtree(db.parent / "backups", ignore_errors=True)
    print(f"first search after start, {len(names)} starts (the daily backup still running "
          f"at {running} of the {len(times['lower']) + len(times['same'])} with one)")
    labels = {"none": "no backup due (baseline)", "same": "backup as before (same priority)",
              "lower": "backup, lower priority, steps aside"}
    for arm in ("none", "same", "lower"):
        values = times[arm]
        if values:
            over = sum(v > 0.050 for v in values)
            print(f"first search x{len(values):<3} {labels[arm]:35} "
                  f"p50 {statistics.median(values) * 1000:6.1f} ms  max {max(values) * 1000:6.1f} ms  "
                  f"over 50 ms: {over}")
            figures[f"first_search_{arm}_p50_s"] = round(statistics.median(values), 4)
    if times["lower"]:
        print(f"first search after start, as the app runs it: p50 "
              f"{statistics.median(times['lower']) * 1000:.1f} ms   target <= 50 ms  "
              f"{judge('first_search_p50_s', statistics.median(times['lower']), 0.050)}")


def main() -> int:
    parser = argparse.ArgumentParser(description="GUI speed targets with a large database")
    add_common(parser, default=300_000)
    parser.add_argument("--db", type=Path, help="build the database here once and keep it")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--first-runs", type=int, default=15,
                        help="first searches after start: backup as the app runs it / as before / none, in turn")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.runs, args.queries, args.scans = min(args.people, 300), 2, 4, 4
        args.first_runs = 3
    with work_folder("bpjs-bench-gui-", args.db.parent if args.db else None) as folder:
        db = args.db or folder / "bench_gui.sqlite3"
        build_db(db, args.people)
        from bpjs_field.store import Store
        with Store.open(db) as store:
            count = store.people.count()
        size_mb = db.stat().st_size / 1e6
        print(f"database: {count:,} people, {size_mb:.0f} MB ({db})")
        data = Path(tempfile.mkdtemp(prefix="data-", dir=folder))
        try:
            base = time_process(BASELINE_PROBE, [], args.runs, data)
            app = time_process(START_PROBE, [str(db)], args.runs, data)
        finally:
            shutil.rmtree(data, ignore_errors=True)
        print(f"start, bare QApplication+QMainWindow  {fmt(base)}")
        print(f"start, main window usable             {fmt(app)}   target p95 <= 1.0 s  "
              f"{judge('start_p95_s', p95(app), 1.0)}")
        figures["start_bare_p95_s"] = round(p95(base), 4)
        bench_in_process(db, args.queries, args.scans)
        if args.first_runs:
            first_search_repeated(db, args.first_runs)
    figures["people"] = count
    print(json.dumps(figures))
    if failures:
        print("MISSED:", ", ".join(failures))
    return verdict(not failures, args.smoke)


if __name__ == "__main__":
    sys.exit(main())
