"""Printing subcommands for `bpjs-field`: receipt, brochure, attendance-sheet, event-summary.

`add_commands(sub)` registers them on the main parser's subparsers; each
handler gets the laptop Store through `args.open_store()` (provided by the
main command line) and writes a PDF.  A receipt written to a file is logged
(printer "file") but is not a copy handed out: the next receipt of the same
registration is not marked SALINAN because of it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bpjs_field.printing import documents

# Kept here, not imported from brochure_content: building the parser must not load
# reportlab (every `bpjs-field` command builds it).
KINDS = ("jkk", "jkm", "jht", "jp", "jkp", "bpu")
LANGS = ("id", "en")
RECEIPT_FORMATS = ("a4", "a5", "thermal", "thermal58")

FILE_PRINTER = "file"


def _write(path: str, job: "documents.PrintJob") -> None:
    from bpjs_field import outputs
    target = Path(path)
    try:
        target.write_bytes(job.pdf)
    except OSError as exc:
        raise outputs.write_failed(target, exc, option="--out") from None
    # Only the file name goes to the terminal: it carries no personal data.
    print(f"{job.title}: {target}", file=sys.stderr)


def _store(args: argparse.Namespace):
    """The laptop's Store from the main command line, which also owns closing it; the
    `--out` file is checked first, so a bad path costs nothing (nothing logged, no
    reprint number used)."""
    from bpjs_field import outputs
    if args.out:  # a receipt may go to an ESC/POS printer only
        outputs.check_output(args.out, option="--out", make_folder=True)
    return args.open_store()


def cmd_receipt(args: argparse.Namespace) -> int:
    from bpjs_field.printing import documents
    if not args.out and not args.escpos:
        print("receipt: give --out FILE.pdf or --escpos DEVICE_OR_FILE", file=sys.stderr)
        return 2
    store = _store(args)
    if args.out:
        job = documents.receipt_job_by_code(store, args.code, args.format)
        _write(args.out, job)
        documents.log_job(store, job, printer=FILE_PRINTER)
    if args.escpos:
        from bpjs_field.printing import escpos_cli
        return escpos_cli.print_receipt(store, args)
    return 0


def cmd_brochure(args: argparse.Namespace) -> int:
    from bpjs_field.printing import documents
    store = _store(args)
    stamp = None
    if args.event or args.contact:
        event = store.events.find(args.event) if args.event else None
        stamp = documents.stamp_for(store, event["id"] if event else None, args.contact)
    job = documents.brochure_job(args.kind, args.lang, stamp=stamp)
    _write(args.out, job)
    documents.log_job(store, job, copies=args.copies, printer=FILE_PRINTER)
    return 0


def cmd_attendance(args: argparse.Namespace) -> int:
    from bpjs_field.printing import documents
    store = _store(args)
    job = documents.attendance_job(store, args.event)
    _write(args.out, job)
    documents.log_job(store, job, printer=FILE_PRINTER)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from bpjs_field.printing import documents
    store = _store(args)
    job = documents.summary_job(store, args.event)
    _write(args.out, job)
    documents.log_job(store, job, printer=FILE_PRINTER)
    return 0


def add_commands(sub) -> None:
    """Register the printing subcommands on an argparse subparsers object."""
    p = sub.add_parser("receipt", help="tanda terima pendaftaran sebagai PDF (receipt as PDF)")
    p.add_argument("code", help="kode pendaftaran, mis. 27PS-0001-C")
    p.add_argument("--format", choices=RECEIPT_FORMATS, default="a4")
    p.add_argument("--out", metavar="FILE.pdf")
    p.add_argument("--escpos", metavar="DEVICE_OR_FILE",
                   help="kirim ke printer struk ESC/POS: COM5, /dev/rfcomm0, /dev/usb/lp0, "
                        "USB vendor:produk (0416:5011) atau berkas (byte mentah)")
    p.add_argument("--connection", choices=("serial", "usb", "win32raw", "file"),
                   help="jenis sambungan --escpos (bawaan: ditebak dari namanya)")
    p.add_argument("--width", type=int, choices=(58, 80), default=58, help="lebar kertas, mm")
    p.add_argument("--native-qr", action="store_true", help="QR digambar printer (GS ( k)")
    p.add_argument("--cut", action="store_true", help="potong kertas di akhir (ada pemotong)")
    p.set_defaults(handler=cmd_receipt)

    p = sub.add_parser("brochure", help="brosur program (tri-fold A4) sebagai PDF")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--lang", choices=LANGS, default="id")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--event", help="cap nama dan tanggal acara (id atau awalan id)")
    p.add_argument("--contact", help="kontak petugas yang dicetak di sampul belakang")
    p.add_argument("--copies", type=int, default=1, help="jumlah yang akan dicetak (untuk log)")
    p.set_defaults(handler=cmd_brochure)

    p = sub.add_parser("attendance-sheet", help="daftar hadir acara sebagai PDF")
    p.add_argument("event", help="id acara atau awalan id yang unik")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_attendance)

    p = sub.add_parser("event-summary", help="ringkasan acara sebagai PDF")
    p.add_argument("event", help="id acara atau awalan id yang unik")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_summary)
