"""Accounts of this laptop, for its supervisor: who may log in, with which role, and
whether the account came from the branch server (branch password) or was made here; add
an officer, or set a new password (and role) for one who forgot theirs.

Passwords never leave this page except into `bpjs_field.security.session` (through
`ui.ops`), which wraps the database key with them; every change is audited there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import session
from ui.ops import Ops
from ui.security.login import password_field
from ui.style import add_heading, set_role
from ui.tasks import DbExecutor


class AccountsPage(QWidget):
    def __init__(self, executor: DbExecutor, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsPage")
        self.executor = executor
        self.lang = lang
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        add_heading(layout, self.tr("Accounts on this laptop"))
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("accountsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Employee number"), self.tr("Name"),
                                              self.tr("Role"), self.tr("Password"), self.tr("Locked")])
        self.table.horizontalHeaderItem(3).setToolTip(self.tr(
            "Branch: the account comes from the branch server and uses the branch password; "
            "the laptop follows the branch's changes at each sync. Laptop: made on this laptop."))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self._add_box(), 1)
        row.addWidget(self._reset_box(), 1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("accountsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

    def _role_choice(self) -> QComboBox:
        combo = QComboBox()
        combo.addItem(self.tr("Officer"), "officer")
        combo.addItem(self.tr("Supervisor"), "supervisor")
        return combo

    def _add_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Add an officer"))
        form = QFormLayout(box)
        self.new_number = QLineEdit()
        self.new_number.setObjectName("newEmployeeNo")
        self.new_name = QLineEdit()
        self.new_name.setObjectName("newFullName")
        self.new_role = self._role_choice()
        self.new_password = password_field("newPassword")
        self.new_confirm = password_field("newConfirm")
        form.addRow(self.tr("Employee number"), self.new_number)
        form.addRow(self.tr("Name"), self.new_name)
        form.addRow(self.tr("Role"), self.new_role)
        form.addRow(self.tr("Password"), self.new_password)
        form.addRow(self.tr("Repeat the password"), self.new_confirm)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addAccount")
        self.add_button.clicked.connect(self.add_account)
        form.addRow(self.add_button)
        return box

    def _reset_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("New password for the selected account"))
        form = QFormLayout(box)
        self.reset_role = self._role_choice()
        self.reset_password = password_field("resetPassword")
        self.reset_confirm = password_field("resetConfirm")
        form.addRow(self.tr("Role"), self.reset_role)
        form.addRow(self.tr("Password"), self.reset_password)
        form.addRow(self.tr("Repeat the password"), self.reset_confirm)
        self.reset_button = QPushButton(self.tr("Set new password"))
        self.reset_button.setObjectName("resetAccount")
        self.reset_button.clicked.connect(self.reset_selected)
        form.addRow(self.reset_button)
        return box

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.executor.run(session.accounts, self._show, self._failed)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        roles = {"officer": self.tr("Officer"), "supervisor": self.tr("Supervisor")}
        sources = {"server": self.tr("Branch"), "laptop": self.tr("Laptop")}
        for i, row in enumerate(rows):
            locked = self.tr("{seconds} s").format(seconds=int(row["locked_for"])) if row["locked_for"] else ""
            for j, value in enumerate((row["employee_no"], row["full_name"],
                                       roles.get(row["role"], row["role"]),
                                       sources.get(row["source"], row["source"]), locked)):
                self.table.setItem(i, j, QTableWidgetItem(value))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        set_role(self.message, "error" if error else "hint")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, BpjsFieldError):
            self._say(exc.message(self.lang), error=True)
        else:
            raise exc

    def add_account(self) -> None:
        number, name = self.new_number.text(), self.new_name.text()
        role, password, confirm = self.new_role.currentData(), self.new_password.text(), self.new_confirm.text()

        def done(account) -> None:
            for field in (self.new_number, self.new_name, self.new_password, self.new_confirm):
                field.clear()
            self._say(self.tr("Account {number} added.").format(number=account.employee_no))
            self.refresh()

        Ops.for_executor(self.executor).add_account(
            employee_no=number, full_name=name, role=role, password=password, confirm=confirm,
            on_done=done, on_error=self._failed)

    def reset_selected(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            self._say(self.tr("Choose an account in the list first."), error=True)
            return
        number = self.rows[selected[0].row()]["employee_no"]
        role, password, confirm = (self.reset_role.currentData(), self.reset_password.text(),
                                   self.reset_confirm.text())

        def done(account) -> None:
            self.reset_password.clear()
            self.reset_confirm.clear()
            self._say(self.tr("New password set for {number}.").format(number=account.employee_no))
            self.refresh()

        Ops.for_executor(self.executor).reset_password(number, password, confirm, role,
                                                       on_done=done, on_error=self._failed)
