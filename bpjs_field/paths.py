"""Where things live: bundled resources and the officer's data folder.

`resource_path()` finds `resources/` the same way from a source checkout, an
installed wheel (where the build maps it to `bpjs_field/resources`) and a
PyInstaller bundle (`sys._MEIPASS`).  The data folder comes from platformdirs,
so it is `%LOCALAPPDATA%\\BPJS\\bpjs-field` on Windows and
`~/.local/share/bpjs-field` on Linux.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

import platformdirs

APP_NAME = "bpjs-field"
APP_AUTHOR = "BPJS"
DB_ENV = "BPJS_FIELD_DB"
DATA_ENV = "BPJS_FIELD_DATA"


@lru_cache(maxsize=1)
def resources_root() -> Path:
    here = Path(__file__).resolve().parent
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates += [here / "resources", here.parent / "resources"]
    for candidate in candidates:
        if (candidate / "reference").is_dir():
            return candidate
    raise FileNotFoundError(
        "resources/ not found next to the bpjs_field package; reinstall the application"
    )


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. `resource_path("reference", "rates.json")`."""
    return resources_root().joinpath(*parts)


def data_dir() -> Path:
    """The officer's data folder (database, backups, logs); created on first use."""
    override = os.environ.get(DATA_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The database used when neither `--db` nor `BPJS_FIELD_DB` says otherwise."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override)
    return data_dir() / "bpjs_field.sqlite3"
