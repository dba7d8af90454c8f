"""Editing a person's details, with the same validation as registration.

The identity (NIK, passport) is not editable here; a supervisor corrects it.
The store validates, writes the change log and an audit entry naming the
changed fields (never their values); the save is `Ops.edit_person`, which tells
the pages.

Signals:
    saved(object): the updated person dict.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLineEdit, QVBoxLayout, QWidget

from bpjs_field.domain.regions import districts
from bpjs_field.domain.registration import field_errors
from bpjs_field.errors import ValidationError, ValidationErrors
from ui.forms.parsing import format_day, parse_day
from ui.ops import Ops
from ui.widgets.buttons import SavingDialog
from ui.widgets.fields import EnterMovesOn, FieldBox
from ui.widgets.fit import fit_to_content

TEXTS = ("full_name", "birth_place", "phone", "email", "address")


class PersonEditDialog(SavingDialog):
    def __init__(self, person: dict[str, Any], ops: Ops, lang: str = "id",
                 parent: QWidget | None = None) -> None:
        super().__init__(lang, parent)
        self.setObjectName("personEditDialog")
        self.setWindowTitle(self.tr("Edit participant"))
        self.person = person
        self.ops = ops
        self.boxes: dict[str, FieldBox] = {}
        self.widgets: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        layout.addLayout(grid)
        labels = {"full_name": self.tr("Full name (as on the KTP)"),
                  "birth_date": self.tr("Date of birth (DD-MM-YYYY)"), "sex": self.tr("Sex"),
                  "birth_place": self.tr("Place of birth"), "phone": self.tr("Mobile number"),
                  "email": self.tr("Email (optional)"), "address": self.tr("Address (street, RT/RW)"),
                  "district_code": self.tr("Kecamatan"),
                  "mother_name": self.tr("Mother's maiden name (optional)"),
                  "kk_no": self.tr("Family card number, No. KK (optional)"),
                  "heir_name": self.tr("Heir's name (optional)"),
                  "heir_relation": self.tr("Heir's relation")}
        for i, key in enumerate(labels):
            if key == "sex":
                widget = QComboBox()
                for text, data in (("", None), (self.tr("Male"), "L"), (self.tr("Female"), "P")):
                    widget.addItem(text, data)
                widget.setCurrentIndex(max(0, widget.findData(person.get("sex"))))
            elif key == "heir_relation":
                from bpjs_field.domain.downstream import RELATIONS
                widget = QComboBox()
                widget.addItem("", None)
                for code, pair in RELATIONS.items():
                    widget.addItem(pair[1] if lang == "en" else pair[0], code)
                widget.setCurrentIndex(max(0, widget.findData(person.get("heir_relation"))))
            elif key == "district_code":
                widget = QComboBox()
                widget.addItem("", None)
                for d in districts():
                    widget.addItem(f"{d.name} ({d.regency})", d.code)
                widget.setCurrentIndex(max(0, widget.findData(person.get("district_code"))))
            else:
                widget = QLineEdit()
                value = person.get(key) or ""
                if key == "birth_date":
                    value = format_day(value)
                elif key == "phone" and value.startswith("+62"):
                    value = "0" + value[3:]
                widget.setText(value)
            widget.setObjectName(f"edit_{key}")
            widget.installEventFilter(EnterMovesOn(self))
            box = FieldBox(labels[key], widget)
            self.boxes[key] = box
            self.widgets[key] = widget
            grid.addWidget(box, i // 2, i % 2)
        self.add_buttons(layout, "editSave")
        self.resize(760, 520)
        fit_to_content(self)

    def changes(self) -> tuple[dict[str, Any], list[ValidationError]]:
        errors: list[ValidationError] = []
        out: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                value = widget.currentData()
            else:
                value = widget.text().strip() or None
            if key == "birth_date":
                try:
                    day = parse_day(value or "", key)
                    value = day.isoformat() if day else None
                except ValidationError as exc:
                    errors.append(exc)
                    continue
            current = self.person.get(key)
            if key == "phone" and value and current and current.startswith("+62") \
                    and value == "0" + current[3:]:
                continue
            if value != current:
                out[key] = value
        return out, errors

    def save(self) -> None:
        changes, errors = self.changes()
        for box in self.boxes.values():
            box.show_error(None)
        if errors:
            self.show_errors(ValidationErrors(errors))
            return
        if not changes:
            self.accept()
            return
        person_id = self.person["id"]
        self.saving()
        self.ops.edit_person(person_id, changes, on_done=self.saved_ok, on_error=self.save_failed)

    def show_errors(self, exc: ValidationErrors | ValidationError) -> None:
        for key, text in field_errors(exc, self.lang).items():
            if key in self.boxes:
                self.boxes[key].show_error(text)
