"""Faults with real server processes: killed mid-push, lost responses, 5xx, hangs,
malformed and truncated answers.  Afterwards every change is on the server exactly once."""

from __future__ import annotations

import threading
import time

import pytest

from bpjs_field.server.db import ServerDatabase
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.digest import laptop_digest
from bpjs_field.sync.engine import SyncEngine, new_http_client
from harness import FaultProxy, ServerProcess


def _scalar(url: str, sql: str, params=()):
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return tx.scalar(sql, params)
    finally:
        db.close()


def _server_digest(url: str) -> dict:
    from bpjs_field.server.pull import server_digest
    db = ServerDatabase(url)
    try:
        return server_digest(db)
    finally:
        db.close()


def _exactly_once(url: str, laptop) -> None:
    ids = [r[0] for r in laptop.store.db.execute("SELECT change_id FROM change_log")]
    assert laptop.store.pending_changes() == 0
    applied = _scalar(url, "SELECT count(*) FROM applied_changes WHERE device_id = ?",
                      (laptop.store.device_id,))
    assert applied == len(ids)
    regs = laptop.store.scalar("SELECT count(*) FROM registrations")
    assert _scalar(url, "SELECT count(*) FROM docs WHERE entity = 'registration'") == regs


def test_server_killed_mid_push_then_restarted(database_url, laptops):
    # Each push transaction waits 0.3 s before committing, so the kill lands inside one.
    server = ServerProcess(database_url, env={"BPJS_FIELD_TEST_SLOW_PUSH": "0.3"}).start()
    try:
        (laptop,) = laptops(1)
        laptop.enroll(server.url, "KC-0421")
        laptop.event()
        laptop.register_many(range(300), check_in=True)
        total = laptop.store.pending_changes()
        errors: list[BaseException] = []

        def run() -> None:
            try:
                laptop_sync = SyncEngine(laptop.store, laptop.http, batch_changes=100)
                laptop_sync.run()
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 20
        while _scalar(database_url, "SELECT count(*) FROM applied_changes") < 100:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.1)  # inside the next batch's transaction
        server.kill()
        worker.join(20)
        assert errors and isinstance(errors[0], SyncError)
        assert errors[0].code in ("sync.connection_lost", "sync.unreachable")
        sent = total - laptop.store.pending_changes()
        on_server = _scalar(database_url, "SELECT count(*) FROM applied_changes")
        assert 0 < sent <= on_server < total  # what the laptop saw acknowledged is there
        with pytest.raises(SyncError) as down:
            laptop.sync()
        assert down.value.code == "sync.unreachable" and down.value.retryable
        server.start()
        result = laptop.sync()
        assert result.duplicates == on_server - sent
        _exactly_once(database_url, laptop)
        assert _server_digest(database_url) == laptop_digest(laptop.store)
    finally:
        server.kill()
        server.stop()


def test_response_lost_after_commit_duplicates_nothing(server, database_url, laptops):
    proxy = FaultProxy(server.port)
    try:
        (laptop,) = laptops(1)
        laptop.enroll(proxy.url, "KC-0421")
        laptop.event()
        laptop.register_many(range(50), check_in=True)
        pending = laptop.store.pending_changes()
        proxy.set("drop_response", times=1)
        with pytest.raises(SyncError) as caught:
            laptop.sync()
        assert caught.value.code == "sync.connection_lost"
        # The server committed the batch; the laptop does not know and keeps it unsent.
        assert _scalar(database_url, "SELECT count(*) FROM applied_changes") == pending
        assert laptop.store.pending_changes() == pending
        proxy.set(None)
        result = laptop.sync()
        assert result.duplicates == pending and result.pushed == 0
        _exactly_once(database_url, laptop)
    finally:
        proxy.close()


FAULTS = [("http500", "sync.server_error"), ("http503", "sync.server_error"),
          ("hang", "sync.timeout"), ("garbage", "sync.portal"),
          ("truncate_json", "sync.bad_response"), ("truncate", "sync.connection_lost")]


@pytest.mark.parametrize("mode,code", FAULTS)
def test_faults_change_nothing_and_say_why(shared_server, laptops, mode, code):
    proxy = FaultProxy(shared_server.port)
    (laptop,) = laptops(1)
    http = new_http_client(read_timeout=1.0)
    try:
        laptop.enroll(proxy.url, "KC-0421")
        laptop.event()
        base = 8000 + 100 * FAULTS.index((mode, code))  # the module's server is shared
        laptop.register_many(range(base, base + 10))
        before = laptop_digest(laptop.store)
        state = (laptop.store.pending_changes(), laptop.store.get_setting("sync.cursor"))
        proxy.set(mode)
        with pytest.raises(SyncError) as caught:
            SyncEngine(laptop.store, http).run()
        assert caught.value.code == code
        assert caught.value.retryable
        assert caught.value.message() and caught.value.message("en")
        assert (laptop.store.pending_changes(), laptop.store.get_setting("sync.cursor")) == state
        assert laptop_digest(laptop.store) == before
        assert laptop.store.get_setting("sync.last_error")["code"] == code
        proxy.set(None)
        laptop.sync()
        assert laptop.store.pending_changes() == 0
        assert laptop.store.get_setting("sync.last_error") is None
        # Now only the pull meets the fault (nothing to push): no page is applied.
        others = laptops(1)[0]
        others.enroll(shared_server.url, "KC-0422")
        others.register_many(range(base + 50, base + 55), event_id=None)
        others.sync()
        before = laptop_digest(laptop.store)
        cursor = laptop.store.get_setting("sync.cursor")
        proxy.set(mode)
        with pytest.raises(SyncError) as again:
            SyncEngine(laptop.store, http).run()
        assert again.value.code == code
        assert laptop.store.get_setting("sync.cursor") == cursor
        assert laptop_digest(laptop.store) == before
        proxy.set(None)
        laptop.sync()
        assert laptop_digest(laptop.store)["people"] == before["people"] + 5
    finally:
        http.close()
        proxy.close()


def test_interrupted_pull_resumes_from_the_last_page(shared_server, shared_database_url, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    a.register_many(range(9000, 9150))
    a.sync()
    pages: list[int] = []
    cancel = threading.Event()

    def progress(p) -> None:
        if p.phase == "pull" and p.pulled:
            pages.append(p.pulled)
            if len(pages) == 2:
                cancel.set()

    with pytest.raises(SyncError) as caught:
        SyncEngine(b.store, b.http, page_size=50, cancel=cancel, on_progress=progress).run()
    assert caught.value.code == "sync.cancelled"
    cursor = b.store.get_setting("sync.cursor")
    assert cursor > 0
    assert b.store.scalar("SELECT count(*) FROM registrations") > 0
    result = SyncEngine(b.store, b.http, page_size=50).run()
    everything = _scalar(shared_database_url, "SELECT count(*) FROM docs")
    assert result.pulled <= everything - 100 + 10  # resumed after 2 pages, not restarted
    assert laptop_digest(b.store) == laptop_digest(a.store)
