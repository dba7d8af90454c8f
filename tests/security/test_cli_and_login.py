"""The command line and the GUI login on an encrypted database: passwords come from the
terminal or stdin (never argv), roles are enforced, the login dialog opens the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from bpjs_field.security import session
from bpjs_field.security.keys import keys_path

from .conftest import OFFICER, SUPERVISOR

ROOT = Path(__file__).resolve().parents[2]


def cli(db: Path, *args: str, stdin: str = "", employee: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BPJS_FIELD_DATA": str(db.parent / "data")}
    env.pop("BPJS_FIELD_EMPLOYEE_NO", None)
    if employee:
        env["BPJS_FIELD_EMPLOYEE_NO"] = employee
    return subprocess.run([sys.executable, "-m", "bpjs_field", "--db", str(db), *args], input=stdin,
                          capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)


def test_cli_init_add_accounts_and_roles(tmp_path):
    db = tmp_path / "laptop.sqlite3"
    done = cli(db, "security", "init", "--employee-no", "kc-0421", "--full-name", "Siti Rahmawati",
               "--branch", "Kantor Cabang Cilegon", "--password-stdin", stdin="senam-pagi-123\nsenam-pagi-123\n")
    assert done.returncode == 0, done.stderr
    assert keys_path(db).exists() and not db.read_bytes().startswith(b"SQLite format 3")
    done = cli(db, "security", "add", "KC-0500", "--full-name", "Budi Santoso", "--password-stdin",
               stdin="senam-pagi-123\npetugas-lapangan-7\npetugas-lapangan-7\n", employee="KC-0421")
    assert done.returncode == 0, done.stderr
    listing = cli(db, "security", "accounts", "--employee-no", "KC-0421", stdin="senam-pagi-123\n")
    assert listing.returncode == 0, listing.stderr
    assert "KC-0500" in listing.stdout and "officer" in listing.stdout
    # an officer may read figures but not manage accounts
    stats = cli(db, "stats", stdin="petugas-lapangan-7\n", employee="KC-0500")
    assert stats.returncode == 0, stats.stderr
    refused = cli(db, "security", "accounts", "--employee-no", "KC-0500", stdin="petugas-lapangan-7\n")
    assert refused.returncode == 2 and "supervisor" in refused.stderr
    wrong = cli(db, "stats", stdin="salah-sandi\n", employee="KC-0500")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "salah-sandi" not in wrong.stderr
    nobody = cli(db, "stats", stdin="")
    assert nobody.returncode == 2 and "masuk" in nobody.stderr


def test_cli_password_change(secure_path):
    done = cli(secure_path, "security", "passwd", "--employee-no", OFFICER[0], "--password-stdin",
               stdin=f"{OFFICER[1]}\nbaru-sekali-1\nbaru-sekali-1\n")
    assert done.returncode == 0, done.stderr
    with session.unlock(secure_path, OFFICER[0], "baru-sekali-1") as store:
        assert store.role == "officer"


def test_login_dialog_refuses_a_wrong_password_then_opens(qtbot, secure_path):
    from ui.security.login import LoginDialog
    dialog = LoginDialog(secure_path, "en")
    qtbot.addWidget(dialog)
    dialog.employee_no.setText(SUPERVISOR[0])
    dialog.password.setText("wrong-password")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: not dialog.checking)  # the password is checked on a worker thread
    assert dialog.store is None
    assert "Wrong employee number or password" in dialog.message.text()
    assert dialog.password.text() == ""
    dialog.password.setText(SUPERVISOR[1])
    with qtbot.waitSignal(dialog.logged_in) as opened:
        dialog.login_button.click()
    store = opened.args[0]
    try:
        assert store.role == "supervisor" and store.encrypted
        assert dialog.result() == QDialog.DialogCode.Accepted
    finally:
        store.close()


def test_first_start_dialog_creates_an_encrypted_database(qtbot, tmp_path):
    from ui.security.login import ProtectedSetupDialog
    path = tmp_path / "fresh.sqlite3"
    dialog = ProtectedSetupDialog(path, ["Kantor Cabang Cilegon"], "en")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Siti Rahmawati")
    dialog.employee_no.setText("KC-0421")
    dialog.password.setText("senam-pagi-123")
    dialog.confirm.setText("senam-pagi-124")
    dialog.start_button.click()
    assert dialog.store is None and not path.exists()
    assert "differ" in dialog.boxes["confirm"].error_text
    dialog.password.setText("senam-pagi-123")
    dialog.confirm.setText("senam-pagi-123")
    dialog.start_button.click()
    assert dialog.store is not None
    dialog.store.close()
    assert session.is_protected(path)
    with session.unlock(path, "KC-0421", "senam-pagi-123") as store:
        assert store.role == "supervisor"
        assert store.officers.get(store.officer_id)["full_name"] == "Siti Rahmawati"


def test_first_start_is_typed_with_the_keyboard_alone(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.security.login import ProtectedSetupDialog
    path = tmp_path / "fresh.sqlite3"
    dialog = ProtectedSetupDialog(path, ["Kantor Cabang Cilegon"], "en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.name.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)
    for text in ("Siti Rahmawati", "KC-0421"):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    assert QApplication.focusWidget() is dialog.language
    qtbot.keyClick(dialog.language, Qt.Key_Tab)
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, "senam-pagi-123")
    qtbot.keyClick(dialog.password, Qt.Key_Return)  # moves on, does not submit half a form
    assert dialog.store is None and QApplication.focusWidget() is dialog.confirm
    qtbot.keyClicks(dialog.confirm, "senam-pagi-123")
    qtbot.keyClick(dialog.confirm, Qt.Key_Return)
    assert dialog.store is not None
    dialog.store.close()
    assert session.is_protected(path)


@pytest.mark.parametrize("hostile", ["' OR 1=1 --", "KC-0421\x00", "A" * 5000, "../../etc/passwd"])
def test_hostile_employee_numbers_are_just_wrong_logins(secure_path, hostile):
    from bpjs_field.errors import BpjsFieldError
    with pytest.raises(BpjsFieldError) as exc:
        session.unlock(secure_path, hostile, SUPERVISOR[1])
    assert exc.value.code in ("security.bad_login", "security.locked_out")


def test_cli_backup_and_restore_of_an_encrypted_database(tmp_path):
    db = tmp_path / "laptop.sqlite3"
    assert cli(db, "security", "init", "--employee-no", "KC-0421", "--full-name", "Siti Rahmawati",
               "--branch", "Kantor Cabang Cilegon", "--password-stdin",
               stdin="senam-pagi-123\nsenam-pagi-123\n").returncode == 0
    made = cli(db, "backup", stdin="senam-pagi-123\n", employee="KC-0421")
    assert made.returncode == 0, made.stderr
    path = made.stdout.strip().split(": ", 1)[1]
    assert not Path(path).read_bytes().startswith(b"SQLite format 3")  # the backup is encrypted too
    wrong = cli(db, "restore", path, stdin="salah-sandi\n", employee="KC-0421")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    restored = cli(db, "restore", path, stdin="senam-pagi-123\n", employee="KC-0421")
    assert restored.returncode == 0, restored.stderr
    assert cli(db, "stats", stdin="senam-pagi-123\n", employee="KC-0421").returncode == 0
