"""The SQLite dialect: what SQLite does differently from the default dialect.

Transactions follow the stdlib driver's own (legacy) rule, as SQLAlchemy's pysqlite dialect
does: BEGIN is sent before the first INSERT/UPDATE/DELETE, not before SELECT, so readers
don't hold locks. One thing is fixed on top: a SAVEPOINT outside a driver-level transaction
first sends BEGIN, so that begin_nested() is a real nested transaction and RELEASE never
commits the outer one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any
from typing import Optional

from ...engine.default import DefaultDialect
from .compiler import SQLiteCompiler
from . import ddl as sqlite_ddl
from .ddl import SQLiteDDLCompiler
from .ddl import SQLiteIdentifierPreparer
from .types import SQLiteTypeCompiler
from .types import colspecs

if TYPE_CHECKING:
    from ...engine.base import Connection


class SQLiteDialect(DefaultDialect):
    """SQLite, any driver."""

    statement_compiler = SQLiteCompiler

    name = "sqlite"
    ddl_compiler = SQLiteDDLCompiler
    type_compiler_cls = SQLiteTypeCompiler
    preparer = SQLiteIdentifierPreparer
    colspecs = colspecs
    supports_alter = False
    supports_native_boolean = False
    supports_native_decimal = False
    returns_native_bytes = True
    supports_sane_rowcount = True
    supports_sane_multi_rowcount = True
    supports_multivalues_insert = True
    default_isolation_level = "SERIALIZABLE"
    _isolation_lookup = frozenset(["READ UNCOMMITTED", "SERIALIZABLE", "AUTOCOMMIT"])

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        version = getattr(self.loaded_dbapi, "sqlite_version_info", (0, 0, 0))
        self.server_version_info = tuple(version)
        # RETURNING arrived in SQLite 3.35
        returning = self.server_version_info >= (3, 35)
        self.insert_returning = self.update_returning = self.delete_returning = returning
        self.insert_executemany_returning = returning

    def _get_server_version_info(self, dbapi_conn: Any) -> Optional[tuple]:
        return self.server_version_info

    def do_savepoint(self, connection: "Connection", name: str) -> None:
        dbapi_conn = connection.connection.dbapi_connection
        if not dbapi_conn.in_transaction and dbapi_conn.isolation_level is not None:
            connection.exec_driver_sql("BEGIN")
        super().do_savepoint(connection, name)

    def set_isolation_level(self, dbapi_conn: Any, level: str) -> None:
        level = self._check_isolation_level(level)
        if level == "AUTOCOMMIT":
            dbapi_conn.isolation_level = None
            return
        if dbapi_conn.isolation_level is None:
            dbapi_conn.isolation_level = ""
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA read_uncommitted = {1 if level == 'READ UNCOMMITTED' else 0}")
        finally:
            cursor.close()

    def get_isolation_level(self, dbapi_conn: Any) -> str:
        if dbapi_conn.isolation_level is None:
            return "AUTOCOMMIT"
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute("PRAGMA read_uncommitted")
            value = cursor.fetchone()[0]
        finally:
            cursor.close()
        return "READ UNCOMMITTED" if value else "SERIALIZABLE"

    def get_default_isolation_level(self, dbapi_conn: Any) -> str:
        return "SERIALIZABLE"

    def empty_set_expression(self, type_: Any) -> str:
        return "SELECT 1 FROM (SELECT 1) WHERE 1!=1"

    def has_table(self, connection: "Connection", table_name: str, schema: Optional[str] = None) -> bool:
        return sqlite_ddl.has_table(connection, table_name, schema)

    def has_index(self, connection: "Connection", table_name: str, index_name: str,
                  schema: Optional[str] = None) -> bool:
        return sqlite_ddl.has_index(connection, table_name, index_name, schema)
