"""The command line end to end: `server-officer`, `enroll`, `sync`, `revoke-device`, run as
the real `bpjs-field` program against a real server process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness import PASSWORD, ROOT, Laptop, ServerProcess
from harness import run_cli as run


def test_officer_enroll_sync_revoke_from_the_command_line(tmp_path, server_url_db):
    url = server_url_db
    added = run("server-officer", "add", "--database-url", url, "--employee-no", "KC-0999",
                "--name", "Rina Maharani", "--branch", "KC Bekasi", "--role", "officer",
                "--password-stdin", stdin="kata-sandi-rina\n")
    assert added.returncode == 0, added.stderr
    short = run("server-officer", "add", "--database-url", url, "--employee-no", "KC-0998",
                "--name", "Tuti", "--branch", "KC", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "minimal 12" in short.stderr
    server = ServerProcess(url).start()
    try:
        db = tmp_path / "laptop.sqlite3"
        laptop = Laptop(db)
        laptop.event()
        laptop.register_many(range(30), check_in=True)
        pending = laptop.store.pending_changes()
        laptop.close()
        wrong = run("enroll", "--server", server.url, "--employee-no", "KC-0999",
                    "--password-stdin", stdin="salah-salah\n", db=db)
        assert wrong.returncode == 2 and "salah" in wrong.stderr
        enrolled = run("enroll", "--server", server.url, "--employee-no", "KC-0999",
                       "--password-stdin", stdin="kata-sandi-rina\n", db=db)
        assert enrolled.returncode == 0, enrolled.stderr
        synced = run("sync", db=db)
        assert synced.returncode == 0, synced.stderr
        assert f"pushed={pending}" in synced.stdout and "pending=0" in synced.stdout
        devices = run("server-device", "list", "--database-url", url)
        device_id = devices.stdout.split("\t")[0]
        assert "KC-0999" in devices.stdout and "aktif" in devices.stdout
        assert run("revoke-device", "--database-url", url, device_id).returncode == 0
        refused = run("sync", db=db)
        assert refused.returncode == 2
        assert "dicabut" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    finally:
        server.kill()
        server.stop()


def test_sync_without_server_fails_plainly(tmp_path):
    db = tmp_path / "laptop.sqlite3"
    Laptop(db).close()
    done = run("sync", db=db)
    assert done.returncode == 2
    assert "enroll" in done.stderr
    unreachable = run("sync", "--server", "http://127.0.0.1:9", db=db)
    assert unreachable.returncode == 2


@pytest.mark.parametrize("threads", [2])
def test_only_one_sync_at_a_time(server, laptops, threads):
    import threading

    from bpjs_field.sync.client import SyncError
    from bpjs_field.sync.engine import SyncEngine, SyncLock
    from bpjs_field.store import Store
    (laptop,) = laptops(1)
    laptop.enroll(server.url, "KC-0421")
    other = Store.open(laptop.path)  # a second connection, as the GUI's sync thread has
    try:
        with SyncLock(laptop.store):
            with pytest.raises(SyncError) as busy:
                SyncEngine(other, laptop.http).run()
            assert busy.value.code == "sync.busy"
            # Another process is refused too (the lock is an OS file lock).
            code = ("import sys; sys.path.insert(0, %r); from bpjs_field.store import Store; "
                    "from bpjs_field.sync.engine import SyncEngine, new_http_client\n"
                    "try:\n SyncEngine(Store.open(%r), new_http_client()).run()\n"
                    "except Exception as e:\n print(e.code)") % (str(ROOT), str(laptop.path))
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 timeout=60)
            assert out.stdout.strip() == "sync.busy", out.stderr
        assert SyncEngine(other, laptop.http).run().finished_at
        results: list = []
        workers = [threading.Thread(target=lambda: results.append(_try(laptop))) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert all(r in ("ok", "sync.busy") for r in results) and "ok" in results
    finally:
        other.close()


def _try(laptop) -> str:
    from bpjs_field.store import Store
    from bpjs_field.sync.client import SyncError
    from bpjs_field.sync.engine import SyncEngine, new_http_client
    store = Store.open(laptop.path)
    try:
        with new_http_client() as http:
            SyncEngine(store, http).run()
        return "ok"
    except SyncError as exc:
        return exc.code
    finally:
        store.close()


def test_backoff_grows_with_jitter_and_connectivity_follows_requests():
    import random

    from bpjs_field.sync.backoff import Backoff, Connectivity
    backoff = Backoff(base=2, maximum=60, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(8)]
    for n, delay in enumerate(delays):
        ceiling = min(60, 2 * 2 ** n)
        assert ceiling / 2 <= delay <= ceiling
    assert len(set(delays)) == len(delays)  # jittered
    backoff.reset()
    assert backoff.next_delay() <= 2
    net = Connectivity()
    assert net.online and not net.known
    for ok in (False, False, False):
        net.record(ok)
    assert not net.online
    net.record(True)
    assert net.online


def test_sync_says_what_the_server_refused_and_retries_it_on_request(tmp_path, server):
    db = tmp_path / "laptop.sqlite3"
    laptop = Laptop(db)
    try:
        laptop.enroll(server.url, "KC-0421")
        laptop.register_many(range(5), event_id=None)
        with laptop.store.write():  # an entity id the protocol refuses
            laptop.store.record_change("person", "no such id", {"id": "no such id"})
        laptop.register_many(range(5, 10), event_id=None)
    finally:
        laptop.close()
    synced = run("sync", db=db)
    assert synced.returncode == 0, synced.stderr
    assert "pushed=20" in synced.stdout and "pending=1 refused=1" in synced.stdout
    assert "menolak 1 perubahan" in synced.stderr and "--retry-refused" in synced.stderr
    assert "1 × alasan server: 422 request.invalid; entity_id" in synced.stderr
    quiet = run("sync", db=db)
    assert "pushed=0" in quiet.stdout and "refused=1" in quiet.stdout
    retried = run("sync", "--retry-refused", db=db)
    assert retried.returncode == 0, retried.stderr
    assert "1 perubahan yang ditolak diantrekan lagi" in retried.stderr
    assert "pushed=0" in retried.stdout and "refused=1" in retried.stdout


def test_branch_it_changes_a_role_and_disables_an_account_from_the_command_line(server_url_db):
    url = server_url_db
    promoted = run("server-officer", "role", "--database-url", url, "--employee-no", "KC-0430",
                   "--role", "supervisor")
    assert promoted.returncode == 0, promoted.stderr
    assert promoted.stdout.strip() == "KC-0430\tsupervisor"
    disabled = run("server-officer", "disable", "--database-url", url, "--employee-no", "KC-0422")
    assert disabled.returncode == 0 and disabled.stdout.strip() == "KC-0422\tnonaktif"
    listed = run("server-officer", "list", "--database-url", url).stdout
    assert "KC-0430\tPetugas KC-0430\tKantor Cabang Bekasi Cikarang\tsupervisor\taktif" in listed
    assert "KC-0422\tPetugas KC-0422\tKantor Cabang Bekasi Cikarang\tsupervisor\tnonaktif" in listed
    enabled = run("server-officer", "enable", "--database-url", url, "--employee-no", "KC-0422")
    assert enabled.stdout.strip() == "KC-0422\taktif"
    unknown = run("server-officer", "disable", "--database-url", url, "--employee-no", "KC-9999")
    assert unknown.returncode == 2 and "KC-9999" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1


def test_a_training_database_never_enrols_syncs_or_joins(tmp_path, server):
    """Sample data never leave the LATIHAN database, on the command line as in the window."""
    from bpjs_field.demo import mark_training
    from bpjs_field.sync.engine import SERVER_URL, TOKEN

    db = tmp_path / "laptop-latihan.sqlite3"
    laptop = Laptop(db)
    laptop.event()
    laptop.register_many(range(3))
    mark_training(laptop.store)
    laptop.close()
    enrolled = run("enroll", "--server", server.url, "--employee-no", "KC-0421",
                   "--password-stdin", stdin=f"{PASSWORD}\n", db=db)
    assert enrolled.returncode == 2 and "LATIHAN" in enrolled.stderr
    # Even one that carries a branch address and token (copied, or enrolled by an older
    # version) sends nothing.
    laptop = Laptop(db)
    with laptop.store.write():
        laptop.store.set_setting(SERVER_URL, server.url)
        laptop.store.set_setting(TOKEN, "any-token")
    laptop.close()
    synced = run("sync", db=db)
    assert synced.returncode == 2 and "LATIHAN" in synced.stderr
    joined = run("join", "https://127.0.0.1:9/#k", db=db)
    assert joined.returncode == 2 and "LATIHAN" in joined.stderr
