"""Runs sync in the background and tells the window how it goes.

The engine runs on its own thread with ITS OWN `Store` connection on the same
file (WAL lets the GUI's connection keep writing meanwhile); the GUI thread
polls its progress with a QTimer every 150 ms, as Anki does, so the window
never waits for the network.  Attempts follow `Backoff` after failures and a
regular interval after success; "Sync now" starts one at once (or right after
the running one).  A revoked or unenrolled laptop stops the automatic retries
until the officer acts.  Changes the server refused are counted apart
(`refused`, with the server's reasons); `retry_refused()` queues them again.

Signals:
    state_changed(SyncState): anything shown about sync changed.
    sync_finished(SyncResult): a round finished; the executor's `Ops` announces what it
        changed here (`Ops.follow`: what it pulled, and the changes waiting to be sent), so
        the pages refresh what they show, as after a save on this laptop.
    data_pulled(Changes): a round brought people, registrations, attendance or events
        from the server.
    sync_failed(object): a round failed with this SyncError/KnownError.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from dataclasses import dataclass, replace
from typing import Any

import httpx
from PySide6.QtCore import QObject, QTimer, Signal

from bpjs_field.errors import KnownError
from bpjs_field.store import Store
from bpjs_field.store.session import Session
from bpjs_field.sync.backoff import Backoff, Connectivity
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.engine import (CLOCK_OFFSET, LAST_ERROR, LAST_SUCCESS, SERVER_URL, TOKEN,
                                    SyncEngine, SyncProgress, SyncResult, new_http_client,
                                    refused_changes)
from bpjs_field.protocol import CLOCK_SKEW_WARN_MS
from ui.ops import Ops, pulled_changes
from ui.tasks import DbExecutor, one_per_executor

log = logging.getLogger(__name__)
POLL_MS = 150
PORTAL_RETRY_S = 30.0


@dataclass(frozen=True)
class SyncState:
    enrolled: bool = False
    server_url: str | None = None
    running: bool = False
    pending: int = 0  # every unsent change, the refused ones included
    carried: int = 0  # of which made on other laptops (an event hub's relay, a USB file)
    refused: int = 0
    refused_reasons: tuple[tuple[str, int], ...] = ()  # (server's reason, how many)
    set_aside: tuple[dict, ...] = ()  # pulled rows this laptop could not apply (sync/set_aside.py)
    last_success_at: str | None = None
    last_error: dict[str, Any] | None = None  # {"code", "params", "at"}
    online: bool | None = None
    progress: SyncProgress | None = None
    next_attempt_at: str | None = None  # when (ISO, UTC): shown as a time, true until it comes
    clock_offset_ms: int | None = None

    @property
    def clock_skewed(self) -> bool:
        return self.clock_offset_ms is not None and abs(self.clock_offset_ms) > CLOCK_SKEW_WARN_MS


class SyncController(QObject):
    state_changed = Signal(object)
    sync_finished = Signal(object)
    data_pulled = Signal(object)
    sync_failed = Signal(object)

    def __init__(self, executor: DbExecutor, parent: QObject | None = None, *,
                 interval_s: float = 300.0, auto: bool = True,
                 http_factory: Callable[[], httpx.Client] | None = None,
                 backoff: Backoff | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.interval_s = interval_s
        self.auto = auto
        self.http_factory = http_factory or (lambda: new_http_client(read_timeout=60))
        self.backoff = backoff or Backoff()
        self.connectivity = Connectivity()
        self.state = SyncState()
        self._thread: threading.Thread | None = None
        self._engine: SyncEngine | None = None
        self._outcome: tuple[SyncResult | None, BaseException | None] | None = None
        self._cancel = threading.Event()
        self._again = False
        self._stopped = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        self._next = QTimer(self)
        self._next.setSingleShot(True)
        self._next.timeout.connect(self._attempt)
        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(3000)
        self._pending_timer.timeout.connect(self.refresh)

    @classmethod
    def for_executor(cls, executor: DbExecutor) -> "SyncController":
        """The one controller of this executor (the page and the status bar share it)."""
        # What it pulls reaches the pages.
        return one_per_executor(executor, "sync_controller", lambda: cls(executor, executor),
                                Ops.for_executor(executor).follow)

    # -- public --------------------------------------------------------------------------
    def start(self, first_delay_s: float = 1.0) -> None:
        """Begin background syncing (and keep the figures current)."""
        self._stopped = False
        self.refresh()
        self._pending_timer.start()
        if self.auto:
            self._schedule(first_delay_s)

    def sync_now(self) -> None:
        if self.state.running:
            self._again = True
            return
        self._next.stop()
        self._attempt(manual=True)

    def retry_refused(self) -> None:
        """Queue the refused changes again and sync now."""
        def done(_count: int) -> None:
            self.refresh()
            self.sync_now()
        Ops.for_executor(self.executor).retry_refused(on_done=done)

    def cancel(self) -> None:
        self._cancel.set()

    def shutdown(self, timeout: float = 10.0) -> None:
        self._stopped = True
        self._next.stop()
        self._pending_timer.stop()
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._poll.stop()

    def refresh(self) -> None:
        """Re-read pending count and stored sync figures (through the DB executor)."""
        def read(store: Store) -> dict[str, Any]:
            refused = tuple(refused_changes(store))
            from bpjs_field.store.set_aside import set_aside_rows
            return {"pending": store.pending_changes(), "set_aside": tuple(set_aside_rows(store)),
                    "carried": store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL "
                                            "AND origin_sig IS NOT NULL"),
                    "refused": sum(n for _, n in refused), "refused_reasons": refused,
                    "server_url": store.get_setting(SERVER_URL),
                    "enrolled": bool(store.get_setting(TOKEN)),
                    "last_success_at": store.get_setting(LAST_SUCCESS),
                    "last_error": store.get_setting(LAST_ERROR),
                    "clock_offset_ms": store.get_setting(CLOCK_OFFSET)}
        self.executor.run(read, self._update)

    # -- internals ---------------------------------------------------------------------------
    def _update(self, changes: dict[str, Any]) -> None:
        new = replace(self.state, **changes)
        if new != self.state:
            self.state = new
            self.state_changed.emit(new)

    def _schedule(self, seconds: float) -> None:
        if self._stopped or not self.auto:
            return
        self._next.start(int(seconds * 1000))
        at = datetime.now(timezone.utc) + timedelta(seconds=seconds)
        self._update({"next_attempt_at": at.isoformat()})

    def _attempt(self, manual: bool = False) -> None:
        if self._thread is not None or self._stopped:
            return
        path = self.executor.store.path
        if path is None:
            return
        self._cancel = threading.Event()
        self._outcome = None
        self._update({"running": True, "progress": SyncProgress(phase="push"),
                      "next_attempt_at": None})
        own = self.executor.store
        # The sync thread's own connection opens the same (maybe encrypted) file as the
        # logged-in officer: the key, and who is working, for its audit entries.
        login = (own.key, own.session)
        self._thread = threading.Thread(target=self._work, args=(path, login), name="bpjs-sync",
                                        daemon=True)
        self._thread.start()
        self._poll.start()

    def _work(self, path: Any, login: tuple[bytes | None, Session]) -> None:
        """On the sync thread: its own Store and HTTP client, closed when done."""
        result, error = None, None
        try:
            key, session = login
            store = Store.open(path, key=key, session=session)
            try:
                with self.http_factory() as http:
                    self._engine = SyncEngine(store, http, cancel=self._cancel)
                    result = self._engine.run()
            finally:
                store.close()
        except BaseException as exc:  # delivered to the GUI thread by _on_poll
            error = exc
        self._outcome = (result, error)

    def _on_poll(self) -> None:
        engine = self._engine
        if engine is not None:
            progress = engine.progress
            if progress != self.state.progress:
                self._update({"progress": progress})
        if self._outcome is None:
            return
        self._poll.stop()
        if self._thread is not None:
            self._thread.join()
        self._thread, self._engine = None, None
        result, error = self._outcome
        self._outcome = None
        self._update({"running": False, "progress": None})
        if error is None:
            self._succeeded(result)
        else:
            self._failed(error)
        self.refresh()
        if self._again:
            self._again = False
            self.sync_now()

    def _succeeded(self, result: SyncResult) -> None:
        self.backoff.reset()
        self.connectivity.record(True)
        self._update({"online": True, "last_error": None, "last_success_at": result.finished_at,
                      "clock_offset_ms": result.clock_offset_ms})
        # The window's own store follows the server's time for hybrid-clock stamps too.
        offset = result.clock_offset_ms or 0

        def set_offset(store: Store) -> None:
            store.clock.offset_ms = offset if abs(offset) > 2000 else 0
        self.executor.run(set_offset)
        self.sync_finished.emit(result)
        changes = pulled_changes(result)
        if changes is not None:
            self.data_pulled.emit(changes)
        self._schedule(self.interval_s)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, KnownError):
            log.error("sync crashed", exc_info=error)
            error = SyncError("sync.error", detail=type(error).__name__)
        code = error.code
        network = code in ("sync.unreachable", "sync.timeout", "sync.connection_lost",
                           "sync.server_error", "sync.portal", "sync.not_reachable")
        if network:
            self.connectivity.record(False)
        elif code not in ("sync.busy", "sync.cancelled"):
            self.connectivity.record(True)  # the server answered, however badly
        self._update({"online": self.connectivity.online,
                      "last_error": {"code": code, "params": dict(error.params)}})
        self.sync_failed.emit(error)
        if code == "sync.cancelled":
            return
        if getattr(error, "retryable", False):
            delay = self.backoff.next_delay()
            if code == "sync.portal":
                delay = min(delay, PORTAL_RETRY_S)  # the officer is logging in to the Wi-Fi now
            self._schedule(delay)

