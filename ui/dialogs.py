"""Every message box of the application, opened non-blocking with `open()`.

Known errors (disk full, database locked) get their plain-language message
from the core in the officer's language; anything else is a bug, logged, and
shown as such with the log file's location.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from bpjs_field.errors import BpjsFieldError, KnownError

log = logging.getLogger(__name__)


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.setObjectName("messageBox")
    box.open()
    return box


def info(parent: QWidget | None, text: str) -> QMessageBox:
    return _box(parent, QMessageBox.Information,
                QCoreApplication.translate("Dialogs", "Information"), text)


def error(parent: QWidget | None, exc: BaseException, lang: str = "id") -> QMessageBox:
    """Show a failure of background work: the core's message, or a bug notice."""
    if isinstance(exc, (KnownError, BpjsFieldError)):
        title = QCoreApplication.translate("Dialogs", "Cannot continue")
        text = exc.message(lang)
    else:
        log.error("unexpected error", exc_info=exc)
        title = QCoreApplication.translate("Dialogs", "Unexpected error")
        text = QCoreApplication.translate(
            "Dialogs", "Something went wrong in the application. Your saved data is safe. "
                       "Please report this to the branch IT officer; details are in the log file.")
    return _box(parent, QMessageBox.Warning, title, text)


def confirm(parent: QWidget | None, text: str, on_yes: Callable[[], None]) -> QMessageBox:
    box = QMessageBox(QMessageBox.Question, QCoreApplication.translate("Dialogs", "Please confirm"),
                      text, QMessageBox.Yes | QMessageBox.No, parent)
    box.setDefaultButton(QMessageBox.No)
    box.button(QMessageBox.Yes).setText(QCoreApplication.translate("Dialogs", "Yes"))
    box.button(QMessageBox.No).setText(QCoreApplication.translate("Dialogs", "No"))

    def finished(result: int) -> None:
        if result == QMessageBox.Yes:
            on_yes()

    box.finished.connect(finished)
    box.open()
    return box


def crash(parent: QWidget | None, log_file: str) -> QMessageBox:
    text = QCoreApplication.translate(
        "Dialogs", "The application hit an error it did not expect. Data already saved is safe, "
                   "and the form being typed was kept as a draft.\n\nWhat to do: close this message "
                   "and carry on; if the error comes back, close the application and open it again. "
                   "If it still happens, send the log file to the branch IT team (it holds no "
                   "personal data):\n{path}").format(path=log_file)
    return _box(parent, QMessageBox.Critical,
                QCoreApplication.translate("Dialogs", "Unexpected error"), text)
