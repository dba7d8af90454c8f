"""The application as a whole: Indonesian translations, first-start setup,
the entry point with demo data, and pages plugged in by other packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from bpjs_field.store import Store, views
from ui import app as app_module
from ui.i18n import qm_path, ts_path


ROOT = Path(__file__).resolve().parents[2]


def untranslated(ts: Path) -> list[str]:
    messages = ET.parse(ts).getroot().iter("message")
    return [m.findtext("source") for m in messages
            if not ("".join(m.find("translation").itertext())).strip()
            or m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")]


def test_indonesian_catalogue_is_complete_and_loads(qapp, translations, make_window, store, officer):
    assert untranslated(ts_path("id")) == []
    assert qm_path("id") is not None
    assert QCoreApplication.translate("MainWindow", "Registration") == "Pendaftaran"
    window = make_window()
    titles = [window.navigation.item(i).text().split("\n")[0] for i in range(window.navigation.count())]
    assert titles == ["Beranda", "Pendaftaran", "Kehadiran", "Peserta", "Acara", "Pengaturan"]
    assert window.registration.save_button.text() == "Simpan (Ctrl+S)"


def test_catalogue_holds_every_string_of_the_code(tmp_path):
    """lupdate run over the code, on a copy of the committed catalogue, finds nothing new to
    translate: a string added to a page without its Indonesian fails here, not in the field."""
    copy = tmp_path / "bpjs_field_id.ts"
    copy.write_bytes(ts_path("id").read_bytes())
    done = subprocess.run([sys.executable, str(ROOT / "scripts/i18n_update.py"), "--ts", str(copy)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert untranslated(copy) == []
    assert "(0 new" in done.stdout + done.stderr
    sources = [{m.findtext("source") for m in ET.parse(ts).getroot().iter("message")}
               for ts in (ts_path("id"), copy)]
    assert sources[0] == sources[1]  # nor does it hold strings the code no longer has


def test_first_start_asks_who_works_then_opens_straight_to_work(qtbot, store, db_path):
    assert store.get_setting(views.CURRENT_OFFICER) is None

    def fill_setup() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, fill_setup)
            return
        dialog.name.setText("Dedi Kurniawan")
        dialog.employee_no.setText("KC-0433")
        dialog.language.setCurrentIndex(dialog.language.findData("id"))
        dialog.start_button.click()

    station = app_module.Workstation(store)
    QTimer.singleShot(0, fill_setup)
    try:
        assert station.start()
        qtbot.addWidget(station.window)
        officer = station.ctx.officer
        assert officer["full_name"] == "Dedi Kurniawan"
        assert store.get_setting(views.CURRENT_OFFICER) == officer["id"]
        assert store.get_setting(views.LANGUAGE) == "id"
        assert store.officer_id == officer["id"]
    finally:
        station.executor.shutdown()
        station.translations.install("en")

    # next start: no dialog (a modal would block this call), straight to the window
    again = app_module.Workstation(Store.open(db_path))
    try:
        assert again.start()
        qtbot.addWidget(again.window)
        assert again.ctx.officer["id"] == officer["id"]
        assert again.store.officer_id == officer["id"]
    finally:
        again.translations.install("en")
        again.close()


PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from ui import app as app_module
from ui.main_window import MainWindow
app_module.DEMO_PARTICIPANTS = 300
seen = {}

def when_ready():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(20, when_ready)
        return
    seen["title"] = windows[0].windowTitle()
    seen["greeting"] = windows[0].home.findChild(QLabel, "greeting").text()
    windows[0].close()
    QApplication.instance().quit()

QTimer.singleShot(0, when_ready)
seen["rc"] = app_module.main([], db_path=Path(sys.argv[1]))
print(json.dumps(seen))
"""


def test_main_never_fills_a_real_database_with_demo_data(tmp_path):
    """The real entry point in its own process, as `bpjs-field` starts it: an empty laptop
    database stays empty (sample participants live only in the training database)."""
    db = tmp_path / "fresh.sqlite3"
    setup = Store.open(db)
    views.setup_officer(setup, full_name="Siti Rahmawati", employee_no="KC-0421",
                        branch="Kantor Cabang Bekasi Cikarang")
    setup.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BPJS_FIELD_DATA": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["rc"] == 0
    assert "Pendaftaran lapangan" in seen["title"] and "LATIHAN" not in seen["title"]
    assert "Siti Rahmawati" in seen["greeting"]
    check = Store.open(db)
    try:
        assert check.people.count() == 0
        assert check.get_setting("demo_data") is None
    finally:
        check.close()
    assert (tmp_path / "data" / "logs" / "bpjs_field.log").exists()


def test_pages_from_other_packages_plug_in(qtbot, store, officer, make_window):
    window = make_window()
    extra = QLabel("print page")
    window.add_page("print", "Cetak", extra, "Ctrl+7")
    status = QLabel("sync: ok")
    window.add_status_widget(status)
    window.show_page("print")
    assert window.stack.currentWidget().widget() is extra  # in its page scroll area
    assert window.navigation.item(window.navigation.count() - 1).text().startswith("Cetak")
    assert status.isVisible()


def test_lazy_page_is_built_when_first_opened(qtbot, store, officer, make_window):
    window = make_window()
    built = []

    def factory():
        built.append(True)
        return QLabel("sync page")

    window.add_lazy_page("sync", "Sinkronisasi", factory, "Ctrl+8")
    assert built == [] and window.page("sync") is None
    window.show_page("sync")
    assert built == [True]
    assert window.page("sync").text() == "sync page"
    window.show_page("home")
    window.show_page("sync")
    assert built == [True]


def test_at_start_only_the_page_shown_loads_from_the_database(qtbot, store, officer, active_event,
                                                               make_window):
    """The database worker is one queue: what hidden pages would load at start delays the
    officer's first search.  Each page loads when first shown."""
    from ui.tasks import DbExecutor

    class Recording(DbExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.files: list[str] = []

        def run(self, fn, on_done=None, on_error=None):
            self.files.append(fn.__code__.co_filename.rsplit("/", 1)[-1])
            super().run(fn, on_done, on_error)

    executor = Recording(store, synchronous=True)
    window = make_window(executor=executor)
    assert window.current_page() == "home" and window.home.summary is not None
    assert not {"checkin.py", "events.py", "people_model.py"} & set(executor.files), executor.files
    window.show_page("events")
    assert "events.py" in executor.files
    assert window.events.model.rowCount() == 1
    window.show_page("checkin")
    assert executor.files.count("checkin.py") == 2  # the count and the last check-ins
    window.show_page("people")
    assert "people_model.py" in executor.files
