"""The branch's annual targets set in Pengaturan: a supervisor's, validated whole, dated,
audited, replacing that year's earlier figures, used by the report before the shipped file."""

from __future__ import annotations

from datetime import date

import pytest

from bpjs_field.errors import BpjsFieldError, ValidationErrors
from bpjs_field.reporting import funnel, targets
from branch import fill_branch
from logins import opened_as

NOV = dict(start=date(2026, 11, 1), end=date(2026, 11, 30))


def _as(request, store, role):
    """The test's database opened for a login with `role` (the login is fixed at open)."""
    opened = opened_as(store, role)
    request.addfinalizer(opened.close)
    return opened


def test_a_supervisor_sets_targets_the_report_uses_them(request, store, officer, event):
    fill_branch(store, event["id"])
    store = _as(request, store, "supervisor")
    branch = funnel.branch_of(store)
    entry = targets.set_targets(
        store, branch=branch, year=2026, participants={"pu": 1000, "bpu": 200, "asn": 0},
        contribution_rupiah=5_000_000, kecamatan={"321609": 50}, estate={"Jababeka": 30},
        today=date(2026, 12, 5))
    assert entry["set_by"] == store.officer_id and entry["set_at"].startswith("2026-")
    assert entry["participants"] == {"pu": 1000, "bpu": 200}  # zero: no target
    report = funnel.build(store, by="segment", **NOV)
    rows = {r.key: r for r in report.rows}
    assert (rows["pu"].target, rows["bpu"].target) == (1000, 200)
    assert "asn" not in rows  # nothing registered and no target
    assert report.contribution_target == 5_000_000
    assert report.targets["source"].startswith("Ditetapkan di Pengaturan oleh ")
    kec = {r.key: r for r in funnel.build(store, by="kecamatan", **NOV).rows}
    assert kec["321609"].target == 50
    estates = {r.key: r for r in funnel.build(store, by="estate", **NOV).rows}
    assert estates["Jababeka"].target == 30 and estates["Jababeka"].registered == 0
    audit = store.query("SELECT officer_id, details FROM audit_log WHERE action = 'targets.set'")
    assert len(audit) == 1 and audit[0]["officer_id"] == store.officer_id
    assert '"year":2026' in audit[0]["details"]
    # Set again for the same year: replaced, not added; another year stays apart.
    targets.set_targets(store, branch=branch, year=2026, participants={"pu": 900})
    targets.set_targets(store, branch=branch, year=2027, participants={"bpu": 7})
    kept = targets.stored(store)
    assert sorted((e["year"], e["participants"].get("pu")) for e in kept) == [(2026, 900),
                                                                             (2027, None)]
    assert funnel.build(store, by="segment", **NOV).contribution_target is None


def test_an_officer_cannot_set_targets_and_the_refusal_is_audited(request, store, officer):
    store = _as(request, store, "officer")
    with pytest.raises(BpjsFieldError) as err:
        targets.set_targets(store, branch="KC Bekasi Cikarang", year=2026,
                            participants={"pu": 1})
    assert err.value.code == "security.forbidden"
    assert targets.stored(store) == []
    assert store.scalar("SELECT count(*) FROM audit_log WHERE details LIKE '%targets.set%'") >= 1


def test_bad_figures_are_refused_whole_with_their_fields(request, store, officer):
    store = _as(request, store, "supervisor")
    with pytest.raises(ValidationErrors) as err:
        targets.set_targets(store, branch="KC Bekasi Cikarang", year=1990,
                            participants={"pu": -5, "xyz": 3}, contribution_rupiah="banyak",
                            kecamatan={"32.16": 4})
    fields = {(e.field, e.code) for e in err.value.errors}
    assert fields == {("year", "targets.year"), ("participants.pu", "targets.range"),
                      ("participants.xyz", "targets.key"),
                      ("contribution_rupiah", "number.invalid"),
                      ("kecamatan.32.16", "targets.key")}
    assert targets.stored(store) == []
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'targets.set'") == 0


def test_without_settings_the_shipped_file_is_used(store, officer):
    found = targets.for_branch("Kantor Cabang Bekasi Cikarang", 2026, store=store)
    assert found["participants"]["pu"] == 115894
