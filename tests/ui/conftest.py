"""GUI fixtures: a main window over the per-test database, with a synchronous
or a real threaded executor, QSettings in a temporary file, and the
interface language as the officer would have it (Indonesian)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from bpjs_field.store import views
from ui.context import AppContext
from ui.i18n import Translations
from ui.main_window import MainWindow
from ui.tasks import DbExecutor


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))


@pytest.fixture
def translations(qapp):
    t = Translations()
    t.install("id")
    yield t
    t.install("en")


@pytest.fixture
def make_window(qtbot, store, tmp_path):
    """Build a MainWindow the way the app does; `threaded=True` uses the real worker thread."""
    made = []

    def make(*, threaded: bool = False, lang: str = "id", executor: DbExecutor | None = None):
        executor = executor or DbExecutor(store, synchronous=not threaded)
        officer = views.current_officer(store) if store.get_setting(views.CURRENT_OFFICER) else None
        if officer is None and store.officer_id:
            officer = store.officers.get(store.officer_id)
        ctx = AppContext(executor, lang=lang, officer=officer, active_event=store.events.active(),
                         db_path=store.path)
        settings = QSettings(str(tmp_path / "qsettings.ini"), QSettings.IniFormat)
        window = MainWindow(ctx, executor, settings=settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        window.windowHandle().requestActivate()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts only reach the active window
        made.append(executor)
        return window

    yield make
    for executor in made:
        executor.shutdown()


@pytest.fixture
def active_event(store, event):
    store.events.set_active(event["id"])
    return store.events.active()
