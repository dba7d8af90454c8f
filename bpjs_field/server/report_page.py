"""A read-only page of the branch's report for supervisors, in a browser: `GET /laporan`.

A supervisor logs in with their branch account (employee number and password, the same as
on the laptops); the session is a cookie signed with a key derived from the account's own
password hash (HMAC-SHA256), so it holds across server processes, expires after 8 hours and
ends when the password changes.  Officers are refused.  The page shows counts only, never
a person; it changes nothing.  No script: the bars are plain HTML widths.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import time
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bpjs_field.domain.formatting import format_date, format_rupiah, group_thousands
from bpjs_field.server.db import ServerDatabase

COOKIE = "bpjs_laporan"
SESSION_SECONDS = 8 * 3600
_hasher = PasswordHasher()
STYLE = """body{font-family:sans-serif;margin:2em;color:#222}h1{color:#00733C}
table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.bar{background:#00733C;height:10px}
.target{border:1px solid #E07B00;width:240px}.err{color:#b00}form.q{margin:1em 0}"""


def _key(password_hash: str) -> bytes:
    return hashlib.sha256(("laporan|" + password_hash).encode()).digest()


def _sign(employee_no: str, until: int, password_hash: str) -> str:
    message = f"{employee_no}|{until}"
    return message + "|" + hmac.new(_key(password_hash), message.encode(), "sha256").hexdigest()


def _supervisor(db: ServerDatabase, employee_no: str) -> dict[str, Any] | None:
    with db.read() as tx:
        rows = tx.dicts("SELECT employee_no, full_name, role, active, password_hash FROM accounts "
                        "WHERE employee_no = ?", (employee_no,))
    if not rows or rows[0]["role"] != "supervisor" or not rows[0]["active"]:
        return None
    return rows[0]


def session_of(db: ServerDatabase, cookie: str | None) -> dict[str, Any] | None:
    try:
        employee_no, until, _sig = (cookie or "").split("|")
        if int(until) < time.time():
            return None
    except ValueError:
        return None
    account = _supervisor(db, employee_no)
    if account is None:
        return None
    expected = _sign(employee_no, int(until), account["password_hash"])
    return account if hmac.compare_digest(expected, cookie or "") else None


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f'</title><meta name="viewport" content="width=device-width"><style>{STYLE}</style>'
        f"</head><body>{body}</body></html>",
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                            "form-action 'self'"})


def _login_form(message: str = "") -> HTMLResponse:
    error = f'<p class="err" id="error">{html.escape(message)}</p>' if message else ""
    return _page("Masuk · Laporan cabang", (
        "<h1>Laporan cabang</h1><p>Untuk supervisor: masuk dengan akun cabang.</p>" + error +
        '<form method="post" action="/laporan/masuk"><p><label>Nomor pegawai '
        '<input name="employee_no" id="employee_no" autocomplete="username"></label></p>'
        '<p><label>Kata sandi <input name="password" id="password" type="password" '
        'autocomplete="current-password"></label></p>'
        '<p><button type="submit" id="login">Masuk</button></p></form>'))


def _n(value: int | None) -> str:
    return "-" if value is None else group_thousands(value)


def _report_html(report, who: str) -> str:
    rows = []
    for r in [*report.rows, report.total]:
        width = int(240 * min(1.0, r.registered / r.target)) if r.target else 0
        bar = (f'<div class="target"><div class="bar" style="width:{width}px"></div></div>'
               if r.target else "")
        cls = ' class="total"' if r is report.total else ""
        rows.append(f"<tr{cls}><td>{html.escape(r.label)}</td><td>{_n(r.attended)}</td>"
                    f"<td>{_n(r.registered)}</td><td>{_n(r.kpj)}</td><td>{_n(r.paid)}</td>"
                    f"<td>{_n(r.stopped)}</td><td>{_n(r.target)}</td><td>{bar}</td></tr>")
    choices = "".join(f'<option value="{d}"{" selected" if d == report.by else ""}>{d}</option>'
                      for d in ("segment", "kecamatan", "estate", "event", "partner", "officer"))
    money = report.targets.get("contribution_rupiah")
    source = report.targets.get("source")
    return (
        f"<h1>Laporan cabang{' · ' + html.escape(report.branch) if report.branch else ''}</h1>"
        f"<p>{html.escape(who)} · semua laptop yang sudah sinkron · hanya baca</p>"
        f'<form class="q" method="get" action="/laporan">Dari <input type="date" name="from" '
        f'value="{report.start.isoformat()}"> sampai <input type="date" name="to" '
        f'value="{report.end.isoformat()}"> per <select name="by">{choices}</select> '
        '<button type="submit" id="show">Tampilkan</button></form>'
        f'<p id="period">Periode {format_date(report.start)} s.d. {format_date(report.end)}</p>'
        '<table id="report"><thead><tr><th>Rincian</th><th>Hadir</th><th>Terdaftar</th>'
        "<th>KPJ</th><th>Bayar</th><th>Berhenti</th><th>Target tahunan</th><th>Capaian</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p id="money">Iuran per bulan peserta yang bayar {format_rupiah(report.total.monthly)}'
        f" · dibayar di muka (bulan × iuran) {format_rupiah(report.total.first_payments)}"
        + (f" · target iuran tahunan {format_rupiah(money)}, tercapai "
           + f"{100 * (report.contribution_progress or 0):.2f}%".replace(".", ",")
           if money else "") + "</p>"
        + (f"<p><small>Sumber target: {html.escape(source)}</small></p>" if source else ""))


def add_report_page(app: FastAPI, db: ServerDatabase) -> None:
    @app.get("/laporan", include_in_schema=False)
    def report_page(request: Request) -> Response:
        from bpjs_field.errors import BpjsFieldError
        from bpjs_field.server.report import server_report
        account = session_of(db, request.cookies.get(COOKIE))
        if account is None:
            return _login_form()
        q = request.query_params
        try:
            start = date.fromisoformat(q["from"]) if q.get("from") else None
            end = date.fromisoformat(q["to"]) if q.get("to") else None
            report = server_report(db, start=start, end=end, by=q.get("by") or "segment")
        except (ValueError, BpjsFieldError) as exc:
            message = exc.message() if isinstance(exc, BpjsFieldError) else "Tanggal tidak sah."
            return _page("Laporan cabang", f'<p class="err" id="error">{html.escape(message)}'
                                           '</p><p><a href="/laporan">Kembali</a></p>')
        return _page("Laporan cabang", _report_html(
            report, f"{account['full_name']} ({account['employee_no']})"))

    @app.post("/laporan/masuk", include_in_schema=False)
    async def login(request: Request) -> Response:
        body = (await request.body())[:4096].decode("utf-8", "replace")
        form = {k: v[0] for k, v in parse_qs(body).items()}
        employee_no = (form.get("employee_no") or "").strip()[:40]
        password = form.get("password") or ""
        account = _supervisor(db, employee_no)
        try:
            if account is None:
                _hasher.hash(password)  # the same work as a wrong password
                raise VerificationError()
            _hasher.verify(account["password_hash"], password)
        except (VerificationError, InvalidHashError):
            return _login_form("Nomor pegawai atau kata sandi salah, atau akun ini bukan "
                               "supervisor.")
        until = int(time.time()) + SESSION_SECONDS
        response = RedirectResponse("/laporan", status_code=303)
        response.set_cookie(COOKIE, _sign(employee_no, until, account["password_hash"]),
                            max_age=SESSION_SECONDS, httponly=True, samesite="strict")
        return response
