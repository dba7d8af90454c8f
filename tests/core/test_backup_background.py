"""Backups beside the officer's work: stepped copies from one snapshot over their own
connections, a file under its final name only when whole, unfinished ones made again,
the full integrity check once a week, and the bounded backup on closing."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta

import pytest

from bpjs_field import KnownError, PersonInput, RegistrationInput, Store, backup


def register(store, n):
    form = RegistrationInput(segment="bpu", person=PersonInput(full_name="Rina Marlina", nik=f"321609520590{n:04d}"),
                             consent_given=True, consent_version="t", declared_income=1_000_000)
    return store.registrations.register(form)


def count(path, table="registrations"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def filled(store):
    for n in range(1, 41):
        register(store, n)
    return store


@pytest.fixture
def slow_steps(monkeypatch):
    """One page per step with a pause: a backup that takes long enough to act during it."""
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    monkeypatch.setattr(backup, "STEP_PAUSE_S", 0.01)


def test_work_goes_on_during_a_background_backup_which_holds_its_snapshot(filled, slow_steps):
    runner = backup.BackgroundBackup(filled.path)
    assert runner.start_if_due()
    while not backup.unfinished(filled.path):
        time.sleep(0.005)
    register(filled, 100)  # writes and searches on the app's own connection, meanwhile
    assert filled.search_index.search("Rina")
    assert runner.running and not runner.start_if_due()  # one at a time
    assert runner.wait(60) and runner.error is None
    made = backup.list_backups(filled.path)
    assert [b.path for b in made] == [runner.last.path]
    assert count(made[0].path) == 40  # the state when the copy began, whole
    assert not backup.unfinished(filled.path)
    assert made[0].path.with_name(made[0].path.name + backup.CHECKED).is_file()  # first: full check


def test_a_stopped_backup_leaves_no_backup_only_a_marker_and_is_made_again(filled, slow_steps, monkeypatch):
    backup.make_backup(filled, reason="earlier")
    runner = backup.BackgroundBackup(filled.path)
    runner.start_if_due(max_age=timedelta(0))
    while not backup.unfinished(filled.path):
        time.sleep(0.005)
    assert runner.stop(timeout=10)
    assert [b.reason for b in backup.list_backups(filled.path)] == ["earlier"]
    markers = backup.unfinished(filled.path)
    assert len(markers) == 1 and markers[0].stat().st_size == 0
    monkeypatch.setattr(backup, "STEP_PAGES", 1024)
    redone = backup.backup_if_due(filled)  # the newest is minutes old, but one was cut short
    assert redone is not None and redone.reason == "daily"
    assert not backup.unfinished(filled.path)
    backup.verify_backup(redone.path)
    assert backup.backup_if_due(filled) is None


def test_a_backup_killed_mid_copy_is_never_taken_for_whole_and_is_redone(filled):
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from bpjs_field import backup
        backup.STEP_PAGES, backup.STEP_PAUSE_S = 1, 0.2
        backup.make_backup(Path({str(filled.path)!r}), reason="killed")
        """)])
    try:
        deadline = time.monotonic() + 30
        while not backup.unfinished(filled.path):
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.5)  # a few pages into the copy
        assert child.poll() is None
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert backup.list_backups(filled.path) == []
    made = backup.backup_if_due(filled)
    assert made is not None and count(made.path) == 40
    assert not backup.unfinished(filled.path)
    assert sorted(p.suffix for p in made.path.parent.iterdir()) == [".checked", ".sqlite3"]


def test_full_integrity_check_once_a_week_and_a_failing_backup_is_set_aside(filled):
    first = backup.backup_if_due(filled)
    assert first.path.with_name(first.path.name + backup.CHECKED).is_file()
    second = backup.make_backup(filled, reason="manual")
    assert not backup.full_check_if_due(filled.path)  # checked this week already
    assert backup.full_check_if_due(filled.path, every=timedelta(0))
    assert second.path.with_name(second.path.name + backup.CHECKED).is_file()
    third = backup.make_backup(filled, reason="manual")
    data = bytearray(third.path.read_bytes())
    data[len(data) // 2:] = bytes(len(data) - len(data) // 2)  # the second half zeroed
    third.path.write_bytes(bytes(data))
    with pytest.raises(KnownError) as err:
        backup.full_check_if_due(filled.path, every=timedelta(0))
    assert err.value.code == "backup.damaged"
    assert not third.path.exists() and third.path.with_suffix(".damaged").exists()
    assert backup.list_backups(filled.path)[0].path == second.path


def test_backup_on_close_only_for_new_work_and_only_when_it_fits(filled):
    made = backup.backup_on_close(filled)
    assert made is not None and made.reason == "close"
    assert backup.backup_on_close(filled) is None  # nothing new since
    register(filled, 200)
    assert backup.backup_on_close(filled, budget_s=0) is None  # does not fit: left for next start
    assert len(backup.list_backups(filled.path)) == 1 and len(backup.unfinished(filled.path)) == 1
    redone = backup.backup_if_due(filled)
    assert redone is not None and count(redone.path) == 41
    assert not backup.unfinished(filled.path)


def test_rotation_removes_the_check_marks_with_their_backups(filled):
    filled.set_setting(backup.KEEP_SETTING, 2)
    backup.backup_if_due(filled)
    for i in range(3):
        backup.make_backup(filled, reason=f"r{i}")
    names = sorted(p.name for p in backup.backup_dir(filled.path).iterdir())
    assert len(names) == 2 and all(n.endswith(".sqlite3") for n in names)


def test_analyze_is_bounded_on_every_connection(store):
    """`PRAGMA optimize` on closing samples rows instead of reading whole tables."""
    assert 0 < store.scalar("PRAGMA analysis_limit") <= 1000


def test_background_backups_of_an_encrypted_database_stay_encrypted(tmp_path):
    key = bytes(range(32))
    path = tmp_path / "secure.sqlite3"
    with Store.open(path, key=key) as secure:
        register(secure, 1)
        runner = backup.BackgroundBackup(path, key)
        runner.start_if_due()
        assert runner.wait(60) and runner.error is None
    made = runner.last.path
    assert not made.read_bytes().startswith(b"SQLite format 3") and b"Rina" not in made.read_bytes()
    with pytest.raises(KnownError):
        backup.verify_backup(made)
    backup.verify_backup(made, key)
    with Store.open(made, key=key) as copy:
        assert copy.people.count() == 1


def test_a_background_backup_steps_aside_while_the_app_is_busy(filled, slow_steps, monkeypatch):
    monkeypatch.setattr(backup, "YIELD_MAX_S", 30.0)
    busy = threading.Event()
    busy.set()  # a search in flight
    runner = backup.BackgroundBackup(filled.path, busy=busy.is_set)
    assert runner.start_if_due()
    time.sleep(0.5)  # unpaused, a page every 10 ms would copy most of the file meanwhile
    assert runner.running and 0 < runner.progress < 0.2
    busy.clear()
    assert runner.wait(60) and runner.error is None and runner.progress == 1.0
    assert [b.path for b in backup.list_backups(filled.path)] == [runner.last.path]


def test_a_busy_app_holds_a_backup_back_only_for_a_while(filled, slow_steps, monkeypatch):
    monkeypatch.setattr(backup, "YIELD_MAX_S", 0.01)
    runner = backup.BackgroundBackup(filled.path, busy=lambda: True)  # a long import, say
    assert runner.start_if_due()
    assert runner.wait(60) and runner.error is None and runner.last is not None


def test_a_stop_is_heard_while_stepping_aside(filled, slow_steps, monkeypatch):
    monkeypatch.setattr(backup, "YIELD_MAX_S", 60.0)
    runner = backup.BackgroundBackup(filled.path, busy=lambda: True)
    assert runner.start_if_due()
    time.sleep(0.2)
    started = time.monotonic()
    assert runner.stop(timeout=5) and time.monotonic() - started < 1.0
    assert backup.list_backups(filled.path) == [] and backup.unfinished(filled.path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's")
def test_a_backup_thread_runs_nicer_than_the_app_and_the_app_keeps_its_priority():
    import os
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = {}

    def job():
        seen["lowered"] = backup.lower_thread_priority()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=job)
    thread.start()
    thread.join()
    assert seen["lowered"] and seen["nice"] == min(19, mine + backup.BACKGROUND_NICE)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
