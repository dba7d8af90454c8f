"""Recording a registration's follow-up from the person's detail: submitted to BPJS
systems, KPJ issued (number, payment code), first payment (date, months), or stopped with a
reason.  The core validates (bpjs_field/domain/followup.py), writes the change log and the
audit entry (through `Ops.record_status`, which tells the pages); a refused value is
shown under its field and nothing is saved.  A KPJ card's barcode scanned anywhere in the
dialog fills the KPJ number (ui/pages/kpj_scan.py); a scan of something else (a NIK, a
receipt's code) is named under the KPJ field.

Signals:
    saved(object): the registration as stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.followup import (KPJ, LABELS, MAX_PAID_MONTHS, PAID, STATUSES, STOPPED,
                                        SUBMITTED, StatusChange)
from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.segments import SEGMENTS, label
from bpjs_field.errors import ValidationError, ValidationErrors
from ui.forms.parsing import format_day, parse_day
from ui.ops import Ops
from ui.widgets.buttons import SavingDialog
from ui.widgets.fields import EnterMovesOn, FieldBox
from ui.widgets.fit import fit_to_content

# Which fields each status asks for (the others are hidden).
SHOWN = {SUBMITTED: ("on",), KPJ: ("kpj_no", "payment_code", "on"),
         PAID: ("kpj_no", "payment_code", "on", "paid_months"), STOPPED: ("reason",)}


class FollowupDialog(SavingDialog):
    def __init__(self, registrations: list[dict[str, Any]], ops: Ops,
                 lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(lang, parent)
        self.setObjectName("followupDialog")
        self.setWindowTitle(self.tr("Follow-up after the event"))
        self.registrations = registrations
        self.ops = ops
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        layout.addLayout(grid)
        self.registration = QComboBox()
        self.registration.setObjectName("followupRegistration")
        for reg in registrations:
            self.registration.addItem(f"{format_code(reg['code'])} · "
                                      f"{label(SEGMENTS, reg['segment'], lang)}", reg["id"])
        self.status = QComboBox()
        self.status.setObjectName("followupStatus")
        for status in STATUSES[1:]:
            self.status.addItem(LABELS[status][1 if lang == "en" else 0], status)
        self.kpj_no = QLineEdit()
        self.kpj_no.setObjectName("followupKpj")
        self.kpj_no.setPlaceholderText("11 digit")
        self.payment_code = QLineEdit()
        self.payment_code.setObjectName("followupPaymentCode")
        self.on = QLineEdit(format_day(today_wib().isoformat()))
        self.on.setObjectName("followupDate")
        self.paid_months = QSpinBox()
        self.paid_months.setObjectName("followupMonths")
        self.paid_months.setRange(1, MAX_PAID_MONTHS)
        self.reason = QLineEdit()
        self.reason.setObjectName("followupReason")
        labels = {"registration": self.tr("Registration"), "status": self.tr("Status"),
                  "kpj_no": self.tr("KPJ number"), "payment_code": self.tr("Payment code"),
                  "on": self.tr("Date (DD-MM-YYYY)"), "paid_months": self.tr("Months paid"),
                  "reason": self.tr("Reason for stopping")}
        self.widgets: dict[str, QWidget] = {
            "registration": self.registration, "status": self.status, "kpj_no": self.kpj_no,
            "payment_code": self.payment_code, "on": self.on, "paid_months": self.paid_months,
            "reason": self.reason}
        self.boxes: dict[str, FieldBox] = {}
        for i, (key, widget) in enumerate(self.widgets.items()):
            widget.installEventFilter(EnterMovesOn(self))
            self.boxes[key] = FieldBox(labels[key], widget)
            grid.addWidget(self.boxes[key], i // 2, i % 2)
        # A KPJ card's barcode, scanned wherever the focus is in the dialog.
        from ui.pages.kpj_scan import ScanCatcher
        self.scan_catcher = ScanCatcher(list(self.widgets.values()), self)
        self.scan_catcher.scanned.connect(self.card_scanned)
        self.registration.currentIndexChanged.connect(self._fill)
        self.status.currentIndexChanged.connect(self._shown)
        self.add_buttons(layout, "followupSave")
        self._fill()
        self.resize(640, 320)
        fit_to_content(self)

    def card_scanned(self, text: str) -> None:
        """A scan: a KPJ number is filled in (the status moves to KPJ issued when it was
        before that) and checked against the other people at once; anything else is
        refused under the KPJ field, saying what was scanned instead."""
        from bpjs_field.domain.followup import parse_scanned_kpj
        box = self.boxes["kpj_no"]
        try:
            kpj = parse_scanned_kpj(text)
        except ValidationError as exc:
            if self.status.currentData() not in (KPJ, PAID):
                self.status.setCurrentIndex(self.status.findData(KPJ))
            box.show_error(exc.message("en" if self.lang == "en" else "id"))
            self.kpj_no.setFocus()
            return
        if self.status.currentData() not in (KPJ, PAID):
            self.status.setCurrentIndex(self.status.findData(KPJ))
        self.kpj_no.setText(kpj)
        box.show_warning(self.tr("Scanned from the card: {number}. Check it, then save "
                                 "(Ctrl+S).").format(number=kpj))
        self.payment_code.setFocus()
        person_id = self._current().get("person_id")

        def check(store):
            from bpjs_field.store.followup import kpj_holder
            holder = kpj_holder(store, kpj)
            return holder is not None and holder != person_id

        def checked(taken: bool) -> None:
            if taken and self.kpj_no.text() == kpj:
                box.show_error(ValidationError("kpj_no", "kpj.taken").message(
                    "en" if self.lang == "en" else "id"))

        self.ops.executor.run(check, checked, lambda exc: dialogs.error(self, exc, self.lang))

    def _current(self) -> dict[str, Any]:
        return self.registrations[max(0, self.registration.currentIndex())]

    def _fill(self) -> None:
        reg = self._current()
        nxt = {"baru": SUBMITTED, SUBMITTED: KPJ, KPJ: PAID}.get(reg.get("status") or "baru",
                                                                   reg.get("status"))
        self.status.setCurrentIndex(max(0, self.status.findData(nxt)))
        self.kpj_no.setText(reg.get("kpj_no") or "")
        self.payment_code.setText(reg.get("payment_code") or "")
        self.paid_months.setValue(reg.get("first_paid_months") or reg.get("months_paid") or 1)
        self.reason.setText(reg.get("stopped_reason") or "")
        self._shown()

    def _shown(self) -> None:
        wanted = SHOWN.get(self.status.currentData(), ())
        for key in ("kpj_no", "payment_code", "on", "paid_months", "reason"):
            self.boxes[key].setVisible(key in wanted)

    def change(self) -> StatusChange:
        status = self.status.currentData()
        wanted = SHOWN.get(status, ())
        on = parse_day(self.on.text(), "on") if "on" in wanted else None
        return StatusChange(
            status, kpj_no=self.kpj_no.text().strip() or None if "kpj_no" in wanted else None,
            payment_code=self.payment_code.text().strip() or None
            if "payment_code" in wanted else None,
            on=on, paid_months=self.paid_months.value() if "paid_months" in wanted else None,
            reason=self.reason.text() if "reason" in wanted else None)

    def save(self) -> None:
        for box in self.boxes.values():
            box.show_error(None)
        try:
            change = self.change()
        except ValidationError as exc:
            self.show_errors(exc)
            return
        registration_id = self._current()["id"]
        self.saving()
        self.ops.record_status(registration_id, change, on_done=self.saved_ok,
                               on_error=self.save_failed)

    def show_errors(self, exc: ValidationErrors | ValidationError) -> None:
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        for error in errors:
            box = self.boxes.get(error.field) or self.boxes["status"]
            box.show_error(error.message("en" if self.lang == "en" else "id"))
