"""The laptop's push, against the real branch server run in this process (see
test_push_inprocess.py): changes the branch keeps aside and the engine sends again (a carried
change whose laptop the branch cannot check yet, a registration logged before its person), the
cursor a push tells the branch (what the laptop has seen decides what is a conflict), and the
progress the sync page is told."""

from __future__ import annotations

import gzip
import json

import httpx

from bpjs_field.handcarry import export_changes, import_changes
from bpjs_field.sync.engine import SyncEngine, SyncLock, refused_changes
from bpjs_field.sync.hub_engine import HUB_LAST_SUCCESS, HubEngine
from harness import server_rows
from test_event_hub import join, start_hub
from test_push_inprocess import (URL, app_client, inprocess_laptops, pending,  # noqa: F401
                                 record)

PASSPHRASE = "pasar-malam-2026"


def counting_pushes():
    """A request hook and the list it fills: the number of changes in each push sent."""
    sizes: list[int] = []

    def count(request):
        if request.url.path.endswith("/push"):
            body = request.read()
            if request.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            sizes.append(len(json.loads(body)["changes"]))
    return sizes, count


def _reasons(laptop) -> dict[str, str]:
    """change id -> reason of the changes the laptop holds back (parked or kept aside)."""
    return {r["change_id"]: r["refused_reason"] for r in laptop.store.query(
        "SELECT change_id, refused_reason FROM change_log WHERE refused_at IS NOT NULL "
        "AND sent_at IS NULL")}


def test_a_change_carried_for_a_laptop_the_branch_cannot_check_yet_is_sent_at_every_sync(
        database_url, inprocess_laptops, tmp_path):
    """B carries A's changes before A ever reached the branch: the branch cannot check A's
    signature, keeps them aside, and B sends them again at each sync (no button to press),
    until A has synced and they are duplicates."""
    a, b = inprocess_laptops(2)
    a.event()
    a.register(4900)
    usb = tmp_path / "acara.bpjsf"
    carried = export_changes(a.store, usb, PASSPHRASE)
    import_changes(b.store, usb, PASSPHRASE)
    waiting = "quarantined push.origin_unverified"

    first = b.sync()
    assert (first.quarantined, first.pushed) == (carried, 0)
    assert set(_reasons(b).values()) == {waiting} and len(_reasons(b)) == carried
    assert refused_changes(b.store) == [(waiting, carried)]
    second = b.sync()  # sent again, kept aside again
    assert (second.quarantined, second.pushed, second.duplicates) == (carried, 0, 0)
    # Each round's kept-aside changes are in the audit log, as a count.
    assert [json.loads(r["details"]) for r in b.store.query(
        "SELECT details FROM audit_log WHERE action = 'sync.quarantined' ORDER BY id")] == [
        {"count": carried}, {"count": carried}]
    attempts = [n for (n,) in server_rows(database_url, "SELECT attempts FROM quarantine")]
    assert attempts == [2] * carried

    assert a.sync().pushed == carried  # A's own copies, now checked and applied
    third = b.sync()
    assert (third.duplicates, third.quarantined) == (carried, 0)
    assert _reasons(b) == {} and b.store.pending_changes() == 0
    assert server_rows(database_url, "SELECT count(*) FROM quarantine")[0][0] == 0


def test_registrations_logged_before_their_person_or_event_are_delivered_in_the_same_round(
        database_url, inprocess_laptops):
    """The branch keeps aside a registration whose person or event it does not know yet; when
    that person's or event's change came later in the same log, the engine sends the
    registration once more after the whole log went, and it is delivered: nothing is held,
    nothing counted as kept aside.  One change a batch: held ones of every batch count."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    laptop.sync()
    made = [laptop.register(i) for i in (4910, 4911)]
    later_event = laptop.event("00000000-0000-4000-8000-00000000e002")
    in_later = laptop.register(4912, event_id=later_event["id"])
    later = [r.person["id"] for r in made] + [later_event["id"]]
    with laptop.store.write():  # two people's and the event's changes after their registrations
        laptop.store.db.execute("UPDATE change_log SET seq = seq + 1000 WHERE entity_id IN "
                                "(?, ?, ?)", later)
    registrations = [r.registration["id"] for r in (*made, in_later)]
    result = SyncEngine(laptop.store, laptop.http, batch_changes=1).run()
    assert (result.pushed, result.quarantined, result.refused) == (7, 0, 0)
    assert laptop.store.pending_changes() == 0 and _reasons(laptop) == {}
    assert set(registrations) <= {r for (r,) in server_rows(
        database_url, "SELECT id FROM docs WHERE entity = 'registration'")}
    assert server_rows(database_url, "SELECT count(*) FROM quarantine")[0][0] == 0

    # Still unknown after the log went (a person that never reached this laptop's log): kept
    # aside once, counted once.
    other = laptop.register(4913)
    with laptop.store.write():
        laptop.store.db.execute("DELETE FROM change_log WHERE entity = 'person' AND sent_at IS NULL")
    held = laptop.sync()
    assert (held.pushed, held.quarantined) == (0, 1)
    assert _reasons(laptop) == {laptop.store.scalar(
        "SELECT change_id FROM change_log WHERE entity_id = ?", (other.registration["id"],)):
        "quarantined registration.unknown_person"}


def test_a_round_of_several_batches_counts_every_batch(database_url, app_client,
                                                       inprocess_laptops):
    """Applied, duplicate and kept-aside changes and the batches are counted over the whole
    round, and the progress ends at every change sent."""
    laptop, = inprocess_laptops(1)
    laptop.register_many(range(4940, 4943), event_id=None)
    laptop.sync()
    with laptop.store.write():  # sent again (as after a lost acknowledgement): duplicates
        laptop.store.db.execute("UPDATE change_log SET sent_at = NULL")
    laptop.register_many(range(4943, 4945), event_id=None)
    person_id = laptop.store.scalar("SELECT id FROM people LIMIT 1")
    for _ in range(2):
        record(laptop, "registration", {"person_id": person_id, "segment": "bpu",
                                        "declared_income": 1_000_000,
                                        "created_at": "2026-11-22T00:00:00Z"})  # no code
    pushes = []
    progress = []
    with httpx.Client(transport=app_client._transport, base_url=URL, event_hooks={
            "request": [lambda r: pushes.append(r) if r.url.path.endswith("/push") else None]}
            ) as http:
        result = SyncEngine(laptop.store, http, batch_changes=5,
                            on_progress=progress.append).run()
    assert (result.pushed, result.duplicates, result.quarantined, result.batches) == (4, 6, 2, 3)
    assert len(pushes) == 3
    pushing = [p.pushed for p in progress if p.phase == "push"]
    assert pushing == [0, 5, 10, 12]
    assert _reasons(laptop) and set(_reasons(laptop).values()) == {
        "quarantined registration.no_code"}


def test_an_edit_made_after_pulling_the_value_it_replaces_is_no_conflict(
        database_url, inprocess_laptops):
    """The push tells the branch how far the laptop has pulled: a value replaced by a laptop
    that had seen it is an edit; one replaced by a laptop that had not is a conflict kept for
    supervisors."""
    a, b = inprocess_laptops(2)
    a.event()
    person_id = a.register(4920).person["id"]
    a.sync()
    b.sync()  # B has A's phone number
    b.store.people.update(person_id, {"phone": "0857-1111-2222"})
    b.sync()
    assert server_rows(database_url, "SELECT count(*) FROM conflicts")[0][0] == 0
    # A has not pulled B's number: its own edit of the phone is a conflict.
    a.store.people.update(person_id, {"phone": "0857-3333-4444"})
    a.sync()
    conflicts = server_rows(database_url, "SELECT field, lost_device FROM conflicts")
    assert [field for field, _ in conflicts] == ["phone"]


def test_an_engine_run_again_reports_each_round_from_zero(inprocess_laptops):
    """An engine kept for several rounds (the event hub's link keeps one) starts each round's
    progress at nothing sent and nothing received."""
    a, b = inprocess_laptops(2)
    a.event()
    a.register_many(range(4930, 4933))
    a.sync()
    b.register(4933, event_id=None)
    progress = []
    engine = SyncEngine(b.store, b.http, on_progress=progress.append)
    first = engine.run()  # sends B's person and registration, receives A's rows
    assert first.pushed == 2 and first.pulled > 0
    assert (progress[-1].pushed, progress[-1].pull_fraction) == (2, 1.0)
    b.register(4934, event_id=None)
    progress.clear()
    engine.run()
    start = progress[0]
    assert (start.phase, start.pushed, start.to_push, start.pulled, start.pull_fraction) == (
        "push", 0, 2, 0, None)
    assert progress[-1].phase == "done" and progress[-1].pushed == 2


def test_a_batch_too_large_for_the_server_is_halved_until_it_fits(database_url, app_client,
                                                                   inprocess_laptops):
    """An engine whose batches may be larger than the server takes (8 MiB) is told so (413)
    and halves its batch, in changes and in bytes, until it fits: every change arrives, none
    is parked."""
    laptop, = inprocess_laptops(1)
    laptop.register(4950, event_id=None)
    reg_id = laptop.store.scalar("SELECT id FROM registrations")
    # 25 prints of about 435 kB each (55 values of 7,900 characters: within the protocol's
    # limits one by one), 10.9 MB together.
    prints = [record(laptop, "print", {"at": "2026-11-22T01:00:00Z", "document": "receipt.a4",
                                       "subject_id": reg_id, "copies": 1,
                                       **{f"note{j}": f"{i:02d}" + "x" * 7898 for j in range(55)}})
              for i in range(25)]
    sizes, count = counting_pushes()
    with httpx.Client(transport=app_client._transport, base_url=URL,
                      event_hooks={"request": [count]}) as http:
        result = SyncEngine(laptop.store, http, batch_bytes=12_000_000).run()
    # 27 changes at once (refused whole), then 13 at most and 6 MB at most a batch.
    assert sizes == [27, 13, 13, 1]
    assert (result.pushed, result.refused, result.batches) == (27, 0, 3)
    assert laptop.store.pending_changes() == 0 and _reasons(laptop) == {}
    applied = {c for (c,) in server_rows(database_url, "SELECT change_id FROM applied_changes")}
    assert set(prints) <= applied


def test_after_a_batch_too_large_of_three_changes_the_round_goes_on_one_change_a_batch(
        database_url, app_client, inprocess_laptops):
    """Three changes of 3 MB each (each refused by the server on its own: a text longer than
    the protocol allows) sent in one batch are over the server's 8 MiB: halved, the batch is
    one change, and so is every later batch of the round.  The three are parked, the changes
    after them delivered."""
    laptop, = inprocess_laptops(1)
    big = [record(laptop, "print", {"at": "2026-11-22T01:00:00Z", "document": "receipt.a4",
                                    "note": f"{i}" + "x" * 3_000_000}) for i in range(3)]
    laptop.register_many(range(4960, 4962), event_id=None)
    sizes, count = counting_pushes()
    with httpx.Client(transport=app_client._transport, base_url=URL,
                      event_hooks={"request": [count]}) as http:
        result = SyncEngine(laptop.store, http, batch_changes=3, batch_bytes=20_000_000).run()
    assert sizes == [3, 1, 1, 1, 1, 1, 1, 1]
    assert (result.pushed, result.refused, result.batches) == (4, 3, 4)
    assert set(_reasons(laptop)) == set(big)
    assert all(reason.startswith("422 ") for reason in _reasons(laptop).values())
    assert pending(laptop) == 0


def test_a_round_with_the_event_hub_leaves_waiting_and_kept_aside_changes_to_the_branch(
        database_url, inprocess_laptops, tmp_path):
    """The hub is not the branch: a round with it neither puts back the changes waiting for
    their laptop at the branch (they still wait, shown so) nor holds back a change the hub
    keeps aside (a registration without a code): that one goes on to the branch, which
    judges it."""
    a, hub_laptop, desk = inprocess_laptops(3)
    a.event()
    a.register(4970)
    usb = tmp_path / "acara.bpjsf"
    carried = export_changes(a.store, usb, PASSPHRASE)
    import_changes(desk.store, usb, PASSPHRASE)
    hub_laptop.sync()
    assert desk.sync().quarantined == carried
    waiting = _reasons(desk)
    assert set(waiting.values()) == {"quarantined push.origin_unverified"}
    hub = start_hub(hub_laptop)
    try:
        join(desk.store, hub.join_url)
        person_id = desk.register(4971, event_id=None).person["id"]
        no_code = record(desk, "registration", {
            "person_id": person_id, "segment": "bpu", "declared_income": 1_000_000,
            "created_at": "2026-11-22T00:00:00Z"})
        engine = HubEngine(desk.store)
        try:
            with SyncLock(desk.store, "sync"):  # a branch round under way holds up no hub round
                at_hub = engine.run()
            desk.register(4972, event_id=None)
            again = engine.run()  # within a minute of the last, but it moved something
        finally:
            engine.close()
    finally:
        hub.stop()
    assert again.pushed == 2
    assert desk.store.get_setting(HUB_LAST_SUCCESS) == again.finished_at != at_hub.finished_at
    assert at_hub.quarantined == carried + 1  # the hub cannot check A's changes either
    assert _reasons(desk) == waiting
    row = desk.store.query_one("SELECT hub_sent_at, sent_at, refused_at FROM change_log "
                               "WHERE change_id = ?", (no_code,))
    assert row["hub_sent_at"] and row["sent_at"] is None and row["refused_at"] is None
    at_branch = desk.sync()
    assert (at_branch.quarantined, at_branch.pushed) == (carried + 1, 4)
    assert _reasons(desk) == {**waiting, no_code: "quarantined registration.no_code"}


def test_a_batch_holds_the_changes_that_fit_its_byte_limit_to_the_byte(app_client,
                                                                      inprocess_laptops):
    """The byte limit counts the request's head as 200 bytes and each change with its comma:
    at exactly the bytes of the first two changes a batch holds two, at a byte less one."""
    laptop, = inprocess_laptops(1)
    laptop.register_many(range(4980, 4982), event_id=None)
    seqs = [s for (s,) in laptop.store.db.execute(
        "SELECT seq FROM change_log WHERE sent_at IS NULL ORDER BY seq")]
    body, first, last, count = SyncEngine(laptop.store, app_client)._batch(0)
    assert (first, last, count) == (seqs[0], seqs[-1], len(seqs)) == (seqs[0], seqs[-1], 4)
    assert [c["seq"] for c in json.loads(body)["changes"]] == seqs
    items = SyncEngine(laptop.store, app_client)._items()
    two = 200 + len(items[0][1]) + 1 + len(items[1][1]) + 1
    sizes, count = counting_pushes()
    with httpx.Client(transport=app_client._transport, base_url=URL,
                      event_hooks={"request": [count]}) as http:
        for limit, held in ((two - 1, 1), (two, 2)):
            sizes.clear()
            with laptop.store.write():  # sent again: duplicates, in the same batches
                laptop.store.db.execute("UPDATE change_log SET sent_at = NULL")
            result = SyncEngine(laptop.store, http, batch_bytes=limit).run()
            assert sizes[0] == held and sum(sizes) == 4 and result.batches == len(sizes)
