"""Officer accounts and enrolled laptops on the branch server.

Passwords are hashed with argon2 (argon2-cffi).  A laptop enrolled with an
officer's credentials gets a random device token; only its SHA-256 is stored
(the token has 256 bits of entropy, so a slow hash adds nothing, and the
"nothing to sync" round trip stays a few milliseconds).  A revoked device is
refused on every request.  Each account is also published to laptops as an
`officer` row, so receipts and reports name officers on every laptop, and with
the row the account's public `login` (`make_branch_login`: a public key derived
from the password, never the password hash), so the officer can log in on any
laptop of the branch that has synced since, offline too.  The login is made
whenever the server holds the password in clear: the account is created, its
password set, or the officer enrols a laptop (accounts older than logins get
theirs then).  Disabling an account or changing its role is published the same
way; laptops follow at their next sync.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import datetime, timezone
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bpjs_field.domain.codes import ALPHABET, new_device_tag
from bpjs_field.errors import KnownError
from bpjs_field.security.keys import make_branch_login
from bpjs_field.security.passwords import check_policy
from bpjs_field.server import tags
from bpjs_field.server.db import ServerDatabase, Tx

_hasher = PasswordHasher()
MIN_PASSWORD = 12  # bpjs_field.security.passwords.MIN_LENGTH


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AuthError(Exception):
    """Refused credentials or device; `code` is sent to the laptop."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


def _officer_doc(row: dict[str, Any]) -> dict[str, Any]:
    # `account` marks the rows only the server writes (a laptop's push cannot set it, see
    # push.py): only those change who may log in on laptops.
    doc = {"id": row["id"], "employee_no": row["employee_no"], "full_name": row["full_name"],
           "branch": row["branch"], "role": row["role"], "active": int(row["active"]),
           "created_at": row["created_at"], "updated_at": row["updated_at"], "account": True}
    if row.get("login"):
        doc["login"] = json.loads(row["login"])
    return doc


def _login_json(password: str) -> str:
    return json.dumps(make_branch_login(password), sort_keys=True)


def _account(tx: Tx, employee_no: str) -> dict[str, Any]:
    rows = tx.dicts("SELECT * FROM accounts WHERE employee_no = ?", (employee_no,))
    if not rows:
        raise KnownError("server.officer_unknown", employee_no=employee_no)
    return rows[0]


def publish_officer(tx: Tx, row: dict[str, Any]) -> None:
    """Write the account as an `officer` doc with a new revision (pulled by laptops)."""
    rev = tx.lock_revisions() + 1
    data = json.dumps(_officer_doc(row), ensure_ascii=False, sort_keys=True)
    ident = f"emp:{row['employee_no']}"
    # A laptop may have pushed an officer row with this employee number first:
    # the account takes over that identity and the laptop's row becomes an alias.
    other = tx.one("SELECT id FROM docs WHERE entity = 'officer' AND ident = ? AND id <> ?",
                   (ident, row["id"]))
    if other:
        tx.execute("UPDATE docs SET ident = NULL, merged_into = ?, rev = ?, data = ? "
                   "WHERE entity = 'officer' AND id = ?",
                   (row["id"], rev, json.dumps({"id": other[0], "merged_into": row["id"]}), other[0]))
        rev += 1
    if tx.one("SELECT 1 FROM docs WHERE entity = 'officer' AND id = ?", (row["id"],)):
        tx.execute("UPDATE docs SET rev = ?, data = ?, ident = ?, deleted = 0 "
                   "WHERE entity = 'officer' AND id = ?", (rev, data, ident, row["id"]))
    else:
        tx.execute("INSERT INTO docs(entity, id, rev, ident, data) VALUES ('officer', ?, ?, ?, ?)",
                   (row["id"], rev, ident, data))
    tx.store_revision(rev)


def republish(tx: Tx, employee_no: str) -> None:
    """Publish an account's row again (a new revision), e.g. for a laptop that needs its
    login now; no account by that number: nothing."""
    rows = tx.dicts("SELECT * FROM accounts WHERE upper(employee_no) = ?", (employee_no.upper(),))
    if rows:
        publish_officer(tx, rows[0])


def add_officer(db: ServerDatabase, *, employee_no: str, full_name: str, branch: str,
                role: str, password: str) -> dict[str, Any]:
    employee_no, full_name, branch = employee_no.strip(), " ".join(full_name.split()), branch.strip()
    if not employee_no or not full_name or not branch or len(employee_no) > 30:
        raise KnownError("server.officer_fields")
    if role not in ("officer", "supervisor"):
        raise KnownError("server.officer_fields")
    check_policy(password)
    now = utc_now()
    row = {"id": str(uuid.uuid4()), "employee_no": employee_no, "full_name": full_name,
           "branch": branch, "role": role, "active": 1, "created_at": now, "updated_at": now,
           "login": _login_json(password)}
    with db.write() as tx:
        if tx.one("SELECT 1 FROM accounts WHERE employee_no = ?", (employee_no,)):
            raise KnownError("server.officer_exists", employee_no=employee_no)
        tx.execute("INSERT INTO accounts(id, employee_no, full_name, branch, role, password_hash, "
                   "active, created_at, updated_at, login) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                   (row["id"], employee_no, full_name, branch, role, _hasher.hash(password), now, now,
                    row["login"]))
        publish_officer(tx, row)
    return row


def set_password(db: ServerDatabase, employee_no: str, password: str) -> None:
    check_policy(password)
    hashed, login = _hasher.hash(password), _login_json(password)
    with db.write() as tx:
        done = tx.execute("UPDATE accounts SET password_hash = ?, login = ?, updated_at = ? "
                          "WHERE employee_no = ?", (hashed, login, utc_now(), employee_no))
        if done.rowcount == 0:
            raise KnownError("server.officer_unknown", employee_no=employee_no)
        publish_officer(tx, _account(tx, employee_no))


def set_role(db: ServerDatabase, employee_no: str, role: str) -> dict[str, Any]:
    """A new role for an account; laptops apply it at their next sync."""
    if role not in ("officer", "supervisor"):
        raise KnownError("server.officer_fields")
    with db.write() as tx:
        _account(tx, employee_no)
        tx.execute("UPDATE accounts SET role = ?, updated_at = ? WHERE employee_no = ?",
                   (role, utc_now(), employee_no))
        row = _account(tx, employee_no)
        publish_officer(tx, row)
    return row


def set_active(db: ServerDatabase, employee_no: str, active: bool) -> dict[str, Any]:
    """Disable (or enable again) an account: its laptops' tokens are refused at once, and
    laptops stop letting it log in at their next sync."""
    with db.write() as tx:
        _account(tx, employee_no)
        tx.execute("UPDATE accounts SET active = ?, updated_at = ? WHERE employee_no = ?",
                   (1 if active else 0, utc_now(), employee_no))
        row = _account(tx, employee_no)
        publish_officer(tx, row)
    return row


def list_officers(db: ServerDatabase) -> list[dict[str, Any]]:
    with db.read() as tx:
        return tx.dicts("SELECT id, employee_no, full_name, branch, role, active, created_at "
                        "FROM accounts ORDER BY employee_no")


def list_devices(db: ServerDatabase) -> list[dict[str, Any]]:
    with db.read() as tx:
        return tx.dicts("SELECT d.id, d.device_tag, d.name, a.employee_no, d.enrolled_at, "
                        "d.last_seen_at, d.revoked_at FROM devices d LEFT JOIN accounts a "
                        "ON a.id = d.officer_id ORDER BY d.enrolled_at")


def allow_account(db: ServerDatabase, device_id: str, employee_no: str) -> None:
    """Let an account log in on a laptop besides its team (a supervisor who will work on an
    officer's laptop): its login goes to that laptop from its next sync on."""
    with db.write() as tx:
        if not tx.one("SELECT 1 FROM devices WHERE id = ?", (device_id,)):
            raise KnownError("server.device_unknown", device=device_id)
        account = _account(tx, employee_no)
        tx.execute("INSERT INTO device_accounts(device_id, account_id, added_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (device_id, account_id) DO NOTHING",
                   (device_id, account["id"], utc_now()))
        record_server_audit(tx, "device.account_allowed", officer_id=account["id"],
                            entity="device", entity_id=device_id,
                            details={"employee_no": employee_no}, now=utc_now())
        publish_officer(tx, account)


def revoke_device(db: ServerDatabase, device_id: str) -> bool:
    with db.write() as tx:
        done = tx.execute("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                          (utc_now(), device_id))
        return done.rowcount > 0


class EnrollRefused(Exception):
    """An enrolment naming a device the request holds no token of (`code` for the laptop)."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code, self.status = code, status


def record_server_audit(tx: Tx, action: str, *, officer_id: str | None, entity: str | None,
                        entity_id: str | None, details: dict[str, Any], now: str) -> None:
    """An entry in the branch's audit log made by the server itself (device `server`)."""
    local_id = (tx.scalar("SELECT max(local_id) FROM audit WHERE device_id = 'server'") or 0) + 1
    tx.execute("INSERT INTO audit(device_id, local_id, at, officer_id, action, entity, entity_id, "
               "details, received_at) VALUES ('server', ?, ?, ?, ?, ?, ?, ?, ?)",
               (local_id, now, officer_id, action, entity, entity_id,
                json.dumps(details, sort_keys=True), now))


def enroll(db: ServerDatabase, *, employee_no: str, password: str, device_id: str | None,
           device_tag: str, device_name: str,
           authorization: str | None = None) -> tuple[str, str, str, dict[str, Any]]:
    """Check the officer's password and enrol the laptop: (token, device id, device tag,
    officer).

    The server issues the device id.  Naming a device id renews that device's token only
    when the request also carries the device's current token (`authorization`): the id is
    bound to the token it was enrolled with, so an officer who read another laptop's id in
    pulled rows cannot take it over.  Such an attempt is refused and audited."""
    with db.read() as tx:
        account = tx.dicts("SELECT * FROM accounts WHERE employee_no = ?", (employee_no,))
    try:
        if not account:
            _hasher.hash(password)  # same work as a wrong password: no account probing by timing
            raise AuthError("auth.bad_credentials", 401)
        _hasher.verify(account[0]["password_hash"], password)
    except (VerificationError, InvalidHashError):
        raise AuthError("auth.bad_credentials", 401) from None
    officer = account[0]
    if not officer["active"]:
        raise AuthError("auth.officer_inactive", 403)
    token = secrets.token_urlsafe(32)
    # An account from before logins were published gets its login now (the password is
    # known here), so the officer can log in on laptops from their next sync on.
    login = None if officer.get("login") else _login_json(password)
    presented = None
    if authorization and authorization.startswith("Bearer "):
        presented = token_hash(authorization[len("Bearer "):].strip())
    refused: EnrollRefused | None = None
    with db.write() as tx:
        now = utc_now()
        if login is not None:
            tx.execute("UPDATE accounts SET login = ?, updated_at = ? WHERE id = ? AND login IS NULL",
                       (login, now, officer["id"]))
            officer = _account(tx, employee_no)
            publish_officer(tx, officer)
        existing = tx.dicts("SELECT * FROM devices WHERE id = ?", (device_id,)) if device_id else []
        if existing and existing[0]["token_hash"] != presented:
            # Committed with the audit entry; the refusal is raised after the transaction.
            record_server_audit(tx, "enroll.device_taken", officer_id=officer["id"],
                                entity="device", entity_id=device_id,
                                details={"device_name": device_name[:64]}, now=now)
            refused = EnrollRefused("enroll.device_taken", 409)
        elif existing and existing[0]["revoked_at"]:
            raise AuthError("auth.device_revoked", 403)
        else:
            if not existing:
                device_id = str(uuid.uuid4())
            # Two laptops that drew the same tag would mint the same registration codes: a
            # tag another laptop was issued or issued codes under (server/tags.py) is taken.
            taken = {r[0] for r in tx.rows("SELECT device_tag FROM devices WHERE id <> ?",
                                           (device_id,))}
            taken |= {r[0] for r in tx.rows("SELECT tag FROM device_tags WHERE device_id <> ?",
                                            (device_id,))}
            tag = existing[0]["device_tag"] if existing else device_tag
            while tag in taken or any(ch not in ALPHABET for ch in tag):
                tag = new_device_tag()
            if existing:
                tx.execute("UPDATE devices SET token_hash = ?, officer_id = ?, name = ?, "
                           "enrolled_at = ? WHERE id = ?",
                           (token_hash(token), officer["id"], device_name, now, device_id))
            else:
                tx.execute("INSERT INTO devices(id, device_tag, name, officer_id, token_hash, "
                           "enrolled_at) VALUES (?, ?, ?, ?, ?, ?)",
                           (device_id, tag, device_name, officer["id"], token_hash(token), now))
            # The laptop owns its tag from now on; the codes it issued under it before it was
            # enrolled arrive with its first push (its tag was free, or it got a new one).
            tags.record(tx, device_id, tag, "enrolled", now)
            if login is None and existing:
                # Enrolled again by someone else: their login now goes to this laptop.
                publish_officer(tx, officer)
    if refused is not None:
        raise refused
    return token, device_id, tag, _officer_doc(officer)


def authenticate(db: ServerDatabase, authorization: str | None) -> dict[str, Any]:
    """The device behind a `Bearer` token, or AuthError."""
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthError("auth.missing", 401)
    token = authorization[len("Bearer "):].strip()
    if not 20 <= len(token) <= 200:
        raise AuthError("auth.unknown_device", 401)
    with db.read() as tx:
        rows = tx.dicts("SELECT d.id, d.device_tag, d.revoked_at, d.officer_id, a.role, a.active "
                        "FROM devices d JOIN accounts a ON a.id = d.officer_id "
                        "WHERE d.token_hash = ?", (token_hash(token),))
    if not rows:
        raise AuthError("auth.unknown_device", 401)
    device = rows[0]
    if device["revoked_at"]:
        raise AuthError("auth.device_revoked", 403)
    if not device["active"]:
        raise AuthError("auth.officer_inactive", 403)
    return device
