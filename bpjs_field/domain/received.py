"""A reference table in force on this laptop: the one the branch server sent at sync
(`domain/reference.py`), else the one bundled with the app.  One holder for each table
(rates, regional minimum wages), so that installing, checking and falling back work the
same way for all of them."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Received(Generic[T]):
    def __init__(self, build: Callable[..., T], check: Callable[[T], Any] | None = None) -> None:
        """`build()` reads the bundled file, `build(data=...)` a received one; `check(table)`
        raises on a table that loads but cannot be used."""
        self._build = build
        self._check = check
        self._installed: T | None = None
        self._bundled = lru_cache(maxsize=1)(build)

    def current(self) -> T:
        """The branch server's table (received at sync) or the bundled file's."""
        return self._installed if self._installed is not None else self._bundled()

    def install(self, data: dict[str, Any] | None) -> T:
        """Use this table from now on (None: back to the bundled file).  Raises on bad data,
        leaving the table in force unchanged."""
        table = self._build(data=data) if data is not None else None
        if table is not None and self._check is not None:
            self._check(table)
        self._installed = table
        return self.current()
