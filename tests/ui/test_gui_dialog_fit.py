"""Dialogs as tall as their content: word-wrapped texts (the LATIHAN strip, Indonesian
hints, an error message of several lines) never squeeze the fields the officer types in."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from ui.security.login import LoginDialog


def assert_whole(dialog) -> None:
    need = dialog.layout().totalHeightForWidth(dialog.width())
    assert dialog.height() >= need
    for field in dialog.findChildren(QLineEdit):
        if field.isVisible():  # the focused one's hint is 2 px more (its thicker focus border)
            slack = 2 if field.hasFocus() else 0
            assert field.height() >= field.sizeHint().height() - slack, field.objectName()
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()[:30]


def test_the_training_login_and_its_error_message_fit(qtbot, tmp_path):
    dialog = LoginDialog(tmp_path / "bpjs_field-latihan.sqlite3", "id", training=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(460, 200)  # shorter than its content, as Qt's own minimum allowed
    qtbot.waitUntil(lambda: dialog.height() > 200)
    qtbot.wait(50)
    assert_whole(dialog)
    before = dialog.height()
    dialog.message.setText(" ".join(["Nomor pegawai atau kata sandi salah."] * 8))
    qtbot.waitUntil(lambda: dialog.height() > before)
    qtbot.wait(50)
    assert_whole(dialog)
