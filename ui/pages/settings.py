"""Pengaturan: interface language, the officer working on this laptop, the idle
lock, the receipt printed right after each registration, backups, the branch's
annual targets (a supervisor's), and facts about the database (where it is, how
much it holds).

The page decides its own controls from the role (`apply_role`): the laptop's
settings (idle lock, printing, backups, the receipt printer, the targets) are a
supervisor's, each declared below; the language stays the officer's choice."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from bpjs_field.__about__ import __version__
from bpjs_field.store import views
from ui import dialogs
from ui.context import AppContext, Changes
from ui.formats import number
from ui.pages.backups import BackupBox
from ui.pages.print_settings import AfterSaveBox, IdleLockBox
from ui.pages.setup import SetupDialog
from ui.printing.receipt_printer import ReceiptPrinterBox
from ui.roles import RoleControls
from ui.style import add_heading, set_role
from ui.tasks import DbExecutor


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPage")
        self.ctx = ctx
        self.executor = executor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        add_heading(layout, self.tr("Settings"))
        self.roles = RoleControls()
        notice = QLabel(self.tr("Settings are changed by a supervisor."))
        notice.setObjectName("roleNotice")
        set_role(notice, "hint")
        layout.addWidget(self.roles.restricted_notice(notice))
        form = QFormLayout()
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        self.language.addItem("Bahasa Indonesia", "id")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.lang)))
        self.language.activated.connect(self._language_chosen)
        form.addRow(self.tr("Language"), self.language)
        officer_row = QHBoxLayout()
        self.officer = QLabel()
        self.officer.setObjectName("officerInfo")
        officer_row.addWidget(self.officer, 1)
        self.change_officer_button = QPushButton(self.tr("Change officer"))
        self.change_officer_button.setObjectName("changeOfficer")
        self.change_officer_button.clicked.connect(self.change_officer)
        officer_row.addWidget(self.change_officer_button)
        form.addRow(self.tr("Officer"), officer_row)
        self.idle_lock = self.roles.supervisor_only(IdleLockBox(executor, ctx.lang))
        form.addRow(self.tr("Lock the screen after"), self.idle_lock)
        self.database = QLabel(str(ctx.db_path or ""))
        self.database.setWordWrap(True)
        form.addRow(self.tr("Database file"), self.database)
        self.stats = QLabel()
        self.stats.setObjectName("databaseStats")
        form.addRow(self.tr("Contents"), self.stats)
        form.addRow(self.tr("Version"), QLabel(__version__))
        layout.addLayout(form)
        self.after_save = self.roles.supervisor_only(AfterSaveBox(executor, ctx.lang))
        layout.addWidget(self.after_save)
        self.backups = self.roles.supervisor_only(BackupBox(executor, ctx.lang))
        self.backups.restore_requested.connect(ctx.restore_requested)
        layout.addWidget(self.backups)
        self.receipt_printer = self.roles.supervisor_only(ReceiptPrinterBox(executor, ctx.lang))
        layout.addWidget(self.receipt_printer)
        from ui.pages.targets_box import TargetsBox
        self.targets = self.roles.supervisor_only(
            TargetsBox(executor, (ctx.officer or {}).get("branch"), ctx.lang))
        layout.addWidget(self.targets)
        layout.addStretch(1)
        self._show_officer(ctx.officer)
        ctx.officer_changed.connect(self._show_officer)
        ctx.data_changed.connect(self._data_changed)

    def apply_role(self, role: str | None) -> None:
        """Show this page's controls for the logged-in role (the core refuses again)."""
        self.roles.apply(role)
        # After a login the officer is whoever logged in: no switching here.
        self.change_officer_button.setVisible(role is None)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()

    def _data_changed(self, changes: Changes) -> None:
        # Only the counts show data the other pages change; the boxes below write their
        # own settings, and re-reading them while the officer edits one would undo a keystroke.
        if self.isVisible() and (changes.people or changes.registrations or changes.attendance
                                 or changes.events):
            self._refresh_stats()

    def refresh(self) -> None:
        self._refresh_stats()
        self.backups.refresh()
        self.idle_lock.refresh()
        self.after_save.refresh()  # printers plugged in since are offered
        self.targets.refresh()

    def _refresh_stats(self) -> None:
        self.executor.run(lambda s: s.stats(), self._show_stats)

    def _show_stats(self, stats: dict[str, Any]) -> None:
        self.stats.setText(self.tr("{people} participants, {registrations} registrations, "
                                   "{attendance} check-ins, {events} events").format(
            **{key: number(value, self.ctx.lang) if isinstance(value, int) else value
               for key, value in stats.items()}))

    def _show_officer(self, officer: dict[str, Any] | None) -> None:
        if hasattr(self, "targets"):
            self.targets.branch = (officer or {}).get("branch") or ""
        if officer:
            self.officer.setText(f"{officer['full_name']} ({officer['employee_no']}) · {officer['branch']}")
        else:
            self.officer.setText("")

    def _language_chosen(self) -> None:
        lang = self.language.currentData()
        if lang == self.ctx.lang:
            return
        self.ctx.ops.save_settings({views.LANGUAGE: lang},
                                   on_done=lambda _r: self.ctx.language_changed.emit(lang),
                                   on_error=lambda exc: dialogs.error(self, exc, self.ctx.lang))

    def change_officer(self) -> None:
        def open_dialog(branches: list[str]) -> None:
            dialog = SetupDialog(self.executor, branches, self.ctx.lang, self)
            dialog.completed.connect(lambda officer: self._officer_set(officer, dialog.chosen_language()))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
            self.setup_dialog = dialog

        self.executor.run(views.known_branches, open_dialog)

    def _officer_set(self, officer: dict[str, Any], lang: str) -> None:
        self.ctx.set_officer(officer)  # the setup dialog's operation announced the change
        if lang != self.ctx.lang:
            self.ctx.language_changed.emit(lang)
