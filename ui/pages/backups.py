"""The backups part of Pengaturan: make one now, how many to keep, restore one.

"Back up now" copies the database in a thread of its own (`backup.BackgroundBackup`,
its own connections, a lower priority), never on the database worker: a backup of a
million people takes most of a minute, and the officer's searches and saves go on
meanwhile while a bar shows how far the copy is.  A restore needs the database closed,
so the box only asks; the application (`ui.app.Workstation.restore`) closes the store,
restores through `bpjs_field.backup` and opens the window again.

Signals:
    restore_requested(str): the officer confirmed restoring this backup file.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QLabel, QMessageBox,
                               QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from bpjs_field import backup
from bpjs_field.domain.formatting import format_datetime
from ui import dialogs
from ui.ops import Ops
from ui.tasks import DbExecutor


# The officer asked for this backup and waits for its end, so it does not pause between
# steps; its thread's lower priority keeps the window and the database worker first.
MANUAL_PACE = 0.0


class BackupBox(QGroupBox):
    restore_requested = Signal(str)

    def __init__(self, executor: DbExecutor, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Backups"))
        self.setObjectName("backupBox")
        self.executor = executor
        self.lang = lang
        layout = QVBoxLayout(self)
        self.latest = QLabel()
        self.latest.setObjectName("latestBackup")
        self.latest.setWordWrap(True)
        layout.addWidget(self.latest)
        row = QHBoxLayout()
        self.make_button = QPushButton(self.tr("Back up now"))
        self.make_button.setObjectName("backupNow")
        self.make_button.clicked.connect(self.make_backup)
        row.addWidget(self.make_button)
        row.addWidget(QLabel(self.tr("Backups kept")))
        self.keep = QSpinBox()
        self.keep.setObjectName("backupsKeep")
        self.keep.setRange(1, 100)
        self.keep.valueChanged.connect(self._keep_changed)
        row.addWidget(self.keep)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setObjectName("backupProgress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.runner: backup.BackgroundBackup | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(150)
        self._watch.timeout.connect(self._follow)
        restore_row = QHBoxLayout()
        self.choice = QComboBox()
        self.choice.setObjectName("backupChoice")
        restore_row.addWidget(self.choice, 1)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.clicked.connect(self.confirm_restore)
        restore_row.addWidget(self.restore_button)
        layout.addLayout(restore_row)
        self._loading = False

    def refresh(self) -> None:
        def read(store) -> dict[str, Any]:
            return {"backups": backup.list_backups(store.path),
                    "keep": int(store.get_setting(backup.KEEP_SETTING, backup.DEFAULT_KEEP))}

        self.executor.run(read, self._show, lambda exc: dialogs.error(self, exc, self.lang))

    def _show(self, data: dict[str, Any]) -> None:
        self._loading = True
        self.keep.setValue(data["keep"])
        self._loading = False
        backups = data["backups"]
        self.choice.clear()
        for info in backups:
            when = format_datetime(info.taken_at.astimezone(timezone.utc), self.lang)
            self.choice.addItem(f"{when} · {info.size / 2**20:.1f} MiB", str(info.path))
        self.restore_button.setEnabled(bool(backups))
        if backups:
            self.latest.setText(self.tr("Latest backup: {when}").format(
                when=format_datetime(backups[0].taken_at, self.lang)))
        else:
            self.latest.setText(self.tr("No backup yet."))

    def _keep_changed(self, value: int) -> None:
        if not self._loading:
            Ops.for_executor(self.executor).change_settings({backup.KEEP_SETTING: value})

    def make_backup(self) -> None:
        """Start a backup beside the officer's work; the bar follows it to the end."""
        store = self.executor.store
        if self.runner is not None and self.runner.running:
            return
        if self.runner is None:
            self.runner = backup.BackgroundBackup(store.path, store.key, pace=MANUAL_PACE,
                                                  busy=self.executor.recently_busy)
        self.runner.start_now("manual")
        self.make_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.latest.setText(self.tr("Making a backup; you can keep working meanwhile."))
        self._watch.start()

    def _follow(self) -> None:
        runner = self.runner
        if runner is None:
            return
        self.progress.setValue(int(runner.progress * 100))
        if runner.running:
            return
        self._watch.stop()
        self.progress.hide()
        self.make_button.setEnabled(True)
        self.refresh()
        if runner.error is not None:
            dialogs.error(self, runner.error, self.lang)

    def stop(self, timeout: float = 1.0) -> None:
        """Stop a backup still running (the app is closing); the next start makes it again."""
        self._watch.stop()
        if self.runner is not None:
            self.runner.stop(timeout)

    def confirm_restore(self) -> None:
        path = self.choice.currentData()
        if not path:
            return
        box = QMessageBox(QMessageBox.Warning, self.tr("Restore backup"),
                          self.tr("Replace the database with the backup of {when}? The current database "
                                  "is kept aside first, so nothing is deleted.").format(
                              when=self.choice.currentText()),
                          QMessageBox.Yes | QMessageBox.Cancel, self)
        box.setDefaultButton(QMessageBox.Cancel)
        box.setObjectName("confirmRestore")
        box.accepted.connect(lambda: self.restore_requested.emit(path))
        box.finished.connect(box.deleteLater)
        self.confirm_box = box
        box.open()
