"""A registration after the event: registered at the event -> submitted to BPJS systems ->
KPJ issued (number recorded) -> first payment made (date, months), or stopped with a reason.

The app never issues a KPJ: BPJS Ketenagakerjaan's systems do, and the officer records it
later (typed, scanned from the card, or in bulk from the branch's export).  A KPJ number is
11 digits (no check digit is known); a BPU payment code is the virtual account BPJS issues
(digits, "88888" + the last 11 digits of the participant number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bpjs_field.errors import ValidationError

REGISTERED, SUBMITTED, KPJ, PAID, STOPPED = "baru", "dikirim", "kpj", "dibayar", "berhenti"
STATUSES = (REGISTERED, SUBMITTED, KPJ, PAID, STOPPED)
# How far along the funnel a status is (stopped counts where it stopped, by its fields).
RANK = {REGISTERED: 0, SUBMITTED: 1, KPJ: 2, PAID: 3}
LABELS = {REGISTERED: ("Terdaftar di acara", "Registered at the event"),
          SUBMITTED: ("Dikirim ke sistem BPJS", "Submitted to BPJS systems"),
          KPJ: ("KPJ terbit", "KPJ issued"),
          PAID: ("Iuran pertama dibayar", "First payment made"),
          STOPPED: ("Berhenti", "Stopped")}
MAX_PAID_MONTHS = 120
_KPJ = re.compile(r"^[0-9]{11}$")
_PAYMENT_CODE = re.compile(r"^[0-9]{5,30}$")


def clean_kpj(text: str) -> str:
    """`12-345 678.901` -> `12345678901` (spaces, dots and dashes as printed on cards)."""
    return re.sub(r"[\s.\-]", "", text or "")


def parse_kpj(text: str, field: str = "kpj_no") -> str:
    kpj = clean_kpj(text)
    if not kpj:
        raise ValidationError(field, "kpj.empty")
    if not kpj.isascii() or not kpj.isdigit():
        raise ValidationError(field, "kpj.not_digits")
    if not _KPJ.match(kpj):
        raise ValidationError(field, "kpj.length", length=len(kpj))
    return kpj


def parse_scanned_kpj(text: str) -> str:
    """The KPJ number a card's barcode gave (a keyboard-wedge scanner types it), or a
    ValidationError saying what was scanned instead: a NIK (the KTP), a registration code
    (the event receipt), a BPU payment code, or another shape with its length."""
    from bpjs_field.domain.codes import looks_like_code
    raw = (text or "").strip()
    kpj = clean_kpj(raw)
    if _KPJ.match(kpj):
        return kpj
    if looks_like_code(raw):
        raise ValidationError("kpj_no", "kpj.scan_receipt")
    if kpj.isascii() and kpj.isdigit() and len(kpj) == 16:
        # "88888" + the last 11 digits of the participant number: no province is 88.
        raise ValidationError("kpj_no", "kpj.scan_payment_code" if kpj.startswith("88888")
                              else "kpj.scan_nik")
    raise ValidationError("kpj_no", "kpj.scan_shape", length=len(kpj))


def parse_payment_code(text: str, field: str = "payment_code") -> str:
    code = clean_kpj(text)
    if not _PAYMENT_CODE.match(code):
        raise ValidationError(field, "payment_code.invalid")
    return code


@dataclass(frozen=True)
class StatusChange:
    """A follow-up change as typed; `validate()` gives the columns to write."""

    status: str
    kpj_no: str | None = None
    payment_code: str | None = None
    on: date | None = None  # the day it happened (submitted, KPJ issued, first payment)
    paid_months: int | None = None
    reason: str | None = None

    def validate(self, current: dict, today: date) -> dict:
        """The registration columns this change sets, or ValidationError naming the field."""
        if self.status not in STATUSES:
            raise ValidationError("status", "followup.status_unknown", value=str(self.status)[:20])
        day = self.on or today
        if day > today:
            raise ValidationError("on", "followup.future_date")
        created = str(current.get("created_at") or "")[:10]
        if created and day.isoformat() < created:
            raise ValidationError("on", "followup.before_registration")
        out: dict = {"status": self.status}
        kpj = parse_kpj(self.kpj_no) if self.kpj_no not in (None, "") else current.get("kpj_no")
        if self.payment_code not in (None, ""):
            out["payment_code"] = parse_payment_code(self.payment_code)
        if self.status == SUBMITTED:
            out["submitted_at"] = day.isoformat()
        elif self.status == KPJ:
            if not kpj:
                raise ValidationError("kpj_no", "kpj.empty")
            out.update(kpj_no=kpj, kpj_at=day.isoformat())
        elif self.status == PAID:
            if not kpj:
                raise ValidationError("kpj_no", "followup.paid_needs_kpj")
            months = self.paid_months
            if isinstance(months, bool) or not isinstance(months, int) or \
                    not 1 <= months <= MAX_PAID_MONTHS:
                raise ValidationError("paid_months", "followup.months", maximum=MAX_PAID_MONTHS)
            out.update(kpj_no=kpj, first_paid_at=day.isoformat(), first_paid_months=months)
            if not current.get("kpj_at"):
                out["kpj_at"] = day.isoformat()
        elif self.status == STOPPED:
            reason = (self.reason or "").strip()
            if not reason:
                raise ValidationError("reason", "followup.reason_required")
            if len(reason) > 200:
                raise ValidationError("reason", "too_long", maximum=200)
            out["stopped_reason"] = reason
        if self.status != STOPPED:
            out["stopped_reason"] = None
        return out


def stage(row: dict) -> int:
    """How far a registration got: 0 registered, 1 submitted, 2 KPJ, 3 paid (a stopped one by
    what it had reached before it stopped)."""
    if row.get("first_paid_at"):
        return 3
    if row.get("kpj_no") or row.get("kpj_at"):  # an erased person keeps kpj_at, not the number
        return 2
    if row.get("submitted_at") or row.get("status") == SUBMITTED:
        return 1
    return RANK.get(row.get("status") or REGISTERED, 0)


def paid_until(first_paid_at: str, months: int) -> date:
    """The last day covered by `months` paid from the month of the first payment."""
    start = date.fromisoformat(first_paid_at[:10])
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, 1) - timedelta(days=1)
