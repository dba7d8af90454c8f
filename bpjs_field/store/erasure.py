"""Withdrawal of consent and erasure of a person on this laptop (UU PDP 27/2022).

Erasing removes every personal field of the person (name, NIK, passport, KITAS,
birth data, phone, e-mail, address, occupation) from the people row, from the
search index, from the sync change log (earlier payloads held them) and from
saved drafts (matched on the NIK however it was typed), and what the person's
registrations said about them (occupation, employer, declared income, wage).
Freed pages are overwritten (`secure_delete`, set on every connection) and the
WAL is checkpointed and emptied once the erasure is committed (`Store.write`
calls `after_erasure`), so neither the database nor its WAL keeps them.  What
stays: the person's id with `erased_at`, their registrations and attendance as
counts (segment, programmes, event, code, contribution, consent), and the audit
trail (which never holds personal data).  The erasure travels to the server as a
person change with `erased_at` set.

Every erasure this laptop sees (made here, pulled, carried on a USB file) is
also noted in its ledger outside the database and its backups
(`bpjs_field/store/ledger.py`): a restored backup and a USB file made before
the erasure get it applied again (`apply_known_erasures`).

Withdrawing consent records `consent_withdrawn_at` and erases likewise: the
data were held on the strength of that consent.

Only a supervisor may erase (after a login; a plain database is not restricted).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from bpjs_field.domain.entities import ERASED_NAME  # noqa: F401  (imported from here too)
from bpjs_field.domain.entities import PERSON, REGISTRATION
from bpjs_field.domain.nik import clean_nik
from bpjs_field.store import changelog, held
from bpjs_field.store.session import require_supervisor
from bpjs_field.store.store import Store, utc_now

log = logging.getLogger(__name__)

# The person's personal fields an erasure clears (full_name becomes ERASED_NAME, name_key
# ""), and what a registration says about the person rather than the programme: both from
# the entities' definitions (bpjs_field/domain/entities.py).
PERSONAL = PERSON.cleared
REGISTRATION_PERSONAL = REGISTRATION.cleared
# What the person's row holds after an erasure, every personal field (ERASED), and what
# a change carries (ERASED_SYNCED: the fields laptops derive, name_key, are not sent).
ERASED = PERSON.erased_values()
ERASED_SYNCED = PERSON.erased_values(synced_only=True)


def erase_person(store: Store, person_id: str, *, withdrawn: bool = False,
                 reason: str = "request") -> dict[str, Any]:
    require_supervisor(store, "person.erase")
    person = store.people.require(person_id)
    now = utc_now()
    with store.write():
        store.db.execute("PRAGMA secure_delete = ON")
        values = {**ERASED, "erased_at": now, "updated_at": now}
        if withdrawn:
            values["consent_withdrawn_at"] = person.get("consent_withdrawn_at") or now
        assignments = ", ".join(f"{k} = ?" for k in values)
        store.db.execute(f"UPDATE people SET {assignments} WHERE id = ?",
                         (*values.values(), person_id))
        _scrub_change_log(store, person_id)
        _scrub_drafts(store, person)
        _scrub_registrations(store, person_id)
        store.note_erasure(person_id, now)
        payload = {"id": person_id, **ERASED_SYNCED, "erased_at": now}
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
    assignments = ", ".join(f"{field} = ?" for field in ERASED)
    for person in people:
        # A local edit not yet sent keeps its fields through a pull; not through an erasure.
        store.db.execute(f"UPDATE people SET {assignments} WHERE id = ?",
                         (*ERASED.values(), person["id"]))
        _scrub_change_log(store, person["id"])
        _scrub_drafts(store, person)
        _scrub_registrations(store, person["id"])
        store.note_erasure(person["id"], person.get("erased_at") or utc_now())
    store.db.execute("INSERT INTO people_fts(people_fts) VALUES ('optimize')")


def apply_known_erasures(store: Store, erased: dict[str, str]) -> int:
    """Erasures already known (ledger, a carried change) applied to people this database
    still holds whole, e.g. after a restore of an older backup.  Nothing is recorded for
    sync: the erasure itself already is, where it was made.  Inside the caller's
    transaction; returns how many people were erased here."""
    whole = []
    ids = list(erased)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        whole += store.query(f"SELECT id, nik, passport_no, phone FROM people WHERE erased_at IS NULL "
                             f"AND id IN ({','.join('?' * len(chunk))})", chunk)
    if not whole:
        return 0
    for person in whole:
        values = {**ERASED, "erased_at": erased[person["id"]] or utc_now()}
        store.db.execute(f"UPDATE people SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                         (*values.values(), person["id"]))
        person["erased_at"] = values["erased_at"]
    scrub_pulled_erasures(store, whole)
    return len(whole)


def _scrub_registrations(store: Store, person_id: str) -> None:
    sets = ", ".join(f"{field} = NULL" for field in REGISTRATION_PERSONAL)
    store.db.execute(f"UPDATE registrations SET {sets} WHERE person_id = ?", (person_id,))
    changelog.scrub_registration_payloads(store, person_id, REGISTRATION_PERSONAL)
    held.scrub_registrations(store, person_id)  # pulled, waiting for their event


def _scrub_change_log(store: Store, person_id: str) -> None:
    """Earlier payloads of this person (sent or not) carried the personal fields: they are
    rewritten with the erased values (store/changelog.py, `scrub_person_payloads`)."""
    changelog.scrub_person_payloads(store, person_id, ERASED_SYNCED)


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", value) if isinstance(value, str) else ""


def _phone_key(value: Any) -> str:
    digits = _digits(value)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 8 else ""


def _scrub_drafts(store: Store, person: dict[str, Any]) -> None:
    """A half-typed form about the person goes, however the NIK (or phone) was typed:
    values are compared normalised (`clean_nik`, digits of the phone), not as text."""
    nik = clean_nik(person.get("nik") or "")
    passport = clean_nik(person.get("passport_no") or "").upper()
    phone = _phone_key(person.get("phone"))
    for form, text in store.db.execute("SELECT form, data FROM drafts").fetchall():
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        values = [v for v in (data.values() if isinstance(data, dict) else ()) if isinstance(v, str)]
        hit = any((nik and clean_nik(v) == nik) or (passport and clean_nik(v).upper() == passport)
                  or (phone and _phone_key(v) == phone) for v in values)
        if hit or (nik and nik in _digits(text)):
            store.db.execute("DELETE FROM drafts WHERE form = ?", (form,))


def _forget_in_search_index(store: Store) -> None:
    """The update trigger re-indexed the row; merging the FTS segments drops the old
    terms from the index b-trees (otherwise they linger until a later merge)."""
    with store.write():
        store.db.execute("INSERT INTO people_fts(people_fts) VALUES ('optimize')")
        store.note_erasure(None, None)  # checkpoint again after the merge
