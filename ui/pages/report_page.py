"""Laporan: where the branch stands, for supervisors.

For a period (this week, this month, the year to date) the funnel attended -> registered ->
KPJ -> paid by the chosen breakdown, against the branch's annual targets
(bpjs_field/reporting/funnel.py, the same figures as `bpjs-field report` and the printed
report), with three charts: progress against target by segment, registrations by kecamatan
and registrations per day.  The PDF (A4) and XLSX of the same figures are saved from here.
Figures are read on the database thread; the page changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (QBarCategoryAxis, QBarSet, QCategoryAxis, QChart, QChartView,
                              QHorizontalBarSeries, QLineSeries, QValueAxis)
from PySide6.QtCore import QDate, QDateTime, QLocale, QMargins, Qt, QTime
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QGridLayout,
                               QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
                               QSpinBox,
                               QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from bpjs_field.domain.formatting import format_date, format_rupiah, group_thousands, today_wib
from bpjs_field.reporting.funnel import DIMENSIONS
from ui import dialogs
from ui.style import add_heading, set_role
from ui.tasks import DbExecutor

GREEN, BLUE, ORANGE = QColor("#00733C"), QColor("#1F5AA6"), QColor("#E07B00")
SHORT_SEGMENTS = ("pu", "bpu", "asn", "tka")


def period_of(choice: str, today: date) -> tuple[date, date]:
    if choice == "week":
        return today - timedelta(days=6), today
    if choice == "month":
        return today.replace(day=1), today
    return date(today.year, 1, 1), today


def _n(value: int | None) -> str:
    return "-" if value is None else group_thousands(value)


def _chart(title: str, lang: str) -> QChart:
    """A chart with thin margins and a small title: three sit side by side on a laptop.
    Axis numbers are grouped as the officer reads them (115.894, not 115894)."""
    chart = QChart()
    chart.setTitle(title)
    chart.setLocale(QLocale(QLocale.English if lang == "en" else QLocale.Indonesian))
    chart.setLocalizeNumbers(True)
    font = chart.titleFont()
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    chart.setTitleFont(font)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setBackgroundRoundness(0)
    return chart


def _percent(share: float | None) -> str:
    """`0,01%`: small shares keep two decimals (a Rp154 billion target moves slowly)."""
    if share is None:
        return "-"
    digits = 2 if share < 0.1 else 1
    return f"{100 * share:.{digits}f}%".replace(".", ",")


def _msecs(day: date) -> int:
    """Midnight of `day` on the chart's time axis."""
    return QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0)).toMSecsSinceEpoch()


def day_labels(first: date, last: date, count: int = 4) -> list[date]:
    """Up to `count` days from `first` to `last`, both included, evenly spaced: the days the
    day chart names under its axis."""
    span = (last - first).days
    if span <= 0:
        return [first]
    n = min(count, span + 1)
    return sorted({first + timedelta(days=round(i * span / (n - 1))) for i in range(n)})


def _whole_counts(values: QValueAxis, top: int, *, ticks: int, room: float = 0.0) -> None:
    """Counts from 0 with a whole number at every tick, at most `ticks` of them (Qt's own
    range puts 0,5 on a day of one registration, labelled "0" and "1" twice).  Set after
    the series are attached: attaching sets the range to theirs.  `room`: a share of the
    top kept free above it (a marker drawn at the very top is cut in half)."""
    top = max(1, int(top))
    top += -(-int(top * room * 100) // 100) if room else 0
    step = -(-top // (ticks - 1))
    values.setLabelFormat("%.0f")
    values.setRange(0, step * -(-top // step))
    values.setTickCount(-(-top // step) + 1)


class ReportPage(QWidget):
    def __init__(self, executor: DbExecutor, lang: str = "id", parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPage")
        self.executor = executor
        self.lang = lang
        self.today = today
        self.reports: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        add_heading(layout, self.tr("Report"))
        controls = QHBoxLayout()
        self.period = QComboBox()
        self.period.setObjectName("reportPeriod")
        for text, key in ((self.tr("This week"), "week"), (self.tr("This month"), "month"),
                          (self.tr("Year to date"), "year")):
            self.period.addItem(text, key)
        self.period.setCurrentIndex(2)
        self.by = QComboBox()
        self.by.setObjectName("reportBy")
        names = {"segment": self.tr("Segment"), "kecamatan": self.tr("Kecamatan"),
                 "estate": self.tr("Industrial estate"), "event": self.tr("Event"),
                 "partner": self.tr("Partner organisation"), "officer": self.tr("Officer")}
        for key in DIMENSIONS:
            self.by.addItem(names[key], key)
        self.pdf_button = QPushButton(self.tr("Save PDF…"))
        self.pdf_button.setObjectName("reportPdf")
        self.xlsx_button = QPushButton(self.tr("Save Excel…"))
        self.xlsx_button.setObjectName("reportXlsx")
        controls.addWidget(QLabel(self.tr("Period")))
        controls.addWidget(self.period)
        controls.addWidget(QLabel(self.tr("By")))
        controls.addWidget(self.by)
        controls.addStretch(1)
        controls.addWidget(self.pdf_button)
        controls.addWidget(self.xlsx_button)
        layout.addLayout(controls)
        self.summary = QLabel()
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        # Money against the branch's annual contribution target (Rp), not only counts.
        money_row = QHBoxLayout()
        self.money_label = QLabel()
        self.money_label.setObjectName("reportMoney")
        self.money_label.setWordWrap(True)
        self.money_bar = QProgressBar()
        self.money_bar.setObjectName("reportMoneyBar")
        self.money_bar.setRange(0, 1000)
        self.money_bar.setTextVisible(True)
        self.money_bar.setMaximumWidth(260)
        money_row.addWidget(self.money_label, 1)
        money_row.addWidget(self.money_bar)
        layout.addLayout(money_row)
        grid = QGridLayout()
        self.table = QTableWidget(0, 10)
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels([
            "", self.tr("Attended"), self.tr("Registered"), self.tr("KPJ"), self.tr("Paid"),
            self.tr("Stopped"), self.tr("Annual target"), self.tr("Progress"),
            self.tr("Monthly"), self.tr("Paid ahead")])
        self.table.horizontalHeaderItem(8).setToolTip(
            self.tr("Monthly contribution of the registrations that paid"))
        self.table.horizontalHeaderItem(9).setToolTip(
            self.tr("What the first payments brought: months paid ahead × amount"))
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        # The table across the page (ten columns: counts and money), the three charts side
        # by side under it: with the table beside a chart, a 1366 or 1280 px laptop screen
        # cut the names and hid the money columns behind a scroll bar.
        self.table.setMinimumHeight(180)
        grid.addWidget(self.table, 0, 0, 1, 3)
        self.segment_chart = self._chart_view("chartSegment")
        self.kecamatan_chart = self._chart_view("chartKecamatan")
        self.day_chart = self._chart_view("chartDays")
        grid.addWidget(self.segment_chart, 1, 0)
        grid.addWidget(self.kecamatan_chart, 1, 1)
        grid.addWidget(self.day_chart, 1, 2)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(1, 3)
        layout.addLayout(grid, 1)
        lists = QHBoxLayout()
        self.list_kind = QComboBox()
        self.list_kind.setObjectName("followupList")
        for text, key in ((self.tr("Registered, no KPJ yet"), "no_kpj"),
                          (self.tr("KPJ issued, not paid yet"), "unpaid"),
                          (self.tr("Paid months running out"), "running_out")):
            self.list_kind.addItem(text, key)
        self.list_days = QSpinBox()
        self.list_days.setObjectName("followupDays")
        self.list_days.setRange(0, 365)
        self.list_days.setValue(14)
        self.list_days.setSuffix(self.tr(" days"))
        self.sheet_button = QPushButton(self.tr("Call sheet (PDF)…"))
        self.sheet_button.setObjectName("callSheet")
        self.sheet_button.clicked.connect(lambda: self.save_call_sheet())
        lists.addWidget(QLabel(self.tr("Follow-up list")))
        lists.addWidget(self.list_kind)
        lists.addWidget(self.list_days)
        lists.addWidget(self.sheet_button)
        lists.addStretch(1)
        layout.addLayout(lists)
        self.source = QLabel()
        self.source.setWordWrap(True)
        set_role(self.source, "hint")
        layout.addWidget(self.source)
        self.period.currentIndexChanged.connect(self.refresh)
        self.by.currentIndexChanged.connect(self.refresh)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.reports:  # targets set in Pengaturan or work done since show at once
            self.refresh()

    def _chart_view(self, name: str) -> QChartView:
        view = QChartView()
        view.setMinimumWidth(260)
        view.setObjectName(name)
        view.setRenderHint(QPainter.Antialiasing)
        view.setMinimumHeight(220)
        return view

    def bounds(self) -> tuple[date, date]:
        return period_of(self.period.currentData(), self.today or today_wib())

    def refresh(self) -> None:
        start, end = self.bounds()
        by = self.by.currentData()

        def work(store):
            from bpjs_field.reporting.funnel import build
            out = {"main": build(store, start=start, end=end, by=by, lang=self.lang)}
            for extra in ("segment", "kecamatan"):
                out[extra] = out["main"] if extra == by else build(
                    store, start=start, end=end, by=extra, lang=self.lang)
            return out

        self.executor.run(work, self._show, lambda exc: dialogs.error(self, exc, self.lang))

    def _show(self, reports: dict[str, Any]) -> None:
        self.reports = reports
        report = reports["main"]
        rows = [*report.rows, report.total]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            progress = f"{100 * r.registered / r.target:.1f}%".replace(".", ",") if r.target else "-"
            for j, text in enumerate((r.label, _n(r.attended), _n(r.registered), _n(r.kpj),
                                      _n(r.paid), _n(r.stopped), _n(r.target), progress,
                                      format_rupiah(r.monthly), format_rupiah(r.first_payments))):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(i, j, item)
        t = report.total
        self.summary.setText(self.tr(
            "{start} to {end}: attended {attended} → registered {registered} → KPJ {kpj} → "
            "paid {paid}.").format(
                start=format_date(report.start, self.lang), end=format_date(report.end, self.lang),
                attended=_n(t.attended), registered=_n(t.registered), kpj=_n(t.kpj),
                paid=_n(t.paid)))
        self._money(report)
        source = report.targets.get("source")
        if report.targets.get("set_at"):
            set_on = datetime.fromisoformat(report.targets["set_at"]).date()
            self.source.setText(self.tr("Targets set in Settings by {name} on {day}.").format(
                name=report.targets.get("set_by_name") or "-", day=format_date(set_on, self.lang)))
        else:
            self.source.setText(self.tr("Targets: {source}").format(source=source) if source
                                else self.tr("No targets for this branch and year."))
        self._bars(self.segment_chart, self.tr("Progress against the annual target, by segment"),
                   reports["segment"].rows, with_target=True)
        self._bars(self.kecamatan_chart, self.tr("Registrations by kecamatan"),
                   reports["kecamatan"].rows[:6], with_target=False)
        self._days(report.per_day)

    def _money(self, report: Any) -> None:
        """Contribution of those paying, what their first payments brought (months paid
        ahead × amount), and that against the annual contribution target."""
        t = report.total
        text = self.tr("Contribution: {monthly} a month from those paying; paid ahead "
                       "{ahead}.").format(monthly=format_rupiah(t.monthly),
                                          ahead=format_rupiah(t.first_payments))
        target, progress = report.contribution_target, report.contribution_progress
        if target:
            text += " " + self.tr("Annual contribution target {amount}: {share} reached.").format(
                amount=format_rupiah(target), share=_percent(progress))
            self.money_bar.setValue(min(1000, round(progress * 1000)))
            self.money_bar.setFormat(_percent(progress))
        else:
            text += " " + self.tr("No contribution target for this branch and year.")
        self.money_bar.setVisible(bool(target))
        self.money_label.setText(text)

    def _bars(self, view: QChartView, title: str, rows: list, *, with_target: bool) -> None:
        chart = _chart(title, self.lang)
        series = QHorizontalBarSeries()
        registered = QBarSet(self.tr("Registered"))
        registered.setColor(GREEN)
        paid = QBarSet(self.tr("Paid"))
        paid.setColor(BLUE)
        sets = [registered, paid]
        target = None
        if with_target:
            target = QBarSet(self.tr("Annual target"))
            target.setColor(ORANGE)
            sets.append(target)
        shown = [r for r in rows if r.registered or (with_target and r.target)]
        for r in reversed(shown):
            registered.append(r.registered)
            paid.append(r.paid)
            if target is not None:
                target.append(r.target or 0)
        for bar_set in sets:
            series.append(bar_set)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        # Segments by their short names (PU, BPU, ASN, TKA: the table has the long ones).
        categories.append([r.key.upper() if with_target and r.key in SHORT_SEGMENTS
                           else r.label[:16] for r in reversed(shown)])
        font = categories.labelsFont()
        font.setPointSizeF(max(6.0, font.pointSizeF() - 1))
        categories.setLabelsFont(font)
        categories.setTruncateLabels(False)  # a kecamatan's name whole, never "…" alone
        top = max([0, *(r.registered for r in shown), *(r.paid for r in shown),
                   *((r.target or 0) for r in shown if target is not None)])
        values = QValueAxis()
        chart.addAxis(categories, Qt.AlignLeft)
        chart.addAxis(values, Qt.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        _whole_counts(values, top, ticks=3)  # three charts side by side: few numbers
        chart.legend().setAlignment(Qt.AlignBottom)
        view.setChart(chart)

    def _days(self, per_day: list[tuple[str, int]]) -> None:
        """A line over the days of the period.  The axis is labelled on days of the period
        only (`day_labels`), while its range leaves room for the first and last days'
        markers: a date axis would label its padded ends, days before or after the period."""
        chart = _chart(self.tr("Registrations per day"), self.lang)
        series = QLineSeries()
        series.setName(self.tr("Registrations"))
        series.setColor(GREEN)
        series.setPointsVisible(len(per_day) <= 31)
        series.setMarkerSize(8)  # a day on its own is a point, not a line: seen from a step away
        days = [date.fromisoformat(day) for day, _n in per_day]
        for day, (_text, n) in zip(days, per_day):
            series.append(_msecs(day), n)
        chart.addSeries(series)
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        values = QValueAxis()
        chart.addAxis(axis, Qt.AlignBottom)
        chart.addAxis(values, Qt.AlignLeft)
        series.attachAxis(axis)
        series.attachAxis(values)
        _whole_counts(values, max([0, *(n for _day, n in per_day)]), ticks=5, room=0.06)
        if days:
            if len(days) == 1:  # a point: a day either side, the day alone named
                start = _msecs(days[0] - timedelta(days=1))
                end = _msecs(days[0] + timedelta(days=1))
            else:  # the first and last days' markers whole, not cut at the edges
                pad = max(12 * 3600 * 1000, (_msecs(days[-1]) - _msecs(days[0])) // 40)
                start, end = _msecs(days[0]) - pad, _msecs(days[-1]) + pad
            axis.setRange(start, end)
            for label_day in day_labels(days[0], days[-1]):
                axis.append(label_day.strftime("%d/%m"), _msecs(label_day))
            # The last day's label is centred on its day, near the right edge: room for its half.
            half = QFontMetrics(axis.labelsFont()).horizontalAdvance("00/00") // 2
            chart.setMargins(QMargins(2, 2, half + 2, 2))
        chart.legend().hide()
        self.day_chart.setChart(chart)

    def save_call_sheet(self, path: str | None = None) -> None:
        """The chosen follow-up list as a call sheet; phones in full for a supervisor only."""
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save call sheet"),
                                                        "daftar-telepon.pdf", "PDF (*.pdf)")
            if not path:
                return
        kind, days = self.list_kind.currentData(), self.list_days.value()

        def work(store):
            from bpjs_field import outputs
            from bpjs_field.reporting import call_sheet
            from bpjs_field.reporting.followup_lists import follow_up_list
            target = outputs.check_output(path, option="")
            today = self.today or today_wib()
            entries = follow_up_list(store, kind, days=days, today=today)
            full_phone = store.role in (None, "supervisor")
            call_sheet.write_call_sheet(target, call_sheet.render(
                kind, entries, full_phone=full_phone, days=days, today=today))
            with store.write():
                store.audit("followup.list", None, None, list=kind, days=days, rows=len(entries),
                            out=".pdf", full_phone=full_phone)
            return len(entries)

        self.executor.run(work, lambda n: self.sheet_button.setToolTip(str(n)),
                          lambda exc: dialogs.error(self, exc, self.lang))

    def save(self, kind: str, path: str | None = None) -> None:
        """Save the report shown as PDF (A4) or XLSX; `path` skips the file dialog."""
        if not self.reports:
            return
        if path is None:
            suffix = "PDF (*.pdf)" if kind == "pdf" else "Excel (*.xlsx)"
            path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save report"),
                                                        f"laporan.{kind}", suffix)
            if not path:
                return
        report = self.reports["main"]

        def work(store):
            from bpjs_field import outputs
            target = outputs.check_output(path, option="")
            if kind == "pdf":
                from bpjs_field.reporting.report_pdf import write_report_pdf
                write_report_pdf(report, target, store)
            else:
                from bpjs_field.reporting.exports import report_xlsx
                report_xlsx(report, target)
            with store.write():
                store.audit("report.save", None, None, by=report.by, kind=kind)
            return Path(target)

        self.executor.run(work, lambda target: self.summary.setToolTip(str(target)),
                          lambda exc: dialogs.error(self, exc, self.lang))
