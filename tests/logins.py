"""A second connection to a test's database, opened for a logged-in officer: the login is
fixed when a store is opened (bpjs_field/store/session.py), so a test that needs a role or
a signer opens the file again for it instead of changing a store it already has."""

from __future__ import annotations

from typing import Any

from bpjs_field.store import Store
from bpjs_field.store.session import Session


def opened_as(store: Store, role: str | None = None, *, signer: Any = None,
              officer_id: str | None = None) -> Store:
    """The same file opened for a login with `role` (and `signer`), working as `officer_id`
    or as the officer `store` works as.  The caller closes it."""
    session = Session(officer_id=officer_id or store.officer_id, role=role, signer=signer)
    return Store.open(store.path, key=store.key, session=session)
