"""What the store's replica needs from the security layer when it applies pulled rows
(bpjs_field/store/replica.py, `ReplicaHooks`): pulled officer rows brought into the login
key file.  Every caller that applies pulled or carried rows (the sync engine, a
hand-carried file) passes these."""

from __future__ import annotations

from bpjs_field.store.replica import ReplicaHooks


def replica_hooks() -> ReplicaHooks:
    from bpjs_field.security.branch_accounts import apply_branch_accounts
    return ReplicaHooks(accounts=apply_branch_accounts)
