"""A supervisor decides sync conflicts, end to end with real laptops and a real server
(SQLite and PostgreSQL): the other value reaches every laptop, "keep" changes nothing,
officers are refused on the server and in the core, a repeat or a lost answer does no
harm, an erased person stays erased, and one decision settles a field's conflicts."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from bpjs_field.errors import BpjsFieldError, KnownError
from bpjs_field.store.erasure import erase_person
from bpjs_field.server.db import ServerDatabase
from bpjs_field.store.hlc import format_hlc
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.conflicts import begin, client_for, finish_pending, list_conflicts, resolve
from harness import E164_A, E164_B, PHONE_A, PHONE_B, FaultProxy, phone_conflict
from logins import opened_as



def _auth(laptop) -> dict[str, str]:
    return {"Authorization": f"Bearer {laptop.store.get_setting('sync.device_token')}"}


def _server_rows(url: str, sql: str, params=()) -> list[dict]:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return tx.dicts(sql, params)
    finally:
        db.close()


def _mine(listing, person_id: str):
    return [row for row in listing.rows if row.entity_id == person_id]


def _actions(laptop) -> list[dict]:
    return laptop.store.query("SELECT action, entity_id, details FROM audit_log ORDER BY id")


def test_use_the_other_value_reaches_every_laptop(shared_server, shared_database_url, laptops):
    a, b, s, person_id = phone_conflict(laptops, shared_server.url, 9400)
    listing = list_conflicts(s.store, s.http)
    (row,) = _mine(listing, person_id)
    assert row.field == "phone" and row.person == s.store.people.get(person_id)["full_name"]
    assert (row.current, row.other) == ("0857-****-4444", "0857-****-2222")  # masked
    assert "KC-0422" in row.current_laptop and "KC-0421" in row.other_laptop
    assert row.can_use_other and row.same_field == 1 and row.pending is None
    revealed = _mine(list_conflicts(s.store, s.http, reveal=True), person_id)[0]
    assert (revealed.current, revealed.other) == (E164_B, E164_A)

    done = resolve(s.store, s.http, row.id, "use_other")
    assert done["resolved"] == [row.id] and done["repeated"] is False
    a.sync()
    b.sync()
    for laptop in (a, b, s):
        assert laptop.store.people.get(person_id)["phone"] == E164_A
    assert not _mine(list_conflicts(s.store, s.http), person_id)
    (stored,) = _server_rows(shared_database_url, "SELECT * FROM conflicts WHERE id = ?", (row.id,))
    officer = s.store.get_setting("sync.officer")["id"]
    assert stored["resolution"] == "use_other" and stored["resolved_by"] == officer
    assert stored["resolved_device"] == s.store.device_id and stored["resolved_at"]
    edit = s.store.scalar("SELECT change_id FROM change_log WHERE entity_id = ? ORDER BY seq DESC "
                          "LIMIT 1", (person_id,))
    assert stored["resolution_change_id"] == edit
    assert stored["lost_value"] is None and stored["kept_value"] is None  # no longer needed
    # The laptop's audit says who looked, who revealed and who decided, and never a value.
    actions = [r["action"] for r in _actions(s)]
    for action in ("conflicts.view", "conflicts.reveal", "conflicts.resolve", "person.edit",
                   "conflicts.resolved"):
        assert action in actions
    details = " ".join(r["details"] for r in _actions(s))
    assert "1111" not in details and "3333" not in details


def test_keep_the_current_value(shared_server, shared_database_url, laptops):
    a, b, s, person_id = phone_conflict(laptops, shared_server.url, 9410)
    (row,) = _mine(list_conflicts(s.store, s.http), person_id)
    changes = s.store.scalar("SELECT count(*) FROM change_log")
    done = resolve(s.store, s.http, row.id, "keep", row.current_hlc)
    assert done["resolved"] == [row.id]
    assert s.store.scalar("SELECT count(*) FROM change_log") == changes  # nothing edited
    a.sync()
    for laptop in (a, b, s):
        assert laptop.store.people.get(person_id)["phone"] == E164_B
    assert not _mine(list_conflicts(s.store, s.http), person_id)
    (stored,) = _server_rows(shared_database_url, "SELECT resolution, resolution_change_id "
                             "FROM conflicts WHERE id = ?", (row.id,))
    assert stored == {"resolution": "keep", "resolution_change_id": None}


def test_officers_are_refused_on_the_server_and_in_the_core(shared_server, laptops):
    a, b, s, person_id = phone_conflict(laptops, shared_server.url, 9420)
    a.enroll(shared_server.url, "KC-0430")  # from now on an officer's laptop
    (row,) = _mine(list_conflicts(s.store, s.http), person_id)
    url = f"{shared_server.url}/v1/conflicts/{row.id}"
    assert httpx.get(url, headers=_auth(a)).status_code == 403
    refused = httpx.post(f"{url}/resolve", headers=_auth(a), json={"choice": "keep"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.supervisor_only"
    # A laptop without a login, enrolled by an officer: the server's 403, in plain words.
    with pytest.raises(SyncError) as server_said:
        list_conflicts(a.store, a.http)
    assert server_said.value.code == "conflicts.server_supervisor_only"
    # An officer logged in on the laptop: the core refuses before any request, and audits it.
    with opened_as(a.store, "officer") as officer_store:
        for attempt in (lambda: list_conflicts(officer_store, a.http),
                        lambda: resolve(officer_store, a.http, row.id, "use_other")):
            with pytest.raises(BpjsFieldError) as forbidden:
                attempt()
            assert forbidden.value.code == "security.forbidden"
    denied = [json.loads(r["details"]) for r in _actions(a) if r["action"] == "denied"]
    assert [d["attempted"] for d in denied] == ["conflicts", "conflicts.resolve"]
    assert a.store.people.get(person_id)["phone"] == E164_B
    assert _mine(list_conflicts(s.store, s.http), person_id)  # still open


def test_a_lost_answer_and_a_second_resolve_do_no_harm(shared_server, shared_database_url,
                                                       laptops):
    proxy = FaultProxy(shared_server.port)
    try:
        a, b, s, person_id = phone_conflict(laptops, shared_server.url, 9430, proxy.url)
        (row,) = _mine(list_conflicts(s.store, s.http), person_id)
        entry = begin(s.store, s.http, row.id, "use_other")
        # Asked again before anything reached the server (a double click, a crash and a
        # restart): the waiting decision, not a second edit.
        edits = s.store.scalar("SELECT count(*) FROM change_log")
        assert begin(s.store, s.http, row.id, "use_other") == entry
        assert s.store.scalar("SELECT count(*) FROM change_log") == edits
        s.sync()
        proxy.set("drop_response", times=1)  # the server records it; the laptop never hears
        with pytest.raises(SyncError) as lost:
            finish_pending(s.store, client_for(s.store, s.http))
        assert lost.value.code == "sync.connection_lost"
        stored = _server_rows(shared_database_url, "SELECT resolved_at FROM conflicts WHERE id = ?",
                              (row.id,))
        assert stored[0]["resolved_at"]
        listing = list_conflicts(s.store, s.http)  # the next listing sends it again
        assert listing.finished == [{"id": row.id, "choice": "use_other", "resolved": [row.id],
                                     "repeated": True}]
        assert not _mine(listing, person_id) and listing.waiting == 0
        # Resolving it once more: refused plainly, nothing edited, nothing sent.
        with pytest.raises(KnownError) as again:
            resolve(s.store, s.http, row.id, "keep")
        assert again.value.code == "conflicts.resolved"
        assert s.store.scalar("SELECT count(*) FROM change_log") == edits
        url = f"{shared_server.url}/v1/conflicts/{row.id}/resolve"
        same = httpx.post(url, headers=_auth(s), json={"choice": "use_other",
                                                       "change_id": entry["change_id"]})
        assert same.status_code == 200 and same.json()["repeated"] is True
        other = httpx.post(url, headers=_auth(s), json={"choice": "keep"})
        assert other.status_code == 409 and other.json()["error"]["code"] == "conflict.resolved"
        a.sync()
        assert a.store.people.get(person_id)["phone"] == E164_A
    finally:
        proxy.close()


def test_an_erased_person_stays_erased(shared_server, shared_database_url, laptops):
    a, b, s, person_id = phone_conflict(laptops, shared_server.url, 9440)
    (row,) = _mine(list_conflicts(s.store, s.http), person_id)
    begin(s.store, s.http, row.id, "use_other")  # decided, not yet synced ...
    erase_person(a.store, person_id)  # ... while another laptop erases the person
    a.sync()
    assert not _server_rows(shared_database_url, "SELECT id FROM conflicts WHERE entity_id = ?",
                            (person_id,))
    listing = list_conflicts(s.store, s.http)  # waits: the edit has not been pushed
    assert listing.waiting == 1 and not listing.finished
    s.sync()  # pushes the edit (ignored: erasure is final), pulls the erasure
    listing = list_conflicts(s.store, s.http)
    assert listing.finished == [{"id": row.id, "choice": "use_other", "error": "conflicts.unknown"}]
    assert listing.waiting == 0
    (data,) = _server_rows(shared_database_url, "SELECT data FROM docs WHERE entity = 'person' "
                           "AND id = ?", (person_id,))
    assert "0857" not in data["data"]
    assert s.store.people.get(person_id)["phone"] is None
    # Asked again: the server holds no such conflict any more; nothing is edited.
    edits = s.store.scalar("SELECT count(*) FROM change_log")
    with pytest.raises(SyncError) as gone:
        begin(s.store, s.http, row.id, "use_other")
    assert gone.value.code == "conflicts.unknown"
    assert s.store.scalar("SELECT count(*) FROM change_log") == edits


def test_the_server_refuses_restoring_an_erased_person(shared_server, shared_database_url, laptops):
    """Erasure deletes the conflicts; one left behind (an older server's bug, a restore) must
    still not let a value back."""
    a, b, s, person_id = phone_conflict(laptops, shared_server.url, 9450)
    erase_person(a.store, person_id)
    a.sync()
    db = ServerDatabase(shared_database_url)
    try:
        with db.write() as tx:
            tx.execute("INSERT INTO conflicts(entity, entity_id, field, kept_value, lost_value, "
                       "kept_hlc, lost_hlc, detected_at) VALUES ('person', ?, 'phone', 'null', "
                       "'\"+6285711112222\"', ?, ?, 'now')",
                       (person_id, format_hlc(2, 0, "x"), format_hlc(1, 0, "y")))
            leftover = tx.scalar("SELECT max(id) FROM conflicts")
    finally:
        db.close()
    answer = httpx.post(f"{shared_server.url}/v1/conflicts/{leftover}/resolve", headers=_auth(s),
                        json={"choice": "keep"})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "conflict.person_erased"
    s.sync()
    with pytest.raises(KnownError) as refused:
        begin(s.store, s.http, leftover, "use_other")
    assert refused.value.code == "conflicts.person_erased"
    assert s.store.people.get(person_id)["phone"] is None


def test_one_decision_settles_the_fields_conflicts(shared_server, shared_database_url, laptops):
    a, b, c, s = laptops(4)
    for laptop, number in ((a, "KC-0421"), (b, "KC-0422"), (c, "KC-0423"), (s, "SPV-01")):
        laptop.enroll(shared_server.url, number)
    a.event()
    person_id = a.register(9460).person["id"]
    a.sync()
    b.sync()
    c.sync()
    # Three laptops offline, three phones, clocks in this order: A, B, C.
    for laptop, phone in ((a, PHONE_A), (b, PHONE_B), (c, "0857-5555-6666")):
        laptop.store.people.update(person_id, {"phone": phone})
    b.sync()
    a.sync()  # A loses to B
    c.sync()  # C overwrites B unseen: B's phone is kept aside too
    s.sync()
    listing = list_conflicts(s.store, s.http)
    mine = _mine(listing, person_id)
    assert len(mine) == 2 and {r.same_field for r in mine} == {2}
    older = min(mine, key=lambda r: r.id)  # A's losing phone
    begin(s.store, s.http, older.id, "use_other")
    s.sync()
    # Before the server hears of the decision, C (offline since) types yet another phone over
    # it: a new disagreement (the decision lost), not settled by the decision it never saw.
    c.store.people.update(person_id, {"phone": "0857-9999-0000"})
    c.sync()
    (done,) = finish_pending(s.store, client_for(s.store, s.http))
    assert sorted(done["resolved"]) == sorted(r.id for r in mine)
    (newer,) = _mine(list_conflicts(s.store, s.http), person_id)
    assert (newer.current, newer.other) == ("0857-****-0000", "0857-****-2222")
    resolve(s.store, s.http, newer.id, "use_other")
    # An edit made offline long ago arrives after the decision: a new conflict, left open.
    change = {"change_id": str(uuid.uuid4()), "seq": 99999, "entity": "person",
              "entity_id": person_id, "op": "upsert", "payload": {"id": person_id,
                                                                  "phone": "+6285777778888"},
              "hlc": format_hlc(1_000_000_000_000, 0, b.store.device_id),
              "created_at": "2001-09-09T01:46:40Z"}
    pushed = httpx.post(f"{shared_server.url}/v1/push", headers=_auth(b),
                        json={"device_id": b.store.device_id, "changes": [change]})
    assert pushed.status_code == 200
    (late,) = _mine(list_conflicts(s.store, s.http), person_id)
    assert late.other == "0857-****-8888" and late.current == "0857-****-2222"
    b.sync()
    assert b.store.people.get(person_id)["phone"] == E164_A


def test_bad_requests_are_refused_plainly(shared_server, laptops):
    a, b, s, person_id = phone_conflict(laptops, shared_server.url, 9470)
    (row,) = _mine(list_conflicts(s.store, s.http), person_id)
    base = f"{shared_server.url}/v1/conflicts"
    unknown = httpx.post(f"{base}/999999999/resolve", headers=_auth(s), json={"choice": "keep"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "conflict.unknown"
    assert httpx.get(f"{base}/999999999", headers=_auth(s)).status_code == 404
    no_change = httpx.post(f"{base}/{row.id}/resolve", headers=_auth(s),
                           json={"choice": "use_other"})
    assert no_change.status_code == 422
    # B's own winning edit is not the supervisor's decision.
    foreign = b.store.scalar("SELECT change_id FROM change_log ORDER BY seq DESC LIMIT 1")
    mismatch = httpx.post(f"{base}/{row.id}/resolve", headers=_auth(s),
                          json={"choice": "use_other", "change_id": foreign})
    assert mismatch.status_code == 409
    assert mismatch.json()["error"]["code"] == "conflict.change_mismatch"
    never = httpx.post(f"{base}/{row.id}/resolve", headers=_auth(s),
                       json={"choice": "use_other", "change_id": str(uuid.uuid4())})
    assert never.json()["error"]["code"] == "conflict.change_unknown"
    # "Keep" of a value that changed since the supervisor looked.
    stale = format_hlc(1, 0, "someone")
    changed = httpx.post(f"{base}/{row.id}/resolve", headers=_auth(s),
                         json={"choice": "keep", "current_hlc": stale})
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "conflict.changed"
    with pytest.raises(KnownError) as seen:
        begin(s.store, s.http, row.id, "keep", shown_hlc=stale)
    assert seen.value.code == "conflicts.changed"
    assert _mine(list_conflicts(s.store, s.http), person_id)  # still open after all that
