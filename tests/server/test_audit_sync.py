"""The laptops' audit logs reach the branch server, exactly once, and only supervisors read them."""

from __future__ import annotations

import httpx

from bpjs_field.server.db import ServerDatabase


def _server_audit(url: str, device_id: str) -> list[tuple]:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return tx.rows("SELECT local_id, action, details FROM audit WHERE device_id = ? "
                           "ORDER BY local_id", (device_id,))
    finally:
        db.close()


def test_audit_log_is_gathered_on_the_server(shared_server, shared_database_url, laptops):
    a, boss = laptops(2)
    a.enroll(shared_server.url, "KC-0430")  # an officer's laptop
    boss.enroll(shared_server.url, "SPV-01")
    a.event()
    a.register_many(range(9100, 9105))
    first = a.sync()
    laptop_rows = a.store.query("SELECT id, action, details FROM audit_log WHERE id <= "
                                "(SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sync.audit_cursor') "
                                "ORDER BY id")
    server_rows = _server_audit(shared_database_url, a.store.device_id)
    assert first.audit_sent == len(laptop_rows) > 10
    assert [(r["id"], r["action"], r["details"]) for r in laptop_rows] == [tuple(r) for r in server_rows]
    assert all("3216" not in r[2] for r in server_rows)  # ids and codes only, no NIK
    # a resend (the cursor lost, as after a restore) stores nothing twice
    a.store.set_setting("sync.audit_cursor", 0)
    again = a.sync()
    assert again.audit_sent <= 2  # only the entries written since (the previous sync's own)
    assert len(_server_audit(shared_database_url, a.store.device_id)) == len(set(
        r[0] for r in _server_audit(shared_database_url, a.store.device_id)))
    # supervisors read it; officers may not
    def get(laptop):
        token = laptop.store.get_setting("sync.device_token")
        return httpx.get(f"{shared_server.url}/v1/audit", headers={"Authorization": f"Bearer {token}"})
    assert get(a).status_code == 403
    listing = get(boss)
    assert listing.status_code == 200
    assert any(row["action"] == "registration.create" for row in listing.json())


def test_audit_push_of_another_device_is_refused(shared_server, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    token = a.store.get_setting("sync.device_token")
    body = {"device_id": b.store.device_id,
            "entries": [{"local_id": 1, "at": "2026-11-22T00:00:00+00:00", "action": "x"}]}
    answer = httpx.post(f"{shared_server.url}/v1/audit", json=body,
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
