"""Backups through the SQLite backup API, rotation, verified restore; logs without personal data."""

import logging
import os
import sqlite3
import subprocess
import sys

import pytest

from bpjs_field import KnownError, PersonInput, RegistrationInput, Store, backup
from bpjs_field.log import RedactingFilter, redact, setup_logging


def register(store, n):
    form = RegistrationInput(segment="bpu", person=PersonInput(full_name="Rina Marlina", nik=f"321609520590{n:04d}",
                                                               phone="0812-3456-7890"),
                             consent_given=True, consent_version="t", declared_income=1_000_000)
    return store.registrations.register(form)


def test_backup_is_whole_and_rotates(store):
    register(store, 1)
    store.set_setting(backup.KEEP_SETTING, 3)
    made = [backup.create_backup(store, f"r{i}") for i in range(5)]
    kept = backup.list_backups(store.path)
    assert len(kept) == 3
    assert {k.path for k in kept} == {m.path for m in made[-3:]}
    for info in kept:
        backup.verify_backup(info.path)
        assert sqlite3.connect(info.path).execute("SELECT count(*) FROM registrations").fetchone()[0] == 1


def test_daily_backup_only_when_due(store):
    assert backup.backup_if_due(store) is not None
    assert backup.backup_if_due(store) is None


def test_restore_keeps_the_current_database_aside(db_path):
    with Store.open(db_path) as s:
        register(s, 1)
        saved = backup.create_backup(s, "before")
        register(s, 2)
    aside = backup.restore_backup(db_path, saved.path)
    with Store.open(db_path) as s:
        assert s.scalar("SELECT count(*) FROM registrations") == 1
        assert s.integrity_check() == "ok"
    assert sqlite3.connect(aside).execute("SELECT count(*) FROM registrations").fetchone()[0] == 2


def test_restore_refuses_a_damaged_or_foreign_file(db_path, tmp_path):
    with Store.open(db_path) as s:
        register(s, 1)
        good = backup.create_backup(s, "x").path
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)")
    for bad in (truncated, foreign):
        with pytest.raises(KnownError):
            backup.restore_backup(db_path, bad)
    with Store.open(db_path) as s:
        assert s.scalar("SELECT count(*) FROM registrations") == 1


def test_restore_refused_while_the_database_is_in_use(db_path):
    with Store.open(db_path) as s:
        good = backup.create_backup(s, "x").path
        s.db.execute("BEGIN IMMEDIATE")
        with pytest.raises(KnownError) as err:
            backup.restore_backup(db_path, good)
        assert err.value.code == "storage.locked"
        s.db.execute("ROLLBACK")


def test_cli_backup_and_restore(tmp_path):
    env = dict(os.environ, BPJS_FIELD_DB=str(tmp_path / "cli.sqlite3"), BPJS_FIELD_DATA=str(tmp_path / "data"))
    run = lambda *a: subprocess.run([sys.executable, "-m", "bpjs_field", *a], capture_output=True, text=True,
                                    env=env, timeout=60)
    assert run("demo", "--participants", "20").returncode == 0
    made = run("backup")
    assert made.returncode == 0
    path = made.stdout.strip().split(": ", 1)[1]
    assert path in run("backup", "--list").stdout
    restored = run("restore", path)
    assert restored.returncode == 0 and "dipulihkan" in restored.stdout


@pytest.mark.parametrize("text", ["NIK 3216091205900001 ditolak", "nik 3216 0912 0590 0001", "HP 081234567890",
                                  "telepon +62 812-3456-7890", "email budi@example.co.id"])
def test_redaction(text):
    clean = redact(text)
    assert not any(ch.isdigit() for ch in clean.split(" ", 1)[1]) or "@" not in clean
    assert "3216091205900001" not in clean and "81234567890" not in clean.replace("-", "").replace(" ", "")
    assert "budi@" not in clean


def test_log_file_never_holds_personal_data(tmp_path):
    path = setup_logging(folder=tmp_path)
    logger = logging.getLogger("bpjs_field.test")
    logger.warning("pendaftaran gagal untuk %s / %s", "3216091205900001", "0812 3456 7890")
    try:
        raise ValueError("NIK 3216091205900001 sudah ada")
    except ValueError:
        logger.exception("gagal")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text("utf-8")
    assert "gagal" in text and "[NIK]" in text
    assert "3216091205900001" not in text and "3456 7890" not in text
    assert any(isinstance(f, RedactingFilter) for h in logging.getLogger().handlers for f in h.filters)


def test_cli_restore_on_a_new_disk_says_to_sync_first(tmp_path):
    old = dict(os.environ, BPJS_FIELD_DB=str(tmp_path / "old.sqlite3"), BPJS_FIELD_DATA=str(tmp_path / "data"))
    new = dict(old, BPJS_FIELD_DB=str(tmp_path / "new" / "laptop.sqlite3"))
    run = lambda env, *a: subprocess.run([sys.executable, "-m", "bpjs_field", *a], capture_output=True,
                                         text=True, env=env, timeout=60)
    assert run(old, "demo", "--participants", "5").returncode == 0
    path = run(old, "backup").stdout.strip().split(": ", 1)[1]
    again = run(old, "restore", path)  # its own database being replaced: the marks are known
    assert again.returncode == 0 and "sinkronkan" not in again.stdout
    (tmp_path / "new").mkdir()
    Store.open(tmp_path / "new" / "laptop.sqlite3").close()  # the app set up on the new machine
    restored = run(new, "restore", path)  # no ledger, no database of this laptop
    assert restored.returncode == 0, restored.stderr
    assert "dipulihkan" in restored.stdout and "sinkronkan sebelum mendaftar" in restored.stdout
