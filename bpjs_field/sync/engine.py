"""One sync round: push every unsent change, then pull everything new.

Plain Python: the HTTP client is injected, progress is a snapshot any thread
may read (the GUI polls it from a QTimer), and a `threading.Event` cancels
between batches.  The engine works on the `Store` it is given, which must be
its own connection when it runs beside the GUI (WAL lets both work).

Guarantees on the laptop side:
- changes are marked sent only after the server acknowledged their batch;
  a batch that fails is sent again whole, and the server drops the
  duplicates by change id;
- a batch the server refuses for what its changes hold (422) is halved until
  the refused changes stand alone; everything else goes through, and the
  refused ones are parked in the change log with the server's reason (never
  deleted, not sent again until `retry_refused`);
- each pulled page is applied and the cursor stored in one transaction, so
  an interrupted pull resumes after the last applied page;
- only one sync runs at a time for a database file, across threads and
  processes (`<db>.sync.lock`, an OS file lock released if the process dies); a round
  with the event hub has a lock of its own (`SyncLock`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bpjs_field.sync import lean  # noqa: F401  (before httpx: see there)
import httpx

from bpjs_field.__about__ import __version__
from bpjs_field.store import auditlog, changelog
from bpjs_field.store.store import utc_now
from bpjs_field.security.replica_hooks import replica_hooks
from bpjs_field.store.replica import ApplyStats, apply_docs
from bpjs_field.sync.client import (RefusedError, SyncClient, SyncError, TooLargeError,
                                    default_timeout)
from bpjs_field.protocol import (CLOCK_SKEW_WARN_MS, DEFAULT_PULL_LIMIT,
                                      MAX_CHANGES_PER_PUSH, PullResponse)

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

log = logging.getLogger(__name__)

# Settings keys (the laptop's settings table).
SERVER_URL = "sync.server_url"
TOKEN = "sync.device_token"
SERVER_ID = "sync.server_id"
CURSOR = "sync.cursor"
LAST_SUCCESS = "sync.last_success_at"
LAST_ERROR = "sync.last_error"
CLOCK_OFFSET = "sync.clock_offset_ms"
OFFICER = "sync.officer"
FTS_REBUILD = "sync.fts_rebuild_pending"
AUDIT_CURSOR = "sync.audit_cursor"
UNVERIFIED_ORIGIN = "push.origin_unverified"
# A pull with more rows than this to go maintains the search index once at the end
# instead of row by row (the FTS triggers cost more than the rows themselves).
BULK_PULL_ROWS = 20000

_memory_locks: dict[tuple[int, str], threading.Lock] = {}
# The branch's rates and privacy notice change with a new server version: a running app asks
# for them at its first sync and then at most every REFERENCE_EVERY seconds (per laptop
# database and server).
REFERENCE_EVERY = 600.0
_reference_checked: dict[tuple[str, str], float] = {}


def _reference_due(key: tuple[str, str]) -> bool:
    last = _reference_checked.get(key)
    return last is None or time.monotonic() - last >= REFERENCE_EVERY


@dataclass
class SyncProgress:
    phase: str = "idle"  # idle, push, pull, done
    pushed: int = 0
    to_push: int = 0
    pulled: int = 0
    pull_fraction: float | None = None


@dataclass
class SyncResult:
    pushed: int = 0
    duplicates: int = 0
    quarantined: int = 0
    refused: int = 0  # parked in this round (refused_changes() counts all parked ones)
    batches: int = 0
    pulled: int = 0
    pages: int = 0
    merged: int = 0
    skipped: int = 0
    clock_offset_ms: int | None = None
    clock_skewed: bool = False
    finished_at: str | None = None
    reference_updated: bool = False
    audit_sent: int = 0
    apply: ApplyStats = field(default_factory=ApplyStats)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def new_http_client(read_timeout: float = 60.0) -> httpx.Client:
    return httpx.Client(timeout=default_timeout(read_timeout), follow_redirects=False)


class SyncLock:
    """Single-flight per target: `<db>.sync.lock` for the branch round, `<db>.hub-sync.lock`
    for the event hub's (`name`), an OS file lock released if the process dies; a process
    lock for `:memory:`.  The two targets do not wait for each other: each keeps its own
    cursor, audit cursor and change-log column, and every write (a pulled page with its
    cursor, the marks of an acknowledged batch, the relay's queued changes) is one
    transaction of its own, so a long branch sync never holds up the hub's rounds."""

    def __init__(self, store: "Store", name: str = "sync") -> None:
        self._file = None
        self._memory = None
        if store.path is not None and str(store.path) != ":memory:":
            import filelock
            self._timeout = filelock.Timeout
            self._file = filelock.FileLock(str(Path(store.path).with_suffix(f".{name}.lock")),
                                           thread_local=False)
        else:
            self._memory = _memory_locks.setdefault((id(store), name), threading.Lock())

    def __enter__(self) -> "SyncLock":
        if self._file is not None:
            try:
                self._file.acquire(timeout=0)
            except self._timeout:
                raise SyncError("sync.busy", retryable=True) from None
        elif not self._memory.acquire(blocking=False):
            raise SyncError("sync.busy", retryable=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.release()
        else:
            self._memory.release()


def sync_settings(store: "Store") -> dict[str, Any]:
    keys = (SERVER_URL, TOKEN, CURSOR, LAST_SUCCESS, LAST_ERROR, CLOCK_OFFSET, OFFICER, SERVER_ID)
    return {k: store.get_setting(k) for k in keys}


# -- changes the server refused -----------------------------------------------------------
def refused_changes(store: "Store") -> list[tuple[str, int]]:
    """The parked changes as (server's reason, how many), most frequent first."""
    return changelog.refused(store)


def retry_refused(store: "Store") -> int:
    """Queue the parked changes again (after the app or the server was updated); the next
    sync sends them in their original order.  Returns how many."""
    with store.write():
        count = changelog.requeue_refused(store)
        if count:
            store.audit("sync.retry_refused", None, None, count=count)
    return count


class SyncEngine:
    """One round with the branch server.  `bpjs_field/sync/hub_engine.py` runs the same round
    with an event hub: the class attributes below name the settings and the change-log column
    each target keeps for itself, so syncing with a hub never counts as reaching the branch."""

    url_key = SERVER_URL
    token_key = TOKEN
    cursor_key = CURSOR
    server_id_key = SERVER_ID
    audit_cursor_key = AUDIT_CURSOR
    last_success_key = LAST_SUCCESS
    last_error_key = LAST_ERROR
    sent_column = "sent_at"
    to_branch = True
    lock_name = "sync"

    def __init__(self, store: "Store", http: httpx.Client, *, server_url: str | None = None,
                 cancel: threading.Event | None = None,
                 on_progress: Callable[[SyncProgress], None] | None = None,
                 batch_changes: int = 2000, batch_bytes: int = 4_000_000,
                 page_size: int = DEFAULT_PULL_LIMIT) -> None:
        self.store = store
        self.http = http
        self.server_url = server_url
        self.cancel = cancel or threading.Event()
        self.on_progress = on_progress
        self.batch_changes = min(batch_changes, MAX_CHANGES_PER_PUSH)
        self.batch_bytes = batch_bytes
        self.page_size = page_size
        self._progress = SyncProgress()
        self._progress_lock = threading.Lock()
        self._held_for_order: list[str] = []  # kept aside for an unknown person or event

    # -- progress (read from any thread) --------------------------------------------------
    @property
    def progress(self) -> SyncProgress:
        with self._progress_lock:
            return SyncProgress(**asdict(self._progress))

    def _report(self, **changes: Any) -> None:
        with self._progress_lock:
            for key, value in changes.items():
                setattr(self._progress, key, value)
        if self.on_progress is not None:
            self.on_progress(self.progress)

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise SyncError("sync.cancelled", retryable=False)

    # -- the round -------------------------------------------------------------------------
    def client(self) -> SyncClient:
        refuse_training(self.store)
        url = self.server_url or self.store.get_setting(self.url_key)
        if not url:
            raise SyncError("sync.no_server", retryable=False)
        token = self.store.get_setting(self.token_key)
        if not token:
            raise SyncError("sync.not_enrolled", retryable=False)
        return SyncClient(self.http, url, token)

    def run(self) -> SyncResult:
        """Push everything, then pull everything.  Raises SyncError; nothing is half-applied."""
        with SyncLock(self.store, self.lock_name):
            result = SyncResult()
            client = None
            try:
                client = self.client()
                if self.to_branch:
                    # A laptop restored without its marks learns them (from the branch,
                    # never from an event hub) before it sends anything.
                    from bpjs_field.sync.marks import learn
                    learn(self.store, client)
                self._push(client, result)
                self._push_audit(client, result)
                self._pull(client, result)
                checked = (self.store.device_id, client.server_url)  # per laptop and server
                if self.to_branch and _reference_due(checked):
                    self._reference(client, result)
                    _reference_checked[checked] = time.monotonic()
            except SyncError as exc:
                if client is not None:
                    self._note_clock(client, result)
                if exc.code == "sync.revoked" and self.to_branch:
                    # A revoked (lost, retired) laptop keeps no synced personal data.
                    from bpjs_field.security.revocation import wipe_synced_personal_data
                    wipe_synced_personal_data(self.store)
                self.store.set_setting(self.last_error_key, {"code": exc.code, "params": _plain(exc.params),
                                                    "at": utc_now()})
                self._report(phase="idle")
                raise
            self._note_clock(client, result)
            result.finished_at = utc_now()
            moved = bool(result.pushed or result.pulled or result.duplicates or result.quarantined
                         or result.refused)
            if self._note_success(moved):
                with self.store.write():
                    self.store.set_setting(self.last_success_key, result.finished_at)
                    self.store.set_setting(self.last_error_key, None)
                    # A round that moved nothing (most rounds of a running app, and every hub
                    # round) is not worth an entry: it would be the next round's only audit push.
                    if self.to_branch and moved:
                        self.store.audit("sync.done", None, None, pushed=result.pushed,
                                         pulled=result.pulled, merged=result.merged)
            if self.to_branch:
                # What reached the branch is never issued again, even after a restore.
                from bpjs_field.store.ledger import note_marks
                note_marks(self.store)
            self._report(phase="done")
            return result

    def _note_success(self, moved: bool) -> bool:
        """Whether to store this round's success (the hub engine skips most idle rounds)."""
        return True

    def _push_audit(self, client: SyncClient, result: SyncResult) -> None:
        """The audit log goes to the branch too, in id order from a cursor kept on the laptop."""
        cursor = int(self.store.get_setting(self.audit_cursor_key) or 0)
        while True:
            self._check_cancel()
            rows = auditlog.entries_after(self.store, cursor, self.batch_changes)
            if not rows:
                return
            entries = [{"local_id": r[0], "at": r[1], "officer_id": r[2], "action": r[3],
                        "entity": r[4], "entity_id": r[5], "details": r[6]} for r in rows]
            body = json.dumps({"device_id": self.store.device_id, "device_key": self._device_key(),
                               "entries": entries}, ensure_ascii=False)
            answer = client.push_audit(body.encode("utf-8"))
            if answer.last_id != rows[-1][0] or answer.received != len(rows):
                raise SyncError("sync.bad_response", detail="audit acknowledgement does not match")
            cursor = rows[-1][0]
            self.store.set_setting(self.audit_cursor_key, cursor)
            result.audit_sent += answer.stored

    def _reference(self, client: SyncClient, result: SyncResult) -> None:
        """The branch's rates and privacy notice; kept and put in force when they changed."""
        from bpjs_field.domain import reference
        answer = client.reference()
        if answer.version != self.store.get_setting(reference.VERSION_SETTING):
            result.reference_updated = reference.accept(self.store, answer.version, answer.files)

    def _note_clock(self, client: SyncClient, result: SyncResult) -> None:
        offset = client.clock_offset_ms
        if offset is None:
            return
        result.clock_offset_ms = offset
        result.clock_skewed = abs(offset) > CLOCK_SKEW_WARN_MS
        stored = self.store.get_setting(CLOCK_OFFSET)
        # Each estimate differs by a few ms (network jitter): stored when it moved a second.
        if not isinstance(stored, int) or abs(stored - offset) >= 1000:
            self.store.set_setting(CLOCK_OFFSET, offset)
        # Hybrid-clock times of later edits follow the server's time, not a wrong laptop clock.
        self.store.clock.offset_ms = offset if abs(offset) > 2000 else 0

    # -- push --------------------------------------------------------------------------------
    def _origin(self, origin: str | None, change: tuple) -> str | None:
        """The origin signature sent with a change (the hub engine signs its own ones)."""
        return origin

    def _items(self) -> list[tuple[int, bytes]]:
        """The next unsent changes, not parked, in `seq` order, each encoded once."""
        rows = changelog.unsent_batch(self.store, self.sent_column, self.batch_changes)
        items: list[tuple[int, bytes]] = []
        size = 200  # the request's head
        for seq, change_id, entity, entity_id, op, payload, hlc, created_at, signature, origin in rows:
            # The payload is stored as JSON text: it goes out as it is, never re-encoded.
            signed = f',"signature":{signature}' if signature else ""
            origin = self._origin(origin, (change_id, entity, entity_id, op, payload, hlc))
            if origin:  # a change carried here from another laptop, signed by it
                signed += f',"origin_sig":{json.dumps(origin)}'
            item = (f'{{"change_id":{json.dumps(change_id)},"seq":{seq},"entity":"{entity}",'
                    f'"entity_id":{json.dumps(entity_id)},"op":"{op}","payload":{payload},'
                    f'"hlc":{json.dumps(hlc)},"created_at":{json.dumps(created_at)}{signed}}}'
                    ).encode("utf-8")
            if items and size + len(item) + 1 > self.batch_bytes:
                break
            items.append((seq, item))
            size += len(item) + 1
        return items

    def _head(self, cursor: int) -> bytes:
        return (f'{{"device_id":{json.dumps(self.store.device_id)},"cursor":{cursor},'
                f'"device_key":"{self._device_key()}","changes":[').encode()

    def _device_key(self) -> str:
        """This laptop's public signing key: the server checks with it the changes another
        laptop carries for this one (bpjs_field/server/quarantine.py)."""
        from bpjs_field.security import signing
        return signing.public_key(signing.device_seed(self.store))

    def _device_proof(self) -> str:
        """That this laptop holds the key: the branch then takes codes it issued under a tag
        of an earlier enrolment of this laptop as its own (bpjs_field/server/tags.py)."""
        from bpjs_field.security import signing
        return signing.sign(signing.device_seed(self.store),
                            signing.device_message(self.store.device_id))

    @staticmethod
    def _body(head: bytes, items: list[tuple[int, bytes]]) -> bytes:
        return head + b",".join(item for _, item in items) + b"]}"

    def _batch(self, cursor: int) -> tuple[bytes, int, int, int] | None:
        """The next request body as the push sends it, its first and last seq and its size
        (bench/bench_sync.py and the tests post it themselves)."""
        items = self._items()
        if not items:
            return None
        return self._body(self._head(cursor), items), items[0][0], items[-1][0], len(items)

    def _push(self, client: SyncClient, result: SyncResult) -> None:
        # Changes carried here for a laptop the server could not yet check are waiting, not
        # refused: sent again each sync (a duplicate once their own laptop delivered them).
        waiting = f"quarantined {UNVERIFIED_ORIGIN}"
        if self.to_branch and changelog.has_parked(self.store, waiting):
            with self.store.write():
                changelog.requeue_reason(self.store, waiting)
        total = changelog.count_unsent(self.store, self.sent_column)
        self._report(phase="push", pushed=0, to_push=total, pulled=0, pull_fraction=None)
        self._held_for_order = []
        self._push_unsent(client, result)
        if self._held_for_order:
            # A change kept aside because the person or event it names was unknown may have
            # come before that person's own change in this laptop's log (a registration made
            # here against a person just pulled from an event hub, whose change the relay
            # queued a moment later).  The branch tries a kept-aside change again when it
            # arrives again: send those once more, now that the whole log has gone.
            with self.store.write():
                changelog.requeue_change_ids(self.store, self._held_for_order)
            result.quarantined -= len(self._held_for_order)  # counted again if still held
            self._push_unsent(client, result)

    def _push_unsent(self, client: SyncClient, result: SyncResult) -> None:
        head = None
        while True:
            self._check_cancel()
            items = self._items()
            if not items:
                return
            if head is None:
                head = self._head(int(self.store.get_setting(self.cursor_key) or 0))
            try:
                self._send(client, head, items, result)
            except TooLargeError:
                if len(items) == 1:  # too large on its own: no halving makes it fit
                    self._park(items[0][0], "413 request.too_large", result)
                    continue
                self.batch_changes = max(1, min(self.batch_changes, len(items)) // 2)
                self.batch_bytes = max(64_000, self.batch_bytes // 2)

    def _send(self, client: SyncClient, head: bytes, items: list[tuple[int, bytes]],
              result: SyncResult) -> None:
        """Push `items`; when the server refuses them, push each half on its own until the
        refused changes stand alone, and park those.  A refused request changed nothing on the
        server, and it skips change ids it has applied, so sending a change again is safe."""
        self._check_cancel()
        try:
            answer = client.push(self._body(head, items), proof=self._device_proof())
        except RefusedError as exc:
            if len(items) == 1:
                self._park(items[0][0], exc.reason, result)
                return
            middle = len(items) // 2
            self._send(client, head, items[:middle], result)
            self._send(client, head, items[middle:], result)
            return
        if answer.last_seq != items[-1][0] or answer.received != len(items):
            raise SyncError("sync.bad_response", detail="acknowledgement does not match batch")
        # Only now, after the server's acknowledgement, are these changes sent.
        now = utc_now()
        # Kept aside by the server is not delivered: such changes stay here with the reason
        # (shown like refused ones, sent again on request), the rest are sent.
        held = ({q.change_id: q.reason for q in answer.quarantined_changes}
                if self.to_branch else {})  # a hub relays held changes on to the branch
        if held:
            self._held_for_order += [c for c, reason in held.items()
                                     if reason.endswith((".unknown_person", ".unknown_event"))]
        column = self.sent_column
        with self.store.write():
            changelog.mark_sent(self.store, column, [seq for seq, _ in items], now)
            if held:
                changelog.mark_held(self.store, held, now)
                self.store.audit("sync.quarantined", None, None, count=len(held))
        self.store.clock.observe(answer.server_hlc)
        result.pushed += answer.applied
        result.duplicates += answer.duplicates
        result.quarantined += answer.quarantined
        result.batches += 1
        self._report(pushed=self._progress.pushed + len(items))

    def _park(self, seq: int, reason: str, result: SyncResult) -> None:
        """Keep a refused change in the change log, marked with the server's reason."""
        if not self.to_branch:
            # A hub's refusal is not the branch's: the change goes to the branch as it is,
            # and the branch parks it if it refuses it too.
            with self.store.write():
                changelog.mark_passed_on(self.store, self.sent_column, seq, utc_now())
            result.refused += 1
            return
        with self.store.write():
            changelog.park(self.store, seq, reason, utc_now())
            # Only in the details: the change's own ids may be what the server refused, and
            # the audit log goes to the server too.
            self.store.audit("sync.refused", None, None, seq=seq, status=reason.split(" ", 1)[0])
        log.warning("change %s refused by the server: %s", seq, reason)
        result.refused += 1
        self._report(pushed=self._progress.pushed + 1)

    # -- pull --------------------------------------------------------------------------------
    def _bulk_index(self, on: bool) -> None:
        """Switch the search index to "rebuild at the end" mode, or rebuild it now.
        The flag is stored with the switch, so an interrupted bulk pull is finished
        (index rebuilt) by the next sync."""
        with self.store.write():
            if on:
                self.store.search_index.drop_triggers()
            else:
                self.store.search_index.rebuild()
            self.store.set_setting(FTS_REBUILD, on)

    def _pull(self, client: SyncClient, result: SyncResult) -> None:
        cursor = int(self.store.get_setting(self.cursor_key) or 0)
        start = cursor
        bulk = bool(self.store.get_setting(FTS_REBUILD))
        self._report(phase="pull", pulled=0, pull_fraction=0.0)
        try:
            self._pull_pages(client, result, cursor, start, bulk)
        finally:
            if self.store.get_setting(FTS_REBUILD):
                self._bulk_index(False)

    def _pages(self, client: SyncClient, cursor: int) -> Iterator[PullResponse]:
        """Pages from `cursor` on; the next page is fetched on a helper thread while
        the caller applies the current one (at most one page waits: memory stays flat).
        The first page is fetched here: a round with nothing new starts no thread."""
        first = client.pull(cursor, self.page_size)
        if not first.more or first.next_cursor <= cursor:
            yield first
            return
        cursor = first.next_cursor
        box: queue.Queue = queue.Queue(maxsize=1)
        stop = threading.Event()

        def fetch() -> None:
            at = cursor
            try:
                while not stop.is_set():
                    page = client.pull(at, self.page_size)
                    box.put(page)
                    if not page.more or page.next_cursor <= at:
                        return
                    at = page.next_cursor
            except BaseException as exc:  # handed to the applying thread
                box.put(exc)

        worker = threading.Thread(target=fetch, name="bpjs-sync-fetch", daemon=True)
        worker.start()  # fetches the second page while the caller applies the first
        try:
            yield first
            while True:
                item = box.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if not item.more:
                    return
        finally:
            stop.set()
            with contextlib.suppress(queue.Empty):
                box.get_nowait()  # unblock a fetcher waiting to put
            worker.join(timeout=5)

    def _pull_pages(self, client: SyncClient, result: SyncResult, cursor: int, start: int,
                    bulk: bool) -> None:
        known = self.store.get_setting(self.server_id_key)
        for page in self._pages(client, cursor):
            self._check_cancel()
            if known and page.server_id != known:
                raise SyncError("sync.not_enrolled", retryable=False)
            if page.next_cursor < cursor:
                raise SyncError("sync.bad_response", detail="cursor went backwards")
            if page.more and page.next_cursor == cursor:
                # "More" from the same place again would never end (and the page fetcher
                # stops at a cursor that does not advance, so waiting would hang).
                raise SyncError("sync.bad_response", detail="cursor did not advance")
            if not bulk and page.more and page.head - cursor > BULK_PULL_ROWS:
                bulk = True
                self._bulk_index(True)
            if not page.items and page.next_cursor == cursor:
                stats = ApplyStats()  # nothing new: no transaction
            else:
                with self.store.write():
                    stats = apply_docs(self.store, page.items, self.sent_column, replica_hooks())
                    self.store.set_setting(self.cursor_key, page.next_cursor)
            self.store.clock.observe(page.server_hlc)
            result.apply.add(stats)
            result.pulled += len(page.items)
            result.merged += stats.merged
            result.skipped += stats.skipped
            result.pages += 1
            cursor = page.next_cursor
            span = max(1, page.head - start)
            self._report(pulled=result.pulled,
                         pull_fraction=1.0 if not page.more else min(1.0, (cursor - start) / span))


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
            for k, v in params.items()}


def refuse_training(store: "Store") -> None:
    """Sample data never leave a training database, whatever asks: the window, the command
    line, a hub round or an enrolment."""
    from bpjs_field.demo import is_training
    if is_training(store):
        raise SyncError("sync.training", retryable=False)


def enroll(store: "Store", http: httpx.Client, server_url: str, employee_no: str,
           password: str) -> dict[str, Any]:
    """Enrol this laptop with an officer's credentials; stores the device token."""
    refuse_training(store)
    # Renewing an enrolment with the same server names this laptop's device and proves it
    # with the current token; otherwise the server issues a device id (bound to the new token).
    same_server = (store.get_setting(SERVER_URL) or "") == server_url.rstrip("/")
    token = store.get_setting(TOKEN) if same_server else None
    client = SyncClient(http, server_url, token)
    answer = client.enroll(employee_no=employee_no, password=password,
                           device_id=store.device_id if token else None,
                           device_tag=store.device_tag, device_name=socket.gethostname(),
                           app_version=__version__)
    officer = answer.officer.model_dump()
    previous_server = store.get_setting(SERVER_ID)
    with store.write():
        store.set_setting(SERVER_URL, server_url.rstrip("/"))
        store.set_setting(TOKEN, answer.device_token)
        if previous_server != answer.server_id:
            store.set_setting(CURSOR, 0)  # another server: pull everything from it
        store.set_setting(SERVER_ID, answer.server_id)
        store.set_setting(OFFICER, officer)
        if answer.device_id and answer.device_id != store.device_id:
            store.adopt_device_id(answer.device_id)
        if answer.device_tag != store.device_tag:
            # The branch saw this tag on another laptop: new codes use the tag it issued.
            store.set_setting("device_tag", answer.device_tag)
            store.device_tag = answer.device_tag
            store.registrations._next_seq = None
        # On a clash the first pull adopts the account's id (see store/replica.py).
        store.officers.adopt_account(officer)
        store.audit("sync.enroll", "officer", officer["id"], tag=answer.device_tag)
    if client.clock_offset_ms is not None:
        store.set_setting(CLOCK_OFFSET, client.clock_offset_ms)
    return {"officer": officer, "device_tag": answer.device_tag,
            "clock_offset_ms": client.clock_offset_ms}
