"""Codes at an event hub on loopback (the real hub, TLS, a real branch server behind it): the
hub knows each joined laptop's tag, refuses a desk's registration under the door laptop's
tag (not applied, not relayed), takes the door's real one, and relays the desk's honest
registrations to the branch, where they count for the desk; the branch refuses the forged
one too, and only then does the desk park it."""

from __future__ import annotations

from bpjs_field.domain.codes import make_code
from harness import server_rows
from test_code_tags import forge, registrations, waiting
from test_event_hub import branch, hub_desk_door, hub_round  # noqa: F401  (fixture)


def test_a_hub_refuses_a_desks_registration_under_the_doors_tag(laptops, branch):  # noqa: F811
    hub, hub_laptop, desk, door = hub_desk_door(laptops, branch)
    try:
        desk.event()
        honest = [desk.register(9500 + i).registration for i in range(3)]
        stolen = make_code(door.store.device_tag, 1)  # the door's first code, not yet made
        forged = forge(desk, stolen)
        hub_round(desk, hub_laptop, door)
        # Refused by the hub: not applied there, not relayed; a hub's refusal is not the
        # branch's, so the desk does not park it yet (the branch decides).
        assert desk.store.scalar("SELECT refused_at FROM change_log WHERE change_id = ?",
                                 (forged,)) is None
        real = door.register(9510).registration
        assert real["code"] == stolen
        hub_round(door, hub_laptop, desk)
        with hub.app.state.db.read() as tx:  # the hub's own (encrypted) database
            at_hub = dict(tx.rows("SELECT ident, id FROM docs WHERE entity = 'registration'"))
            owned = dict(tx.rows("SELECT tag, device_id FROM device_tags"))
            held = tx.scalar("SELECT count(*) FROM quarantine")
        assert at_hub[f"code:{stolen}"] == real["id"] and held == 0
        assert owned[door.store.device_tag] == door.store.device_id
        assert owned[desk.store.device_tag] == desk.store.device_id

        # The door reaches the branch first and carries the desk's registrations there.
        door.sync()
        at_branch = registrations(branch.database_url)
        assert all(at_branch[r["code"]] == r["id"] for r in honest)
        assert at_branch[stolen] == real["id"]
        assert server_rows(branch.database_url, "SELECT count(*) FROM quarantine")[0][0] == 0
        assert forged not in {r[0] for r in server_rows(
            branch.database_url, "SELECT change_id FROM applied_changes")}
        desk.sync()  # the branch refuses it too: parked on the desk, the rest delivered
        assert waiting(desk) == 0
        assert desk.store.scalar("SELECT refused_reason FROM change_log WHERE change_id = ?",
                                 (forged,)).startswith("422 push.code_not_yours")
        assert registrations(branch.database_url)[stolen] == real["id"]
    finally:
        hub.stop()
