"""The funnel (attended -> registered -> KPJ -> paid) on a demo branch with known statuses,
by segment, event, estate and officer, against the shipped targets."""

from __future__ import annotations

from datetime import date

import pytest

from bpjs_field.errors import ValidationError
from bpjs_field.reporting import funnel, targets
from branch import estate_event, fill_branch

NOV = dict(start=date(2026, 11, 1), end=date(2026, 11, 30))


@pytest.fixture
def branch(store, event):
    second = estate_event(store)
    regs = fill_branch(store, event["id"], second["id"])
    return regs, second


def test_funnel_by_segment_against_targets(store, branch):
    regs, _second = branch
    report = funnel.build(store, by="segment", **NOV)
    rows = {r.key: r for r in report.rows}
    bpu, pu = rows["bpu"], rows["pu"]
    assert (bpu.registered, bpu.kpj, bpu.paid, bpu.stopped) == (6, 3, 2, 1)
    assert (pu.registered, pu.kpj, pu.paid, pu.stopped) == (2, 1, 0, 0)
    assert (bpu.target, pu.target, rows["asn"].target) == (17000, 115894, 16000)
    assert rows["asn"].registered == 0
    total = report.total
    assert (total.attended, total.registered, total.kpj, total.paid) == (8, 8, 4, 2)
    assert total.target == 115894 + 17000 + 16000
    paid = [regs[4], regs[5]]
    assert total.monthly == sum(r["monthly_total"] for r in paid)
    assert total.first_payments == regs[4]["monthly_total"] * 1 + regs[5]["monthly_total"] * 6
    assert report.per_day == [("2026-11-01", 4), ("2026-11-20", 4)]
    assert report.targets["source"].startswith("Rencana kerja tahunan Kantor Cabang Bekasi Cikarang")


def test_period_event_estate_and_officer(store, branch, officer, event):
    _regs, second = branch
    early = funnel.build(store, by="event", start=date(2026, 11, 1), end=date(2026, 11, 10))
    assert [(r.label, r.attended, r.registered, r.kpj, r.paid) for r in early.rows] == [
        (event["title"], 4, 4, 2, 1)]
    by_event = {r.key: r for r in funnel.build(store, by="event", **NOV).rows}
    assert (by_event[second["id"]].registered, by_event[second["id"]].paid) == (4, 1)
    estates = {r.label: r for r in funnel.build(store, by="estate", **NOV).rows}
    assert estates["Jababeka"].registered == 4 and estates["-"].registered == 4
    partners = {r.label: r.registered for r in funnel.build(store, by="partner", **NOV).rows}
    assert partners == {"Karang Taruna Karangasih": 4, "Serikat Pekerja Jababeka": 4}
    officers = funnel.build(store, by="officer", **NOV).rows
    assert [(r.label, r.registered, r.attended) for r in officers] == [(officer["full_name"], 8, 8)]
    kec = funnel.build(store, by="kecamatan", **NOV).rows
    assert [(r.label, r.registered) for r in kec] == [("Cikarang Utara", 8)]
    assert funnel.build(store, by="segment", start=date(2026, 12, 1),
                        end=date(2026, 12, 31)).total.registered == 0


def test_wib_days_and_bad_input(store, event):
    from branch import register
    reg = register(store, event["id"], 30, day="2026-11-30")
    with store.write():  # 30 November 18:00 UTC is 1 December 01:00 WIB
        store.db.execute("UPDATE registrations SET created_at = '2026-11-30T18:00:00.000+00:00' "
                         "WHERE id = ?", (reg["id"],))
    assert funnel.build(store, **NOV).total.registered == 0
    assert funnel.build(store, start=date(2026, 12, 1), end=date(2026, 12, 1)).total.registered == 1
    with pytest.raises(ValidationError):
        funnel.build(store, start=date(2026, 12, 2), end=date(2026, 12, 1))
    with pytest.raises(ValidationError):
        funnel.build(store, by="planet", **NOV)


def test_targets_file_is_checked(tmp_path):
    from bpjs_field.errors import BpjsFieldError
    assert targets.for_branch("KC Cilegon", 2026)["contribution_rupiah"] == 154_000_000_000
    assert targets.for_branch("Kantor Cabang Bekasi Cikarang", 2025) == {}
    bad = tmp_path / "t.json"
    bad.write_text('{"branches": [{"match": "x", "year": 2026, "participants": {"pu": -1}}]}')
    with pytest.raises(BpjsFieldError) as err:
        targets.load(bad)
    assert err.value.code == "targets.invalid" and "participants.pu" in err.value.message()


def test_running_totals_match_a_recount_after_every_kind_of_write(store, branch, tmp_path):
    """Registrations, follow-up, an erasure, an attendance undone, an import of KPJ numbers:
    the totals the triggers keep equal the rows counted again."""
    from bpjs_field.store.erasure import erase_person
    regs, second = branch
    counted, kept = funnel.recount(store)
    assert counted == kept and sum(r[4] for r in kept[0]) == 8
    erase_person(store, regs[5]["person_id"])
    att = store.query_one("SELECT id FROM attendance WHERE registration_id = ?", (regs[1]["id"],))
    with store.write():
        store.db.execute("DELETE FROM attendance WHERE id = ?", (att["id"],))
        store.db.execute("UPDATE registrations SET event_id = ?, officer_id = NULL WHERE id = ?",
                         (second["id"], regs[2]["id"]))
    counted, kept = funnel.recount(store)
    assert counted == kept
    report = funnel.build(store, **NOV)
    assert (report.total.attended, report.total.paid) == (7, 2)  # the erased still count
