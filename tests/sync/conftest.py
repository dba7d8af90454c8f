"""Laptop-side sync tests reuse the server harness (real server processes on 127.0.0.1)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))

from harness import Laptop, ServerProcess, setup_database  # noqa: E402

OFFICERS = (("KC-0421", "officer"), ("KC-0422", "officer"), ("SPV-01", "supervisor"))


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
    made: list[Laptop] = []

    def make(n: int = 1) -> list[Laptop]:
        for _ in range(n):
            made.append(Laptop(tmp_path / f"laptop{len(made) + 1}.sqlite3"))
        return made[-n:]

    yield make
    for laptop in made:
        laptop.close()
