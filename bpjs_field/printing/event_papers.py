"""Event papers: the attendance list to sign (daftar hadir) and the event summary.

Both are built from plain data assembled by one function each
(`attendance_sheet_data`, `event_summary_data`), so the layout never touches
SQL.  The attendance list shows masked identity numbers only; it still holds
personal data, and its footer says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.foreign import mask_passport
from bpjs_field.domain.formatting import format_datetime, format_rupiah, format_time
from bpjs_field.domain.plan import add_months, month_span, registration_plan
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.segments import EVENT_KINDS, PAYERS, SEGMENTS, label
from bpjs_field.printing.blocks import (LEADING, Block, Frame, KeyValue, Rule, Table, Text, draw_lines,
                                        flow, wrap)
from bpjs_field.printing.fonts import BLACK, GREEN, GREEN_LIGHT, GREY, GREY_LIGHT, finish, new_canvas
from bpjs_field.printing.receipt_data import BRANCH_SETTING, DEFAULT_BRANCH

if TYPE_CHECKING:
    from bpjs_field.store import Store

MARGIN = 15 * mm
ROW_H = 8.6 * mm
PDP_NOTE = ("Dokumen ini memuat data pribadi (UU No. 27 Tahun 2022). Simpan di tempat terkunci "
            "dan musnahkan setelah tidak diperlukan.")


@dataclass(frozen=True)
class EventInfo:
    id: str
    title: str
    kind_label: str
    starts_at: datetime
    venue: str
    partner_org: str | None
    branch: str


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    ident: str  # masked NIK or passport
    code: str | None
    segment: str | None
    checked_in_at: datetime | None


@dataclass(frozen=True)
class AttendanceSheet:
    event: EventInfo
    rows: tuple[AttendanceRow, ...]
    printed_at: datetime


@dataclass(frozen=True)
class EventSummary:
    event: EventInfo
    targets: dict[str, int]
    registrations: dict[str, int]
    registrations_total: int
    attendance: int
    officers: tuple[tuple[str, str, int], ...]  # (name, employee no, registrations)
    printed_at: datetime
    # BPU contributions paid now (every month paid ahead at the rules of its month):
    by_payer: tuple[tuple[str, int, int], ...] = ()  # (payer, registrations, amount)
    by_month: tuple[tuple[date, int, int], ...] = ()  # (month, registrations, amount)

    @property
    def amount_due(self) -> int:
        return sum(amount for _, _, amount in self.by_payer)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _event_info(store: "Store", event: dict) -> EventInfo:
    return EventInfo(
        id=event["id"], title=event["title"], kind_label=label(EVENT_KINDS, event["kind"]),
        starts_at=_moment(event["starts_at"]), venue=event["venue"],
        partner_org=event.get("partner_org"),
        branch=event.get("branch") or store.get_setting(BRANCH_SETTING) or DEFAULT_BRANCH)


def _ident(person: dict) -> str:
    if person.get("nik"):
        return mask_nik(person["nik"])
    return mask_passport(person.get("passport_no") or "")


def attendance_sheet_data(store: "Store", event_id: str, *, include_registered: bool = True,
                          printed_at: datetime | None = None) -> AttendanceSheet:
    """Everyone checked in at the event (and, by default, everyone registered there,
    so the list can be printed before the doors open), sorted by name."""
    event = store.events.require(event_id)
    regs = {r["person_id"]: r for r in store.registrations.for_event(event_id)}
    people: dict[str, AttendanceRow] = {}
    for a in store.attendance.for_event(event_id):
        reg = regs.get(a["person_id"])
        people[a["person_id"]] = AttendanceRow(
            a["full_name"], _ident(a), reg["code"] if reg else None,
            reg["segment"] if reg else None, _moment(a["checked_in_at"]))
    if include_registered:
        for person_id, reg in regs.items():
            if person_id not in people:
                person = store.people.get(person_id) or {}
                people[person_id] = AttendanceRow(person.get("full_name", "?"), _ident(person),
                                                  reg["code"], reg["segment"], None)
    rows = sorted(people.values(), key=lambda r: r.name.casefold())
    return AttendanceSheet(_event_info(store, event), tuple(rows),
                           printed_at or datetime.now(timezone.utc))


def event_summary_data(store: "Store", event_id: str, *,
                       printed_at: datetime | None = None) -> EventSummary:
    s = store.events.summary(event_id)
    officers = tuple((o["full_name"], o["employee_no"], o["registrations"]) for o in s["officers"])
    by_payer: dict[str, list[int]] = {}
    by_month: dict[date, list[int]] = {}
    for reg in store.registrations.for_event(event_id):
        if reg["segment"] != "bpu":
            continue
        plan = registration_plan(reg)
        payer = label(PAYERS, reg.get("payer") or "mandiri")
        if reg.get("payer_name"):
            payer = f"{reg['payer_name']} ({payer.split(' (')[0]})"
        row = by_payer.setdefault(payer, [0, 0])
        row[0] += 1
        row[1] += plan.total
        for run in plan.runs:
            for n in range(run.months):
                cell = by_month.setdefault(add_months(run.first, n), [0, 0])
                cell[0] += 1
                cell[1] += run.monthly.total
    return EventSummary(_event_info(store, s["event"]), dict(s["targets"]), dict(s["registrations"]),
                        s["registrations_total"], s["attendance"], officers,
                        printed_at or datetime.now(timezone.utc),
                        tuple((k, n, a) for k, (n, a) in sorted(by_payer.items())),
                        tuple((k, n, a) for k, (n, a) in sorted(by_month.items())))


# -- attendance sheet ----------------------------------------------------------

COLUMNS = (("No", 9 * mm), ("Nama", 52 * mm), ("NIK / Paspor", 32 * mm), ("Kode", 25 * mm),
           ("Hadir", 15 * mm), ("Tanda tangan", None))


def _header(c, sheet_title: str, e: EventInfo, y: float, width: float) -> float:
    return flow(_header_blocks(e, sheet_title), Frame(c, MARGIN, width, 9.5), y)


def _footer(c, page: int, pages: int, printed_at: datetime, width: float) -> None:
    f = Frame(c, MARGIN, width, 7)
    draw_lines(f, wrap(PDP_NOTE, 7, width * 0.7), MARGIN, MARGIN - 2 * mm, 7, color=GREY,
               width=width * 0.7)
    draw_lines(f, [f"Halaman {page} dari {pages}", f"Dicetak {format_datetime(printed_at)}"],
               MARGIN, MARGIN - 2 * mm, 7, align="right", color=GREY)


def _table_head(c, y: float, width: float) -> float:
    h = 6.5 * mm
    c.setFillColor(GREEN_LIGHT)
    c.rect(MARGIN, y - h, width, h, stroke=0, fill=1)
    f = Frame(c, MARGIN, width, 8.5)
    x = MARGIN
    for name, w in COLUMNS:
        w = w or (MARGIN + width - x)
        draw_lines(f, [name], x + 1.5 * mm, y - 1.8 * mm, 8.5, bold=True, width=w)
        x += w
    return h


def _row(c, n: int, row: AttendanceRow | None, y: float, width: float) -> None:
    f = Frame(c, MARGIN, width, 8.5)
    c.setStrokeColor(GREY_LIGHT)
    c.setLineWidth(0.5)
    c.line(MARGIN, y - ROW_H, MARGIN + width, y - ROW_H)
    cells = [str(n), "", "", "", "", ""]
    if row is not None:
        cells[1:5] = [row.name, row.ident, format_code(row.code) if row.code else "",
                      format_time(row.checked_in_at).removeprefix("pukul ").removesuffix(" WIB")
                      if row.checked_in_at else ""]
    x = MARGIN
    for i, ((_, w), text) in enumerate(zip(COLUMNS, cells)):
        w = w or (MARGIN + width - x)
        lines = wrap(text, 8.5, w - 3 * mm)
        if len(lines) > 2:  # a very long name keeps its first two lines
            lines = [lines[0], lines[1].rstrip() + "…"]
        top = y - (ROW_H - len(lines) * 8.5 * LEADING) / 2
        draw_lines(f, lines, x + 1.5 * mm, top, 8.5, width=w - 3 * mm)
        if i == len(COLUMNS) - 1:
            # Zig-zag signature places, as on paper daftar hadir: odd left, even right.
            sx = x + (1.5 * mm if n % 2 else w / 2)
            draw_lines(f, [f"{n}."], sx, y - 1.2 * mm, 7, color=GREY)
        x += w


def render_attendance_sheet(sheet: AttendanceSheet, out: BinaryIO | str | None = None, *,
                            blank_rows: int = 3, invariant: bool = False) -> bytes | None:
    """The daftar hadir: header on every page, rows with a signature column, spare
    rows for walk-ins, and the officer's signature at the end."""
    width = A4[0] - 2 * MARGIN
    c, target = new_canvas(out, A4, title="Daftar Hadir", invariant=invariant)
    header_h = _header(None, "DAFTAR HADIR", sheet.event, 0, width)
    table_top = A4[1] - MARGIN - header_h
    usable = table_top - 6.5 * mm - (MARGIN + 10 * mm)
    per_page = int(usable // ROW_H)
    rows: list[AttendanceRow | None] = list(sheet.rows) + [None] * blank_rows
    # Spare rows for walk-ins fill the last page, but never a page of their own.
    sign_rows = 4
    pages = max(1, -(-(len(rows) + sign_rows) // per_page))
    rows += [None] * (pages * per_page - sign_rows - len(rows))
    for page in range(pages):
        _header(c, "DAFTAR HADIR", sheet.event, A4[1] - MARGIN, width)
        y = table_top - _table_head(c, table_top, width)
        chunk = rows[page * per_page:(page + 1) * per_page]
        for i, row in enumerate(chunk):
            _row(c, page * per_page + i + 1, row, y, width)
            y -= ROW_H
        if page == pages - 1:
            f = Frame(c, MARGIN + width * 0.6, width * 0.4, 9)
            draw_lines(f, [f"Petugas, {format_datetime(sheet.printed_at).split(',')[0]}"],
                       f.x, y - 3 * mm, 9, width=f.width)
            c.setStrokeColor(BLACK)
            c.line(f.x, y - 3 * sign_rows * mm - 8 * mm, f.x + f.width, y - 3 * sign_rows * mm - 8 * mm)
        _footer(c, page + 1, pages, sheet.printed_at, width)
        c.showPage()
    return finish(c, target)


def _header_blocks(e: EventInfo, sheet_title: str) -> list[Block]:
    return [
        Text("BPJS Ketenagakerjaan · " + e.branch, rel=0.9, color=GREEN, bold=True, after=0.1),
        Text(sheet_title, rel=1.5, bold=True, after=0.15),
        Text(e.title, rel=1.15, bold=True, after=0.1),
        Text(f"{e.kind_label} · {format_datetime(e.starts_at)} · {e.venue}"
             + (f" · {e.partner_org}" if e.partner_org else ""), rel=0.9, after=0.4),
    ]


# -- event summary -------------------------------------------------------------

@dataclass
class Progress(Block):
    """Segment rows: target, achieved, percentage and a bar against the target."""

    rows: list[tuple[str, int | None, int]]  # (label, target or None, achieved)

    def place(self, f: Frame, y: float) -> float:
        size = f.size(1.0)
        row_h = size * 2.1
        cols = (0.34, 0.12, 0.14, 0.1)  # label, target, achieved, %; the bar takes the rest
        head = ("Segmen", "Target", "Tercapai", "%", "")
        h = 0.0
        for row in [None, *self.rows]:
            x = f.x
            if f.canvas is not None:
                if row is None:
                    f.canvas.setFillColor(GREEN_LIGHT)
                    f.canvas.rect(f.x, y - row_h, f.width, row_h, stroke=0, fill=1)
                    cells = head
                else:
                    name, target, done = row
                    share = f"{round(100 * done / target)}%" if target else "–"
                    cells = (name, str(target) if target else "–", str(done), share, "")
                for i, cell in enumerate(cells):
                    w = f.width * cols[i] if i < len(cols) else f.width * (1 - sum(cols))
                    draw_lines(f, [cell], x + 4, y - h - (row_h - size * LEADING) / 2, size,
                               bold=row is None, width=w - 8, align="left" if i == 0 else "right"
                               if i < 4 else "left")
                    if i == 4 and row is not None and row[1]:
                        ratio = min(row[2] / row[1], 1.0)
                        f.canvas.setFillColor(GREY_LIGHT)
                        f.canvas.rect(x + 6, y - h - row_h * 0.7, w - 12, row_h * 0.4, stroke=0, fill=1)
                        f.canvas.setFillColor(GREEN)
                        f.canvas.rect(x + 6, y - h - row_h * 0.7, (w - 12) * ratio, row_h * 0.4,
                                      stroke=0, fill=1)
                    x += w
                f.canvas.setStrokeColor(GREY_LIGHT)
                f.canvas.line(f.x, y - h - row_h, f.x + f.width, y - h - row_h)
            h += row_h
        return h + f.base


def _payment_blocks(summary: EventSummary) -> list[Block]:
    """BPU contributions paid now: by payer, and by contribution month (each month at its
    own rules, so a discount ending inside the months paid shows as a change)."""
    if not summary.by_payer:
        return []
    return [
        Text(f"Iuran BPU dibayar di muka: {format_rupiah(summary.amount_due)}", bold=True, rel=1.1,
             after=0.4),
        Table(["Dibayar oleh", "Peserta", "Jumlah"],
              [[p, str(n), format_rupiah(a)] for p, n, a in summary.by_payer],
              [5, 2, 3], ["left", "right", "right"], rel=1.0, header_fill=GREEN_LIGHT),
        Text("Menurut bulan iuran (tiap bulan dengan tarif dan potongan yang berlaku pada bulan itu)",
             bold=True, rel=1.0, after=0.4),
        Table(["Bulan", "Peserta", "Per bulan", "Jumlah"],
              [[month_span(first, last), str(n), format_rupiah(a), format_rupiah(a * months)]
               for first, last, months, n, a in month_runs(summary.by_month)],
              [5, 1.6, 2.4, 2.6], ["left", "right", "right", "right"], rel=0.95,
              header_fill=GREEN_LIGHT),
    ]


def month_runs(by_month: tuple[tuple[date, int, int], ...]) -> list[tuple[date, date, int, int, int]]:
    """Consecutive months with the same participants and amount as one row:
    (first, last, months, participants, amount per month)."""
    runs: list[list] = []
    for month, n, amount in by_month:
        if runs and runs[-1][3:] == [n, amount] and add_months(runs[-1][1], 1) == month:
            runs[-1][1] = month
            runs[-1][2] += 1
        else:
            runs.append([month, month, 1, n, amount])
    return [tuple(r) for r in runs]


def render_event_summary(summary: EventSummary, out: BinaryIO | str | None = None, *,
                         invariant: bool = False) -> bytes | None:
    width = A4[0] - 2 * MARGIN
    c, target = new_canvas(out, A4, title="Ringkasan Acara", invariant=invariant)
    e = summary.event
    rows = [(label(SEGMENTS, seg), summary.targets.get(seg), summary.registrations.get(seg, 0))
            for seg in SEGMENTS]
    targeted = sum(v for k, v in summary.targets.items() if k in SEGMENTS)
    rows.append(("Jumlah pendaftaran", targeted or None, summary.registrations_total))
    blocks: list[Block] = _header_blocks(e, "RINGKASAN ACARA") + [
        Rule(),
        KeyValue("Pendaftaran", f"{summary.registrations_total} orang", bold=True),
        KeyValue("Kehadiran", f"{summary.attendance} orang"
                 + (f" dari target {summary.targets['attendance']}" if summary.targets.get("attendance")
                    else ""), bold=True),
        KeyValue("Petugas", f"{len(summary.officers)} orang"),
        Rule(),
        Text("Pendaftaran per segmen dibanding target", bold=True, rel=1.1, after=0.4),
        Progress(rows),
        Text("Kehadiran", bold=True, rel=1.1, after=0.4),
        Progress([("Hadir (check-in)", summary.targets.get("attendance"), summary.attendance)]),
        Text("Pendaftaran per petugas", bold=True, rel=1.1, after=0.4),
        Table(["Petugas", "No. pegawai", "Pendaftaran"],
              [[n, no, str(k)] for n, no, k in summary.officers] or [["–", "–", "0"]],
              [5, 3, 2], ["left", "left", "right"], rel=1.0, header_fill=GREEN_LIGHT),
    ]
    footer = Text(f"Dicetak {format_datetime(summary.printed_at)} · data dari laptop ini; "
                  "laptop lain masuk setelah sinkronisasi.", rel=0.8, color=GREY)
    payments = _payment_blocks(summary)
    frame = Frame(c, MARGIN, width, 10)
    top = A4[1] - MARGIN
    used = flow(blocks, frame, top)
    room = top - used - MARGIN
    if payments and flow(payments + [footer], Frame(None, MARGIN, width, 10), 0) > room:
        # The contributions go on a page of their own rather than off the bottom.
        flow([footer], frame, top - used)
        c.showPage()
        used = flow(_header_blocks(e, "RINGKASAN ACARA (lanjutan)") + [Rule()], frame, top)
    flow(payments + [footer], frame, top - used)
    c.showPage()
    return finish(c, target)
