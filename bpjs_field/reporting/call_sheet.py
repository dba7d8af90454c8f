"""A follow-up list printed as a call sheet (A4 landscape): name, masked NIK, phone (in full
for a supervisor, masked for an officer, left out where consent does not cover a call),
event, officer, since when, and a blank column for the caller's note."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from bpjs_field.domain.formatting import format_date
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.phone import format_phone, mask_phone
from bpjs_field.printing.fonts import BOLD, GREY, REGULAR, new_canvas
from bpjs_field.reporting.followup_lists import TITLES, Entry

W, H = landscape(A4)
M = 12 * mm
# The last column (the caller's note) takes what is left of the 273 mm between the margins:
# 31 mm to write in (the widths before left it none: "Catatan" sat on the right margin).
COLUMNS = [("No", 10), ("Nama", 46), ("NIK", 34), ("Telepon", 32), ("Acara", 46),
           ("Petugas", 32), ("Sejak", 30), ("Hari", 12), ("Catatan", 0)]


def render(kind: str, entries: list[Entry], *, full_phone: bool, days: int, today: date) -> bytes:
    buffer = io.BytesIO()
    title = f"Daftar telepon: {TITLES[kind][0]}"
    c, _t = new_canvas(buffer, (W, H), title=title, subject="tindak lanjut")
    widths = [w * mm for _n, w in COLUMNS]
    widths[-1] = W - 2 * M - sum(widths[:-1])
    page = 1

    def header() -> float:
        c.setFont(BOLD, 13)
        c.drawString(M, H - M - 5 * mm, title)
        c.setFont(REGULAR, 8)
        c.drawString(M, H - M - 10 * mm,
                     f"{len(entries)} peserta · batas {days} hari · per {format_date(today)} · "
                     "hubungi hanya yang bertanda telepon (persetujuan mencakup)")
        y = H - M - 17 * mm
        c.setFont(BOLD, 8)
        x = M
        for (name, _w), width in zip(COLUMNS, widths):
            c.drawString(x + 1 * mm, y, name)
            x += width
        c.setStrokeColor(GREY)
        c.line(M, y - 1.5 * mm, W - M, y - 1.5 * mm)
        return y - 6 * mm

    def footer() -> None:
        c.setFont(REGULAR, 7)
        c.drawString(M, M - 4 * mm, f"{title} · halaman {page} · data pribadi: simpan dan "
                     "musnahkan sesuai aturan")

    y = header()
    for n, e in enumerate(entries, start=1):
        if y < M + 8 * mm:
            footer()
            c.showPage()
            page += 1
            y = header()
        phone = "-" if not e.phone else format_phone(e.phone) if full_phone else mask_phone(e.phone)
        nik = mask_nik(e.nik) if e.nik and e.nik.isdigit() else (e.nik or "")
        values = [str(n), e.name, nik, phone, e.event or "", e.officer or "",
                  format_date(e.since), str(e.days), ""]
        c.setFont(REGULAR, 8)
        x = M
        for value, width in zip(values, widths):
            text = value
            while text and c.stringWidth(text, REGULAR, 8) > width - 2 * mm:
                text = text[:-1]
            c.drawString(x + 1 * mm, y, text)
            x += width
        c.setStrokeColor(GREY)
        c.line(M, y - 2 * mm, W - M, y - 2 * mm)
        y -= 7 * mm
    if not entries:
        c.setFont(REGULAR, 9)
        c.drawString(M, y, "Tidak ada peserta di daftar ini.")
    footer()
    c.save()
    return buffer.getvalue()


def write_call_sheet(path: Path, pdf: bytes) -> None:
    from bpjs_field import outputs
    outputs.write_whole(path, pdf)
