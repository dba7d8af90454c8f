"""At the desk (pytest-qt, real widgets): the phone's QR, decoded from its image and typed by
the keyboard-wedge scanner into the check-in page, opens the registration form filled in;
the officer ticks consent and saves; the same QR again, an altered one and another event's
are refused with a clear message; nothing is stored before the save."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt

from bpjs_field.domain.consent import privacy_notice
from bpjs_field.domain.formatting import today_wib
from bpjs_field.selfreg.desk import CONFIRMED
from bpjs_field.selfreg.sealed import EventKeys, event_keys
from gui_helpers import type_text

NIK = "3216094108880001"


def phone_qr(keys: EventKeys, **fields) -> str:
    """What the page seals (same shape as page.js `collect`), through a QR image and back,
    as the scanner reads it."""
    import qrcode
    import zxingcpp
    values = {"nik": NIK, "full_name": "Siti Aminah", "phone": "0812-3456-7890",
              "declared_income": 2000000, "with_jht": True, "months_paid": 3,
              "birth_date": "1988-08-01", "address": "Jl. Melati No. 5 RT 02/RW 03",
              "district_code": "321609", "occupation": "pedagang"} | fields
    text = keys.seal({"v": 1, "t": keys.ticket(today_wib()), "n": privacy_notice().version,
                      "f": values})
    image = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_L)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    from PIL import Image
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))[0].text


def scan(qtbot, page, text):
    page.input.setFocus()
    type_text(qtbot, page.input, text)
    qtbot.keyClick(page.input, Qt.Key_Return)


def test_scanned_prereg_opens_the_form_filled_in_and_saves_once(
        qtbot, store, officer, active_event, make_window):
    keys = event_keys(store, create=True)
    text = phone_qr(keys)
    window = make_window()
    window.show_page("checkin")
    page = window.checkin
    people_before = store.scalar("SELECT count(*) FROM people")
    scan(qtbot, page, text)
    reg = window.registration
    qtbot.waitUntil(lambda: reg.isVisible())
    form = reg.form
    assert form.widgets["nik"].text() == NIK
    assert form.widgets["full_name"].text() == "Siti Aminah"
    assert form.widgets["birth_date"].text() == "01-08-1988"
    assert form._get("declared_income") == 2000000 and form._get("months_paid") == 3
    assert form._get("with_jht") is True and form._get("occupation") == "pedagang"
    assert form._get("district_code") == "321609"
    assert reg._prereg_note.isVisible() and privacy_notice().version in reg._prereg_note.text()
    assert store.scalar("SELECT count(*) FROM people") == people_before  # nothing stored yet
    assert not reg.save_button.isEnabled()  # consent is the officer's to tick
    form.consent.setChecked(True)
    qtbot.waitUntil(lambda: reg.save_button.isEnabled())
    qtbot.mouseClick(reg.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: store.scalar("SELECT count(*) FROM people WHERE nik = ?", (NIK,)) == 1)
    row = store.query("SELECT r.months_paid, r.declared_income, r.consent_version FROM registrations r "
                      "JOIN people p ON p.id = r.person_id WHERE p.nik = ?", (NIK,))[0]
    assert (row["months_paid"], row["declared_income"]) == (3, 2000000)
    assert row["consent_version"] == privacy_notice().version
    assert len(store.get_setting(CONFIRMED)["ids"]) == 1

    # The same QR again: refused, in words, and nothing more is stored.
    window.show_page("checkin")
    scan(qtbot, page, text)
    qtbot.waitUntil(lambda: page.status == "prereg_refused")
    assert "sudah dipakai" in page.answer.text()
    assert store.scalar("SELECT count(*) FROM registrations") == 1


def test_altered_foreign_and_invalid_qrs_are_refused_or_flagged(
        qtbot, store, officer, active_event, make_window):
    keys = event_keys(store, create=True)
    window = make_window()
    window.show_page("checkin")
    page = window.checkin
    text = phone_qr(keys)
    altered = text[:-12] + ("A" if text[-12] != "A" else "B") + text[-11:]
    scan(qtbot, page, altered)
    qtbot.waitUntil(lambda: page.status == "prereg_refused")
    assert "ditolak" in page.answer.text()
    page.status = ""
    scan(qtbot, page, phone_qr(EventKeys.new()))
    qtbot.waitUntil(lambda: page.status == "prereg_refused")
    assert "acara lain" in page.answer.text()
    # A QR whose fields break the app's rules (sent by a page that was not ours) opens with
    # each bad field marked, and cannot be saved until fixed.
    scan(qtbot, page, phone_qr(keys, phone="12", nik="3216093213880001"))
    reg = window.registration
    qtbot.waitUntil(lambda: reg.isVisible())
    reg.form.consent.setChecked(True)
    assert not reg.save_button.isEnabled()
    assert reg.form.boxes["nik"].error_text and reg.form.boxes["phone"].error_text


def test_a_phone_that_showed_another_notice_is_pointed_out(qtbot, store, officer, active_event,
                                                          make_window, translations):
    keys = event_keys(store, create=True)
    text = keys.seal({"v": 1, "t": keys.ticket(today_wib()), "n": "2019-01",
                      "f": {"nik": NIK, "full_name": "Siti Aminah", "phone": "081234567890",
                            "declared_income": 2000000, "months_paid": 1}})
    window = make_window()
    window.show_page("checkin")
    scan(qtbot, window.checkin, text)
    reg = window.registration
    qtbot.waitUntil(lambda: reg.isVisible())
    note = reg._prereg_note.text()
    assert "2019-01" in note and privacy_notice().version in note
    assert note.startswith("Pra-pendaftaran ")  # the officer's language


def test_a_form_being_typed_is_not_overwritten_by_a_scan(qtbot, store, officer, active_event,
                                                         make_window, translations):
    keys = event_keys(store, create=True)
    window = make_window()
    window.show_page("registration")
    reg = window.registration
    type_text(qtbot, reg.form.widgets["full_name"], "Budi Santoso")
    window.show_page("checkin")
    scan(qtbot, window.checkin, phone_qr(keys))
    qtbot.waitUntil(lambda: reg.isVisible())
    assert reg.form.widgets["full_name"].text() == "Budi Santoso"  # nothing typed is lost
    assert reg.form.widgets["nik"].text() == ""
    assert "Kosongkan formulir" in reg._prereg_note.text()
    reg.clear_form()
    window.show_page("checkin")
    scan(qtbot, window.checkin, phone_qr(keys))
    qtbot.waitUntil(lambda: reg.form.widgets["nik"].text() == NIK)
