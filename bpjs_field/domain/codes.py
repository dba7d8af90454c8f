"""Registration codes: short, typeable, unique across laptops without coordination.

A code is the laptop's 4-symbol device tag, a 4-symbol running number and
one check symbol, in Crockford base 32 (no I, L, O, U), written `K7QM-003A-X`.
The device tag is random per laptop (and re-issued by the branch server at
enrolment if two laptops ever drew the same one); the running number belongs
to the laptop, so two laptops never mint the same code.  The check symbol
(mod 37) catches a mistyped or swapped symbol when a code is typed by hand;
`I`, `L` and `O` typed by mistake are read as 1, 1 and 0.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
_DECODE = {ch: i for i, ch in enumerate(ALPHABET)}
_DECODE.update({"I": 1, "L": 1, "O": 0})
TAG_LENGTH = 4
SEQ_LENGTH = 4
MAX_SEQ = 32**SEQ_LENGTH - 1


def new_device_tag() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TAG_LENGTH))


def _encode(value: int, width: int) -> str:
    out = []
    for _ in range(width):
        value, rem = divmod(value, 32)
        out.append(ALPHABET[rem])
    if value:
        raise OverflowError("running number exhausted")
    return "".join(reversed(out))


def _check_symbol(body: str) -> str:
    value = 0
    for ch in body:
        value = value * 32 + _DECODE[ch]
    return CHECK_ALPHABET[value % 37]


def make_code(device_tag: str, seq: int) -> str:
    body = device_tag + _encode(seq, SEQ_LENGTH)
    return body + _check_symbol(body)


def format_code(code: str) -> str:
    """`K7QM003AX` -> `K7QM-003A-X` for printing."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) == 9 else code


def normalize_code(text: str) -> str | None:
    """The canonical code if `text` is a well-formed registration code (any case,
    with or without dashes, I/L/O confusions read as digits), else None."""
    raw = "".join(ch for ch in (text or "").upper() if ch not in " -")
    if len(raw) != TAG_LENGTH + SEQ_LENGTH + 1:
        return None
    body = []
    for ch in raw[:-1]:
        if ch not in _DECODE:
            return None
        body.append(ALPHABET[_DECODE[ch]])
    body_text = "".join(body)
    check = raw[-1]
    if check in ("I", "L"):
        check = "1"
    elif check == "O":
        check = "0"
    if _check_symbol(body_text) != check:
        return None
    return body_text + check


def looks_like_code(text: str) -> bool:
    """True if `text` has the shape of a registration code (nine code symbols, with or
    without dashes, at least one a digit), whether or not its check symbol is right.
    A misread or mistyped code is then answered as an unknown code, not searched as a
    name (names have no digits)."""
    raw = "".join(ch for ch in (text or "").upper() if ch not in " -")
    if len(raw) != TAG_LENGTH + SEQ_LENGTH + 1:
        return False
    if not all(ch in _DECODE for ch in raw[:-1]) or raw[-1] not in set(CHECK_ALPHABET) | {"I", "L", "O"}:
        return False
    return any(ch.isdigit() for ch in raw)
