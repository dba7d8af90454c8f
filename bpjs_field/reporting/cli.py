"""Follow-up and report subcommands for `bpjs-field`: `kpj import`, `report`, `export`,
`followup`.  Errors as everywhere: one line on stderr, exit code 2; exit code 1 when the
command ran but some rows were not applied (reported in the `--report` file)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_kpj_import(args: argparse.Namespace) -> int:
    from bpjs_field import outputs
    from bpjs_field.errors import BpjsFieldError
    from bpjs_field.reporting import kpj_import
    from bpjs_field.reporting.tables import read_table
    path = Path(args.file)
    report_path = Path(args.report) if args.report else Path.cwd() / f"{path.stem}-hasil-kpj.csv"
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


def add_commands(sub) -> None:
    p = sub.add_parser("kpj", help="nomor KPJ dan pembayaran dari sistem cabang")
    kpj = p.add_subparsers(dest="kpj_command", metavar="PERINTAH", required=True)
    q = kpj.add_parser("import", help="impor nomor KPJ (CSV/XLSX, dicocokkan dengan NIK)")
    q.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    q.add_argument("--report", metavar="R.csv", help="hasil per baris (NIK disamarkan)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_kpj_import)
