"""`bpjs-field doctor`: what branch IT checks first, with what to do about each finding.

Every check returns a `Finding` (ok, warning or problem) with a plain
Indonesian explanation and the fix.  Checks that need something optional
(Qt for the printer list, a configured server for the clock) say so instead
of failing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from bpjs_field.store import changelog
from bpjs_field.store.store import Store

OK, WARNING, PROBLEM = "ok", "peringatan", "masalah"
LOW_DISK = 1 << 30
VERY_LOW_DISK = 200 << 20


@dataclass(frozen=True)
class Finding:
    check: str
    level: str
    detail: str
    fix: str = ""


def check_integrity(store: Store) -> Finding:
    result = store.quick_check()
    if result == "ok":
        return Finding("basis data", OK, "utuh (quick_check ok)")
    return Finding("basis data", PROBLEM, f"rusak: {result[:120]}",
                   "Tutup aplikasi lalu pulihkan cadangan terbaru: bpjs-field backup --list, "
                   "bpjs-field restore BERKAS")


def check_disk(store: Store) -> Finding:
    free = shutil.disk_usage(store.path.parent).free
    text = f"{free / 2**30:.1f} GiB bebas di {store.path.parent}"
    if free < VERY_LOW_DISK:
        return Finding("ruang disk", PROBLEM, text, "Hapus berkas yang tidak perlu; pendaftaran baru bisa gagal.")
    if free < LOW_DISK:
        return Finding("ruang disk", WARNING, text, "Kosongkan ruang disk sebelum acara besar.")
    return Finding("ruang disk", OK, text)


def check_pending(store: Store) -> Finding:
    pending = store.pending_changes()
    oldest = changelog.oldest_unsent(store)
    if not pending:
        return Finding("sinkronisasi", OK, "semua perubahan sudah terkirim")
    age = datetime.now(timezone.utc) - datetime.fromisoformat(oldest)
    text = f"{pending} perubahan belum terkirim, yang tertua {age.days} hari {age.seconds // 3600} jam"
    if age.days >= 3:
        return Finding("sinkronisasi", WARNING, text,
                       "Sambungkan ke server cabang (bpjs-field sync) atau bawa ekspor lewat USB.")
    return Finding("sinkronisasi", OK, text)


def check_backups(store: Store) -> Finding:
    from bpjs_field.backup import list_backups
    backups = list_backups(store.path)
    if not backups:
        return Finding("cadangan", WARNING, "belum ada cadangan", "Buat sekarang: bpjs-field backup")
    age = datetime.now(timezone.utc) - backups[0].taken_at
    text = f"{len(backups)} cadangan, terbaru {age.days} hari lalu"
    if age.days >= 2:
        return Finding("cadangan", WARNING, text, "Buat sekarang: bpjs-field backup")
    return Finding("cadangan", OK, text)


def check_printers(_store: Store) -> Finding:
    try:
        from ui.probes import printer_names
    except ImportError:
        return Finding("printer", WARNING, "tidak bisa diperiksa (Qt tidak tersedia)")
    names, default = printer_names()
    if not names:
        return Finding("printer", WARNING, "tidak ada printer terpasang",
                       "Pasang driver printer A4 atau printer thermal 80 mm, lalu periksa lagi.")
    return Finding("printer", OK, f"{', '.join(names)} (bawaan: {default or '-'})")


def check_clock(store: Store) -> Finding:
    """The laptop clock against the branch server's, when the server answers (receipts carry times)."""
    url = store.get_setting("sync.server_url")
    if not url:
        return Finding("jam", OK, "belum ada server cabang; jam tidak dibandingkan")
    import httpx
    try:
        started = datetime.now(timezone.utc)
        answer = httpx.get(f"{url.rstrip('/')}/v1/health", timeout=5.0)
        ended = datetime.now(timezone.utc)
        server = datetime.fromisoformat(answer.json()["server_time"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return Finding("jam", WARNING, f"server {url} tidak menjawab; jam tidak dibandingkan",
                       "Periksa jaringan, lalu jalankan doctor lagi.")
    offset = (started + (ended - started) / 2 - server).total_seconds()
    text = f"selisih {offset:+.0f} detik dari server"
    if abs(offset) > 300:
        return Finding("jam", PROBLEM, text, "Perbaiki tanggal dan jam laptop (zona WIB); "
                       "waktu tercetak di tanda terima.")
    return Finding("jam", OK, text)


CHECKS: list[Callable[[Store], Finding]] = [check_integrity, check_disk, check_pending,
                                            check_backups, check_printers, check_clock]


def run_checks(store: Store, extra: list[Callable[[Store], Finding]] | None = None) -> list[Finding]:
    findings = []
    for check in CHECKS + (extra or []):
        try:
            findings.append(check(store))
        except Exception as exc:  # one broken check must not hide the others
            findings.append(Finding(check.__name__.removeprefix("check_"), WARNING,
                                    f"pemeriksaan gagal: {type(exc).__name__}"))
    return findings
