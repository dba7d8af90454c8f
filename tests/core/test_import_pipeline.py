"""A large partner list checked by a worker process (bpjs_field/import_pipeline.py): the same
report and the same rows as when every row is checked in the importing process, with the
rates in force in the importing process, from a thread as the GUI calls it, and a complete
import when the worker is killed mid-way or cannot start."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import threading
from datetime import date
from multiprocessing import spawn

import pytest
from import_helpers import row, write_csv

from bpjs_field import importer
from bpjs_field.domain import rates as rates_module
from bpjs_field.domain.registration import validate_registration
from bpjs_field.import_pipeline import CHUNK_ROWS, MIN_ROWS
from bpjs_field.paths import resource_path
from bpjs_field.store import Store

TODAY = date(2026, 12, 5)
# Columns that differ between two imports of the same file: fresh ids and times.
FRESH = {"id", "person_id", "created_at", "updated_at", "consent_at", "created_device",
         "device_id", "rowid", "officer_id"}


def mixed_rows(count: int) -> list[dict[str, str]]:
    """Good rows, the same person twice, a wage earner, and rows refused in several ways."""
    out = []
    for i in range(count):
        if i % 97 == 5:
            out.append(row(i, jenis_kelamin="X"))
        elif i % 211 == 7:
            out.append(row(i, kode_kecamatan="99.99.99"))
        elif i % 223 == 9:
            out.append(row(i, bulan_dibayar="13"))
        elif i % 307 == 11:
            out.append(row(i, nama="x" * 600))
        elif i % 401 == 13:
            out.append(row(i - 1))  # the row above again
        elif i % 151 == 17:
            out.append(row(i, segmen="pu", upah="5.000.000", kelas_risiko="2",
                           pemberi_kerja="PT Baja", skala_usaha="kecil", penghasilan=""))
        else:
            out.append(row(i, penghasilan=("1.000.000", "1.500.000", "2.250.000")[i % 3],
                           bulan_dibayar=str(1 + i % 3)))
    return out


def write_file(path, count: int):
    source = write_csv(path, mixed_rows(count))
    with open(source, "a", encoding="utf-8") as fh:  # a row with a cell past the header
        fh.write("Ujang,bpu,ya" + "," * (len(importer.COLUMNS) - 3) + ",lebih\n")
    return source


def picture(store: Store):
    """What the import left in the database, fresh ids and times aside."""
    def strip(rows):
        return [{k: v for k, v in r.items() if k not in FRESH} for r in rows]
    people = strip(store.query("SELECT * FROM people ORDER BY nik"))
    regs = strip(store.query("SELECT r.*, p.nik FROM registrations r JOIN people p "
                             "ON p.id = r.person_id ORDER BY r.code"))
    changes = sorted(json.dumps({k: v for k, v in json.loads(c["payload"]).items() if k not in FRESH},
                                sort_keys=True)
                     for c in store.query("SELECT payload FROM change_log"))
    return people, regs, changes


def report_of(report):
    return (report.saved, report.already, report.rejected, report.stopped, report.problems)


def reference_import(tmp_path, template_db, source, **kwargs):
    """The same file imported with every row checked in this process."""
    path = tmp_path / "di-sini.sqlite3"
    shutil.copy(template_db, path)
    with Store.open(path) as store:
        report = importer.import_csv(store, source, consent_version="v", today=TODAY,
                                     worker=False, **kwargs)
        assert report.by_worker == 0
        return report, picture(store)


@pytest.mark.parametrize("worker", [True, None])
def test_a_large_file_checked_by_the_worker_gives_the_same_report_and_rows(
        tmp_path, store, template_db, worker):
    """True: every row checked by the worker; None (what the app does): the rows before the
    worker has started are checked here, the rest there."""
    source = write_file(tmp_path / "mitra.csv", MIN_ROWS + 700)
    report = importer.import_csv(store, source, consent_version="v", today=TODAY, worker=worker)
    if worker:
        assert report.by_worker == MIN_ROWS + 700  # every row read (the unreadable one is named here)
    expected, rows = reference_import(tmp_path, template_db, source)
    assert report_of(report) == report_of(expected)
    assert report.saved > MIN_ROWS and report.already > 5 and report.rejected > 60
    assert {code for _l, _c, code, _m in report.problems} >= {
        "sex.unknown", "district.unknown", "months_paid.invalid", "too_long", "csv.extra_cells"}
    assert picture(store) == rows
    assert store.scalar("SELECT count(*) FROM registrations WHERE segment = 'pu'") > 20


def test_a_small_file_is_checked_in_the_importing_process(tmp_path, store):
    source = write_csv(tmp_path / "kecil.csv", [row(i) for i in range(50)])
    report = importer.import_csv(store, source, consent_version="v", today=TODAY)
    assert (report.saved, report.by_worker) == (50, 0)


def test_the_worker_checks_with_the_rates_installed_here_from_a_thread(tmp_path, store):
    data = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    for entry in data["bpu"]:
        entry["jkm_flat"] = 9_000  # received at sync: JKM Rp9.000 instead of Rp6.800
    cells = row(1, penghasilan="1.000.000", jht="tidak", bulan_dibayar="3")
    form = importer.row_to_input(cells, event_id=None, consent_version="v", today=TODAY)
    bundled = validate_registration(form, today=TODAY).amount_due
    source = write_csv(tmp_path / "tarif.csv", [row(i, penghasilan="1.000.000", jht="tidak",
                                                    bulan_dibayar="3") for i in range(1200)])
    out = {}
    rates_module.install_rates(data)
    try:
        received = validate_registration(form, today=TODAY).amount_due
        thread = threading.Thread(target=lambda: out.setdefault("report", importer.import_csv(
            store, source, consent_version="v", today=TODAY, worker=True)))
        thread.start()
        thread.join(120)
    finally:
        rates_module.install_rates(None)
    assert received > bundled
    report = out["report"]
    assert (report.saved, report.by_worker) == (1200, 1200)
    amounts = {r["amount_due"] for r in store.query("SELECT amount_due FROM registrations")}
    assert amounts == {received}


def test_a_worker_killed_mid_import_leaves_a_complete_and_equal_import(tmp_path, store, template_db):
    source = write_file(tmp_path / "mitra.csv", 4 * CHUNK_ROWS)
    killed = []

    def progress(done: int, total: int) -> None:
        if not killed:  # the first batch is saved: the worker dies, as to an OOM killer
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)
                child.join(10)
                killed.append(child.pid)

    report = importer.import_csv(store, source, consent_version="v", today=TODAY,
                                 batch_size=300, progress=progress, worker=True)
    assert killed
    assert 0 < report.by_worker < 4 * CHUNK_ROWS  # the rest were checked here
    expected, rows = reference_import(tmp_path, template_db, source, batch_size=300)
    assert report.stopped is None
    assert report_of(report) == report_of(expected)
    assert report.total == 4 * CHUNK_ROWS + 1
    assert picture(store) == rows


def test_a_worker_that_cannot_start_leaves_the_rows_to_the_importing_process(tmp_path, store):
    source = write_csv(tmp_path / "mitra.csv", [row(i) for i in range(1500)])
    python = spawn.get_executable()
    multiprocessing.set_executable(str(tmp_path / "tidak-ada-python"))
    try:
        report = importer.import_csv(store, source, consent_version="v", today=TODAY, worker=True)
    finally:
        multiprocessing.set_executable(python)
    assert (report.saved, report.rejected, report.by_worker, report.stopped) == (1500, 0, 0, None)
    assert store.scalar("SELECT count(*) FROM registrations") == 1500


@pytest.mark.parametrize("worker", [False, True])
def test_a_full_disk_stops_the_run_with_every_unsaved_row_reported(tmp_path, store, worker):
    source = write_csv(tmp_path / "besar.csv", [row(i) for i in range(2500)])
    pages = store.scalar("PRAGMA page_count")
    store.db.execute(f"PRAGMA max_page_count = {pages + 400}")  # the database file cannot grow
    report = importer.import_csv(store, source, consent_version="v", batch_size=50,
                                 worker=worker, today=TODAY)
    assert report.stopped is not None and report.stopped.code == "storage.full"
    saved = store.scalar("SELECT count(*) FROM registrations")
    assert report.saved == saved and 0 < saved < 2500
    unsaved = {line for line, _c, code, _m in report.problems if code == "import.not_saved"}
    assert len(unsaved) == 2500 - saved and report.saved + report.rejected == 2500
    assert not multiprocessing.active_children()  # the worker ended with the import
