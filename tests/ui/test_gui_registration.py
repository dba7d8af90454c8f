"""Registration page: keyboard-only BPU registration, duplicate NIK, validation
messages next to fields, NIK facts, the contribution panel, draft restore."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bpjs_field.domain.contribution import bpu_contribution
from bpjs_field.domain.formatting import format_rupiah, today_wib
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.messages import render
from bpjs_field.store import Store
from gui_helpers import focused, type_and_enter, type_text

NIK = "3216094512880001"  # Cikarang Utara, woman born 5-12-1988


def open_registration(make_window, **kwargs):
    window = make_window(**kwargs)
    window.show_page("registration")
    window.activateWindow()
    qtbot_wait_focus(window.registration.form.widgets["nik"])
    return window, window.registration


def qtbot_wait_focus(widget) -> None:
    for _ in range(50):
        QApplication.processEvents()
        if focused() is widget:
            return
    widget.setFocus()


def test_bpu_registration_typed_with_keyboard_alone(qtbot, store, officer, active_event, make_window):
    window, page = open_registration(make_window)
    form = page.form
    qtbot.waitUntil(lambda: focused() is form.widgets["nik"])
    type_and_enter(qtbot, NIK, expect="nik")
    type_and_enter(qtbot, "Siti Aminah", expect="full_name")
    assert form.widgets["birth_date"].text() == "05-12-1988"  # filled from the NIK
    assert form.widgets["sex"].currentData() == "P"
    assert form.widgets["district_code"].currentData() == "321609"
    type_and_enter(qtbot, "", expect="birth_date")
    type_and_enter(qtbot, "", expect="sex")
    type_and_enter(qtbot, "Bekasi", expect="birth_place")
    type_and_enter(qtbot, "0812-3456-7890", expect="phone")
    type_and_enter(qtbot, "Kp. Pulo RT 003/005", expect="address")
    type_and_enter(qtbot, "", expect="email")
    type_and_enter(qtbot, "", expect="district_code")
    type_and_enter(qtbot, "", expect="village_code")
    type_and_enter(qtbot, "Pedagang", expect="occupation")  # typing picks the item
    assert form.widgets["occupation"].currentData() == "pedagang"
    assert form.widgets["sector"].currentData() == "perdagangan"
    type_and_enter(qtbot, "", expect="sector")
    qtbot.keyClick(focused(), Qt.Key_Down)  # Rp1.500.000
    type_and_enter(qtbot, "", expect="declared_income")
    type_and_enter(qtbot, "", expect="payer")
    qtbot.keyClick(focused(), Qt.Key_Up)
    qtbot.keyClick(focused(), Qt.Key_Up)  # 3 months
    type_and_enter(qtbot, "", expect="months_paid")
    assert focused().objectName() == "with_jht"
    qtbot.keyClick(focused(), Qt.Key_Space)
    type_and_enter(qtbot, "", expect="with_jht")
    assert focused().objectName() == "consent"
    assert not page.save_button.isEnabled()  # consent still missing
    qtbot.keyClick(focused(), Qt.Key_Space)
    assert page.save_button.isEnabled(), page.summary.text()
    qtbot.keyClick(focused(), Qt.Key_S, Qt.ControlModifier)

    person = store.people.by_nik(NIK)
    assert person is not None and person["full_name"] == "Siti Aminah"
    assert person["phone"] == "+6281234567890"
    (reg,) = store.registrations.for_person(person["id"])
    assert reg["segment"] == "bpu" and reg["declared_income"] == 1_500_000
    assert reg["months_paid"] == 3 and reg["occupation"] == "pedagang"
    assert "JHT" in json.loads(reg["programs"])
    assert reg["event_id"] == active_event["id"]
    # the form is empty again, the cursor in the first field, the code on screen
    assert form.widgets["nik"].text() == "" and form.widgets["full_name"].text() == ""
    assert not form.consent.isChecked()
    assert focused() is form.widgets["nik"]
    assert page.success.isVisible()
    assert reg["code"][:4] in page.success_text.text()
    assert store.load_draft("registration") is None


@pytest.mark.parametrize("segment", ["bpu", "pu", "tka", "asn"])
def test_tab_visits_every_field_of_the_segment_then_consent(qtbot, store, officer, active_event,
                                                            make_window, segment):
    """From the segment to the consent box, Tab reaches every field the segment shows (the
    employer's scale of a PU was skipped: the page went on from the risk class)."""
    window, page = open_registration(make_window)
    form = page.form
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData(segment))
    form.widgets["segment"].setFocus()
    qtbot.waitUntil(lambda: focused() is form.widgets["segment"])
    shown = {key for key, widget in form.widgets.items()
             if key != "consent" and widget.isVisibleTo(form) and widget.isEnabled()
             and widget.focusPolicy() & Qt.TabFocus}
    visited = []
    for _ in range(60):
        visited.append(focused().objectName())
        if focused() is form.consent:
            break
        qtbot.keyClick(focused(), Qt.Key_Tab)
    assert visited[-1] == "consent", visited
    assert shown <= set(visited), sorted(shown - set(visited))


def test_the_employer_scale_is_picked_by_its_first_letter(qtbot, store, officer, make_window):
    """The scales' names begin with their own letters ("Usaha …" four times made typing
    useless: the officer had to open the list)."""
    window, page = open_registration(make_window)
    combo = page.form.widgets["employer_scale"]
    page.form.widgets["segment"].setCurrentIndex(page.form.widgets["segment"].findData("pu"))
    for letters, scale in (("b", "besar"), ("k", "kecil"), ("mi", "mikro"), ("me", "menengah")):
        combo.setFocus()
        qtbot.wait(600)  # past the keyboard search's pause: a new search
        qtbot.keyClicks(combo, letters)
        assert combo.currentData() == scale, (letters, combo.currentText())


@pytest.fixture
def laptop_look(qapp):
    """The app's style and font as a 96 dpi laptop screen shows them (12 pt: 16 px)."""
    from PySide6.QtGui import QFont

    from ui.style import apply_style
    font, sheet = qapp.font(), qapp.styleSheet()
    apply_style(qapp)
    screen_font = QFont(qapp.font())
    screen_font.setPixelSize(16)
    qapp.setFont(screen_font)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_form_fits_its_column_at_1280x720(qtbot, laptop_look, translations, store, officer,
                                              active_event, make_window, lang):
    """In the app's style and font (12 pt: 16 px on a 96 dpi laptop screen), no line of the
    form asks for more than its column at 1280x720: a wider form scrolled sideways when a
    field took focus, its left edge cut off."""
    if lang == "en":
        translations.install("en")
    window, page = open_registration(make_window, lang=lang)
    window.resize(1280, 650)
    scroll = page.form.parentWidget().parentWidget()
    for segment in ("bpu", "pu", "tka", "asn"):
        page.form.widgets["segment"].setCurrentIndex(page.form.widgets["segment"].findData(segment))
        qtbot.wait(50)
        assert page.form.minimumSizeHint().width() <= scroll.viewport().width(), segment


@pytest.mark.parametrize("field", ["full_name", "birth_place", "wage"])
def test_clearing_leaves_no_field_marked_wrong(qtbot, store, officer, make_window, field):
    """Cleared while the cursor is in a field (F6's check-in, a shortcut): the emptied field
    is not marked "required" when the cursor then goes back to the first field."""
    window, page = open_registration(make_window)
    form = page.form
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData("pu"))
    widget = form.widgets[field]
    widget.setFocus()
    qtbot.waitUntil(lambda: focused() is widget)
    qtbot.keyClicks(widget, "3000000" if field == "wage" else "Siti")
    page.clear_form()  # as the check-in of F6 does, the cursor still in the field
    qtbot.waitUntil(lambda: focused() is form.widgets["nik"])
    qtbot.wait(50)
    marked = {key: box.error_text for key, box in form.boxes.items() if box.error_text}
    assert marked == {}, marked
    qtbot.keyClick(form.widgets["nik"], Qt.Key_Tab)  # the officer leaving it blank is told
    qtbot.waitUntil(lambda: bool(form.boxes["nik"].error_text))


def test_a_wage_earner_saved_with_a_warning_fits_1280x720(qtbot, laptop_look, translations,
                                                          store, officer, active_event,
                                                          make_window):
    """A PU's programmes with their reasons, then the saved banner with the UMK warning, in
    the app's style and font: the page itself does not scroll (its side column does), and
    Save and the banner are on screen."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QScrollArea

    window, page = open_registration(make_window)
    window.resize(1280, 650)
    holder = window.stack.currentWidget()
    form = page.form
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData("pu"))
    type_text(qtbot, form.widgets["nik"], "3216091205900001")
    type_text(qtbot, form.widgets["full_name"], "Ujang Supriatna")
    form.widgets["employer_name"].setText("PT Sinar Logam Cikarang")
    form.widgets["employer_scale"].setCurrentIndex(form.widgets["employer_scale"].findData("besar"))
    form.consent.setChecked(True)
    form.widgets["wage"].setFocus()
    type_text(qtbot, form.widgets["wage"], "3.000.000")

    side = page.findChild(QScrollArea, "sideScroll")

    def on_screen(widget) -> bool:
        """Whole inside the page's view, and inside the side column's when in it."""
        views = [holder.viewport()] + ([side.viewport()] if side.isAncestorOf(widget) else [])
        return all(view.rect().contains(QRect(widget.mapTo(view, QPoint(0, 0)), widget.size()))
                   for view in views)

    for moment in ("typed", "saved"):
        qtbot.wait(50)
        assert holder.verticalScrollBar().maximum() == 0, moment  # the page fits
        assert on_screen(page.save_button), moment
        if moment == "typed":
            qtbot.keyClick(form.widgets["wage"], Qt.Key_S, Qt.ControlModifier)
            qtbot.waitUntil(page.success.isVisible)
    assert on_screen(page.success) and "UMK 2026" in page.success_text.text()


def test_nik_already_in_database_shows_that_person(qtbot, store, officer, active_event, make_window):
    first = store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Siti Aminah", nik=NIK),
        consent_given=True, consent_version="2026-01", declared_income=1_000_000))
    window, page = open_registration(make_window)
    type_text(qtbot, page.form.widgets["nik"], NIK)
    assert page.banner.isVisible()
    assert "Siti Aminah" in page.banner_text.text()
    assert page.dup_check_in.isVisible()

    page.dup_register.click()  # a new registration for the same person
    assert page.form.widgets["full_name"].text() == "Siti Aminah"
    assert page.form.widgets["full_name"].isReadOnly()
    page.form.widgets["segment"].setCurrentIndex(page.form.widgets["segment"].findData("pu"))
    page.form.widgets["employer_name"].setText("PT Sinar Logam Cikarang")
    type_text(qtbot, page.form.widgets["wage"], "5938885")
    page.form.consent.setChecked(True)
    assert not page.save_button.isEnabled()  # the employer's scale decides the programmes
    assert "skala usaha" in page.contribution.note.text().lower() or "scale" in page.contribution.note.text()
    scale = page.form.widgets["employer_scale"]
    scale.setCurrentIndex(scale.findData("kecil"))
    assert page.save_button.isEnabled(), page.summary.text()
    page.save()
    regs = store.registrations.for_person(first.person["id"])
    assert [r["segment"] for r in regs] == ["bpu", "pu"]
    assert regs[1]["employer_scale"] == "kecil" and "JP" not in json.loads(regs[1]["programs"])
    assert store.people.count() == 1  # no second person

    type_text(qtbot, page.form.widgets["nik"], NIK)  # the check-in offer
    assert page.banner.isVisible()
    page.dup_check_in.click()
    assert store.attendance.get(active_event["id"], first.person["id"]) is not None


def test_invalid_fields_say_what_is_wrong_next_to_the_field(qtbot, store, officer, make_window):
    window, page = open_registration(make_window)
    form = page.form
    type_and_enter(qtbot, "32160945128", expect="nik")
    assert form.boxes["nik"].error_text == render("nik.length", "id", length=11)
    type_and_enter(qtbot, "", expect="full_name")
    type_and_enter(qtbot, "", expect="birth_date")
    form.widgets["phone"].setFocus()
    type_and_enter(qtbot, "12345", expect="phone")
    assert form.boxes["phone"].error_text == render("phone.invalid", "id")
    assert not page.save_button.isEnabled()
    assert "NIK" in page.summary.text()
    # fixing the NIK clears its message
    form.widgets["nik"].setFocus()
    form.widgets["nik"].clear()
    type_text(qtbot, form.widgets["nik"], NIK)
    assert form.boxes["nik"].error_text == ""
    # a foreign worker with an expired stay permit
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData("tka"))
    assert form.boxes["passport_no"].isVisible() and not form.boxes["nik"].isVisible()
    form.widgets["kitas_expiry"].setFocus()
    type_and_enter(qtbot, "01-01-2020", expect="kitas_expiry")
    assert form.boxes["kitas_expiry"].error_text == render("kitas.expired", "id", date="2020-01-01")


def test_typed_birth_date_differing_from_nik_is_a_warning_not_a_block(qtbot, store, officer,
                                                                       make_window):
    window, page = open_registration(make_window)
    form = page.form
    type_text(qtbot, form.widgets["nik"], NIK)
    assert "Cikarang Utara" in form.nik_info.text()
    type_text(qtbot, form.widgets["full_name"], "Siti Aminah")
    form.widgets["birth_date"].selectAll()
    type_text(qtbot, form.widgets["birth_date"], "06-12-1988")
    form.consent.setChecked(True)
    assert form.boxes["birth_date"].error_text == render("nik.birth_mismatch", "id",
                                                         nik_date="1988-12-05")
    assert page.save_button.isEnabled()


def test_contribution_panel_shows_rupiah(qtbot, store, officer, make_window):
    window, page = open_registration(make_window)
    expected = bpu_contribution(1_000_000, with_jht=False, period=today_wib(), sector="umum")
    assert format_rupiah(expected.total) in page.contribution.total_text()
    page.form.widgets["with_jht"].setChecked(True)
    expected = bpu_contribution(1_000_000, with_jht=True, period=today_wib(), sector="umum")
    assert format_rupiah(expected.total) in page.contribution.total_text()
    assert format_rupiah(expected.total).startswith("Rp") and "." in format_rupiah(expected.total)


def test_contribution_panel_shows_the_months_paid_now_month_by_month(qtbot, store, officer,
                                                                      make_window):
    window, page = open_registration(make_window)
    form = page.form
    form.widgets["months_paid"].setValue(12)
    form.widgets["payer"].setCurrentIndex(form.widgets["payer"].findData("apbd"))
    assert form.boxes["payer_name"].isVisibleTo(form)  # a government budget pays: by name
    form.widgets["payer"].setCurrentIndex(form.widgets["payer"].findData("mandiri"))
    assert not form.boxes["payer_name"].isVisibleTo(form)
    contribution, plan, reason, programs = form.contribution(date(2026, 12, 5))
    page.contribution.show_contribution(contribution, plan=plan, reason=reason, programs=programs)
    note = page.contribution.note.text()
    assert "Rp193.200" in note
    assert "Desember 2026: Rp8.400; Januari–November 2027: 11 × Rp16.800" in note
    assert "Rp8.400" in page.contribution.total_text() and "Desember 2026" in page.contribution.total_text()
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData("pu"))
    assert form.boxes["employer_scale"].isVisibleTo(form)
    form.widgets["wage"].setText("5938885")
    form.widgets["employer_scale"].setCurrentIndex(form.widgets["employer_scale"].findData("mikro"))
    contribution, plan, reason, programs = form.contribution(date(2026, 12, 5))
    page.contribution.show_contribution(contribution, plan=plan, reason=reason, programs=programs)
    assert "Rp32.070" in page.contribution.total_text()  # JKK + JKM only
    assert "Perpres 109/2013" in page.contribution.note.text()


def test_half_typed_form_survives_a_crash(qtbot, store, officer, make_window, db_path):
    window, page = open_registration(make_window, threaded=True)
    type_text(qtbot, page.form.widgets["nik"], NIK)
    type_text(qtbot, page.form.widgets["full_name"], "Nur'aini Hasanah")
    page.form.widgets["segment"]  # noqa: B018 (the segment stays BPU)
    checker = Store.open(db_path)  # another connection, as a restarted app would have
    try:
        qtbot.waitUntil(lambda: (checker.load_draft("registration") or {}).get("full_name")
                        == "Nur'aini Hasanah", timeout=5000)
    finally:
        checker.close()
    # the window goes away without saving (no closeEvent: a crash or a power cut)
    window.executor.shutdown()
    window.hide()  # hide() runs no closeEvent, so nothing is flushed on the way out
    QApplication.processEvents()

    again, page2 = open_registration(make_window, threaded=True)
    qtbot.waitUntil(lambda: page2.form.widgets["full_name"].text() == "Nur'aini Hasanah", timeout=5000)
    assert page2.form.widgets["nik"].text() == NIK
    assert page2.form.widgets["birth_date"].text() == "05-12-1988"
    assert page2.success.isVisible()  # the officer is told the form was restored


def test_the_contribution_total_fits_the_panel_whatever_its_words(qtbot, translations):
    """A plan whose months differ says "Total untuk Desember 2026: Rp53.400", wider than the
    panel beside the form at 1366 px: it wraps, never cut."""
    from bpjs_field.domain.plan import bpu_plan
    from ui.widgets.contribution import ContributionPanel
    plan = bpu_plan(2_000_000, with_jht=True, start=date(2026, 12, 1), months=3)
    assert plan.changes
    panel = ContributionPanel()
    qtbot.addWidget(panel)
    panel.show_contribution(bpu_contribution(2_000_000, with_jht=True, period=date(2026, 12, 1)),
                            plan=plan)
    assert panel.total.text() == "Total untuk Desember 2026: Rp53.400"
    panel.setFixedWidth(300)
    panel.show()
    qtbot.waitExposed(panel)
    label = panel.total
    assert label.minimumSizeHint().width() <= label.width()
    assert label.height() >= label.heightForWidth(label.width())


def test_a_wage_below_the_umk_of_the_event_place_is_a_warning_the_officer_can_save_over(
        qtbot, store, officer, active_event, make_window):
    """The event is in Kabupaten Bekasi: a wage under its UMK is an amber notice under the
    wage that names the UMK and its decree; Ctrl+S saves all the same and the saved banner
    repeats it.  A figure that is no monthly wage (Rp1) is an error and blocks saving."""
    window, page = open_registration(make_window)
    form = page.form
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData("pu"))
    type_text(qtbot, form.widgets["nik"], "3216091205900001")
    type_text(qtbot, form.widgets["full_name"], "Ujang Supriatna")
    form.widgets["employer_name"].setText("PT Sinar Logam Cikarang")
    scale = form.widgets["employer_scale"]
    scale.setCurrentIndex(scale.findData("besar"))
    form.consent.setChecked(True)
    wage = form.widgets["wage"]
    type_text(qtbot, wage, "1")
    box = form.boxes["wage"]
    assert box.error_text == render("wage.implausible", "id", value=1, minimum=100_000)
    assert box.message.property("role") == "error"
    assert not page.save_button.isEnabled()
    assert form.field_label("wage") in page.summary.text()

    wage.clear()
    wage.setFocus()
    qtbot.waitUntil(lambda: focused() is wage)
    type_text(qtbot, wage, "3.000.000")
    assert box.message.property("role") == "warning"
    assert "UMK 2026 Kabupaten Bekasi" in box.error_text and "Rp5.938.885" in box.error_text
    assert "Kepgub Jabar 561/Kep.862-Kesra/2025" in box.error_text
    assert page.save_button.isEnabled() and page.summary.text() == ""
    assert form.boxes["nik"].error_text == ""  # the notice sits under the wage, not the NIK
    qtbot.keyClick(wage, Qt.Key_S, Qt.ControlModifier)

    person = store.people.by_nik("3216091205900001")
    (reg,) = store.registrations.for_person(person["id"])
    assert reg["wage"] == 3_000_000 and reg["employer_scale"] == "besar"
    # saved from the wage field: the banner with the notice stays on screen, and the
    # cleared form does not call its empty wage field wrong
    assert page.success.isVisible() and "UMK 2026 Kabupaten Bekasi" in page.success_text.text()
    assert focused() is form.widgets["nik"]
    assert box.error_text == ""

    # a small business: the minimum wage does not bind it, nothing is said
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData("pu"))
    scale.setCurrentIndex(scale.findData("kecil"))
    type_text(qtbot, wage, "3.000.000")
    assert box.error_text == ""
