"""An erasure made on one laptop empties the person on the server (conflicts included) and on
every other laptop at its next pull; a late edit from a laptop that had not heard of it
cannot bring the data back.  Counts and registrations stay."""

from __future__ import annotations

from bpjs_field.security.erasure import erase_person
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
