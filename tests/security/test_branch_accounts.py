"""Accounts received from the branch server: an officer of the branch logs in on a laptop
they never used, offline, with their branch password; the branch's password changes, role
changes and disabled accounts reach the laptop at its next sync; what a laptop pushes can
never add, promote or remove an account elsewhere.  The server publishes only a public key
derived from the password (never a password equivalent), and the key file stays whole when
logins and sync write it at the same time.  Real server processes on 127.0.0.1 (SQLite),
real encrypted laptop databases."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from harness import BACKENDS, PASSWORD, ServerProcess, empty_database_url, setup_database  # noqa: E402

from bpjs_field.errors import BpjsFieldError  # noqa: E402
from bpjs_field.security import session  # noqa: E402
from bpjs_field.security.branch_accounts import apply_branch_accounts  # noqa: E402
from bpjs_field.security.keys import (BRANCH_SCHEME, KeyFile, check_branch_login,  # noqa: E402
                                      make_branch_login)
from bpjs_field.server import accounts as server_accounts  # noqa: E402
from bpjs_field.server.db import ServerDatabase  # noqa: E402
from bpjs_field.store import views  # noqa: E402
from bpjs_field.sync.engine import SyncEngine, enroll, new_http_client  # noqa: E402

from .conftest import FAST_KDF, OFFICER, SUPERVISOR, bpu_form  # noqa: E402

NEWCOMER = "KC-0600"  # on the branch server only: never set up on the laptop


# -- the key file (no server) ----------------------------------------------------------------
def test_a_published_login_wraps_the_key_for_the_password_alone(secure_path):
    login = make_branch_login("kata-sandi-cabang", FAST_KDF)
    assert set(login) == {"scheme", "salt", "argon2", "public_key", "sign_public_key"}  # public only
    with session.unlock(secure_path, *SUPERVISOR) as store:
        key = store.key
        with KeyFile.editing(secure_path) as keyfile:
            keyfile.add_branch_account(key, NEWCOMER, "officer", login)
    keyfile = KeyFile.load(secure_path)
    assert keyfile.account(NEWCOMER).source == "server"
    assert "kata-sandi" not in keyfile.path.read_text()
    unwrapped, account = keyfile.unlock(NEWCOMER, "kata-sandi-cabang")
    assert unwrapped == key and account.role == "officer" and account.source == "server"
    with pytest.raises(BpjsFieldError) as wrong:
        keyfile.unlock(NEWCOMER, "kata-sandi-lain")
    assert wrong.value.code == "security.bad_login"
    # The role is bound to the wrapped copy: promoting oneself in the JSON opens nothing.
    data = json.loads(keyfile.path.read_text())
    data["accounts"][NEWCOMER]["role"] = "supervisor"
    keyfile.path.write_text(json.dumps(data))
    with pytest.raises(BpjsFieldError):
        KeyFile.load(secure_path).unlock(NEWCOMER, "kata-sandi-cabang")


@pytest.mark.parametrize("change", [
    lambda lg: lg | {"scheme": "plain-password"},
    lambda lg: lg | {"salt": "c2hvcnQ="},                         # 5 bytes
    lambda lg: lg | {"public_key": "not base64 at all!"},
    lambda lg: lg | {"argon2": lg["argon2"] | {"memory_cost": 64 * 1024 * 1024}},  # 64 GiB
    lambda lg: lg | {"argon2": lg["argon2"] | {"time_cost": 10_000}},
    lambda lg: lg | {"argon2": lg["argon2"] | {"parallelism": True}},
    lambda lg: lg | {"argon2": {"time_cost": 1}},
    lambda lg: "a string",
], ids=["scheme", "salt", "key", "memory", "time", "bool", "missing", "type"])
def test_a_hostile_or_broken_login_is_refused(change):
    login = make_branch_login("kata-sandi-cabang", FAST_KDF)
    check_branch_login(login)  # the genuine one passes
    with pytest.raises(ValueError):
        check_branch_login(change(login))


def test_only_the_servers_account_rows_decide_who_logs_in(secure_path):
    login = make_branch_login("kata-sandi-cabang", FAST_KDF)
    with session.unlock(secure_path, *SUPERVISOR) as store:
        row = {"id": "00000000-0000-4000-8000-000000000600", "employee_no": NEWCOMER,
               "role": "supervisor", "active": 1, "login": login}
        with store.write():
            assert apply_branch_accounts(store, [row]) == 0  # not marked as an account
            assert apply_branch_accounts(store, [row | {"account": True, "login": {"x": 1}}]) == 0
            assert apply_branch_accounts(store, [row | {"account": True}]) == 1
            assert apply_branch_accounts(store, [row | {"account": True}]) == 0  # pulled again
        assert KeyFile.load(secure_path).account(NEWCOMER).role == "supervisor"
        audit = store.query("SELECT action, details FROM audit_log WHERE action IN "
                            "('account_received', 'account_removed', 'account_kept')")
        assert [a["action"] for a in audit] == ["account_received"]
        assert "kata-sandi" not in json.dumps(audit) and login["public_key"] not in json.dumps(audit)


def test_the_laptops_last_account_is_kept_when_the_branch_disables_it(tmp_path):
    path = tmp_path / "alone.sqlite3"
    store = session.create_protected(path, employee_no="KC-0421", full_name="Siti Rahmawati",
                                     branch="KC Cilegon", password="rahasia-supervisor", kdf=FAST_KDF)
    try:
        with store.write():
            kept = apply_branch_accounts(store, [{"employee_no": "KC-0421", "active": 0,
                                                  "account": True, "role": "supervisor"}])
        assert kept == 0 and KeyFile.load(path).account("KC-0421") is not None
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'account_kept'") == 1
    finally:
        store.close()


def test_logins_and_sync_writing_the_key_file_together_lose_nothing(secure_path):
    """The lock screen counts failures on the GUI thread while sync adds accounts on the
    worker: every failure and every account is in the file afterwards."""
    logins = [make_branch_login(f"sandi-{i:02d}-cabang", FAST_KDF) for i in range(8)]
    with session.unlock(secure_path, *SUPERVISOR) as store:
        key = store.key
    failures = []

    def fail_logins() -> None:
        for _ in range(4):  # below the lock-out, so each one is a counted failure
            try:
                session.verify_password(secure_path, "KC-0500", "tebak-tebakan")
            except BpjsFieldError as exc:
                failures.append(exc.code)

    def add_accounts() -> None:
        for i, login in enumerate(logins):
            with KeyFile.editing(secure_path) as keyfile:
                keyfile.add_branch_account(key, f"KC-07{i:02d}", "officer", login)

    threads = [threading.Thread(target=fail_logins), threading.Thread(target=add_accounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    keyfile = KeyFile.load(secure_path)
    assert {f"KC-07{i:02d}" for i in range(8)} <= {a.employee_no for a in keyfile.accounts()}
    assert failures == ["security.bad_login"] * 4
    assert keyfile.data["failures"]["KC-0500"]["count"] == 4


# -- with the branch server --------------------------------------------------------------------
@pytest.fixture(params=BACKENDS)
def branch(request, tmp_path):
    url = empty_database_url(request, tmp_path)
    setup_database(url, (SUPERVISOR[0], "supervisor"), (NEWCOMER, "officer"))
    server = ServerProcess(url).start()
    http = new_http_client(read_timeout=10.0)
    yield url, server, http
    http.close()
    server.stop()


def _sync(path: Path, http: httpx.Client, number: str, password: str):
    with session.unlock(path, number, password) as store:
        return SyncEngine(store, http).run()


def _server(url: str):
    return ServerDatabase(url)


def test_a_branch_officer_logs_in_offline_on_a_laptop_they_never_used(secure_path, branch):
    url, server, http = branch
    with session.unlock(secure_path, *SUPERVISOR) as store:
        enroll(store, http, server.url, SUPERVISOR[0], PASSWORD)
        result = SyncEngine(store, http).run()
        assert result.pulled >= 2
        rows = {r["employee_no"]: r for r in session.accounts(store)}
        assert rows[NEWCOMER]["source"] == "server" and rows[NEWCOMER]["role"] == "officer"
        assert rows[NEWCOMER]["full_name"] == f"Petugas {NEWCOMER}"
        # The supervisor's own account is the branch's now: the branch password opens it.
        assert rows[SUPERVISOR[0]]["source"] == "server"
        assert rows["KC-0500"]["source"] == "laptop"  # made on the laptop, left alone
        # The laptop-made officer row gave way to the account's: still the one at work.
        account_id = store.scalar("SELECT id FROM officers WHERE employee_no = ?", (SUPERVISOR[0],))
        assert store.get_setting("current_officer_id") == account_id == store.officer_id
    server.stop()  # offline from here on
    with session.unlock(secure_path, NEWCOMER, PASSWORD) as store:
        assert store.role == "officer" and store.encrypted
        newcomer_id = store.scalar("SELECT id FROM officers WHERE employee_no = ?", (NEWCOMER,))
        assert views.current_officer(store)["id"] == newcomer_id == store.officer_id
        saved = store.registrations.register(_form())  # works as any officer of the laptop
        assert saved.registration["officer_id"] == newcomer_id
    with pytest.raises(BpjsFieldError) as old:
        session.unlock(secure_path, *SUPERVISOR)  # the laptop-made password is replaced
    assert old.value.code == "security.bad_login"
    with session.unlock(secure_path, SUPERVISOR[0], PASSWORD) as store:
        assert store.role == "supervisor"


def test_the_window_writes_as_the_branch_account_once_its_sync_adopted_it(secure_path, branch):
    """The app's window keeps one connection open and syncs on another: after that sync gave
    the officer at work the branch account's id, the window's next registration, check-in
    and audit entries carry the account's id, not the laptop-made one, which the laptop no
    longer has an officer for and the branch never had (they showed no officer's name)."""
    from bpjs_field.store import Store
    url, server, http = branch
    with session.unlock(secure_path, *SUPERVISOR) as window:
        laptop_made = window.officer_id
        enroll(window, http, server.url, SUPERVISOR[0], PASSWORD)
        with Store.open(secure_path, key=window.key, session=window.session) as syncing:
            SyncEngine(syncing, http).run()
            account_id = syncing.officer_id
        assert account_id != laptop_made
        assert window.scalar("SELECT count(*) FROM officers WHERE id = ?", (laptop_made,)) == 0
        event = window.events.create({"title": "Senam pagi", "kind": "senam_bersama",
                                      "starts_at": "2026-12-06T06:30:00+07:00",
                                      "venue": "Lapangan Desa Karangasih"})
        assert event["created_by"] == account_id == window.officer_id
        saved = window.registrations.register(bpu_form())
        assert saved.registration["officer_id"] == account_id
        checked = window.attendance.check_in(event["id"], saved.person["id"])
        assert checked.attendance["officer_id"] == account_id
        assert {r[0] for r in window.db.execute(
            "SELECT officer_id FROM audit_log WHERE action IN ('registration.create', "
            "'attendance.create')")} == {account_id}


def test_password_role_and_disabling_at_the_branch_reach_the_laptop(secure_path, branch):
    url, server, http = branch
    with session.unlock(secure_path, *SUPERVISOR) as store:
        enroll(store, http, server.url, SUPERVISOR[0], PASSWORD)
        SyncEngine(store, http).run()
    # The newcomer works on this laptop (logs in, the sync tells the branch), so their login
    # keeps coming here once they are a supervisor.
    _sync(secure_path, http, NEWCOMER, PASSWORD)
    db = _server(url)
    try:
        server_accounts.set_password(db, NEWCOMER, "sandi-baru-cabang")
        server_accounts.set_role(db, NEWCOMER, "supervisor")
    finally:
        db.close()
    _sync(secure_path, http, SUPERVISOR[0], PASSWORD)
    with pytest.raises(BpjsFieldError):
        session.verify_password(secure_path, NEWCOMER, PASSWORD)
    with session.unlock(secure_path, NEWCOMER, "sandi-baru-cabang") as store:
        assert store.role == "supervisor"
    db = _server(url)
    try:
        server_accounts.set_active(db, NEWCOMER, False)
    finally:
        db.close()
    _sync(secure_path, http, SUPERVISOR[0], PASSWORD)
    assert KeyFile.load(secure_path).account(NEWCOMER) is None
    with pytest.raises(BpjsFieldError) as gone:
        session.unlock(secure_path, NEWCOMER, "sandi-baru-cabang")
    assert gone.value.code == "security.bad_login"
    with session.unlock(secure_path, SUPERVISOR[0], PASSWORD) as store:
        actions = [r["action"] for r in store.query(
            "SELECT action FROM audit_log WHERE action LIKE 'account_%' ORDER BY id")]
    assert actions.count("account_received") >= 3 and actions[-1] == "account_removed"


def test_an_account_older_than_logins_gets_one_when_the_officer_enrols(secure_path, branch, tmp_path):
    url, server, http = branch
    db = _server(url)
    try:
        with db.write() as tx:
            tx.execute("UPDATE accounts SET login = NULL WHERE employee_no = ?", (NEWCOMER,))
    finally:
        db.close()
    with session.unlock(secure_path, *SUPERVISOR) as store:
        enroll(store, http, server.url, NEWCOMER, PASSWORD)  # the officer enrols this laptop
        SyncEngine(store, http).run()
    db = _server(url)
    try:
        with db.read() as tx:
            login = json.loads(tx.scalar("SELECT login FROM accounts WHERE employee_no = ?",
                                         (NEWCOMER,)))
            hashed = tx.scalar("SELECT password_hash FROM accounts WHERE employee_no = ?", (NEWCOMER,))
            published = tx.scalar("SELECT data FROM docs WHERE entity = 'officer' AND ident = ?",
                                  (f"emp:{NEWCOMER}",))
    finally:
        db.close()
    assert login["scheme"] == BRANCH_SCHEME
    assert hashed not in published and "password" not in published  # never the hash
    assert json.loads(published)["login"] == login
    with session.unlock(secure_path, NEWCOMER, PASSWORD) as store:
        assert store.role == "officer"


def test_a_laptop_cannot_promote_or_plant_an_account_through_its_pushes(secure_path, branch, tmp_path):
    url, server, http = branch
    with session.unlock(secure_path, *SUPERVISOR) as store:
        enroll(store, http, server.url, SUPERVISOR[0], PASSWORD)
        SyncEngine(store, http).run()
        newcomer_id = store.scalar("SELECT id FROM officers WHERE employee_no = ?", (NEWCOMER,))
        planted = make_branch_login("sandi-penyusup-1", FAST_KDF)
        # A doctored change log: promote the newcomer, plant a login (as text: the protocol
        # refuses nested values outright, which would not test the server's own rule).
        with store.write():
            store.record_change("officer", newcomer_id, {"id": newcomer_id, "role": "supervisor",
                                                         "active": 1, "login": json.dumps(planted),
                                                         "account": True})
            store.record_change("officer", "00000000-0000-4000-8000-00000000bad1", {
                "id": "00000000-0000-4000-8000-00000000bad1", "employee_no": "KC-0666",
                "full_name": "Penyusup", "branch": "KC", "role": "supervisor", "active": 1,
                "login": json.dumps(planted), "account": True})
        pushed = SyncEngine(store, http).run()
        assert pushed.refused == 0 and store.pending_changes() == 0
    db = _server(url)
    try:
        with db.read() as tx:
            newcomer = json.loads(tx.scalar("SELECT data FROM docs WHERE entity = 'officer' AND id = ?",
                                            (newcomer_id,)))
            intruder = json.loads(tx.scalar("SELECT data FROM docs WHERE entity = 'officer' AND ident = ?",
                                            ("emp:KC-0666",)))
    finally:
        db.close()
    assert newcomer["role"] == "officer" and newcomer["login"]["public_key"] != planted["public_key"]
    assert "login" not in intruder and "account" not in intruder
    # A second laptop of the branch pulls all of it: only the branch's accounts arrive.
    other = tmp_path / "other.sqlite3"
    store = session.create_protected(other, employee_no="KC-0800", full_name="Dewi Lestari",
                                     branch="KC Cilegon", password="rahasia-laptop-dua", kdf=FAST_KDF)
    try:
        enroll(store, http, server.url, NEWCOMER, PASSWORD)
        SyncEngine(store, http).run()
    finally:
        store.close()
    accounts = {a.employee_no: a for a in KeyFile.load(other).accounts()}
    assert "KC-0666" not in accounts and accounts[NEWCOMER].role == "officer"
    with pytest.raises(BpjsFieldError):
        session.verify_password(other, NEWCOMER, "sandi-penyusup-1")


def _form():
    from .conftest import bpu_form
    return bpu_form(nik="3216091205900007", name="Agus Prasetyo")


def test_an_officers_laptop_receives_no_supervisors_login(secure_path, branch):
    """Only the logins a laptop needs: its team's (the branch's officers), the account that
    enrolled it, and those that logged in there; a supervisor's only where they work."""
    url, server, http = branch
    db = _server(url)
    try:
        for number, role in (("SPV-09", "supervisor"), ("KC-0601", "officer")):
            server_accounts.add_officer(db, employee_no=number, full_name=f"Petugas {number}",
                                        branch="Kantor Cabang Bekasi Cikarang", role=role,
                                        password="sandi-cabang-panjang-9")
        with db.read() as tx:
            old_login = json.loads(tx.scalar("SELECT login FROM accounts WHERE employee_no = "
                                             "'SPV-09'"))
    finally:
        db.close()
    with session.unlock(secure_path, *OFFICER) as store:
        # As an older server did: every account's login reached every laptop.
        with KeyFile.editing(secure_path) as keyfile:
            keyfile.add_branch_account(store.key, "SPV-09", "supervisor", old_login)
        enroll(store, http, server.url, NEWCOMER, PASSWORD)  # an officer's laptop
        SyncEngine(store, http).run()
        token = store.get_setting("sync.device_token")
        device_id = store.device_id
        officers = {r["employee_no"] for r in store.query("SELECT employee_no FROM officers")}
        removed = [json.loads(r["details"]) for r in store.query(
            "SELECT details FROM audit_log WHERE action = 'account_removed'")]
    assert {"SPV-09", "KC-0601", SUPERVISOR[0]} <= officers  # names still on every laptop
    keyfile = KeyFile.load(secure_path)
    assert keyfile.account("SPV-09") is None  # the supervisor's login was dropped here
    assert removed == [{"employee_no": "SPV-09", "source": "server", "reason": "not_needed"}]
    assert keyfile.account("KC-0601").source == "server"  # the team
    assert keyfile.account(NEWCOMER).source == "server"  # who enrolled it
    # The laptop's own supervisor logged in here (setting it up): a supervisor who works on it.
    assert keyfile.account(SUPERVISOR[0]).source == "server"
    page = httpx.get(f"{server.url}/v1/pull", params={"cursor": 0},
                     headers={"Authorization": f"Bearer {token}"}).json()
    accounts = {i["data"]["employee_no"]: i["data"] for i in page["items"]
                if i["entity"] == "officer" and i["data"].get("account")}
    assert "login" not in accounts["SPV-09"] and accounts["SPV-09"]["login_withheld"] is True
    for number in ("KC-0601", NEWCOMER, SUPERVISOR[0]):
        assert "login" in accounts[number] and "login_withheld" not in accounts[number]
    # The branch lets SPV-09 work on this laptop: their login comes at the next sync.
    db = _server(url)
    try:
        server_accounts.allow_account(db, device_id, "SPV-09")
    finally:
        db.close()
    _sync(secure_path, http, *OFFICER)
    assert KeyFile.load(secure_path).account("SPV-09").source == "server"
    with session.unlock(secure_path, "SPV-09", "sandi-cabang-panjang-9") as store:
        assert store.role == "supervisor"
