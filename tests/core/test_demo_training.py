"""Sample data for training: never the officer at work, never a check-in from the future,
always marked as training."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from bpjs_field.demo import fill_demo, is_training, training_path


def test_sample_data_keep_the_officer_at_work_and_mark_the_database(store, officer):
    store.remember_officer(officer["id"])
    assert not is_training(store)
    fill_demo(store, 400, seed=11)
    assert store.officer_id == officer["id"]  # the demo officers are other rows
    assert is_training(store)
    now = datetime.now(timezone.utc)
    for row in store.query("SELECT checked_in_at FROM attendance"):
        assert datetime.fromisoformat(row["checked_in_at"]) <= now


def test_the_training_database_sits_beside_the_real_one():
    assert training_path(Path("/data/bpjs_field.sqlite3")) == Path("/data/bpjs_field-latihan.sqlite3")
