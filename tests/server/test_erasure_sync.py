"""An erasure made on one laptop empties the person on the server (conflicts included) and on
every other laptop at its next pull; a late edit from a laptop that had not heard of it
cannot bring the data back.  Counts and registrations stay."""

from __future__ import annotations

from bpjs_field.store.erasure import erase_person
from bpjs_field.server.db import ServerDatabase
from harness import make_nik


def _server_person(url: str, person_id: str) -> tuple[str, int]:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            data = tx.scalar("SELECT data FROM docs WHERE entity = 'person' AND id = ?", (person_id,))
            conflicts = tx.scalar("SELECT count(*) FROM conflicts WHERE entity_id = ?", (person_id,))
            return data, conflicts
    finally:
        db.close()


def _server_registrations(url: str, people: list[dict]) -> list[dict]:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            rows = [json.loads(r[0]) for r in tx.rows(
                "SELECT data FROM docs WHERE entity = 'registration'")]
    finally:
        db.close()
    ids = {p["id"] for p in people}
    return [r for r in rows if r.get("person_id") in ids]


def test_erasure_reaches_the_server_and_other_laptops(shared_server, shared_database_url, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    reg = a.register(9300)
    nik, name = reg.person["nik"], reg.person["full_name"]
    person_id = reg.person["id"]
    a.sync()
    b.sync()
    assert b.store.people.get(person_id)["nik"] == nik
    # two offline edits of the phone: one loses and goes to the conflicts table
    a.store.people.update(person_id, {"phone": "0857-1111-2222"})
    b.store.people.update(person_id, {"phone": "0857-3333-4444"})
    b.sync()
    a.sync()
    assert _server_person(shared_database_url, person_id)[1] >= 1  # the losing phone is kept there
    erase_person(a.store, person_id)
    a.sync()
    data, conflicts = _server_person(shared_database_url, person_id)
    assert nik not in data and name not in data and "0857" not in data and conflicts == 0
    # laptop B, which still holds the whole person, edits it before hearing of the erasure
    b.store.people.update(person_id, {"phone": "0857-5555-6666"})
    b.sync()
    data, _ = _server_person(shared_database_url, person_id)
    assert "0857" not in data  # erasure is final
    here = b.store.people.get(person_id)
    assert here["nik"] is None and here["phone"] is None and here["erased_at"]
    assert not [h for h in b.store.search_index.search(name.split()[0], 500) if h["id"] == person_id]
    payloads = " ".join(r["payload"] for r in b.store.query("SELECT payload FROM change_log"))
    assert nik not in payloads and name not in payloads
    assert b.store.registrations.by_code(reg.registration["code"])["person_id"] == person_id
    assert make_nik(9300)[0] == nik


def test_a_late_name_edit_cannot_bring_the_name_back(shared_server, shared_database_url, laptops):
    """The name is personal data too: a laptop that had not heard of the erasure renames the
    person; the server keeps "(dihapus)" and records no conflict holding either name."""
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    person_id = a.register(9310).person["id"]
    a.sync()
    b.sync()
    b.store.people.update(person_id, {"full_name": "Rina Maharani Early"})  # before the erasure
    erase_person(a.store, person_id)
    a.sync()
    b.store.people.update(person_id, {"full_name": "Rina Maharani Late"})  # after it, by clock
    b.sync()
    data, conflicts = _server_person(shared_database_url, person_id)
    assert "Rina" not in data and '"full_name":"(dihapus)"' in data
    assert conflicts == 0
    assert b.store.people.get(person_id)["full_name"] == "(dihapus)"


# -- every personal field ------------------------------------------------------------------
# The list of personal fields is the laptop's erasure list; the server keeps its own copy
# (bpjs_field.server.push.ERASED_FIELDS), held equal to it here so neither can drift.
from dataclasses import fields  # noqa: E402
import json  # noqa: E402

from bpjs_field.domain.registration import PersonInput  # noqa: E402
from bpjs_field.store.erasure import ERASED_NAME, PERSONAL  # noqa: E402
from bpjs_field.store.erasure import REGISTRATION_PERSONAL  # noqa: E402
from bpjs_field.server.erasure import ERASED_REGISTRATION_FIELDS  # noqa: E402
from bpjs_field.server.push import ERASED_FIELDS  # noqa: E402
from bpjs_field.store import Store  # noqa: E402
from harness import EVENT_ID, full_people_forms  # noqa: E402

# Columns of `people` that are not personal data (ids, bookkeeping, consent as a record).
NOT_PERSONAL = {"id", "full_name", "name_key", "consent_version", "consent_at",
                "consent_withdrawn_at", "erased_at", "merged_into", "field_hlc", "created_device",
                "created_at", "updated_at"}


def test_the_personal_field_list_covers_every_person_field(tmp_path):
    """Everything a registration form asks about a person is on the list, every column of the
    laptop's people table is either on it or known not to be personal, and the server erases
    the same fields."""
    assert len(set(PERSONAL)) == len(PERSONAL) == 19
    assert set(PERSONAL) == {f.name for f in fields(PersonInput)} - {"full_name"}
    assert set(ERASED_FIELDS) == set(PERSONAL)
    assert set(ERASED_REGISTRATION_FIELDS) == set(REGISTRATION_PERSONAL)
    with Store.open(tmp_path / "laptop.sqlite3") as store:
        columns = {r["name"] for r in store.query("PRAGMA table_info(people)")}
    assert columns - NOT_PERSONAL == set(PERSONAL)


def _personal_values(person: dict) -> dict[str, str]:
    return {f: person[f] for f in PERSONAL if person.get(f) is not None}


def _register_full_people(store) -> list[dict]:
    people = [store.registrations.register(form).person for form in full_people_forms(
        store.events.get(EVENT_ID) and EVENT_ID)]
    filled = set().union(*(_personal_values(p) for p in people))
    assert filled == set(PERSONAL)  # every field has a value to lose
    return people


def _assert_erased(person: dict, where: str) -> None:
    assert person["full_name"] == ERASED_NAME, where
    kept = {f: person.get(f) for f in PERSONAL if person.get(f) is not None}
    assert not kept, f"{where} still holds {sorted(kept)}"


# What the registrations of full_people_forms say about the person (harness.py).
REGISTRATION_VALUES = {"pedagang": "occupation", "PT Sinar Cikarang Industri": "employer_name"}


def _assert_registrations_erased(rows: list[dict], where: str) -> None:
    """Occupation, employer, income and wage gone; segment and programmes stay."""
    assert len(rows) == 2, where
    for row in rows:
        kept = {f: row.get(f) for f in REGISTRATION_PERSONAL if row.get(f) is not None}
        assert not kept, f"{where} registration still holds {sorted(kept)}"
        assert row["segment"] in ("bpu", "tka") and row["programs"], where


def _distinctive(people: list[dict]) -> list[str]:
    """Values that cannot occur by chance elsewhere in the file (not dates, sex, codes)."""
    keys = ("nik", "passport_no", "kitas_no", "phone", "email", "address", "birth_place",
            "full_name", "mother_name", "kk_no", "heir_name")
    return [p[k] for p in people for k in keys if p.get(k)]


def test_erasure_on_the_laptop_clears_every_personal_field(db_path):
    with Store.open(db_path) as store:
        people = _register_full_people(store)
        values = _distinctive(people) + list(REGISTRATION_VALUES)
        registrations = store.query("SELECT * FROM registrations")
        assert {r["occupation"] for r in registrations} >= {"pedagang"}
        assert {r["employer_name"] for r in registrations} >= {"PT Sinar Cikarang Industri"}
        assert all(r["declared_income"] or r["wage"] for r in registrations)
        for person in people:
            erase_person(store, person["id"])
            _assert_erased(store.people.get(person["id"]), "laptop row")
        _assert_registrations_erased(store.query("SELECT * FROM registrations"), "laptop")
        for row in store.query("SELECT payload FROM change_log WHERE entity = 'registration'"):
            _assert_registrations_erased([json.loads(row["payload"])] * 2, "laptop change")
        payloads = [json.loads(r["payload"]) for r in store.query(
            "SELECT payload FROM change_log WHERE entity = 'person'")]
        for payload in payloads:
            _assert_erased({"full_name": ERASED_NAME, **payload}, f"change {payload['id']}")
        text = json.dumps(payloads, ensure_ascii=False)
        assert not [v for v in values if v in text]
        for value in values:
            for word in str(value).replace("@", " ").replace(".", " ").split()[:2]:
                if len(word) > 3:
                    assert not store.search_index.search(word, 20), word
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*") if p.is_file())
    assert not [v for v in values if v.encode() in raw]


def test_erasure_clears_every_personal_field_on_server_and_other_laptops(
        shared_server, shared_database_url, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    people = _register_full_people(a.store)
    a.sync()
    b.sync()
    for person in people:  # the other laptop held every field before the erasure
        assert _personal_values(b.store.people.get(person["id"])) == _personal_values(person)
    for person in people:
        erase_person(a.store, person["id"])
    a.sync()
    b.sync()
    values = _distinctive(people) + list(REGISTRATION_VALUES)
    for person in people:
        data, conflicts = _server_person(shared_database_url, person["id"])
        _assert_erased(json.loads(data), "server")
        assert not [v for v in values if v in data] and conflicts == 0
        _assert_erased(b.store.people.get(person["id"]), "other laptop")
    _assert_registrations_erased(_server_registrations(shared_database_url, people), "server")
    _assert_registrations_erased(b.store.query("SELECT * FROM registrations WHERE person_id IN "
                                               "(?, ?)", [p["id"] for p in people]), "other laptop")
    payloads = " ".join(r["payload"] for r in b.store.query("SELECT payload FROM change_log"))
    assert not [v for v in values if v in payloads]
