"""Search results (name, NIK, phone or registration code) as a table model.

Holds one result list at a time; `set_rows()` replaces it.  Used by the
people page's search and the check-in fallback search.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from ui.models import columns


class SearchResultsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self.reveal = False

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_reveal(self, reveal: bool) -> None:
        self.reveal = reveal
        if self._rows:
            self.dataChanged.emit(self.index(0, columns.IDENT),
                                  self.index(len(self._rows) - 1, columns.IDENT))

    def row_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else columns.COLUMN_COUNT

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return columns.cell(row, index.column(), self.reveal)
        if role == columns.SORT_ROLE:
            return columns.sort_value(row, index.column())
        if role == columns.ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < columns.COLUMN_COUNT:
            return columns.headers()[section]
        return None
