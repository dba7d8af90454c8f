"""The rights of the person in the GUI: a supervisor erases personal data or records withdrawn
consent from the person's detail; an officer does not see those actions."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from bpjs_field.domain.registration import PersonInput, RegistrationInput
from ui.security.lock import apply_role

NIK = "3216094508900001"


def register(store):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Siti Aminah", nik=NIK, phone="081234567890"),
        consent_given=True, consent_version="2026-01", declared_income=1_000_000))


def open_person(qtbot, window):
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.person is not None)
    return page


def test_supervisor_records_withdrawn_consent(qtbot, store, officer, make_window):
    result = register(store)
    window = make_window()
    page = open_person(qtbot, window)
    assert page.detail.withdraw_button.isVisible() and page.detail.erase_button.isEnabled()
    page.detail.withdraw_button.click()
    page.erase_box.button(QMessageBox.Yes).click()
    qtbot.waitUntil(lambda: store.people.get(result.person["id"])["erased_at"] is not None)
    person = store.people.get(result.person["id"])
    assert person["nik"] is None and person["phone"] is None and person["consent_withdrawn_at"]
    qtbot.waitUntil(lambda: bool(page.detail.person and page.detail.person.get("erased_at")))
    assert NIK[:6] not in page.detail.ident.text() and "Siti" not in page.detail.name.text()
    assert not page.detail.erase_button.isEnabled()  # nothing left to erase
    assert store.registrations.by_code(result.registration["code"]) is not None  # counts stay


def test_cancel_erases_nothing(qtbot, store, officer, make_window):
    result = register(store)
    window = make_window()
    page = open_person(qtbot, window)
    page.detail.erase_button.click()
    page.erase_box.button(QMessageBox.Cancel).click()
    assert store.people.get(result.person["id"])["nik"] == NIK


def test_officer_does_not_see_the_actions(qtbot, store, officer, make_window):
    register(store)
    window = make_window()
    apply_role(window, "officer")
    page = open_person(qtbot, window)
    assert not page.detail.erase_button.isVisible() and not page.detail.withdraw_button.isVisible()
    assert not page.detail.edit_button.isVisible()
