"""Password checks off the GUI thread, for the login dialog and the lock screen.

Deriving the key from a password (argon2id, about 0.2 s, more on slow laptops,
plus the core's deliberate slow-down after failed attempts) used to freeze the
window behind a wait cursor.  `check_in_background()` runs the check on a
short-lived worker thread (argon2-cffi releases the GIL, so the GUI thread keeps
painting) and delivers the answer back on the GUI thread (`ui.background`).

Not through `DbExecutor`: at login the database is not open yet, and at the lock
screen a password check must neither wait behind database work nor hold it up.
The unlock check touches only the key file; at login the worker also opens the
database (migrating it if needed) and audits the login, and the GUI thread then
hands that Store to its executor (connections are made with
check_same_thread=False for this).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from ui.background import run_in_background


def check_in_background(owner: QObject, fn: Callable[[], Any], on_done: Callable[[Any], None],
                        on_error: Callable[[BaseException], None],
                        discard: Callable[[Any], None] | None = None) -> None:
    """`run_in_background` on a thread named for the password check."""
    run_in_background(owner, fn, on_done, on_error, discard, name="bpjs-password")


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
