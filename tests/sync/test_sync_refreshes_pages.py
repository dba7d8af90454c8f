"""After a background sync pulls people and check-ins made on another laptop, the
pages on screen show them at once (home counts, the people list, the check-in
page's last check-ins), without the officer navigating away and back.  Real
branch server process on 127.0.0.1, two laptops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from bpjs_field.store import views
from ui import extensions
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.sync import SyncController
from ui.tasks import DbExecutor

pytestmark = pytest.mark.gui


def test_pages_on_screen_refresh_after_a_sync_pulls_data(qtbot, laptops, server, tmp_path):
    door, other = laptops(2)
    door.enroll(server.url, "KC-0421")
    other.enroll(server.url, "KC-0422")
    door.event()
    other.event()
    door.store.events.set_active(door.event()["id"])
    door.sync()
    executor = DbExecutor(door.store)
    ctx = AppContext(executor, lang="en", officer=door.store.officers.get(door.store.officer_id),
                     active_event=door.store.events.active())
    window = MainWindow(ctx, executor, settings=QSettings(str(tmp_path / "q.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    extensions.add_sync_pages(window, ctx, executor)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QWidget, "syncStatus") is not None, timeout=5000)
    controller = SyncController.for_executor(executor)
    try:
        window.show_page("home")
        qtbot.waitUntil(lambda: window.home.people.text().startswith("0 "), timeout=5000)
        # Another officer registers five people at the door and checks three in.
        other.register_many(range(5))
        other.register_many(range(5, 8), check_in=True)
        other.sync()
        with qtbot.waitSignal(controller.data_pulled, timeout=20000):
            controller.sync_now()
        qtbot.waitUntil(lambda: window.home.people.text().startswith("8 "), timeout=5000)
        attendance = window.home.count_labels["attendance"]
        qtbot.waitUntil(lambda: attendance.text().startswith("3"), timeout=5000)
        # At the door: the last check-ins follow a sync too.
        window.show_page("checkin")
        qtbot.waitUntil(lambda: window.checkin.recent.rowCount() == 3, timeout=5000)
        other.register_many(range(8, 10), check_in=True)
        other.sync()
        with qtbot.waitSignal(controller.data_pulled, timeout=20000):
            controller.sync_now()
        qtbot.waitUntil(lambda: window.checkin.recent.rowCount() == 5, timeout=5000)
        assert window.current_page() == "checkin"  # nobody navigated
        # The people list, shown while a sync pulls, lists the newcomers.
        window.show_page("people")
        total = executor.call(views.people_total)
        other.register_many(range(10, 12))
        other.sync()
        with qtbot.waitSignal(controller.data_pulled, timeout=20000):
            controller.sync_now()
        qtbot.waitUntil(lambda: executor.call(views.people_total) == total + 2, timeout=5000)
        table = window.people.table
        qtbot.waitUntil(lambda: table.model().rowCount() == total + 2, timeout=5000)
    finally:
        controller.shutdown()
        executor.shutdown()


def desk_window(qtbot, laptop, tmp_path) -> tuple[MainWindow, DbExecutor]:
    """The main window on screen over this laptop's database, with its own worker."""
    executor = DbExecutor(laptop.store)
    ctx = AppContext(executor, lang="en", officer=laptop.store.officers.get(laptop.store.officer_id),
                     active_event=None)
    window = MainWindow(ctx, executor, settings=QSettings(str(tmp_path / "q.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window, executor


def test_pages_on_screen_refresh_after_the_event_hub_brings_a_person(qtbot, laptops, server,
                                                                     tmp_path):
    """Two laptops at one event without the branch: a person registered at the hub's laptop
    appears on the desk's home totals and people list while the desk's officer looks at them."""
    from harness import free_port
    from ui.sync.hub import HubController

    hub_laptop, desk = laptops(2)
    hub_laptop.enroll(server.url, "KC-0421")
    desk.enroll(server.url, "KC-0422")
    hub_laptop.sync()
    desk.sync()
    hub_executor = DbExecutor(hub_laptop.store)
    hub = HubController.for_executor(hub_executor)
    window, executor = desk_window(qtbot, desk, tmp_path)
    link = HubController.for_executor(executor)
    try:
        hub.start_hub("127.0.0.1", free_port())
        link.join(hub.hub.join_code or hub.hub.join_url)
        window.show_page("home")
        qtbot.waitUntil(lambda: window.home.people.text().startswith("0 "), timeout=5000)
        hub_executor.call(lambda s: (hub_laptop.event(), hub_laptop.register(7)))
        qtbot.waitUntil(lambda: window.home.people.text().startswith("1 "), timeout=15000)
        # The people list, on screen while the next person comes through the hub.
        window.show_page("people")
        table = window.people.table
        qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=5000)
        hub_executor.call(lambda s: hub_laptop.register(8, name="Rina Marlina"))
        qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=15000)
        names = set()
        qtbot.waitUntil(lambda: names.update(
            (window.people.people.row_at(r) or {}).get("full_name") for r in range(2))
            or "Rina Marlina" in names, timeout=5000)
        assert window.current_page() == "people"  # nobody navigated or pressed refresh
    finally:
        link.shutdown()
        hub.shutdown()
        executor.shutdown()
        hub_executor.shutdown()


def test_home_shows_everything_synced_after_a_round_that_only_sends(qtbot, laptops, server,
                                                                    tmp_path):
    """A round that brings nothing in but sends this laptop's registrations: the home page
    on screen stops counting them as waiting, without the officer navigating."""
    (door,) = laptops(1)
    door.enroll(server.url, "KC-0421")
    door.sync()
    door.register_many(range(3), event_id=None)  # registered here, not yet sent
    window, executor = desk_window(qtbot, door, tmp_path)
    controller = SyncController.for_executor(executor)
    try:
        window.show_page("home")
        qtbot.waitUntil(lambda: "waiting to be synced" in window.home.pending.text(), timeout=5000)
        with qtbot.waitSignal(controller.sync_finished, timeout=20000) as finished:
            controller.sync_now()
        assert finished.args[0].pushed > 0
        qtbot.waitUntil(lambda: window.home.pending.text() == "Everything is synced.", timeout=5000)
        assert window.current_page() == "home"
    finally:
        controller.shutdown()
        executor.shutdown()


def test_the_person_on_screen_shows_an_edit_made_on_another_laptop(qtbot, laptops, server,
                                                                   tmp_path):
    door, other = laptops(2)
    door.enroll(server.url, "KC-0421")
    other.enroll(server.url, "KC-0422")
    person = other.register(1, name="Budi Santoso", event_id=None).person
    other.sync()
    door.sync()
    window, executor = desk_window(qtbot, door, tmp_path)
    controller = SyncController.for_executor(executor)
    try:
        window.show_page("people")
        page = window.people
        qtbot.waitUntil(lambda: page.people.rowCount() == 1, timeout=5000)
        page.table.selectRow(0)
        qtbot.waitUntil(lambda: "Budi Santoso" in page.detail.name.text(), timeout=5000)
        other.store.people.update(person["id"], {"full_name": "Budi Santoso Wibowo"})
        other.sync()
        with qtbot.waitSignal(controller.sync_finished, timeout=20000):
            controller.sync_now()
        qtbot.waitUntil(lambda: "Wibowo" in page.detail.name.text(), timeout=5000)
        assert window.current_page() == "people" and page.table.currentIndex().row() == 0
    finally:
        controller.shutdown()
        executor.shutdown()
