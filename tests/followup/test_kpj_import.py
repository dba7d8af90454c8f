"""`bpjs-field kpj import`: KPJ numbers from the branch's CSV or XLSX, matched by NIK; a row
matching nobody or two registrations is reported, never guessed; importing again changes
nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from bpjs_field.domain.followup import KPJ, PAID
from bpjs_field.reporting.kpj_import import import_kpj
from branch import TODAY, fill_branch, kpj_of, nik, register
from harness import run_cli


def write_csv(path, rows, header=("NIK", "No. KPJ", "Kode Bayar", "Tanggal Bayar", "Bulan")):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def branch(store, event):
    regs = fill_branch(store, event["id"])
    # Person 9 registered in two segments: a row without a segment cannot choose.
    regs[9] = register(store, event["id"], 9, segment="bpu")
    register(store, event["id"], 9, segment="pu", check_in=False)
    return regs


def test_matches_misses_ambiguous_and_reimport(store, branch, tmp_path):
    rows = [
        (nik(1), kpj_of(1), "", "", ""),                     # updated: KPJ
        (nik(2), kpj_of(2), "8888890000000002", "2026-11-29", "3"),  # updated: paid
        (nik(3), kpj_of(3), "", "", ""),                     # unchanged: already this KPJ
        (nik(7), "9999999999", "", "", ""),                  # invalid: 10 digits
        (nik(50), kpj_of(50), "", "", ""),                   # no_match: nobody with this NIK
        (nik(9), kpj_of(9), "", "", ""),                     # ambiguous: two registrations
        (nik(7), kpj_of(3), "", "", ""),                     # conflict: KPJ of person 3
        (nik(6), kpj_of(60), "", "", ""),                    # conflict: has another KPJ
        (nik(8), kpj_of(8), "", "", ""),                     # no_match: stopped
    ]
    path = write_csv(tmp_path / "kpj.csv", rows)
    result = import_kpj(store, path, today=TODAY)
    assert [line[2] for line in result.lines] == [
        "updated", "updated", "unchanged", "invalid", "no_match", "ambiguous", "conflict",
        "conflict", "no_match"]
    one, two = store.registrations.get(branch[1]["id"]), store.registrations.get(branch[2]["id"])
    assert (one["status"], one["kpj_no"]) == (KPJ, kpj_of(1))
    assert (two["status"], two["kpj_no"], two["first_paid_at"], two["first_paid_months"],
            two["payment_code"]) == (PAID, kpj_of(2), "2026-11-29", 3, "8888890000000002")
    assert store.registrations.get(branch[7]["id"])["kpj_no"] is None
    assert store.registrations.get(branch[6]["id"])["kpj_no"] == kpj_of(6)
    assert all(r["kpj_no"] is None for r in store.registrations.for_person(branch[9]["person_id"]))
    # The NIKs in the report are masked.
    assert all(line[1] == "" or "******" in line[1] for line in result.lines)
    pending = store.pending_changes()
    again = import_kpj(store, path, today=TODAY)
    assert again.counts["updated"] == 0 and again.counts["unchanged"] == 3
    assert store.pending_changes() == pending  # nothing new to sync
    audits = store.query("SELECT details FROM audit_log WHERE action = 'followup.kpj_import'")
    assert [json.loads(a["details"])["updated"] for a in audits] == [2, 0]


def test_a_nik_with_two_kpj_numbers_in_the_file_is_not_guessed(store, branch, tmp_path):
    path = write_csv(tmp_path / "kpj.csv", [(nik(1), kpj_of(1), "", "", ""),
                                            (nik(1), kpj_of(11), "", "", "")])
    result = import_kpj(store, path, today=TODAY)
    assert result.counts["ambiguous"] == 2
    assert store.registrations.get(branch[1]["id"])["kpj_no"] is None


def test_segment_column_chooses_and_xlsx_reads_text_and_cut_numbers(store, branch, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["NIK", "KPJ", "Segmen"])
    sheet.append([nik(9), kpj_of(9), "PU"])          # NIK as text: matched, segment chooses
    sheet.append([int(nik(1)) // 10 * 10 // 10, kpj_of(1), ""])  # a NIK Excel cut: refused
    sheet.append([nik(4), int(kpj_of(4)), ""])       # KPJ stored as a number: fine
    book.save(tmp_path / "kpj.xlsx")
    result = import_kpj(store, tmp_path / "kpj.xlsx", today=TODAY)
    assert [line[2] for line in result.lines] == ["updated", "invalid", "unchanged"]
    pu = [r for r in store.registrations.for_person(branch[9]["person_id"]) if r["segment"] == "pu"]
    assert pu[0]["kpj_no"] == kpj_of(9)


def test_cli_report_and_exit_codes(db_path, store, branch, tmp_path):
    store.close()
    path = write_csv(tmp_path / "kpj.csv", [(nik(1), kpj_of(1), "", "", ""),
                                            (nik(50), kpj_of(50), "", "", "")])
    report = tmp_path / "hasil.csv"
    done = run_cli("kpj", "import", str(path), "--report", str(report), db=db_path)
    assert done.returncode == 1, done.stderr  # ran; one row not applied
    assert "1 dicatat" in done.stdout and "1 tidak cocok" in done.stdout
    lines = list(csv.reader(report.open(encoding="utf-8-sig")))
    assert lines[0] == ["baris", "nik", "hasil", "keterangan"]
    assert [l[2] for l in lines[1:]] == ["updated", "no_match"]
    assert nik(50) not in report.read_text(encoding="utf-8-sig")
    missing = run_cli("kpj", "import", str(tmp_path / "nope.csv"), db=db_path)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    bad = write_csv(tmp_path / "bad.csv", [("x",)], header=("nama",))
    wrong = run_cli("kpj", "import", str(bad), "--report", str(report), db=db_path)
    assert wrong.returncode == 2 and "NIK" in wrong.stderr
    folder = run_cli("kpj", "import", str(path), "--report", str(tmp_path), db=db_path)
    assert folder.returncode == 2 and len(folder.stderr.strip().splitlines()) == 1


def test_cli_report_goes_beside_the_file(db_path, store, branch, tmp_path):
    """Without --report the result list is written next to the branch's file, not into the
    folder the command ran in."""
    import os
    import subprocess
    import sys
    store.close()
    folder = tmp_path / "dari cabang"
    folder.mkdir()
    path = write_csv(folder / "kpj.csv", [(nik(1), kpj_of(1), "", "", "")])
    elsewhere = tmp_path / "terminal"
    elsewhere.mkdir()
    done = subprocess.run([sys.executable, "-m", "bpjs_field", "--db", str(db_path), "kpj",
                           "import", str(path)], capture_output=True, text=True, cwd=elsewhere,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
                          timeout=60)
    assert done.returncode == 0, done.stderr
    lines = list(csv.reader((folder / "kpj-hasil-kpj.csv").open(encoding="utf-8-sig")))
    assert [l[2] for l in lines[1:]] == ["updated"]
    assert list(elsewhere.iterdir()) == []
