"""Schema migrations keyed on `PRAGMA user_version`.

Each migration is a function taking the Database; they run in order inside
one transaction each.  Before migrating an existing file a copy is taken with
SQLite's backup API next to it (`<name>.pre-v<N>.sqlite3`), as Vorta does.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from bpjs_field.errors import KnownError

log = logging.getLogger(__name__)

SCHEMA_V1 = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE officers (
    id TEXT PRIMARY KEY,
    employee_no TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    branch TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'officer' CHECK (role IN ('officer', 'supervisor')),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    venue TEXT NOT NULL,
    district_code TEXT,
    partner_org TEXT,
    targets TEXT NOT NULL DEFAULT '{}',
    branch TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX events_starts ON events(starts_at);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    nik TEXT UNIQUE,
    passport_no TEXT,
    nationality TEXT,
    kitas_no TEXT,
    kitas_expiry TEXT,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    birth_date TEXT,
    birth_place TEXT,
    sex TEXT CHECK (sex IN ('L', 'P')),
    phone TEXT,
    email TEXT,
    address TEXT,
    district_code TEXT,
    village_code TEXT,
    postal_code TEXT,
    occupation TEXT,
    consent_version TEXT,
    consent_at TEXT,
    consent_withdrawn_at TEXT,
    erased_at TEXT,
    merged_into TEXT,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    created_device TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (nik IS NOT NULL OR passport_no IS NOT NULL OR erased_at IS NOT NULL)
);
CREATE UNIQUE INDEX people_passport ON people(passport_no, nationality) WHERE passport_no IS NOT NULL;
CREATE INDEX people_name ON people(name_key);
CREATE INDEX people_phone ON people(phone);
CREATE TABLE registrations (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES people(id),
    event_id TEXT REFERENCES events(id),
    officer_id TEXT,
    device_id TEXT NOT NULL,
    segment TEXT NOT NULL CHECK (segment IN ('pu', 'bpu', 'asn', 'tka')),
    programs TEXT NOT NULL,
    declared_income INTEGER,
    wage INTEGER,
    risk_class INTEGER,
    occupation TEXT,
    sector TEXT,
    payer TEXT,
    months_paid INTEGER,
    employer_name TEXT,
    contribution TEXT NOT NULL,
    monthly_total INTEGER NOT NULL,
    consent_version TEXT NOT NULL,
    consent_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'baru',
    source TEXT NOT NULL DEFAULT 'form',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX registrations_person ON registrations(person_id);
CREATE INDEX registrations_event ON registrations(event_id, segment);
CREATE INDEX registrations_created ON registrations(created_at);
CREATE TABLE attendance (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    checked_in_at TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('scan', 'search', 'registration', 'import', 'sync')),
    device_id TEXT NOT NULL,
    officer_id TEXT,
    registration_id TEXT,
    UNIQUE (event_id, person_id)
);
CREATE INDEX attendance_event_time ON attendance(event_id, checked_in_at);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    officer_id TEXT,
    device_id TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    payload TEXT NOT NULL,
    hlc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX change_log_unsent ON change_log(seq) WHERE sent_at IS NULL;
CREATE TABLE drafts (
    form TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE TABLE print_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    document TEXT NOT NULL,
    subject_id TEXT,
    version TEXT,
    copies INTEGER NOT NULL DEFAULT 1,
    is_reprint INTEGER NOT NULL DEFAULT 0,
    printer TEXT,
    officer_id TEXT,
    device_id TEXT NOT NULL
);
CREATE INDEX print_log_subject ON print_log(subject_id);
"""

# The search index: one FTS5 row per person (rowid = people.rowid), holding the
# name (also with apostrophes and hyphens dropped, so "maruf" finds Ma'ruf),
# identity numbers, phone forms and registration codes.  unicode61 with
# remove_diacritics gives case- and accent-insensitive matching; the prefix
# indexes make "as you type" prefix queries cheap.  A prefix longer than every
# indexed length is answered by merging the lists of all terms it starts, which
# grows with the people held: at a million people "32161" (5 digits) took 74 ms.
# Up to 7 characters are indexed (a NIK's 7th digit, the birth day's tens,
# splits each district into a few hundred people; longer prefixes match few
# terms), and 1 (a first letter or digit already narrows nothing).
SEARCH_PREFIX = "1 2 3 4 5 6 7"
SEARCH_V1 = """
CREATE VIRTUAL TABLE people_fts USING fts5(
    name, ident, phone, codes,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3 4 5 6 7'
);
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts(rowid, name, ident, phone, codes) VALUES (
        new.rowid, new.full_name || ' ' || replace(replace(new.full_name, '''', ''), '-', ''),
        trim(coalesce(new.nik, '') || ' ' || coalesce(new.passport_no, '')),
        CASE WHEN new.phone LIKE '+62%'
             THEN '0' || substr(new.phone, 4) || ' ' || substr(new.phone, 2) ELSE '' END,
        '');
END;
CREATE TRIGGER people_fts_update AFTER UPDATE OF full_name, nik, passport_no, phone ON people BEGIN
    UPDATE people_fts SET
        name = new.full_name || ' ' || replace(replace(new.full_name, '''', ''), '-', ''),
        ident = trim(coalesce(new.nik, '') || ' ' || coalesce(new.passport_no, '')),
        phone = CASE WHEN new.phone LIKE '+62%'
                     THEN '0' || substr(new.phone, 4) || ' ' || substr(new.phone, 2) ELSE '' END
    WHERE rowid = new.rowid;
END;
CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_fts WHERE rowid = old.rowid;
END;
CREATE TRIGGER registrations_fts_insert AFTER INSERT ON registrations BEGIN
    UPDATE people_fts SET codes = trim(codes || ' ' || new.code)
    WHERE rowid = (SELECT rowid FROM people WHERE id = new.person_id);
END;
CREATE TRIGGER registrations_fts_move AFTER UPDATE OF person_id ON registrations BEGIN
    UPDATE people_fts SET codes = coalesce((SELECT group_concat(code, ' ') FROM registrations
                                             WHERE person_id = old.person_id), '')
    WHERE rowid = (SELECT rowid FROM people WHERE id = old.person_id);
    UPDATE people_fts SET codes = coalesce((SELECT group_concat(code, ' ') FROM registrations
                                             WHERE person_id = new.person_id), '')
    WHERE rowid = (SELECT rowid FROM people WHERE id = new.person_id);
END;
"""

SEARCH_TRIGGERS = ("people_fts_insert", "people_fts_update", "people_fts_delete",
                   "registrations_fts_insert", "registrations_fts_move")


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one, inside the caller's transaction
    (`executescript` would commit it first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError("incomplete SQL statement at end of script")


def _v1(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA_V1)
    run_script(db, SEARCH_V1)


def _v2(db: sqlite_utils.Database) -> None:
    """Counting live people reads a small index instead of the whole people table
    (on an encrypted file every page read is a page decrypted)."""
    db.execute("CREATE INDEX people_merged ON people(merged_into) WHERE merged_into IS NOT NULL")


def _v3(db: sqlite_utils.Database) -> None:
    """A change the branch server refused stays in the change log, parked with the server's
    reason and time; sync does not send it again until the officer retries it."""
    db.execute("ALTER TABLE change_log ADD COLUMN refused_at TEXT")
    db.execute("ALTER TABLE change_log ADD COLUMN refused_reason TEXT")
    db.execute("CREATE INDEX change_log_refused ON change_log(seq) WHERE refused_at IS NOT NULL")


def _v4(db: sqlite_utils.Database) -> None:
    """A supervisor's signature on the changes only a supervisor may make (person edits,
    erasures), for the branch server to check (bpjs_field/security/signing.py)."""
    db.execute("ALTER TABLE change_log ADD COLUMN signature TEXT")


def _v5(db: sqlite_utils.Database) -> None:
    """Who pays by name ("Pemerintah Kota Cilegon"), the employer's business scale (it decides
    a wage earner's programmes) and the amount paid now (every month paid ahead, each at its
    own rules); registrations made before keep NULL and are read as they were."""
    db.execute("ALTER TABLE registrations ADD COLUMN payer_name TEXT")
    db.execute("ALTER TABLE registrations ADD COLUMN employer_scale TEXT")
    db.execute("ALTER TABLE registrations ADD COLUMN amount_due INTEGER")


def _v6(db: sqlite_utils.Database) -> None:
    """The signature of the laptop that made a change, kept with a change carried here on a
    USB file, so the branch server accepts it from this laptop (bpjs_field/handcarry.py)."""
    db.execute("ALTER TABLE change_log ADD COLUMN origin_sig TEXT")


def _v7(db: sqlite_utils.Database) -> None:
    """The search index gets the prefix lengths of SEARCH_PREFIX.  Its rows are copied as
    they are (whatever they hold) and its triggers put back unchanged; at a million
    people this takes about a minute, once."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'people_fts'").fetchone()
    wanted = f"prefix = '{SEARCH_PREFIX}'"
    if row is None or wanted in row[0]:
        return
    triggers = db.execute("SELECT name, sql FROM sqlite_master "
                          "WHERE type = 'trigger' AND sql LIKE '%people_fts%'").fetchall()
    for name, _sql in triggers:
        db.execute(f"DROP TRIGGER {name}")
    create = re.sub(r"prefix\s*=\s*'[^']*'", wanted, row[0], count=1)
    db.execute(create.replace("people_fts", "people_fts_new", 1))
    columns = [r[1] for r in db.execute("PRAGMA table_info(people_fts)")]
    listed = ", ".join(columns)
    db.execute(f"INSERT INTO people_fts_new(rowid, {listed}) SELECT rowid, {listed} FROM people_fts")
    db.execute("DROP TABLE people_fts")
    db.execute("ALTER TABLE people_fts_new RENAME TO people_fts")
    for _name, sql in triggers:
        db.execute(sql)


# What the index holds of a name (`{row}` is `new` in a trigger, a table alias elsewhere): the
# name, and only when it has an apostrophe or a hyphen, the name without them too (version 1
# wrote every name twice: the same words again, each with its seven prefixes).
SEARCH_NAME = ("CASE WHEN instr({row}.full_name, '''') OR instr({row}.full_name, '-') "
               "THEN {row}.full_name || ' ' || replace(replace({row}.full_name, '''', ''), '-', '') "
               "ELSE {row}.full_name END")
SEARCH_IDENT = "trim(coalesce({row}.nik, '') || ' ' || coalesce({row}.passport_no, ''))"
SEARCH_PHONE = ("CASE WHEN {row}.phone LIKE '+62%' "
                "THEN '0' || substr({row}.phone, 4) || ' ' || substr({row}.phone, 2) ELSE '' END")


def search_columns(row: str) -> str:
    """The name, ident and phone columns of a person's index row, as SQL over `row`."""
    return ", ".join(e.format(row=row) for e in (SEARCH_NAME, SEARCH_IDENT, SEARCH_PHONE))


# The people triggers of the search index since version 8 (SEARCH_V1 holds the table and
# the registration triggers).
SEARCH_V8 = f"""
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts(rowid, name, ident, phone, codes) VALUES (
        new.rowid, {search_columns("new")}, '');
END;
CREATE TRIGGER people_fts_update AFTER UPDATE OF full_name, nik, passport_no, phone ON people BEGIN
    UPDATE people_fts SET
        name = {SEARCH_NAME.format(row="new")},
        ident = {SEARCH_IDENT.format(row="new")},
        phone = {SEARCH_PHONE.format(row="new")}
    WHERE rowid = new.rowid;
END;
"""


def create_search_index(db: sqlite_utils.Database) -> None:
    """The search index and its triggers as the latest version has them (empty)."""
    run_script(db, SEARCH_V1)
    db.execute("DROP TRIGGER people_fts_insert")
    db.execute("DROP TRIGGER people_fts_update")
    run_script(db, SEARCH_V8)


def fill_search_index(db: sqlite_utils.Database, table: str = "people_fts") -> None:
    """Index every person (with the codes of their registrations) into an empty `table`."""
    db.execute(
        f"INSERT INTO {table}(rowid, name, ident, phone, codes) "
        f"SELECT p.rowid, {search_columns('p')}, coalesce(c.codes, '') FROM people p LEFT JOIN "
        "(SELECT person_id, group_concat(code, ' ') AS codes FROM registrations GROUP BY person_id) c "
        "ON c.person_id = p.id")


def _v8(db: sqlite_utils.Database) -> None:
    """A name without apostrophes or hyphens is indexed once (SEARCH_NAME): new rows through
    the new triggers, the rows there are rewritten into a fresh index (the same words; 7 %
    smaller at 30,000 people; 33 s at a million people on a plain file, once)."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'people_fts'").fetchone()
    if row is None:
        return
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                          "AND sql LIKE '%people_fts%'").fetchall()
    for name, _sql in triggers:
        db.execute(f"DROP TRIGGER {name}")
    db.execute(row[0].replace("people_fts", "people_fts_new", 1))
    fill_search_index(db, "people_fts_new")
    db.execute("DROP TABLE people_fts")
    db.execute("ALTER TABLE people_fts_new RENAME TO people_fts")
    for name, sql in triggers:
        if name not in ("people_fts_insert", "people_fts_update"):
            db.execute(sql)
    run_script(db, SEARCH_V8)


def _v9(db: sqlite_utils.Database) -> None:
    """An event's registrations are indexed by time too, with their segment: the home page's
    count of today's registrations reads today's index entries alone (at 300,000 people it
    read every registration row of the event, 12,000 of them: 40-185 ms at each start and
    after each save; now 0.3 ms).  Nothing asked for the event and segment alone.  Building
    it takes 3.3 s at a million registrations, once."""
    db.execute("DROP INDEX IF EXISTS registrations_event")
    db.execute("CREATE INDEX registrations_event ON registrations(event_id, created_at, segment)")


def _v10(db: sqlite_utils.Database) -> None:
    """After the event: each registration's follow-up (`status`: baru -> dikirim -> kpj ->
    dibayar, or berhenti with a reason), the KPJ number and payment code BPJS systems issue,
    the first payment; and what downstream registration asks of the person (mother's maiden
    name, family card number, heir).  Rows made before keep NULL (status stays `baru`)."""
    for column in ("kpj_no TEXT", "payment_code TEXT", "submitted_at TEXT", "kpj_at TEXT",
                   "first_paid_at TEXT", "first_paid_months INTEGER", "stopped_reason TEXT",
                   "status_at TEXT", "status_by TEXT"):
        db.execute(f"ALTER TABLE registrations ADD COLUMN {column}")
    db.execute("CREATE INDEX registrations_status ON registrations(status, created_at)")
    db.execute("CREATE INDEX registrations_kpj ON registrations(kpj_no) WHERE kpj_no IS NOT NULL")
    for column in ("mother_name TEXT", "kk_no TEXT", "heir_name TEXT", "heir_relation TEXT"):
        db.execute(f"ALTER TABLE people ADD COLUMN {column}")


# The branch's report reads these running totals (bpjs_field/reporting/funnel.py): one row
# per WIB day, segment, officer and event, kept by triggers on every write of a registration
# or attendance (form, import, sync, erasure alike), so a year at 300,000 registrations is a
# sum over a few thousand rows.  Keys come from the row itself only, so what a trigger adds
# is exactly what a later update or delete of that row takes away.
_STAGES = {
    "registered": "1",
    "kpj": "(R.kpj_at IS NOT NULL OR R.kpj_no IS NOT NULL OR R.first_paid_at IS NOT NULL)",
    "paid": "(R.first_paid_at IS NOT NULL)",
    "stopped": "(R.status = 'berhenti')",
    "monthly": "(CASE WHEN R.first_paid_at IS NOT NULL THEN coalesce(R.monthly_total, 0) ELSE 0 END)",
    # Months paid ahead x amount: the plan's total made at the event when the first payment
    # covered those months (each month at its own rules: Rp8.400 + 11 x Rp16.800), else the
    # first month's amount times the months paid (bpjs_field/reporting/funnel.py: paid_ahead).
    "first_payments": "(CASE WHEN R.first_paid_at IS NULL THEN 0 "
                      "WHEN R.amount_due IS NOT NULL AND coalesce(R.first_paid_months, 1) = "
                      "coalesce(R.months_paid, 1) THEN R.amount_due "
                      "ELSE coalesce(R.monthly_total, 0) * coalesce(R.first_paid_months, 1) END)",
}
_REG_KEY = ("coalesce(date(R.created_at, '+7 hours'), substr(R.created_at, 1, 10)), R.segment, coalesce(R.officer_id, ''), "
            "coalesce(R.event_id, '')")
_ATT_KEY = ("coalesce(date(R.checked_in_at, '+7 hours'), substr(R.checked_in_at, 1, 10)), coalesce(R.officer_id, ''), "
            "coalesce(R.event_id, '')")


def _report_upsert(table: str, key: str, columns: dict[str, str], row: str, sign: str) -> str:
    values = ", ".join(f"{sign}{expr}" for expr in columns.values()).replace("R.", f"{row}.")
    keys = "day, segment, officer_id, event_id" if "segment" in key else "day, officer_id, event_id"
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in columns)
    return (f"INSERT INTO {table}({keys}, {', '.join(columns)}) "
            f"VALUES ({key.replace('R.', f'{row}.')}, {values}) "
            f"ON CONFLICT({keys}) DO UPDATE SET {updates};")


def report_schema() -> str:
    reg_cols = ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in _STAGES)
    att = {"attended": "1"}
    script = [
        f"CREATE TABLE report_registrations (day TEXT NOT NULL, segment TEXT NOT NULL, "
        f"officer_id TEXT NOT NULL, event_id TEXT NOT NULL, {reg_cols}, "
        f"PRIMARY KEY (day, segment, officer_id, event_id)) WITHOUT ROWID;",
        "CREATE TABLE report_attendance (day TEXT NOT NULL, officer_id TEXT NOT NULL, "
        "event_id TEXT NOT NULL, attended INTEGER NOT NULL DEFAULT 0, "
        "PRIMARY KEY (day, officer_id, event_id)) WITHOUT ROWID;",
        "CREATE TRIGGER report_registrations_insert AFTER INSERT ON registrations BEGIN "
        + _report_upsert("report_registrations", _REG_KEY, _STAGES, "new", "") + " END;",
        "CREATE TRIGGER report_registrations_delete AFTER DELETE ON registrations BEGIN "
        + _report_upsert("report_registrations", _REG_KEY, _STAGES, "old", "-") + " END;",
        "CREATE TRIGGER report_registrations_update AFTER UPDATE OF created_at, segment, "
        "officer_id, event_id, kpj_at, kpj_no, first_paid_at, first_paid_months, status, "
        "monthly_total, amount_due, months_paid ON registrations BEGIN "
        + _report_upsert("report_registrations", _REG_KEY, _STAGES, "old", "-") + " "
        + _report_upsert("report_registrations", _REG_KEY, _STAGES, "new", "") + " END;",
        "CREATE TRIGGER report_attendance_insert AFTER INSERT ON attendance BEGIN "
        + _report_upsert("report_attendance", _ATT_KEY, att, "new", "") + " END;",
        "CREATE TRIGGER report_attendance_delete AFTER DELETE ON attendance BEGIN "
        + _report_upsert("report_attendance", _ATT_KEY, att, "old", "-") + " END;",
        "CREATE TRIGGER report_attendance_update AFTER UPDATE OF checked_in_at, officer_id, "
        "event_id ON attendance BEGIN "
        + _report_upsert("report_attendance", _ATT_KEY, att, "old", "-") + " "
        + _report_upsert("report_attendance", _ATT_KEY, att, "new", "") + " END;",
    ]
    return "\n".join(script) + "\n"


REPORT_REGISTRATIONS_INSERT = "report_registrations_insert"


def report_registrations_add_sql(where: str) -> str:
    """What the insert trigger adds to the running totals, for the registrations (as `R`)
    chosen by `where`, in one statement: for a batch written with the trigger set aside."""
    columns = ", ".join(_STAGES)
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in _STAGES)
    return (f"INSERT INTO report_registrations(day, segment, officer_id, event_id, {columns}) "
            f"SELECT {_REG_KEY}, " + ", ".join(f"sum({expr})" for expr in _STAGES.values())
            + f" FROM registrations R WHERE {where} GROUP BY 1, 2, 3, 4 "
            f"ON CONFLICT(day, segment, officer_id, event_id) DO UPDATE SET {updates}")


def report_backfill_sql() -> tuple[str, str]:
    reg = (f"INSERT INTO report_registrations(day, segment, officer_id, event_id, "
           f"{', '.join(_STAGES)}) SELECT {_REG_KEY}, "
           + ", ".join(f"sum({expr})" for expr in _STAGES.values())
           + " FROM registrations R GROUP BY 1, 2, 3, 4")
    att = (f"INSERT INTO report_attendance(day, officer_id, event_id, attended) "
           f"SELECT {_ATT_KEY}, count(*) FROM attendance R GROUP BY 1, 2, 3")
    return reg, att


def _v11(db: sqlite_utils.Database) -> None:
    """Running totals for the branch's report, kept by triggers; filled once from the rows
    already held (at 300,000 registrations a few seconds, once)."""
    run_script(db, report_schema())
    for sql in report_backfill_sql():
        db.execute(sql)


def _v12(db: sqlite_utils.Database) -> None:
    """When a change reached the event hub (`bpjs_field/sync/hub_engine.py`), kept apart from
    `sent_at` (reaching the branch): a change at the hub is still this laptop's to deliver."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(change_log)")}
    if "hub_sent_at" not in columns:  # a database set back to an older version keeps it
        db.execute("ALTER TABLE change_log ADD COLUMN hub_sent_at TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS change_log_hub_unsent ON change_log(seq) "
               "WHERE hub_sent_at IS NULL")


REPORT_TRIGGERS = tuple(f"report_{table}_{event}" for table in ("registrations", "attendance")
                        for event in ("insert", "delete", "update"))


def _v13(db: sqlite_utils.Database) -> None:
    """The report's prepaid amounts (months paid ahead x amount) from the plan made at the
    event, each month at its own rules, instead of the first month's amount times the
    months (a December payment of twelve months is Rp193.200, not 12 x Rp8.400): the
    running totals and their triggers made again (a few seconds at 300,000, once)."""
    for name in REPORT_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP TABLE IF EXISTS report_registrations")
    db.execute("DROP TABLE IF EXISTS report_attendance")
    run_script(db, report_schema())
    for sql in report_backfill_sql():
        db.execute(sql)


def _v14(db: sqlite_utils.Database) -> None:
    """The index of people by phone number goes: no query reads it (a phone is found through
    the search index's `phone` column), and with its keys in random order every saved person
    rewrote one of its pages (about 6 % of what an import of 20,000 people into 300,000
    writes, and 30 MB of a million people's database)."""
    db.execute("DROP INDEX IF EXISTS people_phone")


def _v15(db: sqlite_utils.Database) -> None:
    """Pulled registrations and check-ins whose person or event has not arrived (or never
    will) are held here, whole, until it does (`bpjs_field/store/held.py`), instead of
    failing the page they came in and every pull after it."""
    db.execute("CREATE TABLE IF NOT EXISTS held_rows (entity TEXT NOT NULL, id TEXT NOT NULL, "
               "rev INTEGER NOT NULL, data TEXT NOT NULL, person_id TEXT, event_id TEXT, "
               "reason TEXT NOT NULL, held_at TEXT NOT NULL, PRIMARY KEY (entity, id))")
    db.execute("CREATE INDEX IF NOT EXISTS held_rows_person ON held_rows(person_id)")
    db.execute("CREATE INDEX IF NOT EXISTS held_rows_event ON held_rows(event_id)")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8,
                                                             _v9, _v10, _v11, _v12, _v13, _v14, _v15]
LATEST = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def backup_file(db: sqlite_utils.Database, target: Path, key: bytes | None = None) -> Path:
    """Copy a live database with SQLite's backup API (never a file copy of a live WAL database);
    an encrypted one is copied into a file encrypted with the same key."""
    from bpjs_field.store.connection import raw_connect
    dest = raw_connect(target, key)
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(db: sqlite_utils.Database, path: Path | None, *, key: bytes | None = None) -> int:
    """Bring the schema to LATEST; returns the version found before."""
    found = schema_version(db)
    if found > LATEST:
        raise KnownError("storage.newer", found=found)
    if found == LATEST:
        return found
    if found > 0 and path is not None:
        suffix = path.suffix or ".sqlite3"
        copy = path.with_name(f"{path.stem}.pre-v{LATEST}{suffix}")
        if copy.exists():
            # An older copy of that name (the file was restored or set up again since):
            # kept as it is, and this copy gets a name of its own.
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
            copy = path.with_name(f"{path.stem}.pre-v{LATEST}-{stamp}{suffix}")
        backup_file(db, copy, key)
        log.info("database backed up before migration to %s", copy.name)
    for version in range(found, LATEST):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
    return found
