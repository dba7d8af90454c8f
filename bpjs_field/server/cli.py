"""Command line for supervisors and branch IT on the server: `server-quarantine` lists the
changes the server kept aside (not delivered), with the laptops and what to do;
`server-tags` which laptop owns each registration-code tag, and the stored codes made under
another laptop's tag (server/tags.py)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

from bpjs_field.domain.formatting import today_wib


@contextlib.contextmanager
def server_db(args: argparse.Namespace) -> Iterator[Any]:
    """The branch database named by --database-url, migrated, closed afterwards."""
    from bpjs_field.server.db import ServerDatabase, default_database_url
    from bpjs_field.server.schema import migrate
    db = ServerDatabase(args.database_url or default_database_url(), pool_size=2)
    try:
        migrate(db)
        yield db
    finally:
        db.close()


def cmd_quarantine(args: argparse.Namespace) -> int:
    from bpjs_field.messages import render
    from bpjs_field.server.quarantine import list_quarantine
    with server_db(args) as db:
        with db.read() as tx:
            rows = list_quarantine(tx, args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif not rows:
        print(render("quarantine.none"), file=sys.stderr)
    else:
        for row in rows:
            print(f"{row['received_at']}\t{row['reason']}\t{row['entity']} {row['entity_id']}\t"
                  f"dibuat: {row['made_by']}\tdikirim: {row['delivered_by']}\t"
                  f"{row['attempts']}×\n\t→ {row['what_to_do']}")
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    from bpjs_field.server.tags import foreign_codes
    with server_db(args) as db:
        with db.read() as tx:
            owned = tx.dicts("SELECT t.tag, t.device_id, t.source, t.added_at, d.name, "
                             "d.device_tag AS current_tag FROM device_tags t LEFT JOIN devices d "
                             "ON d.id = t.device_id ORDER BY t.device_id, t.tag")
            foreign = foreign_codes(tx, args.limit)
    if args.json:
        print(json.dumps({"tags": owned, "foreign_codes": foreign}, ensure_ascii=False, indent=1))
        return 0
    for row in owned:
        now = " (tag sekarang)" if row["tag"] == row["current_tag"] else ""
        print(f"{row['tag']}	{row['name'] or '-'} ({row['device_id']})	{row['source']}"
              f"	{row['added_at']}{now}")
    for row in foreign:
        print(f"kode {row['code']} dibuat laptop {row['made_by']}, tag milik laptop "
              f"{row['tag_owner']}: periksa kuitansinya")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The branch's report over every laptop that synced (read-only)."""
    from datetime import date
    from pathlib import Path

    from bpjs_field.reporting import targets
    from bpjs_field.reporting.cli import _out, text_report
    from bpjs_field.server.report import server_report
    out = _out(args.out, (".xlsx",))
    with server_db(args) as db:
        chosen = None
        if args.targets:
            targets.load(Path(args.targets))
            with db.read() as tx:
                branches = [b for (b,) in tx.rows("SELECT branch FROM accounts")]
            branch = max(set(branches), key=branches.count) if branches else None
            year = (args.to or today_wib()).year
            chosen = targets.for_branch(branch, year, Path(args.targets))
        report = server_report(db, start=args.start, end=args.to, by=args.by, targets=chosen)
    if out is not None:
        from bpjs_field.reporting.exports import report_xlsx
        report_xlsx(report, out)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(text_report(report))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bpjs_field.reporting.cli import _out
    from bpjs_field.server.exports import server_export
    out = _out(args.out, (".xlsx",))
    with server_db(args) as db:
        count = server_export(db, args.kind, out)
    print(f"{count} baris: {out}")
    return 0


def add_commands(sub: Any) -> None:
    from bpjs_field.reporting.cli import _date
    p = sub.add_parser("server-export", help="ekspor Excel cabang dari semua laptop (di server)")
    p.add_argument("kind", choices=("registrations", "attendance"))
    p.add_argument("--database-url", help="sqlite:///berkas.sqlite3 (bawaan) atau postgresql://…")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("server-report", help="laporan cabang dari semua laptop (di server cabang)")
    p.add_argument("--database-url", help="sqlite:///berkas.sqlite3 (bawaan) atau postgresql://…")
    p.add_argument("--from", dest="start", type=_date, metavar="TANGGAL")
    p.add_argument("--to", type=_date, metavar="TANGGAL")
    p.add_argument("--by", default="segment",
                   choices=("segment", "kecamatan", "estate", "event", "partner", "officer"))
    p.add_argument("--out", metavar="FILE.xlsx")
    p.add_argument("--targets", metavar="FILE.json")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_report)

    for name, text, limit, handler in (
            ("server-quarantine", "perubahan yang ditahan server (belum diterapkan) dan tindakannya",
             500, cmd_quarantine),
            ("server-tags", "tag perangkat tiap laptop, dan kode tersimpan di bawah tag laptop lain",
             1000, cmd_tags)):
        p = sub.add_parser(name, help=text)
        p.add_argument("--database-url", help="sqlite:///berkas.sqlite3 (bawaan) atau postgresql://…")
        p.add_argument("--limit", type=int, default=limit)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)
