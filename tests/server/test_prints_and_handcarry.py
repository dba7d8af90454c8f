"""Prints reach the server and other laptops; changes carried by hand on a USB stick arrive
exactly once, whether imported on another laptop, into the server, twice, or before a sync."""

from __future__ import annotations

import pytest

from bpjs_field.errors import KnownError
from bpjs_field.handcarry import export_changes, import_changes, import_into_server, read_file
from bpjs_field.printing.log import receipt_print_count, record_print
from bpjs_field.sync.digest import laptop_digest
from harness import EVENT_ID

PASSPHRASE = "pasar-malam-2026"


def test_prints_sync_and_count_as_copies_everywhere(shared_server, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    reg = a.register(8101).registration
    record_print(a.store, "receipt", subject_id=reg["id"], version="a5")
    result = a.sync()
    assert result.quarantined == 0 and a.store.pending_changes() == 0
    b.sync()
    assert receipt_print_count(b.store, reg["id"]) == 1  # a reprint on laptop B is a copy


def test_handcarried_file_round_trip(shared_server, shared_database_url, laptops, tmp_path):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    b.event()
    b.sync()  # B knows the event; A stays offline from now on
    a.event()
    a.register_many(range(8200, 8230), check_in=True)
    usb = tmp_path / "acara.bpjsf"
    assert export_changes(a.store, usb, PASSPHRASE) == a.store.pending_changes()

    first = import_changes(b.store, usb, PASSPHRASE)
    assert first.received > 0 and first.queued == first.received
    again = import_changes(b.store, usb, PASSPHRASE)
    assert again.queued == 0  # importing twice duplicates nothing
    # B can check in anyone A registered, offline
    code = a.store.query_one("SELECT code FROM registrations ORDER BY created_at LIMIT 1")["code"]
    assert b.store.attendance.check_in_code(EVENT_ID, code).status == "already"
    assert b.store.search_index.search(code)

    counts = import_into_server(shared_database_url, usb, PASSPHRASE)
    assert counts["applied"] > 0
    assert import_into_server(shared_database_url, usb, PASSPHRASE)["applied"] == 0
    b.sync()  # forwards the carried changes: all duplicates by now
    a.sync()  # the original laptop comes back online: duplicates too
    assert a.store.pending_changes() == 0 and b.store.pending_changes() == 0
    b.sync()
    assert laptop_digest(a.store) == laptop_digest(b.store)
    people = a.store.scalar("SELECT count(*) FROM people")
    assert people == b.store.scalar("SELECT count(*) FROM people") >= 30


def test_tampered_truncated_and_wrong_passphrase_import_nothing(laptops, tmp_path):
    a, b = laptops(2)
    a.event()
    a.register_many(range(8300, 8305))
    usb = tmp_path / "acara.bpjsf"
    export_changes(a.store, usb, PASSPHRASE)
    raw = usb.read_bytes()
    before = b.store.scalar("SELECT count(*) FROM change_log")
    cases = {
        "wrong": (raw, "salah-sandi-123", "handcarry.wrong_passphrase"),
        "tampered": (raw[:-40] + bytes([raw[-40] ^ 1]) + raw[-39:], PASSPHRASE, "handcarry.damaged"),
        "truncated": (raw[: len(raw) * 2 // 3], PASSPHRASE, "handcarry.damaged"),
        "header": (raw.replace(b'"count":', b'"count":9', 1), PASSPHRASE, "handcarry.damaged"),
        "foreign": (b"nama,nik\n", PASSPHRASE, "handcarry.not_export"),
    }
    for name, (data, passphrase, code) in cases.items():
        path = tmp_path / f"{name}.bpjsf"
        path.write_bytes(data)
        with pytest.raises(KnownError) as err:
            import_changes(b.store, path, passphrase)
        assert err.value.code == code, name
        assert "diimpor" in err.value.message() or "bukan" in err.value.message()
    assert b.store.scalar("SELECT count(*) FROM change_log") == before
    assert b.store.scalar("SELECT count(*) FROM people") == 0
    assert read_file(usb, PASSPHRASE).header["count"] == a.store.pending_changes()


def test_short_passphrase_refused(laptops, tmp_path):
    (a,) = laptops(1)
    with pytest.raises(KnownError) as err:
        export_changes(a.store, tmp_path / "x.bpjsf", "1234")
    assert err.value.code == "handcarry.passphrase_short"


def test_doctor_compares_the_clock_with_the_server(shared_server, laptops):
    from bpjs_field import doctor
    (a,) = laptops(1)
    assert doctor.check_clock(a.store).level == doctor.OK  # no server yet: nothing to compare
    a.enroll(shared_server.url, "KC-0421")
    finding = doctor.check_clock(a.store)
    assert finding.level == doctor.OK and "detik" in finding.detail
    a.store.set_setting("sync.server_url", "http://127.0.0.1:9")  # nothing listens there
    assert doctor.check_clock(a.store).level == doctor.WARNING


def test_next_years_rates_reach_laptops_at_sync(sqlite_template, laptops, tmp_path):
    import json
    import shutil
    from datetime import date

    from bpjs_field import pu_contribution
    from bpjs_field.domain import consent, rates, reference
    from bpjs_field.paths import resource_path
    from harness import ServerProcess
    folder = tmp_path / "reference"
    folder.mkdir()
    data = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    data["jp_wage_cap"].append({"effective_from": "2027-03-01", "amount": 11_650_000})
    (folder / "rates.json").write_text(json.dumps(data), "utf-8")
    notice = json.loads(resource_path("reference", "privacy_notice.json").read_text("utf-8"))
    notice["version"] = "2027-01"
    (folder / "privacy_notice.json").write_text(json.dumps(notice), "utf-8")
    db = tmp_path / "server.sqlite3"
    shutil.copy(sqlite_template, db)
    server = ServerProcess(f"sqlite:///{db}", env={reference.SERVER_DIR_ENV: str(folder)}).start()
    try:
        (a,) = laptops(1)
        a.enroll(server.url, "KC-0421")
        assert pu_contribution(20_000_000, risk_class=1, period="2027-04").line("JP").base == 11_086_300
        result = a.sync()
        assert result.reference_updated
        assert pu_contribution(20_000_000, risk_class=1, period="2027-04").line("JP").base == 11_650_000
        assert consent.privacy_notice().version == "2027-01"
        assert not a.sync().reference_updated  # unchanged: nothing to do
        reference.install(None)  # as after a restart ...
        reference.use_stored(a.store)  # ... the laptop uses what it received, offline too
        assert rates.default_rates().jp_cap_for(date(2027, 4, 1)) == 11_650_000
    finally:
        reference.install(None)
        server.stop()
