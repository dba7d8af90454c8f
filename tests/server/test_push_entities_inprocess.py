"""The branch server's push in process (see test_push_inprocess.py), continued: what the
branch database holds after attendance, people, registrations and events pushed in the
orders and by the routes the field meets (a scan carried by another laptop, a person known
under two ids, two scans at one time), and the outcome recorded for each change."""

from __future__ import annotations

import json
import time

import pytest

from bpjs_field.domain.names import name_key
from bpjs_field.handcarry import export_changes, import_changes
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.pull import server_digest
from bpjs_field.sync import hub_seed
from bpjs_field.store.store import new_id
from bpjs_field.sync.digest import laptop_digest
from harness import EVENT_ID, Laptop, server_rows
from test_push_inprocess import (URL, app_client, docs, inprocess_laptops,  # noqa: F401 (fixtures)
                                 checked_in_on_both, record, scan_in, scans)


def outcomes(url: str, entity: str) -> dict[str, str]:
    """The outcome of each change of `entity` the server received, by change id."""
    return dict(server_rows(url, "SELECT change_id, outcome FROM applied_changes WHERE entity = ?",
                            (entity,)))


def branch_digest(url: str) -> dict:
    db = ServerDatabase(url)
    try:
        return server_digest(db)
    finally:
        db.close()


def attendance_changes(laptop) -> list[str]:
    return [r["change_id"] for r in laptop.store.query(
        "SELECT change_id FROM change_log WHERE entity = 'attendance' ORDER BY seq")]


def set_check_in_time(laptop, at: str) -> None:
    """The laptop's check-ins (and their queued changes) at the time `at`."""
    with laptop.store.write():
        laptop.store.db.execute("UPDATE attendance SET checked_in_at = ?", (at,))
        laptop.store.db.execute("UPDATE change_log SET payload = json_set(payload, '$.checked_in_at', "
                                "?) WHERE entity = 'attendance' AND sent_at IS NULL", (at,))


@pytest.fixture
def officers_laptop(app_client, tmp_path):
    """A laptop enrolled by an officer (KC-0430), syncing to the in-process server."""
    laptop = Laptop(tmp_path / "officer.sqlite3")
    laptop.http.close()
    laptop.http = app_client
    laptop.enroll(URL, "KC-0430")
    yield laptop
    laptop.store.close()


def quarantined(url: str) -> dict[str, str]:
    return dict(server_rows(url, "SELECT change_id, reason FROM quarantine"))


# -- attendance -----------------------------------------------------------------------------
def test_a_later_or_simultaneous_scan_joins_and_leaves_the_first_check_in_shown(
        database_url, inprocess_laptops):
    """A's check-in reaches the server first; B's later one, then a third at the very same
    time as A's, join it: the attendance keeps showing A's scan (time, method, laptop), and
    each change's outcome says what happened to it."""
    a, b = inprocess_laptops(2)
    a.event()
    person_id = a.register(4700).person["id"]
    a.sync()
    b.sync()
    assert a.store.attendance.check_in(EVENT_ID, person_id, "search")
    set_check_in_time(a, "2026-11-22T00:00:01+00:00")
    assert b.store.attendance.check_in(EVENT_ID, person_id, "scan")
    set_check_in_time(b, "2026-11-22T00:05:00+00:00")
    a.sync()
    b.sync()
    (attendance_id, row), = docs(database_url, "attendance").items()
    first = a.store.attendance.get(EVENT_ID, person_id)
    assert attendance_id == first["id"]
    shown = {"checked_in_at": "2026-11-22T00:00:01+00:00", "method": "search",
             "device_id": a.store.device_id, "officer_id": first["officer_id"]}
    assert {k: row[k] for k in shown} == shown
    # Another scan at the very same time as A's: the first one to arrive stays shown.
    tie = record(b, "attendance", {"event_id": EVENT_ID, "person_id": person_id, "method": "scan",
                             "checked_in_at": "2026-11-22T00:00:01+00:00",
                             "device_id": b.store.device_id})
    b.sync()
    row = docs(database_url, "attendance")[attendance_id]
    assert {k: row[k] for k in shown} == shown
    # The same scan sent again under another change id: acknowledged, nothing new.
    (first_change,), (late, _tie) = attendance_changes(a), attendance_changes(b)
    with b.store.write():
        b.store.db.execute("UPDATE change_log SET sent_at = NULL, change_id = change_id || 'x' "
                           "WHERE entity = 'attendance'")
    b.sync()
    assert outcomes(database_url, "attendance") == {
        first_change: "applied", late: "joined", tie: "joined", late + "x": "applied",
        tie + "x": "applied"}
    assert server_rows(database_url, "SELECT count(*) FROM scans")[0][0] == 3


def test_a_carried_check_in_keeps_its_scanner_and_points_at_the_surviving_person(
        database_url, inprocess_laptops, tmp_path):
    """B checks in its own copy of a person A registered first (the same NIK): the copy joins
    A's person, whose values its blanks do not erase, and the attendance and registration
    name the person who survives.  A's check-in of another person, carried to the branch by
    B on a USB stick, is recorded as A's scan, with the fields A pushed."""
    a, b = inprocess_laptops(2)
    a.event()
    b.event()
    survivor = a.register(4710).person["id"]
    a.store.people.update(survivor, {"email": "siti.r@contoh.id", "birth_place": "Bekasi"})
    a.sync()
    alias = b.register(4710, check_in=True, name="Siti Rahmawati Lain")  # B had not heard of A's
    assert alias.person["id"] != survivor and alias.person["email"] is None
    (joined,) = [r["change_id"] for r in b.store.query(
        "SELECT change_id FROM change_log WHERE entity = 'person'")]
    b_row = b.store.attendance.get(EVENT_ID, alias.person["id"])
    carried = a.register(4711, check_in=True).person["id"]
    a_row = a.store.attendance.get(EVENT_ID, carried)
    carry(a, b, tmp_path / "acara.bpjsf")
    assert b.sync().quarantined == 0
    attendance = docs(database_url, "attendance")
    assert attendance[b_row["id"]] == {**b_row, "person_id": survivor, "merged_into": None,
                                       "deleted": 0}
    assert attendance[a_row["id"]] == {**a_row, "merged_into": None, "deleted": 0}
    people = docs(database_url, "person")
    assert people[alias.person["id"]] == {"id": alias.person["id"], "merged_into": survivor,
                                          "deleted": 0}
    assert people[survivor]["email"] == "siti.r@contoh.id"  # a blank of the copy erases nothing
    empty = record(b, "person", {"nik": alias.person["nik"], "full_name": alias.person["full_name"],
                                 "birth_place": "", "address": "Jl. Melati 5"})
    assert b.sync().quarantined == 0  # another copy: its empty birth place erases nothing,
    assert outcomes(database_url, "person")[empty] == "merged"  # its address fills a blank
    person = docs(database_url, "person")[survivor]
    assert (person["birth_place"], person["address"]) == ("Bekasi", "Jl. Melati 5")
    # The copy's name is newer: it is shown, and the first one kept for a supervisor.  Consent
    # is a record of events: the person shows the newest, and it is nothing to decide.
    assert people[survivor]["full_name"] == "Siti Rahmawati Lain"
    assert people[survivor]["consent_at"] == alias.person["consent_at"]
    assert server_rows(database_url, "SELECT entity_id, field, lost_value FROM conflicts") == [
        (survivor, "full_name", json.dumps(a.store.people.get(survivor)["full_name"]))]
    assert outcomes(database_url, "person")[joined] == "merged"
    registration = docs(database_url, "registration")[alias.registration["id"]]
    assert (registration["person_id"], registration["code"]) == (survivor, alias.registration["code"])
    # Both laptops, once synced, hold what the branch holds (the consistency check agrees).
    a.sync()
    b.sync()
    assert laptop_digest(a.store) == laptop_digest(b.store) == branch_digest(database_url)
    (scan,) = server_rows(database_url, "SELECT device_id, person_id, data FROM scans WHERE id = ?",
                          (a_row["id"],))
    assert scan[:2] == (a.store.device_id, carried)
    assert json.loads(scan[2]) == a_row


def test_undoing_the_attendance_itself_takes_back_every_laptops_scan(database_url,
                                                                     inprocess_laptops):
    """A checks a person in, B's scan joins it; then A undoes the check-in while B's scan is
    still live: the attendance goes, with every laptop's scan, on the branch and on B."""
    a, b = inprocess_laptops(2)
    person_id, attendance_id, _b_scan = checked_in_on_both(a, b, 4710)
    b.sync()
    assert [s[2] for s in scans(database_url)] == [0, 0]  # A's scan and B's, both live
    assert a.store.attendance.undo(attendance_id)
    (undo,) = [r["change_id"] for r in a.store.query(
        "SELECT change_id FROM change_log WHERE entity = 'attendance' AND op = 'delete'")]
    a.sync()
    assert outcomes(database_url, "attendance")[undo] == "applied"
    # Nothing of the check-in is left in the branch's row but its id.
    assert docs(database_url, "attendance")[attendance_id] == {
        "merged_into": None, "deleted": 1, "id": attendance_id}
    assert {s[2] for s in scans(database_url)} == {1}
    b.sync()
    assert b.store.attendance.get(EVENT_ID, person_id) is None


def test_undoing_a_scan_the_branch_already_joined_keeps_the_others_and_an_unknown_undo_is_done(
        database_url, inprocess_laptops):
    """B's scan reached the branch (joined to A's attendance) before B's undo of it: the undo
    takes back B's scan alone and A's check-in stays. An undo of a check-in the branch never heard
    of has nothing to take back, and is done."""
    a, b = inprocess_laptops(2)
    _person_id, attendance_id, b_scan = checked_in_on_both(a, b, 4720)
    b.sync()
    assert sorted(s[:3] for s in scans(database_url)) == sorted(
        [(attendance_id, attendance_id, 0), (b_scan, attendance_id, 0)])
    # B's undo, made before B heard of A's check-in (B's own row is A's since the pull), as a
    # copy carried from before that pull would bring it.
    undo = record(b, "attendance", {}, op="delete", entity_id=b_scan)
    b.sync()
    assert outcomes(database_url, "attendance")[undo] == "applied"
    assert sorted(s[:3] for s in scans(database_url)) == sorted(
        [(attendance_id, attendance_id, 0), (b_scan, attendance_id, 1)])
    assert docs(database_url, "attendance")[attendance_id]["deleted"] == 0
    unknown = record(b, "attendance", {}, op="delete")
    b.sync()
    assert outcomes(database_url, "attendance")[unknown] == "applied"
    assert [s[2] for s in scans(database_url) if s[0] == attendance_id] == [0]


def carry(source, carrier, path) -> None:
    """The source laptop's unsent changes carried to `carrier` on a USB stick."""
    export_changes(source.store, path, "pasar-malam-2026")
    import_changes(carrier.store, path, "pasar-malam-2026")


def live_scans(url: str, attendance_id: str) -> set[str]:
    return {s[0] for s in scans(url) if s[1] == attendance_id and s[2] == 0}


def three_knowing_two(inprocess_laptops, number: int):
    """Three laptops that all know the event and persons `number` and `number + 1`, which A
    registered: (a, b, c, first person's id, second person's id)."""
    a, b, c = inprocess_laptops(3)
    a.event()
    first, second = a.register(number).person["id"], a.register(number + 1).person["id"]
    for laptop in (a, b, c):
        laptop.sync()
    return a, b, c, first, second


def test_a_scan_undone_in_the_push_that_brings_it_leaves_the_others_of_that_push(
        database_url, inprocess_laptops, tmp_path):
    """B delivers its own check-in and C's check-in and undo of the same person, carried on a
    USB stick, in one push: C's scan comes and goes, the attendance stays with the scans that
    are left, counted whether the branch held them already or they came in that same push."""
    a, b, c, known, new = three_knowing_two(inprocess_laptops, 4730)
    # Known to the branch: A's check-in; B's own and C's undone one join it in one push.
    attendance_id = scan_in(a, known)
    a.sync()
    b_scan = scan_in(b, known)
    c_scan = scan_in(c, known)
    assert c.store.attendance.undo(c_scan)
    carry(c, b, tmp_path / "c1.bpjsf")
    assert b.sync().quarantined == 0
    assert docs(database_url, "attendance")[attendance_id]["deleted"] == 0
    assert live_scans(database_url, attendance_id) == {attendance_id, b_scan}
    assert c_scan not in {s[0] for s in scans(database_url)}
    b.sync()
    assert b.store.attendance.get(EVENT_ID, known)["id"] == attendance_id
    # New to the branch: B's check-in makes the attendance in the push that brings C's
    # check-in of the same person and its undo (and nothing else).
    b_first = scan_in(b, new)
    c_scan = scan_in(c, new)
    assert c.store.attendance.undo(c_scan)
    carry(c, b, tmp_path / "c2.bpjsf")
    assert b.sync().quarantined == 0
    attendance = docs(database_url, "attendance")[b_first]
    assert (attendance["deleted"], attendance["person_id"]) == (0, new)
    assert live_scans(database_url, b_first) == {b_first}
    assert c_scan not in {s[0] for s in scans(database_url)}
    undo = attendance_changes(c)[-1]
    assert outcomes(database_url, "attendance")[undo] == "applied"


# An event hub's database is SQLite (SQLCipher) only: the seeding below has no PostgreSQL form.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_undo_that_leaves_an_attendance_no_live_scan_takes_the_attendance_back(
        database_url, inprocess_laptops):
    """At an event's hub (the same push, on the hub's database): B's scan joined A's check-in
    there, which A then undid; the branch's row made by B's scan (it reached the branch first)
    is then seeded to the hub, whose copy of that scan is the undone one.  The row is live
    with no live scan; B's next check-in joins it, and B's undo of that one, in the same push,
    leaves no scan: the attendance is taken back, as an undone check-in is."""
    a, b = inprocess_laptops(2)
    person_id, attendance_id, b_scan = checked_in_on_both(a, b, 4750)
    b.sync()
    assert a.store.attendance.undo(attendance_id)
    a.sync()
    assert {s[2] for s in scans(database_url)} == {1}
    b.sync()
    row = {"id": b_scan, "event_id": EVENT_ID, "person_id": person_id, "method": "scan",
           "checked_in_at": "2026-11-22T00:10:00+00:00", "device_id": b.store.device_id,
           "officer_id": None, "created_at": "2026-11-22T00:10:00+00:00"}
    db = ServerDatabase(database_url)
    try:
        with db.write() as tx:
            assert hub_seed.take(tx, "attendance", [row])["taken"] == 1
    finally:
        db.close()
    assert docs(database_url, "attendance")[b_scan]["deleted"] == 0
    assert live_scans(database_url, b_scan) == set()
    again = scan_in(b, person_id)
    assert b.store.attendance.undo(again)
    assert b.sync().quarantined == 0
    assert outcomes(database_url, "attendance")[attendance_changes(b)[-2]] == "joined"
    assert docs(database_url, "attendance")[b_scan] == {"merged_into": None, "deleted": 1,
                                                        "id": b_scan}
    assert {s[2] for s in scans(database_url)} == {1}
    b.sync()
    assert b.store.attendance.get(EVENT_ID, person_id) is None


def test_an_attendance_undone_in_the_push_that_brings_a_scan_of_it_takes_that_scan_too(
        database_url, inprocess_laptops, tmp_path):
    """B delivers, in one push, its own check-in of one person, C's check-in of another
    (joining A's attendance) and A's undo of that attendance, both carried on USB sticks: the
    attendance goes with every scan of it, C's included; B's check-in of the other stays."""
    a, b, c, person_id, other = three_knowing_two(inprocess_laptops, 4740)
    attendance_id = scan_in(a, person_id)
    a.sync()
    b_scan = scan_in(b, other)
    c_scan = scan_in(c, person_id)
    assert a.store.attendance.undo(attendance_id)
    carry(c, b, tmp_path / "c.bpjsf")
    carry(a, b, tmp_path / "a.bpjsf")
    assert b.sync().quarantined == 0
    assert outcomes(database_url, "attendance")[attendance_changes(c)[-1]] == "joined"
    attendance = docs(database_url, "attendance")
    assert attendance[attendance_id] == {"merged_into": None, "deleted": 1, "id": attendance_id}
    assert live_scans(database_url, attendance_id) == set()
    assert c_scan not in {s[0] for s in scans(database_url) if s[2] == 0}
    assert (attendance[b_scan]["deleted"], attendance[b_scan]["person_id"]) == (0, other)
    assert live_scans(database_url, b_scan) == {b_scan}
    a.sync()
    assert a.store.attendance.get(EVENT_ID, person_id) is None


# -- people ----------------------------------------------------------------------------------
def test_an_officers_laptop_fills_empty_fields_but_cannot_erase_or_withdraw_consent(
        database_url, officers_laptop):
    """An officer's laptop completes what is empty on the server (null or empty text); an
    erasure or a withdrawal of consent from it, each alone, is kept aside for a supervisor
    and changes nothing."""
    laptop = officers_laptop
    laptop.event()
    person_id = laptop.register(4720).person["id"]
    laptop.sync()
    empty = record(laptop, "person", {"birth_place": ""}, entity_id=person_id)
    laptop.sync()
    assert docs(database_url, "person")[person_id]["birth_place"] == ""
    laptop.store.people.update(person_id, {"birth_place": "Bekasi"})
    filled = laptop.store.scalar("SELECT change_id FROM change_log ORDER BY seq DESC LIMIT 1")
    laptop.sync()
    person = docs(database_url, "person")[person_id]
    assert person["birth_place"] == "Bekasi"
    assert {k: v for k, v in outcomes(database_url, "person").items() if k in (empty, filled)} == {
        empty: "blanks_only", filled: "blanks_only"}
    erase = record(laptop, "person", {"erased_at": "2026-11-23T00:00:00Z"}, entity_id=person_id)
    withdraw = record(laptop, "person", {"consent_withdrawn_at": "2026-11-23T00:00:00Z"},
                      entity_id=person_id)
    assert laptop.sync().quarantined == 2
    assert quarantined(database_url) == {erase: "person.erase_needs_supervisor",
                                         withdraw: "person.erase_needs_supervisor"}
    assert docs(database_url, "person")[person_id] == person


def test_an_erasure_arriving_before_its_person_makes_the_row(database_url, inprocess_laptops):
    """Carried from an event's hub by a laptop that never had the person: the row says it is
    erased, and which laptop made it and when, as laptops require of every person."""
    a, = inprocess_laptops(1)
    person_id = new_id()
    change = record(a, "person", {"full_name": "(dihapus)", "erased_at": "2026-11-22T03:00:00Z",
                                  "consent_withdrawn_at": "2026-11-22T03:00:00Z"},
                    entity_id=person_id)
    made = a.store.query_one("SELECT hlc, created_at FROM change_log WHERE change_id = ?", (change,))
    assert a.sync().quarantined == 0
    assert docs(database_url, "person")[person_id] == {
        "id": person_id, "full_name": "(dihapus)", "name_key": name_key("(dihapus)"),
        "erased_at": "2026-11-22T03:00:00Z", "consent_withdrawn_at": "2026-11-22T03:00:00Z",
        "created_device": a.store.device_id, "created_at": made["created_at"],
        "merged_into": None, "deleted": 0}
    assert outcomes(database_url, "person") == {change: "applied"}


# -- fields merging ----------------------------------------------------------------------------
def _change(laptop) -> tuple[str, str]:
    """The change id and clock of the laptop's last change."""
    row = laptop.store.query_one("SELECT change_id, hlc FROM change_log ORDER BY seq DESC LIMIT 1")
    return row["change_id"], row["hlc"]


def conflicts(url: str) -> list[tuple]:
    return server_rows(url, "SELECT entity, entity_id, field, kept_value, lost_value, kept_hlc, "
                            "lost_hlc, kept_device, lost_device, change_id FROM conflicts ORDER BY id")


def test_an_edit_loses_or_wins_by_its_clock_and_the_other_value_is_kept_for_a_supervisor(
        database_url, inprocess_laptops):
    """Two supervisors edit one phone number: the older edit, arriving last, loses and is kept
    in `conflicts`; a newer edit made without having seen the other laptop's value wins and
    keeps the value it replaced; an edit made after seeing it replaces it quietly."""
    a, b = inprocess_laptops(2)
    a.event()
    person_id = a.register(4730).person["id"]
    a.sync()
    b.sync()
    same = "Jl. Kenanga 3"  # both write the same address: nothing to decide
    b.store.people.update(person_id, {"phone": "0857-1111-2222", "address": same})
    older, older_hlc = _change(b)
    time.sleep(0.005)  # a clock of its own millisecond: A's edit is the newer
    a.store.people.update(person_id, {"phone": "0857-3333-4444", "address": same})
    newer, newer_hlc = _change(a)
    a.sync()
    b.sync()
    assert docs(database_url, "person")[person_id]["phone"] == "+6285733334444"
    assert conflicts(database_url) == [
        ("person", person_id, "phone", '"+6285733334444"', '"+6285711112222"', newer_hlc,
         older_hlc, a.store.device_id, b.store.device_id, older)]
    # B, having seen A's number, writes an e-mail; A writes another without having pulled it.
    b.store.people.update(person_id, {"email": "b@contoh.id"})
    b.sync()
    _b_email, b_hlc = _change(b)
    a.store.people.update(person_id, {"email": "a@contoh.id"})
    unseen, unseen_hlc = _change(a)
    a.store.people.update(person_id, {"email": "a2@contoh.id"})  # A's own value: no conflict
    a.sync()
    assert docs(database_url, "person")[person_id]["email"] == "a2@contoh.id"
    assert conflicts(database_url)[1:] == [
        ("person", person_id, "email", '"a@contoh.id"', '"b@contoh.id"', unseen_hlc, b_hlc,
         a.store.device_id, b.store.device_id, unseen)]
    # B has now pulled A's e-mail (its cursor is that write's): its next edit replaces it
    # without a conflict.
    b.sync()
    b.store.people.update(person_id, {"email": "b.baru@contoh.id", "full_name": "Siti Baru"})
    b.sync()
    person = docs(database_url, "person")[person_id]
    assert (person["email"], person["full_name"], person["address"]) == (
        "b.baru@contoh.id", "Siti Baru", same)
    assert person["name_key"] == name_key("Siti Baru")
    assert len(conflicts(database_url)) == 2
    # What a merge never changes (identity, provenance) or does not know stays as it was.
    before = docs(database_url, "person")[person_id]
    record(a, "person", {"nik": "3216090101900002", "created_device": "lain", "rahasia": 1,
                         "birth_place": "Karawang"}, entity_id=person_id)
    a.sync()
    assert docs(database_url, "person")[person_id] == {**before, "birth_place": "Karawang"}
    # A field B left as empty text, filled by A without having seen it: nothing to decide.
    record(b, "person", {"mother_name": ""}, entity_id=person_id)
    b.sync()
    a.store.people.update(person_id, {"mother_name": "Sumiati"})
    a.sync()
    assert docs(database_url, "person")[person_id]["mother_name"] == "Sumiati"
    assert len(conflicts(database_url)) == 2
    assert outcomes(database_url, "person")[newer] == "applied"



# -- events ----------------------------------------------------------------------------------
def test_an_event_is_kept_as_made_and_edited_field_by_field(database_url, inprocess_laptops):
    """A new event as the laptop made it (last changed when it was made); another laptop's
    edit changes the fields it names."""
    a, b = inprocess_laptops(2)
    event = {k: v for k, v in a.event().items() if k != "deleted_at"}  # not sent while unset
    made = _change(a)[0]
    a.sync()
    assert docs(database_url, "event")[EVENT_ID] == {**event, "merged_into": None, "deleted": 0}
    b.sync()
    edited = b.store.events.update(EVENT_ID, {"title": "Senam Pagi Karangasih",
                                              "venue": "Balai Desa Karangasih"})
    edit = _change(b)[0]
    b.sync()
    assert docs(database_url, "event")[EVENT_ID] == {
        **event, **{k: edited[k] for k in ("title", "venue", "updated_at")}, "merged_into": None,
        "deleted": 0}
    assert outcomes(database_url, "event") == {made: "applied", edit: "applied"}


# -- a change kept aside, tried again ---------------------------------------------------------
def test_a_change_kept_aside_is_tried_again_until_it_applies(database_url, inprocess_laptops):
    """A registration whose person has not reached the branch is kept aside; sent again while
    the person is still missing it stays there (one more attempt, from the laptop that sent
    it); once the person is there it is applied, and leaves quarantine."""
    from bpjs_field.sync.engine import retry_refused
    a, = inprocess_laptops(1)
    a.event()
    made = a.register(4740)
    person_id, registration_id = made.person["id"], made.registration["id"]
    with a.store.write():  # the person's change waits (a laptop restored from a backup, say)
        a.store.db.execute("UPDATE change_log SET sent_at = 'held' WHERE entity = 'person'")
    (change,) = [r["change_id"] for r in a.store.query(
        "SELECT change_id FROM change_log WHERE entity = 'registration'")]
    assert a.sync().quarantined == 1  # sent twice: once more after the whole log went
    kept = "SELECT reason, attempts, device_id FROM quarantine WHERE change_id = ?"
    assert server_rows(database_url, kept, (change,)) == [
        ("registration.unknown_person", 2, a.store.device_id)]
    assert retry_refused(a.store) == 1
    again = a.sync()
    assert (again.quarantined, again.duplicates) == (1, 0)
    assert server_rows(database_url, kept, (change,)) == [
        ("registration.unknown_person", 4, a.store.device_id)]
    assert outcomes(database_url, "registration") == {change: "quarantined"}
    with a.store.write():
        a.store.db.execute("UPDATE change_log SET sent_at = NULL WHERE entity = 'person'")
    a.sync()
    assert retry_refused(a.store) == 1
    assert a.sync().quarantined == 0
    assert server_rows(database_url, kept, (change,)) == []
    assert outcomes(database_url, "registration") == {change: "applied"}
    assert docs(database_url, "registration")[registration_id]["person_id"] == person_id
