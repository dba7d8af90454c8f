"""Pulled rows the laptop cannot apply are set aside, never the whole pull.

Each pulled row is checked with the domain rules every laptop applies
(`bpjs_field.domain.records`, NIK and phone by their shape) before it is written.  A row
that fails (a value the laptop's schema refuses, a missing required field) is left out of
the page (the registrations and attendance naming it wait for it whole: `store/held.py`);
everything else applies and the cursor moves on.  The row is remembered in the setting `sync.set_aside` (entity, id, server revision, reason: codes and field names,
never values) and in the audit log (`sync.row_set_aside`), which reaches the branch
server where supervisors read it; the sync page and `bpjs-field sync` show it.  When the
branch corrects the row it comes again with a new revision, applies, and leaves the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bpjs_field.domain.records import check_row, describe
from bpjs_field.store.store import utc_now

if TYPE_CHECKING:
    from bpjs_field.protocol import Doc
    from bpjs_field.store.store import Store

SETTING = "sync.set_aside"
MAX_KEPT = 1000  # rows listed at most (the audit log keeps every one)


def set_aside_rows(store: "Store") -> list[dict[str, Any]]:
    """The rows set aside, oldest first: entity, id, rev, reason, at."""
    kept = store.get_setting(SETTING) or {}
    return sorted(kept.values(), key=lambda r: (r.get("at") or "", r.get("id") or ""))


def screen(store: "Store", docs: list[Doc]) -> tuple[list[Doc], list[tuple[Doc, str]]]:
    """(rows to apply, rows set aside with their reason)."""
    aside: list[tuple[Doc, str]] = []
    good: list[Doc] = []
    for doc in docs:
        if doc.deleted or doc.merged_into or not doc.data:
            good.append(doc)
            continue
        problems = check_row(doc.entity, doc.data, quick=True)
        if problems:
            aside.append((doc, describe(doc.entity, problems)))
        else:
            good.append(doc)
    # What names a row set aside (a registration, a check-in) is not lost with it: it waits
    # whole for its person or event (store/held.py) and applies once the row is corrected.
    return good, aside


def record(store: "Store", applied: list[Doc], aside: list[tuple[Doc, str]]) -> None:
    """Remember the rows set aside and forget those that now applied (inside `write()`)."""
    kept = dict(store.get_setting(SETTING) or {})
    changed = False
    for doc in applied:
        if kept.pop(f"{doc.entity}:{doc.id}", None) is not None:
            changed = True
    now = utc_now()
    for doc, reason in aside:
        key = f"{doc.entity}:{doc.id}"
        if kept.get(key, {}).get("rev") == doc.rev:
            continue  # the same revision again (a page sent twice)
        kept[key] = {"entity": doc.entity, "id": doc.id, "rev": doc.rev, "reason": reason,
                     "at": now}
        store.audit("sync.row_set_aside", doc.entity, doc.id, rev=doc.rev, reason=reason)
        changed = True
    if changed:
        if len(kept) > MAX_KEPT:
            kept = dict(sorted(kept.items(), key=lambda kv: kv[1]["at"])[-MAX_KEPT:])
        store.set_setting(SETTING, kept)
