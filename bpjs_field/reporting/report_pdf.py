"""The printable report (A4, reportlab): the same figures as the Laporan page and the
`bpjs-field report` table: the funnel by the chosen breakdown, progress against the annual
targets by segment and by kecamatan as bars, and registrations per day."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from bpjs_field.domain.formatting import format_date, format_rupiah, group_thousands, today_wib
from bpjs_field.printing.fonts import (BLUE, BOLD, GREEN, GREEN_LIGHT, GREY, ORANGE,
                                       REGULAR, new_canvas, text_width)

if TYPE_CHECKING:
    from bpjs_field.reporting.funnel import Report, Row

STRIPE = HexColor("#F3F3F3")
W, H = A4
M = 15 * mm
BY_TITLES = {"segment": "segmen", "kecamatan": "kecamatan", "estate": "kawasan industri",
             "event": "acara", "partner": "organisasi mitra", "officer": "petugas"}


def _n(value: int | None) -> str:
    return "-" if value is None else group_thousands(value)


def _pct(part: int, whole: int | None) -> str:
    return f"{100 * part / whole:.1f}%".replace(".", ",") if whole else "-"


def _share(share: float) -> str:
    """A share of a large target: two decimals below 10 % (0,01 % of Rp154 billion shows)."""
    return f"{100 * share:.{2 if share < 0.1 else 1}f}%".replace(".", ",")


class Pages:
    def __init__(self, c, title: str) -> None:
        self.c, self.title, self.page = c, title, 1
        self.y = H - M

    def need(self, height: float) -> None:
        if self.y - height < M + 10 * mm:
            self.footer()
            self.c.showPage()
            self.page += 1
            self.y = H - M

    def footer(self) -> None:
        self.c.setFont(REGULAR, 7)
        self.c.setFillColor(GREY)
        self.c.drawString(M, M - 4 * mm, f"{self.title} · halaman {self.page}")
        self.c.setFillColorRGB(0, 0, 0)


def _table(p: Pages, report: "Report") -> None:
    c = p.c
    cols = [("", 40 * mm, "l"), ("Hadir", 14 * mm, "r"), ("Terdaftar", 17 * mm, "r"),
            ("KPJ", 12 * mm, "r"), ("Bayar", 13 * mm, "r"), ("Bayar %", 16 * mm, "r"),
            ("Target", 18 * mm, "r"), ("Capaian", 16 * mm, "r"), ("Di muka (Rp)", 32 * mm, "r")]
    p.need(12 * mm)
    c.setFont(BOLD, 8)
    x = M
    for name, width, align in cols:
        if align == "r":
            c.drawRightString(x + width - 1 * mm, p.y - 4 * mm, name)
        else:
            c.drawString(x + 1 * mm, p.y - 4 * mm, f"Per {BY_TITLES[report.by]}")
        x += width
    p.y -= 6 * mm
    for i, r in enumerate([*report.rows, report.total]):
        p.need(6 * mm)
        last = r is report.total
        if last or i % 2 == 0:
            c.setFillColor(GREEN_LIGHT if last else STRIPE)
            c.rect(M, p.y - 5 * mm, sum(w for _n2, w, _a in cols), 5 * mm, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
        c.setFont(BOLD if last else REGULAR, 8)
        values = [r.label[:28], _n(r.attended), _n(r.registered), _n(r.kpj), _n(r.paid),
                  _pct(r.paid, r.registered), _n(r.target), _pct(r.registered, r.target),
                  format_rupiah(r.first_payments)]
        x = M
        for (name, width, align), value in zip(cols, values):
            if align == "r":
                c.drawRightString(x + width - 1 * mm, p.y - 3.6 * mm, value)
            else:
                c.drawString(x + 1 * mm, p.y - 3.6 * mm, value)
            x += width
        p.y -= 5 * mm
    p.y -= 4 * mm


def _bars(p: Pages, title: str, rows: list["Row"], *, with_target: bool) -> None:
    """Horizontal bars: registered (green) and paid (blue), against the target (outline)."""
    c = p.c
    shown = [r for r in rows if r.registered or r.target][:15]
    p.need(10 * mm + 7 * mm * max(1, len(shown)))
    c.setFont(BOLD, 10)
    c.drawString(M, p.y - 5 * mm, title)
    p.y -= 9 * mm
    if not shown:
        c.setFont(REGULAR, 8)
        c.drawString(M, p.y - 4 * mm, "Belum ada pendaftaran di periode ini.")
        p.y -= 8 * mm
        return
    scale_max = max(max(r.registered for r in shown),
                    max((r.target or 0) for r in shown) if with_target else 0, 1)
    left, width = M + 50 * mm, W - 2 * M - 50 * mm - 30 * mm
    for r in shown:
        c.setFont(REGULAR, 8)
        c.setFillColorRGB(0, 0, 0)
        c.drawString(M, p.y - 4 * mm, r.label[:30])
        if with_target and r.target:
            c.setStrokeColor(ORANGE)
            c.rect(left, p.y - 5 * mm, width * r.target / scale_max, 5 * mm, stroke=1, fill=0)
        c.setFillColor(GREEN)
        c.rect(left, p.y - 5 * mm, max(0.5, width * r.registered / scale_max), 5 * mm,
               stroke=0, fill=1)
        c.setFillColor(BLUE)
        c.rect(left, p.y - 5 * mm, width * r.paid / scale_max, 2 * mm, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        text = f"{_n(r.registered)}" + (f" / {_n(r.target)}" if with_target and r.target else "")
        c.drawString(left + width + 2 * mm, p.y - 4 * mm, text)
        p.y -= 7 * mm
    c.setFont(REGULAR, 7)
    c.setFillColor(GREY)
    targets = with_target and any(r.target for r in shown)
    c.drawString(M, p.y - 3 * mm, "Hijau: terdaftar · biru: sudah bayar"
                 + (" · garis oranye: target tahunan" if targets else ""))
    c.setFillColorRGB(0, 0, 0)
    p.y -= 8 * mm


def _per_day(p: Pages, per_day: list[tuple[str, int]]) -> None:
    c = p.c
    p.need(50 * mm)
    c.setFont(BOLD, 10)
    c.drawString(M, p.y - 5 * mm, "Pendaftaran per hari")
    p.y -= 12 * mm
    height, width = 30 * mm, W - 2 * M
    top = max((n for _d, n in per_day), default=0) or 1
    c.setStrokeColor(GREY)
    c.line(M, p.y - height, M + width, p.y - height)
    if per_day:
        first = date.fromisoformat(per_day[0][0])
        last = date.fromisoformat(per_day[-1][0])
        span = max(1, (last - first).days + 1)
        step = width / span
        c.setFillColor(GREEN)
        for day, n in per_day:
            x = M + (date.fromisoformat(day) - first).days * step
            c.rect(x, p.y - height, max(0.6, step * 0.8), height * n / top, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(REGULAR, 7)
        c.drawString(M, p.y - height - 4 * mm, format_date(first))
        c.drawRightString(M + width, p.y - height - 4 * mm, format_date(last))
        c.drawString(M, p.y + 2 * mm, f"paling banyak {_n(top)} sehari")
    p.y -= height + 10 * mm


def render(report: "Report", by_segment: "Report", by_kecamatan: "Report") -> bytes:
    title = "Laporan kepesertaan"
    buffer = io.BytesIO()
    c, _target = new_canvas(buffer, A4, title=title, subject="funnel, target")
    p = Pages(c, title)
    c.setFont(BOLD, 15)
    c.drawString(M, p.y - 6 * mm, title + (f" · {report.branch}" if report.branch else ""))
    c.setFont(REGULAR, 9)
    c.drawString(M, p.y - 12 * mm, f"Periode {format_date(report.start)} s.d. "
                 f"{format_date(report.end)} · dicetak "
                 f"{format_date(today_wib())}")
    p.y -= 18 * mm
    t = report.total
    c.setFont(REGULAR, 9)
    funnel = (f"Hadir {_n(t.attended)} → terdaftar {_n(t.registered)} → KPJ {_n(t.kpj)} → "
              f"bayar {_n(t.paid)} · berhenti {_n(t.stopped)}")
    c.drawString(M, p.y, funnel)
    p.y -= 5 * mm
    money = report.contribution_target
    c.drawString(M, p.y, f"Iuran per bulan peserta yang bayar {format_rupiah(t.monthly)} · "
                 f"dibayar di muka (bulan × iuran) {format_rupiah(t.first_payments)}")
    p.y -= 5 * mm
    if money:
        share = report.contribution_progress or 0.0
        c.drawString(M, p.y, f"Target iuran tahunan {format_rupiah(money)} · tercapai "
                     f"{format_rupiah(t.first_payments)} ({_share(share)})")
        # The same progress as a bar: filled share of the target.
        bar_x, bar_w = M + 125 * mm, W - 2 * M - 125 * mm
        c.setStrokeColor(GREY)
        c.rect(bar_x, p.y - 1 * mm, bar_w, 3.5 * mm, stroke=1, fill=0)
        c.setFillColor(GREEN)
        c.rect(bar_x, p.y - 1 * mm, bar_w * min(1.0, share), 3.5 * mm, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        p.y -= 5 * mm
    p.y -= 3 * mm
    _table(p, report)
    _bars(p, "Capaian terhadap target per segmen", by_segment.rows, with_target=True)
    _bars(p, "Pendaftaran per kecamatan", by_kecamatan.rows, with_target=True)
    _per_day(p, report.per_day)
    source = report.targets.get("source")
    if source:
        p.need(12 * mm)
        c.setFont(REGULAR, 6.5)
        c.setFillColor(GREY)
        line = ""
        for word in f"Sumber target: {source}".split():
            if line and text_width(f"{line} {word}", 6.5) > W - 2 * M:
                c.drawString(M, p.y, line)
                p.y -= 3.2 * mm
                line = word
            else:
                line = f"{line} {word}".strip()
        c.drawString(M, p.y, line)
        c.setFillColorRGB(0, 0, 0)
    p.footer()
    c.save()
    return buffer.getvalue()


def write_report_pdf(report: "Report", path: Path, store=None) -> None:
    """`report` as an A4 PDF at `path` (with its segment and kecamatan views)."""
    from bpjs_field import outputs
    from bpjs_field.reporting.funnel import build
    if store is None:
        raise ValueError("store required")
    kw = dict(start=report.start, end=report.end, targets=report.targets)
    pdf = render(report, build(store, by="segment", **kw), build(store, by="kecamatan", **kw))
    outputs.write_whole(path, pdf)
