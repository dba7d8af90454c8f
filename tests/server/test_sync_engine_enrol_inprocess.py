"""Enrolment and the engine's edges, against the real branch server run in this process (see
test_push_inprocess.py): what enrolment stores and sends, its renewal with the same server, a
move to another server, a device tag the branch saw on another laptop; a training database
that never enrols or syncs; a laptop not enrolled; one sync at a time per database and per
target; a cancelled round; the last error as stored."""

from __future__ import annotations

import json
import socket
import threading
import warnings

import pytest

with warnings.catch_warnings():  # Starlette's note that httpx2 is coming; httpx is pinned here
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from bpjs_field.demo import mark_training
from bpjs_field.domain.codes import make_code
from bpjs_field.server.app import create_app
from bpjs_field.store import Store
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.engine import (CLOCK_OFFSET, CURSOR, LAST_ERROR, LAST_SUCCESS, OFFICER,
                                    SERVER_ID, SERVER_URL, TOKEN, SyncEngine, SyncLock, enroll,
                                    new_http_client, sync_settings)
from harness import PASSWORD, Laptop, server_rows, setup_database
from test_push_inprocess import URL, app_client, inprocess_laptops  # noqa: F401 (fixtures)


def _audit(laptop, action: str) -> list[tuple]:
    return [(r["entity"], r["entity_id"], json.loads(r["details"])) for r in laptop.store.query(
        "SELECT entity, entity_id, details FROM audit_log WHERE action = ? ORDER BY id", (action,))]


def _watch(http) -> list[tuple[str, str | None]]:
    """(path, Authorization header) of every request `http` sends from now on."""
    sent: list[tuple[str, str | None]] = []
    http.event_hooks = {"request": [lambda r: sent.append((r.url.path,
                                                           r.headers.get("authorization")))],
                        "response": []}
    return sent


def _server_id(url: str) -> str:
    return server_rows(url, "SELECT value FROM meta WHERE key = 'server_id'")[0][0]


@pytest.fixture
def laptop(app_client, tmp_path):
    made = Laptop(tmp_path / "laptop.sqlite3")
    made.http.close()
    made.http = app_client
    yield made
    made.store.close()


def test_enrolment_stores_what_a_sync_needs_and_a_renewal_keeps_the_device(
        database_url, app_client, laptop):
    drawn_id, tag = laptop.store.device_id, laptop.store.device_tag
    sent = _watch(app_client)
    answer = enroll(laptop.store, app_client, URL + "/", "KC-0421", PASSWORD)
    assert sent == [("/v1/enroll", None)]  # a first enrolment has no token to show
    # The server issues the device id; the laptop takes it, and its name is the host's.
    (device_id, device_tag, name), = server_rows(database_url,
                                                 "SELECT id, device_tag, name FROM devices")
    assert device_id != drawn_id and laptop.store.device_id == device_id
    assert (device_tag, name) == (tag, socket.gethostname())
    officer = answer["officer"]
    assert officer["employee_no"] == "KC-0421"
    assert isinstance(answer["clock_offset_ms"], int)
    assert answer == {"officer": officer, "device_tag": tag,
                      "clock_offset_ms": answer["clock_offset_ms"]}
    settings = sync_settings(laptop.store)
    token = settings[TOKEN]
    assert isinstance(token, str) and len(token) >= 20
    assert settings == {SERVER_URL: URL, TOKEN: token, CURSOR: 0, LAST_SUCCESS: None,
                        LAST_ERROR: None, CLOCK_OFFSET: answer["clock_offset_ms"],
                        OFFICER: officer, SERVER_ID: _server_id(database_url)}
    assert _audit(laptop, "sync.enroll") == [("officer", officer["id"], {"tag": tag})]
    assert laptop.store.officers.by_employee_no("KC-0421")["id"] == officer["id"]

    laptop.register(4900, event_id=None)
    assert SyncEngine(laptop.store, app_client).run().pushed == 2
    cursor = sync_settings(laptop.store)[CURSOR]
    assert cursor > 0

    # Enrolled again with the same server (written without the slash this time): the laptop
    # names its device and proves it with its token; the server renews it, the pull goes on.
    sent.clear()
    enroll(laptop.store, app_client, URL, "KC-0421", PASSWORD)
    assert sent == [("/v1/enroll", f"Bearer {token}")]
    assert server_rows(database_url, "SELECT id FROM devices") == [(device_id,)]
    assert laptop.store.device_id == device_id
    renewed = sync_settings(laptop.store)
    assert renewed[TOKEN] != token and renewed[CURSOR] == cursor
    assert len(_audit(laptop, "sync.device_id")) == 1  # the first enrolment's only
    assert len(_audit(laptop, "sync.enroll")) == 2
    laptop.register(4901, event_id=None)
    assert SyncEngine(laptop.store, app_client).run().pushed == 2


OTHER_URL = "http://CABANG-BEKASI-X"  # ends in a letter the slash must go without


def test_enrolling_with_another_server_starts_over_there_and_never_shows_it_the_first_token(
        database_url, laptop, tmp_path):
    laptop.enroll(URL, "KC-0421")
    laptop.register(4910, event_id=None)
    laptop.sync()
    assert sync_settings(laptop.store)[CURSOR] > 0
    first_device = laptop.store.device_id
    # Another branch server, whose first account (its revision 1) this laptop has never seen.
    other_url = f"sqlite:///{tmp_path / 'other-branch.sqlite3'}"
    setup_database(other_url, ("KC-0777", "supervisor"), ("KC-0421", "supervisor"))
    with TestClient(create_app(other_url), base_url=OTHER_URL) as other:
        sent = _watch(other)
        enroll(laptop.store, other, OTHER_URL + "/", "KC-0421", PASSWORD)
        assert sent == [("/v1/enroll", None)]  # the first server's token stays with it
        (device_id,), = server_rows(other_url, "SELECT id FROM devices")
        assert laptop.store.device_id == device_id != first_device
        settings = sync_settings(laptop.store)
        assert (settings[SERVER_URL], settings[SERVER_ID], settings[CURSOR]) == (
            OTHER_URL, _server_id(other_url), 0)
        assert _server_id(other_url) != _server_id(database_url)
        assert laptop.store.officers.by_employee_no("KC-0777") is None
        result = SyncEngine(laptop.store, other).run()
        assert result.pushed == 0  # what went to the first server is not sent again
        assert laptop.store.officers.by_employee_no("KC-0777") is not None  # from revision 1
        # Enrolled again there, the address as typed first: a renewal of the same device.
        sent.clear()
        enroll(laptop.store, other, OTHER_URL + "/", "KC-0421", PASSWORD)
        assert sent == [("/v1/enroll", f"Bearer {settings[TOKEN]}")]
        assert server_rows(other_url, "SELECT id FROM devices") == [(device_id,)]
        assert sync_settings(laptop.store)[SERVER_URL] == OTHER_URL


def test_a_device_tag_the_branch_saw_on_another_laptop_is_replaced_for_good(
        database_url, inprocess_laptops, laptop):
    first, = inprocess_laptops(1)
    taken = first.store.device_tag
    with laptop.store.write():
        laptop.store.set_setting("device_tag", taken)
    laptop.store.device_tag = taken
    before = laptop.register(4920, event_id=None).registration["code"]
    assert before == make_code(taken, 1)
    answer = enroll(laptop.store, laptop.http, URL, "KC-0422", PASSWORD)
    tag = answer["device_tag"]
    assert tag != taken and laptop.store.device_tag == tag
    assert server_rows(database_url, "SELECT device_tag FROM devices WHERE id = ?",
                       (laptop.store.device_id,)) == [(tag,)]
    assert _audit(laptop, "sync.enroll")[0][2] == {"tag": tag}
    # New codes use the new tag, numbered from its first.
    assert laptop.register(4921, event_id=None).registration["code"] == make_code(tag, 1)
    reopened = Store.open(laptop.path)
    try:
        assert reopened.device_tag == tag
    finally:
        reopened.close()


def test_a_training_database_never_enrols_or_syncs(database_url, laptop):
    laptop.register(4930, event_id=None)
    mark_training(laptop.store)
    sent = _watch(laptop.http)
    with pytest.raises(SyncError) as refused:
        enroll(laptop.store, laptop.http, URL, "KC-0421", PASSWORD)
    assert (refused.value.code, refused.value.retryable) == ("sync.training", False)
    # Even one that carries a branch address and token (copied, or enrolled by an older
    # version) sends nothing.
    with laptop.store.write():
        laptop.store.set_setting(SERVER_URL, URL)
        laptop.store.set_setting(TOKEN, "a-token-copied-from-elsewhere")
    with pytest.raises(SyncError) as refused:
        SyncEngine(laptop.store, laptop.http).run()
    assert (refused.value.code, refused.value.retryable) == ("sync.training", False)
    assert sent == [] and server_rows(database_url, "SELECT id FROM devices") == []
    assert laptop.store.pending_changes() == 2


def test_a_laptop_not_enrolled_is_told_so_and_sends_nothing(laptop):
    sent = _watch(laptop.http)
    laptop.register(4940, event_id=None)
    with pytest.raises(SyncError) as err:
        SyncEngine(laptop.store, laptop.http).run()
    assert (err.value.code, err.value.retryable) == ("sync.no_server", False)
    with pytest.raises(SyncError) as err:
        SyncEngine(laptop.store, laptop.http, server_url=URL).run()
    assert (err.value.code, err.value.retryable) == ("sync.not_enrolled", False)
    with laptop.store.write():
        laptop.store.set_setting(SERVER_URL, URL)
    with pytest.raises(SyncError) as err:
        SyncEngine(laptop.store, laptop.http).run()
    assert (err.value.code, err.value.retryable) == ("sync.not_enrolled", False)
    assert sync_settings(laptop.store)[LAST_ERROR]["code"] == "sync.not_enrolled"
    assert sent == [] and laptop.store.pending_changes() == 2


def test_the_address_given_to_the_engine_is_the_one_it_syncs_with(laptop):
    laptop.enroll(URL, "KC-0421")
    token = sync_settings(laptop.store)[TOKEN]
    stored = SyncEngine(laptop.store, laptop.http).client()
    assert (stored.server_url, stored.token) == (URL, token)
    given = SyncEngine(laptop.store, laptop.http, server_url="http://10.0.0.7:8443").client()
    assert (given.server_url, given.token) == ("http://10.0.0.7:8443", token)


def test_a_cancelled_round_stops_before_sending(laptop):
    laptop.enroll(URL, "KC-0421")
    laptop.register(4950, event_id=None)
    cancel = threading.Event()
    cancel.set()
    sent = _watch(laptop.http)
    with pytest.raises(SyncError) as err:
        SyncEngine(laptop.store, laptop.http, cancel=cancel).run()
    assert (err.value.code, err.value.retryable) == ("sync.cancelled", False)
    assert "/v1/push" not in {path for path, _ in sent}
    assert laptop.store.pending_changes() == 2
    assert sync_settings(laptop.store)[LAST_ERROR]["code"] == "sync.cancelled"
    result = SyncEngine(laptop.store, laptop.http).run()  # not cancelled: it goes
    assert result.pushed == 2
    plain = result.as_dict()  # plain values all the way down, nested objects too
    assert (plain["pushed"], plain["finished_at"]) == (2, result.finished_at)
    assert plain["apply"] == {"applied": result.apply.applied, "merged": result.apply.merged,
                              "skipped": result.apply.skipped, "deleted": result.apply.deleted,
                              "set_aside": result.apply.set_aside, "held": result.apply.held}


def test_the_last_error_is_stored_with_its_values_as_they_were(laptop):
    """What the sync page shows after a failed round: the code and its values (a number stays
    a number), read back from the settings."""
    from test_sync_engine_inprocess import _Stub
    with laptop.store.write():
        laptop.store.set_setting(TOKEN, "a-device-token")
    stub = _Stub(302, location="/login")  # a Wi-Fi login page
    http = new_http_client(read_timeout=5.0)
    try:
        with pytest.raises(SyncError):
            SyncEngine(laptop.store, http, server_url=stub.url).run()
    finally:
        http.close()
        stub.close()
    error = sync_settings(laptop.store)[LAST_ERROR]
    assert (error["code"], error["params"]) == ("sync.portal", {"status": 302, "detail": ""})


# -- one sync at a time ---------------------------------------------------------------------
def _busy(store, name: str = "sync") -> SyncError | None:
    """The refusal of a lock taken while held (in a thread of its own, bounded: a lock that
    waited would hang), or None when it was free (then released again)."""
    outcome: list = []

    def take() -> None:
        try:
            with SyncLock(store, name):
                outcome.append(None)
        except SyncError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=take, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert outcome, "the lock waited instead of answering at once"
    return outcome[0]


def test_one_sync_at_a_time_per_database_and_per_target(laptop, tmp_path):
    laptop.enroll(URL, "KC-0421")
    other_connection = Store.open(laptop.path)
    other_laptop = Store.open(tmp_path / "other-laptop.sqlite3")
    try:
        with SyncLock(laptop.store):  # the branch round's lock, as the engine takes it
            refused = _busy(other_connection)
            assert refused is not None and refused.code == "sync.busy" and refused.retryable
            with pytest.raises(SyncError) as busy:
                SyncEngine(other_connection, laptop.http).run()
            assert (busy.value.code, busy.value.retryable) == ("sync.busy", True)
            assert laptop.path.with_suffix(".sync.lock").exists()
            # The event hub's round has a lock of its own, and another database is free.
            assert _busy(other_connection, "hub-sync") is None
            assert _busy(other_laptop) is None
        assert _busy(other_connection) is None  # released
        assert SyncEngine(other_connection, laptop.http).run().finished_at
    finally:
        other_connection.close()
        other_laptop.close()


def test_one_sync_at_a_time_per_database_in_memory():
    first, second = Store.open(":memory:"), Store.open(":memory:")
    try:
        with SyncLock(first):
            refused = _busy(first)
            assert refused is not None and (refused.code, refused.retryable) == ("sync.busy", True)
            assert _busy(first, "hub-sync") is None
            assert _busy(second) is None  # another database
        assert _busy(first) is None  # released
    finally:
        first.close()
        second.close()
