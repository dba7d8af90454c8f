"""Fixtures for the server and sync tests: every test that uses `database_url` (and so
`server`) runs twice, against a SQLite file and against a real PostgreSQL cluster started
once per session in a temp dir (`pg_cluster`, in tests/conftest.py: a failure in CI when
PostgreSQL is missing, a skip saying how to install it elsewhere)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import ServerProcess, laptop_factory, setup_database  # noqa: E402

# The laptops that edit people in these tests are supervisors' (editing a person is a
# supervisor's, on the server too); KC-0430 is an officer's account for what officers may not.
OFFICERS = (("KC-0421", "supervisor"), ("KC-0422", "supervisor"), ("KC-0423", "supervisor"),
            ("SPV-01", "supervisor"), ("KC-0430", "officer"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    # Officers are hashed with argon2 once per session (0.2 s each here), then copied.
    path = tmp_path_factory.mktemp("server-template") / "branch.sqlite3"
    setup_database(f"sqlite:///{path}", *OFFICERS)
    return path


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    url = pg_cluster.new_database()
    setup_database(url, *OFFICERS)
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "branch.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    template = request.getfixturevalue("pg_template")
    return request.getfixturevalue("pg_cluster").new_database(template=template)


@pytest.fixture
def server(database_url):
    proc = ServerProcess(database_url).start()
    yield proc
    proc.kill()
    proc.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_database_url(request, tmp_path_factory) -> str:
    """One database per module and backend, for tests that do not need a server of their own."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("shared") / "branch.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    template = request.getfixturevalue("pg_template")
    return request.getfixturevalue("pg_cluster").new_database(template=template)


@pytest.fixture(scope="module")
def shared_server(shared_database_url):
    proc = ServerProcess(shared_database_url).start()
    yield proc
    proc.kill()
    proc.stop()


@pytest.fixture
def laptops(tmp_path):
    yield from laptop_factory(tmp_path)
