"""Registration codes belong to the laptop whose device tag they start with: a hand-made push
claiming another laptop's code is refused whole with its own reason, on a real server on
127.0.0.1 (SQLite and PostgreSQL), and the laptop that owns the code delivers it as always;
codes carried on a USB file count for the laptop that made them."""

from __future__ import annotations

import json

import httpx

from bpjs_field.domain.codes import make_code
from bpjs_field.handcarry import export_changes, import_changes, import_into_server
from bpjs_field.store.store import new_id
from harness import at_event, server_rows

PASSPHRASE = "pasar-malam-2026"


def auth(laptop) -> dict:
    return {"Authorization": f"Bearer {laptop.store.get_setting('sync.device_token')}"}


def unsent(laptop, entity: str) -> list[dict]:
    """The laptop's unsent changes of `entity` as a push carries them."""
    rows = laptop.store.query(
        "SELECT change_id, seq, entity, entity_id, op, payload, hlc, created_at FROM change_log "
        "WHERE entity = ? AND sent_at IS NULL ORDER BY seq", (entity,))
    return [{**r, "payload": json.loads(r["payload"])} for r in rows]


def waiting(laptop) -> int:
    """Changes the next sync would send (parked ones wait for the officer)."""
    return laptop.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL "
                               "AND refused_at IS NULL")


def forge(laptop, code: str) -> str:
    """A registration in the laptop's change log made as its own, under `code` (a hand-edited
    change log: past the laptop's rules), for a person of one of its registrations."""
    payload = json.loads(laptop.store.scalar(
        "SELECT payload FROM change_log WHERE entity = 'registration' ORDER BY seq LIMIT 1"))
    reg_id = new_id()
    payload.update({"id": reg_id, "code": code})
    with laptop.store.write():
        return laptop.store.record_change("registration", reg_id, payload)


def registrations(url: str) -> dict[str, str]:
    """Stored registrations: code -> registration id."""
    return {r[0][len("code:"):]: r[1] for r in server_rows(
        url, "SELECT ident, id FROM docs WHERE entity = 'registration' AND ident IS NOT NULL")}


def test_a_hand_made_push_cannot_take_another_laptops_code(server, database_url, laptops):
    a, b = at_event(laptops(2), server.url)
    real = b.register(9201).registration  # B, offline: its code is printed on a receipt
    a.register(9202)
    a.sync()
    a.register(9203)  # not yet pushed: its person goes in the hand-made batch
    person = unsent(a, "person")[0]
    stolen = {**unsent(a, "registration")[0], "change_id": new_id(), "entity_id": new_id()}
    stolen["payload"] = {**stolen["payload"], "id": stolen["entity_id"], "code": real["code"]}
    stolen["seq"] = person["seq"] + 1
    body = {"device_id": a.store.device_id, "cursor": 0, "changes": [person, stolen]}
    answer = httpx.post(f"{server.url}/v1/push", json=body, headers=auth(a))
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "push.code_not_yours" and "tag" in error["message"]
    assert error["details"] == [{"loc": ["body", "changes", 1, "payload", "code"],
                                 "msg": "registration.code_not_yours"}]
    # Nothing of the batch was applied: not the person before the forged registration either.
    assert not server_rows(database_url, "SELECT 1 FROM applied_changes WHERE change_id = ?",
                           (person["change_id"],))
    assert not server_rows(database_url, "SELECT 1 FROM docs WHERE id = ?", (person["entity_id"],))

    # The same through the laptop's own sync: the forged change is parked, the rest delivered.
    forged = forge(a, real["code"])
    result = a.sync()
    assert result.pushed > 0 and result.refused == 1 and waiting(a) == 0
    parked = a.store.query("SELECT change_id, refused_reason FROM change_log "
                           "WHERE refused_at IS NOT NULL")
    assert [p["change_id"] for p in parked] == [forged]
    assert "push.code_not_yours" in parked[0]["refused_reason"]
    assert "code: registration.code_not_yours" in parked[0]["refused_reason"]
    assert registrations(database_url).get(real["code"]) is None
    assert server_rows(database_url, "SELECT 1 FROM docs WHERE id = ?", (person["entity_id"],))

    # B's real registration arrives and is applied, not kept aside.
    assert b.sync().quarantined == 0
    assert registrations(database_url)[real["code"]] == real["id"]
    assert server_rows(database_url, "SELECT count(*) FROM quarantine")[0][0] == 0


def test_carried_codes_count_for_the_laptop_that_made_them(server, database_url, laptops,
                                                         tmp_path):
    """A's registrations carried by C are A's (its signature, its tag); a registration A made
    under B's tag is refused when C delivers it (C parks it), and quarantined when the file is
    applied on the server itself."""
    a, b, c = at_event(laptops(3), server.url)  # each laptop's key known at the branch
    honest = [a.register(9300 + i).registration for i in range(3)]
    forged = forge(a, make_code(b.store.device_tag, 7))
    usb = tmp_path / "acara.bpjsf"
    export_changes(a.store, usb, PASSPHRASE)

    # Applied on the server from the file: the forged one is kept aside with its reason.
    onto = server_rows(database_url, "SELECT count(*) FROM quarantine")[0][0]
    counts = import_into_server(database_url, usb, PASSPHRASE)
    assert counts["quarantined"] == 1 and onto == 0
    reason, origin = server_rows(database_url, "SELECT reason, origin_device FROM quarantine "
                                 "WHERE change_id = ?", (forged,))[0]
    assert reason == "registration.code_not_yours" and origin == a.store.device_id
    stored = registrations(database_url)
    assert all(stored[r["code"]] == r["id"] for r in honest)
    assert make_code(b.store.device_tag, 7) not in stored
    listed = httpx.get(f"{server.url}/v1/quarantine", headers=auth(a)).json()
    assert [q["reason"] for q in listed] == ["registration.code_not_yours"]
    assert "tag" in listed[0]["what_to_do"]

    # Carried by C: A's own are duplicates now (applied from the file), the forged one is
    # refused with C's push and parked on C, never applied.
    import_changes(c.store, usb, PASSPHRASE)
    c.sync()
    assert c.store.scalar("SELECT count(*) FROM change_log WHERE refused_at IS NOT NULL "
                          "AND change_id = ?", (forged,)) == 1
    assert "push.code_not_yours" in c.store.scalar(
        "SELECT refused_reason FROM change_log WHERE change_id = ?", (forged,))
    assert waiting(c) == 0
    assert make_code(b.store.device_tag, 7) not in registrations(database_url)


def test_carried_codes_stay_their_laptops_when_the_carrier_enrols_again(server, database_url,
                                                                       laptops, tmp_path):
    """A laptop carrying another laptop's registrations enrols again as a new device (the
    server's address written differently) before it syncs: only its own unsent changes take
    its new device id; the carried ones stay the other laptop's and arrive as such."""
    a, c = at_event(laptops(2), server.url, ("KC-0421", "KC-0423"))
    carried = [a.register(9600 + i).registration for i in range(2)]
    usb = tmp_path / "acara.bpjsf"
    export_changes(a.store, usb, PASSPHRASE)
    import_changes(c.store, usb, PASSPHRASE)
    own = c.register(9610).registration
    c.enroll(server.url.replace("127.0.0.1", "localhost"), "KC-0423")
    result = c.sync()
    assert result.refused == 0 and result.quarantined == 0 and waiting(c) == 0
    stored = registrations(database_url)
    assert all(stored[r["code"]] == r["id"] for r in [*carried, own])
    origins = dict(server_rows(database_url, "SELECT entity_id, hlc FROM applied_changes "
                               "WHERE entity = 'registration'"))
    assert all(origins[r["id"]].endswith(a.store.device_id) for r in carried)
    assert origins[own["id"]].endswith(c.store.device_id)
