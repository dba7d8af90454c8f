"""The event hub on loopback: a hub run by one laptop (the real server code, TLS with the
event's certificate), laptops joined by code, a real branch server behind them.

Registrations at one laptop reach another through the hub; whichever laptop reaches the
branch first delivers everything, once; refusals (another branch, no officer, a wrong key
or pin) are answered; the hub's database is encrypted when the laptop's is."""

from __future__ import annotations

import shutil

import httpx
import pytest

from bpjs_field.errors import KnownError
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.pull import server_digest
from bpjs_field.sync import hub_join
from bpjs_field.sync.digest import laptop_digest
from bpjs_field.sync.hub_engine import HubEngine, join
from bpjs_field.sync.hub_server import HubServer
from harness import EVENT_ID, ServerProcess, free_port


@pytest.fixture
def branch(sqlite_template, tmp_path):
    path = tmp_path / "branch.sqlite3"
    shutil.copy(sqlite_template, path)
    proc = ServerProcess(f"sqlite:///{path}").start()
    yield proc
    proc.kill()
    proc.stop()


def event_laptops(laptops, branch, n: int) -> list:
    """n laptops enrolled at the branch, each having synced once (so each knows the branch's
    officers and the branch knows each laptop's signing key)."""
    machines = laptops(n)
    for laptop, officer in zip(machines, ("KC-0421", "KC-0422", "KC-0423", "SPV-01", "KC-0430")):
        laptop.enroll(branch.url, officer)
        laptop.sync()
    return machines


def start_hub(laptop) -> HubServer:
    hub = HubServer(laptop.store, "127.0.0.1", free_port()).start()
    join(laptop.store, hub.join_url)
    return hub


def hub_desk_door(laptops, branch) -> tuple:
    """A hub laptop serving, a desk and a door joined to it: (hub, hub_laptop, desk, door).
    The caller stops the hub."""
    hub_laptop, desk, door = event_laptops(laptops, branch, 3)
    hub = start_hub(hub_laptop)
    try:
        join(desk.store, hub.join_code)
        join(door.store, hub.join_code)
    except BaseException:
        hub.stop()
        raise
    return hub, hub_laptop, desk, door


def hub_round(*machines) -> None:
    for laptop in machines:
        engine = HubEngine(laptop.store)
        try:
            engine.run()
        finally:
            engine.close()


def branch_digest(branch) -> dict:
    db = ServerDatabase(branch.database_url)
    try:
        return server_digest(db)
    finally:
        db.close()


def test_registration_at_one_desk_is_checked_in_at_the_door_and_reaches_the_branch_once(laptops, branch):
    hub_laptop, desk, door = event_laptops(laptops, branch, 3)
    hub = start_hub(hub_laptop)
    try:
        assert join(desk.store, hub.join_code)["url"] == hub.url  # typed code
        join(door.store, hub.join_url)  # scanned QR
        desk.event()
        desk.register_many(range(10))
        person = desk.store.scalar("SELECT id FROM people WHERE nik = (SELECT nik FROM people LIMIT 1)")
        hub_round(desk, hub_laptop, door)
        assert door.store.scalar("SELECT count(*) FROM registrations") == 10
        assert door.store.events.get(EVENT_ID) is not None
        door.store.attendance.check_in(EVENT_ID, person)
        hub_round(door, hub_laptop, desk)
        assert desk.store.attendance.count(EVENT_ID) == 1
        status = hub.status()
        assert {row["registrations"] for row in status["events"]} == {10}
        assert {row["checked_in"] for row in status["events"]} == {1}
        assert status["events"][0]["targets"] == {"bpu": 150}
        assert len(status["laptops"]) == 3
        # The door laptop reaches the branch first: it delivers the desk's registrations too.
        door.sync()
        digest = branch_digest(branch)
        assert (digest["people"], digest["registrations"], digest["attendance"]) == (10, 10, 1)
        # The desk comes later: the branch applies nothing twice.
        again = desk.sync()
        assert again.pushed == 0 and again.duplicates >= 10
        hub_laptop.sync()
        assert branch_digest(branch) == digest
        for laptop in (hub_laptop, desk, door):
            laptop.sync()
            assert laptop_digest(laptop.store) == digest
    finally:
        hub.stop()


def test_the_hub_refuses_other_branches_missing_officers_and_wrong_keys(laptops, branch, tmp_path, sqlite_template):
    hub_laptop, stranger, anonymous = event_laptops(laptops, branch, 3)
    other_path = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other_path)  # the same officers, but another server (branch)
    db = ServerDatabase(f"sqlite:///{other_path}")
    with db.write() as tx:
        tx.execute("UPDATE meta SET value = 'another-branch-0000' WHERE key = 'server_id'")
    db.close()
    other = ServerProcess(f"sqlite:///{other_path}").start()
    hub = start_hub(hub_laptop)
    try:
        stranger.enroll(other.url, "KC-0421")
        stranger.sync()
        with pytest.raises(KnownError) as refused:
            join(stranger.store, hub.join_code)
        assert refused.value.code == "hub.other_branch"

        anonymous.store.remember_officer(None)
        with pytest.raises(KnownError) as refused:
            join(anonymous.store, hub.join_code)
        assert refused.value.code == "hub.not_logged_in"
        # The hub refuses such a laptop itself, whatever the laptop's program does.
        cert = hub_join.fetch_pinned_certificate(hub_join.parse_join(hub.join_url))
        with hub_join.pinned_client(cert) as http:
            answer = http.post(f"{hub.url}/v1/hub/join", json={
                "key": hub_join.parse_join(hub.join_url).key, "device_id": anonymous.store.device_id,
                "device_tag": anonymous.store.device_tag, "branch_server_id": hub.branch_id})
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "hub.not_logged_in"
        anonymous.store.remember_officer(anonymous.store.get_setting("sync.officer")["id"])

        info = hub_join.parse_join(hub.join_url)
        wrong_pin = hub_join.join_url(info.host, info.port, bytes(32), info.key)
        with pytest.raises(KnownError) as refused:
            join(anonymous.store, wrong_pin)
        assert refused.value.code == "hub.wrong_key"
        wrong_key = hub_join.join_url(info.host, info.port, info.pin, hub_join.new_join_key())
        with pytest.raises(KnownError) as refused:
            join(anonymous.store, wrong_key)
        assert refused.value.code == "hub.bad_key"
        assert anonymous.store.get_setting("hub.device_token") is None
        # Not pinned, not trusted: the event's certificate is no CA of the system.
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{hub.url}/v1/health", timeout=5)
        join(anonymous.store, hub.join_code)
        hub_round(anonymous)
        actions = {r[0] for r in hub_laptop.store.db.execute("SELECT action FROM audit_log")}
        assert {"hub.start", "hub.joined", "hub.join_refused"} <= actions
    finally:
        hub.stop()
        other.kill()
        other.stop()


def test_join_code_round_trip_and_typing_slips():
    fp = bytes(range(32))
    key = hub_join.new_join_key()
    code = hub_join.join_code("192.168.43.17", 8766, fp, key)
    assert len(code) == 39 and code.count("-") == 7
    info = hub_join.parse_join(code.lower().replace("-", " "))
    assert (info.host, info.port, info.pin, info.key) == ("192.168.43.17", 8766, fp[:10], key)
    assert hub_join.parse_join(hub_join.join_url("192.168.43.17", 8766, fp, key)).pin == fp
    for bad in ("", "ABCD-EFGH", code[:-5], "bpjs-hub://1.2.3.4:80/?pin=00&key=AAAA"):
        with pytest.raises(KnownError) as refused:
            hub_join.parse_join(bad)
        assert refused.value.code == "hub.bad_code"
    with pytest.raises(KnownError) as refused:
        HubServer.__init__(object.__new__(HubServer), None, "0.0.0.0")  # type: ignore[arg-type]
    assert refused.value.code == "hub.pick_address"


def wait_for(check, timeout: float = 180.0, what: str = "") -> None:
    import time
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_five_laptops_with_shared_niks_and_a_door_then_one_reaches_the_branch(laptops, branch):
    from bpjs_field.sync.hub_engine import HubLink
    from bpjs_field.store import Store
    machines = event_laptops(laptops, branch, 5)
    desks, door = machines[:4], machines[4]
    hub = start_hub(machines[0])
    links = []
    try:
        for laptop in machines[1:]:
            join(laptop.store, hub.join_code)
        links = [HubLink(lambda p=laptop.path: Store.open(p), interval=0.5).start() for laptop in machines]
        desks[0].event()  # the event travels to the other laptops through the hub
        wait_for(lambda: all(m.store.events.get(EVENT_ID) for m in machines), what="the event everywhere")
        for n, desk in enumerate(desks):  # 400 each, 30 NIKs registered at every desk
            desk.register_many([*range(30), *range(1000 + 370 * n, 1000 + 370 * (n + 1))])
        registrations = 4 * 400
        wait_for(lambda: all(m.store.scalar("SELECT count(*) FROM registrations") == registrations
                             for m in machines), what="registrations everywhere")
        people = door.store.query("SELECT id FROM people WHERE merged_into IS NULL ORDER BY nik LIMIT 500")
        assert len(door.store.query("SELECT id FROM people WHERE merged_into IS NULL")) == 30 + 4 * 370
        with door.store.write():
            for row in people:
                door.store.attendance.check_in(EVENT_ID, row["id"])
        wait_for(lambda: all(m.store.attendance.count(EVENT_ID) == 500 for m in machines),
                 what="check-ins everywhere")
        status = hub.status()
        assert [(e["registrations"], e["checked_in"]) for e in status["events"]] == [(registrations, 500)]
        assert status["people"] == 30 + 4 * 370 and len(status["laptops"]) == 5
        for link in links:
            link.stop()
        machines[2].sync()  # one desk reaches the branch: it carries all the others' changes
        digest = branch_digest(branch)
        assert (digest["people"], digest["registrations"], digest["attendance"]) == (
            30 + 4 * 370, registrations, 500)
        for laptop in machines:
            result = laptop.sync()
            assert result.pushed == 0, "the branch had everything from the first laptop"
            assert laptop_digest(laptop.store) == digest
    finally:
        for link in links:
            link.stop()
        hub.stop()


def test_the_hub_killed_mid_sync_is_replaced_and_everything_converges(laptops, branch):
    import os
    import signal
    import subprocess
    import sys
    from harness import ROOT
    old_hub, desk, door = event_laptops(laptops, branch, 3)
    old_hub.store.set_setting("current_officer_id", old_hub.store.officer_id)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bpjs_field", "--db", str(old_hub.path), "hub",
                             "--address", "127.0.0.1", "--port", str(port), "--branch-every", "3600"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        lines = {}
        while len(lines) < 3:
            key, _, value = proc.stdout.readline().rstrip("\n").partition("\t")
            assert key, proc.stderr.read()
            lines[key] = value
        join(desk.store, lines["code"])
        join(door.store, lines["qr"])
        desk.event()
        desk.register_many(range(100))
        old_hub.event()
        old_hub.register_many(range(500, 540))
        # The hub laptop reaches the branch too (its 40 are delivered there): a new hub must
        # still get them, the other laptops at the event have no branch.
        _sync_when_free(old_hub)
        hub_round(desk, door)
        # The desk's 100 are at the door (the hub laptop's 40 too, if its own process has had
        # its round with the hub in between: when is not for this test to say).
        assert door.store.scalar("SELECT count(*) FROM registrations WHERE device_id = ?",
                                 (desk.store.device_id,)) == 100
        desk.register_many(range(100, 300))
        # Killed while the desk pushes its next batches (400 changes, 20 a batch): the desk
        # holds still after its second acknowledged batch until the hub is dead, so the
        # hub has exactly 40 of them.  The hub laptop's own 40 registrations may or may not
        # have been relayed (its own process syncs it); none of it may be lost or doubled.
        import threading
        halfway, killed = threading.Event(), threading.Event()

        def hold(progress) -> None:
            if progress.phase == "push" and progress.pushed >= 40 and not halfway.is_set():
                halfway.set()
                killed.wait(120)

        pushing = threading.Thread(target=lambda: _round_quietly(desk, batch_changes=20,
                                                                 on_progress=hold))
        pushing.start()
        assert halfway.wait(120), "the desk's push did not get under way"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        killed.set()
        pushing.join(120)
        assert not pushing.is_alive()
        assert desk.store.scalar("SELECT count(*) FROM change_log WHERE hub_sent_at IS NULL") == 360
        with pytest.raises(KnownError) as gone:
            hub_round(door)  # the hub is gone: the round fails, the door keeps working
        assert gone.value.code == "sync.unreachable"
        door.store.attendance.check_in(EVENT_ID, door.store.query("SELECT id FROM people LIMIT 1")[0]["id"])

        new_hub = start_hub(door)  # the door laptop becomes the hub
        try:
            join(desk.store, new_hub.join_code)
            join(old_hub.store, new_hub.join_code)  # the old hub laptop comes back
            for _ in range(2):
                hub_round(desk, old_hub, door, desk, old_hub)
            for laptop in (desk, old_hub, door):
                assert laptop.store.scalar("SELECT count(*) FROM registrations") == 340
                assert laptop.store.attendance.count(EVENT_ID) == 1
            desk.sync()
            digest = branch_digest(branch)
            assert (digest["people"], digest["registrations"], digest["attendance"]) == (340, 340, 1)
            for laptop in (old_hub, door):
                assert laptop.sync().pushed == 0
                assert laptop_digest(laptop.store) == digest
        finally:
            new_hub.stop()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


# What a round may meet when the hub dies under it: a cut connection, then no hub at all.
HUB_GONE = {"sync.connection_lost", "sync.unreachable", "sync.timeout"}


def _round_quietly(laptop, **kw) -> None:
    engine = HubEngine(laptop.store, **kw)
    try:
        engine.run()
    except KnownError as exc:  # the hub died under it; any other failure is a failure
        assert exc.code in HUB_GONE, exc.code
    finally:
        engine.close()


def test_an_encrypted_laptop_keeps_its_hub_encrypted_and_audited(laptops, branch, tmp_path):
    from bpjs_field.security import session
    from bpjs_field.sync.engine import SyncEngine, enroll, new_http_client
    from harness import PASSWORD
    path = tmp_path / "secure.sqlite3"
    store = session.create_protected(path, employee_no="KC-0421", full_name="Siti Rahmawati",
                                     branch="Kantor Cabang Bekasi Cikarang", password=PASSWORD,
                                     kdf={"time_cost": 1, "memory_cost": 8192, "parallelism": 1})
    (desk,) = event_laptops(laptops, branch, 1)
    hub = None
    try:
        with new_http_client() as http:
            enroll(store, http, branch.url, "KC-0421", PASSWORD)
            SyncEngine(store, http).run()
        hub = HubServer(store, "127.0.0.1", free_port()).start()
        join(store, hub.join_url)
        join(desk.store, hub.join_code)
        desk.event()
        desk.register_many(range(3))
        hub_round(desk)
        engine = HubEngine(store)
        engine.run()
        engine.close()
        assert store.scalar("SELECT count(*) FROM registrations") == 3
        hub_file = (path.with_suffix(".hub") / "hub.sqlite3").read_bytes()
        assert not hub_file.startswith(b"SQLite format 3")
        assert b"Rahmawati" not in hub_file and desk.store.scalar("SELECT nik FROM people LIMIT 1").encode() not in hub_file
        key_file = (path.with_suffix(".hub") / "event-key.pem").read_bytes()
        assert b"ENCRYPTED PRIVATE KEY" in key_file
        actions = {r[0] for r in store.db.execute("SELECT action FROM audit_log")}
        assert {"hub.start", "hub.joined", "hub.join"} <= actions
    finally:
        if hub is not None:
            hub.stop()
        store.close()


def test_the_command_line_hub_join_and_hub_sync(laptops, branch):
    from harness import run_cli
    hub_laptop, desk = event_laptops(laptops, branch, 2)
    done = run_cli("hub", db=hub_laptop.path)
    assert done.returncode == 2 and "127.0.0.1" in done.stderr and "0.0.0.0" not in done.stderr
    done = run_cli("hub", "--address", "0.0.0.0", db=hub_laptop.path)
    assert done.returncode == 2 and "alamat" in done.stderr.lower()
    desk.store.set_setting("current_officer_id", desk.store.officer_id)
    desk.event()
    desk.register_many(range(4))
    hub = start_hub(hub_laptop)
    try:
        done = run_cli("join", "AAAA-BBBB", db=desk.path)
        assert done.returncode == 2 and "kode gabung" in done.stderr.lower()
        done = run_cli("join", hub.join_code, db=desk.path)
        assert done.returncode == 0 and done.stdout.startswith("joined\t" + hub.url), done.stderr
        done = run_cli("hub-sync", db=desk.path)
        assert done.returncode == 0 and "pushed=" in done.stdout, done.stderr
        hub_round(hub_laptop)
        assert hub_laptop.store.scalar("SELECT count(*) FROM registrations") == 4
    finally:
        hub.stop()


def test_an_erasure_at_the_event_reaches_every_laptop_and_the_branch_and_the_relay_forgets(laptops, branch):
    from bpjs_field.store.erasure import erase_person
    hub, hub_laptop, desk, door = hub_desk_door(laptops, branch)
    try:
        desk.event()
        desk.register_many(range(3))
        hub_round(desk, hub_laptop, door)
        person = door.store.scalar("SELECT id FROM people ORDER BY nik LIMIT 1")
        nik = door.store.scalar("SELECT nik FROM people WHERE id = ?", (person,))
        erase_person(hub_laptop.store, person)  # a supervisor's laptop, at the event
        hub_round(hub_laptop, door, desk)
        for laptop in (desk, door):
            assert laptop.store.scalar("SELECT erased_at FROM people WHERE id = ?", (person,))
            assert laptop.store.scalar("SELECT count(*) FROM people WHERE nik = ?", (nik,)) == 0
        db = hub.app.state.db
        with db.read() as tx:
            kept = tx.rows("SELECT envelope FROM hub_relay WHERE person_id = ?", (person,))
        assert kept and all(nik not in row[0] for row in kept)
        door.sync()  # the door reaches the branch first
        desk.sync()
        hub_laptop.sync()
        digest = branch_digest(branch)
        assert (digest["people"], digest["registrations"]) == (3, 3)
        bdb = ServerDatabase(branch.database_url)
        try:
            with bdb.read() as tx:
                data = tx.scalar("SELECT data FROM docs WHERE entity = 'person' AND id = ?", (person,))
                held = tx.rows("SELECT reason FROM quarantine")
        finally:
            bdb.close()
        assert nik not in data and '"erased_at"' in data
        assert held == [], held
        for laptop in (hub_laptop, desk, door):
            assert laptop.store.query("SELECT entity, refused_reason FROM change_log WHERE refused_at IS NOT NULL") == []
    finally:
        hub.stop()


def _sync_when_free(laptop, seconds: float = 300.0) -> None:
    """Sync with the branch once the hub's process, syncing the same laptop with the branch
    when it starts, has done so (however slow a loaded machine makes it)."""
    import time
    deadline = time.monotonic() + seconds
    while True:
        try:
            laptop.sync()
            return
        except KnownError as exc:
            if exc.code != "sync.busy" or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_hub_screen_counts_each_change_waiting_for_the_branch_once(laptops, branch):
    hub, hub_laptop, desk, door = hub_desk_door(laptops, branch)
    try:
        desk.event()
        desk.register_many(range(4))  # 9 changes: the event, 4 people, 4 registrations

        def counts() -> dict:
            rows = {r["device_id"]: (r["pending"], r["carried"]) for r in hub.status()["laptops"]}
            return {name: rows[m.store.device_id] for name, m in
                    (("hub", hub_laptop), ("desk", desk), ("door", door))}

        # Each laptop tells its counts with its next request for the relay (a round later).
        hub_round(desk, hub_laptop, door, desk, hub_laptop, door)
        # Own changes not yet at the branch, copies of the others' carried for the branch.
        assert counts() == {"hub": (0, 9), "desk": (9, 0), "door": (0, 9)}
        assert hub.status()["waiting_for_branch"] == 9
        person = door.store.scalar("SELECT id FROM people LIMIT 1")
        door.store.attendance.check_in(EVENT_ID, person)
        hub_round(door, desk, hub_laptop, door, desk, hub_laptop)
        assert counts() == {"hub": (0, 10), "desk": (9, 1), "door": (1, 9)}
        assert hub.status()["waiting_for_branch"] == 10
        door.sync()  # the door delivers everything; the others learn it at their own sync
        hub_round(door, door)
        assert counts()["door"] == (0, 0)
        desk.sync()
        hub_laptop.sync()
        hub_round(desk, hub_laptop, desk, hub_laptop)
        assert counts() == {"hub": (0, 0), "desk": (0, 0), "door": (0, 0)}
        assert hub.status()["waiting_for_branch"] == 0
    finally:
        hub.stop()
