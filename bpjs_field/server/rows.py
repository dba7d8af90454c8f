"""The branch server's view of a synced row while a batch is applied (server/push.py): a
row of `docs` as a `Doc`, and what the server keeps of each entity, from the entities'
definitions (bpjs_field/domain/entities.py): the fields it stores (`FIELDS`) and those a
merge never changes (`FIXED`: identity and provenance, set when the row is made)."""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.domain.entities import SYNCED_ENTITIES

FIELDS: dict[str, frozenset[str]] = {e.name: frozenset(e.synced) for e in SYNCED_ENTITIES}
FIXED: dict[str, frozenset[str]] = {e.name: frozenset(e.fixed) for e in SYNCED_ENTITIES}
MAX_ALIAS_HOPS = 10

_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
dumps = _encoder.encode


def hlc_device(hlc: str) -> str:
    return hlc.split("-", 2)[2]


def person_ident(data: dict[str, Any]) -> str | None:
    if data.get("nik"):
        return f"nik:{data['nik']}"
    if data.get("passport_no"):
        return f"pp:{data['passport_no']}/{data.get('nationality') or ''}"
    return None


class Doc:
    __slots__ = ("entity", "id", "rev", "ident", "merged_into", "deleted", "data", "meta", "new",
                 "orig_ident")

    def __init__(self, entity: str, id: str, rev: int | None, ident: str | None,
                 merged_into: str | None, deleted: bool, data: dict[str, Any],
                 meta: dict[str, list], new: bool) -> None:
        self.entity, self.id, self.rev, self.ident = entity, id, rev, ident
        self.merged_into, self.deleted, self.data, self.meta, self.new = (
            merged_into, deleted, data, meta, new)
        self.orig_ident = ident


class InvalidChanges(Exception):
    """Values the laptops' domain rules refuse (bpjs_field/domain/records.py): the batch is
    refused whole, with each change's index, field and reason (never the value).  `code`: the
    error code of the answer (`push.code_not_yours` for a code under another laptop's tag)."""

    def __init__(self, details: list[dict[str, Any]], code: str = "push.invalid_value") -> None:
        super().__init__(f"{len(details)} invalid values")
        self.details = details
        self.code = code

