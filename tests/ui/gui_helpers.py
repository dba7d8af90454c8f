"""Keyboard helpers for GUI tests (ASCII through keyClicks; anything else per character)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def type_text(qtbot, widget, text: str) -> None:
    """Type into the focused widget: keyClicks aborts on non-ASCII, so send those as events."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QCoreApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def focused():
    return QApplication.focusWidget()


def enter(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key_Return)


def type_and_enter(qtbot, text: str, expect: str | None = None) -> None:
    widget = focused()
    if expect is not None:
        assert widget.objectName() == expect, f"focus is on {widget.objectName()!r}, not {expect!r}"
    if text:
        type_text(qtbot, widget, text)
    qtbot.keyClick(widget, Qt.Key_Return)
