"""Screenshots of every page of the officer's workstation, with demo data.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py

Builds a demo database in a temporary folder (a training database: every page
shows the LATIHAN strip, as the officer sees it), opens the real main window at
1366×768 (Indonesian), walks through the pages doing what an officer does
(a half-typed registration, a scanned code, a search) and saves one PNG per
page under docs/screenshots/.  Under Xvfb the whole screen is grabbed (window
frame and all); without a display it falls back to grabbing the window.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def settle(app, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def type_into(app, widget, text: str) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QCoreApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
    app.processEvents()


def open_workstation(db: Path):
    """The real application and its main window on `db`, maximised on the screen."""
    from PySide6.QtGui import QGuiApplication

    from bpjs_field.store import Store
    from ui.app import Workstation, create_application
    app = create_application([])
    station = Workstation(Store.open(db))
    station.start()
    station.window.setGeometry(QGuiApplication.primaryScreen().availableGeometry())
    station.window.showMaximized()
    return app, station


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--participants", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bpjs-shots-"))
    os.environ.setdefault("BPJS_FIELD_DATA", str(work / "data"))

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from bpjs_field.demo import fill_demo
    from bpjs_field.domain.registration import PersonInput, RegistrationInput
    from bpjs_field.store import Store, views

    db = work / "demo.sqlite3"
    store = Store.open(db)
    fill_demo(store, participants=args.participants)
    views.setup_officer(store, full_name="Siti Rahmawati", employee_no="KC-0421",
                        branch="Kantor Cabang Bekasi Cikarang")
    event = store.events.active()
    # a few registrations at today's event, so the home page has something to count
    for i, (name, nik) in enumerate((("Ujang Permana", "3216091203850002"),
                                     ("Euis Lestari", "3216094507900003"),
                                     ("Dadang Sudrajat", "3216090101800004"))):
        store.registrations.register(RegistrationInput(
            segment="bpu", person=PersonInput(full_name=name, nik=nik, phone="081234567890"),
            consent_given=True, consent_version="2026-01", declared_income=1_000_000 + i * 500_000,
            occupation="pedagang", event_id=event["id"]), check_in=i < 2)
    scan_code = store.registrations.for_person(store.people.by_nik("3216094507900003")["id"])[0]["code"]
    new_code = store.registrations.for_person(store.people.by_nik("3216090101800004")["id"])[0]["code"]
    store.close()

    app, station = open_workstation(db)
    window = station.window
    settle(app, 1.0)
    args.out.mkdir(parents=True, exist_ok=True)
    on_display = QGuiApplication.platformName() == "xcb"

    def shot(name: str) -> None:
        settle(app)
        image = QGuiApplication.primaryScreen().grabWindow(0) if on_display else window.grab()
        path = args.out / f"{name}.png"
        image.save(str(path))
        print(f"{path}  {image.width()}x{image.height()}")

    window.show_page("home")
    shot("01-beranda")

    window.show_page("registration")
    form = window.registration.form
    type_into(app, form.widgets["nik"], "3216094512880001")
    type_into(app, form.widgets["full_name"], "Nur'aini Hasanah")
    type_into(app, form.widgets["phone"], "0857-1234-5678")
    form.widgets["occupation"].setCurrentIndex(form.widgets["occupation"].findData("ojek"))
    form.widgets["with_jht"].setChecked(True)
    type_into(app, form.widgets["birth_place"], "Bekasi")
    form.widgets["birth_place"].setFocus()
    shot("02-pendaftaran")

    window.show_page("checkin")
    page = window.checkin
    type_into(app, page.input, new_code)
    page.submit()
    shot("03-kehadiran-hadir")
    type_into(app, page.input, scan_code)
    page.submit()
    shot("04-kehadiran-sudah-hadir")

    window.show_page("people")
    people = window.people
    settle(app, 0.6)
    type_into(app, people.search, "siti")
    settle(app, 0.6)
    people.table.selectRow(0)
    people.table.setFocus(Qt.OtherFocusReason)
    shot("05-peserta")

    window.show_page("events")
    events = window.events
    row = events.model.row_of(event["id"])
    events.table.selectRow(max(row, 0))
    shot("06-acara")

    window.show_page("settings")
    shot("07-pengaturan")

    # the print page with the receipt of the person selected on the people page
    people_row = people.results.row_at(0) if people.table.model() is people.results else None
    if people_row is not None:
        registrations = station.executor.call(
            lambda s: s.registrations.for_person(people_row["id"]))
        window.show_page("print", {"registration_id": registrations[-1]["id"]})
        printing = window.page("print")
        for _ in range(100):
            settle(app, 0.1)
            if printing.job is not None:
                break
        settle(app, 0.5)
        shot("11-cetak")
    if not station.training:  # sample data are never synced: the page only says so
        window.show_page("sync")
        settle(app, 0.8)
        shot("12-sinkronisasi")
    window.registration.clear_form()
    settle(app)
    station.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
