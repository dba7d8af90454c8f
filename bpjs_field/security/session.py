"""Opening a protected (encrypted) laptop database: first start, login, encrypting
an existing plain database, and the account operations that touch both the key
file and the database.

A database is *protected* when its key file `<db>.keys.json` exists.  The app's
own database is created protected on first start; `Store.open(path)` without a
key keeps working for plain files (tests, demo, benchmarks).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bpjs_field.errors import BpjsFieldError, KnownError
from bpjs_field.security.keys import (Account, KeyFile, check_password, key_file_lock, keys_path,
                                      new_database_key, normalize_employee_no)
from bpjs_field.store.connection import key_pragma
from bpjs_field.store.encryption import encrypt_file
from bpjs_field.store.session import Session, require_supervisor, store_audit_denied
from bpjs_field.store.store import Store

log = logging.getLogger(__name__)


def is_protected(db_path: Path | str) -> bool:
    return keys_path(db_path).exists()


def _is_plain_database(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def set_aside_keyless(path: Path | str, beside: Path | str) -> Path | None:
    """A database file at `path` that nothing can open (not a plain SQLite file, no key
    file) while the protected database `beside` exists: renamed aside, never deleted, and
    its new name returned; None when `path` is anything else.

    Earlier versions made such a file at the real database's place from a training window
    (its pre-registration counts opened that path with the training key), and every start
    after it stopped at "database file damaged" instead of offering the training login.
    A real database made since encryption always has its key file; one made before is a
    plain file: neither is touched."""
    path = Path(path)
    if (not path.exists() or is_protected(path) or _is_plain_database(path)
            or not is_protected(beside) or path.stat().st_size == 0):
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.unreadable-{stamp}")
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.replace(aside.with_name(aside.name + suffix))
    path.replace(aside)
    log.warning("a database without its key file was set aside as %s", aside.name)
    return aside


def _session(account: Account, signing_seed: bytes | None = None) -> Session:
    """The session a store is opened with for an account: its officer, role, and the signing
    key of a branch account."""
    signer = None
    if signing_seed is not None and account.source == "server":
        from bpjs_field.security.signing import ChangeSigner
        signer = ChangeSigner(account.employee_no, signing_seed)
    return Session(employee_no=account.employee_no, role=account.role, signer=signer)


def _login(store: Store, account: Account) -> Store:
    """The store opened for the account: its officer row takes the account's role, and the
    audit entries (failed attempts made while the database was locked, then this login)."""
    officer = store.officers.by_employee_no(account.employee_no)
    if officer is not None and officer["role"] != account.role:
        with store.write():
            store.officers.set_role(officer["id"], account.role)
    with KeyFile.editing(store.path) as keyfile:
        pending = keyfile.take_pending_audit()
    with store.write():
        for failed in pending:
            at = datetime.fromtimestamp(float(failed.get("at", 0)), timezone.utc)
            store.audit("login_failed", "officer", None, employee_no=failed.get("employee_no"),
                        attempt=failed.get("count"), locked=bool(failed.get("locked")),
                        attempted_at=at.isoformat(timespec="seconds"))
        store.audit("login", "officer", store.officer_id, employee_no=account.employee_no,
                    role=account.role)
    return store


def unlock(db_path: Path | str, employee_no: str, password: str,
           keyfile: KeyFile | None = None) -> Store:
    """Log in: unwrap the key with the officer's password and open the database."""
    db_path = Path(db_path)
    with key_file_lock(db_path):
        keyfile = keyfile.reload() if keyfile else KeyFile.load(db_path)
        key, account = keyfile.unlock(employee_no, password)
        seed = keyfile.signing_seed
    store = Store.open(db_path, key=key, session=_session(account, seed))
    return _login(store, account)


def create_protected(db_path: Path | str, *, employee_no: str, full_name: str, branch: str,
                     password: str, confirm: str | None = None, role: str = "supervisor",
                     language: str = "id", kdf: dict[str, int] | None = None) -> Store:
    """First start: a new random key, the first account (a supervisor: someone must be
    able to add the others) and its officer row.  An existing plain database at the
    path is encrypted in place (kept aside until the encrypted copy is checked)."""
    from bpjs_field.store import views
    db_path = Path(db_path)
    if is_protected(db_path):
        raise KnownError("security.already_encrypted")
    _check_officer_fields(full_name, employee_no, branch)
    check_password(password, confirm)
    number = normalize_employee_no(employee_no)
    key = new_database_key()
    created = not db_path.exists()
    if _is_plain_database(db_path):
        encrypt_file(db_path, key)
    try:
        store = Store.open(db_path, key=key)
    except BaseException:
        if created:
            _remove_database(db_path)
        raise
    try:
        officer = views.setup_officer(store, full_name=full_name, employee_no=number,
                                      branch=branch, language=language)
        with store.write():
            store.officers.set_role(officer["id"], role, touch=False)
            store.audit("role_set", "officer", officer["id"], role=role, reason="first_start")
        with key_file_lock(db_path):
            keyfile = KeyFile.create(db_path, key)
            if kdf:
                keyfile.data["default_kdf"] = dict(kdf)
            account = keyfile.add_account(key, officer["employee_no"], role, password, kdf=kdf)
    except BaseException:
        store.close()
        if created:  # a half-made new database without its key file is useless: start clean
            _remove_database(db_path)
        raise
    # The session is fixed at open: the store the first account works on is opened for it.
    store.close()
    return _login(Store.open(db_path, key=key, session=_session(account)), account)


def _check_officer_fields(full_name: str, employee_no: str, branch: str) -> None:
    """The officer row's own checks, made before any file is created or encrypted."""
    from bpjs_field.domain.names import normalize_name
    from bpjs_field.domain.registration import clean_text
    from bpjs_field.errors import ValidationError, ValidationErrors
    errors = []
    for check in (lambda: normalize_name(full_name),
                  lambda: clean_text(employee_no, "employee_no", maximum=30, required=True),
                  lambda: clean_text(branch, "branch", maximum=80, required=True)):
        try:
            check()
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationErrors(errors)


def _remove_database(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)


# -- accounts (a logged-in supervisor) -----------------------------------------
def add_account(store: Store, *, employee_no: str, full_name: str, branch: str | None,
                role: str, password: str, confirm: str | None = None) -> Account:
    require_supervisor(store, "manage accounts")
    check_password(password, confirm)
    with KeyFile.editing(store.path) as keyfile:
        if keyfile.account(employee_no) is not None:  # before the officer row is made
            raise BpjsFieldError("security.account_exists",
                                 employee_no=normalize_employee_no(employee_no))
        officer = store.officers.create(full_name=full_name,
                                        employee_no=normalize_employee_no(employee_no),
                                        branch=branch or store.get_setting("branch") or "", role=role)
        account = keyfile.add_account(store.key, officer["employee_no"], role, password)
    with store.write():
        store.officers.set_role(officer["id"], role)
        store.audit("account_created", "officer", officer["id"], role=role)
    return account


def reset_password(store: Store, employee_no: str, password: str, confirm: str | None = None,
                   role: str | None = None) -> Account:
    """A supervisor sets a new password for a forgotten one (and may change the role)."""
    require_supervisor(store, "manage accounts")
    check_password(password, confirm)
    with KeyFile.editing(store.path) as keyfile:
        before = keyfile.account(employee_no)
        account = keyfile.reset_password(store.key, employee_no, password, role)
    officer = store.officers.by_employee_no(account.employee_no)
    officer_id = officer["id"] if officer else None
    with store.write():
        store.audit("password_reset", "officer", officer_id)
        if before is not None and before.role != account.role:
            if officer_id:
                store.officers.set_role(officer_id, account.role)
            store.audit("role_changed", "officer", officer_id, old=before.role, new=account.role)
    return account


def change_own_password(store: Store, employee_no: str, old: str, new: str,
                        confirm: str | None = None) -> Account:
    check_password(new, confirm)
    with KeyFile.editing(store.path) as keyfile:
        account = keyfile.change_password(employee_no, old, new)
    with store.write():
        store.audit("password_changed", "officer", store.officer_id)
    return account


def accounts(store: Store) -> list[dict[str, Any]]:
    """Accounts of this laptop with their officer names (for the supervisor's list)."""
    names = {row["employee_no"]: row for row in store.officers.list()}
    keyfile = KeyFile.load(store.path)
    return [{"employee_no": a.employee_no, "role": a.role, "source": a.source,
             "full_name": (names.get(a.employee_no) or {}).get("full_name", ""),
             "locked_for": keyfile.retry_after(a.employee_no)} for a in keyfile.accounts()]


def verify_password(db_path: Path | str, employee_no: str, password: str) -> Account:
    """Unlocking the idle lock screen: the password again (counts as a login attempt)."""
    with KeyFile.editing(db_path) as keyfile:
        _key, account = keyfile.unlock(employee_no, password)
    return account


__all__ = ["is_protected", "unlock", "create_protected", "encrypt_file", "require_supervisor",
           "add_account", "reset_password", "change_own_password", "accounts", "verify_password",
           "key_pragma", "store_audit_denied", "Session"]
