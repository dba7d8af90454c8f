"""Phones in search, normalised as at registration: `+62 812 …`, `(0812) …`, `0812.…` find the
person; and the quick path of `normalize_phone` answers exactly as the full
libphonenumber parse does (a property checked with hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpjs_field.domain.phone as phone
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.errors import ValidationError


@pytest.fixture
def people(store):
    def add(name, nik, number):
        return store.registrations.register(RegistrationInput(
            segment="bpu", person=PersonInput(full_name=name, nik=nik, phone=number),
            consent_given=True, consent_version="v", declared_income=1_000_000,
            occupation="ojek")).person["id"]
    siti = add("Siti Aminah", "3216094508900003", "0812-3456-7890")
    budi = add("Budi Santoso", "3216091205900001", "+62 857 1111 2222")
    return store, siti, budi


@pytest.mark.parametrize("typed", ["+62 812 3456 7890", "+62 812-3456-7890", "+62812 3456 7890",
                                   "+6281234567890", "6281234567890", "0812 3456 7890",
                                   "0812-3456-7890", "(0812) 3456-7890", "0812.3456.7890",
                                   "+62 812 34", "+62 (812) 3456", "0812 345", "+62 0812 3456 7890"])
def test_a_phone_written_any_usual_way_finds_the_person(people, typed):
    store, siti, _budi = people
    assert [h["id"] for h in store.search_index.search(typed)] == [siti]


@pytest.mark.parametrize("typed", ["+62 857 1111", "0857-1111-2222", "+62 857-1111-2222"])
def test_a_number_registered_in_the_international_form_is_found_too(people, typed):
    store, _siti, budi = people
    assert [h["id"] for h in store.search_index.search(typed)] == [budi]


@pytest.mark.parametrize("typed", ["+1 555 0100", "(", "+62 999 0000 0000", "0800",
                                   "3216094508900003", "Siti", "+", "()()", "0" * 30])
def test_other_text_is_not_a_phone_search_and_never_breaks(people, typed):
    store, siti, _budi = people
    hits = store.search_index.search(typed)
    if typed in ("3216094508900003", "Siti"):
        assert [h["id"] for h in hits] == [siti]  # NIK and name searches are as before
    else:
        assert siti not in [h["id"] for h in hits]


def _full_path(text: str) -> str:
    saved = phone._mobile_without_parsing
    phone._mobile_without_parsing = lambda raw, digits: None
    try:
        return phone.normalize_phone(text)
    except ValidationError as exc:
        return exc.code
    finally:
        phone._mobile_without_parsing = saved


def _answer(text: str) -> str:
    try:
        return phone.normalize_phone(text)
    except ValidationError as exc:
        return exc.code


numbers = st.builds(
    lambda form, lead, body, sep: form.format(sep.join([lead + body[:3], body[3:]])),
    st.sampled_from(["0{}", "+62{}", "62{}", "+62 {}", "(0{})", "0 {}", "+620{}", "{}", "+{}", "00{}"]),
    st.sampled_from(["8", "81", "85", "87", "89", "80", "84", "2", "21", "6", "9"]),
    st.text(alphabet="0123456789", min_size=3, max_size=13),
    st.sampled_from(["", " ", "-", "."]))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(numbers)
def test_the_quick_path_answers_as_libphonenumber_does(text):
    assert _answer(text) == _full_path(text)
