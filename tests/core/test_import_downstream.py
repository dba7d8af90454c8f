"""The partner list carries what downstream registration asks (mother's maiden name, No. KK,
heir and relation; email was there already): optional, validated like the form, stored,
and each wrong cell reported with its own column and code."""

from __future__ import annotations

import csv

from import_helpers import nik, row, write_csv

from bpjs_field import importer

KK = "3216090101230001"


def problems_by_line(report):
    out: dict[int, set[tuple[str, str]]] = {}
    for line, column, code, _message in report.problems:
        out.setdefault(line, set()).add((column, code))
    return out


def test_template_lists_the_new_columns(tmp_path):
    path = tmp_path / "template.csv"
    importer.write_template(path)
    with open(path, encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    for column in ("nama_ibu_kandung", "no_kk", "ahli_waris", "hubungan_ahli_waris", "email"):
        assert column in header and not importer.COLUMNS[column][0]  # optional


def test_new_columns_are_stored_validated_and_reported_by_column(tmp_path, store):
    rows = [
        row(1, nama_ibu_kandung="siti  aminah", no_kk="3216 0901 0123 0001",
            ahli_waris="Budi Santoso", hubungan_ahli_waris="Istri", email="budi@contoh.id"),
        row(2),  # none of them: still saved (optional at the event)
        row(3, no_kk="32160901012300"),                      # 14 digits
        row(4, no_kk="9916090101230001"),                    # no such province
        row(5, no_kk="3.21609E+15"),                         # Excel made it a number
        row(6, ahli_waris="Budi Santoso"),                   # no relation
        row(7, hubungan_ahli_waris="anak"),                  # relation without a name
        row(8, ahli_waris="Budi", hubungan_ahli_waris="tetangga"),
        row(9, no_kk="12", hubungan_ahli_waris="tetangga", ahli_waris="Budi",
            email="bukan-email"),                            # several at once, each named
    ]
    report = importer.import_csv(store, write_csv(tmp_path / "mitra.csv", rows),
                                 consent_version="v")
    assert (report.saved, report.rejected) == (2, 7)
    assert problems_by_line(report) == {
        4: {("no_kk", "kk.length")},
        5: {("no_kk", "kk.region")},
        6: {("no_kk", "kk.excel")},
        7: {("hubungan_ahli_waris", "heir.relation_missing")},
        8: {("ahli_waris", "heir.name_missing")},
        9: {("hubungan_ahli_waris", "heir.relation")},
        10: {("no_kk", "kk.length"), ("hubungan_ahli_waris", "heir.relation"),
             ("email", "email.invalid")},
    }
    message = next(m for line, col, code, m in report.problems if code == "kk.excel")
    assert "no_kk" in message and "Teks" in message
    person = store.people.by_nik(nik(1, female=True))
    assert (person["mother_name"], person["kk_no"], person["heir_name"],
            person["heir_relation"], person["email"]) == (
        "siti aminah", KK, "Budi Santoso", "pasangan", "budi@contoh.id")
    plain = store.people.by_nik(nik(2))
    assert plain["kk_no"] is None and plain["heir_name"] is None
    # They travel to the branch like the form's (the change log holds the person's fields).
    payloads = store.query("SELECT payload FROM change_log WHERE entity = 'person' "
                           "AND entity_id = ?", (person["id"],))
    assert any(KK in p["payload"] for p in payloads)


def test_a_file_without_the_new_columns_imports_as_before(tmp_path, store):
    header = [c for c in importer.COLUMNS if c not in importer.DOWNSTREAM_COLUMNS.values()]
    report = importer.import_csv(store, write_csv(tmp_path / "old.csv", [row(1), row(2)],
                                                  header=header), consent_version="v")
    assert (report.saved, report.rejected) == (2, 0)
