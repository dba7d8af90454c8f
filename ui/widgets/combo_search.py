"""Typing a choice whose name has a space: "Cikarang Utara", "Tambun Selatan", "Serang Baru".

A combo box finds its item as the officer types its first letters, but Qt opens the list
on Space: "Cikarang Utara" typed into the Kecamatan field stopped at "Cikarang", opened
the list, and the rest of the name picked something else (Cikarang Barat).  Installed once
on the application: a Space typed while a name is being typed (within Qt's keyboard input
interval of the last letter) goes on with the name; a Space on its own still opens the list.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox

TYPED_AT = "bpjsTypedAt"  # when a letter was last typed into the combo box (monotonic s)


class SpaceContinuesSearch(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.KeyPress or not isinstance(obj, QComboBox) or obj.isEditable():
            return False
        now = time.monotonic()
        if event.key() == Qt.Key_Space and not event.modifiers() & ~Qt.KeypadModifier:
            typed = obj.property(TYPED_AT)
            if typed is None or now - typed > QApplication.keyboardInputInterval() / 1000:
                return False  # Space on its own: the list opens, as Qt does
            obj.setProperty(TYPED_AT, now)
            # A key press with no key but its text: the combo box adds it to its search.
            QCoreApplication.sendEvent(obj, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, " "))
            return True
        text = event.text()
        if text and text.isprintable():
            obj.setProperty(TYPED_AT, now)
        return False


def install(app: QCoreApplication) -> SpaceContinuesSearch:
    keeper = SpaceContinuesSearch(app)
    app.installEventFilter(keeper)
    return keeper
