"""The command line, run as a separate process as an officer or IT person would."""

import csv
import json
import os
import subprocess
import sys

import pytest


def run(db, *args, cwd=None):
    env = dict(os.environ, BPJS_FIELD_DB=str(db), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "bpjs_field", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    result = run(db, "demo", "--participants", "400")
    assert result.returncode == 0, result.stderr
    return db


def test_stats_json_counts(demo_db):
    stats = json.loads(run(demo_db, "stats", "--json").stdout)
    assert stats["people"] == 400 and stats["registrations"] == 400
    assert sum(stats["registrations_by_segment"].values()) == 400
    assert stats["pending_changes"] >= 0


def test_search_masks_nik_unless_full(demo_db):
    import sqlite3
    nik, name = sqlite3.connect(demo_db).execute(
        "SELECT nik, full_name FROM people WHERE nik IS NOT NULL LIMIT 1").fetchone()
    masked = run(demo_db, "search", nik, "--json")
    hits = json.loads(masked.stdout)
    assert hits[0]["name"] == name and hits[0]["nik"] == nik[:6] + "******" + nik[12:]
    assert nik not in masked.stdout
    full = json.loads(run(demo_db, "search", nik, "--json", "--full").stdout)
    assert full[0]["nik"] == nik
    assert len(hits[0]["codes"]) == 1 and len(hits[0]["codes"][0]) == 11


def plain_database(path):
    """A database made before encryption (the command line creates none in the clear)."""
    from bpjs_field.store import Store
    Store.open(path).close()
    return path


def test_import_template_report_and_idempotence(tmp_path):
    db = plain_database(tmp_path / "import.sqlite3")
    template = tmp_path / "templat.csv"
    assert run(db, "import", "--template", str(template)).returncode == 0
    with open(template, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    good = dict(rows[0])
    second = dict(good, nama="Ujang Supriatna", nik="3216091205880004", jenis_kelamin="L",
                  tanggal_lahir="", telepon="0857-1234-5678")
    bad = dict(good, nama="Ba9us", nik="3216093202880005", telepon="021-555", penghasilan="900.000")
    tka = {k: "" for k in good} | {"nama": "Wang Wei", "segmen": "tka", "persetujuan": "ya", "paspor": "E1234567",
                                   "kewarganegaraan": "CN", "kitas": "2C11AB1234", "kitas_berlaku": "31-12-2030",
                                   "upah": "15.000.000", "kelas_risiko": "3", "pemberi_kerja": "PT Baja",
                                   "skala_usaha": "besar"}
    no_consent = dict(second, nik="3216091205880006", persetujuan="tidak")
    source = tmp_path / "koperasi.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(good), delimiter=";")
        writer.writeheader()
        for row in (good, second, bad, tka, no_consent):
            writer.writerow(row)
    first = run(db, "import", str(source), cwd=tmp_path)
    assert first.returncode == 1  # some rows were rejected
    assert "3 disimpan" in first.stdout and "2 ditolak" in first.stdout
    with open(tmp_path / "koperasi-laporan.csv", encoding="utf-8-sig") as fh:
        report = list(csv.DictReader(fh))
    by_line = {(r["baris"], r["kolom"]) for r in report}
    assert {("4", "nama"), ("4", "nik"), ("4", "telepon"), ("4", "penghasilan"), ("6", "persetujuan")} <= by_line
    again = run(db, "import", str(source), cwd=tmp_path)
    assert "0 disimpan" in again.stdout and "3 sudah ada" in again.stdout
    stats = json.loads(run(db, "stats", "--json").stdout)
    assert stats["people"] == 3 and stats["registrations"] == 3


@pytest.mark.parametrize("args, words", [
    (("import", "tidak-ada.csv"), "tidak ditemukan"),
    (("--db", "/proc/tidak/ada.sqlite3", "stats"), "belum ada"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, words):
    result = run(tmp_path / "x.sqlite3", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_import_refuses_a_file_without_required_columns(tmp_path):
    source = tmp_path / "salah.csv"
    source.write_text("name,id\nBudi,1\n", encoding="utf-8")
    result = run(tmp_path / "x.sqlite3", "import", str(source), cwd=tmp_path)
    assert result.returncode == 2 and "nama" in result.stderr and "Traceback" not in result.stderr


def test_import_refuses_a_non_utf8_file(tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes("nama,segmen,persetujuan,nik\nJos\xe9,bpu,ya,3216091205900001\n".encode("latin-1"))
    result = run(tmp_path / "x.sqlite3", "import", str(source), cwd=tmp_path)
    assert result.returncode == 2 and "UTF-8" in result.stderr


def test_usb_export_and_import_between_laptops(tmp_path):
    a, b = plain_database(tmp_path / "a.sqlite3"), plain_database(tmp_path / "b.sqlite3")
    template = tmp_path / "t.csv"
    assert run(a, "import", "--template", str(template)).returncode == 0
    assert run(a, "import", str(template), cwd=tmp_path).returncode == 0
    usb = tmp_path / "usb.bpjsf"

    def with_passphrase(db, *args, passphrase="rahasia-usb-1"):
        env = dict(os.environ, BPJS_FIELD_DB=str(db))
        return subprocess.run([sys.executable, "-m", "bpjs_field", *args, "--passphrase-stdin"],
                              input=passphrase + "\n", capture_output=True, text=True, env=env, timeout=120)

    exported = with_passphrase(a, "export-usb", str(usb))
    assert exported.returncode == 0 and "terenkripsi" in exported.stdout
    assert b"Siti" not in usb.read_bytes()  # the names are not readable in the file
    wrong = with_passphrase(b, "import-usb", str(usb), passphrase="bukan-sandinya")
    assert wrong.returncode == 2 and "salah" in wrong.stderr and "Traceback" not in wrong.stderr
    imported = with_passphrase(b, "import-usb", str(usb))
    assert imported.returncode == 0, imported.stderr
    hits = json.loads(run(b, "search", "Siti Aminah", "--json").stdout)
    assert hits and hits[0]["name"] == "Siti Aminah"


def test_selftest_leaves_nothing_behind_unless_asked_to_keep(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "bpjs_field", "selftest"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("  ok    ") == 3 and "GAGAL" not in done.stdout
    assert list(scratch.iterdir()) == []  # its database and receipts went with its folder
    kept = tmp_path / "kept"
    done = subprocess.run([sys.executable, "-m", "bpjs_field", "selftest", "--keep", str(kept)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {"selftest.sqlite3", "receipt.pdf", "receipt.escpos"} <= {p.name for p in kept.iterdir()}
    assert list(scratch.iterdir()) == []


def test_import_writes_its_report_beside_the_file_not_in_the_working_folder(tmp_path):
    """README: rows refused are reported in `FILE-laporan.csv`, next to the partner's file,
    whichever folder the command runs in (a shortcut's or a terminal's)."""
    db = plain_database(tmp_path / "import.sqlite3")
    template = tmp_path / "templat.csv"
    assert run(db, "import", "--template", str(template)).returncode == 0
    with open(template, encoding="utf-8-sig") as fh:
        good = dict(next(csv.DictReader(fh)))
    partner = tmp_path / "dari mitra"
    partner.mkdir()
    source = partner / "mitra.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(good), delimiter=";")
        writer.writeheader()
        writer.writerow(good)
        writer.writerow(dict(good, nama="Ba9us", nik="3216093202880005"))
    elsewhere = tmp_path / "terminal"
    elsewhere.mkdir()
    done = run(db, "import", str(source), cwd=elsewhere)
    assert done.returncode == 1, done.stderr
    report = partner / "mitra-laporan.csv"
    assert str(report) in done.stdout
    with open(report, encoding="utf-8-sig") as fh:
        assert ("3", "nama") in {(r["baris"], r["kolom"]) for r in csv.DictReader(fh)}
    assert list(elsewhere.iterdir()) == []
    # --report still goes where it is told.
    chosen = tmp_path / "laporan-saya.csv"
    again = run(db, "import", str(source), "--report", str(chosen), cwd=elsewhere)
    assert again.returncode == 1 and chosen.exists() and list(elsewhere.iterdir()) == []
