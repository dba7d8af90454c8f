"""Money, dates and numbers in words, the Indonesian way (PUEBI), with no OS locale needed.

`Rp16.800`, `Rp5.469.922,59`, `22 November 2026`, `Minggu, 22 November 2026`,
`pukul 14.30 WIB`, and `enam belas ribu delapan ratus rupiah` for receipts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

WIB = timezone(timedelta(hours=7), "WIB")


def today_wib() -> date:
    """Today at the branch: the day in Jakarta time (WIB), which every date the app records,
    prints and reports is counted in, whatever zone the laptop's or server's clock is set to
    (a laptop left on UTC would otherwise start tomorrow at 17.00 WIB for some dates and not
    for others)."""
    return datetime.now(WIB).date()


def group_thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_rupiah(amount: int | Decimal, *, cents: bool = False) -> str:
    """`16800` -> `Rp16.800`; negative amounts get a leading minus (`-Rp8.400`)."""
    sign = "-" if amount < 0 else ""
    amount = abs(Decimal(amount))
    whole = int(amount)
    text = f"Rp{group_thousands(whole)}"
    frac = amount - whole
    if cents or frac:
        text += "," + f"{int((frac * 100).quantize(Decimal(1))):02d}"
    return sign + text


def parse_rupiah(text: str) -> int:
    """`Rp1.500.000`, `1.500.000`, `1500000` -> 1500000.  Raises ValueError."""
    cleaned = (text or "").strip().removeprefix("Rp").removeprefix("rp").strip()
    if "," in cleaned:
        cleaned, frac = cleaned.split(",", 1)
        if frac.strip("0"):
            raise ValueError("not whole rupiah")
    cleaned = cleaned.replace(".", "").replace(" ", "")
    if not cleaned.isdigit():
        raise ValueError("not a number")
    return int(cleaned)


def format_date(day: date, lang: str = "id", *, weekday: bool = False) -> str:
    months = MONTHS_EN if lang == "en" else MONTHS_ID
    text = f"{day.day} {months[day.month - 1]} {day.year}"
    if weekday:
        days = DAYS_EN if lang == "en" else DAYS_ID
        text = f"{days[day.weekday()]}, {text}"
    return text


def format_date_numeric(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def to_wib(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WIB)


def format_time(moment: datetime, lang: str = "id") -> str:
    local = to_wib(moment)
    if lang == "en":
        return f"{local:%H:%M} WIB"
    return f"pukul {local:%H.%M} WIB"


def format_datetime(moment: datetime, lang: str = "id") -> str:
    local = to_wib(moment)
    return f"{format_date(local.date(), lang)}, {format_time(local, lang)}"


_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
          "sepuluh", "sebelas")
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _below_thousand(n: int) -> str:
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    hundreds, rest = divmod(n, 100)
    head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
    return head + (f" {_below_thousand(rest)}" if rest else "")


def terbilang(n: int) -> str:
    """Whole number in Indonesian words: 16800 -> 'enam belas ribu delapan ratus'."""
    if n < 0:
        return "minus " + terbilang(-n)
    if n == 0:
        return "nol"
    parts = []
    for scale, word in _SCALES:
        if n >= scale:
            count, n = divmod(n, scale)
            parts.append(f"{terbilang(count)} {word}")
    if n >= 1000:
        count, n = divmod(n, 1000)
        parts.append("seribu" if count == 1 else f"{_below_thousand(count)} ribu")
    if n:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def rupiah_in_words(amount: int) -> str:
    return f"{terbilang(amount)} rupiah"
