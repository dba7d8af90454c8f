"""Which tags a laptop owns, run in this process (the real app through Starlette's TestClient)
on SQLite and PostgreSQL: codes issued before enrolment, a tag the branch changed at
enrolment, an earlier tag the server never heard of, the same laptop enrolled again under a
new device id (with and without proving its key), and the migration that fills the tags from
what the server already holds."""

from __future__ import annotations

import json

import pytest

from bpjs_field.domain.codes import make_code
from bpjs_field.security import signing
from bpjs_field.server import tags
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.schema import migrate
from bpjs_field.sync.client import PROOF_HEADER
from harness import at_event, run_cli, server_rows
from test_code_tags import forge, registrations, waiting
from test_push_inprocess import URL, app_client, inprocess_laptops  # noqa: F401 (fixtures)

@pytest.fixture
def client(app_client):
    return app_client


@pytest.fixture
def make_laptop(inprocess_laptops):
    """A laptop not yet enrolled, syncing with the in-process server."""
    return lambda: inprocess_laptops(enroll=False)[0]


def use_tag(laptop, tag: str) -> None:
    """The laptop issues its next codes under `tag` (as after a change of tag)."""
    with laptop.store.write():
        laptop.store.set_setting("device_tag", tag)
    laptop.store.device_tag = tag
    laptop.store.registrations._next_seq = None


def under_tag(laptop, tag: str, *seeds: int) -> list[dict]:
    """Registrations the laptop makes under `tag` (as before a change of tag), one a seed;
    then it is back on its own tag."""
    own = laptop.store.device_tag
    use_tag(laptop, tag)
    made = [laptop.register(seed).registration for seed in seeds]
    use_tag(laptop, own)
    return made


def owners(url: str) -> dict[str, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in server_rows(
        url, "SELECT tag, device_id, source FROM device_tags")}


def free_tag(url: str, *avoid: str) -> str:
    taken = set(owners(url)) | set(avoid)
    return next(t for t in (f"Q{n:03d}" for n in range(100, 999)) if t not in taken)


def test_codes_issued_before_enrolment_arrive(database_url, make_laptop):
    """The tag a laptop issued codes under before it was enrolled is its own (the branch
    kept it); a laptop whose tag another laptop already held gets a new one, and the codes it
    issued under the other laptop's tag are refused, parked, never lost."""
    a = make_laptop()
    a.event()
    before = [a.register(9400 + i).registration for i in range(3)]
    a.enroll(URL, "KC-0421")
    assert a.sync().refused == 0 and waiting(a) == 0
    assert owners(database_url)[a.store.device_tag] == (a.store.device_id, "enrolled")
    stored = registrations(database_url)
    assert all(stored[r["code"]] == r["id"] for r in before)

    # Laptop B drew A's tag before it was enrolled.
    b = make_laptop()
    use_tag(b, a.store.device_tag)
    b.event()
    clash = b.register(9410).registration
    b.enroll(URL, "KC-0422")
    assert b.store.device_tag != a.store.device_tag
    after = b.register(9411).registration
    result = b.sync()
    assert result.refused == 1 and waiting(b) == 0
    reason = b.store.scalar("SELECT refused_reason FROM change_log WHERE entity = 'registration' "
                            "AND entity_id = ?", (clash["id"],))
    assert "push.code_not_yours" in reason
    stored = registrations(database_url)
    assert stored[after["code"]] == after["id"]
    assert stored[clash["code"]] == before[0]["id"]  # A's, not taken over


def test_an_earlier_tag_is_taken_on_first_use_and_then_nobody_elses(database_url, make_laptop):
    """Codes under a tag the server never heard of (a laptop enrolled before tags were kept,
    its tag changed at enrolment) arrive and give the tag to their laptop; nobody else may
    use it afterwards, an enrolment asking for it gets another, and a laptop may take only a
    few tags that way."""
    a, b = at_event([make_laptop(), make_laptop()], URL)
    own = a.store.device_tag
    earlier = free_tag(database_url, own, b.store.device_tag)
    (old,) = under_tag(a, earlier, 9420)
    assert a.sync().refused == 0
    assert registrations(database_url)[old["code"]] == old["id"]
    assert owners(database_url)[earlier] == (a.store.device_id, "used")

    b.register(9421)
    forged = forge(b, make_code(earlier, 40))
    assert b.sync().refused == 1
    assert b.store.scalar("SELECT refused_at IS NOT NULL FROM change_log WHERE change_id = ?",
                          (forged,))
    c = make_laptop()
    use_tag(c, earlier)
    c.enroll(URL, "KC-0423")
    assert c.store.device_tag not in (earlier, own, b.store.device_tag)

    # At most MAX_TAGS_PER_DEVICE tags a laptop: A holds 2, takes 6 more, the next is refused.
    fresh = []
    while len(fresh) < tags.MAX_TAGS_PER_DEVICE - 1:
        fresh.append(free_tag(database_url, *fresh))
    made = [forge(a, make_code(tag, 1)) for tag in fresh]
    a.sync()
    refused = {r["change_id"] for r in a.store.query(
        "SELECT change_id FROM change_log WHERE refused_at IS NOT NULL")}
    assert refused == {made[-1]}
    assert sum(1 for d, _s in owners(database_url).values()
               if d == a.store.device_id) == tags.MAX_TAGS_PER_DEVICE


def test_the_same_laptop_enrolled_again_keeps_its_earlier_tag(database_url, make_laptop,
                                                             client):
    """Enrolled again as a new device (the server's address written differently), a laptop's
    codes not yet pushed under its earlier tag arrive: it proves it holds the key its earlier
    enrolment sent.  A push without that proof (an older laptop, or another laptop that only
    knows the public key) is refused."""
    a = make_laptop()
    a.enroll(URL, "KC-0421")
    a.event()
    a.sync()  # the branch holds A's key from here on
    first_id, first_tag = a.store.device_id, a.store.device_tag
    offline = a.register(9430).registration
    a.enroll(URL + ":80", "KC-0421")  # another spelling: a new enrolment, a new device id
    assert a.store.device_id != first_id and a.store.device_tag != first_tag
    # Without proof (as an older laptop pushes) the code under the earlier tag is refused.
    changes = [{**r, "payload": json.loads(r["payload"])} for r in a.store.query(
        "SELECT change_id, seq, entity, entity_id, op, payload, hlc, created_at FROM change_log "
        "WHERE sent_at IS NULL ORDER BY seq")]
    assert [c["entity"] for c in changes] == ["person", "registration"]
    key = signing.public_key(signing.device_seed(a.store))
    headers = {"Authorization": f"Bearer {a.store.get_setting('sync.device_token')}"}
    body = {"device_id": a.store.device_id, "device_key": key, "changes": changes}
    refused = client.post("/v1/push", json=body, headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "push.code_not_yours"
    # A proof made with another key, or over another device id, proves nothing.
    other = signing.sign(b"\x07" * 32, signing.device_message(a.store.device_id))
    wrong_id = signing.sign(signing.device_seed(a.store), signing.device_message(first_id))
    for proof in (other, wrong_id):
        answer = client.post("/v1/push", json=body, headers={**headers, PROOF_HEADER: proof})
        assert answer.status_code == 422, answer.text

    result = a.sync()  # the laptop's own push carries the proof
    assert result.refused == 0 and waiting(a) == 0
    assert registrations(database_url)[offline["code"]] == offline["id"]
    assert owners(database_url)[first_tag][0] == first_id  # still the earlier enrolment's
    later = a.register(9431).registration
    assert later["code"].startswith(a.store.device_tag)
    assert a.sync().refused == 0
    assert registrations(database_url)[later["code"]] == later["id"]


def test_migration_fills_the_tags_from_what_the_server_holds(database_url, make_laptop):
    """A database from before tags were kept: every enrolled laptop's tag, and the tags of the
    codes already stored (for the laptop that made the first of them) become owned; stored
    codes are left as they are, and those made under another laptop's tag are listed."""
    a, b = at_event([make_laptop(), make_laptop()], URL)
    own = a.store.device_tag
    earlier = free_tag(database_url, own, b.store.device_tag)
    first, second = under_tag(a, earlier, 9440, 9441)
    a.sync()
    b.register(9442)
    b.sync()
    db = ServerDatabase(database_url)
    try:
        with db.write() as tx:
            # As B would have left it before tags were checked: one of those codes made by B.
            meta = json.loads(tx.scalar("SELECT meta FROM docs WHERE entity = 'registration' "
                                        "AND id = ?", (second["id"],)))
            meta["*"][0] = meta["*"][0][:24] + b.store.device_id  # the clock's device
            tx.execute("UPDATE docs SET meta = ? WHERE entity = 'registration' AND id = ?",
                       (json.dumps(meta), second["id"]))
            tx.execute("DROP TABLE device_tags")
            tx.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
        before = server_rows(database_url, "SELECT entity, id, rev, ident, data FROM docs "
                             "ORDER BY entity, id")
        assert migrate(db) == 6
        with db.read() as tx:
            foreign = tags.foreign_codes(tx)
    finally:
        db.close()
    found = owners(database_url)
    assert found[own] == (a.store.device_id, "enrolled")
    assert found[b.store.device_tag] == (b.store.device_id, "enrolled")
    assert found[earlier] == (a.store.device_id, "stored")
    assert server_rows(database_url, "SELECT entity, id, rev, ident, data FROM docs "
                       "ORDER BY entity, id") == before
    assert foreign == [{"code": second["code"], "registration_id": second["id"],
                        "made_by": b.store.device_id, "tag_owner": a.store.device_id}]
    assert first["code"] in registrations(database_url)
    # Branch IT sees the same on the command line.
    cli = run_cli("server-tags", "--json", "--database-url", database_url)
    assert cli.returncode == 0, cli.stderr
    listed = json.loads(cli.stdout)
    assert listed["foreign_codes"] == foreign
    assert {(t["tag"], t["source"]) for t in listed["tags"]} == {
        (own, "enrolled"), (b.store.device_tag, "enrolled"), (earlier, "stored")}
    text = run_cli("server-tags", "--database-url", database_url).stdout
    assert f"kode {second['code']}" in text and "(tag sekarang)" in text
