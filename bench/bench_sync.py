"""Sync benchmarks on loopback with durable commits, each beside a baseline from the same run.

    .venv/bin/python bench/bench_sync.py [--skip-pg] [--people 100000] [--smoke]

1. Push 10,000 registrations (20,000 changes: person + registration) to the SQLite
   server (target <= 2.5 s) and to PostgreSQL with fsync on (<= 4 s); baseline: the
   same bytes sent as one bare HTTP POST to a bare ASGI app under uvicorn.
2. A sync with nothing to do inside a running app (<= 20 ms, median of 30) and the
   `bpjs-field sync` process as a whole (<= 0.5 s); baseline: one bare GET.
3. A first pull of 100,000 people with their registrations into an empty laptop
   (<= 15 s), searchable at the end; baseline: the same bytes as one bare POST.
4. Peak memory (RSS) of a laptop process pulling 10k and 100k people: it stays flat.

Laptop rows are written directly in bulk (the validation path is the core's
concern); server rows for the pull are written directly into the server database.
Exits non-zero when a target is missed (a `--smoke` run, at a tiny size, only has to run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "server"))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402

from bpjs_field.domain.names import name_key  # noqa: E402
from bpjs_field.server.accounts import add_officer  # noqa: E402
from bpjs_field.server.db import ServerDatabase  # noqa: E402
from bpjs_field.server.schema import migrate  # noqa: E402
from bpjs_field.store import Store  # noqa: E402
from bpjs_field.store.people import SYNCED as PERSON_SYNCED  # noqa: E402
from bpjs_field.store.registrations import SYNCED as REG_SYNCED  # noqa: E402
from bpjs_field.store.store import dumps, new_id, utc_now  # noqa: E402
from bpjs_field.sync.engine import SyncEngine, SyncResult, enroll, new_http_client  # noqa: E402
from common import add_common, verdict  # noqa: E402
from harness import PgCluster, ServerProcess, free_port, wait_port  # noqa: E402

PASSWORD = "bench-password-1"
EVENT_ID = "00000000-0000-4000-8000-0000000be001"
BARE_APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    body = b'{"status":"ok"}'
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
"""
failures: list[str] = []


def report(name: str, ours: float, baseline: float | None, target: float, unit: str = "s") -> None:
    ok = ours <= target
    if not ok:
        failures.append(name)
    base = f"bare baseline {baseline:.3f} {unit} (x{ours / baseline:.1f})" if baseline else ""
    print(f"{name:<48} {ours:8.3f} {unit}   {base:<40} target <= {target} {unit} "
          f"{'OK' if ok else 'MISSED'}", flush=True)


def bare_server(tmp: Path) -> tuple[subprocess.Popen, int]:
    (tmp / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--app-dir", str(tmp), "bare_app:app",
                             "--port", str(port), "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return proc, port
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError("bare server did not start")


def bare_post(port: int, body: bytes) -> float:
    with httpx.Client(timeout=120) as http:
        http.get(f"http://127.0.0.1:{port}/")  # connection warm, as the sync client's is
        start = time.perf_counter()
        http.post(f"http://127.0.0.1:{port}/", content=body,
                  headers={"Content-Type": "application/json"})
        return time.perf_counter() - start


def person_row(i: int, device: str, now: str) -> dict:
    # Unique for i below lcm(23, 28, 9999), far beyond a million.
    born_day = 1 + i % 28
    # Every synced field of a person (bpjs_field/domain/entities.py), these with values.
    return {**dict.fromkeys(PERSON_SYNCED), "id": str(uuid.UUID(int=i + (1 << 100))), "nik": f"3216{1 + i % 23:02d}{born_day:02d}0190{1 + i % 9999:04d}", "passport_no": None, "nationality": None,
            "kitas_no": None, "kitas_expiry": None, "full_name": f"Peserta Bench {chr(65 + i % 26)}{i}",
            "birth_date": "1990-01-01", "birth_place": "Bekasi", "sex": "L", "phone": f"+62812{i:08d}",
            "email": None, "address": "Jl. Melati", "district_code": "321609", "village_code": None,
            "postal_code": None, "occupation": "pedagang", "consent_version": "2026-01",
            "consent_at": now, "consent_withdrawn_at": None, "erased_at": None, "merged_into": None,
            "created_device": device, "created_at": now}


def registration_row(i: int, person_id: str, device: str, tag: str, officer: str, now: str) -> dict:
    from bpjs_field.domain.codes import make_code
    # Every field a new registration sends (bpjs_field/domain/entities.py), these with values.
    return {**dict.fromkeys(REG_SYNCED), "id": str(uuid.UUID(int=i + (2 << 100))), "code": make_code(tag, i + 1),
            "person_id": person_id, "event_id": EVENT_ID, "officer_id": officer, "device_id": device,
            "segment": "bpu", "programs": '["jkk","jkm"]', "declared_income": 1000000, "wage": None,
            "risk_class": None, "occupation": "pedagang", "sector": "informal", "payer": "mandiri",
            "months_paid": 1, "employer_name": None,
            "contribution": '{"lines":[],"total":16800}', "monthly_total": 16800,
            "consent_version": "2026-01", "consent_at": now, "status": "baru", "source": "form",
            "created_at": now}


def fill_laptop(store: Store, n: int) -> None:
    """n registrations with their people and change-log entries, written in bulk."""
    now = utc_now()
    store.events.create({"id": EVENT_ID, "kind": "senam_bersama", "title": "Bench",
                         "starts_at": "2026-11-22T06:30:00+07:00", "venue": "Lapangan"})
    people, regs, changes = [], [], []
    for i in range(n):
        p = person_row(i, store.device_id, now)  # NIKs of real kecamatan: the server checks them
        r = registration_row(i, p["id"], store.device_id, store.device_tag, store.officer_id, now)
        people.append(p)
        regs.append(r)
        changes.append((new_id(), "person", p["id"], dumps({k: p.get(k) for k in PERSON_SYNCED}),
                        store.clock.now(), now))
        changes.append((new_id(), "registration", r["id"], dumps(r), store.clock.now(), now))
    pcols = list(people[0]) + ["name_key", "updated_at"]
    rcols = list(regs[0]) + ["updated_at"]
    with store.write():
        store.db.conn.executemany(
            f"INSERT INTO people({', '.join(pcols)}) VALUES ({', '.join('?' * len(pcols))})",
            [(*p.values(), p["full_name"].lower(), now) for p in people])
        store.db.conn.executemany(
            f"INSERT INTO registrations({', '.join(rcols)}) VALUES ({', '.join('?' * len(rcols))})",
            [(*r.values(), now) for r in regs])
        store.db.conn.executemany(
            "INSERT INTO change_log(change_id, entity, entity_id, op, payload, hlc, created_at) "
            "VALUES (?, ?, ?, 'upsert', ?, ?, ?)", changes)


def fill_server(url: str, n: int) -> None:
    """n people and n registrations straight into the server's docs table."""
    db = ServerDatabase(url)
    now = utc_now()
    device = "bench-device"
    hlc = f"{int(time.time() * 1000):016d}-000000-{device}"
    rows = []
    with db.read() as tx:
        rev = int(tx.scalar("SELECT value FROM counters WHERE name = 'rev'"))
    event = {"id": EVENT_ID, "kind": "senam_bersama", "title": "Bench", "venue": "Lapangan",
             "starts_at": "2026-11-22T06:30:00+07:00", "created_at": now, "updated_at": now}
    rev += 1
    rows.append(("event", EVENT_ID, rev, None, json.dumps(event), "{}"))
    for i in range(n):
        p = person_row(i, device, now)
        p["nik"] = f"{3300000000000000 + i}"
        p["name_key"] = name_key(p["full_name"])  # as the server stores a pushed person
        r = registration_row(i, p["id"], device, "BNCH", None, now)
        rev += 1
        rows.append(("person", p["id"], rev, f"nik:{p['nik']}", json.dumps(p),
                     json.dumps({k: [hlc, device, rev] for k in p})))
        rev += 1
        rows.append(("registration", r["id"], rev, f"code:{r['code']}", json.dumps(r), "{}"))
    with db.write() as tx:
        for start in range(0, len(rows), 20000):
            tx.executemany("INSERT INTO docs(entity, id, rev, ident, data, meta) "
                           "VALUES (?, ?, ?, ?, ?, ?)", rows[start:start + 20000])
        tx.store_revision(rev)
    db.close()


def new_laptop(path: Path, server_url: str) -> Store:
    store = Store.open(path)
    with new_http_client() as http:
        officer = enroll(store, http, server_url, "BENCH-1", PASSWORD)["officer"]
    store.remember_officer(officer["id"])
    return store


def setup_server_db(url: str) -> None:
    db = ServerDatabase(url)
    migrate(db)
    add_officer(db, employee_no="BENCH-1", full_name="Petugas Bench", branch="Bench",
                role="officer", password=PASSWORD)
    db.close()


def bench_push(label: str, url: str, tmp: Path, bare_port: int, target: float, n: int = 10000) -> None:
    setup_server_db(url)
    server = ServerProcess(url).start()
    try:
        store = new_laptop(tmp / f"push-{label}.sqlite3", server.url)
        fill_laptop(store, n)
        sent = [0]
        with new_http_client() as http:
            http.event_hooks["request"] = [lambda r: sent.__setitem__(0, sent[0] + len(r.content))]
            engine = SyncEngine(store, http)
            # The whole payload as the client encodes it, for the bare baseline.
            batch_changes, engine.batch_changes, engine.batch_bytes = engine.batch_changes, 10**9, 10**12
            everything = engine._batch(0)[0]
            engine.batch_changes, engine.batch_bytes = batch_changes, 2_000_000
            rows = store.pending_changes()
            engine.client().health()  # the server says it takes gzip: every batch is packed
            sent[0] = 0
            start = time.perf_counter()
            result = SyncResult()
            engine._push(engine.client(), result)
            elapsed = time.perf_counter() - start
        assert store.pending_changes() == 0 and result.pushed == rows, result
        baseline = bare_post(bare_port, everything)
        report(f"push {n} registrations ({label} server)", elapsed, baseline, target)
        print(f"{'  bytes sent per person (gzip)':<48} {sent[0] / n:8.0f} B    "
              f"(uncompressed {len(everything) / n:.0f} B)")
        store.close()
    finally:
        server.kill()
        server.stop()


def current_rss_mib() -> float:
    """Resident memory now.  (ru_maxrss is no use in a child: Linux carries the
    parent's high-water mark over fork and exec.)"""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pull_child(db_path: str, server_url: str) -> None:
    """Run in a subprocess: enrol, pull everything, print figures as JSON."""
    store = new_laptop(Path(db_path), server_url)
    peak = [current_rss_mib()]

    def sample(_progress) -> None:
        peak[0] = max(peak[0], current_rss_mib())

    with new_http_client() as http:
        start = time.perf_counter()
        result = SyncEngine(store, http, on_progress=sample).run()
        sample(None)
        pull_peak = peak[0]
        elapsed = time.perf_counter() - start
        t = time.perf_counter()
        hits = store.search_index.search("Peserta Bench B1")
        code_hits = store.search_index.search(
            store.scalar("SELECT code FROM registrations ORDER BY code DESC LIMIT 1"))
        search_ms = (time.perf_counter() - t) * 1000
        # The bytes the pull received: the same pages again, counted as they came on the wire.
        wire = raw = 0
        cursor, more = 0, True
        token = store.get_setting("sync.device_token")
        while more:
            page = http.get(f"{server_url}/v1/pull", params={"cursor": cursor, "limit": 5000},
                            headers={"Authorization": f"Bearer {token}"})
            wire += page.num_bytes_downloaded
            raw += len(page.content)
            body = page.json()
            cursor, more = body["next_cursor"], body["more"]
        noop = []
        for _ in range(30):
            t = time.perf_counter()
            SyncEngine(store, http).run()
            noop.append(time.perf_counter() - t)
    print(json.dumps({"seconds": elapsed, "pulled": result.pulled, "peak_mib": pull_peak,
                      "people": store.scalar("SELECT count(*) FROM people"),
                      "hits": len(hits), "code_hits": len(code_hits), "search_ms": search_ms,
                      "noop_median": statistics.median(noop), "wire": wire, "raw": raw}))
    store.close()


def bench_pull(url: str, tmp: Path, bare_port: int, people: int, small: int = 10000) -> None:
    results = {}
    for n in (small, people):
        db_url = f"sqlite:///{tmp / f'pull-{n}.sqlite3'}"
        setup_server_db(db_url)
        fill_server(db_url, n)
        server = ServerProcess(db_url).start()
        try:
            out = subprocess.run([sys.executable, __file__, "--pull-child",
                                  str(tmp / f"laptop-pull-{n}.sqlite3"), server.url],
                                 capture_output=True, text=True, check=True, timeout=600)
            results[n] = json.loads(out.stdout.strip().splitlines()[-1])
            with httpx.Client(timeout=120) as http:
                token = Store.open(tmp / f"laptop-pull-{n}.sqlite3").get_setting("sync.device_token")
                payload = http.get(f"{server.url}/v1/pull", params={"cursor": 0, "limit": 5000},
                                   headers={"Authorization": f"Bearer {token}"}).content
            pages = (2 * n + 1) / 5000
            results[n]["baseline"] = bare_post(bare_port, payload * max(1, round(pages)))
        finally:
            server.kill()
            server.stop()
    big = results[people]
    assert big["people"] == people and big["hits"] >= 1 and big["code_hits"] == 1, big
    report(f"first pull of {people} people + registrations", big["seconds"], big["baseline"], 15.0)
    print(f"{'':<48} searchable at the end: name search {big['search_ms']:.1f} ms for 2 queries")
    print(f"{'  bytes pulled per person (gzip)':<48} {big['wire'] / people:8.0f} B    "
          f"(uncompressed {big['raw'] / people:.0f} B; {big['wire'] / 2**20:.1f} MiB in all)")
    report("sync with nothing to do (in app, median)", results[small]["noop_median"] * 1000,
           None, 20.0, "ms")
    print(f"peak laptop memory: {results[small]['peak_mib']:.0f} MiB at {small:,} people, "
          f"{big['peak_mib']:.0f} MiB at {people:,} people "
          f"(x{big['peak_mib'] / results[small]['peak_mib']:.2f} for x{people / small:.0f} rows)")
    if big["peak_mib"] > 1.5 * results[small]["peak_mib"]:
        failures.append("memory not flat")


def bench_cli(tmp: Path, bare_port: int, runs: int = 5) -> None:
    url = f"sqlite:///{tmp / 'cli.sqlite3'}"
    setup_server_db(url)
    server = ServerProcess(url).start()
    try:
        path = tmp / "cli-laptop.sqlite3"
        new_laptop(path, server.url).close()
        exe = shutil.which("bpjs-field", path=str(Path(sys.executable).parent))
        command = [exe, "--db", str(path), "sync"] if exe else \
            [sys.executable, "-m", "bpjs_field", "--db", str(path), "sync"]
        subprocess.run(command, check=True, capture_output=True)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import httpx; httpx.get('http://127.0.0.1:%d/')"
                        % bare_port], check=True)
        baseline = time.perf_counter() - t
        report("`bpjs-field sync` process, nothing to do", statistics.median(times), baseline, 0.5)
        # The same round without the application's command-line start-up (all plugins).
        # Its arguments come from the sync command's own parser, so an option added
        # there reaches this run too (a hand-built Namespace went stale once).
        bare_cli = ("import argparse, sys; from bpjs_field.store import Store; "
                    "from bpjs_field.sync.cli import add_commands; "
                    "parser = argparse.ArgumentParser(); add_commands(parser.add_subparsers()); "
                    "args = parser.parse_args(['sync']); "
                    "args.open_store = lambda: Store.open(sys.argv[1]); "
                    "sys.exit(args.handler(args))")
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", bare_cli, str(path)], check=True,
                           capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            times.append(time.perf_counter() - t)
        print(f"{'  of which: sync command alone (no app CLI)':<48} {statistics.median(times):8.3f} s")
    finally:
        server.kill()
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-pg", action="store_true")
    add_common(parser, default=100_000)
    parser.add_argument("--push", type=int, default=10_000, help="registrations pushed")
    parser.add_argument("--only", choices=("push", "pull", "cli"))
    parser.add_argument("--pull-child", nargs=2)
    args = parser.parse_args()
    small = 10_000
    if args.smoke:
        args.people, args.push, small = min(args.people, 300), min(args.push, 200), 100
    if args.pull_child:
        pull_child(*args.pull_child)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    tmp.chmod(0o755)
    bare, bare_port = bare_server(tmp)
    cluster = None
    try:
        if args.only in (None, "push"):
            bench_push("SQLite", f"sqlite:///{tmp / 'push.sqlite3'}", tmp, bare_port, 2.5, args.push)
            if not args.skip_pg and PgCluster.available():
                cluster = PgCluster(tmp, durable=True).start()
                bench_push("PostgreSQL", cluster.new_database(), tmp, bare_port, 4.0, args.push)
        if args.only in (None, "pull"):
            bench_pull("", tmp, bare_port, args.people, small)
        if args.only in (None, "cli"):
            bench_cli(tmp, bare_port, 1 if args.smoke else 5)
    finally:
        bare.kill()
        if cluster:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("MISSED:", ", ".join(failures))
    return verdict(not failures, args.smoke)


if __name__ == "__main__":
    sys.exit(main())
