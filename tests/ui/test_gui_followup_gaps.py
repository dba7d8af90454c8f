"""The gaps closed after the event: this month's amount on the person's detail, a KPJ card
scanned into the follow-up, the status filter of the people list, the Laporan page's
shortcut and its absence for officers, and the branch's targets set in Pengaturan."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parents[1] / "followup"))
sys.path.insert(0, str(Path(__file__).parents[1] / "server"))

from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.registration import RegistrationInput  # noqa: E402
from harness import person_input  # noqa: E402
from logins import opened_as  # noqa: E402


def bpu(store, i, *, months=1, period=None, **extra):
    return store.registrations.register(RegistrationInput(
        person=person_input(i), segment="bpu", declared_income=1_000_000, months_paid=months,
        period=period, consent_version="2026.1", consent_given=True, **extra)).registration


def test_detail_shows_this_months_amount(qtbot, translations, store):
    from bpjs_field.store import views
    from ui.pages.person_detail import PersonDetail
    reg = bpu(store, 4, months=3, period=date(2026, 12, 5))
    detail = PersonDetail("id")
    qtbot.addWidget(detail)
    detail.today = date(2027, 1, 15)
    detail.show_detail(views.person_detail(store, reg["person_id"]))
    text = detail.body.toPlainText()
    assert "Rp16.800/bulan sekarang (bulan pertama Rp8.400)" in text
    # Consent given to an earlier notice (not listing the mother's name, KK, heirs) says so.
    assert "versi 2026.1" in text and "pemberitahuan versi lama (kini 2026-12)" in text
    detail.today = date(2026, 12, 15)
    detail.show_detail(views.person_detail(store, reg["person_id"]))
    assert "Rp8.400/bulan" in detail.body.toPlainText()
    assert "sekarang" not in detail.body.toPlainText()


def test_people_list_filters_by_follow_up_status(qtbot, translations, store, officer,
                                                 make_window):
    from bpjs_field.domain.followup import KPJ, STOPPED, StatusChange
    from bpjs_field.store.followup import set_status
    regs = [bpu(store, i, period=date(2026, 11, 20)) for i in (11, 12, 13, 14)]
    set_status(store, regs[1]["id"], StatusChange(KPJ, kpj_no="90000000012"))
    set_status(store, regs[2]["id"], StatusChange(STOPPED, reason="pindah kota"))
    assert len(store.people.ordered_rowids("kpj")) == 1
    assert len(store.people.ordered_rowids("baru")) == 2
    window = make_window()
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 4)
    page.status_filter.setCurrentIndex(page.status_filter.findData(KPJ))
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    qtbot.waitUntil(lambda: page.people.row_at(0) is not None)
    assert page.people.row_at(0)["id"] == regs[1]["person_id"]
    assert page.count.text() == "1 peserta · KPJ terbit"
    page.status_filter.setCurrentIndex(page.status_filter.findData(STOPPED))
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    qtbot.waitUntil(lambda: page.people.row_at(0) is not None)
    assert page.people.row_at(0)["id"] == regs[2]["person_id"]
    # A search keeps the filter: the number of a person registered but not followed up
    # finds nobody while "stopped" is chosen, and finds them with "registered".
    nik = store.people.get(regs[0]["person_id"])["nik"]
    page.search.setText(nik)
    qtbot.waitUntil(lambda: page.table.model() is page.results)
    assert page.results.rowCount() == 0
    page.status_filter.setCurrentIndex(page.status_filter.findData("baru"))
    qtbot.waitUntil(lambda: page.results.rowCount() == 1)
    page.status_filter.setCurrentIndex(0)
    page.search.clear()
    qtbot.waitUntil(lambda: page.table.model() is page.people and page.people.rowCount() == 4)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def scan(qtbot, widget, clock, text, *, gap=0.004, enter=True):
    """Keys as a keyboard-wedge scanner types them: a few milliseconds apart, then Enter."""
    for ch in text:
        clock.now += gap
        qtbot.keyClick(widget, ch)
    if enter:
        clock.now += gap
        qtbot.keyClick(widget, Qt.Key_Return)


def open_followup(qtbot, store, make_window, i):
    reg = bpu(store, i)
    window = make_window()
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() >= 1)
    page.show_person(reg["person_id"])
    qtbot.waitUntil(lambda: page.detail.person is not None
                    and page.detail.person["id"] == reg["person_id"])
    qtbot.keyClick(page.table, Qt.Key_K, Qt.ControlModifier)
    dialog = page.followup_dialog
    clock = FakeClock()
    dialog.scan_catcher.clock = clock
    return reg, dialog, clock


def test_a_kpj_card_scanned_anywhere_in_the_follow_up(qtbot, translations, store, officer,
                                                      make_window):
    from bpjs_field.domain.followup import KPJ, SUBMITTED
    reg, dialog, clock = open_followup(qtbot, store, make_window, 21)
    assert dialog.status.currentData() == SUBMITTED  # the next step proposed
    # The scanner types into the status list (where the focus happens to be): the digits
    # would pick list entries; instead the scan fills the KPJ field and moves to KPJ issued.
    scan(qtbot, dialog.status, clock, "1234-5678-901")
    assert dialog.status.currentData() == KPJ
    assert dialog.kpj_no.text() == "12345678901"
    assert "Terpindai dari kartu: 12345678901" in dialog.boxes["kpj_no"].message.text()
    assert dialog.boxes["kpj_no"].message.isVisible()
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save_button.click()
    row = store.registrations.get(reg["id"])
    assert (row["status"], row["kpj_no"]) == (KPJ, "12345678901")


def test_a_wrong_scan_is_named_and_changes_nothing(qtbot, translations, store, officer,
                                                   make_window):
    from bpjs_field.domain.followup import KPJ, PAID
    reg, dialog, clock = open_followup(qtbot, store, make_window, 22)
    dialog.status.setCurrentIndex(dialog.status.findData(PAID))
    dialog.paid_months.setValue(3)
    # A KTP's NIK scanned into the months field: the months stay, the scan is named.
    scan(qtbot, dialog.paid_months, clock, "3216094512880001")
    assert dialog.paid_months.value() == 3
    message = dialog.boxes["kpj_no"].message.text()
    assert "NIK" in message and "kartu peserta" in message and "11 angka" in message
    assert dialog.kpj_no.text() == "" and dialog.status.currentData() == PAID
    # The event receipt's code, and a short read, each say what they are.
    scan(qtbot, dialog.kpj_no, clock, "K7QM-003A-X")
    assert "kode pendaftaran" in dialog.boxes["kpj_no"].message.text()
    assert dialog.kpj_no.text() == ""
    scan(qtbot, dialog.reason, clock, "1234567", enter=False)  # no Enter: ends by itself
    qtbot.waitUntil(lambda: "7 karakter" in dialog.boxes["kpj_no"].message.text(), timeout=2000)
    assert store.registrations.get(reg["id"])["status"] == "baru"
    # A person typing the number (keys 150 ms apart) is not a scan: Enter moves on.
    dialog.boxes["kpj_no"].show_error(None)
    dialog.status.setCurrentIndex(dialog.status.findData(KPJ))
    dialog.kpj_no.setFocus()
    scan(qtbot, dialog.kpj_no, clock, "98765432109", gap=0.15)
    assert dialog.kpj_no.text() == "98765432109"
    assert not dialog.boxes["kpj_no"].message.isVisible()


def test_a_scanned_kpj_of_another_person_is_refused_at_once(qtbot, translations, store,
                                                            officer, make_window):
    from bpjs_field.domain.followup import KPJ, StatusChange
    from bpjs_field.store.followup import set_status
    other = bpu(store, 23)
    set_status(store, other["id"], StatusChange(KPJ, kpj_no="55555555555"))
    _reg, dialog, clock = open_followup(qtbot, store, make_window, 24)
    scan(qtbot, dialog.registration, clock, "55555555555")
    qtbot.waitUntil(lambda: "peserta lain" in dialog.boxes["kpj_no"].message.text())


def test_supervisor_sets_the_branchs_targets_in_settings(request, qtbot, translations, store,
                                                         officer, make_window):
    from bpjs_field.reporting import targets
    from ui.pages.report_page import ReportPage
    from ui.security.lock import apply_role
    from ui.tasks import DbExecutor
    supervisor = opened_as(store, "supervisor", officer_id=officer["id"])
    request.addfinalizer(supervisor.close)
    window = make_window(executor=DbExecutor(supervisor, synchronous=True))
    window.show_page("settings")
    box = window.settings_page.targets
    year = today_wib().year
    qtbot.waitUntil(lambda: box.state.text() != "")
    box.year.setValue(year)
    box.segments["bpu"].setValue(17000)
    box.segments["pu"].setValue(0)  # the shipped PU figure (115.894) taken out
    box.money.setText("Rp154.000.000.000")
    row = next(i for i, (dim, key, _t) in enumerate(box.places) if key == "321609")
    box.table.item(row, 1).setText("1.200")
    with qtbot.waitSignal(box.saved, timeout=3000):
        box.save_button.click()
    entry = targets.stored(store)[0]
    assert (entry["year"], entry["participants"], entry["contribution_rupiah"],
            entry["kecamatan"]) == (year, {"asn": 16000, "bpu": 17000}, 154_000_000_000,
                                    {"321609": 1200})
    assert box.state.text().startswith(f"Ditetapkan oleh {officer['full_name']} pada ")
    # The report uses them at once, and says where they come from.
    page = ReportPage(window.executor, "id")
    qtbot.addWidget(page)
    assert page.reports["main"].contribution_target == 154_000_000_000
    assert page.source.text().startswith(f"Target ditetapkan di Pengaturan oleh {officer['full_name']}")
    # A figure that is not a number is named and nothing is saved.
    box.money.setText("seratus")
    box.save_button.click()
    assert "bukan angka" in box.boxes["contribution_rupiah"].message.text()
    assert targets.stored(store)[0]["contribution_rupiah"] == 154_000_000_000
    # An officer's window: the save button is off (and the core refuses anyway).
    apply_role(window, "officer")
    assert not box.save_button.isEnabled()


def test_a_kpj_card_scanned_into_the_people_search_finds_its_holder(qtbot, translations, store,
                                                                    officer, make_window):
    from bpjs_field.domain.followup import KPJ, StatusChange
    from bpjs_field.store.followup import set_status
    holder = bpu(store, 31)
    bpu(store, 32)
    set_status(store, holder["id"], StatusChange(KPJ, kpj_no="70000000031"))
    window = make_window()
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 2)
    page.search.setText("7000-0000-031")
    qtbot.waitUntil(lambda: page.table.model() is page.results and page.results.rowCount() == 1)
    assert page.results.row_at(0)["id"] == holder["person_id"]
    page.search.setText("70000000099")  # nobody holds it: no one is guessed
    qtbot.waitUntil(lambda: page.table.model() is page.results
                    and page.results.rowCount() == 0)
