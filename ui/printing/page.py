"""The print page: pick a document, preview it, choose printer, copies and paper, print.

Documents: a registration receipt (A4, A5 or 80 mm roll), a program brochure
(one or a batch of many copies), an event's attendance list or summary.  PDFs
are made on the database worker (`DbExecutor`), never on the GUI thread; the
preview is a `QPdfView`; printing is a `PrintRun` driven by a timer, with a
progress bar and a cancel button.  A finished print is written to the print
log (with the printer's name and the number of copies) through the executor,
and "Sent to printer X" stays on the page until the officer's next action.
The printer list is read again whenever the page is shown and on request
("Find printers", F5), so a printer plugged in later is offered.

Signals:
    printed(dict): the print-log row of a finished print.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtCore import QLocale
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout,
                               QWidget)

from bpjs_field.printing import documents
from bpjs_field.printing.brochure_content import KINDS
from ui.ops import Ops
from ui.printing.service import PrintRun, default_printer_name, load_pdf, printer_names
from ui.tasks import DbExecutor

log = logging.getLogger(__name__)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


DOCS = (("receipt", QT_TRANSLATE_NOOP("PrintPage", "Registration receipt")),
        ("brochure", QT_TRANSLATE_NOOP("PrintPage", "Program brochure")),
        ("attendance", QT_TRANSLATE_NOOP("PrintPage", "Event attendance list")),
        ("summary", QT_TRANSLATE_NOOP("PrintPage", "Event summary")))
RECEIPT_FORMATS = (("a4", "A4"), ("a5", "A5"), ("thermal", QT_TRANSLATE_NOOP("PrintPage", "80 mm roll")),
                   ("thermal58", QT_TRANSLATE_NOOP("PrintPage", "58 mm roll")))
PAPERS = (("document", QT_TRANSLATE_NOOP("PrintPage", "As the document")), ("a4", "A4"), ("a5", "A5"),
          ("thermal", QT_TRANSLATE_NOOP("PrintPage", "80 mm roll")))
LANGS = (("id", "Bahasa Indonesia"), ("en", "English"))
ESCPOS = "escpos:"  # the printer list's entry for the receipt printer set up in Settings


def _combo(items) -> QComboBox:
    box = QComboBox()
    for key, text in items:
        box.addItem(QCoreApplication.translate("PrintPage", text), key)
    return box


def _receipt_printer(store):
    from bpjs_field.printing.escpos_link import load_settings
    return load_settings(store)


class PrintPage(QWidget):
    printed = Signal(dict)

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.job: documents.PrintJob | None = None
        self.registration_id: str | None = None
        self.run: PrintRun | None = None
        self.doc = None
        self.lang = "en" if QLocale().language() == QLocale.Language.English else "id"
        self._build()
        self.refresh_printers()
        self.refresh_events()

    # -- layout ------------------------------------------------------------------
    def _build(self) -> None:
        self.doc_kind = _combo(DOCS)
        self.code = QLineEdit(placeholderText=self.tr("Registration code, e.g. 27PS-0001-C"))
        self.receipt_format = _combo(RECEIPT_FORMATS)
        self.brochure_kind = _combo((k, k.upper()) for k in KINDS)
        self.brochure_lang = _combo(LANGS)
        self.stamp = QCheckBox(self.tr("Stamp the active event and officer"))
        self.event_box = QComboBox()
        self.printer = QComboBox()
        self.printer.setObjectName("printerChoice")
        self.refresh_printers_button = QPushButton(self.tr("Find printers (F5)"))
        self.refresh_printers_button.setObjectName("refreshPrinters")
        self.copies = QSpinBox(minimum=1, maximum=1000, value=1)
        self.paper = _combo(PAPERS)
        self.preview_button = QPushButton(self.tr("&Preview"))
        self.print_button = QPushButton(self.tr("P&rint"))
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.sent = QLabel()  # "Sent to printer X", kept until the next action
        self.sent.setObjectName("printSent")
        self.sent.setWordWrap(True)
        self.sent.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.sent.hide()
        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        receipt = QWidget()
        form = QFormLayout(receipt)
        form.addRow(self.tr("Co&de"), self.code)
        form.addRow(self.tr("&Format"), self.receipt_format)
        brochure = QWidget()
        form = QFormLayout(brochure)
        form.addRow(self.tr("Pro&gram"), self.brochure_kind)
        form.addRow(self.tr("&Language"), self.brochure_lang)
        form.addRow("", self.stamp)
        event = QWidget()
        QFormLayout(event).addRow(self.tr("&Event"), self.event_box)
        self.params = QStackedWidget()
        for widget in (receipt, brochure, event, QWidget()):
            self.params.addWidget(widget)

        left = QVBoxLayout()
        top = QFormLayout()
        top.addRow(self.tr("Doc&ument"), self.doc_kind)
        left.addLayout(top)
        left.addWidget(self.params)
        printing = QFormLayout()
        printer_row = QHBoxLayout()
        printer_row.addWidget(self.printer, 1)
        printer_row.addWidget(self.refresh_printers_button)
        printing.addRow(self.tr("Pri&nter"), printer_row)
        printing.addRow(self.tr("Cop&ies"), self.copies)
        printing.addRow(self.tr("Pa&per"), self.paper)
        left.addLayout(printing)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.cancel_button):
            buttons.addWidget(button)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.sent)
        left.addWidget(self.status)
        left.addStretch(1)
        side = QWidget()
        side.setLayout(left)
        side.setMaximumWidth(380)
        layout = QHBoxLayout(self)
        layout.addWidget(side)
        layout.addWidget(self.view, 1)

        self.progress.hide()
        self.cancel_button.hide()
        self.print_button.setEnabled(False)
        self.doc_kind.currentIndexChanged.connect(self._kind_changed)
        self.preview_button.clicked.connect(self.preview)
        self.code.returnPressed.connect(self.preview)
        self.print_button.clicked.connect(self.print_current)
        self.cancel_button.clicked.connect(self.cancel)
        for box in (self.receipt_format, self.brochure_kind, self.brochure_lang, self.event_box):
            box.currentIndexChanged.connect(self._params_changed)
        self.stamp.toggled.connect(self._params_changed)
        self.code.textEdited.connect(self._params_changed)
        for box in (self.printer, self.paper):
            box.activated.connect(self._clear_sent)
        self.copies.valueChanged.connect(self._clear_sent)
        self.refresh_printers_button.clicked.connect(self.refresh_printers)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_current)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh_printers)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh_printers()  # a printer plugged in since is offered

    def _clear_sent(self, *_args) -> None:
        self.sent.clear()
        self.sent.hide()

    def _kind_changed(self, index: int) -> None:
        kind = self.doc_kind.itemData(index)
        self.params.setCurrentIndex({"receipt": 0, "brochure": 1, "attendance": 2, "summary": 2}[kind])
        self._params_changed()

    def _params_changed(self, *_args) -> None:
        # What is on screen no longer matches the choices: preview again before printing.
        self._clear_sent()
        self.job = None
        self.print_button.setEnabled(False)

    # -- data ------------------------------------------------------------------------
    def refresh_printers(self) -> None:
        """Read the system's printers again; the one chosen stays chosen while it exists."""
        chosen = self.printer.currentData()
        self.printer.clear()
        names = printer_names()
        for name in names:
            self.printer.addItem(name, name)
        default = default_printer_name()
        if chosen in names:
            self.printer.setCurrentIndex(names.index(chosen))
        elif default in names:
            self.printer.setCurrentIndex(names.index(default))
        if not names:
            self.printer.addItem(self.tr("(no printer)"), None)
        self.executor.run(_receipt_printer, self._add_receipt_printer)

    def _add_receipt_printer(self, settings) -> None:
        """The ESC/POS receipt printer from Settings, first in the list and chosen for receipts."""
        index = self.printer.findData(ESCPOS)
        if index >= 0:
            self.printer.removeItem(index)
        if settings is None or not settings.configured:
            return
        self.printer.insertItem(0, self.tr("Receipt printer: %1").replace("%1", settings.label),
                                ESCPOS)
        if self.doc_kind.currentData() == "receipt":
            self.printer.setCurrentIndex(0)

    def refresh_events(self) -> None:
        def done(rows):
            self.event_box.clear()
            for row in rows:
                self.event_box.addItem(row["title"], row["id"])
        self.executor.run(lambda store: store.events.list(), done, self._failed)

    def select_printer(self, name: str) -> None:
        index = self.printer.findData(name)
        if index >= 0:
            self.printer.setCurrentIndex(index)

    # -- preview -----------------------------------------------------------------------
    def prepare(self, payload: dict) -> None:
        """Called by the main window when another page opens this one (e.g. a reprint)."""
        if payload.get("registration_id"):
            # The receipt printer may have been set up since this page was built.
            self.executor.run(_receipt_printer, self._add_receipt_printer)
            self.show_receipt(payload["registration_id"])

    def show_receipt(self, registration_id: str, fmt: str | None = None) -> None:
        """Preview the receipt of a registration (after saving, or a reprint from a
        person's detail); printing it logs a print, the next is marked SALINAN."""
        self.doc_kind.setCurrentIndex(0)
        if fmt:
            self.receipt_format.setCurrentIndex(self.receipt_format.findData(fmt))
        self.registration_id = registration_id
        fmt = self.receipt_format.currentData()

        def make(store):
            job = documents.receipt_job(store, registration_id, fmt)
            code = store.registrations.get(registration_id)["code"]
            return job, code

        def done(result):
            job, code = result
            self.code.setText(code)
            self._show(job)
        self.executor.run(make, done, self._failed)

    def preview(self) -> None:
        self._clear_sent()
        kind = self.doc_kind.currentData()
        if kind == "receipt":
            code, fmt = self.code.text(), self.receipt_format.currentData()

            def make(store):
                return documents.receipt_job_by_code(store, code, fmt)
        elif kind == "brochure":
            brochure, lang, stamped = (self.brochure_kind.currentData(),
                                       self.brochure_lang.currentData(), self.stamp.isChecked())

            def make(store):
                stamp = None
                if stamped:
                    active = store.events.active()
                    stamp = documents.stamp_for(store, active["id"] if active else None)
                return documents.brochure_job(brochure, lang, stamp=stamp)
        else:
            event_id = self.event_box.currentData()
            if not event_id:
                self.status.setText(self.tr("No event yet; create an event first."))
                return
            maker = documents.attendance_job if kind == "attendance" else documents.summary_job

            def make(store):
                return maker(store, event_id)
        self.status.setText(self.tr("Preparing the document…"))
        self.executor.run(make, self._show, self._failed)

    def _show(self, job: documents.PrintJob) -> None:
        old = self.doc
        self.doc = load_pdf(job.pdf, self)
        self.view.setDocument(self.doc)
        if old is not None:
            old.deleteLater()
        self.job = job
        if job.document.startswith("receipt."):
            self.registration_id = job.subject_id
        self.print_button.setEnabled(True)
        copy = " (SALINAN)" if job.is_reprint else ""  # printed word, not translated
        self.status.setText(self.tr("%1%2: %n page(s).", "", self.doc.pageCount())
                            .replace("%1", job.title).replace("%2", copy))

    def _failed(self, exc: BaseException) -> None:
        message = (exc.message(self.lang) if hasattr(exc, "message")
                   else self.tr("The document could not be made."))
        if not hasattr(exc, "message"):
            log.error("print document failed", exc_info=exc)
        self.status.setText(message)

    # -- printing ------------------------------------------------------------------------
    def print_current(self, output_file: str | None = None) -> PrintRun | None:
        """Print the previewed document; returns the running PrintRun (tests wait on it)."""
        if self.job is None or (self.run is not None and self.run.running):
            return None
        self._clear_sent()
        if self.printer.currentData() == ESCPOS:
            return self._print_on_receipt_printer(self.job)
        job, copies = self.job, self.copies.value()
        run = PrintRun(job.pdf, self.printer.currentData(), copies=copies, title=job.title,
                       paper=self.paper.currentData(), output_file=output_file or None, parent=self)
        self.run = run
        self.progress.setRange(0, run.total)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.print_button.setEnabled(False)
        run.progress.connect(lambda done, total: self.progress.setValue(done))
        run.finished.connect(lambda ok, message: self._print_done(run, job, copies, ok, message))
        self.status.setText(self.tr("Printing…"))
        run.start()
        return run

    def _print_on_receipt_printer(self, job: documents.PrintJob):
        """A receipt on the ESC/POS printer, made from the receipt data (not the PDF)."""
        from ui.printing.escpos_run import ReceiptToPrinter
        if not (job.document.startswith("receipt.") and job.subject_id):
            self.status.setText(self.tr("The receipt printer prints registration receipts only; "
                                        "choose another printer."))
            return None
        run = ReceiptToPrinter(self.executor, job.subject_id, parent=self,
                               copies=self.copies.value())
        self.run = run
        run.running = True
        self.print_button.setEnabled(False)
        self.status.setText(self.tr("Printing…"))

        def done(row) -> None:
            run.running = False
            self.status.setText(run.message)
            if row is None:
                self.print_button.setEnabled(True)
                return
            self.printed.emit(row)
            self.show_receipt(job.subject_id)  # the next one is a SALINAN
        run.done.connect(done)
        run.start()
        return run

    def cancel(self) -> None:
        if self.run is not None and hasattr(self.run, "cancel"):
            self.run.cancel()

    def _print_done(self, run: PrintRun, job: documents.PrintJob, copies: int, ok: bool,
                    message: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.status.setText(message)
        if not ok:
            self.print_button.setEnabled(True)
            return
        printer = run.printer_name
        self.sent.setText(self.tr("Sent to printer %1.").replace("%1", printer))
        self.sent.show()

        def logged(row):
            self.printed.emit(row)
            if job.document.startswith("receipt.") and job.subject_id:
                # The next print of this receipt must say SALINAN: make it again.
                self.show_receipt(job.subject_id)
            else:
                self.print_button.setEnabled(True)
        Ops.for_executor(self.executor).log_print(job, printer=printer, copies=copies,
                                                  on_done=logged, on_error=self._failed)
