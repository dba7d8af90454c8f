"""Hostile partner files: formulas, control characters, huge cells, SQL and FTS syntax, broken
encodings and odd file names are refused row by row or stored as plain text; nothing is
corrupted and the report cannot run a formula in a spreadsheet."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from bpjs_field import importer
from bpjs_field.store import Store

HEADER = ["nama", "segmen", "persetujuan", "nik", "telepon", "penghasilan", "pekerjaan", "alamat"]
GOOD = ["Siti Aminah", "bpu", "ya", "3216094508900003", "0812-3456-7890", "1500000", "pedagang",
        "Kp. Pulo"]


def rows():
    hostile = [
        ["=cmd|' /C calc'!A0", "bpu", "ya", "3216091205900001", "", "1000000", "", ""],
        ["Budi", "bpu", "ya", "=1+1", "", "1000000", "", ""],
        ["Budi\x00Santoso", "bpu", "ya", "3216091205900002", "", "1000000", "", ""],
        ["Robert'); DROP TABLE people;--", "bpu", "ya", "3216091205900003", "", "1000000", "", ""],
        ["Ayu", "bpu", "ya", "3216094508900004", "", "1000000", "@SUM(1)", ""],
        ["Ayu", "bpu'; --", "ya", "3216094508900005", "", "1000000", "", ""],
        ["A" * 5000, "bpu", "ya", "3216091205900006", "", "1000000", "", ""],
        ["Dewi", "bpu", "ya", "3216094508900007", "", "1e9", "", ""],
        ["Dewi", "bpu", "ya", "3216094508900008", "", "-1000000", "", ""],
        # plain text that only looks like syntax is fine: stored as written
        ["Nur NEAR Ayu", "bpu", "ya", "3216094508900009", "", "1000000", "", 'Jl. "AND" OR * (RT 1)'],
    ]
    return [GOOD, *hostile]


def test_hostile_rows_are_refused_one_by_one(tmp_path, db_path):
    source = tmp_path / "mitra.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows())
    with Store.open(db_path) as store:
        report = importer.import_csv(store, source, consent_version="v")
        assert report.saved == 2 and report.rejected == 9
        assert store.integrity_check() == "ok"
        assert {r["full_name"] for r in store.query("SELECT full_name FROM people")} == {
            "Siti Aminah", "Nur NEAR Ayu"}
        assert store.query_one("SELECT address FROM people WHERE full_name = 'Nur NEAR Ayu'")[
            "address"] == 'Jl. "AND" OR * (RT 1)'
        assert [h["full_name"] for h in store.search_index.search("near")] == ["Nur NEAR Ayu"]
    out = tmp_path / "laporan.csv"
    importer.write_report(report, out)
    with open(out, encoding="utf-8-sig") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert cells and not any(cell[:1] in "=+-@" for cell in cells if cell)
    lines = {int(p[0]) for p in report.problems}
    assert lines == set(range(3, 12))  # every hostile row is named by its line


@pytest.mark.parametrize("name", ["../../../etc/passwd", "laporan\nbaru.csv", "/proc/self/mem", "."])
def test_odd_file_names_are_clear_errors(tmp_path, name):
    env = dict(os.environ, BPJS_FIELD_DB=str(tmp_path / "x.sqlite3"))
    result = subprocess.run([sys.executable, "-m", "bpjs_field", "import", name], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
