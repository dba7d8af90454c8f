"""The laptop database at rest: unreadable without an officer's password, the same key for
every account, password changes and resets that keep every record, encrypted backups."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bpjs_field import backup
from bpjs_field.errors import BpjsFieldError, KnownError
from bpjs_field.security import session
from bpjs_field.security.keys import KeyFile, keys_path
from bpjs_field.store import Store
from bpjs_field.store.connection import raw_connect

from .conftest import FAST_KDF, OFFICER, SUPERVISOR, bpu_form


def test_plain_sqlite_and_wrong_passwords_read_nothing(secure_path):
    with session.unlock(secure_path, *SUPERVISOR) as store:
        store.registrations.register(bpu_form())
    raw = secure_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"Budi" not in raw and b"3216091205900001" not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(secure_path).execute("SELECT * FROM people").fetchall()
    with pytest.raises(BpjsFieldError) as wrong:
        session.unlock(secure_path, SUPERVISOR[0], "not-the-password")
    assert wrong.value.code == "security.bad_login"
    with pytest.raises(KnownError) as random_key:
        raw_connect(secure_path, b"\x01" * 32)
    assert random_key.value.code == "security.wrong_key"
    with pytest.raises(KnownError) as no_key:
        Store.open(secure_path)
    assert no_key.value.code == "security.needs_login"
    text = keys_path(secure_path).read_text()
    assert "Budi" not in text and "rahasia" not in text


def test_every_account_opens_the_same_data_with_its_role(secure_path):
    with session.unlock(secure_path, *SUPERVISOR) as store:
        code = store.registrations.register(bpu_form()).registration["code"]
        assert store.role == "supervisor"
    with session.unlock(secure_path, OFFICER[0].lower(), OFFICER[1]) as store:
        assert store.role == "officer"
        assert store.registrations.by_code(code) is not None
        officer = store.officers.get(store.officer_id)
        assert officer["employee_no"] == OFFICER[0] and officer["role"] == "officer"


def test_all_data_are_there_after_a_password_change(secure_path):
    with session.unlock(secure_path, *OFFICER) as store:
        for i in range(20):
            store.registrations.register(bpu_form(nik=f"32160912059{i + 1:05d}", name=f"Budi Santoso {chr(65 + i)}"))
        before = store.stats()
        session.change_own_password(store, OFFICER[0], OFFICER[1], "kata-sandi-baru", "kata-sandi-baru")
    with pytest.raises(BpjsFieldError):
        session.unlock(secure_path, *OFFICER)
    with session.unlock(secure_path, OFFICER[0], "kata-sandi-baru") as store:
        after = store.stats()
        assert {k: after[k] for k in ("people", "registrations")} == {k: before[k] for k in ("people", "registrations")}
        assert after["people"] == 20
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'password_changed'") == 1


def test_a_supervisor_resets_a_forgotten_officer_password(secure_path):
    with session.unlock(secure_path, *OFFICER) as store:
        with pytest.raises(BpjsFieldError) as refused:
            session.reset_password(store, SUPERVISOR[0], "diambil-alih-123")
        assert refused.value.code == "security.forbidden"
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'denied'") == 1
    with session.unlock(secure_path, *SUPERVISOR) as store:
        session.reset_password(store, OFFICER[0], "sandi-sementara", "sandi-sementara")
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'password_reset'") == 1
    with pytest.raises(BpjsFieldError):
        session.unlock(secure_path, *OFFICER)
    with session.unlock(secure_path, OFFICER[0], "sandi-sementara") as store:
        assert store.role == "officer"


def test_role_change_is_audited_and_a_role_edited_in_the_key_file_does_not_unlock(secure_path):
    with session.unlock(secure_path, *SUPERVISOR) as store:
        session.reset_password(store, OFFICER[0], "sandi-sementara", role="supervisor")
        change = store.query_one("SELECT details FROM audit_log WHERE action = 'role_changed'")
        assert json.loads(change["details"]) == {"old": "officer", "new": "supervisor"}
        session.reset_password(store, OFFICER[0], OFFICER[1], role="officer")
    path = keys_path(secure_path)
    data = json.loads(path.read_text())
    data["accounts"][OFFICER[0]]["role"] = "supervisor"  # a stranger promoting the officer
    path.write_text(json.dumps(data))
    with pytest.raises(BpjsFieldError) as tampered:
        session.unlock(secure_path, *OFFICER)
    assert tampered.value.code == "security.bad_login"


def test_failed_logins_are_slowed_then_locked_and_audited_at_the_next_login(secure_path):
    now = [1_000_000.0]
    waits: list[float] = []
    keyfile = KeyFile.load(secure_path, clock=lambda: now[0], sleep=waits.append)
    for _ in range(5):
        with pytest.raises(BpjsFieldError) as exc:
            keyfile.unlock(OFFICER[0], "tebak-tebakan")
        assert exc.value.code == "security.bad_login"
    # the first failure is free; from the second on each waits half a second more
    assert waits == [0.5, 1.0, 1.5, 2.0]
    with pytest.raises(BpjsFieldError) as locked:
        keyfile.unlock(*OFFICER)  # the right password, but the account is locked
    assert locked.value.code == "security.locked_out"
    assert locked.value.params["seconds"] == 300
    # the lock is in the key file: another process (a restarted app) sees it too
    assert KeyFile.load(secure_path, clock=lambda: now[0]).retry_after(OFFICER[0]) == 300
    now[0] += 301
    with session.unlock(secure_path, *OFFICER, keyfile=keyfile) as store:
        failed = store.query("SELECT details FROM audit_log WHERE action = 'login_failed'")
        assert len(failed) == 5
        assert all(json.loads(f["details"])["employee_no"] == OFFICER[0] for f in failed)
        assert "tebak" not in json.dumps(failed)
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'login'") >= 1
    assert keyfile.retry_after(OFFICER[0]) == 0


def test_a_second_failed_login_really_waits(secure_path):
    """The production path (session.unlock with the real clock and sleep): the second wrong
    password in a row takes at least half a second longer than the first."""
    import time

    def attempt() -> float:
        started = time.monotonic()
        with pytest.raises(BpjsFieldError) as exc:
            session.unlock(secure_path, OFFICER[0], "tebak-tebakan")
        assert exc.value.code == "security.bad_login"
        return time.monotonic() - started

    first, second = attempt(), attempt()
    assert second - first >= 0.45, (first, second)
    # the right password afterwards gets in (two failures do not lock)
    with session.unlock(secure_path, *OFFICER):
        pass


def test_encrypted_backups_verify_and_restore_only_with_the_key(secure_path):
    with session.unlock(secure_path, *SUPERVISOR) as store:
        code = store.registrations.register(bpu_form()).registration["code"]
        info = backup.create_backup(store, "manual")
        key = store.key
        store.registrations.register(bpu_form(nik="3216091205900002", name="Ayu Lestari"))
    assert b"Budi" not in info.path.read_bytes()
    with pytest.raises(KnownError):
        backup.verify_backup(info.path)  # without the key it is not a readable database
    backup.verify_backup(info.path, key)
    aside = backup.restore_backup(secure_path, info.path, key)
    assert aside.exists() and b"Ayu" not in aside.read_bytes()
    with session.unlock(secure_path, *SUPERVISOR) as store:
        assert store.people.count() == 1
        assert store.registrations.by_code(code) is not None


def test_an_encrypted_backup_carries_its_key_file_and_opens_without_the_laptops(secure_path):
    with session.unlock(secure_path, *SUPERVISOR) as store:
        store.registrations.register(bpu_form())
        store.set_setting(backup.KEEP_SETTING, 2)
        made = [backup.create_backup(store, f"r{i}").path for i in range(3)]
    copies = [backup.key_file_copy(path) for path in made]
    assert not made[0].exists() and not copies[0].exists()  # rotated together
    assert all(copy.is_file() for copy in copies[1:])
    assert sorted(p.name for p in made[0].parent.iterdir()) == sorted(
        [p.name for p in made[1:]] + [c.name for c in copies[1:]])  # nothing else left beside them
    keys_path(secure_path).unlink()  # the laptop's key file is lost
    with pytest.raises(FileNotFoundError):
        session.unlock(secure_path, *SUPERVISOR)
    with session.unlock(made[-1], *OFFICER) as from_backup:  # any password valid that day
        assert from_backup.people.count() == 1
    with pytest.raises(BpjsFieldError):
        session.unlock(made[-1], OFFICER[0], "salah-sandi")


def test_a_plain_database_is_encrypted_in_place_with_its_data(db_path):
    with Store.open(db_path) as plain:
        plain.registrations.register(bpu_form())
    store = session.create_protected(db_path, employee_no="kc-0421", full_name="Siti Rahmawati",
                                     branch="Kantor Cabang Cilegon", password="senam-pagi-123",
                                     kdf=FAST_KDF)
    store.close()
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    with session.unlock(db_path, "KC-0421", "senam-pagi-123") as store:
        assert store.people.count() == 1
        assert store.search_index.search("budi", 5)


def test_first_start_with_bad_fields_leaves_no_half_made_database(tmp_path):
    path = tmp_path / "new.sqlite3"
    with pytest.raises(BpjsFieldError) as short:
        session.create_protected(path, employee_no="KC-1", full_name="Siti Rahmawati",
                                 branch="KC", password="pendek", kdf=FAST_KDF)
    assert short.value.code == "security.password_short"
    with pytest.raises(BpjsFieldError):
        session.create_protected(path, employee_no="", full_name="S1t1", branch="KC",
                                 password="cukup-panjang", kdf=FAST_KDF)
    assert not path.exists() and not keys_path(path).exists()
    session.create_protected(path, employee_no="KC-1", full_name="Siti Rahmawati", branch="KC",
                             password="cukup-panjang", confirm="cukup-panjang", kdf=FAST_KDF).close()
    with pytest.raises(KnownError):
        session.create_protected(path, employee_no="KC-2", full_name="Ayu Lestari", branch="KC",
                                 password="cukup-panjang", kdf=FAST_KDF)


def test_default_key_derivation_is_argon2id_at_64_mib(tmp_path):
    path = tmp_path / "default.sqlite3"
    session.create_protected(path, employee_no="KC-1", full_name="Siti Rahmawati", branch="KC",
                             password="cukup-panjang").close()
    entry = json.loads(keys_path(path).read_text())["accounts"]["KC-1"]
    assert entry["argon2"]["memory_cost"] >= 65536 and entry["argon2"]["time_cost"] >= 2
    assert len(entry["salt"]) >= 20 and entry["nonce"] != entry["salt"]


def test_hand_carried_exports_are_a_supervisors(secure_path, tmp_path):
    from bpjs_field.handcarry import export_changes, read_file
    with session.unlock(secure_path, *OFFICER) as store:
        store.registrations.register(bpu_form())
        with pytest.raises(BpjsFieldError) as refused:
            export_changes(store, tmp_path / "petugas.bpjsf", "frasa-rahasia-usb")
        assert refused.value.code == "security.forbidden"
        denied = store.query("SELECT details FROM audit_log WHERE action = 'denied'")
        assert json.loads(denied[-1]["details"])["attempted"] == "export"
    assert not (tmp_path / "petugas.bpjsf").exists()
    with session.unlock(secure_path, *SUPERVISOR) as store:
        count = export_changes(store, tmp_path / "supervisor.bpjsf", "frasa-rahasia-usb")
    assert count > 0 and len(read_file(tmp_path / "supervisor.bpjsf", "frasa-rahasia-usb").changes) == count


def test_the_officer_at_work_is_whoever_logged_in(secure_path):
    """Two officers share a laptop: each registration names the one who made it, not the
    officer who set the laptop up (whom the app remembers)."""
    from bpjs_field.store import views
    with session.unlock(secure_path, *SUPERVISOR) as store:
        supervisor_id = views.current_officer(store)["id"]
    with session.unlock(secure_path, *OFFICER) as store:
        officer = views.current_officer(store)
        assert officer["employee_no"] == OFFICER[0] and officer["id"] != supervisor_id
        saved = store.registrations.register(bpu_form())
        assert saved.registration["officer_id"] == officer["id"]
        assert store.get_setting(views.CURRENT_OFFICER) == officer["id"]
