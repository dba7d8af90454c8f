"""Check-in page: a scanned code (typed + Enter), already checked in, unknown
code, undo, the search fallback, registering someone at the door, and the list
of the last check-ins under the answer."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.formatting import to_wib
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.store.attendance import RECENT_SQL
from gui_helpers import type_text
from ui.context import Changes

NIK = "3216094512880001"


def register(store, name="Siti Aminah", nik=NIK):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik), consent_given=True,
        consent_version="2026-01", declared_income=1_000_000))


def scan(qtbot, page, text):
    type_text(qtbot, page.input, text)
    qtbot.keyClick(page.input, Qt.Key_Return)


def open_checkin(make_window):
    window = make_window()
    window.show_page("checkin")
    return window, window.checkin


def test_scanned_code_checks_in_then_says_already(qtbot, store, officer, active_event, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, format_code(result.registration["code"]))
    assert page.status == "checked_in"
    assert "Siti Aminah" in page.answer.text()
    assert store.attendance.count(active_event["id"]) == 1
    assert page.input.text() == ""  # ready for the next scan
    assert page.count_label.text().startswith("Hadir: 1") or "1" in page.count_label.text()

    scan(qtbot, page, result.registration["code"].lower())  # scanners may send lower case
    assert page.status == "already"
    attendance = store.attendance.get(active_event["id"], result.person["id"])
    assert attendance is not None
    assert "WIB" in page.answer.text()
    assert store.attendance.count(active_event["id"]) == 1


def test_unknown_code(qtbot, store, officer, active_event, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    code = result.registration["code"]
    # a well-formed code that does not exist: same tag, another running number
    from bpjs_field.domain.codes import make_code
    unknown = make_code(code[:4], 999)
    scan(qtbot, page, unknown)
    assert page.status == "unknown"
    assert store.attendance.count(active_event["id"]) == 0


def test_undo_last_check_in(qtbot, store, officer, active_event, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, result.registration["code"])
    assert store.attendance.count(active_event["id"]) == 1
    qtbot.keyClick(page.input, Qt.Key_Z, Qt.ControlModifier)
    assert store.attendance.count(active_event["id"]) == 0
    assert page.status == "undone"
    assert not page.undo_button.isEnabled()


def test_undo_after_a_sync_joined_the_check_in_answers_and_takes_back_this_scan(
        qtbot, translations, store, officer, active_event, make_window):
    """A sync between the scan and Ctrl+Z replaced this laptop's check-in by another desk's
    check-in of the same person (as a pull does when the branch joined the two: the row
    keeps the other desk's id).  Ctrl+Z still answers, and takes back this laptop's scan."""
    result = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, result.registration["code"])
    ours = store.attendance.get(active_event["id"], result.person["id"])["id"]
    with store.write():
        store.db.execute("UPDATE attendance SET id = ?, device_id = ? WHERE id = ?",
                         ("other-desks-check-in", "other-desk", ours))
    qtbot.keyClick(page.input, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.status == "undone_kept")
    assert "Siti Aminah" in page.answer.text() and "tetap" in page.answer.text()
    assert store.attendance.count(active_event["id"]) == 1  # the other desk's stays
    sent = store.query_one("SELECT op, payload FROM change_log WHERE entity = 'attendance' "
                           "ORDER BY seq DESC LIMIT 1")
    assert sent["op"] == "delete" and ours in sent["payload"]
    assert not page.undo_button.isEnabled()


def test_search_by_name_then_enter_checks_in(qtbot, store, officer, active_event, make_window):
    register(store, "Bambang Wibowo", "3216091203850002")
    register(store, "Siti Aminah")
    window, page = open_checkin(make_window)
    scan(qtbot, page, "bambang")
    assert page.status == "search"
    assert page.results.rowCount() == 1
    qtbot.keyClick(page.input, Qt.Key_Return)  # empty input + Enter takes the chosen row
    assert page.status == "checked_in"
    assert "Bambang Wibowo" in page.answer.text()


def test_unregistered_person_goes_to_registration_and_comes_back_checked_in(
        qtbot, store, officer, active_event, make_window):
    window, page = open_checkin(make_window)
    scan(qtbot, page, NIK)
    assert page.status == "not_found"
    qtbot.keyClick(page.input, Qt.Key_F2)
    assert window.current_page() == "registration"
    reg = window.registration
    assert reg.form.widgets["nik"].text() == NIK
    assert reg.check_in_box.isChecked()
    type_text(qtbot, reg.form.widgets["full_name"], "Siti Aminah")
    reg.form.consent.setChecked(True)
    qtbot.keyClick(reg.form.widgets["full_name"], Qt.Key_S, Qt.ControlModifier)
    assert window.current_page() == "checkin"
    assert page.status == "checked_in"
    person = store.people.by_nik(NIK)
    assert store.attendance.get(active_event["id"], person["id"]) is not None


def test_without_active_event_the_officer_is_told(qtbot, store, officer, make_window):
    result = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, result.registration["code"])
    assert page.status == "no_event"


# -- the last check-ins under the answer ------------------------------------------------
NIK_2 = "3216091203850002"


def recent_cells(page) -> list[list[str]]:
    model = page.recent
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_last_check_ins_show_newest_first_masked_and_undo_takes_the_last_back(
        qtbot, qtmodeltester, store, officer, active_event, make_window, translations):
    siti, bambang = register(store), register(store, "Bambang Wibowo", NIK_2)
    window = make_window(threaded=True)  # the list is read by the real database worker
    window.show_page("checkin")
    page = window.checkin
    qtbot.waitUntil(lambda: page.recent_title.isVisible())
    assert page.recent.rowCount() == 0 and not page.recent_table.isVisible()
    assert page.recent_title.text() == "Belum ada yang hadir di acara ini."

    scan(qtbot, page, siti.registration["code"])
    qtbot.waitUntil(lambda: page.recent.rowCount() == 1)
    scan(qtbot, page, format_code(bambang.registration["code"]))
    qtbot.waitUntil(lambda: page.recent.rowCount() == 2)
    assert page.status == "checked_in" and page.recent_table.isVisible()
    rows = recent_cells(page)
    assert [r[1] for r in rows] == ["Bambang Wibowo", "Siti Aminah"]  # newest first
    assert [r[2] for r in rows] == [mask_nik(NIK_2), mask_nik(NIK)] == ["321609******0002",
                                                                      "321609******0001"]
    assert not any(n in str(rows) for n in (NIK, NIK_2))  # no full NIK anywhere on the list
    assert [r[3] for r in rows] == ["Siti Rahmawati"] * 2  # the officer who checked them in
    checked_at = store.attendance.get(active_event["id"], bambang.person["id"])["checked_in_at"]
    assert rows[0][0] == f"{to_wib(datetime.fromisoformat(checked_at)):%H.%M}"  # 14.30, WIB
    headers = [page.recent.headerData(c, Qt.Horizontal) for c in range(4)]
    assert headers == ["Jam", "Nama", "NIK / paspor", "Petugas"]
    assert page.recent.index(0, 1).data(Qt.FontRole).bold()  # the newest stands out
    assert QApplication.focusWidget() is page.input
    qtmodeltester.check(page.recent)

    qtbot.keyClick(page.input, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.status == "undone" and page.recent.rowCount() == 1)
    assert recent_cells(page)[0][1] == "Siti Aminah"
    assert QApplication.focusWidget() is page.input


def test_the_last_check_ins_never_take_the_focus(qtbot, store, officer, active_event, make_window):
    siti, bambang = register(store), register(store, "Bambang Wibowo", NIK_2)
    window, page = open_checkin(make_window)
    scan(qtbot, page, siti.registration["code"])
    assert page.recent.rowCount() == 1
    viewport = page.recent_table.viewport()
    qtbot.mouseClick(viewport, Qt.LeftButton, pos=viewport.rect().center())
    qtbot.mouseDClick(viewport, Qt.LeftButton, pos=page.recent_table.visualRect(
        page.recent.index(0, 1)).center())
    assert QApplication.focusWidget() is page.input
    # the scanner types into whatever has the focus: the next code still lands in the input
    qtbot.keyClicks(QApplication.focusWidget(), bambang.registration["code"])
    assert page.input.text() == bambang.registration["code"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert page.status == "checked_in"
    assert [r[1] for r in recent_cells(page)] == ["Bambang Wibowo", "Siti Aminah"]
    assert QApplication.focusWidget() is page.input


def test_search_results_take_the_room_of_the_last_check_ins(
        qtbot, store, officer, active_event, make_window):
    register(store, "Bambang Wibowo", NIK_2)
    siti = register(store)
    window, page = open_checkin(make_window)
    scan(qtbot, page, siti.registration["code"])
    assert page.recent_table.isVisible()
    scan(qtbot, page, "bambang")
    assert page.status == "search" and page.table.isVisible()
    assert not page.recent_table.isVisible() and not page.recent_title.isVisible()
    qtbot.keyClick(page.input, Qt.Key_Return)
    assert page.status == "checked_in"
    assert page.recent_table.isVisible() and not page.table.isVisible()
    assert [r[1] for r in recent_cells(page)] == ["Bambang Wibowo", "Siti Aminah"]


def test_the_last_check_ins_follow_changes_made_elsewhere(
        qtbot, store, officer, active_event, make_window):
    siti, bambang = register(store), register(store, "Bambang Wibowo", NIK_2)
    window, page = open_checkin(make_window)
    # another page (registration, its duplicate banner) checks someone in and announces it
    store.attendance.check_in(active_event["id"], bambang.person["id"], "registration")
    window.ctx.announce(Changes(attendance=True, event_id=active_event["id"]))
    assert [r[1] for r in recent_cells(page)] == ["Bambang Wibowo"]
    # a supervisor corrects the name on the people page
    store.people.update(bambang.person["id"], {"full_name": "Bambang Wibowo Saputra"})
    window.ctx.announce(Changes(people=True))
    assert [r[1] for r in recent_cells(page)] == ["Bambang Wibowo Saputra"]
    # another event becomes active: its own (empty) list
    other = store.events.create({"kind": "senam_bersama", "title": "Senam Pagi Cibitung",
                                 "starts_at": "2026-11-29T06:30:00+07:00", "venue": "Alun-alun"})
    window.ctx.set_active_event(other)
    assert page.recent.rowCount() == 0 and not page.recent_table.isVisible()
    window.ctx.set_active_event(store.events.get(active_event["id"]))
    assert page.recent.rowCount() == 1
    # check-ins that arrive by sync are not announced: coming back to the page shows them
    window.show_page("home")
    store.attendance.check_in(active_event["id"], siti.person["id"], "sync")
    window.show_page("checkin")
    assert [r[1] for r in recent_cells(page)] == ["Siti Aminah", "Bambang Wibowo Saputra"]


def test_recent_check_ins_walk_the_event_time_index(store, officer, event):
    """Core query behind the list: newest first even on equal timestamps (imports, demo
    data), and served by `attendance_event_time` without sorting the whole event."""
    names = [f"Peserta {chr(ord('A') + i)}" for i in range(12)]
    people = [register(store, name, f"32160912038500{i:02d}").person
              for i, name in enumerate(names, start=1)]
    stamp = "2026-11-22T00:15:00.000+00:00"
    with store.write():
        for person in people:  # one import: every row has the same time
            row, _ = store.attendance.add(event["id"], person["id"], "import")
            store.db.execute("UPDATE attendance SET checked_in_at = ? WHERE id = ?", (stamp, row["id"]))
    recent = store.attendance.recent(event["id"], 10)
    assert [r["full_name"] for r in recent] == names[::-1][:10]  # the last inserted first
    assert recent[0]["nik"] == "3216091203850012" and recent[0]["officer_name"] == "Siti Rahmawati"
    plan = " ".join(r["detail"] for r in store.query(f"EXPLAIN QUERY PLAN {RECENT_SQL}",
                                                     (event["id"], 10)))
    assert "attendance_event_time" in plan and "TEMP B-TREE" not in plan
