"""Regional minimum wages (UMK): the dated file with its legal source, the lookup by place
and day, the wage notice at registration and in the import report, the floor below which a
figure is no monthly wage, and the file reaching laptops from the branch at sync."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal

import pytest
from import_helpers import nik, row, write_csv

from bpjs_field import importer
from bpjs_field.domain import reference, umk
from bpjs_field.domain.registration import PersonInput, RegistrationInput, validate_registration
from bpjs_field.domain.umk import WAGE_FLOOR, UmkTable
from bpjs_field.errors import ValidationErrors
from bpjs_field.paths import resource_path

DAY = date(2026, 12, 5)
CIKARANG_BARAT = "321608"  # a kecamatan of Kabupaten Bekasi (32.16)
CIBEBER = "36.72.03"  # a kecamatan of Kota Cilegon (36.72)
KOTA_BEKASI = "3275"  # a kota with a UMK of its own, not in the file


def bundled() -> dict:
    return json.loads(resource_path("reference", "umk.json").read_text("utf-8"))


def form(wage: int | None, *, place: str | None = CIKARANG_BARAT, scale: str | None = "besar",
         segment: str = "pu", period: date | None = None) -> RegistrationInput:
    if segment == "tka":
        person = PersonInput(full_name="Li Wei", passport_no="E12345678", nationality="CN",
                             kitas_no="2C21AB1234", kitas_expiry=date(2027, 12, 31))
    else:
        person = PersonInput(full_name="Ujang Supriatna", nik="3216091205900001")
    return RegistrationInput(segment=segment, person=person, consent_given=True,
                             consent_version="v", wage=wage, employer_scale=scale,
                             workplace_code=place, period=period)


def codes(clean) -> list[str]:
    return [w.code for w in clean.warnings]


# -- the file ----------------------------------------------------------------------------
def test_every_umk_row_names_its_place_amount_start_and_decree():
    rows = bundled()["umk"]
    assert rows
    for r in rows:
        assert {"region", "name", "amount", "valid_from", "legal_basis", "source"} <= set(r)
        assert r["legal_basis"].strip() and r["source"].strip()
        date.fromisoformat(r["valid_from"])
        assert isinstance(r["amount"], str)  # exact, sen included
    table = UmkTable()
    by_place = {(r["region"], r["valid_from"]): r for r in rows}
    bekasi = table.for_place("32.16", DAY)
    assert bekasi.amount == Decimal(by_place[("32.16", str(bekasi.valid_from))]["amount"])


def test_the_umk_in_force_where_a_code_lies_and_on_which_day():
    data = bundled()
    data["umk"] = data["umk"] + [{"region": "32.16", "name": "Kabupaten Bekasi",
                                  "amount": "6300000", "valid_from": "2027-01-01",
                                  "legal_basis": "Kepgub Jabar (UMK 2027)", "source": "test"}]
    table = UmkTable(data=data)
    for code in ("3216", "32.16", CIKARANG_BARAT, "32.16.08.2005"):  # regency, kecamatan, desa
        assert table.for_place(code, DAY).valid_from == date(2026, 1, 1)
    assert table.for_place(CIKARANG_BARAT, date(2027, 1, 1)).amount == Decimal("6300000")
    assert table.for_place(CIKARANG_BARAT, date(2030, 6, 1)).amount == Decimal("6300000")
    assert table.for_place(CIBEBER, DAY).amount == Decimal("5469922.59")
    # nothing known: nothing said, never a neighbour's or an older guess
    assert table.for_place(CIKARANG_BARAT, date(2025, 12, 31)) is None
    assert table.for_place(KOTA_BEKASI, DAY) is None
    assert table.for_place("3374", DAY) is None  # Kota Semarang
    assert table.for_place(None, DAY) is None and table.for_place("", DAY) is None


@pytest.mark.parametrize("bad", [
    {"region": "32", "amount": "5938885"},
    {"region": "32.16", "amount": "lima juta"},
    {"region": "32.16", "amount": "0"},
    {"region": "32.16", "amount": "5938885", "valid_from": "2026-13-01"},
    {"region": "32.16", "amount": "5938885", "legal_basis": ""},
])
def test_a_umk_file_with_a_bad_row_does_not_load(bad):
    good = {"region": "32.16", "name": "Kabupaten Bekasi", "amount": "5938885",
            "valid_from": "2026-01-01", "legal_basis": "Kepgub", "source": "s"}
    with pytest.raises(ValueError):
        UmkTable(data={"umk": [good | bad]})


# -- at registration -----------------------------------------------------------------------
def test_a_wage_below_the_umk_of_the_event_place_is_a_warning_on_the_wage():
    clean = validate_registration(form(3_000_000), today=DAY)  # saved all the same
    (notice,) = clean.warnings
    assert (notice.code, notice.field) == ("wage.below_umk", "wage")
    text = notice.message("id")
    for part in ("Upah Rp3.000.000", "UMK 2026 Kabupaten Bekasi", "Rp5.938.885",
                 "Kepgub Jabar 561/Kep.862-Kesra/2025", "simpan saja"):
        assert part in text
    assert "below the 2026 UMK of Kabupaten Bekasi" in notice.message("en")
    assert clean.wage == 3_000_000 and clean.contribution.total > 0


def test_the_umk_of_cilegon_with_its_sen():
    (notice,) = validate_registration(form(5_000_000, place=CIBEBER), today=DAY).warnings
    assert "Rp5.469.922,59" in notice.message() and "Kota Cilegon" in notice.message()
    assert "Kepgub Banten 703/2025" in notice.message()
    # the UMK as an officer types it, in whole rupiah, is the UMK
    assert codes(validate_registration(form(5_469_922, place=CIBEBER), today=DAY)) == []
    assert codes(validate_registration(form(5_469_921, place=CIBEBER), today=DAY)) == ["wage.below_umk"]


@pytest.mark.parametrize("wage", [5_938_885, 5_938_886, 12_000_000])
def test_a_wage_at_or_above_the_umk_says_nothing(wage):
    assert validate_registration(form(wage), today=DAY).warnings == []


def test_no_warning_where_the_umk_does_not_bind_or_is_not_known():
    # micro and small businesses are exempt from the minimum wage (PP 36/2021 Pasal 36)
    for scale in ("mikro", "kecil"):
        assert validate_registration(form(2_000_000, scale=scale), today=DAY).warnings == []
    # no place known, or a place with no UMK in the file, or before the first UMK
    assert validate_registration(form(2_000_000, place=None), today=DAY).warnings == []
    assert validate_registration(form(2_000_000, place="327501"), today=DAY).warnings == []
    assert validate_registration(form(2_000_000, period=date(2025, 12, 1)),
                                 today=DAY).warnings == []
    # civil servants and local-government staff are paid by their own scales
    asn = form(2_000_000, segment="asn", scale=None)
    assert validate_registration(asn, today=DAY).warnings == []


def test_a_foreign_worker_below_the_umk_gets_the_notice_too():
    clean = validate_registration(form(4_000_000, segment="tka"), today=DAY)
    assert codes(clean) == ["wage.below_umk"]


@pytest.mark.parametrize("segment,scale", [("pu", "kecil"), ("tka", "besar"), ("asn", None)])
def test_a_figure_that_is_no_monthly_wage_is_refused(segment, scale):
    for wage in (1, 5_938, WAGE_FLOOR - 1, 0, -5):
        with pytest.raises(ValidationErrors) as refused:
            validate_registration(form(wage, segment=segment, scale=scale), today=DAY)
        (error,) = [e for e in refused.value.errors if e.field == "wage"]
        assert error.code == "wage.implausible"
        assert "Rp100.000" in error.message() and "5.938.885" in error.message()
    clean = validate_registration(form(WAGE_FLOOR, segment=segment, scale=scale, place=None),
                                  today=DAY)
    assert clean.wage == WAGE_FLOOR


def test_the_file_is_read_once_not_at_every_registration(monkeypatch):
    validate_registration(form(3_000_000), today=DAY)  # the table is loaded by now
    loads = []
    original = UmkTable.__init__
    monkeypatch.setattr(UmkTable, "__init__", lambda self, *a, **k: (loads.append(1),
                                                                   original(self, *a, **k)))
    for i in range(50):
        validate_registration(form(3_000_000 + i), today=DAY)
    assert loads == []


# -- from the branch, at sync ------------------------------------------------------------------
def test_the_branch_umk_file_is_used_and_a_broken_one_refused(store):
    data = bundled()
    for r in data["umk"]:
        if r["region"] == "32.16":
            r.update(amount="6000000", legal_basis="Kepgub Jabar (perubahan)")
    files = {"umk.json": data}
    try:
        assert reference.accept(store, reference.version_of(files), files) is True
        (notice,) = validate_registration(form(5_950_000), today=DAY).warnings
        assert "Rp6.000.000" in notice.message() and "perubahan" in notice.message()
        broken = {"umk.json": {"umk": [{"region": "32.16", "amount": "x"}]}}
        assert reference.accept(store, reference.version_of(broken), broken) is False
        assert "Rp6.000.000" in validate_registration(form(5_950_000), today=DAY).warnings[0].message()
        reference.install(None)  # as after a restart ...
        assert validate_registration(form(5_950_000), today=DAY).warnings == []
        reference.use_stored(store)  # ... the laptop uses what it received, offline too
        assert codes(validate_registration(form(5_950_000), today=DAY)) == ["wage.below_umk"]
    finally:
        reference.install(None)
    assert umk.default_umk().for_place("32.16", DAY).amount == Decimal("5938885")


def test_the_server_hands_out_the_umk_file():
    assert reference.server_files()["umk.json"] == bundled()


# -- the import --------------------------------------------------------------------------------
def read_report(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_the_import_report_names_a_wage_below_the_umk_and_refuses_an_impossible_one(
        tmp_path, store, event):
    pu = dict(segmen="pu", penghasilan="", jht="", bulan_dibayar="", kelas_risiko="2",
              pemberi_kerja="PT Baja", skala_usaha="besar")
    rows = [row(0, upah="3.000.000", **pu), row(1, upah="1", **pu),
            row(2, upah="6.500.000", **pu), row(3, upah="2.500.000", **(pu | {"skala_usaha": "kecil"})),
            row(4)]
    report = importer.import_csv(store, write_csv(tmp_path / "mitra.csv", rows), consent_version="v",
                                 event_id=event["id"], today=DAY)
    assert (report.saved, report.rejected) == (4, 1)
    out = tmp_path / "laporan.csv"
    importer.write_report(report, out)
    lines = {(r["baris"], r["kolom"], r["kode"], r["hasil"]): r["pesan"] for r in read_report(out)}
    assert set(lines) == {("3", "upah", "wage.implausible", "tidak disimpan"),
                          ("2", "upah", "wage.below_umk", "disimpan")}
    assert "UMK 2026 Kabupaten Bekasi" in lines[("2", "upah", "wage.below_umk", "disimpan")]
    saved = store.people.by_nik(nik(0))
    assert [r["wage"] for r in store.registrations.for_person(saved["id"])] == [3_000_000]
    # without an event there is no place to take a UMK from: saved, nothing said
    again = importer.import_csv(store, write_csv(tmp_path / "tanpa.csv", [row(5, upah="3.000.000", **pu)]),
                                consent_version="v", today=DAY)
    assert (again.saved, again.warnings) == (1, [])


def test_the_import_command_counts_the_rows_saved_with_a_warning(tmp_path, db_path, event):
    """As branch IT runs it: the counts at the end say how many saved rows to check."""
    import os
    import subprocess
    import sys
    pu = dict(segmen="pu", penghasilan="", jht="", bulan_dibayar="", kelas_risiko="1",
              pemberi_kerja="PT Baja", skala_usaha="menengah")
    source = write_csv(tmp_path / "mitra.csv", [row(0, upah="4.000.000", **pu), row(1)])
    env = dict(os.environ, BPJS_FIELD_DB=str(db_path), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "bpjs_field", "import", str(source),
                           "--event", event["id"]], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 disimpan" in done.stdout and "1 baris disimpan dengan peringatan" in done.stdout
    (warning,) = read_report(tmp_path / "mitra-laporan.csv")
    assert (warning["baris"], warning["kolom"], warning["hasil"]) == ("2", "upah", "disimpan")
