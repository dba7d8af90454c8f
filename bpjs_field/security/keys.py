"""The key file beside an encrypted database: `<db>.keys.json`.

The database key is 32 random bytes that never touch the disk in clear.  Each
officer account of the laptop holds its own copy of it, wrapped (AES-256-GCM)
by a key derived from that officer's password with argon2id.  So any officer of
the laptop can unlock it, a password change re-wraps one copy without
re-encrypting the data, and a stolen laptop (database + key file) yields only
ciphertext guarded by argon2id.

The employee number and role are the AES-GCM associated data of each wrapped
copy: editing a role in the JSON makes that copy fail to unwrap instead of
promoting an officer.  The file also holds the failed-login counters (slow down,
then lock for a while) and the failed attempts not yet copied into the audit
log (the database is locked while they happen).

Accounts received from the branch server (`source: "server"`) log in with the
officer's branch password, offline too, although the laptop never saw that
password: the server publishes only a *public* key derived from it (argon2id of
the password gives an X25519 private key; the server keeps its public half,
see `make_branch_login`).  The laptop, unlocked by whoever is working, wraps the
database key to that public key (ephemeral X25519, HKDF-SHA256, AES-256-GCM);
at login the password derives the private key again and unwraps.  Nothing that
leaves the server opens anything without the password, so a laptop that pulls
the branch's accounts learns no password equivalent.

The same argon2id output also gives the account an Ed25519 signing key (public half
published by the server with the login): a supervisor logged in from a branch account
signs the edits and erasures the server checks (`bpjs_field.security.signing`).

Every read-modify-write of the file holds `key_file_lock()`: the lock screen's
failed-attempt counter (GUI thread), an account received by sync (worker
thread) and a second process must not overwrite each other's changes.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filelock
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from bpjs_field.errors import BpjsFieldError, KnownError

ROLES = ("officer", "supervisor")
MIN_PASSWORD = 12  # bpjs_field.security.passwords.MIN_LENGTH
# argon2id: 64 MiB, 3 passes (about 0.2 s here); stored per account, so it can grow later.
DEFAULT_KDF = {"time_cost": 3, "memory_cost": 65536, "parallelism": 1}
SLOW_FROM = 2          # from the 2nd failure on, each attempt waits a little longer
SLOW_STEP = 0.5        # seconds per failure, capped at SLOW_MAX
SLOW_MAX = 2.0
LOCK_AFTER = 5         # failures in a row before the account is locked
LOCK_SECONDS = 300     # first lock: 5 minutes, doubling on each further failure
LOCK_MAX = 3600
PENDING_MAX = 200      # failed attempts kept for the audit log at most
BRANCH_SCHEME = "x25519-argon2id-v1"
# What a login published by the branch server may ask of a laptop: a hostile or broken
# server must not make every login allocate gigabytes or spin for minutes.
KDF_LIMITS = {"time_cost": (1, 10), "memory_cost": (8_192, 1_048_576), "parallelism": (1, 8)}
LOCK_TIMEOUT = 30.0    # seconds to wait for another writer of the key file


def keys_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".keys.json")


@contextlib.contextmanager
def key_file_lock(db_path: Path | str) -> Iterator[None]:
    """Hold the key file for one read-modify-write (threads and processes alike)."""
    lock = filelock.FileLock(str(keys_path(db_path)) + ".lock", timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except filelock.Timeout as exc:
        raise KnownError("security.keys_busy") from exc
    try:
        yield
    finally:
        lock.release()


def normalize_employee_no(value: str) -> str:
    return " ".join(str(value or "").split()).upper()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def check_password(password: str, confirm: str | None = None) -> None:
    """The password policy (bpjs_field/security/passwords.py), then the confirmation."""
    from bpjs_field.security.passwords import check_policy
    check_policy(password)
    if confirm is not None and confirm != password:
        raise BpjsFieldError("security.password_mismatch")


@dataclass(frozen=True)
class Account:
    employee_no: str
    role: str
    source: str = "laptop"  # "server": received from the branch server, its password there

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


class KeyFile:
    """Wrapped copies of one database key, one per officer account."""

    def __init__(self, path: Path, data: dict[str, Any], *,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.path = path
        self.data = data
        self.clock = clock
        self.sleep = sleep
        # An account from the branch server signs what only a supervisor may do: its seed,
        # from the password of the last successful `unlock` (kept in memory only).
        self.signing_seed: bytes | None = None

    # -- file ----------------------------------------------------------------
    @classmethod
    def load(cls, db_path: Path | str, **kwargs: Any) -> "KeyFile":
        path = keys_path(db_path)
        return cls(path, _read(path), **kwargs)

    @classmethod
    @contextlib.contextmanager
    def editing(cls, db_path: Path | str, **kwargs: Any) -> Iterator["KeyFile"]:
        """The file, loaded under `key_file_lock()` for a change and its `save()`."""
        with key_file_lock(db_path):
            yield cls.load(db_path, **kwargs)

    def reload(self) -> "KeyFile":
        """Read the file again (call under `key_file_lock()` before changing it)."""
        self.data = _read(self.path)
        return self

    @classmethod
    def create(cls, db_path: Path | str, key: bytes, **kwargs: Any) -> "KeyFile":
        data = {"version": 1, "cipher": "aes-256-gcm", "kdf": "argon2id",
                "accounts": {}, "failures": {}, "pending_audit": []}
        return cls(keys_path(db_path), data, **kwargs)

    def save(self) -> None:
        """Atomic replace: a crash leaves the old file or the new one, never half of one."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    # -- accounts --------------------------------------------------------------
    def accounts(self) -> list[Account]:
        return [Account(no, entry["role"], entry.get("source", "laptop"))
                for no, entry in sorted(self.data["accounts"].items())]

    def account(self, employee_no: str) -> Account | None:
        number = normalize_employee_no(employee_no)
        entry = self.data["accounts"].get(number)
        return Account(number, entry["role"], entry.get("source", "laptop")) if entry else None

    def _wrap(self, key: bytes, employee_no: str, role: str, password: str,
              kdf: dict[str, int] | None = None) -> dict[str, Any]:
        params = dict(kdf or self.data.get("default_kdf") or DEFAULT_KDF)
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kek = _derive(password, salt, params)
        wrapped = AESGCM(kek).encrypt(nonce, key, _aad(employee_no, role))
        return {"employee_no": employee_no, "role": role, "salt": _b64(salt), "argon2": params,
                "nonce": _b64(nonce), "wrapped_key": _b64(wrapped)}

    def _unwrap(self, employee_no: str, password: str) -> bytes | None:
        self.signing_seed = None
        entry = self.data["accounts"].get(employee_no)
        if entry is None:
            # Same cost as a real attempt, so timing does not tell which accounts exist.
            _derive(password, b"\0" * 16, dict(self.data.get("default_kdf") or DEFAULT_KDF))
            return None
        try:
            if entry.get("scheme") == BRANCH_SCHEME:
                key, self.signing_seed = _branch_unwrap(entry, employee_no, password)
                return key
            kek = _derive(password, _unb64(entry["salt"]), entry["argon2"])
            return AESGCM(kek).decrypt(_unb64(entry["nonce"]), _unb64(entry["wrapped_key"]),
                                       _aad(employee_no, entry["role"]))
        except (InvalidTag, KeyError, ValueError, TypeError):
            return None

    def add_account(self, key: bytes, employee_no: str, role: str, password: str,
                    *, kdf: dict[str, int] | None = None, replace: bool = False) -> Account:
        number = normalize_employee_no(employee_no)
        if not number:
            raise BpjsFieldError("required")
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if number in self.data["accounts"] and not replace:
            raise BpjsFieldError("security.account_exists", employee_no=number)
        check_password(password)
        self.data["accounts"][number] = self._wrap(key, number, role, password, kdf)
        self.data["failures"].pop(number, None)
        self.save()
        return Account(number, role)

    def add_branch_account(self, key: bytes, employee_no: str, role: str,
                           login: dict[str, Any]) -> Account:
        """An account received from the branch server: the database key wrapped to the
        public key of its published `login`, replacing any entry of that number (the
        branch's password is the officer's password on every laptop of the branch)."""
        number = normalize_employee_no(employee_no)
        if not number:
            raise BpjsFieldError("required")
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        login = check_branch_login(login)
        before = self.data["accounts"].get(number) or {}
        self.data["accounts"][number] = _branch_wrap(key, number, role, login) | {"source": "server"}
        if before.get("salt") != login["salt"]:  # a new password at the branch: a fresh start
            self.data["failures"].pop(number, None)
        self.save()
        return Account(number, role, "server")

    def wrapped_for(self, employee_no: str) -> str | None:
        """The public key a branch account's copy is wrapped to (None: a laptop account)."""
        entry = self.data["accounts"].get(normalize_employee_no(employee_no)) or {}
        return entry.get("public_key") if entry.get("scheme") == BRANCH_SCHEME else None

    def remove_account(self, employee_no: str) -> None:
        number = normalize_employee_no(employee_no)
        if self.data["accounts"].pop(number, None) is None:
            raise BpjsFieldError("security.account_unknown", employee_no=number)
        self.save()

    def change_password(self, employee_no: str, old_password: str, new_password: str) -> Account:
        """The officer's own change: proves the old password, re-wraps the same key."""
        key, account = self.unlock(employee_no, old_password)
        check_password(new_password)
        self.data["accounts"][account.employee_no] = self._wrap(
            key, account.employee_no, account.role, new_password)
        self.save()
        return account

    def reset_password(self, key: bytes, employee_no: str, new_password: str,
                       role: str | None = None) -> Account:
        """A supervisor (who holds the key through their own login) sets a new password
        for a forgotten one, and may change the role at the same time."""
        number = normalize_employee_no(employee_no)
        entry = self.data["accounts"].get(number)
        if entry is None:
            raise BpjsFieldError("security.account_unknown", employee_no=number)
        return self.add_account(key, number, role or entry["role"], new_password, replace=True)

    # -- login -------------------------------------------------------------------
    def retry_after(self, employee_no: str) -> int:
        """Seconds until this account may try again (0 = now)."""
        entry = self.data["failures"].get(normalize_employee_no(employee_no)) or {}
        return max(0, int(round(entry.get("locked_until", 0) - self.clock())))

    def unlock(self, employee_no: str, password: str) -> tuple[bytes, Account]:
        """The database key for this officer, or `security.bad_login` / `security.locked_out`."""
        number = normalize_employee_no(employee_no)
        wait = self.retry_after(number)
        if wait > 0:
            raise BpjsFieldError("security.locked_out", seconds=wait)
        key = self._unwrap(number, password or "")
        if key is None:
            self._failed(number)
            raise BpjsFieldError("security.bad_login")
        self.data["failures"].pop(number, None)
        self.save()
        return key, self.account(number)

    def _failed(self, number: str) -> None:
        now = self.clock()
        failures = self.data["failures"]
        entry = failures.setdefault(number, {"count": 0})
        entry["count"] += 1
        entry["last"] = now
        if entry["count"] >= LOCK_AFTER:
            entry["locked_until"] = now + min(LOCK_MAX, LOCK_SECONDS * 2 ** (entry["count"] - LOCK_AFTER))
        if len(failures) > PENDING_MAX:  # unknown numbers typed at random must not grow the file
            for stale in sorted(failures, key=lambda k: failures[k].get("last", 0))[:-PENDING_MAX]:
                failures.pop(stale, None)
        pending = self.data.setdefault("pending_audit", [])
        pending.append({"action": "login_failed", "employee_no": number[:40], "at": now,
                        "count": entry["count"], "locked": "locked_until" in entry})
        del pending[:-PENDING_MAX]
        self.save()
        if entry["count"] >= SLOW_FROM:
            self.sleep(min(SLOW_MAX, SLOW_STEP * (entry["count"] - 1)))

    def take_pending_audit(self) -> list[dict[str, Any]]:
        """Failed attempts made while the database was locked, for the audit log."""
        pending = self.data.get("pending_audit") or []
        if pending:
            self.data["pending_audit"] = []
            self.save()
        return pending


MAX_KEY_FILE_BYTES = 4 * 1024 * 1024  # a few hundred accounts take well under 1 MiB
_B64_SIZES = {"salt": 16, "nonce": 12, "wrapped_key": 48}
_BRANCH_B64_SIZES = {"public_key": 32, "sign_public_key": 32, "ephemeral_public": 32}


def _read(path: Path) -> dict[str, Any]:
    """The key file, checked whole before anything in it is used: an altered or damaged
    file is one clear error (restore it from a backup), never a crash or an argon2 run
    with whatever cost the file names."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_KEY_FILE_BYTES + 1)
        if len(raw) > MAX_KEY_FILE_BYTES:
            raise ValueError("key file too large")
        data = json.loads(raw.decode("utf-8"))
        check_key_file(data)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, TypeError, AttributeError, KeyError, RecursionError) as exc:
        raise KnownError("security.keys_damaged", path=path.name) from exc
    return data


def _is_int(value: Any, low: float, high: float) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and -1e12 < value < 1e12)


def _check_kdf(params: Any) -> None:
    if not isinstance(params, dict) or set(params) != set(KDF_LIMITS):
        raise ValueError("argon2 settings missing")
    for name, (low, high) in KDF_LIMITS.items():
        if not _is_int(params[name], low, high):
            raise ValueError(f"argon2 {name} out of bounds")


def _check_b64(entry: dict[str, Any], sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        value = entry.get(name)
        if not isinstance(value, str) or len(value) > 4 * size or len(_unb64(value)) != size:
            raise ValueError(f"{name} has the wrong size")


def check_key_file(data: Any) -> None:
    """Shape and bounds of everything the laptop reads from a key file (ValueError).

    Fields added by later versions are left alone; the ones read here must hold what
    this version wrote: roles it knows, argon2 costs within `KDF_LIMITS`, salts, nonces
    and keys of their exact sizes, counters and times that are numbers."""
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), dict):
        raise ValueError("no accounts")
    if data.get("version") != 1:
        raise ValueError("unknown key file version")
    if "default_kdf" in data and data["default_kdf"] is not None:
        _check_kdf(data["default_kdf"])
    for number, entry in data["accounts"].items():
        if not isinstance(entry, dict) or not isinstance(number, str) or not 0 < len(number) <= 64:
            raise ValueError("account entry")
        if entry.get("role") not in ROLES or entry.get("source", "laptop") not in ("laptop", "server"):
            raise ValueError("account role")
        if entry.get("scheme", None) not in (None, BRANCH_SCHEME):
            raise ValueError("account scheme")
        _check_kdf(entry.get("argon2"))
        _check_b64(entry, _B64_SIZES)
        if entry.get("scheme") == BRANCH_SCHEME:
            _check_b64(entry, _BRANCH_B64_SIZES)
    failures = data.get("failures", {})
    if not isinstance(failures, dict):
        raise ValueError("failures")
    for entry in failures.values():
        if not isinstance(entry, dict) or not _is_int(entry.get("count"), 0, 10**9):
            raise ValueError("failure counter")
        if not all(_is_number(entry[k]) for k in ("last", "locked_until") if k in entry):
            raise ValueError("failure times")
    pending = data.get("pending_audit", [])
    if not isinstance(pending, list) or not all(isinstance(e, dict) for e in pending):
        raise ValueError("pending audit")
    data.setdefault("failures", failures)
    data.setdefault("pending_audit", pending)


def _aad(employee_no: str, role: str) -> bytes:
    return f"bpjs-field-db-key:v1:{employee_no}:{role}".encode()


def _derive(password: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=int(params["time_cost"]),
                           memory_cost=int(params["memory_cost"]),
                           parallelism=int(params["parallelism"]), hash_len=32, type=Type.ID)


# -- accounts published by the branch server ----------------------------------------------
def _public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def make_branch_login(password: str, kdf: dict[str, int] | None = None) -> dict[str, Any]:
    """What the branch server publishes for an account, made when it knows the password
    (account created, password set, enrolment): a salt, the argon2id cost and the X25519
    public key of the private key that argon2id(password, salt) is.  Public material: it
    lets a laptop wrap its key for this officer, not unwrap it."""
    from bpjs_field.security import signing
    params = dict(kdf or DEFAULT_KDF)
    salt = secrets.token_bytes(16)
    secret = _derive(password, salt, params)
    public = X25519PrivateKey.from_private_bytes(secret).public_key()
    return {"scheme": BRANCH_SCHEME, "salt": _b64(salt), "argon2": params,
            "public_key": _b64(_public_bytes(public)),
            "sign_public_key": signing.public_key(signing.signing_seed(secret))}


def check_branch_login(login: Any) -> dict[str, Any]:
    """A published login as received: its shape, sizes and cost within `KDF_LIMITS`
    (ValueError otherwise: the pull treats it as a bad answer)."""
    if not isinstance(login, dict) or login.get("scheme") != BRANCH_SCHEME:
        raise ValueError("unknown login scheme")
    try:
        salt, public = _unb64(login["salt"]), _unb64(login["public_key"])
        sign_public = _unb64(login["sign_public_key"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError("login is not base64") from exc
    if len(salt) != 16 or len(public) != 32 or len(sign_public) != 32:
        raise ValueError("login salt or key has the wrong size")
    params = login.get("argon2")
    if not isinstance(params, dict) or set(params) != set(KDF_LIMITS):
        raise ValueError("login cost is missing")
    for name, (low, high) in KDF_LIMITS.items():
        value = params[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"login cost {name} out of range")
    return {"scheme": BRANCH_SCHEME, "salt": login["salt"], "public_key": login["public_key"],
            "sign_public_key": login["sign_public_key"],
            "argon2": {k: int(v) for k, v in params.items()}}


def _branch_kek(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=ephemeral + public,
                info=b"bpjs-field-db-key:x25519:v1").derive(shared)


def _branch_wrap(key: bytes, employee_no: str, role: str, login: dict[str, Any]) -> dict[str, Any]:
    public = _unb64(login["public_key"])
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _public_bytes(ephemeral.public_key())
    kek = _branch_kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(public)),
                      ephemeral_public, public)
    nonce = secrets.token_bytes(12)
    return {"employee_no": employee_no, "role": role, "scheme": BRANCH_SCHEME,
            "salt": login["salt"], "argon2": dict(login["argon2"]), "public_key": login["public_key"],
            "sign_public_key": login["sign_public_key"],
            "ephemeral_public": _b64(ephemeral_public), "nonce": _b64(nonce),
            "wrapped_key": _b64(AESGCM(kek).encrypt(nonce, key, _aad(employee_no, role)))}


def _branch_unwrap(entry: dict[str, Any], employee_no: str, password: str) -> tuple[bytes, bytes]:
    """The database key, and the account's signing seed (for the session only)."""
    from bpjs_field.security import signing
    secret = _derive(password, _unb64(entry["salt"]), entry["argon2"])
    private = X25519PrivateKey.from_private_bytes(secret)
    public = _public_bytes(private.public_key())
    ephemeral = _unb64(entry["ephemeral_public"])
    kek = _branch_kek(private.exchange(X25519PublicKey.from_public_bytes(ephemeral)), ephemeral, public)
    key = AESGCM(kek).decrypt(_unb64(entry["nonce"]), _unb64(entry["wrapped_key"]),
                              _aad(employee_no, entry["role"]))
    return key, signing.signing_seed(secret)


def new_database_key() -> bytes:
    return secrets.token_bytes(32)
