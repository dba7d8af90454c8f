"""An erased person leaves no trace in any file of the branch, read as raw bytes afterwards:
the laptops' encrypted databases and WALs (decrypted page by page with their keys), the
server's SQLite file and WAL, a dump of the PostgreSQL database.  On the way: a USB file
made before the erasure and imported after it, drafts typed with separators, a carried
change the server kept aside, a late edit, a pull while the app is open, and a restore of
a backup taken before the erasure."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from uuid6 import uuid7

from bpjs_field.backup import create_backup, restore_backup
from bpjs_field.domain.followup import KPJ, StatusChange
from bpjs_field.store.followup import set_status
from bpjs_field.handcarry import export_changes, import_changes
from bpjs_field.store.erasure import erase_person
from bpjs_field.store.ledger import load as load_ledger
from bpjs_field.server.db import ServerDatabase, sqlite_path
from bpjs_field.store import Store
from bpjs_field.sync.engine import new_http_client
from harness import Laptop, find_pg_bin

PASSPHRASE = "pasar-malam-2026"
PAGE, RESERVE = 4096, 48  # SQLCipher 4 with HMAC-SHA256: 16-byte IV + 32-byte HMAC per page
NAME = "Kartika Sulistyowati"
LATE_PHONE, FORGED_PHONE = "+6285712349876", "+6285700001111"
KK, MOTHER, HEIR = "3216090101239876", "Sukartini Larasati", "Bagaskara Wibisono"
KPJ_NO, PAYMENT_CODE = "55544433322", "8888855544433322"


class SecureLaptop(Laptop):
    """A laptop whose database is SQLCipher-encrypted, as in the field."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.key = os.urandom(32)
        self.store = Store.open(path, self.key)
        self.http = new_http_client(read_timeout=5.0)

    def reopen(self) -> None:
        self.store = Store.open(self.path, self.key)


def _decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    start = 16 if first else 0
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    body = page[start:PAGE - RESERVE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypted(path: Path, key: bytes) -> bytes:
    """Every page of a SQLCipher database file or WAL, decrypted, free pages included."""
    raw = path.read_bytes()
    out = []
    if path.name.endswith("-wal"):
        offset = 32
        while offset + 24 + PAGE <= len(raw):
            number = int.from_bytes(raw[offset:offset + 4], "big")
            out.append(_decrypt_page(raw[offset + 24:offset + 24 + PAGE], key, number == 1))
            offset += 24 + PAGE
    else:
        for n in range(len(raw) // PAGE):
            out.append(_decrypt_page(raw[n * PAGE:(n + 1) * PAGE], key, n == 0))
    return b"".join(out)


def laptop_bytes(laptop: SecureLaptop) -> bytes:
    """Everything of the laptop outside its backups folder, decrypted (plain files as they are)."""
    found = []
    for path in laptop.path.parent.iterdir():
        if not path.is_file():
            continue
        if path.suffix == ".sqlite3" or path.name.endswith("-wal"):
            found.append(decrypted(path, laptop.key))
        found.append(path.read_bytes())
    return b"".join(found)


def traces(blob: bytes, needles: list[str]) -> list[str]:
    return [n for n in needles if n.encode() in blob]


def test_an_erased_person_leaves_no_trace_in_any_file(server, database_url, tmp_path):
    a, b, c = (SecureLaptop(tmp_path / name / "bpjs_field.sqlite3") for name in "abc")
    app = None
    try:
        a.enroll(server.url, "KC-0421")
        b.enroll(server.url, "KC-0422")
        c.enroll(server.url, "KC-0423")
        a.event()
        person = a.register(9400, name=NAME).person
        control = a.register(9401, name="Wulandari Pramesti").person  # stays whole
        person_id, nik, phone = person["id"], person["nik"], person["phone"]
        # What downstream registration asks, and the follow-up numbers: personal too.
        a.store.people.update(person_id, {"kk_no": KK, "mother_name": MOTHER,
                                          "heir_name": HEIR, "heir_relation": "anak"})
        registration = a.store.registrations.for_person(person_id)[0]
        set_status(a.store, registration["id"], StatusChange(KPJ, kpj_no=KPJ_NO,
                                                             payment_code=PAYMENT_CODE))
        typed_nik = f"{nik[:4]} {nik[4:8]}.{nik[8:12]}-{nik[12:]}"
        typed_phone = f"0{phone[3:6]}-{phone[6:10]}-{phone[10:]}"
        for laptop in (a, b, c):
            laptop.sync()
        backup = create_backup(a.store, "manual")  # before the erasure: holds the person whole

        # B edits the phone offline and carries its changes away on a USB file.
        b.store.people.update(person_id, {"phone": LATE_PHONE})
        usb = tmp_path / "sebelum-hapus.bpjsf"
        export_changes(b.store, usb, PASSPHRASE)
        # C has a half-typed form with the NIK typed with spaces, dots and a dash, and an
        # older draft stored as typed (before drafts were normalised).
        c.store.save_draft("registration", {"nik": typed_nik, "full_name": NAME})
        with c.store.write():
            c.store.db.execute("INSERT INTO drafts(form, data, saved_at) VALUES ('lama', ?, '')",
                               (json.dumps({"nik": typed_nik, "phone": typed_phone}),))
            # ... and a carried change that does not verify: the server keeps it aside.
            c.store.db.execute(
                "INSERT INTO change_log(change_id, entity, entity_id, op, payload, hlc, created_at, "
                "origin_sig) VALUES (?, 'person', ?, 'upsert', ?, ?, '2026-11-22T00:00:00Z', ?)",
                (str(uuid7()), person_id, json.dumps({"id": person_id, "phone": FORGED_PHONE}),
                 f"0001795000000000-000000-{b.store.device_id}", "AAAA"))
        assert c.sync().quarantined == 1

        erase_person(a.store, person_id)
        a.sync()

        # C's app is open (its own connection, reading) while C pulls the erasure.
        app = Store.open(c.path, c.key)
        assert app.people.get(person_id)["nik"] == nik
        c.sync()
        assert app.people.get(person_id)["nik"] is None
        # The USB file made before the erasure brings nothing back.
        import_changes(c.store, usb, PASSPHRASE)
        here = c.store.people.get(person_id)
        assert here["phone"] is None and here["full_name"] == "(dihapus)"
        assert not c.store.search_index.search(NAME.split()[0], 50)
        assert c.store.scalar("SELECT count(*) FROM drafts") == 0
        c.sync()
        b.sync()  # B's late edit arrives after the erasure: dropped
        b.sync()
        assert b.store.people.get(person_id)["phone"] is None

        # A restores the backup taken before the erasure: the erasure is applied again
        # before the database is used (A's ledger knows it).
        assert person_id in load_ledger(a.path)["erased"]
        a.store.close()
        restore_backup(a.path, backup.path, a.key)
        a.reopen()
        assert a.store.people.get(person_id)["nik"] is None
        assert a.store.registrations.for_person(person_id)[0]["declared_income"] is None
        a.sync()
        app.close()
        app = None

        needles = [nik, NAME, phone, phone[3:], typed_phone, LATE_PHONE, FORGED_PHONE, KK, MOTHER,
                   HEIR, KPJ_NO, PAYMENT_CODE]
        for laptop in (a, b, c):
            blob = laptop_bytes(laptop)
            assert control["full_name"].encode() in blob  # the decryption is real
            assert traces(blob, needles) == [], laptop.path
        # The older backup does hold the person (until it rotates away): this check finds
        # what it looks for.
        assert traces(decrypted(backup.path, a.key), [nik, KK, KPJ_NO]) == [nik, KK, KPJ_NO]

        db = ServerDatabase(database_url)
        try:
            with db.read() as tx:
                registration = tx.scalar("SELECT data FROM docs WHERE entity = 'registration' AND "
                                         "data LIKE ?", (f'%"person_id":"{person_id}"%',))
                held = tx.scalar("SELECT payload FROM quarantine")
        finally:
            db.close()
        assert json.loads(registration)["declared_income"] is None
        assert FORGED_PHONE not in held
        if database_url.startswith("sqlite"):
            path = sqlite_path(database_url)
            blob = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
            assert control["full_name"].encode() in blob
        else:
            blob = subprocess.run([str(find_pg_bin() / "pg_dump"), "-d", database_url],
                                  capture_output=True, check=True, timeout=60).stdout
            assert control["full_name"].encode() in blob
            import psycopg
            with psycopg.connect(database_url) as conn:  # the server vacuumed after the erasure
                vacuumed = conn.execute("SELECT relname FROM pg_stat_user_tables WHERE "
                                        "last_vacuum IS NOT NULL").fetchall()
            assert {"docs", "conflicts", "quarantine"} <= {r[0] for r in vacuumed}
        assert traces(blob, needles) == []
    finally:
        if app is not None:
            app.close()
        for laptop in (a, b, c):
            laptop.close()
