"""Schema migrations of the branch server, for SQLite and PostgreSQL alike.

Each migration is a list of statements written once, with `{BIGINT}` and
`{SERIAL}` filled in per database.  The version lives in the `meta` table.
Several server processes may start at once against one PostgreSQL database,
so migrating holds an advisory lock there (SQLite: `BEGIN IMMEDIATE`).

Tables:
- `docs`: the current state of every synced row (entity, id), its revision
  `rev` (a server-assigned sequence, what laptops' pull cursors count), an
  identity key `ident` (NIK, passport, registration code, event|person for
  attendance, employee number) unique among live rows, `merged_into` for a
  row merged into another, `deleted` tombstones, the row as JSON `data`, and
  `meta` (per field: hybrid-clock time, revision and device of its last write).
- `applied_changes`: every change id received, with its outcome (the exactly-once
  guard); one whose outcome is `quarantined` was not delivered and is tried again.
- `scans`: every laptop's check-in of an attendance (attendance is a set).
- `conflicts`: values that lost a concurrent edit, for a supervisor, and the
  supervisor's decision (`resolved_at`, `resolution`, `resolved_by`, …).
- `quarantine`: changes that could not be applied yet, with the laptop that delivered
  them and the one that made them (`origin_device`).  Not delivered: the same change
  arriving again (from any laptop) is tried again, and leaves quarantine once applied.
- `device_keys`: laptops' public signing keys, to check changes another laptop carries.
- `device_accounts`: accounts the branch lets log in on a given laptop.
- `device_tags`: the laptop that owns each registration-code tag (server/tags.py).
- `consents`: every consent given to the branch (person, notice version, time, source).
- `accounts`, `devices`: officers with argon2 password hashes and the public
  `login` laptops log them in with; enrolled laptops with the SHA-256 of their
  token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from bpjs_field.server import tags
from bpjs_field.server.db import ServerDatabase, Tx

# A step is SQL, or a function run in the migration's transaction (filling a new table).
MIGRATIONS: list[list[str | Callable[[Tx], None]]] = [
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE counters (name TEXT PRIMARY KEY, value {BIGINT} NOT NULL)",
        "INSERT INTO counters(name, value) VALUES ('rev', 0)",
        """CREATE TABLE accounts (
            id TEXT PRIMARY KEY, employee_no TEXT NOT NULL UNIQUE, full_name TEXT NOT NULL,
            branch TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('officer', 'supervisor')),
            password_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        """CREATE TABLE devices (
            id TEXT PRIMARY KEY, device_tag TEXT NOT NULL, name TEXT, officer_id TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE, enrolled_at TEXT NOT NULL, revoked_at TEXT,
            last_seen_at TEXT)""",
        """CREATE TABLE docs (
            entity TEXT NOT NULL, id TEXT NOT NULL, rev {BIGINT} NOT NULL, ident TEXT,
            merged_into TEXT, deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{{}}', PRIMARY KEY (entity, id))""",
        "CREATE UNIQUE INDEX docs_rev ON docs(rev)",
        "CREATE UNIQUE INDEX docs_ident ON docs(entity, ident) WHERE ident IS NOT NULL",
        """CREATE TABLE scans (
            id TEXT PRIMARY KEY, attendance_id TEXT NOT NULL, event_id TEXT NOT NULL,
            person_id TEXT NOT NULL, device_id TEXT NOT NULL, checked_in_at TEXT NOT NULL,
            data TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX scans_attendance ON scans(attendance_id)",
        """CREATE TABLE applied_changes (
            change_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, entity TEXT NOT NULL,
            entity_id TEXT NOT NULL, hlc TEXT NOT NULL, applied_at TEXT NOT NULL,
            outcome TEXT NOT NULL)""",
        "CREATE INDEX applied_changes_device ON applied_changes(device_id)",
        """CREATE TABLE conflicts (
            id {SERIAL}, entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL,
            kept_value TEXT, lost_value TEXT, kept_hlc TEXT, lost_hlc TEXT, kept_device TEXT,
            lost_device TEXT, change_id TEXT, detected_at TEXT NOT NULL, resolved_at TEXT)""",
        "CREATE INDEX conflicts_entity ON conflicts(entity, entity_id)",
        """CREATE TABLE quarantine (
            change_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, entity TEXT NOT NULL,
            entity_id TEXT NOT NULL, reason TEXT NOT NULL, payload TEXT NOT NULL,
            received_at TEXT NOT NULL)""",
    ],
    [
        # The laptops' audit logs, gathered for supervisors; (device, local id) makes a
        # resend after a lost answer a no-op.
        """CREATE TABLE audit (
            device_id TEXT NOT NULL, local_id {BIGINT} NOT NULL, at TEXT NOT NULL, officer_id TEXT,
            action TEXT NOT NULL, entity TEXT, entity_id TEXT, details TEXT NOT NULL,
            received_at TEXT NOT NULL, PRIMARY KEY (device_id, local_id))""",
        "CREATE INDEX audit_at ON audit(at)",
    ],
    [
        # A supervisor's decision on a conflict (bpjs_field/server/conflicts.py): the choice,
        # who and which laptop, the change that wrote the chosen value, and the conflict the
        # supervisor picked (others of the same field are settled with it).
        "ALTER TABLE conflicts ADD COLUMN resolution TEXT",
        "ALTER TABLE conflicts ADD COLUMN resolved_by TEXT",
        "ALTER TABLE conflicts ADD COLUMN resolved_device TEXT",
        "ALTER TABLE conflicts ADD COLUMN resolution_change_id TEXT",
        "ALTER TABLE conflicts ADD COLUMN resolved_with {BIGINT}",
        "CREATE INDEX conflicts_open ON conflicts(entity, entity_id, field) WHERE resolved_at IS NULL",
        "CREATE INDEX conflicts_resolved_with ON conflicts(resolved_with)",
    ],
    [
        # The public login of each account's password (security/keys.py:make_branch_login),
        # published with the officer row so laptops let the officer log in offline.
        "ALTER TABLE accounts ADD COLUMN login TEXT",
    ],
    [
        # Laptops' public signing keys (Ed25519, sent with their pushes): a change carried by
        # another laptop or a USB file is accepted when signed by the laptop that made it.
        """CREATE TABLE device_keys (
            device_id TEXT NOT NULL, public_key TEXT NOT NULL, added_at TEXT NOT NULL,
            PRIMARY KEY (device_id, public_key))""",
        # Who made a quarantined change (the deliverer is `device_id`), and how often it came.
        "ALTER TABLE quarantine ADD COLUMN origin_device TEXT",
        "ALTER TABLE quarantine ADD COLUMN attempts {BIGINT} NOT NULL DEFAULT 1",
    ],
    [
        # Every consent given (server/consents.py): a record of events, never a conflict.
        """CREATE TABLE consents (
            person_id TEXT NOT NULL, consent_version TEXT NOT NULL, consent_at TEXT NOT NULL,
            source TEXT NOT NULL, change_id TEXT NOT NULL, device_id TEXT NOT NULL,
            received_at TEXT NOT NULL, PRIMARY KEY (person_id, consent_version, consent_at))""",
        # Accounts the branch lets log in on a laptop besides its team (server/distribution.py).
        """CREATE TABLE device_accounts (
            device_id TEXT NOT NULL, account_id TEXT NOT NULL, added_at TEXT NOT NULL,
            PRIMARY KEY (device_id, account_id))""",
    ],
    [
        # The one laptop that owns each registration-code tag (server/tags.py): a registration
        # under another laptop's tag is refused.  Filled with every enrolled laptop's tag and
        # the tags of the codes already stored.
        """CREATE TABLE device_tags (
            tag TEXT PRIMARY KEY, device_id TEXT NOT NULL, source TEXT NOT NULL,
            added_at TEXT NOT NULL)""",
        "CREATE INDEX device_tags_device ON device_tags(device_id)",
        tags.backfill,
    ],
]
LATEST = len(MIGRATIONS)
PG_MIGRATION_LOCK = 0x62706A73  # "bpjs": an arbitrary advisory-lock key for migrations


def _render(sql: str, postgres: bool) -> str:
    return sql.format(
        BIGINT="BIGINT",
        SERIAL="BIGSERIAL PRIMARY KEY" if postgres else "INTEGER PRIMARY KEY AUTOINCREMENT")


def _version(tx: Tx) -> int:
    if tx.postgres:
        exists = tx.scalar("SELECT to_regclass('public.meta') IS NOT NULL")
    else:
        exists = tx.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'meta'")
    if not exists:
        return 0
    value = tx.scalar("SELECT value FROM meta WHERE key = 'schema_version'")
    return int(value) if value else 0


def migrate(db: ServerDatabase) -> int:
    """Bring the database to LATEST; safe when several processes start together."""
    if db.postgres:
        with db.write() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(?)", (PG_MIGRATION_LOCK,))
            found = _apply(tx)
        return found
    with db.raw() as raw:
        raw.conn.execute("BEGIN IMMEDIATE")
        try:
            found = _apply(raw)
        except BaseException:
            raw.conn.rollback()
            raise
        raw.conn.commit()
    return found


def _apply(tx: Tx) -> int:
    found = _version(tx)
    if found > LATEST:
        from bpjs_field.errors import KnownError
        raise KnownError("server.schema_newer", found=found)
    for version in range(found, LATEST):
        for statement in MIGRATIONS[version]:
            if callable(statement):
                statement(tx)
            else:
                tx.execute(_render(statement, tx.postgres))
        if version == 0:
            tx.execute("INSERT INTO meta(key, value) VALUES ('server_id', ?)", (str(uuid.uuid4()),))
            tx.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(version + 1),))
        else:
            tx.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version + 1),))
    return found


def server_id(db: ServerDatabase) -> str:
    with db.read() as tx:
        return tx.scalar("SELECT value FROM meta WHERE key = 'server_id'")
