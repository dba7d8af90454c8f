"""ESC/POS receipts read back from paper: the bytes the app sends are interpreted
by a small model printer (escpos_render), and the printout is read as the
participant and the door scanner would (text lines, QR decoded by zxing-cpp).
Then the line to the printer: a fake serial printer on a pseudo-terminal that
prints, runs out of paper, hangs, or goes away mid-job."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.nik import mask_nik
from bpjs_field.printing import escpos
from bpjs_field.printing.escpos import Layout, receipt_escpos, receipt_escpos_job
from bpjs_field.printing.escpos_link import (PrinterError, PrinterSettings, load_settings,
                                             save_settings, send)
from bpjs_field.printing.log import receipt_print_count
from bpjs_field.printing.receipt_data import receipt_data

from .conftest import BPU_NIK, PU_NIK
from .escpos_render import render
from .fake_printer import FakeSerialPrinter
from .test_receipt58 import amounts_of


def decode(image) -> list[str]:
    import zxingcpp
    return [r.text for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def keep(image, name: str) -> None:
    folder = os.environ.get("BPJS_FIELD_KEEP_RENDERS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(Path(folder) / name)


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("reg_name", ["bpu_reg", "pu_reg", "tka_reg"])
def test_printed_receipt_reads_back_with_its_qr(store, reg_name, width, request):
    reg = request.getfixturevalue(reg_name)
    data = receipt_data(store, reg["id"])
    layout = Layout(width, native_qr=False, cutter=True)
    paper = render(receipt_escpos(data, layout), layout.dots)
    keep(paper.image, f"escpos-{reg_name}-{width}.png")
    assert decode(paper.image) == [reg["code"]]
    assert paper.images == 1 and not paper.native_qr  # the QR went as a raster image
    assert paper.overflow == []  # nothing ran past the head: nothing cut off
    assert all(line.cols <= layout.cols for line in paper.lines)
    text = paper.text
    assert text.isascii()
    flat = re.sub(r"\s+", " ", text)
    for fact in ("BPJS Ketenagakerjaan", "TANDA TERIMA PENDAFTARAN", data.participant_name,
                 data.identity_masked, data.segment_label, "Total iuran",
                 "Contact Center BPJS Ketenagakerjaan 175", "Senam Sehat Cikarang Utara"):
        assert fact in flat, fact
    # Every amount stands whole on one printed line.
    for amount in amounts_of(data):
        assert any(amount in line.text for line in paper.lines), amount
    # The code in double-size type, the name in bold: text in the printer's own fonts.
    code_line = next(line for line in paper.lines if line.text.strip() == format_code(reg["code"]))
    assert code_line.double_width and code_line.double_height and code_line.bold
    assert any(line.bold and data.participant_name in line.text for line in paper.lines)
    assert any(line.font == 1 for line in paper.lines)  # small print in Font B
    # Cut once, after the last line.
    assert len(paper.cuts) == 1 and paper.cuts[0] >= paper.lines[-1].top


@pytest.mark.parametrize("reg_name", ["bpu_reg", "pu_reg", "tka_reg", "bpu_jht_reg"])
def test_no_word_is_split_across_printed_lines(store, reg_name, request):
    """Indonesian line breaking on the roll: every word of the receipt that fits a line at
    all is printed whole (labels such as "Penghasilan" included), amounts above all."""
    from bpjs_field.printing import receipt

    reg = request.getfixturevalue(reg_name)
    data = receipt_data(store, reg["id"])
    layout = Layout(58)
    paper = render(receipt_escpos(data, layout), layout.dots)
    printed = [line.text for line in paper.lines]
    words = set()
    for block in receipt.receipt_blocks(data):
        for key, value in vars(block).items():
            if isinstance(value, str) and key not in ("align", "bare"):  # style, QR content
                words.update(escpos.to_ascii(value).split())
    split = [w for w in words if len(w) <= layout.cols // 2 and not any(w in line for line in printed)]
    assert split == []


def test_a_block_kind_the_roll_does_not_know_still_prints_its_words():
    """The receipt layout may grow new kinds of block (e.g. a table of months); until the
    roll layout learns them, their words are printed plainly rather than dropped."""
    from dataclasses import dataclass

    from bpjs_field.printing.blocks import Block
    from bpjs_field.printing.escpos import Writer, _blocks_to_escpos, _finish, _printer

    @dataclass
    class MonthsTable(Block):
        caption: str
        align: str = "left"

    layout = Layout(58)
    p = _printer(layout)
    _blocks_to_escpos(Writer(p, layout), [MonthsTable("Januari-Maret 2027: Rp16.800 per bulan")])
    paper = render(_finish(p, layout))
    assert "Januari-Maret 2027: Rp16.800 per" in paper.text and "left" not in paper.text


def test_full_identity_numbers_never_reach_the_printer(store, bpu_reg, pu_reg):
    for reg, nik in ((bpu_reg, BPU_NIK), (pu_reg, PU_NIK)):
        data = receipt_escpos(receipt_data(store, reg["id"]))
        assert nik.encode() not in data and mask_nik(nik).encode() in data


def test_native_qr_and_no_cutter(store, bpu_reg):
    layout = Layout(58, native_qr=True, cutter=False)
    paper = render(receipt_escpos(receipt_data(store, bpu_reg["id"]), layout), layout.dots)
    assert paper.native_qr == [bpu_reg["code"]] and paper.images == 0
    assert decode(paper.image) == [bpu_reg["code"]]
    assert paper.cuts == []


def test_reprint_is_marked_salinan_on_the_roll_too(store, bpu_reg):
    from bpjs_field.printing import documents

    first = receipt_escpos_job(store, bpu_reg["id"])
    assert b"SALINAN" not in first.data and not first.is_reprint
    documents.log_job(store, first, printer="escpos:serial")
    again = receipt_escpos_job(store, bpu_reg["id"])
    assert again.is_reprint and b"SALINAN ke-1" in again.data
    assert receipt_print_count(store, bpu_reg["id"]) == 1


def test_test_page_fills_the_width_exactly(store):
    for width in (58, 80):
        layout = Layout(width, cutter=True)
        paper = render(escpos.test_page(layout, "RPP02N (COM5)"), layout.dots)
        ruler = next(line for line in paper.lines if line.text.startswith("1234567890"))
        assert ruler.cols == layout.cols and not paper.overflow
        assert decode(paper.image) == ["TES-0000"] and paper.cuts
        keep(paper.image, f"escpos-testpage-{width}.png")


def test_settings_round_trip_and_bad_settings_say_what_to_fix(store):
    assert not load_settings(store).configured
    chosen = PrinterSettings("serial", "/dev/rfcomm0", "RPP02N", 58, False, True)
    save_settings(store, chosen)
    assert load_settings(store) == chosen
    with pytest.raises(PrinterError) as missing:
        save_settings(store, PrinterSettings("serial", " "))
    assert missing.value.code == "printer.target_missing" and "COM5" in missing.value.message()
    with pytest.raises(PrinterError) as bad:
        save_settings(store, PrinterSettings("usb", "printer"))
    assert bad.value.code == "printer.bad_usb_id"
    assert load_settings(store) == chosen  # a refused change leaves the old settings


# -- the line to the printer -------------------------------------------------------

@pytest.fixture
def fake_printer():
    made = []

    def make(**kw) -> FakeSerialPrinter:
        printer = FakeSerialPrinter(**kw)
        printer.start()
        made.append(printer)
        return printer
    yield make
    for printer in made:
        printer.stop()


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_fake_serial_printer_prints_the_whole_job(store, bpu_reg, fake_printer):
    printer = fake_printer()
    job = receipt_escpos_job(store, bpu_reg["id"])
    send(PrinterSettings("serial", printer.path), job.data)
    assert wait_for(lambda: printer.job == job.data)
    assert printer.status_requests == 2  # paper asked before and after
    paper = render(printer.job)
    assert decode(paper.image) == [bpu_reg["code"]]


def test_out_of_paper_is_said_before_anything_is_sent(fake_printer):
    printer = fake_printer(paper=False)
    with pytest.raises(PrinterError) as err:
        send(PrinterSettings("serial", printer.path), escpos.test_page(Layout()))
    assert err.value.code == "printer.paper_out"
    assert "kertas" in err.value.message("id").lower() and "paper" in err.value.message("en")
    assert printer.job == b""


@pytest.mark.parametrize("how", ["vanish_after", "silent_after"])
def test_printer_gone_mid_job_is_a_clear_error_within_3_s(fake_printer, how):
    printer = fake_printer(**{how: 3000})
    data = escpos.test_page(Layout())
    started = time.monotonic()
    with pytest.raises(PrinterError) as err:
        send(PrinterSettings("serial", printer.path), data)
    assert time.monotonic() - started < 3.0
    assert err.value.code == "printer.lost"
    assert "mungkin tidak lengkap" in err.value.message("id")
    assert 0 < len(printer.received) < len(data)


def test_missing_port_is_named(tmp_path):
    started = time.monotonic()
    with pytest.raises(PrinterError) as err:
        send(PrinterSettings("serial", str(tmp_path / "rfcomm9")), b"x")
    assert err.value.code == "printer.not_found" and "rfcomm9" in err.value.message("id")
    assert time.monotonic() - started < 1.0


def test_a_device_that_never_opens_is_given_up_within_3_s(tmp_path):
    """A device whose open() hangs (a Bluetooth link paging a printer that is off) is
    modelled by a FIFO no one reads: opening it for writing blocks."""
    fifo = tmp_path / "printer.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(PrinterError) as err:
        send(PrinterSettings("file", str(fifo)), b"\x1b@hello\n")
    assert time.monotonic() - started < 3.0
    assert err.value.code == "printer.no_answer" and "Bluetooth" in err.value.message("id")
    os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # releases the abandoned worker


def test_receipt_command_writes_escpos_bytes(store, bpu_reg, db_path, tmp_path):
    store.close()
    out = tmp_path / "receipt.bin"
    env = dict(os.environ, BPJS_FIELD_NO_DEMO="1")
    cmd = [sys.executable, "-m", "bpjs_field", "--db", str(db_path), "receipt", bpu_reg["code"],
           "--escpos", str(out), "--cut"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    paper = render(out.read_bytes())
    assert decode(paper.image) == [bpu_reg["code"]] and paper.cuts
    assert "Budi Santoso" in paper.text and "SALINAN" not in paper.text
    done = subprocess.run(cmd + ["--width", "80", "--native-qr"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    paper = render(out.read_bytes(), 576)
    assert paper.native_qr == [bpu_reg["code"]] and "SALINAN ke-1" in paper.text
    missing = subprocess.run(cmd[:-3] + ["--escpos", "/dev/rfcomm97"], capture_output=True,
                             text=True, env=env, timeout=120)
    assert missing.returncode == 1 and "/dev/rfcomm97 tidak ditemukan" in missing.stderr
