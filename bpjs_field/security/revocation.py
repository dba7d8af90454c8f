"""A laptop revoked by the branch wipes the personal data it synced (UU PDP 27/2022).

When the server answers "this device is revoked" (the laptop was reported lost,
or taken out of service), the sync engine calls `wipe_synced_personal_data()`
in the same contact.  Every person whose data the branch server already holds
(no change of theirs waits to be sent) loses the personal fields on this
laptop, exactly as in an erasure but *without* a change to sync (the server
keeps its copy).  People with unsent changes are kept: their data exist
nowhere else, and a supervisor recovers them from this laptop.  Counts, codes
and the audit trail stay; the setting `security.revoked_wipe` tells the GUI and
the command line what happened.
"""

from __future__ import annotations

from typing import Any

from bpjs_field.store.erasure import ERASED_NAME, PERSONAL, _scrub_change_log
from bpjs_field.store import changelog, held, maintenance
from bpjs_field.store.store import Store, utc_now

WIPE_SETTING = "security.revoked_wipe"


def wipe_synced_personal_data(store: Store) -> dict[str, Any]:
    now = utc_now()
    unsent = changelog.unsent_person_ids(store)
    ids = [person_id for person_id in maintenance.people_not_erased(store)
           if person_id not in unsent]
    values = {**{field: None for field in PERSONAL}, "full_name": ERASED_NAME, "name_key": "",
              "erased_at": now, "updated_at": now}
    with store.write():
        maintenance.secure_delete(store)
        for person_id in ids:
            maintenance.overwrite_person(store, person_id, values)
            _scrub_change_log(store, person_id)
        maintenance.clear_drafts(store)
        held.forget_all(store)  # pulled rows waiting for their person or event
        summary = {"at": now, "wiped": len(ids), "kept_unsent": len(unsent)}
        store.set_setting(WIPE_SETTING, summary)
        store.audit("device.revoked_wipe", None, None, wiped=len(ids), kept_unsent=len(unsent))
    with store.write():
        maintenance.optimize_search(store)
    maintenance.checkpoint(store)
    return summary
