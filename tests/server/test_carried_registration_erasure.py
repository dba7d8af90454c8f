"""A registration carried for another laptop (a USB file, an event hub's relay) when its person
is erased on the carrying laptop.  The origin's signature covers the payload as it was made,
so a payload with the person's fields cleared no longer verifies at the branch: the
carrying laptop cannot keep and forward it scrubbed.  It drops it (UU PDP: the person's
data go at once), and the registration's counts reach the branch from the laptop that made
it, with the person's fields cleared there.  Against the real server run in this process."""

from __future__ import annotations

import json

from bpjs_field.handcarry import export_changes, import_changes
from bpjs_field.store.erasure import REGISTRATION_PERSONAL, erase_person
from harness import server_rows
from test_push_inprocess import URL, app_client, inprocess_laptops  # noqa: F401

PASSPHRASE = "pasar-malam-2026"


def _carried_registration(store) -> tuple[str, dict]:
    change_id, payload = store.db.execute(
        "SELECT change_id, payload FROM change_log WHERE entity = 'registration' AND "
        "origin_sig IS NOT NULL").fetchone()
    return change_id, json.loads(payload)


def _branch_registration(database_url: str, registration_id: str) -> dict | None:
    rows = server_rows(database_url, "SELECT data FROM docs WHERE entity = 'registration' "
                                     "AND id = ?", (registration_id,))
    return json.loads(rows[0][0]) if rows else None


def _carry(a, b, tmp_path):
    """A registers a person offline (with a declared income) and carries its work to B."""
    a.sync()  # A's signing key is known at the branch
    a.event()
    registration = a.register(7501)
    usb = tmp_path / "acara.bpjsf"
    export_changes(a.store, usb, PASSPHRASE)
    assert import_changes(b.store, usb, PASSPHRASE).queued >= 3  # event, person, registration
    return registration


def test_a_scrubbed_carried_registration_would_not_verify_at_the_branch(
        database_url, inprocess_laptops, tmp_path):
    """Why the carrying laptop does not scrub and keep: the branch checks a carried change
    against its origin's signature over the payload as made, and a payload with the
    person's fields cleared is refused as altered (`push.origin_bad_signature`), never
    applied.  The untouched change verifies (the genuine one from A applies later)."""
    a, b = inprocess_laptops(2)
    registration = _carry(a, b, tmp_path)
    change_id, payload = _carried_registration(b.store)
    assert payload["declared_income"] == 1_000_000
    scrubbed = {**payload, **{f: None for f in REGISTRATION_PERSONAL if f in payload}}
    with b.store.write():
        b.store.db.execute("UPDATE change_log SET payload = ? WHERE change_id = ?",
                           (json.dumps(scrubbed, sort_keys=True, separators=(",", ":")),
                            change_id))
    result = b.sync()
    assert result.quarantined == 1
    assert b.store.scalar("SELECT refused_reason FROM change_log WHERE change_id = ?",
                          (change_id,)) == "quarantined push.origin_bad_signature"
    assert _branch_registration(database_url, registration.registration["id"]) is None
    a.sync()  # the laptop that made it delivers the genuine change
    assert _branch_registration(database_url, registration.registration["id"])[
        "declared_income"] == 1_000_000


def test_an_erasure_on_the_carrying_laptop_drops_the_carried_registration_and_its_counts_come_from_its_origin(
        database_url, inprocess_laptops, tmp_path):
    """B erases the person whose registration it carries for A: nothing of the person stays
    in B's change log (the carried registration held a declared income), B's own erasure
    reaches the branch, and when A syncs the registration's counts arrive, without the
    person's fields."""
    a, b = inprocess_laptops(2)
    registration = _carry(a, b, tmp_path)
    person_id = registration.person["id"]
    erase_person(b.store, person_id)
    assert not b.store.scalar("SELECT 1 FROM change_log WHERE entity = 'registration' "
                              "AND origin_sig IS NOT NULL")
    assert b.store.scalar("SELECT declared_income FROM registrations WHERE person_id = ?",
                          (person_id,)) is None
    assert b.store.scalar("SELECT count(*) FROM registrations WHERE person_id = ?",
                          (person_id,)) == 1  # the count stays on B
    pushed = b.sync()
    assert pushed.quarantined == 0
    assert _branch_registration(database_url, registration.registration["id"]) is None
    # The branch learns (ids only) that this registration now comes from A alone.
    (details,) = server_rows(database_url, "SELECT details FROM audit WHERE action = "
                             "'erasure.carried_dropped' AND entity_id = ?",
                             (registration.registration["id"],))[0]
    assert json.loads(details) == {"origin": a.store.device_id}
    a.sync()  # A pushes its registration, then pulls the erasure
    at_branch = _branch_registration(database_url, registration.registration["id"])
    assert at_branch["segment"] == "bpu" and at_branch["monthly_total"] > 0
    assert all(at_branch.get(f) is None for f in REGISTRATION_PERSONAL)
    assert a.store.scalar("SELECT declared_income FROM registrations WHERE person_id = ?",
                          (person_id,)) is None
