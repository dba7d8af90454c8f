"""Check-in page: a scanned code (typed + Enter), already checked in, unknown
code, undo, the search fallback and registering someone at the door."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from gui_helpers import type_text

NIK = "3216094512880001"


def register(store, name="Siti Aminah", nik=NIK):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik), consent_given=True,
        consent_version="2026-01", declared_income=1_000_000))


def scan(qtbot, page, text):
    type_text(qtbot, page.input, text)
    qtbot.keyClick(page.input, Qt.Key_Return)


def open_checkin(make_window):
    window = make_window()
    window.show_page("checkin")
    return window, window.checkin


def test_scanned_code_checks_in_then_says_already(qtbot, store, officer, active_event, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, format_code(result.registration["code"]))
    assert page.status == "checked_in"
    assert "Siti Aminah" in page.answer.text()
    assert store.attendance.count(active_event["id"]) == 1
    assert page.input.text() == ""  # ready for the next scan
    assert page.count_label.text().startswith("Hadir: 1") or "1" in page.count_label.text()

    scan(qtbot, page, result.registration["code"].lower())  # scanners may send lower case
    assert page.status == "already"
    attendance = store.attendance.get(active_event["id"], result.person["id"])
    assert attendance is not None
    assert "WIB" in page.answer.text()
    assert store.attendance.count(active_event["id"]) == 1


def test_unknown_code(qtbot, store, officer, active_event, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    code = result.registration["code"]
    # a well-formed code that does not exist: same tag, another running number
    from bpjs_field.domain.codes import make_code
    unknown = make_code(code[:4], 999)
    scan(qtbot, page, unknown)
    assert page.status == "unknown"
    assert store.attendance.count(active_event["id"]) == 0


def test_undo_last_check_in(qtbot, store, officer, active_event, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, result.registration["code"])
    assert store.attendance.count(active_event["id"]) == 1
    qtbot.keyClick(page.input, Qt.Key_Z, Qt.ControlModifier)
    assert store.attendance.count(active_event["id"]) == 0
    assert page.status == "undone"
    assert not page.undo_button.isEnabled()


def test_search_by_name_then_enter_checks_in(qtbot, store, officer, active_event, make_window):
    register(store, "Bambang Wibowo", "3216091203850002")
    register(store, "Siti Aminah")
    window, page = open_checkin(make_window)
    scan(qtbot, page, "bambang")
    assert page.status == "search"
    assert page.results.rowCount() == 1
    qtbot.keyClick(page.input, Qt.Key_Return)  # empty input + Enter takes the chosen row
    assert page.status == "checked_in"
    assert "Bambang Wibowo" in page.answer.text()


def test_unregistered_person_goes_to_registration_and_comes_back_checked_in(
        qtbot, store, officer, active_event, make_window):
    window, page = open_checkin(make_window)
    scan(qtbot, page, NIK)
    assert page.status == "not_found"
    qtbot.keyClick(page.input, Qt.Key_F2)
    assert window.current_page() == "registration"
    reg = window.registration
    assert reg.form.widgets["nik"].text() == NIK
    assert reg.check_in_box.isChecked()
    type_text(qtbot, reg.form.widgets["full_name"], "Siti Aminah")
    reg.form.consent.setChecked(True)
    qtbot.keyClick(reg.form.widgets["full_name"], Qt.Key_S, Qt.ControlModifier)
    assert window.current_page() == "checkin"
    assert page.status == "checked_in"
    person = store.people.by_nik(NIK)
    assert store.attendance.get(active_event["id"], person["id"]) is not None


def test_without_active_event_the_officer_is_told(qtbot, store, officer, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, result.registration["code"])
    assert page.status == "no_event"
