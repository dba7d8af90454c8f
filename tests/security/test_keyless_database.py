"""A database file nothing can open (encrypted, its key file missing) at the real
database's place beside a protected training database, as earlier versions left from a
training window: set aside whole, never deleted, so the next start offers the training
login again; every other file there is left as it is."""

from __future__ import annotations

import pytest

from bpjs_field.demo import training_path
from bpjs_field.errors import KnownError
from bpjs_field.security import session
from bpjs_field.store import Store

from .conftest import FAST_KDF


@pytest.fixture
def laptop(tmp_path):
    """The data folder of a laptop set up for training only: (real path, training store)."""
    real = tmp_path / "bpjs_field.sqlite3"
    training = session.create_protected(training_path(real), employee_no="KC-0777",
                                        full_name="Wulan Pratiwi", branch="Kantor Cabang Cilegon",
                                        password="sandi-baru-12345", kdf=FAST_KDF)
    yield real, training
    training.close()


def test_the_file_a_training_window_made_at_the_real_place_is_set_aside(laptop):
    real, training = laptop
    stray = Store.open(real, key=training.key)  # what the counts line of a training window did
    stray.close()
    with pytest.raises(KnownError):
        Store.open(real)  # "database file damaged": the start stopped here
    held = real.read_bytes()
    aside = session.set_aside_keyless(real, training_path(real))
    assert aside is not None and aside.parent == real.parent
    assert aside.name.startswith("bpjs_field.sqlite3.unreadable-")
    assert not real.exists() and aside.read_bytes() == held  # moved whole, not deleted
    assert not real.with_name(real.name + "-wal").exists()
    assert session.set_aside_keyless(real, training_path(real)) is None  # nothing left to move


def test_a_real_database_plain_or_protected_is_never_set_aside(laptop, tmp_path):
    real, _training = laptop
    plain = Store.open(real)  # made before encryption, or by `bpjs-field demo`
    plain.close()
    assert session.set_aside_keyless(real, training_path(real)) is None and real.exists()
    protected = tmp_path / "kerja" / "bpjs_field.sqlite3"
    protected.parent.mkdir()
    store = session.create_protected(protected, employee_no="KC-0900", full_name="Rudi Hartono",
                                     branch="Kantor Cabang Cilegon", password="sandi-kerja-12345",
                                     kdf=FAST_KDF)
    store.close()
    assert session.set_aside_keyless(protected, training_path(real)) is None
    assert protected.exists()


def test_without_a_protected_database_beside_nothing_is_moved(tmp_path):
    lone = tmp_path / "bpjs_field.sqlite3"
    stray = Store.open(lone, key=b"k" * 32)
    stray.close()
    assert session.set_aside_keyless(lone, training_path(lone)) is None and lone.exists()
