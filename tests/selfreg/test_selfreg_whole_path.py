"""The whole path, for real: a hub on loopback (TLS, the branch's code) started from the
Sinkronisasi page's controller, serving the phone page; the poster printed from the hub's
panel and its QR read back from the PDF; the page filled in on a headless chromium at a phone's viewport; its QR decoded from
the screen and scanned at another laptop's check-in page (pytest-qt); the officer saves; the
ticket is used at the hub (a replay at the hub laptop's desk is refused); the registration
reaches the hub and the branch, once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from bpjs_field.errors import KnownError
from bpjs_field.selfreg import link
from bpjs_field.selfreg.hub import phone_url
from bpjs_field.selfreg.sealed import EventKeys
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.pull import server_digest
from bpjs_field.sync.hub_engine import join
from gui_helpers import type_text
from harness import EVENT_ID, free_port
from test_event_hub import branch, hub_round  # noqa: F401 (branch: the branch server fixture)
from test_selfreg_phone_page import NIK, fill_valid, qr_text_from_screen




def window_over(qtbot, store, tmp_path):
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import DbExecutor
    executor = DbExecutor(store, synchronous=True)
    officer = store.officers.get(store.officer_id) if store.officer_id else None
    ctx = AppContext(executor, lang="id", officer=officer, active_event=store.events.active(),
                     db_path=store.path)
    window = MainWindow(ctx, executor, settings=QSettings(str(tmp_path / "q.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, executor


def free_pair() -> int:
    """A port whose next one is free too (the hub's, and the phone page's beside it)."""
    import socket
    for _ in range(50):
        port = free_port()
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free ports side by side")


def poster_qr(pdf, tmp_path) -> str:
    """The poster's QR as a phone's camera would read it from the printed page."""
    import subprocess

    import zxingcpp
    from PIL import Image
    from needs import need_tool
    need_tool("pdftoppm", "apt-get install poppler-utils")
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "poster")],
                   check=True)
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "poster.png"))
    assert len(found) == 1
    return found[0].text


def test_phone_page_to_saved_registration_to_sync(qtbot, laptops, branch, phone, tmp_path, translations):
    hub_laptop, desk = laptops(2)
    for laptop, officer in ((hub_laptop, "KC-0421"), (desk, "KC-0422")):
        laptop.enroll(branch.url, officer)
        laptop.sync()
    from ui.selfreg.panel import PreregCounts, SelfRegPanel
    from ui.sync.hub import HubController
    from ui.tasks import DbExecutor
    hub_executor = DbExecutor(hub_laptop.store, synchronous=True)
    controller = HubController(hub_executor)
    controller.start_hub("127.0.0.1", free_pair())
    hub = controller.hub
    try:
        join(desk.store, hub.join_code)
        desk.event()
        desk.store.events.set_active(EVENT_ID)

        # The hub's panel: the phone page's address, the counts, the poster.
        panel = SelfRegPanel(controller)
        qtbot.addWidget(panel)
        panel.show_state(controller.state())
        assert phone_url(hub) in panel.address.text()
        assert panel.counts.text() == "Pra-pendaftaran dari ponsel hari ini: 0 menunggu, 0 dikonfirmasi"
        panel.wifi.setText("BPJS-ACARA")
        poster = tmp_path / "poster.pdf"
        with qtbot.waitSignal(panel.print_poster(str(poster)).finished, timeout=30000) as printed:
            pass
        assert printed.args[0] is True
        url = poster_qr(poster, tmp_path)
        assert url == phone_url(hub)

        # The participant's phone, at the poster's address.
        phone.get(url)
        fill_valid(phone)
        phone.find_element("id", "make").click()
        qtbot.waitUntil(lambda: bool(phone.find_elements("css selector", "#qr img")), timeout=10000)
        text = qr_text_from_screen(phone)
        assert NIK not in text
        assert hub.selfreg_book.counts() == {"waiting": 1, "confirmed": 0}

        # The desk: the keys come from the hub over the pinned link (the ones it kept from an
        # earlier event's hub are replaced), the scan opens the form.
        with desk.store.write():
            desk.store.set_setting("selfreg.keys", EventKeys.new().to_setting())
            desk.store.set_setting("selfreg.keys_hub", "an-earlier-hub")
        window, executor = window_over(qtbot, desk.store, tmp_path)
        try:
            window.show_page("checkin")
            page = window.checkin
            page.input.setFocus()
            type_text(qtbot, page.input, text)
            qtbot.keyClick(page.input, Qt.Key_Return)
            reg = window.registration
            qtbot.waitUntil(reg.isVisible)
            assert reg.form.widgets["nik"].text() == NIK
            reg.form.consent.setChecked(True)
            qtbot.waitUntil(reg.save_button.isEnabled)
            qtbot.mouseClick(reg.save_button, Qt.LeftButton)
            qtbot.waitUntil(lambda: desk.store.scalar(
                "SELECT count(*) FROM people WHERE nik = ?", (NIK,)) == 1)
            assert desk.store.attendance.count(EVENT_ID) == 1  # registered at the door: checked in
            assert desk.store.get_setting("selfreg.keys") == hub_laptop.store.get_setting("selfreg.keys")
        finally:
            executor.shutdown()
        assert hub.selfreg_book.counts() == {"waiting": 0, "confirmed": 1}
        panel.show_state(controller.state())
        assert panel.counts.text().endswith("0 menunggu, 1 dikonfirmasi")
        home_line = PreregCounts(db_path=desk.store.path, key=desk.store.key)
        qtbot.addWidget(home_line)
        home_line.refresh()
        qtbot.waitUntil(lambda: "1 dikonfirmasi" in home_line.text(), timeout=10000)

        # The same QR at the hub laptop's desk: its own record is empty, the hub refuses it.
        keys = EventKeys.from_setting(hub_laptop.store.get_setting("selfreg.keys"))
        ticket = keys.open(text)["t"]
        with pytest.raises(KnownError) as replay:
            link.confirm(hub_laptop.store, ticket, only_check=True)
        assert replay.value.code == "selfreg.replayed"

        # Sync: the hub gets it in the round, the branch once, from whichever laptop is first.
        hub_round(desk, hub_laptop)
        assert hub_laptop.store.scalar("SELECT count(*) FROM people WHERE nik = ?", (NIK,)) == 1
        hub_laptop.sync()
        desk.sync()
        db = ServerDatabase(branch.database_url)
        try:
            digest = server_digest(db)
            with db.read() as tx:
                found = tx.scalar("SELECT count(*) FROM docs WHERE entity = 'person' AND "
                                  "json_extract(data, '$.nik') = ?", (NIK,))
        finally:
            db.close()
        assert found == 1 and digest["registrations"] == 1 and digest["attendance"] == 1
    finally:
        controller.shutdown()
        hub_executor.shutdown()
