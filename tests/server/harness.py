"""Test harness for sync: real server processes, a real PostgreSQL, real laptop stores.

- `ServerProcess`: `python -m bpjs_field.server` on a free 127.0.0.1 port (uvicorn in a
  subprocess); `kill()` is SIGKILL, `start()` starts it again on the same port.
- `PgCluster`: a throwaway PostgreSQL cluster (whatever version `find_pg_bin()` finds) in a
  temp dir, run as `postgres` when the tests run as root
  (MACHINE-NOTES), one fresh database per test.
- `FaultProxy`: a TCP proxy between laptop and server that can drop the response
  after the server committed, answer 500/503 itself, accept and never answer, or
  cut a response in the middle.
- `Laptop`: a laptop store with an officer, an event and helpers to register
  participants with valid NIKs and to sync.
- `run_cli()`: the real `bpjs-field` program in a subprocess.
- `phone_conflict()`: two officers' laptops edit one phone offline, so the server keeps a
  conflict for the supervisor's laptop.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx

from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.server.accounts import add_officer
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.schema import migrate
from bpjs_field.store.store import new_id
from bpjs_field.store import Store
from bpjs_field.sync.engine import SyncEngine, enroll, new_http_client

ROOT = Path(__file__).resolve().parents[2]
PG_INSTALL = ("apt-get install postgresql (Debian/Ubuntu), or set BPJS_FIELD_PG_BIN to the "
              "folder holding initdb and pg_ctl")
PASSWORD = "rahasia-cabang-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: "
                               f"{proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1.0)
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"server on port {port} did not start")


class ServerProcess:
    def __init__(self, database_url: str, *, port: int | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServerProcess":
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bpjs_field.server", "--port", str(self.port),
             "--database-url", self.database_url, "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_port(self.port, proc=self.proc)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(d) for d in folder.parent.name.split(".") if d.isdigit())


def find_pg_bin() -> Path | None:
    """The folder holding PostgreSQL's initdb and pg_ctl: BPJS_FIELD_PG_BIN, then what
    `pg_config --bindir` says, then every version Debian installs (/usr/lib/postgresql/N/bin,
    newest first), then the PATH (other systems put them there)."""
    candidates: list[Path] = []
    if os.environ.get("BPJS_FIELD_PG_BIN"):
        candidates.append(Path(os.environ["BPJS_FIELD_PG_BIN"]))
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True)
    for tool in ("initdb", "pg_ctl"):
        found = shutil.which(tool)
        if found:
            candidates.append(Path(found).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


class PgCluster:
    def __init__(self, base: Path, *, durable: bool = False, bin_dir: Path | None = None) -> None:
        self.durable = durable  # fsync on (benchmarks); tests run with fsync=off
        self.dir = base / "pgdata"
        self.port = free_port()
        self.sock = base
        self.bin = bin_dir or find_pg_bin()

    @staticmethod
    def unavailable() -> str | None:
        """What is missing to start a cluster here (None when nothing is)."""
        if find_pg_bin() is None:
            return "PostgreSQL (initdb, pg_ctl)"
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            return "runuser (util-linux)"
        return None

    @staticmethod
    def available() -> bool:
        return PgCluster.unavailable() is None

    @staticmethod
    def _as_owner() -> list[str]:
        # initdb refuses to run as root: as root the cluster belongs to `postgres`.
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start(self) -> "PgCluster":
        assert self.bin is not None, "no PostgreSQL binaries found"
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")
        run = self._as_owner()
        subprocess.run([*run, str(self.bin / "initdb"), "-D", str(self.dir), "-A", "trust", "-U",
                        "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True)
        subprocess.run([*run, str(self.bin / "pg_ctl"), "-D", str(self.dir), "-l",
                        str(self.dir / "log"), "-o",
                        f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                        f"{'' if self.durable else '-c fsync=off '}-c max_connections=200",
                        "-w", "start"],
                       check=True, capture_output=True)
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, template: str | None = None) -> str:
        import psycopg
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self._as_owner(), str(self.bin / "pg_ctl"), "-D", str(self.dir), "-m",
                        "immediate", "stop"], capture_output=True)


BACKENDS = ("sqlite", "postgresql")


def empty_database_url(request, folder: Path) -> str:
    """A new, empty branch database for the backend a fixture is parametrised with
    (`params=BACKENDS`): a SQLite file in `folder`, or a database in the session's cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'branch.sqlite3'}"
    return request.getfixturevalue("pg_cluster").new_database()


def setup_database(url: str, *officers: tuple[str, str]) -> None:
    """Migrate and add officers (employee number, role) with PASSWORD."""
    db = ServerDatabase(url)
    try:
        migrate(db)
        for number, role in officers:
            add_officer(db, employee_no=number, full_name=f"Petugas {number}",
                        branch="Kantor Cabang Bekasi Cikarang", role=role, password=PASSWORD)
    finally:
        db.close()


def server_rows(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of a query on the branch database at `url` (opened and closed for it)."""
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return list(tx.rows(sql, params))
    finally:
        db.close()


def put_server_doc(url: str, entity: str, data: dict, *, ident: str | None = None,
                   merged_into: str | None = None) -> None:
    """A row written into the branch database at `url` past every rule (damaged or old data,
    as a test needs it), at the next revision."""
    db = ServerDatabase(url)
    try:
        with db.write() as tx:
            rev = tx.lock_revisions() + 1
            tx.execute("INSERT INTO docs(entity, id, rev, ident, merged_into, deleted, data, meta) "
                       "VALUES (?, ?, ?, ?, ?, 0, ?, '{}')",
                       (entity, data["id"], rev, ident, merged_into, json.dumps(data)))
            tx.store_revision(rev)
    finally:
        db.close()


# -- laptops -----------------------------------------------------------------------------
def make_nik(i: int, female: bool = False) -> tuple[str, date]:
    """A structurally valid NIK (Kec. Cikarang Utara) and its birth date, unique per i."""
    born = date(1970, 1, 1) + timedelta(days=i % 9000)
    serial = 1 + i // 9000
    day = born.day + (40 if female else 0)
    return f"321609{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}", born


GIVEN = ("Siti", "Budi", "Dewi", "Agus", "Rina", "Joko", "Wati", "Eko", "Sri", "Bambang", "Tuti",
         "Hadi", "Lestari", "Yanto", "Ani", "Rudi", "Nur", "Dedi", "Ratna", "Slamet")
FAMILY = ("Rahmawati", "Santoso", "Lestari", "Wijaya", "Hidayat", "Kusuma", "Saputra", "Purnama",
          "Nugroho", "Setiawan", "Handayani", "Susanto", "Maharani", "Gunawan", "Prasetyo")


def person_name(i: int) -> str:
    """A distinct letters-only name per i (names may not hold digits)."""
    letters, n = "", i
    while True:
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if n == 0:
            break
    return f"{GIVEN[i % len(GIVEN)]} {FAMILY[i % len(FAMILY)]} {letters.capitalize()}"


def person_input(i: int, name: str | None = None) -> PersonInput:
    female = i % 2 == 1
    nik, born = make_nik(i, female)
    return PersonInput(full_name=name or person_name(i), nik=nik, birth_date=born,
                       sex="P" if female else "L", phone=f"0812{i:08d}"[:13],
                       district_code="321609")


def full_people_forms(event_id: str | None) -> list[RegistrationInput]:
    """A BPU participant and a foreign worker (TKA, by passport) with every personal field
    filled with a distinctive value, so a check of "every personal field" is a real one."""
    bpu = PersonInput(full_name="Ratna Kusumawardani", nik="3216095208880007",
                      birth_date=date(1988, 8, 12), sex="P", birth_place="Tasikmalaya",
                      phone="0813-7777-4321", email="ratna.kusuma@contoh.id",
                      address="Jl. Kenanga Raya 17 RT 03 RW 05", district_code="321609",
                      village_code="3216092003", postal_code="17534", occupation="pedagang",
                      mother_name="Sumiati Wirahadikusuma", kk_no="3216090808880012",
                      heir_name="Dimas Kusumawardani", heir_relation="anak")
    tka = PersonInput(full_name="Zhang Wei Lin", passport_no="E98765432", nationality="CN",
                      kitas_no="2C11CD5678", kitas_expiry=today_wib() + timedelta(days=500),
                      birth_date=date(1985, 3, 4), sex="L", birth_place="Guangzhou",
                      phone="0821-5555-6789", email="zhang.weilin@contoh.cn",
                      address="Apartemen Lippo Cikarang Tower B 1208", district_code="321609",
                      village_code="3216092001", postal_code="17530", occupation="Manajer Produksi",
                      heir_name="Li Mei Lin", heir_relation="pasangan")
    return [
        RegistrationInput(segment="bpu", person=bpu, consent_given=True, consent_version="2026-01",
                          event_id=event_id, declared_income=1_500_000, months_paid=1),
        RegistrationInput(segment="tka", person=tka, consent_given=True, consent_version="2026-01",
                          event_id=event_id, wage=25_000_000, risk_class=2,
                          employer_name="PT Sinar Cikarang Industri", employer_scale="besar"),
    ]


EVENT_ID = "00000000-0000-4000-8000-00000000e001"


class Laptop:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = Store.open(path)
        self.http = new_http_client(read_timeout=5.0)

    def close(self) -> None:
        self.http.close()
        self.store.close()

    def enroll(self, server_url: str, employee_no: str) -> dict:
        result = enroll(self.store, self.http, server_url, employee_no, PASSWORD)
        self.store.remember_officer(result["officer"]["id"])
        return result

    def event(self, event_id: str = EVENT_ID) -> dict:
        existing = self.store.events.get(event_id)
        if existing:
            return existing
        return self.store.events.create({
            "id": event_id, "kind": "senam_bersama", "title": "Senam Sehat Cikarang Utara",
            "starts_at": "2026-11-22T06:30:00+07:00", "venue": "Lapangan Desa Karangasih",
            "district_code": "321609", "targets": {"bpu": 150}})

    def register(self, i: int, *, event_id: str | None = EVENT_ID, check_in: bool = False,
                 name: str | None = None):
        form = RegistrationInput(segment="bpu", person=person_input(i, name), consent_given=True,
                                 consent_version="2026-01", event_id=event_id,
                                 declared_income=1_000_000, occupation=None)
        return self.store.registrations.register(form, check_in=check_in)

    def register_many(self, numbers, **kw) -> None:
        # One outer transaction (savepoints inside) so 1,000 registrations take one fsync.
        with self.store.write():
            for i in numbers:
                self.register(i, **kw)

    def sync(self, server_url: str | None = None, *, http: httpx.Client | None = None, **kw):
        return SyncEngine(self.store, http or self.http, server_url=server_url, **kw).run()


class FaultProxy:
    """TCP proxy on 127.0.0.1 with a switchable fault mode:
    None (pass through), "drop_response" (forward the request, let the server commit,
    close without answering), "http500", "http503", "hang" (accept, never answer),
    "truncate" (send half the server's answer and close), "truncate_json" (a complete
    HTTP answer whose JSON is cut short), "garbage" (a 200 with a non-JSON body)."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.port = free_port()
        self.mode: str | None = None
        self.times = 0  # how many connections the fault applies to (0 = all)
        self.hits = 0
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(50)
        self._stop = False
        self._threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str | None, times: int = 0) -> None:
        self.mode, self.times, self.hits = mode, times, 0

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            t = threading.Thread(target=self._handle, args=(client,), daemon=True)
            t.start()

    @staticmethod
    def _read_message(sock: socket.socket, default_length: int | None) -> bytes:
        """One HTTP message: the head, then as much body as Content-Length says (when it is
        missing: `default_length`, or none at all for None)."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = default_length
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        while length is not None and len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    @classmethod
    def _read_request(cls, sock: socket.socket) -> bytes:
        return cls._read_message(sock, 0)

    @classmethod
    def _read_response(cls, sock: socket.socket) -> bytes:
        return cls._read_message(sock, None)

    def _fault(self) -> str | None:
        if self.mode is None:
            return None
        if self.times and self.hits >= self.times:
            return None
        self.hits += 1
        return self.mode

    def _handle(self, client: socket.socket) -> None:
        upstream = None
        try:
            while True:  # keep-alive: one request/response at a time
                request = self._read_request(client)
                if not request:
                    return
                mode = self._fault()
                if mode == "hang":
                    time.sleep(30)
                    return
                if mode in ("http500", "http503"):
                    status = b"500 Internal Server Error" if mode == "http500" else b"503 Service Unavailable"
                    body = b'{"error":{"code":"down","message":"down"}}'
                    client.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                    continue
                if mode == "garbage":
                    body = b"<html>captive portal</html>"
                    client.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                    continue
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.target))
                upstream.sendall(request)
                response = self._read_response(upstream)
                if mode == "drop_response":
                    return  # the server has committed; the laptop never hears of it
                if mode == "truncate_json":
                    # A complete HTTP message whose JSON body was cut short.
                    head, _, body = response.partition(b"\r\n\r\n")
                    cut = body[: max(1, len(body) // 2)]
                    lines = [ln for ln in head.split(b"\r\n")
                             if not ln.lower().startswith(b"content-length:")]
                    client.sendall(b"\r\n".join(lines) + b"\r\nContent-Length: "
                                   + str(len(cut)).encode() + b"\r\n\r\n" + cut)
                    continue
                if mode == "truncate":
                    head, _, body = response.partition(b"\r\n\r\n")
                    client.sendall(head + b"\r\n\r\n" + body[: max(1, len(body) // 2)])
                    return
                client.sendall(response)
        except OSError:
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()

    def close(self) -> None:
        self._stop = True
        self._sock.close()


EXE = Path(sys.executable).parent / "bpjs-field"


def record_prints(store, count: int) -> None:
    """`count` receipts printed on this laptop, 1 to 3 copies each: a batch of changes that
    holds no one's data (a hand-carried file larger than the branch's lookups of 900)."""
    with store.write():
        for i in range(count):
            print_id = new_id()
            store.record_change("print", print_id, {
                "id": print_id, "at": "2026-11-22T01:00:00Z", "document": "receipt.a4",
                "copies": 1 + i % 3})


def run_cli(*args: str, stdin: str = "", db: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real `bpjs-field` program (or `python -m bpjs_field` without the installed script)."""
    command = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "bpjs_field"]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run([*command, *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60)


PHONE_A, PHONE_B = "0857-1111-2222", "0857-3333-4444"
E164_A, E164_B = "+6285711112222", "+6285733334444"


def phone_conflict(laptops, server_url: str, number: int, supervisor_url: str | None = None):
    """Laptops A and B (supervisors', as editing a person is) edit the same phone offline;
    B's later edit wins, A's loses.
    Returns (a, b, s, person_id) with the supervisor's laptop S synced."""
    a, b, s = laptops(3)
    a.enroll(server_url, "KC-0421")
    b.enroll(server_url, "KC-0422")
    s.enroll(supervisor_url or server_url, "SPV-01")
    a.event()
    person_id = a.register(number).person["id"]
    a.sync()
    b.sync()
    a.store.people.update(person_id, {"phone": PHONE_A})
    # B's clock runs 10 minutes fast (its next sync corrects it): its edit wins, and the
    # supervisor's edit must still beat it however the supervisor's own clock stands.
    b.store.clock.offset_ms = 10 * 60 * 1000
    b.store.people.update(person_id, {"phone": PHONE_B})
    b.sync()
    a.sync()
    s.sync()
    return a, b, s, person_id


def at_event(laptops: list["Laptop"], server_url: str,
             employee_nos: tuple[str, ...] = ("KC-0421", "KC-0422", "KC-0423")) -> list["Laptop"]:
    """The laptops enrolled as the given officers in turn, the test event made on the first
    and every laptop synced once (the event on each, each laptop's key known at the branch)."""
    for laptop, employee_no in zip(laptops, employee_nos, strict=False):
        laptop.enroll(server_url, employee_no)
    laptops[0].event()
    for laptop in laptops:
        laptop.sync()
    return laptops


def laptop_factory(folder: Path):
    """Body of the `laptops` fixture: `make(n)` opens n new laptop stores, all closed at the end."""
    made: list[Laptop] = []

    def make(n: int = 1) -> list[Laptop]:
        for _ in range(n):
            made.append(Laptop(folder / f"laptop{len(made) + 1}.sqlite3"))
        return made[-n:]

    yield make
    for laptop in made:
        laptop.close()
