"""Changes carried by hand reach the branch exactly once, whoever delivers them: laptop A
exports, laptop B (and C) import and sync, A syncs; every change of A's is on the server once,
nothing is pending anywhere and nothing stays in quarantine.  A carried change altered on
the way is kept aside and listed for supervisors; the original still arrives."""

from __future__ import annotations

import json

import httpx
import pytest

from bpjs_field.handcarry import export_changes, import_changes, import_into_server, read_file
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.pull import server_digest
from bpjs_field.sync.digest import laptop_digest
from harness import at_event, run_cli, server_rows

PASSPHRASE = "pasar-malam-2026"



def _digest(url: str) -> dict:
    db = ServerDatabase(url)
    try:
        return server_digest(db)
    finally:
        db.close()


def _check_all_delivered_once(url: str, laptop, change_ids: list[str]) -> None:
    rows = dict(server_rows(url, "SELECT change_id, outcome FROM applied_changes"))
    assert all(cid in rows for cid in change_ids)
    assert not [cid for cid in change_ids if rows[cid] == "quarantined"]
    assert server_rows(url, "SELECT count(*) FROM quarantine")[0][0] == 0
    digest = _digest(url)
    mine = laptop_digest(laptop.store)
    # A's people, registrations and check-ins are on the server, each once (codes are unique
    # on the server, so a second copy would be a second row).
    codes = {r["code"] for r in laptop.store.query("SELECT code FROM registrations")}
    server_codes = [json.loads(r[0])["code"] for r in server_rows(
        url, "SELECT data FROM docs WHERE entity = 'registration' AND deleted = 0")]
    assert codes <= set(server_codes) and len(server_codes) == len(set(server_codes))
    assert digest["people"] >= mine["people"] and digest["registrations"] >= mine["registrations"]


@pytest.mark.parametrize("route", ["forwarded", "twice", "two_laptops", "origin_never_synced",
                                   "re_exported_into_server"])
def test_carried_changes_arrive_once_whoever_delivers_them(route, server, database_url, laptops,
                                                            tmp_path):
    a, b, c = laptops(3)
    a.enroll(server.url, "KC-0421")
    b.enroll(server.url, "KC-0422")
    c.enroll(server.url, "KC-0423")
    a.event()
    if route != "origin_never_synced":
        a.sync()  # A has reached the branch once (its key is known there), then goes offline
    b.sync()
    c.sync()
    a.register_many(range(8600, 8620), check_in=True)
    change_ids = [r["change_id"] for r in a.store.query(
        "SELECT change_id FROM change_log WHERE sent_at IS NULL")]
    usb = tmp_path / "acara.bpjsf"
    export_changes(a.store, usb, PASSPHRASE)
    assert all(ch["origin_sig"] for ch in read_file(usb, PASSPHRASE).changes)

    import_changes(b.store, usb, PASSPHRASE)
    if route == "re_exported_into_server":
        # B carries A's changes on in a file of its own, imported straight into the server.
        onward = tmp_path / "lanjutan.bpjsf"
        export_changes(b.store, onward, PASSPHRASE)
        counts = import_into_server(database_url, onward, PASSPHRASE)
        assert counts["quarantined"] == 0 and counts["applied"] == len(change_ids)
    first = b.sync()
    if route == "origin_never_synced":
        # The server cannot check A's signature yet: kept aside, not delivered.
        assert first.quarantined > 0 and b.store.pending_changes() > 0
    else:
        assert first.quarantined == 0 and b.store.pending_changes() == 0
        if route == "re_exported_into_server":
            assert first.pushed == 0
        # Delivered by B: on the server before A is back.
        _check_all_delivered_once(database_url, a, change_ids)
    if route == "twice":
        import_changes(b.store, usb, PASSPHRASE)  # nothing new is queued
        assert b.sync().pushed == 0
    if route == "two_laptops":
        import_changes(c.store, usb, PASSPHRASE)
        second = c.sync()
        assert second.pushed == 0 and second.quarantined == 0 and second.duplicates > 0

    result = a.sync()  # A comes back: its own copies are duplicates, or applied now
    assert result.quarantined == 0 and a.store.pending_changes() == 0
    if route == "origin_never_synced":
        assert result.pushed > 0
    else:
        assert result.pushed == 0 and result.duplicates == len(change_ids)
    for laptop in (b, c):
        laptop.sync()
        assert laptop.store.pending_changes() == 0
    _check_all_delivered_once(database_url, a, change_ids)
    a.sync()
    assert laptop_digest(a.store) == laptop_digest(b.store) == laptop_digest(c.store)
    assert laptop_digest(a.store) == _digest(database_url)


def test_a_carried_change_altered_on_the_way_is_kept_aside_and_listed(server, database_url,
                                                                      laptops, tmp_path):
    a, b = at_event(laptops(2), server.url)
    person_id = a.register(8650).person["id"]
    usb = tmp_path / "acara.bpjsf"
    export_changes(a.store, usb, PASSPHRASE)
    import_changes(b.store, usb, PASSPHRASE)
    # Someone changes the phone in B's queue on the way to the server.
    row = b.store.query_one("SELECT seq, payload FROM change_log WHERE entity = 'person' "
                            "AND entity_id = ?", (person_id,))
    payload = json.loads(row["payload"])
    payload["phone"] = "+6285799998888"
    with b.store.write():
        b.store.db.execute("UPDATE change_log SET payload = ? WHERE seq = ?",
                           (json.dumps(payload), row["seq"]))
    result = b.sync()
    assert result.quarantined == 2  # the person, and its registration that needs it
    reason = b.store.scalar("SELECT refused_reason FROM change_log WHERE seq = ?", (row["seq"],))
    assert reason == "quarantined push.origin_bad_signature"  # not counted as sent

    # Supervisors see it, with what to do (endpoint and command line); officers do not.
    token = b.store.get_setting("sync.device_token")
    listed = httpx.get(f"{server.url}/v1/quarantine",
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert sorted(q["reason"] for q in listed) == ["push.origin_bad_signature",
                                                   "registration.unknown_person"]
    assert all(q["what_to_do"] and "payload" not in q for q in listed)
    assert all(q["made_by"].endswith(f"({a.store.device_tag})") for q in listed)
    assert all(q["delivered_by"].endswith(f"({b.store.device_tag})") for q in listed)
    (officer,) = laptops(1)
    officer.enroll(server.url, "KC-0430")
    refused = httpx.get(f"{server.url}/v1/quarantine", headers={
        "Authorization": f"Bearer {officer.store.get_setting('sync.device_token')}"})
    assert refused.status_code == 403
    cli = run_cli("server-quarantine", "--database-url", database_url)
    assert cli.returncode == 0 and "push.origin_bad_signature" in cli.stdout
    assert "8888" not in cli.stdout

    a.sync()  # the original arrives from A itself: applied, and the person keeps A's phone
    phone = server_rows(database_url, "SELECT data FROM docs WHERE entity = 'person' AND id = ?",
                    (person_id,))[0][0]
    assert "+6285799998888" not in phone
    assert a.store.pending_changes() == 0
    assert server_rows(database_url, "SELECT count(*) FROM quarantine")[0][0] == 0


def test_a_carried_change_has_its_origin_laptops_authority_not_the_deliverers(
        server, database_url, laptops, tmp_path):
    """An officer's laptop edits a person's phone offline; a supervisor's laptop carries the
    change to the branch: it counts as the officer's (blank fields only), not as a
    supervisor's."""
    officer, supervisor = laptops(2)
    officer.enroll(server.url, "KC-0430")
    supervisor.enroll(server.url, "KC-0421")
    supervisor.event()
    person_id = supervisor.register(8670).person["id"]
    supervisor.sync()
    officer.sync()
    officer.store.people.update(person_id, {"phone": "0857-2222-3333", "email": "rina@contoh.id"})
    usb = tmp_path / "petugas.bpjsf"
    export_changes(officer.store, usb, PASSPHRASE)
    import_changes(supervisor.store, usb, PASSPHRASE)
    result = supervisor.sync()
    assert result.quarantined == 0
    data = json.loads(server_rows(database_url, "SELECT data FROM docs WHERE entity = 'person' "
                                            "AND id = ?", (person_id,))[0][0])
    assert data["phone"] != "+6285722223333"  # what was there stays
    assert data["email"] == "rina@contoh.id"  # a blank field is completed
