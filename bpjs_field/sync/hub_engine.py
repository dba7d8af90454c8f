"""A laptop's side of the event hub: joining it, and the sync round with it.

`HubEngine` is the branch round of `engine.SyncEngine` against the hub, with the hub's own
settings (`hub.*`), cursor and change-log column (`hub_sent_at`): reaching the hub never
marks a change as delivered to the branch.  Each change this laptop made goes to the hub
signed by this laptop (`origin_sig`), so any other laptop may carry it to the branch.  After
the pull, the round fetches the changes the other laptops pushed (the relay) and queues them
here under their own ids, as a USB file does (`handcarry.py`): whichever laptop reaches the
branch first delivers them, and the branch applies each once.

`HubLink` runs the round every few seconds on a thread, so a registration at one desk is
at the door a few seconds later.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

import pydantic

from bpjs_field.__about__ import __version__
from bpjs_field.errors import KnownError
from bpjs_field.store import auditlog, changelog
from bpjs_field.store.store import dumps, utc_now
from bpjs_field.sync import hub_join
from bpjs_field.sync.client import SyncClient, SyncError
from bpjs_field.sync.engine import SyncEngine, SyncResult
from bpjs_field.protocol import Change

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

log = logging.getLogger(__name__)
HUB_URL = "hub.url"
HUB_TOKEN = "hub.device_token"
HUB_ID = "hub.server_id"
HUB_CERT = "hub.cert"
HUB_CURSOR = "hub.cursor"
HUB_RELAY_CURSOR = "hub.relay_cursor"
HUB_AUDIT_CURSOR = "hub.audit_cursor"
HUB_LAST_SUCCESS = "hub.last_success_at"
HUB_LAST_ERROR = "hub.last_error"
HUB_SINCE = "hub.since_seq"  # the change log's last seq when this laptop first joined a hub
INTERVAL = 2.0  # seconds between rounds: desk to door in well under 5 s


class RelayPage(pydantic.BaseModel):
    items: list[Change]
    next_cursor: int = pydantic.Field(ge=0)
    head: int = pydantic.Field(ge=0)
    more: bool


def joined(store: "Store") -> bool:
    return bool(store.get_setting(HUB_TOKEN) and store.get_setting(HUB_CERT))


def join(store: "Store", text: str, *, timeout: float = 5.0) -> dict[str, Any]:
    """Join the hub named by a join code or URL: check its certificate against the pin,
    then ask it for a device token.  KnownError on any refusal; nothing is stored then."""
    from bpjs_field.sync.engine import refuse_training
    from bpjs_field.sync.hub_server import branch_of
    refuse_training(store)
    if store.officer_id is None:
        raise KnownError("hub.not_logged_in")
    branch_id, _name = branch_of(store)
    info = hub_join.parse_join(text)
    cert = hub_join.fetch_pinned_certificate(info, timeout=timeout)
    http = hub_join.pinned_client(cert, read_timeout=timeout * 2)
    try:
        body = {"key": info.key, "device_id": store.device_id, "device_tag": store.device_tag,
                "device_name": socket.gethostname()[:200], "branch_server_id": branch_id,
                "officer_id": store.officer_id, "app_version": __version__}
        try:
            response = http.post(f"{info.url}/v1/hub/join", json=body)
        except Exception as exc:  # httpx transport errors, TLS refusals
            raise KnownError("hub.unreachable", address=f"{info.host}:{info.port}") from exc
    finally:
        http.close()
    if response.status_code != 200:
        try:
            code = response.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = ""
        raise KnownError(code if code.startswith("hub.") else "hub.refused",
                         status=response.status_code)
    answer = response.json()
    _remember(store, info, cert, answer)
    return {"hub_id": answer["hub_id"], "url": info.url}


def _remember(store: "Store", info: hub_join.JoinInfo, cert: str, answer: dict[str, Any]) -> None:
    with store.write():
        new_hub = store.get_setting(HUB_ID) != answer["hub_id"]
        store.set_setting(HUB_URL, info.url)
        store.set_setting(HUB_CERT, cert)
        store.set_setting(HUB_TOKEN, answer["device_token"])
        if new_hub:
            store.set_setting(HUB_ID, answer["hub_id"])
            store.set_setting(HUB_CURSOR, 0)
            store.set_setting(HUB_RELAY_CURSOR, 0)
            # The audit log goes to the branch from each laptop; the hub gets it from now on.
            store.set_setting(HUB_AUDIT_CURSOR, auditlog.max_id(store))
            # A new hub (the first, or one replacing a lost one) gets everything this laptop
            # holds of the event (made or carried here since it first joined a hub, even if
            # the branch already has it: the other laptops may not) and whatever the branch
            # has not; older history the branch has is not sent again.
            since = store.get_setting(HUB_SINCE)
            if since is None:
                since = changelog.max_seq(store)
                store.set_setting(HUB_SINCE, since)
            changelog.reset_for_hub(store, since, utc_now())
        store.set_setting(HUB_LAST_ERROR, None)
        store.audit("hub.join", None, None, hub=answer["hub_id"][:8], address=f"{info.host}:{info.port}")


def unlink(store: "Store") -> None:
    """No more rounds with the hub (its laptop stopped serving); the hub's id, cursors and
    the event's start stay, so joining it again carries on and a new hub gets everything."""
    with store.write():
        for key in (HUB_URL, HUB_TOKEN, HUB_CERT):
            store.set_setting(key, None)
        store.audit("hub.unlink", None, None)


def leave(store: "Store") -> None:
    with store.write():
        for key in (HUB_URL, HUB_TOKEN, HUB_CERT, HUB_SINCE):
            store.set_setting(key, None)
        store.audit("hub.leave", None, None)


class HubEngine(SyncEngine):
    """The sync round with the event hub (see the module's docstring)."""

    url_key = HUB_URL
    token_key = HUB_TOKEN
    cursor_key = HUB_CURSOR
    server_id_key = HUB_ID
    audit_cursor_key = HUB_AUDIT_CURSOR
    last_success_key = HUB_LAST_SUCCESS
    last_error_key = HUB_LAST_ERROR
    sent_column = "hub_sent_at"
    to_branch = False
    lock_name = "hub-sync"  # a long branch sync does not hold up the rounds with the hub

    def __init__(self, store: "Store", http: Any = None, **kw: Any) -> None:
        cert = store.get_setting(HUB_CERT)
        if http is None:
            if not cert:
                raise SyncError("hub.not_joined", retryable=False)
            http = hub_join.pinned_client(cert, read_timeout=20.0)
            self._own_http = http
        else:
            self._own_http = None
        super().__init__(store, http, **kw)
        self._seed: bytes | None = None
        self.seeded: dict[str, int] | None = None  # what the last offer to the hub did
        self._noted_at = float("-inf")

    def _note_success(self, moved: bool) -> bool:
        """A round every 2 s that moved nothing stores its success once a minute (a commit
        costs a flush to disk); the screen reads the link's own state every round."""
        now = time.monotonic()
        if moved or now - self._noted_at >= 60 or self.store.get_setting(self.last_error_key):
            self._noted_at = now
            return True
        return False

    def close(self) -> None:
        if self._own_http is not None:
            self._own_http.close()

    def _note_clock(self, client: SyncClient, result: SyncResult) -> None:
        """The hub is a laptop: its clock is no better than this one's (the hybrid clock
        still observes the hub's, so causality holds)."""

    def _origin(self, origin: str | None, change: tuple) -> str | None:
        """This laptop's own changes go to the hub signed, so others can carry them."""
        if origin:
            return origin
        change_id, entity, entity_id, op, payload, hlc = change
        if not hlc.endswith("-" + self.store.device_id):
            return None
        from bpjs_field.security import signing
        if self._seed is None:
            self._seed = signing.device_seed(self.store)
        import json
        return signing.sign(self._seed, signing.origin_message(
            change_id, entity, entity_id, op, hlc, json.loads(payload)))

    def _push(self, client: SyncClient, result: SyncResult) -> None:
        """What this laptop knew before the event goes to the hub first (hub_seed.py), so
        the hub can take a check-in of anyone this laptop knows."""
        from bpjs_field.sync import hub_seed
        state = hub_seed.due(self.store, self.store.get_setting(HUB_ID))
        if state is not None:
            self.seeded = hub_seed.offer(self.store, client, self._check_cancel, state)
            self.store.set_setting(hub_seed.SEEDED, state)
            log.info("offered the hub %(offered)s rows, it took %(taken)s", self.seeded)
        super()._push(client, result)

    def _pull(self, client: SyncClient, result: SyncResult) -> None:
        super()._pull(client, result)
        self._relay(client, result)

    def _relay(self, client: SyncClient, result: SyncResult) -> None:
        """Queue the other laptops' changes here for the branch (not applied: the pull just
        brought their merged result)."""
        from bpjs_field.handcarry import _about_erased, _known_erasures
        cursor = int(self.store.get_setting(HUB_RELAY_CURSOR) or 0)
        # Not yet at the branch: this laptop's own changes, and the ones it carries for the
        # others (the same change is carried by every laptop: only the own ones add up).
        own, carried = changelog.own_and_carried_unsent(self.store)
        while True:
            self._check_cancel()
            page = client._request("GET", "/hub/changes", RelayPage,
                                   params={"cursor": cursor, "pending": own, "carried": carried})
            if not page.items and page.next_cursor == cursor:
                return  # nothing new: no transaction
            now = utc_now()
            with self.store.write():
                erased = _known_erasures(self.store) if page.items else set()
                changelog.queue_carried(
                    self.store,
                    [(c.change_id, c.entity, c.entity_id, c.op, dumps(c.payload), c.hlc, c.created_at,
                      dumps(c.signature.model_dump()) if c.signature else None, c.origin_sig)
                     for c in page.items if c.origin_sig and not _about_erased(c, erased)],
                    hub_sent_at=now)
                self.store.set_setting(HUB_RELAY_CURSOR, page.next_cursor)
            cursor = page.next_cursor
            if not page.more:
                return


class HubLink:
    """Syncs a laptop with its hub every `interval` seconds on a thread of its own, with its
    own connection to the laptop's database (`open_store()`).  `state()` is a snapshot for
    the screen: last success, last error, rounds."""

    def __init__(self, open_store: Any, interval: float = INTERVAL,
                 after_round: Any = None) -> None:
        self.open_store = open_store
        self.interval = interval
        self.after_round = after_round
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._state: dict[str, Any] = {"rounds": 0, "last_error": None, "last_success": None,
                                       "pulled": 0}

    def start(self) -> "HubLink":
        self._thread = threading.Thread(target=self._loop, name="bpjs-hub-link", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def state(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._state)

    def _loop(self) -> None:
        store = self.open_store()
        engine = None
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    if engine is None:
                        engine = HubEngine(store)
                    result = engine.run()
                    with self._lock:
                        self._state.update(rounds=self._state["rounds"] + 1, last_error=None,
                                           last_success=result.finished_at,
                                           pulled=self._state["pulled"] + result.pulled)
                    if self.after_round is not None:
                        self.after_round(result)
                except KnownError as exc:
                    if exc.code != "sync.busy":
                        log.info("hub round failed: %s", exc.code)
                        with self._lock:
                            self._state["last_error"] = exc.code
                            self._state["last_error_params"] = {
                                k: str(v) for k, v in exc.params.items()}
                        if engine is not None:
                            engine.close()
                        engine = None  # joined again meanwhile: the next round reads the settings
                self._stop.wait(max(0.05, self.interval - (time.monotonic() - started)))
        finally:
            if engine is not None:
                engine.close()
            store.close()
