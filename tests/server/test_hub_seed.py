"""People, events and registrations the laptops knew before the event (pulled from the
branch, or made earlier and already delivered) reach the event hub: the hub holds the union
of what the laptops knew, a check-in of such a person spreads through the hub, the door can
check in a person only another desk's laptop knew, and the branch still gets each change once."""

from __future__ import annotations

from bpjs_field.server.db import ServerDatabase
from bpjs_field.sync.digest import laptop_digest
from bpjs_field.sync.hub_engine import HubEngine, join
from bpjs_field.sync.hub_seed import SEED_HLC
from harness import EVENT_ID, make_nik
from test_event_hub import (branch, branch_digest, event_laptops, hub_desk_door,  # noqa: F401
                            hub_round, start_hub)


def person_of(laptop, i: int) -> str | None:
    return laptop.store.scalar("SELECT id FROM people WHERE nik = ?", (make_nik(i)[0],))


def test_people_known_before_the_event_are_seeded_and_checked_in_anywhere(laptops, branch):  # noqa: F811
    hub_laptop, desk, door = event_laptops(laptops, branch, 3)
    # Before the event: the desk registered 5 people and delivered them; the hub laptop
    # pulled those.  Then 3 more, delivered too, that only the desk holds.  The door laptop
    # last synced before all of it.
    desk.event()
    desk.register_many(range(5))
    desk.sync()
    hub_laptop.sync()
    first_person = hub_laptop.store.scalar("SELECT id FROM people ORDER BY created_at LIMIT 1")
    desk.register_many(range(5, 8))
    desk.sync()
    assert person_of(door, 6) is None and person_of(hub_laptop, 6) is None
    # At the event, before the hub round: the hub laptop registers person 6 again (it does
    # not know the desk has her): the NIK merge must make one person of the two.
    hub_laptop.register(6)
    hub = start_hub(hub_laptop)
    try:
        join(desk.store, hub.join_code)
        join(door.store, hub.join_code)
        hub_round(desk, hub_laptop, door, hub_laptop)
        # The door now knows everyone, and the event.
        assert door.store.events.get(EVENT_ID) is not None
        assert door.store.scalar("SELECT count(*) FROM people") == 8
        assert door.store.scalar("SELECT count(*) FROM registrations") == 9
        assert hub_laptop.store.scalar("SELECT count(*) FROM people") == 8
        only_at_desk = person_of(desk, 6)
        known_before = first_person  # the hub laptop pulled her from the branch
        assert person_of(hub_laptop, 6) == only_at_desk  # merged into the desk's person
        assert door.store.attendance.check_in(EVENT_ID, only_at_desk).status == "checked_in"
        assert door.store.attendance.check_in(EVENT_ID, known_before).status == "checked_in"
        hub_round(door, desk, hub_laptop)
        assert desk.store.attendance.count(EVENT_ID) == 2
        assert hub_laptop.store.attendance.count(EVENT_ID) == 2
        status = hub.status()
        assert [(e["registrations"], e["checked_in"]) for e in status["events"]] == [(9, 2)]
        assert status["people"] == 8
        db = hub.app.state.db
        with db.read() as tx:
            held = tx.rows("SELECT entity, reason FROM quarantine")
            relayed = sorted(r[0] for r in tx.rows("SELECT entity FROM hub_relay"))
            seeded = tx.scalar("SELECT count(*) FROM docs WHERE meta LIKE ?", (f'%{SEED_HLC}%',))
        assert held == []
        # Only changes are relayed (the two check-ins, the hub laptop's person and
        # registration), never the seed rows.
        assert relayed == ["attendance", "attendance", "person", "registration"]
        assert seeded >= 1 + 8 + 8
        # A second offer sends nothing: the hub has it all.
        engine = HubEngine(desk.store)
        try:
            from bpjs_field.sync import hub_seed
            desk.store.set_setting(hub_seed.SEEDED, None)
            engine.run()
            assert engine.seeded["offered"] >= 17 and engine.seeded["sent"] == 0
            # After a branch sync moved the cursor, the next offer holds only the rows written
            # here since the last offer began (none here: that time is set ahead) and events.
            state = desk.store.get_setting(hub_seed.SEEDED)
            assert state["since"] and state["attendance_rowid"] == 2
            desk.store.set_setting(hub_seed.SEEDED, {**state, "branch_cursor": -1,
                                                     "since": "9999-01-01T00:00:00.000+00:00"})
            engine.run()
            assert engine.seeded["offered"] == 1 and engine.seeded["sent"] == 0
        finally:
            engine.close()
        # The door reaches the branch first: everything the event made, once.
        door.sync()
        digest = branch_digest(branch)
        assert (digest["people"], digest["registrations"], digest["attendance"]) == (8, 9, 2)
        for laptop in (desk, hub_laptop, door):
            assert laptop.sync().pushed == 0
            assert laptop_digest(laptop.store) == digest
        bdb = ServerDatabase(branch.database_url)
        try:
            with bdb.read() as tx:
                assert tx.rows("SELECT reason FROM quarantine") == []
                assert tx.scalar("SELECT count(*) FROM applied_changes WHERE entity = 'attendance'") == 2
        finally:
            bdb.close()
    finally:
        hub.stop()


def test_a_long_branch_sync_does_not_hold_up_the_rounds_with_the_hub(laptops, branch):  # noqa: F811
    """The branch round and the hub round each have their own lock: while the desk's branch
    sync is stuck halfway (a slow hotspot), its rounds with the hub go on, the relay adds
    changes to its log under the branch push, and at the end the branch has every change
    exactly once and every laptop the branch's data."""
    import threading

    import pytest

    from bpjs_field.errors import KnownError
    from bpjs_field.store import Store
    from bpjs_field.sync.engine import SyncEngine
    hub_laptop, desk = event_laptops(laptops, branch, 2)
    hub = start_hub(hub_laptop)
    # The desk's hub link has its own connection, as in the app, opened for the same login.
    side = Store.open(desk.path, session=desk.store.session)
    try:
        join(desk.store, hub.join_code)
        desk.event()
        desk.register_many(range(60))  # 121 changes
        halfway, go_on = threading.Event(), threading.Event()

        def hold(progress) -> None:
            if progress.phase == "push" and progress.pushed >= 20 and not halfway.is_set():
                halfway.set()
                go_on.wait(120)

        failures: list = []

        def branch_sync() -> None:
            try:
                desk.sync(batch_changes=20, on_progress=hold)
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        slow = threading.Thread(target=branch_sync)
        slow.start()
        try:
            assert halfway.wait(120)
            with pytest.raises(KnownError) as busy:
                SyncEngine(side, desk.http).run()  # one branch sync at a time, still
            assert busy.value.code == "sync.busy"
            engine = HubEngine(side)
            try:
                engine.run()  # not held up by the branch sync
                hub_round(hub_laptop)  # the event reaches the hub laptop
                hub_laptop.register_many(range(100, 110))
                hub_round(hub_laptop)
                engine.run()  # relays the hub laptop's 20 into the desk's log
            finally:
                engine.close()
            assert side.scalar("SELECT count(*) FROM registrations") == 70
            assert side.scalar("SELECT count(*) FROM change_log WHERE origin_sig IS NOT NULL") == 20
        finally:
            go_on.set()
            slow.join(120)
        assert not slow.is_alive() and failures == []
        desk.sync()  # the carried changes go too
        digest = branch_digest(branch)
        assert (digest["people"], digest["registrations"]) == (70, 70)
        assert desk.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL") == 0
        assert desk.store.scalar("SELECT count(*) FROM change_log WHERE hub_sent_at IS NULL") == 0
        assert hub_laptop.sync().pushed == 0
        bdb = ServerDatabase(branch.database_url)
        try:
            with bdb.read() as tx:
                ids = tx.scalar("SELECT count(*) FROM applied_changes WHERE outcome <> 'quarantined'")
        finally:
            bdb.close()
        made = {r[0] for m in (desk, hub_laptop) for r in m.store.db.execute(
            "SELECT change_id FROM change_log WHERE origin_sig IS NULL AND hlc LIKE ?",
            (f"%-{m.store.device_id}",))}
        assert ids == len(made) == 121 + 20
        for laptop in (desk, hub_laptop):
            assert laptop_digest(laptop.store) == digest
    finally:
        side.close()
        hub.stop()


def test_a_registration_made_before_the_relay_queued_its_person_reaches_the_branch(laptops, branch):  # noqa: F811
    """A round pulls a person another desk registered, and queues that desk's changes (the
    relay) a moment later: a registration made here in between comes first in this laptop's
    log.  Carrying everything to the branch, the laptop still delivers it (the branch keeps
    it aside while the person is unknown and takes it when it comes again)."""
    hub, hub_laptop, desk, door = hub_desk_door(laptops, branch)
    try:
        desk.event()
        desk.register(41)
        hub_round(desk)

        class PullOnly(HubEngine):
            def _relay(self, client, result) -> None:
                """The relay of this round comes later (after the registration below)."""

        engine = PullOnly(door.store)
        try:
            engine.run()
        finally:
            engine.close()
        assert door.store.scalar("SELECT count(*) FROM people") == 1
        door.register(41)  # the same NIK: the person the door just pulled
        hub_round(door)  # now the relay queues the desk's changes, after the door's own
        first = door.store.scalar("SELECT min(seq) FROM change_log WHERE entity = 'person' "
                                  "AND origin_sig IS NOT NULL")
        own = door.store.scalar("SELECT min(seq) FROM change_log WHERE entity = 'registration' "
                                "AND origin_sig IS NULL AND sent_at IS NULL")
        assert own < first  # the order this test is about
        result = door.sync()
        assert result.quarantined == 0
        digest = branch_digest(branch)
        assert (digest["people"], digest["registrations"]) == (1, 2)
        assert door.store.query("SELECT refused_reason FROM change_log WHERE refused_at IS NOT NULL") == []
        assert desk.sync().pushed == 0
    finally:
        hub.stop()
