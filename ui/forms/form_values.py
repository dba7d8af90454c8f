"""The registration form's values: reading and writing its fields, drafts, clearing it
for the next person, and the form as the core's `RegistrationInput`.

`FormValues` is mixed into `RegistrationForm` (ui/forms/registration_form.py), which
builds the widgets (`widgets`, `boxes`, `consent`, `more`) and says which segment is
chosen; nothing here is shown to the officer as text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox

from bpjs_field.domain.programs import SCALED_SEGMENTS
from bpjs_field.domain.registration import NAMED_PAYERS, PersonInput, RegistrationInput
from bpjs_field.errors import ValidationError
from ui.forms.parsing import format_day, parse_amount, parse_day

PERSON_FIELDS = ("nik", "full_name", "birth_date", "sex", "birth_place", "phone", "email",
                 "address", "district_code", "village_code")
DOWNSTREAM_FIELDS = ("mother_name", "kk_no", "heir_name", "heir_relation")
TEXT_FIELDS = ("nik", "full_name", "birth_date", "birth_place", "phone", "email", "address",
               "passport_no", "nationality", "kitas_no", "kitas_expiry", "employer_name", "wage")


class FormValues:
    """Values in and out of the form's widgets (a mixin of `RegistrationForm`)."""

    def _get(self, key: str) -> Any:
        widget = self.widgets[key]
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QSpinBox):
            return widget.value()
        return widget.isChecked()

    def _set(self, key: str, value: Any) -> None:
        widget = self.widgets[key]
        if isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value or 1))
        else:
            widget.setChecked(bool(value))

    def values(self) -> dict[str, Any]:
        """Everything typed, as JSON-friendly values (for the draft)."""
        data = {key: self._get(key) for key in self.widgets}
        data["touched"] = sorted(self.touched)
        return data

    def set_values(self, data: dict[str, Any]) -> None:
        """Restore a draft; order matters (segment and kecamatan before what depends on them)."""
        self._restoring = True
        try:
            for key in ("segment", "district_code"):
                if key in data:
                    self._set(key, data[key])
            for key, value in data.items():
                if key in self.widgets and key not in ("segment", "district_code"):
                    self._set(key, value)
            self.touched = set(data.get("touched", [])) & set(self.widgets)
            self._autofill.clear()
            self.more.setChecked(any(data.get(key) for key in DOWNSTREAM_FIELDS))
        finally:
            self._restoring = False
        self.changed.emit()

    def is_empty(self) -> bool:
        return not any(self._get(k) for k in TEXT_FIELDS)

    def _cursor_moved_on(self) -> None:
        self._emptied_under_cursor = None

    def clear(self) -> None:
        """Empty the form for the next person; the segment stays."""
        # The field holding the cursor is emptied under it: when the cursor then goes back
        # to the first field, its editingFinished is not the officer leaving it blank, and
        # must not mark it touched ("required" in red greeting the next person).
        # Only while the caller moves the cursor on: an officer later tabbing past an empty
        # field still marks it.
        focused = QApplication.focusWidget()
        self._emptied_under_cursor = (focused if isinstance(focused, QLineEdit)
                                      and focused in self.widgets.values() else None)
        QTimer.singleShot(0, self._cursor_moved_on)
        segment = self.segment()
        self._restoring = True
        try:
            for key, widget in self.widgets.items():
                if key == "segment":
                    continue
                if isinstance(widget, QComboBox):
                    widget.setCurrentIndex(0)
                elif key != "months_paid":
                    self._set(key, None)
            self._set("months_paid", 1)
            self._set("sector", "umum")
            self.more.setChecked(False)
            self.touched.clear()
            self._autofill.clear()
            self.apply_segment(segment)
        finally:
            self._restoring = False
        self.set_person_locked(False)
        self.changed.emit()

    def fill_from_person(self, person: dict[str, Any]) -> None:
        """Show an existing person's data (the duplicate-NIK path)."""
        self._restoring = True
        try:
            self._set("district_code", person.get("district_code"))
            for key in ("full_name", "sex", "birth_place", "email", "address", "village_code"):
                self._set(key, person.get(key))
            self._set("birth_date", format_day(person.get("birth_date")))
            phone = person.get("phone") or ""
            self._set("phone", "0" + phone[3:] if phone.startswith("+62") else phone)
        finally:
            self._restoring = False
        self.changed.emit()

    def set_person_locked(self, locked: bool) -> None:
        """Person fields read-only while registering someone already in the database."""
        for key in PERSON_FIELDS:
            if key == "nik":
                continue
            widget = self.widgets[key]
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(locked)
            else:
                widget.setEnabled(not locked)

    def to_input(self, *, consent_version: str | None, event_id: str | None,
                 today: date | None = None) -> tuple[RegistrationInput | None, list[ValidationError]]:
        """The form as a RegistrationInput, plus errors of text that could not be read."""
        errors: list[ValidationError] = []

        def read(fn, key):
            try:
                return fn(self._get(key), key)
            except ValidationError as exc:
                errors.append(exc)
                return None

        segment = self.segment()
        tka = segment == "tka"
        person = PersonInput(
            full_name=self._get("full_name"),
            nik=None if tka else self._get("nik"),
            passport_no=self._get("passport_no") if tka else None,
            nationality=self._get("nationality") if tka else None,
            kitas_no=self._get("kitas_no") if tka else None,
            kitas_expiry=read(parse_day, "kitas_expiry") if tka else None,
            birth_date=read(parse_day, "birth_date"),
            sex=self._get("sex") or None,
            birth_place=self._get("birth_place"),
            phone=self._get("phone"),
            email=self._get("email"),
            address=self._get("address"),
            district_code=self._get("district_code"),
            village_code=self._get("village_code"),
            mother_name=self._get("mother_name"),
            kk_no=self._get("kk_no"),
            heir_name=self._get("heir_name"),
            heir_relation=self._get("heir_relation") or None,
        )
        bpu = segment == "bpu"
        form = RegistrationInput(
            segment=segment, person=person, consent_given=self.consent.isChecked(),
            consent_version=consent_version, event_id=event_id,
            declared_income=self._get("declared_income") if bpu else None,
            with_jht=bool(self._get("with_jht")) if bpu else False,
            occupation=self._get("occupation") if bpu else None,
            sector=self._get("sector") if bpu else None,
            payer=self._get("payer") or "mandiri",
            payer_name=self._get("payer_name") if self._get("payer") in NAMED_PAYERS else None,
            employer_scale=self._get("employer_scale") if segment in SCALED_SEGMENTS else None,
            months_paid=self._get("months_paid") if bpu else 1,
            wage=None if bpu else read(parse_amount, "wage"),
            risk_class=None if bpu else self._get("risk_class"),
            employer_name=None if bpu else self._get("employer_name"),
            period=today,
        )
        return form, errors
