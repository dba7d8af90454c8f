"""QR codes drawn as one filled path.

reportlab's stock QR widget draws every dark module as its own rectangle
through the graphics layer, which costs about 70 % of a receipt's time.  Here
the symbol is encoded once (cached per text) and each row's runs of dark
modules become rectangles of a single path, filled in one operator: a receipt
QR then costs well under a millisecond to draw.  The quiet zone (4 modules) is
left white around the symbol so phone and USB scanners find it.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4
MASK = 0


@lru_cache(maxsize=1024)
def qr_runs(text: str, level: str = "M") -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(modules per side, ((row, first column, length), ...)) for the dark runs of `text`."""
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    # Byte mode always: the registration code's check symbol may be ~ = $ *, which
    # alphanumeric mode cannot hold, and every decoder reads byte mode.
    code.addData(qrencoder.QR8bitByte(text))
    # A fixed mask instead of scoring all eight: every mask is valid (the symbol
    # says which it uses) and scoring is three quarters of the encoding time.  For
    # the short codes printed here the readers do not care; the tests decode every
    # format with zxing-cpp.
    code.version = code.calculate_version()
    code.makeImpl(False, MASK)
    count = code.getModuleCount()
    runs = []
    for row, modules in enumerate(code.modules):
        col = 0
        while col < count:
            if modules[col]:
                start = col
                while col < count and modules[col]:
                    col += 1
                runs.append((row, start, col - start))
            else:
                col += 1
    return count, tuple(runs)


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR of `text` with its quiet zone inside the square (x, y, size), y at bottom."""
    count, runs = qr_runs(text)
    module = size / (count + 2 * QUIET_ZONE)
    left = x + QUIET_ZONE * module
    top = y + size - QUIET_ZONE * module
    path = canvas.beginPath()
    for row, col, length in runs:
        # A hair of overlap between rows stops hairline gaps at low render resolutions.
        path.rect(left + col * module, top - (row + 1) * module, length * module, module * 1.02)
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
