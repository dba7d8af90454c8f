"""Who works on an opened store, and what their role allows.

A `Session` is fixed when a store is opened for a logged-in officer
(`bpjs_field.security.session.unlock` builds it from the account) and passed to
`Store.open`; it never changes while the store is open.  A store opened without one
(plain databases: tests, the demo, the command line on a plain file) has no role and
restricts nothing; its officer is the one remembered in the settings.

Roles are checked where the action is, in the core: `require_supervisor` at the top of
each supervisor's operation (editing and erasing people, exports, settings, accounts,
the audit log, conflicts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bpjs_field.errors import BpjsFieldError

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

log = logging.getLogger(__name__)

ROLES = ("officer", "supervisor")
# Signs a change only a supervisor may make: (change_id, entity, entity_id, op, hlc, payload)
# -> the signature's JSON text (bpjs_field/security/signing.py, ChangeSigner).
ChangeSigner = Callable[[str, str, str, str, str, dict], str]


@dataclass(frozen=True)
class Session:
    """The logged-in officer: employee number, officer row id (None when the database has
    no row for the account yet), role, and the signer of a branch account's edits."""
    employee_no: str | None = None
    officer_id: str | None = None
    role: str | None = None
    signer: ChangeSigner | None = None

    def __post_init__(self) -> None:
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"unknown role: {self.role}")

    @property
    def supervisor(self) -> bool:
        """May do a supervisor's actions (no login restricts nothing)."""
        return self.role is None or self.role == "supervisor"


NO_LOGIN = Session()


def require_supervisor(store: "Store", action: str) -> None:
    """Roles: a logged-in officer may register, check in, print and search; editing and
    deleting people, exports, conflicts, settings and accounts need a supervisor.
    A store without a login (plain database, tests) is not restricted."""
    if store.role is not None and store.role != "supervisor":
        store_audit_denied(store, action)
        raise BpjsFieldError("security.forbidden", action=action)


def store_audit_denied(store: "Store", action: str) -> None:
    try:
        with store.write():
            store.audit("denied", None, None, attempted=action, role=store.role)
    except Exception:  # the refusal itself must still reach the officer
        log.warning("could not audit a refused action")

