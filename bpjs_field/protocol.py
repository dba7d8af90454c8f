"""The sync protocol's messages, shared by the laptop client and the branch server.

Every request and response body is a pydantic model with bounded types, sizes
and counts, so the server refuses a malformed or oversized request before it
touches its database, and the laptop refuses a malformed or truncated
response before it touches its own.  PROTOCOL.md (next to this file)
describes the endpoints and guarantees in prose.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"

# Limits: the server enforces them, the client stays under them.
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_CHANGES_PER_PUSH = 2000
MAX_PAYLOAD_FIELDS = 64
MAX_TEXT = 8000
MAX_PULL_LIMIT = 10000
DEFAULT_PULL_LIMIT = 5000
CLOCK_SKEW_WARN_MS = 5 * 60 * 1000
# Every number the API accepts fits a signed 64-bit column (SQLite INTEGER, PostgreSQL BIGINT).
MAX_INT = 2**63 - 1

ENTITIES = ("person", "registration", "attendance", "event", "officer", "print")

# Text never holds NUL (PostgreSQL text cannot store it) and stays within its length.
_NO_NUL = r"^[^\x00]*$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
ShortText = Annotated[str, StringConstraints(max_length=200, pattern=_NO_NUL)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=_NO_NUL)]
Hlc = Annotated[str, StringConstraints(max_length=100,
                                       pattern=r"^[0-9]{16}-[0-9]{6}-[A-Za-z0-9_.:\-]{1,64}$")]
SigText = Annotated[str, StringConstraints(min_length=1, max_length=200,
                                          pattern=r"^[A-Za-z0-9+/=]+$")]
Int64 = Annotated[int, Field(ge=-MAX_INT - 1, le=MAX_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Scalar = Text | Int64 | Annotated[float, Field(allow_inf_nan=False)] | bool | None
Payload = Annotated[dict[Annotated[str, StringConstraints(min_length=1, max_length=64,
                                                         pattern=_NO_NUL)], Scalar],
                    Field(max_length=MAX_PAYLOAD_FIELDS)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Lenient(BaseModel):
    # Responses may gain fields in a later server version; old laptops ignore them.
    model_config = ConfigDict(extra="ignore")


# -- enrolment ------------------------------------------------------------------
class EnrollRequest(_Model):
    employee_no: Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=_NO_NUL)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NO_NUL)]
    # Only to renew this laptop's own enrolment, with its current token as Bearer; without
    # it the server issues a new device id.
    device_id: Id | None = None
    device_tag: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{4}$")]
    device_name: ShortText = ""
    app_version: ShortText = ""


class OfficerInfo(_Lenient):
    id: Id
    employee_no: str
    full_name: str
    branch: str
    role: Literal["officer", "supervisor"]


class EnrollResponse(_Lenient):
    device_token: Annotated[str, StringConstraints(min_length=20, max_length=200)]
    device_id: Id | None = None  # issued by the server (older servers kept the laptop's own)
    device_tag: str
    officer: OfficerInfo
    server_id: Id
    server_time: str


# -- push -------------------------------------------------------------------------
class Signature(_Model):
    """A supervisor's signature on a change (bpjs_field/security/signing.py)."""

    by: Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=_NO_NUL)]
    sig: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NO_NUL)]


class Change(_Model):
    change_id: Id
    seq: Annotated[int, Field(ge=1, le=MAX_INT)]
    entity: Literal["person", "registration", "attendance", "event", "officer", "print"]
    entity_id: Id
    op: Literal["upsert", "delete"]
    payload: Payload
    hlc: Hlc
    created_at: ShortText
    signature: Signature | None = None
    # The Ed25519 signature of the laptop that made the change (its clock's device), over
    # `signing.origin_message()`: lets another laptop or a USB file carry it to the server.
    origin_sig: SigText | None = None


class PushRequest(_Model):
    device_id: Id
    cursor: Count = 0
    changes: Annotated[list[Change], Field(min_length=1, max_length=MAX_CHANGES_PER_PUSH)]
    # The pushing laptop's public signing key (base64 Ed25519): the server keeps it to check
    # this laptop's changes when another laptop delivers them.
    device_key: SigText | None = None


class QuarantinedChange(_Lenient):
    change_id: str
    reason: str


class PushResponse(_Lenient):
    received: int
    applied: int
    duplicates: int
    quarantined: int
    # Which changes of this batch the server kept aside (not delivered): the laptop keeps
    # them with the reason instead of counting them as sent.
    quarantined_changes: list[QuarantinedChange] = []
    last_seq: int
    server_time: str
    server_hlc: Hlc


class QuarantineRow(_Lenient):
    """A change the server kept aside (GET /v1/quarantine): never its payload."""

    change_id: str
    entity: str
    entity_id: str
    reason: str
    received_at: str
    attempts: int
    device_id: str
    origin_device: str
    delivered_by: str
    made_by: str
    what_to_do: str


# -- pull ---------------------------------------------------------------------------
class Doc(_Lenient):
    entity: Literal["person", "registration", "attendance", "event", "officer", "print"]
    id: Id
    rev: int
    deleted: bool = False
    merged_into: Id | None = None
    # Values are not checked one by one here (a first pull has 200,000 rows): the
    # laptop binds them as SQL parameters, which refuses anything but scalars, and
    # a refused row rolls back the whole page.
    data: dict[Annotated[str, StringConstraints(max_length=64)], Any] | None = None


class PullResponse(_Lenient):
    items: list[Doc]
    next_cursor: Annotated[int, Field(ge=0)]
    head: Annotated[int, Field(ge=0)]
    more: bool
    server_id: Id
    server_time: str
    server_hlc: Hlc


class AuditEntry(_Model):
    """One row of a laptop's append-only audit log (ids and codes only, never personal data)."""

    local_id: Annotated[int, Field(ge=1, le=MAX_INT)]
    at: ShortText
    officer_id: Id | None = None
    action: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_NO_NUL)]
    entity: Annotated[str, StringConstraints(max_length=64, pattern=_NO_NUL)] | None = None
    entity_id: Id | None = None
    details: Text = "{}"


class AuditPush(_Model):
    device_id: Id
    # As with a push: the laptop's public signing key (a laptop that only pulls still
    # sends its audit log, so the server learns the key at its first sync).
    device_key: SigText | None = None
    entries: Annotated[list[AuditEntry], Field(min_length=1, max_length=MAX_CHANGES_PER_PUSH)]


class AuditAck(_Lenient):
    received: int
    stored: int
    last_id: int


class AuditRow(_Lenient):
    device_id: str
    local_id: int
    at: str
    officer_id: str | None = None
    action: str
    entity: str | None = None
    entity_id: str | None = None
    details: str


class Reference(_Lenient):
    """The branch's reference data (dated rates, occupations, privacy notice) and its version."""

    version: Annotated[str, StringConstraints(max_length=80)]
    files: dict[Annotated[str, StringConstraints(max_length=64)], dict[str, Any]]


# -- other ---------------------------------------------------------------------------
class Health(_Lenient):
    status: Literal["ok"]
    server_id: str
    server_time: str
    protocol: int
    database: str


class Digest(_Lenient):
    people: int
    registrations: int
    attendance: int
    digest: str


class Marks(_Lenient):
    """A laptop's own high-water marks on the branch (`GET /v1/marks`)."""

    device_id: Id
    device_tag: str
    code_number: Count  # highest registration number under `device_tag`, 0 if none
    audit_id: Count  # highest audit `local_id` received from the device, 0 if none


class ErrorBody(_Lenient):
    code: str
    message: str


class ErrorResponse(_Lenient):
    error: ErrorBody


class Conflict(_Lenient):
    id: int
    entity: str
    entity_id: str
    field: str
    kept_value: str | None
    lost_value: str | None
    kept_hlc: str | None
    lost_hlc: str | None
    kept_device: str | None
    lost_device: str | None
    change_id: str | None
    detected_at: str
    # Added with conflict resolution (older laptops ignore them): the field's value and clock
    # on the server now, the two laptops as "name (tag, officer)", and the decision once made.
    current_value: str | None = None
    current_hlc: str | None = None
    kept_laptop: str | None = None
    lost_laptop: str | None = None
    resolved_at: str | None = None
    resolution: str | None = None
    resolved_by: str | None = None
    resolved_with: int | None = None


class ResolveRequest(_Model):
    """A supervisor's decision on one conflict (POST /v1/conflicts/{id}/resolve)."""

    choice: Literal["keep", "use_other"]
    # use_other: the supervised edit (already pushed) that wrote the other value.
    change_id: Id | None = None
    # keep: the clock of the current value the supervisor was shown.
    current_hlc: Hlc | None = None

    @model_validator(mode="after")
    def _change_for_use_other(self) -> "ResolveRequest":
        if self.choice == "use_other" and self.change_id is None:
            raise ValueError("use_other needs the change_id of the edit that wrote the value")
        return self


class ResolveResponse(_Lenient):
    id: int
    resolution: Literal["keep", "use_other"]
    change_id: str | None = None
    resolved_at: str
    resolved_by: str | None = None
    resolved_with: int
    resolved: list[int]  # every conflict this decision settled, the chosen one included
    repeated: bool  # True: this had been recorded before (a retry after a lost answer)


# -- the consistency check's fingerprint (PROTOCOL.md, "Consistency check") -------------
PERSON_KEYS = ("id", "nik", "passport_no", "nationality", "full_name", "birth_date", "phone")
REGISTRATION_KEYS = ("id", "code", "person_id", "event_id", "segment", "monthly_total")
ATTENDANCE_KEYS = ("id", "event_id", "person_id", "checked_in_at")


def _line(tag: str, row: dict[str, Any], keys: tuple[str, ...]) -> str:
    return tag + "|" + "|".join("" if row.get(k) is None else str(row.get(k)) for k in keys)


def digest_rows(people: Iterable[dict[str, Any]], registrations: Iterable[dict[str, Any]],
                attendance: Iterable[dict[str, Any]]) -> dict[str, Any]:
    lines: list[str] = []
    counts = {}
    for tag, name, rows, keys in (("P", "people", people, PERSON_KEYS),
                                  ("R", "registrations", registrations, REGISTRATION_KEYS),
                                  ("A", "attendance", attendance, ATTENDANCE_KEYS)):
        before = len(lines)
        lines.extend(_line(tag, row, keys) for row in rows)
        counts[name] = len(lines) - before
    lines.sort()
    counts["digest"] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return counts
