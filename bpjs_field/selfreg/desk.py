"""The desk's side: a scanned pre-registration QR becomes the registration form's values.

Nothing of a scanned QR is stored until the officer saves the registration (it then goes
the way of every registration). The ticket ids this laptop saw confirmed today are kept in
its encrypted settings (`CONFIRMED`, no personal data), so a replay is refused here even
without the hub; the hub refuses it at every other desk (server.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bpjs_field.domain.formatting import WIB, today_wib
from bpjs_field.errors import KnownError, ValidationError, ValidationErrors

CONFIRMED = "selfreg.confirmed"  # {"day": ISO date, "ids": {ticket id: {"at", "code"}}}
FORM_FIELDS = ("nik", "full_name", "birth_date", "phone", "address", "district_code",
               "occupation", "declared_income", "with_jht", "months_paid")


@dataclass
class PreRegistration:
    ticket: str
    ticket_id: str
    notice_version: str
    values: dict[str, Any]  # for RegistrationForm.set_values
    errors: dict[str, str] = field(default_factory=dict)  # field -> message (the desk's rules)

    @property
    def short_code(self) -> str:
        return f"{self.ticket_id[:4]}-{self.ticket_id[4:8]}"


def open_scan(store: Any, text: str, *, lang: str = "id", today: date | None = None) -> PreRegistration:
    """Decrypt and check a scanned QR; KnownError `selfreg.*` when it is not this event's,
    altered, from another day or already used. Every field is validated again here with
    the app's own rules: the answer carries the messages, the officer fixes and saves."""
    today = today or today_wib()
    from bpjs_field.selfreg.link import keys_for_desk, refresh_keys
    keys = keys_for_desk(store)
    if keys is None:
        raise KnownError("selfreg.no_keys")
    try:
        data = keys.open(text)
    except KnownError as exc:  # the hub may have made new keys since (a new hub): ask once
        fresh = refresh_keys(store) if exc.code == "selfreg.other_event" else None
        if fresh is None or fresh.key_id == keys.key_id:
            raise
        keys = fresh
        data = keys.open(text)
    ticket = str(data.get("t", ""))
    ticket_id = keys.check_ticket(ticket, today)
    seen = _confirmed(store, today).get(ticket_id)
    if seen:
        raise KnownError("selfreg.replayed", time=seen["at"][11:16], code=seen.get("code", ""))
    raw = data["f"]
    values: dict[str, Any] = {"segment": "bpu", "payer": "mandiri"}
    for key in FORM_FIELDS:
        value = raw.get(key)
        if isinstance(value, (str, int, bool)) or value is None:
            values[key] = value
    if isinstance(values.get("birth_date"), str):  # the form's DD-MM-YYYY
        try:
            values["birth_date"] = date.fromisoformat(values["birth_date"]).strftime("%d-%m-%Y")
        except ValueError:
            values["birth_date"] = ""
    from bpjs_field.domain.segments import sector_of
    values["sector"] = sector_of(str(values.get("occupation") or "lainnya"))
    values["touched"] = [k for k in FORM_FIELDS if values.get(k) not in (None, "")]
    return PreRegistration(ticket=ticket, ticket_id=ticket_id,
                           notice_version=str(data.get("n", "")), values=values,
                           errors=_check(values, today, lang))


def _check(values: dict[str, Any], today: date, lang: str) -> dict[str, str]:
    """The app's validation of what the phone sent (consent is given at the desk)."""
    from bpjs_field.domain.registration import (PersonInput, RegistrationInput, field_errors,
                                                validate_registration)
    birth = None
    if values.get("birth_date"):
        try:
            birth = datetime.strptime(str(values["birth_date"]), "%d-%m-%Y").date()
        except ValueError:
            pass
    income = values.get("declared_income")
    months = values.get("months_paid")
    person = PersonInput(
        full_name=str(values.get("full_name") or ""), nik=values.get("nik"), birth_date=birth,
        phone=values.get("phone"), address=values.get("address"),
        district_code=values.get("district_code"), occupation=values.get("occupation"))
    form = RegistrationInput(
        segment="bpu", person=person, consent_given=True, consent_version="desk",
        declared_income=income if isinstance(income, int) and not isinstance(income, bool) else None,
        with_jht=bool(values.get("with_jht")), occupation=values.get("occupation"),
        months_paid=months if isinstance(months, int) else 0)
    try:
        validate_registration(form, today=today)
    except (ValidationErrors, ValidationError) as exc:
        return field_errors(exc, lang)
    return {}


def _confirmed(store: Any, today: date) -> dict[str, dict[str, str]]:
    data = store.get_setting(CONFIRMED) or {}
    return data.get("ids", {}) if data.get("day") == today.isoformat() else {}


def mark_confirmed(store: Any, ticket_id: str, code: str, *, today: date | None = None) -> None:
    """After the registration is saved: this ticket is used (kept for the day only)."""
    today = today or today_wib()
    ids = dict(_confirmed(store, today))
    ids[ticket_id] = {"at": datetime.now(WIB).isoformat(timespec="seconds"),
                      "code": code}
    with store.write():
        store.set_setting(CONFIRMED, {"day": today.isoformat(), "ids": ids})
