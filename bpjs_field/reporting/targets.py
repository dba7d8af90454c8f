"""The branches' annual targets and industrial estates, as data.

`resources/reference/targets.json` ships the Cikarang and Cilegon figures with their
source; a supervisor may point the report at another file (`--targets FILE.json`) of the
same shape.  A branch's entry is chosen by a word of its name (`match`) and the year; a
branch or year without an entry gets no targets (the report shows counts only).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from bpjs_field.errors import BpjsFieldError
from bpjs_field.paths import resource_path

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
    money = entry.get("contribution_rupiah")
    if money is not None and (isinstance(money, bool) or not isinstance(money, int) or money < 0):
        raise bad("contribution_rupiah")


def for_branch(branch: str | None, year: int, path: Path | None = None) -> dict[str, Any]:
    """The entry for this branch and year, or {} (no targets known)."""
    if not branch:
        return {}
    name = branch.casefold()
    for entry in load(path):
        if entry["match"].casefold() in name and entry["year"] == year:
            return entry
    return {}


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
