"""Reading a table the branch's systems exported (CSV or XLSX) as rows of text by column.

Header names are matched without case, spaces or punctuation ("No. KPJ" = "no_kpj").
XLSX cells come as openpyxl gives them: a whole number is written back as its digits, a
date as ISO; a NIK stored as a number with fewer than 16 digits (Excel cut it) stays what it
is, so the row is refused by its length and never matched to someone else.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

from bpjs_field.errors import BpjsFieldError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000


def column_key(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().casefold()).strip("_")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line or sheet row number, {column key: text}) for each non-empty row."""
    if not path.is_file():
        raise BpjsFieldError("file.missing", path=str(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise BpjsFieldError("file.too_big", maximum_mb=MAX_FILE_BYTES // 2**20)
    if path.suffix.casefold() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BpjsFieldError("csv.encoding") from None
    except OSError as exc:
        raise BpjsFieldError("file.unreadable", path=str(path), detail=exc.strerror or "") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column_key(h) for h in next(reader)]
        rows = []
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, dict(zip(header, (c.strip() for c in cells)))))
            if len(rows) > MAX_ROWS:
                raise BpjsFieldError("file.too_big", maximum_mb=MAX_FILE_BYTES // 2**20)
    except StopIteration:
        return []
    except csv.Error:
        raise BpjsFieldError("file.unreadable", path=str(path), detail="CSV") from None
    return rows


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, str]]]:
    import zipfile

    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise BpjsFieldError("file.unreadable", path=str(path), detail="XLSX") from None
    try:
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header = [column_key(h) for h in next(rows_iter, ())]
        rows = []
        for number, cells in enumerate(rows_iter, start=2):
            texts = [_cell_text(c) for c in cells]
            if any(texts):
                rows.append((number, dict(zip(header, texts))))
            if len(rows) > MAX_ROWS:
                raise BpjsFieldError("file.too_big", maximum_mb=MAX_FILE_BYTES // 2**20)
        return rows
    finally:
        book.close()


def pick(row: dict[str, str], *names: str) -> str:
    """The first of these columns the row has (names as `column_key` gives them)."""
    for name in names:
        if name in row:
            return row[name]
    return ""


def has_any(header: set[str], *names: str) -> bool:
    return any(n in header for n in names)


def parse_day(text: str, field: str) -> date | None:
    from bpjs_field.errors import ValidationError
    value = text.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(field, "date.invalid", value=value[:30])
