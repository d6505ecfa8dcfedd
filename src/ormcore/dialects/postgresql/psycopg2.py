"""The PostgreSQL dialect on psycopg2.

psycopg2 takes pyformat parameters (`%(name)s`) from a dict, so users' dicts go to the driver
as they are; literal percent signs in compiled SQL are doubled by the compiler.
"""

from __future__ import annotations

import itertools
from typing import Any
from typing import Iterator
from typing import Optional

from ... import exc
from .base import PGDialect

# fragments of psycopg2 error messages that mean the connection is gone
_DISCONNECT_MESSAGES = (
    "terminating connection",
    "closed the connection",
    "connection not open",
    "could not receive data from server",
    "could not send data to server",
    "connection already closed",
    "cursor already closed",
    "losed the connection unexpectedly",
    "connection has been closed unexpectedly",
    "SSL SYSCALL error: Bad file descriptor",
    "SSL SYSCALL error: EOF detected",
    "SSL error: decryption failed or bad record mac",
    "SSL SYSCALL error: Operation timed out",
)


_cursor_names = itertools.count(1)


class _ServerSideCursor:
    """A psycopg2 named cursor (DECLARE ... CURSOR; FETCH as rows are read) that knows its
    description right after execute(), as the engine needs: psycopg2 learns it with the
    first FETCH, so the first row is fetched then and handed out before the rest."""

    __slots__ = ("cursor", "_buffer")

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self._buffer: Optional[list] = None

    def execute(self, statement: str, parameters: Any = None) -> None:
        self.cursor.execute(statement, parameters)

    @property
    def description(self) -> Any:
        if self._buffer is None:
            self._buffer = self.cursor.fetchmany(1)
        return self.cursor.description

    def _take_buffer(self) -> list:
        buffer = self._buffer or []
        self._buffer = []
        return buffer

    def fetchone(self) -> Any:
        buffer = self._take_buffer()
        return buffer[0] if buffer else self.cursor.fetchone()

    def fetchmany(self, size: Optional[int] = None) -> list:
        buffer = self._take_buffer()
        size = self.cursor.arraysize if size is None else size
        if len(buffer) >= size:
            return buffer
        return buffer + self.cursor.fetchmany(size - len(buffer))

    def fetchall(self) -> list:
        return self._take_buffer() + self.cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        yield from self._take_buffer()
        yield from self.cursor

    def close(self) -> None:
        self.cursor.close()

    @property
    def rowcount(self) -> int:
        return self.cursor.rowcount

    @property
    def lastrowid(self) -> Any:
        return self.cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self.cursor.arraysize


class PGDialect_psycopg2(PGDialect):
    """PostgreSQL through psycopg2."""

    driver = "psycopg2"
    default_paramstyle = "pyformat"
    supports_server_side_cursors = True

    def create_server_side_cursor(self, dbapi_connection: Any) -> _ServerSideCursor:
        return _ServerSideCursor(dbapi_connection.cursor(f"ormcore_c{next(_cursor_names)}"))

    @classmethod
    def import_dbapi(cls) -> Any:
        import psycopg2
        import psycopg2.extensions  # noqa: F401 - transaction status constants

        return psycopg2

    def create_connect_args(self, url: Any) -> tuple[list, dict]:
        opts = url.translate_connect_args(username="user", database="dbname")
        for key, value in url.query.items():
            if isinstance(value, tuple):
                raise exc.ArgumentError(f"URL option {key!r} may be given only once for psycopg2")
            opts[key] = value
        return [], opts

    def _get_server_version_info(self, dbapi_conn: Any) -> Optional[tuple]:
        version = dbapi_conn.server_version  # e.g. 150004 -> (15, 4)
        return (version // 10000, version % 10000) if version >= 100000 else (
            version // 10000, (version // 100) % 100, version % 100
        )

    def set_isolation_level(self, dbapi_conn: Any, level: str) -> None:
        level = self._check_isolation_level(level)
        if level == "AUTOCOMMIT":
            dbapi_conn.autocommit = True
            return
        dbapi_conn.autocommit = False
        dbapi_conn.set_session(isolation_level=level)

    def get_isolation_level(self, dbapi_conn: Any) -> str:
        if dbapi_conn.autocommit:
            return "AUTOCOMMIT"
        idle = dbapi_conn.get_transaction_status() == self.loaded_dbapi.extensions.TRANSACTION_STATUS_IDLE
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute("SHOW TRANSACTION ISOLATION LEVEL")
            value = cursor.fetchone()[0]
        finally:
            cursor.close()
        if idle:
            dbapi_conn.rollback()  # asking must not leave a transaction open
        return value.upper()

    def get_default_isolation_level(self, dbapi_conn: Any) -> str:
        return self.get_isolation_level(dbapi_conn)

    def reset_isolation_level(self, dbapi_conn: Any) -> None:
        if dbapi_conn.autocommit:
            dbapi_conn.autocommit = False
        super().reset_isolation_level(dbapi_conn)

    def is_disconnect(self, e: BaseException, connection: Any, cursor: Any) -> bool:
        dbapi = self.loaded_dbapi
        if not isinstance(e, dbapi.Error):
            return False
        if getattr(connection, "closed", 0):
            return True
        message = str(e).partition("\n")[0]
        return any(fragment in message for fragment in _DISCONNECT_MESSAGES)

    def do_ping(self, dbapi_conn: Any) -> bool:
        before = dbapi_conn.autocommit
        cursor = dbapi_conn.cursor()
        try:
            if not before:
                dbapi_conn.autocommit = True  # a ping must not leave a transaction open
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
            if not before and not dbapi_conn.closed:
                dbapi_conn.autocommit = before
        return True


dialect = PGDialect_psycopg2
