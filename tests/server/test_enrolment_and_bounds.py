"""Enrolment binds a server-issued device id to its token; every input has bounds (no 5xx)."""

from __future__ import annotations

import json

import httpx
import pytest

from bpjs_field.sync.client import SyncError
from harness import server_rows, PASSWORD


def _auth(laptop) -> dict:
    return {"Authorization": f"Bearer {laptop.store.get_setting('sync.device_token')}"}



def test_server_issues_the_device_id_and_unsent_changes_follow_it(server, database_url, laptops):
    (laptop,) = laptops(1)
    laptop.event()
    laptop.register(1)
    own_id = laptop.store.device_id
    laptop.enroll(server.url, "KC-0421")
    issued = laptop.store.device_id
    assert issued != own_id
    assert server_rows(database_url, "SELECT id FROM devices") == [(issued,)]
    # Changes made before enrolment are sent under the issued id and applied, not quarantined.
    result = laptop.sync(server.url)
    assert result.pushed >= 3 and laptop.store.pending_changes() == 0
    assert server_rows(database_url, "SELECT count(*) FROM quarantine") == [(0,)]
    # Renewing the enrolment (same server, current token) keeps the id and issues a new token.
    old_token = laptop.store.get_setting("sync.device_token")
    laptop.enroll(server.url, "KC-0421")
    assert laptop.store.device_id == issued
    assert laptop.store.get_setting("sync.device_token") != old_token
    assert httpx.get(f"{server.url}/v1/digest",
                     headers={"Authorization": f"Bearer {old_token}"}).status_code == 401


def test_enrolment_naming_another_laptops_device_is_refused_and_audited(server, database_url,
                                                                         laptops):
    owner, intruder = laptops(2)
    owner.enroll(server.url, "KC-0421")
    victim = owner.store.device_id
    # The officer read the id in pulled rows and names it, with their own valid password.
    body = {"employee_no": "KC-0430", "password": PASSWORD, "device_id": victim,
            "device_tag": "ABCD"}
    r = httpx.post(f"{server.url}/v1/enroll", json=body)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "enroll.device_taken"
    # Another device's token does not open it either.
    intruder.enroll(server.url, "KC-0430")
    r = httpx.post(f"{server.url}/v1/enroll", json=body, headers=_auth(intruder))
    assert r.status_code == 409
    # The owner keeps working and nothing about the device changed.
    assert httpx.get(f"{server.url}/v1/digest", headers=_auth(owner)).status_code == 200
    audit = server_rows(database_url, "SELECT device_id, action, entity_id FROM audit "
                                "WHERE action = 'enroll.device_taken'")
    assert audit == [("server", "enroll.device_taken", victim)] * 2
    # The laptop's own client turns the refusal into a plain message.
    intruder.store.set_setting("device_id", victim)
    intruder.store.device_id = victim
    from bpjs_field.sync.engine import enroll
    with pytest.raises(SyncError) as caught:
        enroll(intruder.store, intruder.http, server.url, "KC-0430", PASSWORD)
    assert caught.value.code == "sync.device_taken"


@pytest.mark.parametrize("params", [{"cursor": 2**63}, {"cursor": 2**64}, {"cursor": -1},
                                    {"cursor": "1e3"}, {"limit": 2**63}, {"limit": 0}])
def test_pull_parameters_out_of_bounds_are_422(shared_server, laptops, params):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    r = httpx.get(f"{shared_server.url}/v1/pull", params=params, headers=_auth(laptop))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "request.invalid"


def test_pull_at_the_largest_cursor_is_an_empty_page(shared_server, laptops):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    r = httpx.get(f"{shared_server.url}/v1/pull", params={"cursor": 2**63 - 1},
                  headers=_auth(laptop))
    assert r.status_code == 200 and r.json()["items"] == []


def _change(device: str, **payload) -> dict:
    return {"change_id": "c-1", "seq": 1, "entity": "event", "entity_id": "e-1", "op": "upsert",
            "payload": payload or {"title": "x"}, "hlc": f"0001795000000000-000000-{device}",
            "created_at": "2026-11-22T00:00:00+00:00"}


@pytest.mark.parametrize("body", [
    lambda d: {"device_id": d, "entries": [{"local_id": 2**64, "at": "x", "action": "a"}]},
    lambda d: {"device_id": d, "entries": [{"local_id": 2**63, "at": "x", "action": "a"}]},
    lambda d: {"device_id": d, "entries": [{"local_id": 1, "at": "x\u0000", "action": "a"}]},
])
def test_audit_out_of_bounds_is_422(shared_server, laptops, body):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    r = httpx.post(f"{shared_server.url}/v1/audit", json=body(laptop.store.device_id),
                   headers=_auth(laptop))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "request.invalid"


@pytest.mark.parametrize("raw", [
    '{{"device_id":"{d}","cursor":{big},"changes":[{c}]}}',
    '{{"device_id":"{d}","cursor":0,"changes":[{c_nan}]}}',
    '{{"device_id":"{d}","cursor":0,"changes":[{c_nul}]}}',
    '{{"device_id":"{d}","cursor":0,"changes":[{c_seq}]}}',
])
def test_push_values_out_of_bounds_are_422_and_change_nothing(shared_server,
                                                              shared_database_url, laptops, raw):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    d = laptop.store.device_id
    before = server_rows(shared_database_url, "SELECT count(*) FROM docs")
    text = raw.format(
        d=d, big=2**63, c=json.dumps(_change(d)),
        c_nan=json.dumps(_change(d, title=float("nan"))),
        c_nul=json.dumps(_change(d, title="a\u0000b")),
        c_seq=json.dumps({**_change(d), "seq": 2**63}))
    r = httpx.post(f"{shared_server.url}/v1/push", content=text.encode(),
                   headers={**_auth(laptop), "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "request.invalid"
    assert server_rows(shared_database_url, "SELECT count(*) FROM docs") == before


@pytest.mark.parametrize("path", ["/v1/push", "/v1/audit", "/v1/enroll"])
def test_deeply_nested_or_unreadable_bodies_get_the_standard_error(shared_server, laptops, path):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
                 b"\xff\xfe", b'{"cursor": 1' + b"0" * 5000 + b"}"):
        r = httpx.post(f"{shared_server.url}{path}", content=body,
                       headers={**_auth(laptop), "Content-Type": "application/json"})
        assert 400 <= r.status_code < 500, (path, r.status_code)
        error = r.json()["error"]
        assert error["code"] == "request.invalid" and error["message"]


def test_unknown_paths_and_methods_get_the_standard_error(shared_server):
    r = httpx.get(f"{shared_server.url}/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "request.not_found"
    r = httpx.delete(f"{shared_server.url}/v1/push")
    assert r.status_code == 405 and r.json()["error"]["code"] == "request.method_not_allowed"
