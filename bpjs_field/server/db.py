"""The branch server's database: one interface over SQLite and PostgreSQL.

The server keeps all its state here (no sessions or caches in the process), so
several server processes can share one PostgreSQL database.  SQL is written
once with `?` placeholders; the PostgreSQL side turns them into `%s`.

Write transactions are serialised: `write()` first locks the `rev` counter
row (`BEGIN IMMEDIATE` on SQLite, `SELECT … FOR UPDATE` on PostgreSQL), so
the revision numbers that pulls page by are handed out in commit order and a
reader can never see revision 11 committed while revision 10 is still in
flight (which would make a laptop's cursor skip it).
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from bpjs_field.errors import KnownError


class Tx:
    """One open transaction: `execute`, `executemany`, `rows`, `one`, `scalar`."""

    def __init__(self, conn: Any, postgres: bool) -> None:
        self.conn = conn
        self.postgres = postgres

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.postgres:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), rows)
        else:
            self.conn.executemany(sql, rows)

    def insert_many(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        """Bulk insert: COPY on PostgreSQL (several times faster than INSERTs), executemany on SQLite."""
        if not rows:
            return
        if self.postgres:
            with self.conn.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            self.conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES "
                                  f"({marks(len(columns))})", rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(sql, params).fetchall())

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        return self.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(sql, params)
        return row[0] if row else None

    def lock_revisions(self) -> int:
        """Serialise writers on the counter row; returns the last revision handed out."""
        suffix = " FOR UPDATE" if self.postgres else ""
        return int(self.scalar(f"SELECT value FROM counters WHERE name = 'rev'{suffix}"))

    def store_revision(self, value: int) -> None:
        self.execute("UPDATE counters SET value = ? WHERE name = 'rev'", (value,))


def marks(n: int) -> str:
    return ",".join("?" * n)


class ServerDatabase:
    """A pool of connections to the server's database, SQLite file or PostgreSQL."""

    def __init__(self, url: str, *, pool_size: int = 8, key: bytes | None = None) -> None:
        self.url = url
        # SQLite only: with a key the file is a SQLCipher database (an event hub's copy of
        # the event on an officer's laptop is encrypted at rest like the laptop's own).
        self.key = key
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        self._closed = False
        if self.postgres:
            try:
                from psycopg_pool import ConnectionPool
            except ImportError as exc:  # the server extra is not installed
                raise KnownError("server.missing_psycopg") from exc
            self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True,
                                        kwargs={"autocommit": False}, timeout=30)
            self.kind = "postgresql"
        else:
            self.path = sqlite_path(url)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._sqlite: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
            self._sqlite_lock = threading.Lock()
            self._sqlite_count = 0
            self._pool_size = pool_size
            self.kind = "sqlite"

    # -- SQLite connections ------------------------------------------------------
    def _sqlite_connect(self) -> sqlite3.Connection:
        if self.key is not None:
            from bpjs_field.store.connection import raw_connect
            conn = raw_connect(self.path, self.key, isolation_level=None, check_same_thread=False,
                               timeout=30)
        else:
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False,
                                   timeout=30)
        for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                       "PRAGMA busy_timeout=30000", "PRAGMA cache_size=-64000",
                       # freed pages are zeroed: an erased person's values do not linger
                       "PRAGMA secure_delete=ON"):
            conn.execute(pragma)
        return conn

    @contextlib.contextmanager
    def _sqlite_conn(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._sqlite.get_nowait()
        except queue.Empty:
            conn = self._sqlite_connect()
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.rollback()
            self._sqlite.put(conn)

    # -- transactions ----------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction; commits on success, rolls back on any exception."""
        if self.postgres:
            with self._pool.connection() as conn:
                with conn.transaction():
                    tx = Tx(conn, True)
                    yield tx
            return
        with self._sqlite_conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(conn, False)
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    @contextlib.contextmanager
    def read(self) -> Iterator[Tx]:
        """A read transaction: one consistent snapshot for several statements."""
        if self.postgres:
            with self._pool.connection() as conn:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    yield Tx(conn, True)
            return
        with self._sqlite_conn() as conn:
            conn.execute("BEGIN")
            try:
                yield Tx(conn, False)
            finally:
                conn.rollback()

    @contextlib.contextmanager
    def raw(self) -> Iterator[Tx]:
        """A connection outside any transaction (migrations manage their own)."""
        if self.postgres:
            with self._pool.connection() as conn:
                conn.autocommit = True
                try:
                    yield Tx(conn, True)
                finally:
                    conn.autocommit = False
            return
        with self._sqlite_conn() as conn:
            yield Tx(conn, False)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.postgres:
            self._pool.close()
        else:
            while True:
                try:
                    self._sqlite.get_nowait().close()
                except queue.Empty:
                    break


def sqlite_path(url: str) -> Path:
    """As SQLAlchemy spells it: `sqlite:///relative.db`, `sqlite:////abs/path.db`;
    also `sqlite:path.db` or a plain path."""
    for prefix in ("sqlite:///", "sqlite://", "sqlite:"):
        if url.startswith(prefix):
            return Path(unquote(url[len(prefix):]))
    return Path(url)


def default_database_url() -> str:
    from bpjs_field.paths import data_dir
    return f"sqlite:///{(data_dir() / 'branch-server.sqlite3').as_posix()}"
