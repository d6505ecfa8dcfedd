"""The database the benchmark runs against: its URL, raw connections, and `bench_item` upkeep.

Workloads use it outside the timed region to load, empty and read back `bench_item` through
the raw driver; contenders use its URL (engines) or `connect()` (the DBAPI floor).

SQLite runs on a file in a fresh temporary directory, not `:memory:`: every contender must see
the same data through its own connections, and a file database gets the pool applications get
(QueuePool) instead of the single shared connection an in-memory database needs. Journal and
synchronous settings are left at SQLite's defaults.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from typing import Any
from typing import Optional
from urllib.parse import parse_qsl
from urllib.parse import unquote
from urllib.parse import urlsplit

from benchmarks.data import COLUMNS
from benchmarks.data import CREATE_TABLE
from benchmarks.data import TABLE
from benchmarks.data import rows

PG_URL_VARIABLES = ("ORMCORE_BENCH_PG_URL", "ORMCORE_TEST_PG_URL")

_NAMED_PARAM = re.compile(r"(?<![:\w]):(\w+)")
_SELECT_ALL = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY id"


class Database:
    """One benchmark database; subclasses differ only in driver, paramstyle and bulk load."""

    name = ""

    def __init__(self, url: str) -> None:
        self.url = url
        self._admin = self.connect()
        self._loaded: Optional[int] = None

    def connect(self) -> Any:
        """A new raw DBAPI connection, with the driver's defaults."""
        raise NotImplementedError

    def native(self, sql: str) -> str:
        """`sql` with its `:name` parameters in the driver's own paramstyle."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line naming the server or library and where the data lives."""
        raise NotImplementedError

    def driver_version(self) -> str:
        """The DBAPI module's name and version."""
        raise NotImplementedError

    def ensure_loaded(self, n: int) -> None:
        """Make `bench_item` hold exactly `data.rows(n)`, reloading only when it may not."""
        if self._loaded == n:
            return
        cursor = self._admin.cursor()
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(CREATE_TABLE)
        self._bulk_insert(cursor, rows(n))
        cursor.close()
        self._admin.commit()
        self._after_load()
        self._loaded = n

    def restore(self, n: int) -> None:
        """Make `bench_item` hold exactly `data.rows(n)` again after a run changed its rows:
        dropped and reloaded, so that every run starts from the same table."""
        self._loaded = None
        self.ensure_loaded(n)

    def empty(self, generated_keys: bool = False) -> None:
        """Create `bench_item` afresh with no rows. With `generated_keys`, the database assigns
        `id` to every INSERT that leaves it out, counting from 1."""
        cursor = self._admin.cursor()
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(self._generated_key_table() if generated_keys else CREATE_TABLE)
        cursor.close()
        self._admin.commit()
        self._loaded = None

    def read_all(self) -> list[tuple]:
        """Every row of `bench_item`, ordered by id."""
        cursor = self._admin.cursor()
        cursor.execute(_SELECT_ALL)
        result = [tuple(row) for row in cursor.fetchall()]
        cursor.close()
        self._admin.rollback()
        return result

    def close(self) -> None:
        """Drop `bench_item` and close the setup connection."""
        cursor = self._admin.cursor()
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.close()
        self._admin.commit()
        self._admin.close()

    def _generated_key_table(self) -> str:
        """CREATE TABLE for `bench_item` whose `id` the database assigns."""
        raise NotImplementedError

    def _bulk_insert(self, cursor: Any, items: tuple) -> None:
        raise NotImplementedError

    def _after_load(self) -> None:
        pass


class SQLiteDatabase(Database):
    """A SQLite file in a temporary directory removed by close()."""

    name = "sqlite"

    def __init__(self) -> None:
        self._directory = tempfile.mkdtemp(prefix="ormcore-bench-")
        self.path = os.path.join(self._directory, "bench.db")
        super().__init__(f"sqlite:///{self.path}")

    def connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def native(self, sql: str) -> str:
        return sql  # sqlite3 takes `:name` with dict parameters as it is

    def describe(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} file {self.path}"

    def driver_version(self) -> str:
        return f"sqlite3 (SQLite {sqlite3.sqlite_version})"

    def close(self) -> None:
        super().close()
        shutil.rmtree(self._directory, ignore_errors=True)

    def _generated_key_table(self) -> str:
        return CREATE_TABLE  # INTEGER PRIMARY KEY is the rowid: assigned when left out

    def _bulk_insert(self, cursor: sqlite3.Cursor, items: tuple) -> None:
        marks = ", ".join("?" * len(COLUMNS))
        cursor.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", items)


class PostgreSQLDatabase(Database):
    """A PostgreSQL database reached with psycopg2 through a SQLAlchemy-style URL."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg2

        self._psycopg2 = psycopg2
        self._connect_args = _psycopg2_args(url)
        super().__init__(url)

    def connect(self) -> Any:
        return self._psycopg2.connect(**self._connect_args)

    def native(self, sql: str) -> str:
        return _NAMED_PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))

    def describe(self) -> str:
        version = self._admin.server_version
        args = self._connect_args
        where = f"{args.get('host', 'local socket')}:{args.get('port', 5432)}/{args.get('dbname')}"
        return f"PostgreSQL {version // 10000}.{version % 10000} at {where}"

    def driver_version(self) -> str:
        return f"psycopg2 {self._psycopg2.__version__.split()[0]}"

    def _generated_key_table(self) -> str:
        # SERIAL: what create_all() emits for the model's Integer primary key on PostgreSQL,
        # in SQLAlchemy and in ormcore alike
        ddl = CREATE_TABLE.replace("id INTEGER PRIMARY KEY", "id SERIAL PRIMARY KEY")
        if ddl == CREATE_TABLE:
            raise RuntimeError("data.CREATE_TABLE no longer declares `id INTEGER PRIMARY KEY`")
        return ddl

    def _bulk_insert(self, cursor: Any, items: tuple) -> None:
        from psycopg2.extras import execute_values

        execute_values(cursor, f"INSERT INTO {TABLE} VALUES %s", items, page_size=5000)

    def _after_load(self) -> None:
        self._admin.autocommit = True
        cursor = self._admin.cursor()
        cursor.execute(f"ANALYZE {TABLE}")
        cursor.close()
        self._admin.autocommit = False


def open_database(name: str, pg_url: Optional[str] = None) -> Database:
    """Open the benchmark database `name` ("sqlite" or "postgresql")."""
    if name == "sqlite":
        return SQLiteDatabase()
    url = pg_url or next((os.environ[v] for v in PG_URL_VARIABLES if os.environ.get(v)), None)
    if not url:
        raise ValueError(f"--db postgresql needs --pg-url or one of {', '.join(PG_URL_VARIABLES)}")
    return PostgreSQLDatabase(url)


def _psycopg2_args(url: str) -> dict[str, Any]:
    """psycopg2.connect() keywords from `postgresql[+psycopg2]://user:pw@host:port/db?opts`."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgresql+psycopg2"):
        raise ValueError(f"not a postgresql+psycopg2 URL: {url!r}")
    args: dict[str, Any] = dict(parse_qsl(parts.query))
    if parts.hostname:
        args["host"] = parts.hostname
    if parts.port:
        args["port"] = parts.port
    if parts.username:
        args["user"] = unquote(parts.username)
    if parts.password:
        args["password"] = unquote(parts.password)
    if parts.path.strip("/"):
        args["dbname"] = unquote(parts.path.strip("/"))
    return args
