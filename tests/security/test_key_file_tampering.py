"""A damaged or altered key file (`<db>.keys.json`) is one clear error that says to restore
it from a backup: never a traceback, and never an argon2 run with whatever cost the file
names (a login would otherwise allocate gigabytes or spin for hours)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bpjs_field.errors import KnownError
from bpjs_field.security import session
from bpjs_field.security.keys import KeyFile, keys_path

from .conftest import OFFICER, SUPERVISOR


def edit(field_path, value):
    """A change to one field of the officer's account entry (or the file's top level)."""
    def apply(data):
        target = data
        for key in field_path[:-1]:
            target = target[key]
        if value is DELETE:
            del target[field_path[-1]]
        else:
            target[field_path[-1]] = value
        return data
    return apply


DELETE = object()
ACCOUNT = ("accounts", OFFICER[0])
VARIANTS = {
    # argon2 settings: unbounded, wrong type, missing
    "memory 1 TiB": edit((*ACCOUNT, "argon2", "memory_cost"), 2**30),
    "memory tiny": edit((*ACCOUNT, "argon2", "memory_cost"), 1),
    "time 10^9 passes": edit((*ACCOUNT, "argon2", "time_cost"), 10**9),
    "time zero": edit((*ACCOUNT, "argon2", "time_cost"), 0),
    "parallelism 2^24": edit((*ACCOUNT, "argon2", "parallelism"), 2**24),
    "parallelism negative": edit((*ACCOUNT, "argon2", "parallelism"), -1),
    "cost as text": edit((*ACCOUNT, "argon2", "time_cost"), "3"),
    "cost as float": edit((*ACCOUNT, "argon2", "memory_cost"), 65536.5),
    "cost as bool": edit((*ACCOUNT, "argon2", "parallelism"), True),
    "argon2 missing": edit((*ACCOUNT, "argon2"), DELETE),
    "argon2 a list": edit((*ACCOUNT, "argon2"), [3, 65536, 1]),
    "default cost huge": edit(("default_kdf",), {"time_cost": 3, "memory_cost": 2**31, "parallelism": 1}),
    # sizes and encodings
    "salt not base64": edit((*ACCOUNT, "salt"), "!!!"),
    "salt too short": edit((*ACCOUNT, "salt"), "AAAA"),
    "salt huge": edit((*ACCOUNT, "salt"), "A" * 4_000_000),
    "nonce missing": edit((*ACCOUNT, "nonce"), DELETE),
    "wrapped key cut": edit((*ACCOUNT, "wrapped_key"), "AAAAAAAA"),
    "wrapped key a number": edit((*ACCOUNT, "wrapped_key"), 12),
    # structure
    "role unknown": edit((*ACCOUNT, "role"), "admin"),
    "scheme unknown": edit((*ACCOUNT, "scheme"), "rot13"),
    "account a string": edit(ACCOUNT, "x"),
    "accounts a list": edit(("accounts",), []),
    "no accounts": edit(("accounts",), DELETE),
    "version 99": edit(("version",), 99),
    "failures a list": edit(("failures",), []),
    "failure count text": edit(("failures",), {OFFICER[0]: {"count": "5"}}),
    "failure without count": edit(("failures",), {OFFICER[0]: {"last": 1.0}}),
    "locked until text": edit(("failures",), {OFFICER[0]: {"count": 6, "locked_until": "soon"}}),
    "pending audit a dict": edit(("pending_audit",), {"a": 1}),
}
RAW_VARIANTS = {
    "empty": b"",
    "cut in half": None,  # filled from the real file
    "not json": b"\x00\xff\xfe garbage",
    "a list": b"[]",
    "null": b"null",
    "deeply nested": b"[" * 200_000 + b"]" * 200_000,
    "five megabytes": b'{"accounts": {}, "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}',
    "latin-1": '{"accounts": {"Jos\xe9": 1}}'.encode("latin-1"),
}


def tamper(secure_path, variant):
    path = keys_path(secure_path)
    raw = path.read_bytes()
    if variant in RAW_VARIANTS:
        path.write_bytes(RAW_VARIANTS[variant] if RAW_VARIANTS[variant] is not None
                         else raw[: len(raw) // 2])
    else:
        path.write_text(json.dumps(VARIANTS[variant](json.loads(raw))))


@pytest.mark.parametrize("variant", [*VARIANTS, *RAW_VARIANTS])
def test_a_tampered_key_file_is_one_clear_error(secure_path, variant):
    tamper(secure_path, variant)
    for who in (OFFICER, SUPERVISOR, ("KC-9999", "tidak-ada-akun")):
        with pytest.raises(KnownError) as err:
            session.unlock(secure_path, *who)
        assert err.value.code == "security.keys_damaged"
        assert "pulihkan dari cadangan" in err.value.message()
    with pytest.raises(KnownError):
        KeyFile.load(secure_path)


def test_the_untouched_key_file_still_opens(secure_path):
    data = json.loads(keys_path(secure_path).read_text())
    data["added_by_a_later_version"] = {"anything": [1, 2]}  # unknown fields are left alone
    data["accounts"][OFFICER[0]]["note"] = "x"
    keys_path(secure_path).write_text(json.dumps(data))
    with session.unlock(secure_path, *OFFICER) as store:
        assert store.role == "officer"


@pytest.mark.parametrize("variant", ["memory 1 TiB", "deeply nested", "cut in half"])
def test_the_command_line_says_it_in_one_line(secure_path, variant):
    tamper(secure_path, variant)
    env = dict(os.environ, BPJS_FIELD_DB=str(secure_path), BPJS_FIELD_EMPLOYEE_NO=OFFICER[0])
    result = subprocess.run([sys.executable, "-m", "bpjs_field", "stats"],
                            input=OFFICER[1] + "\n", capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "pulihkan dari cadangan" in result.stderr


@pytest.mark.parametrize("variant", ["memory 1 TiB", "salt not base64", "deeply nested"])
def test_the_login_window_says_it_instead_of_crashing(qtbot, secure_path, variant):
    from ui.security.login import LoginDialog
    tamper(secure_path, variant)
    dialog = LoginDialog(secure_path, "en")
    qtbot.addWidget(dialog)
    dialog.employee_no.setText(OFFICER[0])
    dialog.password.setText(OFFICER[1])
    dialog.login_button.click()
    qtbot.waitUntil(lambda: not dialog.checking)
    assert dialog.store is None
    assert "restore it from a backup" in dialog.message.text()
