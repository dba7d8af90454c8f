"""Interface language through Qt Linguist.

Source strings are English in the code; `resources/i18n/bpjs_field_<lang>.ts`
holds the translations (Indonesian is the default language).  `.qm` files are
built with `pyside6-lrelease` and not committed, so at start-up a missing or
stale `.qm` is compiled from its `.ts` (into a cache folder when the resources
folder is read-only, as in an installed wheel).  Qt's own `qtbase_<lang>.qm`
is loaded too when Qt ships one.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from bpjs_field.paths import data_dir, resource_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
CATALOGUE = "bpjs_field"


def lrelease_command() -> list[str] | None:
    """The lrelease tool: the binary shipped inside the PySide6 wheel, else one on PATH."""
    import PySide6
    folder = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease", "lrelease.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    for name in ("pyside6-lrelease", "lrelease"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def ts_path(lang: str) -> Path:
    return resource_path("i18n", f"{CATALOGUE}_{lang}.ts")


def compile_ts(ts: Path, qm: Path) -> bool:
    command = lrelease_command()
    if command is None:
        log.warning("lrelease not found; interface stays in English")
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([*command, "-silent", str(ts), "-qm", str(qm)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not qm.is_file():
        log.warning("lrelease failed for %s: %s", ts.name, done.stderr.strip()[:300])
        return False
    return True


def qm_path(lang: str) -> Path | None:
    """A current .qm for `lang`: next to the .ts, else in the cache; compiled if needed."""
    ts = ts_path(lang)
    beside = ts.with_suffix(".qm")
    if not ts.is_file():
        return beside if beside.is_file() else None
    if beside.is_file() and beside.stat().st_mtime >= ts.stat().st_mtime:
        return beside
    cached = data_dir() / "i18n" / beside.name
    if cached.is_file() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    for target in (beside, cached):
        try:
            if compile_ts(ts, target):
                return target
        except OSError as exc:  # read-only resources folder: try the cache
            log.info("cannot write %s (%s)", target, type(exc).__name__)
    return None


class Translations:
    """The translators installed on the application, replaceable when the language changes."""

    def __init__(self) -> None:
        self.lang = SOURCE_LANGUAGE
        self._installed: list[QTranslator] = []

    def install(self, lang: str) -> bool:
        """Switch to `lang`; returns False when its catalogue could not be loaded."""
        app = QCoreApplication.instance()
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        self.lang = lang
        if lang == SOURCE_LANGUAGE:
            QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))
            return True
        QLocale.setDefault(QLocale(QLocale.Indonesian, QLocale.Indonesia))
        ok = False
        qm = qm_path(lang)
        if qm is not None:
            ours = QTranslator(app)
            if ours.load(str(qm)):
                app.installTranslator(ours)
                self._installed.append(ours)
                ok = True
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qtbase = QTranslator(app)
        if qtbase.load(f"qtbase_{lang}", qt_dir):
            app.installTranslator(qtbase)
            self._installed.append(qtbase)
        if not ok:
            log.warning("no %s translation loaded; showing English", lang)
        return ok


__all__ = ["Translations", "compile_ts", "qm_path", "ts_path", "lrelease_command",
           "SOURCE_LANGUAGE"]
