"""Peserta: everybody in the database, searchable as you type.

The table without a search is the lazy 300,000-row model; typing switches it
to search results (name, NIK, phone or registration code).  Searches run on
the database worker: a short debounce, never more than one in flight, and a
result whose text is no longer in the box is thrown away.

Signals:
    search_finished(int): results for the current text are on screen (their count).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMessageBox,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from bpjs_field.domain.followup import LABELS, STATUSES
from bpjs_field.store import views
from ui import dialogs
from ui.context import AppContext, Changes
from ui.formats import number
from ui.models import columns
from ui.models.people_model import PeopleTableModel
from ui.models.search_model import SearchResultsModel
from ui.pages.person_detail import PersonDetail
from ui.pages.person_edit import PersonEditDialog
from ui.roles import may_supervise
from ui.style import set_role
from ui.tasks import DbExecutor

SEARCH_DELAY_MS = 5  # a scanner or fast typist is coalesced by the one-search-in-flight rule
SEARCH_LIMIT = 100


class PeoplePage(QWidget):
    search_finished = Signal(int)

    def __init__(self, ctx: AppContext, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peoplePage")
        self.ctx = ctx
        self.executor = executor
        self.people = PeopleTableModel(executor, self)
        self.results = SearchResultsModel(self)
        self._generation = 0
        self._searching = False
        self._pending = False
        self._stale = True
        self._detail_id: str | None = None
        self._role: str | None = None
        self._keep_rowid: int | None = None
        self._restoring_row = False
        self._build()
        self.people.loaded.connect(self._loaded)
        self.people.dataChanged.connect(self._rows_arrived)
        ctx.data_changed.connect(self._data_changed)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        title = QLabel(self.tr("Participants"))
        set_role(title, "title")
        top.addWidget(title)
        self.count = QLabel()
        self.count.setObjectName("peopleCount")
        top.addWidget(self.count, 1, Qt.AlignRight)
        layout.addLayout(top)
        self.search = QLineEdit()
        self.search.setObjectName("peopleSearch")
        self.search.setPlaceholderText(self.tr("Search by name, NIK, mobile number or registration code"))
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet("font-size: 14pt;")
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(lambda: self.table.setFocus())
        # Follow-up status: who still needs a call, who has a KPJ, who paid, who stopped.
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("peopleStatus")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status in STATUSES:
            self.status_filter.addItem(LABELS[status][1 if self.ctx.lang == "en" else 0], status)
        self.status_filter.setToolTip(self.tr("Follow-up status of their registrations"))
        self.status_filter.currentIndexChanged.connect(self._status_changed)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.status_filter)
        layout.addLayout(search_row)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)

        splitter = QSplitter()
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setModel(self.people)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        # Widths from the text they hold (a masked NIK, a phone number), measured once on the
        # font in use; the name takes what is left.  Nothing needs a horizontal scroll bar, so
        # the phone column is always in sight (300,000 rows: never ResizeToContents).
        metrics = self.table.fontMetrics()
        pad = 24
        self._widths: dict[int, int] = {}
        for column, sample in ((columns.IDENT, "321609******0001"), (columns.PHONE, "0812-****-7890"),
                               (columns.DISTRICT, "Cikarang Utara"), (columns.CODES, "K7QM-003A-X")):
            self._widths[column] = metrics.horizontalAdvance(sample) + pad
        self._name_room = metrics.horizontalAdvance("Nur'aini Hasanah Siregar") + pad
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.viewport().installEventFilter(self)
        self._setup_columns()
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        splitter.addWidget(self.table)
        self.detail = PersonDetail(self.ctx.lang)
        self.detail.edit_requested.connect(self.edit_person)
        self.detail.reveal_requested.connect(self.reveal_nik)
        self.detail.erase_requested.connect(self.confirm_erase)
        self.detail.followup_requested.connect(self.record_followup)
        self.detail.reprint_requested.connect(
            lambda registration_id: self.ctx.navigate("print", registration_id=registration_id))
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        self._split = False
        layout.addWidget(splitter, 1)
        self._connect_selection()
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus,
                  context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.edit_current,
                  context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.detail._reprint,
                  context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+K"), self, activated=self.detail._followup,
                  context=Qt.WidgetWithChildrenShortcut)

    # Kept last to first when the list is narrow (a 1280-pixel screen with the detail open):
    # the codes and the kecamatan are in the detail too; name, NIK and phone always show.
    OPTIONAL_COLUMNS = (columns.CODES, columns.DISTRICT)

    def _setup_columns(self) -> None:
        """Modes and widths of the columns; again after each model switch (the header
        forgets them when the model changes)."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(header.count()):
            header.setSectionResizeMode(column, QHeaderView.Stretch if column == columns.NAME
                                        else QHeaderView.Interactive)
            if column in self._widths:
                self.table.setColumnWidth(column, self._widths[column])
        self._fit_columns()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.table.viewport() and event.type() == event.Type.Resize:
            self._fit_columns()
        return super().eventFilter(obj, event)

    def _fit_columns(self) -> None:
        room = self.table.viewport().width() - self._name_room
        fixed = [columns.IDENT, columns.PHONE, *reversed(self.OPTIONAL_COLUMNS)]
        for column in fixed:
            width = self._widths[column]
            if column in self.OPTIONAL_COLUMNS:
                fits = room >= width
                if self.table.isColumnHidden(column) == fits:
                    self.table.setColumnHidden(column, not fits)
                    if fits:
                        self.table.setColumnWidth(column, width)
                if not fits:
                    continue
            room -= width

    def _connect_selection(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur.row()))

    def _set_model(self, model) -> None:
        if self.table.model() is not model:
            self.table.setModel(model)
            self._connect_selection()
            self._setup_columns()

    # -- loading --------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._split and self.splitter.width() > 0:
            # The list gets three fifths of the room: the detail's long texts wrap, names do not.
            self._split = True
            width = self.splitter.width()
            self.splitter.setSizes([width * 3 // 5, width - width * 3 // 5])
        if self._stale:
            self.reload()
            if self._detail_id:
                self.show_person(self._detail_id)
        QTimer.singleShot(0, self.search.setFocus)

    def _status_changed(self, _index: int) -> None:
        self.people.status = self.status_filter.currentData()
        self.reload()

    def reload(self) -> None:
        self._stale = False
        if self.table.model() is self.people:  # the chosen person stays chosen after a reload
            self._keep_rowid = self.people.rowid_at(self.table.currentIndex().row())
        self.people.reload()
        if self.search.text().strip():
            self.run_search()

    def _loaded(self, count: int) -> None:
        if self.people.status is None:
            self.count.setText(self.tr("{count} participants").format(
                count=number(count, self.ctx.lang)))
        else:
            self.count.setText(self.tr("{count} participants · {status}").format(
                count=number(count, self.ctx.lang), status=self.status_filter.currentText()))
        row = self.people.row_of(self._keep_rowid)
        self._keep_rowid = None
        if row >= 0 and self.table.model() is self.people:
            # Quietly: the detail already shows this person (and the notice refreshes it).
            self._restoring_row = True
            try:
                self.table.selectRow(row)
            finally:
                self._restoring_row = False
            self.table.scrollTo(self.people.index(row, 0))

    def _data_changed(self, changes: Changes) -> None:
        if changes.people or changes.registrations:
            if not self.isVisible():
                self._stale = True  # refresh when shown, not while the officer works elsewhere
                return
            self.reload()
            # The person in the detail changed (or may have: a pull names no ids).
            if self._detail_id and (not changes.person_ids or self._detail_id in changes.person_ids):
                self.show_person(self._detail_id)

    # -- search ---------------------------------------------------------------------------
    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self._generation += 1
            self._set_model(self.people)
            return
        if self._searching:
            self._pending = True  # one search at a time; the newest text runs next
            return
        self._generation += 1
        generation = self._generation
        self._searching = True
        status = self.status_filter.currentData()
        self.executor.run(lambda s: _search(s, text, status),
                          lambda hits: self._found(generation, text, hits), self._search_failed)

    def _found(self, generation: int, text: str, hits: list[dict[str, Any]]) -> None:
        self._searching = False
        current = self.search.text().strip()
        if generation == self._generation and text == current:
            self.results.set_rows(hits)
            self._set_model(self.results)
            self.search_finished.emit(len(hits))
        if self._pending:
            self._pending = False
            if current != text:
                self.run_search()

    def _search_failed(self, exc: BaseException) -> None:
        self._searching = False
        self._pending = False
        dialogs.error(self, exc, self.ctx.lang)

    # -- detail and editing -------------------------------------------------------------
    def _row(self, row: int) -> dict[str, Any] | None:
        model = self.table.model()
        return model.row_at(row)

    def _select(self, row: int) -> None:
        if self._restoring_row:
            return
        data = self._row(row)
        if data is None:
            self.detail.clear()
            return
        self.show_person(data["id"])

    def _rows_arrived(self, top_left, bottom_right) -> None:
        """The current row was chosen before its block had arrived: show it now."""
        if self.table.model() is not self.people:
            return
        row = self.table.currentIndex().row()
        if top_left.row() <= row <= bottom_right.row():
            data = self.people.row_at(row)
            if data is not None and data["id"] != self._detail_id:
                self.show_person(data["id"])

    def show_person(self, person_id: str) -> None:
        self._detail_id = person_id
        self.executor.run(lambda s: views.person_detail(s, person_id), self._show_detail,
                          lambda exc: dialogs.error(self, exc, self.ctx.lang))

    def _show_detail(self, detail: dict[str, Any]) -> None:
        if detail["person"]["id"] == self._detail_id:
            self.detail.show_detail(detail)

    def confirm_erase(self, person_id: str, withdrawn: bool) -> None:
        """Ask once more, then erase (or record withdrawn consent and erase) through the core."""
        text = (self.tr("Record that this person withdrew consent? Their personal data are then "
                        "erased on this laptop, on the branch server and on every other laptop. "
                        "Registrations and counts stay.") if withdrawn else
                self.tr("Erase this person's personal data (name, NIK, phone, address, birth "
                        "data)? This cannot be undone. Registrations and counts stay."))
        box = QMessageBox(QMessageBox.Warning, self.tr("Personal data"), text,
                          QMessageBox.Yes | QMessageBox.Cancel, self)
        box.setDefaultButton(QMessageBox.Cancel)
        box.setObjectName("confirmErase")
        box.accepted.connect(lambda: self._erase(person_id, withdrawn))
        box.finished.connect(box.deleteLater)
        self.erase_box = box
        box.open()

    def _erase(self, person_id: str, withdrawn: bool) -> None:
        # The notice of the erasure names the person: the detail shows them erased.
        self.ctx.ops.erase_person(person_id, withdrawn=withdrawn,
                                  on_error=lambda exc: dialogs.error(self, exc, self.ctx.lang))

    def reveal_nik(self, person_id: str) -> None:
        self.executor.run(lambda s: views.reveal_nik(s, person_id),
                          lambda nik: self._revealed(person_id, nik))

    def _revealed(self, person_id: str, nik: str | None) -> None:
        if person_id == self._detail_id:
            self.detail.show_full_ident(nik)

    def apply_role(self, role: str | None) -> None:
        """Editing and erasing people are a supervisor's: the detail's buttons, and the
        double-click and Ctrl+E that would open the editor."""
        self._role = role
        self.detail.apply_role(role)

    def edit_current(self) -> None:
        if self.detail.person is not None and may_supervise(self._role):
            self.edit_person(self.detail.person)

    def edit_person(self, person: dict[str, Any]) -> None:
        dialog = PersonEditDialog(person, self.ctx.ops, self.ctx.lang, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.edit_dialog = dialog

    def record_followup(self, registrations: list[dict[str, Any]]) -> None:
        from ui.pages.followup_dialog import FollowupDialog
        dialog = FollowupDialog(registrations, self.ctx.ops, self.ctx.lang, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.followup_dialog = dialog


def _search(store: Any, text: str, status: str | None) -> list[dict[str, Any]]:
    """Search hits, only those with a registration at `status` when one is chosen (a wider
    search first, so a filter does not leave the page with a few of the first hits).  A KPJ
    number (typed, or a membership card scanned into the search) finds its holder."""
    from bpjs_field.domain.followup import clean_kpj
    kpj = clean_kpj(text)
    if len(kpj) == 11 and kpj.isascii() and kpj.isdigit():
        code = store.scalar("SELECT code FROM registrations WHERE kpj_no = ? LIMIT 1", (kpj,))
        if code is not None:
            hits = store.search_index.search(code, SEARCH_LIMIT)
            if status is not None:
                keep = store.people.with_status([h["id"] for h in hits], status)
                hits = [h for h in hits if h["id"] in keep]
            return hits
    if status is None:
        return store.search_index.search(text, SEARCH_LIMIT)
    hits = store.search_index.search(text, SEARCH_LIMIT * 10)
    keep = store.people.with_status([h["id"] for h in hits], status)
    return [h for h in hits if h["id"] in keep][:SEARCH_LIMIT]
