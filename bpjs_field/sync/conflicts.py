"""Sync conflicts on a supervisor's laptop: list them, decide them (Qt-free).

Two laptops edited the same field offline; the server kept the later value and
kept the other one aside (bpjs_field/server/conflicts.py says how a decision is
recorded there).  Here:

- `list_conflicts()` reads the open conflicts from the server, with the
  person's name from this laptop's store and the values masked (phone, email,
  KITAS) unless `reveal=True`; each listing and each reveal is audited (counts
  only, never a value).
- `begin()` records a decision on this laptop.  "Keep" needs nothing more.
  "Use the other value" is a normal supervised edit (`store.people.update`:
  validated, audited, in the change log) stamped after both sides' clocks, so
  it wins on the server and reaches every laptop the ordinary way.  The
  decision waits in the setting `conflicts.pending`, written in the same
  transaction as the edit, so a crash, a failed sync or a lost answer loses
  nothing and never makes a second edit.
- `finish_pending()` tells the server about each waiting decision once its
  edit was acknowledged by a push.  A lost answer leaves the decision waiting;
  sending it again is answered from the server's record (`repeated`).  A
  refusal (already decided, person erased, value changed) ends it, audited.
- `resolve()` is all three for the command line: decide, sync, tell the server.

Every entry point requires a supervisor (`require_supervisor`, which audits a
refusal); the server refuses an officer's laptop again (403).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import httpx

from bpjs_field.domain.foreign import mask_passport
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.phone import mask_phone
from bpjs_field.errors import KnownError
from bpjs_field.security.session import require_supervisor
from bpjs_field.store import changelog
from bpjs_field.store.hlc import parse_hlc
from bpjs_field.store.people import EDITABLE
from bpjs_field.store.store import utc_now
from bpjs_field.sync.client import SyncClient, SyncError
from bpjs_field.sync.engine import SERVER_ID, SERVER_URL, TOKEN, SyncEngine
from bpjs_field.protocol import Conflict

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

log = logging.getLogger(__name__)
PENDING = "conflicts.pending"
KEEP, USE_OTHER = "keep", "use_other"


def mask_email(value: str) -> str:
    """`warga@example.id` -> `w****@example.id`: the domain helps recognise it, no more."""
    local, at, domain = value.partition("@")
    return f"{local[:1]}{'*' * max(1, len(local) - 1)}{at}{domain}" if at else "*" * len(value)


# Fields shown masked (as on the people list) until the supervisor reveals them.
MASKS = {"phone": mask_phone, "email": mask_email, "kitas_no": mask_passport, "nik": mask_nik,
         "passport_no": mask_passport}


def shown_value(field_name: str, raw: str | None, reveal: bool) -> str:
    """The text a supervisor sees for a stored (JSON) value."""
    if raw is None:
        return ""
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    if value is None or value == "":
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    mask = MASKS.get(field_name)
    return text if reveal or mask is None else mask(text)


def hlc_time(hlc: str | None) -> str | None:
    """The wall-clock part of a hybrid-clock time, as ISO 8601 UTC."""
    if not hlc:
        return None
    try:
        wall = parse_hlc(hlc)[0]
    except ValueError:
        return None
    return datetime.fromtimestamp(wall / 1000, timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ConflictView:
    """One open conflict as the supervisor sees it (values already masked or revealed)."""

    id: int
    entity: str
    entity_id: str
    field: str
    person: str | None  # the name on this laptop; None when the row is not here (yet)
    current: str  # the value every laptop holds now
    other: str  # the value that lost
    current_laptop: str
    other_laptop: str
    current_at: str | None  # when each value was typed (hybrid clock)
    other_at: str | None
    detected_at: str
    same_field: int  # open conflicts of this row and field: one decision settles them
    current_hlc: str | None  # the clock of the current value shown (see begin())
    can_use_other: bool
    pending: str | None  # a decision made here that has not reached the server yet

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ConflictList:
    rows: list[ConflictView] = field(default_factory=list)
    finished: list[dict[str, Any]] = field(default_factory=list)  # see finish_pending()
    waiting: int = 0  # decisions still waiting for a sync


def client_for(store: "Store", http: httpx.Client) -> SyncClient:
    url = store.get_setting(SERVER_URL)
    if not url:
        raise SyncError("sync.no_server", retryable=False)
    token = store.get_setting(TOKEN)
    if not token:
        raise SyncError("sync.not_enrolled", retryable=False)
    return SyncClient(http, url, token)


def pending(store: "Store") -> dict[str, dict[str, Any]]:
    return dict(store.get_setting(PENDING) or {})


def _set_pending(store: "Store", entries: dict[str, dict[str, Any]]) -> None:
    store.set_setting(PENDING, entries or None)


def _usable_person(store: "Store", conflict: Conflict) -> dict[str, Any] | None:
    """The local person whose field can take the other value, or None."""
    if conflict.entity != "person" or conflict.field not in EDITABLE:
        return None
    person = store.people.get(conflict.entity_id)
    if person is None or person.get("erased_at"):
        return None
    return person


def _label(device: str | None, laptop: str | None) -> str:
    return laptop or (device or "?")[:8]


def _view(store: "Store", c: Conflict, same: int, waiting: dict[str, Any], reveal: bool,
          names: dict[str, str | None]) -> ConflictView:
    if c.entity == "person" and c.entity_id not in names:
        person = store.people.get(c.entity_id)
        names[c.entity_id] = person["full_name"] if person else None
    current = c.current_value if c.current_value is not None else c.kept_value
    return ConflictView(
        id=c.id, entity=c.entity, entity_id=c.entity_id, field=c.field,
        person=names.get(c.entity_id), current=shown_value(c.field, current, reveal),
        other=shown_value(c.field, c.lost_value, reveal),
        current_laptop=_label(c.kept_device, c.kept_laptop),
        other_laptop=_label(c.lost_device, c.lost_laptop),
        current_at=hlc_time(c.current_hlc or c.kept_hlc), other_at=hlc_time(c.lost_hlc),
        detected_at=c.detected_at, same_field=same, current_hlc=c.current_hlc,
        can_use_other=_usable_person(store, c) is not None,
        pending=(waiting.get(str(c.id)) or {}).get("choice"))


def list_conflicts(store: "Store", http: httpx.Client, *, reveal: bool = False,
                   limit: int = 500) -> ConflictList:
    """Open conflicts, newest first; decisions waiting from earlier are sent first."""
    require_supervisor(store, "conflicts")
    client = client_for(store, http)
    finished = finish_pending(store, client)
    answer = client.conflicts(limit)
    per_field: dict[tuple[str, str, str], int] = {}
    for c in answer:
        key = (c.entity, c.entity_id, c.field)
        per_field[key] = per_field.get(key, 0) + 1
    waiting = pending(store)
    names: dict[str, str | None] = {}
    rows = [_view(store, c, per_field[(c.entity, c.entity_id, c.field)], waiting, reveal, names)
            for c in answer]
    with store.write():
        # Showing the values is an access to personal data: who, when, how many, never what.
        store.audit("conflicts.reveal" if reveal else "conflicts.view", None, None,
                    count=len(rows))
    return ConflictList(rows, finished, len(waiting))


def begin(store: "Store", http: httpx.Client, conflict_id: int, choice: str,
          shown_hlc: str | None = None) -> dict[str, Any]:
    """Record the decision on this laptop (for "use the other value", the edit itself).
    `shown_hlc` is the current value's clock as the supervisor saw it (`ConflictView`): a
    value changed since is refused, so no one decides on a value they have not seen.
    Asking twice gives the decision already waiting; it never edits twice."""
    require_supervisor(store, "conflicts.resolve")
    if choice not in (KEEP, USE_OTHER):
        raise ValueError(f"unknown choice {choice!r}")
    waiting = pending(store)
    key = str(int(conflict_id))
    if key in waiting:
        if waiting[key]["choice"] != choice:
            raise KnownError("conflicts.pending_other")
        return waiting[key]
    conflict = client_for(store, http).conflict(conflict_id)
    if conflict.resolved_at:
        raise KnownError("conflicts.resolved")
    if shown_hlc is not None and shown_hlc != conflict.current_hlc:
        raise KnownError("conflicts.changed")
    entry: dict[str, Any] = {"choice": choice, "server_id": store.get_setting(SERVER_ID),
                             "entity": conflict.entity, "entity_id": conflict.entity_id,
                             "field": conflict.field, "at": utc_now()}
    if choice == KEEP:
        entry["current_hlc"] = conflict.current_hlc
        with store.write():
            _set_pending(store, {**waiting, key: entry})
            store.audit("conflicts.resolve", conflict.entity, conflict.entity_id,
                        conflict=conflict.id, field=conflict.field, choice=choice)
        return entry
    _use_other(store, conflict, entry, waiting)
    return entry


def _use_other(store: "Store", conflict: Conflict, entry: dict[str, Any],
               waiting: dict[str, dict[str, Any]]) -> None:
    if conflict.entity == "person":
        person = store.people.get(conflict.entity_id)
        if person is not None and person.get("erased_at"):
            raise KnownError("conflicts.person_erased")
        if person is None and conflict.field in EDITABLE:
            raise KnownError("conflicts.person_missing")
    if _usable_person(store, conflict) is None:
        raise KnownError("conflicts.not_editable")
    value = json.loads(conflict.lost_value) if conflict.lost_value is not None else None
    # The edit must beat both sides and the value now on the server, whatever this laptop's
    # clock says: fold their clocks into ours before stamping it.
    for seen in (conflict.kept_hlc, conflict.lost_hlc, conflict.current_hlc):
        if seen:
            store.clock.observe(seen)
    with store.write():
        # force: this laptop may already hold that value while the server holds the other.
        store.people.update(conflict.entity_id, {conflict.field: value}, force=True)
        entry["change_id"] = changelog.latest_change_id(store, "person", conflict.entity_id)
        _set_pending(store, {**waiting, str(conflict.id): entry})
        store.audit("conflicts.resolve", conflict.entity, conflict.entity_id, conflict=conflict.id,
                    field=conflict.field, choice=USE_OTHER, change_id=entry["change_id"])


def _sent(store: "Store", change_id: str | None) -> bool:
    return changelog.is_sent(store, change_id)


def finish_pending(store: "Store", client: SyncClient,
                   only: int | None = None) -> list[dict[str, Any]]:
    """Tell the server the waiting decisions whose edit it has; returns, per decision sent,
    {"id", "choice", "resolved": [ids], "repeated"} or {"id", "choice", "error": code}.
    A network failure raises and leaves the decisions waiting."""
    outcomes: list[dict[str, Any]] = []
    server_id = store.get_setting(SERVER_ID)
    for key, entry in pending(store).items():
        if only is not None and key != str(only):
            continue
        if entry.get("server_id") != server_id:
            # Enrolled with another server since: its conflict ids mean nothing there.
            _drop(store, key, "conflicts.resolve_dropped", entry, code="server_changed")
            continue
        if entry["choice"] == USE_OTHER and not _sent(store, entry.get("change_id")):
            continue  # the edit has not been acknowledged by a push yet
        body = {"choice": entry["choice"]}
        if entry["choice"] == USE_OTHER:
            body["change_id"] = entry["change_id"]
        elif entry.get("current_hlc"):
            body["current_hlc"] = entry["current_hlc"]
        try:
            answer = client.resolve_conflict(int(key), body)
        except SyncError as exc:
            if not exc.code.startswith("conflicts."):
                raise
            _drop(store, key, "conflicts.resolve_refused", entry, code=exc.code)
            outcomes.append({"id": int(key), "choice": entry["choice"], "error": exc.code})
            continue
        _drop(store, key, "conflicts.resolved", entry, settled=answer.resolved,
              repeated=answer.repeated)
        outcomes.append({"id": int(key), "choice": entry["choice"], "resolved": answer.resolved,
                         "repeated": answer.repeated})
    return outcomes


def _drop(store: "Store", key: str, action: str, entry: dict[str, Any], **details: Any) -> None:
    with store.write():
        waiting = pending(store)
        waiting.pop(key, None)
        _set_pending(store, waiting)
        store.audit(action, entry.get("entity"), entry.get("entity_id"), conflict=int(key),
                    choice=entry["choice"], **details)


def resolve(store: "Store", http: httpx.Client, conflict_id: int, choice: str,
            shown_hlc: str | None = None) -> dict[str, Any]:
    """The whole decision, for the command line: record it, sync the edit, tell the server.
    Raises `conflicts.waiting` when the server could not be told yet (the next listing or
    `resolve` finishes it), or the server's refusal."""
    begin(store, http, conflict_id, choice, shown_hlc)
    try:
        if choice == USE_OTHER:
            SyncEngine(store, http).run()
        outcomes = finish_pending(store, client_for(store, http), only=conflict_id)
    except SyncError as exc:
        if exc.code.startswith("conflicts."):
            raise
        raise KnownError("conflicts.waiting", id=conflict_id, reason=exc.message()) from exc
    if not outcomes:
        raise KnownError("conflicts.waiting", id=conflict_id, reason="-")
    outcome = outcomes[0]
    if "error" in outcome:
        raise KnownError(outcome["error"])
    return outcome
