"""Fonts, colours and the canvas every printed document starts from.

All documents use the bundled DejaVu Sans (Bitstream Vera licence, see
`resources/fonts/LICENSE-DejaVu.txt`): it covers every Indonesian and English
glyph we print (including “ ” – × and the rupiah text), and reportlab embeds a
subset of it as a TrueType FontFile2.  The canvas is started with it as the
initial font, so the PDF never references the non-embedded Helvetica that
reportlab would otherwise put on every page.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import BinaryIO

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bpjs_field.paths import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

# BPJS Ketenagakerjaan's green and a few quiet companions; all print legibly in grey on
# a mono laser or thermal printer because they differ in lightness, not only in hue.
GREEN = HexColor("#00733C")
GREEN_LIGHT = HexColor("#E3F2E9")
GREEN_MID = HexColor("#7BC29A")
BLUE = HexColor("#1F5AA6")
BLUE_LIGHT = HexColor("#E4ECF7")
ORANGE = HexColor("#E07B00")
GREY = HexColor("#555555")
GREY_LIGHT = HexColor("#DDDDDD")
BLACK = HexColor("#000000")
WHITE = HexColor("#FFFFFF")


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register the bundled fonts once per process; returns (regular, bold) names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD


def text_width(text: str, size: float, bold: bool = False) -> float:
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)


def new_canvas(out: BinaryIO | str | None, pagesize: tuple[float, float], *, title: str,
               subject: str = "", invariant: bool = False) -> tuple[Canvas, BinaryIO | str]:
    """A canvas on `out` (a path or a binary stream; None = in-memory BytesIO)."""
    register_fonts()
    target: BinaryIO | str = out if out is not None else io.BytesIO()
    canvas = Canvas(target, pagesize=pagesize, pageCompression=1, invariant=1 if invariant else 0,
                    initialFontName=REGULAR, initialFontSize=10)
    canvas.setTitle(title)
    canvas.setAuthor("BPJS Ketenagakerjaan")
    canvas.setCreator("bpjs-field")
    if subject:
        canvas.setSubject(subject)
    return canvas, target


def finish(canvas: Canvas, target: BinaryIO | str) -> bytes | None:
    """Save the canvas; the PDF bytes when it was written to memory."""
    canvas.save()
    if isinstance(target, io.BytesIO):
        return target.getvalue()
    return None


def mix(color: Color, amount: float) -> Color:
    """`color` lightened towards white by `amount` (0..1), for tints."""
    return Color(color.red + (1 - color.red) * amount, color.green + (1 - color.green) * amount,
                 color.blue + (1 - color.blue) * amount)
