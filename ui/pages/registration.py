"""Pendaftaran: register one person after another, keyboard first.

Enter moves to the next field, Ctrl+S or Ctrl+Enter saves, and after a save
the form clears with the cursor back in the first field.  Errors sit next to
their fields in the officer's language and Save stays disabled until the form
is valid.  Every change is kept as a draft (debounced) so a half-typed form
survives a crash or a power cut.  A NIK already in the database shows that
person and offers a check-in or a new registration for them.

Signals:
    registration_saved(object): a RegistrationResult, after it is durably stored.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QTextBrowser, QVBoxLayout, QWidget)

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.consent import privacy_notice
from bpjs_field.domain.formatting import format_rupiah
from bpjs_field.domain.registration import field_errors, validate_registration
from bpjs_field.domain.segments import SEGMENTS, label
from bpjs_field.errors import ValidationError, ValidationErrors
from bpjs_field.store import views
from ui import dialogs
from ui.context import AppContext
from ui.forms.registration_form import TAB_ORDER, RegistrationForm
from ui.style import set_role
from ui.tasks import DbExecutor
from ui.widgets.answer import reveal
from ui.widgets.contribution import ContributionPanel

DRAFT = "registration"
DRAFT_DELAY_MS = 500


class RegistrationPage(QWidget):
    registration_saved = Signal(object)

    def __init__(self, ctx: AppContext, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registrationPage")
        self.ctx = ctx
        self.executor = executor
        self.notice = privacy_notice()
        self.valid = False
        self._saving = False
        self._dup_generation = 0
        self._existing: dict[str, Any] | None = None
        self._return_to: str | None = None
        self._build()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.form.changed.connect(self._form_changed)
        self.form.nik_completed.connect(self._check_duplicate)
        ctx.active_event_changed.connect(self._show_event)
        self._show_event(ctx.active_event)
        self.revalidate()
        self.executor.run(lambda s: s.load_draft(DRAFT), self._restore_draft)

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        title = QLabel(self.tr("Registration"))
        set_role(title, "title")
        outer.addWidget(title)

        self.banner = QFrame()
        self.banner.setObjectName("duplicateBanner")
        set_role(self.banner, "banner")
        banner_layout = QHBoxLayout(self.banner)
        self.banner_text = QLabel()
        self.banner_text.setObjectName("duplicateText")
        self.banner_text.setWordWrap(True)
        banner_layout.addWidget(self.banner_text, 1)
        self.dup_check_in = QPushButton(self.tr("Check in (F6)"))
        self.dup_check_in.setObjectName("duplicateCheckIn")
        self.dup_check_in.setShortcut(QKeySequence("F6"))
        self.dup_check_in.clicked.connect(self._check_in_existing)
        self.dup_register = QPushButton(self.tr("New registration for this person (F7)"))
        self.dup_register.setObjectName("duplicateRegister")
        self.dup_register.setShortcut(QKeySequence("F7"))
        self.dup_register.clicked.connect(self._register_existing)
        for button in (self.dup_check_in, self.dup_register):
            banner_layout.addWidget(button)
        self.banner.setVisible(False)
        outer.addWidget(self.banner)

        self.success = QFrame()
        self.success.setObjectName("savedBanner")
        set_role(self.success, "success")
        success_layout = QHBoxLayout(self.success)
        self.success_text = QLabel()
        self.success_text.setObjectName("savedText")
        self.success_text.setWordWrap(True)
        self.success_text.setStyleSheet("font-size: 13pt;")
        success_layout.addWidget(self.success_text)
        self.success.setVisible(False)
        # The saved banner sits in the side column, above Save (added there below): shown
        # above the form it took the form's height, and a scroll bar came with every save.

        body = QHBoxLayout()
        outer.addLayout(body, 1)
        self.form = RegistrationForm(self.ctx.lang)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body.addWidget(scroll, 1)

        side_widget = QWidget()
        side_widget.setFixedWidth(400)
        column = QVBoxLayout(side_widget)
        column.setContentsMargins(0, 0, 0, 0)
        body.addWidget(side_widget)
        # The contribution, the notice, the consent and the saved banner scroll on their
        # own (the banner scrolled into sight when shown); what is missing and the buttons
        # stay at the foot.  A wage earner's
        # programmes and their reasons, with a saved banner of two warnings, made the
        # column taller than a 1280x720 screen, and the whole page scrolled with it.
        upper = QWidget()
        side = QVBoxLayout(upper)
        side.setContentsMargins(0, 0, 0, 0)
        side_scroll = QScrollArea()
        side_scroll.setObjectName("sideScroll")
        side_scroll.setWidget(upper)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        side_scroll.setFocusPolicy(Qt.NoFocus)
        column.addWidget(side_scroll, 1)
        self.contribution = ContributionPanel()
        side.addWidget(self.contribution)
        notice_title = QLabel(self.tr("Privacy notice (read it to the participant)"))
        notice_title.setWordWrap(True)
        set_role(notice_title, "subtitle")
        side.addWidget(notice_title)
        self.notice_view = QTextBrowser()
        self.notice_view.setObjectName("privacyNotice")
        self.notice_view.setPlainText(self.notice.text(self.ctx.lang))
        self.notice_view.setFocusPolicy(Qt.ClickFocus)
        self.notice_view.setMinimumHeight(90)
        self.notice_view.setMaximumHeight(280)
        side.addWidget(self.notice_view, 1)
        side.addWidget(self.form.consent)
        side.addWidget(self.form.consent_error)
        self.check_in_box = QCheckBox(self.tr("Also check in at the active event"))
        self.check_in_box.setObjectName("alsoCheckIn")
        side.addWidget(self.check_in_box)
        self.event_hint = QLabel()
        self.event_hint.setWordWrap(True)
        set_role(self.event_hint, "hint")
        side.addWidget(self.event_hint)
        side.addStretch(1)
        side.addWidget(self.success)  # at the foot of the scrolling part, scrolled to when shown
        self.summary = QLabel()
        self.summary.setObjectName("formSummary")
        self.summary.setWordWrap(True)
        set_role(self.summary, "warning")
        column.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("Clear form"))
        self.clear_button.setObjectName("clearButton")
        self.clear_button.clicked.connect(self.clear_form)
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button, 1)
        column.addLayout(buttons)
        QWidget.setTabOrder(self.form.widgets[TAB_ORDER[-1]], self.form.consent)
        QWidget.setTabOrder(self.form.consent, self.check_in_box)
        QWidget.setTabOrder(self.check_in_box, self.save_button)
        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)

    def _show_event(self, event: dict[str, Any] | None) -> None:
        self.check_in_box.setVisible(event is not None)
        self.event_hint.setVisible(event is not None)
        if event is not None:
            self.event_hint.setText(event["title"])
        else:
            self.check_in_box.setChecked(False)

    # -- navigation payload ------------------------------------------------------------
    def prepare(self, payload: dict[str, Any]) -> None:
        """Opened from check-in: register this person and check them in."""
        if payload.get("check_in") and self.ctx.active_event is not None:
            self.check_in_box.setChecked(True)
            self._return_to = payload.get("return_to")
        if payload.get("prereg") is not None:  # scanned from a participant's phone
            from ui.selfreg.desk import fill
            fill(self, payload["prereg"])
        if payload.get("nik") or payload.get("full_name"):
            if self.form.is_empty():
                if payload.get("nik"):
                    self.form.widgets["nik"].setText(payload["nik"])
                if payload.get("full_name"):
                    self.form.widgets["full_name"].setText(payload["full_name"])
        self.focus_first()

    def focus_first(self) -> None:
        field = self.form.first_field()
        field.setFocus(Qt.OtherFocusReason)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_first)

    # -- validation --------------------------------------------------------------------
    def _form_changed(self) -> None:
        self.success.setVisible(False)
        self.revalidate()
        self._draft_timer.start()

    def _input(self):
        form, errors = self.form.to_input(consent_version=self.notice.version,
                                          event_id=self.ctx.active_event_id)
        if form is not None and self.ctx.active_event is not None:
            # The wage is compared with the UMK of the event's place (domain/umk.py).
            form = replace(form, workplace_code=self.ctx.active_event.get("district_code"))
        return form, errors

    def revalidate(self, *, show_all: bool = False) -> bool:
        lang = self.ctx.lang
        form, parse_errors = self._input()
        errors = {e.field: e.message(lang) for e in parse_errors}
        warnings: dict[str, str] = {}
        try:
            clean = validate_registration(form)
            for notice in clean.warnings:
                warnings[notice.field or "nik"] = notice.message(lang)
        except ValidationErrors as exc:
            for key, text in field_errors(exc, lang).items():
                errors.setdefault(key, text)
        except ValidationError as exc:
            errors.setdefault(exc.field, exc.message(lang))
        self.form.show_messages(errors, warnings, show_all=show_all)
        contribution, plan, reason, programs = self.form.contribution()
        self.contribution.show_contribution(contribution, plan=plan, reason=reason,
                                            programs=programs, lang=self.ctx.lang)
        self.valid = not errors
        self.save_button.setEnabled(self.valid and not self._saving)
        if errors and (show_all or not self.form.is_empty()):  # not on a form just cleared
            names = ", ".join(self.form.field_label(k) for k in errors)
            self.summary.setText(self.tr("Not ready to save. To fix: {fields}").format(fields=names))
        else:
            self.summary.setText("")
        return self.valid

    # -- drafts --------------------------------------------------------------------------
    def save_draft(self) -> None:
        if self.form.is_empty():
            self.ctx.ops.clear_draft(DRAFT)
            return
        data = self.form.values()
        data["also_check_in"] = self.check_in_box.isChecked()
        self.ctx.ops.save_draft(DRAFT, data)

    def flush_draft(self) -> None:
        """Write a pending draft now (the window is closing)."""
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self.save_draft()

    def _restore_draft(self, data: dict[str, Any] | None) -> None:
        if not data or not self.form.is_empty():
            return
        self.form.set_values(data)
        self.check_in_box.setChecked(bool(data.get("also_check_in")) and
                                     self.ctx.active_event is not None)
        self.revalidate()
        self.success.setVisible(True)
        self.success_text.setText(self.tr("A form that was not saved has been restored. "
                                          "Check it and save, or clear it."))
        self.form.refresh_nik()

    def clear_form(self) -> None:
        self._draft_timer.stop()
        self.ctx.ops.clear_draft(DRAFT)
        self._next_person()

    def _next_person(self) -> None:
        """The form empty for the next person, the cursor in its first field (the field the
        cursor was in is not marked wrong for being emptied: `FormValues.clear`)."""
        self.form.clear()
        self.banner.setVisible(False)
        self._existing = None
        self.revalidate()
        self.focus_first()

    # -- duplicate NIK -------------------------------------------------------------------
    def _check_duplicate(self, nik: str) -> None:
        self._dup_generation += 1
        generation = self._dup_generation
        event_id = self.ctx.active_event_id
        self.executor.run(lambda s: views.person_at_event(s, nik, event_id),
                          lambda found: self._show_duplicate(generation, nik, found),
                          lambda exc: dialogs.error(self, exc, self.ctx.lang))

    def _show_duplicate(self, generation: int, nik: str, found: dict[str, Any] | None) -> None:
        if generation != self._dup_generation or self.form.widgets["nik"].text().strip() != nik:
            return  # the officer has typed on; this answer is stale
        self._existing = found
        if found is None:
            self.banner.setVisible(False)
            self.form.set_person_locked(False)
            return
        person = found["person"]
        regs = found["registrations"]
        codes = ", ".join(f"{format_code(r['code'])} ({label(SEGMENTS, r['segment'], self.ctx.lang)})"
                          for r in regs[-3:])
        text = self.tr("This NIK is already registered: <b>{name}</b>.").format(
            name=person["full_name"])
        if codes:
            text += " " + self.tr("Registrations: {codes}.").format(codes=codes)
        if found["attendance"] is not None:
            text += " " + self.tr("Already checked in at the active event.")
        self.banner_text.setText(text)
        self.dup_check_in.setVisible(self.ctx.active_event is not None
                                     and found["attendance"] is None)
        self.banner.setVisible(True)

    def _check_in_existing(self) -> None:
        if not self._existing or self.ctx.active_event is None:
            return
        person = self._existing["person"]
        event_id = self.ctx.active_event_id
        self.ctx.ops.check_in(event_id, person["id"], "search", on_done=self._checked_in_existing,
                              on_error=lambda exc: dialogs.error(self, exc, self.ctx.lang))

    def _checked_in_existing(self, result) -> None:
        name = result.person["full_name"] if result.person else ""
        self.clear_form()
        self.success.setVisible(True)
        self.success_text.setText(self.tr("{name} is checked in.").format(name=name))
        self._go_back({"checked_in": result})

    def _register_existing(self) -> None:
        if not self._existing:
            return
        self.form.fill_from_person(self._existing["person"])
        self.form.set_person_locked(True)
        self.banner.setVisible(False)
        self.revalidate()
        focus = "occupation" if self.form.segment() == "bpu" else "employer_name"
        self.form.widgets[focus].setFocus()

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        if not self.revalidate(show_all=True):
            return
        form, _ = self._input()
        check_in = self.check_in_box.isChecked() and self.ctx.active_event is not None
        self._saving = True
        self.save_button.setEnabled(False)
        self._draft_timer.stop()
        self.ctx.ops.save_registration(form, check_in=check_in, draft=DRAFT, on_done=self._saved,
                                       on_error=self._save_failed)

    def _saved(self, result) -> None:
        self._saving = False
        reg = result.registration
        lang = self.ctx.lang
        # Separated by dots, not brackets: segment labels carry brackets of their own.
        text = self.tr("Saved: <b>{code}</b> · {name} · {segment} · {amount} per month.").format(
            code=format_code(reg["code"]), name=result.person["full_name"],
            segment=label(SEGMENTS, reg["segment"], lang), amount=format_rupiah(reg["monthly_total"]))
        if (reg.get("months_paid") or 1) > 1 and reg.get("amount_due") is not None:
            text += " " + self.tr("To pay now for {months} months: {amount}.").format(
                months=reg["months_paid"], amount=format_rupiah(reg["amount_due"]))
        if result.checked_in:
            text += " " + self.tr("Checked in.")
        for notice in result.warnings:
            text += "<br>" + notice.message(lang)
        self._next_person()
        self.success_text.setText(text)
        self.success.setVisible(True)
        reveal(self.success)
        self.registration_saved.emit(result)
        from ui.selfreg.desk import saved
        saved(self, result)
        if result.checked_in:
            self._go_back({"registered": result})

    def _go_back(self, payload: dict[str, Any]) -> None:
        if self._return_to:
            target, self._return_to = self._return_to, None
            self.check_in_box.setChecked(False)
            self.ctx.navigate(target, **payload)

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        if isinstance(exc, (ValidationErrors, ValidationError)):
            lang = self.ctx.lang
            errors = field_errors(exc, lang)
            self.form.touched.update(errors)
            self.form.show_messages(errors, {}, show_all=True)
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(self.valid)
        dialogs.error(self, exc, self.ctx.lang)
