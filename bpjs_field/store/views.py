"""Read-mostly helpers the officer's workstation needs, built on the Store's public API.

Each function takes a `Store` and returns plain dicts, so the GUI never holds
SQL.  They run on the GUI's single database worker thread.  Settings kept
here: the current officer, the branch and the interface language.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.formatting import WIB, today_wib

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

CURRENT_OFFICER = "current_officer_id"
BRANCH = "branch"
LANGUAGE = "language"
LANGUAGES = ("id", "en")
DEFAULT_BRANCHES = ("Kantor Cabang Bekasi Cikarang", "Kantor Cabang Cilegon")


# -- officer and settings ------------------------------------------------------
def current_officer(store: "Store") -> dict[str, Any] | None:
    """The officer at work; also makes the store write as them.  On an encrypted laptop
    that is whoever logged in (several officers share a laptop, and each registration
    names the officer who made it); on a plain one, the officer remembered here."""
    if store.role is not None and store.officer_id:
        logged_in = store.officers.get(store.officer_id)
        if logged_in is not None:
            if store.get_setting(CURRENT_OFFICER) != logged_in["id"]:
                store.set_setting(CURRENT_OFFICER, logged_in["id"])
            return logged_in
    officer_id = store.get_setting(CURRENT_OFFICER)
    officer = store.officers.get(officer_id) if officer_id else None
    store.remember_officer(officer["id"] if officer else None)
    return officer


def _check_switch(store: "Store", officer: dict[str, Any] | None) -> None:
    """After a login the officer at work is whoever logged in, for as long as the store is
    open: choosing another one is refused before anything is written."""
    fixed = store.session.officer_id if store.role is not None else None
    if fixed is not None and (officer is None or officer["id"] != fixed):
        from bpjs_field.errors import KnownError
        raise KnownError("security.session_fixed")


def set_current_officer(store: "Store", officer_id: str) -> dict[str, Any]:
    officer = store.officers.get(officer_id)
    _check_switch(store, officer)
    if officer is None:
        from bpjs_field.errors import NotFoundError
        raise NotFoundError("not_found", what="Petugas", value=officer_id)
    store.set_setting(CURRENT_OFFICER, officer_id)
    store.remember_officer(officer_id)
    return officer


def setup_officer(store: "Store", *, full_name: str, employee_no: str, branch: str,
                  language: str = "id") -> dict[str, Any]:
    """First start: create (or find) the officer and remember branch, officer and language."""
    if store.role is not None:  # after a login: only the officer who logged in
        _check_switch(store, store.officers.by_employee_no(" ".join(str(employee_no or "").split()).upper()))
    officer = store.officers.create(full_name=full_name, employee_no=employee_no, branch=branch)
    store.set_setting(BRANCH, officer["branch"])
    store.set_setting(LANGUAGE, language if language in LANGUAGES else "id")
    return set_current_officer(store, officer["id"])


def change_settings(store: "Store", values: dict[str, Any]) -> None:
    """The laptop's settings a supervisor changes (backups kept, idle lock, printing after a
    save), in one transaction; refused and audited for an officer."""
    from bpjs_field.store.session import require_supervisor
    require_supervisor(store, "settings")
    with store.write():
        for key, value in values.items():
            store.set_setting(key, value)


def language(store: "Store") -> str:
    value = store.get_setting(LANGUAGE, "id")
    return value if value in LANGUAGES else "id"


def known_branches(store: "Store") -> list[str]:
    names = {row["branch"] for row in store.officers.list()}
    return sorted(names | set(DEFAULT_BRANCHES))


# -- home page ---------------------------------------------------------------------
def home_summary(store: "Store", day: date | None = None) -> dict[str, Any]:
    """The active event with today's registrations by segment against its targets,
    attendance so far, and what is still waiting to be synced.

    Cheaper than `events.summary()` at 300,000 people: the day is a range on
    `created_at` (UTC text) within the event's index entries, and no per-officer
    breakdown is made; this runs at every start and after every save."""
    day = day or today_wib()
    event = store.events.active()
    out: dict[str, Any] = {"event": event, "day": day.isoformat(),
                           "pending_changes": store.pending_changes()}
    if event is not None:
        start = datetime.combine(day, time(0), tzinfo=WIB).astimezone(timezone.utc)
        end = start + timedelta(days=1)
        registrations = {row["segment"]: row["n"] for row in store.query(
            "SELECT segment, count(*) AS n FROM registrations WHERE event_id = ? "
            "AND created_at >= ? AND created_at < ? GROUP BY segment",
            (event["id"], start.isoformat(timespec="milliseconds"),
             end.isoformat(timespec="milliseconds")))}
        out.update(targets=json.loads(event["targets"] or "{}"), registrations=registrations,
                   registrations_total=sum(registrations.values()),
                   attendance=store.attendance.count(event["id"]))
    return out


def people_total(store: "Store") -> int:
    """Number of people records (an index count; merged duplicates, which are rare, included)."""
    return store.scalar("SELECT count(*) FROM people")


def has_people(store: "Store") -> bool:
    return bool(store.scalar("SELECT EXISTS (SELECT 1 FROM people)"))


# -- people ------------------------------------------------------------------------
def person_detail(store: "Store", person_id: str) -> dict[str, Any]:
    """A person with their registrations, attendance and history (for the detail view)."""
    person = store.people.require(person_id)
    registrations = []
    for row in store.registrations.for_person(person_id):
        event = store.events.get(row["event_id"]) if row["event_id"] else None
        registrations.append({**row, "event_title": event["title"] if event else None})
    history = []
    for row in store.people.history(person_id):
        officer = store.officers.get(row["officer_id"]) if row["officer_id"] else None
        history.append({**row, "details": json.loads(row["details"] or "{}"),
                        "officer_name": officer["full_name"] if officer else None})
    return {"person": person, "registrations": registrations,
            "attendance": store.attendance.for_person(person_id), "history": history}


def reveal_nik(store: "Store", person_id: str) -> str | None:
    """The full NIK, shown on request; each showing is audited (id only, never the number)."""
    person = store.people.require(person_id)
    with store.write():
        store.audit("person.reveal_nik", "person", person_id)
    return person["nik"]


def person_at_event(store: "Store", nik: str, event_id: str | None) -> dict[str, Any] | None:
    """A person already in the database with this NIK, with their registrations and
    whether they are checked in at the event (the duplicate-NIK path of registration)."""
    person = store.people.by_nik(nik)
    if person is None:
        return None
    attendance = store.attendance.get(event_id, person["id"]) if event_id else None
    return {"person": person, "registrations": store.registrations.for_person(person["id"]),
            "attendance": attendance}


# -- check-in ------------------------------------------------------------------------
def event_progress(store: "Store", event_id: str) -> dict[str, Any]:
    event = store.events.require(event_id)
    targets = json.loads(event["targets"] or "{}")
    return {"event": event, "attendance": store.attendance.count(event_id),
            "target": targets.get("attendance")}


def registration_for_person(store: "Store", person_id: str) -> dict[str, Any] | None:
    rows = store.registrations.for_person(person_id)
    return rows[-1] if rows else None
