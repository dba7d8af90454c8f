"""The laptop's side of a sync round, against the real branch server run in this process (see
test_push_inprocess.py) or a small real HTTP server on 127.0.0.1: what the officer and the
supervisor are told about refused changes (counts by reason, the audit log, the log file, the
progress bar), a retry on request, and the HTTP client's timeout and redirects."""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bpjs_field.sync.client import SyncError
from bpjs_field.sync.engine import (TOKEN, SyncEngine, new_http_client, refused_changes,
                                    retry_refused)
from harness import Laptop
from test_push_inprocess import app_client, inprocess_laptops, record  # noqa: F401 (fixtures)


def _parked(laptop) -> dict[str, tuple[int, str]]:
    """change id -> (seq, the server's reason) of the changes parked on the laptop."""
    return {r["change_id"]: (r["seq"], r["refused_reason"]) for r in laptop.store.query(
        "SELECT change_id, seq, refused_reason FROM change_log WHERE refused_at IS NOT NULL "
        "AND sent_at IS NULL")}


def test_refused_changes_are_counted_by_reason_audited_logged_and_retried(
        database_url, inprocess_laptops, caplog):
    laptop, = inprocess_laptops(1)
    laptop.event()
    people = [laptop.register(i).person["id"] for i in (4700, 4701)]
    laptop.sync()
    # Two changes refused for the same reason (a list where a phone number must be text), one
    # for another (an entity id with spaces), between good ones.
    bad_phone = [record(laptop, "person", {"phone": ["0812"]}, entity_id=p) for p in people]
    laptop.store.people.update(people[0], {"email": "satu@contoh.id"})
    bad_id = record(laptop, "person", {}, entity_id="no such id")
    to_send = laptop.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL")
    assert to_send == 4

    progress = []
    with caplog.at_level(logging.WARNING, logger="bpjs_field.sync.engine"):
        result = SyncEngine(laptop.store, laptop.http, on_progress=progress.append).run()
    assert (result.pushed, result.refused) == (1, 3)
    parked = _parked(laptop)
    assert set(parked) == {*bad_phone, bad_id}
    phone_reason, id_reason = parked[bad_phone[0]][1], parked[bad_id][1]
    assert parked[bad_phone[1]][1] == phone_reason != id_reason
    assert phone_reason.startswith("422 ") and "payload.phone" in phone_reason
    # What the sync page shows: how many changes wait, by the server's reason, most first.
    assert refused_changes(laptop.store) == [(phone_reason, 2), (id_reason, 1)]
    # The progress bar ends full: every change sent or parked counts once.
    pushing = [p for p in progress if p.phase == "push"]
    assert pushing[0].pushed == 0 and {p.to_push for p in pushing} == {to_send}
    assert [p.pushed for p in pushing][-1] == to_send
    assert all(a.pushed <= b.pushed for a, b in zip(pushing, pushing[1:]))
    # The audit log names each parked change by its place in the queue and the HTTP status
    # only (the change's ids may be what was refused, and the audit log goes to the branch).
    refusals = [json.loads(r["details"]) for r in laptop.store.query(
        "SELECT details FROM audit_log WHERE action = 'sync.refused' ORDER BY id")]
    assert sorted(d["seq"] for d in refusals) == sorted(seq for seq, _ in parked.values())
    assert {d["status"] for d in refusals} == {"422"}
    # The log says which change and why, never the refused value.
    logged = [r.getMessage() for r in caplog.records if r.name == "bpjs_field.sync.engine"]
    assert sorted(logged) == sorted(f"change {seq} refused by the server: {reason}"
                                    for seq, reason in parked.values())
    assert not any("0812" in line for line in logged)

    # A retry on request queues the three again, once, and says so in the audit log.
    assert retry_refused(laptop.store) == 3
    assert refused_changes(laptop.store) == []
    retries = [json.loads(r["details"]) for r in laptop.store.query(
        "SELECT details FROM audit_log WHERE action = 'sync.retry_refused'")]
    assert retries == [{"count": 3}]
    assert retry_refused(laptop.store) == 0  # nothing parked: nothing to note
    assert len(laptop.store.query("SELECT id FROM audit_log WHERE action = 'sync.retry_refused'")) == 1
    again = laptop.sync()
    assert (again.pushed, again.refused) == (0, 3)
    assert refused_changes(laptop.store) == [(phone_reason, 2), (id_reason, 1)]


class _Stub:
    """A real HTTP server on 127.0.0.1 that answers every request after `delay` seconds, with
    `status` (and `location` for a redirect); it records the paths asked for."""

    def __init__(self, status: int, delay: float = 0.0, location: str | None = None) -> None:
        self.paths: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                stub.paths.append(self.path)
                time.sleep(delay)
                body = b"<html><body>Login</body></html>"
                self.send_response(200 if self.path == "/login" else status)
                if location and self.path != "/login":
                    self.send_header("Location", location)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the laptop gave up waiting: what this server is for

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def laptop(tmp_path):
    made = Laptop(tmp_path / "laptop.sqlite3")
    with made.store.write():
        made.store.set_setting(TOKEN, "a-device-token")
    made.register(4800, event_id=None)  # something to send (a person and a registration)
    assert made.store.pending_changes() == 2
    yield made
    made.close()


def test_the_read_timeout_asked_for_is_the_one_kept(laptop):
    """A server slower than the read timeout is a timeout (retried later), not a wait for
    whatever the server answers in the end (here a 503 after 3 s, past a 1 s timeout)."""
    stub = _Stub(503, delay=3.0)
    http = new_http_client(read_timeout=1.0)
    try:
        with pytest.raises(SyncError) as err:
            SyncEngine(laptop.store, http, server_url=stub.url).run()
        assert err.value.code == "sync.timeout" and err.value.retryable
    finally:
        http.close()
        stub.close()
    assert laptop.store.pending_changes() == 2  # nothing marked sent


def test_a_redirect_is_not_followed(laptop):
    """A Wi-Fi login page redirects: the laptop reports it and never requests the page (the
    redirect target is not the server, and a POST must not be replayed to it)."""
    stub = _Stub(302, location="/login")
    http = new_http_client(read_timeout=5.0)
    try:
        with pytest.raises(SyncError) as err:
            SyncEngine(laptop.store, http, server_url=stub.url).run()
    finally:
        http.close()
        stub.close()
    assert err.value.code == "sync.portal"
    assert stub.paths and "/login" not in stub.paths
    assert laptop.store.pending_changes() == 2
