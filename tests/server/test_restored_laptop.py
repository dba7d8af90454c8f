"""A laptop restored from its own older backup keeps reaching the branch: it continues after
every registration number and audit id it had issued (read from the database it replaces,
or from its ledger when that database is gone), so after it registers and syncs, laptop and
server agree exactly on people, registrations, codes and audit, with nothing kept aside."""

from __future__ import annotations

import json

import pytest

from bpjs_field.backup import create_backup, restore_backup
from bpjs_field.store.ledger import code_number
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.pull import server_digest
from bpjs_field.store import Store
from bpjs_field.sync.digest import laptop_digest


def _server_state(url: str, device_id: str) -> tuple[dict, dict, dict, int]:
    db = ServerDatabase(url)
    try:
        digest = server_digest(db)
        with db.read() as tx:
            regs = {json.loads(r[0])["id"]: json.loads(r[0])["code"] for r in tx.rows(
                "SELECT data FROM docs WHERE entity = 'registration' AND deleted = 0")}
            audit = {r[0]: (r[1], r[2]) for r in tx.rows(
                "SELECT local_id, action, at FROM audit WHERE device_id = ?", (device_id,))}
            held = tx.scalar("SELECT count(*) FROM quarantine")
        return digest, regs, audit, held
    finally:
        db.close()


@pytest.mark.parametrize("known_from", ["replaced_database", "ledger"])
def test_restored_laptop_continues_after_what_it_sent(known_from, server, database_url, laptops):
    (a,) = laptops(1)
    a.enroll(server.url, "KC-0421")
    a.event()
    a.register_many(range(8700, 8703))
    a.sync()
    backup = create_backup(a.store, "manual")
    backup_audit = a.store.scalar("SELECT max(id) FROM audit_log")
    a.register_many(range(8703, 8706))  # these reach the branch after the backup was taken
    a.sync()
    sent_codes = {r["code"] for r in a.store.query("SELECT code FROM registrations")}
    highest = max(code_number(c) for c in sent_codes)

    a.store.close()
    if known_from == "ledger":
        # The database itself is lost (a new disk): only the ledger beside it remembers.
        for path in a.path.parent.glob(a.path.name + "*"):
            if not path.name.endswith(".ledger.json"):
                path.unlink()
        Store.open(a.path).close()
    restore_backup(a.path, backup.path)
    a.store = Store.open(a.path)
    restore_id = a.store.scalar("SELECT id FROM audit_log WHERE action = 'backup.restore'")
    assert restore_id > backup_audit

    new_codes = [a.register(i).registration["code"] for i in range(8706, 8709)]
    assert all(code_number(c) > highest for c in new_codes)
    result = a.sync()
    assert result.quarantined == 0 and result.refused == 0
    assert a.store.pending_changes() == 0

    digest, regs, audit, held = _server_state(database_url, a.store.device_id)
    assert held == 0
    assert laptop_digest(a.store) == digest  # people and registrations, content and counts
    mine = {r["id"]: r["code"] for r in a.store.query("SELECT id, code FROM registrations")}
    assert mine == regs and len(set(regs.values())) == 9
    cursor = a.store.get_setting("sync.audit_cursor")  # entries after it go at the next sync
    here = {r["id"]: (r["action"], r["at"]) for r in a.store.query(
        "SELECT id, action, at FROM audit_log WHERE id <= ?", (cursor,))}
    assert restore_id in here
    # Every entry of the laptop reached the branch as it is (no id was reused and dropped);
    # the branch also keeps the entries the restore took off the laptop, all issued between
    # the backup and the restore.
    assert {k: here[k] for k in here} == {k: audit[k] for k in here}
    assert all(backup_audit < k < restore_id for k in set(audit) - set(here))
