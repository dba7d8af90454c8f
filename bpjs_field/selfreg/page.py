"""The phone page: one HTML file, everything inline, built from the core's own data.

The rules the page checks (province and kecamatan codes, the mobile-number pattern of
libphonenumber's metadata, the BPU income steps, the monthly contribution of every step,
occupation and JHT choice, the messages of each rule, the privacy notice) are generated
here from `bpjs_field.domain` and `bpjs_field.messages`, never copied by hand.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from functools import lru_cache
from html import escape
from typing import Any

from bpjs_field.domain.formatting import today_wib

MESSAGE_CODES = (
    "nik.empty", "nik.not_digits", "nik.length", "nik.province", "nik.regency", "nik.district",
    "nik.day", "nik.month", "nik.date", "nik.future", "nik.serial", "nik.unknown_district",
    "nik.birth_mismatch", "name.empty", "name.too_long", "name.digits", "name.symbol",
    "name.no_letters", "phone.empty", "phone.characters", "phone.invalid", "phone.not_mobile", "phone.foreign",
    "income.missing", "months_paid.invalid", "consent.missing", "required", "too_long",
    "selfreg.rate_limited",
)


def rules(today: date | None = None) -> dict[str, Any]:
    """Everything the page checks and shows, from the core's data, for `today`."""
    import phonenumbers

    from bpjs_field.domain.consent import privacy_notice
    from bpjs_field.domain.contribution import bpu_contribution, bpu_income_choices
    from bpjs_field.domain.names import MAX_NAME_LENGTH
    from bpjs_field.domain.regions import districts, province_codes
    from bpjs_field.domain.segments import occupations, sector_labels
    from bpjs_field.messages import CATALOGUE

    today = today or today_wib()
    steps = bpu_income_choices(today)
    sectors = list(sector_labels())
    # Each of the next 12 months' contribution, exactly as the desk computes it (each month
    # at its own rates and discounts, as `bpu_plan` does): the distinct tables, and which
    # table each month uses (the page adds the months paid ahead).
    from bpjs_field.domain.plan import add_months
    tables: list[dict[str, list[list[int]]]] = []
    month_table: list[int] = []
    for n in range(12):
        month = add_months(today.replace(day=1), n)
        table = {sector: [[bpu_contribution(step, with_jht=jht, period=month, sector=sector).total
                           for jht in (False, True)] for step in steps] for sector in sectors}
        if table not in tables:
            tables.append(table)
        month_table.append(tables.index(table))
    numbers = phonenumbers.PhoneMetadata.metadata_for_region("ID")
    notice = privacy_notice()
    return {
        "today": today.isoformat(),
        "provinces": sorted(province_codes()),
        "districts": [[d.code, d.name, d.regency] for d in districts()],
        "mobile": numbers.mobile.national_number_pattern,
        # Every other kind of number libphonenumber knows (landline, toll-free, ...): "not mobile".
        "other": [desc.national_number_pattern for desc in (
            numbers.fixed_line, numbers.toll_free, numbers.premium_rate, numbers.shared_cost,
            numbers.personal_number, numbers.voip, numbers.pager, numbers.uan, numbers.voicemail)
            if desc is not None and desc.national_number_pattern],
        "max_name": MAX_NAME_LENGTH,
        "max_address": 300,
        "steps": steps,
        "tables": tables,
        "month_table": month_table,
        "occupations": sorted(([code, v[0], v[1], v[2]] for code, v in occupations().items()),
                              key=lambda o: o[1]),
        "messages": {code: list(CATALOGUE[code]) for code in MESSAGE_CODES},
        "notice": {"version": notice.version, "id": notice.text_id, "en": notice.text_en},
    }


@lru_cache(maxsize=4)
def _static(name: str) -> str:
    from bpjs_field.paths import resource_path
    return resource_path("selfreg", *name.split("/")).read_text("utf-8")


def build_page(public_key: bytes, key_id: str, *, title: str = "", today: date | None = None) -> bytes:
    """The whole page, UTF-8: the vendored libraries and the page's script inline (no request
    after the first, nothing from outside the hub)."""
    config = {"key": base64.b64encode(public_key).decode("ascii"), "key_id": key_id,
              "title": title, "rules": rules(today)}
    data = json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    html = (_static("page.html")
            .replace("{{TITLE}}", escape(title or "BPJS Ketenagakerjaan"))
            .replace("{{CSS}}", _static("page.css"))
            .replace("/*{{CONFIG}}*/", f"var CONFIG={data};")
            .replace("/*{{NACL}}*/", _static("vendor/nacl.min.js"))
            .replace("/*{{QRCODE}}*/", _static("vendor/qrcode.js"))
            .replace("/*{{APP}}*/", _static("page.js")))
    return html.encode("utf-8")
