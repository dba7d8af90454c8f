"""The mouse wheel scrolls the page, not the field under the pointer.

Qt lets a combo box or number field take every wheel turn that passes over it, even when
the officer only scrolls the page: scrolling down the settings page changed the receipt
printer's paper width on the way.  Installed once on the application: such a field takes
the wheel only when it has the keyboard focus (clicked or reached with Tab); otherwise
the turn goes to the scroll area around it, as over any label.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget


FIELDS = (QComboBox, QAbstractSpinBox)


class WheelScrollsPage(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind not in (QEvent.Wheel, QEvent.Polish) or not isinstance(obj, FIELDS):
            return False
        if kind == QEvent.Polish:
            # Qt gives these fields the focus on a wheel turn before the turn arrives
            # (Qt.WheelFocus): the focus comes from a click or Tab only.
            if obj.focusPolicy() == Qt.WheelFocus:
                obj.setFocusPolicy(Qt.StrongFocus)
            return False
        if obj.hasFocus():
            return False
        area = _scroll_area_around(obj)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event.clone())
        return True  # never a value changed by a wheel turn meant for the page


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QComboBox):
            return parent
        parent = parent.parentWidget()
    return None


def install(app: QCoreApplication) -> WheelScrollsPage:
    keeper = WheelScrollsPage(app)
    app.installEventFilter(keeper)
    return keeper
