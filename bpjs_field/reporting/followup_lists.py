"""Follow-up lists for a phone or WhatsApp campaign:

- `no_kpj`: registered (or submitted) `days` or more days ago and still no KPJ;
- `unpaid`: KPJ issued `days` or more days ago and no first payment yet;
- `running_out`: paid months end within `days` days (or have ended).

Stopped registrations and erased people are never listed.  A person is to be contacted only
where consent covers it: the privacy notice they accepted names contacting them about their
membership, so a person with consent recorded and not withdrawn, and a phone number.  The
others are listed without a phone, marked, so the sheet shows who is left to reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.followup import paid_until
from bpjs_field.domain.formatting import today_wib
from bpjs_field.errors import ValidationError
from bpjs_field.store.reports import followup_rows

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

KINDS = ("no_kpj", "unpaid", "running_out")
DEFAULT_DAYS = {"no_kpj": 14, "unpaid": 14, "running_out": 14}
TITLES = {"no_kpj": ("Terdaftar, belum ada KPJ", "Registered, no KPJ yet"),
          "unpaid": ("KPJ terbit, belum bayar", "KPJ issued, not paid yet"),
          "running_out": ("Bulan terbayar hampir habis", "Paid months running out")}

@dataclass
class Entry:
    registration_id: str
    code: str
    segment: str
    name: str
    nik: str | None
    phone: str | None  # None where consent does not cover a call
    may_contact: bool
    event: str | None
    officer: str | None
    since: date  # registered, KPJ issued, or paid until
    days: int  # days since `since` (negative: days left)
    kpj_no: str | None
    monthly_total: int  # the month called about (this month, or the next one to pay)


def _may_contact(row: dict[str, Any]) -> bool:
    return bool(row["consent_at"] and not row["consent_withdrawn_at"] and row["phone"])


def follow_up_list(store: "Store", kind: str, *, days: int | None = None,
                   today: date | None = None) -> list[Entry]:
    if kind not in KINDS:
        raise ValidationError("kind", "followup.kind", value=str(kind)[:20],
                              choices=", ".join(KINDS))
    days = DEFAULT_DAYS[kind] if days is None else days
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3660:
        raise ValidationError("days", "followup.days")
    today = today or today_wib()
    cutoff = (today - timedelta(days=days)).isoformat()
    if kind == "running_out":
        cutoff = today.isoformat()
    out = []
    for row in followup_rows(store, kind, cutoff):
        if kind == "no_kpj":
            since = date.fromisoformat(_wib_day(row["created_at"]))
        elif kind == "unpaid":
            since = date.fromisoformat(row["kpj_at"])
        else:
            since = paid_until(row["first_paid_at"], row["first_paid_months"] or 1)
            if (since - today).days > days:
                continue
        contact = _may_contact(row)
        out.append(Entry(row["id"], row["code"], row["segment"], row["full_name"],
                         row["nik"] or row["passport_no"], row["phone"] if contact else None,
                         contact, row["event_title"], row["officer_name"], since,
                         (today - since).days, row["kpj_no"],
                         _amount(row, since + timedelta(days=1) if kind == "running_out"
                                 else today)))
    if kind == "running_out":
        out.sort(key=lambda e: (e.since, e.code))
    return out


def _amount(row: dict[str, Any], month: date) -> int:
    """The monthly contribution the person is called about: this month's (no KPJ yet, not
    paid yet), or the first month after the paid ones (running out); not the first month's,
    which a discount that ended or a month paid ahead may have changed."""
    from bpjs_field.domain.plan import monthly_on
    try:
        return monthly_on(row, month).total
    except (ValueError, KeyError, TypeError):  # a row without a readable contribution
        return row["monthly_total"]


def _wib_day(stamp: str) -> str:
    from datetime import datetime, timezone
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment.astimezone(timezone(timedelta(hours=7)))).date().isoformat()
