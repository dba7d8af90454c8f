"""Small questions only Qt can answer for the command line (`bpjs-field doctor`)."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinterInfo


def printer_names() -> tuple[list[str], str]:
    """Printers the system offers (through CUPS or Windows' spooler) and the default one."""
    return list(QPrinterInfo.availablePrinterNames()), QPrinterInfo.defaultPrinterName()
