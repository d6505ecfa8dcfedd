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
from ..sql.compiler import StrSQLCompiler
from ..sql.ddl_compiler import DDLCompiler
from ..sql.ddl_compiler import GenericTypeCompiler
from ..sql.crud import _MultiparamColumn
from ..sql.identifiers import IdentifierPreparer
from .result import ResultMetaData
from .row import Row

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
    # whether create_server_side_cursor() exists: rows of stream_results / yield_per
    # executions are then fetched from the server as they are read
    supports_server_side_cursors = False
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

    def create_server_side_cursor(self, dbapi_connection: Any) -> Any:
        """A DBAPI cursor whose rows stay on the server until fetched (stream_results)."""
        raise NotImplementedError()

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
    statement_compiler = StrSQLCompiler
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
        "_inserted_primary_key_rows", "_dml_params", "_compiled_parameters",
        "returned_default_rows", "__weakref__",
    )

    isupdate = property(lambda self: self._dml_kind("isupdate"))
    isdelete = property(lambda self: self._dml_kind("isdelete"))

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
        self._dml_params: Optional[tuple] = None
        self._compiled_parameters: Optional[list] = None
        self.returned_default_rows: Optional[list] = None

    def _dml_kind(self, name: str) -> bool:
        compiled = self.compiled
        return compiled is not None and bool(getattr(compiled, name, False))

    @property
    def connection(self) -> Any:
        return self.root_connection

    @property
    def engine(self) -> Any:
        return self.root_connection.engine

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

    # -- INSERT / UPDATE / DELETE ---------------------------------------------------------------
    #
    # Connection._execute_statement calls, for a compiled DML statement (`compiled._dml_exec`
    # is not None), `_dml_pre_execute` before it builds the driver's parameters and
    # `_post_dml` after the cursor ran. The first fills each parameter set with the
    # Python-side defaults the statement left to the engine; the second reads back what the
    # statement produced for the engine's own use (an implicit RETURNING of the primary key,
    # return_defaults()) and keeps what inserted_primary_key needs.

    @staticmethod
    def _dml_pre_execute(connection: Any, compiled: Any, distilled: list, extracted: Any) -> list:
        """The parameter sets with each Python-side default (and onupdate) filled in, evaluated
        per set, as new dicts: the user's dicts are never changed."""
        info = compiled._dml_exec
        if len(distilled) > 1 and not info.isinsert and (
            info.explicit_returning or info.implicit_returning
        ):
            dialect = connection.dialect
            verb = "UPDATE" if info.isupdate else "DELETE"
            error = exc.InvalidRequestError(
                f"Dialect {dialect.name}+{dialect.driver} with current server capabilities does "
                f"not support {verb}..RETURNING when executemany is used"
            )
            raise exc.StatementError(
                f"(ormcore.exc.InvalidRequestError) {error}", compiled.string, distilled, error,
                hide_parameters=connection.engine.hide_parameters, ismulti=True,
            )
        recs = info.prefetch
        if not recs:
            return distilled
        if not distilled:
            distilled = [{}]
        scalars = info.prefetch_scalars
        if scalars is not None:
            # only constant defaults: one dict merge per parameter set
            return [{**params, **scalars} for params in distilled]
        context = _DefaultsContext(connection, compiled, extracted)
        filled = []
        params: dict = {}
        try:
            for params in distilled:
                params = dict(params)
                context._begin(params)
                for name, column, default in recs:
                    if default is None:
                        value = _fire_implicit_sequence(connection, column)
                    elif default.is_scalar:
                        value = default.arg
                    elif default.is_callable:
                        context.current_column = column
                        value = default.arg(context)
                    elif default.is_sequence:
                        value = _fire_sequence(connection, default, column)
                    elif default.is_clause_element:
                        value = _execute_default_expression(connection, default.arg, column)
                    else:
                        continue
                    params[name] = value
                    context._set(name, value)
                filled.append(params)
        except exc.SQLAlchemyError:
            raise
        except Exception as err:  # a default function failed: reported as SQLAlchemy does
            raise exc.StatementError(
                f"({type(err).__module__}.{type(err).__qualname__}) {err}", compiled.string,
                params, err,
                hide_parameters=connection.engine.hide_parameters,
            ) from err
        return filled

    def _post_dml(self, result: Any, distilled: list, extracted: Any) -> None:
        """After a DML statement ran: read an implicit RETURNING (leaving the user an exhausted
        result, as SQLAlchemy does), and keep the parameters inserted_primary_key and
        compiled_parameters are computed from."""
        info = self.compiled._dml_exec
        self._dml_params = (distilled, extracted)
        if info.implicit_returning and result._returns_rows:
            cursor = result.cursor
            try:
                raws = cursor.fetchall()
            except BaseException as err:
                self.root_connection._handle_dbapi_exception(err, None, None, cursor, self)
            # read after the fetch: SQLite counts RETURNING rows as they are fetched
            self._rowcount = cursor.rowcount
            self._lastrowid = cursor.lastrowid
            rows = result._outputs(raws)
            self.returned_default_rows = rows
            if not info.isinsert:
                self._rowcount = len(rows)
            if info.supplemental:
                result._rewind(raws)
            else:
                # as SQLAlchemy: the result still has the RETURNING columns, but no rows left
                result._soft_close()
        elif info.isinsert and info.postfetch_lastrowid and self._rowcount is None:
            self._lastrowid = result.cursor.lastrowid if result.cursor is not None else None

    def _pk_rows(self) -> list:
        """One Row of primary-key values per parameter set of this INSERT."""
        info = self.compiled._dml_exec
        distilled, extracted = self._dml_params or ([], None)
        param_sets = distilled or [{}]
        meta = _pk_metadata(info)
        returned = self.returned_default_rows or []
        rows = []
        lastrowid = self._lastrowid
        for i, params in enumerate(param_sets):
            values = []
            for column, source, index, name in info.pk:
                if source == "returning":
                    values.append(returned[i][index] if i < len(returned) else None)
                    continue
                value = _param_value(info, self.compiled, name, params, extracted)
                if source == "lastrowid" and value is None and lastrowid is not None and i == 0:
                    proc = column.type._cached_result_processor(self.dialect, None)
                    value = proc(lastrowid) if proc is not None else lastrowid
                values.append(value)
            rows.append(Row(meta, None, meta._key_to_index, tuple(values)))
        return rows

    @property
    def compiled_parameters(self) -> list:
        """Each parameter set as the statement saw it: every bind name with its value,
        before type processing."""
        if self._compiled_parameters is None:
            compiled = self.compiled
            if compiled is None:
                return []
            distilled, extracted = self._dml_params or ([], None)
            info = compiled._dml_exec
            sets = []
            for params in distilled or [{}]:
                current = {}
                for name in compiled.bind_order:
                    current[name] = _param_value(info, compiled, name, params, extracted)
                sets.append(current)
            self._compiled_parameters = sets
        return self._compiled_parameters

    def inserted_primary_key_rows(self) -> list:
        if self._inserted_primary_key_rows is None:
            self._inserted_primary_key_rows = self._pk_rows()
        return self._inserted_primary_key_rows

    def inserted_primary_key(self) -> Any:
        if self.executemany:
            raise exc.InvalidRequestError(
                "This statement was an executemany call; if primary key returning is supported, "
                "please use .inserted_primary_key_rows."
            )
        rows = self.inserted_primary_key_rows()
        return rows[0] if rows else None


class _DefaultsContext:
    """What a Python-side column default function receives as its `context` argument:
    the connection, the statement, and (get_current_parameters()) the values of the row
    being inserted or updated, keyed by column key."""

    __slots__ = (
        "root_connection", "dialect", "compiled", "execution_options", "current_column",
        "_extracted", "_statement_values", "_params", "_current",
    )

    def __init__(self, connection: Any, compiled: Any, extracted: Any) -> None:
        self.root_connection = connection
        self.dialect = connection.dialect
        self.compiled = compiled
        self.execution_options = connection._execution_options
        self.current_column: Any = None
        self._extracted = extracted
        self._statement_values: Optional[dict] = None
        self._params: Optional[dict] = None
        self._current: Optional[dict] = None

    @property
    def connection(self) -> Any:
        return self.root_connection

    @property
    def engine(self) -> Any:
        return self.root_connection.engine

    @property
    def isinsert(self) -> bool:
        return self.compiled._dml_exec.isinsert

    @property
    def isupdate(self) -> bool:
        return self.compiled._dml_exec.isupdate

    def _begin(self, params: dict) -> None:
        self._params = params
        self._current = None

    def _set(self, name: str, value: Any) -> None:
        if self._current is not None:
            self._current[name] = value

    @property
    def current_parameters(self) -> Optional[dict]:
        """The row's parameters by bind name: the statement's values, the parameter set's,
        and the defaults computed so far (made on first use: most defaults never look)."""
        if self._params is None:
            return None
        current = self._current
        if current is None:
            values = self._statement_values
            if values is None:
                compiled = self.compiled
                info = compiled._dml_exec
                values = {name: None for name, _, _ in info.prefetch}
                values.update(
                    (name, _param_value(info, compiled, name, None, self._extracted))
                    for name in info.value_binds
                )
                self._statement_values = values
            current = self._current = {**values, **self._params}
        return current

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True) -> dict:
        """The values of the row this default is computed for, by column key."""
        parameters = self.current_parameters
        column = self.current_column
        if parameters is None or column is None:
            raise exc.InvalidRequestError(
                "get_current_parameters() can only be invoked in the context of a Python side "
                "column default function"
            )
        multi_keys = self.compiled._dml_exec.multi_keys
        if isolate_multiinsert_groups and multi_keys is not None:
            if isinstance(column, _MultiparamColumn):
                index = column.index + 1
                row = {column.original.key: parameters[column.key]}
            else:
                index = 0
                row = {column.key: parameters[column.key]}
            for key in multi_keys:
                row[key] = parameters.get(f"{key}_m{index}")
            return row
        return parameters


def _param_value(info: Any, compiled: Any, name: str, params: Any, extracted: Any) -> Any:
    """The value bind `name` has in one execution: the user's parameter, else the statement's
    own value (taken from the executed statement on a cache hit)."""
    if params is not None and name in params:
        return params[name]
    found = info.value_binds.get(name) if info is not None else None
    if found is not None:
        bind, position = found
        if extracted is not None:
            return extracted[position].effective_value
        return bind.effective_value
    bind = compiled.binds.get(name)
    return bind.effective_value if bind is not None else None


def _pk_metadata(info: Any) -> Any:
    """The result metadata of inserted_primary_key rows: the primary key columns' keys."""
    meta = info.pk_meta
    if meta is None:
        meta = info.pk_meta = ResultMetaData(info.pk_keys)
    return meta


def _fire_sequence(connection: Any, sequence: Any, column: Any) -> Any:
    """The next value of `sequence`, fetched before the INSERT (only when it can't be
    rendered into the statement)."""
    preparer = connection.dialect.identifier_preparer
    return _select_nextval(connection, preparer._format_sequence_string_literal(sequence))


def _fire_implicit_sequence(connection: Any, column: Any) -> Any:
    """The next value of a SERIAL column's own sequence (`<table>_<column>_seq`), for an
    INSERT that can't use RETURNING."""
    table = column.table
    preparer = connection.dialect.identifier_preparer
    name = preparer.quote(f"{table.name}_{column.name}_seq")
    if table.schema:
        name = preparer.quote_schema(table.schema) + "." + name
    return _select_nextval(connection, "'" + name.replace("'", "''") + "'")


def _select_nextval(connection: Any, literal: str) -> Any:
    sql = f"SELECT nextval({literal})"
    if connection.dialect.paramstyle in ("pyformat", "format"):
        sql = sql.replace("%", "%%")  # the driver reads the text as a format string
    return connection.exec_driver_sql(sql).scalar()


def _execute_default_expression(connection: Any, expression: Any, column: Any) -> Any:
    """The value of a SQL-expression default, selected before the INSERT (only when it can't
    be rendered into the statement)."""
    compiled = expression.compile(dialect=connection.dialect)
    params = compiled.construct_params(None)
    sql = compiled.string
    if compiled.expanding:
        sql, params = compiled._expand(params)
    value = connection.exec_driver_sql("SELECT " + sql, params).scalar()
    proc = column.type._cached_result_processor(connection.dialect, None)
    return proc(value) if proc is not None else value
