"""The print log: what was printed, for whom, which version, by whom, when.

Each print is one row in `print_log`, written in one transaction with its
change-log entry (so the branch server learns which brochure version was
handed out) and an audit entry.  Rows hold ids and codes only, never personal
data.  Earlier receipt prints of a registration number its reprints
("SALINAN ke-n").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bpjs_field.store.store import new_id, utc_now

if TYPE_CHECKING:
    from bpjs_field.store import Store

RECEIPT = "receipt"  # documents are "receipt.a4", "receipt.a5", "receipt.thermal"


def record_print(store: "Store", document: str, *, subject_id: str | None = None,
                 version: str | None = None, copies: int = 1, is_reprint: bool = False,
                 printer: str | None = None) -> dict[str, Any]:
    """Log one print run (of `copies` copies) and return its row."""
    if copies < 1:
        raise ValueError("copies must be at least 1")
    row = {"id": new_id(), "at": utc_now(), "document": document, "subject_id": subject_id,
           "version": version, "copies": int(copies), "is_reprint": int(bool(is_reprint)),
           "printer": printer, "officer_id": store.officer_id, "device_id": store.device_id}
    with store.write():
        store.db.execute(f"INSERT INTO print_log({', '.join(row)}) VALUES "
                         f"({', '.join('?' * len(row))})", tuple(row.values()))
        store.record_change("print", row["id"], row)
        store.audit("print", "print", row["id"], document=document, subject_id=subject_id,
                    version=version, copies=int(copies), is_reprint=bool(is_reprint))
    return row


FILE_PRINTER = "file"  # a receipt written to a file (`receipt --out`), not handed out


def receipt_print_count(store: "Store", registration_id: str) -> int:
    """How many receipt print runs this registration already had on paper (any format).
    A receipt written to a file is logged but is no copy: the next print is not SALINAN."""
    return store.scalar(
        "SELECT count(*) FROM print_log WHERE subject_id = ? AND (document = ? OR document LIKE ?) "
        "AND coalesce(printer, '') != ?",
        (registration_id, RECEIPT, RECEIPT + ".%", FILE_PRINTER)) or 0


def prints_of(store: "Store", subject_id: str) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM print_log WHERE subject_id = ? ORDER BY at", (subject_id,))


def recent_prints(store: "Store", limit: int = 50) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM print_log ORDER BY at DESC LIMIT ?", (limit,))
