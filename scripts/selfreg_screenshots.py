"""Screenshots of self-registration for the README: the phone page at a phone's size (the
form answering a wrong NIK, the QR), the registration form at the desk filled in from a
scanned QR, and the A4 poster.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/selfreg_screenshots.py

Needs Debian's chromium and chromedriver, and poppler-utils (pdftoppm).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "scripts", ROOT / "tests", ROOT / "tests" / "ui", ROOT / "tests" / "selfreg"):
    sys.path.insert(0, str(extra))
SHOTS = ROOT / "docs" / "screenshots"


def phone_pages(folder: Path) -> str:
    from bpjs_field.selfreg.sealed import EventKeys
    from bpjs_field.selfreg.server import PhoneServer, RateLimiter, TicketBook, phone_app
    from bpjs_field.server.db import ServerDatabase
    from conftest import chromium, free_port
    from test_selfreg_phone_page import fill_valid, qr_text_from_screen, typed
    keys = EventKeys.new()
    db = ServerDatabase(f"sqlite:///{(folder / 'hub.sqlite3').as_posix()}")
    server = PhoneServer(phone_app(TicketBook(db, keys), title="Senam Sehat Cikarang Utara",
                                   limiter=RateLimiter()), "127.0.0.1", free_port()).start()
    driver = chromium(folder=folder)
    try:
        driver.get(server.url)
        fill_valid(driver)
        typed(driver, "nik", "3216094113880001")  # month 13: answered under the field
        driver.save_screenshot(str(SHOTS / "pra-ponsel-formulir.png"))
        driver.execute_script("document.getElementById('fee').scrollIntoView()")
        driver.save_screenshot(str(SHOTS / "pra-ponsel-iuran.png"))
        typed(driver, "nik", "3216094108880001")
        driver.find_element("id", "make").click()
        while not driver.find_elements("css selector", "#qr img"):
            pass
        driver.save_screenshot(str(SHOTS / "pra-ponsel-qr.png"))
        return qr_text_from_screen(driver), keys
    finally:
        driver.quit()
        server.stop()
        db.close()


def desk(folder: Path, text: str, keys) -> None:
    """The real workstation (as scripts/screenshots.py opens it): the QR typed by the scanner
    into the check-in page, the registration form it opens, consent ticked."""
    import time

    from PySide6.QtGui import QGuiApplication

    from bpjs_field.selfreg.sealed import SETTING
    from bpjs_field.store import Store, views
    db = folder / "desk.sqlite3"
    store = Store.open(db)
    views.setup_officer(store, full_name="Siti Rahmawati", employee_no="KC-0421",
                        branch="Kantor Cabang Bekasi Cikarang")
    event = store.events.create({"kind": "senam_bersama", "title": "Senam Sehat Cikarang Utara",
                                 "starts_at": f"{date.today().isoformat()}T06:30:00+07:00",
                                 "venue": "Lapangan Desa Karangasih", "district_code": "321609"})
    store.events.set_active(event["id"])
    with store.write():
        store.set_setting(SETTING, keys.to_setting())
    store.close()
    from screenshots import open_workstation
    app, station = open_workstation(db)
    window = station.window

    def settle(seconds: float = 0.8) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    settle()
    window.show_page("checkin")
    window.checkin.input.setText(text)
    window.checkin.submit()
    settle()
    window.registration.form.consent.setChecked(True)
    settle()
    on_display = QGuiApplication.platformName() == "xcb"
    image = QGuiApplication.primaryScreen().grabWindow(0) if on_display else window.grab()
    image.save(str(SHOTS / "pra-meja-formulir.png"))
    station.close(final_backup=False)


def poster(folder: Path) -> None:
    from bpjs_field.selfreg.poster import poster_pdf
    pdf = folder / "poster.pdf"
    poster_pdf("http://192.168.43.10:8767/", title="BPJS Ketenagakerjaan · Kantor Cabang Bekasi "
               "Cikarang", wifi="BPJS-ACARA", out=str(pdf))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf),
                    str(ROOT / "docs" / "pdf" / "poster-pendaftaran-a4")], check=True)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bpjs-selfreg-shots-") as name:
        folder = Path(name)
        text, keys = phone_pages(folder)
        desk(folder, text, keys)
        poster(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
