"""A small ESC/POS printer on paper: interprets the byte stream the app sends and
draws what a 203 dpi thermal head would print, so tests can read it back.

Understood (and nothing else: an unknown command fails the test, so the app
cannot start sending something this model, and maybe a cheap printer, does not
know): ESC @, ESC ! n, ESC E n, ESC G n, ESC - n, ESC M n, ESC a n, ESC t n,
ESC d n, ESC { n, GS ! n, GS B n, GS V m [n], GS v 0 (raster image), GS ( k
(native QR: model, size, error level, store, print), DLE EOT n (status
requests), LF and printable ASCII.

`render(data, dots)` returns a `Printout`: the paper as a PIL image, the
printed text lines (with the character cells each used), the cut positions,
and everything that would have run past the right edge of the head.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
CELL = {0: (12, 24), 1: (9, 17)}  # Font A, Font B: dots wide, dots high
LINE_GAP = 6  # default line spacing (about 30 dots) minus Font A's 24


@dataclass
class Line:
    text: str
    cols: float  # width in Font A cells (Font B and double width counted by their dots / 12)
    bold: bool
    font: int
    double_width: bool
    double_height: bool
    inverted: bool
    top: int


@dataclass
class Printout:
    image: Image.Image
    lines: list[Line] = field(default_factory=list)
    cuts: list[int] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    images: int = 0
    native_qr: list[str] = field(default_factory=list)
    code_pages: set[int] = field(default_factory=set)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class _Paper:
    def __init__(self, dots: int) -> None:
        self.dots = dots
        self.rows: list[tuple[Image.Image, int]] = []  # strips of paper, stacked
        self.y = 0

    def add(self, strip: Image.Image) -> int:
        top = self.y
        self.rows.append((strip, top))
        self.y += strip.height
        return top

    def feed(self, dots: int) -> None:
        self.add(Image.new("L", (self.dots, dots), 255))

    def image(self) -> Image.Image:
        out = Image.new("L", (self.dots, max(self.y, 1)), 255)
        for strip, top in self.rows:
            out.paste(strip, (0, top))
        return out


def _font(bold: bool, height: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS_DIR / name), max(8, int(height * 0.8)))


def render(data: bytes, dots: int = 384) -> Printout:
    paper = _Paper(dots)
    out = Printout(Image.new("L", (1, 1), 255))
    state = {}

    def reset() -> None:
        state.update(bold=False, font=0, dw=False, dh=False, sw=1, sh=1, invert=False,
                     underline=0, align=0)
    reset()
    line: list[tuple[str, dict]] = []
    line_align = [0]
    qr_store = {"data": b"", "size": 3}

    def flush() -> None:
        chars = list(line)
        line.clear()
        if not chars:
            paper.feed(CELL[0][1] + LINE_GAP)
            return
        widths = []
        height = 0
        for _ch, st in chars:
            w, h = CELL[st["font"]]
            widths.append(w * st["sw"])
            height = max(height, h * st["sh"])
        total = sum(widths)
        text = "".join(ch for ch, _st in chars)
        if total > dots:
            out.overflow.append(text)
        strip = Image.new("L", (dots, height + LINE_GAP), 255)
        draw = ImageDraw.Draw(strip)
        x = {0: 0, 1: (dots - total) // 2, 2: dots - total}[line_align[0]]
        x = max(0, x)
        for (ch, st), w in zip(chars, widths):
            cell_h = CELL[st["font"]][1] * st["sh"]
            y0 = height - cell_h
            if st["invert"]:
                draw.rectangle((x, y0, x + w - 1, height - 1), fill=0)
            if ch != " ":
                font = _font(st["bold"], CELL[st["font"]][1])
                glyph = Image.new("L", (CELL[st["font"]][0] * 2, CELL[st["font"]][1]), 0)
                ImageDraw.Draw(glyph).text((CELL[st["font"]][0] // 2, 0), ch, font=font, fill=255)
                box = glyph.getbbox()
                if box:
                    glyph = glyph.crop((max(0, box[0] - 1), 0, min(glyph.width, box[2] + 1),
                                        glyph.height))
                glyph = glyph.resize((min(w, glyph.width * st["sw"]), cell_h))
                ink = Image.new("L", glyph.size, 255 if st["invert"] else 0)
                strip.paste(ink, (x + (w - glyph.width) // 2, y0), glyph)
            x += w
        top = paper.add(strip)
        first = chars[0][1]
        out.lines.append(Line(text, total / CELL[0][0], any(st["bold"] for _c, st in chars),
                              first["font"], first["sw"] > 1, first["sh"] > 1, first["invert"], top))

    def raster(width_bytes: int, height: int, bits: bytes, scale_x: int, scale_y: int) -> None:
        img = Image.frombytes("1", (width_bytes * 8, height), bits)
        img = Image.eval(img.convert("L"), lambda v: 255 - v)  # 1 = black on the head
        if scale_x > 1 or scale_y > 1:
            img = img.resize((img.width * scale_x, img.height * scale_y), Image.NEAREST)
        if img.width > dots:
            out.overflow.append(f"<image {img.width} dots wide>")
            img = img.crop((0, 0, dots, img.height))
        strip = Image.new("L", (dots, img.height), 255)
        x = {0: 0, 1: (dots - img.width) // 2, 2: dots - img.width}[state["align"]]
        strip.paste(img, (x, 0))
        paper.add(strip)
        out.images += 1

    def native_qr() -> None:
        import qrcode

        qr = qrcode.QRCode(border=4, box_size=qr_store["size"],
                           error_correction=qrcode.constants.ERROR_CORRECT_M)
        qr.add_data(qr_store["data"].decode("utf-8"))
        qr.make(fit=True)
        img = qr.make_image().get_image().convert("L")
        strip = Image.new("L", (dots, img.height), 255)
        strip.paste(img, ({0: 0, 1: (dots - img.width) // 2, 2: dots - img.width}[state["align"]], 0))
        paper.add(strip)
        out.native_qr.append(qr_store["data"].decode("utf-8"))

    i = 0
    n = len(data)

    def need(count: int) -> bytes:
        if i + count > n:
            raise ValueError(f"command cut short at byte {i}")
        return data[i:i + count]

    while i < n:
        b = data[i]
        if b == 0x0A:
            flush()
            i += 1
        elif 0x20 <= b < 0x7F:
            if not line:
                line_align[0] = state["align"]
            line.append((chr(b), dict(state)))
            i += 1
        elif b == 0x1B:  # ESC
            cmd = need(2)[1]
            i += 2
            if cmd == 0x40:  # @
                reset()
                line.clear()
            elif cmd in (0x21, 0x45, 0x47, 0x2D, 0x4D, 0x61, 0x74, 0x64, 0x7B):
                arg = need(1)[0]
                i += 1
                if cmd == 0x21:  # ESC ! n: font, bold, double height/width, underline at once
                    state.update(font=arg & 1, bold=bool(arg & 8), sh=2 if arg & 16 else 1,
                                 sw=2 if arg & 32 else 1, underline=1 if arg & 128 else 0)
                elif cmd in (0x45, 0x47):
                    state["bold"] = bool(arg & 1)
                elif cmd == 0x2D:
                    state["underline"] = arg % 48
                elif cmd == 0x4D:
                    state["font"] = arg % 48 if arg % 48 in (0, 1) else 0
                elif cmd == 0x61:
                    state["align"] = arg % 48
                elif cmd == 0x74:
                    out.code_pages.add(arg)
                elif cmd == 0x64:
                    flush() if line else None
                    paper.feed(arg * (CELL[0][1] + LINE_GAP))
            else:
                raise ValueError(f"unknown command ESC 0x{cmd:02x} at byte {i - 2}")
        elif b == 0x1D:  # GS
            cmd = need(2)[1]
            i += 2
            if cmd == 0x21:  # GS ! n
                arg = need(1)[0]
                i += 1
                state.update(sw=(arg >> 4) + 1, sh=(arg & 15) + 1)
            elif cmd == 0x42:
                state["invert"] = bool(need(1)[0] & 1)
                i += 1
            elif cmd == 0x56:  # GS V: cut
                mode = need(1)[0]
                i += 1
                if mode in (65, 66):
                    i += 1
                if line:
                    flush()
                out.cuts.append(paper.y)
            elif cmd == 0x76:  # GS v 0 m xL xH yL yH d1...dk
                head = need(6)
                if head[0] != 0x30:
                    raise ValueError(f"GS v {head[0]:#x} is not GS v 0")
                mode = head[1] % 48
                width_bytes = head[2] + head[3] * 256
                height = head[4] + head[5] * 256
                i += 6
                bits = need(width_bytes * height)
                i += width_bytes * height
                raster(width_bytes, height, bits, 2 if mode in (1, 3) else 1,
                       2 if mode in (2, 3) else 1)
            elif cmd == 0x28:  # GS ( k pL pH cn fn [params]
                sub = need(1)[0]
                pl, ph = need(3)[1:3]
                length = pl + ph * 256
                i += 3
                body = need(length)
                i += length
                if sub != 0x6B or body[0] != 0x31:
                    raise ValueError(f"GS ( {chr(sub)} cn={body[0]} not understood")
                fn = body[1]
                if fn == 67:
                    qr_store["size"] = body[2]
                elif fn == 80:
                    qr_store["data"] = body[3:]
                elif fn == 81:
                    native_qr()
            else:
                raise ValueError(f"unknown command GS 0x{cmd:02x} at byte {i - 2}")
        elif b == 0x10:  # DLE EOT n: a status request, answered by a real printer
            if need(2)[1] != 0x04:
                raise ValueError(f"unknown DLE command at byte {i}")
            i += 3
        else:
            raise ValueError(f"unexpected byte 0x{b:02x} at {i}")
    if line:
        flush()
    out.image = paper.image()
    return out
