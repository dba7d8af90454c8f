"""What the suite does when the machine lacks a tool or service: in CI a failure, elsewhere a
skip that names the install command; and PostgreSQL is found wherever it is installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "server"))

from harness import PG_INSTALL, find_pg_bin  # noqa: E402
from needs import missing  # noqa: E402

PROBE = '''
from needs import need_tool

def test_probe():
    need_tool("bpjs-no-such-tool", "apt-get install bpjs-no-such-package")
'''


@pytest.mark.parametrize("ci, outcome", [("true", "1 failed"), ("", "1 skipped")])
def test_a_missing_tool_fails_in_ci_and_skips_with_the_install_command_elsewhere(tmp_path, ci,
                                                                                   outcome):
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(TESTS)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           "-p", "no:randomly", str(tmp_path / "test_probe.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert outcome in done.stdout, done.stdout
    assert "apt-get install bpjs-no-such-package" in done.stdout
    assert done.returncode == (1 if ci else 0)


def _fake_pg(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for tool in ("initdb", "pg_ctl"):
        (folder / tool).write_text("#!/bin/sh\n")
        (folder / tool).chmod(0o755)
    return folder


def test_postgresql_is_found_where_it_is_said_to_be_and_on_the_path(tmp_path, monkeypatch):
    told = _fake_pg(tmp_path / "told" / "bin")
    monkeypatch.setenv("BPJS_FIELD_PG_BIN", str(told))
    assert find_pg_bin() == told
    monkeypatch.delenv("BPJS_FIELD_PG_BIN")
    on_path = _fake_pg(tmp_path / "elsewhere" / "bin")
    monkeypatch.setenv("PATH", str(on_path))  # no pg_config, and Debian's folder is checked first
    found = find_pg_bin()
    debian = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
              if p.parent.parent.name.isdigit()]
    newest = max(debian, key=lambda p: int(p.parent.name), default=None)
    assert found == (newest or on_path)


def test_postgresql_of_this_machine_is_found_whatever_its_version():
    installed = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    if not installed:
        missing("PostgreSQL in /usr/lib/postgresql", PG_INSTALL)
    assert find_pg_bin() in installed
