"""`bpjs-field conflicts` and `bpjs-field conflicts resolve`, run as the real program against a
real server: list (masked, JSON), decide, a repeat refused on one line, an officer refused
on the server and, when logged in on an encrypted laptop, in the core (audited)."""

from __future__ import annotations

import json

import httpx

from bpjs_field.security import session
from bpjs_field.sync.engine import enroll
from harness import E164_A, PASSWORD, phone_conflict, run_cli

FAST_KDF = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}


def test_list_and_resolve_from_the_command_line(server, laptops):
    a, b, s, person_id = phone_conflict(laptops, server.url, 9500)
    name = s.store.people.get(person_id)["full_name"]
    listed = run_cli("conflicts", db=s.path)
    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    conflict_id, who, field, current, other = line.split("\t")[:5]
    assert (who, field, current, other) == (name, "phone", "0857-****-4444", "0857-****-2222")
    (row,) = json.loads(run_cli("conflicts", "--json", db=s.path).stdout)
    assert row["id"] == int(conflict_id) and row["entity_id"] == person_id
    done = run_cli("conflicts", "resolve", conflict_id, "--use-other", db=s.path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"resolved\t{conflict_id}\tuse_other\tsettled={conflict_id}"
    again = run_cli("conflicts", "resolve", conflict_id, "--keep", db=s.path)
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1
    assert "sudah diputuskan" in again.stderr
    a.sync()
    assert a.store.people.get(person_id)["phone"] == E164_A
    empty = run_cli("conflicts", db=s.path)
    assert empty.returncode == 0 and empty.stdout == "" and "Tidak ada konflik" in empty.stderr
    again_enrolled = run_cli("enroll", "--server", server.url, "--employee-no", "KC-0430",
                             "--password-stdin", stdin=f"{PASSWORD}\n", db=a.path)
    assert again_enrolled.returncode == 0, again_enrolled.stderr  # an officer's laptop now
    officer = run_cli("conflicts", db=a.path)
    assert officer.returncode == 2 and len(officer.stderr.strip().splitlines()) == 1
    assert "laptop supervisor" in officer.stderr
    missing = run_cli("conflicts", "resolve", "5", db=s.path)  # neither --keep nor --use-other
    assert missing.returncode == 2


def test_an_officer_logged_in_on_an_encrypted_laptop_is_refused(tmp_path, server):
    path = tmp_path / "secure.sqlite3"
    store = session.create_protected(path, employee_no="SPV-01", full_name="Petugas Supervisor",
                                     branch="Kantor Cabang Cilegon", password="rahasia-supervisor",
                                     kdf=FAST_KDF)
    session.add_account(store, employee_no="KC-0500", full_name="Budi Santoso", branch=None,
                        role="officer", password="rahasia-petugas")
    with httpx.Client() as http:
        enroll(store, http, server.url, "SPV-01", PASSWORD)  # a supervisor's laptop on the server
    store.close()
    officer = run_cli("conflicts", db=path, stdin="rahasia-petugas\n",
                      env={"BPJS_FIELD_EMPLOYEE_NO": "KC-0500"})
    assert officer.returncode == 2 and len(officer.stderr.strip().splitlines()) == 1
    assert "Hanya supervisor" in officer.stderr
    supervisor = run_cli("conflicts", db=path, stdin="rahasia-supervisor\n",
                         env={"BPJS_FIELD_EMPLOYEE_NO": "SPV-01"})
    assert supervisor.returncode == 0 and "Tidak ada konflik" in supervisor.stderr
    store = session.unlock(path, "SPV-01", "rahasia-supervisor")
    try:
        rows = store.query("SELECT action, details FROM audit_log WHERE action IN "
                           "('denied', 'conflicts.view') ORDER BY id")
    finally:
        store.close()
    assert [r["action"] for r in rows] == ["denied", "conflicts.view"]
    assert json.loads(rows[0]["details"]) == {"attempted": "conflicts", "role": "officer"}
