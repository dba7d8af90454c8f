"""Plain-words texts about sync, translatable with Qt Linguist (English source,
Indonesian in resources/i18n).  Shared by the sync page and the status widget."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from bpjs_field.domain.formatting import format_datetime, format_time, to_wib, today_wib


def error_text(error: dict[str, Any] | None) -> str:
    """The last error in words an officer understands (no codes, no stack traces)."""
    if not error:
        return ""
    code = error.get("code", "")
    params = error.get("params") or {}
    texts = {
        "sync.unreachable": QCoreApplication.translate("SyncTexts", "The branch server cannot be reached. Data stays safe on this "
                               "laptop and is sent later."),
        "sync.portal": QCoreApplication.translate("SyncTexts", "The Wi-Fi needs a login in the browser. "
                                                  "Log in there; sync tries again by itself."),
        "sync.not_reachable": QCoreApplication.translate("SyncTexts", "The network answered, not the branch "
                                                         "server. Trying again later."),
        "sync.timeout": QCoreApplication.translate("SyncTexts", "The branch server did not answer in time. Trying again later."),
        "sync.connection_lost": QCoreApplication.translate("SyncTexts", "The connection dropped. Trying again later; nothing is "
                                   "sent twice."),
        "sync.server_error": QCoreApplication.translate("SyncTexts", "The branch server has a problem. Trying again later."),
        "sync.bad_response": QCoreApplication.translate("SyncTexts", "The server's answer was not valid; nothing was changed on "
                                "this laptop."),
        "sync.rejected": QCoreApplication.translate("SyncTexts", "The server refused the data. Report this to the branch IT team."),
        "sync.revoked": QCoreApplication.translate("SyncTexts", "This laptop's access was revoked by the branch. Contact a "
                           "supervisor."),
        "sync.not_enrolled": QCoreApplication.translate("SyncTexts", "This laptop is not enrolled on the branch server. Enrol it "
                                "on the Sync page."),
        "sync.no_server": QCoreApplication.translate("SyncTexts", "No branch server yet. Enrol this laptop on the Sync page."),
        "sync.bad_credentials": QCoreApplication.translate("SyncTexts", "Employee number or password is wrong."),
        "sync.officer_inactive": QCoreApplication.translate("SyncTexts", "This officer account is disabled on the server."),
        "sync.busy": QCoreApplication.translate("SyncTexts", "Another sync is already running on this laptop."),
        "sync.cancelled": QCoreApplication.translate("SyncTexts", "Sync was stopped."),
        "storage.full": QCoreApplication.translate("SyncTexts", "The disk is full; free some space."),
        "storage.locked": QCoreApplication.translate("SyncTexts", "The database is busy; trying again later."),
    }
    text = texts.get(code)
    if text is None:
        text = QCoreApplication.translate("SyncTexts", "Sync failed: %1").replace("%1", str(params.get("detail") or code))
    if code == "sync.server_error" and params.get("status"):
        text += " " + QCoreApplication.translate("SyncTexts", "(status %1)").replace("%1", str(params["status"]))
    return text


def when_text(iso: str | None, lang: str = "id", *, today_as_time: bool = False) -> str:
    """"6 Desember 2026, pukul 01.06 WIB"; `today_as_time`: a moment of today (WIB) as its
    time alone ("pukul 01.06 WIB"), for a table read during the day it shows."""
    if not iso:
        return QCoreApplication.translate("SyncTexts", "never")
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if today_as_time and to_wib(moment).date() == today_wib():
        return format_time(moment, lang)
    return format_datetime(moment, lang)


def clock_text(offset_ms: int | None) -> str:
    if offset_ms is None:
        return ""
    minutes = round(abs(offset_ms) / 60000)
    return QCoreApplication.translate("SyncTexts", "This laptop's clock is %1 minutes off the server: fix the date and time "
              "(receipts show it).").replace("%1", str(minutes))
