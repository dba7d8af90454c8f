"""`bpjs-field selftest`: proves an installation works, without touching the officer's data.

Branch IT runs it after installing (and CI runs it on the frozen bundle): it
opens a fresh database in a temporary folder, registers a participant, writes
a receipt PDF and checks it, and with `--gui` builds the main window on an
offscreen screen so the Qt plugins are known to load, and checks that the
interface loads its Indonesian catalogues (an installation that would speak
English fails).  Prints one line per
step; exit code 0 only when every step passed.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bpjs_field.__about__ import __version__


def _register(folder: Path) -> dict:
    from bpjs_field.domain.registration import PersonInput, RegistrationInput
    from bpjs_field.store import Store
    with Store.open(folder / "selftest.sqlite3") as store:
        officer = store.officers.create(full_name="Petugas Uji", employee_no="SELFTEST",
                                        branch="Kantor Cabang Bekasi Cikarang")
        store.remember_officer(officer["id"])
        result = store.registrations.register(RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Peserta Uji", nik="3216091205900001",
                                              phone="0812-3456-7890"),
            consent_given=True, consent_version="selftest", declared_income=1_000_000,
            occupation="pedagang"))
        assert store.integrity_check() == "ok"
        return result.registration


def _receipt(folder: Path, registration: dict) -> Path:
    from bpjs_field.printing import documents
    from bpjs_field.store import Store
    with Store.open(folder / "selftest.sqlite3") as store:
        job = documents.receipt_job(store, registration["id"], "thermal")
    out = folder / "receipt.pdf"
    out.write_bytes(job.pdf)
    assert job.pdf.startswith(b"%PDF") and len(job.pdf) > 2000
    return out


def _escpos(folder: Path, registration: dict) -> Path:
    """The receipt for an ESC/POS printer, sent to a file: python-escpos, its printer
    profiles and the raster QR all load (the frozen bundle collects them by hand)."""
    from bpjs_field.printing.escpos import receipt_escpos_job
    from bpjs_field.printing.escpos_link import PrinterSettings, send
    from bpjs_field.store import Store
    with Store.open(folder / "selftest.sqlite3") as store:
        job = receipt_escpos_job(store, registration["id"])
    out = folder / "receipt.escpos"
    send(PrinterSettings("file", str(out), cutter=True), job.data)
    data = out.read_bytes()
    assert data.startswith(b"\x1b@") and b"\x1dv0" in data and data.endswith(b"\x1dV\x01")
    return out


def _gui(folder: Path) -> None:
    from ui.probes import open_main_window_offscreen  # Qt lives in ui/, never in the core
    open_main_window_offscreen(folder / "selftest.sqlite3")


def _language() -> None:
    from ui.probes import check_interface_language
    check_interface_language("id")


def run(*, gui: bool, keep: Path | None = None, say: Callable[[str], None] = print) -> int:
    """Run every step in `keep`, or in a temporary folder removed afterwards (its database,
    receipt and print job are samples, but nothing of a test is left on a laptop)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return _run_in(keep, gui=gui, say=say)
    with tempfile.TemporaryDirectory(prefix="bpjs-selftest-", ignore_cleanup_errors=True) as folder:
        return _run_in(Path(folder), gui=gui, say=say)


def _run_in(folder: Path, *, gui: bool, say: Callable[[str], None]) -> int:
    say(f"bpjs-field {__version__} selftest in {folder}")
    steps: list[tuple[str, Callable[[], object]]] = []
    box: dict = {}
    steps.append(("database and registration", lambda: box.setdefault("reg", _register(folder))))
    steps.append(("receipt PDF", lambda: _receipt(folder, box["reg"])))
    steps.append(("receipt for a receipt printer (ESC/POS)", lambda: _escpos(folder, box["reg"])))
    if gui:
        steps.append(("main window (offscreen)", lambda: _gui(folder)))
        steps.append(("interface in Bahasa Indonesia", _language))
    failed = 0
    for name, step in steps:
        started = time.perf_counter()
        try:
            step()
            say(f"  ok    {name} ({(time.perf_counter() - started) * 1000:.0f} ms)")
        except Exception as exc:  # report every step, then fail as a whole
            failed += 1
            say(f"  GAGAL {name}: {type(exc).__name__}: {exc}")
            if "reg" not in box:
                break
    return 1 if failed else 0
