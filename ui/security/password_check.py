"""Password checks off the GUI thread, for the login dialog and the lock screen.

Deriving the key from a password (argon2id, about 0.2 s, more on slow laptops,
plus the core's deliberate slow-down after failed attempts) used to freeze the
window behind a wait cursor.  `check_in_background()` runs the check on a
short-lived worker thread (argon2-cffi releases the GIL, so the GUI thread keeps
painting) and delivers the answer back on the GUI thread.

Not through `DbExecutor`: at login the database is not open yet, and at the lock
screen a password check must neither wait behind database work nor hold it up.
The unlock check touches only the key file; at login the worker also opens the
database (migrating it if needed) and audits the login, and the GUI thread then
hands that Store to its executor (connections are made with
check_same_thread=False for this).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread for the whole run; worker threads emit into it.

    The callbacks and their owner stay here, on the GUI thread: a worker holds only its
    ticket, so no widget is ever released (and destroyed) on a worker thread.

    Signals:
        finished(object): one (ticket, result, error) tuple, never bare None arguments
            (queued None arguments lose a reference in PySide6 on Python 3.11, see ui/tasks.py).
    """

    finished = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[int, tuple] = {}
        self.tickets = 0
        self.finished.connect(self.deliver)

    @Slot(object)
    def deliver(self, item: tuple) -> None:
        ticket, result, error = item
        owner, on_done, on_error, discard = self.waiting.pop(ticket)
        if not shiboken6.isValid(owner):  # the widget went away while the check ran
            if error is None and discard is not None:
                discard(result)
            return
        if error is not None:
            on_error(error)
        else:
            on_done(result)


_relay: _Relay | None = None


def check_in_background(owner: QObject, fn: Callable[[], Any], on_done: Callable[[Any], None],
                        on_error: Callable[[BaseException], None],
                        discard: Callable[[Any], None] | None = None) -> None:
    """Run `fn()` on a worker thread; `on_done(result)` or `on_error(exc)` follow on the GUI
    thread while `owner` still exists.  If it is gone by then, a result is handed to
    `discard` (a Store opened for nobody gets closed).  Call from the GUI thread; `fn` must
    not touch widgets."""
    global _relay
    if _relay is None:  # made on the GUI thread, kept for the life of the process
        _relay = _Relay()
    relay = _relay
    relay.tickets += 1
    ticket = relay.tickets
    relay.waiting[ticket] = (owner, on_done, on_error, discard)

    def work() -> None:
        try:
            result, error = fn(), None
        except BaseException as exc:  # delivered like DbExecutor does: never lost in the thread
            log.debug("password check failed: %s", type(exc).__name__)
            result, error = None, exc
        relay.finished.emit((ticket, result, error))

    threading.Thread(target=work, name="bpjs-password", daemon=True).start()


def show_refusal(exc: BaseException, message: Any, password: Any, lang: str) -> None:
    """A refused password check on a form: the reason under it, the password field emptied
    and focused.  Anything but a `BpjsFieldError` is a bug: raised to the crash reporter."""
    from bpjs_field.errors import BpjsFieldError
    if not isinstance(exc, BpjsFieldError):
        raise exc
    message.setText(exc.message(lang))
    password.clear()
    password.setFocus()


__all__ = ["check_in_background", "show_refusal"]
