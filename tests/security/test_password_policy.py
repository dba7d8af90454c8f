"""The password policy: long, not a common or Indonesian password, not a few repeated
characters; the same on the laptop (key file accounts) and the branch server."""

from __future__ import annotations

import pytest

from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import session
from bpjs_field.security.passwords import common_passwords, password_problem
from bpjs_field.server import accounts as server_accounts
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.schema import migrate

from .conftest import FAST_KDF


@pytest.mark.parametrize("password, code", [
    ("pendek-sekali", None), ("senam-pagi-karangasih", None), ("kata-sandi-baru", None),
    ("pendek", "security.password_short"), ("rahasia-123", "security.password_short"),
    ("Rahasia-12345", "security.password_common"), ("bismillah2026", "security.password_common"),
    ("P@ssw0rd2026!", "security.password_common"), ("k4t4s4nd1!!!!", "security.password_common"),
    ("SayangKu-12345", "security.password_common"), ("123456789012", "security.password_simple"),
    ("aaaaaaaaaaaaaaaa", "security.password_simple"), ("persija1928!!", "security.password_common"),
])
def test_policy(password, code):
    problem = password_problem(password)
    assert (problem[0] if problem else None) == code


def test_the_list_is_shipped_and_holds_indonesian_passwords():
    listed = common_passwords()
    assert {"rahasia", "katasandi", "bismillah", "sayang", "password", "123456"} <= listed
    assert len(listed) > 200


def test_laptop_and_server_refuse_a_common_password(tmp_path):
    with pytest.raises(BpjsFieldError) as laptop:
        session.create_protected(tmp_path / "laptop.sqlite3", employee_no="KC-0421",
                                 full_name="Siti", branch="KC", password="Indonesia-1945",
                                 kdf=FAST_KDF)
    assert laptop.value.code == "security.password_common"
    assert "mudah ditebak" in laptop.value.message("id")
    db = ServerDatabase(f"sqlite:///{tmp_path / 'branch.sqlite3'}")
    try:
        migrate(db)
        with pytest.raises(BpjsFieldError) as server:
            server_accounts.add_officer(db, employee_no="KC-0421", full_name="Siti", branch="KC",
                                        role="officer", password="bpjs-ketenagakerjaan")
        assert server.value.code == "security.password_common"
        with db.read() as tx:
            assert tx.scalar("SELECT count(*) FROM accounts") == 0
    finally:
        db.close()
