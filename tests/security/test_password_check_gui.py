"""The login dialog and the lock screen check the password on a worker thread: the
window keeps painting, the officer sees that the password is being checked, Enter
and the button do nothing meanwhile (one attempt, never two failures), and the
answer (logged in, wrong password, locked account) shows as before."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from bpjs_field.messages import render
from bpjs_field.security import keys, session
from bpjs_field.security.keys import DEFAULT_KDF, KeyFile
from ui import app as app_module
from ui.i18n import Translations

from .conftest import OFFICER, SUPERVISOR

CHECKING = "Checking the password…"
WRONG = render("security.bad_login", "en")


class Gate:
    """Holds every key derivation until the test opens it, and counts them."""

    def __init__(self, monkeypatch) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.calls = 0
        real = keys._derive

        def derive(password, salt, params):
            self.calls += 1
            self.entered.set()
            assert self.open.wait(10), "the test never opened the gate"
            return real(password, salt, params)

        monkeypatch.setattr(keys, "_derive", derive)


class Ticker:
    """A QTimer on the GUI thread, counting its ticks while `busy()` holds."""

    def __init__(self, busy, interval_ms: int = 10) -> None:
        self.ticks = 0
        self.busy = busy
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        if self.busy():
            self.ticks += 1


def failures(path) -> int:
    return (KeyFile.load(path).data["failures"].get(SUPERVISOR[0]) or {}).get("count", 0)


def login_dialog(qtbot, path, employee_no=SUPERVISOR[0]):
    from ui.security.login import LoginDialog
    dialog = LoginDialog(path, "en", employee_no)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    return dialog


def test_login_with_the_keyboard_alone(qtbot, secure_path):
    from ui.security.login import LoginDialog
    dialog = LoginDialog(secure_path, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.employee_no)
    qtbot.keyClicks(dialog.employee_no, SUPERVISOR[0])
    qtbot.keyClick(dialog.employee_no, Qt.Key_Return)  # moves on to the password
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, SUPERVISOR[1])
    with qtbot.waitSignal(dialog.logged_in) as opened:
        qtbot.keyClick(dialog.password, Qt.Key_Return)
    store = opened.args[0]
    try:
        assert store is dialog.store and store.role == "supervisor" and store.encrypted
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert store.query_one("SELECT action FROM audit_log WHERE action = 'login'")
    finally:
        store.close()


def test_the_app_logs_in_through_the_modal_dialog(qtbot, secure_path):
    """`ui.app.open_database` runs the dialog with exec(): its own event loop delivers the
    answer from the worker thread, and the opened store comes back to the app."""
    seen = []

    def type_password() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, type_password)
            return
        dialog.employee_no.setText(OFFICER[0])
        dialog.password.setText("salah-dulu")
        qtbot.keyClick(dialog.password, Qt.Key_Return)
        qtbot.waitUntil(lambda: not dialog.checking)
        seen.append(dialog.message.text())
        dialog.password.setText(OFFICER[1])
        qtbot.keyClick(dialog.password, Qt.Key_Return)

    QTimer.singleShot(0, type_password)
    try:
        store = app_module.open_database(secure_path)
    finally:
        Translations().install("en")
    assert store is not None
    try:
        assert seen == [render("security.bad_login", "id")]  # the login speaks Indonesian
        assert store.role == "officer" and store.encrypted
    finally:
        store.close()


def test_a_wrong_password_is_one_failure_with_the_message_and_an_empty_focused_field(
        qtbot, secure_path):
    dialog = login_dialog(qtbot, secure_path)
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.keyClick(dialog.password, Qt.Key_Return)
    qtbot.waitUntil(lambda: not dialog.checking)
    assert dialog.store is None and dialog.isVisible()
    assert dialog.message.text() == WRONG
    assert dialog.password.text() == "" and not dialog.password.isReadOnly()
    assert QApplication.focusWidget() is dialog.password
    assert dialog.login_button.isEnabled() and dialog.login_button.text() == "Log in"
    # One Enter used to submit twice (returnPressed, then the default button): the second,
    # empty attempt counted as another failure towards the lock-out.
    assert failures(secure_path) == 1
    with qtbot.waitSignal(dialog.logged_in) as opened:  # and the right one still opens
        qtbot.keyClicks(dialog.password, SUPERVISOR[1])
        qtbot.keyClick(dialog.password, Qt.Key_Return)
    opened.args[0].close()
    assert failures(secure_path) == 0


def test_while_checking_the_dialog_says_so_and_enter_twice_submits_once(
        qtbot, secure_path, monkeypatch):
    gate = Gate(monkeypatch)
    dialog = login_dialog(qtbot, secure_path)
    qtbot.keyClicks(dialog.password, SUPERVISOR[1])
    qtbot.keyClick(dialog.password, Qt.Key_Return)
    assert gate.entered.wait(5)
    ticker = Ticker(lambda: dialog.checking)
    qtbot.keyClick(dialog.password, Qt.Key_Return)  # impatient: Enter again, and the button
    qtbot.keyClick(dialog.password, Qt.Key_Enter)
    dialog.login_button.click()
    qtbot.keyClick(dialog, Qt.Key_Escape)  # the answer is on its way: the dialog stays
    qtbot.waitUntil(lambda: ticker.ticks >= 5)  # the event loop runs while argon2id is held
    assert dialog.checking and dialog.isVisible()
    assert not dialog.login_button.isEnabled() and dialog.login_button.text() == CHECKING
    assert dialog.password.isReadOnly() and dialog.employee_no.isReadOnly()
    assert QApplication.focusWidget() is dialog.password  # read-only, not disabled
    assert dialog.cursor().shape() == Qt.BusyCursor
    with qtbot.waitSignal(dialog.logged_in) as opened:
        gate.open.set()
    opened.args[0].close()
    assert gate.calls == 1
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_window_keeps_painting_during_a_real_derivation(qtbot, secure_path):
    """The default argon2id cost (64 MiB, about 0.2 s) with the real library: a 10 ms
    timer keeps ticking, so the derivation does not hold the GUI thread (or the GIL)."""
    key, _ = KeyFile.load(secure_path).unlock(*SUPERVISOR)
    KeyFile.load(secure_path).add_account(key, "KC-0600", "officer", "rahasia-lambat",
                                          kdf=DEFAULT_KDF)
    dialog = login_dialog(qtbot, secure_path, "KC-0600")
    ticker = Ticker(lambda: dialog.checking)
    qtbot.keyClicks(dialog.password, "rahasia-lambat")
    started = time.perf_counter()
    with qtbot.waitSignal(dialog.logged_in, timeout=20_000) as opened:
        qtbot.keyClick(dialog.password, Qt.Key_Return)
    took = time.perf_counter() - started
    opened.args[0].close()
    assert took > 0.05  # it was the real cost
    assert ticker.ticks >= 3, f"{ticker.ticks} ticks in {took:.2f} s"


def test_a_locked_account_shows_the_lock_out_as_before(qtbot, secure_path):
    keyfile = KeyFile.load(secure_path)
    keyfile.data["failures"][SUPERVISOR[0]] = {"count": 5, "last": time.time(),
                                               "locked_until": time.time() + 300}
    keyfile.save()
    dialog = login_dialog(qtbot, secure_path)
    qtbot.keyClicks(dialog.password, SUPERVISOR[1])
    qtbot.keyClick(dialog.password, Qt.Key_Return)
    qtbot.waitUntil(lambda: not dialog.checking)
    assert dialog.store is None
    expected = {render("security.locked_out", "en", seconds=s) for s in (299, 300)}
    assert dialog.message.text() in expected
    assert dialog.password.text() == "" and QApplication.focusWidget() is dialog.password


def test_a_store_opened_for_a_dialog_that_is_gone_gets_closed(qtbot):
    import shiboken6

    from ui.background import run_in_background

    class Opened:
        closed = False

        def close(self):
            self.closed = True

    release, opened = threading.Event(), Opened()
    owner = QObject()
    answers: list = []
    run_in_background(owner, lambda: release.wait(5) and opened, answers.append, answers.append,
                      discard=lambda store: store.close())
    shiboken6.delete(owner)
    release.set()
    qtbot.waitUntil(lambda: opened.closed)
    assert answers == []


# -- the lock screen ------------------------------------------------------------------------
@pytest.fixture
def locked_station(qtbot, secure_path, tmp_path, monkeypatch):
    from ui.main_window import MainWindow
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(app_module, "MainWindow", lambda ctx, ex: MainWindow(ctx, ex, settings=QSettings(
        str(tmp_path / "q.ini"), QSettings.IniFormat)))
    store = session.unlock(secure_path, *OFFICER)
    with store.write():
        store.set_setting("current_officer_id", store.officer_id)
    station = app_module.Workstation(store)
    assert station.start()
    window = station.window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("registration")
    window.registration.form.findChild(QLineEdit, "full_name").setText("Budi Santoso")
    window.lock_screen.lock()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.lock_screen.password)
    yield station
    station.close(final_backup=False)
    station.translations.install("en")
    Translations().install("en")


def test_unlock_checks_on_a_worker_keeps_the_work_and_submits_once(
        qtbot, locked_station, secure_path, monkeypatch):
    window = locked_station.window
    screen = window.lock_screen
    station_lang = screen.lang
    qtbot.keyClicks(screen.password, "bukan-sandinya")
    qtbot.keyClick(screen.password, Qt.Key_Return)
    qtbot.waitUntil(lambda: not screen.checking)
    assert screen.locked and screen.message.text() == render("security.bad_login", station_lang)
    assert screen.password.text() == "" and QApplication.focusWidget() is screen.password
    assert (KeyFile.load(secure_path).data["failures"][OFFICER[0]])["count"] == 1

    gate = Gate(monkeypatch)
    qtbot.keyClicks(screen.password, OFFICER[1])
    qtbot.keyClick(screen.password, Qt.Key_Return)
    assert gate.entered.wait(5)
    ticker = Ticker(lambda: screen.checking)
    qtbot.keyClick(screen.password, Qt.Key_Return)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: ticker.ticks >= 5)
    assert screen.locked and not screen.unlock_button.isEnabled()
    assert screen.unlock_button.text() == screen.tr("Checking the password…")
    assert screen.password.isReadOnly() and QApplication.focusWidget() is screen.password
    with qtbot.waitSignal(screen.unlocked):
        gate.open.set()
    assert gate.calls == 1
    assert not screen.locked and window.centralWidget().isEnabled()
    assert not screen.checking and screen.unlock_button.isEnabled()
    assert window.registration.form.findChild(QLineEdit, "full_name").text() == "Budi Santoso"
