"""The Laporan page: the same figures as the core's report, in the table and the charts;
saved as PDF and XLSX from the page; officers see a notice instead."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "followup"))
sys.path.insert(0, str(Path(__file__).parents[1] / "server"))

from branch import fill_branch  # noqa: E402
from logins import opened_as  # noqa: E402

from bpjs_field.reporting import funnel  # noqa: E402
from ui.pages.report_page import ReportPage  # noqa: E402


def test_report_page_shows_the_funnel_and_charts(qtbot, translations, store, event, tmp_path):
    fill_branch(store, event["id"])
    from ui.tasks import DbExecutor
    executor = DbExecutor(store, synchronous=True)
    page = ReportPage(executor, "id", today=date(2026, 11, 30))
    qtbot.addWidget(page)
    page.period.setCurrentIndex(page.period.findData("month"))
    expected = funnel.build(store, start=date(2026, 11, 1), end=date(2026, 11, 30))
    last = page.table.rowCount() - 1
    assert page.table.item(last, 0).text() == "Total"
    assert [page.table.item(last, j).text() for j in (1, 2, 3, 4)] == [
        str(expected.total.attended), str(expected.total.registered), str(expected.total.kpj),
        str(expected.total.paid)]
    bpu = next(i for i in range(last) if page.table.item(i, 0).text().startswith("Bukan"))
    assert page.table.item(bpu, 6).text() == "17.000"
    assert "terdaftar 8 → KPJ 4 → bayar 2" in page.summary.text()
    assert page.source.text().startswith("Target: Rencana kerja tahunan Kantor Cabang Bekasi Cikarang")
    chart = page.segment_chart.chart()
    sets = chart.series()[0].barSets()
    assert [s.label() for s in sets] == ["Terdaftar", "Bayar", "Target tahunan"]
    assert sum(sets[0].at(i) for i in range(sets[0].count())) == 8
    days = page.day_chart.chart().series()[0]
    assert [days.at(i).y() for i in range(days.count())] == [4, 4]
    page.by.setCurrentIndex(page.by.findData("event"))
    assert page.table.item(0, 0).text() == event["title"]
    pdf, xlsx = tmp_path / "l.pdf", tmp_path / "l.xlsx"
    page.save("pdf", str(pdf))
    page.save("xlsx", str(xlsx))
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.stat().st_size > 0
    sheet = tmp_path / "sheet.pdf"
    page.list_kind.setCurrentIndex(page.list_kind.findData("unpaid"))
    page.list_days.setValue(0)
    page.save_call_sheet(str(sheet))
    assert page.sheet_button.toolTip() == "2"  # the two with a KPJ and no payment
    assert sheet.read_bytes().startswith(b"%PDF")


def test_officers_get_a_notice(qtbot, store, officer, make_window):
    from ui import extensions
    from ui.tasks import DbExecutor
    officer_store = opened_as(store, "officer", officer_id=officer["id"])
    try:
        window = make_window(executor=DbExecutor(officer_store, synchronous=True))
        extensions.add_report_page(window, window.ctx, window.executor)
        window.show_page("report")
        assert window.page("report").objectName() == "reportForSupervisors"
    finally:
        officer_store.close()
