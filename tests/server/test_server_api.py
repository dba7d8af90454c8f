"""The branch server's HTTP surface: health, OpenAPI, enrolment, validation, revocation."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.accounts import revoke_device
from bpjs_field.sync.client import SyncError
from harness import PASSWORD


def _count(url: str, sql: str) -> int:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return tx.scalar(sql)
    finally:
        db.close()


def test_health_openapi_and_server_time(shared_server, shared_database_url):
    r = httpx.get(f"{shared_server.url}/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"] == ("postgresql" if shared_database_url.startswith("postgresql") else "sqlite")
    assert "x-server-time" in r.headers
    spec = httpx.get(f"{shared_server.url}/openapi.json").json()
    assert {"/v1/push", "/v1/pull", "/v1/enroll", "/v1/health"} <= set(spec["paths"])
    push_schema = spec["paths"]["/v1/push"]["post"]["requestBody"]["content"]["application/json"]
    assert push_schema["schema"]["$ref"].endswith("PushRequest")


def test_enroll_refuses_wrong_password_and_issues_hashed_token(server, database_url, laptops):
    (laptop,) = laptops(1)
    with pytest.raises(SyncError) as caught:
        from bpjs_field.sync.engine import enroll
        enroll(laptop.store, laptop.http, server.url, "KC-0421", "wrong-password")
    assert caught.value.code == "sync.bad_credentials"
    assert laptop.store.get_setting("sync.device_token") is None
    laptop.enroll(server.url, "KC-0421")
    token = laptop.store.get_setting("sync.device_token")
    assert token and len(token) >= 40
    # The server keeps only a hash of the token.
    assert _count(database_url, "SELECT count(*) FROM devices") == 1
    db = ServerDatabase(database_url)
    with db.read() as tx:
        stored = tx.scalar("SELECT token_hash FROM devices")
    db.close()
    assert stored != token and len(stored) == 64


def test_duplicate_device_tag_gets_a_new_tag(shared_server, laptops):
    a, b = laptops(2)
    b.store.set_setting("device_tag", a.store.device_tag)
    b.store.device_tag = a.store.device_tag
    a.enroll(shared_server.url, "KC-0421")
    result = b.enroll(shared_server.url, "KC-0422")
    assert result["device_tag"] != a.store.device_tag
    assert b.store.device_tag == result["device_tag"]
    b.event()
    reg = b.register(1).registration
    assert reg["code"].startswith(result["device_tag"])


def _auth(laptop) -> dict:
    return {"Authorization": f"Bearer {laptop.store.get_setting('sync.device_token')}"}


def test_malformed_and_oversized_requests_change_nothing(server, database_url, laptops):
    (laptop,) = laptops(1)
    laptop.enroll(server.url, "KC-0421")
    before = _count(database_url, "SELECT count(*) FROM docs")
    good = {"change_id": str(uuid.uuid4()), "seq": 1, "entity": "event", "entity_id": "e1",
            "op": "upsert", "payload": {"title": "x"}, "hlc": "0001795000000000-000000-dev",
            "created_at": "2026-11-22T00:00:00Z"}
    bad_bodies = [
        b"{not json",
        json.dumps({"device_id": laptop.store.device_id, "changes": []}).encode(),  # no changes
        json.dumps({"device_id": laptop.store.device_id,
                    "changes": [{**good, "entity": "spaceship"}]}).encode(),
        json.dumps({"device_id": laptop.store.device_id,
                    "changes": [{**good, "payload": {"title": "x" * 9000}}]}).encode(),
        json.dumps({"device_id": laptop.store.device_id,
                    "changes": [{**good, "hlc": "yesterday"}]}).encode(),
        json.dumps({"device_id": laptop.store.device_id, "changes": [good] * 2001}).encode(),
    ]
    for body in bad_bodies:
        r = httpx.post(f"{server.url}/v1/push", content=body,
                       headers={**_auth(laptop), "Content-Type": "application/json"})
        assert r.status_code == 422, r.text[:200]
        assert r.json()["error"]["code"] == "request.invalid"
        assert "x" * 100 not in r.text  # refused values are not echoed back
    huge = b'{"device_id":"a","changes":[' + b" " * (9 * 1024 * 1024) + b"]}"
    r = httpx.post(f"{server.url}/v1/push", content=huge,
                   headers={**_auth(laptop), "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "request.too_large"
    r = httpx.post(f"{server.url}/v1/push", json={"device_id": laptop.store.device_id,
                                                 "changes": [good]})
    assert r.status_code == 401
    r = httpx.get(f"{server.url}/v1/pull", params={"cursor": -1}, headers=_auth(laptop))
    assert r.status_code == 422
    assert _count(database_url, "SELECT count(*) FROM docs") == before
    assert _count(database_url, "SELECT count(*) FROM applied_changes") == 0


def test_revoked_device_is_refused_with_a_plain_message(server, database_url, laptops):
    (laptop,) = laptops(1)
    laptop.enroll(server.url, "KC-0421")
    laptop.event()
    laptop.register(1)
    db = ServerDatabase(database_url)
    assert revoke_device(db, laptop.store.device_id)
    db.close()
    pending = laptop.store.pending_changes()
    with pytest.raises(SyncError) as caught:
        laptop.sync()
    assert caught.value.code == "sync.revoked"
    assert not caught.value.retryable
    assert "dicabut" in caught.value.message()
    assert "revoked" in caught.value.message("en")
    assert laptop.store.pending_changes() == pending
    assert laptop.store.get_setting("sync.last_error")["code"] == "sync.revoked"
    from bpjs_field.sync.engine import enroll
    with pytest.raises(SyncError) as again:
        enroll(laptop.store, laptop.http, server.url, "KC-0421", PASSWORD)
    assert again.value.code == "sync.revoked"


def test_conflicts_are_for_supervisors(shared_server, laptops):
    a, s = laptops(2)
    a.enroll(shared_server.url, "KC-0430")  # an officer's laptop
    s.enroll(shared_server.url, "SPV-01")
    assert httpx.get(f"{shared_server.url}/v1/conflicts", headers=_auth(a)).status_code == 403
    r = httpx.get(f"{shared_server.url}/v1/conflicts", headers=_auth(s))
    assert r.status_code == 200 and r.json() == []
