"""Three laptops, 1,000 registrations each made offline, 50 NIKs registered on all three,
synced concurrently and interleaved through two server processes sharing one database:
afterwards the server and every laptop hold the same people, registrations and attendance."""

from __future__ import annotations

import threading

from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.pull import server_digest
from bpjs_field.sync.digest import laptop_digest
from harness import ServerProcess

SHARED = range(50)  # the same 50 NIKs on all three laptops


def test_three_laptops_converge_through_two_servers(database_url, laptops):
    first = ServerProcess(database_url).start()
    second = ServerProcess(database_url).start()
    try:
        machines = laptops(3)
        for n, (laptop, officer) in enumerate(zip(machines, ("KC-0421", "KC-0422", "KC-0423"))):
            laptop.enroll((first, second)[n % 2].url, officer)
        for n, laptop in enumerate(machines):
            laptop.event()  # the same event id, created offline on each laptop
            own = range(1000 + 950 * n, 1000 + 950 * (n + 1))
            laptop.register_many([*SHARED, *own], check_in=True)
            assert laptop.store.scalar("SELECT count(*) FROM registrations") == 1000
        errors: list[BaseException] = []

        def sync(laptop, server) -> None:
            try:
                laptop.sync(server.url, batch_changes=300, page_size=700)
            except BaseException as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)

        # Interleaved: all three push at once, in small batches, through both servers.
        threads = [threading.Thread(target=sync, args=(laptop, server))
                   for laptop, server in zip(machines, (first, second, first))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        for laptop, server in zip(machines, (second, first, second)):
            laptop.sync(server.url, page_size=700)
        db = ServerDatabase(database_url)
        try:
            on_server = server_digest(db)
            with db.read() as tx:
                scans = tx.scalar("SELECT count(*) FROM scans WHERE deleted = 0")
                applied = tx.scalar("SELECT count(*) FROM applied_changes")
        finally:
            db.close()
        assert on_server["people"] == 50 + 3 * 950
        assert on_server["registrations"] == 3000
        assert on_server["attendance"] == 50 + 3 * 950
        assert scans == 3000  # every laptop's check-in kept
        assert applied == sum(laptop.store.scalar("SELECT count(*) FROM change_log")
                              for laptop in machines)
        for laptop in machines:
            assert laptop.store.pending_changes() == 0
            assert laptop_digest(laptop.store) == on_server
            assert laptop.store.integrity_check() == "ok"
            assert laptop.store.scalar("PRAGMA foreign_key_check") is None
        # A merged participant is found by any of the three codes on any laptop.
        codes = [laptop.store.query("SELECT r.code FROM registrations r JOIN people p ON "
                                    "p.id = r.person_id ORDER BY r.created_at LIMIT 1")[0]["code"]
                 for laptop in machines]
        hits = {h["id"] for laptop in machines for code in codes
                for h in laptop.store.search_index.search(code)}
        assert len(hits) == 1
    finally:
        for server in (first, second):
            server.kill()
            server.stop()
