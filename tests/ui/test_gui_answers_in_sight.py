"""The answer to an action at the foot of a long page is scrolled into sight on a laptop
screen: the receipt printer's test page (a printer not plugged in) and the branch's
targets (saved, or a figure refused), on the settings page of a window as large as a
1280x720 laptop leaves it (taskbar and title bar: 70 px) and of a 1024x600 netbook's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

pytestmark = pytest.mark.gui


def on_screen(window, widget) -> bool:
    """`widget` wholly inside the visible part of its page."""
    holder = window.stack.currentWidget()  # the page's scroll area
    viewport = holder.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return widget.isVisible() and viewport.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(1280, 650), (1024, 530)])
def test_a_test_page_to_an_unplugged_printer_answers_in_sight(qtbot, translations, store, officer,
                                                              make_window, tmp_path, size):
    window = make_window()
    window.resize(*size)
    window.show_page("settings")
    box = window.settings_page.receipt_printer
    window.stack.currentWidget().verticalScrollBar().setValue(0)  # as the page opens
    box.connection.setCurrentIndex(box.connection.findData("serial"))
    box.target.setText(str(tmp_path / "ttyUSB7"))  # no such device: the printer is unplugged
    qtbot.wait(50)
    assert not on_screen(window, box.status)  # below the fold before the officer acts
    qtbot.keyClick(box.test_button, Qt.Key_U, Qt.AltModifier)
    qtbot.waitUntil(lambda: "ttyUSB7" in box.status.text(), timeout=10_000)
    qtbot.waitUntil(lambda: on_screen(window, box.status), timeout=2_000)


def test_targets_saved_or_refused_answer_in_sight(qtbot, translations, store, officer, make_window):
    window = make_window()
    window.resize(1280, 650)
    window.show_page("settings")
    targets = window.settings_page.targets
    scroll = window.stack.currentWidget().verticalScrollBar()
    scroll.setValue(0)
    targets.money.setText("seratus juta")  # not a number: refused under its box
    qtbot.wait(50)
    assert not on_screen(window, targets.save_button)
    targets.save()
    qtbot.waitUntil(lambda: on_screen(window, targets.boxes["contribution_rupiah"]), timeout=2_000)
    scroll.setValue(0)
    targets.money.setText("Rp154.000.000.000")
    targets.save()
    qtbot.waitUntil(lambda: targets.state.text().startswith("Ditetapkan")
                    or "Siti Rahmawati" in targets.state.text(), timeout=5_000)
    qtbot.waitUntil(lambda: on_screen(window, targets.state), timeout=2_000)
