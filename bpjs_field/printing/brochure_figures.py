"""Blocks for brochures: headings, bullets and the simple diagrams people would
rather look at than read (a big figure, a stacked bar, a bar chart, numbered
steps, a tinted box for a note or a worked example).  They follow the
`blocks.Block` protocol, so a brochure panel is measured and shrunk to fit
exactly like any other column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color

from bpjs_field.printing.blocks import LEADING, Block, Frame, Text, draw_lines, flow, wrap
from bpjs_field.printing.fonts import BLACK, GREY, WHITE, mix, text_width


@dataclass
class Heading(Block):
    text: str
    color: Color
    rel: float = 1.3

    def place(self, f: Frame, y: float) -> float:
        size = f.size(self.rel)
        lines = wrap(self.text, size, f.width, bold=True)
        h = draw_lines(f, lines, f.x, y, size, bold=True, color=self.color)
        if f.canvas is not None:
            f.canvas.setStrokeColor(self.color)
            f.canvas.setLineWidth(1.6)
            f.canvas.line(f.x, y - h - 1.5, f.x + 3 * size, y - h - 1.5)
        return h + 0.65 * f.base


@dataclass
class Bullets(Block):
    items: Sequence[str]
    color: Color
    rel: float = 1.0

    def place(self, f: Frame, y: float) -> float:
        size = f.size(self.rel)
        indent = size * 1.1
        h = 0.0
        for item in self.items:
            lines = wrap(item, size, f.width - indent)
            if f.canvas is not None:
                draw_lines(f, ["•"], f.x, y - h, size, bold=True, color=self.color)
            h += draw_lines(f, lines, f.x + indent, y - h, size, width=f.width - indent)
            h += 0.22 * f.base
        return h + 0.3 * f.base


@dataclass
class BigFigure(Block):
    value: str
    caption: str
    color: Color

    def place(self, f: Frame, y: float) -> float:
        big, small = f.size(2.3), f.size(0.95)
        pad = 0.6 * f.base
        # One long number (Rp11.086.300) cannot wrap: make it fit the box instead.
        widest = max(text_width(word, big, True) for word in self.value.split()) if self.value else 0
        if widest > f.width - 2 * pad:
            big *= (f.width - 2 * pad) / widest
        value_lines = wrap(self.value, big, f.width - 2 * pad, bold=True)
        caption_lines = wrap(self.caption, small, f.width - 2 * pad)
        h = 2 * pad + len(value_lines) * big * LEADING + len(caption_lines) * small * LEADING
        if f.canvas is not None:
            f.canvas.setFillColor(mix(self.color, 0.86))
            f.canvas.roundRect(f.x, y - h, f.width, h, 6, stroke=0, fill=1)
            hh = draw_lines(f, value_lines, f.x + pad, y - pad, big, bold=True, align="center",
                            width=f.width - 2 * pad, color=self.color)
            draw_lines(f, caption_lines, f.x + pad, y - pad - hh, small, align="center",
                       width=f.width - 2 * pad)
        return h + 0.6 * f.base


def _caption(f: Frame, text: str, y: float, after: float) -> float:
    """A diagram's bold caption (wrapped as bold, so it keeps to the column); its height."""
    if not text:
        return 0.0
    size = f.size(0.95)
    return draw_lines(f, wrap(text, size, f.width, bold=True), f.x, y, size, bold=True) + after * f.base


@dataclass
class StackedBar(Block):
    """One bar split into parts (e.g. Rp20 + Rp12 + Rp10 jt), with a legend below."""

    parts: Sequence[tuple[str, float, str]]  # (label, value, text on the bar)
    color: Color
    caption: str = ""

    def place(self, f: Frame, y: float) -> float:
        bar_h = 2.0 * f.base
        total = sum(p[1] for p in self.parts) or 1
        tints = [mix(self.color, t) for t in (0.0, 0.35, 0.6, 0.75)]
        h = _caption(f, self.caption, y, after=0.2)
        if f.canvas is not None:
            c = f.canvas
            x = f.x
            for i, (_, value, text) in enumerate(self.parts):
                w = f.width * value / total
                c.setFillColor(tints[i % len(tints)])
                c.rect(x, y - h - bar_h, w, bar_h, stroke=0, fill=1)
                size = f.size(0.95)
                if text_width(text, size, True) < w - 2:
                    ink = WHITE if i == 0 else BLACK
                    draw_lines(f, [text], x, y - h - (bar_h - size * LEADING) / 2, size, bold=True,
                               align="center", width=w, color=ink)
                x += w
        h += bar_h + 0.4 * f.base
        size = f.size(0.9)
        for i, (label, _, text) in enumerate(self.parts):
            sw = size * 0.9
            lines = wrap(f"{text}: {label}", size, f.width - sw * 1.8)
            if f.canvas is not None:
                f.canvas.setFillColor(tints[i % len(tints)])
                f.canvas.rect(f.x, y - h - sw, sw, sw, stroke=0, fill=1)
            h += draw_lines(f, lines, f.x + sw * 1.8, y - h, size, width=f.width - sw * 1.8)
            h += 0.15 * f.base
        return h + 0.45 * f.base


@dataclass
class Bars(Block):
    """Vertical bars against a dashed reference line (e.g. 60% of wage for 6 months)."""

    items: Sequence[tuple[str, float]]
    color: Color
    reference: float = 100
    reference_label: str = ""
    suffix: str = "%"
    caption: str = ""

    def place(self, f: Frame, y: float) -> float:
        chart_h = 7.5 * f.base
        small = f.size(0.85)
        top_pad = small * LEADING
        h = _caption(f, self.caption, y, after=0.3)
        label_w = text_width(self.reference_label, small) + small if self.reference_label else 0
        plot_w = f.width - label_w
        top = max(self.reference, *(v for _, v in self.items)) or 1
        base_y = y - h - top_pad - chart_h
        if f.canvas is not None:
            c = f.canvas
            slot = plot_w / max(len(self.items), 1)
            for i, (label, value) in enumerate(self.items):
                bh = chart_h * value / top
                bx = f.x + i * slot + slot * 0.15
                c.setFillColor(self.color)
                c.rect(bx, base_y, slot * 0.7, bh, stroke=0, fill=1)
                num = f"{value:g}{self.suffix}"
                draw_lines(f, [num], bx, base_y + bh + small * LEADING, small, bold=True,
                           align="center", width=slot * 0.7)
                draw_lines(f, [label], bx, base_y - 1, small, align="center", width=slot * 0.7)
            ref_y = base_y + chart_h * self.reference / top
            c.saveState()
            c.setStrokeColor(GREY)
            c.setDash(3, 2)
            c.setLineWidth(0.8)
            c.line(f.x, ref_y, f.x + plot_w, ref_y)
            c.restoreState()
            if self.reference_label:
                draw_lines(f, [self.reference_label], f.x + plot_w + small * 0.5,
                           ref_y + small * 0.6, small, color=GREY)
            c.setStrokeColor(BLACK)
            c.setLineWidth(0.6)
            c.line(f.x, base_y, f.x + plot_w, base_y)
        return h + top_pad + chart_h + small * LEADING + 0.7 * f.base


@dataclass
class Steps(Block):
    """Numbered steps joined by a line: how to join, how to claim."""

    items: Sequence[str]
    color: Color

    def place(self, f: Frame, y: float) -> float:
        r = f.base * 0.85
        indent = 2 * r + f.base * 0.6
        h = 0.0
        centres = []
        for n, item in enumerate(self.items, 1):
            lines = wrap(item, f.size(1.0), f.width - indent)
            text_h = len(lines) * f.size(1.0) * LEADING
            cy = y - h - r
            centres.append(cy)
            if f.canvas is not None:
                draw_lines(f, lines, f.x + indent, y - h + (text_h < 2 * r) * (text_h - 2 * r) / 2,
                           f.size(1.0), width=f.width - indent)
            h += max(text_h, 2 * r) + 0.45 * f.base
        if f.canvas is not None:
            c = f.canvas
            c.setStrokeColor(mix(self.color, 0.4))
            c.setLineWidth(1.2)
            if len(centres) > 1:
                c.line(f.x + r, centres[0], f.x + r, centres[-1])
            for n, cy in enumerate(centres, 1):
                c.setFillColor(self.color)
                c.circle(f.x + r, cy, r, stroke=0, fill=1)
                draw_lines(f, [str(n)], f.x, cy + f.size(0.95) * 0.62, f.size(0.95), bold=True,
                           align="center", width=2 * r, color=WHITE)
        return h + 0.3 * f.base


@dataclass
class Boxed(Block):
    """Blocks on a tinted box with an accent bar down its left edge: a note, a worked
    example.  The children are measured first, so the box fits them exactly."""

    blocks: Sequence[Block]
    color: Color
    tint: float = 0.88

    def place(self, f: Frame, y: float) -> float:
        pad = 0.55 * f.base
        bar = 3
        inner = Frame(f.canvas, f.x + bar + pad, f.width - bar - 2 * pad, f.base)
        h = flow(self.blocks, Frame(None, inner.x, inner.width, f.base), y - pad) + 2 * pad
        if f.canvas is not None:
            f.canvas.setFillColor(mix(self.color, self.tint))
            f.canvas.rect(f.x, y - h, f.width, h, stroke=0, fill=1)
            f.canvas.setFillColor(self.color)
            f.canvas.rect(f.x, y - h, bar, h, stroke=0, fill=1)
            flow(self.blocks, inner, y - pad)
        return h + 0.6 * f.base


def Note(text: str, color: Color, rel: float = 0.95) -> Boxed:
    """A tinted box with one short text: the one thing to remember on a panel."""
    return Boxed([Text(text, rel=rel, after=0)], color)
