"""Small questions only Qt can answer for the command line (`bpjs-field doctor`)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtPrintSupport import QPrinterInfo


def printer_names() -> tuple[list[str], str]:
    """Printers the system offers (through CUPS or Windows' spooler) and the default one."""
    return list(QPrinterInfo.availablePrinterNames()), QPrinterInfo.defaultPrinterName()


def check_interface_language(lang: str = "id") -> None:
    """Raise unless the interface loads `lang` (Indonesian by default), as the app would:
    an installation or bundle that would show English fails `bpjs-field selftest --gui`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.i18n import interface_language_check
    _app = QApplication.instance() or QApplication([])
    interface_language_check(lang)


def open_main_window_offscreen(db_path: Path) -> None:
    """Build and show the main window over `db_path` on an offscreen screen (`bpjs-field selftest --gui`):
    proves the Qt libraries and plugins of an installation load."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from bpjs_field.store import Store
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import DbExecutor
    app = QApplication.instance() or QApplication([])
    store = Store.open(db_path)
    executor = DbExecutor(store, synchronous=True)
    try:
        window = MainWindow(AppContext(executor, lang="id", db_path=store.path), executor)
        window.show()
        app.processEvents()
        if not (window.isVisible() and window.pages):
            raise RuntimeError("main window did not open")
        window.close()
    finally:
        executor.shutdown()
        store.close()
