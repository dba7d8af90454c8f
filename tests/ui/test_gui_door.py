"""The workstation at a crowded door, as an officer meets it: the scanner at the
lock screen, the focus after unlocking, who is named on a receipt after setup,
the training database, and the idle lock while scans keep coming."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from bpjs_field import PersonInput, RegistrationInput
from bpjs_field.security import session
from ui import app as app_module
from ui.i18n import Translations
from ui.main_window import MainWindow

FAST_KDF = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
OFFICER = ("KC-0500", "rahasia-petugas")


@pytest.fixture
def laptop(tmp_path):
    path = tmp_path / "laptop.sqlite3"
    store = session.create_protected(path, employee_no=OFFICER[0], full_name="Rina Marlina",
                                     branch="Kantor Cabang Cilegon", password=OFFICER[1],
                                     kdf=FAST_KDF)
    event = store.events.create({
        "kind": "senam_bersama", "title": "Senam Sehat Cilegon", "starts_at": "2026-12-05T08:00:00+07:00",
        "venue": "Alun-alun Cilegon", "district_code": "367201", "targets": {"attendance": 300}})
    store.events.set_active(event["id"])
    registration = store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Budi Santoso", nik="3216091205900001",
                                          phone="0812-3456-7890"),
        consent_given=True, consent_version="2026-01", declared_income=1_000_000,
        occupation="ojek", months_paid=1, event_id=event["id"]))
    store.close()
    return path, registration.registration["code"]


@pytest.fixture
def station(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(app_module, "MainWindow", lambda ctx, ex: MainWindow(
        ctx, ex, settings=QSettings(str(tmp_path / "q.ini"), QSettings.IniFormat)))
    made = []

    def make(path, account=OFFICER):
        st = app_module.Workstation(session.unlock(path, *account), db_path=path)
        assert st.start()
        qtbot.addWidget(st.window)
        qtbot.waitExposed(st.window)
        st.window.activateWindow()
        qtbot.waitUntil(st.window.isActiveWindow)
        made.append(st)
        return st

    yield make
    for st in made:
        st.close(final_backup=False)
        st.translations.install("en")
    Translations().install("en")


def scan(qtbot, widget, code: str) -> None:
    """A USB scanner: the code and Enter, a key every millisecond or so."""
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key_Return)


def type_slowly(qtbot, widget, text: str, gap_ms: int = 70) -> None:
    """A person at the keyboard: tens of milliseconds between keys."""
    for ch in text:
        qtbot.keyClick(widget, ch)
        qtbot.wait(gap_ms)


def test_a_scan_at_the_lock_screen_is_never_a_password_attempt(station, laptop, qtbot):
    path, code = laptop
    st = station(path)
    screen = st.window.lock_screen
    screen.lock()
    for _ in range(7):  # more than the lock-out allows
        scan(qtbot, screen.password, code)
        assert not screen.checking  # no password check was started
        assert screen.password.text() == ""
        assert screen.message.text() == "Layar terkunci: masuk dulu, lalu pindai lagi."
    # A printed code typed by hand is no password either.
    type_slowly(qtbot, screen.password, "K7QM-003A-X", gap_ms=45)
    qtbot.keyClick(screen.password, Qt.Key_Return)
    assert not screen.checking and screen.password.text() == ""
    # The officer can still log in at once: no failure was counted, no lock-out.
    type_slowly(qtbot, screen.password, OFFICER[1])
    with qtbot.waitSignal(screen.unlocked, timeout=10000):
        qtbot.keyClick(screen.password, Qt.Key_Return)
    assert not screen.locked
    audit = st.executor.call(lambda s: [r["action"] for r in s.query("SELECT action FROM audit_log")])
    assert "unlock_failed" not in audit


def test_a_slowly_typed_wrong_password_still_counts(station, laptop, qtbot):
    path, _code = laptop
    st = station(path)
    screen = st.window.lock_screen
    screen.lock()
    type_slowly(qtbot, screen.password, "salah-sandi")
    qtbot.keyClick(screen.password, Qt.Key_Return)
    assert screen.checking
    qtbot.waitUntil(lambda: not screen.checking, timeout=10000)
    assert screen.locked and "Layar terkunci" not in screen.message.text()


def test_after_unlock_the_next_scan_is_answered(station, laptop, qtbot):
    path, code = laptop
    st = station(path)
    window = st.window
    window.show_page("checkin")
    page = window.checkin
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.input)
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)  # Ctrl+L, as the officer leaves
    screen = window.lock_screen
    assert screen.locked and QApplication.focusWidget() is screen.password
    type_slowly(qtbot, screen.password, OFFICER[1], gap_ms=50)
    with qtbot.waitSignal(screen.unlocked, timeout=10000):
        qtbot.keyClick(screen.password, Qt.Key_Return)
    assert QApplication.focusWidget() is page.input  # exactly where it was
    scan(qtbot, QApplication.focusWidget(), code)
    qtbot.waitUntil(lambda: page.status == "checked_in", timeout=5000)


def test_focus_returns_to_the_field_being_typed_in(station, laptop, qtbot):
    path, _code = laptop
    st = station(path)
    window = st.window
    window.show_page("registration")
    name = window.registration.form.findChild(QLineEdit, "full_name")
    name.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name)
    qtbot.mouseClick(window.statusBar().findChild(type(window.lock_screen.unlock_button), "lockButton"),
                     Qt.LeftButton)  # the status bar's button
    screen = window.lock_screen
    assert screen.locked
    type_slowly(qtbot, screen.password, OFFICER[1], gap_ms=50)
    with qtbot.waitSignal(screen.unlocked, timeout=10000):
        qtbot.keyClick(screen.password, Qt.Key_Return)
    assert QApplication.focusWidget() is name


def test_scans_at_the_door_keep_the_idle_lock_away(station, laptop, qtbot):
    path, code = laptop
    st = station(path)
    idle = st.idle_lock
    st.window.show_page("checkin")
    idle.last_input -= 10 * 60  # ten quiet minutes ...
    scan(qtbot, st.window.checkin.input, code)  # ... then a participant arrives
    assert not idle.check()
    assert not st.window.lock_screen.locked
