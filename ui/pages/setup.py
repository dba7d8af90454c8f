"""First start: who is working on this laptop (branch, officer name and
employee number) and in which language.  Stored in the database (officers
table and settings); afterwards the app opens straight to work.

The branch is picked from the branch list, never typed (a typo would make a
new branch).  A refused start puts the keyboard in the first field in error,
and each field's error goes away as soon as that field is changed.

Signals:
    completed(object): the officer dict, once stored.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from bpjs_field.domain.registration import field_errors
from bpjs_field.errors import ValidationError, ValidationErrors
from ui import dialogs
from ui.ops import Ops
from ui.style import add_heading
from ui.tasks import DbExecutor
from ui.widgets.fields import EnterMovesOn, FieldBox
from ui.widgets.fit import fit_to_content


class SetupDialog(QDialog):
    completed = Signal(object)

    def __init__(self, executor: DbExecutor, branches: list[str], lang: str = "id",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupDialog")
        self.setWindowTitle(self.tr("Welcome to BPJS Field"))
        self.executor = executor
        self.lang = lang
        layout = QVBoxLayout(self)
        add_heading(layout, self.tr("Set up this laptop"),
                    self.tr("Enter your branch and your name once. Registrations and check-ins "
                            "you make are recorded under your name."))
        enter = EnterMovesOn(self)
        self.branch = QComboBox()
        self.branch.addItems(branches)
        self.name = QLineEdit()
        self.employee_no = QLineEdit()
        self.employee_no.setPlaceholderText("KC-0421")
        self.language = QComboBox()
        self.language.addItem("Bahasa Indonesia", "id")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.boxes: dict[str, FieldBox] = {}
        for key, text, widget in (("branch", self.tr("Branch office"), self.branch),
                                  ("full_name", self.tr("Your full name"), self.name),
                                  ("employee_no", self.tr("Employee number"), self.employee_no),
                                  ("language", self.tr("Language"), self.language)):
            widget.setObjectName(f"setup_{key}")
            widget.installEventFilter(enter)
            self.boxes[key] = FieldBox(text, widget)
            layout.addWidget(self.boxes[key])
            self.clear_error_on_change(key, widget)
        self.start_button = QPushButton(self.tr("Start working"))
        self.start_button.setObjectName("setupStart")
        self.start_button.setProperty("primary", True)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.submit)
        layout.addWidget(self.start_button)
        self.resize(520, 420)
        fit_to_content(self)
        self.name.setFocus()

    def clear_error_on_change(self, key: str, widget: QWidget) -> None:
        """A field's error goes once the officer changes that field."""
        signal = widget.textChanged if isinstance(widget, QLineEdit) else widget.currentIndexChanged
        signal.connect(lambda *_: self.boxes[key].show_error(None))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors under their fields; the keyboard goes to the first field in error."""
        first = None
        for key, box in self.boxes.items():  # in the form's order
            if key in errors:
                box.show_error(errors[key])
                first = first or box.field
        if first is not None:
            first.setFocus(Qt.OtherFocusReason)
            if isinstance(first, QLineEdit):
                first.selectAll()

    def submit(self) -> None:
        for box in self.boxes.values():
            box.show_error(None)
        values: dict[str, Any] = {"full_name": self.name.text(),
                                  "employee_no": self.employee_no.text(),
                                  "branch": self.branch.currentText(),
                                  "language": self.language.currentData()}
        self.start_button.setEnabled(False)
        Ops.for_executor(self.executor).setup_officer(values, on_done=self._done,
                                                      on_error=self._failed)

    def _done(self, officer: dict[str, Any]) -> None:
        self.start_button.setEnabled(True)
        self.completed.emit(officer)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.start_button.setEnabled(True)
        if isinstance(exc, (ValidationErrors, ValidationError)):
            self.show_errors(field_errors(exc, self.lang))
            return
        dialogs.error(self, exc, self.lang)

    def chosen_language(self) -> str:
        return self.language.currentData()
