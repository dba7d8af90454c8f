"""Pengaturan: the branch's annual targets, set by a supervisor.

Per year: participants by segment (PU, BPU, civil servants and non-ASN staff, foreign
workers), the contribution target in rupiah, and targets per kecamatan and industrial
estate (the report's breakdowns).  What is shown for a year is what the report uses: the
targets set here, else the shipped file's (bpjs_field/reporting/targets.py).  Saving is a
supervisor's (the core refuses an officer and audits the refusal; the page's role rules
disable the button), dated and audited; the report follows at once.

Signals:
    saved(object): the entry as stored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QWidget)

from bpjs_field.domain.formatting import format_date, format_rupiah, parse_rupiah, today_wib
from bpjs_field.domain.segments import SEGMENTS, label
from bpjs_field.errors import ValidationError, ValidationErrors
from ui import dialogs
from ui.style import set_role
from ui.tasks import DbExecutor
from ui.widgets.answer import reveal
from ui.widgets.fields import FieldBox

SEGMENT_KEYS = ("pu", "bpu", "asn", "tka")
MAX_PARTICIPANTS = 10_000_000


def _places() -> list[tuple[str, str, str]]:
    """(dimension, key, label) of every kecamatan of the branches' areas, then every estate."""
    from bpjs_field.domain.regions import covered_regencies, districts
    from bpjs_field.reporting.targets import _estates
    out = []
    for regency in covered_regencies():
        out += [("kecamatan", d.code, f"Kec. {d.name} ({regency.name})")
                for d in districts(regency.code)]
    out += [("estate", name, f"Kawasan {name}") for name, _aliases in _estates()]
    return out


class TargetsBox(QGroupBox):
    saved = Signal(object)

    def __init__(self, executor: DbExecutor, branch: str | None, lang: str = "id",
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetsBox")
        self.setTitle(self.tr("Branch's annual targets (report)"))
        self.executor = executor
        self.branch = branch or ""
        self.lang = lang
        today = today or today_wib()
        self.today = today
        form = QFormLayout(self)
        self.year = QSpinBox()
        self.year.setObjectName("targetsYear")
        self.year.setRange(2000, today.year + 5)
        self.year.setValue(today.year)
        self.year.setMaximumWidth(120)
        form.addRow(self.tr("Year"), self.year)
        self.boxes: dict[str, FieldBox] = {}
        self.segments: dict[str, QSpinBox] = {}
        row = QHBoxLayout()
        for key in SEGMENT_KEYS:
            spin = QSpinBox()
            spin.setObjectName(f"targets_{key}")
            spin.setRange(0, MAX_PARTICIPANTS)
            spin.setGroupSeparatorShown(True)
            spin.setSpecialValueText("-")
            self.segments[key] = spin
            self.boxes[f"participants.{key}"] = FieldBox(label(SEGMENTS, key, lang), spin)
            row.addWidget(self.boxes[f"participants.{key}"])
        form.addRow(self.tr("Participants"), row)
        self.money = QLineEdit()
        self.money.setObjectName("targetsMoney")
        self.money.setPlaceholderText("Rp154.000.000.000")
        self.boxes["contribution_rupiah"] = FieldBox(self.tr("Annual contribution (Rp)"),
                                                     self.money)
        form.addRow(self.boxes["contribution_rupiah"])
        self.places = _places()
        self.table = QTableWidget(len(self.places), 2)
        self.table.setObjectName("targetsPlaces")
        self.table.setHorizontalHeaderLabels([self.tr("Kecamatan / industrial estate"),
                                              self.tr("Target (participants)")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.table.setMaximumHeight(170)
        for i, (_dim, _key, text) in enumerate(self.places):
            name = QTableWidgetItem(text)
            name.setFlags(name.flags() & ~Qt.ItemIsEditable)
            self.table.setItem(i, 0, name)
            self.table.setItem(i, 1, QTableWidgetItem(""))
        self.boxes["places"] = FieldBox(self.tr("Per kecamatan and industrial estate (optional)"),
                                        self.table)
        form.addRow(self.boxes["places"])
        buttons = QHBoxLayout()
        self.state = QLabel()
        self.state.setObjectName("targetsState")
        self.state.setWordWrap(True)
        set_role(self.state, "hint")
        buttons.addWidget(self.state, 1)
        self.save_button = QPushButton(self.tr("Save targets"))
        self.save_button.setObjectName("targetsSave")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.year.valueChanged.connect(lambda _y: self.refresh())

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        year, branch = self.year.value(), self.branch

        def work(store):
            from bpjs_field.reporting import targets
            return targets.for_branch(branch, year, store=store)

        self.executor.run(work, self._show, lambda exc: dialogs.error(self, exc, self.lang))

    def _show(self, entry: dict[str, Any]) -> None:
        for key, spin in self.segments.items():
            spin.setValue((entry.get("participants") or {}).get(key) or 0)
        money = entry.get("contribution_rupiah")
        self.money.setText(format_rupiah(money) if money else "")
        for i, (dim, key, _text) in enumerate(self.places):
            value = (entry.get(dim) or {}).get(key)
            self.table.item(i, 1).setText(str(value) if value else "")
        for box in self.boxes.values():
            box.show_error(None)
        if entry.get("set_at"):
            self.state.setText(self.tr("Set by {name} on {day}.").format(
                name=entry.get("set_by_name") or "-", day=_day(entry["set_at"], self.lang)))
        elif entry:
            self.state.setText(self.tr("From the shipped targets file: {source}").format(
                source=entry.get("source") or "-"))
        else:
            self.state.setText(self.tr("No targets for {branch} in {year}.").format(
                branch=self.branch or "-", year=self.year.value()))

    # -- saving ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The figures as typed; a rupiah amount or place figure that is not a number raises
        ValidationError naming its field."""
        text = self.money.text().strip()
        try:
            money = parse_rupiah(text) if text else None
        except ValueError:
            raise ValidationError("contribution_rupiah", "number.invalid", value=text[:30]) from None
        places: dict[str, dict[str, int]] = {"kecamatan": {}, "estate": {}}
        for i, (dim, key, _text) in enumerate(self.places):
            cell = self.table.item(i, 1).text().strip().replace(".", "")
            if not cell:
                continue
            if not cell.isdigit():
                raise ValidationError("places", "number.invalid", value=cell[:30])
            places[dim][key] = int(cell)
        return {"participants": {k: s.value() for k, s in self.segments.items()},
                "contribution_rupiah": money, **places}

    def save(self) -> None:
        for box in self.boxes.values():
            box.show_error(None)
        try:
            values = self.values()
        except ValidationError as exc:
            self._errors(exc)
            return
        self.save_button.setEnabled(False)
        from ui.ops import Ops
        Ops.for_executor(self.executor).save_targets(self.branch, self.year.value(), values,
                                                     on_done=self._saved, on_error=self._failed)

    def _saved(self, entry: dict[str, Any]) -> None:
        self.save_button.setEnabled(True)
        self._show(entry)
        reveal(self.state)  # "Set by … on …": the answer to Save, at the foot of the page
        self.saved.emit(entry)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, (ValidationError, ValidationErrors)):
            self._errors(exc)
        else:
            dialogs.error(self, exc, self.lang)

    def _errors(self, exc: ValidationError | ValidationErrors) -> None:
        lang = "en" if self.lang == "en" else "id"
        shown = []
        for error in exc.errors if isinstance(exc, ValidationErrors) else [exc]:
            field = error.field
            if field.startswith(("kecamatan.", "estate.")):
                field = "places"
            box = self.boxes.get(field) or self.boxes["contribution_rupiah"]
            box.show_error(error.message(lang))
            shown.append(box)
        if shown:
            reveal(shown[0])


def _day(moment: str, lang: str) -> str:
    try:
        return format_date(datetime.fromisoformat(moment).date(), lang)
    except ValueError:
        return moment
