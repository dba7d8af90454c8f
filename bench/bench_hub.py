"""The event hub on loopback: desk-to-door latency and the hub's intake, each beside a baseline.

    .venv/bin/python bench/bench_hub.py [--seconds 30] [--registrations 2000] [--smoke]

1. Desk to door: 5 laptops joined to a hub run by the first (the product's link, a round
   every 2 s); four desks register as fast as they can for `--seconds`, the fifth (the door)
   watches its own database. Latency = first seen at the door - committed at the desk.
   Target: p95 <= 5 s.
2. The hub takes `--registrations` (2,000) registrations from 4 laptops pushing at once;
   baseline: the same registrations as one push from one laptop to the branch server (the
   same server code, a SQLite file, over plain HTTP).

3. Idle: a round with nothing to do, in process (median of 30), with the hub and with the
   branch (target <= 5 ms each); baseline: one bare GET over the same link.  And the
   `bpjs-field hub-sync` and `bpjs-field sync` processes with nothing to do (target <= 0.5 s,
   median of 5; CPU seconds beside the wall time, as a loaded machine stretches the wall);
   baseline: a bare `python -c "import httpx; httpx.get(...)"` process.

4. Seed: a laptop that knew `--people` (10,000) people and their registrations before the
   event (delivered to the branch already) joins: its first round with the hub (the offer,
   the rows the hub wants), then the first round of another laptop that knew none of them;
   baseline: the same registrations pushed to the branch by that laptop.

Everything runs on 127.0.0.1: the branch server in a process of its own, the hub and the
laptops in this one (as in the app: the hub runs inside the hub laptop's process).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "server"))
sys.path.insert(0, str(ROOT / "bench"))

from bpjs_field.store import Store  # noqa: E402
from bpjs_field.sync.engine import SyncEngine, SyncResult  # noqa: E402
from bpjs_field.sync.hub_engine import HubEngine, HubLink, join  # noqa: E402
from bpjs_field.sync.hub_server import HubServer  # noqa: E402
from common import pct, verdict, work_folder  # noqa: E402
from harness import Laptop, ServerProcess, free_port, setup_database  # noqa: E402

OFFICERS = (("KC-0421", "supervisor"), ("KC-0422", "supervisor"), ("KC-0423", "supervisor"),
            ("SPV-01", "supervisor"), ("KC-0430", "officer"))
TARGET_P95_S = 5.0
TARGET_IDLE_MS = 5.0
TARGET_IDLE_PROCESS_S = 0.5


def event_laptops(folder: Path, branch: ServerProcess, n: int, name: str) -> list[Laptop]:
    machines = []
    for i in range(n):
        laptop = Laptop(folder / f"{name}{i}.sqlite3")
        laptop.enroll(branch.url, OFFICERS[i % len(OFFICERS)][0])
        laptop.sync()
        laptop.event()
        machines.append(laptop)
    return machines


def desk_to_door(folder: Path, branch: ServerProcess, seconds: float) -> list[float]:
    machines = event_laptops(folder, branch, 5, "latency")
    hub = HubServer(machines[0].store, "127.0.0.1", free_port()).start()
    links: list[HubLink] = []
    committed: dict[str, float] = {}
    seen: dict[str, float] = {}
    stop = threading.Event()
    try:
        for laptop in machines:
            join(laptop.store, hub.join_code)
        links = [HubLink(lambda p=laptop.path: Store.open(p)).start() for laptop in machines]
        desks, door = machines[:4], machines[4]

        def register(n: int, desk: Laptop) -> None:
            i = 100_000 * (n + 1)
            while not stop.is_set():
                result = desk.register(i)
                committed[result.registration["id"]] = time.monotonic()
                i += 1
                time.sleep(0.05)  # a desk is a person at a keyboard, even a fast one

        def watch() -> None:
            store = Store.open(door.path)
            try:
                while not stop.is_set() or len(seen) < len(committed):
                    now = time.monotonic()
                    for (rid,) in store.db.execute("SELECT id FROM registrations"):
                        seen.setdefault(rid, now)
                    if stop.is_set() and now - stopped[0] > 30:
                        return
                    time.sleep(0.05)
            finally:
                store.close()

        stopped = [0.0]
        threads = [threading.Thread(target=register, args=(n, d)) for n, d in enumerate(desks)]
        watcher = threading.Thread(target=watch)
        watcher.start()
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        stopped[0] = time.monotonic()
        for t in threads:
            t.join()
        watcher.join()
    finally:
        stop.set()
        for link in links:
            link.stop()
        hub.stop()
        for laptop in machines:
            laptop.close()
    missing = set(committed) - set(seen)
    if missing:
        raise SystemExit(f"{len(missing)} registrations never reached the door")
    return [seen[r] - committed[r] for r in committed]


def intake(folder: Path, branch: ServerProcess, total: int) -> tuple[float, float]:
    """(seconds for the hub to take `total` registrations from 4 laptops at once,
    seconds for the branch to take the same as one push from one laptop)."""
    machines = event_laptops(folder, branch, 5, "intake")
    hub = HubServer(machines[0].store, "127.0.0.1", free_port()).start()
    try:
        for laptop in machines:
            join(laptop.store, hub.join_code)
        each = total // 4
        for n, laptop in enumerate(machines[1:]):
            laptop.register_many(range(200_000 + n * each, 200_000 + (n + 1) * each))
        engines = [HubEngine(laptop.store) for laptop in machines[1:]]
        threads = [threading.Thread(target=e._push, args=(e.client(), SyncResult())) for e in engines]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        hub_seconds = time.perf_counter() - start
        for engine in engines:
            engine.close()
        taken = hub.status()["events"][0]["registrations"]
        if taken != each * 4:
            raise SystemExit(f"the hub holds {taken} registrations, not {each * 4}")
    finally:
        hub.stop()
    single = machines[0]
    single.register_many(range(300_000, 300_000 + each * 4))
    engine = SyncEngine(single.store, single.http)
    client = engine.client()
    client.health()
    start = time.perf_counter()
    engine._push(client, SyncResult())
    branch_seconds = time.perf_counter() - start
    for laptop in machines:
        laptop.close()
    return hub_seconds, branch_seconds


def _timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def idle(folder: Path, branch: ServerProcess, runs: int) -> dict[str, tuple[float, float]]:
    """Rounds with nothing to do, in process and as a command, each with its baseline."""
    hub_laptop, desk = event_laptops(folder, branch, 2, "idle")
    desk.register(1)
    desk.store.set_setting("current_officer_id", desk.store.officer_id)
    hub = HubServer(hub_laptop.store, "127.0.0.1", free_port()).start()
    figures: dict[str, tuple[float, float]] = {}
    try:
        join(desk.store, hub.join_code)
        engine = HubEngine(desk.store)
        for _ in range(3):  # settle: the seed, the registration, the audit entries
            engine.run()
            desk.sync()

        def median_ms(action) -> float:
            times = []
            for _ in range(30):
                start = time.perf_counter()
                action()
                times.append((time.perf_counter() - start) * 1000)
            return statistics.median(times)

        hub_round = median_ms(engine.run)
        bare_hub = median_ms(lambda: engine.http.get(f"{hub.url}/v1/health"))
        figures["round with the hub (in app)"] = (hub_round, bare_hub)
        engine.close()
        branch_round = median_ms(desk.sync)
        bare_branch = median_ms(lambda: desk.http.get(f"{branch.url}/v1/health"))
        figures["round with the branch (in app)"] = (branch_round, bare_branch)
        desk.store.db.conn.commit()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        python = sys.executable
        for label, args in (("`bpjs-field hub-sync` process", ["hub-sync"]),
                            ("`bpjs-field sync` process", ["sync"])):
            command = [python, "-m", "bpjs_field", "--db", str(desk.path), *args]
            _timed_process(command, env)  # warm the file cache
            runs_ = [_timed_process(command, env) for _ in range(runs)]
            bare = [_timed_process([python, "-c", "import httpx; httpx.get(%r)"
                                    % f"{branch.url}/v1/health"], env) for _ in range(runs)]
            figures[label] = (statistics.median(r[0] for r in runs_),
                              statistics.median(r[0] for r in bare))
            figures[label + " CPU"] = (statistics.median(r[1] for r in runs_),
                                       statistics.median(r[1] for r in bare))
    finally:
        hub.stop()
        for laptop in (hub_laptop, desk):
            laptop.close()
    return figures


def seed(folder: Path, branch: ServerProcess, people: int) -> tuple[float, float, float]:
    """(seconds of the first hub round of a laptop that knew `people` people, seconds of
    the first hub round of a laptop that knew none, seconds to push them to the branch)."""
    from bench_sync import fill_laptop
    machines = []
    for n, name in enumerate(("seed-hub", "seed-desk", "seed-door")):
        laptop = Laptop(folder / f"{name}.sqlite3")
        laptop.enroll(branch.url, OFFICERS[n][0])
        laptop.sync()
        machines.append(laptop)
    hub_laptop, desk, door = machines
    fill_laptop(desk.store, people)
    start = time.perf_counter()
    desk.sync()  # delivered before the event: from now on only the seed brings them to a hub
    branch_s = time.perf_counter() - start
    hub = HubServer(hub_laptop.store, "127.0.0.1", free_port()).start()
    try:
        for laptop in machines:
            join(laptop.store, hub.join_code)
        times = []
        for laptop in (desk, door):
            engine = HubEngine(laptop.store)
            start = time.perf_counter()
            engine.run()
            times.append(time.perf_counter() - start)
            engine.close()
        known = door.store.scalar("SELECT count(*) FROM people WHERE created_device = ?",
                                  (desk.store.device_id,))
        if known != people:
            raise SystemExit(f"the door knows {known} people, not {people}")
    finally:
        hub.stop()
        for laptop in machines:
            laptop.close()
    return times[0], times[1], branch_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--people", type=int, default=10_000, help="people the desk knew before")
    parser.add_argument("--only", choices=("latency", "intake", "idle", "seed"))
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny run that checks the script works (timings not judged)")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.registrations, args.people = 4.0, 80, 100
    with work_folder("bench-hub-") as folder:
        url = f"sqlite:///{folder / 'branch.sqlite3'}"
        setup_database(url, *OFFICERS)
        branch = ServerProcess(url).start()
        latencies, hub_s, figures, seeded = [], None, {}, None
        try:
            if args.only in (None, "latency"):
                latencies = desk_to_door(folder, branch, args.seconds)
            if args.only in (None, "intake"):
                hub_s, branch_s = intake(folder, branch, args.registrations)
            if args.only in (None, "idle"):
                figures = idle(folder, branch, 1 if args.smoke else 5)
            if args.only in (None, "seed"):
                seeded = seed(folder, branch, args.people)
        finally:
            branch.kill()
            branch.stop()
    ok = True
    if latencies:
        p50, p95 = pct(latencies, 50), pct(latencies, 95)
        ok &= p95 <= TARGET_P95_S
        print(f"{'desk to door, 5 laptops, ' + str(len(latencies)) + ' registrations':<52} "
              f"p50 {p50:6.2f} s   p95 {p95:6.2f} s   max {max(latencies):6.2f} s   "
              f"target p95 <= {TARGET_P95_S} s {'OK' if p95 <= TARGET_P95_S else 'MISSED'}")
    if hub_s is not None:
        print(f"{f'hub takes {args.registrations} registrations from 4 laptops':<52} {hub_s:8.3f} s   "
              f"baseline: one push to the branch server {branch_s:.3f} s (x{hub_s / branch_s:.2f})")
    if seeded is not None:
        desk_s, door_s, branch_s = seeded
        print(f"{f'seed: desk that knew {args.people} people joins':<52} {desk_s:8.3f} s   "
              f"baseline: their push to the branch {branch_s:.3f} s (x{desk_s / branch_s:.2f})")
        print(f"{'seed: then a laptop that knew none of them':<52} {door_s:8.3f} s   "
              f"(x{door_s / branch_s:.2f} of the baseline)")
    for label, (ours, base) in figures.items():
        in_app = "in app" in label
        unit, target = ("ms", TARGET_IDLE_MS) if in_app else ("s", TARGET_IDLE_PROCESS_S)
        met = ours <= target
        # A process's wall time on a loaded machine is stretched by the others: its CPU
        # time decides, the wall time is shown beside its own baseline.
        if not label.endswith("process"):
            ok &= met
        print(f"{label + ', nothing to do':<52} {ours:8.3f} {unit:<3} baseline (bare GET) "
              f"{base:.3f} {unit} (x{ours / base:.2f})   target <= {target} {unit} "
              f"{'OK' if met else 'MISSED'}")
    return verdict(ok, args.smoke)


if __name__ == "__main__":
    sys.exit(main())
