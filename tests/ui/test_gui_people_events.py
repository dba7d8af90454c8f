"""People page (search as you type, masked NIK shown on request with an audit
entry, detail, editing with validation) and the events page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.messages import render
from gui_helpers import type_text

NIK = "3216094512880001"


def register(store, name, nik):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik, phone="081234567890"),
        consent_given=True, consent_version="2026-01", declared_income=1_000_000))


def test_search_as_you_type_and_detail(qtbot, store, officer, make_window):
    siti = register(store, "Siti Aminah", NIK)
    register(store, "Bambang Wibowo", "3216091203850002")
    window = make_window()
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 2)
    with qtbot.waitSignal(page.search_finished, timeout=3000) as blocker:
        type_text(qtbot, page.search, "sit")
    assert blocker.args == [1]
    assert page.table.model() is page.results
    row = page.results.row_at(0)
    assert row["full_name"] == "Siti Aminah"
    ident = page.results.data(page.results.index(0, 1))
    assert ident == mask_nik(NIK) == "321609******0001"
    # by registration code too
    page.search.clear()
    with qtbot.waitSignal(page.search_finished, timeout=3000):
        type_text(qtbot, page.search, siti.registration["code"])
    assert page.results.row_at(0)["id"] == siti.person["id"]

    page.table.selectRow(0)
    assert page.detail.person["id"] == siti.person["id"]
    assert "Siti Aminah" == page.detail.name.text()
    assert page.detail.ident.text() == mask_nik(NIK)
    assert siti.registration["code"][:4] in page.detail.body.toPlainText()
    assert "0812-****-7890" in page.detail.body.toPlainText()  # phone masked until the reveal
    page.detail.reveal_button.click()
    assert page.detail.ident.text() == NIK
    assert "0812-3456-7890" in page.detail.body.toPlainText()  # shown with the audited reveal
    actions = [h["action"] for h in store.people.history(siti.person["id"])]
    assert "person.reveal_nik" in actions
    # clearing the search returns to the full list
    page.search.clear()
    qtbot.waitUntil(lambda: page.table.model() is page.people)


def test_stale_search_results_are_discarded(qtbot, store, officer, make_window):
    register(store, "Siti Aminah", NIK)
    window = make_window(threaded=True)
    window.show_page("people")
    page = window.people
    shown = []
    page.search_finished.connect(shown.append)
    type_text(qtbot, page.search, "bambang")
    page.search.setText("siti")
    qtbot.waitUntil(lambda: page.table.model() is page.results and page.results.rowCount() == 1,
                    timeout=3000)
    assert page.results.row_at(0)["full_name"] == "Siti Aminah"
    assert shown[-1] == 1


def test_edit_person_validates_and_audits(qtbot, store, officer, make_window):
    siti = register(store, "Siti Aminah", NIK)
    window = make_window()
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.person is not None)
    page.detail.edit_button.click()
    dialog = page.edit_dialog
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    phone = dialog.widgets["phone"]
    phone.clear()
    type_text(qtbot, phone, "12345")
    dialog.save_button.click()
    assert dialog.boxes["phone"].error_text == render("phone.invalid", "id")
    assert store.people.get(siti.person["id"])["phone"] == "+6281234567890"
    phone.clear()
    type_text(qtbot, phone, "0857-1111-2222")
    qtbot.keyClick(phone, Qt.Key_S, Qt.ControlModifier)
    assert store.people.get(siti.person["id"])["phone"] == "+6285711112222"
    history = store.people.history(siti.person["id"])
    assert history[-1]["action"] == "person.edit" and "phone" in history[-1]["details"]
    assert "0857-1111-2222" not in history[-1]["details"]  # no personal data in the audit


def test_create_event_and_make_it_active(qtbot, store, officer, make_window):
    window = make_window()
    window.show_page("events")
    page = window.events
    page.new_button.click()
    type_text(qtbot, page.title, "Senam Sehat Karangasih")
    type_text(qtbot, page.venue, "Lapangan Desa Karangasih")
    page.district.setCurrentIndex(page.district.findData("321609"))
    page.targets["bpu"].setValue(150)
    page.targets["attendance"].setValue(300)
    qtbot.keyClick(page.title, Qt.Key_S, Qt.ControlModifier)
    (event,) = store.events.list()
    assert event["title"] == "Senam Sehat Karangasih" and event["district_code"] == "321609"
    assert '"bpu":150' in event["targets"]
    page.activate_button.click()
    assert store.events.active()["id"] == event["id"]
    assert window.ctx.active_event["id"] == event["id"]
    assert event["title"] in window.event_label.text()
    # a missing venue is reported next to the field
    page.new_button.click()
    type_text(qtbot, page.title, "Tanpa tempat")
    page.save()
    assert page.boxes["venue"].error_text == render("required", "id")


def test_an_event_is_typed_with_the_keyboard_alone_through_its_date_fields(qtbot, store, officer,
                                                                          make_window):
    """Enter and Tab leave a date-and-time field as any other (Qt's own moved through its
    five sections first); typing a section whole moves to the next."""
    window = make_window()
    window.show_page("events")
    page = window.events
    qtbot.keyClick(page, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(page.title.hasFocus)
    type_text(qtbot, page.title, "Sosialisasi Karang Taruna")
    qtbot.keyClick(page.title, Qt.Key_Return)
    assert page.starts.hasFocus()
    qtbot.keyClick(page.starts, Qt.Key_Tab)  # its day left as it is
    assert page.ends.hasFocus()  # one key, not five
    qtbot.keyClick(page.ends, Qt.Key_Tab, Qt.ShiftModifier)
    assert page.starts.hasFocus()  # and back
    qtbot.keyClicks(page.starts, "150120270830")
    qtbot.keyClick(page.starts, Qt.Key_Return)
    assert page.ends.hasFocus()
    qtbot.keyClick(page.ends, Qt.Key_Return)
    assert page.venue.hasFocus()
    qtbot.keyClick(page.venue, Qt.Key_Tab, Qt.ShiftModifier)
    assert page.ends.hasFocus()
    qtbot.keyClicks(page.ends, "150120271130")
    type_text(qtbot, page.venue, "Balai Desa Karangasih")
    qtbot.keyClick(page.venue, Qt.Key_S, Qt.ControlModifier)
    (event,) = store.events.list()
    assert (event["title"], event["venue"]) == ("Sosialisasi Karang Taruna", "Balai Desa Karangasih")
    assert event["starts_at"].startswith("2027-01-15T08:30") and event["ends_at"].startswith("2027-01-15T11:30")


def test_the_event_just_saved_becomes_the_active_one_with_ctrl_j(qtbot, store, officer, make_window):
    window = make_window()
    window.show_page("events")
    page = window.events
    qtbot.keyClick(page, Qt.Key_N, Qt.ControlModifier)
    type_text(qtbot, page.title, "Senam Pagi Karangasih")
    type_text(qtbot, page.venue, "Lapangan Desa Karangasih")
    qtbot.keyClick(page.venue, Qt.Key_S, Qt.ControlModifier)
    (event,) = store.events.list()
    assert store.events.active() is None
    qtbot.keyClick(page.venue, Qt.Key_J, Qt.ControlModifier)
    qtbot.waitUntil(lambda: (store.events.active() or {}).get("id") == event["id"])
    assert window.ctx.active_event["id"] == event["id"]
    assert page.activate_button.text() == "Make this the active event (Ctrl+J)"


def test_home_page_counts_today_against_targets(qtbot, store, officer, active_event, make_window):
    result = store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Siti Aminah", nik=NIK), consent_given=True,
        consent_version="2026-01", declared_income=1_000_000, event_id=active_event["id"]),
        check_in=True)
    assert result.checked_in
    window = make_window()
    home = window.home
    assert home.count_labels["bpu"].text() == "1 / 150"
    assert home.count_labels["attendance"].text() == "1 / 300"
    assert str(store.pending_changes()) in home.pending.text()
