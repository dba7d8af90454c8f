"""Laptop-side sync tests reuse the server harness (real server processes on 127.0.0.1)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))

from harness import ServerProcess, laptop_factory, setup_database  # noqa: E402

# Laptops that edit people are supervisors' (see tests/server/conftest.py); KC-0430 is an officer.
OFFICERS = (("KC-0421", "supervisor"), ("KC-0422", "supervisor"), ("SPV-01", "supervisor"),
            ("KC-0430", "officer"))


@pytest.fixture
def server_url_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'branch.sqlite3'}"
    setup_database(url, *OFFICERS)
    return url


@pytest.fixture
def server(server_url_db):
    proc = ServerProcess(server_url_db).start()
    yield proc
    proc.stop()


@pytest.fixture
def laptops(tmp_path):
    yield from laptop_factory(tmp_path)
