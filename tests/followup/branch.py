"""A small demo branch with known registrations and follow-up, for the funnel, list and
import tests: the expected figures are counted by hand from the table below."""

from __future__ import annotations

from datetime import date

from bpjs_field.domain.followup import KPJ, PAID, STOPPED, SUBMITTED, StatusChange
from bpjs_field.domain.registration import RegistrationInput
from bpjs_field.store.followup import set_status
from harness import make_nik, person_input

TODAY = date(2026, 12, 5)


def register(store, event_id, i, *, segment="bpu", day="2026-11-22", check_in=True,
             phone=True):
    person = person_input(i)
    if not phone:
        person.phone = None
    form = RegistrationInput(person=person, segment=segment, event_id=event_id,
                             declared_income=2_000_000, occupation="pedagang",
                             consent_version="2026.1", consent_given=True)
    if segment == "pu":
        form = RegistrationInput(person=person, segment="pu", event_id=event_id, wage=5_000_000,
                                 employer_name="PT Maju Jaya", risk_class=2, employer_scale="besar",
                                 consent_version="2026.1", consent_given=True)
    reg = store.registrations.register(form, check_in=check_in).registration
    with store.write():  # as if registered (and checked in) on that day
        store.db.execute("UPDATE registrations SET created_at = ? WHERE id = ?",
                         (f"{day}T02:00:00.000+00:00", reg["id"]))
        store.db.execute("UPDATE attendance SET checked_in_at = ? WHERE registration_id = ?",
                         (f"{day}T01:30:00.000+00:00", reg["id"]))
    return store.registrations.get(reg["id"])


def nik(i: int) -> str:
    return make_nik(i, i % 2 == 1)[0]


def kpj_of(i: int) -> str:
    return f"{90000000000 + i}"


# number, segment, registered on, follow-up (status, day, months)
PLAN = [
    (1, "bpu", "2026-11-01", None),
    (2, "bpu", "2026-11-01", (SUBMITTED, "2026-11-03", None)),
    (3, "bpu", "2026-11-01", (KPJ, "2026-11-05", None)),
    (4, "bpu", "2026-11-01", (PAID, "2026-11-10", 1)),
    (5, "bpu", "2026-11-20", (PAID, "2026-11-25", 6)),
    (6, "pu", "2026-11-20", (KPJ, "2026-11-28", None)),
    (7, "pu", "2026-11-20", None),
    (8, "bpu", "2026-11-20", (STOPPED, "2026-11-30", None)),
]


def estate_event(store):
    return store.events.create({
        "kind": "sosialisasi", "title": "Sosialisasi pekerja pabrik",
        "starts_at": "2026-11-20T08:00:00+07:00", "venue": "Kawasan Industri Jababeka, Gedung Serbaguna",
        "district_code": "321609", "partner_org": "Serikat Pekerja Jababeka"})


def fill_branch(store, event_id, second_event_id=None) -> dict[int, dict]:
    """The registrations of PLAN (person i registered once), with their follow-up; those of
    20 November at the second event when one is given."""
    regs = {}
    for i, segment, day, follow in PLAN:
        at = second_event_id if second_event_id and day == "2026-11-20" else event_id
        regs[i] = register(store, at, i, segment=segment, day=day)
        if follow is None:
            continue
        status, on, months = follow
        on_day = date.fromisoformat(on)
        if status in (KPJ, PAID):
            set_status(store, regs[i]["id"], StatusChange(KPJ, kpj_no=kpj_of(i), on=on_day),
                       today=TODAY)
        if status == PAID:
            set_status(store, regs[i]["id"], StatusChange(PAID, on=on_day, paid_months=months),
                       today=TODAY)
        if status == SUBMITTED:
            set_status(store, regs[i]["id"], StatusChange(SUBMITTED, on=on_day), today=TODAY)
        if status == STOPPED:
            set_status(store, regs[i]["id"], StatusChange(STOPPED, on=on_day,
                                                          reason="sudah jadi peserta PU"),
                       today=TODAY)
        regs[i] = store.registrations.get(regs[i]["id"])
    return regs
