"""Personal names as on the KTP.

Single-word names are legal and common; apostrophes (Ma'ruf), hyphens,
periods (Muh., Hj.) and commas before degrees (S.Pd.) are accepted.  Digits,
control characters and other symbols are refused.  Names are stored NFC
normalised, trimmed, with single spaces; `name_key()` is the casefolded,
accent-free form used for matching.
"""

from __future__ import annotations

import re
import unicodedata

from bpjs_field.errors import ValidationError

MAX_NAME_LENGTH = 100
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})
_ALLOWED_PUNCT = set("'-.,")
# The usual KTP spelling: ASCII letters, spaces and the punctuation above, nothing else.
_PLAIN = re.compile(r"[A-Za-z '.,-]+")


def normalize_name(text: str, *, field: str = "full_name") -> str:
    """The name cleaned for storage; raises `ValidationError(field=field)`."""
    if text is None:
        raise ValidationError(field, "name.empty")
    if text.isascii() and _PLAIN.fullmatch(text):
        # Nothing in it to refuse but emptiness, length or a lack of letters, and nothing to
        # normalise but spaces: the rules below give the same answer a character at a time
        # (tests/core/test_text_fast_paths.py checks both ways agree), at a quarter of a partner
        # list's validation.
        name = _SPACES.sub(" ", text).strip()
        if not name:
            raise ValidationError(field, "name.empty")
        if len(name) > MAX_NAME_LENGTH:
            raise ValidationError(field, "name.too_long", maximum=MAX_NAME_LENGTH, length=len(name))
        if not name.strip(" '.,-"):
            raise ValidationError(field, "name.no_letters")
        return name
    return _normalize_by_character(text, field)


def _normalize_by_character(text: str, field: str) -> str:
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\t\n\r":
            raise ValidationError(field, "name.control")
    name = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    name = _SPACES.sub(" ", name).strip()
    if not name:
        raise ValidationError(field, "name.empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(field, "name.too_long", maximum=MAX_NAME_LENGTH, length=len(name))
    letters = 0
    for ch in name:
        cat = unicodedata.category(ch)
        if cat.startswith("L"):
            letters += 1
        elif cat == "Nd" or cat.startswith("N"):
            raise ValidationError(field, "name.digits")
        elif ch == " " or ch in _ALLOWED_PUNCT or cat.startswith("M"):
            continue
        else:
            raise ValidationError(field, "name.symbol", char=ch)
    if letters == 0:
        raise ValidationError(field, "name.no_letters")
    return name


def name_key(name: str) -> str:
    """Casefolded, accent-free, punctuation-free form for matching and de-duplication."""
    if name.isascii():  # nothing to decompose, no accents to drop
        stripped = name
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = re.sub(r"[^\w\s]", " ", stripped.casefold())
    return _SPACES.sub(" ", cleaned).strip()
