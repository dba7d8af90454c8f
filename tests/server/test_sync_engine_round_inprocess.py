"""A sync round as the laptop records it, against the real branch server run in this process
(see test_push_inprocess.py): the laptop clock's offset from the server's, the success, the
error and the audit entry a round leaves, and how often the branch's reference data is asked
for."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import httpx
import pytest

from bpjs_field.domain import reference
from bpjs_field.domain.codes import make_code
from bpjs_field.domain.entities import ERASED_NAME
from bpjs_field.protocol import CLOCK_SKEW_WARN_MS
from bpjs_field.server.accounts import revoke_device
from bpjs_field.server.db import ServerDatabase
from bpjs_field.store.hlc import parse_hlc
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.engine import CLOCK_OFFSET, TOKEN, SyncEngine, SyncLock, SyncResult
from harness import server_rows
from test_push_inprocess import (URL, app_client, inprocess_laptops, record,  # noqa: F401
                                 run_sync, tampered)


class ServerClock(httpx.BaseTransport):
    """The real server's answers with its time (`X-Server-Time`) moved by `shift_ms`, as a
    laptop whose own clock is off by minus that much sees them; the paths asked for are noted."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.shift_ms = 0
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.paths.append(request.url.path.rsplit("/", 1)[-1])
        stamp = response.headers.get("x-server-time")
        if stamp:
            moved = datetime.fromisoformat(stamp) + timedelta(milliseconds=self.shift_ms)
            response.headers["x-server-time"] = moved.isoformat(timespec="milliseconds")
        return response


@pytest.fixture
def clocked(app_client):
    transport = ServerClock(app_client._transport)
    with httpx.Client(transport=transport, base_url=URL) as http:
        yield transport, http


def test_a_laptop_clock_off_by_minutes_is_noted_and_its_later_edits_follow_the_server(
        inprocess_laptops, clocked):
    transport, http = clocked
    laptop, = inprocess_laptops(1)
    transport.shift_ms = 10 * 60 * 1000  # the laptop's clock is 10 minutes slow
    first = SyncEngine(laptop.store, http).run()
    assert first.clock_skewed and abs(first.clock_offset_ms - transport.shift_ms) < 1000
    assert laptop.store.get_setting(CLOCK_OFFSET) == first.clock_offset_ms
    assert laptop.store.clock.offset_ms == first.clock_offset_ms
    laptop.register(5100, event_id=None)  # stamped in the server's time, not the laptop's
    hlc = laptop.store.scalar("SELECT max(hlc) FROM change_log")
    assert parse_hlc(hlc)[0] >= time.time() * 1000 + 9 * 60 * 1000

    # The next estimate differs by a few ms: the stored offset stays as it was.
    second = SyncEngine(laptop.store, http).run()
    assert abs(second.clock_offset_ms - first.clock_offset_ms) < 1000
    assert laptop.store.get_setting(CLOCK_OFFSET) == first.clock_offset_ms
    # Moved by 5 s: stored.
    transport.shift_ms += 5000
    third = SyncEngine(laptop.store, http).run()
    assert laptop.store.get_setting(CLOCK_OFFSET) == third.clock_offset_ms
    assert abs(third.clock_offset_ms - first.clock_offset_ms - 5000) < 1000

    # About a second off: no warning, and the laptop keeps its own time for its edits.
    transport.shift_ms = 1000
    near = SyncEngine(laptop.store, http).run()
    assert not near.clock_skewed and 0 < near.clock_offset_ms < 2000
    assert laptop.store.get_setting(CLOCK_OFFSET) == near.clock_offset_ms
    assert laptop.store.clock.offset_ms == 0


def test_a_failed_round_still_notes_the_clock(inprocess_laptops, app_client):
    """The server answered (with its time) before the round failed: the offset is kept."""
    laptop, = inprocess_laptops(1)
    laptop.register(5110, event_id=None)

    def edit(body, request):
        body["received"] += 1

    transport = ServerClock(tampered(app_client, "/push", 1, edit)._transport)
    transport.shift_ms = -20 * 60 * 1000  # the laptop's clock is 20 minutes fast
    with httpx.Client(transport=transport, base_url=URL) as http, \
            pytest.raises(SyncError) as failed:
        SyncEngine(laptop.store, http).run()
    assert failed.value.code == "sync.bad_response"
    offset = laptop.store.get_setting(CLOCK_OFFSET)
    assert abs(offset - transport.shift_ms) < 1000 and laptop.store.clock.offset_ms == offset


def _done(laptop) -> list[dict]:
    return [json.loads(r["details"]) for r in laptop.store.query(
        "SELECT details FROM audit_log WHERE action = 'sync.done' ORDER BY id")]


@pytest.mark.parametrize("moved", ["pulled", "duplicates", "quarantined", "refused"])
def test_a_round_that_moved_anything_is_audited_and_an_idle_one_is_not(inprocess_laptops, moved):
    a, b = inprocess_laptops(2)
    a.event()
    a.register(5120)
    a.sync()
    b.register(5125, event_id=None)
    b.sync()
    b.sync()  # idle: nothing moved, no entry
    before = _done(b)
    assert b.sync().finished_at and _done(b) == before
    if moved == "pulled":
        a.register(5121)
        a.sync()
    elif moved == "duplicates":
        with b.store.write():
            b.store.db.execute("UPDATE change_log SET sent_at = NULL")
    elif moved == "quarantined":
        record(b, "registration", {"person_id": "no-such-person", "segment": "bpu",
                                   "code": make_code("ZZ9Z", 1), "declared_income": 1_000_000,
                                   "created_at": "2026-11-22T00:00:00Z"})
    else:
        record(b, "person", {"phone": ["0812"]})
    result = b.sync()
    assert getattr(result, moved) >= 1
    assert _done(b) == before + [{"pushed": result.pushed, "pulled": result.pulled,
                                  "merged": result.merged}]


def test_a_good_round_clears_the_last_error_and_notes_its_success(inprocess_laptops,
                                                                   app_client):
    laptop, = inprocess_laptops(1)
    laptop.register(5130, event_id=None)
    with tampered(app_client, "/push", 1, lambda body, request: body.update(last_seq=0)) as http, \
            pytest.raises(SyncError):
        run_sync(laptop.store, http)
    error = laptop.store.get_setting("sync.last_error")
    assert error["code"] == "sync.bad_response" and error["at"]
    assert laptop.store.get_setting("sync.last_success_at") is None
    result = laptop.sync()
    assert laptop.store.get_setting("sync.last_error") is None
    assert laptop.store.get_setting("sync.last_success_at") == result.finished_at
    finished = datetime.fromisoformat(result.finished_at)
    assert abs((datetime.now(finished.tzinfo) - finished).total_seconds()) < 60


def test_the_branch_reference_data_is_asked_for_once_in_a_while(inprocess_laptops, clocked):
    """Each laptop asks at its first round and keeps and uses what the branch sent; its
    next rounds (within REFERENCE_EVERY) do not ask again."""
    transport, http = clocked
    files = reference.server_files()
    for laptop in inprocess_laptops(2):
        assert SyncEngine(laptop.store, http).run().reference_updated is True
        assert laptop.store.get_setting(reference.SETTING) == files
        assert laptop.store.get_setting(reference.VERSION_SETTING) == reference.version_of(files)
        for _ in range(2):
            assert SyncEngine(laptop.store, http).run().reference_updated is False
    assert transport.paths.count("reference") == 2


def _idle_after_failure(engine) -> SyncError:
    with pytest.raises(SyncError) as failed:
        engine.run()
    assert engine.progress.phase == "idle"
    return failed.value


def test_a_round_that_cannot_start_or_fails_leaves_the_sync_page_idle(inprocess_laptops,
                                                                      app_client):
    """Another round holding this laptop's lock: busy, nothing sent.  A round failing
    half-way, or one without a device token: the page back to idle, the reason stored."""
    laptop, = inprocess_laptops(1)
    laptop.register(5140, event_id=None)
    pending = laptop.store.pending_changes()
    with SyncLock(laptop.store, "sync"):
        assert _idle_after_failure(SyncEngine(laptop.store, app_client)).code == "sync.busy"
    assert laptop.store.pending_changes() == pending
    with tampered(app_client, "/push", 1, lambda body, request: body.update(last_seq=0)) as http:
        assert _idle_after_failure(SyncEngine(laptop.store, http)).code == "sync.bad_response"
    with laptop.store.write():
        laptop.store.set_setting(TOKEN, None)
    assert _idle_after_failure(SyncEngine(laptop.store, app_client)).code == "sync.not_enrolled"
    error = laptop.store.get_setting("sync.last_error")
    assert (error["code"], error["params"]) == ("sync.not_enrolled", {"detail": ""})
    assert laptop.store.pending_changes() == pending


def _people(laptop) -> dict[str, tuple]:
    return {r["id"]: (r["full_name"], r["nik"]) for r in laptop.store.query(
        "SELECT id, full_name, nik FROM people")}


def test_a_revoked_laptop_keeps_only_what_it_has_not_sent(database_url, app_client,
                                                           inprocess_laptops):
    """A round that fails for any other reason wipes nothing; a revoked laptop's round wipes
    the personal data the branch already holds and keeps what it has not sent."""
    laptop, = inprocess_laptops(1)
    sent = laptop.register(5160, event_id=None).person["id"]
    laptop.sync()
    unsent = laptop.register(5161, event_id=None).person["id"]
    before = _people(laptop)
    assert all(nik for _, nik in before.values())
    with tampered(app_client, "/push", 1, lambda body, request: body.update(last_seq=0)) as http, \
            pytest.raises(SyncError):
        run_sync(laptop.store, http)
    assert _people(laptop) == before
    db = ServerDatabase(database_url)
    try:
        assert revoke_device(db, laptop.store.device_id)
    finally:
        db.close()
    with pytest.raises(SyncError) as revoked:
        laptop.sync()
    assert revoked.value.code == "sync.revoked"
    after = _people(laptop)
    assert after[sent] == (ERASED_NAME, None) and after[unsent] == before[unsent]


def counting_audit():
    """A request hook and the list it fills: the local ids of each audit upload."""
    sent: list[list[int]] = []

    def count(request):
        if request.url.path.endswith("/audit"):
            sent.append([e["local_id"] for e in json.loads(request.read())["entries"]])
    return sent, count


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def test_the_audit_log_reaches_the_branch_whole_in_batches_each_entry_once(
        database_url, app_client, inprocess_laptops):
    """Every field of every entry, from the first, in batches of the engine's size, counted;
    the next round sends only what was written since (the last round's own entry)."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    laptop.register_many(range(5170, 5173))
    local = ("SELECT id, at, officer_id, action, entity, entity_id, details FROM audit_log "
             "WHERE id > ? AND id <= ? ORDER BY id")
    branch = ("SELECT local_id, at, officer_id, action, entity, entity_id, details FROM audit "
              "WHERE device_id = ? ORDER BY local_id")
    sent, count = counting_audit()
    held = 0
    with httpx.Client(transport=app_client._transport, base_url=URL,
                      event_hooks={"request": [count]}) as http:
        for round_ in range(2):
            sent.clear()
            result = SyncEngine(laptop.store, http, batch_changes=2).run()
            cursor = laptop.store.get_setting("sync.audit_cursor")
            rows = [tuple(r) for r in laptop.store.db.execute(local, (held, cursor))]
            ids = [r[0] for r in rows]
            if round_ == 0:  # from the log's first entry
                assert ids[0] == 1 and len(ids) >= 5 and all(r[4] and r[5] for r in rows)
            assert sent == _chunks(ids, 2) and result.audit_sent == len(ids)
            assert [tuple(r) for r in server_rows(database_url, branch, (laptop.store.device_id,))
                    ] == [tuple(r) for r in laptop.store.db.execute(local, (0, cursor))]
            if round_ == 0:  # the round's own entry, sent by the next round
                assert laptop.store.scalar("SELECT max(id) FROM audit_log") > cursor
            else:
                assert rows[-1][3] == "sync.done"
            held = cursor


@pytest.mark.parametrize("offset,stored,kept,follows,skewed", [
    (2000, 0, 2000, False, False),  # 2 s off and moved 2 s: stored, the edits keep their time
    (2001, 1002, 1002, True, False),  # moved less than a second: not stored; past 2 s: followed
    (-2001, -1001, -2001, True, False),  # moved a second exactly: stored
    (CLOCK_SKEW_WARN_MS, 0, CLOCK_SKEW_WARN_MS, True, False),  # the warning is past that
    (-CLOCK_SKEW_WARN_MS - 1, 0, -CLOCK_SKEW_WARN_MS - 1, True, True),
])
def test_the_clock_offsets_thresholds_to_the_millisecond(inprocess_laptops, app_client, offset,
                                                         stored, kept, follows, skewed):
    """What a round does with the offset its client measured (`SyncClient.clock_offset_ms`,
    set here to the millisecond: a real estimate jitters by a few)."""
    laptop, = inprocess_laptops(1)
    with laptop.store.write():
        laptop.store.set_setting(CLOCK_OFFSET, stored)
    engine = SyncEngine(laptop.store, app_client)
    client = engine.client()
    client.clock_offset_ms = offset
    result = SyncResult()
    engine._note_clock(client, result)
    assert (result.clock_offset_ms, result.clock_skewed) == (offset, skewed)
    assert laptop.store.get_setting(CLOCK_OFFSET) == kept
    assert laptop.store.clock.offset_ms == (offset if follows else 0)
