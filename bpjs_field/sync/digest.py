"""An order-independent fingerprint of people, registrations and attendance: a laptop's
(the lines and the hash are the protocol's, `bpjs_field/protocol.py`, so the server
computes the same from its tables).

The laptop and the server compute the same lines from their own tables; equal
counts and an equal SHA-256 mean both hold the same rows (CommCare's state
hash, Anki's count check).  Personal data only enters the hash, never a log.
"""

from __future__ import annotations

from typing import Any

from bpjs_field.protocol import (ATTENDANCE_KEYS, PERSON_KEYS,  # noqa: F401
                                 REGISTRATION_KEYS, digest_rows)


def laptop_digest(store: Any) -> dict[str, Any]:
    """The fingerprint of a laptop's store (people merged into others are left out)."""
    from bpjs_field.store.tables import digest_source
    return digest_rows(*digest_source(store, PERSON_KEYS, REGISTRATION_KEYS, ATTENDANCE_KEYS))
