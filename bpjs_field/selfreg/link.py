"""A desk laptop's calls to the event hub about pre-registrations, over the pinned link the
laptop joined with (server.py has the routes; every laptop of the event, the hub's own
included, is joined to the hub)."""

from __future__ import annotations

import logging
from typing import Any

from bpjs_field.errors import KnownError
from bpjs_field.selfreg.sealed import SETTING, EventKeys

log = logging.getLogger(__name__)
KEYS_HUB = "selfreg.keys_hub"  # the hub id the event keys came from


def _call(store: Any, method: str, path: str, **kw: Any) -> Any:
    from bpjs_field.sync import hub_join
    from bpjs_field.sync.hub_engine import HUB_CERT, HUB_TOKEN, HUB_URL
    url, cert, token = (store.get_setting(k) for k in (HUB_URL, HUB_CERT, HUB_TOKEN))
    if not (url and cert and token):
        raise KnownError("hub.not_joined")
    import httpx
    # Short: a scan at the desk waits for this; a hub gone answers nothing, and the desk
    # carries on with its own record.
    http = httpx.Client(verify=hub_join.pinned_context(cert), follow_redirects=False,
                        timeout=httpx.Timeout(3.0, connect=2.0))
    try:
        return http.request(method, f"{url}/v1/hub/selfreg/{path}",
                            headers={"Authorization": f"Bearer {token}"}, **kw)
    except Exception as exc:  # httpx transport errors, TLS refusals
        raise KnownError("hub.unreachable", address=url) from exc
    finally:
        http.close()


def refresh_keys(store: Any) -> EventKeys | None:
    """The joined hub's event keys, kept in this laptop's encrypted settings; None when
    the laptop has joined no hub or the hub cannot be reached (the kept ones stay)."""
    from bpjs_field.sync.hub_engine import HUB_ID
    try:
        response = _call(store, "GET", "keys")
    except KnownError:
        return None
    if response.status_code != 200:
        return None
    keys = EventKeys.from_setting(response.json())
    with store.write():
        store.set_setting(SETTING, keys.to_setting())
        store.set_setting(KEYS_HUB, store.get_setting(HUB_ID))
    return keys


def keys_for_desk(store: Any) -> EventKeys | None:
    """The keys to open QRs with: fetched again when the laptop joined another hub since."""
    from bpjs_field.selfreg.sealed import event_keys
    from bpjs_field.sync.hub_engine import HUB_ID
    kept = event_keys(store)
    hub_id = store.get_setting(HUB_ID)
    if kept is not None and (hub_id is None or store.get_setting(KEYS_HUB) == hub_id):
        return kept
    return refresh_keys(store) or kept


def confirm(store: Any, ticket: str, *, only_check: bool = False) -> bool:
    """Tell the hub this ticket is used (or, `only_check`, ask whether it was). True when
    the hub answered; False when it cannot be reached (the desk carries on: its own record
    refuses a replay here). KnownError `selfreg.replayed` when another desk used it."""
    try:
        response = _call(store, "POST", "confirm", json={"ticket": ticket, "only_check": only_check})
    except KnownError as exc:
        log.info("pre-registration not confirmed at the hub: %s", exc.code)
        return False
    if response.status_code == 409:
        error = response.json().get("error", {})
        code = error.get("code", "selfreg.forged")
        raise KnownError(code, **(error.get("params") or {}))
    return response.status_code == 200


def counts(store: Any) -> dict[str, int] | None:
    try:
        response = _call(store, "GET", "counts")
    except KnownError:
        return None
    return response.json() if response.status_code == 200 else None
