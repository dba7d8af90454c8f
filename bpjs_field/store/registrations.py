"""Registrations: the heart of the app.  `register()` is one durable transaction
holding the person (found or created), the registration with its code, the
optional check-in, their change-log entries and the audit trail."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.codes import ALPHABET, MAX_SEQ, SEQ_LENGTH, TAG_LENGTH, make_code, normalize_code
from bpjs_field.domain.entities import FOLLOWUP, REGISTRATION
from bpjs_field.domain.registration import CleanRegistration, RegistrationInput, validate_registration
from bpjs_field.errors import NotFoundError, ValidationError
from bpjs_field.messages import Notice
from bpjs_field.store.store import dumps, new_id, utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

IMPORT_NAMESPACE = uuid.UUID("6f1d3c1e-8a44-4a53-9c1b-0b7c3f0e9a21")
# What a new registration sends (bpjs_field/domain/entities.py): every synced field but the
# follow-up after the event (FOLLOWUP), which a status change writes (store/followup.py).
SYNCED = tuple(f for f in REGISTRATION.synced if f not in FOLLOWUP)
SYNCED_ALL = SYNCED + FOLLOWUP


@dataclass
class RegistrationResult:
    registration: dict[str, Any]
    person: dict[str, Any]
    person_created: bool
    checked_in: bool = False
    already_registered: bool = False  # an identical import row was saved before
    warnings: list[Notice] = field(default_factory=list)


def import_registration_id(person: dict[str, Any], segment: str, event_id: str | None) -> str:
    """Same person, segment and event from a partner's list -> same id on any laptop."""
    ident = person.get("nik") or f"{person.get('passport_no')}/{person.get('nationality')}"
    return str(uuid.uuid5(IMPORT_NAMESPACE, f"{ident}|{segment}|{event_id or ''}"))


CODE_FLOOR_SETTING = "registrations.code_floor"


def gapped_floor(store: "Store", tag: str) -> int:
    from bpjs_field.store.ledger import gapped_floor as floor
    return floor(store, tag)


class RegistrationRepo:
    def __init__(self, store: "Store") -> None:
        self.s = store
        self._next_seq: int | None = None

    # -- codes -------------------------------------------------------------
    def _allocate_code(self) -> str:
        tag = self.s.device_tag
        # Checked at every code (one index lookup): a sync in another connection may have
        # brought back numbers this laptop issued before a restore from an older backup.
        last = self.s.scalar(
            "SELECT max(code) FROM registrations WHERE code >= ? AND code < ?", (tag, tag + "~"))
        seq = 0
        if last:
            for ch in last[TAG_LENGTH:TAG_LENGTH + SEQ_LENGTH]:
                seq = seq * 32 + ALPHABET.index(ch)
        # A laptop restored from an older backup continues after every number it had
        # issued before (bpjs_field/backup.py restore, store/ledger.py), and after a
        # safety gap while it does not know them yet (bpjs_field/sync/marks.py).  Read at
        # every code too: a sync in another connection may have learned them meanwhile.
        floor = max(int((self.s.get_setting(CODE_FLOOR_SETTING) or {}).get(tag, 0)),
                    gapped_floor(self.s, tag))
        self._next_seq = max(self._next_seq or 0, seq + 1, floor + 1)
        if self._next_seq > MAX_SEQ:
            raise OverflowError("registration numbers of this laptop are exhausted")
        code = make_code(self.s.device_tag, self._next_seq)
        self._next_seq += 1
        return code

    def codes_for_batch(self) -> Iterator[str]:
        """Codes for many registrations written in one transaction: the first is allocated
        as `_allocate_code` does (its checks read the database), the next ones follow it
        (no other connection can issue a code before this transaction ends)."""
        yield self._allocate_code()
        tag = self.s.device_tag
        while True:
            assert self._next_seq is not None
            if self._next_seq > MAX_SEQ:
                raise OverflowError("registration numbers of this laptop are exhausted")
            code = make_code(tag, self._next_seq)
            self._next_seq += 1
            yield code

    # -- writing -------------------------------------------------------------
    def register(self, form: RegistrationInput, *, check_in: bool = False,
                 today: date | None = None) -> RegistrationResult:
        """Validate and save one registration; an existing NIK reuses that person."""
        clean = validate_registration(form, today=today)
        if clean.event_id and not self.s.events.get(clean.event_id):
            raise ValidationError("event_id", "event.unknown", value=clean.event_id)
        seq_before = self._next_seq
        try:
            with self.s.write():
                return self._save(clean, check_in=check_in)
        except BaseException:
            self._next_seq = seq_before  # the code was not used; keep numbers dense
            raise

    def _save(self, clean: CleanRegistration, *, check_in: bool) -> RegistrationResult:
        now = utc_now()
        person = self.s.people.find_existing(clean.person)
        created = person is None
        reg_id = new_id()
        if clean.source == "import":
            reg_id = import_registration_id(clean.person, clean.segment, clean.event_id)
            existing = self.get(reg_id)
            if existing is not None:
                return RegistrationResult(existing, person or {}, False, already_registered=True,
                                          warnings=clean.warnings)
        if created:
            person = self.s.people.insert(clean.person, consent_version=clean.consent_version,
                                          consent_at=now)
        else:
            self.s.people.fill_blanks(person, clean.person)
        row = {
            "id": reg_id, "code": self._allocate_code(), "person_id": person["id"],
            "event_id": clean.event_id, "officer_id": self.s.officer_id,
            "device_id": self.s.device_id, "segment": clean.segment,
            "programs": dumps(clean.programs), "declared_income": clean.declared_income,
            "wage": clean.wage, "risk_class": clean.risk_class, "occupation": clean.occupation,
            "sector": clean.sector, "payer": clean.payer, "months_paid": clean.months_paid,
            "employer_name": clean.employer_name, "payer_name": clean.payer_name,
            "employer_scale": clean.employer_scale, "amount_due": clean.amount_due,
            "contribution": dumps(clean.contribution_json()),
            "monthly_total": clean.contribution.total, "consent_version": clean.consent_version,
            "consent_at": now, "status": "baru", "source": clean.source,
            "created_at": now, "updated_at": now,
        }
        self.s.db.execute(
            f"INSERT INTO registrations({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()))
        self.s.record_change("registration", reg_id, {k: row[k] for k in SYNCED})
        self.s.audit("registration.create", "registration", reg_id, code=row["code"],
                     segment=clean.segment, event_id=clean.event_id)
        checked_in = False
        if check_in and clean.event_id:
            checked_in = self.s.attendance.add(clean.event_id, person["id"], "registration",
                                               registration_id=reg_id)[1]
        return RegistrationResult(row, person, created, checked_in, warnings=clean.warnings)

    # -- reading ---------------------------------------------------------------
    def get(self, registration_id: str) -> dict[str, Any] | None:
        return self.s.query_one("SELECT * FROM registrations WHERE id = ?", (registration_id,))

    def by_code(self, text: str) -> dict[str, Any] | None:
        """Registration by its code as typed or scanned (dashes, case and I/L/O tolerated)."""
        code = normalize_code(text)
        if code is None:
            return None
        return self.s.query_one("SELECT * FROM registrations WHERE code = ?", (code,))

    def require_code(self, text: str) -> dict[str, Any]:
        row = self.by_code(text)
        if row is None:
            if normalize_code(text) is None:
                raise NotFoundError("code.malformed", value=text[:40])
            raise NotFoundError("code.unknown", value=text[:40])
        return row

    def for_person(self, person_id: str) -> list[dict[str, Any]]:
        return self.s.query("SELECT * FROM registrations WHERE person_id = ? ORDER BY created_at",
                            (person_id,))

    def for_event(self, event_id: str) -> list[dict[str, Any]]:
        return self.s.query("SELECT * FROM registrations WHERE event_id = ? ORDER BY created_at",
                            (event_id,))

    @staticmethod
    def contribution_of(row: dict[str, Any]):
        from bpjs_field.domain.contribution import Contribution
        return Contribution.from_dict(json.loads(row["contribution"]))
