"""Reference data the branch server hands out at sync: the dated rates, the regional
minimum wages (UMK) and the privacy notice.

Next year's JP cap or UMK, a new discount window or a reworded notice is a change in
the server's `resources/reference/` (or its `BPJS_FIELD_SERVER_REFERENCE`
folder); every laptop picks it up at its next sync, keeps it in its database
and uses it from then on, offline too.  A file that does not load is refused
and the figures in force stay.  Occupations and the region list stay bundled.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.formatting import today_wib
from bpjs_field.paths import resource_path

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

FILES = ("rates.json", "umk.json", "privacy_notice.json")
SERVER_DIR_ENV = "BPJS_FIELD_SERVER_REFERENCE"
SETTING = "reference.files"
VERSION_SETTING = "reference.version"


def version_of(files: dict[str, Any]) -> str:
    canonical = json.dumps(files, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def server_files() -> dict[str, Any]:
    """What the server hands out: its override folder's files, else the bundled ones."""
    folder = os.environ.get(SERVER_DIR_ENV)
    out = {}
    for name in FILES:
        path = Path(folder) / name if folder and (Path(folder) / name).is_file() \
            else resource_path("reference", name)
        out[name] = json.loads(path.read_text("utf-8"))
    return out


def install(files: dict[str, Any] | None) -> None:
    """Put these files in force (raises, changing nothing, when one does not load)."""
    from bpjs_field.domain import consent, rates, umk
    files = files or {}
    if "rates.json" in files:
        rates.RateTable(data=files["rates.json"]).bpu_for(today_wib())
    if "umk.json" in files:
        umk.UmkTable(data=files["umk.json"])
    if "privacy_notice.json" in files:
        notice = files["privacy_notice.json"]
        for version in (notice, *(notice.get("previous") or ())):
            if not all(isinstance(version.get(k), str) for k in ("version", "id", "en")):
                raise ValueError("privacy notice incomplete")
    rates.install_rates(files.get("rates.json"))
    umk.install_umk(files.get("umk.json"))  # a server without one: the bundled file
    consent.install_notice(files.get("privacy_notice.json"))


def accept(store: "Store", version: str, files: dict[str, Any]) -> bool:
    """Keep and use reference data received from the server; False if it was refused."""
    if version == store.get_setting(VERSION_SETTING):
        return False
    try:
        install(files)
    except (ValueError, KeyError, TypeError, LookupError):
        return False
    with store.write():
        store.set_setting(SETTING, files, canonical=False)
        store.set_setting(VERSION_SETTING, version, canonical=False)
        store.audit("reference.update", version=version)
    return True


def use_stored(store: "Store") -> None:
    """At start: put the reference data this laptop last received in force."""
    files = store.get_setting(SETTING)
    if files:
        try:
            install(files)
        except (ValueError, KeyError, TypeError, LookupError):
            install(None)
