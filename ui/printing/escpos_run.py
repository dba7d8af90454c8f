"""Printing on an ESC/POS receipt printer without ever freezing the window.

`EscposRun(settings, make_bytes)` makes the bytes and sends them on a plain
worker thread (`ui.background`; not the database worker: a printer out of range must not hold
up saving the next registration); `escpos_link.send` gives up within 3 s of the
printer making no progress.  `ReceiptToPrinter` is the whole receipt route:
the receipt is made on the database worker, sent by an `EscposRun`, and logged
as printed only once the printer took it, so a failed print leaves nothing to
undo and the receipt is printed again from the person's detail (Ctrl+R).

Signals:
    EscposRun.finished(bool ok, str message): sent, or why not (plain words).
    ReceiptToPrinter.done(object): the print-log row, or None when not printed
        (`message` then says why).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from bpjs_field.printing.escpos_link import PrinterError, PrinterSettings
from ui.background import run_in_background
from ui.tasks import DbExecutor

log = logging.getLogger(__name__)


def _lang() -> str:
    from PySide6.QtCore import QLocale
    return "en" if QLocale().language() == QLocale.Language.English else "id"


class EscposRun(QObject):
    finished = Signal(bool, str)

    def __init__(self, settings: PrinterSettings, make_bytes: Callable[[], bytes],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.make_bytes = make_bytes
        self.running = False
        self.lang = _lang()

    def start(self) -> None:
        self.running = True
        run_in_background(self, self._work, self._report, self._failed, name="escpos-print")

    def _work(self) -> tuple[bool, str]:
        from bpjs_field.printing.escpos_link import send
        try:
            send(self.settings, self.make_bytes())
        except PrinterError as exc:
            return False, exc.message(self.lang)
        done = QCoreApplication.translate("EscposRun", "Printed on %1.")
        return True, done.replace("%1", self.settings.label)

    def _failed(self, exc: BaseException) -> None:
        # a bug, not the printer: keep the trace, tell the officer plainly
        log.error("ESC/POS printing failed", exc_info=exc)
        self._report((False, QCoreApplication.translate(
            "EscposRun", "The receipt printer could not be used; see the log file.")))

    def _report(self, outcome: tuple[bool, str]) -> None:
        self.running = False
        self.finished.emit(*outcome)


class ReceiptToPrinter(QObject):
    done = Signal(object)

    def __init__(self, executor: DbExecutor, registration_id: str,
                 settings: PrinterSettings | None = None, parent: QObject | None = None,
                 *, copies: int = 1) -> None:
        super().__init__(parent)
        self.executor = executor
        self.registration_id = registration_id
        self.settings = settings
        self.copies = max(1, int(copies))  # each copy is a whole receipt, cut after itself
        self.run: EscposRun | None = None
        self.message = ""
        self.ok = False

    def start(self) -> None:
        rid, chosen = self.registration_id, self.settings

        def make(store):
            from bpjs_field.printing.escpos import receipt_escpos_job
            from bpjs_field.printing.escpos_link import load_settings
            settings = chosen or load_settings(store)
            if not settings.configured:
                raise PrinterError("printer.not_configured")
            return settings, receipt_escpos_job(store, rid, settings.layout)
        self.executor.run(make, self._made, self._failed)

    def _made(self, result) -> None:
        settings, job = result
        copies = self.copies
        self.run = EscposRun(settings, lambda: job.data * copies, self)
        self.run.finished.connect(lambda ok, message: self._sent(settings, job, ok, message))
        self.run.start()

    def _sent(self, settings: PrinterSettings, job, ok: bool, message: str) -> None:
        self.message = message
        if not ok:
            self.done.emit(None)
            return

        def logged(row) -> None:
            self.ok = True
            self.done.emit(row)
        from ui.ops import Ops
        Ops.for_executor(self.executor).log_print(job, printer=f"escpos:{settings.label}",
                                                  copies=self.copies, on_done=logged, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if hasattr(exc, "message"):
            self.message = exc.message(_lang())
        else:
            log.error("receipt for the receipt printer failed", exc_info=exc)
            self.message = QCoreApplication.translate("EscposRun", "The receipt was not printed.")
        self.done.emit(None)
