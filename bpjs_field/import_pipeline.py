"""A partner list's rows checked in a second process while this one saves the rows before.

Checking a row (the registration form's rules: NIK, name, phone, region, contribution)
costs about a fifth of the importing process's time, and a thread cannot take it off the
saving's path: both need the interpreter lock.  So a file of `MIN_ROWS` rows or more is
checked by one worker process, started with "spawn" (a fork is unsafe beside Qt's threads;
Windows can only spawn), in chunks of `CHUNK_ROWS` rows sent a few batches ahead of the
one being saved.  Until the worker has started (a new interpreter: 0.3 s or more) the rows
are checked here, so a slow start costs nothing but the worker's own time.

* The worker checks with exactly what this process would: the rates and privacy notice in
  force here (received from the branch server at run time, `reference.in_force()`), the
  same day, event, consent version and NIK rule (`Checks`), the same `check_row()`.
* The rows come back in file order, so the report and the database are the same as when
  every row is checked here.  One chunk's registrations come back in one message, so those
  that share a payment plan still share one object (the bulk writer's cache counts on it).
* A worker that cannot start, dies or answers with an error is given up: every row it had
  not answered for is checked here, and the import goes on.
* The worker ignores Ctrl+C: an interruption is the importing process's to report.
"""

from __future__ import annotations

import logging
import itertools
import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from bpjs_field.domain import reference
from bpjs_field.domain.registration import CleanRegistration
from bpjs_field.errors import ValidationError
from bpjs_field.import_rows import Checked, Checks, check_row

log = logging.getLogger(__name__)

Row = tuple[int, "dict[str, str] | None", "ValidationError | None"]

# Rows a message to the worker and back: large enough that a message costs little per row,
# small enough that the worker's first answer comes soon.
CHUNK_ROWS = 1000
# Rows checked here between two looks at whether the worker has started.
PIECE_ROWS = 200
# Below this many rows the file is checked here: the worker (a new interpreter that imports
# the domain: 0.3 s and 0.2 s of CPU on a quiet machine, over 1 s on a busy one) would start
# when most rows are checked already.  Measured: bench/README.md, "Fifth pass".
MIN_ROWS = 5000


def _start_worker(figures: tuple[Any, ...], checks: Checks) -> None:
    """The worker's start: Ctrl+C is the importing process's, the figures are its too."""
    global _checks
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reference.put_in_force(figures)
    _checks = checks


_checks: Checks | None = None


# In the worker: each contribution and plan sent so far, by its object's id, with its key
# (the object is held, so its id is not reused while it is known).
_known: dict[int, tuple[int, Any]] = {}
_keys = itertools.count()
KNOWN_MAX = 4096

Answer = tuple[bool, dict[int, Any], list[Checked]]


def _key(value: Any, fresh: dict[int, Any]) -> int:
    known = _known.get(id(value))
    if known is not None:
        return known[0]
    key = next(_keys)
    _known[id(value)] = (key, value)
    fresh[key] = value
    return key


def _check_chunk(rows: list[tuple[int, dict[str, str]]]) -> Answer:
    """In the worker: one chunk's readable rows checked, in order.  Each registration's
    contribution and plan are sent once for the whole import and then named by a key (the
    rows of a list share a few plans: sent again with every chunk, they would come back
    as new objects each time, and the bulk writer finds a plan's JSON by its identity);
    `reset`: the keys sent before are forgotten."""
    assert _checks is not None
    reset = len(_known) > KNOWN_MAX
    if reset:
        _known.clear()
    fresh: dict[int, Any] = {}
    checked = [check_row(line, row, None, _checks) for line, row in rows]
    for clean in checked:
        if isinstance(clean, CleanRegistration):
            clean.contribution = _key(clean.contribution, fresh)  # type: ignore[assignment]
            clean.plan = _key(clean.plan, fresh)  # type: ignore[assignment]
    return reset, fresh, checked


def _readable(rows: list[Row]) -> list[tuple[int, dict[str, str]]]:
    """The rows the worker checks: those read (a row's reading problem is named here)."""
    return [(line, row) for line, row, problem in rows if row is not None and problem is None]


def _ready() -> bool:
    """In the worker: started, the figures in force."""
    return _checks is not None


def check_here(rows: list[Row], checks: Checks) -> list[Checked]:
    """Rows checked in this process."""
    return [check_row(line, row, problem, checks) for line, row, problem in rows]


class CheckedRows:
    """The rows of a file checked in order, by a worker process when the file is large:
    iterate for (line, what became of the row); use as a context manager, so the worker
    ends with the import whatever happens."""

    def __init__(self, rows: list[Row], checks: Checks, *, batch_size: int,
                 worker: bool | None = None) -> None:
        self.rows, self.checks = rows, checks
        # Enough chunks sent ahead to keep the worker busy while two batches are saved.
        self.ahead = max(2, -(-2 * batch_size // CHUNK_ROWS))
        self.pool: ProcessPoolExecutor | None = None
        self.wait = worker is True
        self.by_worker = 0  # rows the worker checked (for tests and the benchmark)
        self.shared: dict[int, Any] = {}  # the worker's contributions and plans, by key
        self._sent: dict[int, Future[Answer]] = {}  # by chunk
        self._chunks: list[list[Row]] = []
        self._upto: int | None = None
        self._ready: Future[bool] | None = None
        if worker if worker is not None else len(rows) >= MIN_ROWS:
            try:
                self.pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(reference.in_force(), checks))
            except (OSError, RuntimeError, ValueError) as exc:
                log.warning("import: rows checked in this process (no worker: %s)",
                            type(exc).__name__)

    def __enter__(self) -> "CheckedRows":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            # A chunk being checked is finished (a few ms), queued ones are dropped.  A worker
            # that never checked a row is not waited for: it ends once started.
            pool.shutdown(wait=self.wait or self.by_worker > 0, cancel_futures=True)

    def __iter__(self) -> Iterator[tuple[int, Checked]]:
        chunks = [self.rows[i:i + CHUNK_ROWS] for i in range(0, len(self.rows), CHUNK_ROWS)]
        self._chunks, self._sent = chunks, {}
        # The first chunk not yet sent to the worker: until the worker has started (a new
        # interpreter: 0.3 s or more), the rows are checked here, unless the caller asked
        # for every row to wait for the worker.
        self._upto: int | None = 0 if self.wait else None
        self._ready = None if self.wait else self._submit(_ready)
        for index, chunk in enumerate(chunks):
            self._send(index)
            future = self._sent.pop(index, None)
            checked = self._answer_of(future) if future is not None else None
            if checked is not None and len(checked) != len(_readable(chunk)):
                self._give_up(ValueError("rows missing"))
                checked = None
            if checked is None:  # checked here, in pieces: the worker may start meanwhile
                for start in range(0, len(chunk), PIECE_ROWS):
                    piece = chunk[start:start + PIECE_ROWS]
                    yield from zip((line for line, _r, _p in piece), check_here(piece, self.checks))
                    self._send(index)
                continue
            self.by_worker += len(checked)
            answers = iter(checked)
            for line, row, problem in chunk:
                if row is None or problem is not None:
                    yield line, check_row(line, row, problem, self.checks)
                else:
                    yield line, next(answers)

    def _send(self, index: int) -> None:
        """Chunk `index` is being checked: send the worker the chunks after it, up to
        `ahead`, once it has started."""
        if self._upto is None:
            if self._ready is None or not self._ready.done():
                return
            # The worker has started: it takes the chunks after this one.
            self._upto = index + 1 if self._answer_of(self._ready) is not None else len(self._chunks)
        while self.pool is not None and self._upto < len(self._chunks) \
                and self._upto - index <= self.ahead:
            future = self._submit(_check_chunk, _readable(self._chunks[self._upto]))
            if future is not None:
                self._sent[self._upto] = future
            self._upto += 1

    def _submit(self, fn: Any, *args: Any) -> Future[Any] | None:
        if self.pool is None:
            return None
        try:
            return self.pool.submit(fn, *args)
        except Exception as exc:  # the worker is gone, or could not be started
            self._give_up(exc)
            return None

    def _answer_of(self, future: Future[Any]) -> Any:
        """What the worker answered, or None when it is given up (every chunk it was sent is
        then checked here)."""
        try:
            answer = future.result()
            return self._shared(answer) if isinstance(answer, tuple) else answer
        except Exception as exc:  # the worker died or could not answer
            self._give_up(exc)
            return None

    def _shared(self, answer: Answer) -> list[Checked]:
        """A chunk's rows as the worker checked them, each contribution and plan the one
        object this import holds for it."""
        reset, fresh, checked = answer
        shared = self.shared
        if reset:
            shared.clear()
        shared.update(fresh)
        for clean in checked:
            if isinstance(clean, CleanRegistration):
                clean.contribution = shared[clean.contribution]  # type: ignore[index]
                clean.plan = shared[clean.plan]  # type: ignore[index]
        return checked

    def _give_up(self, exc: BaseException) -> None:
        log.warning("import: the checking process stopped (%s); the rest is checked here",
                    type(exc).__name__)
        self._sent.clear()
        try:
            self._stop()
        except Exception:  # a broken pool may fail to shut down: nothing of it is used
            self.pool = None
