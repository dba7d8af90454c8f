"""Pages from other parts of the GUI (printing, sync) plugged into the main window.

Each function is an entry of `ui.app.EXTRA_PAGES`, called as
`entry(window, ctx, executor)` every time the main window is built.  The pages
are lazy: their modules (reportlab, QtPdf, httpx) are imported when the officer
first opens them, so start-up stays fast.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer

from ui.context import AppContext
from ui.main_window import MainWindow
from ui.roles import OFFICER, session_role
from ui.tasks import DbExecutor

log = logging.getLogger(__name__)


def add_print_page(window: MainWindow, ctx: AppContext, executor: DbExecutor) -> None:
    def build():
        from ui.printing import PrintPage, i18n
        i18n.install(ctx.lang)
        return PrintPage(executor)

    window.add_lazy_page("print", QCoreApplication.translate("Extensions", "Print"), build, "Ctrl+7")
    registration = window.page("registration")
    if registration is None:
        return

    def saved(result: Any) -> None:
        registration_id = result.registration["id"]

        def maybe_print(enabled: bool) -> None:
            if enabled:
                from ui.printing import print_receipt_after_save
                print_receipt_after_save(executor, registration_id, window)

        executor.run(lambda s: bool(s.get_setting("print_after_save", False)), maybe_print)

    registration.registration_saved.connect(saved)


def add_sync_pages(window: MainWindow, ctx: AppContext, executor: DbExecutor) -> None:
    """The Sinkronisasi page and the always-visible status indicator.

    The controller belongs to the executor (it outlives a window rebuilt for a
    language change) and is created just after the window is first painted, so
    httpx and pydantic do not delay start-up."""
    holder: dict[str, Any] = {}
    if ctx.training:  # sample data must never reach the branch server
        def build_notice():
            from PySide6.QtWidgets import QLabel
            notice = QLabel(QCoreApplication.translate(
                "Extensions", "This is the training database (LATIHAN): its sample data are never "
                "synced to the branch server. Set the laptop up for real work to sync."))
            notice.setObjectName("trainingNoSync")
            notice.setWordWrap(True)
            notice.setMargin(24)
            notice.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            return notice
        window.add_lazy_page("sync", QCoreApplication.translate("Extensions", "Sync"), build_notice,
                             "Ctrl+8")
        return

    def controller():
        if "controller" not in holder:
            from ui.sync import SyncController
            made = SyncController.for_executor(executor)
            if not getattr(made, "_started_by_app", False):
                made._started_by_app = True  # type: ignore[attr-defined]
                made.start(first_delay_s=3.0)
            # What a sync pulls reaches the pages on screen (home counts, people, the
            # check-in list) through the executor's `Ops`, the same notice as a save; so do
            # the rows from the other laptops of an event, through the hub's link.
            from ui.sync.hub import HubController
            HubController.for_executor(executor)
            holder["controller"] = made
        return holder["controller"]

    def build_page():
        from ui.sync import SyncPage
        return SyncPage(executor, controller=controller())

    def build_status() -> None:
        from ui.sync import SyncStatusWidget
        status = SyncStatusWidget(executor, controller=controller())
        status.setObjectName("syncStatus")
        window.add_status_widget(status)

    window.add_lazy_page("sync", QCoreApplication.translate("Extensions", "Sync"), build_page, "Ctrl+8")
    QTimer.singleShot(200, window, build_status)  # not called if the window is gone


def shutdown(executor: DbExecutor) -> None:
    """Stop background sync before the database executor closes."""
    hub = getattr(executor, "_hub_controller", None)
    if hub is not None:
        hub.shutdown()
    controller = getattr(executor, "_sync_controller", None)
    if controller is not None:
        controller.shutdown()


REPORT_SHORTCUT = "Ctrl+Shift+L"  # L for Laporan; Ctrl+1 ... Ctrl+0 are all taken


def add_report_page(window: MainWindow, ctx: AppContext, executor: DbExecutor) -> None:
    """Laporan: the branch's funnel against its targets, for supervisors only: an officer's
    window has no such page, entry or shortcut (issue: "a Laporan page for supervisors").
    Built when first opened: QtCharts and reportlab are imported then."""
    store = getattr(executor, "store", None)
    if store is not None and store.role == "officer":
        return

    def build():
        if session_role(executor) == OFFICER:
            from PySide6.QtWidgets import QLabel
            notice = QLabel(QCoreApplication.translate(
                "Extensions", "The report is for supervisors; ask a supervisor of the branch."))
            notice.setObjectName("reportForSupervisors")
            notice.setWordWrap(True)
            return notice
        from ui.pages.report_page import ReportPage
        return ReportPage(executor, ctx.lang)

    window.add_lazy_page("report", QCoreApplication.translate("Extensions", "Report"), build,
                         REPORT_SHORTCUT)
