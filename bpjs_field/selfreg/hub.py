"""Self-registration beside an event hub: the hub laptop holds the event's keys and its
ticket book, serves the phone page, and answers the desks (server.py)."""

from __future__ import annotations

import logging
from typing import Any

from bpjs_field.errors import KnownError
from bpjs_field.selfreg.link import KEYS_HUB
from bpjs_field.selfreg.sealed import SETTING, EventKeys, event_keys
from bpjs_field.selfreg.server import (PHONE_PORT_OFFSET, PhoneServer, TicketBook,
                                       add_desk_routes, phone_app)

log = logging.getLogger(__name__)


def attach(hub: Any, app: Any, db: Any) -> None:
    """At the hub app's build: the event's keys (made with the hub's join key and certificate,
    so a new hub has new keys; the same hub started again keeps them), kept in the laptop's
    encrypted settings; the ticket book in the hub's database; the desk routes."""
    keys = event_keys(hub.store)
    if keys is None or getattr(hub, "_settings", {}).get("new"):
        keys = EventKeys.new()
        with hub.store.write():
            hub.store.set_setting(SETTING, keys.to_setting())
    with hub.store.write():
        hub.store.set_setting(KEYS_HUB, hub.hub_id)  # this laptop, as a desk, uses these
    hub.selfreg_book = TicketBook(db, keys)
    add_desk_routes(app, db, lambda: getattr(hub, "selfreg_book", None))


def phone_url(hub: Any) -> str:
    host = f"[{hub.host}]" if ":" in hub.host else hub.host
    return f"http://{host}:{hub.port + PHONE_PORT_OFFSET}/"


def start_phone(hub: Any) -> None:
    """The phone page beside the hub; the hub runs on without it when its port is taken."""
    book = getattr(hub, "selfreg_book", None)
    if book is None:
        return
    title = "BPJS Ketenagakerjaan" + (f" · {hub.branch_name}" if hub.branch_name else "")
    try:
        hub.selfreg_phone = PhoneServer(phone_app(book, title=title), hub.host,
                                        hub.port + PHONE_PORT_OFFSET).start()
    except Exception as exc:  # noqa: BLE001 - the laptops' hub matters more than the phone page
        if isinstance(exc, KnownError):  # the port taken, the address gone: the panel says so
            log.warning("the self-registration page could not start: %s", exc.code)
        else:
            log.warning("the self-registration page could not start", exc_info=True)
        hub.selfreg_phone = None
        hub.selfreg_error = f"{hub.host}:{hub.port + PHONE_PORT_OFFSET}"


def stop_phone(hub: Any) -> None:
    server = getattr(hub, "selfreg_phone", None)
    if server is not None:
        server.stop()
        hub.selfreg_phone = None
