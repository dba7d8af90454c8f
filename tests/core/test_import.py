"""The importer on real files and a real SQLite database: KTP spellings, per-row refusals,
a file never half-imported (a row the database refuses, a disk that fills up), re-import,
and the bulk writer keeping the same rows, change log and search index as `register()`."""

from __future__ import annotations

import json

import pytest
from import_helpers import nik, row, write_csv

from bpjs_field import importer
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.errors import BpjsFieldError
from bpjs_field.store import Store
from bpjs_field.store.store import dumps


def problems_by_line(report):
    out: dict[int, set[tuple[str, str]]] = {}
    for line, column, code, _message in report.problems:
        out.setdefault(line, set()).add((column, code))
    return out


def assert_whole(store: Store) -> None:
    """Nothing half-applied: every registration has its person, every person and
    registration its change-log entry and search row, and the file is sound."""
    assert store.integrity_check() == "ok"
    assert store.query("PRAGMA foreign_key_check") == []
    people = store.scalar("SELECT count(*) FROM people")
    regs = store.scalar("SELECT count(*) FROM registrations")
    assert store.scalar("SELECT count(*) FROM people_fts") == people
    assert store.scalar("SELECT count(DISTINCT entity_id) FROM change_log WHERE entity = 'person'") == people
    assert store.scalar("SELECT count(*) FROM change_log WHERE entity = 'registration'") == regs
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'registration.create'") == regs
    coded = store.query("SELECT p.id, f.codes FROM people p JOIN people_fts f ON f.rowid = p.rowid")
    for person in coded:
        codes = {r["code"] for r in store.registrations.for_person(person["id"])}
        assert set(person["codes"].split()) == codes


SPELLINGS = {"L": "L", "P": "P", "LAKI-LAKI": "L", "PEREMPUAN": "P", "Laki-laki": "L",
             "Perempuan": "P", "Pria": "L", "Wanita": "P", "M": "L", "F": "P", "laki laki": "L",
             " perempuan ": "P"}


def test_ktp_spellings_of_sex_are_read_and_others_refused_per_row(tmp_path, store):
    rows = []
    for i, (spelling, _sex) in enumerate(SPELLINGS.items()):
        rows.append(row(i, jenis_kelamin=spelling, nik=nik(i, female=_sex == "P")))
    bad = {"X": len(rows), "Laki": None, "2": len(rows) + 1, "=1+1": len(rows) + 2}
    rows += [row(100, jenis_kelamin="X"), row(101, jenis_kelamin="2"), row(102, jenis_kelamin="=1+1")]
    report = importer.import_csv(store, write_csv(tmp_path / "mitra.csv", rows), consent_version="v")
    assert (report.saved, report.rejected) == (len(SPELLINGS), 3)
    assert problems_by_line(report) == {n + 2: {("jenis_kelamin", "sex.unknown")}
                                        for n in (bad["X"], bad["2"], bad["=1+1"])}
    stored = {r["nik"]: r["sex"] for r in store.query("SELECT nik, sex FROM people")}
    for i, (_spelling, sex) in enumerate(SPELLINGS.items()):
        assert stored[nik(i, female=sex == "P")] == sex
    assert_whole(store)


def test_seven_hundred_ktp_rows_import_whole_and_again_without_duplicates(tmp_path, store):
    source = write_csv(tmp_path / "koperasi.csv", [row(i) for i in range(700)])
    first = importer.import_csv(store, source, consent_version="v", batch_size=128)
    assert (first.saved, first.already, first.rejected) == (700, 0, 0)
    again = importer.import_csv(store, source, consent_version="v", batch_size=128)
    assert (again.saved, again.already, again.rejected) == (0, 700, 0)
    assert store.scalar("SELECT count(*) FROM people") == 700
    assert store.scalar("SELECT count(*) FROM registrations") == 700
    assert_whole(store)


def test_a_row_the_database_refuses_is_reported_and_the_rest_saved(tmp_path, store):
    # A constraint the validation does not know about (a real SQLite refusal).
    store.db.execute("CREATE TRIGGER refuse_one BEFORE INSERT ON people "
                     "WHEN new.full_name = 'Tolak Saya' BEGIN SELECT RAISE(ABORT, 'no'); END")
    rows = [row(i) for i in range(30)]
    rows[17] = row(17, nama="Tolak Saya")
    report = importer.import_csv(store, write_csv(tmp_path / "m.csv", rows), consent_version="v",
                                 batch_size=10)
    assert (report.saved, report.rejected) == (29, 1)
    assert problems_by_line(report) == {19: {("", "import.row_failed")}}
    assert store.scalar("SELECT count(*) FROM people") == 29
    assert_whole(store)


def test_a_full_disk_stops_the_run_with_every_unsaved_row_reported_then_reimport_finishes(
        tmp_path, store):
    source = write_csv(tmp_path / "besar.csv", [row(i) for i in range(600)])
    pages = store.scalar("PRAGMA page_count")
    store.db.execute(f"PRAGMA max_page_count = {pages + 400}")  # the database file cannot grow
    report = importer.import_csv(store, source, consent_version="v", batch_size=50)
    assert report.stopped is not None and report.stopped.code == "storage.full"
    saved = store.scalar("SELECT count(*) FROM registrations")
    assert report.saved == saved and 0 < saved < 600
    assert report.saved + report.rejected == 600
    unsaved = {line for line, _c, code, _m in report.problems if code == "import.not_saved"}
    assert len(unsaved) == 600 - saved
    assert all("Disk penuh" in m for _l, _c, code, m in report.problems if code == "import.not_saved")
    assert_whole(store)
    store.db.execute("PRAGMA max_page_count = 1073741823")
    again = importer.import_csv(store, source, consent_version="v", batch_size=100)
    assert (again.saved, again.already, again.stopped) == (600 - saved, saved, None)
    assert_whole(store)


def test_duplicate_header_refuses_the_file_naming_it(tmp_path, store):
    source = tmp_path / "dobel.csv"
    source.write_text("nama,segmen,persetujuan,nik,NIK\nSiti,bpu,ya,3216094508900003,1\n")
    with pytest.raises(BpjsFieldError) as err:
        importer.import_csv(store, source, consent_version="v")
    assert err.value.code == "csv.duplicate_column" and "nik" in err.value.message()
    assert store.scalar("SELECT count(*) FROM people") == 0


@pytest.mark.parametrize("code, ok", [("32.16.09", True), ("321609", True), ("=cmd|calc!A0", False),
                                      ("99.99.99", False), ("32.16", False), ("32.16.09.2001", False),
                                      ("3216092001", False)])
def test_kode_kecamatan_must_be_a_district_of_the_region_list(tmp_path, store, code, ok):
    report = importer.import_csv(store, write_csv(tmp_path / "k.csv", [row(1, kode_kecamatan=code)]),
                                 consent_version="v")
    if ok:
        assert report.saved == 1
        assert store.scalar("SELECT district_code FROM people") == "321609"
    else:
        assert problems_by_line(report) == {2: {("kode_kecamatan", "district.unknown")}}
        assert store.scalar("SELECT count(*) FROM people") == 0


@pytest.mark.parametrize("born, code", [("01-01-2099", "birth_date.future"),
                                        ("01-01-1800", "birth_date.too_old"),
                                        ("31-02-1990", "date.invalid")])
def test_impossible_birth_dates_are_refused(tmp_path, store, born, code):
    tka = row(1, segmen="tka", nik="", paspor="E1234567", kewarganegaraan="CN", kitas="2C11AB1234",
              kitas_berlaku="31-12-2030", upah="15.000.000", kelas_risiko="3", pemberi_kerja="PT Baja",
              tanggal_lahir=born)
    rows = [row(0, tanggal_lahir=born), tka]
    report = importer.import_csv(store, write_csv(tmp_path / "lahir.csv", rows), consent_version="v")
    assert report.rejected == 2
    assert {line: {c for c in cells if c[0] == "tanggal_lahir"} for line, cells in
            problems_by_line(report).items()} == {2: {("tanggal_lahir", code)},
                                                  3: {("tanggal_lahir", code)}}


def test_a_ten_megabyte_cell_is_a_row_error(tmp_path, store):
    rows = [row(0), row(1, alamat="x" * (10 * 1024 * 1024)), row(2)]
    report = importer.import_csv(store, write_csv(tmp_path / "besar.csv", rows), consent_version="v")
    assert (report.saved, report.rejected) == (2, 1)
    assert problems_by_line(report) == {3: {("alamat", "too_long")}}


@pytest.mark.parametrize("cell", ["3.21609E+15", "3,21609E+15", "3.2160945089E+15", "3216094508900003.0",
                                  "3216094508900000,00", "3.21609E15"])
def test_niks_that_excel_made_numbers_are_named_as_such(tmp_path, store, cell):
    report = importer.import_csv(store, write_csv(tmp_path / "excel.csv", [row(0, nik=cell)]),
                                 consent_version="v")
    assert report.rejected == 1
    ((line, column, code, message),) = [p for p in report.problems if p[1] == "nik"]
    assert (line, code) == (2, "nik.excel")
    assert "kolom NIK diformat sebagai angka di Excel" in message


def test_a_column_of_niks_cut_to_fifteen_digits_is_named(tmp_path, store):
    # Excel keeps 15 significant digits: every NIK of the column ends in 0.
    cut = [row(i, nik=nik(i, female=bool(i % 2))[:15] + "0") for i in range(1, 6)]
    report = importer.import_csv(store, write_csv(tmp_path / "cut.csv", cut), consent_version="v")
    assert report.saved == 0 and report.rejected == 5
    assert {code for _l, col, code, _m in report.problems if col == "nik"} == {"nik.excel"}
    # one NIK ending in 0 among ordinary ones is just a NIK
    mixed = [row(i) for i in range(1, 6)] + [row(10, nik=nik(10)[:15] + "0")]
    fine = importer.import_csv(store, write_csv(tmp_path / "mixed.csv", mixed), consent_version="v")
    assert fine.saved == 6


def test_rows_with_more_cells_than_columns_or_broken_quotes_are_reported(tmp_path, store):
    source = tmp_path / "rusak.csv"
    good = ",".join(row(0).get(c, "") for c in importer.COLUMNS)
    shifted = ",".join(row(1).get(c, "") for c in importer.COLUMNS) + ",Jl. Raya, RT 1"
    source.write_text(",".join(importer.COLUMNS) + "\n" + good + "\n" + shifted + "\n"
                      + good.replace("Ujang", "Uj\x00ang") + "\n", encoding="utf-8")
    report = importer.import_csv(store, source, consent_version="v")
    assert report.saved == 1 and report.rejected == 2
    assert problems_by_line(report)[3] == {("", "csv.extra_cells")}


def test_bulk_rows_match_what_register_writes(tmp_path, store, db_path):
    """The bulk writer against `register()` on the same rows: the same people and
    registrations, change-log payloads and search rows (ids, codes and times aside)."""
    rows = [row(i) for i in range(12)] + [row(3, segmen="pu", upah="5.000.000", kelas_risiko="2",
                                              pemberi_kerja="PT Baja", skala_usaha="kecil")]
    source = write_csv(tmp_path / "sama.csv", rows)
    report = importer.import_csv(store, source, consent_version="v")
    assert report.saved == 13
    other = Store.open(tmp_path / "satu-satu.sqlite3")
    read = importer.read_rows(source)
    for _line, cells, _problem in read.rows:
        other.registrations.register(importer.row_to_input(cells, event_id=None, consent_version="v"))

    def picture(s: Store):
        people = s.query("SELECT * FROM people ORDER BY nik")
        regs = s.query("SELECT r.*, p.nik FROM registrations r JOIN people p ON p.id = r.person_id "
                       "ORDER BY p.nik, r.segment")
        changes = sorted((c["entity"], sorted(json.loads(c["payload"]))) for c in
                         s.query("SELECT entity, payload FROM change_log"))
        fts = s.query("SELECT f.name, f.ident, f.phone, length(f.codes) AS codes FROM people_fts f "
                      "JOIN people p ON p.rowid = f.rowid ORDER BY p.nik")
        skip = {"id", "person_id", "code", "created_at", "updated_at", "consent_at", "created_device",
                "device_id", "rowid"}
        return ([{k: v for k, v in p.items() if k not in skip} for p in people],
                [{k: v for k, v in r.items() if k not in skip} for r in regs], changes, fts)

    assert picture(store) == picture(other)
    # the payloads are the store's canonical JSON, byte for byte
    for change in store.query("SELECT payload FROM change_log"):
        assert dumps(json.loads(change["payload"])) == change["payload"]
    # and the search index holds what the triggers would have written
    before = store.query("SELECT rowid, name, ident, phone, codes FROM people_fts ORDER BY rowid")
    with store.write():
        store.search_index.rebuild()
    assert store.query("SELECT rowid, name, ident, phone, codes FROM people_fts ORDER BY rowid") == before
    other.close()


def test_an_existing_person_gets_the_imported_registration_and_is_found_by_its_code(tmp_path, store):
    store.registrations.register(RegistrationInput(
        segment="pu", person=PersonInput(full_name="Ujang Supriatna", nik=nik(0)),
        consent_given=True, consent_version="v", wage=5_000_000, employer_scale="kecil"))
    report = importer.import_csv(store, write_csv(tmp_path / "lagi.csv", [row(0)]), consent_version="v")
    assert report.saved == 1
    person = store.people.by_nik(nik(0))
    assert person["phone"] == "+6281210000000"  # a blank completed, as register() does
    codes = [r["code"] for r in store.registrations.for_person(person["id"])]
    assert len(codes) == 2
    for code in codes:
        assert [h["id"] for h in store.search_index.search(code)] == [person["id"]]
    assert_whole(store)


def test_an_unknown_event_refuses_the_file_before_any_row(tmp_path, store):
    with pytest.raises(BpjsFieldError) as err:
        importer.import_csv(store, write_csv(tmp_path / "e.csv", [row(1)]), consent_version="v",
                            event_id="tidak-ada")
    assert err.value.code == "event.unknown"
    assert store.scalar("SELECT count(*) FROM people") == 0


def test_a_batch_numbers_its_codes_after_every_code_issued_and_the_floor(tmp_path, store):
    from bpjs_field.domain.codes import make_code
    from bpjs_field.store.registrations import CODE_FLOOR_SETTING
    first = store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Rina Marlina", nik=nik(900, female=True)),
        consent_given=True, consent_version="v", declared_income=1_500_000))
    tag = store.device_tag
    assert first.registration["code"] == make_code(tag, 1)
    importer.import_csv(store, write_csv(tmp_path / "a.csv", [row(i) for i in range(5)]),
                        consent_version="v", batch_size=2)
    store.set_setting(CODE_FLOOR_SETTING, {tag: 40})  # learned after a restore
    importer.import_csv(store, write_csv(tmp_path / "b.csv", [row(i) for i in range(5, 10)]),
                        consent_version="v", batch_size=3)
    codes = [r["code"] for r in store.query("SELECT code FROM registrations ORDER BY rowid")]
    assert codes == [make_code(tag, n) for n in (1, 2, 3, 4, 5, 6, 41, 42, 43, 44, 45)]
    assert_whole(store)


@pytest.mark.parametrize("largest_rowid", [False, True], ids=["rowids-in-order", "rowids-random"])
def test_an_import_keeps_the_reports_running_totals_as_the_trigger_would(tmp_path, store,
                                                                          largest_rowid):
    from bpjs_field.store.migrations import REPORT_REGISTRATIONS_INSERT, report_backfill_sql
    held = store.registrations.register(RegistrationInput(  # today's totals already have a row
        segment="bpu", person=PersonInput(full_name="Rina Marlina", nik=nik(900, female=True)),
        consent_given=True, consent_version="v", declared_income=1_500_000)).registration
    if largest_rowid:  # past the largest rowid SQLite picks random ones for the new rows
        with store.write():
            store.db.execute("UPDATE registrations SET rowid = 9223372036854775807 WHERE id = ?",
                             (held["id"],))
    rows = [row(i) for i in range(30)] + [row(i, segmen="pu", upah="5.000.000", kelas_risiko="1",
                                              skala_usaha="kecil")
                                          for i in range(30, 40)]
    report = importer.import_csv(store, write_csv(tmp_path / "a.csv", rows), consent_version="v",
                                 batch_size=7)
    assert report.saved == 40
    again = importer.import_csv(store, write_csv(tmp_path / "a.csv", rows), consent_version="v")
    assert again.already == 40  # nothing counted twice
    kept = store.query("SELECT * FROM report_registrations ORDER BY 1, 2, 3, 4")
    with store.write():
        store.db.execute("DELETE FROM report_registrations")
        store.db.execute(report_backfill_sql()[0])
    assert store.query("SELECT * FROM report_registrations ORDER BY 1, 2, 3, 4") == kept
    assert sum(r["registered"] for r in kept) == 41
    assert store.scalar("SELECT count(*) FROM sqlite_master WHERE name = ?", (REPORT_REGISTRATIONS_INSERT,)) == 1


def test_a_batch_that_held_the_database_long_makes_the_next_smaller_within_bounds():
    low, high = importer.BATCH_BOUNDS
    hold = importer.HOLD_S
    assert importer.next_batch_size(5000, hold) == 5000
    assert importer.next_batch_size(5000, hold * 2) == 2500
    assert importer.next_batch_size(5000, hold * 100) == low
    # a fast batch: at most twice as many rows next time, never more than the bound
    assert importer.next_batch_size(5000, hold / 10) == 10_000
    assert importer.next_batch_size(high, hold / 10) == high
    assert importer.next_batch_size(3000, 0.0) == 6000


def batch_sizes(tmp_path, store, monkeypatch, hold_s: float, rows: int = 60) -> list[int]:
    """The rows of each batch of an import whose batches follow `hold_s` (first 8 rows,
    bounds 2 to 20): read from the progress calls, one after each batch."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 8)
    monkeypatch.setattr(importer, "BATCH_BOUNDS", (2, 20))
    monkeypatch.setattr(importer, "HOLD_S", hold_s)
    done: list[int] = []
    source = write_csv(tmp_path / "mitra.csv", [row(i) for i in range(rows)])
    report = importer.import_csv(store, source, consent_version="v",
                                 progress=lambda n, _total: done.append(n))
    assert report.saved == rows
    assert_whole(store)
    return [b - a for a, b in zip([0, *done], done)]


def test_batches_grow_while_each_is_quick(tmp_path, store, monkeypatch):
    assert batch_sizes(tmp_path, store, monkeypatch, hold_s=3600.0) == [8, 16, 20, 16]


def test_batches_shrink_when_each_holds_the_database_too_long(tmp_path, store, monkeypatch):
    assert batch_sizes(tmp_path, store, monkeypatch, hold_s=1e-9, rows=20) == [8, 2, 2, 2, 2, 2, 2]


def test_a_given_batch_size_is_kept_and_the_page_cache_is_the_connections_own_again(tmp_path, store):
    own = store.scalar("PRAGMA cache_size")
    done: list[int] = []
    caches: set[int] = set()

    def progress(n: int, _total: int) -> None:
        done.append(n)
        caches.add(store.scalar("PRAGMA cache_size"))

    source = write_csv(tmp_path / "mitra.csv", [row(i) for i in range(25)])
    importer.import_csv(store, source, consent_version="v", batch_size=10, progress=progress)
    assert done == [10, 20, 25]
    assert caches == {-importer.IMPORT_CACHE_KIB} != {own}
    assert store.scalar("PRAGMA cache_size") == own
