"""The event hub: the branch server's own app, run by one laptop for the laptops of an event.

`HubServer` runs `bpjs_field.server.app.create_app` (the same push, pull, merge, conflicts,
erasure and audit code as the branch) on a SQLCipher database next to the laptop's own,
keyed from the laptop's database key, behind TLS with the event's self-signed certificate,
on the one address the officer picked.  It adds three things (PROTOCOL.md, *Event hub*):

- `POST /v1/hub/join`: a laptop of the same branch, with an officer logged in and the join
  key of the code, gets a device token for this hub;
- the relay: every change pushed here is also kept as it came (`hub_relay`, in the push's
  own transaction), with its origin laptop's signature, and `GET /v1/hub/changes` hands
  them out, so every laptop of the event holds every change and whichever reaches the branch
  first delivers it (the branch applies each change id once);
- `GET /v1/hub/status`: the laptops joined, their last contact and pending changes, and the
  event totals, for the hub's screen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bpjs_field.errors import KnownError
from bpjs_field.store.store import utc_now
from bpjs_field.sync import hub_join

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

log = logging.getLogger(__name__)
SERVE_SETTING = "hub.serve"  # {host, port, key, tls_password}: in the laptop's encrypted settings
# {host, port, hub_id} while this laptop is the event's hub: the app, started again, serves
# again (until the officer stops the hub).  In the encrypted settings too.
SERVING_SETTING = "hub.serving"
ALL_INTERFACES = {"", "0.0.0.0", "::", "*"}
MAX_JOIN_FAILURES = 20  # wrong join keys before joins pause for a minute
RELAY_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS hub_relay (
        n INTEGER PRIMARY KEY AUTOINCREMENT, change_id TEXT NOT NULL UNIQUE,
        device_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
        person_id TEXT, envelope TEXT NOT NULL, received_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS hub_members (
        device_id TEXT PRIMARY KEY, officer_id TEXT NOT NULL, employee_no TEXT NOT NULL,
        device_name TEXT, joined_at TEXT NOT NULL, last_contact_at TEXT, pending INTEGER,
        carried INTEGER)""",
)


def hub_folder(store: "Store") -> Path:
    return Path(store.path).with_suffix(".hub")


def database_key(store: "Store") -> bytes | None:
    """The hub database's key: derived from the laptop's own (None for a plain database)."""
    if store.key is None:
        return None
    return hmac.new(store.key, b"bpjs-field event hub database", hashlib.sha256).digest()


def branch_of(store: "Store") -> tuple[str, str]:
    """(branch server id, branch name) this laptop is enrolled at; KnownError otherwise."""
    from bpjs_field.sync.engine import OFFICER, SERVER_ID, refuse_training
    refuse_training(store)  # a training database never serves or joins an event
    server_id = store.get_setting(SERVER_ID)
    officer = store.get_setting(OFFICER) or {}
    if not server_id:
        raise KnownError("hub.not_enrolled")
    return server_id, str(officer.get("branch") or "")


def serve_in_thread(config: Any, name: str, timeout: float = 20.0) -> tuple[Any, threading.Thread]:
    """uvicorn serving `config` in a daemon thread of this process, once it listens;
    KnownError("hub.cannot_listen") when it cannot (the port taken, the address gone)."""
    import uvicorn
    server = uvicorn.Server(config)

    def run() -> None:
        try:
            server.run()
        except SystemExit:  # uvicorn's own exit when it cannot listen: answered below
            log.info("%s could not listen on %s:%s", name, config.host, config.port)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise KnownError("hub.cannot_listen", address=f"{config.host}:{config.port}")
        time.sleep(0.02)
    return server, thread


class HubServer:
    """The hub of one event on this laptop.  `start()` serves in a thread of this process;
    `stop()` ends it (the database stays: started again, the hub carries on)."""

    def __init__(self, store: "Store", host: str, port: int = hub_join.DEFAULT_PORT) -> None:
        if host.strip() in ALL_INTERFACES:
            raise KnownError("hub.pick_address")
        if store.officer_id is None:
            raise KnownError("hub.not_logged_in")
        self.store = store
        self.host = host.strip()
        self.port = port
        self.branch_id, self.branch_name = branch_of(store)
        self.folder = hub_folder(store)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._settings = self._serve_settings()
        self.key = database_key(store)
        self.cert_path = self.folder / "event-cert.pem"
        self.key_path = self.folder / "event-key.pem"
        self._make_certificate()
        self.fingerprint = hub_join.fingerprint(self.cert_path.read_bytes())
        self._failures: list[float] = []
        self._server: Any = None
        self._announcement: Any = None
        self._thread: threading.Thread | None = None
        self.app = None
        self.hub_id: str | None = None

    # -- set-up ------------------------------------------------------------------------------
    def _serve_settings(self) -> dict[str, Any]:
        """The join key and the TLS key's password, kept across restarts of the same hub (so
        joined laptops carry on) in the laptop's encrypted settings."""
        current = self.store.get_setting(SERVE_SETTING) or {}
        if current.get("host") == self.host and current.get("port") == self.port and current.get("key"):
            return current
        fresh = {"host": self.host, "port": self.port, "key": hub_join.new_join_key(),
                 "tls_password": hub_join.new_join_key() + hub_join.new_join_key(), "new": True}
        with self.store.write():
            self.store.set_setting(SERVE_SETTING, {k: v for k, v in fresh.items() if k != "new"})
        return fresh

    def _make_certificate(self) -> None:
        if self._settings.get("new") or not (self.cert_path.exists() and self.key_path.exists()):
            from cryptography.hazmat.primitives import serialization
            cert, key_pem = hub_join.make_certificate(self.host)
            key = serialization.load_pem_private_key(key_pem, None)
            sealed = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.BestAvailableEncryption(
                                           self._settings["tls_password"].encode("ascii")))
            self.key_path.write_bytes(sealed)
            self.key_path.chmod(0o600)
            self.cert_path.write_bytes(cert)

    @property
    def join_code(self) -> str | None:
        return hub_join.join_code(self.host, self.port, self.fingerprint, self._settings["key"])

    @property
    def join_url(self) -> str:
        return hub_join.join_url(self.host, self.port, self.fingerprint, self._settings["key"])

    @property
    def url(self) -> str:
        return hub_join.JoinInfo(self.host, self.port, b"", "").url

    # -- the app -----------------------------------------------------------------------------
    def build_app(self) -> Any:
        from bpjs_field.server.app import create_app
        url = f"sqlite:///{(self.folder / 'hub.sqlite3').as_posix()}"
        self.app = create_app(url, key=self.key, on_push=_keep_for_relay, extend=self._routes)
        return self.app

    def _routes(self, app: Any, db: Any, hub_id: str) -> None:
        from bpjs_field.sync import hub_routes
        self.hub_id = hub_id
        with db.write() as tx:
            for sql in RELAY_SCHEMA:
                tx.execute(sql)
            if "carried" not in {r[1] for r in tx.rows("PRAGMA table_info(hub_members)")}:
                tx.execute("ALTER TABLE hub_members ADD COLUMN carried INTEGER")  # a hub of before
        hub_routes.add(app, db, self)
        from bpjs_field.selfreg import hub as selfreg
        selfreg.attach(self, app, db)

    # -- joining -----------------------------------------------------------------------------
    def check_join(self, body: dict[str, Any]) -> dict[str, Any]:
        """The officer's row if this laptop may join; KnownError with the refusal otherwise."""
        now = time.monotonic()
        self._failures = [t for t in self._failures if now - t < 60]
        if len(self._failures) >= MAX_JOIN_FAILURES:
            raise KnownError("hub.join_paused")
        if not hmac.compare_digest(str(body.get("key", "")).upper(), self._settings["key"]):
            self._failures.append(now)
            raise KnownError("hub.bad_key")
        if body.get("branch_server_id") != self.branch_id:
            raise KnownError("hub.other_branch")
        if not body.get("officer_id"):
            raise KnownError("hub.not_logged_in")
        officer = self._branch_officer(str(body["officer_id"]))
        if officer is None:
            raise KnownError("hub.unknown_officer")
        return officer

    def _branch_officer(self, officer_id: str) -> dict[str, Any] | None:
        """An active officer of this laptop's branch, read on a connection of its own (the
        hub's threads never share the officer's)."""
        from bpjs_field.store.events import read_officer
        row = read_officer(self.store.path, self.store.key, officer_id)
        if row is None or not row["active"] or (self.branch_name and row["branch"] != self.branch_name):
            return None
        return row

    def audit(self, action: str, **details: Any) -> None:
        """The hub's own actions go into this laptop's audit log (its own connection)."""
        from bpjs_field.store import Store
        store = Store.open(self.store.path, key=self.store.key, session=self.store.session)
        try:
            with store.write():
                store.audit(action, None, None, **details)
        finally:
            store.close()

    # -- running -----------------------------------------------------------------------------
    def start(self, timeout: float = 20.0) -> "HubServer":
        import uvicorn
        app = self.app or self.build_app()
        config = uvicorn.Config(app, host=self.host, port=self.port, log_level="warning",
                                access_log=False, ssl_certfile=str(self.cert_path),
                                ssl_keyfile=str(self.key_path),
                                ssl_keyfile_password=self._settings["tls_password"])
        self._server, self._thread = serve_in_thread(config, "bpjs-hub", timeout)
        self.audit("hub.start", address=f"{self.host}:{self.port}")
        with self.store.write():
            self.store.set_setting(SERVING_SETTING, {"host": self.host, "port": self.port,
                                                     "hub_id": self.hub_id})
        log.info("event hub on %s", self.url)
        self._announce()
        from bpjs_field.selfreg import hub as selfreg
        selfreg.start_phone(self)
        return self

    def _announce(self) -> None:
        """mDNS on the hub's own address (a network without multicast still joins by code)."""
        import socket
        from bpjs_field.sync.engine import OFFICER
        try:
            from bpjs_field.sync.hub_discovery import Announcement
            officer = (self.store.get_setting(OFFICER) or {}).get("employee_no", "")
            self._announcement = Announcement(self.host, self.port, socket.gethostname(),
                                              officer, self.branch_id)
        except Exception:  # noqa: BLE001 - discovery is a convenience, the code always works
            log.warning("the hub could not be announced on the network", exc_info=True)

    def stop(self, *, for_good: bool = True) -> None:
        """Stop serving.  `for_good` (the officer stopped the hub): the app, started again,
        does not serve again; otherwise (the app is closing) it does."""
        if for_good and self._server is not None:
            with self.store.write():
                self.store.set_setting(SERVING_SETTING, None)
        from bpjs_field.selfreg import hub as selfreg
        selfreg.stop_phone(self)
        if self._announcement is not None:
            try:
                self._announcement.close()
            except Exception:  # noqa: BLE001
                log.warning("withdrawing the announcement failed", exc_info=True)
            self._announcement = None
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def status(self) -> dict[str, Any]:
        from bpjs_field.sync.hub_routes import hub_status
        return hub_status(self.app.state.db)


def to_resume(store: "Store") -> dict[str, Any] | None:
    """Where this laptop served as the event's hub when the app was closed ({host, port}),
    or None: it was not the hub, the officer stopped it, or the laptop has since joined
    another laptop's hub."""
    from bpjs_field.sync.hub_engine import HUB_ID
    serving = store.get_setting(SERVING_SETTING)
    if not isinstance(serving, dict) or not serving.get("host"):
        return None
    joined_id = store.get_setting(HUB_ID)
    if joined_id and serving.get("hub_id") and joined_id != serving["hub_id"]:
        return None
    return {"host": str(serving["host"]), "port": int(serving.get("port") or hub_join.DEFAULT_PORT)}


def _keep_for_relay(tx: Any, device_id: str, changes: list[Any]) -> None:
    """Every pushed change, as it came, in the push's transaction (duplicates kept once).
    An erasure drops what the relay holds of the person: the laptops that made those
    changes deliver them to the branch themselves (as for a USB file, handcarry.py)."""
    now = utc_now()
    rows, erased = [], []
    for c in changes:
        person = c.entity_id if c.entity == "person" else c.payload.get("person_id")
        rows.append((c.change_id, device_id, c.entity, c.entity_id,
                     person if isinstance(person, str) else None,
                     json.dumps(c.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
                                separators=(",", ":")), now))
        if c.entity == "person" and c.op == "upsert" and c.payload.get("erased_at"):
            erased.append((c.entity_id, c.change_id))
    tx.executemany("INSERT INTO hub_relay(change_id, device_id, entity, entity_id, person_id, "
                   "envelope, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (change_id) DO NOTHING", rows)
    for person_id, change_id in erased:
        tx.execute("DELETE FROM hub_relay WHERE person_id = ? AND change_id <> ? AND (entity = 'person' "
                   "OR (entity = 'registration' AND coalesce(json_extract(envelope, '$.payload.occupation'), "
                   "json_extract(envelope, '$.payload.employer_name'), "
                   "json_extract(envelope, '$.payload.declared_income'), "
                   "json_extract(envelope, '$.payload.wage')) IS NOT NULL))", (person_id, change_id))
