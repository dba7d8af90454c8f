"""The status-bar indicator: changes waiting (and refused), last successful sync, the last error.

Always visible; a click asks for a sync now.  It only displays the
controller's `SyncState`; it never touches the database itself.

Signals:
    clicked(): the officer clicked the indicator.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.sync.controller import SyncController, SyncState
from ui.sync.texts import clock_text, error_text, when_text
from ui.tasks import DbExecutor

DOT = "\u25cf"
COLOURS = {"ok": "#2e7d32", "busy": "#1565c0", "warn": "#ef6c00", "error": "#c62828",
           "idle": "#757575"}


class SyncStatusWidget(QWidget):
    clicked = Signal()

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None, *,
                 controller: SyncController | None = None, lang: str = "id") -> None:
        super().__init__(parent)
        self.controller = controller or SyncController.for_executor(executor)
        self.lang = lang
        self.dot = QLabel(DOT, self)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        self.setCursor(Qt.PointingHandCursor)
        self.controller.state_changed.connect(self.show_state)
        self.clicked.connect(self.controller.sync_now)
        self.show_state(self.controller.state)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def show_state(self, state: SyncState) -> None:
        waiting = self.tr("%n change(s) waiting", "", state.pending)
        if state.running:
            kind, text = "busy", self.tr("Syncing…") + "  " + waiting
        elif not state.enrolled:
            kind, text = "idle", self.tr("Not enrolled for sync") + "  " + waiting
        elif state.last_error:
            kind = "warn" if state.pending or state.online is False else "error"
            text = waiting + "  " + self.tr("Last sync: %1").replace(
                "%1", when_text(state.last_success_at, self.lang))
        else:
            kind = "ok"
            text = waiting + "  " + self.tr("Synced: %1").replace(
                "%1", when_text(state.last_success_at, self.lang))
        if state.refused:
            kind = "warn" if kind == "ok" else kind
            text += "  " + self.tr("%n refused by the server", "", state.refused)
        if state.clock_skewed:
            kind = "warn"
            text += "  " + self.tr("Clock is off!")
        self.dot.setStyleSheet(f"color: {COLOURS[kind]};")
        self.label.setText(text)
        tips = [error_text(state.last_error)] if state.last_error else []
        if state.refused:
            tips.append(self.tr("See the Sync page for the changes the server refused."))
        if state.clock_skewed:
            tips.append(clock_text(state.clock_offset_ms))
        tips.append(self.tr("Click to sync now."))
        self.setToolTip("\n".join(tips))
        self.kind = kind
