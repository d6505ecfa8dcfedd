"""DefaultDialect: what every dialect does unless it says otherwise, and the execution context.

A dialect is a small class of differences (paramstyle, quoting, type adaptation, transaction
and two-phase SQL, disconnect detection); dialects/sqlite and dialects/postgresql subclass this.
The engine and the pool talk to the database only through these methods.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING
from typing import Any
from typing import Optional

from .. import exc
from ..sql.compiler import SQLCompiler
from ..sql.ddl_compiler import DDLCompiler
from ..sql.ddl_compiler import GenericTypeCompiler
from ..sql.identifiers import IdentifierPreparer

if TYPE_CHECKING:
    from .base import Connection


class DefaultDialect:
    """The generic dialect: ANSI-ish SQL and plain DBAPI calls."""

    name = "default"
    driver = ""
    statement_compiler = SQLCompiler
    ddl_compiler = DDLCompiler
    type_compiler_cls = GenericTypeCompiler
    preparer = IdentifierPreparer
    default_paramstyle = "named"
    supports_statement_cache = True
    supports_native_boolean = False
    supports_native_enum = False
    supports_native_decimal = False
    supports_native_uuid = False
    supports_sane_rowcount = True
    supports_sane_multi_rowcount = True
    supports_multivalues_insert = True
    supports_alter = True
    supports_sequences = False
    supports_comments = False
    insert_returning = False
    update_returning = False
    delete_returning = False
    insert_executemany_returning = False
    postfetch_lastrowid = True
    max_identifier_length = 9999
    colspecs: dict = {}
    default_isolation_level: Optional[str] = None
    server_version_info: Optional[tuple] = None
    is_async = False
    _isolation_lookup: frozenset = frozenset()

    def __init__(
        self,
        paramstyle: Optional[str] = None,
        isolation_level: Optional[str] = None,
        dbapi: Any = None,
        json_serializer: Any = None,
        json_deserializer: Any = None,
        **kw: Any,
    ) -> None:
        self.loaded_dbapi = dbapi
        self.dbapi = dbapi
        self.paramstyle = paramstyle or self.default_paramstyle
        self.positional = self.paramstyle in ("qmark", "format", "numeric")
        self.isolation_level = isolation_level
        self._json_serializer = json_serializer
        self._json_deserializer = json_deserializer
        self.identifier_preparer = self.preparer(self)
        self.type_compiler_instance = self.type_compiler = self.type_compiler_cls(self)
        self._type_memos: dict = {}

    # -- connecting ---------------------------------------------------------------------------

    @classmethod
    def import_dbapi(cls) -> Any:
        raise NotImplementedError(f"{cls.__name__} has no DBAPI module")

    @classmethod
    def get_pool_class(cls, url: Any) -> type:
        from ..pool import QueuePool

        return QueuePool

    def create_connect_args(self, url: Any) -> tuple[list, dict]:
        return [], url.translate_connect_args()

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        return self.loaded_dbapi.connect(*cargs, **cparams)

    def on_connect(self) -> Optional[Any]:
        """A function run on each new DBAPI connection, or None."""
        level = self.isolation_level
        if level is None:
            return None

        def set_level(dbapi_conn: Any) -> None:
            self.set_isolation_level(dbapi_conn, level)

        return set_level

    def initialize(self, dbapi_conn: Any) -> None:
        """Learn about the server from the first connection (version, default isolation)."""
        self.server_version_info = self._get_server_version_info(dbapi_conn)
        try:
            self.default_isolation_level = self.get_default_isolation_level(dbapi_conn)
        except NotImplementedError:
            self.default_isolation_level = None

    def _get_server_version_info(self, dbapi_conn: Any) -> Optional[tuple]:
        return None

    def get_driver_connection(self, dbapi_conn: Any) -> Any:
        return dbapi_conn

    # -- transactions -------------------------------------------------------------------------

    def do_begin(self, dbapi_conn: Any) -> None:
        """Drivers begin implicitly on the first statement; nothing to send."""

    def do_commit(self, dbapi_conn: Any) -> None:
        dbapi_conn.commit()

    def do_rollback(self, dbapi_conn: Any) -> None:
        dbapi_conn.rollback()

    def do_close(self, dbapi_conn: Any) -> None:
        dbapi_conn.close()

    def do_terminate(self, dbapi_conn: Any) -> None:
        self.do_close(dbapi_conn)

    def do_ping(self, dbapi_conn: Any) -> bool:
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        return True

    def _savepoint_sql(self, verb: str, name: str) -> str:
        return f"{verb} {self.identifier_preparer.quote(name)}"

    def do_savepoint(self, connection: "Connection", name: str) -> None:
        connection.exec_driver_sql(self._savepoint_sql("SAVEPOINT", name))

    def do_rollback_to_savepoint(self, connection: "Connection", name: str) -> None:
        connection.exec_driver_sql(self._savepoint_sql("ROLLBACK TO SAVEPOINT", name))

    def do_release_savepoint(self, connection: "Connection", name: str) -> None:
        connection.exec_driver_sql(self._savepoint_sql("RELEASE SAVEPOINT", name))

    def create_xid(self) -> str:
        """A random two-phase transaction id."""
        return "_sa_%032x" % random.randint(0, 2**128)

    def do_begin_twophase(self, connection: "Connection", xid: Any) -> None:
        raise NotImplementedError(f"{self.name} does not support two-phase transactions")

    def do_prepare_twophase(self, connection: "Connection", xid: Any) -> None:
        raise NotImplementedError(f"{self.name} does not support two-phase transactions")

    def do_rollback_twophase(self, connection: "Connection", xid: Any, is_prepared: bool = True,
                             recover: bool = False) -> None:
        raise NotImplementedError(f"{self.name} does not support two-phase transactions")

    def do_commit_twophase(self, connection: "Connection", xid: Any, is_prepared: bool = True,
                           recover: bool = False) -> None:
        raise NotImplementedError(f"{self.name} does not support two-phase transactions")

    def do_recover_twophase(self, connection: "Connection") -> list:
        raise NotImplementedError(f"{self.name} does not support two-phase transactions")

    # -- isolation ----------------------------------------------------------------------------

    def get_isolation_level_values(self, dbapi_conn: Any) -> list:
        return sorted(self._isolation_lookup)

    def _check_isolation_level(self, level: str) -> str:
        normalized = level.replace("_", " ").upper()
        if self._isolation_lookup and normalized not in self._isolation_lookup:
            raise exc.ArgumentError(
                f"Invalid value '{level}' for isolation_level. Valid isolation levels for "
                f"'{self.name}' are {', '.join(sorted(self._isolation_lookup))}"
            )
        return normalized

    def set_isolation_level(self, dbapi_conn: Any, level: str) -> None:
        raise NotImplementedError(f"{self.name} cannot set isolation levels")

    def get_isolation_level(self, dbapi_conn: Any) -> str:
        raise NotImplementedError(f"{self.name} cannot report isolation levels")

    def get_default_isolation_level(self, dbapi_conn: Any) -> Optional[str]:
        return self.get_isolation_level(dbapi_conn)

    def reset_isolation_level(self, dbapi_conn: Any) -> None:
        level = self.isolation_level or self.default_isolation_level
        if level is not None:
            self.set_isolation_level(dbapi_conn, level)

    # -- execution ----------------------------------------------------------------------------

    def do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        cursor.execute(statement, parameters)

    def do_execute_no_params(self, cursor: Any, statement: str, context: Any = None) -> None:
        cursor.execute(statement)

    def do_executemany(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        cursor.executemany(statement, parameters)

    def is_disconnect(self, e: BaseException, connection: Any, cursor: Any) -> bool:
        return False

    def empty_set_expression(self, type_: Any) -> str:
        """What `IN ()` of no values renders inside its parentheses: a set with no rows."""
        return "SELECT 1 WHERE 1!=1"

    def _render_bool(self, value: bool) -> str:
        if self.supports_native_boolean:
            return "true" if value else "false"
        return "1" if value else "0"

    # -- types and schema ---------------------------------------------------------------------

    def type_descriptor(self, typeobj: Any) -> Any:
        """The dialect's implementation of a generic type (cached on the type)."""
        return typeobj._dialect_impl(self)

    def has_table(self, connection: "Connection", table_name: str, schema: Optional[str] = None) -> bool:
        raise NotImplementedError()

    def has_index(self, connection: "Connection", table_name: str, index_name: str,
                  schema: Optional[str] = None) -> bool:
        raise NotImplementedError()

    def has_sequence(self, connection: "Connection", sequence_name: str,
                     schema: Optional[str] = None) -> bool:
        return False

    def has_type(self, connection: "Connection", type_name: str, schema: Optional[str] = None) -> bool:
        return False


class StrCompileDialect(DefaultDialect):
    """The dialect str(statement) compiles with when no engine is given."""

    name = "default"
    supports_native_boolean = True
    supports_sequences = True
    insert_returning = True
    update_returning = True
    delete_returning = True


class DefaultExecutionContext:
    """One execution: what ran, with what, on which cursor. Passed to events and results."""

    __slots__ = (
        "root_connection", "dialect", "compiled", "statement", "parameters", "cursor",
        "executemany", "execution_options", "isinsert", "_rowcount", "_lastrowid",
        "_inserted_primary_key_rows", "__weakref__",
    )

    def __init__(
        self,
        connection: Any,
        compiled: Any,
        statement: str,
        parameters: Any,
        cursor: Any,
        executemany: bool,
        execution_options: dict,
    ) -> None:
        self.root_connection = connection
        self.dialect = connection.dialect
        self.compiled = compiled
        self.statement = statement
        self.parameters = parameters
        self.cursor = cursor
        self.executemany = executemany
        self.execution_options = execution_options
        self.isinsert = compiled is not None and compiled.isinsert
        self._rowcount: Optional[int] = None
        self._lastrowid: Any = None
        self._inserted_primary_key_rows: Optional[list] = None

    @property
    def connection(self) -> Any:
        return self.root_connection

    @property
    def rowcount(self) -> int:
        if self._rowcount is not None:
            return self._rowcount
        return self.cursor.rowcount

    @property
    def lastrowid(self) -> Any:
        if self._rowcount is not None:
            return self._lastrowid
        return self.cursor.lastrowid

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True) -> Any:
        return self.parameters

    def _post_insert(self, result: Any) -> None:
        """After an insert() construct: work out the primary key of the row(s) it created."""
        self._inserted_primary_key_rows = self.compiled._inserted_primary_key_rows(self, result)

    def inserted_primary_key_rows(self) -> list:
        if not self.isinsert:
            raise exc.InvalidRequestError("Statement is not an insert() expression construct.")
        if self.executemany and not self.compiled.returning:
            raise exc.InvalidRequestError(
                "This statement was an executemany call; inserted_primary_key is not available"
            )
        return self._inserted_primary_key_rows or []

    def inserted_primary_key(self) -> Any:
        if not self.isinsert:
            raise exc.InvalidRequestError("Statement is not an insert() expression construct.")
        if self.executemany:
            raise exc.InvalidRequestError(
                "This statement was an executemany call; if primary key returning is supported, "
                "please use .inserted_primary_key_rows."
            )
        rows = self._inserted_primary_key_rows
        return rows[0] if rows else None
