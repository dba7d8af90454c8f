"""A name with a space typed into a combo box picks that name ("Cikarang Utara", not the
Cikarang Barat that Qt's list opened on the space and the rest of the name then chose); a
space on its own still opens the list."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from bpjs_field.domain.regions import districts
from ui.widgets import combo_search


def kecamatan(qtbot) -> QComboBox:
    box = QComboBox()
    box.addItem("", None)
    for d in districts():
        box.addItem(f"{d.name} ({d.regency})", d.code)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    box.setFocus()
    return box


def test_a_kecamatan_name_with_a_space_is_typed_whole(qtbot, qapp):
    keeper = combo_search.install(qapp)
    try:
        names = [d.name for d in districts() if " " in d.name]
        assert {"Cikarang Utara", "Cikarang Barat"} <= set(names)
        for name in names:
            box = kecamatan(qtbot)
            qtbot.keyClicks(box, name)
            assert box.currentText().startswith(name + " ("), (name, box.currentText())
            assert not box.view().isVisible()
        box = kecamatan(qtbot)
        qtbot.wait(qapp.keyboardInputInterval() + 100)  # nothing typed just before
        qtbot.keyClicks(box, " ")
        qtbot.waitUntil(box.view().isVisible)  # Space alone opens the list, as always
        box.hidePopup()
    finally:
        qapp.removeEventFilter(keeper)

