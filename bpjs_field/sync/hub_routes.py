"""The hub's own routes beside the branch server's (see hub_server.py, PROTOCOL.md *Event hub*)."""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time.

import json
import logging
import secrets
import time
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Header, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bpjs_field.errors import KnownError
from bpjs_field.server import accounts, tags
from bpjs_field.server.accounts import token_hash, utc_now
from bpjs_field.protocol import API_PREFIX

if TYPE_CHECKING:
    from bpjs_field.server.db import ServerDatabase
    from bpjs_field.sync.hub_server import HubServer

log = logging.getLogger(__name__)
MAX_RELAY_PAGE = 2000
CONTACT_EVERY = 10.0  # seconds between writes of an idle laptop's last contact
REFUSALS = {"hub.bad_key": 403, "hub.other_branch": 403, "hub.not_logged_in": 403,
            "hub.unknown_officer": 403, "hub.join_paused": 429}
MESSAGES = {"hub.bad_key": "The join code is wrong or from another event.",
            "hub.other_branch": "This laptop is enrolled at another branch.",
            "hub.not_logged_in": "No officer is logged in on this laptop.",
            "hub.unknown_officer": "The officer is not an active officer of this branch.",
            "hub.join_paused": "Too many wrong join codes; try again in a minute."}


class SeedOffer(BaseModel):
    items: list[tuple[str, str, str]] = Field(max_length=10000)


class SeedRows(BaseModel):
    entity: str = Field(max_length=20)
    rows: list[dict[str, Any]] = Field(max_length=5000)


class JoinRequest(BaseModel):
    key: str = Field(max_length=16)
    device_id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    device_tag: str = Field(max_length=8)
    device_name: str = Field(default="", max_length=200)
    branch_server_id: str = Field(max_length=64)
    officer_id: str | None = Field(default=None, max_length=64)
    app_version: str = Field(default="", max_length=40)


def add(app: FastAPI, db: "ServerDatabase", hub: "HubServer") -> None:
    contacts: dict[str, tuple[tuple[int, int], float]] = {}  # device: (counts, when written)

    def device(authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        return accounts.authenticate(db, authorization)

    @app.post(f"{API_PREFIX}/hub/join")
    def join(body: JoinRequest) -> Any:
        """A laptop of the branch, with an officer logged in and the event's join key."""
        try:
            officer = hub.check_join(body.model_dump())
        except KnownError as exc:
            log.info("join refused: %s", exc.code)
            hub.audit("hub.join_refused", reason=exc.code)
            return JSONResponse({"error": {"code": exc.code, "message": MESSAGES[exc.code]}},
                                status_code=REFUSALS[exc.code])
        token = secrets.token_urlsafe(32)
        now = utc_now()
        with db.write() as tx:
            # The officer's account here only names the role (no password: nobody enrols here).
            tx.execute("INSERT INTO accounts(id, employee_no, full_name, branch, role, password_hash, "
                       "active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '!', 1, ?, ?) "
                       "ON CONFLICT (id) DO UPDATE SET role = excluded.role, active = 1",
                       (officer["id"], officer["employee_no"], officer["full_name"],
                        officer["branch"], officer["role"], now, now))
            tx.execute("INSERT INTO devices(id, device_tag, name, officer_id, token_hash, enrolled_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET token_hash = "
                       "excluded.token_hash, officer_id = excluded.officer_id, name = excluded.name",
                       (body.device_id, body.device_tag, body.device_name, officer["id"],
                        token_hash(token), now))
            # Its registrations arrive under its own tag (server/tags.py); earlier tags are
            # taken on first use, as at the branch.
            tags.record(tx, body.device_id, body.device_tag, "enrolled", now)
            tx.execute("INSERT INTO hub_members(device_id, officer_id, employee_no, device_name, "
                       "joined_at, last_contact_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) "
                       "DO UPDATE SET officer_id = excluded.officer_id, employee_no = "
                       "excluded.employee_no, last_contact_at = excluded.last_contact_at",
                       (body.device_id, officer["id"], officer["employee_no"], body.device_name,
                        now, now))
        hub.audit("hub.joined", device_tag=body.device_tag, employee_no=officer["employee_no"])
        return {"device_token": token, "hub_id": hub.hub_id, "server_time": now}

    @app.get(f"{API_PREFIX}/hub/changes")
    def changes(dev: Annotated[dict, Depends(device)],
                cursor: Annotated[int, Query(ge=0)] = 0,
                limit: Annotated[int, Query(ge=1, le=MAX_RELAY_PAGE)] = MAX_RELAY_PAGE,
                pending: Annotated[int, Query(ge=0)] = 0,
                carried: Annotated[int, Query(ge=0)] = 0) -> Response:
        """The changes other laptops pushed here, as they came, in the order they came.
        `pending`: the laptop's own changes not yet at the branch; `carried`: the other
        laptops' changes it holds for the branch (the hub's screen shows both)."""
        # A laptop asks every 2 s: its row is written when its counts change, else every
        # CONTACT_EVERY seconds (a commit costs a flush to disk; the screen shows minutes).
        now = time.monotonic()
        seen = contacts.get(dev["id"])
        if seen is None or seen[0] != (pending, carried) or now - seen[1] >= CONTACT_EVERY:
            with db.write() as tx:
                tx.execute("UPDATE hub_members SET last_contact_at = ?, pending = ?, carried = ? "
                           "WHERE device_id = ?", (utc_now(), pending, carried, dev["id"]))
            contacts[dev["id"]] = ((pending, carried), now)
        with db.read() as tx:
            rows = tx.rows("SELECT n, device_id, envelope FROM hub_relay WHERE n > ? ORDER BY n LIMIT ?",
                           (cursor, limit))
            head = tx.scalar("SELECT coalesce(max(n), 0) FROM hub_relay")
        items = ",".join(r[2] for r in rows if r[1] != dev["id"])
        last = rows[-1][0] if rows else cursor
        body = (f'{{"items":[{items}],"next_cursor":{last},"head":{head},'
                f'"more":{"true" if last < head else "false"}}}')
        return Response(body, media_type="application/json")

    @app.post(f"{API_PREFIX}/hub/seed/offer")
    def seed_offer(body: SeedOffer, dev: Annotated[dict, Depends(device)]) -> Any:
        """Which of the rows a laptop holds the hub wants (hub_seed.py)."""
        from bpjs_field.sync import hub_seed
        with db.read() as tx:
            return {"want": hub_seed.wanted(tx, [list(item) for item in body.items])}

    @app.post(f"{API_PREFIX}/hub/seed")
    def seed(body: SeedRows, dev: Annotated[dict, Depends(device)]) -> Any:
        """Rows a laptop knew before the event, kept as seed rows (never relayed)."""
        from bpjs_field.sync import hub_seed
        with db.write() as tx:
            return hub_seed.take(tx, body.entity, body.rows)

    @app.get(f"{API_PREFIX}/hub/status")
    def status(dev: Annotated[dict, Depends(device)]) -> Any:
        return hub_status(db)


def hub_status(db: "ServerDatabase") -> dict[str, Any]:
    """Laptops joined (last contact; as each last said, its own changes not yet at the branch
    (`pending`) and the others' it carries (`carried`); its changes the hub passed on
    (`relayed`)), the event's own changes not yet at the branch (`waiting_for_branch`, each
    counted once) and the event totals over everything the hub holds."""
    with db.read() as tx:
        laptops = tx.dicts(
            "SELECT m.device_id, d.device_tag, m.device_name, m.employee_no, m.joined_at, "
            "m.last_contact_at, m.pending, m.carried, (SELECT count(*) FROM hub_relay r "
            "WHERE r.device_id = m.device_id) AS relayed FROM hub_members m "
            "JOIN devices d ON d.id = m.device_id ORDER BY m.joined_at")
        events = {r[0]: json.loads(r[1]) for r in tx.rows(
            "SELECT id, data FROM docs WHERE entity = 'event' AND deleted = 0")}
        counts: dict[str, dict[str, int]] = {}
        for entity, key in (("registration", "registrations"), ("attendance", "checked_in")):
            for event_id, n in tx.rows(
                    "SELECT json_extract(data, '$.event_id'), count(*) FROM docs WHERE entity = ? "
                    "AND deleted = 0 AND merged_into IS NULL GROUP BY 1", (entity,)):
                if event_id:
                    counts.setdefault(event_id, {"registrations": 0, "checked_in": 0})[key] = n
        people = tx.scalar("SELECT count(*) FROM docs WHERE entity = 'person' AND deleted = 0 "
                           "AND merged_into IS NULL")
        merged = tx.scalar("SELECT count(*) FROM docs WHERE entity = 'person' AND merged_into IS NOT NULL")
        relayed = tx.scalar("SELECT count(*) FROM hub_relay")
    totals = [{"event_id": eid, "title": (events.get(eid) or {}).get("title", ""),
               "targets": _targets((events.get(eid) or {}).get("targets")), **c}
              for eid, c in counts.items()]
    # Each change waits at the laptop that made it (the others only carry copies).
    waiting = sum(int(row["pending"] or 0) for row in laptops)
    return {"laptops": laptops, "events": totals, "people": people, "duplicates_merged": merged,
            "relayed": relayed, "waiting_for_branch": waiting}


def _targets(value: Any) -> dict[str, int]:
    """An event's targets as the laptop stores them (a JSON text or an object)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, (int, float))}
