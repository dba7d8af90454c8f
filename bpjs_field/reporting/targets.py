"""The branches' annual targets and industrial estates, as data.

`resources/reference/targets.json` ships the Cikarang and Cilegon figures with their
source; a supervisor may point the report at another file (`--targets FILE.json`) of the
same shape, or set the branch's targets for a year in Pengaturan (`set_targets`: kept in
the laptop's settings, dated, with who set them, audited; they come before the file's).
A branch's entry is chosen by a word of its name (`match`) and the year; a branch or year
without an entry gets no targets (the report shows counts only).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bpjs_field.errors import BpjsFieldError
from bpjs_field.paths import resource_path

if TYPE_CHECKING:
    from datetime import date

    from bpjs_field.store.store import Store

SEGMENT_KEYS = ("pu", "bpu", "asn", "tka")


def load(path: Path | None = None) -> list[dict[str, Any]]:
    """The entries of a targets file, checked (BpjsFieldError naming what is wrong)."""
    source = path or resource_path("reference", "targets.json")
    try:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BpjsFieldError("file.missing", path=str(source)) from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise BpjsFieldError("targets.invalid", path=str(source)[:200], what="JSON") from None
    entries = data.get("branches") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BpjsFieldError("targets.invalid", path=str(source)[:200], what="branches")
    for entry in entries:
        _check(entry, source)
    return entries


def _check(entry: Any, source: Path | str) -> None:
    def bad(what: str) -> BpjsFieldError:
        return BpjsFieldError("targets.invalid", path=str(source)[:200], what=what)
    if not isinstance(entry, dict) or not isinstance(entry.get("match"), str) \
            or not isinstance(entry.get("year"), int):
        raise bad("match/year")
    for key, value in (entry.get("participants") or {}).items():
        if key not in SEGMENT_KEYS or isinstance(value, bool) or not isinstance(value, int) \
                or value < 0:
            raise bad(f"participants.{key}")
    for key, value in (entry.get("kecamatan") or {}).items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 6) \
                or not isinstance(value, int) or value < 0:
            raise bad(f"kecamatan.{key}")
    for key, value in (entry.get("estate") or {}).items():
        if not isinstance(key, str) or not key or isinstance(value, bool) \
                or not isinstance(value, int) or value < 0:
            raise bad(f"estate.{key}")
    money = entry.get("contribution_rupiah")
    if money is not None and (isinstance(money, bool) or not isinstance(money, int) or money < 0):
        raise bad("contribution_rupiah")


def for_branch(branch: str | None, year: int, path: Path | None = None,
               store: "Store | None" = None) -> dict[str, Any]:
    """The entry for this branch and year, or {} (no targets known): the one set in
    Pengaturan on this laptop first (given `store`), else the file's."""
    if not branch:
        return {}
    name = branch.casefold()
    entries = [*(stored(store) if store is not None else []), *load(path)]
    for entry in entries:
        if entry["match"].casefold() in name and entry["year"] == year:
            return entry
    return {}


# -- targets set in Pengaturan ---------------------------------------------------------
SETTING = "report.targets"
MAX_PARTICIPANTS = 10_000_000
MAX_RUPIAH = 10**15  # Rp1 kuadriliun: beyond any branch's year


def stored(store: "Store") -> list[dict[str, Any]]:
    """The entries set on this laptop, newest first (a damaged setting counts as none)."""
    entries = store.get_setting(SETTING) or []
    good = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            _check(entry, "Pengaturan")
        except BpjsFieldError:
            continue
        good.append(entry)
    return sorted(good, key=lambda e: str(e.get("set_at") or ""), reverse=True)


def _count(value: Any, field: str, maximum: int) -> int | None:
    from bpjs_field.errors import ValidationError
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "number.invalid", value=str(value)[:30])
    if not 0 <= value <= maximum:
        raise ValidationError(field, "targets.range", maximum=maximum)
    return value


def set_targets(store: "Store", *, branch: str, year: int, participants: dict[str, Any],
                contribution_rupiah: Any = None, kecamatan: dict[str, Any] | None = None,
                estate: dict[str, Any] | None = None, note: str | None = None,
                today: "date | None" = None) -> dict[str, Any]:
    """A supervisor sets the branch's annual targets for a year; the entry is kept with the
    day and the officer who set it, replaces that branch's and year's earlier one on this
    laptop, and is audited (the figures, which are the branch's, not personal data).
    Zero or empty means no target.  Refused whole, naming the field, when a figure is wrong."""
    from datetime import date as date_type

    from bpjs_field.errors import ValidationError, ValidationErrors
    from bpjs_field.security.session import require_supervisor
    from bpjs_field.store.store import utc_now
    require_supervisor(store, "targets.set")
    errors: list[ValidationError] = []
    today = today or date_type.today()
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= today.year + 5:
        errors.append(ValidationError("year", "targets.year", maximum=today.year + 5))
    name = (branch or "").strip()
    if not name:
        errors.append(ValidationError("branch", "required"))

    def counts(values: dict[str, Any] | None, prefix: str, maximum: int,
               keys: tuple[str, ...] | None = None) -> dict[str, int]:
        out = {}
        for key, value in (values or {}).items():
            if keys is not None and key not in keys:
                errors.append(ValidationError(f"{prefix}.{key}", "targets.key", value=key[:20]))
                continue
            try:
                number = _count(value, f"{prefix}.{key}", maximum)
            except ValidationError as exc:
                errors.append(exc)
                continue
            if number:
                out[key] = number
        return out

    people = counts(participants, "participants", MAX_PARTICIPANTS, SEGMENT_KEYS)
    districts = counts(kecamatan, "kecamatan", MAX_PARTICIPANTS)
    for key in districts:
        if not (key.isdigit() and len(key) == 6):
            errors.append(ValidationError(f"kecamatan.{key}", "targets.key", value=key[:20]))
    estates = counts(estate, "estate", MAX_PARTICIPANTS)
    money = None
    try:
        money = _count(contribution_rupiah, "contribution_rupiah", MAX_RUPIAH) or None
    except ValidationError as exc:
        errors.append(exc)
    if errors:
        raise ValidationErrors(errors)
    row = store.officers.get(store.officer_id) if store.officer_id else None
    officer = row["full_name"] if row else None
    now = utc_now()
    from bpjs_field.domain.formatting import format_date
    source = (f"Ditetapkan di Pengaturan oleh {officer or 'supervisor'}, "
              f"{format_date(today)}" + (f": {note.strip()[:200]}" if note and note.strip() else ""))
    entry = {"branch": name, "source": source, "match": name.casefold(), "year": year, "participants": people,
             "kecamatan": districts, "estate": estates, "contribution_rupiah": money,
             "set_at": now, "set_by": store.officer_id, "set_by_name": officer,
             "note": (note or "").strip()[:200] or None}
    with store.write():
        kept = [e for e in stored(store)
                if not (e["match"] == entry["match"] and e["year"] == year)]
        store.set_setting(SETTING, [entry, *kept])
        store.audit("targets.set", None, None, branch=name, year=year, participants=people,
                    kecamatan=districts, estate=estates, contribution_rupiah=money)
    return entry


@lru_cache(maxsize=1)
def _estates() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = json.loads(resource_path("reference", "estates.json").read_text(encoding="utf-8"))
    return tuple((e["name"], tuple(a.casefold() for a in e["aliases"])) for e in data["estates"])


def estate_of(event: dict[str, Any]) -> str | None:
    """The industrial estate an event's venue or title names, if any."""
    text = f"{event.get('venue') or ''} {event.get('title') or ''}".casefold()
    for name, aliases in _estates():
        if any(alias in text for alias in aliases):
            return name
    return None
