"""The main window: a navigation bar on the left, the pages on the right, and
a status bar (officer, active event, work in progress, and room for the sync
status widget).

Pages are plugged in with `add_page(key, title, widget, shortcut)`; the print
and sync pages of other packages use the same call.  A page with role-bound
controls has `apply_role(role)`; the window calls it with the logged-in role.
Ctrl+1 … Ctrl+6 reach the built-in pages.  Window geometry is kept in
QSettings.  The window fits the screen it opens on, from 1280×720 up: maximised
on a laptop-sized screen, a comfortable size on a large one, and a saved
geometry is used only when it still fits that screen (a laptop moved from a
large monitor to its own screen must not open with Save and the status bar
off-screen).

Signals:
    page_changed(str): the key of the page now shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QScrollArea, QStackedWidget, QVBoxLayout, QWidget)

from ui.context import AppContext
from ui.pages.checkin import CheckInPage
from ui.pages.events import EventsPage
from ui.pages.home import HomePage
from ui.pages.people import PeoplePage
from ui.pages.registration import RegistrationPage
from ui.pages.settings import SettingsPage
from ui.tasks import DbExecutor
from ui.widgets.elided import ElidedLabel

SETTINGS_ORG = "BPJS"
SETTINGS_APP = "bpjs-field"
# Below this the window opens maximised: every pixel of a laptop screen is needed.
MAXIMISE_BELOW = QSize(1600, 900)
COMFORTABLE = QSize(1440, 860)


class MainWindow(QMainWindow):
    page_changed = Signal(str)

    def __init__(self, ctx: AppContext, executor: DbExecutor, *,
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.ctx = ctx
        self.executor = executor
        self.settings = settings or QSettings(SETTINGS_ORG, SETTINGS_APP)
        self.setWindowTitle(self.tr("BPJS Ketenagakerjaan · Field registration"))
        self.pages: dict[str, QWidget] = {}
        self._keys: list[str] = []
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(210)
        self.navigation.setFocusPolicy(Qt.NoFocus)
        self.navigation.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget()
        layout.addWidget(self.navigation)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        if ctx.training:  # above every page: sample data must never pass for real data
            from ui.security.login import training_banner
            right.addWidget(training_banner())
            self.setWindowTitle("LATIHAN · " + self.windowTitle())
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self._build_status_bar()

        self.home = HomePage(ctx, executor)
        self.registration = RegistrationPage(ctx, executor)
        self.checkin = CheckInPage(ctx, executor)
        self.people = PeoplePage(ctx, executor)
        self.events = EventsPage(ctx, executor)
        self.settings_page = SettingsPage(ctx, executor)
        self.add_page("home", self.tr("Home"), self.home, "Ctrl+1")
        self.add_page("registration", self.tr("Registration"), self.registration, "Ctrl+2")
        self.add_page("checkin", self.tr("Check-in"), self.checkin, "Ctrl+3")
        self.add_page("people", self.tr("Participants"), self.people, "Ctrl+4")
        self.add_page("events", self.tr("Events"), self.events, "Ctrl+5")
        self.add_page("settings", self.tr("Settings"), self.settings_page, "Ctrl+6")
        ctx.navigation_requested.connect(self.show_page)
        ctx.active_event_changed.connect(self._show_event)
        ctx.officer_changed.connect(self._show_officer)
        executor.busy_changed.connect(self._busy)
        self._show_event(ctx.active_event)
        self._show_officer(ctx.officer)
        self.apply_role(ctx.role)
        self._restore_geometry()
        self.show_page("home")

    # -- pages ---------------------------------------------------------------------------
    def add_page(self, key: str, title: str, widget: QWidget, shortcut: str | None = None) -> None:
        """Add a navigation entry and its page; `shortcut` (e.g. "Ctrl+7") opens it."""
        if key in self.pages:
            raise ValueError(f"page {key!r} exists")
        self.pages[key] = widget
        self._keys.append(key)
        # Each page sits in a scroll area of its own: a page taller than a small screen
        # scrolls, instead of making the whole window taller than the screen (a stack is
        # as tall as its tallest page, and the status bar and Save then fall off a
        # 1366x768 or 1280x720 laptop screen).
        holder = QScrollArea()
        holder.setObjectName(f"pageScroll_{key}")
        holder.setFrameShape(QFrame.NoFrame)
        holder.setWidgetResizable(True)
        holder.setFocusPolicy(Qt.NoFocus)  # the keyboard stays with the page's own fields
        holder.setWidget(widget)
        self.stack.addWidget(holder)
        text = title if not shortcut else f"{title}\n{QKeySequence(shortcut).toString(QKeySequence.NativeText)}"
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, key)
        item.setToolTip(title)
        self.navigation.addItem(item)
        if shortcut:
            QShortcut(QKeySequence(shortcut), self, activated=lambda k=key: self.show_page(k))

    def apply_role(self, role: str | None) -> None:
        """Each page shows or hides its own controls for the role (`apply_role(role)` on the
        pages that have any); the core refuses the same actions again."""
        for key in self._keys:
            apply = getattr(self.page(key), "apply_role", None)
            if apply is not None:
                apply(role)

    def add_lazy_page(self, key: str, title: str, factory: Callable[[], QWidget],
                      shortcut: str | None = None) -> None:
        """Like add_page, but the page is built (and its modules imported) when first shown."""
        holder = _LazyPage(factory)
        self.add_page(key, title, holder, shortcut)

    def page(self, key: str) -> QWidget | None:
        """The page widget (a lazy page's real widget once it has been built)."""
        widget = self.pages.get(key)
        return widget.page if isinstance(widget, _LazyPage) else widget

    def show_page(self, key: str, payload: dict[str, Any] | None = None) -> None:
        if key not in self.pages:
            return
        row = self._keys.index(key)
        if self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)
        if isinstance(self.pages[key], _LazyPage):
            self.pages[key].build()
        prepare = getattr(self.page(key), "prepare", None)
        if payload and prepare is not None:
            prepare(payload)

    def current_page(self) -> str:
        row = self.navigation.currentRow()
        return self._keys[row] if 0 <= row < len(self._keys) else ""

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self._keys):
            widget = self.pages[self._keys[row]]
            if isinstance(widget, _LazyPage):
                widget.build()
            self.stack.setCurrentIndex(row)
            self.page_changed.emit(self._keys[row])

    # -- status bar ------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        # Officer and event give way (ending in "…", whole in the tooltip) so the sync state
        # and the lock button on the right are always whole.
        self.officer_label = ElidedLabel()
        self.officer_label.setObjectName("statusOfficer")
        self.event_label = ElidedLabel()
        self.event_label.setObjectName("statusEvent")
        self.busy_label = QLabel()
        self.busy_label.setObjectName("statusBusy")
        self.officer_label.setContentsMargins(6, 0, 18, 0)
        bar.addWidget(self.officer_label, 1)
        bar.addWidget(self.event_label, 2)
        bar.addPermanentWidget(self.busy_label)

    def add_status_widget(self, widget: QWidget) -> None:
        """Place a widget (e.g. the sync status) at the right of the status bar."""
        self.statusBar().addPermanentWidget(widget)

    def _show_event(self, event: dict[str, Any] | None) -> None:
        if event:
            self.event_label.setText(self.tr("Active event: {title}").format(title=event["title"]))
        else:
            self.event_label.setText(self.tr("No active event"))

    def _show_officer(self, officer: dict[str, Any] | None) -> None:
        self.officer_label.setText(f"{officer['full_name']} · {officer['branch']}" if officer else "")

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText(self.tr("Working…") if busy else "")

    # -- geometry ----------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.fit_to(screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720))

    def fit_to(self, available: QRect) -> None:
        """Size the window for a screen whose usable area is `available`: the saved geometry
        if it fits inside, else maximised on a small screen or a comfortable size, centred."""
        value = self.settings.value("main_window/geometry")
        if isinstance(value, QByteArray) and not value.isEmpty():
            saved_state = self.windowState()
            if self.restoreGeometry(value) and (self.isMaximized()
                                                or available.contains(self.geometry())):
                return
            self.setWindowState(saved_state & ~Qt.WindowMaximized)  # saved for another screen
        if available.width() < MAXIMISE_BELOW.width() or available.height() < MAXIMISE_BELOW.height():
            self.setGeometry(available)
            self.setWindowState(self.windowState() | Qt.WindowMaximized)
            return
        size = COMFORTABLE.boundedTo(available.size())
        self.setGeometry(QRect(available.center().x() - size.width() // 2,
                               available.center().y() - size.height() // 2,
                               size.width(), size.height()))

    def save_geometry(self) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.registration.flush_draft()
        self.save_geometry()
        super().closeEvent(event)


class _LazyPage(QWidget):
    """Holds a page that is built on first use."""

    def __init__(self, factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self.factory = factory
        self.page: QWidget | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.page is None:
            self.page = self.factory()
            self.layout().addWidget(self.page)
        return self.page
