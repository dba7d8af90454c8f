"""Excel files that open correctly in Excel and LibreOffice (openpyxl, write-only mode: rows
stream to the file, so 300,000 rows take the memory of one).

- NIK, No. KK, KPJ, payment codes and phone numbers are text cells with the text format
  (`@`): never numbers, which Excel cuts to 15 digits;
- dates are dates (`DD-MM-YYYY` shown), times are WIB date-times;
- amounts are whole numbers with a rupiah format (`Rp16.800` in an Indonesian Excel);
- a text that starts like a formula (`=`, `+`, `-`, `@`) stays text: every string cell is
  written as a string, never as a formula.
A file is written next to the target and moved into place only once whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

TEXT, DATE, MOMENT, RUPIAH, NUMBER, PERCENT = "text", "date", "moment", "rupiah", "number", "percent"
FORMATS = {TEXT: "@", DATE: "DD-MM-YYYY", MOMENT: "DD-MM-YYYY HH:MM", RUPIAH: '"Rp"#,##0',
           NUMBER: "#,##0", PERCENT: "0.0%"}
WIDTHS = {TEXT: 22, DATE: 12, MOMENT: 17, RUPIAH: 15, NUMBER: 11, PERCENT: 9}
WIB = timezone(timedelta(hours=7))


def _moment(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WIB).replace(tzinfo=None)  # Excel has no time zones


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class Book:
    """A write-only workbook of sheets, each a header and streamed rows."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        self.book = Workbook(write_only=True)

    def sheet(self, title: str, columns: list[tuple[str, str]],
              rows: Iterable[Iterable[Any]]) -> int:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
        ws = self.book.create_sheet(title[:31])
        kinds = [kind for _name, kind in columns]
        for i, kind in enumerate(kinds, start=1):
            ws.column_dimensions[get_column_letter(i)].width = WIDTHS[kind]
        ws.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for name, _kind in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        # One styled template cell per column; values are set on fresh cells (openpyxl
        # shares the style objects, so a row costs its values only).
        count = 0
        for values in rows:
            out = []
            for kind, value in zip(kinds, values):
                cell = WriteOnlyCell(ws)
                if kind == TEXT:
                    if value is not None:
                        cell.value = str(value)
                        cell.data_type = "s"  # never a formula, never a number
                elif kind == DATE:
                    cell.value = _day(value)
                elif kind == MOMENT:
                    cell.value = _moment(value)
                else:
                    cell.value = value
                cell.number_format = FORMATS[kind]
                out.append(cell)
            ws.append(out)
            count += 1
        return count

    def save(self, path: Path) -> None:
        """Written beside the target, then moved into place (never a half file)."""
        from bpjs_field import outputs
        partial = path.with_name(f".{path.name}.part")
        try:
            self.book.save(partial)
            os.replace(partial, path)
        except OSError as exc:
            raise outputs.write_failed(path, exc, option="--out", partial=partial) from None
