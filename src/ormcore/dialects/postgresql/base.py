"""The PostgreSQL dialect: what PostgreSQL does differently from the default dialect.

Two-phase commit uses PREPARE TRANSACTION / COMMIT PREPARED, which the server refuses inside a
transaction block; those statements therefore run with the driver in autocommit mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any
from typing import Optional

from ...engine.default import DefaultDialect
from .compiler import PGCompiler
from . import ddl as pg_ddl
from .ddl import PGDDLCompiler
from .ddl import PGIdentifierPreparer
from .types import PGTypeCompiler
from .types import colspecs

if TYPE_CHECKING:
    from ...engine.base import Connection


class PGDialect(DefaultDialect):
    """PostgreSQL, any driver."""

    statement_compiler = PGCompiler

    name = "postgresql"
    ddl_compiler = PGDDLCompiler
    type_compiler_cls = PGTypeCompiler
    preparer = PGIdentifierPreparer
    colspecs = colspecs
    supports_alter = True
    supports_sequences = True
    sequences_optional = True
    supports_identity_columns = True
    supports_smallserial = True
    supports_comments = True
    supports_native_boolean = True
    supports_native_enum = True
    supports_native_decimal = True
    supports_native_uuid = True
    insert_returning = True
    update_returning = True
    delete_returning = True
    insert_executemany_returning = True
    postfetch_lastrowid = False
    max_identifier_length = 63
    _isolation_lookup = frozenset(
        ["AUTOCOMMIT", "READ COMMITTED", "READ UNCOMMITTED", "REPEATABLE READ", "SERIALIZABLE"]
    )

    def empty_set_expression(self, type_: Any) -> str:
        type_sql = "INTEGER" if type_._isnull else self.type_compiler_instance.process(
            self.type_descriptor(type_)
        )
        return f"SELECT CAST(NULL AS {type_sql}) WHERE 1!=1"

    # -- two-phase ----------------------------------------------------------------------------

    def do_begin_twophase(self, connection: "Connection", xid: Any) -> None:
        self.do_begin(connection.connection.dbapi_connection)

    def do_prepare_twophase(self, connection: "Connection", xid: Any) -> None:
        connection.exec_driver_sql(f"PREPARE TRANSACTION {_quote_literal(xid)}")

    def _run_outside_transaction(self, connection: "Connection", sql: str) -> None:
        """Run `sql` on the raw connection in autocommit mode, then restore the mode."""
        dbapi_conn = connection.connection.dbapi_connection
        dbapi_conn.rollback()  # end the driver's idea of a transaction (no-op after PREPARE)
        was_autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        try:
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute(sql, {})  # {}: the text is pyformat, %% means %
            finally:
                cursor.close()
        finally:
            dbapi_conn.autocommit = was_autocommit

    def do_commit_twophase(self, connection: "Connection", xid: Any, is_prepared: bool = True,
                           recover: bool = False) -> None:
        if is_prepared:
            self._run_outside_transaction(connection, f"COMMIT PREPARED {_quote_literal(xid)}")
        else:
            self.do_commit(connection.connection.dbapi_connection)

    def do_rollback_twophase(self, connection: "Connection", xid: Any, is_prepared: bool = True,
                             recover: bool = False) -> None:
        if is_prepared:
            self._run_outside_transaction(connection, f"ROLLBACK PREPARED {_quote_literal(xid)}")
        else:
            self.do_rollback(connection.connection.dbapi_connection)

    def do_recover_twophase(self, connection: "Connection") -> list:
        return list(connection.exec_driver_sql("SELECT gid FROM pg_prepared_xacts").scalars())

    # -- schema -------------------------------------------------------------------------------

    def has_table(self, connection: "Connection", table_name: str, schema: Optional[str] = None) -> bool:
        return pg_ddl.has_table(connection, table_name, schema)

    def has_index(self, connection: "Connection", table_name: str, index_name: str,
                  schema: Optional[str] = None) -> bool:
        return pg_ddl.has_index(connection, table_name, index_name, schema)

    def has_sequence(self, connection: "Connection", sequence_name: str,
                     schema: Optional[str] = None) -> bool:
        return pg_ddl.has_sequence(connection, sequence_name, schema)

    def has_type(self, connection: "Connection", type_name: str, schema: Optional[str] = None) -> bool:
        return pg_ddl.has_type(connection, type_name, schema)


def _quote_literal(value: str) -> str:
    """A SQL string literal for exec_driver_sql(); two-phase ids can't be bound parameters in
    these statements, and % is doubled because the driver reads the text as pyformat."""
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"
