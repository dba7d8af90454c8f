"""The sealed QR, tickets, the ticket book, the phone server's limits and the desk's checks,
without a GUI (real NaCl, a real server on loopback, a real SQLite hub database)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from bpjs_field.domain.contribution import bpu_contribution, bpu_income_choices
from bpjs_field.domain.formatting import today_wib
from bpjs_field.errors import KnownError
from bpjs_field.messages import CATALOGUE
from bpjs_field.selfreg.desk import CONFIRMED, mark_confirmed, open_scan
from bpjs_field.selfreg.page import rules
from bpjs_field.selfreg.sealed import EventKeys, b32, event_keys, unb32
from bpjs_field.selfreg.server import TICKETS_PER_DEVICE, TicketBook

TODAY = today_wib()
FIELDS = {"nik": "3216094108880001", "full_name": "Siti Aminah", "phone": "0812-3456-7890",
          "declared_income": 2000000, "with_jht": False, "months_paid": 1,
          "birth_date": "1988-08-01", "district_code": "321609", "occupation": "pedagang"}


def sealed(keys, ticket=None, **fields):
    return keys.seal({"v": 1, "t": ticket or keys.ticket(TODAY), "n": "2026-01",
                      "f": FIELDS | fields})


def refusal(fn, *args, **kw) -> str:
    with pytest.raises(KnownError) as exc:
        fn(*args, **kw)
    assert exc.value.message("id") != exc.value.code  # a sentence, not a code
    return exc.value.code


def test_qr_round_trip_and_every_refusal(keys):
    text = sealed(keys)
    assert text.startswith("PRA1:") and text == text.upper()
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:")  # QR alphanumeric mode
    assert "3216094108880001" not in text
    assert keys.open(text)["f"]["full_name"] == "Siti Aminah"
    assert keys.open(text.lower())["f"]["nik"] == FIELDS["nik"]  # a scanner with caps lock
    body = text.rsplit(":", 1)[1]
    flipped = body[:100] + ("A" if body[100] != "A" else "B") + body[101:]
    assert refusal(keys.open, text.rsplit(":", 1)[0] + ":" + flipped) == "selfreg.forged"
    assert refusal(keys.open, sealed(EventKeys.new())) == "selfreg.other_event"
    assert refusal(keys.open, text[:40]) == "selfreg.damaged"
    assert refusal(keys.open, "KC01-000123") == "selfreg.not_prereg"
    assert refusal(keys.open, text.replace(":", "", 1)[:30] + "!!") == "selfreg.not_prereg"
    assert unb32(b32(b"\x00\xffabc")) == b"\x00\xffabc"


def test_tickets_are_the_events_and_the_days(keys):
    ticket = keys.ticket(TODAY)
    assert keys.check_ticket(ticket, TODAY) == ticket.split(".")[0]
    assert refusal(keys.check_ticket, ticket, TODAY + timedelta(days=1)) == "selfreg.expired"
    assert refusal(EventKeys.new().check_ticket, ticket, TODAY) == "selfreg.forged"
    made_up = ticket.split(".")[0][::-1] + "." + ticket.split(".", 1)[1]
    assert refusal(keys.check_ticket, made_up, TODAY) == "selfreg.forged"
    assert refusal(keys.check_ticket, "nonsense", TODAY) == "selfreg.forged"


def test_ticket_book_counts_confirms_once_and_forgets_yesterdays_unconfirmed(book, keys):
    day = {"today": TODAY - timedelta(days=1)}
    book.today = lambda: day["today"]
    yesterday = [book.issue() for _ in range(3)]
    book.confirm(yesterday[0], "desk-1")
    assert book.counts() == {"waiting": 2, "confirmed": 1}
    day["today"] = TODAY
    first, second = book.issue(), book.issue()
    assert book.counts() == {"waiting": 2, "confirmed": 0}
    with book.db.read() as tx:  # yesterday's unconfirmed are gone, the confirmed one stays
        assert tx.scalar("SELECT count(*) FROM selfreg_tickets WHERE day < ?", (TODAY.isoformat(),)) == 1
    assert book.confirm(first, "desk-1", only_check=True)["confirmed_at"] is None
    book.confirm(first, "desk-1")
    assert refusal(book.confirm, first, "desk-2") == "selfreg.replayed"
    assert refusal(book.confirm, first, "desk-2", only_check=True) == "selfreg.replayed"
    assert book.counts() == {"waiting": 1, "confirmed": 1}
    assert refusal(book.confirm, yesterday[1], "desk-1") == "selfreg.expired"
    assert second


def test_the_phone_server_serves_the_page_and_tickets_only_and_limits_each_device(phone_server, book):
    with httpx.Client(base_url=phone_server.url, timeout=10) as http:
        page = http.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in page.headers["content-security-policy"]
        for path in ("/docs", "/openapi.json", "/v1/pull", "/tiket/../v1/hub/status"):
            assert http.get(path).status_code == 404
        assert http.post("/", content=b"{}").status_code == 405
        answers = [http.get("/tiket") for _ in range(TICKETS_PER_DEVICE + 1)]
    assert [a.status_code for a in answers] == [200] * TICKETS_PER_DEVICE + [429]
    assert answers[-1].json()["retry_after"] > 0 and answers[-1].headers["retry-after"]
    assert book.counts()["waiting"] == TICKETS_PER_DEVICE


def test_the_pages_rules_come_from_the_core():
    data = rules(TODAY)
    assert data["steps"] == bpu_income_choices(TODAY)
    from bpjs_field.domain.plan import bpu_plan
    first = data["tables"][data["month_table"][0]]
    for sector, table in first.items():
        for step, (without, with_jht) in zip(data["steps"], table):
            assert without == bpu_contribution(step, with_jht=False, period=TODAY, sector=sector).total
            assert with_jht == bpu_contribution(step, with_jht=True, period=TODAY, sector=sector).total
    for months in (1, 2, 3, 6, 12):  # what the page adds up for months paid ahead
        for sector in first:
            added = sum(data["tables"][data["month_table"][n]][sector][4][1] for n in range(months))
            assert added == bpu_plan(data["steps"][4], with_jht=True, start=TODAY, months=months,
                                     sector=sector).total
    assert all(data["messages"][code] == list(CATALOGUE[code]) for code in data["messages"])
    assert "32" in data["provinces"] and any(d[0] == "321609" for d in data["districts"])


def test_the_desk_opens_checks_again_and_refuses_a_replay(store, officer):
    keys = event_keys(store, create=True)
    pre = open_scan(store, sealed(keys), lang="id")
    assert pre.values["nik"] == FIELDS["nik"] and pre.values["birth_date"] == "01-08-1988"
    assert pre.values["sector"] == "perdagangan" and pre.errors == {}
    bad = open_scan(store, sealed(keys, phone="12", months_paid=40), lang="id")
    assert set(bad.errors) == {"phone", "months_paid"}
    assert set(open_scan(store, sealed(keys, declared_income=123)).errors) == {"declared_income"}
    mark_confirmed(store, pre.ticket_id, "KC01-000001")
    assert refusal(open_scan, store, sealed(keys, ticket=pre.ticket)) == "selfreg.replayed"
    assert list(store.get_setting(CONFIRMED)["ids"]) == [pre.ticket_id]
    # The record is of the day only: tomorrow it is empty (and the ticket expired anyway).
    assert refusal(open_scan, store, sealed(keys, ticket=pre.ticket),
                   today=TODAY + timedelta(days=1)) == "selfreg.expired"


def test_a_laptop_without_the_events_keys_says_so(store, officer):
    assert refusal(open_scan, store, sealed(EventKeys.new())) == "selfreg.no_keys"


def test_a_desk_whose_hub_is_gone_still_opens_and_saves_offline(store, officer):
    """The hub's check is a courtesy: with the hub unreachable the desk answers quickly and
    carries on with its own record (which still refuses a replay here)."""
    import socket
    import time

    from bpjs_field.selfreg import link
    from bpjs_field.sync import hub_join
    from bpjs_field.sync.hub_engine import HUB_CERT, HUB_TOKEN, HUB_URL
    keys = event_keys(store, create=True)
    cert, _key = hub_join.make_certificate("127.0.0.1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with store.write():
        store.set_setting(HUB_URL, f"https://127.0.0.1:{closed}")
        store.set_setting(HUB_CERT, cert.decode("ascii"))
        store.set_setting(HUB_TOKEN, "token")
    pre = open_scan(store, sealed(keys))
    start = time.monotonic()
    assert link.confirm(store, pre.ticket, only_check=True) is False
    assert link.counts(store) is None
    assert time.monotonic() - start < 5


def test_a_taken_port_is_a_plain_refusal_not_a_crashed_thread(book):
    """Another program on the phone page's port: `start` says which address, nothing is
    left running, and the serving thread ends without an unhandled exception."""
    import socket
    import threading

    from bpjs_field.selfreg.server import PhoneServer, RateLimiter, phone_app
    failures: list = []
    previous = threading.excepthook
    threading.excepthook = failures.append
    taken = socket.socket()
    try:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = PhoneServer(phone_app(book, title="Senam", limiter=RateLimiter()), "127.0.0.1", port)
        with pytest.raises(KnownError) as refused:
            server.start(timeout=10)
        assert refused.value.code == "hub.cannot_listen"
        assert refused.value.params["address"] == f"127.0.0.1:{port}"
        assert not any(t.name == "bpjs-selfreg" and t.is_alive() for t in threading.enumerate())
    finally:
        threading.excepthook = previous
        taken.close()
    assert failures == []
