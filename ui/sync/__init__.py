"""Sync in the window: `SyncController` (background sync with backoff), `SyncPage`
(a full page with enrolment and "Sync now") and `SyncStatusWidget` (status bar).

Wiring, in the main window: `controller = SyncController.for_executor(executor)`,
`SyncPage(executor, controller=controller)`, `SyncStatusWidget(executor,
controller=controller)`, then `controller.start()`; `controller.shutdown()` on close.
"""

from ui.sync.controller import SyncController, SyncState
from ui.sync.page import SyncPage
from ui.sync.status import SyncStatusWidget

__all__ = ["SyncController", "SyncPage", "SyncState", "SyncStatusWidget"]
