"""The desk's side of self-registration: a pre-registration QR scanned on the check-in page
opens the registration form filled in; the officer checks the KTP, fixes, ticks consent
(as for every registration) and saves; the ticket is then marked used here and at the hub.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from bpjs_field.errors import KnownError
from bpjs_field.selfreg.desk import PreRegistration, mark_confirmed, open_scan
from ui.style import RED, set_role

log = logging.getLogger(__name__)


def scan(page: Any, text: str) -> None:
    """On the check-in page: open the QR (this laptop's record and the hub's both refuse a
    used one), then the registration form; a refusal is the page's large red answer."""
    lang = page.ctx.lang

    def work(store):
        pre = open_scan(store, text, lang=lang)
        from bpjs_field.selfreg.link import confirm
        confirm(store, pre.ticket, only_check=True)
        return pre

    def opened(pre: PreRegistration) -> None:
        page.ctx.navigate("registration", prereg=pre, check_in=page.ctx.active_event is not None,
                          return_to="checkin")

    def refused(exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            page._failed(exc)
            return
        headline = QCoreApplication.translate("SelfRegDesk", "PRE-REGISTRATION REFUSED")
        page._paint(f"<div style='font-size:26pt;font-weight:bold'>✖ {html.escape(headline)}</div>"
                    f"<div style='font-size:15pt'>{html.escape(exc.message(lang))}</div>",
                    RED, "prereg_refused")
        page.keep_focus()

    page.executor.run(work, opened, refused)


def _note(page: Any) -> QLabel:
    note = getattr(page, "_prereg_note", None)
    if note is None:
        note = QLabel(page)
        note.setObjectName("preregNote")
        note.setWordWrap(True)
        set_role(note, "hint")
        page.layout().insertWidget(1, note)
        page._prereg_note = note
    return note


def fill(page: Any, pre: PreRegistration) -> None:
    """On the registration page: the form filled in from the phone, every field checked
    with the app's rules; the consent box is the officer's, as always. A form already
    holding someone being typed is left as it is (nothing typed is lost): the note says to
    save or clear it and scan again."""
    note = _note(page)
    if not page.form.is_empty() and getattr(page, "_prereg", None) is None:
        note.setText(QCoreApplication.translate(
            "SelfRegDesk", "The form holds another person being typed: save it or clear it "
            "(Clear form), then scan the pre-registration QR {code} again.").format(
            code=pre.short_code))
        note.setVisible(True)
        return
    page.form.clear()
    page.form.set_values(pre.values)
    page._prereg = pre
    text = QCoreApplication.translate(
        "SelfRegDesk", "Pre-registration {code}: filled in on the participant's phone. Check every "
        "field against the KTP, fix what differs, then save.").format(code=pre.short_code)
    if pre.notice_version == page.notice.version:
        text += " " + QCoreApplication.translate("SelfRegDesk", "The phone showed the privacy notice version {version}: tick consent "
                         "when the participant confirms it.").format(version=pre.notice_version)
    else:
        text += " " + QCoreApplication.translate("SelfRegDesk", "The phone showed another privacy notice ({phone}): show the notice "
                         "in force ({desk}) before ticking consent.").format(
            phone=pre.notice_version or "?", desk=page.notice.version)
    note.setText(text)
    note.setVisible(True)
    page.revalidate()


def saved(page: Any, result: Any) -> None:
    """After a save: the pre-registration whose person was saved is used (this laptop and
    the hub); a form cleared and typed anew confirms nothing."""
    pre = getattr(page, "_prereg", None)
    if pre is None:
        return
    page._prereg = None
    note = getattr(page, "_prereg_note", None)
    if note is not None:
        note.setVisible(False)
    if result.person.get("nik") != pre.values.get("nik"):
        return
    code = result.registration.get("code", "")

    def work(store):
        mark_confirmed(store, pre.ticket_id, code)
        from bpjs_field.selfreg.link import confirm
        try:
            confirm(store, pre.ticket)
        except KnownError as exc:  # used at another desk meanwhile: the NIK merge keeps one person
            log.info("pre-registration confirmed elsewhere too: %s", exc.code)

    page.executor.run(work)
