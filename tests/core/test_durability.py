"""Nothing typed is lost: a process killed mid-write leaves a consistent database, and a
full disk gives a clear error while everything already saved stays."""

import json
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from bpjs_field import PersonInput, RegistrationInput, StorageFullError, Store

WRITER = textwrap.dedent("""
    import sys
    from bpjs_field import PersonInput, RegistrationInput, Store
    store = Store.open(sys.argv[1])
    start = int(sys.argv[2])
    for n in range(start, start + 100000):
        form = RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Peserta Uji",
                                              nik=f"32160912055{n // 9999:01d}{n % 9999 + 1:04d}"),
            consent_given=True, consent_version="t", declared_income=1_000_000)
        store.registrations.register(form)
        print(n, flush=True)
""")


def consistent(store: Store) -> dict:
    assert store.integrity_check() == "ok"
    people = store.scalar("SELECT count(*) FROM people")
    regs = store.scalar("SELECT count(*) FROM registrations")
    assert people == regs  # one new person per registration in this workload
    orphans = store.scalar("SELECT count(*) FROM registrations r LEFT JOIN people p ON p.id = r.person_id "
                           "WHERE p.id IS NULL")
    assert orphans == 0
    logged = {r["entity_id"] for r in store.query("SELECT entity_id FROM change_log WHERE entity = 'registration'")}
    assert logged == {r["id"] for r in store.query("SELECT id FROM registrations")}
    audited = store.scalar("SELECT count(*) FROM audit_log WHERE action = 'registration.create'")
    assert audited == regs
    indexed = store.scalar("SELECT count(*) FROM people_fts WHERE codes != ''")
    assert indexed == regs
    assert store.scalar("PRAGMA foreign_key_check") is None
    return {"people": people, "registrations": regs}


@pytest.mark.slow
def test_killed_mid_write_leaves_no_half_saved_registration(db_path, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(11)
    start, before = 0, 0
    for _ in range(4):
        child = subprocess.Popen([sys.executable, str(script), str(db_path), str(start)],
                                 stdout=subprocess.PIPE, text=True)
        acknowledged = 0
        deadline = time.monotonic() + 60
        target = rng.randint(20, 60)
        while acknowledged < target and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            acknowledged += 1
        time.sleep(rng.random() * 0.05)  # land somewhere inside a later transaction
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        with Store.open(db_path) as store:
            counts = consistent(store)
        assert counts["registrations"] >= before + acknowledged  # every acknowledged save is there
        before = counts["registrations"]
        start += 2000


def test_full_disk_is_a_clear_error_and_loses_nothing(store):
    def form(n):
        return RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Peserta Penuh " + "x" * 60,
                                              nik=f"321609120590{n:04d}", address="Jl. " + "y" * 250),
            consent_given=True, consent_version="t", declared_income=1_000_000)

    for n in range(1, 6):
        store.registrations.register(form(n))
    pages = store.scalar("PRAGMA page_count")
    store.db.execute(f"PRAGMA max_page_count = {pages + 3}")
    saved = 5
    with pytest.raises(StorageFullError) as err:
        for n in range(6, 500):
            store.registrations.register(form(n))
            saved += 1
    assert "Disk penuh" in err.value.message() and "aman" in err.value.message()
    assert consistent(store)["registrations"] == saved
    store.db.execute("PRAGMA max_page_count = 1073741823")
    store.registrations.register(form(900))  # space freed: saving works again
    assert consistent(store)["registrations"] == saved + 1
