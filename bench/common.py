"""What every benchmark shares: its size argument, its smoke mode and its clean-up.

* `--people N` (or another size name) up to 1,000,000; runs at a million are made by hand.
* `--smoke`: the same code at a tiny size, run by the test suite
  (`tests/core/test_benchmarks_smoke.py`) to prove the script still runs and prints its
  table.  Targets are printed but do not decide the exit code in a smoke run: timings at
  a tiny size on a busy test machine mean nothing.
* `work_folder()`: a temporary folder removed at the end, whatever happens, unless the
  caller asked to keep it (`--keep DIR`); a benchmark leaves nothing behind by default.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MAX_SIZE = 1_000_000


def size(text: str) -> int:
    """A size argument: a whole number from 1 to 1,000,000 (`300k` and `1m` also read)."""
    value = text.strip().lower().replace("_", "").replace(",", "")
    factor = 1
    if value.endswith("k"):
        value, factor = value[:-1], 1000
    elif value.endswith("m"):
        value, factor = value[:-1], 1_000_000
    try:
        number = int(float(value) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (e.g. 30000, 300k, 1m)") from None
    if not 1 <= number <= MAX_SIZE:
        raise argparse.ArgumentTypeError(f"size {number:,} is outside 1 … {MAX_SIZE:,}")
    return number


def add_common(parser: argparse.ArgumentParser, *, name: str = "--people", default: int,
               help_text: str = "people in the database") -> None:
    parser.add_argument(name, type=size, default=default, help=f"{help_text} (up to 1,000,000)")
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny run that checks the script works (timings not judged)")


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextlib.contextmanager
def work_folder(prefix: str, keep: Path | None = None) -> Iterator[Path]:
    """A folder for the run's files, removed at the end unless `keep` names it."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=prefix))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def verdict(ok: bool, smoke: bool) -> int:
    """Exit code: missed targets fail a real run; a smoke run only has to get here."""
    if smoke:
        print("smoke run: figures printed, targets not judged")
        return 0
    return 0 if ok else 1
