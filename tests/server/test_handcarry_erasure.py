"""An erasure carried by hand reaches the branch through whichever laptop syncs first:
laptop A erases a person and carries its changes on a USB file to laptop B, which is the
one that reaches the branch; the branch erases the person then, not whenever A is back
(a laptop lost or broken after the erasure would otherwise leave the branch holding
the person's data)."""

from __future__ import annotations

import json

from bpjs_field.handcarry import export_changes, import_changes
from bpjs_field.store.erasure import erase_person
from harness import server_rows

PASSPHRASE = "pasar-malam-2026"


def _at_branch(url: str, person_id: str) -> dict:
    (data,) = server_rows(url, "SELECT data FROM docs WHERE entity = 'person' AND id = ?",
                          (person_id,))[0]
    return json.loads(data)


def test_an_erasure_carried_by_hand_is_delivered_by_the_laptop_that_carries_it(
        server, database_url, laptops, tmp_path):
    a, b = laptops(2)
    a.enroll(server.url, "KC-0421")
    b.enroll(server.url, "KC-0422")
    a.event()
    person = a.register(9500).person
    kept = a.register(9501).person
    a.sync()
    b.sync()
    assert b.store.people.get(person["id"])["nik"] == person["nik"]

    erase_person(a.store, person["id"])  # A then goes offline, and may never come back
    usb = tmp_path / "hapus.bpjsf"
    export_changes(a.store, usb, PASSPHRASE)
    result = import_changes(b.store, usb, PASSPHRASE)
    assert result.queued >= 1
    assert b.store.people.get(person["id"])["nik"] is None  # erased on B at once
    assert b.store.pending_changes() >= 1  # and B holds the erasure for the branch

    pushed = b.sync()
    assert pushed.quarantined == 0 and b.store.pending_changes() == 0
    at_branch = _at_branch(database_url, person["id"])
    assert at_branch.get("erased_at") and at_branch.get("nik") is None
    assert _at_branch(database_url, kept["id"])["nik"] == kept["nik"]

    again = a.sync()  # A comes back: its own erasure is already there
    assert again.quarantined == 0 and a.store.pending_changes() == 0
