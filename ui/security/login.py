"""Logging in to the encrypted laptop database, and protecting a new one on first start.

`LoginDialog` asks the employee number and password and opens the database
(`bpjs_field.security.session.unlock`); a wrong password, a locked account and
a damaged key file are shown under the form, and the password field is cleared.
The check (argon2id, about 0.2 s, and the core's slow-down after failures) runs
on a worker thread (`ui.security.password_check`): the dialog keeps painting and
says it is checking, and the button and Enter do nothing until the answer is in.
`ProtectedSetupDialog` is the first-start setup with a password: it creates the
random database key and the first (supervisor) account, still on the GUI thread
behind a wait cursor (nothing else is running yet).  It offers two uses: the
laptop's real database, which starts empty, or "Latihan (data contoh)", a
training database of its own beside the real one (`bpjs_field.demo.training_path`)
that the workstation fills with sample participants and marks LATIHAN
everywhere.  The login to a training database offers to set the laptop up for
real work.

Signals:
    LoginDialog.logged_in(object): the opened Store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import session
from bpjs_field.security.passwords import MIN_LENGTH
from bpjs_field.store import Store
from ui.pages.setup import SetupDialog
from ui.security.password_check import check_in_background, show_refusal
from ui.style import add_heading, set_role
from ui.widgets.fields import EnterMovesOn, FieldBox
from ui.widgets.fit import fit_to_content


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
                 parent: QWidget | None = None, *, training: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("BPJS Field: log in"))
        self.db_path = Path(db_path)
        self.lang = lang
        self.store: Store | None = None
        self.wants_real_setup = False  # a training login that chose to set up for real work
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
        if training:
            self.setWindowTitle(self.tr("BPJS Field: training (LATIHAN)"))
            banner = training_banner()
            layout.insertWidget(0, banner)
            real = QPushButton(self.tr("Set up this laptop for real work…"))
            real.setObjectName("loginRealSetup")
            real.setAutoDefault(False)
            real.clicked.connect(self._real_setup)
            layout.addWidget(real)
        layout.addStretch(1)
        self.resize(460, 380)
        fit_to_content(self)
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

    def _real_setup(self) -> None:
        if self.checking:
            return
        self.wants_real_setup = True
        self.reject()


def training_banner() -> QLabel:
    """The orange LATIHAN strip of the training database (login, window, lock screen)."""
    banner = QLabel(QCoreApplication.translate(
        "Training", "LATIHAN: training database with sample participants, not real data"))
    banner.setObjectName("trainingBanner")
    banner.setAlignment(Qt.AlignCenter)
    banner.setWordWrap(True)
    banner.setStyleSheet("background: #e65100; color: white; font-weight: bold; padding: 4px;")
    return banner


class ProtectedSetupDialog(SetupDialog):
    """First start of a new laptop database: who works here, and their password."""

    REAL, TRAINING = "real", "training"

    def __init__(self, db_path: Path, branches: list[str], lang: str = "id",
                 parent: QWidget | None = None, *, offer_training: bool = True) -> None:
        super().__init__(None, branches, lang, parent)  # type: ignore[arg-type]
        self.db_path = Path(db_path)
        self.store: Store | None = None
        self.training = False  # True once a training database was made
        self.password = password_field("setup_password")
        self.confirm = password_field("setup_confirm")
        layout = self.layout()
        self.use = QComboBox()
        self.use.setObjectName("setup_use")
        self.use.addItem(self.tr("This laptop's work (starts empty)"), self.REAL)
        if offer_training:
            self.use.addItem(self.tr("Latihan (data contoh): a separate training database"),
                             self.TRAINING)
        self.use.installEventFilter(EnterMovesOn(self))
        self.boxes_use = FieldBox(self.tr("Use"), self.use)
        layout.insertWidget(2, self.boxes_use)  # under the title and its introduction
        self.boxes_use.setVisible(offer_training)
        if offer_training:
            self.use.setFocus()
        index = layout.indexOf(self.start_button)
        note = QLabel(self.tr("Choose a password of at least %1 characters, not a common one "
                              "(three words are easy to remember). The data on this laptop are "
                              "encrypted with it; you will be its supervisor and can add the "
                              "other officers' accounts.").replace("%1", str(MIN_LENGTH)))
        note.setWordWrap(True)
        for offset, (key, text, widget) in enumerate((
                ("password", self.tr("Password"), self.password),
                ("confirm", self.tr("Repeat the password"), self.confirm))):
            self.boxes[key] = FieldBox(text, widget)
            layout.insertWidget(index + offset, self.boxes[key])
        layout.insertWidget(index, note)
        for key in ("password", "confirm"):
            self.clear_error_on_change(key, self.boxes[key].field)
        # The password boxes were made after the start button: put them back in the typing order.
        QWidget.setTabOrder(self.use, self.branch)
        QWidget.setTabOrder(self.language, self.password)
        QWidget.setTabOrder(self.password, self.confirm)
        QWidget.setTabOrder(self.confirm, self.start_button)
        # As tall as its wrapped texts need at this width (a fixed height clipped the note).
        self.setMinimumWidth(580)
        self.resize(580, self.heightForWidth(580) if self.hasHeightForWidth() else self.sizeHint().height())

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
        training = self.use.currentData() == self.TRAINING
        path = self.db_path
        if training:
            from bpjs_field.demo import training_path
            path = training_path(self.db_path)
        try:
            with _WaitCursor():
                self.store = session.create_protected(path, **values)
        except BpjsFieldError as exc:
            self.password.clear()
            self.confirm.clear()
            target = {"security.password_short": "password", "security.password_common": "password",
                      "security.password_simple": "password",
                      "security.password_mismatch": "confirm"}.get(exc.code)
            if target:
                self.show_errors({target: exc.message(self.lang)})
                return
            self._failed(exc)
            return
        if training:  # filled with the sample participants by the workstation
            from bpjs_field.demo import mark_training
            mark_training(self.store)
            self.training = True
        self.completed.emit({"employee_no": values["employee_no"]})
        self.accept()
