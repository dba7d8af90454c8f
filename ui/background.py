"""Work off the GUI thread whose answer comes back to a widget on the GUI thread.

`run_in_background()` runs a function on a short-lived worker thread and hands its result
(or its exception) to callbacks on the GUI thread, but only while the widget that asked
still exists.  A worker must never emit a signal of a widget itself: the widget may be
deleted while the worker runs (the window closed, the page left), and the emit then
raises in the thread ("Signal source has been deleted"); and a queued `None` argument
loses a reference in PySide6 on Python 3.11 (a long run ended in "none_dealloc:
deallocating None", see ui/tasks.py).  Here every answer travels as one tuple through one
relay that lives on the GUI thread for the whole run.

For the database use `DbExecutor` (ui/tasks.py): its work waits its turn on the one
database thread.  This is for what must not wait behind it or hold it up: password checks,
a hub's counts over the network, a search of the network or of the printers.
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


def run_in_background(owner: QObject, fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None],
                      discard: Callable[[Any], None] | None = None, *,
                      name: str = "bpjs-background") -> None:
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
            log.debug("%s failed: %s", name, type(exc).__name__)
            result, error = None, exc
        relay.finished.emit((ticket, result, error))

    threading.Thread(target=work, name=name, daemon=True).start()
