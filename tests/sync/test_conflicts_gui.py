"""The conflicts on the Sinkronisasi page, with real widgets offscreen, a real server and an
encrypted supervisor's laptop: listed masked, revealed on request (audited), decided from the
keyboard with a confirmation, the other value reaching every laptop; an officer never sees
the panel."""

from __future__ import annotations

import json

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QMessageBox

from bpjs_field.security import session
from bpjs_field.sync.engine import enroll
from harness import E164_A, E164_B, PASSWORD, PHONE_A, PHONE_B
from ui.sync import SyncController, SyncPage
from ui.sync.conflicts import CURRENT, FIELD, OTHER, PERSON, ConflictsModel
from ui.tasks import DbExecutor

pytestmark = pytest.mark.gui
FAST_KDF = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}


def _laptop_login(path, server_url: str, server_account: str, role: str):
    """An encrypted laptop whose logged-in account has `role`, enrolled on the server as
    `server_account`."""
    store = session.create_protected(path, employee_no="SPV-01", full_name="Petugas Supervisor",
                                     branch="Kantor Cabang Cilegon", password="rahasia-supervisor",
                                     kdf=FAST_KDF)
    if role == "officer":
        session.add_account(store, employee_no="KC-0500", full_name="Budi Santoso", branch=None,
                            role="officer", password="rahasia-petugas")
    with httpx.Client() as http:
        enroll(store, http, server_url, server_account, PASSWORD)
    store.close()
    if role == "officer":
        return session.unlock(path, "KC-0500", "rahasia-petugas")
    return session.unlock(path, "SPV-01", "rahasia-supervisor")


@pytest.fixture
def station(qtbot, tmp_path, server):
    made = []

    def make(server_account: str = "SPV-01", role: str = "supervisor"):
        store = _laptop_login(tmp_path / f"{role}-{len(made)}.sqlite3", server.url, server_account,
                              role)
        executor = DbExecutor(store)
        controller = SyncController(executor, interval_s=3600)
        page = SyncPage(executor, controller=controller, lang="en")
        qtbot.addWidget(page)
        page.resize(1100, 640)
        made.append((store, executor, controller))
        return store, executor, controller, page

    yield make
    for store, executor, controller in made:
        controller.shutdown()
        executor.shutdown()
        store.close()


def _cells(model, row: int = 0) -> list[str]:
    return [model.data(model.index(row, column)) for column in (PERSON, FIELD, CURRENT, OTHER)]


def _phone_conflict(laptops, server_url: str, number: int) -> dict:
    """Two supervisors' laptops edit the same phone offline (B later, so B wins); both synced.
    Returns the laptops and the person."""
    a, b = laptops(2)
    a.enroll(server_url, "KC-0421")
    b.enroll(server_url, "KC-0422")
    a.event()
    person = a.register(number).person
    a.sync()
    b.sync()
    a.store.people.update(person["id"], {"phone": PHONE_A})
    b.store.people.update(person["id"], {"phone": PHONE_B})  # later: wins
    b.sync()
    a.sync()
    return a, b, person


def test_a_supervisor_decides_a_conflict_on_the_sync_page(qtbot, qtmodeltester, station, server,
                                                          laptops, tmp_path):
    a, b, person = _phone_conflict(laptops, server.url, 9600)

    store, executor, controller, page = station()
    panel = page.conflicts
    assert panel is not None
    # The sync thread opens the encrypted file with the logged-in key.
    with qtbot.waitSignal(controller.sync_finished, timeout=15000):
        controller.sync_now()
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10000)
    # The tester gets a model of its own with the same rows: it must outlive the page.
    checked = ConflictsModel("en")
    checked.set_rows([panel.model.row_at(0)])
    qtmodeltester.check(checked, force_py=True)
    assert _cells(panel.model) == [person["full_name"], "Mobile", "0857-****-4444", "0857-****-2222"]
    assert "1 conflict(s)" in panel.message.text()
    page.grab().save(str(tmp_path / "sync-page-conflict.png"))

    def audited(action: str) -> list[dict]:
        return executor.call(lambda s: [json.loads(r["details"]) for r in s.query(
            "SELECT details FROM audit_log WHERE action = ?", (action,))])

    assert audited("conflicts.view")
    # Full values on request, audited; masked again afterwards.
    panel.reveal_button.click()
    qtbot.waitUntil(lambda: _cells(panel.model)[2:] == [E164_B, E164_A], timeout=10000)
    assert audited("conflicts.reveal") == [{"count": 1}]
    panel.reveal_button.click()
    qtbot.waitUntil(lambda: _cells(panel.model)[2] == "0857-****-4444", timeout=10000)

    # Keyboard only: the row is current, Alt+U asks, Shift+Tab and Space confirm ("No" is
    # the default button, so Enter alone decides nothing).
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key_Home)
    assert panel.selected().field == "phone" and panel.other_button.isEnabled()
    qtbot.keyClick(panel.table, Qt.Key_U, Qt.AltModifier)
    qtbot.waitUntil(lambda: getattr(panel, "confirm_box", None) is not None)  # animated click
    box = panel.confirm_box
    assert box.isVisible() and "Use the other value of Mobile" in box.text()
    assert "0857-****-2222" in box.text()  # masked in the question too
    qtbot.keyClick(box.focusWidget(), Qt.Key_Backtab)
    assert box.focusWidget() is box.button(QMessageBox.Yes)
    with qtbot.waitSignal(controller.sync_finished, timeout=15000):
        qtbot.keyClick(box.focusWidget(), Qt.Key_Space)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0 and "settled" in panel.message.text(),
                    timeout=10000)
    assert executor.call(lambda s: s.people.get(person["id"])["phone"]) == E164_A
    a.sync()
    b.sync()
    assert a.store.people.get(person["id"])["phone"] == b.store.people.get(person["id"])["phone"] == E164_A
    resolved = audited("conflicts.resolved")
    assert len(resolved) == 1 and resolved[0]["choice"] == "use_other"


def test_no_confirmation_no_decision(qtbot, station, server, laptops):
    _a, _b, person = _phone_conflict(laptops, server.url, 9610)
    store, executor, controller, page = station()
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    qtbot.waitUntil(lambda: page.conflicts.model.rowCount() == 1, timeout=10000)
    panel = page.conflicts
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key_Home)
    qtbot.keyClick(panel.table, Qt.Key_K, Qt.AltModifier)
    qtbot.waitUntil(lambda: getattr(panel, "confirm_box", None) is not None)  # animated click
    box = panel.confirm_box
    assert "Keep the current value of Mobile" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.No)
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.wait(200)
    assert executor.call(lambda s: s.get_setting("conflicts.pending")) is None
    assert panel.model.rowCount() == 1


def test_officers_do_not_see_conflicts(qtbot, station, server):
    store, executor, controller, page = station(role="officer")
    assert store.role == "officer" and page.conflicts is None
    assert page.findChild(QGroupBox, "conflictsPanel") is None
    # A supervisor here, but the laptop was enrolled by an officer: the server says no (403),
    # and the panel goes away.
    store, executor, controller, page = station(server_account="KC-0430", role="supervisor")
    page.show()
    qtbot.waitUntil(lambda: page.conflicts.isHidden(), timeout=10000)
