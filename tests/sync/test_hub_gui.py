"""The event hub from the Sinkronisasi page, two laptops in one test: one made the hub with
its button, the other found it on the network and joined by typing the code shown; a person registered on one is checked
in on the other, and the hub's screen shows both laptops and the event's totals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from harness import EVENT_ID, free_port
from ui.sync import SyncController, SyncPage
from ui.sync.hub import HubController
from ui.tasks import DbExecutor

pytestmark = pytest.mark.gui


def test_make_a_hub_join_by_typed_code_register_here_check_in_there(qtbot, laptops, server, tmp_path):
    machines = laptops(2)
    pages, executors = [], []
    for laptop, officer in zip(machines, ("KC-0421", "KC-0422")):
        laptop.enroll(server.url, officer)
        laptop.sync()
        executor = DbExecutor(laptop.store)
        page = SyncPage(executor, controller=SyncController(executor, interval_s=3600, auto=False),
                        lang="en")
        qtbot.addWidget(page)
        pages.append(page)
        executors.append(executor)
    hub_page, desk_page = pages
    try:
        assert hub_page.hub.address.findText("127.0.0.1") >= 0
        hub_page.hub.address.setCurrentText("127.0.0.1")
        hub_page.hub.port.setValue(free_port())
        qtbot.mouseClick(hub_page.hub.make_hub, Qt.LeftButton)
        assert hub_page.hub.message.text() == ""
        code = hub_page.hub.code.text()
        # The desk finds the hub on the network (mDNS on 127.0.0.1); it still needs the code.
        desk_page.hub.address.setCurrentText("127.0.0.1")
        qtbot.mouseClick(desk_page.hub.find_button, Qt.LeftButton)
        port = hub_page.hub.port.value()
        qtbot.waitUntil(lambda: f"127.0.0.1:{port}" in desk_page.hub.found.text(), timeout=15000)
        assert len(code) == 39 and hub_page.hub.qr.pixmap() is not None
        qtbot.keyClicks(desk_page.hub.join_edit, code)
        qtbot.keyClick(desk_page.hub.join_edit, Qt.Key_Return)
        assert desk_page.hub.message.text() == ""
        qtbot.waitUntil(lambda: "last contact" in desk_page.hub.link.text(), timeout=10000)

        hub, desk = machines
        executors[0].call(lambda s: (hub.event(), hub.register(7)))
        qtbot.waitUntil(lambda: executors[1].call(
            lambda s: s.scalar("SELECT count(*) FROM registrations")) == 1, timeout=10000)
        person = executors[1].call(lambda s: s.scalar("SELECT id FROM people"))
        executors[1].call(lambda s: s.attendance.check_in(EVENT_ID, person))
        qtbot.waitUntil(lambda: executors[0].call(lambda s: s.attendance.count(EVENT_ID)) == 1,
                        timeout=10000)
        qtbot.waitUntil(lambda: "1 registered, 1 checked in" in hub_page.hub.totals.text(),
                        timeout=5000)
        assert hub_page.hub.laptops.rowCount() == 2
        # Each laptop's own changes apart from the copies it carries; the event's total
        # counts each change once (the hub laptop's registration, the desk's check-in).
        header = [hub_page.hub.laptops.horizontalHeaderItem(c).text() for c in range(6)]
        # On two or three lines, no row numbers: no sideways scrolling beside the QR.
        assert header[2:] == ["Last\ncontact", "Own,\nnot at\nbranch", "Carried\nfor\nothers",
                              "Passed\non by\nhub"]
        assert hub_page.hub.laptops.verticalHeader().isHidden()
        contact = hub_page.hub.laptops.item(0, 2).text()  # today's: the time alone
        assert contact.endswith(" WIB") and len(contact) <= len("12:34 WIB"), contact
        qtbot.waitUntil(lambda: "not yet at the branch: 4 " in hub_page.hub.totals.text(),
                        timeout=10000)
        desk_page.controller.refresh()
        qtbot.waitUntil(lambda: "of which 3 made on other laptops" in desk_page.pending.text(),
                        timeout=10000)
        # A third laptop joins by scanning the hub's QR at its check-in page (the scanner types
        # the QR's text and Enter into the scan field).
        from ui.context import AppContext
        from ui.pages.checkin import CheckInPage
        (door,) = laptops(1)
        door.enroll(server.url, "SPV-01")
        door.sync()
        door_executor = DbExecutor(door.store)
        executors.append(door_executor)
        checkin = CheckInPage(AppContext(door_executor, lang="en", officer=None, active_event=None,
                                         db_path=door.path), door_executor)
        qtbot.addWidget(checkin)
        qtbot.keyClicks(checkin.input, hub_page.hub.controller.hub.join_url)
        qtbot.keyClick(checkin.input, Qt.Key_Return)
        assert checkin.status == "hub_joined", checkin.answer.text()
        qtbot.waitUntil(lambda: door_executor.call(
            lambda s: s.attendance.count(EVENT_ID)) == 1, timeout=10000)
        qtbot.waitUntil(lambda: hub_page.hub.laptops.rowCount() == 3, timeout=5000)
        hub_page.grab().save(str(tmp_path / "hub-page.png"))
        # A wrong code gets a clear answer, and nothing changes.
        qtbot.keyClicks(desk_page.hub.join_edit, "ABCD")
        qtbot.keyClick(desk_page.hub.join_edit, Qt.Key_Return)
        assert "join code is not valid" in desk_page.hub.message.text()
    finally:
        for executor in executors:
            HubController.for_executor(executor).shutdown()
            executor.shutdown()


def test_the_hub_and_a_joined_laptop_carry_on_after_the_app_restarts(qtbot, laptops, server):
    from bpjs_field.store import Store
    machines = laptops(2)
    for laptop, officer in zip(machines, ("KC-0421", "KC-0422")):
        laptop.enroll(server.url, officer)
        laptop.sync()
    live: list = []

    def open_app(laptop):
        """The Sinkronisasi page of an app started on this laptop's database."""
        store = Store.open(laptop.path, session=laptop.store.session)
        executor = DbExecutor(store)
        page = SyncPage(executor, controller=SyncController(executor, interval_s=3600, auto=False),
                        lang="en")
        qtbot.addWidget(page)
        live.append((executor, store))
        return page

    def close_app(page) -> None:
        executor, store = next(item for item in live if item[0] is page.hub.controller.executor)
        live.remove((executor, store))
        HubController.for_executor(executor).shutdown()
        executor.shutdown()
        store.close()

    try:
        hub_page, desk_page = open_app(machines[0]), open_app(machines[1])
        assert hub_page.hub.resumed.isHidden() and desk_page.hub.resumed.isHidden()
        hub_page.hub.address.setCurrentText("127.0.0.1")
        port = free_port()
        hub_page.hub.port.setValue(port)
        qtbot.mouseClick(hub_page.hub.make_hub, Qt.LeftButton)
        code = hub_page.hub.code.text()
        qtbot.keyClicks(desk_page.hub.join_edit, code)
        qtbot.keyClick(desk_page.hub.join_edit, Qt.Key_Return)
        qtbot.waitUntil(lambda: "last contact" in desk_page.hub.link.text(), timeout=10000)
        # Both apps are closed (a battery swap, an update) and started again.
        close_app(desk_page)
        close_app(hub_page)
        hub_page, desk_page = open_app(machines[0]), open_app(machines[1])
        qtbot.waitUntil(lambda: hub_page.hub.controller.hub is not None, timeout=10000)
        assert hub_page.hub.code.text() == code  # the same code: joined laptops carry on
        assert hub_page.hub.address.currentText() == "127.0.0.1" and hub_page.hub.port.value() == port
        assert "event hub again" in hub_page.hub.resumed.text() and not hub_page.hub.resumed.isHidden()
        qtbot.waitUntil(lambda: "joined its hub again" in desk_page.hub.resumed.text(),
                        timeout=10000)
        hub, desk = machines
        executor = hub_page.hub.controller.executor
        executor.call(lambda s: (hub.event(), hub.register(3)))
        desk_executor = desk_page.hub.controller.executor
        qtbot.waitUntil(lambda: desk_executor.call(
            lambda s: s.scalar("SELECT count(*) FROM registrations")) == 1, timeout=15000)
        # The officer stops the hub: started again, the app does not serve.
        qtbot.mouseClick(hub_page.hub.stop, Qt.LeftButton)
        assert hub_page.hub.controller.hub is None
        close_app(hub_page)
        hub_page = open_app(machines[0])
        qtbot.waitUntil(lambda: hub_page.hub.link.text() != "", timeout=5000)
        qtbot.wait(300)
        assert hub_page.hub.controller.hub is None and not hub_page.hub.make_hub.isHidden()
        assert hub_page.hub.resumed.isHidden()
    finally:
        for executor, store in live:
            HubController.for_executor(executor).shutdown()
            executor.shutdown()
            store.close()
