"""Beranda: the active event, today's registrations by segment against the
event's targets, attendance, and how many changes still wait to be synced."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from bpjs_field.domain.formatting import format_date, format_datetime
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.segments import EVENT_KINDS, SEGMENTS, label
from bpjs_field.store import views
from ui import dialogs
from ui.context import AppContext, Changes
from ui.formats import number
from ui.style import set_role
from ui.tasks import DbExecutor

ROWS = ("bpu", "pu", "asn", "tka")


class HomePage(QWidget):
    def __init__(self, ctx: AppContext, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homePage")
        self.ctx = ctx
        self.executor = executor
        self.summary: dict[str, Any] | None = None
        self._stale = False
        self._build()
        ctx.data_changed.connect(self._data_changed)
        ctx.active_event_changed.connect(lambda _e: self.refresh())
        ctx.officer_changed.connect(lambda _o: self._greet())
        self.refresh()

    def _card(self) -> tuple[QFrame, QVBoxLayout]:
        frame = QFrame()
        set_role(frame, "card")
        return frame, QVBoxLayout(frame)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        self.greeting = QLabel()
        self.greeting.setObjectName("greeting")
        set_role(self.greeting, "title")
        layout.addWidget(self.greeting)
        self._greet()

        event_card, event_layout = self._card()
        head = QHBoxLayout()
        caption = QLabel(self.tr("Active event"))
        set_role(caption, "subtitle")
        head.addWidget(caption)
        head.addStretch(1)
        change = QPushButton(self.tr("Choose event"))
        change.setObjectName("chooseEvent")
        change.clicked.connect(lambda: self.ctx.navigate("events"))
        head.addWidget(change)
        event_layout.addLayout(head)
        self.event_text = QLabel()
        self.event_text.setObjectName("homeEvent")
        self.event_text.setWordWrap(True)
        self.event_text.setStyleSheet("font-size: 14pt;")
        event_layout.addWidget(self.event_text)
        layout.addWidget(event_card)

        counts_card, counts_layout = self._card()
        self.counts_title = QLabel()
        set_role(self.counts_title, "subtitle")
        counts_layout.addWidget(self.counts_title)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        self.count_labels: dict[str, QLabel] = {}
        self.bars: dict[str, QProgressBar] = {}
        names = {code: label(SEGMENTS, code, self.ctx.lang) for code in ROWS}
        names["attendance"] = self.tr("Attendance (whole event)")
        for row, key in enumerate((*ROWS, "attendance")):
            grid.addWidget(QLabel(names[key]), row, 0)
            number = QLabel()
            number.setObjectName(f"count_{key}")
            number.setStyleSheet("font-size: 14pt; font-weight: bold;")
            number.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            number.setMinimumWidth(110)
            grid.addWidget(number, row, 1)
            bar = QProgressBar()
            grid.addWidget(bar, row, 2)
            self.count_labels[key] = number
            self.bars[key] = bar
        counts_layout.addLayout(grid)
        layout.addWidget(counts_card)

        bottom = QHBoxLayout()
        sync_card, sync_layout = self._card()
        self.pending = QLabel()
        self.pending.setObjectName("pendingChanges")
        self.pending.setStyleSheet("font-size: 14pt;")
        self.pending.setWordWrap(True)
        sync_layout.addWidget(self.pending)
        self.people = QLabel()
        self.people.setObjectName("peopleTotal")
        sync_layout.addWidget(self.people)
        from ui.selfreg.panel import PreregCounts  # pre-registrations at the joined hub
        self.prereg_counts = PreregCounts(db_path=self.ctx.db_path, key=self.executor.store.key)
        sync_layout.addWidget(self.prereg_counts)
        bottom.addWidget(sync_card, 1)
        actions_card, actions_layout = self._card()
        register = QPushButton(self.tr("Register a participant (Ctrl+2)"))
        register.setProperty("primary", True)
        register.clicked.connect(lambda: self.ctx.navigate("registration"))
        check_in = QPushButton(self.tr("Check people in (Ctrl+3)"))
        check_in.setProperty("primary", True)
        check_in.clicked.connect(lambda: self.ctx.navigate("checkin"))
        actions_layout.addWidget(register)
        actions_layout.addWidget(check_in)
        bottom.addWidget(actions_card, 1)
        layout.addLayout(bottom)
        layout.addStretch(1)

    def _greet(self) -> None:
        officer = self.ctx.officer
        if officer:
            self.greeting.setText(self.tr("Welcome, {name} · {branch}").format(
                name=officer["full_name"], branch=officer["branch"]))
        else:
            self.greeting.setText(self.tr("Welcome"))

    def _data_changed(self, changes: Changes) -> None:
        if (changes.registrations or changes.attendance or changes.events or changes.people
                or changes.pending):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True  # not while the officer scans at the door: the worker stays free

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.executor.run(lambda s: views.home_summary(s), self.show_summary,
                          lambda exc: dialogs.error(self, exc, self.ctx.lang))
        self.executor.run(views.people_total, self._show_people)

    def show_summary(self, summary: dict[str, Any]) -> None:
        self.summary = summary
        lang = self.ctx.lang
        day = datetime.fromisoformat(summary["day"]).date()
        self.counts_title.setText(self.tr("Registrations today, {date}").format(
            date=format_date(day, lang, weekday=True)))
        event = summary["event"]
        if event is None:
            self.event_text.setText(self.tr("No active event. Choose one on the Events page so that "
                                            "registrations and check-ins are counted for it."))
            for key in self.count_labels:
                self.count_labels[key].setText("–")
                self.bars[key].setVisible(False)
        else:
            region = get_region(event["district_code"]) if event.get("district_code") else None
            start = datetime.fromisoformat(event["starts_at"])
            parts = [f"<b>{_esc(event['title'])}</b>",
                     _esc(label(EVENT_KINDS, event["kind"], lang)),
                     _esc(format_datetime(start, lang)),
                     _esc(event["venue"] + (f", Kec. {region.name}" if region else ""))]
            if event.get("partner_org"):
                parts.append(_esc(self.tr("with {partner}").format(partner=event["partner_org"])))
            self.event_text.setText("<br>".join(parts))
            targets = summary.get("targets") or json.loads(event.get("targets") or "{}")
            counts = dict(summary.get("registrations") or {})
            counts["attendance"] = summary.get("attendance", 0)
            for key, number in self.count_labels.items():
                done, target = counts.get(key, 0), targets.get(key)
                bar = self.bars[key]
                if target:
                    number.setText(f"{done} / {target}")
                    bar.setRange(0, target)
                    bar.setValue(min(done, target))
                    bar.setVisible(True)
                else:
                    number.setText(str(done))
                    bar.setVisible(False)
        pending = summary["pending_changes"]
        if self.ctx.training:  # nothing here is ever sent: no count that suggests it will be
            self.pending.setText(self.tr("Training database: nothing here is sent to the branch "
                                         "server."))
        elif pending:
            self.pending.setText(self.tr("{count} changes are waiting to be synced to the branch "
                                         "server.").format(count=pending))
        else:
            self.pending.setText(self.tr("Everything is synced."))

    def _show_people(self, count: int) -> None:
        self.people.setText(self.tr("{count} participants in this laptop's database.").format(
            count=number(count, self.ctx.lang)))


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
