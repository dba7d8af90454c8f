"""The Laporan page: the same figures as the core's report, in the table and the charts;
saved as PDF and XLSX from the page; an officer's window has no Laporan at all."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

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
    # Money, not only counts: paid ahead per row and in total, against the contribution target.
    from bpjs_field.domain.formatting import format_rupiah
    assert page.table.horizontalHeaderItem(9).text() == "Dibayar di muka"
    assert page.table.item(last, 9).text() == format_rupiah(expected.total.first_payments)
    assert page.table.item(last, 8).text() == format_rupiah(expected.total.monthly)
    assert format_rupiah(expected.total.first_payments) in page.money_label.text()
    assert "Belum ada target iuran" in page.money_label.text()  # Cikarang has none
    assert page.money_bar.isHidden()
    assert page.source.text().startswith("Target: Rencana kerja tahunan Kantor Cabang Bekasi Cikarang")
    chart = page.segment_chart.chart()
    # Axis numbers grouped as the officer reads them; Qt localises "%.0f" (a "%d" axis
    # shows no numbers at all once localised).
    from PySide6.QtCharts import QValueAxis
    axis = next(a for a in chart.axes() if isinstance(a, QValueAxis))
    assert chart.localizeNumbers() and axis.labelFormat() == "%.0f"
    assert chart.locale().toString(115894.0, "f", 0) == "115.894"
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


def test_officers_have_no_report_page(qtbot, store, officer, make_window):
    """The report is for supervisors: an officer's window has no entry, page or shortcut."""
    from ui import extensions
    from ui.tasks import DbExecutor
    officer_store = opened_as(store, "officer", officer_id=officer["id"])
    try:
        window = make_window(executor=DbExecutor(officer_store, synchronous=True))
        extensions.add_report_page(window, window.ctx, window.executor)
        assert "report" not in window.pages
        texts = [window.navigation.item(i).text() for i in range(window.navigation.count())]
        assert not any("Laporan" in t or "Report" in t for t in texts)
        window.show()
        qtbot.waitExposed(window)
        qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)
        assert window.current_page() == "home"
    finally:
        officer_store.close()


def test_supervisors_open_the_report_with_its_shortcut(qtbot, translations, store, officer,
                                                       make_window):
    from ui import extensions
    from ui.tasks import DbExecutor
    supervisor_store = opened_as(store, "supervisor", officer_id=officer["id"])
    try:
        window = make_window(executor=DbExecutor(supervisor_store, synchronous=True))
        extensions.add_report_page(window, window.ctx, window.executor)
        row = window._keys.index("report")
        assert window.navigation.item(row).text().split("\n") == ["Laporan", "Ctrl+Shift+L"]
        window.show()
        qtbot.waitExposed(window)
        qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)
        assert window.current_page() == "report"
        assert window.page("report").objectName() == "reportPage"
    finally:
        supervisor_store.close()


def test_report_page_shows_progress_against_the_contribution_target(qtbot, translations, store,
                                                                     event):
    from bpjs_field.domain.formatting import format_rupiah
    from ui.tasks import DbExecutor
    fill_branch(store, event["id"])
    with store.write():  # a branch whose targets are a contribution in rupiah (as Cilegon's)
        store.db.execute("UPDATE officers SET branch = 'BPJS Ketenagakerjaan Cabang Cilegon'")
    executor = DbExecutor(store, synchronous=True)
    page = ReportPage(executor, "id", today=date(2026, 11, 30))
    qtbot.addWidget(page)
    report = page.reports["main"]
    assert report.contribution_target == 154_000_000_000
    text = page.money_label.text()
    assert "Target iuran tahunan Rp154.000.000.000" in text
    assert format_rupiah(report.total.first_payments) in text
    assert not page.money_bar.isHidden()
    assert page.money_bar.format() == "0,00%"


DAY_MS = 24 * 3600 * 1000


def _ticks(axis) -> list[float]:
    step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
    return [axis.min() + i * step for i in range(axis.tickCount())]


def test_the_first_registration_of_a_year_is_drawn_with_whole_numbers(qtbot, translations, store):
    """One registration on one day: the day chart shows its day between two others (a
    range of no width draws nothing), and no chart labels a tick 0,5 (shown "0" and "1" twice)."""
    from PySide6.QtCharts import QCategoryAxis, QValueAxis

    from bpjs_field import PersonInput, RegistrationInput
    from bpjs_field.domain.formatting import today_wib
    from ui.tasks import DbExecutor
    store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Siti Aminah", nik="3216094508900001"),
        consent_given=True, consent_version="t", declared_income=1_000_000))
    page = ReportPage(DbExecutor(store, synchronous=True), "id", today=today_wib())
    qtbot.addWidget(page)
    page.period.setCurrentIndex(page.period.findData("year"))
    for view in (page.segment_chart, page.kecamatan_chart, page.day_chart):
        counts = next(a for a in view.chart().axes() if isinstance(a, QValueAxis)
                      and not isinstance(a, QCategoryAxis))  # a category axis is one too
        ticks = _ticks(counts)
        assert ticks[0] == 0 and ticks[-1] >= 1, view.objectName()
        assert all(t == int(t) for t in ticks) and len(set(ticks)) == len(ticks), ticks
    days = page.day_chart.chart().axes(Qt.Horizontal)[0]
    assert days.max() - days.min() == 2 * DAY_MS
    point = page.day_chart.chart().series()[0].at(0)
    assert days.min() < point.x() < days.max()
    assert point.y() == 1
    assert days.categoriesLabels() == [f"{today_wib():%d/%m}"]  # not the days either side


def test_the_busiest_and_the_first_and_last_days_are_drawn_whole(qtbot, translations, store):
    """A marker drawn on the chart's edge is cut in half: the busiest day sits below the top
    of the counts and the first and last days inside the date axis; every tick stays whole."""
    from bpjs_field.domain.formatting import today_wib
    from ui.tasks import DbExecutor
    page = ReportPage(DbExecutor(store, synchronous=True), "id", today=today_wib())
    qtbot.addWidget(page)
    for per_day in ([("2026-02-21", 80), ("2026-07-01", 196), ("2026-12-06", 196)],
                    [("2026-12-05", 1), ("2026-12-06", 2)]):
        page._days(per_day)
        chart = page.day_chart.chart()
        counts = chart.axes(Qt.Vertical)[0]
        days = chart.axes(Qt.Horizontal)[0]
        points = [chart.series()[0].at(i) for i in range(chart.series()[0].count())]
        top = max(p.y() for p in points)
        assert top + 0.04 * counts.max() <= counts.max(), (top, counts.max())
        ticks = _ticks(counts)
        assert all(t == int(t) for t in ticks) and ticks[-1] == counts.max()
        assert days.min() < points[0].x() and points[-1].x() < days.max()
        # Every day named under the axis is a day of the data's span, the first and the
        # last among them, each at its own midnight (not a padded end: 13/12 for a 6/12 end).
        first, last = date.fromisoformat(per_day[0][0]), date.fromisoformat(per_day[-1][0])
        labels = days.categoriesLabels()
        assert labels[0] == f"{first:%d/%m}" and labels[-1] == f"{last:%d/%m}", labels
        for label in labels:
            at = days.endValue(label)
            named = date.fromtimestamp(at / 1000)
            assert first <= named <= last and f"{named:%d/%m}" == label, (label, named)
