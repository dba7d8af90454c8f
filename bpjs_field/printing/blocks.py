"""A small flow layout: blocks stacked top to bottom in a column of any width.

One list of blocks describes a document; the same list is placed on an A4
sheet, an A5 sheet or an 80 mm roll by giving the column its width and base
type size.  Every block answers one call, `place(frame, y)`: it returns the
height it needs at the top `y` and, when the frame has a canvas, draws itself.
Measuring is the same call with `canvas=None`, so a thermal roll can be cut to
the content's height, and a brochure panel can shrink its type until it fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bpjs_field.printing.fonts import BLACK, BOLD, GREY, GREY_LIGHT, REGULAR, WHITE, text_width
from bpjs_field.printing.linebreak import break_lines

LEADING = 1.28


@dataclass
class Frame:
    """Where blocks go: a column `width` wide at `x`, type scaled from `base` points."""

    canvas: Canvas | None
    x: float
    width: float
    base: float

    def size(self, rel: float) -> float:
        return self.base * rel


class Block:
    def place(self, f: Frame, y: float) -> float:  # pragma: no cover - interface
        raise NotImplementedError


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines of `text` that fit `width`; explicit newlines are kept.  Amounts such as
    `Rp16.800` are never split, nor separated from a `×` before them (see linebreak)."""
    return list(_wrap(text, size, width, bold))


@lru_cache(maxsize=8192)
def _wrap(text: str, size: float, width: float, bold: bool) -> tuple[str, ...]:
    # Cached: a sheet is measured before it is drawn (to keep it on its page), and the
    # labels of a batch of receipts repeat, so the same text is split many times.
    font = BOLD if bold else REGULAR
    return tuple(break_lines(text, width, lambda s: stringWidth(s, font, size)))


def draw_lines(f: Frame, lines: Sequence[str], x: float, y: float, size: float, *,
               bold: bool = False, align: str = "left", width: float | None = None,
               color: Color = BLACK) -> float:
    """Draw `lines` from top `y`; returns the height used."""
    lead = size * LEADING
    if f.canvas is not None:
        c = f.canvas
        c.setFont(BOLD if bold else REGULAR, size)
        c.setFillColor(color)
        width = f.width if width is None else width
        base = y - size * 0.98
        for i, line in enumerate(lines):
            yy = base - i * lead
            if align == "center":
                c.drawCentredString(x + width / 2, yy, line)
            elif align == "right":
                c.drawRightString(x + width, yy, line)
            else:
                c.drawString(x, yy, line)
    return len(lines) * lead


@dataclass
class Text(Block):
    text: str
    rel: float = 1.0
    bold: bool = False
    align: str = "left"
    color: Color = BLACK
    after: float = 0.25  # space below, in base sizes

    def place(self, f: Frame, y: float) -> float:
        size = f.size(self.rel)
        lines = wrap(self.text, size, f.width, self.bold)
        h = draw_lines(f, lines, f.x, y, size, bold=self.bold, align=self.align, color=self.color)
        return h + self.after * f.base


@dataclass
class Spacer(Block):
    rel: float = 0.5

    def place(self, f: Frame, y: float) -> float:
        return self.rel * f.base


@dataclass
class Rule(Block):
    dashed: bool = False
    color: Color = GREY
    pad: float = 0.45

    def place(self, f: Frame, y: float) -> float:
        h = 2 * self.pad * f.base
        if f.canvas is not None:
            c = f.canvas
            c.saveState()
            c.setStrokeColor(self.color)
            c.setLineWidth(0.6)
            if self.dashed:
                c.setDash(2, 2)
            c.line(f.x, y - h / 2, f.x + f.width, y - h / 2)
            c.restoreState()
        return h


@dataclass
class KeyValue(Block):
    """`Label   value` with the value wrapped in its own column."""

    label: str
    value: str
    bold: bool = False
    label_frac: float = 0.3

    def place(self, f: Frame, y: float) -> float:
        size = f.size(1.0)
        label_w = f.width * self.label_frac
        gap = size * 0.6
        value_w = f.width - label_w - gap
        label_lines = wrap(self.label, size * 0.92, label_w)
        value_lines = wrap(self.value, size, value_w, self.bold)
        h1 = draw_lines(f, label_lines, f.x, y, size * 0.92, width=label_w, color=GREY)
        h2 = draw_lines(f, value_lines, f.x + label_w + gap, y, size, bold=self.bold, width=value_w)
        return max(h1, h2) + 0.15 * f.base


@dataclass
class Amount(Block):
    """A money row: label (wrapped) on the left, amount right-aligned."""

    label: str
    amount: str
    bold: bool = False
    rel: float = 1.0
    note: str | None = None  # smaller grey line under the label

    def place(self, f: Frame, y: float) -> float:
        size = f.size(self.rel)
        amount_w = text_width(self.amount, size, self.bold)
        label_w = max(f.width - amount_w - size, f.width * 0.4)
        lines = wrap(self.label, size, label_w, self.bold)
        h = draw_lines(f, lines, f.x, y, size, bold=self.bold, width=label_w)
        draw_lines(f, [self.amount], f.x, y, size, bold=self.bold, align="right")
        if self.note:
            note_size = size * 0.82
            note_lines = wrap(self.note, note_size, label_w)
            h += draw_lines(f, note_lines, f.x, y - h, note_size, width=label_w, color=GREY)
        return h + 0.2 * f.base


@dataclass
class Banner(Block):
    """White bold text on a dark box: SALINAN marks, headings of a roll receipt."""

    text: str
    rel: float = 1.3
    fill: Color = BLACK

    def place(self, f: Frame, y: float) -> float:
        size = f.size(self.rel)
        lines = wrap(self.text, size, f.width - size, bold=True)
        pad = size * 0.35
        h = len(lines) * size * LEADING + 2 * pad
        if f.canvas is not None:
            f.canvas.setFillColor(self.fill)
            f.canvas.rect(f.x, y - h, f.width, h, stroke=0, fill=1)
            draw_lines(f, lines, f.x, y - pad, size, bold=True, align="center", color=WHITE)
        return h + 0.4 * f.base


@dataclass
class Table(Block):
    """A grid with a shaded header row; `cols` are width fractions, `align` per column."""

    head: Sequence[str]
    rows: Sequence[Sequence[str]]
    cols: Sequence[float]
    align: Sequence[str] = ()
    rel: float = 0.9
    header_fill: Color = GREY_LIGHT
    header_color: Color = BLACK
    bold_last_row: bool = False
    after: float = 0.5

    def place(self, f: Frame, y: float) -> float:
        size = f.size(self.rel)
        total = sum(self.cols)
        widths = [f.width * c / total for c in self.cols]
        align = list(self.align) + ["left"] * (len(widths) - len(self.align))
        # A word (Rp14.400.000) cannot wrap, nor should a figure in a right-aligned
        # column (Rp1,5 jt): when one is wider than its column, the whole table gets
        # smaller type rather than letting cells run into each other or break apart.
        for index, row in enumerate([self.head, *self.rows]):
            bold = index == 0 or (self.bold_last_row and index == len(self.rows))
            for cell, w, al in zip(row, widths, align):
                units = [str(cell)] if index and al == "right" else str(cell).split()
                for unit in units:
                    need = text_width(unit, size, bold) + 0.6 * size
                    if need > w:
                        size *= w / need
        pad = size * 0.3
        h = 0.0
        for index, row in enumerate([self.head, *self.rows]):
            header = index == 0
            bold = header or (self.bold_last_row and index == len(self.rows))
            cells = [wrap(str(cell), size, w - 2 * pad, bold) for cell, w in zip(row, widths)]
            row_h = max(len(c) for c in cells) * size * LEADING + 2 * pad
            if f.canvas is not None:
                c = f.canvas
                top = y - h
                if header:
                    c.setFillColor(self.header_fill)
                    c.rect(f.x, top - row_h, f.width, row_h, stroke=0, fill=1)
                c.setStrokeColor(GREY_LIGHT if not header else self.header_fill)
                c.setLineWidth(0.5)
                c.line(f.x, top - row_h, f.x + f.width, top - row_h)
                x = f.x
                for lines, w, al in zip(cells, widths, align):
                    draw_lines(f, lines, x + pad, top - pad, size, bold=bold, align=al,
                               width=w - 2 * pad, color=self.header_color if header else BLACK)
                    x += w
            h += row_h
        return h + self.after * f.base


@dataclass
class Stack(Block):
    """Blocks that belong together (a caption and its table), placed as one: a layout
    that spreads spare height between blocks never pulls them apart."""

    blocks: Sequence[Block]

    def place(self, f: Frame, y: float) -> float:
        return flow(self.blocks, f, y)


def flow(blocks: Sequence[Block], f: Frame, top: float) -> float:
    """Place `blocks` from `top` down; returns the total height used."""
    y = top
    for block in blocks:
        y -= block.place(f, y)
    return top - y
