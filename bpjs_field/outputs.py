"""Files the command line writes for the officer (`--out`, `--report`, `--template`, exports).

`check_output()` is called before any work is done: a path that is a folder, in a
folder that does not exist or cannot be written, with a name too long, or not a
regular file, is refused in one line (exit code 2) before a row is saved or a
PDF drawn.  `write_failed()` turns an error while writing (the disk filling up
meanwhile) into the same kind of one-line error.  Nothing is left behind: a
check never creates the file, a failed write removes what it began.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from bpjs_field.errors import KnownError

MIN_FREE_BYTES = 1024 * 1024  # less than this free: refused as a full disk
# Why a path cannot be written, in the officer's words.
REASONS = {
    errno.EACCES: "output.reason.permission", errno.EPERM: "output.reason.permission",
    errno.EROFS: "output.reason.read_only", errno.ENAMETOOLONG: "output.reason.name_too_long",
    errno.ENOSPC: "output.reason.disk_full", getattr(errno, "EDQUOT", -1): "output.reason.disk_full",
    errno.ENOENT: "output.reason.no_folder", errno.ENOTDIR: "output.reason.no_folder",
    errno.EISDIR: "output.reason.directory", errno.EINVAL: "output.reason.invalid_name",
}


def beside(source: Path | str, tail: str) -> Path:
    """A report's default path: next to the file it reports on (`mitra.csv` gives
    `mitra-laporan.csv` in the same folder), never the folder the command ran in."""
    source = Path(source)
    if not source.name:  # "." or "..": the folder's own name
        source = source.resolve()
    if not source.name:  # the root: no file to report on
        from bpjs_field.errors import BpjsFieldError
        raise BpjsFieldError("file.missing", path=str(source))
    return source.with_name(f"{source.stem}{tail}")


class OutputError(KnownError):
    code = "output.unwritable"


def _reason(exc: OSError) -> str:
    from bpjs_field.messages import render
    code = REASONS.get(exc.errno or 0)
    return render(code) if code else (exc.strerror or type(exc).__name__)


def refuse(path: Path | str, exc: OSError | None = None, *, reason_code: str | None = None,
           option: str = "", code: str = "output.unwritable") -> OutputError:
    from bpjs_field.messages import render
    reason = render(reason_code) if reason_code else _reason(exc) if exc else ""
    return OutputError(code, path=str(path)[:200], reason=reason, option=option)


def check_output(path: Path | str, *, option: str = "", make_folder: bool = False) -> Path:
    """The path, once it is known that a file can be written there (or OutputError)."""
    target = Path(path)
    if not str(path).strip():
        raise refuse(path, reason_code="output.reason.invalid_name", option=option)
    try:
        if target.is_dir():
            raise refuse(target, reason_code="output.reason.directory", option=option)
        if target.exists() and not target.is_file():
            raise refuse(target, reason_code="output.reason.not_a_file", option=option)
        folder = target.parent
        if make_folder and not folder.exists():
            folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise refuse(target, reason_code="output.reason.no_folder", option=option)
        existed = target.exists()
        # Opening for append checks permissions, read-only media and the name's length
        # without touching what an existing file holds.
        with open(target, "ab"):
            pass
        if not existed:
            target.unlink()
        if shutil.disk_usage(folder).free < MIN_FREE_BYTES:
            raise refuse(target, reason_code="output.reason.disk_full", option=option)
    except OSError as exc:
        raise refuse(target, exc, option=option) from None
    return target


def write_failed(path: Path | str, exc: OSError, *, option: str = "",
                 partial: Path | str | None = None) -> OutputError:
    """The error to raise when writing failed; removes the part written (`path` itself,
    or `partial` for a writer that replaces `path` only once it is whole)."""
    try:
        leftover = Path(partial if partial is not None else path)
        if leftover.is_file():
            os.remove(leftover)
    except OSError:
        pass
    return refuse(path, exc, option=option, code="output.write_failed")


def write_whole(path: Path | str, data: bytes, *, option: str = "--out") -> None:
    """Write `data` to `path` whole or not at all: a hidden part file first, renamed over
    `path` once written (a full disk or a pulled USB stick leaves no half file)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        raise write_failed(path, exc, option=option, partial=partial) from None
