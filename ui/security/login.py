"""Logging in to the encrypted laptop database, and protecting a new one on first start.

`LoginDialog` asks the employee number and password and opens the database
(`bpjs_field.security.session.unlock`); a wrong password, a locked account and
a damaged key file are shown under the form, and the password field is cleared.
The check (argon2id, about 0.2 s, and the core's slow-down after failures) runs
on a worker thread (`ui.security.password_check`): the dialog keeps painting and
says it is checking, and the button and Enter do nothing until the answer is in.
`ProtectedSetupDialog` is the first-start setup with a password: it creates the
random database key and the first (supervisor) account, still on the GUI thread
behind a wait cursor (nothing else is running yet).

Signals:
    LoginDialog.logged_in(object): the opened Store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QDialog, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import session
from bpjs_field.store import Store
from ui.pages.setup import SetupDialog
from ui.security.password_check import check_in_background, show_refusal
from ui.style import add_heading, set_role
from ui.widgets.fields import EnterMovesOn, FieldBox


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.Password)
    field.setMaxLength(256)
    return field


class _WaitCursor:
    def __enter__(self) -> None:
        QApplication.setOverrideCursor(Qt.WaitCursor)

    def __exit__(self, *exc: object) -> None:
        QApplication.restoreOverrideCursor()


class LoginDialog(QDialog):
    logged_in = Signal(object)

    def __init__(self, db_path: Path, lang: str = "id", employee_no: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("BPJS Field: log in"))
        self.db_path = Path(db_path)
        self.lang = lang
        self.store: Store | None = None
        self.checking = False  # a password check is running on the worker thread
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        add_heading(layout, self.tr("Log in"),
                    self.tr("The data on this laptop are encrypted. Enter your employee "
                            "number and password to open them."))
        enter = EnterMovesOn(self)
        self.employee_no = QLineEdit(employee_no)
        self.employee_no.setObjectName("login_employee_no")
        self.employee_no.setPlaceholderText("KC-0421")
        self.employee_no.setMaxLength(40)
        self.employee_no.installEventFilter(enter)
        self.password = password_field("login_password")
        layout.addWidget(FieldBox(self.tr("Employee number"), self.employee_no))
        layout.addWidget(FieldBox(self.tr("Password"), self.password))
        self.message = QLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        layout.addWidget(self.message)
        self.login_button = QPushButton(self.tr("Log in"))
        self.login_button.setObjectName("loginButton")
        self.login_button.setProperty("primary", True)
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        layout.addWidget(self.login_button)
        forgot = QLabel(self.tr("Forgot your password? A supervisor of this laptop can set a new one."))
        forgot.setWordWrap(True)
        set_role(forgot, "hint")
        layout.addWidget(forgot)
        layout.addStretch(1)
        self.resize(460, 380)
        (self.password if employee_no else self.employee_no).setFocus()

    def submit(self) -> None:
        # Enter in the password field arrives twice (returnPressed, then the dialog's default
        # button) and impatient officers press it again: one check at a time, or each extra
        # press would count as a failed login towards the lock-out.
        if self.checking:
            return
        self.message.setText("")
        number, password = self.employee_no.text(), self.password.text()
        if not number.strip():
            self.message.setText(self.tr("Enter your employee number."))
            self.employee_no.setFocus()
            return
        self._set_checking(True)
        db_path = self.db_path
        check_in_background(self, lambda: session.unlock(db_path, number, password),
                            self._opened, self._refused, discard=lambda store: store.close())

    def _set_checking(self, checking: bool) -> None:
        self.checking = checking
        self.login_button.setEnabled(not checking)
        self.login_button.setText(self.tr("Checking the password…") if checking else self.tr("Log in"))
        # Read-only, not disabled: the focus stays in the password field.
        self.employee_no.setReadOnly(checking)
        self.password.setReadOnly(checking)
        if checking:
            self.setCursor(Qt.BusyCursor)
        else:
            self.unsetCursor()

    def _opened(self, store: Store) -> None:
        self.store = store
        self.logged_in.emit(self.store)
        self.accept()
        self._set_checking(False)

    def _refused(self, exc: BaseException) -> None:
        self._set_checking(False)
        show_refusal(exc, self.message, self.password, self.lang)

    def reject(self) -> None:
        if self.checking:  # Esc while checking: the answer (maybe an open database) is coming
            return
        super().reject()


class ProtectedSetupDialog(SetupDialog):
    """First start of a new laptop database: who works here, and their password."""

    def __init__(self, db_path: Path, branches: list[str], lang: str = "id",
                 parent: QWidget | None = None) -> None:
        super().__init__(None, branches, lang, parent)  # type: ignore[arg-type]
        self.db_path = Path(db_path)
        self.store: Store | None = None
        self.password = password_field("setup_password")
        self.confirm = password_field("setup_confirm")
        layout = self.layout()
        index = layout.indexOf(self.start_button)
        note = QLabel(self.tr("Choose a password of at least 8 characters. The data on this "
                              "laptop are encrypted with it; you will be its supervisor and "
                              "can add the other officers' accounts."))
        note.setWordWrap(True)
        for offset, (key, text, widget) in enumerate((
                ("password", self.tr("Password"), self.password),
                ("confirm", self.tr("Repeat the password"), self.confirm))):
            self.boxes[key] = FieldBox(text, widget)
            layout.insertWidget(index + offset, self.boxes[key])
        layout.insertWidget(index, note)
        # The password boxes were made after the start button: put them back in the typing order.
        QWidget.setTabOrder(self.language, self.password)
        QWidget.setTabOrder(self.password, self.confirm)
        QWidget.setTabOrder(self.confirm, self.start_button)
        self.resize(520, 600)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Enter in the first password box moves on to the second instead of submitting
        # a half-filled form through the dialog's default button.
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.password.hasFocus():
            self.confirm.setFocus()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        for box in self.boxes.values():
            box.show_error(None)
        values: dict[str, Any] = {"full_name": self.name.text(),
                                  "employee_no": self.employee_no.text(),
                                  "branch": self.branch.currentText(),
                                  "language": self.language.currentData(),
                                  "password": self.password.text(),
                                  "confirm": self.confirm.text()}
        try:
            with _WaitCursor():
                self.store = session.create_protected(self.db_path, **values)
        except BpjsFieldError as exc:
            self.password.clear()
            self.confirm.clear()
            target = {"security.password_short": "password", "security.password_common": "password",
                      "security.password_simple": "password",
                      "security.password_mismatch": "confirm"}.get(exc.code)
            if target:
                self.boxes[target].show_error(exc.message(self.lang))
                return
            self._failed(exc)
            return
        self.completed.emit({"employee_no": values["employee_no"]})
        self.accept()
