"""The privacy notice lists the data collected since the event form grew (mother's maiden
name, No. KK, heirs, email for the digital card), in Bahasa and English, under a new
version; the wording of the earlier version stays, for the consents already recorded."""

from __future__ import annotations

import json

import pytest

from bpjs_field.domain import consent, reference
from bpjs_field.paths import resource_path


@pytest.fixture(autouse=True)
def _bundled_notice():
    consent.install_notice(None)
    yield
    consent.install_notice(None)


def test_new_version_lists_the_new_data_in_both_languages():
    notice = consent.privacy_notice()
    assert notice.version == "2026-12"
    for word in ("nama ibu kandung", "Kartu Keluarga (KK)", "ahli waris", "email", "KPJ"):
        assert word in notice.text("id")
    for word in ("mother's maiden name", "family card number (No. KK)", "heir", "email", "KPJ"):
        assert word in notice.text("en")


def test_earlier_versions_keep_their_words():
    old = consent.notice_for("2026-01")
    assert old is not None and old.version == "2026-01"
    assert "ibu kandung" not in old.text("id") and "heir" not in old.text("en")
    assert old.text("id").startswith("PEMBERITAHUAN PRIVASI")
    assert consent.notice_for("2026-12") == consent.privacy_notice()
    assert consent.notice_for("1999-01") is None


def test_a_branch_notice_keeps_the_earlier_ones_too():
    data = json.loads(resource_path("reference", "privacy_notice.json").read_text("utf-8"))
    branch = {"version": "2027-03", "id": "Teks baru", "en": "New text",
              "previous": [{k: data[k] for k in ("version", "id", "en")}, *data["previous"]]}
    reference.install({"privacy_notice.json": branch})
    try:
        assert consent.privacy_notice().version == "2027-03"
        assert consent.notice_for("2026-12").text("en") == data["en"]
        assert consent.notice_for("2026-01") is not None
        broken = {**branch, "previous": [{"version": "2026-01"}]}
        with pytest.raises(ValueError):
            reference.install({"privacy_notice.json": broken})
    finally:
        reference.install(None)
    # Without a branch notice a version only the bundled file knows still resolves.
    assert consent.notice_for("2026-01").version == "2026-01"


def test_registration_records_the_version_in_force(store):
    from bpjs_field.domain.registration import RegistrationInput
    from harness import person_input
    done = store.registrations.register(RegistrationInput(
        person=person_input(5), segment="bpu", declared_income=1_000_000, consent_given=True,
        consent_version=consent.privacy_notice().version))
    assert store.people.get(done.person["id"])["consent_version"] == "2026-12"
