"""Entry point of the officer's workstation: `main()`.

Opens the database (first start: the officer's setup, for the laptop's real
database, which starts empty, or for the separate training database "Latihan
(data contoh)", which is filled with sample participants and marked LATIHAN on
every screen and receipt), installs the interface language, asks who is
working on first start, and opens the main window.  The command line calls
`ui.app.main(db_path=...)` when `bpjs-field` runs without a command; the GUI
is imported only here, so command-line subcommands start without Qt.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from bpjs_field import backup
from bpjs_field.domain import reference
from bpjs_field import log as bpjs_log
from bpjs_field.demo import fill_demo, fill_followup, is_training, training_path
from bpjs_field.errors import BpjsFieldError, KnownError
from bpjs_field.instance import hold_app
from bpjs_field.paths import default_db_path
from bpjs_field.store import Store, views
from ui import dialogs, extensions
from ui.context import AppContext
from ui.i18n import SOURCE_LANGUAGE, Translations
from ui.main_window import MainWindow
from ui.pages.setup import SetupDialog
from ui.style import apply_style
from ui.tasks import DbExecutor

log = logging.getLogger(__name__)

DEMO_PARTICIPANTS = 2000
# The daily backup's first check waits for the start-up work (page loads) to be done.
BACKUP_START_DELAY_MS = 30_000
_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def setup_logging() -> tuple[Path, Any]:
    """The core's rotating, redacting log file; Qt's own messages go there too."""
    path = bpjs_log.setup_logging()

    qt_log = logging.getLogger("qt")

    def qt_message(kind: QtMsgType, _context: Any, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)

    previous = qInstallMessageHandler(qt_message)
    return path, previous


def install_excepthook(log_file: Path) -> None:
    """Unexpected errors: keep the log, tell the officer, keep the window alive."""

    def hook(kind, value, trace) -> None:
        logging.getLogger("crash").critical("unhandled exception", exc_info=(kind, value, trace))
        if QApplication.instance() is None:
            return
        for widget in QApplication.topLevelWidgets():  # keep what is being typed
            registration = getattr(widget, "registration", None)
            if isinstance(widget, MainWindow) and registration is not None:
                try:
                    registration.flush_draft()
                except Exception:  # the rescue must not raise inside the hook
                    log.warning("draft could not be kept after the error")
        dialogs.crash(QApplication.activeWindow(), str(log_file))

    sys.excepthook = hook


def warn_about_binding() -> None:
    """PySide6 6.12.0 on Python < 3.12 drops a reference to None on every call of a
    void Qt method (measured here: 2000 calls, refcount -1998), which ends the
    process with "none_dealloc" after a few thousand calls.  6.11 is fine, and so
    is Python 3.12+ (None is immortal there)."""
    import PySide6
    if PySide6.__version__ == "6.12.0" and sys.version_info < (3, 12):
        log.warning("PySide6 6.12.0 with Python %d.%d leaks None references and may crash; "
                    "use PySide6 6.11 or Python 3.12+", *sys.version_info[:2])


def create_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName("BPJS")
    app.setApplicationName("bpjs-field")
    app.setApplicationDisplayName("BPJS Field")
    apply_style(app)
    if getattr(app, "wheel_keeper", None) is None:
        from ui.widgets import combo_search, wheel
        app.wheel_keeper = wheel.install(app)
        app.combo_search = combo_search.install(app)
    return app


class Workstation:
    """Everything one running app holds: store, executor, context, window."""

    def __init__(self, store: Store) -> None:
        self.store = store
        reference.use_stored(store)  # the rates and notice this laptop last received
        self.executor = DbExecutor(store)
        self.translations = Translations()
        self.ctx: AppContext | None = None
        self.window: MainWindow | None = None
        # The database this window works on: the training one when the officer logged in
        # to training, never the real one beside it (its pre-registration counts, restores
        # and settings would otherwise open, and so create, a second file there).
        self.db_path = Path(store.path)
        self.idle_lock = None
        self.training = self.executor.call(is_training)
        self.backups: backup.BackgroundBackup | None = None

    def fill_training_if_empty(self) -> bool:
        """Sample participants for a new training database; never for a real one."""
        if not self.training:
            return False

        def fill(store: Store) -> bool:
            if views.has_people(store):
                return False
            fill_demo(store, participants=DEMO_PARTICIPANTS)
            fill_followup(store)
            return True

        filled = self.executor.call(fill)
        if filled:
            log.info("training database filled with sample participants")
        return filled

    def start(self) -> bool:
        """Language, officer (first-start setup) and the main window; False if setup was cancelled."""
        lang = self.executor.call(views.language)
        self.translations.install(lang)
        officer = self.executor.call(views.current_officer)
        if officer is None:
            branches = self.executor.call(views.known_branches)
            dialog = SetupDialog(self.executor, branches, lang)
            if dialog.exec() != QDialog.Accepted:
                return False
            lang = dialog.chosen_language()
            self.translations.install(lang)
            officer = self.executor.call(views.current_officer)
        active = self.executor.call(lambda s: s.events.active())
        self.build_window(lang, officer, active)
        return True

    def build_window(self, lang: str, officer: dict[str, Any] | None,
                     active: dict[str, Any] | None) -> MainWindow:
        old = self.window
        if self.ctx is not None:
            self.ctx.detach()  # the old window's pages get no more notices
        self.ctx = AppContext(self.executor, lang=lang, officer=officer, active_event=active,
                              db_path=self.db_path, training=self.training)
        self.ctx.language_changed.connect(self.change_language)
        self.ctx.restore_requested.connect(self.restore)
        self.window = MainWindow(self.ctx, self.executor)
        plug_in_extra_pages(self.window, self.ctx, self.executor)
        self._secure_window(lang)
        if old is not None:
            self.window.setGeometry(old.geometry())
            old.close()
            old.deleteLater()
        self.window.show()
        # The login or setup dialog had the keyboard: hand it to the window, so the page
        # shortcuts (Ctrl+1 … Ctrl+0) work at once, without a click.
        self.window.raise_()
        self.window.activateWindow()
        return self.window

    def _secure_window(self, lang: str) -> None:
        """After a login: the role's limits, the lock screen and the idle lock."""
        from ui.security.lock import apply_role, install_lock
        if getattr(self, "idle_lock", None) is not None:
            self.idle_lock.stop()
        self.idle_lock = None
        if self.store.role is None:
            return
        apply_role(self.window, self.store.role)  # as the window did from ctx.role: idempotent
        self.idle_lock = install_lock(self.window, self.executor, self.store, lang)
        if self.idle_lock is not None:  # a new idle time in Pengaturan applies at once
            self.window.settings_page.idle_lock.minutes_changed.connect(self.idle_lock.set_minutes)
        if self.store.role == "supervisor":
            from PySide6.QtCore import QCoreApplication
            from ui.security.audit_page import AuditPage
            self.window.add_page("audit", QCoreApplication.translate("AuditPage", "Audit log"),
                                 AuditPage(self.executor, lang), "Ctrl+9")
            from ui.security.accounts_page import AccountsPage
            self.window.add_page("accounts", QCoreApplication.translate("AccountsPage", "Accounts"),
                                 AccountsPage(self.executor, lang), "Ctrl+0")

    def change_language(self, lang: str) -> None:
        """Rebuild the window in the new language (drafts are in the database, nothing is lost)."""
        assert self.ctx is not None
        self.translations.install(lang)
        officer, active = self.ctx.officer, self.ctx.active_event
        page = self.window.current_page() if self.window else "home"
        self.build_window(lang, officer, active)
        self.window.show_page(page)

    def start_backups(self, delay_ms: int = BACKUP_START_DELAY_MS) -> None:
        """A backup when the newest is more than a day old (or one was left unfinished),
        checked `delay_ms` after start (once the pages have loaded) and then every hour, in
        a thread of its own with its own connections, at a lower priority and stepping aside
        while the database worker has the officer's work: the worker stays free for the
        officer's searches and saves, and they do not wait for a core behind the backup."""
        assert self.store.path is not None
        self.backups = backup.BackgroundBackup(self.store.path, self.store.key,
                                               busy=self.executor.recently_busy)
        self.backup_timer = QTimer()
        self.backup_timer.setInterval(60 * 60 * 1000)
        self.backup_timer.timeout.connect(self.backups.start_if_due)
        self.backup_timer.start()
        if delay_ms <= 0:
            self.backups.start_if_due()
        else:
            QTimer.singleShot(delay_ms, self._first_backup_check)

    def _first_backup_check(self) -> None:
        if self.backups is not None and self.backup_timer.isActive():  # not closed meanwhile
            self.backups.start_if_due()

    def stop_backups(self) -> None:
        """Stop a running background backup, the daily one or one started from Pengaturan
        (its unfinished file makes the next start redo it)."""
        if getattr(self, "backup_timer", None) is not None:
            self.backup_timer.stop()
        if self.backups is not None:
            self.backups.stop(timeout=1.0)
        box = getattr(getattr(self.window, "settings_page", None), "backups", None)
        if box is not None:  # a backup the officer started from Pengaturan
            box.stop(timeout=1.0)

    def restore(self, path: str) -> None:
        """Close the database, restore the chosen backup (current one kept aside), reopen."""
        assert self.ctx is not None and self.db_path is not None
        lang, page = self.ctx.lang, self.window.current_page() if self.window else "home"
        self.stop_backups()
        extensions.shutdown(self.executor)
        self.executor.shutdown()
        key, session = self.store.key, self.store.session
        self.store.close()
        try:
            aside = backup.restore_backup(self.db_path, Path(path), key, session=session)
            log.info("restored a backup; previous database kept as %s", aside.name)
        except BpjsFieldError as exc:
            QMessageBox.critical(self.window, "BPJS Field", exc.message(lang))
        self.store = Store.open(self.db_path, key=key, session=session)
        self.executor = DbExecutor(self.store)
        officer = self.executor.call(views.current_officer)
        active = self.executor.call(lambda s: s.events.active())
        self.build_window(lang, officer, active)
        self.window.show_page(page)
        if self.backups is not None:  # the hourly check goes on over the restored file
            self.start_backups()

    def close(self, *, final_backup: bool = True) -> None:
        self.stop_backups()
        if final_backup:
            try:  # new work, when it can be saved within a second; else the next start does it
                self.executor.call(lambda s: backup.backup_on_close(s, budget_s=1.0))
            except Exception as exc:  # closing must go on; the daily backup will catch up
                log.warning("backup on close failed: %s", type(exc).__name__)
        if getattr(self, "idle_lock", None) is not None:
            self.idle_lock.stop()
        extensions.shutdown(self.executor)
        self.executor.shutdown()
        self.store.close()


# Pages of other packages (printing, sync), added by the application: each entry
# is called as `entry(window, ctx, executor)` after the main window is built,
# and typically calls `window.add_lazy_page(...)` (heavy imports such as
# reportlab then wait until the officer first opens the page, keeping start-up
# fast) and `window.add_status_widget(...)`.
def _extra_pages() -> list[Callable[[MainWindow, AppContext, DbExecutor], None]]:
    return [getattr(extensions, name) for name in ("add_print_page", "add_sync_pages",
                                                   "add_report_page")
            if hasattr(extensions, name)]


EXTRA_PAGES: list[Callable[[MainWindow, AppContext, DbExecutor], None]] = _extra_pages()


def plug_in_extra_pages(window: MainWindow, ctx: AppContext, executor: DbExecutor) -> None:
    for entry in EXTRA_PAGES:
        try:
            entry(window, ctx, executor)
        except Exception:  # a broken optional page must not stop the officer's work
            log.exception("extra page %s failed", getattr(entry, "__name__", entry))


def open_database(path: Path) -> Store | None:
    """The laptop database: an encrypted one after the officer's login; a new one is
    created encrypted (first start asks who works here and their password), or the
    officer chooses the training database beside it instead; while only the training
    database exists, its login offers to set the laptop up for real work.  A plain
    database made before encryption (or by `bpjs-field demo` and tests) opens as it is."""
    from bpjs_field.security import session
    if session.is_protected(path):
        return _login(path)
    session.set_aside_keyless(path, training_path(path))
    if not path.exists():
        training = training_path(path)
        if session.is_protected(training):
            return _login(training, training=True, real_path=path)
        return _first_start(path, offer_training=True)
    return Store.open(path)


def _login(path: Path, *, training: bool = False, real_path: Path | None = None) -> Store | None:
    from ui.security.login import LoginDialog
    translations = Translations()
    translations.install("id")  # the officer's language is inside the locked database
    dialog = LoginDialog(path, "id", training=training)
    accepted = dialog.exec() == QDialog.Accepted
    translations.install(SOURCE_LANGUAGE)  # removes these; the workstation installs its own
    if not accepted and dialog.wants_real_setup and real_path is not None:
        return _first_start(real_path, offer_training=False)
    return dialog.store if accepted else None


def _first_start(path: Path, *, offer_training: bool) -> Store | None:
    from bpjs_field.store.views import DEFAULT_BRANCHES
    from ui.security.login import ProtectedSetupDialog
    translations = Translations()
    translations.install("id")
    dialog = ProtectedSetupDialog(path, sorted(DEFAULT_BRANCHES), "id",
                                  offer_training=offer_training)
    accepted = dialog.exec() == QDialog.Accepted
    translations.install(SOURCE_LANGUAGE)
    return dialog.store if accepted else None


def main(argv: list[str] | None = None, db_path: Path | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if db_path is None:  # `bpjs-field-gui --db FILE`, as `bpjs-field --db FILE` does
        parser = argparse.ArgumentParser(add_help=False)
        parser.add_argument("--db", type=Path)
        known, rest = parser.parse_known_args(argv[1:])
        db_path, argv = known.db, argv[:1] + rest
    log_file, previous_handler = setup_logging()
    warn_about_binding()
    previous_hook = sys.excepthook
    app = create_application(argv)
    install_excepthook(log_file)
    path = Path(db_path) if db_path else default_db_path()
    try:  # one app at a time on these databases (a second double-click on a slow laptop)
        app_lock = hold_app(path.parent)
    except KnownError as exc:
        QMessageBox.warning(None, "BPJS Field", exc.message("id"))
        qInstallMessageHandler(previous_handler)
        sys.excepthook = previous_hook
        return 1
    try:
        return _run(app, path)
    finally:
        app_lock.release()
        qInstallMessageHandler(previous_handler)
        sys.excepthook = previous_hook


def _run(app: QApplication, path: Path) -> int:
    try:
        store = open_database(path)
        if store is None:  # login or first-start setup cancelled
            return 0
    except KnownError as exc:
        QMessageBox.critical(None, "BPJS Field", exc.message("id"))
        return 1
    station = Workstation(store)
    try:
        station.fill_training_if_empty()
        if not station.start():
            return 0
        station.start_backups()
        return app.exec()
    finally:
        if station.window is not None:
            station.window.save_geometry()
        station.close()


if __name__ == "__main__":
    sys.exit(main())
