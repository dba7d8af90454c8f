"""Print jobs: a rendered PDF with what the print log needs to know about it.

The command line and the GUI both ask here for a document and get a
`PrintJob` back (PDF bytes, the log's document name, subject and version).
Once the job is really printed (or saved for printing) they call
`log_job(store, job, copies, printer)`; that is what numbers the next
reprint of a receipt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.formatting import to_wib
from bpjs_field.printing import brochures, event_papers, receipt
from bpjs_field.printing.log import record_print
from bpjs_field.printing.receipt_data import receipt_data

if TYPE_CHECKING:
    from bpjs_field.store import Store

RECEIPT_FORMATS = tuple(receipt.FORMATS)
ATTENDANCE = "attendance_sheet"
SUMMARY = "event_summary"


@dataclass(frozen=True)
class PrintJob:
    document: str  # print_log.document, e.g. "receipt.a4", "brochure.bpu.id"
    pdf: bytes
    title: str  # the spooler's job name: codes and titles only, never personal data
    subject_id: str | None = None
    version: str | None = None
    is_reprint: bool = False
    pages: int = 1


def receipt_job(store: "Store", registration_id: str, fmt: str = "a4", *,
                now: datetime | None = None) -> PrintJob:
    if fmt not in receipt.FORMATS:
        raise ValueError(f"unknown receipt format {fmt!r}")
    data = receipt_data(store, registration_id, printed_at=now)
    pdf = receipt.render_receipt(data, fmt)
    return PrintJob(f"receipt.{fmt}", pdf, f"Tanda terima {format_code(data.code)}",
                    registration_id, receipt.LAYOUT_VERSION, data.is_copy)


def receipt_job_by_code(store: "Store", code: str, fmt: str = "a4") -> PrintJob:
    """A receipt by its code as typed or scanned; NotFoundError("code.unknown") if absent."""
    registration = store.registrations.require_code(code)
    return receipt_job(store, registration["id"], fmt)


def receipts_batch_job(store: "Store", registration_ids: Sequence[str], fmt: str = "a4", *,
                       progress: Callable[[int, int], bool | None] | None = None) -> PrintJob | None:
    """Many receipts in one PDF (e.g. an event's registrations); None if cancelled.
    Only used for first prints: the log gets one row per receipt after printing."""
    items = [receipt_data(store, rid) for rid in registration_ids]
    total = len(items)
    cancelled = False

    def step(n: int) -> bool:
        nonlocal cancelled
        if progress is not None and progress(n, total) is False:
            cancelled = True
            return False
        return True

    pdf = receipt.render_receipts(items, fmt, progress=step)
    if cancelled:
        return None
    return PrintJob(f"receipt.{fmt}", pdf, f"Tanda terima ({total})", None,
                    receipt.LAYOUT_VERSION, False, pages=total)


def brochure_job(kind: str, lang: str = "id", *, day: date | None = None,
                 stamp: brochures.Stamp | None = None) -> PrintJob:
    day = day or to_wib(datetime.now(timezone.utc)).date()
    spec = brochures.Brochure(kind, lang, day, stamp)
    pdf = brochures.render_brochure(spec)
    version = brochures.brochure_version(kind, lang)
    return PrintJob(f"brochure.{kind}.{lang}", pdf, f"Brosur {kind.upper()} ({lang}) {version}",
                    None, version, False, pages=2)


def stamp_for(store: "Store", event_id: str | None, contact: str | None = None) -> brochures.Stamp:
    """The back-cover stamp: the event's name and day and the signed-in officer."""
    event = store.events.get(event_id) if event_id else None
    officer = store.officers.get(store.officer_id) if store.officer_id else None
    day = to_wib(datetime.fromisoformat(event["starts_at"])).date() if event else None
    return brochures.Stamp(event["title"] if event else None, day,
                           officer["full_name"] if officer else None, contact)


def attendance_job(store: "Store", event_text: str) -> PrintJob:
    event = store.events.find(event_text)
    sheet = event_papers.attendance_sheet_data(store, event["id"])
    pdf = event_papers.render_attendance_sheet(sheet)
    return PrintJob(ATTENDANCE, pdf, f"Daftar hadir {event['title']}", event["id"])


def summary_job(store: "Store", event_text: str) -> PrintJob:
    event = store.events.find(event_text)
    pdf = event_papers.render_event_summary(event_papers.event_summary_data(store, event["id"]))
    return PrintJob(SUMMARY, pdf, f"Ringkasan {event['title']}", event["id"])


def log_job(store: "Store", job: PrintJob, *, copies: int = 1, printer: str | None = None,
            subject_ids: Sequence[str] | None = None) -> list[dict]:
    """Record a printed job; a batch of receipts logs one row per registration."""
    subjects = list(subject_ids) if subject_ids is not None else [job.subject_id]
    return [record_print(store, job.document, subject_id=subject, version=job.version,
                         copies=copies, is_reprint=job.is_reprint, printer=printer)
            for subject in subjects]
