"""The audit viewer: a supervisor's page listing who did what, when, on which device.

Filters: action, officer and a plain text (ids in the details).  Rows are read on
the database thread through the executor; newest first, at most 500 shown.
Actions and details are shown in words in the officer's language
(`ui.security.audit_texts`), never as codes or JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from bpjs_field.domain.formatting import format_datetime
from bpjs_field.security.audit import audit_actions, audit_entries
from ui.security.audit_texts import action_text, details_text
from ui.style import add_heading
from ui.tasks import DbExecutor


class AuditPage(QWidget):
    def __init__(self, executor: DbExecutor, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.executor = executor
        self.lang = lang
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        add_heading(layout, self.tr("Audit log"))
        filters = QHBoxLayout()
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.officer = QComboBox()
        self.officer.setObjectName("auditOfficer")
        self.text = QLineEdit()
        self.text.setObjectName("auditText")
        self.text.setMaxLength(200)
        self.text.setPlaceholderText(self.tr("Id or code in the details"))
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        for label, widget in ((self.tr("Action"), self.action), (self.tr("Officer"), self.officer)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(refresh)
        layout.addLayout(filters)
        self.model = QStandardItemModel(0, 5, self)
        self.model.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Officer"), self.tr("Action"),
                                              self.tr("Device"), self.tr("Details")])
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        header = self.table.horizontalHeader()
        # Time, officer, action and device whole, never "5 …": measured after each fill
        # (ResizeToContents alone left them at their first, empty width); details take the rest.
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.count = QLabel("")
        self.count.setObjectName("auditCount")
        layout.addWidget(self.count)
        self._debounce = QTimer(self, singleShot=True, interval=250, timeout=self.refresh)
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.action.activated.connect(lambda _i: self.refresh())
        self.officer.activated.connect(lambda _i: self.refresh())
        self._filled = False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._filled:
            self._filled = True
            self.executor.run(lambda s: (audit_actions(s), s.officers.list()), self._fill_filters)
        self.refresh()

    def _fill_filters(self, data: tuple[list[str], list[dict[str, Any]]]) -> None:
        actions, officers = data
        self.action.clear()
        self.action.addItem(self.tr("All"), None)
        for action in actions:
            self.action.addItem(action_text(action), action)
        self.officer.clear()
        self.officer.addItem(self.tr("All"), None)
        for officer in officers:
            self.officer.addItem(f"{officer['full_name']} ({officer['employee_no']})", officer["id"])

    def refresh(self) -> None:
        action, officer, text = self.action.currentData(), self.officer.currentData(), self.text.text()
        self.executor.run(lambda s: audit_entries(s, action=action, officer_id=officer,
                                                  text=text.strip() or None), self._show)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for row in rows:
            who = f"{row['officer_name']} ({row['employee_no']})" if row["officer_name"] else "—"
            items = [format_datetime(datetime.fromisoformat(row["at"]), self.lang) if row["at"] else "",
                     who, action_text(row["action"]), (row["device_id"] or "")[:8],
                     details_text(row["details"])]
            cells = [QStandardItem(str(v)) for v in items]
            cells[2].setToolTip(row["action"])  # the code, for branch IT
            cells[4].setToolTip(cells[4].text())
            self.model.appendRow(cells)
        for column in range(4):
            self.table.resizeColumnToContents(column)
        self.count.setText(self.tr("{n} entries").format(n=len(rows)))
