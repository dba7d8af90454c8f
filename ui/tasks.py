"""One background executor for all database work (Anki's taskman, Picard's run_task).

The `Store` is used from a single worker thread only, so SQLite never sees two
writers from this process and the window never freezes on a slow query.
`run(fn, on_done, on_error)` calls `fn(store)` on the worker and delivers the
result (or the exception) back on the GUI thread.  Tests may construct
`DbExecutor(store, synchronous=True)` to run everything inline.

Signals:
    busy_changed(bool): work started or the queue became empty.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from bpjs_field.store import Store

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits into it across threads."""

    # One tuple (on_done, on_error, result, error), never bare None arguments: queued
    # object arguments that are None lose a reference in PySide6 on Python 3.11
    # (a long run ended in "none_dealloc: deallocating None").
    finished = Signal(object)


class DbExecutor(QObject):
    busy_changed = Signal(bool)

    def __init__(self, store: Store, *, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.synchronous = synchronous
        self._relay = _Relay()
        self._relay.finished.connect(lambda item: self._deliver(*item))
        self._queue: queue.Queue = queue.Queue()
        self._pending = 0
        self._idle_since = 0.0  # time.monotonic() when the last work was delivered
        self._thread: threading.Thread | None = None
        if not synchronous:
            self._thread = threading.Thread(target=self._work, name="bpjs-db", daemon=True)
            self._thread.start()

    def run(self, fn: Callable[[Store], Any], on_done: Done | None = None,
            on_error: Failed | None = None) -> None:
        """Queue `fn(store)`; `on_done(result)` or `on_error(exc)` run later on the GUI thread."""
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        if self.synchronous:
            try:
                result, error = fn(self.store), None
            except Exception as exc:  # delivered to on_error like the threaded path
                result, error = None, exc
            self._deliver(on_done, on_error, result, error)
            return
        self._queue.put((fn, on_done, on_error))

    def call(self, fn: Callable[[Store], Any]) -> Any:
        """Run `fn(store)` on the worker and wait for it (start-up and shutdown only)."""
        if self.synchronous:
            return fn(self.store)
        box: dict[str, Any] = {}
        done = threading.Event()

        def job(store: Store) -> None:
            try:
                box["result"] = fn(store)
            except Exception as exc:
                box["error"] = exc
            finally:
                done.set()

        self._queue.put((job, None, None))
        self._pending += 1
        done.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, on_done, on_error = item
            try:
                result, error = fn(self.store), None
            except Exception as exc:
                log.debug("background task failed: %s", type(exc).__name__)
                result, error = None, exc
            self._relay.finished.emit((on_done, on_error, result, error))

    @Slot(object, object, object, object)
    def _deliver(self, on_done: Done | None, on_error: Failed | None, result: Any,
                 error: BaseException | None) -> None:
        self._pending -= 1
        if self._pending == 0:
            self._idle_since = time.monotonic()
            self.busy_changed.emit(False)
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error("unhandled background error", exc_info=error)
        elif on_done is not None:
            on_done(result)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def recently_busy(self, within_s: float = 0.25) -> bool:
        """Work queued or running, or done less than `within_s` ago (its answer is being
        painted, the officer's next keystroke may follow): a background backup steps aside
        meanwhile.  Read from any thread."""
        return self._pending > 0 or time.monotonic() - self._idle_since < within_s

    def shutdown(self) -> None:
        """Finish queued work, then stop the worker thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=30)
            self._thread = None


def one_per_executor(executor: DbExecutor, name: str, make: Callable[[], Any],
                     first: Callable[[Any], None] | None = None) -> Any:
    """The one object called `name` that lives with this executor (made by `make()` the first
    time, then `first(obj)` runs once): the operations, the sync and hub controllers are
    shared by every page and window built on the same database."""
    attr = f"_{name}"
    existing = getattr(executor, attr, None)
    if existing is None:
        existing = make()
        setattr(executor, attr, existing)
        if first is not None:
            first(existing)
    return existing
