"""What one push reads of the branch database (in process, see test_push_inprocess.py): the
rows a batch needs are read in bulk before any change is applied, one query per kind of row,
whatever the batch's size, so a push over PostgreSQL on the branch network stays fast; and a
batch naming more than 900 rows (the branch reads 900 at a time) finds every one of them."""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.handcarry import export_changes, import_into_server
from bpjs_field.protocol import PushRequest
from bpjs_field.server.accounts import utc_now
from bpjs_field.server.db import ServerDatabase, Tx
from bpjs_field.server.push import PushApplier
from bpjs_field.store.store import new_id
from bpjs_field.sync.engine import SyncEngine
from harness import EVENT_ID, put_server_doc, record_prints, server_rows
from test_push_inprocess import (app_client, docs, inprocess_laptops,  # noqa: F401 (fixtures)
                                 record, run_sync, scan_in, scans)


class CountingTx(Tx):
    """The push's own write transaction, each read of rows (`docs`) or scans noted on its way
    through: which table, entity and key it looks up, and how many values."""

    def __init__(self, tx: Tx) -> None:
        super().__init__(tx.conn, tx.postgres)
        self.reads: list[tuple[Any, ...]] = []

    def execute(self, sql: str, params: Any = ()) -> Any:
        if sql.startswith("SELECT entity, id, rev"):
            key = sql.split(" AND ")[1].split(" IN ")[0]
            self.reads.append(("docs", params[0], key, len(params) - 1))
        elif sql.startswith("SELECT id FROM scans WHERE id IN"):
            self.reads.append(("scans", len(params)))
        return super().execute(sql, params)


def push_reads(database_url: str, laptop, app_client) -> list[tuple[Any, ...]]:
    """The laptop's unsent changes applied as the server applies a push (one write
    transaction), every change applied; the reads that push made.  The changes are then
    marked sent on the laptop."""
    body, *_ = SyncEngine(laptop.store, app_client)._batch(0)
    push = PushRequest.model_validate(json.loads(body))
    db = ServerDatabase(database_url)
    try:
        with db.write() as tx:
            counting = CountingTx(tx)
            counts = PushApplier(counting, push.device_id, push.cursor, utc_now(),
                                 push.device_key, refuse_invalid=True).apply(push.changes)
    finally:
        db.close()
    assert (counts["applied"], counts["quarantined"]) == (len(push.changes), 0)
    with laptop.store.write():
        laptop.store.db.execute("UPDATE change_log SET sent_at = 'measured' WHERE sent_at IS NULL")
    return counting.reads


def test_a_push_reads_the_rows_it_needs_in_bulk_whatever_its_size(
        database_url, app_client, inprocess_laptops):
    """B checks in people the branch knows, at events it knows (neither in B's batch); C,
    which never synced, registers the same people again (the branch makes each an alias by
    NIK) with registration codes of its own, and adds officers.  Each batch, of 2 and then
    of 4 of each change, reads each kind of row once, with every value in one query: the
    people and events its changes name, people by NIK, codes, employee numbers, check-ins
    by (event, person), scans."""
    a, b, c = inprocess_laptops(3)
    events = [new_id() for _ in range(6)]
    for event_id in events:
        a.event(event_id)
    people = [a.register(4800 + i, event_id=events[i]).person["id"] for i in range(6)]
    a.sync()
    b.sync()
    reads: dict[str, dict[int, list]] = {"b": {}, "c": {}}
    for part in (range(0, 2), range(2, 6)):
        for i in part:
            assert b.store.attendance.check_in(events[i], people[i], "scan")
        reads["b"][len(part)] = push_reads(database_url, b, app_client)
        for i in part:
            c.event(events[i])
        with c.store.write():  # the events are the branch's already: not in C's batch
            c.store.db.execute("UPDATE change_log SET sent_at = 'held' WHERE entity = 'event'")
        for i in part:
            c.register(4800 + i, event_id=events[i])
            record(c, "officer", {"employee_no": f"KC-08{i:02d}", "full_name": f"Petugas {i}",
                                  "branch": "KC Cilegon", "role": "officer",
                                  "created_at": "2026-11-22T00:00:00Z"})
        reads["c"][len(part)] = push_reads(database_url, c, app_client)
    for laptop, by_size in reads.items():
        kinds = [r[:-1] for r in by_size[4]]
        assert kinds == [r[:-1] for r in by_size[2]], laptop  # no read per change
        assert len(set(kinds)) == len(kinds), laptop  # each kind of row read once
    assert sorted(reads["b"][4]) == [
        ("docs", "attendance", "id", 4), ("docs", "attendance", "ident", 4),
        ("docs", "event", "id", 4), ("docs", "person", "id", 4), ("scans", 4)]
    # C's 4 people, registrations, officers, and the people and codes looked up by identity
    assert {r[:-1]: r[-1] for r in reads["c"][4]} == {
        ("docs", "person", "id"): 4, ("docs", "registration", "id"): 4,
        ("docs", "officer", "id"): 4, ("docs", "event", "id"): 4,
        ("docs", "person", "ident"): 4, ("docs", "registration", "ident"): 4,
        ("docs", "officer", "ident"): 4}
    merged = {i: d["merged_into"] for i, d in docs(database_url, "person").items()}
    assert sorted(v for v in merged.values() if v) == sorted(people)


def test_a_carried_file_naming_more_than_900_known_rows_finds_each_of_them(
        database_url, inprocess_laptops, tmp_path):
    """901 prints, then 901 scans of one check-in, each carried to the branch; then the same
    facts again under new change ids (the branch reads rows and scans 900 at a time): every
    one is found at the branch, so each change is applied and nothing is made twice."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    person_id = laptop.register(4850).person["id"]
    laptop.sync()
    path = tmp_path / "laptop.bpjsf"

    def carry_twice(entity: str, outcomes: dict[str, int]) -> dict[str, int]:
        assert export_changes(laptop.store, path, "pasar-malam-2026") == 901
        first = import_into_server(database_url, path, "pasar-malam-2026")
        assert (first["applied"], first["quarantined"]) == (901, 0)
        with laptop.store.write():
            laptop.store.db.execute("UPDATE change_log SET change_id = change_id || 'x' "
                                    "WHERE sent_at IS NULL")
        assert export_changes(laptop.store, path, "pasar-malam-2026") == 901
        again = import_into_server(database_url, path, "pasar-malam-2026")
        with laptop.store.write():
            laptop.store.db.execute("UPDATE change_log SET sent_at = 'carried' "
                                    "WHERE sent_at IS NULL")
        assert dict(server_rows(database_url, "SELECT outcome, count(*) FROM applied_changes "
                                              "WHERE entity = ? GROUP BY outcome", (entity,))
                    ) == outcomes
        return again

    record_prints(laptop.store, 901)
    again = carry_twice("print", {"applied": 1802})
    assert (again["applied"], again["duplicates"], again["quarantined"]) == (901, 0, 0)
    prints = docs(database_url, "print")
    assert len(prints) == 901 and {p["copies"] for p in prints.values()} == {1, 2, 3}
    with laptop.store.write():
        for i in range(901):
            scan_id = new_id()
            laptop.store.record_change("attendance", scan_id, {
                "id": scan_id, "event_id": EVENT_ID, "person_id": person_id, "method": "scan",
                "device_id": laptop.store.device_id,
                "checked_in_at": f"2026-11-22T01:{i // 60:02d}:{i % 60:02d}Z"})
    # the first scan makes the check-in, the 900 later ones join it; sent again, each is known
    again = carry_twice("attendance", {"applied": 1 + 901, "joined": 900})
    assert (again["applied"], again["duplicates"], again["quarantined"]) == (901, 0, 0)
    (attendance_id, attendance), = docs(database_url, "attendance").items()
    assert attendance["checked_in_at"] == "2026-11-22T01:00:00Z"
    assert {s[1] for s in scans(database_url)} == {attendance_id}
    assert len(scans(database_url)) == 901


def test_a_push_naming_a_person_in_a_loop_of_aliases_is_answered(
        database_url, app_client, inprocess_laptops):
    """Damaged data (two people each recorded as the alias of the other, which the branch
    never writes itself): a check-in of one of them still gets its answer, the search for the
    surviving person stopping after a bounded number of hops, instead of holding the branch's
    write lock for ever."""
    a, = inprocess_laptops(1)
    a.event()
    person_id = a.register(4860).person["id"]
    a.sync()
    other = new_id()
    put_server_doc(database_url, "person", {"id": other, "merged_into": person_id},
                   merged_into=person_id)
    db = ServerDatabase(database_url)
    try:
        with db.write() as tx:
            tx.execute("UPDATE docs SET merged_into = ? WHERE entity = 'person' AND id = ?",
                       (other, person_id))
    finally:
        db.close()
    assert a.store.attendance.check_in(EVENT_ID, person_id, "scan")
    result = run_sync(a.store, app_client)
    assert (result.pushed, result.quarantined) == (1, 0)
    (attendance,) = docs(database_url, "attendance").values()
    assert attendance["person_id"] in (person_id, other)


def test_a_check_in_of_a_person_the_same_batch_makes_an_alias_joins_the_branchs_check_in(
        database_url, inprocess_laptops):
    """A registers and checks in a walk-in and syncs; B, which never synced, registers the same
    person (same NIK) and checks them in too.  B's batch makes its person an alias of A's, so
    only then is the check-in to join known (event, surviving person): read when the change
    needs it, it is found, B's scan joins it, and the person has one check-in."""
    a, b = inprocess_laptops(2)
    a.event()
    b.event()
    first = a.register(4870, check_in=True).person["id"]
    a.sync()
    second = b.register(4870, check_in=True).person["id"]
    assert second != first
    result = b.sync()
    assert result.quarantined == 0
    assert docs(database_url, "person")[second]["merged_into"] == first
    (attendance_id, attendance), = docs(database_url, "attendance").items()
    assert attendance["person_id"] == first and attendance["deleted"] == 0
    assert sorted(s[1] for s in scans(database_url)) == [attendance_id, attendance_id]


def test_an_edit_naming_a_person_the_branch_made_an_alias_lands_on_the_survivor(
        database_url, inprocess_laptops):
    """B registers a person A registered first (same NIK): the branch makes B's row an alias.
    An edit B made before it heard of that, naming its own row, arrives in a later push: it
    lands on the surviving person, read with the alias it is, and B's row stays an alias."""
    a, b = inprocess_laptops(2)
    a.event()
    b.event()
    first = a.register(4880).person["id"]
    a.sync()
    second = b.register(4880).person["id"]
    b.sync()
    assert docs(database_url, "person")[second]["merged_into"] == first
    record(b, "person", {"email": "baru@contoh.id"}, entity_id=second)
    assert b.sync().quarantined == 0
    people = docs(database_url, "person")
    assert people[second] == {"id": second, "merged_into": first, "deleted": 0}
    assert people[first]["email"] == "baru@contoh.id"


def test_an_undo_of_a_check_in_the_branch_has_undone_changes_nothing(
        database_url, inprocess_laptops):
    """A checks a person in and both laptops sync; A undoes it; B, not having heard of that,
    undoes the same check-in.  B's undo finds the check-in undone, read as such: nothing is
    written again (no new revision for every laptop to pull)."""
    a, b = inprocess_laptops(2)
    a.event()
    person_id = a.register(4890).person["id"]
    a.sync()
    attendance_id = scan_in(a, person_id)
    a.sync()
    b.sync()
    assert a.store.attendance.undo(attendance_id)
    a.sync()
    revision = "SELECT rev, deleted FROM docs WHERE entity = 'attendance' AND id = ?"
    (undone,) = server_rows(database_url, revision, (attendance_id,))
    assert undone[1] == 1
    assert b.store.attendance.undo(attendance_id)
    assert b.sync().pushed == 1
    assert server_rows(database_url, revision, (attendance_id,)) == [undone]


def test_a_check_in_of_an_alias_of_a_missing_person_is_kept_aside(
        database_url, app_client, inprocess_laptops):
    """Damaged data again: a person recorded as the alias of a row the branch does not have.
    A check-in of that person is kept aside as of an unknown person (the missing row looked
    up, and found absent), not a failed push."""
    a, = inprocess_laptops(1)
    a.event()
    person_id = a.register(4865).person["id"]
    a.sync()
    db = ServerDatabase(database_url)
    try:
        with db.write() as tx:
            tx.execute("UPDATE docs SET merged_into = ? WHERE entity = 'person' AND id = ?",
                       (new_id(), person_id))
    finally:
        db.close()
    assert a.store.attendance.check_in(EVENT_ID, person_id, "scan")
    result = run_sync(a.store, app_client)
    assert (result.pushed, result.quarantined) == (0, 1)
    assert server_rows(database_url, "SELECT reason FROM quarantine") == [
        ("attendance.unknown_person",)]
