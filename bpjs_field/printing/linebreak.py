"""Line breaking for Indonesian receipts: words break at spaces, amounts never.

`break_lines(text, width, measure)` fills lines greedily like any word wrap,
with the rules a narrow roll needs:

- an amount (`Rp16.800`, `-Rp8.400`, `Rp1.500.000,50`), a percentage
  (`0,24%`) or a grouped number (`1.500.000`) is one unit: it is never split,
  even when it alone is wider than the line (it then stands on a line of its
  own, and the layout makes sure that cannot be cut off);
- an operator stays with what follows it (`× Rp5.000.000`, `= Rp16.800`), so a
  line never ends in a dangling `×`;
- `Rp 16.800` written with a space is kept together, as are a day and its month
  (`22 November`), a month and its year (`November 2026`) and `No. 27`;
- any other word longer than the line (an e-mail address, a long name with no
  space) is split by characters rather than running off the paper.

`measure` gives a string's width in the caller's unit: points for PDFs, or
`len` for a printer's fixed character cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A no-break space glues two words into one unit; it prints as a space.
NBSP = "\u00a0"

AMOUNT = re.compile(r"^[(\[]?[-−]?(Rp)?[-−]?\d{1,3}(\.\d{3})*(,\d+)?%?[)\].,;:]*$|"
                    r"^[(\[]?[-−]?Rp\d[\d.]*(,\d+)?[)\].,;:]*$")
OPERATORS = {"×", "x", "=", "+", "−", "-", "@", "/"}
MONTHS = {"januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
          "oktober", "november", "desember", "january", "february", "march", "may", "june",
          "july", "august", "october", "december"}


def is_amount(word: str) -> bool:
    """True for a word that must never be split: money, a percentage, a grouped number."""
    return bool(AMOUNT.match(word.replace(NBSP, "")))


def _glue(words: list[str]) -> list[str]:
    """Join the words that must stay on one line with a no-break space."""
    out: list[str] = []
    for word in words:
        if out:
            prev = out[-1]
            last = prev.rsplit(NBSP, 1)[-1]
            glue = (last in OPERATORS or last in ("Rp", "No.", "Rp.")
                    or (last.lstrip("(").isdigit() and len(last.lstrip("(")) <= 2 and word.lower().strip(",.") in MONTHS)
                    or (last.lower() in MONTHS and re.fullmatch(r"\d{4}[,.)]*", word) is not None))
            if glue:
                out[-1] = prev + NBSP + word
                continue
        out.append(word)
    return out


def _split_long(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Characters of an over-long ordinary word, as many per line as fit."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and measure(current + ch) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def break_lines(text: str, width: float, measure: Callable[[str], float] = len) -> list[str]:
    """Lines of `text` no wider than `width` (amounts excepted, see above); explicit
    newlines are kept, an empty paragraph gives an empty line."""
    lines: list[str] = []
    for para in text.split("\n"):
        units = _glue(para.split())
        lines.extend(_fill(units, width, measure) if units else [""])
    return [line.replace(NBSP, " ") for line in lines]


def _fill(units: list[str], width: float, measure: Callable[[str], float]) -> list[str]:
    # Widths add up word by word (no kerning in either unit), so each word is measured once.
    space = measure(" ")
    lines: list[str] = []
    current, used = "", 0.0
    for unit in units:
        need = measure(unit.replace(NBSP, " "))
        if current and used + space + need <= width:
            current, used = f"{current} {unit}", used + space + need
            continue
        if current:
            lines.append(current)
        if need <= width:
            current, used = unit, need
            continue
        # Too wide on a line of its own: a glued group falls back to its words, an
        # amount stays whole, an ordinary long word is cut by characters.
        parts = unit.split(NBSP)
        if len(parts) > 1:
            sub = _fill(parts, width, measure)
        elif is_amount(unit):
            sub = [unit, ""]
        else:
            sub = _split_long(unit, width, measure)
        lines.extend(sub[:-1])
        current, used = sub[-1], measure(sub[-1])
    if current:
        lines.append(current)
    return lines
