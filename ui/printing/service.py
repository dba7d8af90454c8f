"""Printing PDFs through Qt's printing system, without freezing the window.

The core makes the PDF (off the GUI thread).  Here a `PrintRun` sends it to a
`QPrinter`: each page is rendered by `QPdfDocument` at the printer's
resolution (capped at 300 dpi, plenty for type and QR codes, and it keeps
spool files small) and painted with `QPainter`.  QPainter on a printer must
stay on the GUI thread, so a `QTimer` paints one page per tick and the window
keeps answering; the officer can cancel between pages.  Identical pages (copies
of a brochure) reuse one rendered image, so 200 brochures spool as two images.

Signals of PrintRun:
    progress(int done, int total): a page was painted.
    finished(bool ok, str message): the job went to the spooler (ok) or was
        cancelled / failed (message says why, without personal data).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (QBuffer, QByteArray, QCoreApplication, QIODevice, QMarginsF, QObject,
                            QRectF, QSize, QSizeF, QTimer, Signal)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

log = logging.getLogger(__name__)

MAX_DPI = 300

PAPERS = {
    "document": None,  # the PDF's own page size
    "a4": QPageSize.PageSizeId.A4,
    "a5": QPageSize.PageSizeId.A5,
    "thermal": "thermal",  # 80 mm roll, height from the document
}


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def default_printer_name() -> str | None:
    info = QPrinterInfo.defaultPrinter()
    return None if info.isNull() else info.printerName()


def load_pdf(pdf: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument over in-memory bytes (the buffer is parented to the document)."""
    doc = QPdfDocument(parent)
    buffer = QBuffer(doc)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buffer)
    return doc


def page_layout_for(doc: QPdfDocument, paper: str = "document") -> QPageLayout:
    """Paper and orientation for a job: the document's own size unless chosen otherwise."""
    size_pt = doc.pagePointSize(0)
    w, h = size_pt.width(), size_pt.height()
    landscape = w > h
    choice = PAPERS.get(paper)
    if choice is None:
        page = QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Point, "",
                         QPageSize.SizeMatchPolicy.FuzzyMatch)
    elif choice == "thermal":
        page = QPageSize(QSizeF(226.77, max(h, 226.77)), QPageSize.Unit.Point, "80 mm",
                         QPageSize.SizeMatchPolicy.ExactMatch)
        landscape = False
    else:
        page = QPageSize(choice)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0))


class PrintRun(QObject):
    progress = Signal(int, int)
    finished = Signal(bool, str)

    def __init__(self, pdf: bytes, printer_name: str | None, *, copies: int = 1,
                 title: str = "bpjs-field", paper: str = "document", output_file: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = load_pdf(pdf, self)
        self.copies = max(1, int(copies))
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if output_file:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(output_file)
        elif printer_name:
            self.printer.setPrinterName(printer_name)
        self.printer.setDocName(title)
        self.printer.setFullPage(True)
        self.printer.setCopyCount(1)  # copies are painted here, so progress and cancel mean something
        self.paper = paper
        self.printer_name = self.printer.printerName() or (output_file or "")
        self.painter: QPainter | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._images: dict[int, QImage] = {}
        self._done = 0
        self._cancel = False
        self.running = False

    @property
    def total(self) -> int:
        return self.doc.pageCount() * self.copies

    def start(self) -> None:
        if self.doc.status() != QPdfDocument.Status.Ready or self.doc.pageCount() == 0:
            self.finished.emit(False, QCoreApplication.translate(
                "PrintRun", "The document could not be opened for printing."))
            return
        self.printer.setPageLayout(page_layout_for(self.doc, self.paper))
        res = self.printer.resolution()
        if res > MAX_DPI:
            self.printer.setResolution(MAX_DPI)
        self.painter = QPainter()
        if not self.painter.begin(self.printer):
            self.painter = None
            self.finished.emit(False, QCoreApplication.translate(
                "PrintRun", "Printer “%1” is not ready.").replace("%1", self.printer_name))
            return
        self.running = True
        self._timer.start()

    def cancel(self) -> None:
        self._cancel = True

    def _image(self, page: int) -> QImage:
        image = self._images.get(page)
        if image is None:
            dpi = min(self.printer.resolution(), MAX_DPI)
            pt = self.doc.pagePointSize(page)
            size = QSize(round(pt.width() * dpi / 72), round(pt.height() * dpi / 72))
            rendered = self.doc.render(page, size)
            # QPdfDocument renders on a transparent background: flatten on white paper.
            image = QImage(size, QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            p = QPainter(image)
            p.drawImage(0, 0, rendered)
            p.end()
            self._images[page] = image
        return image

    def _target(self, image: QImage) -> QRectF:
        paper = self.printer.paperRect(QPrinter.Unit.DevicePixel)
        scale = min(paper.width() / image.width(), paper.height() / image.height())
        w, h = image.width() * scale, image.height() * scale
        return QRectF(paper.x() + (paper.width() - w) / 2, paper.y(), w, h)

    def _step(self) -> None:
        if self._cancel:
            self._finish(False, QCoreApplication.translate("PrintRun", "Printing cancelled."))
            return
        try:
            page = self._done % self.doc.pageCount()
            if self._done:
                self.printer.newPage()
            image = self._image(page)
            self.painter.drawImage(self._target(image), image)
        except Exception:  # a printer failing mid-job is not the officer's fault
            log.exception("printing failed")
            self._finish(False, QCoreApplication.translate(
                "PrintRun", "Printing failed; check the printer and try again."))
            return
        self._done += 1
        self.progress.emit(self._done, self.total)
        if self._done >= self.total:
            done = QCoreApplication.translate("PrintRun", "%1 copies sent to %2.")
            self._finish(True, done.replace("%1", str(self.copies)).replace("%2", self.printer_name))

    def _finish(self, ok: bool, message: str) -> None:
        self._timer.stop()
        self.running = False
        if self.painter is not None:
            if not ok:
                self.printer.abort()
            self.painter.end()
            self.painter = None
        self._images.clear()
        self.finished.emit(ok, message)
