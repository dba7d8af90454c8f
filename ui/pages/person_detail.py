"""One person's detail: identity (NIK masked until asked), contact, registrations,
attendance and the history of changes.

Signals:
    edit_requested(object): the officer wants to edit this person (the person dict).
    reveal_requested(str): the officer asked to see the full NIK of this person id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout,
                               QWidget)

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.downstream import RELATIONS, mask_kk, mask_name
from bpjs_field.domain.formatting import format_date, format_datetime, format_rupiah, today_wib
from bpjs_field.domain.phone import format_phone, mask_phone
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.segments import SEGMENTS, label
from ui.models.columns import ident_text
from ui.roles import RoleControls
from ui.style import set_role

ACTIONS = ("person.create", "person.edit", "person.reveal_nik")


def _esc(text: Any) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PersonDetail(QWidget):
    edit_requested = Signal(object)
    reveal_requested = Signal(str)
    reprint_requested = Signal(str)  # registration id of the newest registration
    erase_requested = Signal(str, bool)  # person id, and whether consent was withdrawn
    followup_requested = Signal(object)  # the person's registrations (KPJ, payment, stop)

    def __init__(self, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personDetail")
        self.lang = lang
        self.today: date | None = None  # the day amounts are shown for (tests fix it)
        self.person: dict[str, Any] | None = None
        self.roles = RoleControls()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.name = QLabel(self.tr("Choose a person from the list"))
        self.name.setObjectName("detailName")
        self.name.setWordWrap(True)
        set_role(self.name, "subtitle")
        layout.addWidget(self.name)
        ident_row = QHBoxLayout()
        self.ident = QLabel()
        self.ident.setObjectName("detailIdent")
        self.ident.setStyleSheet("font-size: 13pt;")
        ident_row.addWidget(self.ident, 1)
        layout.addLayout(ident_row)
        # The actions get their own row, so the detail pane stays narrow enough for the table.
        ident_row = QHBoxLayout()
        self.reveal_button = QPushButton(self.tr("Show full NIK"))
        self.reveal_button.setObjectName("revealNik")
        self.reveal_button.clicked.connect(self._reveal)
        ident_row.addWidget(self.reveal_button)
        self.edit_button = QPushButton(self.tr("Edit (Ctrl+E)"))
        self.edit_button.setObjectName("editPerson")
        self.edit_button.clicked.connect(lambda: self.person and self.edit_requested.emit(self.person))
        ident_row.addWidget(self.roles.supervisor_only(self.edit_button, hide=True))
        self.reprint_button = QPushButton(self.tr("Reprint (Ctrl+R)"))
        self.reprint_button.setObjectName("reprintReceipt")
        self.reprint_button.clicked.connect(self._reprint)
        ident_row.addWidget(self.reprint_button)
        ident_row.addStretch(1)
        layout.addLayout(ident_row)
        # Follow-up, then a supervisor's actions for the rights of the person (UU PDP; hidden
        # for officers).  Four buttons on one row made the detail 770 px wide at least, and
        # squeezed the list's name column to nothing on a 1366 or 1280 px screen.
        ident_row = QHBoxLayout()
        self.followup_button = QPushButton(self.tr("Follow-up (Ctrl+K)"))
        self.followup_button.setObjectName("followupPerson")
        self.followup_button.clicked.connect(self._followup)
        ident_row.addWidget(self.followup_button)
        self.withdraw_button = QPushButton(self.tr("Consent withdrawn…"))
        self.withdraw_button.setObjectName("withdrawConsent")
        self.withdraw_button.clicked.connect(
            lambda: self.person and self.erase_requested.emit(self.person["id"], True))
        ident_row.addWidget(self.roles.supervisor_only(self.withdraw_button, hide=True))
        self.erase_button = QPushButton(self.tr("Erase personal data…"))
        self.erase_button.setObjectName("erasePerson")
        self.erase_button.clicked.connect(
            lambda: self.person and self.erase_requested.emit(self.person["id"], False))
        ident_row.addWidget(self.roles.supervisor_only(self.erase_button, hide=True))
        ident_row.addStretch(1)
        self.registration_ids: list[str] = []
        self._detail: dict[str, Any] | None = None
        self._revealed = False
        layout.addLayout(ident_row)
        self.body = QTextBrowser()
        self.body.setObjectName("detailBody")
        layout.addWidget(self.body, 1)
        self._enable(False)

    def apply_role(self, role: str | None) -> None:
        """Editing and erasing people are a supervisor's (the core refuses them again)."""
        self.roles.apply(role)

    def _enable(self, on: bool) -> None:
        self.reveal_button.setEnabled(on)
        self.edit_button.setEnabled(on)
        self.reprint_button.setEnabled(on and bool(getattr(self, "registration_ids", None)))
        if hasattr(self, "followup_button"):
            self.followup_button.setEnabled(on and bool(getattr(self, "registration_ids", None)))
        erased = bool(self.person and self.person.get("erased_at"))
        for button in (getattr(self, "withdraw_button", None), getattr(self, "erase_button", None)):
            if button is not None:
                button.setEnabled(on and not erased)

    def _reprint(self) -> None:
        if self.person and self.registration_ids:
            self.reprint_requested.emit(self.registration_ids[-1])

    def _followup(self) -> None:
        if self.person and self._detail and self._detail["registrations"]:
            self.followup_requested.emit(self._detail["registrations"])

    def clear(self) -> None:
        self.person = None
        self.name.setText(self.tr("Choose a person from the list"))
        self.ident.setText("")
        self.body.clear()
        self._enable(False)

    def _reveal(self) -> None:
        if self.person:
            self.reveal_requested.emit(self.person["id"])

    def show_full_ident(self, nik: str | None) -> None:
        """After the audited reveal: the full NIK, and the full phone number in the facts."""
        if nik:
            self._revealed = True
            if self._detail is not None:
                self._render(self._detail)
            self.ident.setText(nik)
            self.reveal_button.setEnabled(False)

    def show_detail(self, detail: dict[str, Any]) -> None:
        self._revealed = False
        self._detail = detail
        self._render(detail)

    def _render(self, detail: dict[str, Any]) -> None:
        person = detail["person"]
        self.person = person
        self.registration_ids = [reg["id"] for reg in detail["registrations"] if reg.get("id")]
        lang = self.lang
        self.name.setText(person["full_name"])
        self.ident.setText(ident_text(person))
        self._enable(True)
        self.reveal_button.setVisible(bool(person.get("nik") or person.get("passport_no")))
        region = get_region(person["district_code"]) if person.get("district_code") else None
        sex = {"L": self.tr("Male"), "P": self.tr("Female")}.get(person.get("sex") or "", "")
        facts = [
            (self.tr("Date of birth"),
             format_date(datetime.fromisoformat(person["birth_date"]).date(), lang)
             if person.get("birth_date") else ""),
            (self.tr("Sex"), sex),
            (self.tr("Mobile"), "" if not person.get("phone") else
             format_phone(person["phone"]) if self._revealed else mask_phone(person["phone"])),
            (self.tr("Email"), person.get("email") or ""),
            (self.tr("Address"), person.get("address") or ""),
            (self.tr("Kecamatan"), f"{region.name}, {region.regency}" if region else ""),
            (self.tr("Mother's maiden name"), mask_name(person.get("mother_name"))
             if not self._revealed else person.get("mother_name")),
            (self.tr("No. KK"), mask_kk(person.get("kk_no"))
             if not self._revealed else person.get("kk_no")),
            (self.tr("Heir"), "" if not person.get("heir_name") else "{} ({})".format(
                person["heir_name"], label(RELATIONS, person.get("heir_relation") or "", lang))),
            (self.tr("Consent"), self._consent_text(person) if person.get("consent_at") else ""),
        ]
        html = ["<table cellspacing='3'>"]
        html += [f"<tr><td><b>{_esc(k)}</b></td><td>{_esc(v)}</td></tr>" for k, v in facts if v]
        html.append("</table>")
        none = _esc(self.tr("None"))
        html.append("<h3>{}</h3>".format(_esc(self.tr("Registrations"))))
        if detail["registrations"]:
            html.append("<ul>")
            for reg in detail["registrations"]:
                html.append("<li><b>{code}</b> · {segment} · {amount} · {when}{event}"
                            "<br>{status}</li>".format(
                    code=format_code(reg["code"]), segment=_esc(label(SEGMENTS, reg["segment"], lang)),
                    amount=_esc(self._amount_text(reg)),
                    when=_esc(_when(reg["created_at"], lang)),
                    event=f" · {_esc(reg['event_title'])}" if reg.get("event_title") else "",
                    status=_esc(self._status_text(reg))))
            html.append("</ul>")
        else:
            html.append(f"<p>{none}</p>")
        html.append("<h3>{}</h3>".format(_esc(self.tr("Attendance"))))
        if detail["attendance"]:
            html.append("<ul>")
            for att in detail["attendance"]:
                html.append(f"<li>{_esc(att['title'])} · {_esc(_when(att['checked_in_at'], lang))}</li>")
            html.append("</ul>")
        else:
            html.append(f"<p>{none}</p>")
        html.append("<h3>{}</h3><ul>".format(_esc(self.tr("History"))))
        names = {"person.create": self.tr("created"), "person.edit": self.tr("edited"),
                 "person.reveal_nik": self.tr("full NIK shown")}
        for entry in detail["history"]:
            what = names.get(entry["action"], entry["action"])
            fields = entry["details"].get("fields")
            if fields:
                what += ": " + ", ".join(fields)
            who = entry.get("officer_name") or ""
            html.append(f"<li>{_esc(_when(entry['at'], lang))} · {_esc(what)}"
                        f"{' · ' + _esc(who) if who else ''}</li>")
        html.append("</ul>")
        self.body.setHtml("".join(html))

    def _consent_text(self, person: dict[str, Any]) -> str:
        """The notice version agreed to; an earlier notice is said so (it may not list data
        collected since, such as the mother's name, No. KK and heirs)."""
        from bpjs_field.domain.consent import privacy_notice
        version = person.get("consent_version") or "-"
        text = self.tr("version {version}, {when}").format(
            version=version, when=_when(person.get("consent_at"), self.lang))
        if version != privacy_notice().version:
            text += " · " + self.tr("an earlier notice (now {current})").format(
                current=privacy_notice().version)
        return text

    def _amount_text(self, reg: dict[str, Any]) -> str:
        """This month's contribution (not the first month's: a discount may have ended, or a
        month paid ahead may cost more than the first), with the first month's beside it
        when they differ."""
        from bpjs_field.domain.plan import monthly_on
        first = reg.get("monthly_total") or 0
        try:
            now = monthly_on(reg, self.today or today_wib()).total
        except (ValueError, KeyError, TypeError):  # a row without a readable contribution
            now = first
        if now == first:
            return self.tr("{amount}/month").format(amount=format_rupiah(now))
        return self.tr("{amount}/month now (first month {first})").format(
            amount=format_rupiah(now), first=format_rupiah(first))

    def _status_text(self, reg: dict[str, Any]) -> str:
        """`KPJ terbit: 12345678901 · 30 November 2026` and the like."""
        from bpjs_field.domain.followup import LABELS, paid_until
        lang = self.lang
        status = reg.get("status") or "baru"
        parts = [LABELS.get(status, (status, status))[1 if lang == "en" else 0]]
        if reg.get("kpj_no"):
            parts.append(self.tr("KPJ {number}").format(number=reg["kpj_no"]))
        if reg.get("payment_code"):
            parts.append(self.tr("payment code {code}").format(code=reg["payment_code"]))
        if reg.get("first_paid_at") and reg.get("first_paid_months"):
            until = paid_until(reg["first_paid_at"], reg["first_paid_months"])
            parts.append(self.tr("paid until {day}").format(day=format_date(until, lang)))
        if status == "berhenti" and reg.get("stopped_reason"):
            parts.append(reg["stopped_reason"])
        return " · ".join(parts)


def _when(text: str | None, lang: str) -> str:
    if not text:
        return ""
    try:
        return format_datetime(datetime.fromisoformat(text), lang)
    except ValueError:
        return text
