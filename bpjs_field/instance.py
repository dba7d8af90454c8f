"""One app at a time on a laptop's database folder.

Double-clicking the icon twice on a slow laptop opened two windows on the same database:
two sync controllers and backup checks, and two event hubs contending for one port (the
second window said the port was taken).  And `bpjs-field restore` while the app was open replaced the file under the running
window.  The app holds this lock for as long as it runs: an operating-system lock on a
file beside the databases, released when the process ends, even by a crash or a power
cut (nothing is left to clean up).  A second app and `restore` refuse with a plain message.
"""

from __future__ import annotations

from pathlib import Path

import filelock

from bpjs_field.errors import KnownError

LOCK_NAME = ".bpjs-field-app.lock"


def _lock(folder: Path) -> filelock.BaseFileLock:
    return filelock.FileLock(str(Path(folder) / LOCK_NAME), timeout=0, thread_local=False)


def hold_app(folder: Path) -> filelock.BaseFileLock:
    """The app's lock on `folder` (the folder of its databases), held until released or
    the process ends; KnownError `app.already_open` when another app holds it."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    lock = _lock(folder)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise KnownError("app.already_open") from None
    return lock


def require_closed(folder: Path, action: str) -> None:
    """KnownError `app.open` when the app is running on `folder` (`action`: what waits)."""
    if not Path(folder).exists():
        return
    lock = _lock(folder)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise KnownError("app.open", action=action) from None
    lock.release()
