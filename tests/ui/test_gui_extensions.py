"""The print page plugged into the main window: reprint from a person's detail, print after save."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bpjs_field.domain.registration import PersonInput, RegistrationInput
from ui.app import plug_in_extra_pages


def register(store, name, nik):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik), consent_given=True,
        consent_version="2026-01", declared_income=1_000_000, occupation="pedagang"))


def test_reprint_from_person_detail_opens_the_receipt(qtbot, store, officer, make_window):
    siti = register(store, "Siti Aminah", "3216094508900001")
    window = make_window(threaded=True)
    plug_in_extra_pages(window, window.ctx, window.executor)
    assert "print" in window.pages
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.person is not None and page.detail.reprint_button.isEnabled())
    qtbot.keyClick(page.table, Qt.Key_R, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page() == "print", timeout=5000)
    printing = window.page("print")
    qtbot.waitUntil(lambda: printing.job is not None, timeout=10000)
    assert printing.registration_id == siti.registration["id"]
    assert printing.doc.pageCount() == 1


def test_print_after_save_follows_the_setting(qtbot, store, officer, make_window, monkeypatch):
    import ui.printing as printing
    started = []
    monkeypatch.setattr(printing, "print_receipt_after_save",
                        lambda executor, registration_id, parent: started.append(registration_id))
    window = make_window()
    plug_in_extra_pages(window, window.ctx, window.executor)
    registration = window.page("registration")
    first = register(store, "Budi Santoso", "3216091205900001")
    registration.registration_saved.emit(first)
    assert started == []
    store.set_setting("print_after_save", True)
    second = register(store, "Ujang Supriatna", "3216091205880004")
    registration.registration_saved.emit(second)
    assert started == [second.registration["id"]]


def test_sync_page_and_status_are_plugged_in(qtbot, store, officer, make_window):
    from PySide6.QtWidgets import QWidget
    from ui import extensions
    window = make_window(threaded=True)
    plug_in_extra_pages(window, window.ctx, window.executor)
    try:
        qtbot.waitUntil(lambda: window.findChild(QWidget, "syncStatus") is not None, timeout=5000)
        status = window.findChild(QWidget, "syncStatus")
        assert status.isVisible()
        window.show_page("sync")
        page = window.page("sync")
        assert page is not None and page.isVisible()
        controller = window.executor._sync_controller
        qtbot.waitUntil(lambda: controller.state.pending == store.pending_changes(), timeout=5000)
        assert not controller.state.enrolled
    finally:
        extensions.shutdown(window.executor)
