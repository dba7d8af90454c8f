"""Command-line commands for sync and the branch server.

`add_commands(sub)` registers, on the lead's argparse sub-parsers:
  serve            run the branch server (SQLite file by default, or PostgreSQL)
  server-officer   officer accounts on the server: add, list, password, role, disable, enable
  server-device    list enrolled laptops, revoke one, allow an account on one
  revoke-device    revoke a laptop (same as `server-device revoke`)
  enroll           enrol this laptop with an officer's credentials
  sync             one round: push everything, pull everything (--retry-refused first
                   queues again the changes the server refused)
  conflicts        (a supervisor) list the open sync conflicts; `conflicts resolve ID
                   --keep|--use-other` decides one (bpjs_field/sync/conflicts.py)

Laptop commands get the store from `args.open_store()`; server commands
never open a laptop store.  Heavy imports (httpx, FastAPI, psycopg) happen
inside the handlers so `bpjs-field --help` and `bpjs-field sync` start fast.
Errors are `KnownError`s; the lead's CLI prints them on one line (exit 2).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from bpjs_field.errors import KnownError
from bpjs_field.server.cli import server_db as _server_db  # the branch database, for a command


def _read_password(args: argparse.Namespace, *, confirm: bool = False) -> str:
    if getattr(args, "password_stdin", False) or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Kata sandi / Password: ")
        if confirm and getpass.getpass("Ulangi / Repeat: ") != password:
            raise KnownError("server.password_mismatch")
    if not password:
        raise KnownError("sync.password_empty")
    return password


# -- server side -------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from bpjs_field.server.app import serve
    serve(args.host, args.port, args.database_url, args.log_level)
    return 0


def cmd_officer_add(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import add_officer
    password = _read_password(args, confirm=True)
    with _server_db(args) as db:
        row = add_officer(db, employee_no=args.employee_no, full_name=args.name,
                          branch=args.branch, role=args.role, password=password)
    print(f"{row['employee_no']}\t{row['full_name']}\t{row['role']}\t{row['id']}")
    return 0


def cmd_officer_list(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import list_officers
    with _server_db(args) as db:
        for row in list_officers(db):
            state = "aktif" if row["active"] else "nonaktif"
            print(f"{row['employee_no']}\t{row['full_name']}\t{row['branch']}\t{row['role']}\t{state}")
    return 0


def cmd_officer_password(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import set_password
    password = _read_password(args, confirm=True)
    with _server_db(args) as db:
        set_password(db, args.employee_no, password)
    return 0


def cmd_officer_role(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import set_role
    with _server_db(args) as db:
        row = set_role(db, args.employee_no, args.role)
    print(f"{row['employee_no']}\t{row['role']}")
    return 0


def cmd_officer_active(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import set_active
    with _server_db(args) as db:
        row = set_active(db, args.employee_no, args.officer_command == "enable")
    print(f"{row['employee_no']}\t{'aktif' if row['active'] else 'nonaktif'}")
    return 0


def cmd_device_list(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import list_devices
    with _server_db(args) as db:
        for row in list_devices(db):
            state = f"DICABUT {row['revoked_at']}" if row["revoked_at"] else "aktif"
            print(f"{row['id']}\t{row['device_tag']}\t{row['name'] or '-'}\t{row['employee_no']}\t"
                  f"{row['last_seen_at'] or '-'}\t{state}")
    return 0


def cmd_device_revoke(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import revoke_device
    with _server_db(args) as db:
        if not revoke_device(db, args.device_id):
            raise KnownError("server.device_unknown", device=args.device_id)
    print(f"revoked\t{args.device_id}")
    return 0


def cmd_device_allow(args: argparse.Namespace) -> int:
    from bpjs_field.server.accounts import allow_account
    with _server_db(args) as db:
        allow_account(db, args.device_id, args.employee_no)
    print(f"allowed\t{args.employee_no}\t{args.device_id}")
    return 0


# -- laptop side -------------------------------------------------------------------------
def cmd_enroll(args: argparse.Namespace) -> int:
    from bpjs_field.sync.engine import enroll, new_http_client
    password = _read_password(args)
    store = args.open_store()
    try:
        with new_http_client(read_timeout=30) as http:
            result = enroll(store, http, args.server, args.employee_no, password)
    finally:
        store.close()
    officer = result["officer"]
    print(f"enrolled\t{officer['employee_no']}\t{officer['full_name']}\tdevice-tag={result['device_tag']}")
    _print_clock(result.get("clock_offset_ms"))
    return 0


def _print_clock(offset: int | None) -> None:
    from bpjs_field.messages import render
    from bpjs_field.protocol import CLOCK_SKEW_WARN_MS
    if offset is not None and abs(offset) > CLOCK_SKEW_WARN_MS:
        print(render("sync.clock_skew", minutes=round(abs(offset) / 60000)), file=sys.stderr)


def cmd_sync(args: argparse.Namespace) -> int:
    from bpjs_field.messages import render
    from bpjs_field.sync.engine import SyncEngine, new_http_client, refused_changes, retry_refused
    store = args.open_store()
    try:
        if args.retry_refused:
            print(render("sync.refused_requeued", count=retry_refused(store)), file=sys.stderr)
        with new_http_client(read_timeout=args.timeout) as http:
            result = SyncEngine(store, http, server_url=args.server).run()
        pending = store.pending_changes()
        refused = refused_changes(store)
        from bpjs_field.store.set_aside import set_aside_rows
        aside = set_aside_rows(store)
    finally:
        store.close()
    print(f"pushed={result.pushed} duplicates={result.duplicates} quarantined={result.quarantined} "
          f"pulled={result.pulled} merged={result.merged} pending={pending} "
          f"refused={sum(n for _, n in refused)} set_aside={len(aside)}")
    if aside:
        print(render("sync.set_aside", count=len(aside)), file=sys.stderr)
        for row in aside[:20]:
            print(render("sync.set_aside_row", entity=row["entity"], id=row["id"],
                         reason=row["reason"]), file=sys.stderr)
    if refused:
        print(render("sync.refused", count=sum(n for _, n in refused)), file=sys.stderr)
        for reason, count in refused:
            print(render("sync.refused_reason", count=count, reason=reason), file=sys.stderr)
    _print_clock(result.clock_offset_ms)
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    import json

    from bpjs_field.messages import render
    from bpjs_field.sync.conflicts import list_conflicts
    from bpjs_field.sync.engine import new_http_client
    store = args.open_store()
    with new_http_client(read_timeout=args.timeout) as http:
        found = list_conflicts(store, http, reveal=args.reveal)
    _print_outcomes(found.finished)
    if args.json:
        print(json.dumps([row.as_dict() for row in found.rows], ensure_ascii=False, indent=1))
    elif not found.rows:
        print(render("conflicts.none"), file=sys.stderr)
    else:
        for row in found.rows:
            who = row.person if row.entity == "person" else None
            waiting = f"\tmenunggu:{row.pending}" if row.pending else ""
            print(f"{row.id}\t{who or row.entity + ' ' + row.entity_id}\t{row.field}\t"
                  f"{row.current}\t{row.other}\t{row.current_laptop} / {row.other_laptop}\t"
                  f"{row.detected_at}{waiting}")
    if found.waiting:
        print(render("conflicts.still_waiting", count=found.waiting), file=sys.stderr)
    return 0


def _print_outcomes(outcomes: list[dict[str, Any]]) -> None:
    """Decisions made earlier that reached the server during this command."""
    from bpjs_field.messages import render
    for done in outcomes:
        if "error" in done:
            print(render("conflicts.refused", id=done["id"], reason=render(done["error"])),
                  file=sys.stderr)
        else:
            print(render("conflicts.decided", id=done["id"], choice=done["choice"],
                         count=len(done["resolved"])), file=sys.stderr)


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    from bpjs_field.sync.conflicts import KEEP, USE_OTHER, resolve
    from bpjs_field.sync.engine import new_http_client
    store = args.open_store()
    with new_http_client(read_timeout=args.timeout) as http:
        done = resolve(store, http, args.id, USE_OTHER if args.use_other else KEEP)
    repeated = "\trepeated" if done["repeated"] else ""
    print(f"resolved\t{done['id']}\t{done['choice']}\t"
          f"settled={','.join(map(str, done['resolved']))}{repeated}")
    return 0


def add_commands(sub: Any) -> None:
    p = sub.add_parser("serve", help="jalankan server sinkronisasi cabang")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--database-url", help="sqlite:///berkas.sqlite3 (bawaan) atau postgresql://…")
    p.add_argument("--log-level", default="info")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("server-officer",
                       help="akun petugas di server cabang (add, list, password, role, disable, enable)")
    osub = p.add_subparsers(dest="officer_command", required=True)
    q = osub.add_parser("add", help="tambah petugas (kata sandi dari stdin atau ditanyakan)")
    q.add_argument("--database-url")
    q.add_argument("--employee-no", required=True)
    q.add_argument("--name", required=True)
    q.add_argument("--branch", required=True)
    q.add_argument("--role", choices=("officer", "supervisor"), default="officer")
    q.add_argument("--password-stdin", action="store_true")
    q.set_defaults(handler=cmd_officer_add)
    q = osub.add_parser("list", help="daftar akun petugas")
    q.add_argument("--database-url")
    q.set_defaults(handler=cmd_officer_list)
    q = osub.add_parser("password", help="ganti kata sandi petugas")
    q.add_argument("--database-url")
    q.add_argument("--employee-no", required=True)
    q.add_argument("--password-stdin", action="store_true")
    q.set_defaults(handler=cmd_officer_password)
    q = osub.add_parser("role", help="ganti peran petugas (laptop mengikuti saat sinkronisasi)")
    q.add_argument("--database-url")
    q.add_argument("--employee-no", required=True)
    q.add_argument("--role", choices=("officer", "supervisor"), required=True)
    q.set_defaults(handler=cmd_officer_role)
    for name, text in (("disable", "nonaktifkan akun: tidak bisa masuk atau sinkron lagi"),
                       ("enable", "aktifkan lagi akun yang dinonaktifkan")):
        q = osub.add_parser(name, help=text)
        q.add_argument("--database-url")
        q.add_argument("--employee-no", required=True)
        q.set_defaults(handler=cmd_officer_active)

    p = sub.add_parser("server-device", help="laptop terdaftar di server cabang (list, revoke)")
    dsub = p.add_subparsers(dest="device_command", required=True)
    q = dsub.add_parser("list", help="daftar laptop terdaftar")
    q.add_argument("--database-url")
    q.set_defaults(handler=cmd_device_list)
    q = dsub.add_parser("revoke", help="cabut akses laptop: sinkronisasi berikutnya ditolak")
    q.add_argument("--database-url")
    q.add_argument("device_id")
    q.set_defaults(handler=cmd_device_revoke)
    q = dsub.add_parser("allow", help="izinkan akun masuk di laptop ini (mis. supervisor yang "
                                      "bekerja di laptop petugas)")
    q.add_argument("--database-url")
    q.add_argument("device_id")
    q.add_argument("--employee-no", required=True)
    q.set_defaults(handler=cmd_device_allow)
    p = sub.add_parser("revoke-device", help="cabut akses laptop (sama dengan server-device revoke)")
    p.add_argument("--database-url")
    p.add_argument("device_id")
    p.set_defaults(handler=cmd_device_revoke)

    p = sub.add_parser("enroll", help="daftarkan laptop ini ke server cabang")
    p.add_argument("--server", required=True, help="mis. http://10.1.2.3:8765")
    p.add_argument("--employee-no", required=True)
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(handler=cmd_enroll)

    p = sub.add_parser("sync", help="kirim perubahan laptop ini dan ambil data cabang")
    p.add_argument("--server", help="alamat server (bawaan: yang didaftarkan)")
    p.add_argument("--timeout", type=float, default=60.0, help="detik menunggu jawaban server")
    p.add_argument("--retry-refused", action="store_true",
                   help="antrekan lagi perubahan yang ditolak server, lalu sinkronkan")
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser("conflicts", help="konflik sinkronisasi yang menunggu keputusan supervisor")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--reveal", action="store_true",
                   help="tampilkan nilai lengkap tanpa disamarkan (dicatat di log audit)")
    p.add_argument("--timeout", type=float, default=30.0, help="detik menunggu jawaban server")
    p.set_defaults(handler=cmd_conflicts)
    csub = p.add_subparsers(dest="conflicts_command")
    q = csub.add_parser("resolve", help="putuskan satu konflik (lalu sinkronkan)")
    q.add_argument("id", type=int, metavar="ID", help="nomor konflik dari daftar")
    choice = q.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep", action="store_true", help="pertahankan nilai sekarang")
    choice.add_argument("--use-other", action="store_true", help="pakai nilai yang kalah")
    q.add_argument("--timeout", type=float, default=30.0, help="detik menunggu jawaban server")
    q.set_defaults(handler=cmd_conflicts_resolve)
