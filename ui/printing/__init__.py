"""Printing in the GUI: the print page, and printing a receipt right after a save.

`print_receipt_after_save(executor, registration_id, parent)` is what the
registration page calls after a successful save.  When the store setting
`print_after_save` is on, it makes the receipt on the database worker (format
from `receipt_format`, default the 80 mm roll; printer from `receipt_printer`,
default the system's default printer), prints it without a dialog and logs it.
It returns an `AutoPrint` whose `done(object)` signal carries the print-log
row, or None when nothing was printed (setting off, no printer, or failure).
When a receipt printer (ESC/POS, see `receipt_printer`) is set up, the receipt
goes there instead, straight from the receipt data; a printer that is off or
out of range is reported in the window's status bar within 3 s, and the saved
registration is untouched.

`PrintPage` and `PrintRun` are loaded when first asked for, so the settings
page can show the receipt printer box without loading QtPdf and reportlab.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMainWindow

from ui.tasks import DbExecutor

log = logging.getLogger(__name__)

PRINT_AFTER_SAVE = "print_after_save"
RECEIPT_FORMAT = "receipt_format"
RECEIPT_PRINTER = "receipt_printer"


class AutoPrint(QObject):
    """Signals: done(object): the print-log row, or None if nothing was printed."""

    done = Signal(object)

    def __init__(self, executor: DbExecutor, registration_id: str, parent: QObject | None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.registration_id = registration_id
        self.run: PrintRun | None = None
        self.message = ""

    def start(self) -> None:
        rid = self.registration_id

        def make(store):
            from bpjs_field.printing import documents
            from bpjs_field.printing.escpos_link import load_settings
            if not store.get_setting(PRINT_AFTER_SAVE, False):
                return None
            escpos = load_settings(store)
            if escpos.configured:
                return escpos
            fmt = store.get_setting(RECEIPT_FORMAT, "thermal")
            return documents.receipt_job(store, rid, fmt), store.get_setting(RECEIPT_PRINTER)
        self.executor.run(make, self._made, self._failed)

    def _made(self, result) -> None:
        from ui.printing.escpos_run import ReceiptToPrinter
        from ui.printing.service import PrintRun, default_printer_name
        if result is None:
            self.done.emit(None)
            return
        if not isinstance(result, tuple):  # the receipt printer's settings
            self.run = ReceiptToPrinter(self.executor, self.registration_id, result, self)
            self.run.done.connect(self._escpos_done)
            self.run.start()
            return
        job, printer = result
        printer = printer or default_printer_name()
        if not printer:
            self._failed(None, QCoreApplication.translate(
                "AutoPrint", "No printer; print the receipt from the Print page."))
            return
        self.run = PrintRun(job.pdf, printer, title=job.title, parent=self)
        self.run.finished.connect(lambda ok, message: self._printed(job, printer, ok, message))
        self.run.start()

    def _escpos_done(self, row) -> None:
        self.message = self.run.message
        self.done.emit(row)

    def _printed(self, job, printer: str, ok: bool, message: str) -> None:
        from ui.ops import Ops
        if not ok:
            self._failed(None, message)
            return
        self.message = message
        Ops.for_executor(self.executor).log_print(job, printer=printer, on_done=self.done.emit,
                                                  on_error=self._failed)

    def _failed(self, exc: BaseException | None, message: str | None = None) -> None:
        if exc is not None:
            log.error("receipt auto-print failed", exc_info=exc)
        self.message = message or QCoreApplication.translate(
            "AutoPrint", "The receipt was not printed.")
        self.done.emit(None)


def print_receipt_after_save(executor: DbExecutor, registration_id: str,
                             parent: QObject | None = None) -> AutoPrint:
    """Print the new registration's receipt if the officer turned `print_after_save` on."""
    auto = AutoPrint(executor, registration_id, parent)
    if isinstance(parent, QMainWindow):
        # Said where the officer looks while typing the next person: the status bar; a
        # failure stays there until the next message.
        bar = parent.statusBar()
        auto.done.connect(lambda row: auto.message and bar.showMessage(
            auto.message, 15000 if row is not None else 0))
    auto.start()
    return auto


def __getattr__(name: str) -> Any:
    if name == "PrintPage":
        from ui.printing.page import PrintPage
        return PrintPage
    if name == "PrintRun":
        from ui.printing.service import PrintRun
        return PrintRun
    raise AttributeError(name)


__all__ = ["PrintPage", "PrintRun", "AutoPrint", "print_receipt_after_save",
           "PRINT_AFTER_SAVE", "RECEIPT_FORMAT", "RECEIPT_PRINTER"]
