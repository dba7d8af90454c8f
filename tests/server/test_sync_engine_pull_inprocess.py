"""The laptop's pull and what it tells the officer, against the real branch server run in this
process (see test_push_inprocess.py): the progress and counts of a pull over several pages,
a page from another branch server, and the reason given when the server's answer is wrong."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from bpjs_field.sync import engine
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.engine import FTS_REBUILD, SyncEngine
from harness import server_rows
from test_push_inprocess import (URL, app_client, inprocess_laptops, run_sync,  # noqa: F401
                                 tampered)


class Recording(httpx.BaseTransport):
    """The real server's answers, unchanged; each pull page's figures are noted."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.pages: list[dict] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("/pull"):
            body = json.loads(response.read())
            self.pages.append({"cursor": int(request.url.params["cursor"]),
                               "items": len(body["items"]), "next_cursor": body["next_cursor"],
                               "head": body["head"], "more": body["more"]})
        return response


class Held(httpx.BaseTransport):
    """The real server's answers; every pull after the first is held back until `release` is
    set or `hold` seconds have passed (a server slow to send the next page)."""

    def __init__(self, inner: httpx.BaseTransport, hold: float) -> None:
        self.inner, self.hold = inner, hold
        self.release = threading.Event()
        self.pulls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/pull"):
            self.pulls += 1
            if self.pulls > 1:
                self.release.wait(self.hold)
        return self.inner.handle_request(request)


def _cursor(laptop) -> int:
    return int(laptop.store.get_setting("sync.cursor") or 0)


def test_a_pull_over_several_pages_counts_and_shows_its_progress(app_client, inprocess_laptops):
    a, b = inprocess_laptops(2)
    a.event()
    a.register_many(range(5000, 5002))
    a.sync()
    recording = Recording(app_client._transport)
    with httpx.Client(transport=recording, base_url=URL) as http:
        first = run_sync(b.store, http)
        # Everything new fits one page: one request, nothing fetched ahead.
        assert [p["more"] for p in recording.pages] == [False]
        assert recording.pages[0]["cursor"] == 0  # a new laptop asks for everything
        assert (first.pages, first.pulled) == (1, recording.pages[0]["items"])
        start = _cursor(b)
        assert start == recording.pages[0]["next_cursor"] > 0

        a.register_many(range(5002, 5010))
        a.sync()
        recording.pages.clear()
        progress = []
        result = run_sync(b.store, http, page_size=3, on_progress=progress.append)
    pages = recording.pages
    assert len(pages) >= 4 and [p["more"] for p in pages] == [True] * (len(pages) - 1) + [False]
    assert [p["cursor"] for p in pages] == [start] + [p["next_cursor"] for p in pages[:-1]]
    assert result.pages == len(pages) and result.pulled == sum(p["items"] for p in pages)
    assert b.store.scalar("SELECT count(*) FROM people") == 10 and _cursor(b) == pages[-1]["next_cursor"]
    # The sync page: rows received so far, and how far through the server's revisions the
    # laptop is since this round began (full at the last page).
    pulling = [p for p in progress if p.phase == "pull"]
    assert (pulling[0].pulled, pulling[0].pull_fraction) == (0, 0.0)
    received, fractions = [], []
    for page in pages:
        received.append((received[-1] if received else 0) + page["items"])
        fractions.append((page["next_cursor"] - start) / (page["head"] - start)
                         if page["more"] else 1.0)
    assert [p.pulled for p in pulling[1:]] == received
    assert [p.pull_fraction for p in pulling[1:]] == pytest.approx(fractions)
    assert all(0 < f < 1 for f in fractions[:-1])

    # Nothing new: one page, nothing received, the bar full.
    progress.clear()
    with httpx.Client(transport=app_client._transport, base_url=URL) as http:
        idle = run_sync(b.store, http, page_size=3, on_progress=progress.append)
    assert (idle.pages, idle.pulled) == (1, 0)
    assert [(p.pulled, p.pull_fraction) for p in progress if p.phase == "pull"] == [
        (0, 0.0), (0, 1.0)]
    assert progress[-1].pull_fraction == 1.0


def _searchable(laptop) -> bool:
    """Every person the laptop holds is found by name."""
    people = laptop.store.query("SELECT id, full_name FROM people")
    return bool(people) and all(
        p["id"] in {h["id"] for h in laptop.store.search_index.search(p["full_name"], 500)}
        for p in people)


def test_a_pull_with_many_rows_to_go_indexes_them_once_at_the_end(
        monkeypatch, app_client, inprocess_laptops):
    """A pull with more rows to go than BULK_PULL_ROWS (lowered here) leaves the search index
    to be rebuilt once at its end (the switch stored, so an interrupted pull is finished by
    the next round); one with exactly that many, or fewer, keeps it row by row.  Either way
    every pulled person is found afterwards."""
    a, b, c = inprocess_laptops(3)
    a.event()
    a.register(5080)
    a.sync()
    b.sync()
    c.sync()
    start = _cursor(b)
    assert start == _cursor(c) > 0
    a.register_many(range(5081, 5087))
    a.sync()
    bulk_seen = []

    def note(progress):  # on the engine's thread, as it pulls
        if progress.phase == "pull":
            bulk_seen.append(bool(watched[0].store.get_setting(FTS_REBUILD)))

    watched = [c]  # the laptop syncing
    monkeypatch.setattr(engine, "BULK_PULL_ROWS", 0)
    recording = Recording(app_client._transport)
    with httpx.Client(transport=recording, base_url=URL) as http:
        run_sync(c.store, http, page_size=3, on_progress=note)
    assert recording.pages[0]["more"] and True in bulk_seen
    assert not c.store.get_setting(FTS_REBUILD) and _searchable(c)
    assert c.store.scalar("SELECT count(*) FROM people") == 7

    ahead = recording.pages[0]["head"] - start  # the rows b has to go at its first page
    monkeypatch.setattr(engine, "BULK_PULL_ROWS", ahead)
    watched[0] = b
    bulk_seen.clear()
    with httpx.Client(transport=app_client._transport, base_url=URL) as http:
        run_sync(b.store, http, page_size=3, on_progress=note)
    assert bulk_seen and True not in bulk_seen
    assert not b.store.get_setting(FTS_REBUILD) and _searchable(b)
    assert b.store.scalar("SELECT count(*) FROM people") == 7


def test_pages_from_another_branch_server_are_refused_until_enrolled_again(inprocess_laptops):
    """The laptop was enrolled with a branch server that answers at this address no more (a
    server reinstalled without its data): nothing it sends is applied here, and trying again
    cannot help, so the officer is asked to enrol again."""
    a, b = inprocess_laptops(2)
    a.event()
    a.register(5020)
    a.sync()
    b.store.set_setting("sync.server_id", "another-branch-server")
    with pytest.raises(SyncError) as failed:
        b.sync()
    assert failed.value.code == "sync.not_enrolled" and not failed.value.retryable
    assert b.store.scalar("SELECT count(*) FROM people") == 0 and _cursor(b) == 0
    assert b.store.get_setting("sync.last_error")["code"] == "sync.not_enrolled"


def test_a_round_that_fails_while_the_next_page_is_on_its_way_ends_without_it(
        app_client, inprocess_laptops):
    """The first page is refused (another branch server) while the next one is still being
    fetched from a slow server: the round ends after a few seconds, not when that page comes,
    and the fetch it leaves behind does not keep the program from quitting (a daemon thread,
    also when the engine runs on a main thread, as the command line runs it: here the
    test's own; the page is held for 40 s at most, so a round that waits for it ends too)."""
    a, b = inprocess_laptops(2)
    a.event()
    a.register_many(range(5060, 5064))
    a.sync()
    b.store.set_setting("sync.server_id", "another-branch-server")
    held = Held(app_client._transport, hold=40)
    before = set(threading.enumerate())
    try:
        with httpx.Client(transport=held, base_url=URL) as http:
            started = time.monotonic()
            with pytest.raises(SyncError) as failed:
                SyncEngine(b.store, http, page_size=2).run()
            waited = time.monotonic() - started
            left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    finally:
        held.release.set()
    assert failed.value.code == "sync.not_enrolled" and held.pulls == 2
    assert waited < 25  # the round waits 5 s for the fetch, the page would come after 40
    assert left and all(t.daemon for t in left)
    assert b.store.scalar("SELECT count(*) FROM people") == 0 and _cursor(b) == 0


def _backwards(body, request):
    body.update(more=True, next_cursor=0)


def _stands_still(body, request):
    body.update(more=True, next_cursor=int(request.url.params["cursor"]))


@pytest.mark.parametrize("path,edit,detail", [
    ("/push", lambda body, request: body.update(last_seq=body["last_seq"] - 1),
     "acknowledgement does not match batch"),
    ("/audit", lambda body, request: body.update(last_id=body["last_id"] - 1),
     "audit acknowledgement does not match"),
    ("/pull", _backwards, "cursor went backwards"),
    ("/pull", _stands_still, "cursor did not advance"),
], ids=["push_ack", "audit_ack", "cursor_back", "cursor_still"])
def test_the_officer_is_told_what_was_wrong_with_the_servers_answer(
        app_client, inprocess_laptops, path, edit, detail):
    a, b = inprocess_laptops(2)
    a.event()
    a.register_many(range(5030, 5036))
    a.sync()
    b.register(5036, event_id=None)
    with tampered(app_client, path, 2 if path == "/pull" else 1, edit) as http, \
            pytest.raises(SyncError) as failed:
        run_sync(b.store, http, page_size=4)
    assert failed.value.code == "sync.bad_response"
    assert failed.value.params["detail"] == detail
    assert f"({detail})" in failed.value.message()
    assert b.store.get_setting("sync.last_error")["params"]["detail"] == detail


def test_an_audit_acknowledgement_that_does_not_match_moves_no_audit_cursor(
        database_url, app_client, inprocess_laptops):
    """The server stored the entries but its answer does not match what was sent: the laptop
    keeps its audit cursor and sends them again, and the server holds each entry once."""
    laptop, = inprocess_laptops(1)
    laptop.register(5040, event_id=None)
    sent = laptop.store.scalar("SELECT max(id) FROM audit_log")
    edit = (lambda body, request: body.update(received=body["received"] + 1))
    with tampered(app_client, "/audit", 1, edit) as http, pytest.raises(SyncError):
        run_sync(laptop.store, http)
    assert laptop.store.get_setting("sync.audit_cursor") in (None, 0)
    SyncEngine(laptop.store, app_client).run()
    assert laptop.store.get_setting("sync.audit_cursor") >= sent
    (stored, distinct), = server_rows(database_url, "SELECT count(*), count(DISTINCT local_id) "
                                      "FROM audit WHERE device_id = ?", (laptop.store.device_id,))
    assert stored == distinct >= sent


def test_a_merge_on_an_early_page_is_counted_for_the_round(app_client, inprocess_laptops):
    """B registered a person A registers too (the same NIK): A's pull merges its copy into
    B's on one page, and later pages bring A's other people; the round counts the merge."""
    a, b = inprocess_laptops(2)
    b.event()
    b.register(5050)
    b.sync()
    a.event()
    a.register(5050)  # the same person, on A
    a.register_many(range(5051, 5057))
    recording = Recording(app_client._transport)
    with httpx.Client(transport=recording, base_url=URL) as http:
        result = run_sync(a.store, http, page_size=3)
    assert result.merged == 1 and result.pages == len(recording.pages) >= 4
    assert a.store.scalar("SELECT count(*) FROM people") == 7
    audit = [json.loads(r["details"]) for r in a.store.query(
        "SELECT details FROM audit_log WHERE action = 'sync.done'")]
    assert audit[-1]["merged"] == 1
