"""Program brochures as an A4 landscape tri-fold, printable duplex.

Page 1 is the outside: [inside flap | back cover | front cover]; page 2 the
inside: three panels read left to right.  Printed double-sided (flip on the
short edge) and folded in three, the front cover lands on top.  Each panel's
blocks come from the content file; a panel that would overflow gets smaller
type, down to a readable floor, and a panel that still does not fit is a
content error (`LayoutOverflow`), caught by the tests for every brochure.
Spare height is shared out between a panel's sections and blocks so a short
panel does not end halfway down the page; `brochure_layout` tells how full
each panel is, for the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from bpjs_field.domain.formatting import format_date, format_rupiah, today_wib
from bpjs_field.domain.rates import RateTable, default_rates
from bpjs_field.printing import brochure_content as content
from bpjs_field.printing.blocks import (LEADING, Amount, Block, Frame, Spacer, Stack, Table, Text, draw_lines,
                                        flow, wrap)
from bpjs_field.printing.brochure_figures import (Bars, BigFigure, Boxed, Bullets, Heading, Note, StackedBar,
                                                  Steps)
from bpjs_field.printing.fonts import GREY, GREY_LIGHT, WHITE, finish, mix, new_canvas, register_fonts

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

    def __init__(self, text: content.BrochureText, day: date, color: Color,
                 rates: RateTable | None = None, benefits: content.Benefits | None = None) -> None:
        self.text, self.day, self.color, self.lang = text, day, color, text.lang
        self.rates = rates or default_rates()
        self.benefits = benefits or content.default_benefits()
        self.values = content.localised(content.figures(day, self.rates, self.benefits), self.lang)
        self.where = f"{text.kind}.{text.lang}"

    def s(self, value: str, values: dict[str, str] | None = None) -> str:
        return content.fill(value, self.values if values is None else values)

    def example(self, wage: int | None = None, income: int | str | None = None) -> dict[str, str]:
        """The placeholders, plus the worked-example amounts for a PU wage or a BPU income."""
        if wage is None and income is None:
            return self.values
        return self.values | content.localised(content.example_figures(
            self.day, wage=wage, income=income, rates=self.rates, benefits=self.benefits), self.lang)

    def dated(self, caption: str, rules: bool = False) -> str:
        """A caption that says which day's rates (or benefit `rules`) its amounts use:
        those in force on the print day."""
        when = format_date(self.day, self.lang)
        return f"{caption} ({self._basis(rules)} {'on' if self.lang == 'en' else 'per'} {when})"

    def _basis(self, rules: bool) -> str:
        if self.lang == "en":
            return "rules" if rules else "rates"
        return "ketentuan" if rules else "tarif"

    def blocks(self, items: Iterable[dict[str, Any]]) -> list[Block]:
        """Blocks for the content items; an item with `"when": "discount"` (or
        `"no_discount"`) is only printed while a BPU discount is (or is not) in force."""
        discount = bool(self.rates.discount_windows_on(self.day))
        wanted = {None, "discount" if discount else "no_discount"}
        return [self.block(item) for item in items if item.get("when") in wanted]

    def block(self, b: dict[str, Any]) -> Block:
        kind, color = b["type"], self.color
        values = self.example(b.get("wage"), b.get("income"))

        def s(value: str) -> str:
            return self.s(value, values)

        if kind == "heading":
            return Heading(s(b["text"]), color)
        if kind == "text":
            return Text(s(b["text"]), rel=b.get("rel", 1.0), bold=b.get("bold", False), after=0.55)
        if kind == "bullets":
            return Bullets([s(i) for i in b["items"]], color)
        if kind == "big":
            return BigFigure(s(b["value"]), s(b["caption"]), color)
        if kind == "stacked_bar":
            parts = [(s(p["label"]), p["value"], s(p["text"])) for p in b["parts"]]
            return StackedBar(parts, color, s(b.get("caption", "")))
        if kind == "bars":
            items = [(s(i["label"]), i["value"]) for i in b["items"]]
            return Bars(items, color, b.get("reference", 100), s(b.get("reference_label", "")),
                        b.get("suffix", "%"), s(b.get("caption", "")))
        if kind == "steps":
            return Steps([s(i) for i in b["items"]], color)
        if kind == "note":
            return Note(s(b["text"]), color)
        if kind == "example":
            return self._example(b, values)
        if kind == "table":
            return self._content_table(b, values)
        if kind == "pu_rates":
            head, rows = content.pu_rate_rows(b["program"], self.day, self.lang, self.rates, b.get("wage"))
            if "wage" not in b:
                return self._table(head, rows, [3, 2], ["left", "right"])
            caption = (f"Monthly contribution for a wage of {values['wage']}" if self.lang == "en" else
                       f"Iuran per bulan untuk upah {values['wage']}")
            return Stack([Text(self.dated(caption), bold=True, rel=0.95, after=0.3),
                          self._table(head, rows, [3, 2, 2.6], ["left", "right", "right"])])
        if kind == "bpu_table":
            return Stack(self._bpu_table(b.get("which", "normal")))
        if kind == "discounts":
            notes = content.discount_notes(self.day, self.lang, self.rates)
            if not notes:
                none = ("No contribution discount is in force on the print date."
                        if self.lang == "en" else
                        "Pada tanggal cetak tidak ada potongan iuran yang berlaku.")
                return Note(none, color)
            return Bullets(notes, color, rel=0.92)
        if kind == "spacer":
            return Spacer(b.get("rel", 0.6))
        raise ValueError(f"unknown brochure block type {kind!r}")

    def _example(self, b: dict[str, Any], values: dict[str, str]) -> Block:
        """A worked example in a tinted box: a title, `label ... amount` rows, and the
        date whose rates it uses.  A row marked `"when": "discount"` is printed once
        for each BPU discount in force on the print day, and left out when none is."""
        rows: list[Block] = [Text(self.s(b["title"], values), bold=True, rel=0.95, after=0.35)]
        for row in b["rows"]:
            if row.get("when") == "discount":
                variants = [values | d for d in content.bpu_discounts(self.day, b["income"], self.lang,
                                                                       self.rates)]
            else:
                variants = [values]
            rows += [Amount(self.s(row["label"], v), self.s(row["value"], v), bold=row.get("bold", False),
                            rel=0.92) for v in variants]
        basis = self._basis(b.get("of") == "benefit").capitalize()
        when = format_date(self.day, self.lang)
        rows.append(Text(f"{basis} in force on {when}." if self.lang == "en" else
                         f"{basis} yang berlaku pada {when}.", rel=0.78, color=GREY, after=0))
        return Boxed(rows, self.color, tint=0.9)

    def _content_table(self, b: dict[str, Any], values: dict[str, str]) -> Block:
        """A table from the content file; with `wages` (PU) or `incomes` (BPU) its rows
        are worked examples, one per amount, from the `cells` templates."""
        head, cols, align = b["head"], b.get("cols"), b.get("align", ())
        for key, arg in (("wages", "wage"), ("incomes", "income")):
            if key in b:
                rows = [[self.s(cell, self.example(**{arg: amount})) for cell in b["cells"]]
                        for amount in b[key]]
                caption = self.dated(self.s(b["caption"], values), rules=b.get("of") == "benefit")
                return Stack([Text(caption, bold=True, rel=0.95, after=0.3),
                              self._table(head, rows, cols, align)])
        return self._table(head, b["rows"], cols, align, values, bold_last_row=b.get("bold_last_row", False))

    def _table(self, head, rows, cols=None, align=(), values: dict[str, str] | None = None, *,
               bold_last_row: bool = False) -> Table:
        cols = cols or [1] * len(head)
        return Table([self.s(h, values) for h in head], [[self.s(str(c), values) for c in r] for r in rows],
                     cols, align, rel=0.88, header_fill=self.color, header_color=WHITE,
                     bold_last_row=bold_last_row)

    def _bpu_table(self, which: str) -> list[Block]:
        table = content.bpu_table(self.day, self.lang, rates=self.rates)
        en = self.lang == "en"
        head = (["Declared income", "JKK + JKM", "With JHT"] if en else
                ["Penghasilan sebulan", "JKK + JKM", "Dengan JHT"])
        def rows(values):
            return [[format_rupiah(i), format_rupiah(a), format_rupiah(b)]
                    for i, (a, b) in zip(table.incomes, values)]
        if which == "normal":
            caption = self.dated("Monthly contribution" if en else "Iuran per bulan")
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


@dataclass(frozen=True)
class Panel:
    """One panel as laid out: where it is, its type size, and how its height is used."""

    name: str  # e.g. "jkp.id inside 2"
    page: int  # 1: outside (flap, back, cover), 2: inside
    x: float
    top: float
    bottom: float
    base: float
    blocks: tuple[Block, ...]
    heights: tuple[float, ...]  # each block's own height at `base`
    gaps: tuple[float, ...]  # spare height put above each block

    @property
    def room(self) -> float:
        return self.top - self.bottom

    @property
    def content(self) -> float:
        return sum(self.heights)

    @property
    def used(self) -> float:
        return self.content + sum(self.gaps)

    def draw(self, canvas) -> None:
        frame = Frame(canvas, self.x, PANEL_W - 2 * MARGIN_X, self.base)
        y = self.top
        for block, gap in zip(self.blocks, self.gaps):
            y -= gap
            y -= block.place(frame, y)


def _panel(name: str, page: int, blocks: list[Block], x: float, top: float, bottom: float,
           base: float) -> Panel:
    measure = Frame(None, x, PANEL_W - 2 * MARGIN_X, base)
    heights = tuple(block.place(measure, top) for block in blocks)
    return Panel(name, page, x, top, bottom, base, tuple(blocks), heights,
                 _gaps(blocks, heights, (top - bottom) - sum(heights), base))


def _gaps(blocks: list[Block], heights: tuple[float, ...], free: float, base: float) -> tuple[float, ...]:
    """Spare height shared out above blocks, so a short panel is spread down the page
    instead of ending halfway: three shares above a heading (a new section), one above
    any other block, and none above the first block, the block under a heading, a
    block a text introduces (it ends in a colon) or an empty block.  A share is at most
    one base size (a line of body type), so related blocks still read as one column."""
    weights = []
    for i, (block, height) in enumerate(zip(blocks, heights)):
        prev = blocks[i - 1] if i else None
        glued = (prev is None or height == 0 or isinstance(prev, Heading)
                 or (isinstance(prev, Text) and prev.text.rstrip().endswith(":")))
        weights.append(0.0 if glued else 3.0 if isinstance(block, Heading) else 1.0)
    total = sum(weights)
    share = min(free / total, 1.0 * base) if total and free > 0 else 0.0
    return tuple(w * share for w in weights)


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
    base = _best_base([(blocks, top, bottom, f"{b.where} cover")])
    _panel(f"{b.where} cover", 1, blocks, frame.x, top, bottom, base).draw(c)
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


def _layout(spec: Brochure, rates: RateTable | None,
            benefits: content.Benefits | None) -> tuple[_Builder, list[Panel]]:
    register_fonts()  # measuring needs the font metrics, even before a canvas exists
    text = content.load_brochure(spec.kind, spec.lang)
    b = _Builder(text, spec.day or today_wib(), COLORS[spec.kind], rates, benefits)
    panels = text.data["panels"]
    top = PAGE[1] - MARGIN_Y
    # (name, blocks, x, bottom) for the flap, the back cover and the three inside panels
    outside = [(f"{b.where} flap", b.blocks(panels["flap"]), MARGIN_X, MARGIN_Y),
               (f"{b.where} back", _back_blocks(b, spec.stamp), PANEL_W + MARGIN_X, MARGIN_Y + 10 * mm)]
    inside = [(f"{b.where} inside {i + 1}", b.blocks(items), i * PANEL_W + MARGIN_X, MARGIN_Y)
              for i, items in enumerate(panels["inside"])]
    out = []
    for page, group in ((1, outside), (2, inside)):
        # One type size per page, so the panels a reader sees side by side match.
        base = _best_base([(blocks, top, bottom, name) for name, blocks, _, bottom in group])
        out += [_panel(name, page, blocks, x, top, bottom, base) for name, blocks, x, bottom in group]
    return b, out


def brochure_layout(spec: Brochure, *, rates: RateTable | None = None,
                    benefits: content.Benefits | None = None) -> list[Panel]:
    """The flap, back cover and three inside panels as they will be drawn (the front
    cover has its own fixed design): how much of each panel's height is used."""
    return _layout(spec, rates, benefits)[1]


def draw_brochure(canvas, spec: Brochure, *, rates: RateTable | None = None,
                  benefits: content.Benefits | None = None) -> content.BrochureText:
    """Add the brochure's two pages to the canvas; returns the content used (for its version).
    `rates` and `benefits` default to the figures in force (tests pass their own)."""
    b, panels = _layout(spec, rates, benefits)
    for page in (1, 2):
        canvas.setPageSize(PAGE)
        for panel in panels:
            if panel.page == page:
                panel.draw(canvas)
        if page == 1:
            _edition_line(canvas, b, PANEL_W)
            _cover(canvas, b, 2 * PANEL_W)
        _fold_marks(canvas)
        canvas.showPage()
    return b.text


def render_brochures(specs: Iterable[Brochure], out: BinaryIO | str | None = None, *,
                     invariant: bool = False, rates: RateTable | None = None,
                     benefits: content.Benefits | None = None) -> bytes | None:
    """Several brochures (each two pages) into one PDF."""
    canvas, target = new_canvas(out, PAGE, title="Brosur BPJS Ketenagakerjaan", invariant=invariant)
    for spec in specs:
        draw_brochure(canvas, spec, rates=rates, benefits=benefits)
    return finish(canvas, target)


def render_brochure(spec: Brochure, out: BinaryIO | str | None = None, *, invariant: bool = False,
                    rates: RateTable | None = None, benefits: content.Benefits | None = None) -> bytes | None:
    return render_brochures([spec], out, invariant=invariant, rates=rates, benefits=benefits)


def brochure_version(kind: str, lang: str = "id") -> str:
    return content.load_brochure(kind, lang).version
