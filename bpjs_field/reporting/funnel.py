"""Where the branch stands: the funnel attended -> registered -> KPJ -> paid for a period, by
segment, kecamatan, industrial estate, event, partner organisation or officer, against the
branch's annual targets (bpjs_field/reporting/targets.py).

Definitions (the same on the laptop, in the PDF, the XLSX and on the branch server):
- attended: check-ins in the period (one per person and event);
- registered: registrations made in the period; KPJ and paid: those of them that have since
  got a KPJ number / made their first payment (a cohort: a registration of November paid in
  December counts for November);
- stopped: those of them stopped, at whatever stage;
- contribution: the monthly contribution of the paying registrations, and what their first
  payments brought: months paid ahead x amount (`paid_ahead`), against the branch's annual
  contribution target in rupiah (`Report.contribution_progress`).
- kecamatan, estate and partner are the event's (where it was held, who hosted it); a
  registration made without an event counts under "-".
Days are WIB days (UTC+7).

The figures come from running totals per day, segment, officer and event that triggers keep
on every write (migration 11): a year is a sum over a few thousand rows, at any size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.formatting import WIB, today_wib
from bpjs_field.errors import ValidationError
from bpjs_field.store.reports import (ATT_SQL, DAY_SQL, REG_SQL, branch_of,  # noqa: F401
                                      funnel_totals, label_rows, recount)

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

DIMENSIONS = ("segment", "kecamatan", "estate", "event", "partner", "officer")
UNKNOWN = "-"


@dataclass
class Row:
    key: str
    label: str
    attended: int | None = 0
    registered: int = 0
    kpj: int = 0
    paid: int = 0
    stopped: int = 0
    monthly: int = 0  # monthly contribution of the paying registrations
    first_payments: int = 0  # what the first payments brought (months paid ahead x amount)
    target: int | None = None  # annual target (participants) for this row, when known

    def add(self, other: "Row") -> None:
        if self.attended is not None and other.attended is not None:
            self.attended += other.attended
        for name in ("registered", "kpj", "paid", "stopped", "monthly", "first_payments"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Report:
    start: date
    end: date
    by: str
    branch: str | None
    rows: list[Row]
    total: Row
    per_day: list[tuple[str, int]]
    targets: dict[str, Any] = field(default_factory=dict)

    @property
    def contribution_target(self) -> int | None:
        return self.targets.get("contribution_rupiah") or None

    @property
    def contribution_progress(self) -> float | None:
        """What the first payments of the period brought, as a share of the annual
        contribution target (None without a target)."""
        target = self.contribution_target
        return self.total.first_payments / target if target else None

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by,
                "branch": self.branch, "rows": [asdict(r) for r in self.rows],
                "total": asdict(self.total), "per_day": [list(d) for d in self.per_day],
                "targets": self.targets, "contribution_progress": self.contribution_progress}


def paid_ahead(row: dict[str, Any]) -> int:
    """Months paid ahead x amount for one registration (0 before its first payment): the
    total of the plan made at the event when the first payment covered those months (each
    month at its own rules), else the first month's amount times the months paid.  The
    laptop's running totals hold the same expression in SQL (store/migrations.py)."""
    if not row.get("first_paid_at"):
        return 0
    months = row.get("first_paid_months") or 1
    if row.get("amount_due") is not None and months == (row.get("months_paid") or 1):
        return int(row["amount_due"])
    return (row.get("monthly_total") or 0) * months


def period(start: date | None, end: date | None, today: date | None = None) -> tuple[date, date]:
    """Defaults: from the 1st of January of `end`'s year (year to date) to today."""
    end = end or today or today_wib()
    start = start or date(end.year, 1, 1)
    if start > end:
        raise ValidationError("from", "report.period")
    return start, end


class Labels:
    """Names for the keys of each dimension (events, officers and estates read once)."""

    def __init__(self, events: dict[str, dict[str, Any]], officers: dict[str, str],
                 lang: str = "id") -> None:
        from bpjs_field.reporting.targets import estate_of
        self.lang = lang
        self.events = events
        self.officers = officers
        self.estates = {eid: estate_of(e) for eid, e in self.events.items()}

    @classmethod
    def of_store(cls, store: "Store", lang: str = "id") -> "Labels":
        return cls(*label_rows(store), lang)

    def key(self, by: str, segment: str | None, officer: str | None,
            event: str | None) -> tuple[str, str]:
        from bpjs_field.domain.regions import get_region
        from bpjs_field.domain.segments import SEGMENTS, label
        if by == "segment":
            return segment or UNKNOWN, label(SEGMENTS, segment, self.lang) if segment else UNKNOWN
        if by == "officer":
            return officer or UNKNOWN, self.officers.get(officer or "", UNKNOWN)
        if by == "event":
            e = self.events.get(event or "")
            return (event or UNKNOWN), (e["title"] if e else UNKNOWN)
        if by == "partner":
            e = self.events.get(event or "")
            name = (e or {}).get("partner_org") or UNKNOWN
            return name, name
        if by == "estate":
            name = self.estates.get(event or "") or UNKNOWN
            return name, name
        district = (self.events.get(event or "") or {}).get("district_code")
        region = get_region(district) if district else None
        return district or UNKNOWN, region.name if region else UNKNOWN


def build(store: "Store", *, start: date | None = None, end: date | None = None,
          by: str = "segment", lang: str = "id", targets: dict[str, Any] | None = None,
          today: date | None = None) -> Report:
    from bpjs_field.store.session import require_supervisor
    require_supervisor(store, "report")
    if by not in DIMENSIONS:
        raise ValidationError("by", "report.dimension", value=str(by)[:20],
                              choices=", ".join(DIMENSIONS))
    start, end = period(start, end, today)
    bounds = (start.isoformat(), end.isoformat())
    found = targets
    if found is None:
        from bpjs_field.reporting import targets as target_data
        found = target_data.for_branch(branch_of(store), end.year, store=store)
    return assemble(*funnel_totals(store, bounds), Labels.of_store(store, lang),
                    by=by, start=start, end=end, branch=branch_of(store), targets=found)


def assemble(registrations: Iterable[tuple], attendance: Iterable[tuple],
             per_day: list[tuple[str, int]], names: Labels, *, by: str, start: date, end: date,
             branch: str | None, targets: dict[str, Any]) -> Report:
    """The report from grouped totals: registrations as (segment, officer, event, registered,
    kpj, paid, stopped, monthly, first payments), attendance as (officer, event, attended).
    The laptop reads them from its running totals, the branch server from its documents."""
    lang = names.lang
    rows: dict[str, Row] = {}

    def row_for(key: str, label: str) -> Row:
        if key not in rows:
            rows[key] = Row(key, label, attended=None if by == "segment" else 0)
        return rows[key]

    for segment, officer, event, n, kpj, paid, stopped, monthly, first in registrations:
        row = row_for(*names.key(by, segment, officer or None, event or None))
        row.add(Row("", "", None, n, kpj or 0, paid or 0, stopped or 0, monthly or 0, first or 0))
    attended_total = 0
    for officer, event, n in attendance:
        attended_total += n
        if by != "segment":
            row = row_for(*names.key(by, None, officer or None, event or None))
            row.attended = (row.attended or 0) + n
    per_day = [(d, n) for d, n in per_day]
    total = Row("total", "Total", attended=attended_total)
    for row in rows.values():
        total.add(Row("", "", None, row.registered, row.kpj, row.paid, row.stopped, row.monthly,
                      row.first_payments))
    found = targets
    if by == "segment":
        for key, value in (found.get("participants") or {}).items():
            if key in rows:
                rows[key].target = value
            elif value:
                from bpjs_field.domain.segments import SEGMENTS, label
                rows[key] = Row(key, label(SEGMENTS, key, lang), None, target=value)
    elif by in ("kecamatan", "estate"):
        for key, value in (found.get(by) or {}).items():
            if key in rows:
                rows[key].target = value
            elif value:  # a place with a target and nothing yet shows as such
                label = key
                if by == "kecamatan":
                    from bpjs_field.domain.regions import get_region
                    region = get_region(key)
                    label = region.name if region else key
                rows[key] = Row(key, label, 0, target=value)
    participants = found.get("participants") or {}
    total.target = sum(participants.values()) or None
    ordered = sorted(rows.values(), key=lambda r: (-r.registered, r.label))
    return Report(start, end, by, branch, ordered, total, per_day, found)

