"""The branch server enforces the supervisor's role on what laptops push, not only the laptop:
changing or erasing a person is accepted from a laptop a supervisor enrolled, or when an active
supervisor account of the branch signed that very change (a supervisor logged in on an
officer's laptop); from anyone else only blank fields are completed (what an officer's
registration does) and an erasure is kept aside.  A forged or altered signature is kept aside
whole.  Real server process on 127.0.0.1 (SQLite and PostgreSQL), real laptop databases."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from harness import (BACKENDS, PASSWORD, Laptop, ServerProcess, empty_database_url,  # noqa: E402
                     person_input, run_cli, setup_database)

from bpjs_field import RegistrationInput  # noqa: E402

from bpjs_field.security import session, signing  # noqa: E402
from bpjs_field.store.erasure import erase_person  # noqa: E402
from bpjs_field.server.db import ServerDatabase  # noqa: E402
from bpjs_field.sync.engine import SyncEngine, enroll, new_http_client  # noqa: E402
from logins import opened_as  # noqa: E402

from .conftest import FAST_KDF, SUPERVISOR  # noqa: E402


@pytest.fixture(params=BACKENDS)
def branch(request, tmp_path):
    url = empty_database_url(request, tmp_path)
    setup_database(url, ("SPV-01", "supervisor"), ("KC-0430", "officer"))
    server = ServerProcess(url).start()
    yield url, server
    server.stop()


def server_person(url: str, person_id: str) -> dict:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return json.loads(tx.scalar("SELECT data FROM docs WHERE entity = 'person' AND id = ?",
                                        (person_id,)))
    finally:
        db.close()


def quarantined(url: str) -> dict[str, str]:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return {r[0]: r[1] for r in tx.rows("SELECT change_id, reason FROM quarantine")}
    finally:
        db.close()


@pytest.fixture
def officers_laptop(branch, tmp_path):
    """A plain laptop enrolled by an officer, with one synced participant (no e-mail)."""
    url, server = branch
    laptop = Laptop(tmp_path / "officer.sqlite3")
    laptop.enroll(server.url, "KC-0430")
    laptop.event()
    person_id = laptop.register(7100).person["id"]
    laptop.sync()
    yield url, laptop, person_id
    laptop.close()


def test_an_officers_laptop_only_completes_blanks_and_cannot_erase(officers_laptop):
    url, laptop, person_id = officers_laptop
    phone = server_person(url, person_id)["phone"]
    # A laptop without a login restricts nothing locally (or one whose database was
    # tampered with): the server must hold the line itself.
    laptop.store.people.update(person_id, {"phone": "0857-9999-0000", "email": "siti@contoh.id"})
    laptop.sync()
    after = server_person(url, person_id)
    assert after["phone"] == phone  # changing what is there: a supervisor's
    assert after["email"] == "siti@contoh.id"  # completing a blank: fine
    erase_person(laptop.store, person_id, withdrawn=False, reason="request")
    laptop.sync()
    kept = server_person(url, person_id)
    assert kept["full_name"] != "(dihapus)" and kept["phone"] == phone and not kept.get("erased_at")
    assert "person.erase_needs_supervisor" in quarantined(url).values()


def _encrypted_officers_laptop(tmp_path, server: ServerProcess, http) -> Path:
    """An encrypted laptop set up by a laptop-only supervisor and enrolled by an officer; its
    first sync brings the branch's accounts (SPV-01 among them)."""
    path = tmp_path / "shared.sqlite3"
    store = session.create_protected(path, employee_no=SUPERVISOR[0], full_name="Siti Rahmawati",
                                     branch="KC Bekasi Cikarang", password=SUPERVISOR[1], kdf=FAST_KDF)
    try:
        enroll(store, http, server.url, "KC-0430", PASSWORD)
        # The branch lets its supervisor work on this officer's laptop (else SPV-01's login
        # never reaches it, see server/distribution.py).
        allow = run_cli("server-device", "allow", "--database-url", server.database_url,
                        store.device_id, "--employee-no", "SPV-01")
        assert allow.returncode == 0, allow.stderr
        store.events.create({"id": "00000000-0000-4000-8000-00000000e001", "kind": "senam_bersama",
                             "title": "Senam Sehat", "starts_at": "2026-11-22T06:30:00+07:00",
                             "venue": "Lapangan Desa Karangasih"})
        store.registrations.register(RegistrationInput(
            segment="bpu", person=person_input(7200), consent_given=True, consent_version="2026-01",
            declared_income=1_000_000))
        SyncEngine(store, http).run()
    finally:
        store.close()
    return path


def test_a_branch_supervisor_on_an_officers_laptop_signs_and_the_server_accepts(branch, tmp_path):
    url, server = branch
    with new_http_client(read_timeout=10) as http:
        path = _encrypted_officers_laptop(tmp_path, server, http)
        with session.unlock(path, "SPV-01", PASSWORD) as store:  # the branch's supervisor
            assert store.role == "supervisor" and store.signer.employee_no == "SPV-01"
            person_id = store.scalar("SELECT id FROM people")
            store.people.update(person_id, {"phone": "0857-9999-0000"})
            signature = json.loads(store.scalar("SELECT signature FROM change_log ORDER BY seq DESC"))
            assert signature["by"] == "SPV-01" and signature["sig"]
            SyncEngine(store, http).run()
        assert server_person(url, person_id)["phone"] == "+6285799990000"
        # The laptop-only supervisor has no key the branch knows: the same kind of edit is
        # held to what an officer's laptop may do.
        with session.unlock(path, *SUPERVISOR) as store:
            assert store.signer is None
            store.people.update(person_id, {"phone": "0857-1234-5678"})
            assert store.scalar("SELECT signature FROM change_log ORDER BY seq DESC") is None
            SyncEngine(store, http).run()
        assert server_person(url, person_id)["phone"] == "+6285799990000"
        # Erasure, signed by the branch's supervisor, goes through.
        with session.unlock(path, "SPV-01", PASSWORD) as store:
            erase_person(store, person_id, withdrawn=True, reason="consent_withdrawn")
            SyncEngine(store, http).run()
        erased = server_person(url, person_id)
        assert erased["erased_at"] and erased["phone"] is None and erased["nik"] is None


def test_forged_and_altered_signatures_are_kept_aside(officers_laptop):
    url, laptop, person_id = officers_laptop
    phone = server_person(url, person_id)["phone"]
    impostor_seed = signing.signing_seed(b"\x07" * 32)  # not SPV-01's key
    with opened_as(laptop.store, signer=signing.ChangeSigner("SPV-01", impostor_seed)) as signed:
        signed.people.update(person_id, {"phone": "0857-9999-0000"})
    laptop.sync()
    assert server_person(url, person_id)["phone"] == phone
    # SPV-01's real key (as if stolen mid-session), but the payload changed after signing.
    secret = _spv_secret(url)
    real = signing.ChangeSigner("SPV-01", signing.signing_seed(secret))
    with opened_as(laptop.store, signer=real) as signed:
        signed.people.update(person_id, {"phone": "0857-2222-3333"})
    with laptop.store.write():
        laptop.store.db.execute("UPDATE change_log SET payload = replace(payload, '2222', '6666') "
                                "WHERE seq = (SELECT max(seq) FROM change_log)")
    laptop.sync()
    assert server_person(url, person_id)["phone"] == phone
    assert list(quarantined(url).values()).count("person.edit_bad_signature") == 2
    # Signed as it was made: accepted.
    with opened_as(laptop.store, signer=real) as signed:
        signed.people.update(person_id, {"phone": "0857-4444-5555"})
    laptop.sync()
    assert server_person(url, person_id)["phone"] == "+6285744445555"


def _spv_secret(url: str) -> bytes:
    """SPV-01's argon2id output, from its published login and the test password."""
    from bpjs_field.security.keys import _derive, _unb64
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            login = json.loads(tx.scalar("SELECT login FROM accounts WHERE employee_no = 'SPV-01'"))
    finally:
        db.close()
    return _derive(PASSWORD, _unb64(login["salt"]), login["argon2"])


def test_a_supervisors_signed_change_carried_by_hand_keeps_its_signature(branch, tmp_path):
    """The branch's supervisor edits a phone on an officer's laptop, which then only exports
    its changes; another laptop carries them to the branch.  The change goes with both the
    supervisor's signature and its laptop's: it is the supervisor's edit at the branch."""
    from bpjs_field.handcarry import export_changes, import_changes
    url, server = branch
    with new_http_client(read_timeout=10) as http:
        path = _encrypted_officers_laptop(tmp_path, server, http)
        with session.unlock(path, "SPV-01", PASSWORD) as store:
            person_id = store.scalar("SELECT id FROM people")
            store.people.update(person_id, {"phone": "0857-9999-0000"})
            usb = tmp_path / "ditandatangani.bpjsf"
            export_changes(store, usb, "pasar-malam-2026")
    carrier = Laptop(tmp_path / "carrier.sqlite3")
    try:
        carrier.enroll(server.url, "KC-0430")
        carrier.sync()
        import_changes(carrier.store, usb, "pasar-malam-2026")
        sent = json.loads(carrier.store.scalar(
            "SELECT payload FROM change_log WHERE entity = 'person' AND sent_at IS NULL "
            "AND origin_sig IS NOT NULL ORDER BY seq DESC"))
        assert sent["phone"] == "+6285799990000"
        result = carrier.sync()
    finally:
        carrier.close()
    assert result.quarantined == 0
    assert server_person(url, person_id)["phone"] == "+6285799990000"
