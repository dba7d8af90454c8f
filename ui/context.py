"""The application context handed to every page through its constructor.

It holds what pages share (language, current officer and role, active event, the
database executor and the operations that change data, `ops`) and the
announcements pages listen to, so no page reaches state through `self.window()`
or a global.

Signals:
    data_changed(Changes): data changed (an operation of `ops`, or a sync pull); pages
        refresh only their part.  It relays the executor's `Ops.changed`.
    active_event_changed(object): the active event (dict) or None.
    officer_changed(object): the current officer (dict).
    navigation_requested(str, object): a page asks to show another page, with a payload dict.
    language_changed(str): the officer chose another interface language.
    restore_requested(str): the officer confirmed restoring this backup file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.ops import Changes, Ops
from ui.roles import session_role
from ui.tasks import DbExecutor

__all__ = ["AppContext", "Changes"]


class AppContext(QObject):
    data_changed = Signal(object)
    active_event_changed = Signal(object)
    officer_changed = Signal(object)
    navigation_requested = Signal(str, object)
    language_changed = Signal(str)
    restore_requested = Signal(str)  # a backup file the officer chose to restore

    def __init__(self, executor: DbExecutor, *, lang: str = "id",
                 officer: dict[str, Any] | None = None,
                 active_event: dict[str, Any] | None = None,
                 db_path: Path | None = None, training: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.training = training  # a training database: sample data, marked LATIHAN
        self.executor = executor
        self.lang = lang
        self.officer = officer
        self.active_event = active_event
        self.db_path = db_path
        self.ops = Ops.for_executor(executor)
        self.ops.changed.connect(self.data_changed)

    def announce(self, changes: Changes) -> None:
        """Tell every page built on this executor (through `ops`, like an operation)."""
        self.ops.announce(changes)

    def detach(self) -> None:
        """Stop relaying notices (this context's window is being replaced)."""
        try:
            self.ops.changed.disconnect(self.data_changed)
        except (RuntimeError, TypeError):  # already gone
            pass

    @property
    def role(self) -> str | None:
        """The logged-in officer's role ("officer", "supervisor"; None without a login)."""
        return session_role(self.executor)

    def set_active_event(self, event: dict[str, Any] | None) -> None:
        self.active_event = event
        self.active_event_changed.emit(event)

    def set_officer(self, officer: dict[str, Any]) -> None:
        self.officer = officer
        self.officer_changed.emit(officer)

    def navigate(self, key: str, **payload: Any) -> None:
        self.navigation_requested.emit(key, payload)

    @property
    def active_event_id(self) -> str | None:
        return self.active_event["id"] if self.active_event else None
