"""A dialog as tall as its content at its width, whatever the language and the font.

Qt gives a top-level window a minimum height that ignores how many lines its word-wrapped
labels take at the window's width: the training login (its LATIHAN strip and the Indonesian
texts on two lines each) came out 57 px short under the branch laptops' fonts, and Qt
squeezed the employee number and password fields to half their height; an error message
of two lines did the same to the ordinary login.  `fit_to_content(dialog)` keeps the
dialog's minimum height at what its layout needs for the current width, and grows the
dialog to it whenever its content changes (a message shown, a field's error, a language).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


def needed_height(widget: QWidget) -> int:
    layout = widget.layout()
    if layout is None:
        return widget.minimumSizeHint().height()
    if layout.hasHeightForWidth():
        return layout.totalHeightForWidth(widget.width())
    return layout.totalMinimumSize().height()


def fit(widget: QWidget) -> None:
    need = needed_height(widget)
    screen = widget.screen()
    if screen is not None:  # never past the screen: a dialog that tall scrolls its content
        need = min(need, screen.availableGeometry().height())
    widget.setMinimumHeight(need)
    if widget.height() < need:
        widget.resize(widget.width(), need)


class _Fits(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.LayoutRequest, QEvent.Show, QEvent.Resize) and \
                isinstance(obj, QWidget):
            # after the layout has taken the change in: the event's own handling comes first
            QTimer.singleShot(0, obj, lambda: fit(obj))
        return False


def fit_to_content(widget: QWidget) -> None:
    """Keep `widget` (a dialog with a layout) from being shorter than its content."""
    keeper = _Fits(widget)
    widget.installEventFilter(keeper)
