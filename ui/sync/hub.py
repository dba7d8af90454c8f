"""The event hub on the Sinkronisasi page: make this laptop the hub, or join one.

`HubController` (one per DB executor, like `SyncController`) owns the hub server running in
this process (`bpjs_field.sync.hub_server.HubServer`) and the link that syncs this laptop
with its hub every few seconds (`HubLink`), each on its own connection to the database.
`HubBox` shows it: the address to serve on (picked by the officer, never all networks),
the join code and QR while the hub runs, the laptops joined with their last contact and
pending changes, the event totals; and a field for a join code, typed or scanned (the
check-in scanner types the QR's text and Enter into it).

Signals (HubController):
    state_changed(dict): the hub or the link changed (running, joined, status, errors).
    data_pulled(Changes): a round with the hub brought rows from other laptops.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from bpjs_field.errors import KnownError
from bpjs_field.messages import render
from bpjs_field.store import Store
from ui.background import run_in_background
from ui.ops import HUB, Changes, Ops
from ui.tasks import DbExecutor, one_per_executor
from ui.sync.texts import when_text
from ui.widgets.elided import heading_lines

log = logging.getLogger(__name__)


def local_addresses() -> list[str]:
    """This laptop's IPv4 addresses, the network's first and loopback last."""
    found = []
    for address in QNetworkInterface.allAddresses():
        if address.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
            found.append(address.toString())
    return sorted(set(found), key=lambda a: (a.startswith("127."), a))


def qr_pixmap(text: str, scale: int = 5) -> QPixmap:
    from bpjs_field.printing.qr import QUIET_ZONE, qr_runs
    count, runs = qr_runs(text)
    side = (count + 2 * QUIET_ZONE) * scale
    image = QImage(side, side, QImage.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for row, col, length in runs:
        painter.fillRect((col + QUIET_ZONE) * scale, (row + QUIET_ZONE) * scale, length * scale,
                         scale, QColor("black"))
    painter.end()
    return QPixmap.fromImage(image)


def _to_resume(store: Store) -> dict[str, Any]:
    """What this laptop was at the event when the app closed: the hub (where it served) and
    the hub it had joined (its own, or another laptop's)."""
    from bpjs_field.sync.hub_engine import HUB_URL, joined
    from bpjs_field.sync.hub_server import to_resume
    return {"serve": to_resume(store),
            "url": store.get_setting(HUB_URL) if joined(store) else None}


class HubController(QObject):
    state_changed = Signal(object)
    data_pulled = Signal(object)

    def __init__(self, executor: DbExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.hub: Any = None
        self.link: Any = None
        self.hub_store: Store | None = None
        self._pulled = 0
        self.url: str | None = None  # the joined hub's address, for the screen
        self.resumed: str | None = None  # "hub" or "joined": carried on after the app restarted
        self.resume_error: KnownError | None = None  # why the hub could not serve again
        self.resume_where: str | None = None  # where it served before
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._poll)

    @classmethod
    def for_executor(cls, executor: DbExecutor) -> "HubController":
        def first(controller: "HubController") -> None:
            Ops.for_executor(executor).follow(controller)  # what it pulls reaches the pages
            if executor.store.path is not None:
                # A laptop that was the hub, or had joined one, when the app was closed
                # carries on with it.
                executor.run(_to_resume, controller._resume)
        return one_per_executor(executor, "hub_controller", lambda: cls(executor, executor), first)

    def _resume(self, found: dict[str, Any]) -> None:
        serve, url = found["serve"], found["url"]
        if serve is not None and self.hub is None:
            try:
                self.start_hub(serve["host"], serve["port"])
                self.resumed = "hub"
            except KnownError as exc:
                # The address is gone (another network) or taken: the officer picks again.
                log.info("the hub could not serve again: %s", exc.code)
                self.resume_error = exc
                self.resume_where = f"{serve['host']}:{serve['port']}"
                self._emit()
        if self.hub is None and url:
            self.url = url
            self.resumed = "joined"
            self.start_link()
        self._emit()

    def _open(self) -> Store:
        own = self.executor.store
        return Store.open(own.path, key=own.key, session=own.session)

    # -- actions (GUI thread; each is short: a TLS handshake on the local network) -----------
    def start_hub(self, host: str, port: int) -> None:
        """Make this laptop the event's hub and join it; KnownError for the officer."""
        from bpjs_field.sync.hub_engine import join
        from bpjs_field.sync.hub_server import HubServer
        self.stop_hub()
        store = self._open()
        try:
            hub = HubServer(store, host, port).start()
        except BaseException:
            store.close()
            raise
        self.hub, self.hub_store = hub, store
        self.url = join(store, hub.join_url)["url"]
        self.start_link()

    def stop_hub(self, *, for_good: bool = True) -> None:
        """Stop serving; `for_good` (the officer's button): not served again at the next start."""
        if self.hub is not None:
            self.hub.stop(for_good=for_good)
            self.hub = None
            self.resumed = None
            if for_good and self.hub_store is not None:
                # This laptop's own link was to the hub it served: no hub, no link.
                from bpjs_field.sync.hub_engine import unlink
                if self.link is not None:
                    self.link.stop()
                    self.link = None
                unlink(self.hub_store)
                self.url = None
        if self.hub_store is not None:
            self.hub_store.close()
            self.hub_store = None
        self._emit()

    def join(self, text: str) -> None:
        from bpjs_field.sync.hub_engine import join
        store = self._open()
        try:
            self.url = join(store, text)["url"]
        finally:
            store.close()
        self.start_link()

    def start_link(self) -> None:
        from bpjs_field.sync.hub_engine import HubLink
        if self.link is None:
            self.link = HubLink(self._open).start()
            self._pulled = 0
        self._timer.start()
        self._emit()

    def shutdown(self) -> None:
        self._timer.stop()
        if self.link is not None:
            self.link.stop()
            self.link = None
        self.stop_hub(for_good=False)  # the app closes: the hub serves again at the next start

    # -- state --------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        link = self.link.state() if self.link is not None else None
        status = None
        if self.hub is not None:
            try:
                status = self.hub.status()
            except Exception:  # noqa: BLE001 - the screen must not crash on a busy database
                log.warning("hub status not readable", exc_info=True)
        return {"hub": self.hub, "link": link, "status": status, "url": self.url,
                "resumed": self.resumed, "resume_error": self.resume_error,
                "resume_where": self.resume_where}

    def _emit(self) -> None:
        self.state_changed.emit(self.state())

    def _poll(self) -> None:
        state = self.state()
        link = state["link"]
        if link is not None and link["pulled"] > self._pulled:
            self._pulled = link["pulled"]
            self.data_pulled.emit(Changes.pulled(HUB))
        self.state_changed.emit(state)


class HubBox(QGroupBox):
    """The hub part of the Sinkronisasi page (see the module's docstring).

    Signals:
        hubs_found(list): the hubs a search on the network found (`FoundHub`s).
    """

    hubs_found = Signal(list)

    def __init__(self, controller: HubController, lang: str = "id",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Event hub (laptops at one event, without internet)"))
        self.setObjectName("hubBox")
        self.controller = controller
        self.lang = lang
        self.address = QComboBox(self)
        self.address.setObjectName("hubAddress")
        self.address.setEditable(True)
        self.address.addItems(local_addresses())
        self.address.setToolTip(self.tr("This laptop's address on the event's network (router or "
                                        "hotspot). The hub serves on this address only."))
        self.port = QSpinBox(self)
        self.port.setRange(1024, 65535)
        self.port.setValue(8766)
        self.make_hub = QPushButton(self.tr("Make this laptop the event hub"), self)
        self.make_hub.setObjectName("makeHub")
        self.make_hub.clicked.connect(self.start_hub)
        self.stop = QPushButton(self.tr("Stop the hub"), self)
        self.stop.setObjectName("stopHub")
        self.stop.clicked.connect(lambda: controller.stop_hub())
        self.code = QLabel(self)
        self.code.setObjectName("hubJoinCode")
        self.code.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.code.setStyleSheet("font-size: 18pt; font-weight: bold; font-family: monospace;")
        self.qr = QLabel(self)
        self.qr.setObjectName("hubJoinQr")
        self.laptops = QTableWidget(0, 6, self)
        self.laptops.setObjectName("hubLaptops")
        # What each column counts: a change waits at the laptop that made it (column 4);
        # every other laptop holds a copy to carry to the branch (column 5), so only
        # column 4 adds up to what the event still owes the branch.
        # Headings on two or three lines, no row numbers: the counts are short, their
        # Indonesian names long (the table needed scrolling sideways at 1280 px beside the
        # join QR).
        self.laptops.setHorizontalHeaderLabels(
            [heading_lines(text, 2) for text in (
                self.tr("Laptop"), self.tr("Officer"), self.tr("Last contact"))]
            + [heading_lines(text, 3) for text in (
                self.tr("Own, not at branch"), self.tr("Carried for others"),
                self.tr("Passed on by hub"))])
        self.laptops.verticalHeader().hide()
        self.laptops.horizontalHeaderItem(3).setToolTip(self.tr(
            "Changes made on this laptop that the branch has not received yet."))
        self.laptops.horizontalHeaderItem(4).setToolTip(self.tr(
            "Changes made on other laptops that this laptop holds too: whichever laptop reaches "
            "the branch first delivers them, once."))
        self.laptops.horizontalHeaderItem(5).setToolTip(self.tr(
            "Changes made on this laptop that the hub passed on to the other laptops."))
        self.laptops.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.laptops.setEditTriggers(QTableWidget.NoEditTriggers)
        self.laptops.setFocusPolicy(Qt.NoFocus)
        self.laptops.setMinimumHeight(110)
        self.laptops.setMaximumHeight(170)
        self.totals = QLabel(self)
        self.totals.setObjectName("hubTotals")
        self.totals.setWordWrap(True)
        self.join_edit = QLineEdit(self)
        self.join_edit.setObjectName("hubJoinInput")
        self.join_edit.setPlaceholderText(self.tr("Join code from the hub's screen, or scan its QR"))
        self.join_edit.returnPressed.connect(self.join)
        self.join_button = QPushButton(self.tr("Join the hub"), self)
        self.join_button.setObjectName("joinHub")
        self.join_button.clicked.connect(self.join)
        self.find_button = QPushButton(self.tr("Find hubs on this network"), self)
        self.find_button.setObjectName("findHubs")
        self.find_button.clicked.connect(self.find_hubs)
        self.found = QLabel(self)
        self.found.setObjectName("hubsFound")
        self.found.setWordWrap(True)
        self.hubs_found.connect(self._show_found)
        self.link = QLabel(self)
        self.link.setObjectName("hubLink")
        self.link.setWordWrap(True)
        self.resumed = QLabel(self)
        self.resumed.setObjectName("hubResumed")
        self.resumed.setWordWrap(True)
        self.resumed.setStyleSheet("color: #2e7d32;")
        self.message = QLabel(self)
        self.message.setObjectName("hubMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")

        serve = QHBoxLayout()
        serve.addWidget(QLabel(self.tr("Address:"), self))
        serve.addWidget(self.address, 1)
        serve.addWidget(QLabel(self.tr("Port:"), self))
        serve.addWidget(self.port)
        serve.addWidget(self.make_hub)
        serve.addWidget(self.stop)
        self.running = QWidget(self)
        running = QHBoxLayout(self.running)
        running.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Join code (type it on the other laptops, or scan the QR):"),
                              self.running))
        left.addWidget(self.code)
        left.addWidget(self.laptops)
        left.addWidget(self.totals)
        from ui.selfreg.panel import SelfRegPanel  # the phone page, its counts and poster
        self.selfreg = SelfRegPanel(controller, self.running)
        left.addWidget(self.selfreg)
        running.addLayout(left, 1)
        running.addWidget(self.qr, 0, Qt.AlignTop)
        joining = QHBoxLayout()
        joining.addWidget(self.join_edit, 1)
        joining.addWidget(self.join_button)
        joining.addWidget(self.find_button)
        layout = QFormLayout(self)
        layout.addRow(self.tr("Be the hub:"), serve)
        layout.addRow(self.running)
        layout.addRow(self.tr("Join a hub:"), joining)
        layout.addRow("", self.found)
        layout.addRow(self.tr("Hub link:"), self.link)
        layout.addRow(self.resumed)
        layout.addRow(self.message)
        controller.state_changed.connect(self.show_state)
        self.show_state(controller.state())

    def start_hub(self) -> None:
        self.message.clear()
        self.controller.resume_error = None
        try:
            self.controller.start_hub(self.address.currentText().strip(), self.port.value())
        except KnownError as exc:
            self.message.setText(exc.message(self.lang))

    def find_hubs(self) -> None:
        """Look for hubs on the chosen address's network (a few seconds, off the GUI thread).
        A hub found is named with its address; its code still has to be typed or scanned."""
        from bpjs_field.sync.hub_discovery import browse
        interface = self.address.currentText().strip() or "127.0.0.1"
        self.find_button.setEnabled(False)
        self.found.setText(self.tr("Looking for hubs…"))

        def not_found(exc: BaseException) -> None:  # no multicast on this network: none found
            log.warning("hub discovery failed", exc_info=exc)
            self.hubs_found.emit([])

        run_in_background(self, lambda: browse(interface, seconds=3.0), self.hubs_found.emit,
                          not_found, name="bpjs-hub-find")

    def _show_found(self, hubs: list) -> None:
        self.find_button.setEnabled(True)
        if not hubs:
            self.found.setText(self.tr("No hub found on this network. Type the code shown on the "
                                       "hub's screen."))
            return
        lines = [self.tr("%1 (officer %2) at %3: type the code shown on its screen, or scan its "
                         "QR.").replace("%1", h.name).replace("%2", h.officer or "-")
                 .replace("%3", f"{h.host}:{h.port}") for h in hubs]
        self.found.setText("\n".join(lines))

    def join(self) -> None:
        text = self.join_edit.text().strip()
        self.message.clear()
        if not text:
            self.message.setText(render("hub.bad_code", self.lang))
            return
        try:
            self.controller.join(text)
        except KnownError as exc:
            self.message.setText(exc.message(self.lang))
            return
        self.join_edit.clear()

    def show_state(self, state: dict[str, Any]) -> None:
        hub = state["hub"]
        self.running.setVisible(hub is not None)
        self.make_hub.setVisible(hub is None)
        self.stop.setVisible(hub is not None)
        self.address.setEnabled(hub is None)
        self.port.setEnabled(hub is None)
        if hub is not None:
            self.address.setCurrentText(hub.host)
            self.port.setValue(hub.port)
            self.code.setText(hub.join_code or hub.join_url)
            if self.qr.property("url") != hub.join_url:
                self.qr.setPixmap(qr_pixmap(hub.join_url))
                self.qr.setProperty("url", hub.join_url)
            self._show_status(state["status"])
        resumed = state.get("resumed")
        if resumed == "hub" and hub is not None:
            self.resumed.setText(self.tr("The app was restarted: this laptop is the event hub "
                                         "again, with the same join code. The joined laptops "
                                         "carry on by themselves."))
        elif resumed == "joined":
            self.resumed.setText(self.tr("The app was restarted: this laptop joined its hub "
                                         "again by itself."))
        else:
            self.resumed.clear()
        self.resumed.setVisible(bool(self.resumed.text()))
        if state.get("resume_error") and hub is None:
            self.message.setText(self.tr("This laptop was the event hub at %1 but cannot serve "
                                         "there again: %2 Pick the address and make it the hub "
                                         "again.").replace("%1", state.get("resume_where") or "")
                                 .replace("%2", state["resume_error"].message(self.lang)))
        link = state["link"]
        if link is None:
            self.link.setText(self.tr("not joined"))
        elif link["last_error"]:
            self.link.setText(self.tr("%1: no contact with the hub (%2). Work goes on; nothing "
                                      "is lost.").replace("%1", state["url"] or "")
                              .replace("%2", self._error(link, state["url"])))
        else:
            self.link.setText(self.tr("%1, last contact %2").replace("%1", state["url"] or "")
                              .replace("%2", when_text(link["last_success"], self.lang)))

    def _error(self, link: dict[str, Any], url: str | None) -> str:
        """The link's last failure in words about the hub (the sync codes speak of the branch)."""
        code = link["last_error"]
        if code in ("sync.unreachable", "sync.timeout", "sync.connection_lost", "sync.server_error"):
            return render("hub.unreachable", self.lang, address=(url or "").split("//")[-1])
        if code in ("sync.not_enrolled", "sync.revoked"):  # this hub no longer knows the laptop
            return render("hub.not_joined", self.lang)
        return render(code, self.lang, **(link.get("last_error_params") or {}))

    def _show_status(self, status: dict[str, Any] | None) -> None:
        if status is None:
            return
        rows = status["laptops"]
        self.laptops.setRowCount(len(rows))
        for n, row in enumerate(rows):
            values = [f"{row['device_name'] or ''} ({row['device_tag']})", row["employee_no"],
                      when_text(row["last_contact_at"], self.lang, today_as_time=True),
                      str(row["pending"] or 0),
                      str(row.get("carried") or 0), str(row["relayed"])]
            for col, value in enumerate(values):
                self.laptops.setItem(n, col, QTableWidgetItem(value))
        lines = []
        for event in status["events"]:
            target = sum((event.get("targets") or {}).values())
            text = self.tr("%1: %2 registered, %3 checked in").replace(
                "%1", event["title"] or "-").replace("%2", str(event["registrations"])).replace(
                "%3", str(event["checked_in"]))
            if target:
                text += self.tr(" (target %1)").replace("%1", str(target))
            lines.append(text)
        lines.append(self.tr("Changes of the event not yet at the branch: %1 (each counted "
                             "once, at the laptop that made it)").replace(
            "%1", str(status.get("waiting_for_branch", 0))))
        lines.append(self.tr("Duplicate NIKs merged at the hub: %1").replace(
            "%1", str(status["duplicates_merged"])))
        self.totals.setText("\n".join(lines))
