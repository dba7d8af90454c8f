"""Withdrawal of consent and erasure of a person on this laptop (UU PDP 27/2022).

Erasing removes every personal field of the person (name, NIK, passport, KITAS,
birth data, phone, e-mail, address, occupation) from the people row, from the
search index, from the sync change log (earlier payloads held them) and from
saved drafts, and overwrites the freed pages (`secure_delete`), so neither the
database nor its WAL keeps them.  What stays: the person's id with
`erased_at`, their registrations and attendance as counts (segment, event,
code, contribution), and the audit trail (which never holds personal data).
The erasure travels to the server as a person change with `erased_at` set.

Withdrawing consent records `consent_withdrawn_at` and erases likewise: the
data were held on the strength of that consent.

Only a supervisor may erase (after a login; a plain database is not restricted).
"""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.security.session import require_supervisor
from bpjs_field.store.store import Store, utc_now

ERASED_NAME = "(dihapus)"
PERSONAL = ("nik", "passport_no", "nationality", "kitas_no", "kitas_expiry", "birth_date",
            "birth_place", "sex", "phone", "email", "address", "district_code", "village_code",
            "postal_code", "occupation")


def erase_person(store: Store, person_id: str, *, withdrawn: bool = False,
                 reason: str = "request") -> dict[str, Any]:
    require_supervisor(store, "person.erase")
    person = store.people.require(person_id)
    now = utc_now()
    cleared = {field: None for field in PERSONAL}
    with store.write():
        store.db.execute("PRAGMA secure_delete = ON")
        values = {**cleared, "full_name": ERASED_NAME, "name_key": "", "erased_at": now,
                  "updated_at": now}
        if withdrawn:
            values["consent_withdrawn_at"] = person.get("consent_withdrawn_at") or now
        assignments = ", ".join(f"{k} = ?" for k in values)
        store.db.execute(f"UPDATE people SET {assignments} WHERE id = ?",
                         (*values.values(), person_id))
        _scrub_change_log(store, person_id)
        _scrub_drafts(store, person)
        payload = {"id": person_id, **cleared, "full_name": ERASED_NAME, "erased_at": now}
        if withdrawn:
            payload["consent_withdrawn_at"] = values["consent_withdrawn_at"]
        store.record_change("person", person_id, payload, signed=True)
        store.audit("person.erase", "person", person_id, withdrawn=withdrawn, reason=reason[:40])
    _forget_in_search_index(store)
    return store.people.require(person_id)


def withdraw_consent(store: Store, person_id: str) -> dict[str, Any]:
    return erase_person(store, person_id, withdrawn=True, reason="consent_withdrawn")


def scrub_pulled_erasures(store: Store, people: list[dict[str, Any]]) -> None:
    """Another laptop erased these people (rows as they were here: id, nik, passport_no) and
    the server passed it on: the pulled row has cleared the fields; old sync payloads, drafts
    and the search index here still hold them.  Runs inside the caller's transaction."""
    store.db.execute("PRAGMA secure_delete = ON")
    for person in people:
        _scrub_change_log(store, person["id"])
        _scrub_drafts(store, person)
    store.db.execute("INSERT INTO people_fts(people_fts) VALUES ('optimize')")


def _scrub_change_log(store: Store, person_id: str) -> None:
    """Earlier payloads of this person (sent or not) carried the personal fields."""
    rows = store.db.execute("SELECT seq, payload FROM change_log WHERE entity = 'person' "
                            "AND entity_id = ?", (person_id,)).fetchall()
    for seq, payload in rows:
        data = json.loads(payload)
        for field in (*PERSONAL, "full_name"):
            if field in data:
                data[field] = ERASED_NAME if field == "full_name" else None
        store.db.execute("UPDATE change_log SET payload = ? WHERE seq = ?",
                         (json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                                     sort_keys=True), seq))


def _scrub_drafts(store: Store, person: dict[str, Any]) -> None:
    marks = [v for v in (person.get("nik"), person.get("passport_no")) if v]
    for form, data in store.db.execute("SELECT form, data FROM drafts").fetchall():
        if any(mark in data for mark in marks):
            store.db.execute("DELETE FROM drafts WHERE form = ?", (form,))


def _forget_in_search_index(store: Store) -> None:
    """The update trigger re-indexed the row; merging the FTS segments drops the old
    terms from the index b-trees (otherwise they linger until a later merge)."""
    with store.write():
        store.db.execute("INSERT INTO people_fts(people_fts) VALUES ('optimize')")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
