"""An answer to the officer's action stays in sight.

Every page sits in a scroll area of its own (`MainWindow.add_page`), and on a 1366x768 or
1280x720 laptop the lower parts of a long page (the receipt printer's settings, the
branch's targets) are below the fold: an answer written under a button there (“Printer
/dev/ttyUSB7 tidak ditemukan…”) was on the page but not on the screen, and the officer
who pressed Alt+U saw nothing happen.  `reveal(widget)` scrolls every scroll area around
a widget until it shows; `AnswerLabel` does it whenever its text is set, for a label that
only ever answers an action.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget

MARGIN = 12  # px kept around the widget, so its neighbours show it is not the page's edge


def reveal(widget: QWidget) -> None:
    """Scroll the scroll areas holding `widget` so that it is on screen (after the layout
    has placed its new text); nothing while its page is not the one shown."""
    def scroll() -> None:
        if not widget.isVisible():
            return
        # The new text may take more lines: lay the page out first (the label's own
        # height, the page's), or a long answer is scrolled to by its first line only.
        QApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea) and parent.widget() is not None \
                    and parent.widget().isAncestorOf(widget):
                parent.ensureWidgetVisible(widget, MARGIN, MARGIN)
            parent = parent.parentWidget()
    QTimer.singleShot(0, scroll)


class AnswerLabel(QLabel):
    """A label for the answer to an action: shown on screen whenever it says something."""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        if text:
            reveal(self)
