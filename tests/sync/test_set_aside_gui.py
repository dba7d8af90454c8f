"""The sync page shows the pulled rows this laptop set aside, with their reasons."""

from __future__ import annotations

import json

import pytest

from bpjs_field.server.db import ServerDatabase
from ui.sync import SyncController, SyncPage
from ui.tasks import DbExecutor

pytestmark = pytest.mark.gui


def test_sync_page_lists_rows_set_aside(qtbot, server, server_url_db, laptops):
    a, b = laptops(2)
    a.enroll(server.url, "KC-0421")
    a.event()
    bad = a.register(9301).person
    a.register_many(range(9302, 9305))
    a.sync()
    db = ServerDatabase(server_url_db)
    try:
        with db.write() as tx:  # a row that reached the branch before it checked values
            data = json.loads(tx.scalar("SELECT data FROM docs WHERE entity = 'person' AND id = ?",
                                        (bad["id"],)))
            rev = tx.lock_revisions() + 1
            tx.execute("UPDATE docs SET data = ?, rev = ? WHERE entity = 'person' AND id = ?",
                       (json.dumps({**data, "sex": "Z"}), rev, bad["id"]))
            tx.store_revision(rev)
    finally:
        db.close()
    b.enroll(server.url, "KC-0430")
    executor = DbExecutor(b.store)
    controller = SyncController(executor, interval_s=3600, auto=False)
    page = SyncPage(executor, controller=controller, lang="en")
    qtbot.addWidget(page)
    try:
        controller.start()
        with qtbot.waitSignal(controller.sync_finished, timeout=15000):
            controller.sync_now()
        qtbot.waitUntil(lambda: len(controller.state.set_aside) == 2, timeout=5000)
        text = page.set_aside.text()
        assert text.startswith("2 (") and "person.sex: sex.invalid" in text
        assert page.error.isHidden()  # the pull itself succeeded
        assert b.store.scalar("SELECT count(*) FROM people") == 3
    finally:
        controller.shutdown()
        executor.shutdown()
