"""Self-registration on screen: the hub's panel (the phone page's address, its QR, the counts,
the poster) and the counts line of the home page."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ui.background import run_in_background

log = logging.getLogger(__name__)


def counts_text(counts: dict[str, int]) -> str:
    return QCoreApplication.translate(
        "SelfRegPanel", "Pre-registered on phones today: %1 waiting, %2 confirmed").replace(
        "%1", str(counts["waiting"])).replace("%2", str(counts["confirmed"]))


class SelfRegPanel(QWidget):
    """Under the hub's join code: where phones go, how many wait, and the poster."""

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfRegPanel")
        self.controller = controller
        self.address = QLabel(self)
        self.address.setObjectName("selfRegAddress")
        self.address.setWordWrap(True)
        self.counts = QLabel(self)
        self.counts.setObjectName("selfRegCounts")
        self.counts.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.wifi = QLineEdit(self)
        self.wifi.setObjectName("selfRegWifi")
        self.wifi.setPlaceholderText(self.tr("Event Wi-Fi name (printed on the poster)"))
        self.wifi.setMaxLength(40)
        self.paper = QComboBox(self)
        self.paper.setObjectName("selfRegPaper")
        self.paper.addItems(["A4", "A3"])
        self.print_button = QPushButton(self.tr("Print the poster"), self)
        self.print_button.setObjectName("selfRegPrint")
        self.print_button.clicked.connect(lambda: self.print_poster())
        self.message = QLabel(self)
        self.message.setObjectName("selfRegMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.address)
        layout.addWidget(self.counts)
        row = QHBoxLayout()
        row.addWidget(self.wifi, 1)
        row.addWidget(self.paper)
        row.addWidget(self.print_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.run: Any = None
        controller.state_changed.connect(self.show_state)
        self.show_state(controller.state())

    def _hub(self) -> Any:
        return getattr(self.controller, "hub", None)

    def url(self) -> str | None:
        hub = self._hub()
        if hub is None or getattr(hub, "selfreg_phone", None) is None:
            return None
        from bpjs_field.selfreg.hub import phone_url
        return phone_url(hub)

    def show_state(self, state: dict[str, Any]) -> None:
        url = self.url()
        failed = getattr(self._hub(), "selfreg_error", None) if url is None else None
        self.setVisible(url is not None or failed is not None)
        if failed:
            self.address.setText(self.tr("The participants' page could not start on %1 (the port is "
                                         "taken?): stop the hub and start it on another port.")
                                 .replace("%1", failed))
        if url is None:
            return
        self.address.setText(self.tr("Participants' phones: join the event's Wi-Fi and open %1 "
                                     "(print the poster for the queue).").replace("%1", url))
        book = getattr(self._hub(), "selfreg_book", None)
        if book is not None:
            try:
                self.counts.setText(counts_text(book.counts()))
            except Exception:  # noqa: BLE001 - the screen must not crash on a busy database
                log.warning("self-registration counts not readable", exc_info=True)

    def poster(self) -> bytes:
        from bpjs_field.selfreg.poster import poster_pdf
        hub = self._hub()
        return poster_pdf(self.url() or "", wifi=self.wifi.text().strip(),
                          title=f"BPJS Ketenagakerjaan · {hub.branch_name}" if hub.branch_name else "",
                          paper=self.paper.currentText())

    def print_poster(self, output_file: str | None = None) -> Any:
        """On the default printer (or into `output_file`, a PDF, for a check)."""
        from ui.printing.service import PrintRun, default_printer_name
        self.run = PrintRun(self.poster(), None if output_file else default_printer_name(),
                            title="poster-pendaftaran", output_file=output_file, parent=self)
        self.run.finished.connect(lambda ok, error: self.message.setText(
            self.tr("Poster sent to the printer.") if ok else error))
        self.run.start()
        return self.run


class PreregCounts(QLabel):
    """The home page's line: pre-registrations waiting and confirmed at the joined hub
    (asked off the GUI thread and off the database worker; hidden when not joined)."""

    def __init__(self, parent: QWidget | None = None, db_path: Any = None, key: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("preregCounts")  # empty until a joined hub answers
        self.db_path, self.key = db_path, key
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(15000)
        self._timer.timeout.connect(self.refresh)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self._timer.stop()

    def refresh(self) -> None:
        if self._busy or self.db_path is None:
            return
        self._busy = True
        run_in_background(self, self._ask, self._show, self._not_read, name="prereg-counts")

    def _ask(self) -> dict[str, int] | None:
        from bpjs_field.selfreg.link import counts
        from bpjs_field.store import Store
        if not Path(self.db_path).exists():  # opening would make one: never from a count line
            return None
        store = Store.open(self.db_path, key=self.key)
        try:
            return counts(store)
        finally:
            store.close()

    def _not_read(self, exc: BaseException) -> None:  # a count line never stops the home page
        self._busy = False
        log.warning("pre-registration counts not read", exc_info=exc)

    def _show(self, counts: dict[str, int] | None) -> None:
        self._busy = False
        if counts is None:
            return
        self.setText(counts_text(counts))
