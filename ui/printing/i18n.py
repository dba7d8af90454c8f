"""The print page's own translation catalogue (`ui/printing/printing_<lang>.ts`).

The main catalogue skips `ui/printing/` (see scripts/i18n_update.py), so this
package ships its Indonesian strings beside its code.  `install(lang)` compiles
the .ts into the data folder's cache when needed (with the same lrelease as
`ui.i18n`) and installs it next to the main translator; call it wherever the
application switches language.  Refresh the .ts with
`pyside6-lupdate ui/printing/*.py -ts ui/printing/printing_id.ts`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from bpjs_field.paths import data_dir
from ui.i18n import SOURCE_LANGUAGE, compile_ts

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def ts_path(lang: str) -> Path:
    return Path(__file__).with_name(f"printing_{lang}.ts")


def install(lang: str) -> bool:
    """Switch the print page's strings to `lang` (English is the source language)."""
    app = QCoreApplication.instance()
    while _installed:
        app.removeTranslator(_installed.pop())
    if lang == SOURCE_LANGUAGE:
        return True
    ts = ts_path(lang)
    beside = ts.with_suffix(".qm")  # compiled at build time for the installed bundle
    if beside.is_file() and (not ts.is_file() or beside.stat().st_mtime >= ts.stat().st_mtime):
        qm = beside
    elif not ts.is_file():
        return False
    else:
        qm = data_dir() / "i18n" / f"printing_{lang}.qm"
        if not qm.is_file() or qm.stat().st_mtime < ts.stat().st_mtime:
            if not compile_ts(ts, qm):
                return False
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        log.warning("could not load %s", qm.name)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
