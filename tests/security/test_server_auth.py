"""The branch server refuses what a stranger or another laptop sends: no token, a made-up
token, a revoked laptop's token, another laptop's token for this laptop's device id, and
changes stamped by another device.  A real server process on 127.0.0.1, over SQLite and over PostgreSQL."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from harness import BACKENDS, Laptop, ServerProcess, empty_database_url, setup_database  # noqa: E402

from bpjs_field.server.accounts import revoke_device  # noqa: E402
from bpjs_field.server.db import ServerDatabase  # noqa: E402


@pytest.fixture(scope="module", params=BACKENDS)
def branch(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("branch")
    url = empty_database_url(request, folder)
    setup_database(url, ("KC-0421", "officer"), ("KC-0422", "officer"))
    server = ServerProcess(url).start()
    a, b = Laptop(folder / "a.sqlite3"), Laptop(folder / "b.sqlite3")
    a.enroll(server.url, "KC-0421")
    b.enroll(server.url, "KC-0422")
    yield server, url, a, b
    a.close()
    b.close()
    server.stop()


@pytest.fixture(params=BACKENDS)
def revocable(request, tmp_path):
    """A branch server of its own (the test revokes its laptop) and one enrolled laptop."""
    url = empty_database_url(request, tmp_path)
    setup_database(url, ("KC-0421", "officer"))
    server = ServerProcess(url).start()
    laptop = Laptop(tmp_path / "a.sqlite3")
    try:
        laptop.enroll(server.url, "KC-0421")
        yield url, server, laptop
    finally:
        laptop.close()
        server.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def change(device_id: str, hlc_device: str) -> dict:
    event_id = str(uuid.uuid4())
    return {"change_id": str(uuid.uuid4()), "seq": 1, "entity": "event", "entity_id": event_id,
            "op": "upsert", "payload": {"id": event_id, "kind": "senam_bersama", "title": "Acara",
                                        "starts_at": "2026-11-22T06:30:00+07:00", "device_id": device_id},
            "hlc": f"0001795000000000-000000-{hlc_device}", "created_at": "2026-11-22T00:00:00.000+00:00"}


def docs(url: str) -> int:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return tx.scalar("SELECT count(*) FROM docs")
    finally:
        db.close()


@pytest.mark.parametrize("headers", [{}, bearer("-"), bearer("x" * 43), bearer("' OR 1=1 --"),
                                     {"Authorization": "Basic S0MtMDQyMTpyYWhhc2lh"}])
def test_requests_without_a_valid_token_are_refused(branch, headers):
    server, url, a, _b = branch
    before = docs(url)
    for method, path, body in (("GET", "/v1/pull?cursor=0", None), ("GET", "/v1/digest", None),
                               ("POST", "/v1/push", {"device_id": a.store.device_id, "cursor": 0,
                                                     "changes": [change(a.store.device_id, a.store.device_id)]})):
        r = httpx.request(method, server.url + path, json=body, headers=headers, timeout=10)
        assert r.status_code == 401, (path, r.status_code)
        assert r.json()["error"]["code"].startswith("auth.")
    assert docs(url) == before


def test_another_laptops_token_cannot_push_for_this_laptop(branch):
    server, url, a, b = branch
    before = docs(url)
    r = httpx.post(server.url + "/v1/push", headers=bearer(b.store.get_setting("sync.device_token")),
                   json={"device_id": a.store.device_id, "cursor": 0,
                         "changes": [change(a.store.device_id, a.store.device_id)]}, timeout=10)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "push.device_mismatch"
    assert docs(url) == before


def test_a_revoked_laptops_token_is_refused(revocable):
    url, server, laptop = revocable
    token = laptop.store.get_setting("sync.device_token")
    assert httpx.get(server.url + "/v1/digest", headers=bearer(token), timeout=10).status_code == 200
    db = ServerDatabase(url)
    assert revoke_device(db, laptop.store.device_id)
    db.close()
    r = httpx.get(server.url + "/v1/pull?cursor=0", headers=bearer(token), timeout=10)
    assert r.status_code == 403 and r.json()["error"]["code"] == "auth.device_revoked"


def test_changes_stamped_by_another_device_are_not_applied(branch):
    """Laptop B, with its own valid token, sends a well-formed change whose hybrid-clock
    stamp names laptop A: the server must not store it as A's work."""
    import json
    server, url, a, b = branch
    b.event(str(uuid.uuid4()))
    row = b.store.query_one("SELECT * FROM change_log WHERE entity = 'event' ORDER BY seq DESC LIMIT 1")
    forged = {"change_id": str(uuid.uuid4()), "seq": row["seq"], "entity": "event",
              "entity_id": row["entity_id"], "op": "upsert", "payload": json.loads(row["payload"]),
              "hlc": "-".join(row["hlc"].split("-", 2)[:2]) + "-" + a.store.device_id,
              "created_at": row["created_at"]}
    before = docs(url)
    r = httpx.post(server.url + "/v1/push", headers=bearer(b.store.get_setting("sync.device_token")),
                   json={"device_id": b.store.device_id, "cursor": 0, "changes": [forged]}, timeout=10)
    assert r.status_code in (200, 403, 422)
    if r.status_code == 200:
        assert r.json()["applied"] == 0 and r.json()["quarantined"] == 1
    assert docs(url) == before


def test_a_revoked_laptop_wipes_its_synced_personal_data_and_says_so(revocable):
    from bpjs_field.security.revocation import WIPE_SETTING
    from bpjs_field.sync.client import SyncError
    url, server, laptop = revocable
    laptop.event()
    synced = laptop.register(1).person
    laptop.sync()
    unsent = laptop.register(2).person  # made after the last sync: exists only here
    db = ServerDatabase(url)
    assert revoke_device(db, laptop.store.device_id)
    db.close()
    with pytest.raises(SyncError) as caught:
        laptop.sync()
    assert caught.value.code == "sync.revoked"
    assert "dihapus" in caught.value.message() and "removed" in caught.value.message("en")
    store = laptop.store
    gone = store.people.get(synced["id"])
    assert gone["nik"] is None and gone["phone"] is None and gone["erased_at"]
    assert synced["id"] not in [h["id"] for h in store.search_index.search(synced["full_name"], 20)]
    kept = store.people.get(unsent["id"])
    assert kept["nik"] == unsent["nik"]
    assert store.get_setting(WIPE_SETTING)["wiped"] == 1
    assert store.scalar("SELECT count(*) FROM registrations") == 2
    payloads = " ".join(r["payload"] for r in store.query("SELECT payload FROM change_log"))
    assert synced["nik"] not in payloads
    # the server keeps its copy: the wipe is not an erasure request
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            assert tx.scalar("SELECT count(*) FROM docs WHERE entity = 'person'") == 1
    finally:
        db.close()


def test_consent_travels_to_the_server_and_back_to_another_laptop(branch):
    server, url, a, b = branch
    a.event()
    reg = a.register(7).registration
    assert reg["consent_version"] == "2026-01" and reg["consent_at"]
    a.sync(server.url)
    b.sync(server.url)
    pulled = b.store.registrations.by_code(reg["code"])
    assert pulled is not None
    assert (pulled["consent_version"], pulled["consent_at"]) == (reg["consent_version"], reg["consent_at"])
