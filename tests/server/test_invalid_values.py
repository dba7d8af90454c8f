"""One bad value cannot stop a branch: the server refuses what the laptops' domain rules
refuse (one definition, bpjs_field/domain/records.py), and a laptop's pull sets aside a
row it cannot apply, with its reason, and applies everything else."""

from __future__ import annotations

import json

import httpx
import pytest

from bpjs_field.domain.records import check_row, check_values
from bpjs_field.server.db import ServerDatabase
from bpjs_field.store.set_aside import set_aside_rows
from harness import run_cli


def _auth(laptop) -> dict:
    return {"Authorization": f"Bearer {laptop.store.get_setting('sync.device_token')}"}


def _tamper(laptop, person_id: str, **values) -> None:
    """The laptop's unsent change of a person, altered as a broken or hostile client would."""
    row = laptop.store.query_one("SELECT seq, payload FROM change_log WHERE entity = 'person' "
                                 "AND entity_id = ? AND sent_at IS NULL", (person_id,))
    payload = {**json.loads(row["payload"]), **values}
    laptop.store.db.execute("UPDATE change_log SET payload = ? WHERE seq = ?",
                            (json.dumps(payload), row["seq"]))


def test_domain_rules_refuse_what_the_laptop_schema_refuses():
    assert check_values("person", {"sex": "Z"}) == [("sex", "sex.invalid")]
    assert check_values("person", {"phone": "0812-1111-2222"}) == [("phone", "phone.invalid")]
    assert check_values("person", {"nik": "3216090101700001"}) == []
    assert check_values("person", {"full_name": None}) == [("full_name", "required")]
    assert check_values("person", {"district_code": "=cmd|calc!A0"}) == [("district_code",
                                                                          "code.invalid")]
    assert check_values("registration", {"segment": "xyz", "monthly_total": -1}) == [
        ("segment", "segment.invalid"), ("monthly_total", "out_of_range")]
    assert ("created_at", "required") in check_row("person", {"full_name": "A", "nik": "1"})


def test_a_registrations_payer_scale_and_amount_due_are_checked_as_the_form_makes_them():
    assert check_values("registration", {"payer_name": "Pemerintah Kabupaten Bekasi",
                                         "employer_scale": "menengah", "amount_due": 50_400}) == []
    assert check_values("registration", {"payer_name": "x" * 121, "employer_scale": "raksasa",
                                         "amount_due": -1}) == [
        ("payer_name", "too_long"), ("employer_scale", "employer_scale.unknown"),
        ("amount_due", "out_of_range")]
    assert check_values("registration", {"payer_name": "Dinas\x00", "amount_due": "50400",
                                         "employer_scale": 3}) == [
        ("payer_name", "text.control"), ("amount_due", "type.integer"),
        ("employer_scale", "employer_scale.unknown")]
    assert check_values("person", {"merged_into": "'; DROP TABLE docs; --"}) == [
        ("merged_into", "id.invalid")]


@pytest.mark.parametrize("values, field", [({"sex": "Z"}, "sex"), ({"birth_date": "2099-13-40"},
                                           "birth_date"), ({"phone": "+1 555 0100"}, "phone")])
def test_server_refuses_a_bad_value_and_the_laptop_parks_only_that_change(
        shared_server, shared_database_url, laptops, values, field):
    (a,) = laptops(1)
    a.enroll(shared_server.url, "KC-0421")
    a.event()
    bad = a.register(9101).person
    good = a.register(9102).person
    _tamper(a, bad["id"], **values)
    a.sync()
    parked = a.store.query("SELECT entity, entity_id, payload, refused_reason FROM change_log "
                           "WHERE refused_at IS NOT NULL ORDER BY seq")
    # The refused person, and what hangs on it: its registration, which the server keeps
    # aside (quarantined is not delivered, so the laptop holds it too); nothing of the other.
    assert [r["entity_id"] for r in parked if r["entity"] == "person"] == [bad["id"]]
    held = [r for r in parked if r["entity"] != "person"]
    assert all(r["entity"] == "registration" and bad["id"] in r["payload"] for r in held), held
    reason = parked[0]["refused_reason"]
    assert "push.invalid_value" in reason and field in reason
    for text in values.values():
        assert text not in reason  # reasons name fields, never values
    db = ServerDatabase(shared_database_url)
    try:
        with db.read() as tx:
            stored = {r[0] for r in tx.rows("SELECT id FROM docs WHERE entity = 'person'")}
    finally:
        db.close()
    assert good["id"] in stored and bad["id"] not in stored


def test_push_refusal_names_change_and_field(shared_server, laptops):
    (a,) = laptops(1)
    a.enroll(shared_server.url, "KC-0421")
    d = a.store.device_id
    change = {"change_id": "c-z", "seq": 1, "entity": "person", "entity_id": "p-z",
              "op": "upsert", "hlc": f"0001795000000000-000000-{d}",
              "created_at": "2026-11-22T00:00:00+00:00",
              "payload": {"full_name": "Siti", "nik": "3216090101700001", "sex": "Z",
                          "created_device": d, "created_at": "2026-11-22T00:00:00+00:00"}}
    r = httpx.post(f"{shared_server.url}/v1/push", json={"device_id": d, "changes": [change]},
                   headers=_auth(a))
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "push.invalid_value"
    assert error["details"] == [{"loc": ["body", "changes", 0, "payload", "sex"],
                                 "msg": "sex.invalid"}]
    # A new row without what every laptop must store is refused the same way.
    del change["payload"]["created_at"]
    change["payload"]["sex"] = "L"
    r = httpx.post(f"{shared_server.url}/v1/push", json={"device_id": d, "changes": [change]},
                   headers=_auth(a))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["loc"][-1] == "created_at"


def _poison(url: str, person_id: str, **values) -> None:
    """A row that reached the server before it checked values (or by another path)."""
    db = ServerDatabase(url)
    try:
        with db.write() as tx:
            data = json.loads(tx.scalar("SELECT data FROM docs WHERE entity = 'person' AND id = ?",
                                        (person_id,)))
            rev = tx.lock_revisions() + 1
            tx.execute("UPDATE docs SET data = ?, rev = ? WHERE entity = 'person' AND id = ?",
                       (json.dumps({**data, **values}), rev, person_id))
            tx.store_revision(rev)
    finally:
        db.close()


def test_pull_sets_a_bad_row_aside_and_applies_everything_else(server, database_url, laptops,
                                                                 tmp_path):
    a, b, spv = laptops(3)
    a.enroll(server.url, "KC-0421")
    a.event()
    bad = a.register(9201).person
    bad_code = a.store.query_one("SELECT code FROM registrations WHERE person_id = ?",
                                 (bad["id"],))["code"]
    a.register_many(range(9202, 9212))
    a.sync()
    _poison(database_url, bad["id"], sex="Z")
    # A new laptop receives everything but the bad row and the registration hanging on it.
    b.enroll(server.url, "KC-0430")
    b.sync()
    assert b.store.scalar("SELECT count(*) FROM people") == 10
    assert b.store.scalar("SELECT count(*) FROM registrations") == 10
    assert not b.store.scalar("SELECT 1 FROM registrations WHERE code = ?", (bad_code,))
    aside = set_aside_rows(b.store)
    assert {(r["entity"], r["id"]) for r in aside} >= {("person", bad["id"])}
    reasons = {r["entity"]: r["reason"] for r in aside}
    assert reasons["person"] == "person.sex: sex.invalid"
    assert reasons["registration"] == "registration.person_id: waiting"  # held whole
    # Later rows keep coming: the pull is never stuck on the bad one.
    a.register(9212)
    a.sync()
    b.sync()
    assert b.store.scalar("SELECT count(*) FROM people") == 11
    # The command line lists what was set aside.
    out = run_cli("sync", db=b.path, env={"BPJS_FIELD_NO_DEMO": "1"})
    assert "set_aside=2" in out.stdout
    assert "person.sex: sex.invalid" in out.stderr
    # Supervisors see it in the branch's audit log.
    spv.enroll(server.url, "SPV-01")
    audit = httpx.get(f"{server.url}/v1/audit", headers=_auth(spv)).json()
    seen = {(e["entity"], e["entity_id"]) for e in audit if e["action"] == "sync.row_set_aside"}
    assert ("person", bad["id"]) in seen
    # Once the branch corrects the row it applies, and the registration held here waiting
    # for it applies with it (the branch need not send it again); both leave the list.
    _poison(database_url, bad["id"], sex="P")
    b.sync()
    assert b.store.scalar("SELECT sex FROM people WHERE id = ?", (bad["id"],)) == "P"
    assert b.store.scalar("SELECT 1 FROM registrations WHERE code = ?", (bad_code,))
    assert set_aside_rows(b.store) == []
    assert b.store.scalar("SELECT count(*) FROM held_rows") == 0
