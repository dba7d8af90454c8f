"""Refresh `resources/i18n/bpjs_field_id.ts` from the code with pyside6-lupdate.

    .venv/bin/python scripts/i18n_update.py [--ts PATH]

`--ts` updates another copy instead (the tests check on a copy that the committed
catalogue already holds every string of the code).  lupdate keeps the existing translations and marks new strings unfinished;
translate those in Qt Linguist (`pyside6-linguist resources/i18n/bpjs_field_id.ts`).
Run `pyside6-lrelease` (or just start the app, which compiles a missing .qm).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = ("ui/printing/",)  # the print page keeps its own catalogue (ui/printing/printing_id.ts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ts", type=Path, default=ROOT / "resources/i18n/bpjs_field_id.ts")
    target = parser.parse_args(argv).ts.resolve()
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                   if not str(p.relative_to(ROOT)).startswith(SKIP))
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    command = [str(lupdate), *files, "-target-language", "id_ID", "-no-obsolete",
               "-locations", "none", "-ts", str(target)]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
