"""Changes kept aside on the branch server, where changes come from, and what an erasure
leaves behind in the server's storage.

- **Origin.** A change belongs to the laptop that made it: the device in its hybrid-clock
  time.  A laptop delivers its own changes under its token; a change it carries for another
  laptop (imported from a USB file) counts only with the origin laptop's signature
  (`origin_sig`, Ed25519 over `signing.origin_message`), checked against the public keys
  the origin laptop sent with its own pushes and audit uploads (`device_keys`).  So a change is applied
  once, whoever delivers it, and a carried change cannot be altered or forged on the way.
- **Quarantine is not delivery.** A change that cannot be applied (yet) is kept in
  `quarantine` with its reason, the laptop that delivered it and the one that made it.  The
  same change arriving again, from any laptop, is tried again (`applied_changes` marks it
  `quarantined`, not applied); once applied it leaves the quarantine.  The pushing laptop is
  told which changes were kept aside (`quarantined_changes`), and supervisors list them
  (`GET /v1/quarantine`, `bpjs-field server-quarantine`) with what to do (`HINTS`).
- **Erasure.** Quarantined payloads of an erased person are scrubbed like the person's
  row, and afterwards the storage is reclaimed: a checkpoint that empties the SQLite WAL
  (freed pages are zeroed by `secure_delete`), or a VACUUM of the touched PostgreSQL tables.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bpjs_field.security import signing
from bpjs_field.server.db import ServerDatabase, Tx
from bpjs_field.server.roles import Quarantined
from bpjs_field.protocol import Change

log = logging.getLogger(__name__)

MAX_KEYS_PER_DEVICE = 8
# Tables that can hold an erased person's values until vacuumed (PostgreSQL).
ERASURE_TABLES = ("docs", "conflicts", "quarantine")

# What a supervisor does about each reason (Indonesian first: supervisors read it as is).
HINTS: dict[str, str] = {
    "push.origin_unverified": (
        "Dibawa laptop lain tanpa tanda tangan yang dapat diperiksa dari laptop pembuatnya. "
        "Tidak perlu tindakan: perubahan ini diterapkan saat laptop pembuatnya sinkron sendiri "
        "(atau setelah laptop itu sinkron sekali, saat dibawa lagi)."),
    "push.origin_bad_signature": (
        "Tanda tangan laptop pembuat tidak cocok: berkas diubah di jalan atau dipalsukan. "
        "Jangan terapkan; periksa asal berkas USB. Perubahan asli tetap diterapkan saat laptop "
        "pembuatnya sinkron."),
    "push.origin_revoked": (
        "Dibuat laptop yang akses cabangnya sudah dicabut. Periksa dengan petugas laptop itu "
        "sebelum mendaftarkan ulang datanya."),
    "registration.code_taken": (
        "Nomor pendaftaran sudah dipakai pendaftaran lain di cabang (terjadi bila laptop "
        "dipulihkan dari cadangan lama dengan aplikasi versi lama, atau dipulihkan di disk baru "
        "lalu mendaftarkan lebih dari 52.428 peserta sejak cadangan itu dibuat tanpa sinkron). "
        "Kirim ulang tidak menolong: "
        "daftarkan ulang peserta dari laptop pembuatnya (nomor baru) dan ganti kuitansinya; "
        "perbarui aplikasi di laptop itu."),
    "registration.code_not_yours": (
        "Kode pendaftaran memakai tag perangkat milik laptop lain: laptop pembuatnya tidak "
        "pernah diberi tag itu (berkas USB dipalsukan, atau dua laptop memakai tag yang sama "
        "sebelum didaftarkan). Jangan terapkan; periksa kuitansinya dengan petugas laptop "
        "pembuat dan daftarkan ulang peserta dari laptop itu bila sah."),
    "registration.unknown_person": (
        "Peserta pendaftaran ini belum ada di server. Sinkronkan laptop yang mendaftarkan "
        "pesertanya; kirim ulang dari laptop ini sesudahnya ('sync --retry-refused')."),
    "registration.unknown_event": (
        "Acara pendaftaran ini belum ada di server. Sinkronkan laptop yang membuat acara, "
        "lalu kirim ulang."),
    "attendance.unknown_person": "Peserta belum ada di server: sinkronkan laptop pendaftarnya, lalu kirim ulang.",
    "attendance.unknown_event": "Acara belum ada di server: sinkronkan laptop pembuatnya, lalu kirim ulang.",
    "person.erase_needs_supervisor": (
        "Penghapusan data oleh akun petugas biasa. Supervisor memeriksa permintaannya dan "
        "menghapus dari laptopnya sendiri bila sah."),
    "person.edit_bad_signature": (
        "Tanda tangan supervisor tidak cocok (diubah atau dipalsukan). Jangan terapkan; "
        "supervisor mengulangi perubahan dari laptopnya bila memang dikehendaki."),
}
DEFAULT_HINT = "Periksa dengan petugas laptop pengirim; kirim ulang dari laptop itu bila sudah diperbaiki."


def hint(reason: str) -> str:
    return HINTS.get(reason, DEFAULT_HINT)


# -- origin ----------------------------------------------------------------------------------
class Origins:
    """Checks carried changes against their origin laptop's keys (cached per batch)."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self._keys: dict[str, tuple[list[str], bool]] = {}

    def register(self, device_id: str, public_key: str | None, now: str) -> None:
        """Keep the pushing laptop's public key (it came under the laptop's own token)."""
        if not public_key:
            return
        known = [r[0] for r in self.tx.rows(
            "SELECT public_key FROM device_keys WHERE device_id = ?", (device_id,))]
        if public_key in known or len(known) >= MAX_KEYS_PER_DEVICE:
            return
        self.tx.execute("INSERT INTO device_keys(device_id, public_key, added_at) VALUES (?, ?, ?)",
                        (device_id, public_key, now))
        self._keys.pop(device_id, None)

    def _lookup(self, device_id: str) -> tuple[list[str], bool]:
        if device_id not in self._keys:
            keys = [r[0] for r in self.tx.rows(
                "SELECT public_key FROM device_keys WHERE device_id = ?", (device_id,))]
            revoked = self.tx.scalar("SELECT revoked_at FROM devices WHERE id = ?", (device_id,))
            self._keys[device_id] = (keys, bool(revoked))
        return self._keys[device_id]

    def check(self, ch: Change, origin: str) -> None:
        """Raise Quarantined unless `ch` is signed by its origin laptop."""
        keys, revoked = self._lookup(origin)
        if revoked:
            raise Quarantined("push.origin_revoked")
        if not keys or not ch.origin_sig:
            raise Quarantined("push.origin_unverified")
        message = signing.origin_message(ch.change_id, ch.entity, ch.entity_id, ch.op, ch.hlc,
                                         ch.payload)
        if not any(signing.verify(key, message, ch.origin_sig) for key in keys):
            raise Quarantined("push.origin_bad_signature")


# -- writing the quarantine ------------------------------------------------------------------
def write(tx: Tx, new: list[tuple], again: list[tuple], released: list[str]) -> None:
    """`new`: first-time rows; `again`: (reason, device, payload, received_at, origin,
    change_id) of changes quarantined before and once more; `released`: change ids that
    were quarantined and are applied now."""
    tx.executemany("INSERT INTO quarantine(change_id, device_id, entity, entity_id, reason, "
                   "payload, received_at, origin_device) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new)
    tx.executemany("UPDATE quarantine SET reason = ?, device_id = ?, payload = ?, received_at = ?, "
                   "origin_device = ?, attempts = attempts + 1 WHERE change_id = ?", again)
    tx.executemany("DELETE FROM quarantine WHERE change_id = ?", [(c,) for c in released])


# -- erasure ---------------------------------------------------------------------------------
def scrub_payload(payload: dict[str, Any], fields: tuple[str, ...], erased_name: str) -> dict[str, Any]:
    out = dict(payload)
    for field in fields:
        if field in out:
            out[field] = None
    if "full_name" in out:
        out["full_name"] = erased_name
    return out


def scrub_erased(tx: Tx, person_ids: list[str], marks: list[str], fields: tuple[str, ...],
                 erased_name: str) -> None:
    """Quarantined changes of an erased person (by id, or holding one of its identifiers
    `marks`: NIK, passport) lose its personal values, like everything else on the server."""
    rows = []
    for pid in person_ids:
        rows += tx.rows("SELECT change_id, payload FROM quarantine WHERE entity_id = ?", (pid,))
        rows += tx.rows("SELECT change_id, payload FROM quarantine WHERE payload LIKE ?",
                        (f'%"person_id":"{pid}"%',))
    for mark in marks:
        rows += tx.rows("SELECT change_id, payload FROM quarantine WHERE payload LIKE ?",
                        (f"%{mark}%",))
    done = set()
    for change_id, payload in rows:
        if change_id in done:
            continue
        done.add(change_id)
        data = scrub_payload(json.loads(payload), fields, erased_name)
        tx.execute("UPDATE quarantine SET payload = ? WHERE change_id = ?",
                   (json.dumps(data, ensure_ascii=False, separators=(",", ":")), change_id))


def reclaim_after_erasure(db: ServerDatabase) -> None:
    """After an erasure committed: no old copy of the values stays in the server's files
    that the database can reclaim.  SQLite: checkpoint and empty the WAL (freed pages are
    zeroed by secure_delete).  PostgreSQL: VACUUM the touched tables, so the dead row
    versions' space is freed for reuse (what remains is documented in the server README)."""
    try:
        with db.raw() as tx:
            if tx.postgres:
                tx.execute(f"VACUUM (ANALYZE) {', '.join(ERASURE_TABLES)}")
            else:
                tx.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:  # the erasure itself is committed; the next one retries this
        log.warning("reclaiming storage after an erasure failed: %s", type(exc).__name__)


# -- listing for supervisors -----------------------------------------------------------------
def list_quarantine(tx: Tx, limit: int = 500) -> list[dict[str, Any]]:
    """Quarantined changes, newest first, with the laptops (tag and name) and what to do.
    Payloads are not listed: they may hold personal data."""
    rows = tx.dicts(
        "SELECT q.change_id, q.entity, q.entity_id, q.reason, q.received_at, q.attempts, "
        "q.device_id, q.origin_device, d.device_tag AS delivered_tag, d.name AS delivered_name, "
        "o.device_tag AS origin_tag, o.name AS origin_name "
        "FROM quarantine q LEFT JOIN devices d ON d.id = q.device_id "
        "LEFT JOIN devices o ON o.id = coalesce(q.origin_device, q.device_id) "
        "ORDER BY q.received_at DESC, q.change_id LIMIT ?", (limit,))
    for row in rows:
        row["origin_device"] = row["origin_device"] or row["device_id"]
        row["delivered_by"] = _laptop(row.pop("delivered_tag"), row.pop("delivered_name"), row["device_id"])
        row["made_by"] = _laptop(row.pop("origin_tag"), row.pop("origin_name"), row["origin_device"])
        row["what_to_do"] = hint(row["reason"])
    return rows


def _laptop(tag: str | None, name: str | None, device_id: str) -> str:
    if tag is None:
        return f"? ({device_id[:8]})"
    return f"{name or '-'} ({tag})"
