"""The fast paths a partner list's import takes give the answers of the general rules.

A name in plain ASCII, a free-text field's control-character check and the change log's
payload encoding each have a quick way for the common case; these tests compare the
quick way with the general one over generated inputs, so neither can drift from the
other unseen.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpjs_field.domain import names
from bpjs_field.domain.registration import clean_text
from bpjs_field.errors import ValidationError
from bpjs_field.store.changelog import payload_text


def outcome(fn, *args, **kwargs):
    """What a rule answers: its value, or the field and code it refuses with."""
    try:
        return ("ok", fn(*args, **kwargs))
    except ValidationError as exc:
        return ("refused", exc.field, exc.code)


# Names as partner lists write them, with the characters the rules single out.
NAME_TEXT = st.text(alphabet=st.sampled_from("AaZz '.,-`\t\n\r0123456789_/;"), max_size=120)


@settings(max_examples=600, deadline=None)
@given(NAME_TEXT)
def test_a_plain_ascii_name_is_judged_as_character_by_character(text):
    assert outcome(names.normalize_name, text) == outcome(names._normalize_by_character, text,
                                                          "full_name")


@pytest.mark.parametrize("text, expected", [
    ("  siti   aminah ", ("ok", "siti aminah")),
    ("Muh. Ma'ruf, S.Pd.", ("ok", "Muh. Ma'ruf, S.Pd.")),
    ("   ", ("refused", "full_name", "name.empty")),
    ("-. ,'", ("refused", "full_name", "name.no_letters")),
    ("A" * 101, ("refused", "full_name", "name.too_long")),
    ("Siti 2", ("refused", "full_name", "name.digits")),
])
def test_plain_names_keep_their_answers(text, expected):
    assert outcome(names.normalize_name, text) == expected


def test_the_control_character_check_is_unicodes_cc_but_tab_and_newline():
    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch) == "Cs":
            continue  # a lone surrogate is no text a field can hold
        control = unicodedata.category(ch) == "Cc" and ch not in "\n\t"
        got = outcome(clean_text, f"a{ch}b", "address")
        assert (got == ("refused", "address", "text.control")) == control, hex(code)


@pytest.mark.parametrize("name, key", [("Siti Aminah", "siti aminah"), ("MUH. MA'RUF", "muh ma ruf"),
                                       ("Désirée  Éva", "desiree eva")])
def test_name_keys_with_and_without_accents(name, key):
    assert names.name_key(name) == key


ROW_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**15), max_value=10**15),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
ROW = st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
                      st.one_of(ROW_VALUE, st.lists(ROW_VALUE, max_size=4),
                                st.dictionaries(st.text(max_size=5).filter(
                                    lambda s: all(unicodedata.category(c) != "Cs" for c in s)),
                                    ROW_VALUE, max_size=3)),
                      max_size=12)


@settings(max_examples=400, deadline=None)
@given(ROW)
def test_a_payload_is_the_canonical_json_of_the_row(row):
    canonical = json.dumps(row, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert payload_text(row) == canonical
    assert json.loads(payload_text(row)) == row
