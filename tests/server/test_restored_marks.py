"""A laptop whose database and ledger are both gone (a new disk: its backup restored on a new
machine) learns its own high-water marks from the branch before it pushes anything, and
while it cannot ask (offline) its new codes continue after a safety gap: in both cases,
after it registers and syncs, laptop and server agree exactly on people, registrations,
codes and audit, with nothing kept aside."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest

from bpjs_field.backup import create_backup, restore_backup
from bpjs_field.store.ledger import code_number, ledger_path
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.pull import server_digest
from bpjs_field.store import Store
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.digest import laptop_digest
from bpjs_field.sync.engine import AUDIT_CURSOR, SyncEngine
from bpjs_field.sync.marks import CODE_GAP, MARKS_UNKNOWN

from harness import free_port


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


def _auth(store: Store) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.get_setting('sync.device_token')}"}


def test_marks_endpoint_tells_a_laptop_its_own_marks(server, laptops):
    a, b = laptops(2)
    a.enroll(server.url, "KC-0421")
    b.enroll(server.url, "KC-0422")
    a.event()
    a.register_many(range(8800, 8804))
    a.sync()
    b.sync()  # b holds a's registrations too, under a's tag

    r = httpx.get(f"{server.url}/v1/marks", headers=_auth(a.store))
    assert r.status_code == 200, r.text
    body = r.json()
    highest = max(code_number(x["code"]) for x in a.store.query("SELECT code FROM registrations"))
    assert body["device_id"] == a.store.device_id and body["device_tag"] == a.store.device_tag
    assert body["code_number"] == highest == 4
    assert body["audit_id"] == a.store.get_setting(AUDIT_CURSOR)
    assert body["audit_id"] == a.store.scalar("SELECT max(id) FROM audit_log WHERE id <= ?",
                                              (body["audit_id"],))

    other = httpx.get(f"{server.url}/v1/marks", headers=_auth(b.store)).json()
    assert other["device_tag"] == b.store.device_tag != a.store.device_tag
    assert other["code_number"] == 0 and 0 < other["audit_id"] < body["audit_id"] + 100

    # A registration the branch keeps aside still holds a number the laptop issued (and printed).
    held = a.register(8804).registration
    with a.store.write():
        a.store.db.execute("UPDATE change_log SET sent_at = 'withheld' WHERE sent_at IS NULL "
                           "AND entity = 'person'")
    assert a.sync().quarantined == 1
    body = httpx.get(f"{server.url}/v1/marks", headers=_auth(a.store)).json()
    assert body["code_number"] == code_number(held["code"]) == 5

    assert httpx.get(f"{server.url}/v1/marks").status_code == 401
    bad = httpx.get(f"{server.url}/v1/marks", headers={"Authorization": "Bearer " + "x" * 40})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "auth.unknown_device"


def _backup_kept_elsewhere(a, tmp_path):
    """The laptop's disk is replaced: its backup (kept elsewhere) is restored in a new folder
    where neither the database nor the ledger exist."""
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = create_backup(a.store, "manual")
    kept = usb / backup.path.name
    shutil.copy(backup.path, kept)
    return kept


@pytest.mark.parametrize("online", [True, False], ids=["online", "offline"])
def test_restored_on_a_new_disk_learns_its_marks_from_the_branch(
        online, server, database_url, laptops, tmp_path):
    (a,) = laptops(1)
    a.enroll(server.url, "KC-0421")
    a.event()
    a.register_many(range(8700, 8703))
    a.sync()
    backup = _backup_kept_elsewhere(a, tmp_path)
    backup_audit = a.store.scalar("SELECT max(id) FROM audit_log")
    a.register_many(range(8703, 8706))  # these reach the branch after the backup was taken
    a.sync()
    sent = {r["code"] for r in a.store.query("SELECT code FROM registrations")}
    highest = max(code_number(c) for c in sent)
    server_audit = a.store.scalar("SELECT max(id) FROM audit_log")

    a.store.close()
    shutil.rmtree(a.path.parent / "backups", ignore_errors=True)
    for path in a.path.parent.glob(a.path.name + "*"):
        path.unlink()  # the database and its ledger are gone with the disk
    a.path = tmp_path / "new-disk" / "laptop.sqlite3"
    a.path.parent.mkdir()
    Store.open(a.path).close()  # the app set up on the new machine
    assert not ledger_path(a.path).exists()
    restore_backup(a.path, backup)
    a.store = Store.open(a.path)
    assert a.store.get_setting(MARKS_UNKNOWN) is not None
    restore_id = a.store.scalar("SELECT id FROM audit_log WHERE action = 'backup.restore'")
    assert restore_id > server_audit  # no audit id the branch holds is issued again

    if online:
        a.sync()  # first contact: the marks are learned before anything is pushed
        assert a.store.get_setting(MARKS_UNKNOWN) is None
        new_codes = [a.register(i).registration["code"] for i in range(8706, 8709)]
        # Right after the branch's mark: no gap is wasted when the laptop syncs first.
        assert [code_number(c) for c in new_codes] == [highest + 1, highest + 2, highest + 3]
    else:
        # No branch to ask: a sync attempt fails and changes nothing, new codes continue after
        # the safety gap, past every number the laptop had issued after its backup.
        dead = f"http://127.0.0.1:{free_port()}"
        with pytest.raises(SyncError):
            SyncEngine(a.store, a.http, server_url=dead).run()
        assert a.store.get_setting(MARKS_UNKNOWN) is not None
        new_codes = [a.register(i).registration["code"] for i in range(8706, 8709)]
        numbers = [code_number(c) for c in new_codes]
        assert numbers[0] > highest and numbers[0] >= 3 + CODE_GAP
        assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert not sent & set(new_codes)

    result = a.sync()
    assert result.quarantined == 0 and result.refused == 0
    assert a.store.pending_changes() == 0
    assert a.store.get_setting(MARKS_UNKNOWN) is None
    if not online:
        # Once learned, the next code follows the laptop's own last one (no second gap).
        after = code_number(a.register(8709).registration["code"])
        assert after == code_number(new_codes[-1]) + 1
        a.sync()

    digest, regs, audit, held = _server_state(database_url, a.store.device_id)
    assert held == 0
    assert laptop_digest(a.store) == digest  # people and registrations, content and counts
    mine = {r["id"]: r["code"] for r in a.store.query("SELECT id, code FROM registrations")}
    assert mine == regs and len(set(regs.values())) == len(regs) == (9 if online else 10)
    cursor = a.store.get_setting(AUDIT_CURSOR)
    here = {r["id"]: (r["action"], r["at"]) for r in a.store.query(
        "SELECT id, action, at FROM audit_log WHERE id <= ?", (cursor,))}
    assert restore_id in here
    assert "sync.marks" in {action for action, _ in here.values()}
    # Every entry of the laptop reached the branch as it is (no id reused and dropped); the
    # branch also keeps the entries the lost disk made after the backup.
    assert {k: here[k] for k in here} == {k: audit[k] for k in here}
    assert set(audit) - set(here) and all(backup_audit < k <= server_audit
                                          for k in set(audit) - set(here))


def test_restoring_again_before_any_sync_keeps_the_gap_and_the_codes_issued(laptops, tmp_path):
    """Restored on a new disk, registrations made offline, then the same backup restored again
    over it (still no sync): the marks stay unknown, and codes continue after those issued
    under the gap, not after a second gap and not over them."""
    (a,) = laptops(1)
    a.event()
    a.register_many(range(8900, 8902))
    backup = _backup_kept_elsewhere(a, tmp_path)
    a.store.close()
    for path in a.path.parent.glob(a.path.name + "*"):
        path.unlink()
    Store.open(a.path).close()
    restore_backup(a.path, backup)
    a.store = Store.open(a.path)
    first = [code_number(a.register(i).registration["code"]) for i in range(8902, 8904)]
    assert first == [2 + CODE_GAP + 1, 2 + CODE_GAP + 2]
    first_restore = a.store.scalar("SELECT max(id) FROM audit_log")

    a.store.close()
    restore_backup(a.path, backup)
    a.store = Store.open(a.path)
    assert a.store.get_setting(MARKS_UNKNOWN)["codes"] == {a.store.device_tag: 2 + CODE_GAP}
    assert a.store.scalar("SELECT max(id) FROM audit_log") > first_restore
    again = code_number(a.register(8904).registration["code"])
    assert again == first[-1] + 1


def test_learned_audit_mark_moves_the_audit_ids_past_the_branch(server, database_url, laptops):
    """When the branch holds higher audit ids of the laptop than the laptop has (entries of a
    lost disk beyond what the gap covers), the learned mark moves the next id past them, so
    no entry made afterwards is dropped as a repeat."""
    (a,) = laptops(1)
    a.enroll(server.url, "KC-0421")
    a.event()
    a.register_many(range(8950, 8952))
    a.sync()
    last = a.store.scalar("SELECT max(id) FROM audit_log")
    lost = [{"local_id": last + n, "at": "2026-12-01T01:00:00.000+00:00", "action": "person.create",
             "details": "{}"} for n in (10, 11, 12)]  # what the lost disk had sent
    r = httpx.post(f"{server.url}/v1/audit", headers=_auth(a.store),
                   json={"device_id": a.store.device_id, "entries": lost})
    assert r.status_code == 200, r.text
    a.store.set_setting(MARKS_UNKNOWN, {"codes": {}})
    a.sync()
    marks_id = a.store.scalar("SELECT id FROM audit_log WHERE action = 'sync.marks'")
    assert marks_id == last + 13
    _, _, audit, held = _server_state(database_url, a.store.device_id)
    cursor = a.store.get_setting(AUDIT_CURSOR)
    here = {r["id"]: (r["action"], r["at"]) for r in a.store.query(
        "SELECT id, action, at FROM audit_log WHERE id <= ?", (cursor,))}
    assert held == 0 and {k: audit[k] for k in here} == here and marks_id in here
    assert set(audit) - set(here) == {last + 10, last + 11, last + 12}
