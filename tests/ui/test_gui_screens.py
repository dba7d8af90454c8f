"""The window on the screens officers have (1280×720 and 1366×768 laptops, a large
monitor), and texts that must stay whole and plain on them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from ui.context import AppContext
from ui.main_window import MainWindow
from ui.tasks import DbExecutor

ROOT = Path(__file__).resolve().parents[2]
NIK = "3216094512880001"


def test_the_window_fits_the_screen_it_opens_on(qtbot, store, officer, tmp_path):
    executor = DbExecutor(store, synchronous=True)
    settings = QSettings(str(tmp_path / "q.ini"), QSettings.IniFormat)
    try:
        small = MainWindow(AppContext(executor, lang="id", officer=officer), executor, settings=settings)
        qtbot.addWidget(small)
        small.fit_to(QRect(0, 0, 1280, 720))
        assert small.isMaximized()
        large = MainWindow(AppContext(executor, lang="id", officer=officer), executor, settings=settings)
        qtbot.addWidget(large)
        large.fit_to(QRect(0, 0, 1920, 1040))
        assert not large.isMaximized() and QRect(0, 0, 1920, 1040).contains(large.geometry())
        settings.setValue("main_window/geometry", large.saveGeometry())  # saved on the monitor
        again = MainWindow(AppContext(executor, lang="id", officer=officer), executor, settings=settings)
        qtbot.addWidget(again)
        again.fit_to(QRect(0, 0, 1280, 720))  # back on the laptop: the saved one does not fit
        assert again.isMaximized()
    finally:
        executor.shutdown()


PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QByteArray, QRect, QPoint
from PySide6.QtWidgets import QApplication, QWidget
from bpjs_field.store import Store, views
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.tasks import DbExecutor
from ui.i18n import Translations
app = QApplication([])
Translations().install("id")
tmp = Path(sys.argv[1])
store = Store.open(tmp / "g.sqlite3")
views.setup_officer(store, full_name="Siti Rahmawati", employee_no="KC-0421",
                    branch="Kantor Cabang Bekasi Cikarang")
ex = DbExecutor(store, synchronous=True)
settings = QSettings(str(tmp / "q.ini"), QSettings.IniFormat)
settings.setValue("main_window/geometry", QByteArray.fromBase64(sys.argv[2].encode()))
w = MainWindow(AppContext(ex, lang="id", officer=views.current_officer(store)), ex, settings=settings)
w.show()
app.processEvents()
screen = w.screen().availableGeometry()
seen = {"screen": [screen.width(), screen.height()], "frame_inside": screen.contains(w.frameGeometry())}
w.show_page("registration")
app.processEvents()
for name in ("saveButton", "statusOfficer"):
    widget = w.findChild(QWidget, name)
    top_left = widget.mapToGlobal(QPoint(0, 0))
    seen[name] = screen.contains(QRect(top_left, widget.size())) and widget.isVisible()
print(json.dumps(seen))
"""


def test_on_a_1280x720_screen_save_and_the_status_bar_are_on_screen(tmp_path, store, officer):
    """A real (offscreen) 1280×720 screen, with a geometry saved on a 1366-wide one."""
    executor = DbExecutor(store, synchronous=True)
    try:
        wide = MainWindow(AppContext(executor, lang="id", officer=officer), executor,
                          settings=QSettings(str(tmp_path / "w.ini"), QSettings.IniFormat))
        wide.setGeometry(QRect(0, 0, 1366, 740))
        saved = bytes(wide.saveGeometry().toBase64()).decode()
        wide.deleteLater()
    finally:
        executor.shutdown()
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280,
                                               "height": 720, "logicalDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "BPJS_FIELD_DATA": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path), saved], capture_output=True,
                          text=True, timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"screen": [1280, 720], "frame_inside": True, "saveButton": True,
                    "statusOfficer": True}


def test_registration_at_1366x768_needs_no_scroll_bar_after_a_save(qtbot, store, officer,
                                                                   active_event, make_window):
    window = make_window()
    window.showNormal()
    window.resize(1366, 700)  # 768 less the taskbar and the title bar
    window.show_page("registration")
    page = window.registration
    page.form.set_values({"segment": "bpu", "nik": NIK, "full_name": "Siti Aminah",
                          "phone": "0812-3456-7890", "address": "Kp. Pulo RT 003/005",
                          "district_code": "321609", "occupation": "pedagang",
                          "declared_income": 1_000_000, "months_paid": 1})
    page.form.consent.setChecked(True)
    page.revalidate()
    assert page.save_button.isEnabled(), page.summary.text()
    scroll = page.findChild(QScrollArea)
    QApplication.processEvents()
    before = scroll.verticalScrollBar().isVisible()
    room = scroll.viewport().height()
    qtbot.keyClick(page.save_button, Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.success.isVisible())
    QApplication.processEvents()
    assert not before and not scroll.verticalScrollBar().isVisible()
    assert scroll.viewport().height() == room  # the saved banner takes none of the form's room
    assert page.summary.text() == ""  # no "Belum bisa disimpan" on the form just cleared
    text = page.success_text.text()
    assert "((" not in text and "))" not in text  # no doubled brackets


# -- a misread code at the door -------------------------------------------------------------
def test_a_misread_code_is_a_large_red_unknown_code_not_a_name(qtbot, store, officer,
                                                              active_event, make_window, translations):
    from bpjs_field.domain.codes import CHECK_ALPHABET, format_code
    from bpjs_field.domain.registration import PersonInput, RegistrationInput
    from ui.style import RED
    result = store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Siti Aminah", nik=NIK), consent_given=True,
        consent_version="2026-01", declared_income=1_000_000))
    code = result.registration["code"]
    wrong = code[:-1] + next(ch for ch in "0123456789ABCDEFGH" if ch != code[-1])
    window = make_window()
    window.show_page("checkin")
    page = window.checkin
    for misread in (format_code(wrong), wrong.lower()):
        qtbot.keyClicks(page.input, misread)
        qtbot.keyClick(page.input, Qt.Key_Return)
        assert page.status == "unknown"
        assert "KODE TIDAK DIKENAL" in page.answer.text()
        assert RED in page.answer.styleSheet()
        assert not page.table.isVisible() and not page.register_button.isVisible()
        qtbot.keyClick(page.input, Qt.Key_F2)  # F2 never registers a code as a name
        assert window.registration.form.widgets["full_name"].text() == ""
        window.show_page("checkin")
    assert store.attendance.count(active_event["id"]) == 0
    # A name is still a name search, and F2 offers to register it.
    qtbot.keyClicks(page.input, "Bambang")
    qtbot.keyClick(page.input, Qt.Key_Return)
    assert page.status == "not_found" and page.register_button.isVisible()
    qtbot.keyClick(page.input, Qt.Key_F2)
    assert window.registration.form.widgets["full_name"].text() == "Bambang"


# -- texts whole and plain -----------------------------------------------------------------
LONG_TITLE = "Sosialisasi Jaminan Sosial Ketenagakerjaan bagi Pekerja Bukan Penerima Upah Kecamatan Cikarang Utara"


def test_the_status_bar_keeps_the_sync_state_whole_at_1366(qtbot, store, officer, make_window):
    from PySide6.QtWidgets import QLabel
    event = store.events.create({"kind": "sosialisasi", "title": LONG_TITLE,
                                 "starts_at": "2026-12-05T08:00:00+07:00", "venue": "Aula Kecamatan",
                                 "district_code": "321609"})
    store.events.set_active(event["id"])
    window = make_window()
    window.showNormal()
    window.resize(1366, 700)
    sync = QLabel("12 perubahan menunggu  Tersinkron: 22 November 2026, pukul 14.30 WIB")
    window.add_status_widget(sync)
    QApplication.processEvents()
    assert sync.width() >= sync.sizeHint().width()  # never "12 perubahan menungg…"
    assert window.event_label.toolTip().endswith(LONG_TITLE)  # whole on hovering
    assert window.statusBar().geometry().right() <= window.width()


def test_event_titles_are_whole_in_acara(qtbot, store, officer, make_window):
    store.events.create({"kind": "sosialisasi", "title": LONG_TITLE, "venue": "Aula Kecamatan",
                         "starts_at": "2026-12-05T08:00:00+07:00", "district_code": "321609"})
    window = make_window()
    window.showNormal()
    window.resize(1366, 700)
    window.show_page("events")
    table = window.events.table
    QApplication.processEvents()
    row = window.events.model.rowCount() - 1
    row = next(r for r in range(window.events.model.rowCount())
               if window.events.model.index(r, 0).data() == LONG_TITLE)
    metrics = table.fontMetrics()
    lines = max(1, table.rowHeight(row) // metrics.lineSpacing())
    assert metrics.horizontalAdvance(LONG_TITLE) <= table.columnWidth(0) * lines
    assert window.events.model.index(row, 0).data(Qt.ToolTipRole) == LONG_TITLE


def test_the_people_list_shows_the_phone_column_without_scrolling(qtbot, store, officer, make_window):
    from bpjs_field.demo import fill_demo
    from ui.models import columns
    fill_demo(store, 50)
    for width in (1280, 1366):
        window = make_window()
        window.showNormal()
        window.resize(width, 690)
        window.show_page("people")
        QApplication.processEvents()
        table = window.people.table
        for search in ("", "a"):  # the whole list, then search results (another model)
            window.people.search.setText(search)
            window.people.run_search() if search else window.people.reload()
            qtbot.wait(50)
            QApplication.processEvents()
            header = table.horizontalHeader()
            right = header.sectionViewportPosition(columns.PHONE) + header.sectionSize(columns.PHONE)
            assert right <= table.viewport().width(), (width, search)
            assert not table.horizontalScrollBar().isVisible()
            name_room = table.fontMetrics().horizontalAdvance("Nur'aini Hasanah")
            assert header.sectionSize(columns.NAME) >= name_room, (width, search)


def test_the_audit_log_speaks_words_not_codes(qtbot, store, officer, translations):
    from ui.security.audit_page import AuditPage
    executor = DbExecutor(store, synchronous=True)
    try:
        with store.write():
            store.audit("officer.create", "officer", officer["id"], role="supervisor")
            store.audit("print", "print", "x", document="receipt.a5", copies=1, is_reprint=False)
        page = AuditPage(executor, "id")
        qtbot.addWidget(page)
        page.show()
        QApplication.processEvents()
        cells = [[page.model.item(r, c).text() for c in range(5)] for r in range(page.model.rowCount())]
        actions = [row[2] for row in cells]
        assert "Petugas ditambahkan" in actions and "Dicetak" in actions
        assert "officer.create" not in actions
        details = " ".join(row[4] for row in cells)
        assert "{" not in details and "peran: supervisor" in details
        assert "salinan (SALINAN): tidak" in details and "jumlah dicetak: 1" in details
        header = page.table.horizontalHeader()
        time_text = next(row[0] for row in cells if row[0])
        assert header.sectionSize(0) >= page.table.fontMetrics().horizontalAdvance(time_text)
    finally:
        executor.shutdown()


def test_a_foreign_worker_is_asked_for_the_name_on_the_passport(qtbot, store, officer, make_window,
                                                               translations):
    window = make_window()
    window.show_page("registration")
    form = window.registration.form
    assert "KTP" in form.boxes["full_name"].label.text()
    form.widgets["segment"].setCurrentIndex(form.widgets["segment"].findData("tka"))
    assert form.boxes["full_name"].label.text() == "Nama lengkap (sesuai paspor)"


def test_english_screens_use_english_separators(qtbot, store, officer, make_window):
    from bpjs_field.demo import fill_demo
    fill_demo(store, 1200)
    window = make_window(lang="en")
    qtbot.waitUntil(lambda: "1,200" in window.home.people.text())
    window.show_page("people")
    qtbot.waitUntil(lambda: "1,200" in window.people.count.text())
    indonesian = make_window(lang="id")
    qtbot.waitUntil(lambda: "1.200" in indonesian.home.people.text())


def test_a_tall_page_scrolls_instead_of_growing_the_window_past_the_screen(qtbot, store, officer):
    """A page taller than a 1280x720 screen (the sync page with the event hub is one) must
    not make the window taller: the stack is as tall as its tallest page otherwise, and the
    status bar and Save fall off the screen."""
    from PySide6.QtWidgets import QWidget
    executor = DbExecutor(store, synchronous=True)
    try:
        window = MainWindow(AppContext(executor, lang="id", officer=officer), executor)
        qtbot.addWidget(window)
        tall = QWidget()
        tall.setMinimumSize(600, 2000)
        window.add_page("tall", "Tinggi", tall)
        assert window.minimumSizeHint().height() < 720
        window.show_page("tall")
        scroll = window.stack.currentWidget()
        assert isinstance(scroll, QScrollArea) and scroll.widget() is tall
        assert scroll.focusPolicy() == Qt.NoFocus  # never takes the scanner's keystrokes
    finally:
        executor.shutdown()
