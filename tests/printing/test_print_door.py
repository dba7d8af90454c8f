"""Printing as an officer at the door meets it: printers plugged in later are offered
(when the page shows and on request), a finished print says where it went until the
next action, and Pengaturan holds the "print right after each registration" switch
with its format and printer.  A real CUPS queue (cups-pdf)."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt

from .conftest import CUPS_PPD

LATE_QUEUE = "PDF-dipasang-kemudian"


@pytest.fixture
def executor(store, qapp):
    from ui.tasks import DbExecutor
    ex = DbExecutor(store)
    yield ex
    ex.shutdown()


@pytest.fixture
def late_queue(cups_pdf):
    """A second queue, added while the app runs (a printer plugged in later)."""
    def add() -> str:
        subprocess.run(["lpadmin", "-p", LATE_QUEUE, "-v", "cups-pdf:/", "-P", CUPS_PPD, "-E"],
                       check=True, capture_output=True)
        return LATE_QUEUE
    yield add
    subprocess.run(["lpadmin", "-x", LATE_QUEUE], capture_output=True)


def names(combo) -> list[str]:
    return [combo.itemData(i) for i in range(combo.count())]


def test_the_print_page_finds_printers_again_and_says_where_the_job_went(
        qtbot, store, executor, bpu_reg, cups_pdf, late_queue, tmp_path, monkeypatch):
    from ui.printing import PrintPage, i18n
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    assert i18n.install("id")
    try:
        page = PrintPage(executor)
        qtbot.addWidget(page)
        assert LATE_QUEUE not in names(page.printer)
        late_queue()  # plugged in while the page was not on screen
        page.show()
        qtbot.waitUntil(lambda: LATE_QUEUE in names(page.printer), timeout=5000)
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow)  # F5 is the page's shortcut
        page.select_printer(cups_pdf.queue)
        subprocess.run(["lpadmin", "-x", LATE_QUEUE], capture_output=True)
        qtbot.keyClick(page, Qt.Key_F5)  # on request
        assert LATE_QUEUE not in names(page.printer)
        assert page.printer.currentData() == cups_pdf.queue  # the choice stays
        page.show_receipt(bpu_reg["id"], "thermal")
        qtbot.waitUntil(lambda: page.job is not None, timeout=10_000)
        before = cups_pdf.files()
        with qtbot.waitSignal(page.printed, timeout=30_000):
            page.print_current()
        assert page.sent.isVisible() and page.sent.text() == f"Terkirim ke printer {cups_pdf.queue}."
        # The preview is rebuilt as the next copy: the confirmation is not overwritten.
        qtbot.waitUntil(lambda: page.job is not None and page.job.is_reprint, timeout=10_000)
        assert page.sent.isVisible() and cups_pdf.queue in page.sent.text()
        cups_pdf.wait_for_new(before)
        page.copies.setValue(2)  # the next action
        assert not page.sent.isVisible()
    finally:
        i18n.install("en")


def test_pengaturan_switches_printing_after_each_registration(qtbot, store, executor, bpu_reg,
                                                             cups_pdf, late_queue):
    from ui.pages.print_settings import AfterSaveBox
    from ui.printing import print_receipt_after_save
    box = AfterSaveBox(executor, "id")
    qtbot.addWidget(box)
    box.refresh()
    qtbot.waitUntil(lambda: cups_pdf.queue in names(box.printer), timeout=5000)
    assert not box.enabled.isChecked()  # off until the officer turns it on
    late_queue()
    qtbot.mouseClick(box.refresh_button, Qt.LeftButton)  # "find printers again"
    assert LATE_QUEUE in names(box.printer)
    box.enabled.setChecked(True)
    box.format.setCurrentIndex(box.format.findData("a5"))
    box.format.activated.emit(box.format.currentIndex())
    box.printer.setCurrentIndex(box.printer.findData(cups_pdf.queue))
    box.printer.activated.emit(box.printer.currentIndex())
    qtbot.waitUntil(lambda: store.get_setting("receipt_printer") == cups_pdf.queue, timeout=5000)
    assert store.get_setting("print_after_save") is True and store.get_setting("receipt_format") == "a5"
    before = cups_pdf.files()
    auto = print_receipt_after_save(executor, bpu_reg["id"])
    with qtbot.waitSignal(auto.done, timeout=30_000) as done:
        pass
    row = done.args[0]
    assert row is not None and row["document"] == "receipt.a5" and row["printer"] == cups_pdf.queue
    cups_pdf.wait_for_new(before)
    # Shown again (a new page), the box reads what was saved.
    again = AfterSaveBox(executor, "id")
    qtbot.addWidget(again)
    again.refresh()
    qtbot.waitUntil(lambda: again.printer.currentData() == cups_pdf.queue, timeout=5000)
    assert again.enabled.isChecked() and again.format.currentData() == "a5"
