"""Follow-up and report subcommands for `bpjs-field`: `kpj import`, `report`, `export`,
`followup`.  Errors as everywhere: one line on stderr, exit code 2; exit code 1 when the
command ran but some rows were not applied (reported in the `--report` file)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bpjs_field.domain.formatting import today_wib
from bpjs_field.errors import BpjsFieldError


def cmd_kpj_import(args: argparse.Namespace) -> int:
    from bpjs_field import outputs
    from bpjs_field.reporting import kpj_import
    from bpjs_field.reporting.tables import read_table
    path = Path(args.file)
    report_path = (Path(args.report) if args.report
                   else outputs.beside(path, "-hasil-kpj.csv"))
    outputs.check_output(report_path, option="--report")
    read_table(path)  # a file that cannot be read is refused before logging in
    store = args.open_store()
    result = kpj_import.import_kpj(store, path)
    s = result.summary()
    counts = (f"{s['rows']} baris: {s['updated']} dicatat, {s['unchanged']} sudah tercatat, "
              f"{s['no_match']} tidak cocok, {s['ambiguous']} ganda, {s['conflict']} bentrok, "
              f"{s['invalid']} tidak sah.")
    try:
        kpj_import.write_report(result, report_path)
    except OSError as exc:
        failed = outputs.write_failed(report_path, exc, option="--report")
        raise BpjsFieldError("import.report_failed", summary=counts, path=str(report_path)[:200],
                             reason=failed.params["reason"]) from None
    if args.json:
        print(json.dumps(s))
    else:
        print(f"{counts} Laporan: {report_path}")
    return 1 if result.problems else 0


def _date(text: str) -> date:
    """--from / --to: YYYY-MM-DD or DD-MM-YYYY."""
    from bpjs_field.reporting.tables import parse_day
    try:
        day = parse_day(text, "date")
    except BpjsFieldError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None
    if day is None:
        raise argparse.ArgumentTypeError("tanggal kosong")
    return day


def _out(path: str | None, suffixes: tuple[str, ...]) -> Path | None:
    from bpjs_field import outputs
    if path is None:
        return None
    if Path(path).suffix.casefold() not in suffixes:
        raise BpjsFieldError("export.format", option="--out", suffixes=" / ".join(suffixes))
    return outputs.check_output(path, option="--out", make_folder=True)


def cmd_report(args: argparse.Namespace) -> int:
    from bpjs_field.reporting import funnel, targets
    out = _out(args.out, (".pdf", ".xlsx"))
    found = targets.load(Path(args.targets)) if args.targets else None
    store = args.open_store()
    chosen = None
    if found is not None:
        branch = funnel.branch_of(store)
        chosen = targets.for_branch(branch, (args.to or today_wib()).year, Path(args.targets))
    report = funnel.build(store, start=args.start, end=args.to, by=args.by, targets=chosen)
    if out is not None and out.suffix.casefold() == ".xlsx":
        from bpjs_field.reporting.exports import report_xlsx
        report_xlsx(report, out)
    elif out is not None:
        from bpjs_field.reporting.report_pdf import write_report_pdf
        write_report_pdf(report, out, store)
    with store.write():
        store.audit("report.view", None, None, by=args.by, start=report.start.isoformat(),
                    end=report.end.isoformat(), out=out.suffix if out else None)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(text_report(report))
        if out is not None:
            print(f"Laporan: {out}", file=sys.stderr)
    return 0


def text_report(report) -> str:
    from bpjs_field.domain.formatting import format_rupiah
    lines = [f"Laporan {report.start.isoformat()} s.d. {report.end.isoformat()} per {report.by}"
             + (f" · {report.branch}" if report.branch else ""),
             f"{'':<32} {'hadir':>8} {'daftar':>8} {'KPJ':>8} {'bayar':>8} {'target':>9}"]
    for r in [*report.rows, report.total]:
        attended = "-" if r.attended is None else str(r.attended)
        target = "" if r.target is None else str(r.target)
        lines.append(f"{r.label[:32]:<32} {attended:>8} {r.registered:>8} {r.kpj:>8} "
                     f"{r.paid:>8} {target:>9}")
    lines.append(f"Iuran per bulan yang bayar: {format_rupiah(report.total.monthly)}; "
                 f"dibayar di muka (bulan × iuran): {format_rupiah(report.total.first_payments)}")
    if report.contribution_target:
        share = report.contribution_progress or 0.0
        percent = f"{100 * share:.{2 if share < 0.1 else 1}f}%".replace(".", ",")
        lines.append(f"Target iuran tahunan {format_rupiah(report.contribution_target)}: "
                     f"tercapai {percent}")
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace) -> int:
    from bpjs_field.reporting import exports
    out = _out(args.out, (".xlsx",))
    store = args.open_store()
    event_id = store.events.find(args.event)["id"] if args.event else None
    days = {k: args.days for k in ("no_kpj", "unpaid", "running_out")} if args.days is not None \
        else None
    count = exports.export(store, args.kind, out, event_id=event_id, full=args.full, days=days,
                           status=args.status)
    print(f"{count} baris: {out}")
    return 0


def cmd_followup(args: argparse.Namespace) -> int:
    """A follow-up list on screen, as a call sheet (PDF) or for a campaign (XLSX)."""
    from bpjs_field.reporting import call_sheet, exports
    from bpjs_field.reporting.followup_lists import DEFAULT_DAYS, TITLES, follow_up_list
    out = _out(args.out, (".pdf", ".xlsx"))
    store = args.open_store()
    today = today_wib()
    days = DEFAULT_DAYS[args.list] if args.days is None else args.days
    entries = follow_up_list(store, args.list, days=days, today=today)
    # Phones in full are a supervisor's (a plain database without a login is not restricted).
    full_phone = store.role in (None, "supervisor")
    if out is not None and out.suffix.casefold() == ".pdf":
        call_sheet.write_call_sheet(out, call_sheet.render(args.list, entries,
                                                           full_phone=full_phone, days=days,
                                                           today=today))
    elif out is not None:
        masker = exports.Masker(False)
        with exports._book(out) as book:
            book.sheet(TITLES[args.list][0], exports.FOLLOWUP_COLUMNS, (
                [TITLES[args.list][0], e.code, e.segment, e.name, masker.nik(e.nik),
                 (e.phone if full_phone else masker.phone(e.phone)),
                 "ya" if e.may_contact else "tidak", e.event, e.officer, e.since, e.days,
                 e.kpj_no, e.monthly_total] for e in entries))
    with store.write():
        store.audit("followup.list", None, None, list=args.list, days=days, rows=len(entries),
                    out=out.suffix if out else None, full_phone=full_phone and out is not None)
    if out is None:
        from bpjs_field.domain.nik import mask_nik
        from bpjs_field.domain.phone import mask_phone
        for e in entries:
            print(f"{e.code:<10} {e.name[:28]:<28} {mask_nik(e.nik) if e.nik else '':<17} "
                  f"{mask_phone(e.phone) if e.phone else '-':<15} {e.since.isoformat()} {e.days:>4}")
    print(f"{len(entries)} peserta: {TITLES[args.list][0]}" + (f" · {out}" if out else ""))
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("followup", help="daftar tindak lanjut: belum KPJ, belum bayar, hampir habis")
    p.add_argument("list", choices=("no_kpj", "unpaid", "running_out"))
    p.add_argument("--days", type=int, metavar="N", help="setelah N hari (hampir habis: dalam N hari)")
    p.add_argument("--out", metavar="FILE.pdf|FILE.xlsx", help="lembar telepon (PDF) atau XLSX")
    p.set_defaults(handler=cmd_followup)

    p = sub.add_parser("report", help="laporan cabang: hadir, daftar, KPJ, bayar, target")
    p.add_argument("--from", dest="start", type=_date, metavar="TANGGAL")
    p.add_argument("--to", type=_date, metavar="TANGGAL")
    p.add_argument("--by", default="segment",
                   choices=("segment", "kecamatan", "estate", "event", "partner", "officer"))
    p.add_argument("--out", metavar="FILE.pdf|FILE.xlsx")
    p.add_argument("--targets", metavar="FILE.json", help="berkas target lain (bawaan: bawaan aplikasi)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("export", help="ekspor Excel: pendaftaran, kehadiran, tindak lanjut")
    p.add_argument("kind", choices=("registrations", "attendance", "followup"))
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--event", metavar="ACARA", help="id acara (atau awalannya)")
    p.add_argument("--days", type=int, metavar="N", help="tindak lanjut: setelah N hari")
    p.add_argument("--status", choices=("baru", "dikirim", "kpj", "dibayar", "berhenti"),
                   help="pendaftaran: hanya yang berstatus ini")
    p.add_argument("--full", action="store_true",
                   help="NIK, No. KK dan telepon lengkap (supervisor; dicatat)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("kpj", help="nomor KPJ dan pembayaran dari sistem cabang")
    kpj = p.add_subparsers(dest="kpj_command", metavar="PERINTAH", required=True)
    q = kpj.add_parser("import", help="impor nomor KPJ (CSV/XLSX, dicocokkan dengan NIK)")
    q.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    q.add_argument("--report", metavar="R.csv", help="hasil per baris (NIK disamarkan)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_kpj_import)
