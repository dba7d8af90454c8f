"""The print log, as printing uses it: the table and its statements live in the store
(bpjs_field/store/printlog.py, which owns `print_log`)."""

from bpjs_field.store.printlog import (FILE_PRINTER, RECEIPT, prints_of, receipt_print_count,
                                       record_print, recent_prints)

__all__ = ["FILE_PRINTER", "RECEIPT", "prints_of", "receipt_print_count", "record_print",
           "recent_prints"]
