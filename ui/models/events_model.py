"""Events as a table model: title, kind, date, kecamatan and which one is active."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from bpjs_field.domain.formatting import format_date, to_wib
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.segments import EVENT_KINDS, label
from ui.models.columns import ROW_ROLE, SORT_ROLE

TITLE, KIND, DATE, DISTRICT, ACTIVE = range(5)


class EventsModel(QAbstractTableModel):
    def __init__(self, lang: str = "id", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._rows: list[dict[str, Any]] = []
        self.active_id: str | None = None

    def set_rows(self, rows: list[dict[str, Any]], active_id: str | None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.active_id = active_id
        self.endResetModel()

    def set_active(self, active_id: str | None) -> None:
        self.active_id = active_id
        if self._rows:
            self.dataChanged.emit(self.index(0, ACTIVE), self.index(len(self._rows) - 1, ACTIVE))

    def row_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, event_id: str) -> int:
        for i, row in enumerate(self._rows):
            if row["id"] == event_id:
                return i
        return -1

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 5

    def _cell(self, row: dict[str, Any], column: int) -> str:
        if column == TITLE:
            return row["title"]
        if column == KIND:
            return label(EVENT_KINDS, row["kind"], self.lang)
        if column == DATE:
            try:
                return format_date(to_wib(datetime.fromisoformat(row["starts_at"])).date(), self.lang)
            except ValueError:
                return row["starts_at"]
        if column == DISTRICT:
            region = get_region(row["district_code"]) if row.get("district_code") else None
            return region.name if region else ""
        if column == ACTIVE:
            return "★" if row["id"] == self.active_id else ""
        return ""

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return self._cell(row, index.column())
        if role == SORT_ROLE:
            return row["starts_at"] if index.column() == DATE else self._cell(row, index.column())
        if role == ROW_ROLE:
            return row
        if role == Qt.ToolTipRole:
            return self._cell(row, index.column())
        if role == Qt.TextAlignmentRole and index.column() == ACTIVE:
            return int(Qt.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.DisplayRole) -> Any:
        if role != Qt.DisplayRole or orientation != Qt.Horizontal:
            return None
        names = (self.tr("Event"), self.tr("Kind"), self.tr("Date"), self.tr("Kecamatan"),
                 self.tr("Active"))
        return names[section] if 0 <= section < len(names) else None
