"""Officer accounts received from the branch server, so any officer of the branch can
log in on this laptop, offline too, with their branch password.

The server publishes each account as an `officer` row (pulled like any other row)
carrying, besides name and role, the public `login` of its password (see
`bpjs_field.security.keys.make_branch_login`).  When a pulled page holds officer
rows and the database is encrypted, `apply_branch_accounts()` brings the key file
in line, inside the page's transaction (a key file that cannot be written rolls
the page back, and the next sync applies it again):

- an active account with a login gets the database key wrapped for it, with the
  server's role; it replaces a laptop-made account of the same employee number
  (the branch's account is the officer's account on every laptop);
- an account the branch disabled can no longer log in here, unless it is the
  last account of the laptop (nobody could open the database any more: it is
  kept, and the audit log says so);
- an account without a login yet (made before the server published them; the
  next enrolment or password change publishes one) changes nothing here;
- an account whose login the server withholds from this laptop (`login_withheld`: it
  does not need it, see `bpjs_field/server/distribution.py`) cannot log in here with a
  branch login any more (unless it is the laptop's last account);
- a login that does not look right (sizes, cost beyond `KDF_LIMITS`) is skipped
  with a warning, so one bad row cannot stall the pull;
- only rows the server marks `account` count: officer rows that laptops pushed
  (made on a laptop before enrolment) never add, change or remove a login, and
  the server ignores pushes that would change an account's row.

Every change is audited (employee number and role only).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bpjs_field.security.keys import KeyFile, check_branch_login, keys_path, normalize_employee_no

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

log = logging.getLogger(__name__)


def apply_branch_accounts(store: "Store", officers: list[dict[str, Any]]) -> int:
    """Bring the key file in line with these pulled officer rows; returns how many
    accounts changed.  Call inside `store.write()`."""
    if store.key is None or store.path is None or not keys_path(store.path).exists():
        return 0
    changed = 0
    with KeyFile.editing(store.path) as keyfile:
        for officer in officers:
            changed += _apply_one(store, keyfile, officer)
    return changed


def _apply_one(store: "Store", keyfile: KeyFile, officer: dict[str, Any]) -> int:
    number = normalize_employee_no(officer.get("employee_no", ""))
    if not number or officer.get("account") is not True:
        return 0  # an officer row a laptop made: it never decides who logs in here
    existing = keyfile.account(number)
    disabled = officer.get("active") in (0, False)
    withheld = officer.get("login_withheld") is True and not disabled
    if withheld and (existing is None or existing.source != "server"):
        return 0  # not needed here; a laptop-made account of that number stays as it is
    if disabled or withheld:
        if existing is None:
            return 0
        if len(keyfile.accounts()) == 1:
            store.audit("account_kept", "officer", officer.get("id"), employee_no=number,
                        reason="last_account")
            log.warning("branch disabled the laptop's last account; kept so the database opens")
            return 0
        keyfile.remove_account(number)
        store.audit("account_removed", "officer", officer.get("id"), employee_no=number,
                    source="server", reason="not_needed" if withheld else "disabled")
        return 1
    if officer.get("login") is None or officer.get("role") not in ("officer", "supervisor"):
        return 0
    try:
        login = check_branch_login(officer["login"])
    except ValueError as exc:
        log.warning("branch login of an officer skipped: %s", exc)
        return 0
    if (existing is not None and existing.role == officer["role"]
            and keyfile.wrapped_for(number) == login["public_key"]):
        return 0  # the same account as before (a page pulled again)
    keyfile.add_branch_account(store.key, number, officer["role"], login)
    store.audit("account_received", "officer", officer.get("id"), employee_no=number,
                role=officer["role"], replaced=existing.source if existing else None)
    return 1


__all__ = ["apply_branch_accounts"]
