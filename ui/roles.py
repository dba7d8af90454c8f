"""Roles in the GUI: who is working, and which controls each page offers them.

An officer registers, checks in, prints and searches; editing people and the
laptop's settings (backups, restore, printers, the idle lock) are a
supervisor's.  The core refuses those actions again whatever the GUI shows
(`bpjs_field.security` roles): the GUI only spares the officer a button that
would be refused.

Each page declares its own role-bound controls, one by one, in a `RoleControls`
and applies them in its `apply_role(role)`; a control nobody declared is never
locked.  `session_role()` is the one place the GUI reads the logged-in role.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

OFFICER, SUPERVISOR = "officer", "supervisor"


def session_role(executor: Any) -> str | None:
    """The logged-in officer's role, None without a login (a laptop without accounts)."""
    store = getattr(executor, "store", None)
    return getattr(store, "role", None)


def may_supervise(role: str | None) -> bool:
    """No login means nothing is restricted; after a login only a supervisor may."""
    return role is None or role == SUPERVISOR


class RoleControls:
    """The controls of one page that depend on the role, each declared by the page."""

    def __init__(self) -> None:
        self._supervisor: list[tuple[QWidget, bool]] = []
        self._notices: list[QWidget] = []

    def supervisor_only(self, widget: QWidget, *, hide: bool = False) -> QWidget:
        """Disabled (or, with `hide`, hidden) for an officer.  Disabling a box disables what
        it holds, whatever the box's own code later enables inside it."""
        self._supervisor.append((widget, hide))
        return widget

    def restricted_notice(self, widget: QWidget) -> QWidget:
        """Shown only while something on the page is restricted (e.g. "ask a supervisor")."""
        self._notices.append(widget)
        widget.setVisible(False)
        return widget

    def apply(self, role: str | None) -> None:
        allowed = may_supervise(role)
        for widget, hide in self._supervisor:
            if hide:
                widget.setHidden(not allowed)
            else:
                widget.setEnabled(allowed)
        for widget in self._notices:
            widget.setHidden(allowed)
