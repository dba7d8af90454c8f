"""Text that gives way to the room it has.

`ElidedLabel`: a one-line label that ends in "…" when the room is short and shows the whole
text as its tooltip, instead of pushing its neighbours (the sync state in the status bar)
off the window.  `heading_lines`: a column heading on two or three lines, so a table of
short numbers under long Indonesian headings fits without scrolling sideways."""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.setMinimumWidth(60)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        self.setToolTip(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        margins = self.contentsMargins()
        return QSize(self.fontMetrics().horizontalAdvance(self.text()) + margins.left()
                     + margins.right() + 4, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignVCenter), text)


def heading_lines(text: str, lines: int = 2) -> str:
    """A column heading on at most `lines` lines, its words split where the longest line is
    shortest, on fewer lines when that is as short ("Milik sendiri, belum di cabang" on 3:
    "Milik sendiri,\nbelum di\ncabang");
    a single word stays as it is."""
    words = text.split(" ")

    def rank(parts: list[str]) -> tuple:  # shortest longest line, fewest lines, fullest first
        return max(map(len, parts)), len(parts), [-len(p) for p in parts]

    splits = ([" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)))]
              for count in range(1, min(lines, len(words)) + 1)
              for cuts in combinations(range(1, len(words)), count - 1))
    return "\n".join(min(splits, key=rank))
