"""The core never imports Qt, and resources are found from a built wheel as from the checkout."""

import os
import pkgutil
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import bpjs_field

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(bpjs_field.__path__, "bpjs_field.")
               if not m.name.endswith("__main__")]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    try:\n        importlib.import_module(name)\n"
            "    except ImportError as exc:\n        print('skip', name, exc)\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "print('QT', bad)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "QT []" in out, out
    qt_import = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|PyQt)", re.M)
    for path in (ROOT / "bpjs_field").rglob("*.py"):
        assert not qt_import.search(path.read_text("utf-8")), path


def test_resources_found_from_an_installed_wheel(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("bpjs_field-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "bpjs_field/resources/reference/rates.json" in names
    assert any(n.startswith("ui/") for n in names)
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = ("from bpjs_field.paths import resources_root; from bpjs_field import parse_nik;"
            "print(resources_root()); print(parse_nik('3216091205900001').district_name)")
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=tmp_path, check=True).stdout.split("\n")
    assert out[0].startswith(str(target)) and out[1] == "Cikarang Utara"


def test_command_line_starts_without_heavy_imports():
    code = ("import sys; from bpjs_field.cli import build_parser; build_parser();"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'reportlab', 'httpx', 'pydantic', 'sqlite_utils', 'PySide6', 'fastapi'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_printing_choices_match_what_the_renderers_offer():
    from bpjs_field.printing import brochure_content, cli, documents
    assert cli.KINDS == brochure_content.KINDS and cli.LANGS == brochure_content.LANGS
    assert cli.RECEIPT_FORMATS == documents.RECEIPT_FORMATS


def test_every_day_the_app_counts_is_jakartas_day():
    """Dates come from `today_wib()` and times are shown in WIB, never from the machine's own
    zone: a laptop or server clock set to another zone must not move a registration, a
    report's period or a QR's day.  The suite runs with such a clock (conftest.py), so
    tests that compare a date see the difference at any hour."""
    from datetime import date

    from bpjs_field.domain.formatting import today_wib
    assert date.today() != today_wib(), "the suite's clock zone must not give Jakarta's date"
    local_clock = re.compile(r"\bdate\.today\b|\bdatetime\.(now|today)\(\s*\)|\.astimezone\(\s*\)"
                             r"|\bQDate\.currentDate\(\s*\)|\bQDateTime\.currentDateTime\(\s*\)")
    found = [f"{path.relative_to(ROOT)}:{n}" for folder in ("bpjs_field", "ui")
             for path in (ROOT / folder).rglob("*.py")
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if local_clock.search(line)]
    assert found == []


def test_screens_start_threads_only_through_the_helpers_that_answer_on_the_gui_thread():
    """A worker that emits a widget's own signal raises in the thread when the widget was
    deleted meanwhile (the window closed, the page left), and a queued `None` loses a
    reference in PySide6: the screens run work off the GUI thread only through
    `ui.background.run_in_background`, the database worker and the sync controller."""
    allowed = {"ui/background.py", "ui/tasks.py", "ui/sync/controller.py"}
    found = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "ui").rglob("*.py")
             if path.relative_to(ROOT).as_posix() not in allowed
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if re.search(r"\bThread\(|\bQThread\b|\bthreading\.Timer\(", line)]
    assert found == []
