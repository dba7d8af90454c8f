"""Settings box for the receipt printer: the small ESC/POS thermal printer
officers carry (58 or 80 mm, USB, serial or Bluetooth serial, a raw Windows
queue, or a file).

The officer picks a printer the computer can see (Search) or types its port,
chooses the paper width, whether the QR is sent as an image (works on every
printer) or drawn by the printer, and whether it has a cutter, then prints a
test page.  Saved settings make print-after-save and reprints use this printer
(`ui.printing.AutoPrint`, the print page).  Searching and printing run off the
GUI thread.

Signals:
    saved(object): the PrinterSettings just stored.
    searched(object): found printers delivered from the search thread (internal).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QWidget)

from bpjs_field.printing.escpos_link import PrinterError, PrinterSettings
from ui.background import run_in_background
from ui.printing.escpos_run import EscposRun
from ui.tasks import DbExecutor
from ui.widgets.answer import AnswerLabel

log = logging.getLogger(__name__)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


CONNECTIONS = (
    ("", QT_TRANSLATE_NOOP("ReceiptPrinterBox", "None: print PDFs through the system's printers")),
    ("serial", QT_TRANSLATE_NOOP("ReceiptPrinterBox", "Serial or Bluetooth port (COM, rfcomm)")),
    ("usb", QT_TRANSLATE_NOOP("ReceiptPrinterBox", "USB (vendor:product id)")),
    ("win32raw", QT_TRANSLATE_NOOP("ReceiptPrinterBox", "Windows printer queue (raw)")),
    ("file", QT_TRANSLATE_NOOP("ReceiptPrinterBox", "Device file or file")),
)
PLACEHOLDERS = {
    "serial": "COM5  /dev/rfcomm0  /dev/ttyUSB0",
    "usb": "0416:5011",
    "win32raw": "POS-58",
    "file": "/dev/usb/lp0",
}


class ReceiptPrinterBox(QGroupBox):
    saved = Signal(object)
    searched = Signal(object)

    def __init__(self, executor: DbExecutor, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.printing import i18n
        i18n.install(lang)  # this package's catalogue, also before the print page is opened
        self.setTitle(self.tr("Receipt printer (thermal, ESC/POS)"))
        self.setObjectName("receiptPrinterBox")
        self.executor = executor
        self.lang = lang
        self.run: EscposRun | None = None
        form = QFormLayout(self)
        found_row = QHBoxLayout()
        self.found = QComboBox()
        self.found.setObjectName("foundPrinters")
        self.found.addItem(self.tr("(press Search)"), None)
        self.found.activated.connect(self._found_chosen)
        found_row.addWidget(self.found, 1)
        self.search_button = QPushButton(self.tr("&Search"))
        self.search_button.setObjectName("searchPrinters")
        self.search_button.clicked.connect(self.search)
        found_row.addWidget(self.search_button)
        form.addRow(self.tr("Found"), found_row)
        self.connection = QComboBox()
        self.connection.setObjectName("printerConnection")
        for key, text in CONNECTIONS:
            self.connection.addItem(QCoreApplication.translate("ReceiptPrinterBox", text), key)
        self.connection.currentIndexChanged.connect(self._connection_changed)
        form.addRow(self.tr("Connection"), self.connection)
        self.target = QLineEdit()
        self.target.setObjectName("printerTarget")
        form.addRow(self.tr("Port or address"), self.target)
        self.width_mm = QComboBox()
        self.width_mm.setObjectName("paperWidth")
        self.width_mm.addItem(self.tr("58 mm (48 mm printed)"), 58)
        self.width_mm.addItem(self.tr("80 mm (72 mm printed)"), 80)
        form.addRow(self.tr("Paper width"), self.width_mm)
        self.qr = QComboBox()
        self.qr.setObjectName("qrRoute")
        self.qr.addItem(self.tr("As an image (every printer)"), False)
        self.qr.addItem(self.tr("Drawn by the printer (native QR)"), True)
        form.addRow(self.tr("QR code"), self.qr)
        self.cutter = QCheckBox(self.tr("The printer has a paper cutter"))
        self.cutter.setObjectName("hasCutter")
        form.addRow("", self.cutter)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save printer"))
        self.save_button.setObjectName("savePrinter")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton(self.tr("Print &test page"))
        self.test_button.setObjectName("testPage")
        self.test_button.clicked.connect(self.test_page)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.status = AnswerLabel()  # below the fold of the settings page on a laptop
        self.status.setObjectName("printerStatus")
        self.status.setWordWrap(True)
        form.addRow("", self.status)
        self.searched.connect(self._show_found)
        self._connection_changed()
        self.load()

    # -- settings ------------------------------------------------------------------
    def load(self) -> None:
        from bpjs_field.printing.escpos_link import load_settings
        self.executor.run(load_settings, self.show_settings, self._failed)

    def show_settings(self, settings: PrinterSettings) -> None:
        self.connection.setCurrentIndex(max(0, self.connection.findData(settings.connection)))
        self.target.setText(settings.target)
        self._name = settings.name
        self.width_mm.setCurrentIndex(max(0, self.width_mm.findData(settings.width_mm)))
        self.qr.setCurrentIndex(1 if settings.native_qr else 0)
        self.cutter.setChecked(settings.cutter)

    def settings(self) -> PrinterSettings:
        """What the form says now (not yet saved)."""
        target = self.target.text().strip()
        name = getattr(self, "_name", "")
        chosen = self.found.currentData()
        if chosen is not None and chosen.target == target:
            name = chosen.name
        return PrinterSettings(self.connection.currentData(), target, name,
                               self.width_mm.currentData(), bool(self.qr.currentData()),
                               self.cutter.isChecked())

    def save(self) -> None:
        settings = self.settings()
        try:
            settings.checked()
        except PrinterError as exc:
            self.status.setText(exc.message(self.lang))
            self.target.setFocus()
            return

        def stored(_none) -> None:
            self._name = settings.name
            self.status.setText(self.tr("Saved. Receipts will print on %1.").replace(
                "%1", settings.label) if settings.configured else
                self.tr("Saved. Receipts print through the system's printers."))
            self.saved.emit(settings)
        from ui.ops import Ops
        Ops.for_executor(self.executor).save_receipt_printer(settings, on_done=stored,
                                                             on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if hasattr(exc, "message"):
            self.status.setText(exc.message(self.lang))
        else:
            log.error("receipt printer settings failed", exc_info=exc)
            self.status.setText(self.tr("The printer settings could not be read or saved."))

    def _connection_changed(self, *_args) -> None:
        key = self.connection.currentData()
        self.target.setEnabled(bool(key))
        self.target.setPlaceholderText(PLACEHOLDERS.get(key, ""))
        self.test_button.setEnabled(bool(key))

    # -- finding -------------------------------------------------------------------
    def search(self) -> None:
        self.search_button.setEnabled(False)
        self.status.setText(self.tr("Searching for printers…"))

        def work() -> list:
            from bpjs_field.printing.escpos_link import find_printers
            return find_printers()

        def failed(exc: BaseException) -> None:  # listing devices must never take the window down
            log.error("printer search failed", exc_info=exc)
            self.searched.emit([])

        run_in_background(self, work, self.searched.emit, failed, name="printer-search")

    def _show_found(self, found) -> None:
        self.search_button.setEnabled(True)
        self.found.clear()
        if not found:
            self.found.addItem(self.tr("(none found: pair or plug in the printer, or type its port)"),
                               None)
            self.status.setText(self.tr("No printer found."))
            return
        for item in found:
            self.found.addItem(item.name, item)
        self.status.setText(self.tr("%n printer(s) found; choose one.", "", len(found)))
        self._found_chosen(0)

    def _found_chosen(self, index: int) -> None:
        item = self.found.itemData(index)
        if item is None:
            return
        self.connection.setCurrentIndex(max(0, self.connection.findData(item.connection)))
        self.target.setText(item.target)
        self._name = item.name

    # -- test page -----------------------------------------------------------------
    def test_page(self) -> EscposRun | None:
        """Print a test page with the settings on screen (saved or not); returns the run."""
        settings = self.settings()
        try:
            settings.checked()
        except PrinterError as exc:
            self.status.setText(exc.message(self.lang))
            return None
        if self.run is not None and self.run.running:
            return None

        def make() -> bytes:
            from bpjs_field.printing.escpos import test_page
            return test_page(settings.layout, settings.label)

        self.run = EscposRun(settings, make, self)
        self.run.lang = self.lang
        self.run.finished.connect(self._tested)
        self.test_button.setEnabled(False)
        self.status.setText(self.tr("Printing the test page…"))
        self.run.start()
        return self.run

    def _tested(self, ok: bool, message: str) -> None:
        self.test_button.setEnabled(bool(self.connection.currentData()))
        self.status.setText(message if not ok else self.tr(
            "Test page sent. The numbers line must be whole and the QR must scan."))
