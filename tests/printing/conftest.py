"""Fixtures for the printing tests: registrations to print, readers that look at a
PDF as a person would (pdftotext, also with each word's box, pdftoppm + zxing-cpp,
tesseract), and a real CUPS queue named `PDF` backed by cups-pdf.

The CUPS fixture installs nothing: when running as root with Debian's `cups`
and `printer-driver-cups-pdf` present, it starts `cupsd` if it is not running,
adds the `PDF` queue with lpadmin if missing, and reads the output folder
(`Out` in /etc/cups/cups-pdf.conf) where each finished job lands as a PDF.
"""

from __future__ import annotations

import html
import io
import os
import pwd
import re
import subprocess
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bpjs_field.domain.registration import PersonInput, RegistrationInput
from needs import missing, need_tool

TODAY = date(2026, 11, 22)
PERIOD = date(2026, 11, 1)  # inside the PP 50/2025 window for non-transport sectors
BPU_NIK = "3216091204850001"
PU_NIK = "3216095507900002"
CUPS_PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"


def _register(store, event, **kw):
    person = kw.pop("person")
    form = RegistrationInput(consent_given=True, consent_version="PDP-2026.1", event_id=event["id"],
                             period=PERIOD, person=person, **kw)
    return store.registrations.register(form, today=TODAY).registration


@pytest.fixture
def bpu_reg(store, officer, event):
    """BPU at the minimum income, JKK + JKM only, 3 months paid ahead."""
    return _register(store, event, segment="bpu", declared_income=1_000_000, months_paid=3,
                     occupation="pedagang",
                     person=PersonInput(full_name="Budi Santoso", nik=BPU_NIK, phone="081234567890"))


@pytest.fixture
def bpu_jht_reg(store, officer, event):
    return _register(store, event, segment="bpu", declared_income=1_000_000, with_jht=True,
                     person=PersonInput(full_name="Nur'aini Siregar", nik="3216094403920003"))


@pytest.fixture
def pu_reg(store, officer, event):
    return _register(store, event, segment="pu", wage=5_938_885, risk_class=1,
                     employer_name="PT Maju Jaya Cikarang", employer_scale="menengah",
                     person=PersonInput(full_name="Siti Nurhaliza", nik=PU_NIK))


@pytest.fixture
def tka_reg(store, officer, event):
    return _register(store, event, segment="tka", wage=25_000_000, risk_class=2, employer_scale="besar",
                     person=PersonInput(full_name="Zhang Wei", passport_no="E12345678",
                                        nationality="CN", kitas_no="2C11AB1234",
                                        kitas_expiry=date(2027, 12, 31)))


# -- readers -------------------------------------------------------------------

def pdf_text(pdf: bytes, *, page: int | None = None,
             box: tuple[float, float, float, float] | None = None) -> str:
    """Text as poppler's pdftotext reads it (layout mode keeps table rows on one line);
    `page` (1-based) and `box` (x, y from the top, width, height in points) crop it,
    e.g. to one panel of a tri-fold."""
    args = [need_tool("pdftotext", "apt-get install poppler-utils"), "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if box is not None:
        args += ["-r", "72", "-x", str(int(box[0])), "-y", str(int(box[1])),
                 "-W", str(int(box[2])), "-H", str(int(box[3]))]
    out = subprocess.run(args + ["-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@dataclass(frozen=True)
class Word:
    """A word as poppler places it: its box in points, y measured from the top."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def pdf_words(pdf: bytes, page: int) -> list[Word]:
    """Every word of one page (1-based) with its box, from `pdftotext -bbox`."""
    out = subprocess.run([need_tool("pdftotext", "apt-get install poppler-utils"), "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
                         input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [Word(float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(pattern, out)]


def render_pages(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[Path]:
    src = tmp_path / f"render-{time.monotonic_ns()}.pdf"
    src.write_bytes(pdf)
    subprocess.run([need_tool("pdftoppm", "apt-get install poppler-utils"), "-r", str(dpi), "-png", str(src), str(src.with_suffix(""))],
                   check=True)
    return sorted(tmp_path.glob(src.stem + "*.png"))


def decode_qr(png: Path) -> list[str]:
    try:
        import zxingcpp
    except ImportError:
        missing("the zxing-cpp QR decoder", "./dev test (installs requirements.lock)")
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(png))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def ocr(png: Path) -> str:
    out = subprocess.run([need_tool("tesseract", "apt-get install tesseract-ocr tesseract-ocr-eng"),
                          str(png), "-", "--psm", "4"], capture_output=True, check=True)
    return out.stdout.decode("utf-8", "replace")


def pdf_fonts(pdf: bytes) -> list[dict]:
    """Every font resource of every page, with whether it embeds a TrueType program."""
    from pypdf import PdfReader

    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            found.append({"name": str(font.get("/BaseFont")), "subtype": str(font.get("/Subtype")),
                          "embedded": "/FontFile2" in desc})
    return found


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height))
            for p in PdfReader(io.BytesIO(pdf)).pages]


# -- CUPS ------------------------------------------------------------------------

@dataclass
class CupsPdf:
    queue: str
    out_dir: Path

    def files(self) -> set[Path]:
        return set(self.out_dir.glob("*.pdf")) if self.out_dir.exists() else set()

    def wait_for_new(self, before: set[Path], timeout: float = 90) -> Path:
        """The next PDF cups-pdf writes (once its size stops changing)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = self.files() - before
            if new:
                path = max(new, key=lambda p: p.stat().st_mtime)
                size = -1
                while size != path.stat().st_size:
                    size = path.stat().st_size
                    time.sleep(0.5)
                return path
            time.sleep(0.3)
        jobs = subprocess.run(["lpstat", "-W", "all", "-o"], capture_output=True, text=True).stdout
        raise AssertionError(f"no PDF from the CUPS queue within {timeout}s; jobs: {jobs}")


def _scheduler_running() -> bool:
    out = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    return "is running" in out.stdout and "not" not in out.stdout


def _out_dir() -> Path:
    home = pwd.getpwuid(os.getuid()).pw_dir
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text().splitlines():
            match = re.match(r"^\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    return Path(out.replace("${HOME}", home).replace("$HOME", home))


@pytest.fixture(scope="session")
def cups_pdf() -> CupsPdf:
    if os.name != "posix" or os.geteuid() != 0:
        missing("root rights to set up the CUPS queue (cupsd, lpadmin)",
                "run these tests as root, as CI does")
    for tool in ("cupsd", "lpadmin", "lpstat"):
        need_tool(tool, "apt-get install cups printer-driver-cups-pdf")
    if not Path(CUPS_PPD).exists():
        missing("cups-pdf", "apt-get install printer-driver-cups-pdf")
    if not _scheduler_running():
        subprocess.run(["cupsd"], check=True)
        deadline = time.monotonic() + 15
        while not _scheduler_running():
            if time.monotonic() > deadline:
                pytest.fail("cupsd did not start")
            time.sleep(0.2)
    if subprocess.run(["lpstat", "-p", "PDF"], capture_output=True).returncode != 0:
        subprocess.run(["lpadmin", "-p", "PDF", "-v", "cups-pdf:/", "-P", CUPS_PPD, "-E"],
                       check=True, capture_output=True)
    subprocess.run(["cupsenable", "PDF"], capture_output=True)
    subprocess.run(["cupsaccept", "PDF"], capture_output=True)
    return CupsPdf("PDF", _out_dir())
