"""A laptop's own high-water marks, as the branch holds them (`GET /v1/marks`).

A laptop whose database and ledger were both lost (a new disk, its backup restored on a
new machine) no longer knows how far its registration numbers and audit ids went.  Before
it pushes anything it asks the branch: the highest registration number the branch holds
under the laptop's code tag (applied, or kept aside in the quarantine), and the highest
audit id it received from the laptop.  Both are index lookups (the registration code is the
row's `ident`, the audit key is (device, local id)); the quarantine is scanned for the
laptop's own registrations only, which are few.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bpjs_field.domain.codes import ALPHABET, SEQ_LENGTH, TAG_LENGTH
from bpjs_field.server.db import Tx

_TAG = re.compile(f"^[{ALPHABET}]{{{TAG_LENGTH}}}$")
_CODE = re.compile(f"^[{ALPHABET}]{{{TAG_LENGTH + SEQ_LENGTH}}}")


def code_number(code: str) -> int:
    seq = 0
    for ch in code[TAG_LENGTH:TAG_LENGTH + SEQ_LENGTH]:
        seq = seq * 32 + ALPHABET.index(ch)
    return seq


def _number(code: Any, tag: str) -> int:
    if not isinstance(code, str) or not code.startswith(tag) or not _CODE.match(code):
        return 0
    return code_number(code)


def device_marks(tx: Tx, device_id: str, device_tag: str) -> dict[str, Any]:
    """The marks of one device: `code_number` under its tag, `audit_id`."""
    number = 0
    if _TAG.match(device_tag or ""):
        # Codes are fixed-length upper-case letters and digits: their order is the same in
        # every collation, so the largest code is the largest number.
        last = tx.scalar("SELECT max(ident) FROM docs WHERE entity = 'registration' "
                         "AND ident LIKE ?", (f"code:{device_tag}%",))
        if isinstance(last, str):
            number = _number(last[len("code:"):], device_tag)
        for (payload,) in tx.rows(
                "SELECT payload FROM quarantine WHERE entity = 'registration' "
                "AND (device_id = ? OR origin_device = ?)", (device_id, device_id)):
            try:
                code = json.loads(payload).get("code")
            except (ValueError, AttributeError):
                continue
            number = max(number, _number(code, device_tag))
    audit_id = tx.scalar("SELECT coalesce(max(local_id), 0) FROM audit WHERE device_id = ?",
                         (device_id,))
    return {"device_id": device_id, "device_tag": device_tag, "code_number": number,
            "audit_id": int(audit_id or 0)}
