"""The event's keys, tickets and the pre-registration QR's text (see DESIGN.md beside this file).

QR text: `PRA1:<key id, 8 hex>:<base32 of ephemeral public key (32) | nonce (24) | box>`,
upper case and in QR alphanumeric mode, so a keyboard-wedge scanner types it as is.  The box
is NaCl's `crypto_box` (X25519, XSalsa20-Poly1305) from a one-time key pair made on the phone
to the event's public key; inside, compact JSON: `{"v":1,"t":ticket,"n":notice version,
"f":{field: value}}`.  A ticket is `<id>.<day>.<mac>`: issued by the hub's page (one per
QR, rate-limited per device), its MAC under the event's ticket key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from bpjs_field.errors import KnownError

PREFIX = "PRA1:"
SETTING = "selfreg.keys"  # {key_id, secret, ticket_key, created}: the laptop's encrypted settings
MAX_QR_TEXT = 2000


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def unb32(text: str) -> bytes:
    text = text.strip().upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


@dataclass(frozen=True)
class EventKeys:
    """The event's X25519 key pair and its ticket key (the secret part never leaves the
    laptops of the event: the hub hands it to joined laptops over the pinned link)."""

    secret: bytes
    ticket_key: bytes

    @property
    def public(self) -> bytes:
        from nacl.public import PrivateKey
        return bytes(PrivateKey(self.secret).public_key)

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.public).hexdigest()[:8].upper()

    @classmethod
    def new(cls) -> "EventKeys":
        from nacl.public import PrivateKey
        return cls(bytes(PrivateKey.generate()), secrets.token_bytes(32))

    def to_setting(self) -> dict[str, str]:
        return {"key_id": self.key_id, "secret": base64.b64encode(self.secret).decode(),
                "ticket_key": base64.b64encode(self.ticket_key).decode()}

    @classmethod
    def from_setting(cls, data: dict[str, Any]) -> "EventKeys":
        return cls(base64.b64decode(data["secret"]), base64.b64decode(data["ticket_key"]))

    # -- tickets -----------------------------------------------------------------------------
    def _mac(self, body: str) -> str:
        return b32(hmac.new(self.ticket_key, body.encode("ascii"), hashlib.sha256).digest()[:10])

    def ticket(self, day: date) -> str:
        body = f"{b32(secrets.token_bytes(10))}.{day.strftime('%Y%m%d')}"
        return f"{body}.{self._mac(body)}"

    def check_ticket(self, ticket: str, today: date) -> str:
        """The ticket's id when it is this event's and today's; KnownError otherwise."""
        parts = str(ticket).split(".")
        if len(parts) != 3 or not hmac.compare_digest(self._mac(f"{parts[0]}.{parts[1]}"), parts[2]):
            raise KnownError("selfreg.forged")
        if parts[1] != today.strftime("%Y%m%d"):
            raise KnownError("selfreg.expired")
        return parts[0]

    # -- the QR ------------------------------------------------------------------------------
    def seal(self, plain: dict[str, Any]) -> str:
        """What the phone's page does (for tests and the bench: the page does it in JS)."""
        from nacl.public import Box, PrivateKey, PublicKey
        one_time = PrivateKey.generate()
        nonce = secrets.token_bytes(24)
        box = Box(one_time, PublicKey(self.public)).encrypt(
            json.dumps(plain, separators=(",", ":")).encode("utf-8"), nonce).ciphertext
        return f"{PREFIX}{self.key_id}:{b32(bytes(one_time.public_key) + nonce + box)}"

    def open(self, text: str) -> dict[str, Any]:
        """The QR's content; KnownError `selfreg.*` for anything not sealed to this event."""
        from nacl.exceptions import CryptoError
        from nacl.public import Box, PrivateKey, PublicKey
        text = text.strip()
        if len(text) > MAX_QR_TEXT or not text.upper().startswith(PREFIX):
            raise KnownError("selfreg.not_prereg")
        parts = text[len(PREFIX):].split(":")
        if len(parts) != 2:
            raise KnownError("selfreg.damaged")
        if parts[0].upper() != self.key_id:
            raise KnownError("selfreg.other_event")
        try:
            raw = unb32(parts[1])
        except ValueError:
            raise KnownError("selfreg.damaged") from None
        if len(raw) < 32 + 24 + 16:
            raise KnownError("selfreg.damaged")
        try:
            plain = Box(PrivateKey(self.secret), PublicKey(raw[:32])).decrypt(raw[56:], raw[32:56])
            data = json.loads(plain.decode("utf-8"))
        except (CryptoError, ValueError):
            raise KnownError("selfreg.forged") from None
        if not isinstance(data, dict) or data.get("v") != 1 or not isinstance(data.get("f"), dict):
            raise KnownError("selfreg.forged")
        return data


def is_prereg(text: str) -> bool:
    return text.strip().upper().startswith(PREFIX)


def event_keys(store: Any, *, create: bool = False) -> EventKeys | None:
    """This laptop's copy of the event's keys (made here when `create`, at the hub)."""
    data = store.get_setting(SETTING)
    if data:
        return EventKeys.from_setting(data)
    if not create:
        return None
    keys = EventKeys.new()
    with store.write():
        store.set_setting(SETTING, keys.to_setting())
    return keys
