"""Program brochures as an A4 landscape tri-fold, printable duplex.

Page 1 is the outside: [inside flap | back cover | front cover]; page 2 the
inside: three panels read left to right.  Printed double-sided (flip on the
short edge) and folded in three, the front cover lands on top.  Each panel's
blocks come from the content file; a panel that would overflow gets smaller
type, down to a readable floor, and a panel that still does not fit is a
content error (`LayoutOverflow`), caught by the tests for every brochure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from bpjs_field.domain.formatting import format_date, format_rupiah
from bpjs_field.printing import brochure_content as content
from bpjs_field.printing.blocks import LEADING, Block, Frame, Spacer, Table, Text, draw_lines, flow, wrap
from bpjs_field.printing.brochure_figures import Bars, BigFigure, Bullets, Heading, Note, StackedBar, Steps
from bpjs_field.printing.fonts import GREY, GREY_LIGHT, WHITE, finish, mix, new_canvas

PAGE = landscape(A4)
PANEL_W = PAGE[0] / 3
MARGIN_X = 10 * mm
MARGIN_Y = 11 * mm
BASE = 9.6  # cover type
MAX_BASE = 13.0
MIN_BASE = 7.4
CONTACT_CENTRE = "175"
COLORS = {
    "jkk": HexColor("#C0500A"), "jkm": HexColor("#1F5AA6"), "jht": HexColor("#00733C"),
    "jp": HexColor("#6A3D9A"), "jkp": HexColor("#00838F"), "bpu": HexColor("#00733C"),
}


class LayoutOverflow(ValueError):
    """A brochure panel does not fit even at the smallest type size."""


@dataclass(frozen=True)
class Stamp:
    """Optional event and officer details printed on the back cover."""

    event_title: str | None = None
    event_date: date | None = None
    officer_name: str | None = None
    officer_contact: str | None = None


@dataclass(frozen=True)
class Brochure:
    kind: str
    lang: str = "id"
    day: date | None = None  # print date: decides the rates and discounts shown
    stamp: Stamp | None = None


class _Builder:
    """Turns one content file into blocks, filling placeholders for the print day."""

    def __init__(self, text: content.BrochureText, day: date, color: Color) -> None:
        self.text, self.day, self.color, self.lang = text, day, color, text.lang
        self.values = content.figures(day)
        self.where = f"{text.kind}.{text.lang}"

    def s(self, value: str) -> str:
        return content.fill(value, self.values)

    def blocks(self, items: Iterable[dict[str, Any]]) -> list[Block]:
        out: list[Block] = []
        for item in items:
            out.extend(self.block(item))
        return out

    def block(self, b: dict[str, Any]) -> list[Block]:
        kind, color = b["type"], self.color
        if kind == "heading":
            return [Heading(self.s(b["text"]), color)]
        if kind == "text":
            return [Text(self.s(b["text"]), rel=b.get("rel", 1.0), bold=b.get("bold", False),
                         after=0.55)]
        if kind == "bullets":
            return [Bullets([self.s(i) for i in b["items"]], color)]
        if kind == "big":
            return [BigFigure(self.s(b["value"]), self.s(b["caption"]), color)]
        if kind == "stacked_bar":
            parts = [(self.s(p["label"]), p["value"], self.s(p["text"])) for p in b["parts"]]
            return [StackedBar(parts, color, self.s(b.get("caption", "")))]
        if kind == "bars":
            items = [(self.s(i["label"]), i["value"]) for i in b["items"]]
            return [Bars(items, color, b.get("reference", 100), self.s(b.get("reference_label", "")),
                         b.get("suffix", "%"), self.s(b.get("caption", "")))]
        if kind == "steps":
            return [Steps([self.s(i) for i in b["items"]], color)]
        if kind == "note":
            return [Note(self.s(b["text"]), color)]
        if kind == "table":
            return [self._table(b["head"], b["rows"], b.get("cols"), b.get("align", ()))]
        if kind == "pu_rates":
            head, rows = content.pu_rate_rows(b["program"], self.day, self.lang)
            return [self._table(head, rows, [3, 2], ["left", "right"])]
        if kind == "bpu_table":
            return self._bpu_table(b.get("which", "normal"))
        if kind == "discounts":
            notes = content.discount_notes(self.day, self.lang)
            if not notes:
                none = ("No contribution discount is in force on the print date."
                        if self.lang == "en" else
                        "Pada tanggal cetak tidak ada potongan iuran yang berlaku.")
                return [Note(none, color)]
            return [Bullets(notes, color, rel=0.92)]
        if kind == "spacer":
            return [Spacer(b.get("rel", 0.6))]
        raise ValueError(f"unknown brochure block type {kind!r}")

    def _table(self, head, rows, cols=None, align=()) -> Table:
        cols = cols or [1] * len(head)
        return Table([self.s(h) for h in head], [[self.s(str(c)) for c in r] for r in rows],
                     cols, align, rel=0.88, header_fill=self.color, header_color=WHITE)

    def _bpu_table(self, which: str) -> list[Block]:
        table = content.bpu_table(self.day, self.lang)
        en = self.lang == "en"
        head = (["Declared income", "JKK + JKM", "With JHT"] if en else
                ["Penghasilan sebulan", "JKK + JKM", "Dengan JHT"])
        def rows(values):
            return [[format_rupiah(i), format_rupiah(a), format_rupiah(b)]
                    for i, (a, b) in zip(table.incomes, values)]
        when = format_date(self.day, self.lang)
        if which == "normal":
            caption = (f"Monthly contribution (rates on {when})" if en else
                       f"Iuran per bulan (tarif per {when})")
            return [Text(caption, bold=True, rel=0.95, after=0.3),
                    self._table(head, rows(table.normal), [4, 3, 3], ["left", "right", "right"])]
        out: list[Block] = []
        for caption, values in table.discounted:
            out += [Text(caption, bold=True, rel=0.95, after=0.3),
                    self._table(head, rows(values), [4, 3, 3], ["left", "right", "right"])]
        return out


def _fits(blocks: list[Block], top: float, bottom: float, base: float) -> bool:
    return flow(blocks, Frame(None, 0, PANEL_W - 2 * MARGIN_X, base), top) <= top - bottom


def _best_base(panels: list[tuple[list[Block], float, float, str]]) -> float:
    """The largest base size (same for every panel, so the brochure reads evenly) that
    lets every panel fit; LayoutOverflow names the panel that fits at no size."""
    base = MAX_BASE
    while base >= MIN_BASE:
        if all(_fits(blocks, top, bottom, base) for blocks, top, bottom, _ in panels):
            return base
        base = round(base - 0.2, 2)
    for blocks, top, bottom, where in panels:
        if not _fits(blocks, top, bottom, MIN_BASE):
            need = flow(blocks, Frame(None, 0, PANEL_W - 2 * MARGIN_X, MIN_BASE), top)
            raise LayoutOverflow(f"{where}: content needs {need:.0f} pt, panel has {top - bottom:.0f}")
    raise LayoutOverflow("no common type size fits")  # pragma: no cover - min fits each panel


def _draw(canvas, blocks: list[Block], x: float, top: float, bottom: float, base: float) -> None:
    """Draw a panel; spare height is shared out as air above each heading (up to one
    line each), so short panels do not look unfinished."""
    frame = Frame(canvas, x, PANEL_W - 2 * MARGIN_X, base)
    free = (top - bottom) - flow(blocks, Frame(None, x, frame.width, base), top)
    headings = sum(isinstance(block, Heading) for block in blocks[1:])
    extra = min(free / headings, base * 1.6) if headings and free > 0 else 0
    y = top
    for i, block in enumerate(blocks):
        if i and isinstance(block, Heading):
            y -= extra
        y -= block.place(frame, y)


def _cover(canvas, b: _Builder, x0: float) -> None:
    data, color = b.text.data, b.color
    w = PANEL_W
    c = canvas
    band = 34 * mm
    c.setFillColor(color)
    c.rect(x0, PAGE[1] - band, w, band, stroke=0, fill=1)
    frame = Frame(c, x0 + MARGIN_X, w - 2 * MARGIN_X, BASE)
    draw_lines(frame, ["BPJS Ketenagakerjaan"], frame.x, PAGE[1] - 12 * mm, 17, bold=True, color=WHITE)
    draw_lines(frame, wrap(b.s(data.get("band", "")), 9.5, frame.width), frame.x, PAGE[1] - 21 * mm,
               9.5, color=WHITE)
    # A big badge with the program's short name: recognisable from across a tent.
    cy = PAGE[1] - band - 32 * mm
    c.setFillColor(mix(color, 0.85))
    c.circle(x0 + w / 2, cy, 24 * mm, stroke=0, fill=1)
    c.setFillColor(color)
    c.circle(x0 + w / 2, cy, 19 * mm, stroke=0, fill=1)
    badge = data.get("badge", b.text.kind.upper())
    size = 30 if len(badge) <= 3 else 22
    draw_lines(frame, [badge], frame.x, cy + size * 0.62, size, bold=True, align="center", color=WHITE)
    blocks: list[Block] = [
        Text(b.s(data["title"]), rel=2.0, bold=True, align="center", color=color, after=0.5),
        Text(b.s(data["tagline"]), rel=1.15, align="center", after=1.0),
        Bullets([b.s(p) for p in data.get("cover_points", [])], color, rel=1.1),
    ]
    top, bottom = cy - 28 * mm, MARGIN_Y + 12 * mm
    _draw(c, blocks, frame.x, top, bottom, _best_base([(blocks, top, bottom, f"{b.where} cover")]))
    c.setFillColor(color)
    c.rect(x0, 0, w, MARGIN_Y + 5 * mm, stroke=0, fill=1)
    draw_lines(frame, [f"Contact Center {CONTACT_CENTRE} · www.bpjsketenagakerjaan.go.id"],
               frame.x, MARGIN_Y - 1 * mm, 8.5, bold=True, align="center", color=WHITE)


def _back_blocks(b: _Builder, stamp: Stamp | None) -> list[Block]:
    en = b.lang == "en"
    blocks = b.blocks(b.text.data["panels"].get("back", []))
    blocks.append(Heading("Who gets which program" if en else "Program untuk siapa", b.color))
    blocks.append(b._table(*_overview(en), [2.9, 4, 3]))
    blocks.append(Heading("Ask us" if en else "Tanya kami", b.color))
    blocks.append(Text(f"Contact Center BPJS Ketenagakerjaan: {CONTACT_CENTRE}", bold=True, after=0.3))
    blocks.append(Text("Visit your nearest BPJS Ketenagakerjaan branch office or ask the officer "
                       "at this event." if en else
                       "Datangi kantor cabang BPJS Ketenagakerjaan terdekat atau tanya petugas "
                       "di acara ini.", after=0.6))
    blocks.append(_StampBox(stamp, en))
    return blocks


def _overview(en: bool) -> tuple[list[str], list[list[str]]]:
    """Which programs wage earners and informal workers join (domain facts, not amounts)."""
    if en:
        return (["Program", "Wage earner (PU)", "Informal (BPU)"], [
            ["JKK", "yes", "yes"], ["JKM", "yes", "yes"],
            ["JHT", "small firms and up", "optional"],
            ["JP", "medium and large firms", "no"],
            ["JKP", "Indonesians under 54", "no"]])
    return (["Program", "Penerima upah", "Mandiri (BPU)"], [
        ["JKK", "ya", "ya"], ["JKM", "ya", "ya"],
        ["JHT", "usaha kecil ke atas", "pilihan"],
        ["JP", "usaha menengah dan besar", "tidak"],
        ["JKP", "WNI, daftar sebelum 54 tahun", "tidak"]])


def _edition_line(canvas, b: _Builder, x0: float) -> None:
    en = b.lang == "en"
    frame = Frame(canvas, x0 + MARGIN_X, PANEL_W - 2 * MARGIN_X, BASE)
    line = (f"{'Edition' if en else 'Edisi'} {b.text.version} · "
            f"{'printed' if en else 'dicetak'} {format_date(b.day, b.lang)}")
    draw_lines(frame, [line], frame.x, MARGIN_Y + 4 * mm, 7.5, color=GREY, align="center")


@dataclass
class _StampBox(Block):
    stamp: Stamp | None
    en: bool

    def place(self, f: Frame, y: float) -> float:
        s = self.stamp or Stamp()
        size = f.size(0.92)
        pad = 0.6 * f.base
        rows = [
            ("Event" if self.en else "Acara",
             (s.event_title or "") + (f", {format_date(s.event_date, 'en' if self.en else 'id')}"
                                      if s.event_date else "")),
            ("Officer" if self.en else "Petugas", s.officer_name or ""),
            ("Contact" if self.en else "Kontak", s.officer_contact or ""),
        ]
        label_w = max(f.width * 0.26, 1)
        h = pad
        for label, value in rows:
            lines = wrap(value, size, f.width - label_w - 2 * pad, bold=True) if value else [""]
            line_h = max(len(lines), 1) * size * LEADING
            if f.canvas is not None:
                draw_lines(f, [label], f.x + pad, y - h, size, color=GREY)
                if value:
                    draw_lines(f, lines, f.x + pad + label_w, y - h, size, bold=True)
                else:
                    f.canvas.setStrokeColor(GREY_LIGHT)
                    f.canvas.line(f.x + pad + label_w, y - h - line_h + 2, f.x + f.width - pad,
                                  y - h - line_h + 2)
            h += line_h + 0.35 * f.base
        h += pad
        if f.canvas is not None:
            f.canvas.setStrokeColor(GREY)
            f.canvas.setLineWidth(0.7)
            f.canvas.roundRect(f.x, y - h, f.width, h, 4, stroke=1, fill=0)
        return h + 0.5 * f.base


def _fold_marks(canvas) -> None:
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    for x in (PANEL_W, 2 * PANEL_W):
        canvas.line(x, PAGE[1], x, PAGE[1] - 4 * mm)
        canvas.line(x, 0, x, 4 * mm)


def draw_brochure(canvas, spec: Brochure) -> content.BrochureText:
    """Add the brochure's two pages to the canvas; returns the content used (for its version)."""
    text = content.load_brochure(spec.kind, spec.lang)
    b = _Builder(text, spec.day or date.today(), COLORS[spec.kind])
    panels = text.data["panels"]
    top = PAGE[1] - MARGIN_Y
    # (blocks, x, top, bottom, name) for the flap, the back cover and the three inside panels
    layout = [(b.blocks(panels["flap"]), MARGIN_X, top, MARGIN_Y, f"{b.where} flap"),
              (_back_blocks(b, spec.stamp), PANEL_W + MARGIN_X, top, MARGIN_Y + 10 * mm,
               f"{b.where} back")]
    layout += [(b.blocks(items), i * PANEL_W + MARGIN_X, top, MARGIN_Y, f"{b.where} inside {i + 1}")
               for i, items in enumerate(panels["inside"])]
    # One type size per page, so the panels a reader sees side by side match.
    outside = _best_base([(blocks, t, bottom, where) for blocks, _, t, bottom, where in layout[:2]])
    inside = _best_base([(blocks, t, bottom, where) for blocks, _, t, bottom, where in layout[2:]])
    canvas.setPageSize(PAGE)
    for blocks, x, t, bottom, _ in layout[:2]:
        _draw(canvas, blocks, x, t, bottom, outside)
    _edition_line(canvas, b, PANEL_W)
    _cover(canvas, b, 2 * PANEL_W)
    _fold_marks(canvas)
    canvas.showPage()
    canvas.setPageSize(PAGE)
    for blocks, x, t, bottom, _ in layout[2:]:
        _draw(canvas, blocks, x, t, bottom, inside)
    _fold_marks(canvas)
    canvas.showPage()
    return text


def render_brochures(specs: Iterable[Brochure], out: BinaryIO | str | None = None, *,
                     invariant: bool = False) -> bytes | None:
    """Several brochures (each two pages) into one PDF."""
    canvas, target = new_canvas(out, PAGE, title="Brosur BPJS Ketenagakerjaan", invariant=invariant)
    for spec in specs:
        draw_brochure(canvas, spec)
    return finish(canvas, target)


def render_brochure(spec: Brochure, out: BinaryIO | str | None = None, *,
                    invariant: bool = False) -> bytes | None:
    return render_brochures([spec], out, invariant=invariant)


def brochure_version(kind: str, lang: str = "id") -> str:
    return content.load_brochure(kind, lang).version
