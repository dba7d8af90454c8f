"""Pages from other parts of the GUI (printing, sync) plugged into the main window.

Each function is an entry of `ui.app.EXTRA_PAGES`, called as
`entry(window, ctx, executor)` every time the main window is built.  The pages
are lazy: their modules (reportlab, QtPdf, httpx) are imported when the officer
first opens them, so start-up stays fast.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.context import AppContext
from ui.main_window import MainWindow
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
