"""Attendance list and event summary, and the printing subcommands end to end."""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime, timezone

import pytest

from bpjs_field.domain.formatting import format_time
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.errors import NotFoundError
from bpjs_field.printing import cli, documents

from .conftest import BPU_NIK, PU_NIK, decode_qr, page_sizes, pdf_fonts, pdf_text, render_pages

A4 = (595.28, 841.89)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_attendance_sheet(store, event, bpu_reg, pu_reg, tka_reg):
    store.attendance.check_in(event["id"], bpu_reg["person_id"], "scan")
    job = documents.attendance_job(store, event["id"][:8])
    text = flat(pdf_text(job.pdf))
    assert "DAFTAR HADIR" in text and "Tanda tangan" in text and "Senam Sehat Cikarang Utara" in text
    for nik in (BPU_NIK, PU_NIK):
        assert mask_nik(nik) in text and nik not in text.replace(" ", "")
    assert "E12345678" not in text and "E1*****78" in text
    assert "Budi Santoso" in text and "Zhang Wei" in text
    # Only the checked-in participant has a time in the Hadir column, and it is the time of
    # the check-in (not the event's start or the print time).
    checked_at = store.query_one("SELECT checked_in_at FROM attendance WHERE person_id = ?",
                                 (bpu_reg["person_id"],))["checked_in_at"]
    moment = datetime.fromisoformat(checked_at)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    hadir = format_time(moment).removeprefix("pukul ").removesuffix(" WIB")
    lines = pdf_text(job.pdf).splitlines()
    rows = {name: next(line for line in lines if name in line)
            for name in ("Budi Santoso", "Siti Nurhaliza", "Zhang Wei")}
    assert re.search(rf"{bpu_reg['code'][:4]}\S*\s+{re.escape(hadir)}\s*$", rows["Budi Santoso"])
    for name in ("Siti Nurhaliza", "Zhang Wei"):
        assert not re.search(r"\d{1,2}[.:]\d{2}", rows[name]), rows[name]
    assert all(s == pytest.approx(A4, abs=0.01) for s in page_sizes(job.pdf))
    assert all(f["embedded"] for f in pdf_fonts(job.pdf))


def test_long_attendance_list_runs_over_pages(store, event, officer):
    names = [f"{a} {b}" for a in ("Agus", "Bambang", "Citra", "Dedi", "Eka", "Fitri")
             for b in ("Saputra", "Wijaya", "Lestari", "Hidayat", "Kusuma", "Rahayu", "Utami",
                       "Nugroho", "Pratama", "Sari")]
    for i, name in enumerate(names):
        nik = f"321609010185{i + 1:04d}"
        store.registrations.register(RegistrationInput(
            segment="bpu", declared_income=1_000_000, consent_given=True, consent_version="v1",
            event_id=event["id"], person=PersonInput(full_name=name, nik=nik)),
            check_in=True, today=date(2026, 11, 22))
    pdf = documents.attendance_job(store, event["id"]).pdf
    pages = len(page_sizes(pdf))
    assert pages >= 3
    text = pdf_text(pdf)
    assert f"Halaman {pages} dari {pages}" in text and text.count("DAFTAR HADIR") == pages
    assert names[0] in text and names[-1] in text


def test_event_summary(store, event, bpu_reg, bpu_jht_reg, pu_reg):
    store.attendance.check_in(event["id"], pu_reg["person_id"], "scan")
    summary = store.events.summary(event["id"])
    text = flat(pdf_text(documents.summary_job(store, event["id"]).pdf))
    assert "RINGKASAN ACARA" in text
    bpu = summary["registrations"]["bpu"]
    assert re.search(rf"Bukan Penerima Upah \(BPU\) {summary['targets']['bpu']} {bpu} "
                     rf"{round(100 * bpu / summary['targets']['bpu'])}%", text)
    assert f"Hadir (check-in) {summary['targets']['attendance']} {summary['attendance']}" in text
    assert "Siti Rahmawati KC-0421 3" in text


def _parser():
    parser = argparse.ArgumentParser(prog="bpjs-field")
    cli.add_commands(parser.add_subparsers(dest="command"))
    return parser


def _run(store, argv):
    args = _parser().parse_args(argv)
    args.open_store = lambda: store
    return args.handler(args)


def test_cli_receipt(store, bpu_reg, tmp_path):
    out = tmp_path / "struk.pdf"
    assert _run(store, ["receipt", bpu_reg["code"].lower(), "--format", "thermal", "--out", str(out)]) == 0
    png, = render_pages(out.read_bytes(), tmp_path)
    assert decode_qr(png) == [bpu_reg["code"]]
    assert store.scalar("SELECT count(*) FROM print_log WHERE subject_id = ?", (bpu_reg["id"],)) == 1
    again = tmp_path / "again.pdf"
    _run(store, ["receipt", bpu_reg["code"], "--out", str(again)])
    # A file is no copy handed out: neither it nor the first paper print is a SALINAN.
    assert "SALINAN" not in pdf_text(again.read_bytes())
    from bpjs_field.printing import documents
    paper = documents.receipt_job(store, bpu_reg["id"], "thermal")
    assert not paper.is_reprint and "SALINAN" not in pdf_text(paper.pdf)
    documents.log_job(store, paper, printer="PDF")
    assert "SALINAN ke-1" in pdf_text(documents.receipt_job(store, bpu_reg["id"], "a5").pdf)


def test_cli_unknown_code_and_event(store, event, bpu_reg, tmp_path):
    code = bpu_reg["code"]
    # A well-formed code of another laptop: the right check symbol, not in this database.
    from bpjs_field.domain.codes import make_code
    other = make_code("ZZZZ", 5)
    with pytest.raises(NotFoundError) as err:
        _run(store, ["receipt", other, "--out", str(tmp_path / "x.pdf")])
    assert err.value.code == "code.unknown" and other in err.value.message()
    with pytest.raises(NotFoundError) as err:
        _run(store, ["attendance-sheet", "no-such-event", "--out", str(tmp_path / "y.pdf")])
    assert err.value.code == "event.unknown"
    with pytest.raises(NotFoundError) as err:
        _run(store, ["event-summary", "zzzz", "--out", str(tmp_path / "y.pdf")])
    assert err.value.code == "event.unknown"
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()
    assert code


def test_cli_brochure_and_event_papers(store, event, bpu_reg, tmp_path):
    out = tmp_path / "bpu.pdf"
    assert _run(store, ["brochure", "bpu", "--lang", "en", "--out", str(out), "--event",
                        event["id"][:6], "--contact", "0812-1111-2222", "--copies", "50"]) == 0
    text = pdf_text(out.read_bytes())
    assert "Self-Employed" in text and "0812-1111-2222" in text
    row = store.query_one("SELECT * FROM print_log WHERE document = 'brochure.bpu.en'")
    assert row["copies"] == 50 and row["version"] == "2026.11"
    for command in ("attendance-sheet", "event-summary"):
        target = tmp_path / f"{command}.pdf"
        assert _run(store, [command, event["id"][:8], "--out", str(target)]) == 0
        assert target.read_bytes().startswith(b"%PDF")
