"""The branch's report over every laptop, on the branch server: the same funnel, the same
definitions and the same assembly as on a laptop (bpjs_field/reporting/funnel.py), read from
the server's documents (registrations, attendance, events and officers as the laptops
pushed them, merged).  Read-only."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from bpjs_field.domain.formatting import to_wib
from bpjs_field.reporting import funnel
from bpjs_field.server.db import ServerDatabase



def wib_day(stamp: Any) -> str | None:
    """As the laptop's `date(x, '+7 hours')`: a time without a zone is UTC."""
    if not isinstance(stamp, str):
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:10]
    return to_wib(moment).date().isoformat()


def _docs(tx, entity: str) -> list[dict[str, Any]]:
    return [json.loads(data) for (data,) in tx.rows(
        "SELECT data FROM docs WHERE entity = ? AND deleted = 0 AND merged_into IS NULL",
        (entity,))]


def server_report(db: ServerDatabase, *, start: date | None = None, end: date | None = None,
                  by: str = "segment", targets: dict[str, Any] | None = None,
                  lang: str = "id") -> funnel.Report:
    if by not in funnel.DIMENSIONS:
        from bpjs_field.errors import ValidationError
        raise ValidationError("by", "report.dimension", value=str(by)[:20],
                              choices=", ".join(funnel.DIMENSIONS))
    start, end = funnel.period(start, end)
    low, high = start.isoformat(), end.isoformat()
    with db.read() as tx:
        registrations = _docs(tx, "registration")
        attendance = _docs(tx, "attendance")
        events = {e["id"]: e for e in _docs(tx, "event")}
        officers = _docs(tx, "officer")
        branches = [b for (b,) in tx.rows("SELECT branch FROM accounts")]
    reg: dict[tuple, list[int]] = defaultdict(lambda: [0] * 6)
    days: dict[str, int] = defaultdict(int)
    for r in registrations:
        day = wib_day(r.get("created_at"))
        if day is None or not low <= day <= high:
            continue
        paid = r.get("first_paid_at") is not None
        monthly = (r.get("monthly_total") or 0) if paid else 0
        figures = (1, int(bool(r.get("kpj_at") or r.get("kpj_no") or paid)), int(paid),
                   int(r.get("status") == "berhenti"), monthly,
                   funnel.paid_ahead(r))
        totals = reg[(r.get("segment"), r.get("officer_id") or "", r.get("event_id") or "")]
        for i, value in enumerate(figures):
            totals[i] += value
        days[day] += 1
    att: dict[tuple, int] = defaultdict(int)
    for a in attendance:
        day = wib_day(a.get("checked_in_at"))
        if day is not None and low <= day <= high:
            att[(a.get("officer_id") or "", a.get("event_id") or "")] += 1
    branch = max(set(branches), key=branches.count) if branches else None
    if targets is None:
        from bpjs_field.reporting import targets as target_data
        targets = target_data.for_branch(branch, end.year)
    names = funnel.Labels({k: {"id": k, **v} for k, v in events.items()},
                          {o["id"]: o.get("full_name") or "" for o in officers if "id" in o}, lang)
    return funnel.assemble(
        [(*key, *values) for key, values in reg.items()],
        [(*key, n) for key, n in att.items()], sorted(days.items()), names, by=by,
        start=start, end=end, branch=branch, targets=targets)
