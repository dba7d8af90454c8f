"""The workstation at a crowded door, as an officer meets it: the scanner at the
lock screen, the focus after unlocking, who is named on a receipt after setup,
the training database, and the idle lock while scans keep coming."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit

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
        st = app_module.Workstation(session.unlock(path, *account))
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


# -- first start: who is named, and demo data only in the training database ----------------
def first_start(qtbot, path, *, use: str, number="KC-0777", name="Wulan Pratiwi"):
    """The first-start dialog typed as a new officer would, then the workstation."""
    from ui.security.login import ProtectedSetupDialog
    dialog = ProtectedSetupDialog(path, ["Kantor Cabang Bekasi Cikarang", "Kantor Cabang Cilegon"], "id")
    qtbot.addWidget(dialog)
    dialog.use.setCurrentIndex(dialog.use.findData(use))
    dialog.branch.setCurrentIndex(1)
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.employee_no, number)
    qtbot.keyClicks(dialog.password, "sandi-baru-123")
    qtbot.keyClicks(dialog.confirm, "sandi-baru-123")
    qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    return dialog


@pytest.fixture
def new_laptop(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(app_module, "DEMO_PARTICIPANTS", 150)
    monkeypatch.setattr(app_module, "MainWindow", lambda ctx, ex: MainWindow(
        ctx, ex, settings=QSettings(str(tmp_path / "q.ini"), QSettings.IniFormat)))
    made = []

    def start(store):
        st = app_module.Workstation(store)
        st.fill_training_if_empty()
        assert st.start()
        qtbot.addWidget(st.window)
        made.append(st)
        return st

    yield start
    for st in made:
        st.close(final_backup=False)
        st.translations.install("en")
    Translations().install("en")


def register_and_receipt(st, nik="3216094508950002"):
    from bpjs_field.printing import documents
    from tests.printing.conftest import pdf_text

    def work(store):
        event = store.events.active()
        if event is None:
            event = store.events.create({"kind": "senam_bersama", "title": "Senam Pagi",
                                         "starts_at": "2026-12-05T07:00:00+07:00",
                                         "venue": "Alun-alun", "district_code": "367201"})
            store.events.set_active(event["id"])
        result = store.registrations.register(RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Euis Suryani", nik=nik,
                                              phone="0813-1111-2222"),
            consent_given=True, consent_version="2026-01", declared_income=1_000_000,
            occupation="pedagang", months_paid=1, event_id=event["id"]))
        officer = store.officers.get(result.registration["officer_id"])
        job = documents.receipt_job(store, result.registration["id"], "a5")
        return officer, pdf_text(job.pdf)

    return st.executor.call(work)


def test_a_real_setup_starts_empty_and_names_whoever_logged_in(qtbot, new_laptop, tmp_path):
    path = tmp_path / "bpjs_field.sqlite3"
    dialog = first_start(qtbot, path, use="real")
    assert not dialog.training and path.exists()
    st = new_laptop(dialog.store)
    assert st.executor.call(lambda s: s.people.count()) == 0  # no sample participants
    assert not st.ctx.training and "LATIHAN" not in st.window.windowTitle()
    assert "Wulan Pratiwi" in st.window.home.findChild(QLabel, "greeting").text()
    officer, text = register_and_receipt(st)
    assert officer["employee_no"] == "KC-0777"
    assert "Wulan Pratiwi" in text and "LATIHAN" not in text


def test_training_is_a_separate_database_marked_everywhere(qtbot, new_laptop, tmp_path):
    from bpjs_field.demo import training_path
    path = tmp_path / "bpjs_field.sqlite3"
    dialog = first_start(qtbot, path, use="training")
    assert dialog.training and not path.exists() and training_path(path).exists()
    st = new_laptop(dialog.store)
    assert st.executor.call(lambda s: s.people.count()) == 150
    assert st.db_path == training_path(path)
    window = st.window
    assert window.windowTitle().startswith("LATIHAN")
    banner = window.findChild(QLabel, "trainingBanner")
    assert banner is not None and "LATIHAN" in banner.text()
    # The officer at work is the one who set up, not the first sample officer.
    assert "Wulan Pratiwi" in window.home.findChild(QLabel, "greeting").text()
    # Nothing on the home page suggests the sample data wait to be sent.
    qtbot.waitUntil(lambda: window.home.pending.text() != "")
    assert window.home.pending.text() == ("Basis data latihan: tidak ada yang dikirim ke server "
                                          "kantor cabang.")
    officer, text = register_and_receipt(st)
    assert officer["full_name"] == "Wulan Pratiwi"
    assert "Wulan Pratiwi" in text and "Siti Rahmawati" not in text
    assert "LATIHAN" in text
    # Sample data never go to the branch server: no sync controller, a notice instead.
    window.show_page("sync")
    qtbot.wait(300)
    assert window.page("sync").objectName() == "trainingNoSync"
    assert getattr(st.executor, "_sync_controller", None) is None
    # The home page's pre-registration line asked its question of the training database:
    # no database was made at the real one's place (the next start could not open it).
    counts = window.home.prereg_counts
    counts.refresh()
    qtbot.waitUntil(lambda: not counts._busy)
    assert counts.db_path == training_path(path)
    assert not path.exists() and not path.with_name(path.name + "-wal").exists()


def test_a_wrong_first_start_puts_the_keyboard_on_the_field_in_error(qtbot, tmp_path, monkeypatch):
    from ui.security.login import ProtectedSetupDialog
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    dialog = ProtectedSetupDialog(tmp_path / "x.sqlite3", ["Kantor Cabang Cilegon"], "id")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert not dialog.branch.isEditable()  # picked from the list, a typo cannot make a branch
    for label in dialog.findChildren(QLabel):  # no wrapped text cut off by a fixed height
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    qtbot.keyClicks(dialog.employee_no, "KC-0001")
    qtbot.keyClicks(dialog.password, "sandi-baru-123")
    qtbot.keyClicks(dialog.confirm, "sandi-baru-123")
    qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    assert dialog.result() != QDialog.Accepted
    assert dialog.boxes["full_name"].error_text
    assert QApplication.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, "Dewi Lestari")  # fixing it takes the error away
    assert dialog.boxes["full_name"].error_text == ""
    dialog.password.clear()
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.password, "pendek")
    qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    assert dialog.boxes["password"].error_text
    assert QApplication.focusWidget() is dialog.password


def test_the_idle_lock_minutes_are_a_setting_applied_at_once(station, laptop, qtbot):
    path, _code = laptop
    st = station(path)
    st.window.show_page("settings")
    box = st.window.settings_page.idle_lock
    qtbot.waitUntil(lambda: box.minutes.value() == 5)  # the default
    box.minutes.setValue(2)
    with qtbot.waitSignal(box.minutes_changed):
        box.minutes.editingFinished.emit()
    assert st.idle_lock.minutes == 2
    assert st.executor.call(lambda s: s.get_setting("idle_lock_minutes")) == 2
    assert st.idle_lock.check(now=st.idle_lock.last_input + 2 * 60 + 1)
    assert st.window.lock_screen.locked


def test_a_fast_typed_password_is_still_a_password(station, laptop, qtbot):
    """A password manager types as fast as a scanner; what it types is no code."""
    path, _code = laptop
    st = station(path)
    screen = st.window.lock_screen
    screen.lock()
    qtbot.keyClicks(screen.password, OFFICER[1])  # all at once
    with qtbot.waitSignal(screen.unlocked, timeout=10000):
        qtbot.keyClick(screen.password, Qt.Key_Return)
    screen.lock()
    scan(qtbot, screen.password, "3216091205900001")  # a NIK from a scanner is no password
    assert not screen.checking and "Layar terkunci" in screen.message.text()


def test_the_first_start_asks_for_the_password_the_policy_accepts(qtbot, tmp_path, monkeypatch):
    """The note above the password states the policy's own length (it said 8 after the
    policy asked 12), and a password of that length that is not common is taken."""
    from bpjs_field.security.passwords import MIN_LENGTH, password_problem
    from ui.security.login import ProtectedSetupDialog
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    dialog = ProtectedSetupDialog(tmp_path / "x.sqlite3", ["Kantor Cabang Cilegon"], "en")
    qtbot.addWidget(dialog)
    notes = [label.text() for label in dialog.findChildren(QLabel) if "password of at least" in label.text()]
    assert notes and f"at least {MIN_LENGTH} characters" in notes[0]
    assert password_problem("x" * (MIN_LENGTH - 1)) is not None
    assert password_problem("senam-pagi-karangasih") is None
