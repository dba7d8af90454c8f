"""The GUI's operations and roles: a change made from a page runs through `ui.ops` and is
announced once, with the ids it changed; each page decides its own controls from the role,
so a control nobody declared for supervisors stays usable for an officer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from bpjs_field import backup
from test_gui_erasure import open_person, register  # one person, and their detail on screen
from ui.ops import Changes
from ui.security.lock import apply_role


def test_a_control_added_to_the_settings_page_is_not_locked_for_an_officer(qtbot, store, officer,
                                                                          make_window):
    backup.create_backup(store, "manual")
    window = make_window()
    page = window.settings_page
    added = QPushButton("Check the scanner", page)  # a control nobody declared for supervisors
    page.layout().addWidget(added)
    apply_role(window, "officer")
    assert added.isEnabled()
    assert page.language.isEnabled()  # the interface language stays the officer's choice
    # What the page declared a supervisor's is off, including what its box enables later.
    window.show_page("settings")
    qtbot.waitUntil(lambda: page.backups.choice.count() == 1)
    for control in (page.backups.make_button, page.backups.restore_button, page.backups.keep,
                    page.idle_lock.minutes, page.after_save, page.receipt_printer.save_button):
        assert not control.isEnabled(), control.objectName()
    assert not page.findChild(QLabel, "roleNotice").isHidden()
    assert page.change_officer_button.isHidden()  # after a login the officer is who logged in
    apply_role(window, "supervisor")
    assert page.backups.restore_button.isEnabled() and page.backups.keep.isEnabled()
    assert page.findChild(QLabel, "roleNotice").isHidden()
    assert added.isEnabled()


def test_an_officer_cannot_open_the_editor_by_keyboard_or_double_click(qtbot, store, officer,
                                                                      make_window):
    register(store)
    window = make_window()
    apply_role(window, "officer")
    page = open_person(qtbot, window)
    qtbot.keyClick(page.table, Qt.Key_E, Qt.ControlModifier)
    page.edit_current()
    assert getattr(page, "edit_dialog", None) is None
    apply_role(window, "supervisor")
    page.edit_current()
    assert page.edit_dialog.isVisible()


def test_an_edit_is_announced_once_with_the_person_it_changed(qtbot, store, officer, make_window,
                                                             translations):
    person_id = register(store).person["id"]
    window = make_window()
    notices: list[Changes] = []
    window.ctx.data_changed.connect(notices.append)
    page = open_person(qtbot, window)
    page.edit_current()
    dialog = page.edit_dialog
    # The shared Save/Cancel row, in Indonesian, with its keys.
    assert [b.text() for b in dialog.findChildren(QPushButton)] == ["Batal", "Simpan (Ctrl+S)"]
    dialog.widgets["full_name"].setText("Siti Aminah Putri")
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # shortcuts reach the active window only
    qtbot.keyClick(dialog.widgets["full_name"], Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: store.people.get(person_id)["full_name"] == "Siti Aminah Putri")
    assert notices == [Changes(people=True, person_ids=frozenset({person_id}))]
    qtbot.waitUntil(lambda: "Putri" in page.detail.name.text())
    # The people list took the notice too: the row shows the new name without a reload.
    qtbot.waitUntil(lambda: (page.people.row_at(0) or {}).get("full_name") == "Siti Aminah Putri")


def test_a_sync_round_is_announced_by_what_it_changed_here():
    from bpjs_field.store.replica import ApplyStats
    from bpjs_field.sync.engine import SyncResult
    from ui.ops import SYNC, sync_changes

    assert sync_changes(SyncResult()) is None  # nothing sent, nothing came in
    sent_only = sync_changes(SyncResult(pushed=3, refused=1))
    assert sent_only == Changes(pending=True, origin=SYNC)
    both = sync_changes(SyncResult(pushed=2, pulled=5, apply=ApplyStats(applied=5)))
    assert both.people and both.registrations and both.attendance and both.events
    assert both.pending and both.origin == SYNC
    assert not sync_changes(SyncResult(pulled=1, apply=ApplyStats(merged=1))).pending
