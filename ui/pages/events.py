"""Acara: create and edit outreach events, and choose the active one.

Registrations and check-ins attach to the active event.  The editor holds
kind, title, start and end, venue, kecamatan (from the region list), partner
organisation and the targets per segment and for attendance.

Signals:
    event_saved(object): the event dict after create or edit.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGridLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTableView, QVBoxLayout, QWidget)

from bpjs_field.domain.regions import districts
from bpjs_field.domain.registration import field_errors
from bpjs_field.domain.segments import EVENT_KINDS, label
from bpjs_field.errors import ValidationError, ValidationErrors
from ui import dialogs
from ui.context import AppContext
from ui.models.events_model import EventsModel
from ui.style import set_role
from ui.tasks import DbExecutor
from ui.widgets.fields import DateTimeField, EnterMovesOn, FieldBox

WIB = QTimeZone(7 * 3600)
TARGETS = ("bpu", "pu", "asn", "tka", "attendance")


class EventsPage(QWidget):
    event_saved = Signal(object)

    def __init__(self, ctx: AppContext, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventsPage")
        self.ctx = ctx
        self.executor = executor
        self.model = EventsModel(ctx.lang, self)
        self.editing: dict[str, Any] | None = None
        self.boxes: dict[str, FieldBox] = {}
        self._build()
        ctx.data_changed.connect(lambda c: c.events and self.reload())
        ctx.active_event_changed.connect(lambda e: self.model.set_active(e["id"] if e else None))
        self._listed_once = False  # the list loads when the page is first shown
        self.new_event()

    def _build(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        left = QVBoxLayout()
        title = QLabel(self.tr("Events"))
        set_role(title, "title")
        left.addWidget(title)
        self.table = QTableView()
        self.table.setObjectName("eventsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in range(2, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.table.setColumnHidden(1, True)  # the title usually names the kind; the editor shows it
        # Whole titles, wrapped on two lines if need be: picking the active event is no guesswork.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._edit_row(cur.row()))
        left.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New event (Ctrl+N)"))
        self.new_button.setObjectName("newEvent")
        self.new_button.clicked.connect(self.new_event)
        self.activate_button = QPushButton(self.tr("Make this the active event (Ctrl+J)"))
        self.activate_button.setObjectName("activateEvent")
        self.activate_button.setProperty("primary", True)
        self.activate_button.clicked.connect(self.activate_selected)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.activate_button)
        left.addLayout(buttons)
        layout.addLayout(left, 1)

        right_widget = QWidget()
        right_widget.setFixedWidth(500)
        right = QVBoxLayout(right_widget)
        right.setContentsMargins(0, 0, 0, 0)
        self.editor_title = QLabel()
        set_role(self.editor_title, "subtitle")
        right.addWidget(self.editor_title)
        grid = QGridLayout()
        enter = EnterMovesOn(self)
        self.kind = QComboBox()
        for code in EVENT_KINDS:
            self.kind.addItem(label(EVENT_KINDS, code, self.ctx.lang), code)
        self.title = QLineEdit()
        self.starts = DateTimeField()
        self.ends = DateTimeField()
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat("dd-MM-yyyy HH.mm")
            edit.setTimeZone(WIB)
            edit.setCalendarPopup(True)
        self.venue = QLineEdit()
        self.district = QComboBox()
        self.district.addItem("", None)
        for d in districts():
            self.district.addItem(f"{d.name} ({d.regency})", d.code)
        self.partner = QLineEdit()
        fields = (("kind", self.tr("Kind of event"), self.kind),
                  ("title", self.tr("Title"), self.title),
                  ("starts_at", self.tr("Starts (WIB)"), self.starts),
                  ("ends_at", self.tr("Ends (WIB)"), self.ends),
                  ("venue", self.tr("Venue"), self.venue),
                  ("district_code", self.tr("Kecamatan"), self.district),
                  ("partner_org", self.tr("Partner organisation"), self.partner))
        for key, text, widget in fields:
            widget.setObjectName(f"event_{key}")
            widget.installEventFilter(enter)
            box = FieldBox(text, widget)
            self.boxes[key] = box
        grid.addWidget(self.boxes["kind"], 0, 0)
        grid.addWidget(self.boxes["title"], 0, 1)
        grid.addWidget(self.boxes["starts_at"], 1, 0)
        grid.addWidget(self.boxes["ends_at"], 1, 1)
        grid.addWidget(self.boxes["venue"], 2, 0)
        grid.addWidget(self.boxes["district_code"], 2, 1)
        grid.addWidget(self.boxes["partner_org"], 3, 0, 1, 2)
        right.addLayout(grid)
        targets_title = QLabel(self.tr("Targets"))
        set_role(targets_title, "subtitle")
        right.addWidget(targets_title)
        targets = QGridLayout()
        names = {"bpu": "BPU", "pu": "PU", "asn": "ASN", "tka": "TKA",
                 "attendance": self.tr("Attendance")}
        self.targets: dict[str, QSpinBox] = {}
        for i, key in enumerate(TARGETS):
            spin = QSpinBox()
            spin.setRange(0, 100000)
            spin.setObjectName(f"target_{key}")
            spin.installEventFilter(enter)
            self.targets[key] = spin
            targets.addWidget(FieldBox(names[key], spin), 0, i)
        self.boxes["targets"] = FieldBox("", QWidget())
        right.addLayout(targets)
        right.addWidget(self.boxes["targets"])
        self.save_button = QPushButton(self.tr("Save event (Ctrl+S)"))
        self.save_button.setObjectName("saveEvent")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        right.addWidget(self.save_button)
        right.addStretch(1)
        layout.addWidget(right_widget)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_event,
                  context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save,
                  context=Qt.WidgetWithChildrenShortcut)
        # "Jadikan": the event chosen in the list, or just saved, becomes the active one
        # without a hand leaving the keyboard.
        QShortcut(QKeySequence("Ctrl+J"), self, activated=self.activate_selected,
                  context=Qt.WidgetWithChildrenShortcut)

    # -- list ----------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._listed_once:
            self.reload()

    def reload(self) -> None:
        self._listed_once = True
        self.executor.run(lambda s: s.events.list(), self._listed,
                          lambda exc: dialogs.error(self, exc, self.ctx.lang))

    def _listed(self, rows: list[dict[str, Any]]) -> None:
        keep = self.editing["id"] if self.editing else None
        self.model.set_rows(rows, self.ctx.active_event_id)
        if keep:
            row = self.model.row_of(keep)
            if row >= 0:
                self.table.selectRow(row)

    def _edit_row(self, row: int) -> None:
        event = self.model.row_at(row)
        if event is not None:
            self.load_event(event)

    # -- editor --------------------------------------------------------------------------
    def new_event(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.editor_title.setText(self.tr("New event"))
        self.kind.setCurrentIndex(0)
        self.title.clear()
        start = QDateTime.currentDateTime(WIB).addDays(1)
        start.setTime(start.time().fromString("07:00", "HH:mm"))
        self.starts.setDateTime(start)
        self.ends.setDateTime(start.addSecs(3 * 3600))
        self.venue.clear()
        self.district.setCurrentIndex(0)
        self.partner.clear()
        for spin in self.targets.values():
            spin.setValue(0)
        self._clear_errors()
        self.title.setFocus()

    def load_event(self, event: dict[str, Any]) -> None:
        self.editing = event
        self.editor_title.setText(self.tr("Edit event"))
        self.kind.setCurrentIndex(max(0, self.kind.findData(event["kind"])))
        self.title.setText(event["title"])
        self.starts.setDateTime(_qdatetime(event["starts_at"]))
        self.ends.setDateTime(_qdatetime(event.get("ends_at") or event["starts_at"]))
        self.venue.setText(event["venue"])
        self.district.setCurrentIndex(max(0, self.district.findData(event.get("district_code"))))
        self.partner.setText(event.get("partner_org") or "")
        targets = json.loads(event.get("targets") or "{}")
        for key, spin in self.targets.items():
            spin.setValue(int(targets.get(key, 0)))
        self._clear_errors()

    def data(self) -> dict[str, Any]:
        return {
            "kind": self.kind.currentData(), "title": self.title.text(),
            "starts_at": self.starts.dateTime().toString(Qt.ISODate),
            "ends_at": self.ends.dateTime().toString(Qt.ISODate),
            "venue": self.venue.text(), "district_code": self.district.currentData(),
            "partner_org": self.partner.text(),
            "targets": {k: s.value() for k, s in self.targets.items() if s.value()},
            "branch": (self.ctx.officer or {}).get("branch"),
        }

    def _clear_errors(self) -> None:
        for box in self.boxes.values():
            box.show_error(None)

    def save(self) -> None:
        data = self.data()
        self._clear_errors()
        if self.starts.dateTime() > self.ends.dateTime():
            self.boxes["ends_at"].show_error(self.tr("The end must be after the start."))
            return
        editing = self.editing
        self.save_button.setEnabled(False)
        self.ctx.ops.save_event(editing["id"] if editing else None, data, on_done=self._saved,
                                on_error=self._failed)

    def _saved(self, event: dict[str, Any]) -> None:
        self.save_button.setEnabled(True)
        self.editing = event
        self.editor_title.setText(self.tr("Edit event"))
        if self.ctx.active_event_id == event["id"]:
            self.ctx.set_active_event(event)
        self.event_saved.emit(event)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, (ValidationErrors, ValidationError)):
            for key, text in field_errors(exc, self.ctx.lang).items():
                (self.boxes.get(key) or self.boxes["targets"]).show_error(text)
            return
        dialogs.error(self, exc, self.ctx.lang)

    def activate_selected(self) -> None:
        event = self.editing
        if event is None:
            return
        self.ctx.ops.activate_event(event["id"], on_done=self._activated,
                                    on_error=lambda exc: dialogs.error(self, exc, self.ctx.lang))

    def _activated(self, event: dict[str, Any] | None) -> None:
        self.ctx.set_active_event(event)


def _qdatetime(text: str) -> QDateTime:
    moment = datetime.fromisoformat(text)
    value = QDateTime.fromString(moment.isoformat(timespec="seconds"), Qt.ISODate)
    return value.toTimeZone(WIB)
