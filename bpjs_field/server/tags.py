"""Which laptop owns which registration-code tag, and the check that a pushed registration's
code is under a tag of the laptop that made it.

A registration code starts with the device tag of the laptop that issued it
(bpjs_field/domain/codes.py); a laptop numbers its own codes, so two laptops never issue the
same code unless one of them uses another's tag.  The server keeps every tag it knows with
its one owner (`device_tags`, the tag is the key):

- **Enrolment** records the tag the branch issued (`enrolled`, server/accounts.py): the
  laptop's own tag, the one it issued codes under before it was enrolled, when no other
  laptop owns it (so those codes arrive with its first push), else a new one (and the codes
  under the other laptop's tag are refused: they are that laptop's numbers too).  An event
  hub records each joining laptop's tag the same way (sync/hub_routes.py).
- **First use** (`used`): a registration under a tag nobody owns gives the tag to the laptop
  that made it, up to `MAX_TAGS_PER_DEVICE` tags a laptop.  So codes a laptop issued under
  an earlier tag the server never heard of (enrolled before tags were kept, a tag changed at
  enrolment on another server) still arrive, and nobody can take them afterwards.
- **The same laptop enrolled again** (a new device id, e.g. the server's address changed):
  a tag owned by an earlier enrolment is the laptop's too when the pushing laptop proves it
  holds a signing key that enrolment sent (the push's `X-Device-Proof` header: the laptop's
  Ed25519 signature over `signing.device_message(device id)`), or when the change carries
  an origin signature made with such a key (a change carried for that laptop).  A laptop
  restored from a backup is
  the same device (its id, tag and key are in the backup) and continues its own numbers
  (sync/marks.py): nothing changes for it here.
- **Migration** (schema 7): every enrolled laptop's current tag, then each tag under which
  codes are already stored, for the laptop that made the first of them (`stored`).  Stored
  codes stay as they are: they were acknowledged and printed; `foreign_codes()` lists those
  made by a laptop that does not own their tag, for supervisors to look at.

A registration whose tag belongs to another laptop is refused (the push answers 422
`push.code_not_yours` naming the change and its `code`, nothing of the batch is applied, the
laptop parks the change); a hand-carried file applied on the server quarantines it
(`registration.code_not_yours`).  Other changes of a registration (follow-up on any laptop)
are not checked: only making a registration takes a code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from bpjs_field.domain.codes import ALPHABET, TAG_LENGTH
from bpjs_field.security import signing
from bpjs_field.server.db import Tx, marks
from bpjs_field.server.rows import hlc_device

MAX_TAGS_PER_DEVICE = 8
SOURCES = ("enrolled", "used", "stored")


def _is_tag(text: str) -> bool:
    return len(text) == TAG_LENGTH and all(ch in ALPHABET for ch in text)


def tag_of(code: Any) -> str | None:
    """The device tag a registration code starts with (None for anything else)."""
    if not isinstance(code, str) or len(code) <= TAG_LENGTH:
        return None
    return code[:TAG_LENGTH] if _is_tag(code[:TAG_LENGTH]) else None


def record(tx: Tx, device_id: str, tag: str, source: str, now: str) -> bool:
    """Give `tag` to `device_id` when nobody owns it; whether the device owns it now."""
    if not isinstance(tag, str) or not _is_tag(tag):
        return False
    tx.execute("INSERT INTO device_tags(tag, device_id, source, added_at) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (tag) DO NOTHING", (tag, device_id, source, now))
    return tx.scalar("SELECT device_id FROM device_tags WHERE tag = ?", (tag,)) == device_id


def tags_of(tx: Tx, device_id: str) -> list[str]:
    return [r[0] for r in tx.rows("SELECT tag FROM device_tags WHERE device_id = ? ORDER BY tag",
                                  (device_id,))]


class NotYours(Exception):
    """A registration code under another laptop's tag (or past the tags a laptop may take)."""


class Tags:
    """The owners of the tags one batch uses, loaded once, and the tags it takes on first use
    (written with the batch by `write()`)."""

    def __init__(self, tx: Tx, device_id: str, proven_key: str | None) -> None:
        self.tx = tx
        self.device = device_id  # the laptop delivering the batch
        self.proven_key = proven_key  # a key the delivering laptop proved it holds
        self._owners: dict[str, str | None] = {}
        self._keys: dict[str, list[str]] = {}
        self._counts: dict[str, int] = {}
        self.claims: list[tuple[str, str]] = []  # (tag, device) taken by this batch

    def preload(self, codes: list[Any]) -> None:
        """The owners of the tags of `codes` (one query per 900 tags)."""
        self._load({t for t in map(tag_of, codes) if t})

    def _load(self, found: set[str]) -> None:
        wanted = sorted(t for t in found if t not in self._owners)
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            for tag, device in self.tx.rows(
                    f"SELECT tag, device_id FROM device_tags WHERE tag IN ({marks(len(chunk))})",
                    chunk):
                self._owners[tag] = device
        for tag in wanted:
            self._owners.setdefault(tag, None)

    def owner(self, tag: str) -> str | None:
        self._load({tag})
        return self._owners[tag]

    def _device_keys(self, device_id: str) -> list[str]:
        if device_id not in self._keys:
            self._keys[device_id] = [r[0] for r in self.tx.rows(
                "SELECT public_key FROM device_keys WHERE device_id = ?", (device_id,))]
        return self._keys[device_id]

    def _count(self, device_id: str) -> int:
        if device_id not in self._counts:
            self._counts[device_id] = int(self.tx.scalar(
                "SELECT count(*) FROM device_tags WHERE device_id = ?", (device_id,)) or 0)
        return self._counts[device_id]

    def check(self, code: Any, origin: str, origin_sig: str | None,
              message: Callable[[], bytes]) -> None:
        """Raise NotYours unless `origin` (the laptop that made the change, already checked by
        its token or its signature) may issue `code`; take a free tag for it."""
        tag = tag_of(code)
        if tag is None:
            raise NotYours()
        owner = self.owner(tag)
        if owner == origin:
            return
        if owner is None:
            if self._count(origin) >= MAX_TAGS_PER_DEVICE:
                raise NotYours()
            self._owners[tag] = origin
            self._counts[origin] = self._count(origin) + 1
            self.claims.append((tag, origin))
            return
        # Another device record: the same laptop under an earlier enrolment, if it proves
        # it holds a key that enrolment sent.
        keys = self._device_keys(owner)
        if origin == self.device and self.proven_key and self.proven_key in keys:
            return
        if origin_sig and keys and any(signing.verify(key, message(), origin_sig) for key in keys):
            return
        raise NotYours()

    def write(self, now: str) -> None:
        self.tx.executemany("INSERT INTO device_tags(tag, device_id, source, added_at) "
                            "VALUES (?, ?, 'used', ?)", [(t, d, now) for t, d in self.claims])


def proven_key(device_id: str, device_key: str | None, device_proof: str | None) -> str | None:
    """`device_key` when `device_proof` is its signature over this device's id, else None."""
    if not device_key or not device_proof:
        return None
    return device_key if signing.verify(device_key, signing.device_message(device_id),
                                        device_proof) else None


# -- migration and listing ---------------------------------------------------------------------
def backfill(tx: Tx) -> None:
    """Schema 7: the enrolled laptops' current tags, then the tags of codes already stored
    (each for the laptop that made the first of them, when that laptop is known)."""
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    known = {}
    for device_id, tag, enrolled_at in tx.rows(
            "SELECT id, device_tag, enrolled_at FROM devices ORDER BY enrolled_at, id"):
        known[device_id] = tag
        record(tx, device_id, tag, "enrolled", enrolled_at)
    owned = {r[0] for r in tx.rows("SELECT tag FROM device_tags")}
    for ident, meta in tx.rows("SELECT ident, meta FROM docs WHERE entity = 'registration' "
                               "AND ident IS NOT NULL ORDER BY rev"):
        tag = tag_of(ident[len("code:"):]) if ident.startswith("code:") else None
        if tag is None or tag in owned:
            continue
        maker = _maker(meta)
        if maker in known:
            record(tx, maker, tag, "stored", now)
            owned.add(tag)


def _maker(meta: str) -> str | None:
    try:
        stamp = json.loads(meta).get("*")
        return hlc_device(stamp[0])
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return None


def foreign_codes(tx: Tx, limit: int = 1000) -> list[dict[str, Any]]:
    """Stored registrations whose code is under a tag owned by a laptop other than the one
    that made them (made before tags were checked, or a tag two laptops drew before either
    was enrolled): code, registration id, the laptop that made it and the tag's owner."""
    owners = dict(tx.rows("SELECT tag, device_id FROM device_tags"))
    out = []
    for entity_id, ident, meta in tx.rows(
            "SELECT id, ident, meta FROM docs WHERE entity = 'registration' AND ident IS NOT NULL "
            "ORDER BY ident"):
        code = ident[len("code:"):]
        owner = owners.get(tag_of(code) or "")
        maker = _maker(meta)
        if owner is not None and maker is not None and maker != owner:
            out.append({"code": code, "registration_id": entity_id, "made_by": maker,
                        "tag_owner": owner})
            if len(out) >= limit:
                break
    return out
