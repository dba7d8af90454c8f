"""The people list's row ids: every live person in name order, merged duplicates left out."""

from __future__ import annotations

from bpjs_field import PersonInput, RegistrationInput


def register(store, name, nik):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik), consent_given=True,
        consent_version="t", declared_income=1_000_000)).person


def test_ordered_rowids_are_in_name_order_without_merged_people(store):
    people = [register(store, name, f"32160945089{i + 1:05d}") for i, name in
              enumerate(("Wati Susanti", "agus Saputra", "Dewi Lestari", "Agus Salim", "Budi"))]
    rowid = {p["full_name"]: store.scalar("SELECT rowid FROM people WHERE id = ?", (p["id"],))
             for p in people}
    names = ["Agus Salim", "agus Saputra", "Budi", "Dewi Lestari", "Wati Susanti"]
    assert store.people.ordered_rowids() == [rowid[n] for n in names]
    with store.write():
        store.db.execute("UPDATE people SET merged_into = ? WHERE id = ?",
                         (people[3]["id"], people[2]["id"]))
    assert store.people.ordered_rowids() == [rowid[n] for n in names if n != "Dewi Lestari"]


def test_todays_registrations_of_the_event_are_counted_from_the_index_alone(store):
    from bpjs_field.store import views
    event = store.events.create({"kind": "sosialisasi", "title": "Pasar Cikarang",
                                 "starts_at": "2026-11-22T08:00", "venue": "Pasar"})
    store.events.set_active(event["id"])
    store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Siti Aminah", nik="3216094508900001"),
        consent_given=True, consent_version="t", declared_income=1_000_000, event_id=event["id"]))
    summary = views.home_summary(store)
    assert summary["registrations"] == {"bpu": 1}
    plan = " ".join(r["detail"] for r in store.query(
        "EXPLAIN QUERY PLAN SELECT segment, count(*) FROM registrations WHERE event_id = ? "
        "AND created_at >= ? AND created_at < ? GROUP BY segment", (event["id"], "a", "b")))
    assert "COVERING INDEX registrations_event" in plan


def test_a_block_of_people_carries_the_codes_the_search_index_holds(store):
    people = [register(store, name, f"32160945089{i + 1:05d}") for i, name in
              enumerate(("Wati Susanti", "Agus Saputra", "Dewi Lestari"))]
    store.registrations.register(RegistrationInput(  # a second registration: two codes
        segment="bpu", person=PersonInput(full_name="Agus Saputra", nik="3216094508900002"),
        consent_given=True, consent_version="t", declared_income=2_000_000, months_paid=2))
    rowids = store.people.ordered_rowids()
    rows = store.people.rows_by_rowid(rowids)
    indexed = {r["rowid"]: r["codes"] for r in store.query("SELECT rowid, codes FROM people_fts")}
    assert {rowid: row["codes"] for rowid, row in rows.items()} == indexed
    codes = {row["full_name"]: row["codes"].split() for row in rows.values()}
    assert len(codes["Agus Saputra"]) == 2 and len(codes["Wati Susanti"]) == 1
    assert {row["id"] for row in rows.values()} == {p["id"] for p in people}


def test_the_name_order_is_read_from_the_name_index_alone(store):
    plan = " ".join(r["detail"] for r in store.query(
        "EXPLAIN QUERY PLAN SELECT rowid FROM people ORDER BY name_key, rowid"))
    assert "COVERING INDEX people_name" in plan
