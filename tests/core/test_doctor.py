"""`bpjs-field doctor` reports each check with what to do."""

import os
import subprocess
import sys

from bpjs_field import backup, doctor


def test_findings_change_with_the_state(store, monkeypatch):
    by_check = {f.check: f for f in doctor.run_checks(store)}
    assert by_check["basis data"].level == doctor.OK
    assert by_check["cadangan"].level == doctor.WARNING and "bpjs-field backup" in by_check["cadangan"].fix
    backup.create_backup(store)
    monkeypatch.setattr(doctor, "LOW_DISK", 1 << 60)
    by_check = {f.check: f for f in doctor.run_checks(store)}
    assert by_check["cadangan"].level == doctor.OK
    assert by_check["ruang disk"].level == doctor.WARNING


def test_a_broken_check_does_not_hide_the_others(store):
    def broken(_store):
        raise RuntimeError("boom")

    findings = doctor.run_checks(store, extra=[broken])
    assert findings[-1].check == "broken" and findings[-1].level == doctor.WARNING
    assert len(findings) == len(doctor.CHECKS) + 1


def test_cli_doctor_exit_code(tmp_path):
    from bpjs_field.store import Store
    Store.open(tmp_path / "d.sqlite3").close()  # the command line creates no database itself
    env = dict(os.environ, BPJS_FIELD_DB=str(tmp_path / "d.sqlite3"), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "bpjs_field", "doctor"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "basis data" in result.stdout and "printer" in result.stdout
