"""The Cancel and Save row at the foot of an editing dialog, and the dialog that saves
through it.

`SaveCancelRow`: Cancel closes the dialog without saving; Save (also Ctrl+S and
Ctrl+Return from any field of the dialog) calls the dialog's save.  The button
texts are translated here, in the context `SaveCancelRow`, once for every dialog.

`SavingDialog`: a dialog whose save runs an operation (`ui.ops`): Save is off
while it runs; on success the dialog emits `saved(result)` and closes; a refused
value is shown under its field (`show_errors`, the dialog's own), anything else
in a message box, and the dialog stays open with what was typed.

Signals:
    SavingDialog.saved(object): what the operation returned (the row as stored).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QDialog, QHBoxLayout, QPushButton, QWidget

from bpjs_field.errors import ValidationError, ValidationErrors
from ui import dialogs

SAVE_KEYS = ("Ctrl+S", "Ctrl+Return")


class SaveCancelRow(QWidget):
    """Cancel and Save (Ctrl+S) at the right; `save_button` carries `save_name`."""

    def __init__(self, dialog: QDialog, save: Callable[[], None], save_name: str) -> None:
        super().__init__(dialog)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(dialog.reject)
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_button.setObjectName(save_name)
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(save)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        for keys in SAVE_KEYS:
            QShortcut(QKeySequence(keys), dialog, activated=save,
                      context=Qt.WidgetWithChildrenShortcut)


class SavingDialog(QDialog):
    """Base of the editing dialogs: subclasses build their fields, call `add_buttons`,
    implement `save` (starting an operation with `on_done=self.saved_ok`,
    `on_error=self.save_failed`) and `show_errors`."""

    saved = Signal(object)

    def __init__(self, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang

    def add_buttons(self, layout: QBoxLayout, save_name: str) -> SaveCancelRow:
        row = SaveCancelRow(self, self.save, save_name)
        self.save_button = row.save_button
        layout.addWidget(row)
        return row

    def save(self) -> None:
        raise NotImplementedError

    def show_errors(self, exc: ValidationErrors | ValidationError) -> None:
        raise NotImplementedError

    def saving(self) -> None:
        """The operation started: one save at a time."""
        self.save_button.setEnabled(False)

    def saved_ok(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, (ValidationErrors, ValidationError)):
            self.show_errors(exc)
        else:
            dialogs.error(self, exc, self.lang)
