"""An unexpected error: logged, the half-typed form kept as a draft, and a dialog in Indonesian
that says what to do next and where the log is."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from gui_helpers import type_text
from ui import app as app_module


def test_unexpected_error_keeps_the_draft_and_explains(qtbot, store, officer, make_window, translations,
                                                       tmp_path, monkeypatch):
    shown = []
    real_crash = app_module.dialogs.crash

    def crash(parent, log_file):
        box = real_crash(parent, log_file)
        shown.append(box)
        return box

    monkeypatch.setattr(app_module.dialogs, "crash", crash)
    window = make_window()
    window.show_page("registration")
    form = window.registration.form
    type_text(qtbot, form.widgets["full_name"], "Nur Hidayah")
    log_file = tmp_path / "bpjs_field.log"
    previous = sys.excepthook
    app_module.install_excepthook(log_file)
    try:
        try:
            raise RuntimeError("something unexpected")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    assert store.load_draft("registration")["full_name"] == "Nur Hidayah"  # kept at once, no debounce
    (box,) = shown
    assert box.icon() == QMessageBox.Critical
    text = box.text()
    assert "Yang perlu dilakukan" in text and str(log_file) in text and "tidak berisi data pribadi" in text
    box.close()
    QApplication.processEvents()
