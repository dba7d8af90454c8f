"""The idle lock and the role guard of a logged-in workstation.

`LockScreen` is an opaque cover over the whole main window: the pages beneath
are disabled (not closed, so a half-typed registration stays exactly as it
was) and hidden by the cover until the logged-in officer types the password
again.  Unlock attempts go through the key file, so the same slow-down and
lock-out as the login apply; the check runs on a worker thread
(`ui.security.password_check`), so the window keeps painting meanwhile.
`IdleLock` watches the application's keyboard and mouse input and locks after
the idle period (setting `idle_lock_minutes`, default 5, in Pengaturan); Ctrl+L
and the status-bar button lock on request.  A barcode scanner is a keyboard, so
scans at the door count as activity: the door does not lock while people keep
coming in.

A scan that reaches the lock screen (the scanner types a code and Enter into
the password box) is told apart from a typed password by its speed (a scanner
types a whole code within a few milliseconds per key, a person does not) and
its shape (a registration code, a NIK), or by the code's printed form (with
its dashes) however it was typed: it is never sent as a password, so
it never counts towards the lock-out, and the screen answers "Screen locked:
log in first, then scan again".  After unlocking, the keyboard focus goes back
to exactly the field that had it (the check-in input at the door), so the next
scan is answered.

`apply_role()` has each page of the window show the controls of the role (see
`ui.roles`); the core refuses the same actions again (`require_supervisor`).

Signals:
    LockScreen.unlocked(): the password was right; the cover is gone.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QFrame, QLabel, QLineEdit, QMainWindow,
                               QPushButton, QVBoxLayout, QWidget)

import shiboken6

from bpjs_field.domain.codes import looks_like_code
from bpjs_field.security import session
from ui.security.password_check import check_in_background, show_refusal
from ui.style import set_role
from ui.tasks import DbExecutor

IDLE_SETTING = "idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 5
_INPUT_EVENTS = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel,
                 QEvent.TouchBegin}
# A USB scanner sends a key every 1-15 ms; the fastest typists leave 60 ms and more between
# keys, and rarely less than 40 ms between any two.  Six keys or more in a row closer than
# this are a scanner.
SCANNER_KEY_GAP_S = 0.035
SCANNER_MIN_KEYS = 6
# A registration code as printed on a receipt (K7QM-003A-X), whatever its check symbol: a
# password never looks like this, a scanner reading a receipt always does.
_PRINTED_CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]$", re.IGNORECASE)


class ScanDetector(QObject):
    """Watches a line edit's keystrokes and says whether what it holds came from a scanner.

    Installed as an event filter on the field; `clock` is replaceable for tests."""

    def __init__(self, field: QLineEdit, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(field)
        self.field = field
        self.clock = clock
        self.burst = 0  # keys in the current run of scanner-fast keys
        self.longest = 0  # the longest such run since the field was last emptied
        self.last_key: float | None = None
        field.installEventFilter(self)
        field.textChanged.connect(self._text_changed)

    def _text_changed(self, text: str) -> None:
        if not text:
            self.reset()

    def reset(self) -> None:
        self.burst = self.longest = 0
        self.last_key = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.field and event.type() == QEvent.KeyPress and event.text() \
                and event.text().isprintable():
            now = self.clock()
            fast = self.last_key is not None and now - self.last_key <= SCANNER_KEY_GAP_S
            self.burst = self.burst + 1 if fast else 1
            self.longest = max(self.longest, self.burst)
            self.last_key = now
        return False

    def is_scan(self) -> bool:
        """Scanner-fast and shaped like what a scanner reads at the door (a registration
        code, a NIK or other long number); or a code written as printed, however typed.
        Speed alone is not enough: a password manager types fast too."""
        text = self.field.text().strip()
        if _PRINTED_CODE.match(text):
            return True
        scanned_shape = looks_like_code(text) or (text.isdigit() and len(text) >= 8)
        return self.longest >= SCANNER_MIN_KEYS and scanned_shape


class LockScreen(QFrame):
    unlocked = Signal()

    def __init__(self, window: QMainWindow, db_path: Path, employee_no: str, name: str,
                 executor: DbExecutor, lang: str = "id") -> None:
        super().__init__(window)
        self.setObjectName("lockScreen")
        self.window_ = window
        self.db_path = Path(db_path)
        self.employee_no = employee_no
        self.executor = executor
        self.lang = lang
        self.checking = False  # a password check is running on the worker thread
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockScreen { background: #0b3d91; } "
                           "#lockScreen QLabel { color: white; } "
                           "#lockPanel { background: white; border-radius: 8px; } "
                           "#lockPanel QLabel { color: #10233f; } "
                           "#lockPanel QLabel#lockMessage { color: #b00020; font-weight: bold; }")
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignCenter)
        panel = QFrame()
        panel.setObjectName("lockPanel")
        panel.setFixedWidth(420)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(24, 20, 24, 20)
        if getattr(getattr(window, "ctx", None), "training", False):
            from ui.security.login import training_banner
            layout.addWidget(training_banner())
        title = QLabel(self.tr("Locked"))
        set_role(title, "title")
        layout.addWidget(title)
        who = QLabel(self.tr("{name} ({number}) is working on this laptop. Enter the password "
                             "to continue; nothing you were doing is lost.").format(
            name=name, number=employee_no))
        who.setObjectName("lockWho")
        who.setWordWrap(True)
        layout.addWidget(who)
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setMaxLength(256)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.submit)
        self.scans = ScanDetector(self.password)
        layout.addWidget(self.password)
        self.message = QLabel("")
        self.message.setObjectName("lockMessage")
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        layout.addWidget(self.message)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.clicked.connect(self.submit)
        layout.addWidget(self.unlock_button)
        outer.addWidget(panel)
        window.installEventFilter(self)
        self._return_focus: QWidget | None = None
        self.hide()

    @property
    def locked(self) -> bool:
        return self.isVisible()

    def lock(self) -> None:
        if self.locked:
            return
        # Remembered before the pages are disabled: disabling moves the focus away (to the
        # status bar's lock button), and the first scan after unlocking would land there.
        focus = QApplication.focusWidget()
        inside = focus is not None and focus.window() is self.window_ and not self.isAncestorOf(focus)
        self._return_focus = focus if inside else None
        central = self.window_.centralWidget()
        if central is not None:
            central.setEnabled(False)  # keeps every field's content; only input is refused
        self.window_.menuBar().setEnabled(False)
        self.setGeometry(self.window_.rect())
        self.show()
        self.raise_()
        self.password.clear()
        self.message.clear()
        self.password.setFocus()
        self.executor.run(lambda s: _audit(s, "lock"), None, lambda _e: None)

    def submit(self) -> None:
        if self.checking:  # Enter again while checking: one attempt, not two failures
            return
        if self.scans.is_scan():  # never a password attempt: it would count towards the lock-out
            self.password.clear()
            self.message.setText(self.tr("Screen locked: log in first, then scan again."))
            self.password.setFocus()
            return
        self.message.clear()
        self._set_checking(True)
        db_path, number, password = self.db_path, self.employee_no, self.password.text()
        check_in_background(self, lambda: session.verify_password(db_path, number, password),
                            self._verified, self._refused)

    def _set_checking(self, checking: bool) -> None:
        self.checking = checking
        self.unlock_button.setEnabled(not checking)
        self.unlock_button.setText(self.tr("Checking the password…") if checking else self.tr("Unlock"))
        self.password.setReadOnly(checking)  # not disabled: the focus stays in the field
        if checking:
            self.setCursor(Qt.BusyCursor)
        else:
            self.unsetCursor()

    def _refused(self, exc: BaseException) -> None:
        self._set_checking(False)
        show_refusal(exc, self.message, self.password, self.lang)
        self.executor.run(lambda s: _audit(s, "unlock_failed"), None, lambda _e: None)

    def _verified(self, _account: Any) -> None:
        self._set_checking(False)
        self.password.clear()
        self.hide()
        central = self.window_.centralWidget()
        if central is not None:
            central.setEnabled(True)
        self.window_.menuBar().setEnabled(True)
        self._restore_focus()
        self.executor.run(lambda s: _audit(s, "unlock"), None, lambda _e: None)
        self.unlocked.emit()

    def _restore_focus(self) -> None:
        """Back to the field that had the keyboard before the lock; if it is gone or hidden,
        to what the page on screen gives the keyboard to (the check-in input)."""
        target, self._return_focus = self._return_focus, None
        if target is not None and shiboken6.isValid(target) and target.isVisible() and target.isEnabled():
            target.setFocus(Qt.OtherFocusReason)
            return
        page = getattr(self.window_, "stack", None)
        page = page.currentWidget() if page is not None else None
        keep = getattr(getattr(page, "page", page), "keep_focus", None)
        if keep is not None:
            keep()
        elif page is not None:
            page.setFocus(Qt.OtherFocusReason)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.window_ and event.type() == QEvent.Resize and self.locked:
            self.setGeometry(self.window_.rect())
        return False


def _audit(store: Any, action: str) -> None:
    with store.write():
        store.audit(action, "officer", store.officer_id)


class IdleLock(QObject):
    """Locks the screen after `minutes` without keyboard or mouse input (0 = never)."""

    def __init__(self, screen: LockScreen, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent or screen)
        self.screen = screen
        self.minutes = minutes
        self.last_input = time.monotonic()  # keys from a scanner are input too
        self.timer = QTimer(self)
        self.timer.setInterval(5000)
        self.timer.timeout.connect(self.check)
        if minutes > 0:
            self.timer.start()
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False

    def check(self, now: float | None = None) -> bool:
        idle = (now if now is not None else time.monotonic()) - self.last_input
        if self.minutes > 0 and idle >= self.minutes * 60 and not self.screen.locked:
            self.screen.lock()
            return True
        return False

    def set_minutes(self, minutes: float) -> None:
        """A new idle time from Pengaturan (0 = never lock by itself)."""
        self.minutes = minutes
        self.last_input = time.monotonic()
        if minutes > 0:
            self.timer.start()
        else:
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def install_lock(window: QMainWindow, executor: DbExecutor, store: Any, lang: str) -> IdleLock | None:
    """Lock screen, idle timer, Ctrl+L and a status-bar button, for a logged-in (encrypted) store."""
    if store.role is None or store.path is None:
        return None
    officer = executor.call(lambda s: s.officers.get(s.officer_id) if s.officer_id else None) or {}
    minutes = float(executor.call(lambda s: s.get_setting(IDLE_SETTING, DEFAULT_IDLE_MINUTES)) or 0)
    screen = LockScreen(window, store.path, officer.get("employee_no", ""),
                        officer.get("full_name", ""), executor, lang)
    idle = IdleLock(screen, minutes)
    button = QPushButton(QCoreApplication.translate("LockScreen", "Lock"))
    button.setObjectName("lockButton")
    button.setToolTip("Ctrl+L")
    button.setFocusPolicy(Qt.NoFocus)  # a click must not take the focus from the page's field
    button.clicked.connect(screen.lock)
    window.statusBar().addPermanentWidget(button)
    shortcut = QShortcut(QKeySequence("Ctrl+L"), window, activated=screen.lock)
    shortcut.setContext(Qt.ApplicationShortcut)
    window.lock_screen = screen  # type: ignore[attr-defined]
    window.idle_lock = idle  # type: ignore[attr-defined]
    return idle


def apply_role(window: QMainWindow, role: str | None) -> None:
    """An officer registers, checks in, prints and searches; editing people and the
    settings (backups, restore, officer) are a supervisor's.  Each page declares its own
    role-bound controls (`MainWindow.apply_role`); nothing else is locked."""
    window.apply_role(role)
