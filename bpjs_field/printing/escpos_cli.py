"""`bpjs-field receipt CODE --escpos DEVICE_OR_FILE`: a receipt straight to an
ESC/POS printer, or its raw bytes into a file (how tests and branch IT check
what a printer would get).  Kept apart from `cli.py` so that building the
command-line parser never imports python-escpos."""

from __future__ import annotations

import argparse
import re
import sys

from bpjs_field.printing.escpos_link import PrinterError, PrinterSettings, send

SERIAL = re.compile(r"^(COM\d+|/dev/(tty|rfcomm|cu\.).*)$", re.IGNORECASE)
USB = re.compile(r"^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$")


def guess_connection(target: str) -> str:
    if SERIAL.match(target):
        return "serial"
    if USB.match(target):
        return "usb"
    return "file"


def print_receipt(store, args: argparse.Namespace) -> int:
    from bpjs_field.printing import documents
    from bpjs_field.printing.escpos import receipt_escpos_job

    settings = PrinterSettings(args.connection or guess_connection(args.escpos), args.escpos,
                               width_mm=args.width, native_qr=args.native_qr, cutter=args.cut)
    registration = store.registrations.require_code(args.code)
    job = receipt_escpos_job(store, registration["id"], settings.layout)
    try:
        send(settings, job.data)
    except PrinterError as exc:
        print(exc.message("id"), file=sys.stderr)
        return 1
    documents.log_job(store, job, printer=f"escpos:{settings.connection}")
    print(f"{job.title}: {len(job.data)} byte -> {args.escpos}", file=sys.stderr)
    return 0
