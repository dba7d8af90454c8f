"""Shared fixtures: a fresh migrated database per test (copied from one template), a real
PostgreSQL cluster for the server tests (tests/server and tests/security), and offscreen Qt
for the GUI tests.  A service or tool the suite needs and the machine lacks fails the run in
CI (`CI=true`) and is a skip elsewhere, saying how to install it (tests/needs.py)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _clock_away_from_jakarta() -> str:
    """A clock zone whose date is not Jakarta's at this moment, for this process and every
    server and command it starts: the app counts every day in WIB (`today_wib`), and code
    that asked the laptop's own clock for the date instead (a branch laptop left on UTC, a
    server abroad) passed here whenever the two dates agreed, which on a UTC machine is
    17 hours of the day.  UTC-12 is a day behind Jakarta until 19.00 WIB, UTC+14 a day
    ahead after it.  POSIX spelling: the offset is hours west of UTC."""
    from datetime import datetime, timedelta, timezone
    hour_in_jakarta = datetime.now(timezone(timedelta(hours=7))).hour
    return "LAPTOP+12" if hour_in_jakarta < 19 else "LAPTOP-14"


os.environ["TZ"] = _clock_away_from_jakarta()
time.tzset()

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "server"))

from needs import missing  # noqa: E402

from bpjs_field.store import Store  # noqa: E402


@pytest.fixture(autouse=True)
def _qt_locale_restored():
    """A test that switches the app's language also moves Qt's default locale, which other
    code reads (ESC/POS messages): put the locale the session started with back after each
    test that loaded Qt, so no test depends on the order the suite runs in."""
    yield
    qt = sys.modules.get("PySide6.QtCore")
    if qt is not None:
        if _QT_LOCALE_AT_START is None:
            return
        qt.QLocale.setDefault(qt.QLocale(_QT_LOCALE_AT_START))


def _locale_at_start() -> str | None:
    """Qt's default locale before any test, read in a separate process so this one does
    not load Qt (most tests never need it)."""
    import subprocess
    done = subprocess.run([sys.executable, "-c", "from PySide6.QtCore import QLocale; print(QLocale().name())"],
                          capture_output=True, text=True, timeout=60)
    return done.stdout.strip() or None if done.returncode == 0 else None


_QT_LOCALE_AT_START = _locale_at_start()


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the whole session (found wherever it is installed)."""
    from harness import PG_INSTALL, PgCluster
    lacking = PgCluster.unavailable()
    if lacking:
        missing(lacking, PG_INSTALL)
    # Not under pytest's tmp dir: that one is private to root and postgres cannot enter it.
    base = Path(tempfile.mkdtemp(prefix="bpjs-field-pg-"))
    base.chmod(0o755)
    cluster = PgCluster(base).start()
    yield cluster
    cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Store.open(path).close()
    return path


@pytest.fixture
def db_path(tmp_path, template_db) -> Path:
    path = tmp_path / "bpjs_field.sqlite3"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def officer(store):
    row = store.officers.create(full_name="Siti Rahmawati", employee_no="KC-0421",
                                branch="Kantor Cabang Bekasi Cikarang")
    store.remember_officer(row["id"])
    return row


@pytest.fixture
def event(store, officer):
    return store.events.create({
        "kind": "senam_bersama", "title": "Senam Sehat Cikarang Utara",
        "starts_at": "2026-11-22T06:30:00+07:00", "venue": "Lapangan Desa Karangasih",
        "district_code": "321609", "partner_org": "Karang Taruna Karangasih",
        "targets": {"bpu": 150, "pu": 50, "attendance": 300},
    })


def pytest_report_header():
    from datetime import date

    from bpjs_field.domain.formatting import today_wib
    return (f"clock zone {os.environ['TZ']}: the machine's date {date.today():%Y-%m-%d}, "
            f"Jakarta's {today_wib():%Y-%m-%d}")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)
