"""A full scripted session, then the log files are searched for personal data (UU PDP):
no NIK, phone number, name or income may appear, whatever happened on the way."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from PySide6.QtCore import Qt

from bpjs_field import log as bpjs_log
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from gui_helpers import focused, type_and_enter, type_text
from ui.app import plug_in_extra_pages

NIK = "3216094512880001"
NAME = "Siti Aminah"
PHONE_TYPED, PHONE_DIGITS = "0812-3456-7890", "81234567890"
INCOME = "1500000"


def test_session_leaves_no_personal_data_in_the_log(qtbot, store, officer, active_event, make_window,
                                                    tmp_path):
    folder = tmp_path / "data" / "logs"
    folder.mkdir(parents=True)
    path = bpjs_log.setup_logging(level=logging.DEBUG, folder=folder)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        window = make_window(threaded=True)
        plug_in_extra_pages(window, window.ctx, window.executor)
        # registration typed at the keyboard, with a wrong phone first
        window.show_page("registration")
        form = window.registration.form
        form.widgets["nik"].setFocus()
        type_and_enter(qtbot, NIK, expect="nik")
        type_and_enter(qtbot, NAME, expect="full_name")
        form.widgets["phone"].setFocus()
        type_text(qtbot, form.widgets["phone"], "0812-34")
        qtbot.wait(50)
        form.widgets["phone"].clear()
        type_text(qtbot, form.widgets["phone"], PHONE_TYPED)
        form.widgets["occupation"].setCurrentIndex(form.widgets["occupation"].findData("pedagang"))
        form.widgets["declared_income"].setCurrentIndex(
            form.widgets["declared_income"].findData(int(INCOME)))
        form.consent.setChecked(True)
        qtbot.waitUntil(window.registration.save_button.isEnabled, timeout=3000)
        window.registration.save_button.click()
        qtbot.waitUntil(lambda: store.people.by_nik(NIK) is not None, timeout=5000)
        # a duplicate attempt, a search, a full-NIK view, a check-in, a reprint, a failed sync
        second = store.registrations.register(RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Bambang Wibowo", nik="3216091203850002",
                                              phone="0857-1111-2222"),
            consent_given=True, consent_version="2026-01", declared_income=2_000_000))
        window.show_page("people")
        type_text(qtbot, window.people.search, NAME.split()[0])
        qtbot.waitUntil(lambda: window.people.table.model() is window.people.results, timeout=3000)
        window.people.table.selectRow(0)
        qtbot.waitUntil(lambda: window.people.detail.person is not None, timeout=3000)
        window.people.detail.reveal_button.click()
        window.show_page("checkin")
        code = store.registrations.for_person(store.people.by_nik(NIK)["id"])[0]["code"]
        type_text(qtbot, focused(), code)
        qtbot.keyClick(focused(), Qt.Key_Return)
        type_text(qtbot, focused(), "ZZZZ-0000-0")
        qtbot.keyClick(focused(), Qt.Key_Return)
        window.people.detail._reprint()
        qtbot.waitUntil(lambda: window.page("print") is not None and window.page("print").job is not None,
                        timeout=10000)
        store.set_setting("sync.server_url", "http://127.0.0.1:9")
        store.set_setting("sync.device_token", "x" * 40)
        from ui.sync import SyncController
        controller = SyncController.for_executor(window.executor)
        with qtbot.waitSignal(controller.sync_failed, timeout=10000):
            controller.sync_now()
        controller.shutdown()
        # a broken CSV import and a full search from the command line, logging to the same folder
        csv_path = tmp_path / "mitra.csv"
        csv_path.write_text(f"nama,segmen,persetujuan,nik,telepon,penghasilan\n"
                            f"{NAME}9,bpu,ya,{NIK[:-1]},{PHONE_TYPED}x,{INCOME}\n", encoding="utf-8")
        env = dict(os.environ, BPJS_FIELD_DB=str(store.path), BPJS_FIELD_DATA=str(tmp_path / "data"))
        for args in (["import", str(csv_path)], ["search", NIK, "--full"], ["search", NAME]):
            subprocess.run([sys.executable, "-m", "bpjs_field", *args], capture_output=True, env=env,
                           cwd=tmp_path, timeout=60)
        assert second.person_created
    finally:
        for handler in root.handlers:
            handler.flush()
        root.setLevel(old_level)
    text = "".join(p.read_text("utf-8") for p in folder.glob("*.log*"))
    assert "sync" in text.lower() or "print" in text.lower()  # the session did log things
    for secret in (NIK, NIK[:12], "3216091203850002", NAME, "Siti", "Aminah", "Bambang", PHONE_DIGITS,
                   "8571111222", PHONE_TYPED, "1.500.000", INCOME, "2000000"):
        assert secret not in text, f"{secret!r} found in {path}"
