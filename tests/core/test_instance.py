"""One app at a time on a laptop's databases: a second app and `bpjs-field restore` refuse
while one runs; a crashed app leaves nothing that keeps the next one out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from bpjs_field.errors import KnownError
from bpjs_field.instance import hold_app, require_closed
from bpjs_field.messages import render

HOLDER = ("import sys, time; from pathlib import Path; from bpjs_field.instance import hold_app; "
          "lock = hold_app(Path(sys.argv[1])); print('held', flush=True); time.sleep(120)")


def test_a_second_app_and_a_restore_wait_for_the_first_to_close(tmp_path):
    first = hold_app(tmp_path)
    with pytest.raises(KnownError) as second:
        hold_app(tmp_path)
    assert second.value.code == "app.already_open"
    assert "sudah terbuka" in second.value.message("id")
    with pytest.raises(KnownError) as restore:
        require_closed(tmp_path, action="restore")
    assert restore.value.code == "app.open"
    first.release()
    require_closed(tmp_path, action="restore")  # closed: nothing in the way
    hold_app(tmp_path).release()


def test_an_app_killed_mid_run_leaves_the_next_one_free(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(KnownError):
            hold_app(tmp_path)
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # a crash, or the battery running out
        holder.wait(10)
    hold_app(tmp_path).release()


def test_the_command_line_restore_refuses_under_a_running_app(tmp_path):
    env = dict(os.environ, BPJS_FIELD_DB=str(tmp_path / "data" / "bpjs_field.sqlite3"),
               BPJS_FIELD_DATA=str(tmp_path / "data"))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "bpjs_field", *args], capture_output=True,
                              text=True, env=env, timeout=60)

    assert run("demo", "--participants", "5").returncode == 0
    saved = run("backup").stdout.strip().split(": ", 1)[1]
    app = hold_app(tmp_path / "data")
    try:
        refused = run("restore", saved)
    finally:
        app.release()
    assert refused.returncode != 0
    assert render("app.open", "id", action="restore") in refused.stdout + refused.stderr
    assert run("restore", saved).returncode == 0  # once the app is closed
