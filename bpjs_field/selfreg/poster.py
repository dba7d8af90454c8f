"""The poster at the queue (A4 or A3): a QR of the phone page's address, the address itself
in large type for phones without a QR reader, the event network's name and three steps."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm

from bpjs_field.printing.fonts import BOLD, REGULAR, finish, new_canvas, text_width
from bpjs_field.printing.qr import draw_qr

GREEN = HexColor("#0a7c3e")
SIZES = {"A4": A4, "A3": A3}
STEPS = (
    ("Sambungkan ponsel ke Wi-Fi acara{wifi}.", "Join the event's Wi-Fi{wifi}."),
    ("Pindai QR ini atau ketik alamat di bawahnya.", "Scan this QR or type the address below it."),
    ("Isi data sesuai KTP, lalu tunjukkan QR di ponsel Anda ke petugas.",
     "Fill in your data as on your KTP, then show the QR on your phone to the officer."),
)


def _fit(text: str, size: float, width: float, bold: bool = False) -> float:
    while size > 8 and text_width(text, size, bold) > width:
        size -= 1
    return size


def poster_pdf(url: str, *, title: str = "", wifi: str = "", paper: str = "A4",
               out: BinaryIO | str | None = None) -> bytes | None:
    """The poster as PDF (bytes when `out` is None). Fonts embedded (DejaVu)."""
    width, height = SIZES[paper]
    k = width / A4[0]  # everything scales with the paper
    canvas, target = new_canvas(out, (width, height), title="Poster pendaftaran mandiri",
                                subject=url, invariant=True)
    margin = 18 * mm * k
    canvas.setFillColor(GREEN)
    canvas.rect(0, height - 48 * mm * k, width, 48 * mm * k, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    head = "Daftar BPJS Ketenagakerjaan"
    canvas.setFont(BOLD, _fit(head, 34 * k, width - 2 * margin, True))
    canvas.drawCentredString(width / 2, height - 24 * mm * k, head)
    sub = "dari ponsel Anda, sambil mengantre · from your phone, while you queue"
    canvas.setFont(REGULAR, _fit(sub, 15 * k, width - 2 * margin))
    canvas.drawCentredString(width / 2, height - 36 * mm * k, sub)
    canvas.setFillColor(HexColor("#1b1b1b"))
    y = height - 62 * mm * k
    if title:
        canvas.setFont(BOLD, _fit(title, 20 * k, width - 2 * margin, True))
        canvas.drawCentredString(width / 2, y, title)
        y -= 10 * mm * k
    side = 120 * mm * k
    draw_qr(canvas, url, (width - side) / 2, y - side, side)
    y -= side + 14 * mm * k
    address = url.split("//", 1)[-1].rstrip("/")
    canvas.setFont(BOLD, _fit(address, 30 * k, width - 2 * margin, True))
    canvas.drawCentredString(width / 2, y, address)
    y -= 16 * mm * k
    wifi_text = (f" “{wifi}”", f" “{wifi}”") if wifi else ("", "")
    for n, (step_id, step_en) in enumerate(STEPS, start=1):
        line_id = f"{n}. " + step_id.format(wifi=wifi_text[0])
        line_en = "    " + step_en.format(wifi=wifi_text[1])
        canvas.setFont(BOLD, _fit(line_id, 14 * k, width - 2 * margin, True))
        canvas.drawString(margin, y, line_id)
        y -= 6.5 * mm * k
        canvas.setFont(REGULAR, _fit(line_en, 11 * k, width - 2 * margin))
        canvas.drawString(margin, y, line_en)
        y -= 9 * mm * k
    note = ("Data Anda tidak dikirim lewat jaringan: tersimpan di ponsel Anda sampai dipindai "
            "petugas, dan terhapus setelah hari acara.")
    canvas.setFont(REGULAR, _fit(note, 10 * k, width - 2 * margin))
    canvas.drawCentredString(width / 2, max(y, 14 * mm * k), note)
    canvas.showPage()
    return finish(canvas, target)
