"""Supervisors sign the changes only they may make, so the branch server can check the role
of whoever made a change, not just of the laptop that carries it.

An officer account from the branch server holds, besides its X25519 login key, an Ed25519
signing key derived from the same argon2id output (`signing_seed`): the server publishes
its public half in the account's login (`sign_public_key`), and the laptop gets the private
half only while the officer is logged in, from the password typed at login.  Edits of a
person and erasures are signed over `change_message()`; the server accepts them from a
laptop enrolled by a supervisor, or signed by an active supervisor account of the branch
(see `bpjs_field/server/roles.py`).  A laptop-made account has no key the server
knows, so its edits count for what the laptop's enrolment says.

Each laptop also has a key of its own (`device_seed`): it signs the changes it makes when
they leave on a USB file (`origin_message`), so the server applies them whoever delivers
them, and refuses a change altered or forged on the way.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def signing_seed(secret: bytes) -> bytes:
    """The Ed25519 seed of an account, from its argon2id output (never the X25519 key itself)."""
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"bpjs-field-sign:ed25519:v1").derive(secret)


def public_key(seed: bytes) -> str:
    raw = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def change_message(change_id: str, entity: str, entity_id: str, op: str, hlc: str,
                   payload: dict[str, Any]) -> bytes:
    """What is signed: the change's identity, clock and payload as canonical JSON (the same
    text the laptop stores and sends, so both sides compute the same bytes)."""
    from bpjs_field.store.store import dumps
    body = dumps(payload)
    return "\n".join(("bpjs-field-change:v1", change_id, entity, entity_id, op, hlc, body)).encode()


def origin_message(change_id: str, entity: str, entity_id: str, op: str, hlc: str,
                   payload: dict[str, Any]) -> bytes:
    """What the laptop that made a change signs, so any other laptop or a USB file can carry
    it: as `change_message()` under its own label (a supervisor's signature is never taken
    for a laptop's, nor the other way round)."""
    return b"bpjs-field-origin:v1\n" + change_message(change_id, entity, entity_id, op, hlc,
                                                       payload)


def device_message(device_id: str) -> bytes:
    """What a laptop signs with its own key to show the branch it holds that key (the
    push's `X-Device-Proof` header): the device id the branch issued it, so the proof is of no use to
    any other device."""
    return b"bpjs-field-device:v1\n" + device_id.encode("utf-8")


DEVICE_SEED_SETTING = "device.sign_seed"


def device_seed(store: Any) -> bytes:
    """This laptop's own Ed25519 seed, made on first use and kept in its (encrypted) database;
    its public half goes to the server with every push."""
    value = store.get_setting(DEVICE_SEED_SETTING)
    if not value:
        value = base64.b64encode(os.urandom(32)).decode("ascii")
        store.set_setting(DEVICE_SEED_SETTING, value)
    return base64.b64decode(value)


def sign(seed: bytes, message: bytes) -> str:
    return base64.b64encode(Ed25519PrivateKey.from_private_bytes(seed).sign(message)).decode("ascii")


@dataclass(frozen=True)
class ChangeSigner:
    """Signs the supervisor's changes of a logged-in branch account (a `Session`'s signer):
    the signature's JSON text as the change log keeps it."""
    employee_no: str
    seed: bytes = field(repr=False)

    def __call__(self, change_id: str, entity: str, entity_id: str, op: str, hlc: str,
                 payload: dict[str, Any]) -> str:
        from bpjs_field.store.store import dumps
        message = change_message(change_id, entity, entity_id, op, hlc, payload)
        return dumps({"by": self.employee_no, "sig": sign(self.seed, message)})


def verify(public_b64: str, message: bytes, signature_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


__all__ = ["signing_seed", "public_key", "change_message", "origin_message", "device_seed",
           "sign", "verify", "ChangeSigner"]
