"""Sync conflicts on the Sinkronisasi page, for a supervisor: who, which field, the value every
laptop holds now, the value that lost, from which laptops, when; and the two decisions.

`ConflictsModel` is the table (masked values come from the core already masked).
`ConflictsPanel` reads and decides through the DB executor (network included, as the
enrolment does): never on the GUI thread, never SQL here.  "Use the other value" is an
edit of the person on this laptop, sent by the controller's next sync, after which the
panel's refresh tells the server (bpjs_field/sync/conflicts.py).  The panel reads the list
only while it is on screen (each reading is an audited look at personal data) and again
after every sync; showing the values in full is a separate, audited reading.

Signals:
    ConflictsPanel.decided(int): a decision on this conflict id was recorded on this laptop.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex, QObject,
                            QSortFilterProxyModel, Qt, Signal)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from bpjs_field.errors import BpjsFieldError
from bpjs_field.sync.conflicts import KEEP, USE_OTHER, ConflictList, ConflictView, list_conflicts
from ui import dialogs
from ui.models.columns import ROW_ROLE, SORT_ROLE
from ui.ops import Ops
from ui.sync.controller import SyncController
from ui.sync.texts import when_text
from ui.tasks import DbExecutor

PERSON, FIELD, CURRENT, OTHER, LAPTOPS, WHEN = range(6)
COLUMN_COUNT = 6


def headers() -> tuple[str, ...]:
    return (QCoreApplication.translate("ConflictsPanel", "Person"),
            QCoreApplication.translate("ConflictsPanel", "Field"),
            QCoreApplication.translate("ConflictsPanel", "Current value"),
            QCoreApplication.translate("ConflictsPanel", "Other value"),
            QCoreApplication.translate("ConflictsPanel", "Laptops (current / other)"),
            QCoreApplication.translate("ConflictsPanel", "Found"))


def field_name(field: str) -> str:
    names = {
        "full_name": QCoreApplication.translate("ConflictsPanel", "Name"),
        "phone": QCoreApplication.translate("ConflictsPanel", "Mobile"),
        "email": QCoreApplication.translate("ConflictsPanel", "Email"),
        "address": QCoreApplication.translate("ConflictsPanel", "Address"),
        "birth_date": QCoreApplication.translate("ConflictsPanel", "Birth date"),
        "birth_place": QCoreApplication.translate("ConflictsPanel", "Birth place"),
        "sex": QCoreApplication.translate("ConflictsPanel", "Sex"),
        "occupation": QCoreApplication.translate("ConflictsPanel", "Occupation"),
        "district_code": QCoreApplication.translate("ConflictsPanel", "Kecamatan"),
        "kitas_no": QCoreApplication.translate("ConflictsPanel", "KITAS/KITAP"),
    }
    return names.get(field, field)


def who(row: ConflictView) -> str:
    if row.entity != "person":
        return f"{row.entity} {row.entity_id[:8]}"
    return row.person or QCoreApplication.translate("ConflictsPanel", "(not on this laptop yet)")


class ConflictsModel(QAbstractTableModel):
    def __init__(self, lang: str = "id", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._rows: list[ConflictView] = []
        self._headers = headers()

    def set_rows(self, rows: list[ConflictView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ConflictView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < COLUMN_COUNT:
            return self._headers[section]
        return None

    def _cell(self, row: ConflictView, column: int) -> str:
        if column == PERSON:
            return who(row)
        if column == FIELD:
            return field_name(row.field)
        if column == CURRENT:
            return row.current
        if column == OTHER:
            return row.other
        if column == LAPTOPS:
            return f"{row.current_laptop} / {row.other_laptop}"
        if column == WHEN:
            return when_text(row.detected_at, self.lang)
        return ""

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return self._cell(row, index.column())
        if role == SORT_ROLE:
            return row.detected_at if index.column() == WHEN else self._cell(row, index.column())
        if role == ROW_ROLE:
            return row
        if role == Qt.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ForegroundRole and row.pending:
            return QColor("#757575")  # decided here, waiting for the server
        return None

    def _tooltip(self, row: ConflictView) -> str:
        lines = [QCoreApplication.translate("ConflictsPanel", "Current value from %1, typed %2")
                 .replace("%1", row.current_laptop).replace("%2", when_text(row.current_at, self.lang)),
                 QCoreApplication.translate("ConflictsPanel", "Other value from %1, typed %2")
                 .replace("%1", row.other_laptop).replace("%2", when_text(row.other_at, self.lang))]
        if row.pending:
            lines.append(QCoreApplication.translate("ConflictsPanel", "Decided here; sent at the next sync."))
        return "\n".join(lines)


class ConflictsPanel(QGroupBox):
    decided = Signal(int)

    def __init__(self, executor: DbExecutor, controller: SyncController,
                 parent: QWidget | None = None, *, lang: str = "id") -> None:
        super().__init__(parent)
        self.executor = executor
        self.controller = controller
        self.lang = lang
        self.revealed = False
        self.loading = False
        self._stale = True
        self._unavailable = False  # hidden: no server yet, or not a supervisor's laptop there
        self.setObjectName("conflictsPanel")
        self.setTitle(self.tr("Conflicts to decide"))
        self.model = ConflictsModel(lang, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("conflictsTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        # The laptops' names are long and the least needed: they give way, so the time
        # of the conflict stays whole without scrolling sideways (a tooltip has them all).
        header.setSectionResizeMode(LAPTOPS, QHeaderView.Stretch)
        self.message = QLabel(self)
        self.message.setObjectName("conflictsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        self.keep_button = QPushButton(self.tr("&Keep current value"), self)
        self.keep_button.clicked.connect(lambda: self.ask(KEEP))
        self.other_button = QPushButton(self.tr("&Use other value"), self)
        self.other_button.clicked.connect(lambda: self.ask(USE_OTHER))
        self.reveal_button = QPushButton(self.tr("Show &full values"), self)
        self.reveal_button.setCheckable(True)
        self.reveal_button.setToolTip(self.tr("Phone numbers, e-mail and KITAS are masked; "
                                              "showing them is recorded in the audit log."))
        self.reveal_button.toggled.connect(self.set_revealed)
        self.reload_button = QPushButton(self.tr("&Reload"), self)
        self.reload_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        for button in (self.keep_button, self.other_button, self.reveal_button, self.reload_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.controller.sync_finished.connect(lambda _result: self._after_sync())
        self._enable()

    # -- reading -------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _after_sync(self) -> None:
        # Only a list on screen is read again: each reading is an audited look at personal data.
        page = self.parentWidget()
        if self.isVisible() or (self._unavailable and page is not None and page.isVisible()):
            self.refresh()
        else:
            self._stale = True

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed
        self.refresh()

    def refresh(self) -> None:
        if self.loading:
            self._stale = True
            return
        self.loading = True
        self._stale = False
        self.message.setText(self.tr("Reading the conflicts from the branch server…"))
        self._enable()
        reveal, http_factory = self.revealed, self.controller.http_factory

        def read(store) -> ConflictList:
            with http_factory() as http:
                return list_conflicts(store, http, reveal=reveal)
        self.executor.run(read, self._shown, self._failed)

    def _shown(self, found: ConflictList) -> None:
        self.loading = False
        selected = self.selected()
        self.model.set_rows(found.rows)
        self.table.sortByColumn(WHEN, Qt.DescendingOrder)
        self._select(selected.id if selected else None)
        parts = [self.tr("%1 conflict(s) waiting for a decision.").replace("%1", str(len(found.rows)))
                 if found.rows else self.tr("No conflicts are waiting for a decision.")]
        for done in found.finished:
            if "error" in done:
                parts.append(self.tr("The server did not record the decision on conflict %1: %2")
                             .replace("%1", str(done["id"]))
                             .replace("%2", BpjsFieldError(done["error"]).message(self.lang)))
            else:
                parts.append(self.tr("Decision recorded; %1 conflict(s) settled.")
                             .replace("%1", str(len(done["resolved"]))))
        if found.waiting:
            parts.append(self.tr("%1 decision(s) waiting for the next sync.")
                         .replace("%1", str(found.waiting)))
        self.message.setText(" ".join(parts))
        self._unavailable = False
        self.setVisible(True)
        self._enable()
        if self._stale:
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        code = getattr(exc, "code", "")
        if code in ("conflicts.server_supervisor_only", "sync.no_server", "sync.not_enrolled"):
            # Not a supervisor's laptop on the server, or no server yet: nothing to show.
            self.model.set_rows([])
            self._unavailable = True
            self.setVisible(False)
            return
        if isinstance(exc, BpjsFieldError):
            self.message.setText(exc.message(self.lang))
        else:
            dialogs.error(self, exc, self.lang)
        self._enable()

    # -- deciding ------------------------------------------------------------------------
    def selected(self) -> ConflictView | None:
        index = self.table.currentIndex()
        return self.proxy.data(index, ROW_ROLE) if index.isValid() else None

    def _select(self, conflict_id: int | None) -> None:
        for r in range(self.proxy.rowCount()):
            if conflict_id is None or self.proxy.data(self.proxy.index(r, 0), ROW_ROLE).id == conflict_id:
                self.table.setCurrentIndex(self.proxy.index(r, 0))
                self.table.selectRow(r)
                return

    def _enable(self) -> None:
        row = self.selected()
        open_row = row is not None and not row.pending and not self.loading
        self.keep_button.setEnabled(open_row)
        self.other_button.setEnabled(open_row and row.can_use_other)

    def ask(self, choice: str) -> None:
        row = self.selected()
        if row is None or row.pending:
            return
        if choice == KEEP:
            text = self.tr("Keep the current value of %1 for %2 (%3)? Nothing is changed on the "
                           "laptops.")
            value = row.current
        else:
            text = self.tr("Use the other value of %1 for %2 (%3)? The person is edited on this "
                           "laptop and every laptop gets the value at its next sync.")
            value = row.other
        text = text.replace("%1", field_name(row.field)).replace("%2", who(row)).replace("%3", value)
        if row.same_field > 1:
            text += " " + self.tr("%1 conflicts of this field are settled together.").replace(
                "%1", str(row.same_field))
        self.confirm_box = dialogs.confirm(self, text, lambda: self.decide(row, choice))
        self.confirm_box.setObjectName("confirmConflict")

    def decide(self, row: ConflictView, choice: str) -> None:
        self.keep_button.setEnabled(False)
        self.other_button.setEnabled(False)

        def done(_entry: dict[str, Any]) -> None:
            self.decided.emit(row.id)
            if choice == USE_OTHER:
                self.message.setText(self.tr("Saved on this laptop; sending it to the server…"))
                self.controller.sync_now()  # the refresh after it tells the server
            else:
                self.refresh()  # tells the server at once: nothing to push first

        Ops.for_executor(self.executor).settle_conflict(
            self.controller.http_factory, row.id, choice, row.current_hlc, on_done=done,
            on_error=self._failed)
