"""A restored laptop whose marks are unknown, until the branch tells it.

A restore continues after every registration number and audit id the laptop had issued,
read from the database it replaces and from its ledger (bpjs_field/backup.py,
bpjs_field/store/ledger.py).  When both are gone (a new disk, the backup restored on a
new machine), the restore cannot know how far the laptop went after the backup was taken,
and marks the database "marks unknown" (`MARKS_UNKNOWN`, with the gaps it applies).

- **Online.**  At its next contact with the branch, before it pushes anything, the sync
  asks the branch for the laptop's own marks (`GET /v1/marks`) and moves its counters past
  them (`learn`); the state is then cleared.
- **Offline meanwhile.**  Registration receipts are printed, so a code, once issued, is
  never renumbered.  New codes therefore continue after a safety gap: `CODE_GAP` numbers past
  the highest one the laptop knows (5% of a tag's 1,048,575 numbers: 500 registrations a
  day for 100 days between the backup and the restore).  The gap applies only while the
  marks are unknown: a laptop that syncs before it registers continues right after the
  branch's mark and wastes nothing.  Audit ids are never seen by anyone, so the restore's own
  audit entry (and every one after it) simply starts `AUDIT_GAP` ids past the backup's last.
- A laptop that issued more than `CODE_GAP` numbers after the backup it restores would still
  collide; the branch then keeps those registrations aside as `registration.code_taken`,
  the laptop lists them as not delivered, and supervisors see them (`GET /v1/quarantine`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bpjs_field.domain.codes import MAX_SEQ
from bpjs_field.store import auditlog
from bpjs_field.store.ledger import MARKS_UNKNOWN, gapped_floor, unknown_marks  # noqa: F401
from bpjs_field.store.store import dumps, utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store
    from bpjs_field.sync.client import SyncClient

CODE_GAP = 52_428  # 5% of a tag's numbers
AUDIT_GAP = 1_000_000_000


def with_gap(highest: int, gap: int = CODE_GAP) -> int:
    """The gapped floor after `highest`, never past the tag's last number."""
    return highest + max(0, min(gap, (MAX_SEQ - highest) // 2))


def learn(store: "Store", client: "SyncClient") -> bool:
    """Ask the branch for this laptop's marks and continue past them (when they are unknown).
    Returns whether marks were learned.  Runs before the push: nothing is sent before."""
    state = unknown_marks(store)
    if state is None:
        return False
    from bpjs_field.store.registrations import CODE_FLOOR_SETTING
    from bpjs_field.sync.client import SyncError
    answer = client.marks()
    if answer.device_id != store.device_id:
        raise SyncError("sync.bad_response", detail="marks of another device")
    with store.write():
        floor = dict(store.get_setting(CODE_FLOOR_SETTING) or {})
        tag = answer.device_tag
        floor[tag] = max(int(floor.get(tag, 0)), answer.code_number)
        store.set_setting(CODE_FLOOR_SETTING, floor)
        last = auditlog.max_id(store)
        details = dumps({"code_number": answer.code_number, "audit_id": answer.audit_id})
        if answer.audit_id >= last:
            # The entries that follow take ids after everything the branch holds.
            auditlog.append_with_id(store, answer.audit_id + 1, utc_now(), store.officer_id,
                                    "sync.marks", details)
        else:
            store.audit("sync.marks", None, None, code_number=answer.code_number,
                        audit_id=answer.audit_id)
        store.set_setting(MARKS_UNKNOWN, None)
    return True


def mark_unknown(store: "Store", highest: dict[str, int],
                 before: dict[str, Any] | None = None) -> dict[str, Any]:
    """Called by the restore (inside its transaction) when no marks could be established;
    `highest`: per tag the highest number the restore knows of; `before`: the state of the
    replaced database when it did not know its marks either (its gap is kept, not added to)."""
    codes = {tag: with_gap(n) for tag, n in highest.items()}
    old = (before or {}).get("codes")
    for tag, n in (old.items() if isinstance(old, dict) else ()):
        if isinstance(n, int):
            codes[tag] = max(codes.get(tag, 0), n)
    state = {"since": utc_now(), "code_gap": CODE_GAP, "audit_gap": AUDIT_GAP, "codes": codes}
    store.set_setting(MARKS_UNKNOWN, state)
    return state


def after_restore(store: "Store", present: dict[str, Any], highest: dict[str, int]) -> int:
    """At a restore (inside its transaction): mark the marks unknown when neither the ledger
    (`present["marks_known"]`) nor a database of this same laptop being replaced tells them,
    or when that database did not know them either.  Returns the audit ids to skip."""
    same = present.get("device_id") == store.device_id
    replaced = present.get("unknown") if same else None
    if present.get("marks_known", True) or (same and not replaced):
        return 0
    highest = {**highest}
    highest.setdefault(store.device_tag, 0)
    return int(mark_unknown(store, highest, replaced)["audit_gap"])
