"""The SQLite dialect on the standard library's sqlite3 driver (the embedded default).

Uses sqlite3's qmark paramstyle, as SQLAlchemy's pysqlite dialect does: the SQL text is the
same, and sqlite3 binds a tuple faster than a dict (it looks each name up in turn).
"""

from __future__ import annotations

import os
import re
from typing import Any
from typing import Optional

from ... import exc
from ...pool import QueuePool
from ...pool import SingletonThreadPool
from .base import SQLiteDialect

# sqlite3.connect() arguments a URL query string may carry, and their types
_DRIVER_ARGS = {
    "timeout": float,
    "isolation_level": str,
    "detect_types": int,
    "check_same_thread": lambda v: str(v).lower() in ("1", "true", "yes", "on"),
    "cached_statements": int,
}


def _regexp(pattern: Optional[str], value: Optional[str]) -> Optional[bool]:
    """`value REGEXP pattern` as SQLAlchemy registers it: re.search, NULL in -> NULL out."""
    if pattern is None or value is None:
        return None
    return re.search(pattern, value) is not None


def _is_memory(url: Any) -> bool:
    database = url.database
    if not database or database == ":memory:":
        return True
    return "mode=memory" in database or str(url.query.get("mode", "")) == "memory"


class SQLiteDialect_pysqlite(SQLiteDialect):
    """SQLite through sqlite3."""

    driver = "pysqlite"
    default_paramstyle = "qmark"

    @classmethod
    def import_dbapi(cls) -> Any:
        import sqlite3

        return sqlite3

    @classmethod
    def get_pool_class(cls, url: Any) -> type:
        return SingletonThreadPool if _is_memory(url) else QueuePool

    def create_connect_args(self, url: Any) -> tuple[list, dict]:
        if url.username or url.password or url.host or url.port:
            raise exc.ArgumentError(
                f"Invalid SQLite URL: {url}\nValid SQLite URL forms are:\n"
                " sqlite:///:memory: (or, sqlite://)\n sqlite:///relative/path/to/file.db\n"
                " sqlite:////absolute/path/to/file.db"
            )
        query = dict(url.query)
        uri = str(query.pop("uri", "false")).lower() in ("1", "true", "yes", "on")
        opts: dict[str, Any] = {}
        for key, convert in _DRIVER_ARGS.items():
            if key in query:
                opts[key] = convert(query.pop(key))
        filename = url.database or ":memory:"
        if uri:
            opts["uri"] = True
            if query:
                filename += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        elif query:
            raise exc.ArgumentError(f"Unknown SQLite URL option(s): {', '.join(query)}")
        elif filename != ":memory:":
            filename = os.path.abspath(filename)
        # pooled file connections move between threads; memory ones stay with their thread
        opts.setdefault("check_same_thread", _is_memory(url))
        return [filename], opts

    def on_connect(self) -> Any:
        """Register REGEXP (SQLite has the operator but no function behind it), then the
        configured isolation level, on each new connection."""
        set_level = super().on_connect()

        def connect(dbapi_conn: Any) -> None:
            dbapi_conn.create_function("regexp", 2, _regexp, deterministic=True)
            if set_level is not None:
                set_level(dbapi_conn)

        return connect

    def is_disconnect(self, e: BaseException, connection: Any, cursor: Any) -> bool:
        return isinstance(e, self.loaded_dbapi.ProgrammingError) and (
            "Cannot operate on a closed database." in str(e)
        )


dialect = SQLiteDialect_pysqlite
