"""`ReceiptData`: everything a registration receipt shows, as plain values.

`receipt_data(store, registration_id)` is the one function that reads the
database for a receipt; the layout in `receipt.py` only sees this object.  It
already holds the masked identity number (the full NIK or passport number
never reaches the layout), the officer, the event and the contribution.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from bpjs_field.domain.contribution import Contribution
from bpjs_field.domain.foreign import country_name, mask_passport
from bpjs_field.domain.formatting import to_wib
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.plan import PaymentPlan, registration_plan
from bpjs_field.domain.programs import SCALES, Reason, wage_programs
from bpjs_field.domain.rates import default_rates
from bpjs_field.domain.segments import PAYERS, SEGMENTS, label, occupations
from bpjs_field.errors import NotFoundError

if TYPE_CHECKING:
    from bpjs_field.store import Store

DEFAULT_BRANCH = "Kantor Cabang Bekasi Cikarang"
BRANCH_SETTING = "branch"


@dataclass(frozen=True)
class ReceiptData:
    code: str  # bare registration code, as the QR carries it
    registered_at: datetime  # aware
    branch: str
    participant_name: str
    identity_label: str  # "NIK" or "Paspor"
    identity_masked: str
    segment: str
    segment_label: str
    programs: tuple[str, ...]
    contribution: Contribution
    consent_version: str
    consent_at: datetime
    printed_at: datetime
    nationality: str | None = None
    event_title: str | None = None
    event_venue: str | None = None
    event_date: date | None = None
    officer_name: str | None = None
    officer_no: str | None = None
    occupation_label: str | None = None
    employer_name: str | None = None
    declared_income: int | None = None
    wage: int | None = None
    risk_class: int | None = None
    months_paid: int | None = None
    discount_percent: int | None = None
    discount_programs: tuple[str, ...] = ()
    discount_until: date | None = None
    plan: PaymentPlan | None = None
    payer: str | None = None
    sector: str | None = None
    payer_name: str | None = None
    employer_scale: str | None = None
    reasons: tuple[Reason, ...] = ()
    jp_cap_verified: bool = True
    copy_number: int = 0  # 0 = the original; n = the n-th reprint ("SALINAN ke-n")
    registration_id: str | None = None
    training: bool = False  # from a training database: printed LATIHAN, not a valid receipt

    @property
    def is_copy(self) -> bool:
        return self.copy_number > 0

    @property
    def amount_due(self) -> int:
        """What is paid now: every month paid ahead, each at the rules of its month."""
        return self.plan.total if self.plan is not None else self.contribution.total

    @property
    def scale_label(self) -> str | None:
        return SCALES[self.employer_scale][0] if self.employer_scale in SCALES else None

    @property
    def paid_by(self) -> str:
        """"Pemerintah Kota Cilegon (APBD)", "peserta sendiri", "PT Maju Jaya (pemberi kerja)"."""
        payer = self.payer or ("mandiri" if self.segment == "bpu" else "pemberi_kerja")
        if payer == "mandiri":
            return "peserta sendiri"
        kind = {"apbd": "APBD", "apbn": "APBN", "csr": "CSR"}.get(payer, "pemberi kerja")
        name = self.payer_name or (self.employer_name if payer == "pemberi_kerja" else None)
        return f"{name} ({kind})" if name else PAYERS.get(payer, (payer,))[0]


def _moment(text: str | None) -> datetime:
    if not text:
        return datetime.now(timezone.utc)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def receipt_data(store: "Store", registration_id: str, *, copy_number: int | None = None,
                 printed_at: datetime | None = None) -> ReceiptData:
    """Assemble a receipt from the store.  `copy_number` defaults to the number of
    receipts of this registration already in the print log (0 for the first print)."""
    from bpjs_field.demo import is_training
    from bpjs_field.printing.log import receipt_print_count

    reg = store.registrations.get(registration_id)
    if reg is None:
        raise NotFoundError("not_found", what="Pendaftaran", value=registration_id)
    person = store.people.require(reg["person_id"])
    event = store.events.get(reg["event_id"]) if reg["event_id"] else None
    officer = store.officers.get(reg["officer_id"]) if reg["officer_id"] else None
    contribution = store.registrations.contribution_of(reg)
    branch = ((officer or {}).get("branch") or (event or {}).get("branch")
              or store.get_setting(BRANCH_SETTING) or DEFAULT_BRANCH)
    if person.get("nik"):
        ident_label, ident = "NIK", mask_nik(person["nik"])
        nationality = None
    else:
        ident_label, ident = "Paspor", mask_passport(person.get("passport_no") or "")
        nationality = country_name(person["nationality"]) if person.get("nationality") else None
    plan = registration_plan(reg)
    discount_percent, discount_programs, discount_until = None, (), None
    discounted = [run.monthly for run in plan.runs if run.monthly.discount_id]
    if discounted:
        for disc in default_rates().discounts:
            if disc.id == discounted[0].discount_id:
                discount_percent = int(disc.percent)
                discount_programs = tuple(sorted(disc.programs))
                discount_until = disc.end
    reasons: tuple[Reason, ...] = ()
    scale = reg.get("employer_scale")
    if reg["segment"] == "asn" or scale in SCALES:
        birth = person.get("birth_date")
        reasons = wage_programs(reg["segment"], scale, day=_moment(reg["created_at"]).date(),
                                birth_date=date.fromisoformat(birth) if birth else None).reasons
    jp_cap = default_rates().jp_cap_entry(contribution.period)
    occupation = reg.get("occupation")
    occupation_label = occupations().get(occupation, (occupation,))[0] if occupation else None
    if copy_number is None:
        copy_number = receipt_print_count(store, registration_id)
    return ReceiptData(
        code=reg["code"], registered_at=_moment(reg["created_at"]), branch=branch,
        participant_name=person["full_name"], identity_label=ident_label,
        identity_masked=ident, nationality=nationality, segment=reg["segment"],
        segment_label=label(SEGMENTS, reg["segment"]),
        programs=tuple(json.loads(reg["programs"])), contribution=contribution,
        consent_version=reg["consent_version"], consent_at=_moment(reg["consent_at"]),
        printed_at=printed_at or datetime.now(timezone.utc),
        event_title=(event or {}).get("title"), event_venue=(event or {}).get("venue"),
        event_date=to_wib(_moment(event["starts_at"])).date() if event else None,
        officer_name=(officer or {}).get("full_name"), officer_no=(officer or {}).get("employee_no"),
        occupation_label=occupation_label, employer_name=reg.get("employer_name"),
        declared_income=reg.get("declared_income"), wage=reg.get("wage"),
        risk_class=reg.get("risk_class"), months_paid=reg.get("months_paid"),
        discount_percent=discount_percent, discount_programs=discount_programs,
        discount_until=discount_until, plan=plan, payer=reg.get("payer"), sector=reg.get("sector"),
        payer_name=reg.get("payer_name"), employer_scale=scale, reasons=reasons,
        jp_cap_verified=jp_cap.verified,
        copy_number=copy_number, registration_id=registration_id,
        training=is_training(store),
    )
