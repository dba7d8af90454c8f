"""Printing through Qt to a real CUPS queue (cups-pdf), and the print page
driven with pytest-qt offscreen: preview, print, batch with cancel, and the
print-after-save hook."""

from __future__ import annotations

import io

import pytest

from bpjs_field.printing import documents

from .conftest import decode_qr, ocr, render_pages

pytestmark = pytest.mark.gui


@pytest.fixture
def executor(store, qapp):
    from ui.tasks import DbExecutor

    ex = DbExecutor(store)  # the real worker thread, as in the app
    yield ex
    ex.shutdown()


def _valid_pdf(path):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return reader.pages


def test_print_run_to_cups_queue(qtbot, store, bpu_reg, cups_pdf, tmp_path):
    from ui.printing.service import PrintRun, printer_names

    assert cups_pdf.queue in printer_names()
    job = documents.receipt_job(store, bpu_reg["id"], "a5")
    before = cups_pdf.files()
    run = PrintRun(job.pdf, cups_pdf.queue, title=job.title)
    with qtbot.waitSignal(run.finished, timeout=30_000) as done:
        run.start()
    assert done.args[0] is True, done.args
    printed = cups_pdf.wait_for_new(before)
    pages = _valid_pdf(printed)
    assert len(pages) == 1
    # A5 on paper, as the document asked.
    assert float(pages[0].mediabox.width) == pytest.approx(419.5, abs=1.5)
    png, = render_pages(printed.read_bytes(), tmp_path, dpi=200)
    assert decode_qr(png) == [bpu_reg["code"]]
    words = ocr(png)
    assert "TANDA TERIMA PENDAFTARAN" in words and "Ketenagakerjaan" in words


def test_print_page_preview_and_print_to_cups(qtbot, store, executor, bpu_reg, cups_pdf, tmp_path):
    from ui.printing import PrintPage

    page = PrintPage(executor)
    qtbot.addWidget(page)
    page.show()
    page.show_receipt(bpu_reg["id"], "thermal")
    qtbot.waitUntil(lambda: page.job is not None and page.doc is not None, timeout=10_000)
    assert page.doc.pageCount() == 1 and page.view.document() is page.doc
    assert page.code.text() == bpu_reg["code"] and page.print_button.isEnabled()
    page.select_printer(cups_pdf.queue)
    before = cups_pdf.files()
    with qtbot.waitSignal(page.printed, timeout=30_000) as printed:
        page.print_current()
    row = printed.args[0]
    assert row["printer"] == cups_pdf.queue and row["document"] == "receipt.thermal"
    assert row["subject_id"] == bpu_reg["id"] and row["is_reprint"] == 0
    out = cups_pdf.wait_for_new(before)
    assert len(_valid_pdf(out)) == 1
    png, = render_pages(out.read_bytes(), tmp_path, dpi=200)
    assert decode_qr(png) == [bpu_reg["code"]]
    # After printing, the preview is rebuilt as the copy the next print would be.
    qtbot.waitUntil(lambda: page.job is not None and page.job.is_reprint, timeout=10_000)


def test_batch_brochures_progress_and_cancel(qtbot, store, executor, tmp_path):
    from ui.printing import PrintPage

    page = PrintPage(executor)
    qtbot.addWidget(page)
    page.doc_kind.setCurrentIndex(page.doc_kind.findData("brochure"))
    page.brochure_kind.setCurrentIndex(page.brochure_kind.findData("bpu"))
    page.preview()
    qtbot.waitUntil(lambda: page.job is not None, timeout=10_000)
    assert page.job.document == "brochure.bpu.id" and page.doc.pageCount() == 2
    page.copies.setValue(200)
    seen = []
    run = page.print_current(output_file=str(tmp_path / "cancelled.pdf"))
    run.progress.connect(lambda done, total: (seen.append(done), done == 3 and page.cancel()))
    with qtbot.waitSignal(run.finished, timeout=60_000) as finished:
        pass
    assert finished.args[0] is False and seen[-1] < run.total == 400
    assert page.progress.isHidden() and page.print_button.isEnabled()
    assert store.scalar("SELECT count(*) FROM print_log") == 0
    # A small batch runs to the end, page by page, and is logged once with its copies.
    page.copies.setValue(3)
    out = tmp_path / "three.pdf"
    with qtbot.waitSignal(page.printed, timeout=60_000) as printed:
        run = page.print_current(output_file=str(out))
    assert run.total == 6 and len(_valid_pdf(out)) == 6
    assert printed.args[0]["copies"] == 3 and printed.args[0]["version"] == "2026.11"


def test_print_after_save(qtbot, store, executor, bpu_reg, cups_pdf):
    from ui.printing import PRINT_AFTER_SAVE, RECEIPT_PRINTER, print_receipt_after_save

    auto = print_receipt_after_save(executor, bpu_reg["id"])
    with qtbot.waitSignal(auto.done, timeout=10_000) as off:
        pass
    assert off.args[0] is None  # the setting is off by default
    store.set_setting(PRINT_AFTER_SAVE, True)
    store.set_setting(RECEIPT_PRINTER, cups_pdf.queue)
    before = cups_pdf.files()
    auto = print_receipt_after_save(executor, bpu_reg["id"])
    with qtbot.waitSignal(auto.done, timeout=30_000) as on:
        pass
    row = on.args[0]
    assert row is not None and row["document"] == "receipt.thermal" and row["printer"] == cups_pdf.queue
    assert len(_valid_pdf(cups_pdf.wait_for_new(before))) == 1


def test_print_page_in_indonesian(qtbot, store, executor, tmp_path, monkeypatch):
    from ui.printing import PrintPage, i18n

    monkeypatch.setenv("BPJS_FIELD_DATA", str(tmp_path / "data"))
    assert i18n.install("id")
    try:
        page = PrintPage(executor)
        qtbot.addWidget(page)
        assert page.print_button.text() == "&Cetak"
        assert page.doc_kind.itemText(0) == "Tanda terima pendaftaran"
    finally:
        i18n.install("en")
