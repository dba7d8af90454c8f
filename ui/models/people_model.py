"""All people in name order, for 300,000 rows: row ids held, rows fetched lazily.

The model holds only `store.people.ordered_rowids()`.  When the view asks for
a row that is not cached, its block of rows is requested from the database
worker (`rows_by_rowid`), coalesced on the next event-loop turn so data() never
waits and never emits from inside itself; the block arrives on the GUI thread
and the view repaints.  Cached blocks are bounded (least recently used go).

Signals:
    loaded(int): the row ids are (re)loaded; the number of people.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal

from ui.models import columns
from ui.tasks import DbExecutor

BLOCK = 200
MAX_BLOCKS = 60


class PeopleTableModel(QAbstractTableModel):
    loaded = Signal(int)

    def __init__(self, executor: DbExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.reveal = False
        self.status: str | None = None  # only people with a registration at this status
        self._rowids: list[int] = []
        self._blocks: OrderedDict[int, dict[int, dict[str, Any]]] = OrderedDict()
        self._wanted: set[int] = set()
        self._in_flight: set[int] = set()
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._fetch)

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        status = self.status
        self.executor.run(lambda s: s.people.ordered_rowids(status),
                          lambda ids: self._set_rowids(generation, ids))

    def _set_rowids(self, generation: int, rowids: list[int]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rowids = rowids
        self._blocks.clear()
        self._wanted.clear()
        self._in_flight.clear()
        self.endResetModel()
        self.loaded.emit(len(rowids))

    def _fetch(self) -> None:
        generation = self._generation
        for block in sorted(self._wanted - self._in_flight):
            ids = self._rowids[block * BLOCK:(block + 1) * BLOCK]
            if not ids:
                continue
            self._in_flight.add(block)
            self.executor.run(lambda s, ids=ids: s.people.rows_by_rowid(ids),
                              lambda rows, b=block: self._arrived(generation, b, rows))
        self._wanted.clear()

    def _arrived(self, generation: int, block: int, rows: dict[int, dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._in_flight.discard(block)
        self._blocks[block] = rows
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        first = block * BLOCK
        last = min(len(self._rowids), first + BLOCK) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, columns.COLUMN_COUNT - 1))

    # -- rows ------------------------------------------------------------------------------
    def row_at(self, row: int) -> dict[str, Any] | None:
        """The row if loaded; otherwise asks for it and returns None."""
        if not 0 <= row < len(self._rowids):
            return None
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            if block not in self._in_flight:
                self._wanted.add(block)
                if not self._timer.isActive():
                    self._timer.start()
            return None
        self._blocks.move_to_end(block)
        return rows.get(self._rowids[row])

    def rowid_at(self, row: int) -> int | None:
        return self._rowids[row] if 0 <= row < len(self._rowids) else None

    def row_of(self, rowid: int | None) -> int:
        """The row now holding this person's row id; -1 if gone."""
        try:
            return self._rowids.index(rowid) if rowid is not None else -1
        except ValueError:
            return -1

    def set_reveal(self, reveal: bool) -> None:
        self.reveal = reveal
        if self._rowids:
            self.dataChanged.emit(self.index(0, columns.IDENT),
                                  self.index(len(self._rowids) - 1, columns.IDENT))

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rowids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else columns.COLUMN_COUNT

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.DisplayRole, columns.SORT_ROLE, columns.ROW_ROLE):
            return None
        row = self.row_at(index.row())
        if row is None:
            return "…" if role == Qt.DisplayRole and index.column() == columns.NAME else None
        if role == Qt.DisplayRole:
            return columns.cell(row, index.column(), self.reveal)
        if role == columns.SORT_ROLE:
            return columns.sort_value(row, index.column())
        return row

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < columns.COLUMN_COUNT:
            return columns.headers()[section]
        return None
