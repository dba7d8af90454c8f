"""The contribution the registration form shows while the officer types.

Plain values in, the core's answer out: the first month's contribution, the plan
of the months paid now (each at the rules of its month), a reason when nothing can
be computed yet, and for a wage earner the programmes of the employer's scale with
their reasons.  No widgets here, so the form stays about its fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bpjs_field.domain.contribution import Contribution, pu_contribution
from bpjs_field.domain.plan import PaymentPlan, bpu_plan
from bpjs_field.domain.programs import SCALED_SEGMENTS, ProgramSet, wage_programs
from bpjs_field.errors import ValidationError
from ui.forms.parsing import parse_amount, parse_day

SCALE_MISSING = "employer_scale.missing"

Preview = tuple[Contribution | None, PaymentPlan | None, str, ProgramSet | None]


def contribution_preview(segment: str, values: dict[str, Any], day: date, lang: str = "id") -> Preview:
    """`values`: the form's fields as read (income, JHT, months, sector, payer, scale, wage,
    birth date text, risk class).  A missing scale comes back as SCALE_MISSING for the form
    to word; a bad value as its message."""
    try:
        if segment == "bpu":
            income = values.get("declared_income")
            if income is None:
                return None, None, "", None
            plan = bpu_plan(income, with_jht=bool(values.get("with_jht")), start=day,
                            months=int(values.get("months_paid") or 1),
                            sector=values.get("sector") or "umum",
                            payer=values.get("payer") or "mandiri")
            return plan.runs[0].monthly, plan, "", None
        scale = values.get("employer_scale")
        if segment in SCALED_SEGMENTS and scale is None:
            return None, None, SCALE_MISSING, None
        wage = parse_amount(values.get("wage"), "wage")
        if wage is None:
            return None, None, "", None
        try:
            birth = parse_day(values.get("birth_date"), "birth_date")
        except ValidationError:
            birth = None
        chosen = wage_programs(segment, scale, birth_date=birth, day=day)
        c = pu_contribution(wage, risk_class=values.get("risk_class") or 1, period=day,
                            programs=chosen.computed)
        return c, PaymentPlan.single(c), "", chosen
    except ValidationError as exc:
        return None, None, exc.message(lang), None
