"""Finding people fast: exact paths for codes and NIKs, FTS5 prefix search for the rest.

User text never reaches FTS5 syntax: it is cut into word tokens, each quoted
and given a prefix star, so `AND`, `NEAR`, quotes or brackets typed in the
search box are plain words.  No ranking is asked for (`bm25` costs ten times
more at 300,000 people); the result is sorted by name in Python.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.codes import normalize_code
from bpjs_field.domain.nik import clean_nik, looks_like_nik
from bpjs_field.domain.phone import normalize_phone, phone_search_tokens
from bpjs_field.errors import ValidationError
from bpjs_field.store.migrations import SEARCH_TRIGGERS, create_search_index, fill_search_index

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

_TOKEN = re.compile(r"[^\W_]+")
MAX_TOKENS = 8
MAX_TOKEN_LENGTH = 40
_PHONE_TEXT = re.compile(r"^[\d\s+().\-]+$")
COLUMNS = ("p.id, p.rowid AS rowid, p.full_name, p.nik, p.passport_no, p.nationality, p.phone, "
           "p.birth_date, p.sex, p.district_code, p.erased_at, f.codes AS codes")


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every token quoted, prefix-matched, ANDed."""
    tokens = [t[:MAX_TOKEN_LENGTH] for t in _TOKEN.findall(text.casefold())][:MAX_TOKENS]
    if not tokens:
        return None
    query = " ".join(f'"{t}"*' for t in tokens)
    compact = re.sub(r"[\s\-.]", "", text)
    if len(tokens) > 1 and compact.isalnum() and len(compact) <= MAX_TOKEN_LENGTH:
        query = f'({query}) OR "{compact.casefold()}"*'
    return query


def phone_prefix(text: str) -> str | None:
    """A phone number as typed (`+62 812-3456-7890`, `(0812) 3456`, `0812.3456`) in the
    national form the index holds (`081234567890`), as registration normalises it
    (`normalize_phone`); a part of a number keeps its digits, `+62` read as the trunk 0.
    None when the text is not written like a phone number: digits alone that do not start
    with 0 stay a NIK or code search, a name stays a name."""
    raw = text.strip()
    if not _PHONE_TEXT.match(raw) or not (raw.startswith(("+", "(")) or raw.lstrip("(").startswith("0")):
        return None
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 4 or len(digits) > 16:
        return None
    try:
        return phone_search_tokens(normalize_phone(raw))[0]
    except ValidationError:
        pass
    if raw.startswith("+"):
        if not digits.startswith("62"):
            return None
        # "+62 0812…" mixes the country code and the trunk 0: refused at registration,
        # but a search finds what was meant
        digits = "0" + digits[3:] if digits.startswith("620") else "0" + digits[2:]
    return digits


class SearchIndex:
    def __init__(self, store: "Store") -> None:
        self.s = store

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        text = (text or "").strip()[:200]
        if not text:
            return []
        code = normalize_code(text)
        if code is not None:
            hits = self.s.query(
                f"SELECT {COLUMNS} FROM registrations r JOIN people p ON p.id = r.person_id "
                f"LEFT JOIN people_fts f ON f.rowid = p.rowid WHERE r.code = ?", (code,))
            if hits:
                return hits
        if looks_like_nik(text):
            hits = self.s.query(
                f"SELECT {COLUMNS} FROM people p LEFT JOIN people_fts f ON f.rowid = p.rowid "
                f"WHERE p.nik = ?", (clean_nik(text),))
            if hits:
                return hits
        phone = phone_prefix(text)
        if phone is not None:
            hits = self.s.query(
                f"SELECT {COLUMNS} FROM people_fts f JOIN people p ON p.rowid = f.rowid "
                f"WHERE people_fts MATCH ? AND p.merged_into IS NULL LIMIT ?",
                (f'phone : "{phone}"*', limit))
            if hits:
                hits.sort(key=lambda h: h["full_name"].casefold())
                return hits
        query = fts_query(text)
        if query is None:
            return []
        hits = self.s.query(
            f"SELECT {COLUMNS} FROM people_fts f JOIN people p ON p.rowid = f.rowid "
            f"WHERE people_fts MATCH ? AND p.merged_into IS NULL LIMIT ?", (query, limit))
        hits.sort(key=lambda h: h["full_name"].casefold())
        return hits

    def drop_triggers(self) -> None:
        """For bulk loads: index maintenance is done once by `rebuild()` at the end."""
        for name in SEARCH_TRIGGERS:
            self.s.db.execute(f"DROP TRIGGER IF EXISTS {name}")

    def rebuild(self) -> None:
        """Recreate the index and its triggers from the people and registrations tables."""
        self.drop_triggers()
        self.s.db.execute("DROP TABLE IF EXISTS people_fts")
        create_search_index(self.s.db)
        fill_search_index(self.s.db)
