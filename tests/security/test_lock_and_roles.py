"""A logged-in workstation: the lock screen hides everything and keeps the work in
progress, unlocking needs the password again, the idle timer locks, and an officer
does not get the supervisor's actions (in the GUI and again in the core)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit

from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import session
from ui import app as app_module
from ui.i18n import Translations

from .conftest import OFFICER, SUPERVISOR


@pytest.fixture
def station(qtbot, secure_path, tmp_path, monkeypatch):
    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(app_module, "MainWindow",
                        lambda ctx, ex: _Window(ctx, ex, settings=QSettings(
                            str(tmp_path / "q.ini"), QSettings.IniFormat)))
    made = []

    def make(account):
        store = session.unlock(secure_path, *account)
        with store.write():
            store.set_setting("current_officer_id", store.officer_id)
        st = app_module.Workstation(store)
        assert st.start()
        qtbot.addWidget(st.window)
        made.append(st)
        return st

    yield make
    for st in made:
        st.close(final_backup=False)
        st.translations.install("en")
    Translations().install("en")


from ui.main_window import MainWindow as _Window  # noqa: E402


def test_lock_keeps_work_and_needs_the_password(station, qtbot):
    st = station(OFFICER)
    window = st.window
    window.show_page("registration")
    name = window.registration.form.findChild(QLineEdit, "full_name")
    name.setText("Budi Santoso")
    screen = window.lock_screen
    screen.lock()
    assert screen.locked and not window.centralWidget().isEnabled()
    assert screen.geometry() == window.rect()  # the cover hides the whole window
    screen.password.setText("bukan-sandinya")
    screen.submit()
    qtbot.waitUntil(lambda: not screen.checking)  # the password is checked on a worker thread
    assert screen.locked and screen.message.text()
    screen.password.setText(OFFICER[1])
    with qtbot.waitSignal(screen.unlocked):
        screen.submit()
    assert not screen.locked and window.centralWidget().isEnabled()
    assert name.text() == "Budi Santoso"  # nothing typed was lost

    def audited() -> set[str]:
        return set(st.executor.call(lambda s: [r["action"] for r in s.query("SELECT action FROM audit_log")]))

    qtbot.waitUntil(lambda: {"lock", "unlock_failed", "unlock"} <= audited())


def test_idle_timer_locks_after_the_setting(station):
    st = station(SUPERVISOR)
    idle = st.idle_lock
    assert idle.minutes == 5  # the default setting
    assert not idle.check(now=idle.last_input + 4 * 60)
    assert idle.check(now=idle.last_input + 5 * 60 + 1)
    assert st.window.lock_screen.locked


def test_an_officer_cannot_edit_people_or_settings(station):
    st = station(OFFICER)
    window = st.window
    assert window.people.detail.edit_button.isHidden()
    buttons = [b for b in window.settings_page.backups.findChildren(type(window.people.detail.edit_button))]
    assert buttons and not any(b.isEnabled() for b in buttons)
    from .conftest import bpu_form
    person = st.store.registrations.register(bpu_form()).person  # officers do register
    with pytest.raises(BpjsFieldError) as refused:
        st.store.people.update(person["id"], {"full_name": "Budi Santosa"})
    assert refused.value.code == "security.forbidden"


def test_a_supervisor_keeps_every_action(station):
    st = station(SUPERVISOR)
    assert not st.window.people.detail.edit_button.isHidden()
    from .conftest import bpu_form
    person = st.store.registrations.register(bpu_form()).person
    assert st.store.people.update(person["id"], {"full_name": "Budi Santosa"})["full_name"] == "Budi Santosa"


def test_supervisor_views_and_filters_the_audit_log(station, qtbot):
    st = station(SUPERVISOR)
    assert st.window.page("audit") is not None
    from .conftest import bpu_form
    st.executor.call(lambda s: s.registrations.register(bpu_form()))
    st.window.show_page("audit")
    page = st.window.page("audit")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=3000)
    # Shown in words; the action code stays in the tooltip for branch IT.
    actions = {page.model.item(r, 2).toolTip() for r in range(page.model.rowCount())}
    assert {"login", "person.create"} <= actions
    qtbot.waitUntil(lambda: page.action.count() > 1, timeout=3000)
    page.action.setCurrentIndex(page.action.findData("login"))
    page.refresh()
    qtbot.waitUntil(lambda: {page.model.item(r, 2).toolTip() for r in range(page.model.rowCount())} == {"login"},
                    timeout=3000)
    text = " ".join(page.model.item(r, c).text() for r in range(page.model.rowCount()) for c in range(5))
    assert "3216091205900001" not in text
    page.text.setText("'; DROP TABLE audit_log; --")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=3000)
    assert st.executor.call(lambda s: s.scalar("SELECT count(*) FROM audit_log")) > 0


def test_officers_get_no_audit_page_and_the_core_refuses(station):
    st = station(OFFICER)
    assert st.window.page("audit") is None
    from bpjs_field.security.audit import audit_entries
    with pytest.raises(BpjsFieldError):
        st.executor.call(lambda s: audit_entries(s))
