"""Interface language through Qt Linguist.

Source strings are English in the code; `resources/i18n/bpjs_field_<lang>.ts`
holds the translations (Indonesian is the default language).  `.qm` files are
built with `pyside6-lrelease` and not committed.  From a source checkout or a
wheel, a missing or stale `.qm` is compiled from its `.ts` at start-up (into a
cache folder when the resources folder is read-only, as in an installed
wheel).  A frozen bundle never compiles: it loads the `.qm` compiled when the
bundle was built (`build_installer.spec` puts it in `resources/i18n/`), whatever
the files' times say, since the bundle carries no lrelease.  Qt's own
`qtbase_<lang>.qm` is loaded too when Qt ships one.  `interface_language_check()`
is the installation's proof (run by `bpjs-field selftest --gui`, so by the
bundle's smoke test) that the interface really speaks Indonesian.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
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


def frozen() -> bool:
    """True inside the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def ts_path(lang: str) -> Path:
    return resource_path("i18n", f"{CATALOGUE}_{lang}.ts")


def bundled_qm(name: str) -> Path | None:
    """A catalogue compiled when the bundle was built (`resources/i18n/<name>.qm`)."""
    qm = resource_path("i18n", f"{name}.qm")
    return qm if qm.is_file() else None


def compile_ts(ts: Path, qm: Path) -> bool:
    if frozen():  # a bundle loads what was compiled at build time; it has no lrelease
        log.warning("not compiling %s inside the bundle", ts.name)
        return False
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
    """A current .qm for `lang`: next to the .ts, else in the cache; compiled if needed.
    In the bundle, the one compiled at build time, never compiled here."""
    if frozen():
        return bundled_qm(f"{CATALOGUE}_{lang}")
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


# A string of each catalogue and its Indonesian: the interface check looks them up.
PROBES = (("MainWindow", "Home", "Beranda"), ("CheckInPage", "CHECKED IN", "HADIR"),
          ("PrintPage", "Registration receipt", "Tanda terima pendaftaran"))


def interface_language_check(lang: str = "id") -> None:
    """Install `lang` as the app does and raise RuntimeError unless the interface (the main
    catalogue and the print page's) really shows it.  For `bpjs-field selftest --gui`."""
    from ui.printing import i18n as printing_i18n
    translations = Translations()
    try:
        if not translations.install(lang) or not printing_i18n.install(lang):
            raise RuntimeError(f"the {lang} catalogue did not load; the interface would be English")
        wrong = [(context, source, QCoreApplication.translate(context, source))
                 for context, source, expected in PROBES
                 if QCoreApplication.translate(context, source) != expected]
        if wrong:
            raise RuntimeError(f"the interface is not in Bahasa Indonesia: {wrong}")
    finally:
        translations.install(SOURCE_LANGUAGE)
        printing_i18n.install(SOURCE_LANGUAGE)


__all__ = ["Translations", "compile_ts", "qm_path", "ts_path", "lrelease_command",
           "SOURCE_LANGUAGE", "bundled_qm", "frozen", "interface_language_check"]
