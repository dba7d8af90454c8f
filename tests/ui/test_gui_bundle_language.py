"""The installed bundle speaks Indonesian, and its smoke test says so.

A PyInstaller bundle is simulated in a subprocess (`sys.frozen`, `sys._MEIPASS`
pointing at a folder laid out as the spec lays it out), with no lrelease
anywhere on PATH.  The catalogues' .ts files are written *after* the .qm files,
as the bundle's copy used to leave them: a bundle must still load what was
compiled at build time, never try to compile, and `bpjs-field selftest --gui`
(the bundle's smoke test) must fail when the interface would be English."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ui.i18n import compile_ts

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
sys.frozen = True
sys._MEIPASS = sys.argv[1]
from bpjs_field import selftest
sys.exit(selftest.run(gui=True))
"""


def fake_bundle(tmp_path: Path, *, with_qm: bool) -> Path:
    bundle = tmp_path / "bundle"
    resources = bundle / "resources"
    (resources / "i18n").mkdir(parents=True)
    for name in ("reference", "fonts", "brochures"):
        (resources / name).symlink_to(ROOT / "resources" / name)
    catalogues = [ROOT / "resources/i18n/bpjs_field_id.ts", ROOT / "ui/printing/printing_id.ts"]
    if with_qm:
        for ts in catalogues:
            assert compile_ts(ts, resources / "i18n" / ts.with_suffix(".qm").name)
    time.sleep(0.05)
    for ts in catalogues:  # newer than the .qm: stale by the files' times
        (resources / "i18n" / ts.name).write_bytes(ts.read_bytes())
    return bundle


def run_selftest(tmp_path: Path, bundle: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BPJS_FIELD_DATA": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin"}  # no pyside6-lrelease
    return subprocess.run([sys.executable, "-c", PROBE, str(bundle)], capture_output=True, text=True,
                          timeout=180, env=env, cwd=ROOT)


@pytest.mark.parametrize("with_qm", [True, False])
def test_the_bundle_loads_its_compiled_catalogue_or_its_smoke_test_fails(tmp_path, with_qm):
    bundle = fake_bundle(tmp_path, with_qm=with_qm)
    done = run_selftest(tmp_path, bundle)
    out = done.stdout + done.stderr
    if with_qm:
        assert done.returncode == 0, out
        assert "ok    interface in Bahasa Indonesia" in out
    else:
        assert done.returncode == 1, out
        assert "GAGAL interface in Bahasa Indonesia" in out
    # Nothing was compiled at run time: no .qm appeared anywhere.
    assert not list((tmp_path / "data").rglob("*.qm"))
    assert sorted(p.name for p in (bundle / "resources/i18n").glob("*.qm")) == (
        ["bpjs_field_id.qm", "printing_id.qm"] if with_qm else [])
