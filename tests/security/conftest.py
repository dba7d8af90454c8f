"""Fixtures for the security tests: an encrypted laptop database with a supervisor.

The argon2id cost is lowered for speed (it is stored per account, so the code
path is the real one); `test_keys.py` checks the default cost separately."""

from __future__ import annotations

import pytest

from bpjs_field import PersonInput, RegistrationInput
from bpjs_field.security import session

FAST_KDF = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
SUPERVISOR = ("KC-0421", "rahasia-supervisor")
OFFICER = ("KC-0500", "rahasia-petugas")


def bpu_form(nik="3216091205900001", name="Budi Santoso"):
    return RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik, phone="0812-3456-7890"),
        consent_given=True, consent_version="2026-01", declared_income=1_000_000,
        occupation="ojek", months_paid=3)


@pytest.fixture
def secure_path(tmp_path):
    """An encrypted database with a supervisor and an officer account; closed."""
    path = tmp_path / "laptop.sqlite3"
    store = session.create_protected(path, employee_no=SUPERVISOR[0], full_name="Siti Rahmawati",
                                     branch="Kantor Cabang Cilegon", password=SUPERVISOR[1],
                                     kdf=FAST_KDF)
    session.add_account(store, employee_no=OFFICER[0], full_name="Budi Santoso", branch=None,
                        role="officer", password=OFFICER[1])
    store.close()
    return path
