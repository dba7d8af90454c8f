"""A wheel turn over a combo box or number field scrolls the page unless that field has the
keyboard focus: scrolling the settings page never changes a setting on the way."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (QApplication, QComboBox, QScrollArea, QSpinBox, QVBoxLayout,
                               QWidget)

from ui.widgets import wheel


def turn_down(widget) -> None:
    at = QPointF(5, 5)
    QApplication.sendEvent(widget, QWheelEvent(at, widget.mapToGlobal(at), QPoint(0, 0),
                                               QPoint(0, -120), Qt.NoButton, Qt.NoModifier,
                                               Qt.NoScrollPhase, False))


def test_the_wheel_scrolls_the_page_past_unfocused_fields(qtbot, qapp):
    page = QWidget()
    layout = QVBoxLayout(page)
    paper = QComboBox()
    paper.addItems(["58 mm", "80 mm"])
    copies = QSpinBox()
    copies.setRange(1, 30)
    copies.setValue(10)
    layout.addWidget(paper)
    layout.addWidget(copies)
    layout.addSpacing(3000)
    keeper = wheel.install(qapp)  # before the fields are shown (polished)
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.resize(400, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    try:
        # A wheel turn never gives them the focus (Qt's default would, before the turn).
        assert paper.focusPolicy() == copies.focusPolicy() == Qt.StrongFocus
        area.setFocus()
        for field in (paper, copies):
            before = area.verticalScrollBar().value()
            turn_down(field)
            assert area.verticalScrollBar().value() > before  # the page moved
        assert (paper.currentIndex(), copies.value()) == (0, 10)  # no value did
        area.verticalScrollBar().setValue(0)
        paper.setFocus()
        qtbot.waitUntil(paper.hasFocus)
        turn_down(paper)  # chosen with a click or Tab: the wheel is the field's
        assert paper.currentIndex() == 1
    finally:
        qapp.removeEventFilter(keeper)


def test_the_app_scrolls_pages_with_the_wheel_and_keeps_typed_names_whole(qapp):
    """(Here, last of the GUI files: `create_application` styles the test application.)"""
    from ui.app import create_application
    from ui.widgets import combo_search
    app = create_application([])
    assert isinstance(app.wheel_keeper, wheel.WheelScrollsPage)
    assert isinstance(app.combo_search, combo_search.SpaceContinuesSearch)
