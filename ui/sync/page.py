"""The sync page: enrolment, what is waiting, what the server refused (with its reasons and
a button to send those again), when the last sync succeeded, the last error in plain words,
progress of a long pull, and a "Sync now" button.

The page shows the controller's `SyncState` and asks the controller for work;
enrolment runs through the DB executor (it writes the token to the store).  A supervisor
(or a laptop without a login) also gets the conflicts to decide (`ui.sync.conflicts`);
an officer's page does not have them.

Signals:
    enrolled(dict): this laptop was enrolled; carries the officer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from bpjs_field.domain.formatting import format_time
from bpjs_field.errors import KnownError
from ui.ops import Ops
from ui.roles import may_supervise, session_role
from ui.sync.conflicts import ConflictsPanel
from ui.sync.controller import SyncController, SyncState
from ui.sync.texts import clock_text, error_text, when_text
from ui.tasks import DbExecutor


class SyncPage(QWidget):
    enrolled = Signal(dict)

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None, *,
                 controller: SyncController | None = None, lang: str = "id") -> None:
        super().__init__(parent)
        self.executor = executor
        self.controller = controller or SyncController.for_executor(executor)
        self.lang = lang
        self.setObjectName("SyncPage")

        self.title = QLabel(self.tr("Sync with the branch server"), self)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.server = QLabel(self)
        self.pending = QLabel(self)
        self.refused = QLabel(self)
        self.refused.setWordWrap(True)
        self.refused.setTextFormat(Qt.PlainText)
        self.refused.setToolTip(self.tr("The branch server refused these changes. They stay on "
                                        "this laptop and are sent again only when you ask, for "
                                        "example after the app or the server was updated."))
        self.set_aside = QLabel(self)
        self.set_aside.setWordWrap(True)
        self.set_aside.setTextFormat(Qt.PlainText)
        self.set_aside.setToolTip(self.tr("Rows from the branch server that this laptop cannot "
                                          "store yet. Everything else was applied. A row "
                                          "waiting for its person or event is applied by "
                                          "itself when they arrive; any other comes again once "
                                          "the branch corrects it. Tell a supervisor."))
        self.last_success = QLabel(self)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.clock = QLabel(self)
        self.clock.setWordWrap(True)
        self.clock.setStyleSheet("color: #ef6c00; font-weight: bold;")
        self.phase = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.sync_button.setShortcut("Ctrl+Shift+S")
        self.sync_button.clicked.connect(self.controller.sync_now)
        self.cancel_button = QPushButton(self.tr("Stop"), self)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.retry_button = QPushButton(self.tr("Send refused changes again"), self)
        self.retry_button.clicked.connect(self.controller.retry_refused)

        figures = QFormLayout()
        figures.addRow(self.tr("Server:"), self.server)
        figures.addRow(self.tr("Changes waiting:"), self.pending)
        figures.addRow(self.tr("Refused by the server:"), self.refused)
        figures.addRow(self.tr("Set aside from the server:"), self.set_aside)
        figures.addRow(self.tr("Last successful sync:"), self.last_success)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)

        self.enrol_box = QGroupBox(self.tr("Enrol this laptop"), self)
        self.url_edit = QLineEdit(self.enrol_box)
        self.url_edit.setPlaceholderText("http://10.0.0.2:8765")
        self.employee_edit = QLineEdit(self.enrol_box)
        self.password_edit = QLineEdit(self.enrol_box)
        self.password_edit.setEchoMode(QLineEdit.Password)
        self.enrol_button = QPushButton(self.tr("Enrol"), self.enrol_box)
        self.enrol_button.clicked.connect(self.enrol)
        self.password_edit.returnPressed.connect(self.enrol)
        self.enrol_message = QLabel(self.enrol_box)
        self.enrol_message.setWordWrap(True)
        form = QFormLayout(self.enrol_box)
        form.addRow(self.tr("Server address:"), self.url_edit)
        form.addRow(self.tr("Employee number:"), self.employee_edit)
        form.addRow(self.tr("Password:"), self.password_edit)
        form.addRow("", self.enrol_button)
        form.addRow("", self.enrol_message)

        # The page scrolls: with the event hub's part it is taller than a 768-pixel screen.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        inner = QWidget(scroll)
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        layout.addWidget(self.title)
        layout.addLayout(figures)
        layout.addWidget(self.error)
        layout.addWidget(self.clock)
        layout.addWidget(self.phase)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        from ui.sync.hub import HubBox, HubController
        self.hub = HubBox(HubController.for_executor(executor), lang, self)
        layout.addWidget(self.hub)
        # Settling conflicts is a supervisor's (no login means nothing is restricted); the
        # server refuses an officer's laptop again, and the panel then hides itself.
        self.conflicts: ConflictsPanel | None = None
        if may_supervise(session_role(executor)):
            self.conflicts = ConflictsPanel(executor, self.controller, self, lang=lang)
            layout.addWidget(self.conflicts, 1)
        layout.addWidget(self.enrol_box)
        layout.addStretch(1)

        self.controller.state_changed.connect(self.show_state)
        self.show_state(self.controller.state)

    def show_state(self, state: SyncState) -> None:
        self.server.setText(state.server_url or self.tr("not enrolled"))
        if state.carried:
            # Copies of other laptops' changes: this laptop carries them to the branch too,
            # but they are not its own work (the event hub's screen counts each change once).
            self.pending.setText(self.tr("%1 (of which %2 made on other laptops, carried for "
                                         "them)").replace("%1", str(state.pending))
                                 .replace("%2", str(state.carried)))
        else:
            self.pending.setText(str(state.pending))
        reasons = "; ".join(f"{n} × {reason}" for reason, n in state.refused_reasons[:3])
        self.refused.setText(f"{state.refused} ({reasons})" if state.refused else "0")
        self.retry_button.setVisible(bool(state.refused))
        aside = "; ".join(f"{r['entity']} {str(r['id'])[:8]}…: {r['reason']}"
                          for r in state.set_aside[:3])
        self.set_aside.setText(f"{len(state.set_aside)} ({aside})" if state.set_aside else "0")
        self.retry_button.setEnabled(state.enrolled and not state.running)
        self.last_success.setText(when_text(state.last_success_at, self.lang))
        self.error.setText(error_text(state.last_error))
        self.error.setVisible(bool(state.last_error))
        self.clock.setText(clock_text(state.clock_offset_ms) if state.clock_skewed else "")
        self.clock.setVisible(state.clock_skewed)
        self.sync_button.setEnabled(state.enrolled)
        self.cancel_button.setVisible(state.running)
        progress = state.progress
        if state.running and progress is not None:
            if progress.phase == "push":
                self.phase.setText(self.tr("Sending %1 of %2 changes…")
                                   .replace("%1", str(progress.pushed))
                                   .replace("%2", str(progress.to_push)))
                fraction = progress.pushed / progress.to_push if progress.to_push else 0.0
            else:
                self.phase.setText(self.tr("Receiving the branch's data: %1 rows…")
                                   .replace("%1", str(progress.pulled)))
                fraction = progress.pull_fraction or 0.0
            self.progress.setValue(int(fraction * 100))
            self.progress.setVisible(True)
        else:
            # A time, not "in 211 s": a count written once would stay on screen unchanged.
            self.phase.setText(self.tr("Next automatic sync: %1").replace(
                "%1", format_time(datetime.fromisoformat(state.next_attempt_at), self.lang))
                if state.next_attempt_at else "")
            self.progress.setVisible(False)
        if state.server_url and not self.url_edit.text():
            self.url_edit.setText(state.server_url)

    def enrol(self) -> None:
        url = self.url_edit.text().strip()
        number = self.employee_edit.text().strip()
        password = self.password_edit.text()
        if not url or not number or not password:
            self.enrol_message.setText(self.tr("Fill in the server address, employee number "
                                               "and password."))
            return
        self.enrol_button.setEnabled(False)
        self.enrol_message.setText(self.tr("Enrolling…"))
        Ops.for_executor(self.executor).enrol(url, number, password, on_done=self._enrolled,
                                              on_error=self._enrol_failed)

    def _enrolled(self, result: dict[str, Any]) -> None:
        self.enrol_button.setEnabled(True)
        self.password_edit.clear()
        officer = result["officer"]
        self.enrol_message.setText(self.tr("Enrolled for %1.").replace("%1", officer["full_name"]))
        self.controller.refresh()
        self.enrolled.emit(officer)
        self.controller.sync_now()

    def _enrol_failed(self, error: BaseException) -> None:
        self.enrol_button.setEnabled(True)
        self.password_edit.clear()
        if isinstance(error, KnownError):
            self.enrol_message.setText(error_text({"code": error.code, "params": error.params}))
        else:
            self.enrol_message.setText(self.tr("Enrolment failed."))
