"""Consent is a record of events: every consent given is kept, and none raises a conflict."""

from __future__ import annotations

import json
import time

from harness import server_rows, make_nik



def test_same_person_on_three_laptops_keeps_three_consents_and_no_conflict(
        shared_server, shared_database_url, laptops):
    a, b, c = laptops(3)
    for laptop, number in ((a, "KC-0421"), (b, "KC-0422"), (c, "KC-0423")):
        laptop.enroll(shared_server.url, number)
        laptop.event()
    given = []
    for laptop in (a, b, c):  # the same NIK, offline on each laptop, a moment apart
        result = laptop.register(8101)
        given.append((result.person["consent_version"], result.person["consent_at"]))
        time.sleep(0.01)
    # Pushed in an order that differs from the order of consent.
    for laptop in (c, a, b, a, b, c):
        laptop.sync()
    (person_id,) = {r[0] for r in server_rows(shared_database_url,
                                         "SELECT id FROM docs WHERE entity = 'person' AND "
                                         "merged_into IS NULL AND ident = ?",
                                         (f"nik:{make_nik(8101, female=True)[0]}",))}
    kept = server_rows(shared_database_url, "SELECT consent_version, consent_at FROM consents "
                                      "WHERE person_id = ? ORDER BY consent_at", (person_id,))
    assert [tuple(r) for r in kept] == sorted(given)
    conflicts = server_rows(shared_database_url, "SELECT field FROM conflicts WHERE entity_id = ?",
                      (person_id,))
    assert [r for r in conflicts if r[0].startswith("consent")] == []
    # The person shows the newest consent, on the server and on every laptop.
    data = json.loads(server_rows(shared_database_url, "SELECT data FROM docs WHERE entity = 'person' "
                                                 "AND id = ?", (person_id,))[0][0])
    assert data["consent_at"] == max(g[1] for g in given)
    for laptop in (a, b, c):
        laptop.sync()
        row = laptop.store.query_one("SELECT consent_at FROM people WHERE id = ?", (person_id,))
        assert row["consent_at"] == max(g[1] for g in given)
