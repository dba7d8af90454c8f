"""A labelled input with its own error line, and keyboard helpers for forms.

`FieldBox` puts the label above the input and the plain-language error (or
warning) right under it, so a message always sits next to its field.
`EnterMovesOn` makes Enter behave like Tab in data-entry forms; Ctrl+Enter is
left free for saving.  `DateTimeField` is a date-and-time field that Tab and Enter
leave, as any other field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QVBoxLayout, QWidget

from ui.style import set_role


class FieldBox(QWidget):
    """Label, input and an error line that is hidden while empty."""

    def __init__(self, label: str, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        self.label = QLabel(label)
        self.label.setWordWrap(True)  # long Indonesian labels must not widen the form
        self.label.setBuddy(field)
        if isinstance(field, QComboBox):
            field.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            field.setMinimumContentsLength(12)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.message.setObjectName(f"error_{field.objectName()}")
        layout.addWidget(self.label)
        layout.addWidget(field)
        layout.addWidget(self.message)

    def show_error(self, text: str | None) -> None:
        self._show(text, "error")

    def show_warning(self, text: str | None) -> None:
        self._show(text, "warning")

    def _show(self, text: str | None, role: str) -> None:
        self.message.setText(text or "")
        set_role(self.message, role)
        self.message.setVisible(bool(text))

    @property
    def error_text(self) -> str:
        return self.message.text() if self.message.isVisible() else ""


class EnterMovesOn(QObject):
    """Event filter: Return/Enter without Ctrl moves the focus to the next field."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.KeyPress or event.key() not in (Qt.Key_Return, Qt.Key_Enter):
            return False
        if event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            return False
        if isinstance(obj, QComboBox) and obj.view().isVisible():
            return False  # Enter picks the highlighted item from the open list
        if isinstance(obj, QWidget):
            obj.focusNextChild()
            return True
        return False


class DateTimeField(QDateTimeEdit):
    """Qt's date-and-time field takes Tab (and so Enter, with `EnterMovesOn`) to move to
    its next section: leaving "dd-MM-yyyy HH.mm" took five key presses.  Here they move
    to the next field; typing a section whole moves to the next section, and the arrow
    keys move between them.  Reached with Tab or Shift+Tab, the field starts at its first
    section (Qt's starts at the last one on Shift+Tab), so what is typed reads in order."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt override)
        return QWidget.focusNextPrevChild(self, next)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        if event.reason() in (Qt.TabFocusReason, Qt.BacktabFocusReason) and self.sectionCount():
            self.setSelectedSection(self.sectionAt(0))
