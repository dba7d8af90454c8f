"""A KPJ card's barcode read by a keyboard-wedge scanner anywhere in the follow-up dialog.

A USB or Bluetooth scanner types what it reads as keystrokes a few milliseconds apart,
usually followed by Enter.  Wherever the focus is in the dialog (the status list, the date,
the months), a run of scanner-fast keys is a scan: what those keys did to the field they
landed in is undone, and the text goes to `scanned(str)`, so a scan never changes the
status or the months by accident and never vanishes without an answer.  A person's typing
(tens of milliseconds between keys at the fastest) is left alone.

Signals:
    scanned(str): the text of one scan.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QWidget

from ui.security.lock import SCANNER_KEY_GAP_S, SCANNER_MIN_KEYS

# A scanner configured without a suffix sends no Enter: the scan ends when the keys stop.
SCAN_END_MS = 120


def _state(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    return None


def _restore(widget: QWidget, state: Any) -> None:
    if state is None:
        return
    if isinstance(widget, QLineEdit):
        widget.setText(state)
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(state)
    elif isinstance(widget, QAbstractSpinBox):
        line = widget.findChild(QLineEdit)
        if line is not None:
            line.setText(state)
        widget.interpretText()


class ScanCatcher(QObject):
    scanned = Signal(str)

    def __init__(self, widgets: list[QWidget], parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.clock = clock
        self.widgets = widgets
        self.burst = ""  # the keys of the current run
        self.fast = 0  # how many of them came scanner-fast
        self.last_key: float | None = None
        self.origin: QWidget | None = None
        self.before: Any = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SCAN_END_MS)
        self.timer.timeout.connect(self._ended)
        for widget in widgets:
            widget.installEventFilter(self)  # installed last: sees keys before Enter-moves-on

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.KeyPress or obj not in self.widgets:
            return False
        if event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Tab):
            if self._is_scan():
                self._finish()
                return True  # the scanner's Enter: not a move to the next field
            self._reset()
            return False
        text = event.text()
        if not text or not text.isprintable() or event.modifiers() & (
                Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            self._reset()
            return False
        now = self.clock()
        if self.last_key is not None and now - self.last_key <= SCANNER_KEY_GAP_S \
                and obj is self.origin:
            self.burst += text
            self.fast += 1
        else:  # a new run starts here: remember the field as it was before this key
            self.burst, self.fast = text, 0
            self.origin, self.before = obj, _state(obj)
        self.last_key = now
        self.timer.start()
        return False

    def _is_scan(self) -> bool:
        return self.fast + 1 >= SCANNER_MIN_KEYS and self.fast >= len(self.burst) - 1

    def _ended(self) -> None:
        if self._is_scan():
            self._finish()
        else:
            self._reset()

    def _finish(self) -> None:
        self.timer.stop()
        text, origin, before = self.burst, self.origin, self.before
        self._reset()
        if origin is not None:
            _restore(origin, before)  # what the scanner's keys did to that field is undone
        self.scanned.emit(text)

    def _reset(self) -> None:
        self.burst, self.fast, self.last_key = "", 0, None
        self.origin = self.before = None
        self.timer.stop()
