"""Rotating backups of the laptop database, and restoring one.

Backups are made with SQLite's online backup API (never a file copy of a live
WAL database) over connections of their own, so they run beside the officer's
work instead of in front of it:

* the source is read in one snapshot (a read transaction held for the whole
  copy: writes by the app go on in the WAL and do not restart the copy), a few
  MiB per step with a short pause between steps;
* each backup is written under a temporary name (`*.partial`), checked with
  `PRAGMA quick_check`, and only then renamed into place, so a file with the
  final name is always whole.  A backup cut short (the app closed, the battery
  died) leaves its `.partial` behind; the next `backup_if_due` sees it, removes
  it and makes the backup again;
* the full `PRAGMA integrity_check` (ten times dearer than quick_check) runs
  on one backup a week, recorded in a `<backup>.checked` file beside it;
* `BackgroundBackup` runs the daily backup in a thread of its own (the GUI's
  database worker stays free for searches), and can be stopped at any step.

The app makes one when the newest is more than a day old (checked at start and
every hour) and one on closing when there is new work and it fits in the time
a close may take; when it does not fit, a marker makes the next start take it
in the background.  Backups rotate so the newest `backups_keep` (a setting,
default 10) stay.  A restore checks the backup is whole first and keeps the
current database aside, then copies the backup into place through the same API.

An encrypted (SQLCipher) database is backed up between two connections keyed
with the same database key, so a backup is as unreadable as the database
without an officer's password.  Each such backup carries a copy of the key file
as it was (`<backup>.keys.json`: the key wrapped by each officer's password,
useless without one), so a backup copied away with its key file still opens
with a password valid on the day it was taken, even if the laptop's own key
file is lost.

A backup is a picture of the past, so a restore brings the present back into it
before the database is used (`_bring_up_to_date`): every erasure the laptop has
seen since (its ledger outside the backups, and the database being replaced) is
applied again, an erasure made here and not yet sent is queued again, and the
laptop continues after the highest registration number and audit id it had
issued, so nothing it issues afterwards collides with what the branch already
received.  When neither the ledger nor the laptop's own database is there (a new disk),
the restored database is marked "marks unknown": its audit ids jump a gap, its codes
continue after a safety gap while offline, and its next sync learns the marks from the
branch before pushing (bpjs_field/sync/marks.py).  Backups rotate away after `backups_keep` of them (at least one a day,
so about that many days): until then an older backup holds an erased person
whole, and only a restore, which re-applies the erasure, reads it back.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bpjs_field.errors import BpjsFieldError, KnownError, StorageFullError
from bpjs_field.store.connection import DatabaseError, OperationalError, raw_connect, translate_errors
from bpjs_field.store.migrations import LATEST
from bpjs_field.store import auditlog, changelog
from bpjs_field.store.maintenance import erased_people_at
from bpjs_field.store.session import Session
from bpjs_field.store.store import Store, read_setting

log = logging.getLogger(__name__)
KEEP_SETTING = "backups_keep"
DEFAULT_KEEP = 10
PREFIX = "bpjs_field-"
PARTIAL = ".partial"
CHECKED = ".checked"
# Pages copied per step (4 MiB with SQLite's 4 KiB pages), and the pause after
# each, in which the officer's searches and saves get the disk and the CPU.
STEP_PAGES = 1024
STEP_PAUSE_S = 0.002
# A backup in the background also pauses, after each stretch of work, for this share of
# its length (copy and checks alike): on a 2-core laptop it takes half as long again and
# leaves the officer's searches and page loads a core and the disk most of the time.
BACKGROUND_PACE = 0.5
# The full integrity_check reads every page and checks every index entry:
# 19 s on a million people, against 2 s for quick_check.  Once a week is enough
# to notice slow damage; every backup gets the quick check.
FULL_CHECK_EVERY = timedelta(days=7)
# A backup thread runs this much nicer than the app's other threads (Linux; on Windows
# at THREAD_PRIORITY_LOWEST), so a search at start never waits for a core behind it.
BACKGROUND_NICE = 10
THREAD_PRIORITY_LOWEST = -2
# ... and it steps aside while the app says it is busy, for at most this long at a time
# (a long import must not hold the daily backup back for good), looking every YIELD_POLL_S.
YIELD_MAX_S = 2.0
YIELD_POLL_S = 0.005
# Rough copy speed assumed for the close backup before one was timed in this
# process (an encrypted copy on a laptop SSD); only decides whether to try.
ASSUMED_BYTES_PER_S = 150 * 2**20

Cancel = Callable[[], bool]
Progress = Callable[[float], None]  # share of the copy done, 0.0 to 1.0
_lock = threading.Lock()  # one backup at a time in a process
_active: set[Path] = set()  # partial files being written by this process
_rate: list[float] = []  # bytes a second of the last backup made here


class BackupCancelled(Exception):
    """The backup was stopped before it was whole; its `.partial` marks it to redo."""


class _Pacer:
    """Called between stretches of backup work: True when asked to stop; otherwise it
    pauses `pace` times the work done since the last pause (once that reaches `stretch_s`)."""

    def __init__(self, cancel: Cancel | None, pace: float, stretch_s: float = 0.0,
                 pause_s: float = 0.0) -> None:
        self.cancel, self.pace, self.stretch_s, self.pause_s = cancel, pace, stretch_s, pause_s
        self.mark = time.perf_counter()

    def __call__(self) -> bool:
        if self.cancel is not None and self.cancel():
            return True
        busy = time.perf_counter() - self.mark
        if busy >= self.stretch_s:
            pause = max(self.pause_s, busy * self.pace)
            if pause > 0:
                time.sleep(pause)
            self.mark = time.perf_counter()
        return False


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_dir(db_path: Path) -> Path:
    path = db_path.parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Whole backups of this database, newest first (`.partial` files are not backups)."""
    out = []
    for path in backup_dir(db_path).glob(f"{PREFIX}*.sqlite3"):
        parts = path.stem[len(PREFIX):].split("-", 3)
        try:
            taken = datetime.strptime("".join(parts[:3]), "%Y%m%d%H%M%S%f").replace(tzinfo=timezone.utc)
        except (IndexError, ValueError):
            continue
        out.append(BackupInfo(path, taken, parts[3] if len(parts) > 3 else "", path.stat().st_size))
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def unfinished(db_path: Path) -> list[Path]:
    """Backups begun and never finished (the process ended during the copy or its check)."""
    return sorted(backup_dir(db_path).glob(f"{PREFIX}*{PARTIAL}"))


def verify_backup(path: Path, key: bytes | None = None, *, full: bool = True,
                  cancel: Cancel | None = None, pace: float = 0.0) -> None:
    """Raise KnownError unless `path` is a whole bpjs_field database this version can read
    (with `key`, an encrypted one).  `full=False` runs `quick_check` (page structure, no
    index-to-table cross check) instead of `integrity_check`; `cancel` can interrupt either,
    and `pace` makes it give way (see BACKGROUND_PACE)."""
    if not path.is_file():
        raise BpjsFieldError("file.missing", path=str(path))
    try:
        conn = raw_connect(f"file:{path}?mode=ro", key, uri=True, check_same_thread=False)
        try:
            if cancel is not None or pace:
                pacer = _Pacer(cancel, pace, stretch_s=0.02)
                conn.set_progress_handler(lambda: 1 if pacer() else 0, 20_000)
            check = "integrity_check" if full else "quick_check"
            try:
                result = conn.execute(f"PRAGMA {check}").fetchone()[0]
            except OperationalError as exc:
                if cancel is not None and cancel() and "interrupt" in str(exc):
                    raise BackupCancelled() from exc
                raise
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except BackupCancelled:
        raise
    except DatabaseError as exc:
        raise KnownError("backup.damaged", path=path.name, detail=str(exc)) from exc
    if result != "ok":
        raise KnownError("backup.damaged", path=path.name, detail=result[:200])
    if not {"people", "registrations", "change_log"} <= tables or not 1 <= version <= LATEST:
        raise KnownError("backup.foreign", path=path.name)


def key_file_copy(backup_path: Path) -> Path:
    """Where a backup keeps its copy of the key file (the name `session.unlock` looks for)."""
    return backup_path.with_name(backup_path.name + ".keys.json")


def _source(where: Store | Path, key: bytes | None) -> tuple[Path, bytes | None]:
    if isinstance(where, Store):
        assert where.path is not None
        return where.path, where.key
    return Path(where), key


def _work_mark(conn: Any) -> tuple[int, int]:
    """Where the officers' work stands: every save writes an audit entry, every synced
    change a change-log entry.  Equal marks: nothing new since."""
    return changelog.work_mark(conn)


def _copy(db_path: Path, key: bytes | None, partial: Path, cancel: Cancel | None, pace: float,
          progress: Progress | None = None) -> int:
    """Copy the database into `partial` in steps, from one snapshot; returns backups_keep.
    `progress(share)` is told after each step how much of the copy is done."""
    src = raw_connect(db_path, key, isolation_level=None, check_same_thread=False)
    try:
        src.execute("PRAGMA busy_timeout=5000")
        src.execute("BEGIN")  # the snapshot: held until the last page is copied
        keep = read_setting(src, KEEP_SETTING)
        dest = raw_connect(partial, key, check_same_thread=False)
        try:
            pacer = _Pacer(cancel, pace, pause_s=STEP_PAUSE_S)

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None and total:
                    progress(1.0 - remaining / total)
                if pacer():
                    raise BackupCancelled()
            src.backup(dest, pages=STEP_PAGES, progress=step)
            # one self-contained file: a WAL-mode copy opened read-only by the check
            # below would leave -wal/-shm files beside it
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        src.execute("ROLLBACK")
    finally:
        src.close()
    return DEFAULT_KEEP if keep is None else int(keep)


def _abandon(partial: Path, keep_marker: bool) -> None:
    """A cut-short backup: its pages are dropped; an empty `.partial` stays as a marker
    (`backup_if_due` then redoes it) when the backup was stopped rather than failed."""
    try:
        if keep_marker:
            with open(partial, "wb"):
                pass
        else:
            partial.unlink(missing_ok=True)
    except OSError:
        pass


def make_backup(where: Store | Path, key: bytes | None = None, reason: str = "manual", *,
                cancel: Cancel | None = None, pace: float = 0.0,
                progress: Progress | None = None) -> BackupInfo:
    """Write, quick-check and rename a backup; `where` is a Store or the database's path
    (with its `key`).  Only its own connections are used, so it may run in any thread.
    `cancel()` returning True stops it at the next step (BackupCancelled); `pace` > 0
    makes it give way to other work (BACKGROUND_PACE); `progress` follows the copy."""
    db_path, key = _source(where, key)
    with _lock:
        folder = backup_dir(db_path)
        now = datetime.now(timezone.utc)
        target = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
        partial = target.with_suffix(PARTIAL)
        _active.add(partial)
        started = time.perf_counter()
        try:
            with translate_errors():
                keep = _copy(db_path, key, partial, cancel, pace, progress)
            copied = time.perf_counter() - started
            verify_backup(partial, key, full=False, cancel=cancel, pace=pace)
            _copy_key_file(db_path, key, target)
            partial.rename(target)
        except BackupCancelled:
            _abandon(partial, keep_marker=True)
            key_file_copy(target).unlink(missing_ok=True)
            log.info("backup stopped before it was whole; it is made again next time")
            raise
        except BaseException:
            _abandon(partial, keep_marker=False)
            key_file_copy(target).unlink(missing_ok=True)
            raise
        finally:
            _active.discard(partial)
        size = target.stat().st_size
        # the speed of an unpaced copy (a paced one spent about pace/(1+pace) of its time
        # pausing), for the close backup's estimate
        _rate[:] = [size * (1 + pace) / max(copied, 1e-3)]
        rotate(db_path, keep)
    log.info("backup written: %s", target.name)
    return BackupInfo(target, now, reason, size)


def create_backup(store: Store, reason: str = "manual") -> BackupInfo:
    """A backup of the open store's database (see `make_backup`)."""
    return make_backup(store, reason=reason)


def _copy_key_file(db_path: Path, key: bytes | None, target: Path) -> None:
    keys = key_file_copy(db_path)
    if key is None or not keys.is_file():
        return
    staged = key_file_copy(target).with_suffix(".tmp")
    try:
        shutil.copyfile(keys, staged)
        os.replace(staged, key_file_copy(target))
    except OSError as exc:
        staged.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise StorageFullError() from exc
        raise KnownError("storage.open", path=str(staged), detail=exc.strerror or str(exc)) from exc


def rotate(db_path: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    removed = []
    for info in list_backups(db_path)[max(1, keep):]:
        for path in (info.path, key_file_copy(info.path), info.path.with_name(info.path.name + CHECKED)):
            path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def _drop_unfinished(db_path: Path) -> int:
    """Remove the leftovers of backups that did not finish (not the one being written)."""
    stale = [p for p in unfinished(db_path) if p not in _active]
    for path in stale:
        for leftover in (path, path.with_name(path.name + "-journal"),
                         key_file_copy(path.with_suffix(".sqlite3"))):
            leftover.unlink(missing_ok=True)
    return len(stale)


def backup_if_due(where: Store | Path, key: bytes | None = None, *, max_age: timedelta = timedelta(days=1),
                  cancel: Cancel | None = None, pace: float = 0.0,
                  progress: Progress | None = None) -> BackupInfo | None:
    """The daily backup: made when the newest is older than `max_age`, when there is none,
    or when one was begun and not finished (then it is made again).  Once a week the new
    backup also gets the full integrity check (`full_check_if_due`)."""
    db_path, key = _source(where, key)
    with _lock:
        redo = _drop_unfinished(db_path)
    newest = next(iter(list_backups(db_path)), None)
    if not redo and newest and datetime.now(timezone.utc) - newest.taken_at < max_age:
        return None
    if redo:
        log.info("a backup was not finished last time; making it again")
    info = make_backup(db_path, key, "daily", cancel=cancel, pace=pace, progress=progress)
    full_check_if_due(db_path, key, cancel=cancel, pace=pace)
    return info


def full_check_if_due(db_path: Path, key: bytes | None = None, *, every: timedelta = FULL_CHECK_EVERY,
                      cancel: Cancel | None = None, pace: float = 0.0) -> bool:
    """Run `integrity_check` on the newest backup unless one of the backups had it within
    `every`.  A backup that fails it is renamed `.damaged` (kept for a technician) and the
    error raised.  Returns whether a check ran."""
    backups = list_backups(db_path)
    if not backups:
        return False
    now = datetime.now(timezone.utc)
    for info in backups:
        mark = info.path.with_name(info.path.name + CHECKED)
        if mark.is_file() and now - info.taken_at < every:
            return False
    newest = backups[0].path
    try:
        verify_backup(newest, key, full=True, cancel=cancel, pace=pace)
    except KnownError:
        newest.rename(newest.with_suffix(".damaged"))
        log.error("backup %s failed the full integrity check", newest.name)
        raise
    newest.with_name(newest.name + CHECKED).write_text(now.isoformat(), encoding="utf-8")
    return True


def backup_on_close(where: Store | Path, key: bytes | None = None, *,
                    budget_s: float = 1.0) -> BackupInfo | None:
    """The backup taken when the app closes: only when there is work newer than the newest
    backup, and only when it can be done within `budget_s` (a laptop closed on a dying
    battery must not wait).  A backup that would not fit, or is cut at the budget, leaves
    a marker so the next start makes it in the background."""
    db_path, key = _source(where, key)
    newest = next(iter(list_backups(db_path)), None)
    conn = raw_connect(db_path, key, check_same_thread=False)
    try:
        mark = _work_mark(conn)
        size = conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    if newest is not None and _backup_mark(newest.path, key) == mark:
        return None
    rate = _rate[0] if _rate else ASSUMED_BYTES_PER_S
    deadline = time.monotonic() + budget_s
    if size / rate > budget_s:
        target = backup_dir(db_path) / f"{PREFIX}{datetime.now(timezone.utc):%Y%m%d-%H%M%S-%f}-close{PARTIAL}"
        _abandon(target, keep_marker=True)
        log.info("backup on close left to the next start (%d MiB)", size >> 20)
        return None
    try:
        return make_backup(db_path, key, "close", cancel=lambda: time.monotonic() > deadline)
    except BackupCancelled:
        return None


def _backup_mark(path: Path, key: bytes | None) -> tuple[int, int] | None:
    try:
        conn = raw_connect(f"file:{path}?mode=ro", key, uri=True)
        try:
            return _work_mark(conn)
        finally:
            conn.close()
    except (KnownError, *DatabaseError):
        return None


def lower_thread_priority() -> bool:
    """Make the calling thread yield the CPU to the app's other threads (the window, the
    database worker) whenever they want it: BACKGROUND_NICE steps nicer than the app for
    this thread alone on Linux (relative, so an app started niced or at a raised priority
    keeps its backup the same distance behind, never starved), below-normal priority on
    Windows.  False where neither is possible."""
    try:
        if sys.platform == "win32":
            import ctypes
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            return bool(kernel32.SetThreadPriority(kernel32.GetCurrentThread(), THREAD_PRIORITY_LOWEST))
        if sys.platform.startswith("linux"):  # there a thread has a nice value of its own
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + BACKGROUND_NICE))
            return True
    except (OSError, AttributeError, ImportError):
        pass
    return False


class BackgroundBackup:
    """Runs `backup_if_due` (or, with `start_now`, a backup made whatever the age of the
    newest) in a thread of its own at a lower priority (plain Python, no Qt), so a backup
    never queues in front of the officer's searches and saves.  `busy()`, when given, says
    the app has work in flight (a search, a save): the backup then waits at its next step
    until it is over (at most YIELD_MAX_S at a time).  `stop()` cuts a running backup at its
    next step; the next `start_if_due` makes it again.  `progress` is the share of the
    current copy done (1.0 while its check runs)."""

    def __init__(self, db_path: Path, key: bytes | None = None, *, pace: float = BACKGROUND_PACE,
                 busy: Callable[[], bool] | None = None) -> None:
        self.db_path, self.key, self.pace, self.busy = Path(db_path), key, pace, busy
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last: BackupInfo | None = None
        self.error: BaseException | None = None
        self.progress = 0.0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start_if_due(self, max_age: timedelta = timedelta(days=1)) -> bool:
        """Start a check (and a backup when due) unless one is running; returns whether started."""
        return self._start(lambda: backup_if_due(
            self.db_path, self.key, max_age=max_age, cancel=self._should_stop, pace=self.pace,
            progress=self._progressed))

    def start_now(self, reason: str = "manual") -> bool:
        """Start a backup now (the officer's "Back up now") unless one is running."""
        return self._start(lambda: make_backup(
            self.db_path, self.key, reason, cancel=self._should_stop, pace=self.pace,
            progress=self._progressed))

    def _should_stop(self) -> bool:
        """Asked at every step: True to stop; first, while the app is busy, wait."""
        if self.busy is not None and not self._stop.is_set():
            deadline = time.monotonic() + YIELD_MAX_S
            while self.busy() and time.monotonic() < deadline and not self._stop.is_set():
                time.sleep(YIELD_POLL_S)
        return self._stop.is_set()

    def _progressed(self, share: float) -> None:
        self.progress = share

    def _start(self, job: Callable[[], BackupInfo | None]) -> bool:
        if self.running:
            return False
        self._stop.clear()
        self.error, self.progress = None, 0.0
        self._thread = threading.Thread(target=self._run, args=(job,), name="bpjs-backup", daemon=True)
        self._thread.start()
        return True

    def _run(self, job: Callable[[], BackupInfo | None]) -> None:
        lower_thread_priority()
        try:
            made = job()
            if made is not None:
                self.last = made
        except BackupCancelled:
            pass
        except Exception as exc:  # reported in the log; the next hourly check tries again
            self.error = exc
            log.warning("background backup failed: %s", type(exc).__name__)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a running backup; returns True when none is running any more."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop a running backup at its next step and wait for it (at most `timeout`)."""
        self._stop.set()
        return self.wait(timeout)


def restore_backup(db_path: Path, backup_path: Path, key: bytes | None = None, *,
                   session: Session | None = None) -> Path:
    """Replace the database at `db_path` with a checked backup; returns where the old one was kept.

    The app must be closed (the CLI and the GUI's restore both close their Store first).
    `session`: who logged in before it was closed; a restore is a supervisor's."""
    if session is not None and not session.supervisor:
        raise BpjsFieldError("security.forbidden", action="backup.restore")
    verify_backup(backup_path, key)
    from bpjs_field.store import ledger
    now = datetime.now(timezone.utc)
    aside = db_path.with_name(f"{db_path.stem}.before-restore-{now:%Y%m%d-%H%M%S}{db_path.suffix}")
    current = raw_connect(db_path, key, timeout=1, isolation_level=None)
    try:
        try:
            current.execute("BEGIN EXCLUSIVE")
            current.execute("ROLLBACK")
        except OperationalError as exc:
            raise KnownError("storage.locked") from exc
        keep = raw_connect(aside, key)
        try:
            current.backup(keep)
        finally:
            keep.close()
        present = _present(current)
        source = raw_connect(f"file:{backup_path}?mode=ro", key, uri=True)
        try:
            source.backup(current)
        finally:
            source.close()
    finally:
        current.close()
    known = ledger.load(db_path)
    present["erased"] = {**known["erased"], **present["erased"]}
    present["marks"] = ledger.merge_marks(known, present["marks"])
    # The marks are established by the ledger (written at every sync) or by the laptop's own
    # database being replaced (the same device id); otherwise (a new disk) the branch tells
    # them at the next sync.
    present["marks_known"] = bool(known["codes"] or known["audit_id"])
    _bring_up_to_date(db_path, key, backup_path.name, present)
    log.info("database restored from %s; previous kept as %s", backup_path.name, aside.name)
    return aside


def _present(conn) -> dict:
    """What the database being replaced knows that an older backup may not: erasures (and
    those not yet sent), and its high-water marks.  Empty when it cannot be read (a damaged
    database is a reason to restore): the ledger still holds them."""
    from bpjs_field.store import ledger
    found: dict = {"erased": {}, "unsent": [], "marks": {}, "device_id": None}
    try:
        found["device_id"] = read_setting(conn, "device_id")
        found["unknown"] = read_setting(conn, ledger.MARKS_UNKNOWN)
        found["erased"] = erased_people_at(conn)
        found["unsent"] = changelog.unsent_erasures(conn)
        found["marks"] = ledger.marks_of(conn)
    except DatabaseError as exc:
        log.warning("the replaced database could not be read for erasures and marks: %s", exc)
    return found


def _bring_up_to_date(db_path: Path, key: bytes | None, backup_name: str, present: dict) -> None:
    """Re-apply the erasures known since the backup was taken and continue after every code
    and audit id already issued, before anyone uses the restored database."""
    from bpjs_field.store.erasure import apply_known_erasures
    from bpjs_field.store.ledger import marks_of, merge_marks
    from bpjs_field.store.registrations import CODE_FLOOR_SETTING
    from bpjs_field.sync.marks import after_restore
    store = Store.open(db_path, key)
    try:
        marks = present["marks"]
        with store.write():
            erased = apply_known_erasures(store, present["erased"])
            # an erasure made here, not yet sent: sent after all
            changelog.requeue_rows(store, present["unsent"])
            floor = dict(store.get_setting(CODE_FLOOR_SETTING) or {})
            own = merge_marks(marks_of(store.db.conn), {"codes": floor})["codes"]
            for tag, n in marks.get("codes", {}).items():
                floor[tag] = max(int(floor.get(tag, 0)), n)
            store.set_setting(CODE_FLOOR_SETTING, floor)
            # The restore's own audit entry takes the id after the highest one ever issued,
            # so the entries that follow do not reuse ids the branch already holds.
            last = auditlog.max_id(store)
            next_id = max(last, int(marks.get("audit_id", 0))) + 1
            # Audit ids jump a gap when nothing tells how far the laptop went (a new disk).
            next_id += after_restore(store, present, own)
            auditlog.append_with_id(
                store, next_id, datetime.now(timezone.utc).isoformat(timespec="milliseconds"), None,
                "backup.restore", json.dumps({"backup": backup_name[:80], "erased_again": erased},
                                             sort_keys=True))
    finally:
        store.close()
