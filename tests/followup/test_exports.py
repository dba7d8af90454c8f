"""Excel exports and the printed report, read back as a reader would: openpyxl for the XLSX
(NIK cells are 16-character strings, amounts numbers, dates dates, a formula-like text stays
text), pdftotext for the PDF; follow-up lists; masking and the supervisor's full export."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from bpjs_field.domain.nik import mask_nik
from bpjs_field.errors import BpjsFieldError
from bpjs_field.reporting import exports, funnel
from bpjs_field.reporting.followup_lists import follow_up_list
from bpjs_field.reporting.report_pdf import write_report_pdf
from branch import TODAY, estate_event, fill_branch, kpj_of, nik
from harness import run_cli
from logins import opened_as


@pytest.fixture
def branch(store, event):
    return fill_branch(store, event["id"], estate_event(store)["id"])


def sheet_rows(path):
    book = load_workbook(path)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, [c for c in row])) for row in ws.iter_rows(min_row=2)]


def test_registrations_xlsx_types_and_masking(store, branch, tmp_path):
    with store.write():  # a name that looks like a formula, and a family card number
        store.db.execute("UPDATE people SET full_name = '=HYPERLINK(\"x\")', kk_no = "
                         "'3216090101230001' WHERE id = ?", (branch[1]["person_id"],))
    out = tmp_path / "reg.xlsx"
    assert exports.export(store, "registrations", out) == 8
    header, rows = sheet_rows(out)
    assert header[:3] == ["Kode", "Tanggal daftar", "Segmen"]
    by_code = {r["Kode"].value: r for r in rows}
    one = by_code[branch[1]["code"]]
    assert one["NIK"].value == mask_nik(nik(1)) and one["NIK"].data_type == "s"
    assert one["No. KK"].value == "321609******0001"
    assert one["Nama"].value == '=HYPERLINK("x")' and one["Nama"].data_type == "s"
    assert isinstance(one["Tanggal daftar"].value, datetime)
    assert one["Tanggal daftar"].value.date() == date(2026, 11, 1)
    four = by_code[branch[4]["code"]]
    assert four["KPJ"].value == kpj_of(4) and four["KPJ"].data_type == "s"
    assert four["Iuran per bulan"].value == branch[4]["monthly_total"]
    assert isinstance(four["Iuran per bulan"].value, int)
    assert "Rp" in four["Iuran per bulan"].number_format
    assert four["Bulan dibayar"].value == 1
    assert four["Tanggal bayar pertama"].value.date() == date(2026, 11, 10)
    assert all(r["NIK"].number_format == "@" for r in rows)
    audit = store.query("SELECT details FROM audit_log WHERE action = 'export.xlsx'")
    assert json.loads(audit[-1]["details"]) == {"kind": "registrations", "rows": 8, "full": False}


def test_full_nik_only_for_a_supervisor_and_audited(store, branch, tmp_path):
    out = tmp_path / "reg.xlsx"
    with opened_as(store, "officer") as officer_store:
        with pytest.raises(BpjsFieldError) as err:
            exports.export(officer_store, "registrations", out, full=True)
    assert err.value.code == "security.forbidden" and not out.exists()
    with opened_as(store, "supervisor") as supervisor_store:
        exports.export(supervisor_store, "registrations", out, full=True)
    _header, rows = sheet_rows(out)
    niks = sorted(r["NIK"].value for r in rows)
    assert niks == sorted(nik(i) for i in range(1, 9))
    assert all(isinstance(v, str) and len(v) == 16 for v in niks)
    actions = [r["action"] for r in store.query("SELECT action FROM audit_log")]
    assert "denied" in actions and actions[-1] == "export.xlsx"


def test_attendance_export_and_event_filter(store, branch, event, tmp_path):
    out = tmp_path / "att.xlsx"
    assert exports.export(store, "attendance", out, event_id=event["id"]) == 4
    _header, rows = sheet_rows(out)
    assert {r["Acara"].value for r in rows} == {event["title"]}
    first = rows[0]["Waktu hadir (WIB)"].value
    assert isinstance(first, datetime) and first.hour == 8  # 01:30 UTC is 08:30 WIB


def test_follow_up_lists_and_consent(store, branch, tmp_path):
    no_kpj = follow_up_list(store, "no_kpj", days=14, today=TODAY)
    assert sorted(e.code for e in no_kpj) == sorted(branch[i]["code"] for i in (1, 2, 7))
    assert {e.code for e in follow_up_list(store, "no_kpj", days=20, today=TODAY)} == {
        branch[1]["code"], branch[2]["code"]}
    unpaid = follow_up_list(store, "unpaid", days=7, today=TODAY)
    assert [e.code for e in unpaid] == [branch[3]["code"], branch[6]["code"]]
    # 1 month paid on 10 November: covered to 30 November; 6 months from 25 November: May.
    out = follow_up_list(store, "running_out", days=14, today=TODAY)
    assert [(e.code, e.since) for e in out] == [(branch[4]["code"], date(2026, 11, 30))]
    assert out[0].days == 5 and out[0].may_contact and out[0].phone
    with store.write():
        store.db.execute("UPDATE people SET consent_withdrawn_at = '2026-12-01T00:00:00+00:00' "
                         "WHERE id = ?", (branch[4]["person_id"],))
    gone = follow_up_list(store, "running_out", days=14, today=TODAY)[0]
    assert gone.phone is None and not gone.may_contact
    xlsx = tmp_path / "fu.xlsx"
    assert exports.export(store, "followup", xlsx, days={"no_kpj": 14, "unpaid": 7,
                                                         "running_out": 14}, today=TODAY) == 6
    _header, rows = sheet_rows(xlsx)
    assert [r["Boleh dihubungi"].value for r in rows][-1] == "tidak"
    assert rows[-1]["Telepon"].value is None


def test_report_pdf_and_xlsx_hold_the_same_figures(store, branch, tmp_path):
    report = funnel.build(store, start=date(2026, 11, 1), end=date(2026, 11, 30))
    pdf = tmp_path / "laporan.pdf"
    write_report_pdf(report, pdf, store)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Periode 1 November 2026 s.d. 30 November 2026" in text
    assert "Hadir 8 → terdaftar 8 → KPJ 4 → bayar 2" in text
    assert "17.000" in text and "115.894" in text and "Pendaftaran per kecamatan" in text
    assert "Sumber target" in text
    xlsx = tmp_path / "laporan.xlsx"
    exports.report_xlsx(report, xlsx)
    _header, rows = sheet_rows(xlsx)
    total = rows[-1]
    assert [total[k].value for k in ("Terdaftar", "KPJ", "Bayar")] == [8, 4, 2]
    bpu = next(r for r in rows if r["Rincian"].value.startswith("Bukan Penerima"))
    assert bpu["Target tahunan"].value == 17000
    assert bpu["Terdaftar / target"].value == round(6 / 17000, 4)


def test_cli_report_export_and_errors(db_path, store, branch, tmp_path):
    store.close()
    done = run_cli("report", "--from", "2026-11-01", "--to", "2026-11-30", "--json", db=db_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["total"]["registered"], data["total"]["paid"]) == (8, 2)
    pdf = tmp_path / "r.pdf"
    done = run_cli("report", "--from", "01-11-2026", "--to", "30-11-2026", "--by", "event",
                   "--out", str(pdf), db=db_path)
    assert done.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")
    xlsx = tmp_path / "reg.xlsx"
    done = run_cli("export", "registrations", "--out", str(xlsx), db=db_path)
    assert done.returncode == 0 and "8 baris" in done.stdout
    done = run_cli("export", "registrations", "--status", "dibayar", "--out", str(xlsx), db=db_path)
    assert done.returncode == 0 and "2 baris" in done.stdout
    _header, rows = sheet_rows(xlsx)
    assert {r["Status"].value for r in rows} == {"Iuran pertama dibayar"}
    for args in (("report", "--out", str(tmp_path / "r.docx")),
                 ("report", "--out", str(tmp_path / "no" / "such" / "x.pdf" / "y")),
                 ("export", "attendance", "--out", str(tmp_path)),
                 ("report", "--from", "2026-12-02", "--to", "2026-12-01")):
        bad = run_cli(*args, db=db_path)
        assert bad.returncode == 2, (args, bad.stderr)
        assert len(bad.stderr.strip().splitlines()) == 1, bad.stderr


def test_call_sheet_pdf_and_cli(db_path, store, branch, tmp_path):
    from bpjs_field.reporting import call_sheet
    entries = follow_up_list(store, "no_kpj", days=14, today=TODAY)
    pdf = call_sheet.render("no_kpj", entries, full_phone=False, days=14, today=TODAY)
    path = tmp_path / "sheet.pdf"
    call_sheet.write_call_sheet(path, pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Daftar telepon: Terdaftar, belum ada KPJ" in text and "3 peserta" in text
    assert mask_nik(nik(1)) in text and nik(1) not in text
    assert "0812-****" in text  # an officer's sheet: phones masked
    store.close()
    out = tmp_path / "cli.pdf"
    done = run_cli("followup", "no_kpj", "--days", "14", "--out", str(out), db=db_path)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    bad = run_cli("followup", "unpaid", "--days", "-1", db=db_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
