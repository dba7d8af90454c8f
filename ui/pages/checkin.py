"""Kehadiran: the door.  One large input that keeps the focus.

A USB barcode scanner types the registration code and Enter; the answer shows
at once in large type and colour: checked in (green), already checked in and
when (amber), or unknown code (red).  Anything that is not a code is searched
by name or NIK; a person not yet registered goes to registration and comes
back checked in.  Ctrl+Z takes back the last check-in.  Below, the last check-ins
at the active event (newest first, NIK masked) let the officer see who just came
in; the list never takes the focus, so scanner keystrokes always land in the input.

Signals:
    checked_in(object): a CheckInResult whose status is checked_in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QTableView, QVBoxLayout,
                               QWidget)

from bpjs_field.domain.codes import looks_like_code, normalize_code
from bpjs_field.domain.formatting import format_time, to_wib
from bpjs_field.domain.nik import clean_nik, looks_like_nik
from bpjs_field.domain.segments import SEGMENTS, label
from bpjs_field.store import views
from bpjs_field.store.attendance import ALREADY, CHECKED_IN, KEPT_BY_OTHER_DESK
from ui import dialogs
from ui.context import AppContext, Changes
from ui.models import columns
from ui.models.search_model import SearchResultsModel
from ui.style import AMBER, GREEN, RED, set_role
from ui.tasks import DbExecutor

SEARCH_LIMIT = 20
RECENT_LIMIT = 10


class CheckInPage(QWidget):
    checked_in = Signal(object)

    def __init__(self, ctx: AppContext, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkInPage")
        self.ctx = ctx
        self.executor = executor
        # The last check-in this door made: (attendance id, person id, name), for Ctrl+Z.
        self.last_check_in: tuple[str, str, str] | None = None
        self._searching = False
        self._last_text = ""
        self._search_generation = 0
        self._build()
        ctx.active_event_changed.connect(lambda _e: self.refresh())
        ctx.data_changed.connect(self._data_changed)
        # The count and the last check-ins load when the page is first shown (showEvent):
        # at start the database worker stays free for the page the officer sees.

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        top = QHBoxLayout()
        title = QLabel(self.tr("Check-in"))
        set_role(title, "title")
        top.addWidget(title)
        top.addStretch(1)
        self.event_label = QLabel()
        self.event_label.setObjectName("checkInEvent")
        set_role(self.event_label, "subtitle")
        top.addWidget(self.event_label)
        layout.addLayout(top)

        self.input = QLineEdit()
        self.input.setObjectName("scanInput")
        self.input.setPlaceholderText(self.tr("Scan the code, or type a name or NIK and press Enter"))
        self.input.setStyleSheet("font-size: 26pt; padding: 8px;")
        self.input.setMaxLength(2000)  # a pre-registration QR is long
        self.input.returnPressed.connect(self.submit)
        layout.addWidget(self.input)

        self.answer = QLabel()
        self.answer.setObjectName("answer")
        self.answer.setAlignment(Qt.AlignCenter)
        self.answer.setWordWrap(True)
        self.answer.setMinimumHeight(150)
        self.answer.setTextFormat(Qt.RichText)
        layout.addWidget(self.answer)
        self.status = ""
        self._paint("", "#ffffff", "")

        counts = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("attendanceCount")
        self.count_label.setStyleSheet("font-size: 18pt; font-weight: bold;")
        counts.addWidget(self.count_label)
        self.progress = QProgressBar()
        self.progress.setObjectName("attendanceProgress")
        counts.addWidget(self.progress, 1)
        self.undo_button = QPushButton(self.tr("Undo last check-in (Ctrl+Z)"))
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setEnabled(False)
        self.undo_button.setFocusPolicy(Qt.NoFocus)
        self.undo_button.clicked.connect(self.undo_last)
        counts.addWidget(self.undo_button)
        layout.addLayout(counts)

        self.results_title = QLabel(self.tr("Search results: Up/Down to choose, Enter to check in"))
        set_role(self.results_title, "hint")
        layout.addWidget(self.results_title)
        self.results = SearchResultsModel(self)
        self.table = QTableView()
        self.table.setObjectName("checkInResults")
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.doubleClicked.connect(self._check_in_row)
        layout.addWidget(self.table, 3)
        self.register_button = QPushButton(self.tr("Not registered yet? Register this person (F2)"))
        self.register_button.setObjectName("registerFromCheckIn")
        self.register_button.setFocusPolicy(Qt.NoFocus)
        self.register_button.clicked.connect(self.go_register)
        layout.addWidget(self.register_button)

        self.recent_title = QLabel()
        self.recent_title.setObjectName("recentTitle")
        set_role(self.recent_title, "hint")
        layout.addWidget(self.recent_title)
        self.recent = RecentCheckInsModel(self.ctx.lang, self)
        self.recent_table = QTableView()
        self.recent_table.setObjectName("recentCheckIns")
        self.recent_table.setModel(self.recent)
        # Only to look at: no focus (scanner keystrokes must reach the input), no selection,
        # no scroll bars (it never holds more rows than fit).
        self.recent_table.setFocusPolicy(Qt.NoFocus)
        self.recent_table.setSelectionMode(QAbstractItemView.NoSelection)
        self.recent_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.recent_table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.recent_table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.recent_table.setAlternatingRowColors(True)
        self.recent_table.verticalHeader().setVisible(False)
        header = self.recent_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(RecentCheckInsModel.NAME, QHeaderView.Stretch)
        layout.addWidget(self.recent_table, 10)  # up to its own height, before the stretch below
        layout.addStretch(1)
        self._show_results(False)

        register = QShortcut(QKeySequence("F2"), self)
        register.setContext(Qt.WidgetWithChildrenShortcut)
        register.activated.connect(self.go_register)
        self.input.installEventFilter(self)

    # -- focus stays in the input -----------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        QTimer.singleShot(0, self.keep_focus)
        # Sync announces what it pulls (SyncController.data_pulled); coming back to the door
        # refreshes too, for anything changed while the page was away.
        if not event.spontaneous():
            self.refresh()
        self._fit_recent_table()  # the style (row height) is known once shown

    def keep_focus(self) -> None:
        if self.isVisible():
            self.input.setFocus(Qt.OtherFocusReason)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        """Up/Down in the input move through the search results; the input keeps the focus.
        Ctrl+Z takes back the last check-in (the input's own undo is of no use here)."""
        if obj is self.input and event.type() == event.Type.KeyPress and event.matches(QKeySequence.Undo):
            self.undo_last()
            return True
        if obj is self.input and event.type() == event.Type.KeyPress and self.results.rowCount():
            if event.key() in (Qt.Key_Down, Qt.Key_Up):
                row = self.table.currentIndex().row()
                row = max(0, min(self.results.rowCount() - 1,
                                 row + (1 if event.key() == Qt.Key_Down else -1)))
                self.table.selectRow(row)
                return True
        return super().eventFilter(obj, event)

    # -- scanning ---------------------------------------------------------------------
    def submit(self) -> None:
        text = self.input.text().strip()
        self.input.clear()
        if not text:
            index = self.table.currentIndex()
            if index.isValid() and self.results.rowCount():
                self._check_in_row(index)
            return
        if text.lower().startswith("bpjs-hub://"):  # the event hub's join QR, scanned here
            self._join_hub(text)
            return
        if text.upper().startswith("PRA1:"):  # a participant's pre-registration QR
            from ui.selfreg.desk import scan
            scan(self, text)
            return
        event_id = self.ctx.active_event_id
        if event_id is None:
            self._paint(self.tr("Choose the active event first (page Events)."), RED, "no_event")
            return
        self._last_text = text
        if normalize_code(text) is not None:
            self.ctx.ops.check_in_code(event_id, text,
                                       on_done=lambda result: self._answer(result, text),
                                       on_error=self._failed)
            return
        if looks_like_code(text):  # a misread or mistyped code: unknown, never a name search
            self._unknown(text, self.tr("The code's check symbol does not match: scan it again, "
                                        "or type it carefully from the receipt."))
            return
        self._search(text)

    def _join_hub(self, text: str) -> None:
        """Join the hub whose QR was scanned (its certificate is pinned by the QR itself)."""
        from bpjs_field.errors import KnownError
        from ui.sync.hub import HubController
        try:
            HubController.for_executor(self.executor).join(text)
        except KnownError as exc:
            self._paint(_esc(exc.message(self.ctx.lang)), RED, "hub_refused")
            return
        joined = self.tr("Joined the event hub")
        self._paint(f"<div style='font-size:20pt; font-weight:bold'>{_esc(joined)}</div>",
                    GREEN, "hub_joined")

    def _answer(self, result, text: str = "") -> None:
        lang = self.ctx.lang
        self._show_results(False)
        if result.status == CHECKED_IN or result.status == ALREADY:
            person = result.person or {}
            segment = ""
            if result.registration:
                segment = label(SEGMENTS, result.registration["segment"], lang)
            name = person.get("full_name", "")
            if result.status == CHECKED_IN:
                self.last_check_in = (result.attendance["id"], result.attendance["person_id"], name)
                self.undo_button.setEnabled(True)
                headline = self.tr("CHECKED IN")
                self._paint(f"<div style='font-size:30pt;font-weight:bold'>✔ {headline}</div>"
                            f"<div style='font-size:24pt'>{_esc(name)}</div>"
                            f"<div style='font-size:16pt'>{_esc(segment)}</div>", GREEN, CHECKED_IN)
                self.checked_in.emit(result)
            else:
                at = datetime.fromisoformat(result.attendance["checked_in_at"])
                headline = self.tr("ALREADY CHECKED IN")
                when = self.tr("at {time}").format(time=format_time(at, lang))
                self._paint(f"<div style='font-size:30pt;font-weight:bold'>{headline}</div>"
                            f"<div style='font-size:24pt'>{_esc(name)}</div>"
                            f"<div style='font-size:18pt'>{_esc(when)}</div>", AMBER, ALREADY)
        else:
            self._unknown(text, self.tr("Search by name or NIK, or register the person."))
        self.keep_focus()

    def _unknown(self, text: str, hint: str) -> None:
        """The large red answer for a code this laptop does not know (or cannot read)."""
        self._show_results(False)
        headline = self.tr("UNKNOWN CODE")
        self._paint(f"<div style='font-size:30pt;font-weight:bold'>✖ {headline}</div>"
                    f"<div style='font-size:20pt'>{_esc(text[:40])}</div>"
                    f"<div style='font-size:14pt'>{_esc(hint)}</div>", RED, "unknown")
        self.keep_focus()

    def _paint(self, html: str, colour: str, status: str) -> None:
        self.status = status
        self.answer.setText(html)
        text_colour = "#111111" if colour == "#ffffff" else "#ffffff"
        self.answer.setStyleSheet(f"background: {colour}; color: {text_colour}; border-radius: 8px;")

    def _failed(self, exc: BaseException) -> None:
        dialogs.error(self, exc, self.ctx.lang)
        self.keep_focus()

    # -- search fallback ------------------------------------------------------------------
    def _search(self, text: str) -> None:
        self._search_generation += 1
        generation = self._search_generation
        self.executor.run(lambda s: s.search_index.search(text, SEARCH_LIMIT),
                          lambda hits: self._found(generation, text, hits), self._failed)

    def _found(self, generation: int, text: str, hits: list[dict[str, Any]]) -> None:
        if generation != self._search_generation:
            return
        self.results.set_rows(hits)
        self._show_results(True)
        if hits:
            self.table.selectRow(0)
            self._paint(self.tr("{count} found for “{text}”. Choose the person and press Enter.")
                        .format(count=len(hits), text=_esc(text[:40])), "#ffffff", "search")
        else:
            self._paint(self.tr("Nobody found for “{text}”. Press F2 to register this person.")
                        .format(text=_esc(text[:40])), AMBER, "not_found")
        self.keep_focus()

    def _show_results(self, visible: bool) -> None:
        self.table.setVisible(visible)
        self.results_title.setVisible(visible and self.results.rowCount() > 0)
        self.register_button.setVisible(visible)
        self._searching = visible
        self._show_recent_list()

    def _check_in_row(self, index: QModelIndex) -> None:
        row = self.results.row_at(index.row())
        event_id = self.ctx.active_event_id
        if row is None or event_id is None:
            return
        self.ctx.ops.check_in(event_id, row["id"], "search", with_registration=True,
                              on_done=self._answer, on_error=self._failed)

    def go_register(self) -> None:
        """F2: register the person just searched for (the name or NIK typed is carried
        over); after a code, an empty form: a code is never taken for a name."""
        text = self._last_text if self.status in ("search", "not_found") else ""
        payload: dict[str, Any] = {"check_in": True, "return_to": "checkin"}
        if looks_like_nik(text):
            payload["nik"] = clean_nik(text)
        elif text and not looks_like_code(text):
            payload["full_name"] = text
        self.ctx.navigate("registration", **payload)

    def prepare(self, payload: dict[str, Any]) -> None:
        """Back from registration: show the new person as checked in."""
        result = payload.get("registered")
        if result is not None and result.checked_in:
            from bpjs_field.store.attendance import CheckInResult
            event_id = self.ctx.active_event_id
            self.executor.run(
                lambda s: s.attendance.get(event_id, result.person["id"]),
                lambda att: self._answer(CheckInResult(CHECKED_IN, result.person, att,
                                                       result.registration)))
        elif payload.get("checked_in") is not None:
            self._answer(payload["checked_in"])

    # -- undo and counts ----------------------------------------------------------------
    def undo_last(self) -> None:
        if self.last_check_in is None:
            return
        attendance_id, person_id, name = self.last_check_in
        self.last_check_in = None
        self.undo_button.setEnabled(False)

        def undone(outcome: str) -> None:
            if outcome == KEPT_BY_OTHER_DESK:  # a sync joined it to another desk's check-in
                text = self.tr("Your scan of {name} is taken back. Another desk checked {name} "
                               "in too, so {name} stays checked in.").format(name=name)
                self._paint(f"<div style='font-size:18pt'>{_esc(text)}</div>", AMBER, "undone_kept")
            elif outcome:
                text = self.tr("Last check-in taken back.")
                self._paint(f"<div style='font-size:22pt'>{_esc(text)}</div>", "#ffffff", "undone")
            else:
                text = self.tr("Nothing to take back: that check-in is no longer on this laptop.")
                self._paint(f"<div style='font-size:18pt'>{_esc(text)}</div>", AMBER, "undo_nothing")
            self.keep_focus()

        self.ctx.ops.undo_check_in(attendance_id, self.ctx.active_event_id, person_id=person_id,
                                   on_done=undone, on_error=self._failed)

    def _data_changed(self, changes: Changes) -> None:
        if changes.event_id is not None and changes.event_id != self.ctx.active_event_id:
            return  # another event's registration or check-in: nothing shown here changed
        if changes.attendance or changes.events:
            self.refresh_count()
        if changes.attendance or changes.events or changes.people:  # names change, people are erased
            self.refresh_recent()

    def refresh(self) -> None:
        self.refresh_count()
        self.refresh_recent()

    def refresh_count(self) -> None:
        event = self.ctx.active_event
        if event is None:
            self.event_label.setText(self.tr("No active event"))
            self.count_label.setText("")
            self.progress.setVisible(False)
            return
        self.event_label.setText(event["title"])
        event_id = event["id"]
        self.executor.run(lambda s: views.event_progress(s, event_id), self._show_count)

    def _show_count(self, progress: dict[str, Any]) -> None:
        if progress["event"]["id"] != self.ctx.active_event_id:
            return
        count, target = progress["attendance"], progress["target"]
        if target:
            self.count_label.setText(self.tr("Present: {count} of {target}").format(
                count=count, target=target))
            self.progress.setRange(0, target)
            self.progress.setValue(min(count, target))
            self.progress.setVisible(True)
        else:
            self.count_label.setText(self.tr("Present: {count}").format(count=count))
            self.progress.setVisible(False)

    # -- the last check-ins -------------------------------------------------------------
    def refresh_recent(self) -> None:
        event_id = self.ctx.active_event_id
        if event_id is None:
            self._show_recent(None, [])
            return
        self.executor.run(lambda s: s.attendance.recent(event_id, RECENT_LIMIT),
                          lambda rows: self._show_recent(event_id, rows))

    def _show_recent(self, event_id: str | None, rows: list[dict[str, Any]]) -> None:
        if event_id != self.ctx.active_event_id:  # the officer switched events meanwhile
            return
        self.recent.set_rows(rows)
        self._show_recent_list()
        self._fit_recent_table()

    def _fit_recent_table(self) -> None:
        """As tall as its rows and no taller: the page's stretch takes the rest.  Measured
        from the view itself, whose row height follows the style and font in use."""
        table = self.recent_table
        table.setMaximumHeight(table.horizontalHeader().sizeHint().height()
                               + table.verticalHeader().length() + 2 * table.frameWidth())

    def _show_recent_list(self) -> None:
        """Hidden while search results are shown (they need the room), and without an event."""
        has_event = self.ctx.active_event is not None
        self.recent_title.setVisible(has_event and not self._searching)
        self.recent_table.setVisible(has_event and not self._searching and self.recent.rowCount() > 0)
        self.recent_title.setText(self.tr("Last check-ins, newest first") if self.recent.rowCount()
                                  else self.tr("Nobody has checked in at this event yet."))


class RecentCheckInsModel(QAbstractTableModel):
    """The last check-ins at the active event as a table: time (WIB), name, masked NIK or
    passport, officer.  Row 0 is the newest and shows in bold.  No sort proxy: the order
    is the point of the list, and it never holds more than a few rows."""

    TIME, NAME, IDENT, OFFICER = range(4)
    COLUMN_COUNT = 4

    def __init__(self, lang: str = "id", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._rows: list[dict[str, Any]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            column = index.column()
            if column == self.TIME:
                return clock_time(row.get("checked_in_at"), self.lang)
            if column == self.NAME:
                return row.get("full_name") or ""
            if column == self.IDENT:
                return columns.ident_text(row)  # masked, as on every list
            if column == self.OFFICER:
                return row.get("officer_name") or ""
            return None
        if role == Qt.FontRole and index.row() == 0:
            return self._bold
        if role == columns.ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.DisplayRole) -> Any:
        if role != Qt.DisplayRole or orientation != Qt.Horizontal:
            return None
        people = columns.headers()
        titles = (self.tr("Time"), people[columns.NAME], people[columns.IDENT], self.tr("Officer"))
        return titles[section] if 0 <= section < len(titles) else None


def clock_time(text: str | None, lang: str = "id") -> str:
    """The clock time in WIB, short for a list: `14.30` in Indonesian, `14:30` in English
    (`format_time`'s digits, without its "pukul … WIB")."""
    try:
        local = to_wib(datetime.fromisoformat(text or ""))
    except ValueError:
        return ""
    return f"{local:%H:%M}" if lang == "en" else f"{local:%H.%M}"


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
