"""The login is fixed when a store is opened for an officer, and the core checks the role
where each supervisor's action is (not only the pages that hide their buttons)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bpjs_field import backup
from bpjs_field.errors import BpjsFieldError, KnownError
from bpjs_field.reporting import funnel
from bpjs_field.security import session
from bpjs_field.store import Store, views
from bpjs_field.store.session import Session

from .conftest import OFFICER, SUPERVISOR, bpu_form


def _denied(store: Store) -> list[dict]:
    return [json.loads(r["details"]) for r in store.query(
        "SELECT details FROM audit_log WHERE action = 'denied' ORDER BY id")]


def test_the_login_cannot_be_changed_on_an_open_store(secure_path):
    with session.unlock(secure_path, *OFFICER) as store:
        officer_id = store.officer_id
        assert store.role == "officer" and officer_id
        assert store.officers.get(officer_id)["employee_no"] == OFFICER[0]
        for name, value in (("role", "supervisor"), ("officer_id", "someone"), ("signer", None),
                            ("session", Session(role="supervisor"))):
            with pytest.raises(AttributeError):
                setattr(store, name, value)
        with pytest.raises(Exception):  # the session itself is frozen
            store.session.role = "supervisor"  # type: ignore[misc]
        # Another officer's row is refused before anything is written.
        supervisor = store.officers.by_employee_no(SUPERVISOR[0])
        before = store.scalar("SELECT count(*) FROM officers")
        for attempt in (lambda: views.set_current_officer(store, supervisor["id"]),
                        lambda: views.setup_officer(store, full_name="Orang Lain",
                                                    employee_no="KC-9999", branch="Cabang Lain"),
                        lambda: store.remember_officer(supervisor["id"])):
            with pytest.raises(KnownError) as refused:
                attempt()
            assert refused.value.code == "security.session_fixed"
        assert store.scalar("SELECT count(*) FROM officers") == before
        assert store.officer_id == officer_id and store.role == "officer"
        # Choosing the officer who is logged in is no change and is allowed.
        assert views.set_current_officer(store, officer_id)["id"] == officer_id
        registration = store.registrations.register(bpu_form())
        assert registration.registration["officer_id"] == officer_id


def test_another_connection_opened_with_the_session_works_as_the_same_officer(secure_path):
    with session.unlock(secure_path, *OFFICER) as store:
        with Store.open(secure_path, key=store.key, session=store.session) as other:
            assert (other.officer_id, other.role) == (store.officer_id, "officer")
            with other.write():
                other.audit("test.entry")
            row = store.query_one("SELECT officer_id FROM audit_log WHERE action = 'test.entry'")
            assert row["officer_id"] == store.officer_id


def test_a_plain_store_remembers_its_officer_and_hands_it_on(tmp_path):
    with Store.open(tmp_path / "plain.sqlite3") as store:
        officer = views.setup_officer(store, full_name="Siti Rahmawati", employee_no="KC-0421",
                                      branch="Kantor Cabang Cilegon")
        assert store.role is None and store.officer_id == officer["id"]
        with Store.open(store.path, session=store.session) as other:
            assert other.officer_id == officer["id"] and other.role is None


def test_settings_are_a_supervisors_in_the_core(secure_path):
    with session.unlock(secure_path, *OFFICER) as store:
        with pytest.raises(BpjsFieldError) as refused:
            views.change_settings(store, {backup.KEEP_SETTING: 3, "idle_lock_minutes": 1})
        assert refused.value.code == "security.forbidden"
        assert store.get_setting(backup.KEEP_SETTING) is None
        assert store.get_setting("idle_lock_minutes") is None
        assert _denied(store)[-1] == {"attempted": "settings", "role": "officer"}
    with session.unlock(secure_path, *SUPERVISOR) as store:
        views.change_settings(store, {backup.KEEP_SETTING: 3, "idle_lock_minutes": 1})
        assert store.get_setting(backup.KEEP_SETTING) == 3
        assert store.get_setting("idle_lock_minutes") == 1


def test_the_report_is_a_supervisors_in_the_core(secure_path):
    with session.unlock(secure_path, *OFFICER) as store:
        with pytest.raises(BpjsFieldError) as refused:
            funnel.build(store, end=date(2026, 11, 30))
        assert refused.value.code == "security.forbidden"
        assert _denied(store)[-1] == {"attempted": "report", "role": "officer"}
    with session.unlock(secure_path, *SUPERVISOR) as store:
        assert funnel.build(store, end=date(2026, 11, 30)).total.registered == 0


def test_a_restore_is_a_supervisors(secure_path):
    with session.unlock(secure_path, *SUPERVISOR) as store:
        made = backup.create_backup(store, "manual")
        store.registrations.register(bpu_form())
        key = store.key
    with session.unlock(secure_path, *OFFICER) as store:
        officer_session = store.session
    with pytest.raises(BpjsFieldError) as refused:
        backup.restore_backup(secure_path, made.path, key, session=officer_session)
    assert refused.value.code == "security.forbidden"
    with Store.open(secure_path, key=key) as store:
        assert store.scalar("SELECT count(*) FROM registrations") == 1  # nothing restored
