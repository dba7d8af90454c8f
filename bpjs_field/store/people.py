"""People: one row per human being, found by NIK (or passport + nationality for TKA)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bpjs_field.domain.entities import PERSON
from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.names import name_key
from bpjs_field.domain.registration import PersonInput, _person
from bpjs_field.errors import NotFoundError, ValidationErrors
from bpjs_field.store.store import new_id, utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

# Fields an edit may change; identity (NIK, passport) is corrected by a supervisor only.
# Both lists come from the person's definition (bpjs_field/domain/entities.py).
EDITABLE = PERSON.editable
SYNCED = PERSON.synced


class PeopleRepo:
    def __init__(self, store: "Store") -> None:
        self.s = store

    def get(self, person_id: str) -> dict[str, Any] | None:
        return self.s.query_one("SELECT * FROM people WHERE id = ?", (person_id,))

    def require(self, person_id: str) -> dict[str, Any]:
        row = self.get(person_id)
        if row is None:
            raise NotFoundError("not_found", what="Peserta", value=person_id)
        return row

    def by_nik(self, nik: str) -> dict[str, Any] | None:
        return self.s.query_one("SELECT * FROM people WHERE nik = ?", (nik,))

    def by_passport(self, passport_no: str, nationality: str) -> dict[str, Any] | None:
        return self.s.query_one(
            "SELECT * FROM people WHERE passport_no = ? AND nationality = ?", (passport_no, nationality))

    def find_existing(self, person: dict[str, Any]) -> dict[str, Any] | None:
        if person.get("nik"):
            return self.by_nik(person["nik"])
        if person.get("passport_no"):
            return self.by_passport(person["passport_no"], person["nationality"])
        return None

    def insert(self, person: dict[str, Any], *, consent_version: str | None,
               consent_at: str | None) -> dict[str, Any]:
        """Insert a validated person (inside the caller's write())."""
        now = utc_now()
        row = {key: person.get(key) for key in SYNCED}
        row.update(id=person.get("id") or new_id(), consent_version=consent_version,
                   consent_at=consent_at, created_device=self.s.device_id, created_at=now,
                   erased_at=None, merged_into=None, consent_withdrawn_at=None)
        row["name_key"] = name_key(row["full_name"])
        row["updated_at"] = now
        columns = ", ".join(row)
        self.s.db.execute(f"INSERT INTO people({columns}) VALUES ({', '.join('?' * len(row))})",
                          tuple(row.values()))
        self.s.record_change("person", row["id"], {k: row[k] for k in SYNCED})
        self.s.audit("person.create", "person", row["id"])
        return row

    def update(self, person_id: str, changes: dict[str, Any], *, segment: str = "bpu",
               force: bool = False) -> dict[str, Any]:
        """Edit a person's fields with the same validation as registration; audited and synced.
        After a login only a supervisor may edit (bpjs_field.security roles).  `force` records
        the fields even where this laptop already holds the value: a conflict resolution must
        reach the server, which may hold another one."""
        from bpjs_field.store.session import require_supervisor
        require_supervisor(self.s, "person.edit")
        current = self.require(person_id)
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        merged = {k: current.get(k) for k in PersonInput.__dataclass_fields__ if k in current}
        merged.update(changes)
        from datetime import date
        for key in ("birth_date", "kitas_expiry"):
            if isinstance(merged.get(key), str):
                merged[key] = date.fromisoformat(merged[key])
        errors: list = []
        clean = _person(PersonInput(**merged), "tka" if current["passport_no"] else segment,
                        today_wib(), errors, [])
        if errors:
            raise ValidationErrors(errors)
        diff = {k: clean.get(k) for k in changes if force or clean.get(k) != current.get(k)}
        if not diff:
            return current
        with self.s.write():
            self._apply(person_id, diff)
            self.s.audit("person.edit", "person", person_id, fields=sorted(diff))
        return self.require(person_id)

    def _apply(self, person_id: str, diff: dict[str, Any]) -> None:
        values = dict(diff)
        if "full_name" in values:
            values["name_key"] = name_key(values["full_name"])
        values["updated_at"] = utc_now()
        assignments = ", ".join(f"{k} = ?" for k in values)
        self.s.db.execute(f"UPDATE people SET {assignments} WHERE id = ?",
                          (*values.values(), person_id))
        self.s.record_change("person", person_id, {"id": person_id, **diff}, signed=True)

    def fill_blanks(self, existing: dict[str, Any], person: dict[str, Any]) -> None:
        """Complete empty fields of an existing person from a new registration (never overwrite)."""
        diff = {k: person[k] for k in EDITABLE
                if person.get(k) not in (None, "") and existing.get(k) in (None, "")}
        if diff:
            self._apply(existing["id"], diff)

    def count(self) -> int:
        """Live people: all rows minus the few merged ones (two index counts, no table
        scan; on an encrypted file every page read is a page decrypted)."""
        return self.s.scalar("SELECT (SELECT count(*) FROM people) - "
                             "(SELECT count(*) FROM people WHERE merged_into IS NOT NULL)")

    def ordered_rowids(self, status: str | None = None) -> list[int]:
        """Row ids of all people in name order: the lazy table model holds these and fetches rows on demand.
        Read from the name index alone (asking `merged_into` there would read every person's
        row: 3 to 5 times slower), the few merged ones taken out through their own index.
        `status`: only people with a registration at that follow-up status (baru, dikirim,
        kpj, dibayar, berhenti; through the status index)."""
        merged = {r[0] for r in self.s.db.execute(
            "SELECT rowid FROM people WHERE merged_into IS NOT NULL")}
        if status is not None:
            rows = self.s.db.execute(
                "SELECT rowid FROM people WHERE id IN (SELECT person_id FROM registrations "
                "WHERE status = ?) ORDER BY name_key, rowid", (status,))
        else:
            rows = self.s.db.execute("SELECT rowid FROM people ORDER BY name_key, rowid")
        if not merged:
            return [r[0] for r in rows]
        return [r[0] for r in rows if r[0] not in merged]

    def with_status(self, person_ids: list[str], status: str) -> set[str]:
        """Those of these people with a registration at this follow-up status."""
        if not person_ids:
            return set()
        marks = ",".join("?" * len(person_ids))
        return {r[0] for r in self.s.db.execute(
            f"SELECT DISTINCT person_id FROM registrations WHERE status = ? "
            f"AND person_id IN ({marks})", (status, *person_ids))}

    def rows_by_rowid(self, rowids: list[int]) -> dict[int, dict[str, Any]]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        # The codes from the search index's own row store (FTS5 keeps each row in
        # `people_fts_content`, its columns as c0…c3 in declared order: codes is c3): a plain
        # rowid lookup, where a join on the FTS5 table starts a query of it for each person
        # (200 people: 1 ms instead of 9 ms, the wait before the people page's first search).
        rows = self.s.query(
            f"SELECT p.rowid AS rowid, p.*, f.c3 AS codes FROM people p "
            f"LEFT JOIN people_fts_content f ON f.id = p.rowid WHERE p.rowid IN ({marks})", rowids)
        return {row["rowid"]: row for row in rows}

    def history(self, person_id: str) -> list[dict[str, Any]]:
        return self.s.query(
            "SELECT at, action, officer_id, details FROM audit_log WHERE entity = 'person' "
            "AND entity_id = ? ORDER BY id", (person_id,))
