"""Backups from Pengaturan: make one, restore one (current database kept aside), one on closing."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QMessageBox, QWidget

from bpjs_field import backup
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.store import Store, views
from ui import app as app_module


def register(store, name, nik):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik), consent_given=True,
        consent_version="2026-01", declared_income=1_000_000))


def workstation(qtbot, db_path, *people: tuple[str, str]):
    """The workstation started on a database with its officer and `people` (name, NIK);
    returns (store, officer, station).  The caller closes the station."""
    store = Store.open(db_path)
    officer = views.setup_officer(store, full_name="Siti Rahmawati", employee_no="KC-0421",
                                  branch="Kantor Cabang Bekasi Cikarang")
    for name, nik in people:
        register(store, name, nik)
    station = app_module.Workstation(store)
    assert station.start()
    qtbot.addWidget(station.window)
    return store, officer, station


def backup_box(qtbot, station):
    """Pengaturan's backup box, shown, once it has read the backups there are."""
    station.window.show_page("settings")
    box = station.window.findChild(QWidget, "backupBox")
    qtbot.waitUntil(lambda: box.latest.text() != "")
    return box


def test_backup_restore_and_backup_on_close(qtbot, db_path):
    store, officer, station = workstation(qtbot, db_path, ("Siti Aminah", "3216094508900001"))
    try:
        box = backup_box(qtbot, station)
        box.make_button.click()
        qtbot.waitUntil(lambda: box.choice.count() == 1, timeout=5000)
        register(station.store, "Bambang Wibowo", "3216091203850002")  # after the backup
        box.confirm_restore()
        box.confirm_box.button(QMessageBox.Yes).click()
        qtbot.waitUntil(lambda: station.store is not store, timeout=5000)
        qtbot.addWidget(station.window)
        assert station.executor.call(lambda s: s.scalar("SELECT count(*) FROM people")) == 1
        assert station.ctx.officer["id"] == officer["id"]
        aside = list(db_path.parent.glob(f"{db_path.stem}.before-restore-*"))
        assert len(aside) == 1
        assert sqlite3.connect(aside[0]).execute("SELECT count(*) FROM people").fetchone()[0] == 2
        station.executor.call(lambda s: register(s, "Dewi Lestari", "3216095103920003"))  # new work
    finally:
        station.translations.install("en")
        station.close()
    reasons = [b.reason for b in backup.list_backups(db_path)]
    assert reasons[0] == "close" and "manual" in reasons


def test_daily_backup_runs_beside_the_officer_and_closing_does_not_wait_for_it(qtbot, db_path, monkeypatch):
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    monkeypatch.setattr(backup, "STEP_PAUSE_S", 0.05)  # a backup far longer than this test
    _store, _officer, station = workstation(qtbot, db_path, ("Siti Aminah", "3216094508900001"))
    try:
        station.start_backups(delay_ms=0)
        qtbot.waitUntil(lambda: bool(backup.unfinished(db_path)), timeout=5000)
        # the database worker is free: a search answers while the backup is copying
        assert station.executor.call(lambda s: s.search_index.search("Siti"))
        assert station.backups.running
    finally:
        station.translations.install("en")  # the next tests read English
        station.close()
    assert not station.backups.running
    assert backup.list_backups(db_path) == []  # cut short: nothing passes for a whole backup
    with Store.open(db_path) as again:
        made = backup.backup_if_due(again)  # ... and the next start makes it again
    assert made is not None and not backup.unfinished(db_path)


def test_the_daily_backup_waits_for_the_start_up_work(qtbot, db_path):
    _store, _officer, station = workstation(qtbot, db_path)
    try:
        station.start_backups(delay_ms=300)
        assert not station.backups.running and backup.list_backups(db_path) == []
        qtbot.waitUntil(lambda: [b.reason for b in backup.list_backups(db_path)] == ["daily"], timeout=10000)
    finally:
        station.translations.install("en")
        station.close(final_backup=False)
    assert station.backups.wait(5)


def test_back_up_now_runs_beside_the_officer_with_its_progress_shown(qtbot, db_path, monkeypatch):
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    monkeypatch.setattr(backup, "STEP_PAUSE_S", 0.03)  # a copy of a few seconds
    _store, _officer, station = workstation(qtbot, db_path, ("Siti Aminah", "3216094508900001"))
    try:
        box = backup_box(qtbot, station)
        box.make_button.click()
        assert not box.make_button.isEnabled() and box.progress.isVisible()
        qtbot.waitUntil(lambda: box.progress.value() > 0, timeout=5000)
        # the database worker is free: a search and a save finish while the copy goes on
        assert station.executor.call(lambda s: s.search_index.search("Siti"))
        station.executor.call(lambda s: register(s, "Bambang Wibowo", "3216091203850002"))
        assert box.runner.running and backup.unfinished(db_path)
        qtbot.waitUntil(lambda: box.make_button.isEnabled(), timeout=30000)
        assert not box.progress.isVisible() and box.runner.error is None
        qtbot.waitUntil(lambda: box.choice.count() == 1, timeout=5000)
    finally:
        station.translations.install("en")
        station.close(final_backup=False)
    made = backup.list_backups(db_path)
    assert [b.reason for b in made] == ["manual"] and not backup.unfinished(db_path)
    conn = sqlite3.connect(made[0].path)
    try:  # the state when the copy began, whole
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 1
    finally:
        conn.close()


def test_closing_stops_a_manual_backup_which_is_made_again_at_the_next_start(qtbot, db_path, monkeypatch):
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    monkeypatch.setattr(backup, "STEP_PAUSE_S", 0.05)  # far longer than this test
    _store, _officer, station = workstation(qtbot, db_path)
    try:
        box = backup_box(qtbot, station)
        box.make_button.click()
        qtbot.waitUntil(lambda: bool(backup.unfinished(db_path)), timeout=5000)
    finally:
        station.translations.install("en")
        station.close(final_backup=False)
    assert not box.runner.running
    assert backup.list_backups(db_path) == [] and backup.unfinished(db_path)
    with Store.open(db_path) as again:
        assert backup.backup_if_due(again) is not None
