"""Which accounts' logins a laptop receives: only those it needs.

A published login (`make_branch_login`) is public key material, but it lets whoever holds
it try passwords offline at the argon2id rate (README, *Personal data*).  So a laptop
receives the login of:

- the account that enrolled it;
- the officer accounts (role `officer`) of its branch: its team, who may pick up any
  laptop of the branch at an event;
- every account that has logged in on it (its synced audit log says so);
- every account the branch allowed on it (`bpjs-field server-device allow DEVICE
  --employee-no NUMBER`, e.g. a supervisor who will work on an officer's laptop).

A supervisor's login reaches a laptop only when that supervisor enrolled it or works on
it; an officer's laptop never holds the branch's supervisors' logins otherwise.  Other
accounts still arrive as officer rows (names on receipts, roles), with `login` left out
and `login_withheld: true`, so a laptop that received a login earlier drops it.
"""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.server.db import Tx


def login_employees(tx: Tx, device_id: str) -> set[str]:
    """Employee numbers that have logged in on this laptop (from its synced audit log)."""
    found = set()
    for (details,) in tx.rows("SELECT details FROM audit WHERE device_id = ? AND action = 'login'",
                              (device_id,)):
        try:
            number = json.loads(details).get("employee_no")
        except (ValueError, AttributeError):
            continue
        if isinstance(number, str):
            found.add(number.strip().upper())
    return found


def needed_accounts(tx: Tx, device_id: str) -> set[str]:
    """Ids of the accounts whose login this laptop receives."""
    rows = tx.rows("SELECT d.officer_id, a.branch FROM devices d JOIN accounts a "
                   "ON a.id = d.officer_id WHERE d.id = ?", (device_id,))
    if not rows:
        return set()
    enrolled_by, branch = rows[0]
    worked = login_employees(tx, device_id)
    needed = {enrolled_by}
    needed.update(r[0] for r in tx.rows("SELECT account_id FROM device_accounts "
                                        "WHERE device_id = ?", (device_id,)))
    for account_id, number, role, account_branch in tx.rows(
            "SELECT id, employee_no, role, branch FROM accounts"):
        if (role == "officer" and account_branch == branch) or number.upper() in worked:
            needed.add(account_id)
    return needed


def withhold(data: str, needed: set[str]) -> str:
    """An account's officer row as this laptop receives it."""
    row: dict[str, Any] = json.loads(data)
    if row.get("account") is not True or row.get("id") in needed:
        return data
    row.pop("login", None)
    row["login_withheld"] = True
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
