"""Pengaturan: the receipt printed right after each registration, and the idle lock.

`AfterSaveBox` is the switch the README promises ("print right after each
registration") with the receipt's format and the system printer it goes to
(settings `print_after_save`, `receipt_format`, `receipt_printer`, read by
`ui.printing.AutoPrint`).  It is a group of its own: a receipt printer set up
elsewhere on the page (ESC/POS) keeps its own box.  The printer list is read
again when the page is shown and on request, so a printer plugged in later is
offered.  `IdleLockBox` sets the minutes without input after which a logged-in
workstation locks itself (`idle_lock_minutes`; 0 = never), applied at once.

Signals:
    IdleLockBox.minutes_changed(int): the officer chose a new idle time.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QPushButton, QSpinBox, QWidget)

from bpjs_field.printing.cli import RECEIPT_FORMATS
from ui import dialogs
from ui.ops import Ops
from ui.tasks import DbExecutor

# The store settings `ui.printing.AutoPrint` reads (not imported from there: that module
# loads reportlab and QtPdf, which the settings page must not wait for at start-up).
PRINT_AFTER_SAVE = "print_after_save"
RECEIPT_FORMAT = "receipt_format"
RECEIPT_PRINTER = "receipt_printer"
DEFAULT_FORMAT = "thermal"
IDLE_SETTING = "idle_lock_minutes"  # as ui.security.lock reads it
DEFAULT_IDLE_MINUTES = 5


class AfterSaveBox(QGroupBox):
    def __init__(self, executor: DbExecutor, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("afterSaveBox")
        self.setTitle(self.tr("Receipt right after each registration"))
        self.executor = executor
        self.lang = lang
        self._loading = False
        form = QFormLayout(self)
        self.enabled = QCheckBox(self.tr("Print the receipt right after each registration"))
        self.enabled.setObjectName("printAfterSave")
        form.addRow(self.enabled)
        self.format = QComboBox()
        self.format.setObjectName("afterSaveFormat")
        labels = {"a4": "A4", "a5": "A5", "thermal": self.tr("80 mm roll"),
                  "thermal58": self.tr("58 mm roll")}
        for key in RECEIPT_FORMATS:
            self.format.addItem(labels.get(key, key), key)
        form.addRow(self.tr("Format"), self.format)
        row = QHBoxLayout()
        self.printer = QComboBox()
        self.printer.setObjectName("afterSavePrinter")
        row.addWidget(self.printer, 1)
        self.refresh_button = QPushButton(self.tr("Find printers again"))
        self.refresh_button.setObjectName("afterSaveRefresh")
        self.refresh_button.clicked.connect(self.refresh_printers)
        row.addWidget(self.refresh_button)
        form.addRow(self.tr("Printer"), row)
        self.enabled.toggled.connect(self._save)
        self.format.activated.connect(self._save)
        self.printer.activated.connect(self._save)
        self._saved_printer: str | None = None

    def refresh(self) -> None:
        """Read the settings and the system's printers again."""
        def read(store) -> dict[str, Any]:
            return {"on": bool(store.get_setting(PRINT_AFTER_SAVE, False)),
                    "format": store.get_setting(RECEIPT_FORMAT, DEFAULT_FORMAT),
                    "printer": store.get_setting(RECEIPT_PRINTER)}
        self.executor.run(read, self._show, lambda exc: dialogs.error(self, exc, self.lang))

    def _show(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.enabled.setChecked(values["on"])
            self.format.setCurrentIndex(max(0, self.format.findData(values["format"])))
            self._saved_printer = values["printer"]
            self.refresh_printers()
        finally:
            self._loading = False

    def refresh_printers(self) -> None:
        chosen = self.printer.currentData() if self.printer.count() else self._saved_printer
        loading, self._loading = self._loading, True
        try:
            self.printer.clear()
            default = QPrinterInfo.defaultPrinterName()
            self.printer.addItem(self.tr("The system's default printer ({name})").format(
                name=default) if default else self.tr("The system's default printer"), None)
            for name in QPrinterInfo.availablePrinterNames():
                self.printer.addItem(name, name)
            if chosen and self.printer.findData(chosen) < 0:  # saved, but not connected now
                self.printer.addItem(self.tr("{name} (not found now)").format(name=chosen), chosen)
            self.printer.setCurrentIndex(max(0, self.printer.findData(chosen)) if chosen else 0)
        finally:
            self._loading = loading

    def _save(self, *_args) -> None:
        if self._loading:
            return
        on, fmt, printer = self.enabled.isChecked(), self.format.currentData(), self.printer.currentData()
        self._saved_printer = printer

        Ops.for_executor(self.executor).change_settings(
            {PRINT_AFTER_SAVE: on, RECEIPT_FORMAT: fmt, RECEIPT_PRINTER: printer},
            on_error=lambda exc: dialogs.error(self, exc, self.lang))


class IdleLockBox(QWidget):
    minutes_changed = Signal(int)

    def __init__(self, executor: DbExecutor, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.lang = lang
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("idleLockMinutes")
        self.minutes.setRange(0, 240)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setSpecialValueText(self.tr("never"))
        self.minutes.setToolTip(self.tr("Minutes without keyboard, scanner or mouse before the "
                                        "screen locks; 0 = never"))
        layout.addWidget(self.minutes)
        layout.addStretch(1)
        self.minutes.editingFinished.connect(self._save)
        self._shown: int | None = None

    def refresh(self) -> None:
        def read(store) -> int:
            return int(float(store.get_setting(IDLE_SETTING, DEFAULT_IDLE_MINUTES) or 0))
        self.executor.run(read, self._show)

    def _show(self, minutes: int) -> None:
        self._shown = minutes
        self.minutes.setValue(minutes)

    def _save(self) -> None:
        minutes = self.minutes.value()
        if minutes == self._shown:
            return
        self._shown = minutes

        Ops.for_executor(self.executor).change_settings(
            {IDLE_SETTING: minutes}, on_done=lambda _r: self.minutes_changed.emit(minutes),
            on_error=lambda exc: dialogs.error(self, exc, self.lang))
