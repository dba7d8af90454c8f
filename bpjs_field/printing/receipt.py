"""The registration receipt (Tanda Terima Pendaftaran): one layout, three paper formats.

`receipt_blocks(data)` describes the receipt once as a list of blocks; each
`ReceiptFormat` only sets the column width, margins, base type size and QR size.
On the 80 mm roll the page height is measured from the content, so the printer
cuts right under the last line.  Texts are Indonesian, as receipts are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.contribution import EMPLOYER, WORKER
from bpjs_field.domain.formatting import (format_date, format_datetime, format_rupiah,
                                          rupiah_in_words)
from bpjs_field.domain.plan import add_months, month_name, month_span
from bpjs_field.domain.rates import default_rates
from bpjs_field.printing.blocks import (LEADING, Amount, Banner, Block, Frame, KeyValue, Rule,
                                        Text, draw_lines, flow, wrap)
from bpjs_field.printing.brochure_content import default_benefits
from bpjs_field.printing.fonts import BLACK, GREEN, GREY, finish, new_canvas
from bpjs_field.printing.qr import draw_qr
from bpjs_field.printing.receipt_data import ReceiptData

LAYOUT_VERSION = "R2"
MIN_BASE = 6.4  # smallest body type on a sheet, points
CONTACT_CENTRE = "175"
PAID_BY = {EMPLOYER: "pemberi kerja", WORKER: "pekerja"}


@dataclass(frozen=True)
class ReceiptFormat:
    name: str
    width: float
    height: float | None  # None: as tall as the content (thermal roll)
    margin: float
    base: float  # body type size, points
    qr: float  # QR side including its quiet zone
    accent: Color

    @property
    def pagesize(self) -> tuple[float, float]:
        return (self.width, self.height or 0)


FORMATS = {
    "a4": ReceiptFormat("a4", A4[0], A4[1], 20 * mm, 10.5, 42 * mm, GREEN),
    "a5": ReceiptFormat("a5", A5[0], A5[1], 12 * mm, 8.4, 32 * mm, GREEN),
    # An 80 mm roll prints about 72 mm wide; 4 mm margins keep text off the unprintable edge.
    "thermal": ReceiptFormat("thermal", 80 * mm, None, 4 * mm, 7.6, 36 * mm, BLACK),
    # A 58 mm roll prints 48 mm wide: 5 mm margins; the QR stays 32 mm for door scanners.
    "thermal58": ReceiptFormat("thermal58", 58 * mm, None, 5 * mm, 6.6, 32 * mm, BLACK),
}


def pct(percent: str | None) -> str:
    """"0.24" -> "0,24%" the Indonesian way."""
    if percent is None:
        return ""
    text = percent.rstrip("0").rstrip(".") if "." in percent else percent
    return text.replace(".", ",") + "%"


@dataclass
class CodeQR(Block):
    """The registration code in large type with its QR: side by side on sheets,
    stacked and centred on the narrow roll."""

    display: str
    bare: str
    label: str
    caption: str
    qr_size: float

    def place(self, f: Frame, y: float) -> float:
        big = f.size(2.4)
        small = f.size(0.85)
        if f.width >= self.qr_size * 2.6:
            left_w = f.width - self.qr_size - f.base
            h = draw_lines(f, [self.label], f.x, y - f.base * 0.8, small, color=GREY, width=left_w)
            h += f.base * 0.8
            h += draw_lines(f, [self.display], f.x, y - h, big, bold=True, width=left_w)
            h += draw_lines(f, wrap(self.caption, small, left_w), f.x, y - h - f.base * 0.3,
                            small, width=left_w, color=GREY) + f.base * 0.3
            if f.canvas is not None:
                draw_qr(f.canvas, self.bare, f.x + f.width - self.qr_size, y - self.qr_size, self.qr_size)
            return max(h, self.qr_size) + f.base * 0.3
        h = draw_lines(f, [self.label], f.x, y, small, align="center", color=GREY)
        h += draw_lines(f, [self.display], f.x, y - h, big, bold=True, align="center")
        if f.canvas is not None:
            draw_qr(f.canvas, self.bare, f.x + (f.width - self.qr_size) / 2, y - h - self.qr_size,
                    self.qr_size)
        h += self.qr_size
        h += draw_lines(f, wrap(self.caption, small, f.width), f.x, y - h, small, align="center",
                        color=GREY)
        return h + f.base * 0.4


ESTIMATE = "perkiraan; pastikan di kantor cabang"


def _line_name(d: ReceiptData, line) -> str:
    name = line.program
    if line.percent is not None and line.base is not None:
        name += f" {pct(line.percent)} × {format_rupiah(line.base)}"
        if d.wage is not None and line.base < d.wage:
            name += " (batas upah)" if d.jp_cap_verified else f" (batas upah, {ESTIMATE})"
    elif line.percent is None:
        name += " (nominal tetap)"
    if d.segment != "bpu":
        name += f" ({PAID_BY.get(line.paid_by, line.paid_by)})"
    return name


def _contribution_rows(d: ReceiptData) -> list[Block]:
    c = d.contribution
    plan = d.plan
    changes = plan is not None and plan.changes
    heading = f"Iuran bulan {month_name(c.period)}" if changes else "Iuran per bulan"
    rows: list[Block] = [Text(heading, bold=True, after=0.3)]
    for line in c.lines:
        rows.append(Amount(_line_name(d, line), format_rupiah(line.amount)))
    if c.discount:
        programs = " dan ".join(d.discount_programs) if d.discount_programs else ""
        share = f"{d.discount_percent}% " if d.discount_percent else ""
        basis = f"Dasar hukum: {c.discount_basis}" if c.discount_basis else ""
        if d.discount_until:
            basis += f", berlaku sampai {format_date(d.discount_until)}"
        rows.append(Amount(f"Potongan iuran {share}{programs}".strip(), format_rupiah(-c.discount),
                           note=basis.lstrip(", ") or None))
    elif plan is not None and any(run.monthly.discount for run in plan.runs):
        # The first month is at the full rate; a discount starts within the months paid.
        later = [run for run in plan.runs if run.monthly.discount]
        share = f"{d.discount_percent}% " if d.discount_percent else ""
        programs = " dan ".join(d.discount_programs)
        rows.append(Text(f"Potongan iuran {share}{programs} ({later[0].monthly.discount_basis}) "
                         f"berlaku untuk {month_span(later[0].first, later[-1].last)}; lihat per "
                         "bulan di bawah.", rel=0.85, color=GREY, after=0.2))
    elif d.segment == "bpu" and (withheld := _withheld_discount(d)):
        rows.append(Text(f"Potongan iuran {withheld} tidak berlaku: iuran dibayar dari "
                         f"{(d.payer or '').upper()}.", rel=0.85, color=GREY, after=0.2))
    if "JKP" in d.programs:
        jkp = default_benefits().on("jkp", c.period)
        rows.append(Amount("JKP (tanpa tagihan tambahan)", format_rupiah(0),
                           note=f"Iuran JKP {pct(jkp['contribution_percent'])}: "
                                f"{pct(jkp['government_percent'])} dibayar Pemerintah Pusat dan "
                                f"{pct(jkp['from_jkk_percent'])} dialihkan dari iuran JKK "
                                f"({jkp['legal_basis'].split(' (')[0]})"))
    rows.append(Rule(dashed=True, pad=0.3))
    total_label = f"Total iuran bulan {month_name(c.period)}" if changes else "Total iuran per bulan"
    rows.append(Amount(total_label, format_rupiah(c.total), bold=True, rel=1.1))
    rows.append(Text(f"({rupiah_in_words(c.total)})", rel=0.9, color=GREY, after=0.4))
    if d.segment == "bpu" and plan is not None:
        span = month_span(plan.first, plan.last)
        if changes:  # month by month where the amount changes
            rows.append(Text(f"Dibayar di muka: {plan.months} bulan ({span})", bold=True, after=0.2))
            for run in plan.runs:
                rows.append(Amount(run.describe(), format_rupiah(run.total)))
            rows.append(Rule(dashed=True, pad=0.3))
            rows.append(Amount("Jumlah dibayar sekarang", format_rupiah(d.amount_due), bold=True, rel=1.1))
        else:
            rows.append(Amount(f"Dibayar di muka: {plan.months} bulan ({span}) × "
                               f"{format_rupiah(c.total)}", format_rupiah(d.amount_due), bold=True))
        rows.append(Text(f"({rupiah_in_words(d.amount_due)})", rel=0.9, color=GREY, after=0.3))
    else:
        rows.append(Amount("Bagian pemberi kerja", format_rupiah(c.employer_total)))
        rows.append(Amount("Bagian pekerja", format_rupiah(c.worker_total)))
    rows.append(KeyValue("Iuran dibayar oleh", d.paid_by, bold=True))
    return rows


def _withheld_discount(d: ReceiptData) -> str | None:
    """The legal basis of a discount the months paid would have had but for who pays
    (PP 50/2025 excludes APBN/APBD), so the receipt can say why none is shown."""
    runs = d.plan.runs if d.plan is not None else ()
    months = [add_months(run.first, n) for run in runs for n in range(run.months)] or [d.contribution.period]
    rates = default_rates()
    for month in months:
        for disc in rates.discounts_for(segment="bpu", period=month, sector=d.sector or "umum",
                                        payer="mandiri"):
            if d.payer in disc.excluded_payers:
                return disc.legal_basis
    return None


def _program_rows(d: ReceiptData) -> list[Block]:
    rows: list[Block] = [KeyValue("Program", ", ".join(d.programs), bold=True)]
    for reason in d.reasons:
        rows.append(Text(("• " if reason.applies else "– ") + reason.text(), rel=0.82,
                         color=BLACK if reason.applies else GREY, after=0.1))
    return rows


def _payment_text(d: ReceiptData) -> str:
    if d.segment == "bpu" and (d.payer or "mandiri") == "mandiri":
        return ("Bayar iuran melalui bank, Kantor Pos, gerai ritel, aplikasi JMO (Jamsostek "
                "Mobile) atau agen Perisai. Iuran boleh dibayar beberapa bulan di muka. "
                "Perlindungan tidak aktif bila iuran tidak dibayar 3 bulan berturut-turut.")
    if d.segment == "bpu":
        return (f"Iuran dibayar oleh {d.paid_by}; peserta tidak perlu membayar sendiri. "
                "Tanyakan kepada pembayar atau petugas bila kepesertaan belum aktif.")
    return ("Peserta Penerima Upah didaftarkan oleh pemberi kerja; pemberi kerja menyetor "
            "iuran bagian pemberi kerja dan bagian pekerja kepada BPJS Ketenagakerjaan.")


def receipt_blocks(d: ReceiptData, accent: Color = GREEN, qr_size: float = 36 * mm) -> list[Block]:
    """The receipt, described once for every paper format."""
    blocks: list[Block] = [
        Text("BPJS Ketenagakerjaan", rel=1.6, bold=True, align="center", color=accent, after=0.05),
        Text(d.branch, align="center", after=0.35),
        Text("TANDA TERIMA PENDAFTARAN", rel=1.25, bold=True, align="center", after=0.3),
    ]
    if d.training:
        blocks.append(Banner("LATIHAN · bukan tanda terima sah", rel=1.2))
    if d.is_copy:
        blocks.append(Banner(f"SALINAN ke-{d.copy_number}", rel=1.2))
    blocks += [
        Rule(),
        CodeQR(format_code(d.code), d.code, "Kode pendaftaran",
               "Tunjukkan kode ini di meja registrasi atau saat hadir di acara.", qr_size),
        Rule(),
        KeyValue("Tanggal", format_datetime(d.registered_at)),
    ]
    if d.event_title:
        where = d.event_title
        if d.event_venue:
            where += f", {d.event_venue}"
        if d.event_date:
            where += f" ({format_date(d.event_date)})"
        blocks.append(KeyValue("Acara", where))
    if d.officer_name:
        officer = d.officer_name + (f" ({d.officer_no})" if d.officer_no else "")
        blocks.append(KeyValue("Petugas", officer))
    blocks.append(Rule())
    blocks.append(KeyValue("Nama", d.participant_name, bold=True))
    ident = d.identity_masked + (f" ({d.nationality})" if d.nationality else "")
    blocks.append(KeyValue(d.identity_label, ident))
    blocks.append(KeyValue("Segmen", d.segment_label))
    if d.occupation_label:
        blocks.append(KeyValue("Pekerjaan", d.occupation_label))
    if d.employer_name:
        blocks.append(KeyValue("Pemberi kerja", d.employer_name))
    if d.declared_income is not None:
        blocks.append(KeyValue("Penghasilan dilaporkan", format_rupiah(d.declared_income)))
    if d.wage is not None:
        wage = format_rupiah(d.wage) + (f" (kelas risiko {d.risk_class})" if d.risk_class else "")
        blocks.append(KeyValue("Upah sebulan", wage))
    if d.scale_label:
        blocks.append(KeyValue("Skala usaha", d.scale_label))
    blocks += _program_rows(d)
    blocks.append(Rule())
    blocks += _contribution_rows(d)
    blocks += [
        Rule(),
        Text("Cara dan tempat membayar", bold=True, after=0.2),
        Text(_payment_text(d), rel=0.92, after=0.3),
        Rule(),
        Text("Persetujuan data pribadi", bold=True, after=0.2),
        Text("Peserta telah membaca pemberitahuan privasi dan menyetujui pemrosesan data "
             "pribadinya untuk pendaftaran dan sosialisasi BPJS Ketenagakerjaan sesuai UU "
             f"No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (pemberitahuan versi "
             f"{d.consent_version}, {format_datetime(d.consent_at)}).", rel=0.85, after=0.3),
        Rule(),
        Text(f"Informasi: Contact Center BPJS Ketenagakerjaan {CONTACT_CENTRE}", bold=True,
             align="center", after=0.15),
        Text(f"Dicetak {format_datetime(d.printed_at)}"
             + (f" · SALINAN ke-{d.copy_number}" if d.is_copy else "")
             + (" · LATIHAN" if d.training else ""),
             rel=0.8, align="center", color=GREY, after=0),
    ]
    return blocks


def _content_height(blocks: list[Block], fmt: ReceiptFormat) -> float:
    frame = Frame(None, fmt.margin, fmt.width - 2 * fmt.margin, fmt.base)
    return flow(blocks, frame, 0)


def draw_receipt_page(canvas, d: ReceiptData, fmt: ReceiptFormat) -> None:
    """Add one receipt as the canvas's next page (sized for the roll when thermal)."""
    blocks = receipt_blocks(d, fmt.accent, fmt.qr)
    height = fmt.height
    if height is None:
        height = _content_height(blocks, fmt) + 2 * fmt.margin + fmt.base * LEADING
    else:
        # A long receipt (months paid ahead at changing amounts, programme reasons) keeps to
        # one sheet with slightly smaller type rather than losing its last lines.
        room = height - 2 * fmt.margin
        need = _content_height(blocks, fmt)
        while need > room and fmt.base > MIN_BASE:
            # Heights grow about as the type size: aim straight at the size that fits.
            base = min(fmt.base - 0.1, fmt.base * room / need)
            fmt = replace(fmt, base=max(MIN_BASE, round(base - 0.05, 1)))
            need = _content_height(blocks, fmt)
    canvas.setPageSize((fmt.width, height))
    frame = Frame(canvas, fmt.margin, fmt.width - 2 * fmt.margin, fmt.base)
    flow(blocks, frame, height - fmt.margin)
    canvas.showPage()


def render_receipts(items: Iterable[ReceiptData], fmt: str = "a4", out: BinaryIO | str | None = None,
                    *, progress: Callable[[int], bool | None] | None = None,
                    invariant: bool = False) -> bytes | None:
    """Receipts, one per page, into one PDF.  `progress(n)` is called after each
    receipt; returning False stops early (a cancelled batch)."""
    spec = FORMATS[fmt]
    canvas, target = new_canvas(out, (spec.width, spec.height or A4[1]),
                                title="Tanda Terima Pendaftaran", invariant=invariant,
                                subject="BPJS Ketenagakerjaan")
    for count, data in enumerate(items, 1):
        draw_receipt_page(canvas, data, spec)
        if progress is not None and progress(count) is False:
            break
    return finish(canvas, target)


def render_receipt(data: ReceiptData, fmt: str = "a4", out: BinaryIO | str | None = None,
                   *, invariant: bool = False) -> bytes | None:
    return render_receipts([data], fmt, out, invariant=invariant)
