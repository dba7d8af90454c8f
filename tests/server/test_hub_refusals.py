"""A change the event hub refuses is not parked on the laptop: the hub is not the branch, so
the change goes on to the branch as it is, and the branch parks it if it refuses it too.
The real hub (in this process, TLS on 127.0.0.1) and a real branch server process."""

from __future__ import annotations

from bpjs_field.sync.engine import refused_changes
from bpjs_field.sync.hub_engine import HubEngine
from test_event_hub import branch, event_laptops, join, start_hub  # noqa: F401 (fixture)


def test_a_change_the_hub_refuses_is_marked_sent_to_the_hub_and_parked_by_the_branch(
        laptops, branch):  # noqa: F811
    hub_laptop, desk = event_laptops(laptops, branch, 2)
    hub = start_hub(hub_laptop)
    try:
        join(desk.store, hub.join_url)
        desk.event()
        people = [desk.register(i).person["id"] for i in (4950, 4951)]
        with desk.store.write():  # a list where a phone number must be text
            bad = [desk.store.record_change("person", p, {"id": p, "phone": ["0812"]})
                   for p in people]
        engine = HubEngine(desk.store)
        try:
            result = engine.run()
        finally:
            engine.close()
        assert result.refused == 2
        for change_id in bad:
            row = desk.store.query_one("SELECT hub_sent_at, sent_at, refused_at FROM change_log "
                                       "WHERE change_id = ?", (change_id,))
            # Done with the hub, still owed to the branch, not parked.
            assert row["hub_sent_at"] and row["sent_at"] is None and row["refused_at"] is None
        assert refused_changes(desk.store) == []
        assert not desk.store.query("SELECT id FROM audit_log WHERE action = 'sync.refused'")
        # The branch refuses it too, and parks it; everything else arrives.
        owed = desk.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL "
                                 "AND refused_at IS NULL")
        at_branch = desk.sync()
        assert (at_branch.refused, at_branch.pushed) == (2, owed - 2)
        (reason, count), = refused_changes(desk.store)
        assert count == 2 and reason.startswith("422 ") and "payload.phone" in reason
    finally:
        hub.stop()
