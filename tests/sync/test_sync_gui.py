"""The Qt side of sync with a real server process: enrol from the page, background sync,
"Sync now", backoff after the server dies and recovery without a click, and a window
that keeps answering while a slow sync runs."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer

from bpjs_field.sync.backoff import Backoff
from harness import PASSWORD, ServerProcess
from ui.sync import SyncController, SyncPage, SyncStatusWidget
from ui.tasks import DbExecutor

pytestmark = pytest.mark.gui


@pytest.fixture
def gui(qtbot, laptops):
    (laptop,) = laptops(1)
    laptop.event()
    laptop.register_many(range(20), check_in=True)
    executor = DbExecutor(laptop.store)
    controller = SyncController(executor, interval_s=3600,
                                backoff=Backoff(base=0.2, maximum=0.4))
    page = SyncPage(executor, controller=controller, lang="en")
    status = SyncStatusWidget(executor, controller=controller, lang="en")
    qtbot.addWidget(page)
    qtbot.addWidget(status)
    yield laptop, executor, controller, page, status
    controller.shutdown()
    executor.shutdown()


def test_enrol_sync_fail_back_off_and_recover(qtbot, gui, server_url_db, tmp_path):
    laptop, executor, controller, page, status = gui
    server = ServerProcess(server_url_db).start()
    try:
        controller.start(first_delay_s=0.05)
        qtbot.waitUntil(lambda: controller.state.last_error is not None, timeout=5000)
        assert controller.state.last_error["code"] == "sync.no_server"
        assert "Enrol" in page.error.text()
        assert not page.sync_button.isEnabled()
        # Enrol from the page; a first sync follows by itself.
        qtbot.keyClicks(page.url_edit, server.url)
        qtbot.keyClicks(page.employee_edit, "KC-0421")
        qtbot.keyClicks(page.password_edit, PASSWORD)
        with qtbot.waitSignal(controller.sync_finished, timeout=15000):
            page.enrol_button.click()
        qtbot.waitUntil(lambda: controller.state.pending == 0, timeout=5000)
        assert page.pending.text() == "0"
        assert page.error.isHidden()
        assert page.last_success.text() != "never"
        assert status.kind == "ok"
        page.grab().save(str(tmp_path / "sync-page-ok.png"))
        # The server dies: a clear error, backoff, nothing lost.
        server.kill()
        executor.call(lambda s: laptop.register(500))
        with qtbot.waitSignal(controller.sync_failed, timeout=10000) as failed:
            page.sync_button.click()
        assert failed.args[0].code == "sync.unreachable"
        qtbot.waitUntil(lambda: controller.state.pending > 0, timeout=5000)
        assert "cannot be reached" in page.error.text()
        # The next attempt as a time of day, which stays true on screen (a count of seconds
        # written once did not count down), after the short backoff this controller has.
        from datetime import datetime, timedelta, timezone
        from bpjs_field.domain.formatting import format_time
        qtbot.waitUntil(lambda: controller.state.next_attempt_at is not None, timeout=5000)
        ahead = datetime.fromisoformat(controller.state.next_attempt_at) - datetime.now(timezone.utc)
        assert ahead <= timedelta(seconds=0.4)
        qtbot.waitUntil(lambda: controller.state.next_attempt_at is not None
                        and format_time(datetime.fromisoformat(controller.state.next_attempt_at),
                                        "en") in page.phase.text(), timeout=5000)
        assert status.kind == "warn"
        page.grab().save(str(tmp_path / "sync-page-offline.png"))
        # It comes back: the backoff retry succeeds without anyone clicking.
        server.start()
        qtbot.waitUntil(lambda: controller.state.pending == 0 and not controller.state.last_error,
                        timeout=20000)
        assert controller.state.online is True
    finally:
        server.kill()
        server.stop()


def test_window_keeps_answering_during_a_slow_sync(qtbot, gui, server_url_db):
    laptop, executor, controller, page, status = gui
    server = ServerProcess(server_url_db, env={"BPJS_FIELD_TEST_SLOW_PUSH": "0.4"}).start()
    try:
        executor.call(lambda s: laptop.enroll(server.url, "KC-0421"))
        executor.call(lambda s: laptop.register_many(range(1000, 1300)))
        controller.batch = None
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(20)
        phases: set[str] = set()
        controller.state_changed.connect(
            lambda st: phases.add(st.progress.phase) if st.progress else None)
        with qtbot.waitSignal(controller.sync_finished, timeout=30000):
            controller.sync_now()
            assert controller.state.running
            # A second "Sync now" while running queues one more round, never a parallel one.
            controller.sync_now()
        timer.stop()
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        assert len(ticks) > 10 and max(gaps) < 0.25  # the event loop never stalled
        assert "push" in phases
        qtbot.waitUntil(lambda: not controller.state.running and controller.state.pending == 0,
                        timeout=15000)
    finally:
        server.kill()
        server.stop()


def test_clock_warning_is_shown(qtbot, gui):
    laptop, executor, controller, page, status = gui
    controller._update({"enrolled": True, "clock_offset_ms": 9 * 60 * 1000,
                        "last_success_at": "2026-11-22T01:00:00+00:00"})
    assert page.clock.isVisibleTo(page)
    assert "9 minutes" in page.clock.text()
    assert "Clock" in status.label.text() and status.kind == "warn"


def test_refused_changes_are_shown_and_sent_again_on_request(qtbot, gui, server_url_db, tmp_path):
    laptop, executor, controller, page, status = gui
    server = ServerProcess(server_url_db).start()
    try:
        executor.call(lambda s: laptop.enroll(server.url, "KC-0421"))
        person_id = laptop.store.query_one("SELECT id FROM people LIMIT 1")["id"]

        def refusable(store) -> str:  # a list where the protocol wants a scalar
            with store.write():
                return store.record_change("person", person_id, {"id": person_id, "phone": ["0812"]})
        change_id = executor.call(refusable)
        controller.start()
        assert page.retry_button.isHidden()
        with qtbot.waitSignal(controller.sync_finished, timeout=15000) as finished:
            page.sync_button.click()
        assert finished.args[0].refused == 1
        qtbot.waitUntil(lambda: controller.state.refused == 1, timeout=5000)
        assert controller.state.pending == 1
        assert page.refused.text().startswith("1 (1 × 422 request.invalid; payload.phone")
        assert page.retry_button.isVisibleTo(page) and page.retry_button.isEnabled()
        assert status.kind == "warn" and "1 refused" in status.label.text()
        page.grab().save(str(tmp_path / "sync-page-refused.png"))
        # Once the change is acceptable (as after an update), the button sends it again.
        def repair(store) -> None:
            with store.write():
                store.db.execute("UPDATE change_log SET payload = ? WHERE change_id = ?",
                                 (f'{{"id": "{person_id}", "phone": "+6281355556666"}}', change_id))
        executor.call(repair)
        with qtbot.waitSignal(controller.sync_finished, timeout=15000) as again:
            page.retry_button.click()
        assert again.args[0].pushed == 1 and again.args[0].refused == 0
        qtbot.waitUntil(lambda: controller.state.refused == 0 and controller.state.pending == 0,
                        timeout=5000)
        assert page.refused.text() == "0" and page.retry_button.isHidden()
        assert status.kind == "ok"
    finally:
        server.kill()
        server.stop()
