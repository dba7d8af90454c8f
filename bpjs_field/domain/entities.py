"""Every synced entity defined once: its fields, which are personal, which sync, which are
set once, how each merges on the branch server, and where it is stored.

The laptop's store (people, registrations, events, attendance, the replica applying pulled
rows), the branch server (validation of pushed rows, their merge, erasure), the laptop's
erasure and the tests all read these definitions; none keeps a list of its own.
`tests/server/test_entity_definitions.py` fails when a column of a laptop or server table,
or a key of a row the server stores, is missing here, when a personal field survives an
erasure on a laptop or on the server, or when a synced field does not travel from one
laptop through the server to another.

Two entities of the issue are parts of others: a registration's follow-up `status`
(`STATUS`: written by a status change, bpjs_field/store/followup.py) and `consent` (the
consent fields of people and registrations, which the server also keeps as a record of
events, `CONSENT`, bpjs_field/server/consents.py).

No imports from the rest of the project: the server and the laptop both depend on this
module, never on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERASED_NAME = "(dihapus)"

# How the branch server merges a value a laptop pushes (bpjs_field/server/push.py).
CLOCK = "clock"        # field by field: the later hybrid-clock time wins, the loser is kept
ONCE = "once"          # set when the row is made: identity and provenance never change
NEWEST = "newest"      # consent: a record of events, the row shows the newest consent
EARLIEST = "earliest"  # attendance is a set of scans: the row shows the earliest one's
DERIVED = "derived"    # computed where the row is written (never pushed by a laptop)


@dataclass(frozen=True)
class Field:
    name: str
    merge: str = CLOCK
    personal: bool = False   # describes or identifies the person: erasure clears it (UU PDP)
    erased: Any = None       # what an erasure leaves in a personal field
    synced: bool = True      # pushed by laptops and pulled from the server
    edit: bool = False       # a supervisor's (or an event's) edit form may change it
    required: bool = False   # a whole row must hold it (the laptop schema's NOT NULL)
    part: str = ""           # "consent" or "followup": see CONSENT and STATUS
    mask: str = ""           # how exports show it unless a supervisor asks for it in full


@dataclass(frozen=True)
class Entity:
    name: str
    table: str | None                   # the laptop's table (None: none of its own)
    fields: tuple[Field, ...]
    # Laptop columns that are this laptop's bookkeeping only, never synced, and why.
    local: dict[str, str]
    # The server's tables holding the entity besides `docs` (every entity's JSON rows),
    # each with its own bookkeeping columns and why.
    server_tables: dict[str, dict[str, str]]

    def __getitem__(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(f"{self.name}.{name}")

    def names(self, **match: Any) -> tuple[str, ...]:
        """Field names, in definition order, whose attributes equal every one in `match`."""
        return tuple(f.name for f in self.fields
                     if all(getattr(f, key) == value for key, value in match.items()))

    @property
    def synced(self) -> tuple[str, ...]:
        return self.names(synced=True)

    @property
    def personal(self) -> tuple[str, ...]:
        return self.names(personal=True)

    @property
    def cleared(self) -> tuple[str, ...]:
        """Personal fields an erasure sets to NULL (the others get their `erased` value)."""
        return tuple(f.name for f in self.fields if f.personal and f.erased is None)

    def erased_values(self, *, synced_only: bool = False) -> dict[str, Any]:
        """Each personal field with what an erasure leaves in it (`synced_only`: those a
        change carries, not the ones each side derives)."""
        return {f.name: f.erased for f in self.fields
                if f.personal and (f.synced or not synced_only)}

    @property
    def fixed(self) -> tuple[str, ...]:
        return self.names(merge=ONCE)

    @property
    def required(self) -> tuple[str, ...]:
        return self.names(required=True)

    @property
    def editable(self) -> tuple[str, ...]:
        return self.names(edit=True)

    @property
    def stored(self) -> tuple[str, ...]:
        """What the server stores of a row (`docs.data`): the synced and derived fields."""
        return tuple(f.name for f in self.fields if f.synced or f.merge == DERIVED)


def _f(name: str, **kw: Any) -> Field:
    return Field(name, **kw)


def _personal(*names: str, **kw: Any) -> tuple[Field, ...]:
    return tuple(Field(n, personal=True, **kw) for n in names)


_EDIT = {"edit": True}

PERSON = Entity(
    "person", "people",
    (
        _f("id", merge=ONCE),
        _f("nik", merge=ONCE, personal=True, mask="nik"),
        *_personal("passport_no", "nationality", merge=ONCE),
        *_personal("kitas_no", "kitas_expiry", **_EDIT),
        _f("full_name", personal=True, erased=ERASED_NAME, required=True, **_EDIT),
        *_personal("birth_date", "birth_place", "sex", **_EDIT),
        _f("phone", personal=True, mask="phone", **_EDIT),
        *_personal("email", "address", "district_code", "village_code", "postal_code",
                   "occupation", **_EDIT),
        _f("consent_version", merge=NEWEST, part="consent"),
        _f("consent_at", merge=NEWEST, part="consent"),
        _f("consent_withdrawn_at"),
        _f("erased_at"),
        _f("merged_into", merge=ONCE),
        _f("created_device", merge=ONCE, required=True),
        _f("created_at", merge=ONCE, required=True),
        # What downstream registration asks (bpjs_field/domain/downstream.py).
        _f("mother_name", personal=True, **_EDIT),
        _f("kk_no", personal=True, mask="kk", **_EDIT),
        *_personal("heir_name", "heir_relation", **_EDIT),
        # The name folded for sorting and search (domain/names.py): made from full_name
        # wherever the row is written, on the laptop and on the server (which sends it).
        _f("name_key", merge=DERIVED, personal=True, erased="", synced=False),
    ),
    local={"updated_at": "when this laptop last wrote the row",
           "field_hlc": "an unused column of the first schema (always '{}')"},
    server_tables={},
)

REGISTRATION = Entity(
    "registration", "registrations",
    (
        _f("id", merge=ONCE),
        _f("code", merge=ONCE, required=True),
        _f("person_id", merge=ONCE, required=True),
        _f("event_id"),
        _f("officer_id"),
        _f("device_id", merge=ONCE, required=True),
        _f("segment", required=True),
        _f("programs", required=True),
        _f("declared_income", personal=True),
        _f("wage", personal=True),
        _f("risk_class"),
        _f("occupation", personal=True),
        _f("sector"),
        _f("payer"),
        _f("months_paid"),
        _f("employer_name", personal=True),
        _f("contribution", required=True),
        _f("monthly_total", required=True),
        _f("consent_version", required=True, part="consent"),
        _f("consent_at", required=True, part="consent"),
        _f("status", required=True, part="status"),
        _f("source", required=True),
        _f("created_at", merge=ONCE, required=True),
        _f("payer_name"),
        _f("employer_scale"),
        _f("amount_due"),
        # The follow-up after the event, written by a status change (store/followup.py).
        _f("kpj_no", personal=True, part="followup"),
        _f("payment_code", personal=True, part="followup"),
        *(_f(n, part="followup") for n in ("submitted_at", "kpj_at", "first_paid_at",
                                             "first_paid_months", "stopped_reason",
                                             "status_at", "status_by")),
    ),
    local={"updated_at": "when this laptop last wrote the row"},
    server_tables={},
)

ATTENDANCE = Entity(
    "attendance", "attendance",
    (
        _f("id", merge=ONCE),
        _f("event_id", merge=ONCE, required=True),
        _f("person_id", merge=ONCE, required=True),
        _f("checked_in_at", merge=EARLIEST, required=True),
        _f("method", merge=EARLIEST, required=True),
        _f("device_id", merge=EARLIEST, required=True),
        _f("officer_id", merge=EARLIEST),
        _f("registration_id", merge=EARLIEST),
    ),
    local={},
    # Every laptop's check-in of one attendance (server/push.py): the attendance is a set.
    server_tables={"scans": {"attendance_id": "the attendance (docs row) the scan joined",
                             "data": "the scan's pushed fields as JSON",
                             "deleted": "the scan was undone"}},
)

EVENT = Entity(
    "event", "events",
    (
        _f("id", merge=ONCE),
        _f("kind", required=True, **_EDIT),
        _f("title", required=True, **_EDIT),
        _f("starts_at", required=True, **_EDIT),
        _f("ends_at", **_EDIT),
        _f("venue", required=True, **_EDIT),
        _f("district_code", **_EDIT),
        _f("partner_org", **_EDIT),
        _f("targets", **_EDIT),
        _f("branch", **_EDIT),
        _f("created_by", merge=ONCE),
        _f("created_at", merge=ONCE),
        _f("updated_at"),
        _f("deleted_at"),
    ),
    local={},
    server_tables={},
)

OFFICER = Entity(
    "officer", "officers",
    (
        _f("id", merge=ONCE),
        _f("employee_no", merge=ONCE, required=True),
        _f("full_name", required=True),
        _f("branch", required=True),
        _f("role", required=True),
        _f("active"),
        _f("created_at", merge=ONCE),
        _f("updated_at"),
    ),
    local={},
    # The branch's own accounts (server/accounts.py), published as officer rows.
    server_tables={"accounts": {"password_hash": "argon2 hash, never leaves the server",
                                "login": "the public login laptops check a password with"}},
)

PRINT = Entity(
    "print", "print_log",
    tuple(_f(n, merge=ONCE, required=n in ("at", "document"))
          for n in ("id", "at", "document", "subject_id", "version", "copies", "is_reprint",
                    "printer", "officer_id", "device_id")),
    local={},
    server_tables={},
)

# Consent as the server keeps it: every consent given, a record of events (one row per
# person, notice version and time).  Laptops hold it as the consent fields of people and
# registrations; it has no laptop table and is never pushed as a row of its own.
CONSENT = Entity(
    "consent", None,
    (
        _f("person_id", merge=ONCE, synced=False),
        _f("consent_version", merge=ONCE, synced=False),
        _f("consent_at", merge=ONCE, synced=False),
        _f("source", merge=ONCE, synced=False),
        _f("device_id", merge=ONCE, synced=False),
    ),
    local={},
    server_tables={"consents": {"change_id": "the change that carried the consent",
                                "received_at": "when the server received it"}},
)

# Synced entities in the order pulled rows are applied (a row's references first).
SYNCED_ENTITIES: tuple[Entity, ...] = (OFFICER, EVENT, PERSON, REGISTRATION, ATTENDANCE, PRINT)
ENTITIES: dict[str, Entity] = {e.name: e for e in (*SYNCED_ENTITIES, CONSENT)}

# The parts: a registration's follow-up status and the consent fields.
STATUS = REGISTRATION.names(part="status") + REGISTRATION.names(part="followup")
FOLLOWUP = REGISTRATION.names(part="followup")
CONSENT_FIELDS = PERSON.names(merge=NEWEST)

# The server's table holding every synced row as JSON: all its columns are bookkeeping.
SERVER_DOCS = {"entity": "which entity", "id": "the row's id", "rev": "server revision",
               "ident": "identity key (NIK, code, ...)", "merged_into": "alias of a merged row",
               "deleted": "tombstone", "data": "the row's fields (JSON)",
               "meta": "per field: clock and revision of its last write"}
