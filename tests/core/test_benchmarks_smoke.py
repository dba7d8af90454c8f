"""Every benchmark still runs: each script at a tiny size (`--smoke`) prints its table and
leaves nothing behind in the temporary folder.  Timings are not judged here (a busy test
machine at a few hundred people says nothing); the benchmarks themselves are run by hand
at 30,000 to 1,000,000 people."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"

# Each script and lines its table must print.
EXPECTED = {
    "bench_core.py": ["save registration (median)", "every prefix length, worst p95",
                      "search while backup runs p95", "close the store", "smoke run"],
    "bench_gui.py": ["start, bare QApplication+QMainWindow", "start, main window usable",
                     "first search after start", "search, last key -> on screen",
                     "scan, Enter -> answer painted", "close after work",
                     "no backup due (baseline)", "backup as before (same priority)",
                     "first search after start, as the app runs it", "smoke run"],
    "bench_scale.py": ["figure", "every prefix length, worst p95", "close the app after work",
                       "first search after start (backup due)", "backup as app runs", "smoke run"],
    "bench_escpos.py": ["ESC/POS receipt ready to send", "58 mm PDF receipt", "smoke run"],
    "bench_guessing.py": ["guesses/s (1 process)", "baseline SHA-256", "smoke run"],
    "bench_hub.py": ["desk to door, 5 laptops", "hub takes 80 registrations from 4 laptops",
                     "round with the hub (in app), nothing to do", "`bpjs-field hub-sync` process",
                     "baseline: one push to the branch server", "smoke run"],
    "bench_import.py": ["CSV import of 60 rows", "import rows/s", "smoke run"],
    "bench_printing.py": ["one receipt, A4", "receipts in one PDF", "six brochures", "smoke run"],
    "bench_reports.py": ["report for a year, by segment (s)", "XLSX export of every registration (s)",
                         "peak memory, export of", "smoke run"],
    "bench_selfreg.py": ["page as built (bytes)", "first paint, bad 3G", "form ready to type",
                         "Buat QR -> QR on screen", "desk: open a QR",
                         "desk window: QR scan -> form filled", "smoke run"],
    "bench_security.py": ["open / unlock (median, s)", "save a registration (median, ms)", "smoke run"],
    "bench_sync.py": ["push 200 registrations (SQLite server)", "bytes sent per person (gzip)",
                      "first pull of 300 people", "bytes pulled per person (gzip)",
                      "sync with nothing to do", "`bpjs-field sync` process", "of which: sync command alone",
                      "smoke run"],
}


def test_every_benchmark_has_a_smoke_check():
    assert sorted(EXPECTED) == sorted(p.name for p in BENCH.glob("bench_*.py"))


@pytest.fixture
def scratch():
    """The benchmark's temporary folder: under the system's, open to the `postgres` user
    (bench_sync starts a PostgreSQL cluster as that user), removed after the check."""
    folder = Path(tempfile.mkdtemp(prefix="bpjs-bench-smoke-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_benchmark_runs_at_a_tiny_size_and_cleans_up(script, tmp_path, scratch):
    env = {**os.environ, "TMPDIR": str(scratch), "QT_QPA_PLATFORM": "offscreen",
           "BPJS_FIELD_DATA": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(BENCH / script), "--smoke"], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    for line in EXPECTED[script]:
        assert line in done.stdout, f"{script} no longer prints {line!r}:\n{done.stdout}"
    assert sorted(p.name for p in scratch.iterdir()) == []  # nothing left behind


def test_sizes_go_to_a_million_and_no_further():
    sys.path.insert(0, str(BENCH))
    try:
        from common import size
    finally:
        sys.path.remove(str(BENCH))
    assert size("1m") == size("1,000,000") == 1_000_000 and size("300k") == 300_000
    with pytest.raises(Exception):
        size("1000001")
