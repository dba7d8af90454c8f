"""The command line's files, run as the real program: no database with personal data is
created in the clear, and a bad `--out`, `--report` or `--template` is one line with exit
code 2 before any work is done (no row saved, no print logged)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from import_helpers import row, write_csv

from bpjs_field import outputs
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.errors import BpjsFieldError
from bpjs_field.store import Store

PASSWORD = "rahasia-laptop-1"


def run(db, *args, stdin=None, cwd=None, employee=None):
    env = dict(os.environ, BPJS_FIELD_DB=str(db), PYTHONIOENCODING="utf-8")
    if employee:
        env["BPJS_FIELD_EMPLOYEE_NO"] = employee
    return subprocess.run([sys.executable, "-m", "bpjs_field", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, input=stdin, timeout=120)


def one_line(result, code=2):
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


@pytest.mark.parametrize("command", [("import", "{csv}"), ("search", "Siti"), ("stats",),
                                     ("sync",), ("doctor",)])
def test_no_command_creates_a_plain_database(tmp_path, command):
    source = write_csv(tmp_path / "mitra.csv", [row(1)])
    db = tmp_path / "baru" / "laptop.sqlite3"
    result = run(db, *[a.format(csv=source) for a in command], cwd=tmp_path)
    message = one_line(result)
    assert "belum disiapkan" in message and "security init" in message
    assert not db.exists() and not db.with_name(db.name + ".keys.json").exists()


def test_a_set_up_laptop_imports_into_its_encrypted_database(tmp_path):
    db = tmp_path / "laptop.sqlite3"
    made = run(db, "security", "init", "--employee-no", "KC-0421", "--full-name", "Siti Rahmawati",
               "--branch", "KC Bekasi Cikarang", "--password-stdin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert made.returncode == 0, made.stderr
    source = write_csv(tmp_path / "mitra.csv", [row(i) for i in range(40)])
    done = run(db, "import", str(source), stdin=f"{PASSWORD}\n", employee="KC-0421", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "40 disimpan" in done.stdout
    files = [p for p in tmp_path.iterdir() if p.name.startswith("laptop.sqlite3")
             and not p.name.endswith(".json")]
    data = b"".join(p.read_bytes() for p in files)
    assert not data.startswith(b"SQLite format 3")
    assert row(3)["nik"].encode() not in data and b"Ujang Supriatna" not in data


@pytest.fixture
def laptop(tmp_path):
    """A plain database (as made before encryption) holding one registration."""
    db = tmp_path / "laptop.sqlite3"
    with Store.open(db) as store:
        result = store.registrations.register(RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Siti Aminah", nik="3216094508900003"),
            consent_given=True, consent_version="v", declared_income=1_000_000, occupation="ojek"))
    return db, result.registration["code"]


def bad_paths(tmp_path: Path) -> dict[str, str]:
    if os.geteuid() == 0:  # root writes through file permissions; sysfs refuses new files
        read_only = "/sys/kernel/laporan.csv"
    else:
        locked = tmp_path / "terkunci"
        locked.mkdir()
        locked.chmod(0o500)
        read_only = str(locked / "laporan.csv")
    return {"a folder": str(tmp_path), "read-only folder": read_only,
            "name too long": str(tmp_path / ("a" * 300 + ".csv")),
            "not a file (a full device)": "/dev/full",
            "missing folder": str(tmp_path / "tidak-ada" / "laporan.csv")}


@pytest.mark.parametrize("kind", ["a folder", "read-only folder", "name too long",
                                  "not a file (a full device)", "missing folder"])
def test_a_bad_report_path_is_refused_before_any_row_is_saved(tmp_path, laptop, kind):
    db, _code = laptop
    target = bad_paths(tmp_path)[kind]
    source = write_csv(tmp_path / "mitra.csv", [row(i) for i in range(5)])
    message = one_line(run(db, "import", str(source), "--report", target, cwd=tmp_path))
    assert "--report" in message and "Tidak ada yang dikerjakan" in message
    with Store.open(db) as store:
        assert store.scalar("SELECT count(*) FROM people") == 1  # the five rows were not saved
    template = one_line(run(db, "import", "--template", target, cwd=tmp_path))
    assert "--template" in template


@pytest.mark.parametrize("kind", ["a folder", "read-only folder", "name too long",
                                  "not a file (a full device)"])
def test_a_bad_out_path_is_refused_before_the_pdf_is_made_or_logged(tmp_path, laptop, kind):
    db, code = laptop
    target = bad_paths(tmp_path)[kind].replace(".csv", ".pdf")
    message = one_line(run(db, "receipt", code, "--out", target))
    assert "--out" in message
    assert one_line(run(db, "brochure", "jkk", "--out", target))
    with Store.open(db) as store:
        assert store.scalar("SELECT count(*) FROM print_log") == 0


def test_a_good_out_path_in_a_new_folder_still_works(tmp_path, laptop):
    db, code = laptop
    target = tmp_path / "cetak" / "tanda-terima.pdf"
    done = run(db, "receipt", code, "--out", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")


def test_a_write_that_fails_midway_is_one_clear_error_and_leaves_nothing(tmp_path):
    # /dev/full answers every write with ENOSPC, as a disk that fills up meanwhile would.
    with pytest.raises(OSError) as failed:
        with open("/dev/full", "wb") as fh:
            fh.write(b"baris" * 10_000)
            fh.flush()
    error = outputs.write_failed("/dev/full", failed.value, option="--report")
    assert isinstance(error, BpjsFieldError) and "disk penuh" in error.message()
    assert Path("/dev/full").exists()  # not a file of ours: left alone
    partial = tmp_path / "laporan.csv"
    partial.write_text("baris,kolom\n1,")
    outputs.write_failed(partial, failed.value)
    assert not partial.exists()


def test_checking_a_path_leaves_no_file_and_keeps_an_existing_one(tmp_path):
    fresh = tmp_path / "baru.csv"
    assert outputs.check_output(fresh) == fresh and not fresh.exists()
    kept = tmp_path / "lama.csv"
    kept.write_text("isi lama")
    outputs.check_output(kept)
    assert kept.read_text() == "isi lama"


def test_an_interrupted_import_still_writes_its_report_and_counts(tmp_path, laptop):
    import csv
    import signal
    import time
    db, _code = laptop
    source = write_csv(tmp_path / "besar.csv", [row(i) for i in range(60_000)])
    report_path = tmp_path / "laporan.csv"
    env = dict(os.environ, BPJS_FIELD_DB=str(db), PYTHONIOENCODING="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "bpjs_field", "import", str(source),
                                "--report", str(report_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    with Store.open(db) as store:  # interrupted once the first rows are in
        while store.scalar("SELECT count(*) FROM registrations") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    if process.returncode in (0, 1):
        pytest.skip("the import finished before it could be interrupted")
    assert process.returncode == 130, err
    assert "Traceback" not in err and "dihentikan" in err
    with open(report_path, encoding="utf-8-sig") as fh:
        unsaved = {r["baris"] for r in csv.DictReader(fh) if r["kode"] == "import.not_saved"}
    with Store.open(db) as store:
        saved = store.scalar("SELECT count(*) FROM registrations") - 1
    assert f"{saved} disimpan" in out
    assert saved + len(unsaved) == 60_000 and unsaved
