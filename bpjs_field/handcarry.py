"""Changes carried by hand on a USB stick when a venue has had no network for days.

`export_changes()` writes every change this laptop has not yet synced into one
file, encrypted with a passphrase (argon2id key derivation, AES-256-GCM).  GCM
authenticates the whole file, header included, so a file altered or cut short
is refused as a whole, and a key-check value in the header tells a wrong
passphrase apart from a damaged file.

Exporting is a supervisor's action on an encrypted laptop.  The file can be
imported on another enrolled laptop (`import_changes`) or
straight into the branch server (`import_into_server`).  Both are idempotent
because every change keeps the id it was given when it was made: the server
skips change ids it has applied, and a laptop queues the carried changes under
their own ids, so importing twice, or importing and then syncing the original
laptop, duplicates nothing.

Each change the exporting laptop made is signed with that laptop's own key
(`origin_sig`, `security/signing.py`): the laptop that imports the file
forwards the changes at its next sync, and the server applies them as the
origin laptop's, once, whoever delivers them (`server/quarantine.py`).  An
erasure the importing laptop already knows wins over a file made before it:
such a person's carried changes are neither applied nor forwarded (the laptop
that made them delivers them itself, and the server drops their personal
fields), and an erasure in the file is applied here like a pulled one.

File layout: `BPJSF-HANDCARRY/1\\n`, one line of JSON header (format, device,
time, count, KDF parameters, salt, nonce, key check), then the ciphertext of
the gzip-compressed JSON list of changes.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bpjs_field.errors import BpjsFieldError, KnownError
from bpjs_field.store import changelog, tables
from bpjs_field.store.store import utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

MAGIC = b"BPJSF-HANDCARRY/1\n"
MAX_HEADER = 4096
MAX_FILE = 512 * 1024 * 1024
MIN_PASSPHRASE = 8
KDF = {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 2}
ENTITY_ORDER = {"officer": 0, "event": 1, "person": 2, "registration": 3, "attendance": 4, "print": 5}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    if kdf.get("name") != "argon2id":
        raise KnownError("handcarry.damaged")
    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=int(kdf["time_cost"]),
                           memory_cost=int(kdf["memory_cost"]), parallelism=int(kdf["parallelism"]),
                           hash_len=32, type=Type.ID)


def _key_check(key: bytes) -> str:
    return _b64(hmac.new(key, b"bpjs-field handcarry key check", hashlib.sha256).digest()[:16])


@dataclass(frozen=True)
class Carried:
    header: dict[str, Any]
    changes: list[dict[str, Any]]


def export_changes(store: "Store", path: Path, passphrase: str) -> int:
    """Write the unsynced changes to `path`; returns how many.  The changes stay unsent
    here, so the laptop still syncs them itself when it can (the server skips duplicates).
    The file carries personal data off the laptop: a supervisor's action (refused and
    audited for an officer)."""
    from bpjs_field.security.session import require_supervisor
    require_supervisor(store, "export")
    if len(passphrase) < MIN_PASSPHRASE:
        raise KnownError("handcarry.passphrase_short", minimum=MIN_PASSPHRASE)
    from bpjs_field.security import signing
    seed = signing.device_seed(store)
    changes = []
    for r in changelog.unsent_rows(store):
        payload = json.loads(r["payload"])
        origin = r["origin_sig"]
        if origin is None and r["hlc"].endswith("-" + store.device_id):
            origin = signing.sign(seed, signing.origin_message(
                r["change_id"], r["entity"], r["entity_id"], r["op"], r["hlc"], payload))
        changes.append({
            "change_id": r["change_id"], "seq": r["seq"], "entity": r["entity"],
            "entity_id": r["entity_id"], "op": r["op"], "payload": payload, "hlc": r["hlc"],
            "created_at": r["created_at"],
            "signature": json.loads(r["signature"]) if r["signature"] else None,
            "origin_sig": origin})
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(passphrase, salt, KDF)
    header = {"format": 1, "device_id": store.device_id, "device_tag": store.device_tag,
              "created_at": utc_now(), "count": len(changes), "kdf": KDF, "salt": _b64(salt),
              "nonce": _b64(nonce), "check": _key_check(key)}
    head = json.dumps(header, separators=(",", ":")).encode("utf-8") + b"\n"
    body = gzip.compress(json.dumps(changes, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    sealed = AESGCM(key).encrypt(nonce, body, MAGIC + head)
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "wb") as fh:
        fh.write(MAGIC + head + sealed)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    with store.write():
        store.audit("handcarry.export", count=len(changes))
    return len(changes)


def read_file(path: Path, passphrase: str) -> Carried:
    """Decrypt and check a hand-carried file; KnownError with a clear code otherwise."""
    if not path.is_file():
        raise BpjsFieldError("file.missing", path=str(path))
    if path.stat().st_size > MAX_FILE:
        raise KnownError("handcarry.damaged")
    raw = path.read_bytes()
    if not raw.startswith(MAGIC):
        raise KnownError("handcarry.not_export")
    rest = raw[len(MAGIC):]
    end = rest.find(b"\n", 0, MAX_HEADER)
    if end < 0:
        raise KnownError("handcarry.damaged")
    head, sealed = rest[:end + 1], rest[end + 1:]
    try:
        header = json.loads(head)
        salt, nonce = _unb64(header["salt"]), _unb64(header["nonce"])
        key = _derive(passphrase, salt, header["kdf"])
        check = header["check"]
    except (ValueError, KeyError, TypeError):
        raise KnownError("handcarry.damaged") from None
    if not hmac.compare_digest(_key_check(key), check):
        raise KnownError("handcarry.wrong_passphrase")
    try:
        body = AESGCM(key).decrypt(nonce, sealed, MAGIC + head)
        changes = json.loads(gzip.decompress(body))
    except (InvalidTag, OSError, EOFError, ValueError):
        raise KnownError("handcarry.damaged") from None
    if not isinstance(changes, list) or len(changes) != header.get("count"):
        raise KnownError("handcarry.damaged")
    return Carried(header, changes)


def _validated(carried: Carried) -> list[Any]:
    """The changes as protocol models (the same checks the server applies to a push)."""
    from pydantic import ValidationError as PydanticError

    from bpjs_field.protocol import Change
    try:
        return [Change.model_validate(c) for c in carried.changes]
    except PydanticError:
        raise KnownError("handcarry.damaged") from None


@dataclass
class ImportResult:
    received: int = 0
    queued: int = 0  # new in this laptop's change log (to be forwarded)
    applied: int = 0  # rows written or updated here


def import_changes(store: "Store", path: Path, passphrase: str) -> ImportResult:
    """Apply a hand-carried file on this laptop and queue its changes for the server."""
    carried = read_file(path, passphrase)
    changes = sorted(_validated(carried), key=lambda c: (c.entity != "print" and ENTITY_ORDER[c.entity], c.seq))
    result = ImportResult(received=len(changes))
    if carried.header.get("device_id") == store.device_id:
        return result  # this laptop's own file: everything in it is already here
    from bpjs_field.store.erasure import apply_known_erasures
    with store.write():
        erased = _known_erasures(store)
        # The file's own erasures first: whoever it erases is erased here, before the rest.
        carried_erasures = {c.entity_id: str(c.payload["erased_at"]) for c in changes
                            if c.entity == "person" and c.op == "upsert" and c.payload.get("erased_at")}
        kept = [c for c in changes if not _about_erased(c, erased | set(carried_erasures))]
        before = changelog.count(store)
        changelog.queue_carried(
            store,
            [(c.change_id, c.entity, c.entity_id, c.op, _dumps(c.payload), c.hlc,
              c.created_at, _dumps(c.signature.model_dump()) if c.signature else None, c.origin_sig)
             for c in kept])
        result.queued = changelog.count(store) - before
        result.applied = _apply_locally(store, [c for c in kept if c.entity_id not in carried_erasures
                                                or c.entity != "person"])
        apply_known_erasures(store, carried_erasures)
        store.audit("handcarry.import", count=result.received, queued=result.queued)
    return result


def _dumps(value: Any) -> str:
    # The laptop's canonical JSON (store.dumps): the origin's signature is over this text.
    from bpjs_field.store.store import dumps
    return dumps(value)


def _known_erasures(store: "Store") -> set[str]:
    """People erased here or noted in the laptop's ledger (an erasure this database lost to a
    restore still counts)."""
    from bpjs_field.store.ledger import load
    from bpjs_field.store.maintenance import erased_people
    ids = erased_people(store)
    if store.path is not None and str(store.path) != ":memory:":
        ids |= set(load(store.path)["erased"])
    return ids


def _about_erased(change: Any, erased: set[str]) -> bool:
    """A carried change that would bring back (part of) an erased person here."""
    if change.entity == "person":
        return change.entity_id in erased and not change.payload.get("erased_at")
    if change.entity == "registration":
        return change.payload.get("person_id") in erased and any(
            change.payload.get(k) is not None for k in ("occupation", "employer_name",
                                                          "declared_income", "wage"))
    return False


def _apply_locally(store: "Store", changes: list[Any]) -> int:
    """Write what the carried changes describe into this laptop's tables (no change log:
    the changes themselves were queued above under their own ids)."""
    from bpjs_field.store.replica import (ATTENDANCE_COLUMNS, EVENT_COLUMNS, OFFICER_COLUMNS,
                                          PERSON_COLUMNS, REGISTRATION_COLUMNS, PageApplier)
    from bpjs_field.security.replica_hooks import replica_hooks
    from bpjs_field.protocol import Doc
    table = {"person": ("people", PERSON_COLUMNS), "registration": ("registrations", REGISTRATION_COLUMNS),
             "attendance": ("attendance", ATTENDANCE_COLUMNS), "event": ("events", EVENT_COLUMNS),
             "officer": ("officers", OFFICER_COLUMNS)}
    merged: dict[tuple[str, str], dict[str, Any] | None] = {}
    for c in changes:
        if c.entity not in table:
            continue
        key = (c.entity, c.entity_id)
        if c.op == "delete":
            merged[key] = None
        else:
            merged[key] = {**(merged.get(key) or {}), **c.payload}
    new_docs, applied = [], 0
    for (entity, entity_id), data in merged.items():
        name, columns = table[entity]
        exists = tables.has_row(store, name, entity_id)
        if data is None:
            if entity == "attendance" and exists:
                tables.delete_attendance(store, entity_id)
                applied += 1
            continue
        if exists:
            fields = {k: v for k, v in data.items() if k in columns and k not in ("id", "created_at")}
            if entity == "person" and "full_name" in fields:
                from bpjs_field.domain.names import name_key
                fields["name_key"] = name_key(fields["full_name"])
            if fields:
                tables.update_row(store, name, entity_id, fields)
                applied += 1
        else:
            new_docs.append(Doc(entity=entity, id=entity_id, rev=0, data={**data, "id": entity_id}))
    if new_docs:
        applied += PageApplier(store, "sent_at", replica_hooks()).apply(new_docs).applied
    return applied


def import_into_server(database_url: str, path: Path, passphrase: str) -> dict[str, int]:
    """Apply a hand-carried file straight to the branch server's database, as a push
    from the laptop that made it (duplicates skipped by change id)."""
    from bpjs_field.server.db import ServerDatabase
    from bpjs_field.server.push import PushApplier
    carried = read_file(path, passphrase)
    changes = _validated(carried)
    device_id = carried.header.get("device_id") or "handcarry"
    totals: dict[str, int] = {}
    db = ServerDatabase(database_url)
    erased = False
    try:
        for start in range(0, len(changes), 1000):
            with db.write() as tx:
                applier = PushApplier(tx, device_id, 0, utc_now())
                counts = applier.apply(changes[start:start + 1000])
            erased = erased or bool(applier.erased)
            for k, v in counts.items():
                totals[k] = totals.get(k, 0) + v
        if erased:
            from bpjs_field.server.quarantine import reclaim_after_erasure
            reclaim_after_erasure(db)
    finally:
        close = getattr(db, "close", None)
        if close:
            close()
    return totals
