"""The receipt printer in the window, driven with pytest-qt (offscreen) against a
fake serial printer on a pseudo-terminal: set it up in Settings and print a test
page; print right after a save on a printer that goes away mid-job (a clear
message within 3 s, the window answering throughout, the registration kept,
nothing logged as printed); then print the receipt again from the person's
detail.  Also: the print package's Indonesian catalogue has every string."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer

from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.printing.escpos_link import PrinterSettings, load_settings, save_settings
from bpjs_field.printing.log import receipt_print_count

from .escpos_render import render
from .fake_printer import FakeSerialPrinter
from .test_escpos import decode

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))


@pytest.fixture
def window(qtbot, store, officer, tmp_path):
    from ui.app import plug_in_extra_pages
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import DbExecutor

    executor = DbExecutor(store)  # the real worker thread, as in the app
    ctx = AppContext(executor, lang="id", officer=officer, active_event=store.events.active(),
                     db_path=store.path)
    win = MainWindow(ctx, executor, settings=QSettings(str(tmp_path / "q.ini"), QSettings.IniFormat))
    plug_in_extra_pages(win, ctx, executor)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    executor.shutdown()


@pytest.fixture
def printers():
    made = []

    def make(**kw) -> FakeSerialPrinter:
        printer = FakeSerialPrinter(**kw)
        printer.start()
        made.append(printer)
        return printer
    yield make
    for printer in made:
        printer.stop()


def register(store, name, nik):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik), consent_given=True,
        consent_version="2026-01", declared_income=1_000_000, occupation="pedagang"))


class Heartbeat:
    """Ticks of a 20 ms QTimer: a gap means the GUI thread was blocked that long."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start()

    def longest_gap(self) -> float:
        self.timer.stop()
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:])), default=0.0)


def test_settings_box_saves_the_printer_and_prints_a_test_page(qtbot, window, store, printers):
    from ui.printing.receipt_printer import ReceiptPrinterBox

    printer = printers()
    window.show_page("settings")
    box = window.findChild(ReceiptPrinterBox)
    assert box is not None and box.isVisible()
    assert box.title() == "Printer struk (termal, ESC/POS)"  # the package's Indonesian
    box.search_button.click()  # off the GUI thread; this machine has no printer to find
    qtbot.waitUntil(box.search_button.isEnabled, timeout=10000)
    assert box.status.text() == "Tidak ada printer yang ditemukan." or "ditemukan; pilih" in box.status.text()
    box.connection.setCurrentIndex(box.connection.findData("serial"))
    box.target.setText("")
    box.save_button.click()
    assert "COM5" in box.status.text()  # says what to type, saves nothing
    assert not load_settings(store).configured
    box.target.setText(printer.path)
    box.width_mm.setCurrentIndex(box.width_mm.findData(58))
    box.cutter.setChecked(True)
    with qtbot.waitSignal(box.saved, timeout=5000):
        box.save_button.click()
    assert load_settings(store) == PrinterSettings("serial", printer.path, "", 58, False, True)
    run = box.test_page()
    with qtbot.waitSignal(run.finished, timeout=5000) as sent:
        pass
    assert sent.args[0] is True, sent.args[1]
    assert "Halaman uji terkirim" in box.status.text()
    qtbot.waitUntil(lambda: printer.job.endswith(b"\x1dV\x01"), timeout=5000)
    paper = render(printer.job)
    assert decode(paper.image) == ["TES-0000"] and paper.cuts and not paper.overflow


def test_printer_gone_after_save_then_reprint_from_the_detail(qtbot, window, store, printers):
    from ui.printing.page import ESCPOS

    gone = printers(vanish_after=3000)
    store.set_setting("print_after_save", True)
    save_settings(store, PrinterSettings("serial", gone.path, "RPP02N", 58, False, True))
    result = register(store, "Budi Santoso", "3216091205900001")
    registration_id = result.registration["id"]
    heartbeat = Heartbeat()
    window.page("registration").registration_saved.emit(result)
    qtbot.waitUntil(gone.gone.is_set, timeout=5000)
    vanished = time.monotonic()
    bar = window.statusBar()
    qtbot.waitUntil(lambda: "terputus" in bar.currentMessage(), timeout=5000)
    assert time.monotonic() - vanished < 3.0
    assert "cetak ulang" in bar.currentMessage()
    assert heartbeat.longest_gap() < 0.3  # the window kept answering
    # Nothing lost: the registration is there, and nothing counts as printed.
    assert store.registrations.get(registration_id)["code"] == result.registration["code"]
    assert receipt_print_count(store, registration_id) == 0

    fresh = printers()
    save_settings(store, PrinterSettings("serial", fresh.path, "RPP02N", 58, False, True))
    window.show_page("people")
    people = window.people
    qtbot.waitUntil(lambda: people.people.rowCount() == 1)
    people.table.selectRow(0)
    qtbot.waitUntil(lambda: people.detail.reprint_button.isEnabled())
    people.detail.reprint_button.click()
    qtbot.waitUntil(lambda: window.current_page() == "print", timeout=5000)
    page = window.page("print")
    qtbot.waitUntil(lambda: page.job is not None and page.printer.currentData() == ESCPOS,
                    timeout=10000)
    assert "RPP02N" in page.printer.currentText()
    with qtbot.waitSignal(page.printed, timeout=10000):
        page.print_current()
    paper = render(fresh.job)
    assert decode(paper.image) == [result.registration["code"]]
    assert "Budi Santoso" in paper.text and "SALINAN" not in paper.text  # the first real print
    assert receipt_print_count(store, registration_id) == 1
    assert "Tercetak di RPP02N" in page.status.text()


def test_copies_on_the_receipt_printer_are_whole_receipts(qtbot, window, store, printers):
    """Two copies chosen on the print page: two receipts, each cut, logged as two copies."""
    from ui.printing.page import ESCPOS

    printer = printers()
    save_settings(store, PrinterSettings("serial", printer.path, "RPP02N", 58, False, True))
    result = register(store, "Siti Aminah", "3216094407910002")
    registration_id = result.registration["id"]
    window.show_page("print")
    page = window.page("print")
    page.show_receipt(registration_id)
    qtbot.waitUntil(lambda: page.job is not None and page.printer.findData(ESCPOS) >= 0,
                    timeout=10000)
    page.printer.setCurrentIndex(page.printer.findData(ESCPOS))
    page.copies.setValue(2)
    with qtbot.waitSignal(page.printed, timeout=10000) as logged:
        page.print_current()
    paper = render(printer.job)
    code = result.registration["code"]
    assert decode(paper.image) == [code, code]
    assert len(paper.cuts) == 2 and paper.text.count("Siti Aminah") == 2
    assert logged.args[0]["copies"] == 2
    assert receipt_print_count(store, registration_id) == 1  # one run, not two originals


def test_print_package_catalogue_has_every_string(tmp_path):
    """lupdate over ui/printing, on a copy of its catalogue, finds nothing untranslated."""
    copy = tmp_path / "printing_id.ts"
    shutil.copy(ROOT / "ui/printing/printing_id.ts", copy)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in (ROOT / "ui/printing").glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(copy), "-no-obsolete"], check=True,
                   capture_output=True)
    missing = [m.findtext("source") for m in ET.parse(copy).getroot().iter("message")
               if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
               or not "".join(m.find("translation").itertext()).strip()]
    assert missing == []


def test_print_page_offers_the_58mm_roll(qtbot, window, store, officer):
    result = register(store, "Siti Aminah", "3216094508900001")
    window.show_page("print")
    page = window.page("print")
    index = page.receipt_format.findData("thermal58")
    assert page.receipt_format.itemText(index) == "Struk 58 mm"
    page.show_receipt(result.registration["id"], "thermal58")
    qtbot.waitUntil(lambda: page.job is not None, timeout=10000)
    assert page.job.document == "receipt.thermal58"
    width = page.doc.pagePointSize(0).width()
    assert abs(width - 58 * 72 / 25.4) < 0.1
