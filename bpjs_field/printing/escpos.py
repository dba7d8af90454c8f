"""The receipt as ESC/POS bytes for 58 mm and 80 mm thermal printers.

The same block list that lays out the PDF receipt (`receipt.receipt_blocks`)
is set here in the printer's own fonts: Font A (12 dots wide: 32 characters on
a 58 mm head of 384 dots, 48 on an 80 mm head of 576 dots) for the body, Font B
(9 dots) for small print, double size for the code, bold and reverse where the
PDF uses bold and a dark banner.  The QR is sent as a raster image (GS v 0,
1 mm per module at 203 dpi) because many cheap printers cannot draw a QR
themselves; `native_qr` sends GS ( k instead for printers that can.  The roll is
cut (GS V) when the printer has a cutter, otherwise fed past the tear bar.

Commands are produced by python-escpos on its in-memory `Dummy` printer; the
bytes are then sent by `escpos_link`.  Text is folded to ASCII first (× -> x,
· -> -), because the code pages of these printers differ from model to model.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bpjs_field.domain.codes import format_code
from bpjs_field.printing import receipt
from bpjs_field.printing.escpos_link import DOTS_PER_MM, PROFILES, Layout, load_escpos
from bpjs_field.printing.blocks import Amount, Banner, KeyValue, Rule, Spacer, Stack, Text
from bpjs_field.printing.linebreak import break_lines
from bpjs_field.printing.qr import QUIET_ZONE, qr_runs
from bpjs_field.printing.receipt_data import ReceiptData

LAYOUT_VERSION = receipt.LAYOUT_VERSION + "-escpos1"

ASCII = {"×": "x", "·": "-", "–": "-", "—": "-", "−": "-", "“": '"', "”": '"', "‘": "'",
         "’": "'", "…": "...", "\u00a0": " ", "•": "*", "≤": "<=", "≥": ">="}


def to_ascii(text: str) -> str:
    """Text every ESC/POS code page prints the same: accents dropped, symbols spelled."""
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
        elif ch in ASCII:
            out.append(ASCII[ch])
        else:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def qr_image(text: str, module: int, width: int | None = None):
    """The QR of `text` as a 1-bit PIL image, `module` dots per module, quiet zone included,
    centred in an image `width` dots wide (the head's width: centred on every printer,
    whether or not it applies ESC a to images)."""
    from PIL import Image, ImageDraw

    count, runs = qr_runs(text)
    side = (count + 2 * QUIET_ZONE) * module
    width = max(width or side, side)
    left = (width - side) // 2 // 8 * 8  # whole bytes: no shift inside a raster byte
    image = Image.new("1", (width, side), 1)
    draw = ImageDraw.Draw(image)
    for row, col, length in runs:
        y0 = (row + QUIET_ZONE) * module
        x0 = left + (col + QUIET_ZONE) * module
        draw.rectangle((x0, y0, x0 + length * module - 1, y0 + module - 1), fill=0)
    return image


class Writer:
    """Text layout on fixed character cells, written through a python-escpos printer."""

    def __init__(self, printer, layout: Layout, labels: Iterable[str] = ()) -> None:
        self.p = printer
        self.layout = layout
        # One label column for the whole receipt, wide enough that no label word is cut
        # ("Penghasilan"), and never more than half the line.
        longest = max((len(word) for label in labels for word in to_ascii(label).split()),
                      default=0)
        self.label_w = min(layout.cols // 2, max(layout.cols // 3, longest + 1))

    def style(self, *, align: str = "left", bold: bool = False, small: bool = False,
              double: bool = False, tall: bool = False, invert: bool = False) -> None:
        self.p.set(align=align, bold=bold, font="b" if small else "a", invert=invert,
                   double_width=double, double_height=double or tall,
                   normal_textsize=not (double or tall))

    def lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.p.text(line + "\n")

    def para(self, text: str, *, align: str = "left", bold: bool = False, small: bool = False,
             double: bool = False, tall: bool = False, invert: bool = False) -> None:
        cols = self.layout.cols_small if small else self.layout.cols
        if double:
            cols //= 2
        self.style(align=align, bold=bold, small=small, double=double, tall=tall, invert=invert)
        self.lines(break_lines(to_ascii(text), cols))

    def rule(self, dashed: bool = False) -> None:
        self.style()
        self.lines([("- " if dashed else "-") * (self.layout.cols // (2 if dashed else 1))])

    def key_value(self, label: str, value: str, bold: bool = False) -> None:
        cols = self.layout.cols
        label_w = self.label_w
        label, value = to_ascii(label), to_ascii(value)
        labels = break_lines(label, label_w - 1)
        values = break_lines(value, cols - label_w)
        self.style()
        for i in range(max(len(labels), len(values))):
            left = (labels[i] if i < len(labels) else "").ljust(label_w)
            right = values[i] if i < len(values) else ""
            if bold and right:
                self.p.text(left)
                self.p.set(bold=True)
                self.p.text(right + "\n")
                self.p.set(bold=False)
            else:
                self.p.text((left + right).rstrip() + "\n")

    def amount(self, label: str, amount: str, bold: bool = False, note: str | None = None) -> None:
        """Label wrapped on the left, the amount right-aligned on the label's last line,
        so a wrapped label reads on into its amount ("Total iuran per / bulan  Rp8.400")."""
        cols = self.layout.cols
        amount = to_ascii(amount)
        lines = break_lines(to_ascii(label), cols - len(amount) - 1)
        self.style(bold=bold)
        for line in lines[:-1]:
            self.p.text(line + "\n")
        self.p.text(lines[-1].ljust(cols - len(amount)) + amount + "\n")
        if note:
            self.para(note, small=True)

    def code_qr(self, block: receipt.CodeQR) -> None:
        self.para(block.label, align="center", small=True)
        self.para(block.display, align="center", bold=True, double=True)
        self.p.set(align="center", normal_textsize=True, bold=False, font="a")
        if self.layout.native_qr:
            from escpos.constants import QR_ECLEVEL_M
            self.p.qr(block.bare, ec=QR_ECLEVEL_M, size=8 if self.layout.width_mm == 80 else 7,
                      native=True)  # centred by the ESC a 1 set just before
        else:
            count, _runs = qr_runs(block.bare)
            # 1 mm modules on 58 mm paper, larger on 80 mm, never wider than the head.
            module = min(DOTS_PER_MM * (5 if self.layout.width_mm == 80 else 4) // 4,
                         self.layout.dots // (count + 2 * QUIET_ZONE))
            self.p.image(qr_image(block.bare, module, self.layout.dots), impl="bitImageRaster")
        self.para(block.caption, align="center", small=True)


def _blocks_to_escpos(w: Writer, blocks) -> None:
    for block in blocks:
        if isinstance(block, receipt.CodeQR):
            w.code_qr(block)
        elif isinstance(block, Banner):
            w.para(block.text, align="center", bold=True, tall=True, invert=True)
        elif isinstance(block, Text):
            w.para(block.text, align=block.align, bold=block.bold, small=block.rel < 0.95,
                   double=block.rel >= 1.5, tall=1.15 <= block.rel < 1.5)
        elif isinstance(block, KeyValue):
            w.key_value(block.label, block.value, block.bold)
        elif isinstance(block, Amount):
            w.amount(block.label, block.amount, block.bold, block.note)
        elif isinstance(block, Rule):
            w.rule(block.dashed)
        elif isinstance(block, Spacer):
            w.style()
            w.p.text("\n")
        elif isinstance(block, Stack):
            _blocks_to_escpos(w, block.blocks)
        else:
            # A block kind this layout does not know yet: print its texts plainly rather
            # than drop a fact from the receipt.
            texts = [v for k, v in vars(block).items()
                     if isinstance(v, str) and v.strip() and k not in ("align", "bare")]
            if texts:
                w.para(" ".join(texts))


def _printer(layout: Layout):
    return load_escpos().Dummy(profile=PROFILES[layout.width_mm])


def _finish(p, layout: Layout) -> bytes:
    p.set(align="left", bold=False, font="a", normal_textsize=True, invert=False)
    if layout.cutter:
        # The officer said this printer has a cutter: cut even where the python-escpos
        # profile of its class does not list one (POS-5890 models come both ways).
        from escpos.constants import PAPER_PART_CUT
        p.print_and_feed(5)  # the cutter sits above the head: feed the last line past it
        p._raw(PAPER_PART_CUT)
    else:
        p.print_and_feed(4)  # past the tear bar
    return p.output


def receipt_escpos(data: ReceiptData, layout: Layout = Layout()) -> bytes:
    """One receipt as the bytes to send to an ESC/POS printer."""
    p = _printer(layout)
    p.hw("INIT")
    blocks = receipt.receipt_blocks(data)
    w = Writer(p, layout, [b.label for b in blocks if isinstance(b, KeyValue)])
    _blocks_to_escpos(w, blocks)
    return _finish(p, layout)


def test_page(layout: Layout, printer_label: str = "") -> bytes:
    """A short page that shows the settings work: fonts, width ruler, QR and cut."""
    p = _printer(layout)
    p.hw("INIT")
    w = Writer(p, layout)
    w.para("BPJS Ketenagakerjaan", align="center", bold=True, double=True)
    w.para("Halaman uji printer struk", align="center", bold=True)
    if printer_label:
        w.para(printer_label, align="center", small=True)
    w.rule()
    w.lines(["".join(str(i % 10) for i in range(1, layout.cols + 1))])
    w.para(f"Lebar {layout.width_mm} mm: {layout.cols} huruf per baris; baris angka di atas "
           "harus utuh dalam satu baris.")
    w.para("Huruf kecil (Font B) untuk catatan.", small=True)
    w.amount("Contoh iuran per bulan", "Rp16.800", bold=True)
    w.rule(dashed=True)
    w.code_qr(receipt.CodeQR("TES-0000", "TES-0000", "Kode uji",
                             "Pindai kode ini dengan pemindai di pintu.", 0))
    return _finish(p, layout)


@dataclass(frozen=True)
class EscposJob:
    """Receipt bytes with what the print log needs (same fields as documents.PrintJob)."""

    document: str
    data: bytes
    title: str
    subject_id: str | None
    version: str
    is_reprint: bool = False
    pages: int = 1


def receipt_escpos_job(store, registration_id: str, layout: Layout = Layout(), *,
                       now=None) -> EscposJob:
    from bpjs_field.printing.receipt_data import receipt_data

    data = receipt_data(store, registration_id, printed_at=now)
    return EscposJob(f"receipt.escpos{layout.width_mm}", receipt_escpos(data, layout),
                     f"Tanda terima {format_code(data.code)}", registration_id, LAYOUT_VERSION,
                     data.is_copy)
