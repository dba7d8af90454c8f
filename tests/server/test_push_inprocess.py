"""The branch server's push, run in this process (the real FastAPI app through Starlette's
TestClient, which is an httpx client the sync engine takes as it is), on SQLite and on
PostgreSQL: what it keeps aside and why, and foreign workers (identified by passport) through
sync.  In-process, so mutation testing sees the server's code run (scripts/mutation.py)."""

from __future__ import annotations

import json
import threading
import warnings

import httpx
import pytest

with warnings.catch_warnings():  # Starlette's note that httpx2 is coming; httpx is pinned here
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from bpjs_field.domain.codes import make_code
from bpjs_field.server.app import create_app
from bpjs_field.store.store import new_id
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.engine import SyncEngine
from bpjs_field.handcarry import export_changes, import_changes, import_into_server
from harness import server_rows, EVENT_ID, Laptop, full_people_forms, make_nik, record_prints

URL = "http://testserver"


@pytest.fixture
def app_client(database_url):
    with TestClient(create_app(database_url), base_url=URL) as client:
        yield client


@pytest.fixture
def inprocess_laptops(app_client, tmp_path):
    """`make(n)`: n laptops whose sync goes to the in-process server, enrolled as the
    supervisors KC-0421, KC-0422, KC-0423 in turn (`enroll=False`: not yet enrolled)."""
    made: list[Laptop] = []
    numbers = iter(("KC-0421", "KC-0422", "KC-0423"))

    def make(n: int = 1, *, enroll: bool = True) -> list[Laptop]:
        for _ in range(n):
            laptop = Laptop(tmp_path / f"laptop{len(made) + 1}.sqlite3")
            laptop.http.close()
            laptop.http = app_client
            made.append(laptop)
            if enroll:
                laptop.enroll(URL, next(numbers))
        return made[-n:]

    yield make
    for laptop in made:
        laptop.store.close()



def record(laptop, entity: str, payload: dict, op: str = "upsert",
           entity_id: str | None = None) -> str:
    """A raw change in the laptop's change log (past the laptop's own rules); its change id."""
    entity_id = entity_id or payload.get("id") or new_id()
    with laptop.store.write():
        return laptop.store.record_change(entity, entity_id, {"id": entity_id, **payload}, op)


def pending(laptop) -> int:
    """Changes the next sync would send (parked ones wait for the officer)."""
    return laptop.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL "
                               "AND refused_at IS NULL")


# -- refusals -----------------------------------------------------------------------------------
def test_bad_registration_attendance_event_print_and_officer_changes_are_kept_aside(
        database_url, inprocess_laptops):
    """Each change the server cannot apply is acknowledged (it never blocks the queue), kept
    in quarantine with its own reason, and creates nothing; the good changes of the same
    batch are applied."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    good = laptop.register(4100)
    laptop.sync()
    person_id, code = good.person["id"], good.registration["code"]
    missing_person, missing_event = new_id(), new_id()
    reg = {"segment": "bpu", "declared_income": 1_000_000, "created_at": "2026-11-22T00:00:00Z"}
    # Well-formed codes (valid check symbol): the server refuses a malformed one outright.
    bad = {
        record(laptop, "registration", {**reg, "person_id": missing_person,
                                        "code": make_code("ZZ9Z", 1)}):
            "registration.unknown_person",
        record(laptop, "registration", {**reg, "person_id": person_id, "code": make_code("ZZ9Z", 2),
                                        "event_id": missing_event}): "registration.unknown_event",
        record(laptop, "registration", {**reg, "person_id": person_id}): "registration.no_code",
        record(laptop, "registration", {**reg, "person_id": person_id, "code": code}):
            "registration.code_taken",
        record(laptop, "registration", {}, op="delete"): "registration.delete_unsupported",
        record(laptop, "person", {}, op="delete"): "person.delete_unsupported",
        record(laptop, "person", {"full_name": "Tanpa Identitas"}): "person.no_identity",
        record(laptop, "person", {"nik": "3216090101900001"}): "person.no_name",
        record(laptop, "attendance", {"person_id": missing_person, "event_id": EVENT_ID,
                                      "checked_in_at": "2026-11-22T01:00:00Z"}):
            "attendance.unknown_person",
        record(laptop, "attendance", {"person_id": person_id, "event_id": missing_event,
                                      "checked_in_at": "2026-11-22T01:00:00Z"}):
            "attendance.unknown_event",
        record(laptop, "attendance", {"person_id": person_id, "event_id": EVENT_ID}):
            "attendance.no_time",
        record(laptop, "event", {"kind": "senam_bersama", "starts_at": "2026-11-23T06:30:00+07:00",
                                 "venue": "Balai Desa"}): "event.incomplete",
        record(laptop, "event", {}, op="delete"): "event.delete_unsupported",
        record(laptop, "print", {"at": "2026-11-22T01:00:00Z", "subject_id": person_id}):
            "print.incomplete",
        record(laptop, "print", {"document": "receipt.a4"}): "print.incomplete",
        record(laptop, "print", {}, op="delete"): "print.delete_unsupported",
        record(laptop, "officer", {"full_name": "Petugas Tanpa Nomor"}): "officer.incomplete",
        record(laptop, "officer", {"employee_no": "KC-0999"}): "officer.incomplete",
        record(laptop, "officer", {}, op="delete"): "officer.delete_unsupported",
    }
    fine = laptop.register(4101)
    result = laptop.sync()
    assert result.quarantined == len(bad) and result.refused == 0
    assert pending(laptop) == 0  # acknowledged: nothing holds the queue
    kept = dict(server_rows(database_url, "SELECT change_id, reason FROM quarantine"))
    assert kept == bad
    # Kept aside is not delivered: the laptop holds them with the reason, sent on request.
    parked = {r["change_id"]: r["refused_reason"] for r in laptop.store.query(
        "SELECT change_id, refused_reason FROM change_log WHERE sent_at IS NULL")}
    assert parked == {cid: f"quarantined {reason}" for cid, reason in bad.items()}
    ids = {r[0] for r in server_rows(database_url, "SELECT id FROM docs")}
    changed = {r[0] for r in server_rows(database_url, "SELECT entity_id FROM quarantine")}
    assert not changed & ids  # none of them made a row
    assert fine.registration["id"] in ids and fine.person["id"] in ids
    assert server_rows(database_url, "SELECT count(*) FROM docs WHERE entity = 'registration'")[0][0] == 2


def test_changes_stamped_by_another_device_are_kept_aside(database_url, inprocess_laptops):
    a, b = inprocess_laptops(2)
    a.event()
    reg = a.register(4200)
    with a.store.write():  # a copied change log: B's clock stamp on A's change
        a.store.db.execute("UPDATE change_log SET hlc = ? WHERE entity = 'person'",
                           (b.store.clock.now(),))
    result = a.sync()
    assert result.quarantined == 2
    # the person is kept aside, and so the registration that needs it
    assert dict(server_rows(database_url, "SELECT entity, reason FROM quarantine")) == {
        "person": "push.origin_unverified", "registration": "registration.unknown_person"}
    assert not server_rows(database_url, "SELECT id FROM docs WHERE id IN (?, ?)",
                    (reg.person["id"], reg.registration["id"]))


class NoAudit(httpx.BaseTransport):
    """The real server, but every audit upload lost on the way (a 503 from a proxy)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/audit"):
            return httpx.Response(503, json={"error": {"code": "server.unavailable"}})
        return self.inner.handle_request(request)


def test_a_laptops_key_comes_with_its_push_and_its_carried_changes_count(
        database_url, app_client, inprocess_laptops, tmp_path):
    """C's first sync delivers its changes, then its audit upload is lost: the branch knows
    C's key from the push alone, so C's next check-in, carried to the branch by B on a USB
    stick, counts as C's."""
    b, c = inprocess_laptops(2)
    c.event()
    person_id = c.register(4160).person["id"]
    with httpx.Client(transport=NoAudit(app_client._transport), base_url=URL) as http:
        with pytest.raises(SyncError):
            run_sync(c.store, http)
    assert pending(c) == 0  # the push was acknowledged
    assert not server_rows(database_url, "SELECT * FROM audit WHERE device_id = ?",
                           (c.store.device_id,))
    b.sync()
    assert c.store.attendance.check_in(EVENT_ID, person_id, "scan")
    path = tmp_path / "c.bpjsf"
    export_changes(c.store, path, "pasar-malam-2026")
    import_changes(b.store, path, "pasar-malam-2026")
    assert b.sync().quarantined == 0
    scan_id = c.store.attendance.get(EVENT_ID, person_id)["id"]
    assert server_rows(database_url, "SELECT device_id, deleted FROM scans WHERE id = ?",
                       (scan_id,)) == [(c.store.device_id, 0)]


class Answers(httpx.BaseTransport):
    """The real server's answers, each answer to one endpoint noted (status, JSON body)."""

    def __init__(self, inner: httpx.BaseTransport, path: str) -> None:
        self.inner, self.path, self.seen = inner, path, []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith(self.path):
            self.seen.append((response.status_code, json.loads(response.read())))
        return response


def _invalid_changes(laptop) -> tuple[list[str], str]:
    """21 edits of a synced person with a phone number that is no phone number, then a new
    person whose change lacks a field every person must have (`created_device`); after an
    undo and a good edit.  Their change ids."""
    person_id = laptop.register(4150).person["id"]
    laptop.sync()
    record(laptop, "attendance", {}, op="delete")  # an undo the branch never heard of
    laptop.store.people.update(person_id, {"email": "benar@contoh.id"})
    bad = [record(laptop, "person", {"phone": "12"}, entity_id=person_id) for _ in range(21)]
    nik = make_nik(4151)[0]
    incomplete = record(laptop, "person", {"nik": nik, "full_name": "Tanpa Perangkat",
                                           "created_at": "2026-11-22T00:00:00Z"})
    return bad, incomplete, person_id


def test_a_push_with_values_the_rules_refuse_is_refused_naming_each_change_and_field(
        database_url, app_client, inprocess_laptops):
    """The branch refuses a push holding a value the domain rules refuse (422): the answer
    names each refused change by its place in the batch, the field and the reason, the first
    20 of them; the laptop halves the batch until each refused change is parked with its own
    reason, a field a new row lacks included, and the good changes are applied."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    bad, incomplete, person_id = _invalid_changes(laptop)
    answers = Answers(app_client._transport, "/push")
    with httpx.Client(transport=answers, base_url=URL) as http:
        result = run_sync(laptop.store, http)
    status, body = answers.seen[0]
    assert status == 422 and body["error"]["code"] == "push.invalid_value"
    # The batch: the undo (0), the good edit (1), the bad phones (2 to 22), the new person (23).
    assert body["error"]["details"] == [
        {"loc": ["body", "changes", i, "payload", "phone"], "msg": "phone.invalid"}
        for i in range(2, 22)]
    assert (result.pushed, result.refused) == (2, 22)
    parked = {r["change_id"]: r["refused_reason"] for r in laptop.store.query(
        "SELECT change_id, refused_reason FROM change_log WHERE refused_at IS NOT NULL")}
    assert parked == {**{c: "422 push.invalid_value; payload.phone: phone.invalid" for c in bad},
                      incomplete: "422 push.invalid_value; payload.created_device: required"}
    assert [a[1]["error"]["details"] for a in answers.seen if a[0] == 422][-1] == [
        {"loc": ["body", "changes", 0, "payload", "created_device"], "msg": "required"}]
    people = docs(database_url, "person")
    assert people[person_id]["email"] == "benar@contoh.id" and people[person_id]["phone"] != "12"
    assert set(people) == {person_id} and not server_rows(database_url, "SELECT * FROM quarantine")


def test_a_handcarried_file_with_values_the_rules_refuse_keeps_those_changes_aside(
        database_url, inprocess_laptops, tmp_path):
    """The same changes carried on a USB stick straight into the branch's database: the
    refused ones are kept aside, each with its entity, field and reason, and the rest applied."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    bad, incomplete, person_id = _invalid_changes(laptop)
    path = tmp_path / "laptop.bpjsf"
    export_changes(laptop.store, path, "pasar-malam-2026")
    counts = import_into_server(database_url, path, "pasar-malam-2026")
    assert (counts["applied"], counts["quarantined"]) == (2, 22)
    assert dict(server_rows(database_url, "SELECT change_id, reason FROM quarantine")) == {
        **{c: "invalid: person.phone: phone.invalid" for c in bad},
        incomplete: "invalid: person.created_device: required"}
    people = docs(database_url, "person")
    assert people[person_id]["email"] == "benar@contoh.id" and people[person_id]["phone"] != "12"
    assert set(people) == {person_id}


def test_a_handcarried_file_of_more_than_900_changes_imported_twice_applies_each_once(
        database_url, inprocess_laptops, tmp_path):
    """A file of 901 prints (the branch looks up change ids 900 at a time) imported straight
    into the branch's database twice: the second import finds every change applied."""
    laptop, = inprocess_laptops(1)
    record_prints(laptop.store, 901)
    path = tmp_path / "laptop.bpjsf"
    assert export_changes(laptop.store, path, "pasar-malam-2026") == 901
    first = import_into_server(database_url, path, "pasar-malam-2026")
    assert (first["applied"], first["duplicates"]) == (901, 0)
    again = import_into_server(database_url, path, "pasar-malam-2026")
    assert (again["received"], again["applied"], again["duplicates"]) == (901, 0, 901)
    assert server_rows(database_url, "SELECT count(*) FROM applied_changes WHERE entity = 'print'"
                       )[0][0] == 901


def test_a_change_twice_in_one_push_is_applied_once(database_url, app_client, inprocess_laptops):
    """A push whose body holds one change twice (a client's bug): the second copy is a
    duplicate, the rest applied once."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    laptop.register(4170)
    body, _first, _last, count = SyncEngine(laptop.store, app_client)._batch(0)
    push = json.loads(body)
    push["changes"].append(push["changes"][0])
    token = laptop.store.get_setting("sync.device_token")
    answer = app_client.post("/v1/push", json=push, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert {k: answer.json()[k] for k in ("received", "applied", "duplicates", "quarantined")} == {
        "received": count + 1, "applied": count, "duplicates": 1, "quarantined": 0}
    ids = sorted(c["change_id"] for c in push["changes"][:count])
    assert sorted(r[0] for r in server_rows(database_url, "SELECT change_id FROM applied_changes "
                                                          "WHERE device_id = ?",
                                            (laptop.store.device_id,))) == ids


# -- foreign workers through sync -------------------------------------------------------------------
def _tka(laptop, nationality: str = "CN"):
    form = full_people_forms(EVENT_ID)[1]
    form.person.nationality = nationality
    return laptop.store.registrations.register(form)


def test_a_foreign_worker_registered_on_two_laptops_is_one_person(database_url, inprocess_laptops):
    """Identified by passport and nationality (no NIK): the second laptop's person becomes an
    alias of the first; both laptops then hold one person with every field, both
    registrations point at it, and the same passport of another country is another person."""
    a, b = inprocess_laptops(2)
    a.event()
    b.event()
    first = _tka(a)
    second = _tka(b)  # on B before either synced: a person of its own with the same passport
    other_country = _tka(b, nationality="MY")
    assert second.person["id"] != first.person["id"]
    a.sync()
    b.sync()
    a.sync()
    people = server_rows(database_url, "SELECT id, merged_into, data FROM docs WHERE entity = 'person'")
    merged = {r[0]: r[1] for r in people}
    assert merged[second.person["id"]] == first.person["id"] and merged[first.person["id"]] is None
    assert merged[other_country.person["id"]] is None
    for laptop in (a, b):
        person = laptop.store.people.get(first.person["id"])
        for field in ("passport_no", "nationality", "kitas_no", "kitas_expiry", "birth_date", "email"):
            assert person[field] == first.person[field], field
        assert person["nik"] is None
        codes = {r["code"]: r["person_id"] for r in laptop.store.query(
            "SELECT code, person_id FROM registrations")}
        assert codes[first.registration["code"]] == first.person["id"]
        assert codes[second.registration["code"]] == first.person["id"]
        assert codes[other_country.registration["code"]] == other_country.person["id"]
        assert laptop.store.scalar("SELECT count(*) FROM people WHERE passport_no = ? AND "
                                   "merged_into IS NULL", (first.person["passport_no"],)) == 2
    data = json.loads(dict((r[0], r[2]) for r in people)[first.person["id"]])
    assert data["passport_no"] == "E98765432" and data["nationality"] == "CN"


# -- the laptop facing a server that answers wrongly ----------------------------------------
class Tamper(httpx.BaseTransport):
    """The real server's answers, with the n-th answer to one endpoint edited on its way back
    (what a broken proxy, a bug or an attacker on the branch network could send)."""

    def __init__(self, inner: httpx.BaseTransport, path: str, nth: int, edit) -> None:
        self.inner, self.path, self.nth, self.edit = inner, path, nth, edit
        self.seen = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not request.url.path.endswith(self.path):
            return response
        self.seen += 1
        if self.seen != self.nth:
            return response
        body = json.loads(response.read())
        self.edit(body, request)
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() not in ("content-length", "content-encoding")}
        return httpx.Response(response.status_code, headers=headers,
                              content=json.dumps(body).encode())


def tampered(app_client, path: str, nth: int, edit) -> httpx.Client:
    return httpx.Client(transport=Tamper(app_client._transport, path, nth, edit), base_url=URL)


def run_sync(store, http, **kw):
    """The engine's run on a thread of its own, so a sync that hangs fails the test."""
    outcome: list = []

    def target():
        try:
            outcome.append(SyncEngine(store, http, **kw).run())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the sync hung"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def unsent(laptop) -> int:
    return laptop.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL")


@pytest.mark.parametrize("edit", [
    lambda body, request: body.update(last_seq=body["last_seq"] - 1),
    lambda body, request: body.update(received=body["received"] + 1),
], ids=["last_seq", "received"])
def test_an_acknowledgement_that_does_not_match_marks_nothing_sent(database_url, app_client,
                                                                     inprocess_laptops, edit):
    laptop, = inprocess_laptops(1)
    laptop.event()
    laptop.register_many(range(4300, 4305))
    waiting = unsent(laptop)
    with tampered(app_client, "/push", 1, edit) as http, pytest.raises(SyncError) as failed:
        run_sync(laptop.store, http)
    assert failed.value.code == "sync.bad_response"
    assert unsent(laptop) == waiting  # not taken as delivered
    assert laptop.store.get_setting("sync.last_error")["code"] == "sync.bad_response"
    again = run_sync(laptop.store, app_client)  # the server had applied them: duplicates only
    assert again.duplicates == waiting and again.pushed == 0 and unsent(laptop) == 0
    assert server_rows(database_url, "SELECT count(*) FROM docs WHERE entity = 'person'")[0][0] == 5


def _pull_setup(inprocess_laptops):
    a, b = inprocess_laptops(2)
    a.event()
    a.register_many(range(4400, 4406))
    a.sync()
    return a, b


def _cursor(laptop) -> int:
    return int(laptop.store.get_setting("sync.cursor") or 0)


@pytest.mark.parametrize("edit", [
    lambda body, request: body["items"][0].pop("entity"),
    lambda body, request: body.update(next_cursor="soon"),
    lambda body, request: body.update(items={"not": "a list"}),
    lambda body, request: body["items"][0].update(rev="x"),
], ids=["item_without_entity", "cursor_not_a_number", "items_not_a_list", "rev_not_a_number"])
def test_a_bad_pulled_page_applies_nothing_of_it_and_keeps_the_earlier_pages(
        app_client, inprocess_laptops, edit):
    a, b = _pull_setup(inprocess_laptops)
    run_sync(b.store, app_client, page_size=4)
    full = b.store.scalar("SELECT count(*) FROM people")
    fresh = inprocess_laptops(1)[0]
    with tampered(app_client, "/pull", 2, edit) as http, pytest.raises(SyncError) as failed:
        run_sync(fresh.store, http, page_size=4)
    assert failed.value.code == "sync.bad_response"
    first_page = _cursor(fresh)
    assert 0 < first_page  # the first page was applied and its cursor kept
    people = fresh.store.scalar("SELECT count(*) FROM people")
    assert people < full
    run_sync(fresh.store, app_client, page_size=4)  # the next good sync completes it
    assert fresh.store.scalar("SELECT count(*) FROM people") == full == 6
    assert _cursor(fresh) > first_page


@pytest.mark.parametrize("backwards", [True, False], ids=["goes_back", "stands_still"])
def test_a_server_cursor_that_goes_backwards_or_stands_still_is_an_error(
        app_client, inprocess_laptops, backwards):
    """A page whose next cursor is behind the laptop's (or equal to it while the server says
    there is more) would pull forever or move the laptop back: the sync stops with a clear
    error and keeps the cursor it had."""
    a, b = _pull_setup(inprocess_laptops)

    def edit(body, request):
        body["more"] = True
        body["next_cursor"] = 0 if backwards else int(request.url.params["cursor"])

    with tampered(app_client, "/pull", 2, edit) as http, pytest.raises(SyncError) as failed:
        run_sync(b.store, http, page_size=4)
    assert failed.value.code == "sync.bad_response"
    kept = _cursor(b)
    assert kept > 0
    run_sync(b.store, app_client, page_size=4)
    assert _cursor(b) >= kept and b.store.scalar("SELECT count(*) FROM people") == 6


# -- what the push applies ----------------------------------------------------------------------
def docs(url: str, entity: str) -> dict[str, dict]:
    return {r[0]: {"merged_into": r[1], "deleted": r[2], **json.loads(r[3])} for r in server_rows(
        url, "SELECT id, merged_into, deleted, data FROM docs WHERE entity = ?", (entity,))}


def scans(url: str) -> list[tuple]:
    return server_rows(url, "SELECT id, attendance_id, deleted FROM scans ORDER BY checked_in_at")


def test_attendance_is_a_set_showing_the_earliest_check_in(database_url, inprocess_laptops):
    a, b = inprocess_laptops(2)
    a.event()
    person_id = a.register(4500).person["id"]
    a.sync()
    b.sync()
    late = b.store.attendance.check_in(EVENT_ID, person_id, "scan")
    early = a.store.attendance.check_in(EVENT_ID, person_id, "search")
    with a.store.write():  # A's check-in happened first
        a.store.db.execute("UPDATE attendance SET checked_in_at = '2026-11-22T00:00:01+00:00'")
        a.store.db.execute("UPDATE change_log SET payload = json_set(payload, '$.checked_in_at', "
                           "'2026-11-22T00:00:01+00:00') WHERE entity = 'attendance'")
    b.sync()
    a.sync()
    attendance = docs(database_url, "attendance")
    assert len(attendance) == 1
    (doc_id, doc), = attendance.items()
    assert doc["checked_in_at"] == "2026-11-22T00:00:01+00:00" and doc["method"] == "search"
    assert doc["person_id"] == person_id and doc["event_id"] == EVENT_ID
    assert sorted(s[1] for s in scans(database_url)) == [doc_id, doc_id]
    assert late and early
    # the same scan sent again under another change id adds nothing
    with a.store.write():
        a.store.db.execute("UPDATE change_log SET sent_at = NULL, change_id = change_id || 'x' "
                           "WHERE entity = 'attendance'")
    a.sync()
    assert len(scans(database_url)) == 2


def test_undoing_a_check_in_takes_back_every_scan_of_it(database_url, inprocess_laptops):
    a, b = inprocess_laptops(2)
    a.event()
    person_id = a.register(4510).person["id"]
    a.sync()
    b.sync()
    b.store.attendance.check_in(EVENT_ID, person_id, "scan")
    b.sync()
    a.sync()
    attendance_id = a.store.attendance.get(EVENT_ID, person_id)["id"]
    assert a.store.attendance.undo(attendance_id)
    a.sync()
    attendance = docs(database_url, "attendance")
    assert attendance[attendance_id]["deleted"] == 1
    assert [s[2] for s in scans(database_url)] == [1]
    b.sync()
    assert b.store.attendance.get(EVENT_ID, person_id) is None


def test_an_undo_after_a_sync_joined_the_scan_takes_back_this_laptops_scan_only(
        database_url, inprocess_laptops):
    """B checks a person in, a sync joins B's check-in to A's (B's row now carries A's id),
    then B's officer presses Ctrl+Z: B's scan is taken back at the branch, A's stays, and
    the answer says the person stays checked in.  Before, B found nothing to take back,
    sent nothing and answered nothing."""
    from bpjs_field.store.attendance import KEPT_BY_OTHER_DESK, UNDONE
    a, b = inprocess_laptops(2)
    person_id, attendance_id, b_scan = checked_in_on_both(a, b, 4531)
    b.sync()
    assert b.store.attendance.get(EVENT_ID, person_id)["id"] == attendance_id
    assert b.store.attendance.undo(b_scan) == ""  # with no event and person: nothing known
    assert b.store.attendance.undo(b_scan, event_id=EVENT_ID, person_id=person_id) == KEPT_BY_OTHER_DESK
    assert b.store.attendance.get(EVENT_ID, person_id)["id"] == attendance_id
    b.sync()
    live = {s[0]: s[2] for s in scans(database_url)}
    assert live == {attendance_id: 0, b_scan: 1}
    assert docs(database_url, "attendance")[attendance_id]["deleted"] == 0
    a.sync()
    assert a.store.attendance.get(EVENT_ID, person_id)["id"] == attendance_id
    # A takes the check-in back too; B's scan, already taken back, is no longer there.
    assert a.store.attendance.undo(attendance_id) == UNDONE
    a.sync()
    b.sync()
    assert b.store.attendance.get(EVENT_ID, person_id) is None
    assert b.store.attendance.undo(b_scan, event_id=EVENT_ID, person_id=person_id) == UNDONE
    b.sync()
    assert docs(database_url, "attendance")[attendance_id]["deleted"] == 1
    # checked in again afterwards: a new attendance counts
    b.store.attendance.check_in(EVENT_ID, person_id, "scan")
    b.sync()
    live = [d for d in docs(database_url, "attendance").values() if not d["deleted"]]
    assert len(live) == 1 and live[0]["person_id"] == person_id


def test_prints_are_facts_kept_once(database_url, inprocess_laptops):
    a, = inprocess_laptops(1)
    a.event()
    reg = a.register(4520).registration
    print_id = new_id()
    record(a, "print", {"id": print_id, "at": "2026-11-22T01:00:00Z", "document": "receipt.a4",
                                   "subject_id": reg["id"], "copies": 2, "printer": "PDF",
                                   "is_reprint": 0, "version": "1", "secret": "dropped"})
    a.sync()
    with a.store.write():  # the same print again, as a changed fact: the first one stands
        a.store.record_change("print", print_id, {"id": print_id, "at": "2026-11-23T00:00:00Z",
                                                  "document": "brochure.jkk"})
    a.sync()
    prints = docs(database_url, "print")
    assert prints[print_id]["document"] == "receipt.a4" and prints[print_id]["copies"] == 2
    assert "secret" not in prints[print_id]
    # Exactly the fields of the fact, under its own id; both changes acknowledged as applied.
    assert prints[print_id] == {
        "id": print_id, "at": "2026-11-22T01:00:00Z", "document": "receipt.a4",
        "subject_id": reg["id"], "copies": 2, "printer": "PDF", "is_reprint": 0, "version": "1",
        "merged_into": None, "deleted": 0}
    outcomes = server_rows(database_url, "SELECT outcome FROM applied_changes WHERE entity = 'print'")
    assert [o for (o,) in outcomes] == ["applied", "applied"]


def test_officers_made_on_a_laptop_join_the_branch_account(database_url, inprocess_laptops):
    """A laptop-made officer with a branch account's employee number becomes an alias of the
    account; changes to a branch account from a laptop are acknowledged and not applied; a new
    officer is created with the fields the protocol knows."""
    a, = inprocess_laptops(1)
    accounts = {d["employee_no"]: i for i, d in docs(database_url, "officer").items()
                if not d.get("merged_into")}
    same_number, new = new_id(), new_id()
    record(a, "officer", {"id": same_number, "employee_no": "KC-0422", "full_name": "Dua Kali",
                          "created_at": "2026-11-22T00:00:00Z"})
    record(a, "officer", {"id": new, "employee_no": "KC-0777", "full_name": "Petugas Baru",
                                "branch": "KC Cilegon", "role": "officer", "active": 1,
                                "created_at": "2026-11-22T00:00:00Z", "password": "x"})
    record(a, "officer", {"full_name": "Nama Lain", "role": "supervisor"},
           entity_id=accounts["KC-0423"])
    result = a.sync()
    assert result.quarantined == 0
    officers = docs(database_url, "officer")
    assert officers[same_number]["merged_into"] == accounts["KC-0422"]
    assert officers[new]["full_name"] == "Petugas Baru" and officers[new]["branch"] == "KC Cilegon"
    assert "password" not in officers[new] and officers[new]["merged_into"] is None
    assert officers[accounts["KC-0423"]]["full_name"] == "Petugas KC-0423"  # not applied
    outcomes = dict(server_rows(database_url, "SELECT entity_id, outcome FROM applied_changes "
                                       "WHERE entity = 'officer'"))
    assert outcomes == {same_number: "merged", new: "applied", accounts["KC-0423"]: "ignored"}


def test_an_erasure_pushed_in_process_clears_the_server_row(database_url, inprocess_laptops):
    from bpjs_field.store.erasure import PERSONAL, erase_person
    a, b = inprocess_laptops(2)
    a.event()
    people = [a.store.registrations.register(f).person for f in full_people_forms(EVENT_ID)]
    a.sync()
    b.sync()
    b.store.people.update(people[0]["id"], {"phone": "0857-1111-2222"})
    a.store.people.update(people[0]["id"], {"phone": "0857-3333-4444"})
    b.sync()
    a.sync()
    assert server_rows(database_url, "SELECT count(*) FROM conflicts")[0][0] >= 1
    for person in people:
        erase_person(a.store, person["id"], withdrawn=True)
    a.sync()
    server = docs(database_url, "person")
    for person in people:
        data = server[person["id"]]
        assert data["full_name"] == "(dihapus)" and data["erased_at"] and data["consent_withdrawn_at"]
        assert not [f for f in PERSONAL if data.get(f) is not None]
    assert server_rows(database_url, "SELECT count(*) FROM conflicts")[0][0] == 0
    b.store.people.update(people[0]["id"], {"email": "late@contoh.id"})  # too late
    b.sync()
    assert docs(database_url, "person")[people[0]["id"]].get("email") is None


def scan_in(laptop, person_id: str) -> str:
    """The laptop checks the person in at EVENT_ID by a scan; the id of its row for it."""
    assert laptop.store.attendance.check_in(EVENT_ID, person_id, "scan")
    return laptop.store.attendance.get(EVENT_ID, person_id)["id"]


def checked_in_on_both(a, b, number: int) -> tuple[str, str, str]:
    """A registers person `number`, both laptops sync, A checks the person in and syncs; B,
    not having heard of A's check-in, checks the same person in (not synced).  Returns the
    person's id, A's attendance id and B's scan id."""
    a.event()
    person_id = a.register(number).person["id"]
    a.sync()
    b.sync()
    attendance_id = scan_in(a, person_id)
    a.sync()
    return person_id, attendance_id, scan_in(b, person_id)


def test_undoing_one_laptops_scan_keeps_the_others(database_url, inprocess_laptops):
    """B checks a person in and undoes it before syncing, while A's check-in of the same person
    already reached the server: B's scan joins A's attendance and is taken back, A's stays.
    Then A's undo removes the attendance and every scan of it."""
    a, b = inprocess_laptops(2)
    person_id, attendance_id, b_scan = checked_in_on_both(a, b, 4530)
    assert b_scan != attendance_id and b.store.attendance.undo(b_scan)
    b.sync()
    assert docs(database_url, "attendance")[attendance_id]["deleted"] == 0
    assert [(s[0], s[2]) for s in scans(database_url) if s[2] == 0] == [(attendance_id, 0)]
    assert b.store.attendance.get(EVENT_ID, person_id)["id"] == attendance_id
    assert a.store.attendance.undo(attendance_id)
    a.sync()
    assert docs(database_url, "attendance")[attendance_id]["deleted"] == 1
    assert {s[2] for s in scans(database_url)} == {1}
    b.sync()
    assert b.store.attendance.get(EVENT_ID, person_id) is None
