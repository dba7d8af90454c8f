"""The read models of the reports and exports: their SQL over the laptop's tables and the
running totals that migration 11's triggers keep (bpjs_field/reporting/ builds the files,
tables and PDFs from what these return).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

PAGE = 5000


# -- exports (bpjs_field/reporting/exports.py) -----------------------------------------
def _pages(store: "Store", sql: str, params: tuple = ()) -> Iterator[dict[str, Any]]:
    """Rows of `sql` (which selects `r.rowid AS _rowid` and has `{after}` in its WHERE), a
    page at a time in rowid order: the file grows while the database is read."""
    last = -1
    while True:
        rows = store.query(sql.format(after="r.rowid > ?") + f" ORDER BY r.rowid LIMIT {PAGE}",
                           (*params, last))
        if not rows:
            return
        yield from rows
        last = rows[-1]["_rowid"]


REGISTRATION_SQL = """
SELECT r.rowid AS _rowid, r.code, r.created_at, r.segment, e.title AS event_title,
       o.full_name AS officer_name, p.full_name, p.nik, p.passport_no, p.kk_no, p.phone,
       coalesce(e.district_code, p.district_code) AS district, r.status, r.kpj_no,
       r.payment_code, r.kpj_at, r.first_paid_at, r.first_paid_months, r.monthly_total,
       r.amount_due, r.consent_version
FROM registrations r JOIN people p ON p.id = r.person_id
LEFT JOIN events e ON e.id = r.event_id LEFT JOIN officers o ON o.id = r.officer_id
WHERE {after}"""

ATTENDANCE_SQL = """
SELECT r.rowid AS _rowid, e.title AS event_title, r.checked_in_at, p.full_name, p.nik,
       p.passport_no, p.phone, r.method, o.full_name AS officer_name, g.code
FROM attendance r JOIN people p ON p.id = r.person_id JOIN events e ON e.id = r.event_id
LEFT JOIN officers o ON o.id = r.officer_id LEFT JOIN registrations g ON g.id = r.registration_id
WHERE {after}"""


# -- follow-up lists (bpjs_field/reporting/followup_lists.py) --------------------------
_BASE = """
SELECT r.id, r.code, r.segment, r.status, r.created_at, r.kpj_no, r.kpj_at, r.first_paid_at,
       r.first_paid_months, r.monthly_total, r.contribution, r.declared_income, r.months_paid,
       r.sector, r.payer, r.wage, r.risk_class, p.full_name, p.nik, p.passport_no, p.phone,
       p.consent_at, p.consent_withdrawn_at, e.title AS event_title, o.full_name AS officer_name
FROM registrations r
JOIN people p ON p.id = r.person_id
LEFT JOIN events e ON e.id = r.event_id
LEFT JOIN officers o ON o.id = r.officer_id
WHERE r.status <> 'berhenti' AND p.erased_at IS NULL AND {where}
ORDER BY {order}
"""


FOLLOWUP_WHERE = {
    "no_kpj": ("r.kpj_no IS NULL AND r.kpj_at IS NULL AND r.first_paid_at IS "
               "NULL AND date(r.created_at, '+7 hours') <= ?", "r.created_at, r.code"),
    "unpaid": ("r.kpj_at IS NOT NULL AND r.first_paid_at IS NULL AND "
               "r.kpj_at <= ?", "r.kpj_at, r.code"),
    "running_out": ("r.first_paid_at IS NOT NULL AND r.first_paid_at <= ?",
                    "r.first_paid_at, r.code"),
}


def followup_rows(store: "Store", kind: str, cutoff: str) -> list[dict[str, Any]]:
    where, order = FOLLOWUP_WHERE[kind]
    return store.query(_BASE.format(where=where, order=order), (cutoff,))


# -- the funnel (bpjs_field/reporting/funnel.py) ---------------------------------------
# From the running totals the triggers of migration 11 keep (store/migrations.py).
REG_SQL = """
SELECT segment, officer_id, event_id, sum(registered), sum(kpj), sum(paid), sum(stopped),
       sum(monthly), sum(first_payments)
FROM report_registrations WHERE day >= ? AND day <= ?
GROUP BY 1, 2, 3 HAVING sum(registered) <> 0
"""
ATT_SQL = """
SELECT officer_id, event_id, sum(attended) FROM report_attendance WHERE day >= ? AND day <= ?
GROUP BY 1, 2 HAVING sum(attended) <> 0
"""
DAY_SQL = """
SELECT day, sum(registered) FROM report_registrations WHERE day >= ? AND day <= ?
GROUP BY 1 HAVING sum(registered) <> 0 ORDER BY 1
"""



def funnel_totals(store: "Store", bounds: tuple[str, str]) -> tuple[Any, Any, list[tuple]]:
    """Registrations, attendance and registrations per day of a period (WIB days)."""
    return (store.db.execute(REG_SQL, bounds), store.db.execute(ATT_SQL, bounds),
            list(store.db.execute(DAY_SQL, bounds)))


def label_rows(store: "Store") -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Events and officers by id, for naming the rows of a report."""
    return ({r["id"]: r for r in store.query(
                "SELECT id, title, venue, partner_org, district_code FROM events")},
            {r["id"]: r["full_name"] for r in store.query("SELECT id, full_name FROM officers")})


def recount(store: "Store") -> tuple[list[tuple], list[tuple]]:
    """The running totals counted again from the rows themselves (for checks): the same
    shape as the tables, without the rows that sum to zero."""
    from bpjs_field.store.migrations import report_backfill_sql
    reg_sql, att_sql = report_backfill_sql()
    fresh_reg = reg_sql.split(" SELECT ", 1)[1]
    fresh_att = att_sql.split(" SELECT ", 1)[1]
    kept_reg = ("SELECT day, segment, officer_id, event_id, sum(registered), sum(kpj), sum(paid), "
                "sum(stopped), sum(monthly), sum(first_payments) FROM report_registrations "
                "GROUP BY 1, 2, 3, 4 HAVING sum(registered) <> 0 ORDER BY 1, 2, 3, 4")
    kept_att = ("SELECT day, officer_id, event_id, sum(attended) FROM report_attendance "
                "GROUP BY 1, 2, 3 HAVING sum(attended) <> 0 ORDER BY 1, 2, 3")
    counted = (sorted(store.db.execute("SELECT " + fresh_reg).fetchall()),
               sorted(store.db.execute("SELECT " + fresh_att).fetchall()))
    kept = (store.db.execute(kept_reg).fetchall(), store.db.execute(kept_att).fetchall())
    return counted, kept


def branch_of(store: "Store") -> str | None:
    """The branch of the officer at work, else the branch most of this laptop's officers
    belong to."""
    if store.officer_id:
        found = store.scalar("SELECT branch FROM officers WHERE id = ?", (store.officer_id,))
        if found:
            return found
    return store.scalar("SELECT branch FROM officers GROUP BY branch ORDER BY count(*) DESC, "
                        "branch LIMIT 1")
