"""The `bpjs-field` command line.

With no command it starts the GUI.  `--db PATH` (or the BPJS_FIELD_DB
environment variable) chooses the database; the default lives in the
officer's data folder.  Errors caused by input or environment are one clear
line on stderr with exit code 2, never a traceback; exit code 1 is kept for
"ran, but something the officer asked for did not finish" (e.g. rejected rows).

Subcommands from other parts of the core (printing, sync) register themselves
through `add_commands(subparsers)`; each parser sets `handler(args) -> int`,
and `args.open_store()` opens the chosen database on first use.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from bpjs_field.__about__ import __version__
from bpjs_field.errors import BpjsFieldError
from bpjs_field.paths import DB_ENV, default_db_path

log = logging.getLogger(__name__)
PLUGINS = ("bpjs_field.printing.cli", "bpjs_field.sync.cli", "bpjs_field.security.cli",
           "bpjs_field.server.cli", "bpjs_field.sync.hub_cli", "bpjs_field.reporting.cli")


def _open_store_factory(args: argparse.Namespace):
    cache: dict[str, Any] = {}

    def open_store():
        if "store" not in cache:
            # An encrypted database asks who is working (employee number, password
            # from the terminal or stdin, never from the command line).
            from bpjs_field.security.cli import open_for_cli
            cache["store"] = open_for_cli(args, args.db or default_db_path())
            officer = cache["store"].get_setting("current_officer_id")
            if officer and cache["store"].officer_id is None:
                cache["store"].remember_officer(officer)
        return cache["store"]

    open_store.cache = cache  # type: ignore[attr-defined]
    return open_store


# -- commands -----------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    from bpjs_field.demo import fill_demo, fill_followup
    store = args.open_store()

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{done:,}/{total:,} peserta".replace(",", "."), end="", file=sys.stderr)

    counts = fill_demo(store, args.participants, seed=args.seed, progress=progress)
    counts.update(fill_followup(store, seed=args.seed))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print("Data demo dibuat: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from bpjs_field import importer, outputs
    if args.template:
        template = outputs.check_output(args.template, option="--template")
        try:
            importer.write_template(template)
        except OSError as exc:
            raise outputs.write_failed(template, exc, option="--template") from None
        print(f"Templat ditulis: {args.template}")
        return 0
    if not args.file:
        raise BpjsFieldError("file.missing", path="(FILE.csv)")
    from bpjs_field.domain.consent import privacy_notice
    path = Path(args.file)
    report_path = (Path(args.report) if args.report
                   else outputs.beside(path, "-laporan.csv"))
    # Before any row is saved: a report that cannot be written must not cost the officer
    # a half-imported file with no list of what was refused.
    outputs.check_output(report_path, option="--report")
    rows = importer.read_rows(path)  # a file that is no partner list: refused before logging in
    store = args.open_store()
    event_id = store.events.find(args.event)["id"] if args.event else None

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{done:,}/{total:,} baris".replace(",", "."), end="", file=sys.stderr)

    report = importer.import_csv(store, path, event_id=event_id, rows=rows, progress=progress,
                                 consent_version=args.consent_version or privacy_notice().version)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    counts = (f"{report.total} baris: {report.saved} disimpan, {report.already} sudah ada, "
              f"{report.rejected} ditolak.")
    if warned := len({warning[0] for warning in report.saved_warnings()}):
        counts += f" {warned} baris disimpan dengan peringatan: periksa di laporan."
    try:
        importer.write_report(report, report_path)
    except OSError as exc:
        failed = outputs.write_failed(report_path, exc, option="--report")
        raise BpjsFieldError("import.report_failed", summary=counts, path=str(report_path)[:200],
                             reason=failed.params["reason"]) from None
    print(f"{counts} Laporan: {report_path}")
    if report.stopped is not None:
        print(f"bpjs-field: {report.stopped.message()}", file=sys.stderr)
        return 130 if report.stopped.code == "import.interrupted" else 2
    return 1 if report.rejected else 0


def cmd_search(args: argparse.Namespace) -> int:
    from bpjs_field.domain.codes import format_code
    from bpjs_field.domain.foreign import mask_passport
    from bpjs_field.domain.nik import mask_nik
    from bpjs_field.domain.phone import mask_phone
    store = args.open_store()
    hits = store.search_index.search(args.text, limit=args.limit)
    out = []
    for hit in hits:
        ident = hit["nik"] or hit["passport_no"] or ""
        if not args.full:
            ident = mask_nik(ident) if hit["nik"] else mask_passport(ident)
        out.append({"id": hit["id"], "name": hit["full_name"], "nik" if hit["nik"] else "passport": ident,
                    "phone": (hit["phone"] if args.full else mask_phone(hit["phone"])) if hit["phone"] else None,
                    "codes": [format_code(c) for c in (hit["codes"] or "").split()]})
    if args.full and hits:
        with store.write():
            store.audit("person.view_full", "search", None, count=len(hits), via="cli")
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for row in out:
            ident = row.get("nik") or row.get("passport") or ""
            print(f"{row['name']:<32} {ident:<18} {row['phone'] or '-':<16} {' '.join(row['codes'])}")
        print(f"({len(out)} peserta)")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    stats = args.open_store().stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    labels = {"people": "Peserta", "registrations": "Pendaftaran", "attendance": "Kehadiran",
              "events": "Acara", "officers": "Petugas", "pending_changes": "Belum tersinkron"}
    for key, label in labels.items():
        print(f"{label:<18} {stats[key]:>10,}".replace(",", "."))
    for segment, count in sorted(stats["registrations_by_segment"].items()):
        print(f"  {segment.upper():<16} {count:>10,}".replace(",", "."))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bpjs_field import backup
    store = args.open_store()
    if args.list:
        for info in backup.list_backups(store.path):
            print(f"{info.taken_at:%Y-%m-%d %H:%M:%S} UTC  {info.size / 2**20:7.1f} MiB  {info.path}")
        return 0
    info = backup.create_backup(store, "manual")
    print(f"Cadangan dibuat: {info.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bpjs_field import backup
    from bpjs_field.instance import require_closed
    db_path = Path(args.db) if args.db else default_db_path()
    require_closed(db_path.parent, action="restore")  # never under a running window
    # An encrypted database: the officer logs in, which gives the key the backup was made with.
    store = args.open_store()
    key, session = store.key, store.session
    store.close()
    args.open_store.cache.pop("store", None)
    aside = backup.restore_backup(db_path, Path(args.file), key=key, session=session)
    print(f"Basis data dipulihkan dari {args.file}. Basis data sebelumnya disimpan di {aside}")
    from bpjs_field.store import Store
    from bpjs_field.sync.marks import unknown_marks
    restored = Store.open(db_path, key)
    try:
        if unknown_marks(restored):
            print("Nomor terakhir yang sudah dikirim laptop ini ke cabang tidak diketahui (disk "
                  "baru): sinkronkan sebelum mendaftar bila bisa. Tanpa sinkron, nomor "
                  "pendaftaran baru dilanjutkan sesudah jeda aman, tidak bentrok.")
    finally:
        restored.close()
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from bpjs_field.doctor import PROBLEM, run_checks
    findings = run_checks(args.open_store())
    for f in findings:
        print(f"[{f.level.upper():<10}] {f.check}: {f.detail}")
        if f.fix:
            print(f"             -> {f.fix}")
    return 1 if any(f.level == PROBLEM for f in findings) else 0


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.passphrase_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass
    first = getpass.getpass("Kata sandi berkas: ")
    if confirm and getpass.getpass("Ulangi kata sandi: ") != first:
        raise BpjsFieldError("passphrase.mismatch")
    return first


def cmd_export_usb(args: argparse.Namespace) -> int:
    from bpjs_field import outputs
    from bpjs_field.handcarry import export_changes
    target = outputs.check_output(args.file, option="export-usb")
    store = args.open_store()
    passphrase = _passphrase(args, confirm=True)
    try:
        count = export_changes(store, target, passphrase)
    except OSError as exc:
        raise outputs.write_failed(target, exc, option="export-usb",
                                   partial=target.with_name(target.name + ".partial")) from None
    print(f"{count} perubahan yang belum tersinkron diekspor ke {args.file} (terenkripsi).")
    return 0


def cmd_import_usb(args: argparse.Namespace) -> int:
    from bpjs_field.handcarry import import_changes
    result = import_changes(args.open_store(), Path(args.file), _passphrase(args, confirm=False))
    print(f"{result.received} perubahan dibaca, {result.queued} baru diantrekan ke server, "
          f"{result.applied} baris diperbarui di laptop ini.")
    return 0


def cmd_server_import(args: argparse.Namespace) -> int:
    from bpjs_field.handcarry import import_into_server
    from bpjs_field.server.db import default_database_url
    url = args.database_url or default_database_url()
    counts = import_into_server(url, Path(args.file), _passphrase(args, confirm=False))
    print(f"{counts.get('received', 0)} perubahan dibaca: {counts.get('applied', 0)} diterapkan, "
          f"{counts.get('duplicates', 0)} sudah ada, {counts.get('quarantined', 0)} dikarantina.")
    return 0


def cmd_selftest(args: argparse.Namespace) -> int:
    from bpjs_field.selftest import run
    return run(gui=args.gui, keep=Path(args.keep) if args.keep else None)


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.app import main as gui_main
    return gui_main(db_path=Path(args.db) if args.db else None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bpjs-field",
        description="Aplikasi petugas lapangan BPJS Ketenagakerjaan. Tanpa perintah: membuka aplikasi.")
    parser.add_argument("--version", action="version", version=f"bpjs-field {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help=f"berkas basis data (bawaan: ${DB_ENV} atau folder data pengguna)")
    parser.set_defaults(handler=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")

    p = sub.add_parser("demo", help="isi basis data dengan data demo")
    p.add_argument("--participants", type=int, default=2000, metavar="N")
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("import", help="pendaftaran massal dari berkas CSV mitra")
    p.add_argument("file", nargs="?", metavar="FILE.csv")
    p.add_argument("--template", metavar="FILE.csv", help="tulis templat CSV lalu keluar")
    p.add_argument("--event", metavar="ACARA", help="id acara (atau awalannya)")
    p.add_argument("--report", metavar="FILE.csv", help="laporan baris yang ditolak")
    p.add_argument("--consent-version", metavar="VERSI")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("search", help="cari peserta (nama, NIK, telepon, kode)")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.add_argument("--full", action="store_true", help="tampilkan NIK dan telepon lengkap (dicatat)")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("stats", help="jumlah peserta, pendaftaran, kehadiran, perubahan tertunda")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("doctor", help="periksa basis data, disk, printer, sinkronisasi, cadangan")
    p.set_defaults(handler=cmd_doctor)

    p = sub.add_parser("export-usb", help="ekspor perubahan yang belum tersinkron ke berkas terenkripsi")
    p.add_argument("file", metavar="BERKAS.bpjsf")
    p.add_argument("--passphrase-stdin", action="store_true", help="baca kata sandi berkas dari stdin")
    p.set_defaults(handler=cmd_export_usb)

    p = sub.add_parser("import-usb", help="impor berkas ekspor dari laptop lain (diteruskan ke server)")
    p.add_argument("file", metavar="BERKAS.bpjsf")
    p.add_argument("--passphrase-stdin", action="store_true")
    p.set_defaults(handler=cmd_import_usb)

    p = sub.add_parser("server-import", help="impor berkas ekspor langsung ke basis data server cabang")
    p.add_argument("file", metavar="BERKAS.bpjsf")
    p.add_argument("--database-url", metavar="URL", help="bawaan: berkas SQLite server di folder data")
    p.add_argument("--passphrase-stdin", action="store_true")
    p.set_defaults(handler=cmd_server_import)

    p = sub.add_parser("selftest", help="uji instalasi di folder sementara (tanpa menyentuh data)")
    p.add_argument("--gui", action="store_true", help="juga buka jendela utama secara offscreen")
    p.add_argument("--keep", metavar="FOLDER", help="simpan hasil uji di folder ini")
    p.set_defaults(handler=cmd_selftest)

    p = sub.add_parser("backup", help="buat cadangan basis data sekarang (atau --list)")
    p.add_argument("--list", action="store_true", help="tampilkan cadangan yang ada")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="pulihkan basis data dari cadangan (aplikasi harus ditutup)")
    p.add_argument("file", metavar="CADANGAN.sqlite3")
    p.set_defaults(handler=cmd_restore)

    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that part is not built yet
            raise
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from bpjs_field.log import setup_logging
    setup_logging()
    opener = _open_store_factory(args)

    def open_store():
        fresh = "store" not in opener.cache
        store = opener()
        if fresh:  # the rates and privacy notice this laptop last received from the branch
            from bpjs_field.domain.reference import use_stored
            use_stored(store)
        return store

    open_store.cache = opener.cache  # type: ignore[attr-defined]
    args.open_store = open_store
    try:
        return int(args.handler(args) or 0)
    except BpjsFieldError as exc:
        print(f"bpjs-field: {exc.message()}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A file or folder of the officer's that could not be read or written: their
        # environment, not a bug; one line, as for every other such error.
        from bpjs_field.outputs import refuse
        log.warning("command failed on a file: %s", type(exc).__name__)
        print(f"bpjs-field: {refuse(exc.filename or '', exc, code='output.write_failed').message()}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        store = args.open_store.cache.get("store")
        if store is not None:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
