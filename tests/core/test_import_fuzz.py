"""Property-based fuzz of the importer (hypothesis, a bounded number of files): whatever a
partner's file holds, the import ends without a traceback, every row is saved or
reported, nothing is half-applied, and importing the same file again saves nothing new."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_helpers import nik, row
from test_import import assert_whole

from bpjs_field import importer
from bpjs_field.errors import BpjsFieldError
from bpjs_field.store import Store

REQUIRED = [c for c, (required, _) in importer.COLUMNS.items() if required]
OPTIONAL = [c for c, (required, _) in importer.COLUMNS.items() if not required]
GOOD = {column: sorted({row(i).get(column, "") for i in range(6)} | {""}) for column in importer.COLUMNS}
GOOD["segmen"] = ["bpu", "pu", "asn", "tka", "BPU", ""]
GOOD["nik"] += [nik(7), nik(7)]  # the same person twice in a file
GOOD["upah"] = ["5.000.000", "Rp4.500.000", "0", "", "99999999999999999999999"]
GOOD["kitas_berlaku"] = ["31-12-2030", "2031-01-01", ""]
HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(1)", "+62", "-1", "3.21609E+15", "1e9", "\x00", "\u202e", "👩🏽‍🌾",
           "Robert'); DROP TABLE people;--", '"', "a\nb", "NEAR", "01-01-2099", "01-01-1800",
           "31-02-2000", "９９", "٣", "x" * 600, "9" * 400, " ", "ya", "tidak", "L", "PEREMPUAN",
           "32.16.09", "99.99.99", "Rp", "1.000.000,50", "\r", "\t="]


SAVED: list[int] = []


def cell(column: str):
    return st.one_of(st.sampled_from(GOOD.get(column) or [""]), st.sampled_from(HOSTILE),
                     st.text(max_size=24))


@st.composite
def valid_then_spoiled(draw, header: list[str]) -> list[str]:
    """A valid row (often repeated: the same person twice) with a few cells spoiled."""
    values = row(draw(st.integers(0, 8)))
    count = draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))
    spoiled = draw(st.lists(st.sampled_from(header), unique=True, min_size=count, max_size=count))
    return [draw(cell(c)) if c in spoiled else values.get(c, "") for c in header]


@st.composite
def partner_files(draw) -> tuple[str, list[str], list[list[str]]]:
    # the columns of a partner list, maybe one missing, and others
    listed = [c for c in OPTIONAL if c in row(0)]
    if draw(st.integers(0, 3)) == 0:
        listed.remove(draw(st.sampled_from(listed)))
    extra = listed + [c for c in draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=4))
                      if c not in listed]
    header = draw(st.permutations(REQUIRED + extra))
    if draw(st.integers(0, 7)) == 0:
        header = header + draw(st.lists(st.sampled_from(["", "catatan", "nik", "NAMA "]), max_size=2))
    rows = draw(st.lists(valid_then_spoiled(header), min_size=1, max_size=12))
    rows += draw(st.lists(st.tuples(*[cell(c) for c in header]).map(list), max_size=2))
    if draw(st.integers(0, 9)) == 0 and rows:
        rows[0] = rows[0] + ["sel lebih"]
    return draw(st.sampled_from([",", ";"])), header, rows


def write(path: Path, delimiter: str, header: list[str], rows: list[list[str]]) -> None:
    import csv
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(partner_files())
def test_any_partner_file_is_imported_whole_or_refused_whole(template_db, partner_file):
    delimiter, header, rows = partner_file
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        shutil.copy(template_db, folder / "laptop.sqlite3")
        source = folder / "mitra.csv"
        write(source, delimiter, header, rows)
        with Store.open(folder / "laptop.sqlite3") as store:
            try:
                read = importer.read_rows(source)
            except BpjsFieldError:  # a file that is no partner list at all: refused whole
                try:
                    importer.import_csv(store, source, consent_version="v", batch_size=4)
                except BpjsFieldError:
                    assert store.scalar("SELECT count(*) FROM people") == 0
                    return
                raise AssertionError("read_rows refused the file but import_csv did not")
            report = importer.import_csv(store, source, consent_version="v", batch_size=4)
            assert report.stopped is None
            SAVED.append(report.saved)
            assert report.total == len(read.rows)
            assert len({p[0] for p in report.problems}) == report.rejected
            assert store.scalar("SELECT count(*) FROM registrations") == report.saved
            assert_whole(store)
            out = folder / "laporan.csv"
            importer.write_report(report, out)
            again = importer.import_csv(store, source, consent_version="v", batch_size=3)
            assert (again.saved, again.already, again.rejected) == (
                0, report.saved + report.already, report.rejected)
            assert store.scalar("SELECT count(*) FROM registrations") == report.saved


def test_the_fuzz_saved_rows_too():
    """The fuzz above is only worth something if many of its files save rows."""
    if not SAVED:  # run on its own (-k): nothing to say
        return
    assert sum(1 for n in SAVED if n) >= len(SAVED) // 4
