"""The registration form's fields: building them, reacting to what is typed, and
showing errors next to them; reading and writing their values (drafts, the
`RegistrationInput` for the core) is `FormValues` (ui/forms/form_values.py).

The segment decides which fields show: BPU asks occupation, sector, declared
income (picked from the rate table's steps), JHT and months paid ahead; PU, ASN
and TKA ask employer, wage and risk class, and PU and TKA the employer's business
scale (it decides the programmes); every segment asks who pays, by name when a
government budget or a CSR partner pays; TKA swaps the NIK for
passport, nationality and KITAS/KITAP with its expiry.  Typing a NIK fills
birth date, sex and kecamatan from it.

Signals:
    changed(): any field was edited by the officer or a restore.
    nik_completed(str): a well-formed NIK was typed (the page checks for duplicates).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from bpjs_field.domain.contribution import Contribution, bpu_income_choices
from bpjs_field.domain.downstream import RELATIONS
from bpjs_field.domain.formatting import format_date, format_rupiah, today_wib
from bpjs_field.domain.nik import looks_like_nik, parse_nik
from bpjs_field.domain.plan import PaymentPlan
from bpjs_field.domain.programs import SCALE_CHOICES, SCALED_SEGMENTS, ProgramSet
from bpjs_field.domain.regions import districts, villages
from bpjs_field.domain.registration import NAMED_PAYERS
from bpjs_field.domain.segments import PAYERS, SEGMENTS, label, occupations, sector_labels, sector_of
from bpjs_field.errors import ValidationError
from ui.forms.form_values import DOWNSTREAM_FIELDS, FormValues
from ui.forms.parsing import format_day
from ui.forms.preview import SCALE_MISSING, contribution_preview
from ui.style import set_role
from ui.widgets.fields import EnterMovesOn, FieldBox

SEGMENT_ORDER = ("bpu", "pu", "asn", "tka")
TKA_FIELDS = ("passport_no", "nationality", "kitas_no", "kitas_expiry")
BPU_FIELDS = ("occupation", "sector", "declared_income", "with_jht", "months_paid")
WAGE_FIELDS = ("employer_name", "wage", "risk_class")
# The fields in the order Tab visits them; the page goes on from the last one to the consent
# box (`RegistrationPage`), so a field added at the end is never left out of the chain.
TAB_ORDER = ("segment", "nik", "passport_no", "full_name", "nationality", "kitas_no",
             "kitas_expiry", "birth_date", "sex", "birth_place", "phone", "address", "email",
             "district_code", "village_code", "mother_name", "kk_no", "heir_name",
             "heir_relation", "occupation", "sector", "declared_income",
             "payer", "payer_name", "months_paid", "with_jht", "employer_name", "wage",
             "risk_class", "employer_scale")
COMBO_FIELDS = ("segment", "sex", "district_code", "village_code", "occupation", "sector",
                "declared_income", "payer", "risk_class", "employer_scale")


class RegistrationForm(FormValues, QWidget):
    changed = Signal()
    nik_completed = Signal(str)

    def __init__(self, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registrationForm")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.lang = lang
        self.boxes: dict[str, FieldBox] = {}
        self.widgets: dict[str, QWidget] = {}
        self.touched: set[str] = set()
        self._emptied_under_cursor: QLineEdit | None = None  # see FormValues.clear
        self._autofill: dict[str, str] = {}
        self._restoring = False
        self._enter = EnterMovesOn(self)
        self._build()
        self._connect()
        self.apply_segment(self.segment())

    # -- building ------------------------------------------------------------------
    def _line(self, key: str, placeholder: str = "", max_length: int = 120) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(max_length)
        return edit

    def _combo(self, key: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(key)
        for text, data in items:
            combo.addItem(text, data)
        return combo

    def _add(self, grid: QGridLayout, key: str, text: str, widget: QWidget, row: int, col: int,
             span: int = 1) -> None:
        box = FieldBox(text, widget)
        self.boxes[key] = box
        self.widgets[key] = widget
        grid.addWidget(box, row, col, 1, span, Qt.AlignTop)

    def _section(self, text: str) -> QLabel:
        title = QLabel(text)
        set_role(title, "subtitle")
        return title

    def _build(self) -> None:
        lang = self.lang
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        top = QGridLayout()
        segment_items = [(label(SEGMENTS, code, lang), code) for code in SEGMENT_ORDER]
        self._add(top, "segment", self.tr("Segment"), self._combo("segment", segment_items), 0, 0)
        layout.addLayout(top)

        layout.addWidget(self._section(self.tr("Identity")))
        person = QGridLayout()
        person.setHorizontalSpacing(16)
        self._add(person, "nik", self.tr("NIK (16 digits, from the KTP)"),
                  self._line("nik", "3216xxxxxxxxxxxx", 24), 0, 0)
        self.nik_info = QLabel()
        self.nik_info.setObjectName("nikInfo")
        self.nik_info.setWordWrap(True)
        set_role(self.nik_info, "hint")
        self.nik_info.setVisible(False)
        self.boxes["nik"].layout().addWidget(self.nik_info)
        self._add(person, "passport_no", self.tr("Passport number"),
                  self._line("passport_no", "E12345678", 20), 0, 0)
        self._add(person, "nationality", self.tr("Nationality (country or code: CN, JP, KR)"),
                  self._line("nationality", "CN", 60), 1, 0)
        self._add(person, "kitas_no", self.tr("KITAS/KITAP number"),
                  self._line("kitas_no", "2C11AB1234-A", 30), 1, 1)
        self._add(person, "kitas_expiry", self.tr("KITAS/KITAP valid until (DD-MM-YYYY)"),
                  self._line("kitas_expiry", "31-12-2027", 10), 2, 0)
        self._add(person, "full_name", self.tr("Full name (as on the KTP)"),
                  self._line("full_name", "", 100), 0, 1)
        self._add(person, "birth_date", self.tr("Date of birth (DD-MM-YYYY)"),
                  self._line("birth_date", "22-11-1988", 10), 3, 0)
        sexes = [("", ""), (self.tr("Male"), "L"), (self.tr("Female"), "P")]
        self._add(person, "sex", self.tr("Sex"), self._combo("sex", sexes), 3, 1)
        self._add(person, "birth_place", self.tr("Place of birth"),
                  self._line("birth_place", "", 60), 4, 0)
        self._add(person, "phone", self.tr("Mobile number"),
                  self._line("phone", "0812-3456-7890", 20), 4, 1)
        self._add(person, "address", self.tr("Address (street, RT/RW)"),
                  self._line("address", "", 300), 5, 0)
        self._add(person, "email", self.tr("Email (optional)"), self._line("email", "", 254), 5, 1)
        district_items = [("", None)] + [(f"{d.name} ({d.regency})", d.code) for d in districts()]
        self._add(person, "district_code", self.tr("Kecamatan"),
                  self._combo("district_code", district_items), 6, 0)
        self._add(person, "village_code", self.tr("Village (desa/kelurahan)"),
                  self._combo("village_code", [("", None)]), 6, 1)
        # What downstream registration asks (bpjs_field/domain/downstream.py): optional, so
        # folded away (and out of the Enter path) until Alt+L opens it.
        # The box's text is short and what it holds a wrapped line beside it: a check box
        # does not wrap, and its whole sentence made the form wider than its column at
        # 1280x720 (the form then scrolled sideways, its left edge cut).
        self.more = QCheckBox(self.tr("&Later steps at BPJS (optional, Alt+L)"))
        self.more.setObjectName("moreData")
        self.more.setFocusPolicy(Qt.NoFocus)
        person.addWidget(self.more, 7, 0)
        more_hint = QLabel(self.tr("Mother's maiden name, No. KK, heir"))
        more_hint.setWordWrap(True)
        set_role(more_hint, "hint")
        person.addWidget(more_hint, 7, 1)
        self._add(person, "mother_name", self.tr("Mother's maiden name (optional)"),
                  self._line("mother_name", "", 100), 8, 0)
        self._add(person, "kk_no", self.tr("Family card number, No. KK (optional)"),
                  self._line("kk_no", "3216xxxxxxxxxxxx", 24), 8, 1)
        self._add(person, "heir_name", self.tr("Heir's name (optional)"),
                  self._line("heir_name", "", 100), 9, 0)
        relations = [("", None)] + [(v[1] if lang == "en" else v[0], k)
                                    for k, v in RELATIONS.items()]
        self._add(person, "heir_relation", self.tr("Heir's relation"),
                  self._combo("heir_relation", relations), 9, 1)
        self.more.toggled.connect(self._show_more)
        self._show_more(False)
        layout.addLayout(person)

        self.work_title = self._section(self.tr("Work and contribution"))
        layout.addWidget(self.work_title)
        work = QGridLayout()
        work.setHorizontalSpacing(16)
        work.setColumnStretch(0, 1)
        work.setColumnStretch(1, 1)  # columns keep their width when the payer's name shows
        occupation_items = [("", None)] + sorted(
            ((v[1] if lang == "en" else v[0], k) for k, v in occupations().items()),
            key=lambda item: item[0])
        self._add(work, "occupation", self.tr("Occupation"),
                  self._combo("occupation", occupation_items), 0, 0)
        sector_items = [(v[1] if lang == "en" else v[0], k) for k, v in sector_labels().items()]
        self._add(work, "sector", self.tr("Sector"), self._combo("sector", sector_items), 0, 1)
        self._set("sector", "umum")
        income_items = [(format_rupiah(v), v) for v in bpu_income_choices()]
        self._add(work, "declared_income", self.tr("Declared monthly income"),
                  self._combo("declared_income", income_items), 1, 0)
        payer_items = [(label(PAYERS, code, lang), code) for code in PAYERS]
        self._add(work, "payer", self.tr("Who pays"), self._combo("payer", payer_items), 1, 1)
        self._add(work, "payer_name", self.tr("Paid by (agency or company name)"),
                  self._line("payer_name", "Pemerintah Kota Cilegon", 120), 5, 1)
        months = QSpinBox()
        months.setObjectName("months_paid")
        months.setRange(1, 12)
        months.setSuffix(self.tr(" month(s)"))
        self._add(work, "months_paid", self.tr("Months paid ahead"), months, 2, 0)
        jht = QCheckBox(self.tr("Add JHT (2% of income)"))
        jht.setObjectName("with_jht")
        self._add(work, "with_jht", self.tr("Optional program"), jht, 2, 1)
        self._add(work, "employer_name", self.tr("Employer / agency"),
                  self._line("employer_name", "", 120), 3, 0)
        self._add(work, "wage", self.tr("Monthly wage (basic + fixed allowances)"),
                  self._line("wage", "5.938.885", 16), 3, 1)
        risks = [(self.tr("1 – very low (office, shop)"), 1), (self.tr("2 – low (farm, food)"), 2),
                 (self.tr("3 – medium (textile, printing)"), 3),
                 (self.tr("4 – high (construction, transport)"), 4),
                 (self.tr("5 – very high (mining, logging)"), 5)]
        self._add(work, "risk_class", self.tr("Work risk class (JKK)"),
                  self._combo("risk_class", risks), 4, 0)
        scales = [("", None)] + [(v[1] if lang == "en" else v[0], k) for k, v in SCALE_CHOICES.items()]
        self._add(work, "employer_scale", self.tr("Employer's business scale (decides the programmes)"),
                  self._combo("employer_scale", scales), 4, 1)
        layout.addLayout(work)
        layout.addStretch(1)

        self.consent = QCheckBox(self.tr("Participant agrees to the privacy notice"))
        self.consent.setObjectName("consent")
        self.widgets["consent"] = self.consent
        self.consent_error = QLabel()
        self.consent_error.setWordWrap(True)
        self.consent_error.setVisible(False)
        set_role(self.consent_error, "error")
        self.general_error = QLabel()
        self.general_error.setWordWrap(True)
        set_role(self.general_error, "error")
        layout.addWidget(self.general_error)
        self.general_error.setVisible(False)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        widgets = [self.widgets[k] for k in TAB_ORDER]
        for first, second in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(first, second)
        for widget in widgets + [self.consent]:
            widget.installEventFilter(self._enter)

    def _connect(self) -> None:
        for key, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, k=key: self._edited(k))
                widget.editingFinished.connect(lambda k=key: self._touch(k))
            elif isinstance(widget, QComboBox):
                widget.activated.connect(lambda _i, k=key: self._edited(k))
                widget.currentIndexChanged.connect(lambda _i: self._emit_changed())
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(lambda _v, k=key: self._edited(k))
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(lambda _v, k=key: self._edited(k))
        self.widgets["nik"].textChanged.connect(self._nik_changed)
        self.widgets["segment"].currentIndexChanged.connect(
            lambda _i: self.apply_segment(self.segment()))
        self.widgets["district_code"].currentIndexChanged.connect(self._fill_villages)
        self.widgets["occupation"].currentIndexChanged.connect(self._occupation_changed)
        self.widgets["payer"].currentIndexChanged.connect(lambda _i: self._show_payer_name())

    # -- reactions -----------------------------------------------------------------
    def _touch(self, key: str) -> None:
        if self._emptied_under_cursor is self.widgets[key]:
            self._emptied_under_cursor = None  # left after `clear()`, not left blank
            if not self.widgets[key].text():
                return
        if key not in self.touched:
            self.touched.add(key)
            self.changed.emit()

    def _edited(self, key: str) -> None:
        self.touched.add(key)
        self._autofill.pop(key, None)
        self._emit_changed()

    def _emit_changed(self) -> None:
        if not self._restoring:
            self.changed.emit()

    def _nik_changed(self, text: str) -> None:
        if self.segment() == "tka" or not looks_like_nik(text):
            self.nik_info.setText("")
            self.nik_info.setVisible(False)
            return
        try:
            info = parse_nik(text)
        except ValidationError:
            self.nik_info.setText("")
            self.nik_info.setVisible(False)
            return
        sex = self.tr("male") if info.sex == "L" else self.tr("female")
        place = ", ".join(p for p in (info.district_name, info.regency_name) if p)
        self.nik_info.setText(self.tr("From the NIK: born {date}, {sex}{place}").format(
            date=format_date(info.birth_date, self.lang), sex=sex,
            place=f", {place}" if place else ""))
        self.nik_info.setVisible(True)
        self._autofill_value("birth_date", format_day(info.birth_date))
        self._autofill_value("sex", info.sex)
        if info.district_name:
            self._autofill_value("district_code", info.district_code)
        if not self._restoring:
            self.nik_completed.emit(info.nik)

    def refresh_nik(self) -> None:
        """Read the NIK again (after a restore) so its facts and the duplicate check show."""
        self._nik_changed(self.widgets["nik"].text())

    def _autofill_value(self, key: str, value: str) -> None:
        """Fill a field from the NIK unless the officer typed something else there."""
        current = self._get(key)
        if current in (None, "") or self._autofill.get(key) == current:
            self._set(key, value)
            self._autofill[key] = value

    def _fill_villages(self) -> None:
        combo: QComboBox = self.widgets["village_code"]
        code = self.widgets["district_code"].currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("", None)
        for village in villages(code) if code else []:
            combo.addItem(village.name, village.code)
        combo.blockSignals(False)

    def _occupation_changed(self) -> None:
        code = self.widgets["occupation"].currentData()
        if code:
            self._set("sector", sector_of(code))

    def apply_segment(self, segment: str) -> None:
        tka = segment == "tka"
        bpu = segment == "bpu"
        self.boxes["nik"].setVisible(not tka)
        for key in TKA_FIELDS:
            self.boxes[key].setVisible(tka)
        for key in BPU_FIELDS:
            self.boxes[key].setVisible(bpu)
        for key in WAGE_FIELDS:
            self.boxes[key].setVisible(not bpu)
        self.boxes["employer_scale"].setVisible(segment in SCALED_SEGMENTS)
        # A foreign worker's name is read from the passport, not from a KTP.
        self.boxes["full_name"].label.setText(
            self.tr("Full name (as on the passport)") if tka else self.tr("Full name (as on the KTP)"))
        employer = self.boxes["employer_name"].label
        employer.setText(self.tr("Agency (instansi)") if segment == "asn" else self.tr("Employer"))
        if segment != "bpu" and self._get("payer") == "mandiri":
            self._set("payer", "pemberi_kerja")
        if segment == "bpu" and self._get("payer") == "pemberi_kerja":
            self._set("payer", "mandiri")
        self._show_payer_name()

    def _show_payer_name(self) -> None:
        self.boxes["payer_name"].setVisible(self._get("payer") in NAMED_PAYERS)

    # -- values ----------------------------------------------------------------------
    def segment(self) -> str:
        return self.widgets["segment"].currentData()

    def first_field(self) -> QWidget:
        return self.widgets["passport_no" if self.segment() == "tka" else "nik"]

    def _show_more(self, shown: bool) -> None:
        for key in DOWNSTREAM_FIELDS:
            self.boxes[key].setVisible(shown)
        if shown and not self._restoring:
            self.widgets["mother_name"].setFocus()

    # -- into the core -------------------------------------------------------------
    def contribution(self, today: date | None = None
                     ) -> tuple[Contribution | None, PaymentPlan | None, str, ProgramSet | None]:
        """The first month's contribution as typed so far, the plan of the months paid now,
        why there is none yet, and (wage earners) the programmes with their reasons."""
        values = {key: self._get(key) for key in ("declared_income", "with_jht", "months_paid",
                                                  "sector", "payer", "employer_scale", "wage",
                                                  "birth_date", "risk_class")}
        preview = contribution_preview(self.segment(), values, today or today_wib(), self.lang)
        if preview[2] == SCALE_MISSING:
            return preview[0], preview[1], self.tr("Choose the employer's business scale: it decides the programmes."), None
        return preview

    # -- messages ----------------------------------------------------------------------
    def show_messages(self, errors: dict[str, str], warnings: dict[str, str], *,
                      show_all: bool = False) -> None:
        """Errors next to fields the officer has touched (all of them when `show_all`)."""
        for key, box in self.boxes.items():
            visible = show_all or key in self.touched
            if key in errors and visible:
                box.show_error(errors[key])
            elif key in warnings:
                box.show_warning(warnings[key])
            else:
                box.show_error(None)
        consent = errors.get("consent") if (show_all or "consent" in self.touched) else None
        self.consent_error.setText(consent or "")
        self.consent_error.setVisible(bool(consent))
        others = [text for key, text in errors.items()
                  if key not in self.boxes and key != "consent"]
        self.general_error.setText("\n".join(others))
        self.general_error.setVisible(bool(others))

    def field_label(self, key: str) -> str:
        if key == "consent":
            return self.tr("Consent")
        box = self.boxes.get(key)
        return box.label.text() if box else key
