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


def test_the_training_branch_has_done_its_follow_up_up_to_today(store, officer):
    """A trainee sees a funnel on the follow-up list and the report: registrations of past
    events submitted, with a KPJ, paid, stopped; every step by the follow-up's rules, none
    after today (WIB), and the report's totals the same as a recount."""
    from bpjs_field.domain.followup import stage
    from bpjs_field.domain.formatting import today_wib
    from bpjs_field.demo import fill_followup
    from bpjs_field.store.reports import recount

    store.remember_officer(officer["id"])
    fill_demo(store, 600, seed=5)
    counts = fill_followup(store, seed=5)
    assert set(counts) == {"dikirim", "kpj", "dibayar", "berhenti"}
    rows = store.query("SELECT * FROM registrations")
    by_status = {s: sum(r["status"] == s for r in rows) for s in counts}
    assert by_status == counts
    today = today_wib().isoformat()
    for r in rows:
        steps = [r["created_at"][:10], r["submitted_at"], r["kpj_at"], r["first_paid_at"]]
        dated = [d for d in steps if d]
        assert dated == sorted(dated) and dated[-1] <= today, r
        if r["status"] == "dibayar":
            assert stage(r) == 3 and len(r["kpj_no"]) == 11 and r["first_paid_months"] >= 1
        if r["status"] == "berhenti":
            assert r["stopped_reason"] and stage(r) in (1, 2)
        if r["status"] != "baru":
            assert r["status_by"] and r["status_at"][:10] <= today
    kpj = [r["kpj_no"] for r in rows if r["kpj_no"]]
    assert len(kpj) == len(set(kpj))
    (total,) = store.query("SELECT sum(kpj) kpj, sum(paid) paid FROM report_registrations")
    assert total["kpj"] == sum(stage(r) >= 2 for r in rows)
    assert total["paid"] == counts["dibayar"]
    counted, kept = recount(store)
    assert counted == kept
    # The report's update trigger is back: a later follow-up keeps the totals true.
    (later,) = [r for r in rows if r["status"] == "baru"][:1]
    with store.write():
        store.db.execute("UPDATE registrations SET status = 'kpj', kpj_no = '12345678901', "
                         "kpj_at = ? WHERE id = ?", (today, later["id"]))
    counted, kept = recount(store)
    assert counted == kept
