"""Printed documents, Qt-free: registration receipts (A4, A5, 80 mm roll),
program brochures (A4 tri-fold), event papers (attendance list, summary), the
print log and the printing subcommands.  All PDFs are made with reportlab and
embed the bundled DejaVu Sans font.

Entry points: `documents` (ready print jobs), `receipt_data.receipt_data`,
`receipt.render_receipt(s)`, `brochures.render_brochure(s)`,
`event_papers.render_attendance_sheet` / `render_event_summary`,
`log.record_print` and `cli.add_commands`.
"""
