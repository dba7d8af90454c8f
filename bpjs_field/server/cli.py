"""Command line for supervisors and branch IT on the server: `server-quarantine` lists the
changes the server kept aside (not delivered), with the laptops and what to do."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def cmd_quarantine(args: argparse.Namespace) -> int:
    from bpjs_field.messages import render
    from bpjs_field.server.quarantine import list_quarantine
    from bpjs_field.sync.cli import _server_db
    with _server_db(args) as db:
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


def add_commands(sub: Any) -> None:
    p = sub.add_parser("server-quarantine",
                       help="perubahan yang ditahan server (belum diterapkan) dan tindakannya")
    p.add_argument("--database-url", help="sqlite:///berkas.sqlite3 (bawaan) atau postgresql://…")
    p.add_argument("--limit", type=int, default=500)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_quarantine)
