"""The password policy for accounts, on laptops and on the branch server alike.

A login's key material (the key file on a laptop, the published branch login) can be
attacked offline: each guess then costs one argon2id derivation, nothing slows it down
and nothing locks.  So a password must be long and must not be an obvious guess:

- at least `MIN_LENGTH` characters;
- not in the list of common passwords shipped in `resources/security/common_passwords.txt`
  (international and Indonesian), also when written with digits and symbols around or
  between its letters (`Rahasia-123`, `k4t4s4nd1`);
- not made of a few repeated characters or a run (`aaaaaaaaaaaa`, `123456789012`).

README (*Personal data*) gives the guessing rate this buys on a laptop of this kind.
"""

from __future__ import annotations

import functools

from bpjs_field.errors import BpjsFieldError
from bpjs_field.paths import resource_path

MIN_LENGTH = 12
MIN_DISTINCT = 5
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "9": "g", "@": "a", "$": "s", "!": "i"})


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = resource_path("security", "common_passwords.txt").read_text("utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def _forms(password: str) -> set[str]:
    lower = password.lower().strip()
    letters = "".join(ch for ch in lower if ch.isalpha())
    forms = {lower, letters, lower.replace(" ", "")}
    # Digits and symbols written for letters (k4t4s4nd1), and around them (k4t4s4nd1!!, r4h4s14-2026).
    core = lower.strip("".join(ch for ch in set(lower) if not ch.isalnum()))
    tail = len(core) - len(core.rstrip("".join(ch for ch in set(core) if not ch.isalpha())))
    for end in range(len(core), len(core) - tail - 1, -1):
        forms.add("".join(ch for ch in core[:end].translate(_LEET) if ch.isalpha()))
    return forms - {""}


def password_problem(password: str) -> tuple[str, dict] | None:
    """(message code, parameters) of what the policy refuses, or None."""
    if len(password or "") < MIN_LENGTH:
        return "security.password_short", {"minimum": MIN_LENGTH}
    listed = common_passwords()
    if any(form in listed for form in _forms(password)):
        return "security.password_common", {}
    lower = password.lower()
    steps = sum(abs(ord(a) - ord(b)) <= 1 for a, b in zip(lower, lower[1:]))
    if len(set(lower)) < MIN_DISTINCT or steps >= 0.75 * (len(lower) - 1):
        # A few characters over and over, or a run (123456789012, abcdefghijkl).
        return "security.password_simple", {"minimum": MIN_DISTINCT}
    return None


def check_policy(password: str) -> None:
    """Raise BpjsFieldError with the reason when the policy refuses `password`."""
    problem = password_problem(password)
    if problem is not None:
        code, params = problem
        raise BpjsFieldError(code, **params)
