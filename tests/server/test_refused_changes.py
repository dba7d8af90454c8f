"""Changes the server refuses do not hold up the queue: the engine finds them by halving the
batch, sends everything else, and parks them with the server's reason until a retry.
Transport failures stay retryable and park nothing.  Real server processes, real stores."""

from __future__ import annotations

import json

import pytest

from bpjs_field.sync.client import SyncClient, SyncError
from bpjs_field.sync.engine import SyncEngine, new_http_client, refused_changes, retry_refused
from harness import FaultProxy, server_rows


class CountingHttp:
    """A real httpx client that counts the pushes it sends (an httpx event hook)."""

    def __init__(self, read_timeout: float = 5.0) -> None:
        self.pushes = 0
        self.client = new_http_client(read_timeout=read_timeout)
        self.client.event_hooks["request"] = [self._count]

    def _count(self, request) -> None:
        self.pushes += request.url.path.endswith("/push")

    def sync(self, laptop, **kw):
        self.pushes = 0
        return SyncEngine(laptop.store, self.client, **kw).run()


@pytest.fixture
def http():
    counting = CountingHttp()
    yield counting
    counting.client.close()


def _bad_value(laptop, person_id: str) -> str:
    """A change the protocol refuses (a list where a field value must be a scalar)."""
    with laptop.store.write():
        return laptop.store.record_change("person", person_id, {"id": person_id, "phone": ["0812"]})


def _bad_id(laptop) -> str:
    """A change the protocol refuses (an entity id with spaces in it)."""
    with laptop.store.write():
        return laptop.store.record_change("person", "no such id", {"id": "no such id"})


def _queue_with_two_refusable(laptop) -> tuple[list[str], str]:
    """An event, 24 registrations, and two refusable changes among them."""
    laptop.event()
    laptop.register_many(range(8))
    person_id = laptop.store.query_one("SELECT id FROM people ORDER BY rowid LIMIT 1")["id"]
    first = _bad_value(laptop, person_id)
    laptop.register_many(range(8, 20))
    second = _bad_id(laptop)
    laptop.register_many(range(20, 24))
    return [first, second], person_id


def _parked(laptop) -> dict[str, str]:
    return {r["change_id"]: r["refused_reason"] for r in laptop.store.query(
        "SELECT change_id, refused_reason FROM change_log WHERE refused_at IS NOT NULL "
        "AND sent_at IS NULL")}


def test_refused_changes_are_parked_and_everything_else_arrives_once(server, database_url,
                                                                      laptops, http):
    (laptop,) = laptops(1)
    laptop.enroll(server.url, "KC-0421")
    bad, person_id = _queue_with_two_refusable(laptop)
    everything = [r["change_id"] for r in laptop.store.query("SELECT change_id FROM change_log")]
    good = [c for c in everything if c not in bad]
    assert len(everything) == 51 and len(good) == 49

    result = http.sync(laptop)
    # The 49 good changes are on the server exactly once; the two refused ones are not.
    applied = server_rows(database_url, "SELECT change_id FROM applied_changes WHERE device_id = ?",
                           (laptop.store.device_id,))
    assert sorted(r[0] for r in applied) == sorted(good)
    assert result.pushed == 49 and result.duplicates == 0 and result.refused == 2
    assert server_rows(database_url, "SELECT count(*) FROM docs WHERE entity = 'registration'")[0][0] == 24
    assert 3 <= http.pushes <= 2 * 2 * 6 + 1  # halving: a few requests per refused change
    # Parked, never deleted, with the server's reason (field locations, no values).
    parked = _parked(laptop)
    assert set(parked) == set(bad)
    assert parked[bad[0]].startswith("422 request.invalid") and "payload.phone" in parked[bad[0]]
    assert "entity_id" in parked[bad[1]] and "0812" not in parked[bad[0]]
    assert sum(n for _, n in refused_changes(laptop.store)) == 2
    assert laptop.store.pending_changes() == 2  # unsent, honestly
    assert laptop.store.get_setting("sync.last_error") is None
    refusals = laptop.store.query("SELECT details FROM audit_log WHERE action = 'sync.refused'")
    assert [json.loads(r["details"])["status"] for r in refusals] == ["422", "422"]

    # The next sync is clean and quick: the parked changes are not sent again.
    again = http.sync(laptop)
    assert (again.pushed, again.refused, http.pushes) == (0, 0, 0)
    # A newer change for the same person goes through on its own.
    laptop.store.people.update(person_id, {"phone": "081311112222"})
    newer = http.sync(laptop)
    assert (newer.pushed, newer.refused, http.pushes) == (1, 0, 1)
    phone = server_rows(database_url, "SELECT data FROM docs WHERE entity = 'person' AND id = ?",
                         (person_id,))
    assert json.loads(phone[0][0])["phone"] == "+6281311112222"
    assert set(_parked(laptop)) == set(bad)

    # An explicit retry queues them again: still refused, parked again after one halving.
    assert retry_refused(laptop.store) == 2
    assert _parked(laptop) == {} and laptop.store.pending_changes() == 2
    retried = http.sync(laptop)
    assert (retried.pushed, retried.refused) == (0, 2) and http.pushes == 3
    assert set(_parked(laptop)) == set(bad)
    # Once a change is acceptable (here: repaired in place, as an updated app would), a retry
    # delivers it; the other stays parked.
    with laptop.store.write():
        laptop.store.db.execute("UPDATE change_log SET payload = ? WHERE change_id = ?",
                                (json.dumps({"id": person_id, "phone": "+6281355556666"}), bad[0]))
    assert retry_refused(laptop.store) == 2
    fixed = http.sync(laptop)
    assert (fixed.pushed, fixed.refused) == (1, 1)
    assert set(_parked(laptop)) == {bad[1]}
    applied = server_rows(database_url, "SELECT count(*) FROM applied_changes WHERE device_id = ?",
                           (laptop.store.device_id,))
    assert applied[0][0] == len(good) + 2  # the newer edit and the repaired change, once each


@pytest.mark.parametrize("mode,code", [("http500", "sync.server_error"), ("http503", "sync.server_error"),
                                       ("hang", "sync.timeout"), ("truncate", "sync.connection_lost")])
def test_transport_failures_are_retried_whole_never_parked(shared_server, shared_database_url,
                                                           laptops, mode, code):
    proxy = FaultProxy(shared_server.port)
    (laptop,) = laptops(1)
    counting = CountingHttp(read_timeout=1.0)
    try:
        laptop.enroll(proxy.url, "KC-0421")
        laptop.event()
        laptop.register_many(range(7000, 7010))
        person_id = laptop.store.query_one("SELECT id FROM people LIMIT 1")["id"]
        bad = [_bad_value(laptop, person_id), _bad_id(laptop)]
        pending = laptop.store.pending_changes()
        proxy.set(mode)
        with pytest.raises(SyncError) as caught:
            counting.sync(laptop)
        assert caught.value.code == code and caught.value.retryable
        assert counting.pushes == 1  # not halved
        assert _parked(laptop) == {} and laptop.store.pending_changes() == pending
        proxy.set(None)
        result = counting.sync(laptop)
        assert result.refused == 2 and set(_parked(laptop)) == set(bad)
        assert laptop.store.pending_changes() == 2
        applied = server_rows(shared_database_url, "SELECT count(*) FROM applied_changes "
                               "WHERE device_id = ?", (laptop.store.device_id,))
        assert applied[0][0] == pending - 2
    finally:
        counting.client.close()
        proxy.close()


def test_a_change_too_large_for_the_server_is_parked_alone(shared_server, laptops, http):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    laptop.register_many(range(7100, 7103), event_id=None)
    with laptop.store.write():
        huge = laptop.store.record_change("print", "p-huge",
                                          {"id": "p-huge", "printer": "x" * 9_000_000})
    laptop.register_many(range(7103, 7106), event_id=None)
    result = http.sync(laptop)
    assert (result.pushed, result.refused) == (12, 1)
    assert _parked(laptop) == {huge: "413 request.too_large"}


def test_a_refusal_of_the_request_itself_parks_nothing(shared_server, laptops, http):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    laptop.register_many(range(7200, 7205), event_id=None)
    laptop.store.set_setting("sync.cursor", -1)  # an envelope the server refuses (cursor >= 0)
    with pytest.raises(SyncError) as caught:
        http.sync(laptop)
    assert caught.value.code == "sync.rejected" and not caught.value.retryable
    assert http.pushes == 1 and _parked(laptop) == {} and laptop.store.pending_changes() == 10
    laptop.store.set_setting("sync.cursor", 0)
    assert http.sync(laptop).pushed == 10


def test_only_refusals_that_point_at_changes_are_blamed_on_changes():
    refusal = SyncClient._refusal
    changes = [{"loc": ["body", "changes", "3", "payload", "phone", kind], "msg": f"Not a valid {kind}"}
               for kind in ("str", "int")]
    assert refusal(422, "request.invalid", changes) == \
        "422 request.invalid; payload.phone.str: Not a valid str (+1 more)"
    # About the request as a whole (its envelope, unreadable JSON): no change is to blame.
    assert refusal(422, "request.invalid", [{"loc": ["body", "device_id"], "msg": "x"}]) is None
    assert refusal(422, "request.invalid", [{"loc": ["body", 12], "msg": "JSON decode error"}]) is None
    assert refusal(422, "", changes) is None  # not the branch server's answer (a proxy's page)
    assert refusal(404, "not_found", []) is None
    assert refusal(400, "push.invalid_change", []) == "400 push.invalid_change"
