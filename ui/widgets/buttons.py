"""The Cancel and Save row at the foot of an editing dialog.

Cancel closes the dialog without saving; Save (also Ctrl+S and Ctrl+Return from
any field of the dialog) calls the dialog's save.  The button texts are
translated here, in the context `SaveCancelRow`, once for every dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

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
