"""An erasure (UU PDP) applied on the branch server, inside a push.

The person's identifying and descriptive fields go (the name becomes "(dihapus)"), with
the values kept from concurrent edits (`conflicts`), the personal values of quarantined
changes, and what the person's registrations said about them (occupation, employer,
declared income, wage).  The person's id, registrations (code, segment, programmes,
contribution, consent) and attendance stay: the branch's records and counts.  The caller
reclaims storage once the batch is committed (`quarantine.reclaim_after_erasure`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.entities import ERASED_NAME, PERSON, REGISTRATION
from bpjs_field.server import quarantine
from bpjs_field.server.rows import Doc
from bpjs_field.protocol import Change

if TYPE_CHECKING:
    from bpjs_field.server.push import PushApplier

# Everything that identifies or describes the person (full_name is replaced by ERASED_NAME),
# and what a registration says about the person (not about the programme): both cleared by
# an erasure, as on the laptops (bpjs_field/domain/entities.py).
ERASED_FIELDS = PERSON.cleared
ERASED_REGISTRATION_FIELDS = REGISTRATION.cleared


def erase(applier: "PushApplier", doc: Doc, payload: dict[str, Any], ch: Change) -> None:
    """Withdrawn consent or an erasure request: the personal fields go, here and (by the
    next pull) on every laptop; the person's id, registrations and counts stay."""
    for field in PERSON.fields:
        if field.personal:
            doc.data[field.name] = field.erased
            if field.synced:  # name_key is the server's own, made from full_name
                doc.meta[field.name] = [ch.hlc, None]
    doc.data["erased_at"] = payload["erased_at"]
    if payload.get("consent_withdrawn_at"):
        doc.data["consent_withdrawn_at"] = payload["consent_withdrawn_at"]
    marks = [v for v in (doc.orig_ident or "",) if v]
    applier.set_ident(doc, None)
    tx = applier.tx
    # Values that lost earlier concurrent edits are personal data too.
    tx.execute("DELETE FROM conflicts WHERE entity = 'person' AND entity_id = ?", (doc.id,))
    applier.conflicts = [c for c in applier.conflicts if not (c[0] == "person" and c[1] == doc.id)]
    aliases = [r[0] for r in tx.rows(
        "SELECT id FROM docs WHERE entity = 'person' AND merged_into = ?", (doc.id,))]
    quarantine.scrub_erased(tx, [doc.id, *aliases],
                            [m.split(":", 1)[1].split("/")[0] for m in marks],
                            (*ERASED_FIELDS, *ERASED_REGISTRATION_FIELDS), ERASED_NAME)
    _erase_registrations(applier, doc.id, ch)
    applier.erased.append(doc.id)
    applier.touch(doc)


def _erase_registrations(applier: "PushApplier", person_id: str, ch: Change) -> None:
    """The person's registrations keep segment, programmes, contribution and consent (the
    branch's figures); what they said about the person goes."""
    tx = applier.tx
    path = "(data::jsonb)->>'person_id'" if tx.postgres else "json_extract(data, '$.person_id')"
    for row in tx.rows(f"SELECT entity, id, rev, ident, merged_into, deleted, data, meta FROM docs "
                       f"WHERE entity = 'registration' AND {path} = ?", (person_id,)):
        if applier.docs.get(("registration", row[1])) is None:
            applier._remember(Doc(row[0], row[1], row[2], row[3], row[4], bool(row[5]),
                                  json.loads(row[6]), json.loads(row[7]), False))
    erased_ids = []
    for doc in [d for d in applier.docs.values() if d is not None and d.entity == "registration"
                and d.data.get("person_id") == person_id]:
        erased_ids.append(doc.id)
        for field in ERASED_REGISTRATION_FIELDS:
            if doc.data.get(field) is not None:
                doc.data[field] = None
                doc.meta[field] = [ch.hlc, None]
        applier.touch(doc)
    # Losing values of concurrent edits of those fields (two KPJ numbers typed on two
    # laptops, two occupations) are the person's data too.
    fields = ERASED_REGISTRATION_FIELDS
    for registration_id in erased_ids:
        tx.execute(f"DELETE FROM conflicts WHERE entity = 'registration' AND entity_id = ? AND "
                   f"field IN ({', '.join('?' * len(fields))})", (registration_id, *fields))
    applier.conflicts = [c for c in applier.conflicts if not (
        c[0] == "registration" and c[1] in erased_ids and c[2] in fields)]


def kept_payload(applier: "PushApplier", ch: Change) -> dict[str, Any]:
    """What quarantine keeps of a change: its payload, less what an erasure already removed."""
    person_id = ch.entity_id if ch.entity == "person" else ch.payload.get("person_id")
    person = applier.resolve(applier.get("person", person_id))
    if person is not None and person.data.get("erased_at"):
        return quarantine.scrub_payload(ch.payload, (*ERASED_FIELDS, *ERASED_REGISTRATION_FIELDS),
                                        ERASED_NAME)
    return ch.payload
