"""Engine and Connection: executing statements, and the transactions around them.

Semantics are SQLAlchemy 2.x's: a Connection begins a transaction on first use ("autobegin",
commit as you go), `begin()` / `begin_nested()` / `begin_twophase()` give explicit transaction
objects, and closing a Connection rolls back whatever was not committed and returns the DBAPI
connection to the pool.

`Connection._execute_clauseelement` and `_run` are the path of every statement. They are kept
flat on purpose: a cached compilation, a parameter pass-through when no conversion is needed, no
per-execution objects beyond the cursor, the execution context and the result; events and
logging cost one truth test each when unused.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import time
from typing import TYPE_CHECKING
from typing import Any
from typing import Iterator
from typing import Optional

from .. import exc
from ..event.base import Dispatch
from ..sql.crud import dialect_flag
from .compiled_cache import LRUCache
from .compiled_cache import next_tick
from .cursor import CursorResult
from .cursor import metadata_for
from .default import DefaultExecutionContext
from .events import ConnectionEvents
from .events import ExceptionContextImpl

if TYPE_CHECKING:
    from ..pool import Pool
    from .url import URL

_EMPTY: dict = {}
_NO_PARAMS: list = []

logger = logging.getLogger("ormcore.engine.Engine")


# a statement sent as text that returns rows, for stream_results (as SQLAlchemy's rule)
_SELECT_TEXT = re.compile(r"\s*SELECT", re.I)


def _streams(options: dict, compiled: Any, statement: str) -> bool:
    """Whether an execution reads its rows through a server-side cursor: stream_results
    or yield_per asked for, and a SELECT (DML, even with RETURNING, is buffered)."""
    if not (options.get("stream_results") or options.get("yield_per")):
        return False
    if compiled is not None and not compiled.is_text:
        return compiled.is_select
    return _SELECT_TEXT.match(statement) is not None


def _distill_params(parameters: Any) -> list:
    """Parameters as execute() takes them -> a list of parameter sets (dicts or tuples)."""
    if parameters is None:
        return _NO_PARAMS
    if isinstance(parameters, dict) or hasattr(parameters, "keys"):
        return [parameters]
    if isinstance(parameters, list):
        if parameters and not isinstance(parameters[0], (dict, tuple)) and not hasattr(parameters[0], "keys"):
            raise exc.ArgumentError("List argument must consist only of tuples or dictionaries")
        return parameters
    if isinstance(parameters, tuple):
        if parameters and isinstance(parameters[0], (dict, tuple)):
            return list(parameters)
        return [parameters]
    raise exc.ArgumentError("mapping or list expected for parameters")


def _distill_raw_params(parameters: Any) -> list:
    """Parameters of exec_driver_sql(): a dict, a tuple, or a list of either."""
    if parameters is None:
        return _NO_PARAMS
    if isinstance(parameters, list):
        return parameters
    if isinstance(parameters, (tuple, dict)) or hasattr(parameters, "keys"):
        return [parameters]
    raise exc.ArgumentError("mapping or sequence expected for parameters")


def _event_params(distilled: list) -> tuple:
    """(multiparams, params) as before_execute listeners receive them."""
    if not distilled:
        return (), {}
    if len(distilled) == 1:
        return [], distilled[0]
    return distilled, {}


class Connection:
    """A checked-out DBAPI connection, with SQLAlchemy 2.x's execution and transaction API."""

    _is_future = True

    def __init__(self, engine: "Engine", connection: Any = None) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self._transaction: Optional[RootTransaction] = None
        self._nested_transaction: Optional[NestedTransaction] = None
        self._savepoint_seq = 0
        self._execution_options = engine._execution_options
        self._isolation_changed = False
        self._closed = False
        # set when a transaction used as a context manager was ended inside its block
        self._ctx_transaction_ended = False
        self.dispatch = engine.dispatch
        self._echo = engine._echo_enabled()
        if connection is None:
            try:
                connection = engine.raw_connection()
            except BaseException as err:
                Connection._handle_connect_error(engine, err)
        self._dbapi_connection = connection
        if engine._connection_options:
            self._apply_connection_options(engine._connection_options)
        if self.dispatch.engine_connect:
            for fn in self.dispatch.engine_connect:
                fn(self)

    @staticmethod
    def _handle_connect_error(engine: "Engine", err: BaseException) -> None:
        dialect = engine.dialect
        dbapi = dialect.loaded_dbapi
        if dbapi is None or not isinstance(err, dbapi.Error):
            raise err
        is_disconnect = dialect.is_disconnect(err, None, None)
        wrapped = exc.DBAPIError.instance(
            None, None, err, dbapi.Error, connection_invalidated=is_disconnect, dialect=dialect
        )
        if engine.dispatch.handle_error:
            ctx = ExceptionContextImpl(err, wrapped, None, engine, dialect, None, None, None, None,
                                       is_disconnect, False, True)
            for fn in engine.dispatch.handle_error:
                replacement = fn(ctx)
                if replacement is not None:
                    wrapped = replacement
        raise wrapped.with_traceback(sys.exc_info()[2]) from err

    # -- state ------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def invalidated(self) -> bool:
        """True when the DBAPI connection was invalidated and no new one taken yet."""
        return not self._closed and self._dbapi_connection is None

    @property
    def connection(self) -> Any:
        """The pooled DBAPI connection (reconnecting after an invalidation, outside a transaction)."""
        if self._dbapi_connection is None:
            return self._revalidate_connection()
        return self._dbapi_connection

    def _revalidate_connection(self) -> Any:
        if self._closed:
            raise exc.ResourceClosedError("This Connection is closed")
        if self._transaction is not None:
            raise exc.PendingRollbackError(
                "Can't reconnect until invalid transaction is rolled back.  Please rollback() "
                "fully before proceeding"
            )
        try:
            self._dbapi_connection = self.engine.raw_connection()
        except BaseException as err:
            Connection._handle_connect_error(self.engine, err)
        return self._dbapi_connection

    @property
    def info(self) -> dict:
        """A dict that lives as long as the DBAPI connection does."""
        return self.connection.info

    @property
    def default_isolation_level(self) -> Optional[str]:
        return self.dialect.default_isolation_level

    def get_isolation_level(self) -> str:
        """The isolation level in effect, as reported by the database."""
        dbapi_conn = self.connection.dbapi_connection
        try:
            return self.dialect.get_isolation_level(dbapi_conn)
        except BaseException as err:
            self._handle_dbapi_exception(err, None, None, None, None)
            raise  # unreachable: the handler always raises

    def get_execution_options(self) -> dict:
        return dict(self._execution_options)

    def execution_options(self, **opt: Any) -> "Connection":
        """Set options on this connection (isolation_level, yield_per, ...); returns self."""
        self._execution_options = {**self._execution_options, **opt}
        self._apply_connection_options(opt)
        if self.dispatch.set_connection_execution_options:
            for fn in self.dispatch.set_connection_execution_options:
                fn(self, opt)
        return self

    def _apply_connection_options(self, opt: dict) -> None:
        if "isolation_level" in opt:
            if self._transaction is not None and self._transaction.is_active:
                raise exc.InvalidRequestError(
                    "This connection has already initialized a SQLAlchemy Transaction() object "
                    "via begin() or autobegin; isolation_level may not be altered unless "
                    "rollback() or commit() is called first."
                )
            self.dialect.set_isolation_level(self.connection.dbapi_connection, opt["isolation_level"])
            self._isolation_changed = True

    # -- transactions -------------------------------------------------------------------------

    def in_transaction(self) -> bool:
        return self._transaction is not None and self._transaction.is_active

    def in_nested_transaction(self) -> bool:
        return self._nested_transaction is not None and self._nested_transaction.is_active

    def get_transaction(self) -> Optional["RootTransaction"]:
        return self._transaction

    def get_nested_transaction(self) -> Optional["NestedTransaction"]:
        return self._nested_transaction

    def begin(self) -> "RootTransaction":
        """Begin a transaction; an error if one is already in progress (autobegun or not)."""
        if self._transaction is not None:
            raise exc.InvalidRequestError(
                "This connection has already initialized a SQLAlchemy Transaction() object via "
                "begin() or autobegin; can't call begin() here unless rollback() or commit() "
                "is called first."
            )
        if self._ctx_transaction_ended:
            self._autobegin()  # raises
        return RootTransaction(self)

    def begin_nested(self) -> "NestedTransaction":
        """Begin a SAVEPOINT, autobeginning the outer transaction if there is none."""
        if self._transaction is None:
            self._autobegin()
        return NestedTransaction(self)

    def begin_twophase(self, xid: Any = None) -> "TwoPhaseTransaction":
        """Begin a two-phase (XA / PREPARE TRANSACTION) transaction."""
        if self._transaction is not None:
            raise exc.InvalidRequestError(
                "Cannot start a two phase transaction when a transaction is already in progress."
            )
        if xid is None:
            xid = self.dialect.create_xid()
        return TwoPhaseTransaction(self, xid)

    def commit(self) -> None:
        """Commit the transaction in progress, if any (releasing every savepoint)."""
        if self._transaction is not None:
            self._transaction.commit()

    def rollback(self) -> None:
        """Roll back the transaction in progress, if any."""
        if self._transaction is not None:
            self._transaction.rollback()

    def recover_twophase(self) -> list:
        return self.dialect.do_recover_twophase(self)

    def commit_prepared(self, xid: Any, recover: bool = False) -> None:
        self.dialect.do_commit_twophase(self, xid, is_prepared=True, recover=recover)

    def rollback_prepared(self, xid: Any, recover: bool = False) -> None:
        self.dialect.do_rollback_twophase(self, xid, is_prepared=True, recover=recover)

    def _autobegin(self) -> None:
        if self._ctx_transaction_ended:
            raise exc.InvalidRequestError(
                "Can't operate on closed transaction inside context manager.  Please complete "
                "the context manager before emitting further commands."
            )
        RootTransaction(self)

    def _log(self, message: str, *args: Any) -> None:
        self.engine.logger.info(message, *args)

    def _begin_impl(self, transaction: "RootTransaction") -> None:
        if self._echo:
            self._log("BEGIN (implicit)")
        if self.dispatch.begin:
            for fn in self.dispatch.begin:
                fn(self)
        try:
            self.dialect.do_begin(self.connection.dbapi_connection)
        except BaseException as err:
            self._handle_dbapi_exception(err, None, None, None, None)

    def _commit_impl(self) -> None:
        if self.dispatch.commit:
            for fn in self.dispatch.commit:
                fn(self)
        if self._echo:
            self._log("COMMIT")
        try:
            self.dialect.do_commit(self.connection.dbapi_connection)
        except BaseException as err:
            self._handle_dbapi_exception(err, None, None, None, None)

    def _rollback_impl(self) -> None:
        if self.dispatch.rollback:
            for fn in self.dispatch.rollback:
                fn(self)
        if self._dbapi_connection is None:
            return  # invalidated: the transaction died with the connection
        if self._echo:
            self._log("ROLLBACK")
        try:
            self.dialect.do_rollback(self._dbapi_connection.dbapi_connection)
        except BaseException as err:
            self._handle_dbapi_exception(err, None, None, None, None)

    def _savepoint_impl(self) -> str:
        self._savepoint_seq += 1
        if self.dispatch.savepoint:
            for fn in self.dispatch.savepoint:
                fn(self, None)  # as SQLAlchemy: the name asked for, and none was
        name = f"sa_savepoint_{self._savepoint_seq}"
        self._run_transaction_sql(self.dialect.do_savepoint, name)
        return name

    def _rollback_to_savepoint_impl(self, name: str) -> None:
        if self.dispatch.rollback_savepoint:
            for fn in self.dispatch.rollback_savepoint:
                fn(self, name, None)
        if self._dbapi_connection is not None:
            self._run_transaction_sql(self.dialect.do_rollback_to_savepoint, name)

    def _release_savepoint_impl(self, name: str) -> None:
        if self.dispatch.release_savepoint:
            for fn in self.dispatch.release_savepoint:
                fn(self, name, None)
        self._run_transaction_sql(self.dialect.do_release_savepoint, name)

    def _run_transaction_sql(self, method: Any, *args: Any) -> None:
        method(self, *args)

    def _begin_twophase_impl(self, transaction: "TwoPhaseTransaction") -> None:
        if self._echo:
            self._log("BEGIN TWOPHASE (implicit)")
        if self.dispatch.begin_twophase:
            for fn in self.dispatch.begin_twophase:
                fn(self, transaction.xid)
        self.dialect.do_begin_twophase(self, transaction.xid)

    def _prepare_twophase_impl(self, xid: Any) -> None:
        if self.dispatch.prepare_twophase:
            for fn in self.dispatch.prepare_twophase:
                fn(self, xid)
        self.dialect.do_prepare_twophase(self, xid)

    def _rollback_twophase_impl(self, xid: Any, is_prepared: bool) -> None:
        if self.dispatch.rollback_twophase:
            for fn in self.dispatch.rollback_twophase:
                fn(self, xid, is_prepared)
        if self._dbapi_connection is not None:
            self.dialect.do_rollback_twophase(self, xid, is_prepared)

    def _commit_twophase_impl(self, xid: Any, is_prepared: bool) -> None:
        if self.dispatch.commit_twophase:
            for fn in self.dispatch.commit_twophase:
                fn(self, xid, is_prepared)
        self.dialect.do_commit_twophase(self, xid, is_prepared)

    # -- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Roll back what is uncommitted and return the DBAPI connection to the pool."""
        if self._closed:
            return
        ended_transaction = self._transaction is not None
        if ended_transaction:
            self._transaction.close()
        conn = self._dbapi_connection
        if conn is not None:
            if self._isolation_changed:
                try:
                    self.dialect.reset_isolation_level(conn.dbapi_connection)
                except Exception:
                    conn.invalidate()
            if ended_transaction:
                # just rolled back: the pool need not roll back again
                conn._close_special(transaction_reset=True)
            else:
                conn.close()
        self._dbapi_connection = None
        self._closed = True

    def invalidate(self, exception: Optional[BaseException] = None) -> None:
        """Discard the DBAPI connection (it is closed, not pooled); a new one is taken on next use."""
        if self._closed:
            raise exc.ResourceClosedError("This Connection is closed")
        if self._dbapi_connection is not None:
            self._dbapi_connection.invalidate(exception)
        self._dbapi_connection = None

    def detach(self) -> None:
        """Take the DBAPI connection out of the pool: closing it really closes it."""
        self.connection.detach()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        self.close()

    # -- execution --------------------------------------------------------------------------

    def execute(
        self,
        statement: Any,
        parameters: Any = None,
        *,
        execution_options: Optional[dict] = None,
    ) -> CursorResult:
        """Execute a statement: `parameters` a dict (one execution) or a list of dicts (executemany)."""
        if parameters is None:
            distilled = _NO_PARAMS
        elif type(parameters) is dict:
            distilled = [parameters]
        else:
            distilled = _distill_params(parameters)
        try:
            meth = statement._execute_on_connection
        except AttributeError:
            raise exc.ObjectNotExecutableError(statement) from None
        return meth(self, distilled, execution_options or _EMPTY)

    def scalar(self, statement: Any, parameters: Any = None, *, execution_options: Optional[dict] = None) -> Any:
        return self.execute(statement, parameters, execution_options=execution_options).scalar()

    def scalars(self, statement: Any, parameters: Any = None, *, execution_options: Optional[dict] = None) -> Any:
        return self.execute(statement, parameters, execution_options=execution_options).scalars()

    def exec_driver_sql(
        self, statement: str, parameters: Any = None, execution_options: Optional[dict] = None
    ) -> CursorResult:
        """Execute a SQL string with the driver's own paramstyle, unprocessed."""
        options = self._merge_options(_EMPTY, execution_options)
        distilled = _distill_raw_params(parameters)
        if not distilled:
            params: Any = None
            many = False
        elif len(distilled) == 1:
            params, many = distilled[0], False
        else:
            params, many = distilled, True
        return self._run(None, statement, params, many, options, "[raw sql]")

    def _merge_options(self, element_options: dict, execution_options: Optional[dict]) -> dict:
        options = self._execution_options
        if element_options:
            options = {**options, **element_options}
        if execution_options:
            options = {**options, **execution_options}
        return options

    def _execute_clauseelement(self, elem: Any, distilled: list, execution_options: dict) -> CursorResult:
        dispatch = self.dispatch
        if dispatch.before_execute or dispatch.after_execute:
            return self._execute_with_statement_events(elem, distilled, execution_options)
        return self._execute_statement(elem, distilled, execution_options)

    def _execute_statement(self, elem: Any, distilled: list, execution_options: dict) -> CursorResult:
        options = self._execution_options
        if elem._execution_options or execution_options:
            options = self._merge_options(elem._execution_options, execution_options)
        # the compiled-cache hit is inlined: it is the path of every repeated statement
        cache = options.get("compiled_cache", self.engine._compiled_cache)
        compiled = None
        extracted = None
        how = ""
        compile_kw = self.engine._compile_kw
        if elem._compile_uses_parameter_keys:
            # DML is compiled for the keys of the first parameter set, and for executemany
            first = distilled[0] if distilled else None
            compile_kw = {
                **compile_kw,
                "column_keys": sorted(first.keys()) if hasattr(first, "keys") else [],
                "for_executemany": len(distilled) > 1,
            }
        if cache is not None:
            memo = elem._cache_key_memo
            key, binds = memo if memo is not None else elem._cache_key()
            if key is not None:
                if elem._compile_uses_parameter_keys:
                    key = (key, tuple(compile_kw["column_keys"]), compile_kw["for_executemany"])
                compiled = cache.get(key)
                if compiled is not None:
                    compiled._last_used = next_tick()
                    if compiled._bind_defaults and compiled.statement is not elem:
                        extracted = binds
                    if self._echo:
                        how = f"[cached since {time.perf_counter() - compiled._created_at:.4g}s ago]"
                else:
                    compiled, how = self._compile_into(cache, key, elem, compile_kw)
        if compiled is None:
            compiled, how = elem.compile(dialect=self.dialect, **compile_kw), "[dialect compiled]"
        dml = compiled._dml_exec
        if dml is not None:
            # INSERT/UPDATE/DELETE: Python-side column defaults evaluated per parameter set
            # (engine/default.py), executemany INSERTs batched into multi-row VALUES
            distilled = DefaultExecutionContext._dml_pre_execute(self, compiled, distilled, extracted)
            if dml.insertmanyvalues is not None and len(distilled) > 1:
                return self._execute_insertmanyvalues(compiled, distilled, extracted, options, how)
        try:
            if len(distilled) > 1:
                params = compiled.construct_params_many(distilled, extracted)
                many = True
            else:
                params = compiled.construct_params(distilled[0] if distilled else None, extracted)
                many = False
            statement = compiled.string
            if compiled.expanding:
                statement, params = compiled._expand(params)
        except exc.SQLAlchemyError:
            raise
        except Exception as err:  # a bind processor refused a value
            raise exc.StatementError(
                f"({exc._qualified_name(type(err))}) {err}", compiled.string,
                distilled[0] if len(distilled) == 1 else distilled, err,
                hide_parameters=self.engine.hide_parameters, ismulti=len(distilled) > 1,
            ) from err
        result = self._run(compiled, statement, params, many, options, how)
        if dml is not None:
            result.context._post_dml(result, distilled, extracted)
        return result

    def _execute_with_statement_events(
        self, elem: Any, distilled: list, execution_options: dict
    ) -> CursorResult:
        """_execute_clauseelement with before_execute / after_execute listeners around it."""
        multiparams, params = _event_params(distilled)
        for fn in self.dispatch.before_execute:
            elem, multiparams, params = fn(self, elem, multiparams, params, execution_options)
        distilled = _distill_params(multiparams or params or None)
        result = self._execute_statement(elem, distilled, execution_options)
        for fn in self.dispatch.after_execute:
            fn(self, elem, multiparams, params, execution_options, result)
        return result

    def _compile_into(self, cache: dict, key: Any, elem: Any, compile_kw: dict = _EMPTY) -> tuple:
        """Compile `elem` and keep it in `cache` (the engine's LRUCache) under `key`."""
        started = time.perf_counter()
        compiled = elem.compile(dialect=self.dialect, **compile_kw)
        compiled._created_at = started
        cache[key] = compiled
        how = f"[generated in {time.perf_counter() - started:.5f}s]" if self._echo else ""
        return compiled, how

    def _execute_ddl(self, ddl: Any, distilled: list, execution_options: dict) -> CursorResult:
        options = self._merge_options(getattr(ddl, "_execution_options", _EMPTY), execution_options)
        multiparams, params = _event_params(distilled)
        for fn in self.dispatch.before_execute:
            ddl, multiparams, params = fn(self, ddl, multiparams, params, execution_options)
        compiled = ddl.compile(dialect=self.dialect)
        result = self._run(None, compiled.string, None, False, options, "[ddl]")
        for fn in self.dispatch.after_execute:
            fn(self, ddl, multiparams, params, execution_options, result)
        return result

    def _execute_insertmanyvalues(
        self, compiled: Any, distilled: list, extracted: Any, options: dict, how: str
    ) -> CursorResult:
        """An executemany INSERT run as batches of multi-row VALUES (sql/compile_dml.py's
        InsertManyValues); one result with every RETURNING row, in parameter order.

        As SQLAlchemy: one execution context and one cursor for every batch; the context keeps
        the single-row statement and every parameter set, while the cursor events see each
        batch's SQL and parameters with executemany=True."""
        imv = compiled._dml_exec.insertmanyvalues
        dialect = self.dialect
        page = options.get("insertmanyvalues_page_size") or dialect_flag(
            dialect, "insertmanyvalues_page_size"
        )
        page = max(1, min(page, dialect_flag(dialect, "insertmanyvalues_max_parameters")
                          // imv.params_per_row))
        try:
            driver_rows = compiled.construct_params_many(distilled, extracted)
            if not compiled.positional:
                per_row = imv.per_row
                for number, row in enumerate(driver_rows):
                    for name in per_row:
                        if name not in row:
                            raise exc.InvalidRequestError(
                                f"A value is required for bind parameter {name!r}, in parameter "
                                f"group {number}"
                            )
        except exc.StatementError:
            raise
        except Exception as err:
            raise exc.StatementError(
                f"({type(err).__module__}.{type(err).__qualname__}) {err}", compiled.string,
                distilled, err, hide_parameters=self.engine.hide_parameters, ismulti=True,
            ) from err
        conn = self._connection_in_transaction()
        try:
            cursor = conn.dbapi_connection.cursor()
        except BaseException as err:
            self._handle_dbapi_exception(err, compiled.string, driver_rows, None, None)
        context = DefaultExecutionContext(self, compiled, compiled.string, driver_rows, cursor,
                                          True, options)
        dispatch = self.dispatch
        returns_rows = bool(compiled._result_columns)
        raws: list = []
        rowcount = 0
        total = len(driver_rows)
        batches = -(-total // page)
        if self._echo:
            order = ("ordered" if returns_rows and compiled.statement._sort_by_parameter_order
                     else "unordered")
        for number, start in enumerate(range(0, total, page), 1):
            statement, params = imv.batch(driver_rows[start:start + page])
            if dispatch.before_cursor_execute:
                for fn in dispatch.before_cursor_execute:
                    statement, params = fn(self, cursor, statement, params, context, True)
            if self._echo:
                self._log(statement)
                stats = f"{number}/{batches} ({order})"
                if number == 1:
                    stats = f"{how[:-1]} (insertmanyvalues) {stats}]"
                else:
                    stats = f"[insertmanyvalues {stats}]"
                self._log_params(stats, params, False)
            try:
                cursor.execute(statement, params)
            except BaseException as err:
                self._handle_dbapi_exception(err, statement, params, cursor, context)
            if dispatch.after_cursor_execute:
                for fn in dispatch.after_cursor_execute:
                    fn(self, cursor, statement, params, context, context.executemany)
            if returns_rows:
                try:
                    raws.extend(cursor.fetchall())
                except BaseException as err:
                    self._handle_dbapi_exception(err, statement, params, cursor, context)
            # as SQLAlchemy reports it: the rowcount of the last batch
            rowcount = cursor.rowcount
        if returns_rows:
            result = CursorResult(context, metadata_for(compiled, cursor.description, dialect))
            result._rewind(raws)
        else:
            result = CursorResult(context, None)
        context._rowcount = rowcount
        context._post_dml(result, distilled, extracted)
        return result

    def _connection_in_transaction(self) -> Any:
        """The pooled DBAPI connection, revalidated if needed, inside a transaction (begun
        now unless one is active; an inactive one raises)."""
        conn = self._dbapi_connection
        if conn is None:
            conn = self._revalidate_connection()
        if self._transaction is None:
            self._autobegin()
        elif not self._transaction.is_active:
            self._transaction._raise_inactive()
        return conn

    def _run(
        self, compiled: Any, statement: str, params: Any, many: bool, options: dict, how: str
    ) -> CursorResult:
        """Run one statement (or one executemany) on the DBAPI cursor and wrap the result."""
        conn = self._connection_in_transaction()
        dialect = self.dialect
        try:
            if options and dialect.supports_server_side_cursors and _streams(options, compiled, statement):
                cursor = dialect.create_server_side_cursor(conn.dbapi_connection)
            else:
                cursor = conn.dbapi_connection.cursor()
        except BaseException as err:
            self._handle_dbapi_exception(err, statement, params, None, None)
        context = DefaultExecutionContext(self, compiled, statement, params, cursor, many, options)
        dispatch = self.dispatch
        if params is None:
            # an empty set, not none: pyformat drivers then read %% as % (SQLAlchemy's rule);
            # execution option no_parameters=True sends the SQL as it is
            params = () if dialect.positional else {}
        if dispatch.before_cursor_execute:
            for fn in dispatch.before_cursor_execute:
                statement, params = fn(self, cursor, statement, params, context, many)
            context.statement = statement
            context.parameters = params
        if self._echo:
            self._log(statement)
            self._log_params(how, params, many)
        try:
            if many:
                dialect.do_executemany(cursor, statement, params, context)
            elif not params and options.get("no_parameters"):
                dialect.do_execute_no_params(cursor, statement, context)
            else:
                cursor.execute(statement, params)
        except BaseException as err:
            self._handle_dbapi_exception(err, statement, params, cursor, context)
        if dispatch.after_cursor_execute:
            for fn in dispatch.after_cursor_execute:
                fn(self, cursor, statement, params, context, many)
        try:
            description = cursor.description  # a server-side cursor fetches its first row here
        except BaseException as err:
            self._handle_dbapi_exception(err, statement, params, cursor, context)
        if description is None:
            result = CursorResult(context, None)
        else:
            result = CursorResult(context, metadata_for(compiled, description, dialect))
        return result

    def _log_params(self, how: str, params: Any, many: bool) -> None:
        if self.engine.hide_parameters:
            self._log("%s [SQL parameters hidden due to hide_parameters=True]", how)
        else:
            self._log("%s %s", how, exc._truncated_repr(params if params is not None else (), many))

    def _handle_dbapi_exception(
        self, err: BaseException, statement: Optional[str], params: Any, cursor: Any, context: Any
    ) -> None:
        """Wrap a driver error, let handle_error listeners see it, invalidate on disconnect; raise."""
        dialect = self.dialect
        dbapi = dialect.loaded_dbapi
        is_dbapi_error = dbapi is not None and isinstance(err, dbapi.Error)
        conn = self._dbapi_connection
        is_disconnect = is_dbapi_error and dialect.is_disconnect(
            err, conn.dbapi_connection if conn is not None else None, cursor
        )
        wrapped: BaseException
        compiled = context.compiled if context is not None else None
        missing = None
        # (a batch of insertmanyvalues is other SQL, its parameters renamed per row: a
        # missing value can't be what the driver refused there)
        if (compiled is not None and statement == compiled.string
                and isinstance(err, (KeyError, dbapi.Error if dbapi else KeyError))):
            missing = compiled._missing_parameter_error(params, err)
        if missing is not None:
            wrapped = missing
        elif is_dbapi_error or (isinstance(err, Exception) and statement is not None and context is None):
            # as SQLAlchemy: other errors raised while the driver executes pass through as they are
            wrapped = exc.DBAPIError.instance(
                statement, params, err, dbapi.Error if dbapi else Exception,
                hide_parameters=self.engine.hide_parameters,
                connection_invalidated=is_disconnect, dialect=dialect,
                ismulti=context.executemany if context is not None else None,
            )
        else:
            wrapped = err
        invalidate_pool = True
        if self.dispatch.handle_error and isinstance(err, Exception):
            ctx = ExceptionContextImpl(
                err, wrapped, None, self.engine, dialect, self, cursor, statement, params,
                is_disconnect, invalidate_pool, False, context,
            )
            for fn in self.dispatch.handle_error:
                replacement = fn(ctx)
                if replacement is not None:
                    ctx.chained_exception = wrapped = replacement
            is_disconnect = ctx.is_disconnect
            invalidate_pool = ctx.invalidate_pool_on_disconnect
            if isinstance(wrapped, exc.StatementError):
                wrapped.connection_invalidated = is_disconnect
        if cursor is not None:
            with contextlib.suppress(Exception):
                cursor.close()
        if is_disconnect and conn is not None:
            if invalidate_pool:
                # every connection older than this one is suspect too; this one is closed
                self.engine.pool._invalidate(conn, err)
            elif conn.is_valid:
                conn.invalidate(err)
            self._dbapi_connection = None
        if wrapped is err:
            raise err
        raise wrapped.with_traceback(err.__traceback__) from err

    def _run_ddl_visitor(self, visitorcallable: Any, element: Any, **kw: Any) -> None:
        visitorcallable(self.dialect, self, **kw).traverse_single(element)


class Transaction:
    """A transaction on a Connection: commit(), rollback(), close(), and `with` support."""

    _is_root = False

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.is_active = True
        self._closed = False

    @property
    def is_valid(self) -> bool:
        return self.is_active and not self.connection.invalidated

    def _raise_inactive(self) -> None:
        raise exc.PendingRollbackError(
            "This connection is on an inactive transaction.  Please rollback() fully before "
            "proceeding."
        )

    def commit(self) -> None:
        try:
            self._do_commit()
        finally:
            self._ended()

    def rollback(self) -> None:
        try:
            self._do_rollback()
        finally:
            self._ended()

    def close(self) -> None:
        try:
            self._do_close()
        finally:
            self._ended()

    def __enter__(self) -> "Transaction":
        self._in_context = True
        return self

    _in_context = False

    def _ended(self) -> None:
        self._closed = True
        if self._in_context and self._is_root:
            self.connection._ctx_transaction_ended = True

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        self._in_context = False
        if self._is_root:
            self.connection._ctx_transaction_ended = False
        if self._closed:
            return
        if type_ is None and self.is_active:
            try:
                self.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    self.rollback()
                raise
        else:
            self.rollback()


class RootTransaction(Transaction):
    """The outermost transaction of a Connection (explicit begin() or autobegin)."""

    _is_root = True

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        connection._transaction = self
        self._begin()

    def _begin(self) -> None:
        try:
            self.connection._begin_impl(self)
        except BaseException:
            self.connection._transaction = None
            raise

    def _deactivate(self) -> None:
        conn = self.connection
        self.is_active = False
        nested = conn._nested_transaction
        while nested is not None:
            nested.is_active = False
            nested._closed = True
            nested = nested._previous
        conn._nested_transaction = None
        if conn._transaction is self:
            conn._transaction = None

    def _do_commit(self) -> None:
        if not self.is_active:
            if self.connection._transaction is self:
                self._raise_inactive()
            raise exc.InvalidRequestError("This transaction is inactive")
        try:
            self._commit_on_connection()
        finally:
            self._deactivate()

    def _commit_on_connection(self) -> None:
        self.connection._commit_impl()

    def _do_rollback(self) -> None:
        if self.connection._transaction is not self:
            return
        try:
            if self.is_active or self.connection._dbapi_connection is not None:
                self._rollback_on_connection()
        finally:
            self._deactivate()

    def _rollback_on_connection(self) -> None:
        self.connection._rollback_impl()

    def _do_close(self) -> None:
        self._do_rollback()


class NestedTransaction(Transaction):
    """A SAVEPOINT inside the root transaction, as begin_nested() gives."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._previous = connection._nested_transaction
        self._savepoint = connection._savepoint_impl()
        connection._nested_transaction = self

    def _deactivate(self) -> None:
        self.is_active = False
        conn = self.connection
        nested = conn._nested_transaction
        # this savepoint and every one begun inside it are over
        while nested is not None and nested is not self:
            nested.is_active = False
            nested._closed = True
            nested = nested._previous
        if nested is self:
            conn._nested_transaction = self._previous

    def _do_commit(self) -> None:
        if not self.is_active:
            raise exc.InvalidRequestError("This nested transaction is inactive")
        try:
            self.connection._release_savepoint_impl(self._savepoint)
        finally:
            self._deactivate()

    def _do_rollback(self) -> None:
        if not self.is_active:
            return
        try:
            self.connection._rollback_to_savepoint_impl(self._savepoint)
        finally:
            self._deactivate()

    def _do_close(self) -> None:
        self._do_rollback()


class TwoPhaseTransaction(RootTransaction):
    """A root transaction committed in two phases: prepare(), then commit()."""

    def __init__(self, connection: Connection, xid: Any) -> None:
        self.xid = xid
        self._is_prepared = False
        super().__init__(connection)

    def _begin(self) -> None:
        try:
            self.connection._begin_twophase_impl(self)
        except BaseException:
            self.connection._transaction = None
            raise

    def prepare(self) -> None:
        """The first phase: the database promises it can commit."""
        if not self.is_active:
            raise exc.InvalidRequestError("This transaction is inactive")
        self.connection._prepare_twophase_impl(self.xid)
        self._is_prepared = True

    def _commit_on_connection(self) -> None:
        self.connection._commit_twophase_impl(self.xid, self._is_prepared)

    def _rollback_on_connection(self) -> None:
        self.connection._rollback_twophase_impl(self.xid, self._is_prepared)


class Engine:
    """A pool of connections to one database through one dialect, as create_engine() makes."""

    _connection_cls = Connection

    def __init__(
        self,
        pool: "Pool",
        dialect: Any,
        url: "URL",
        logging_name: Optional[str] = None,
        echo: Any = None,
        query_cache_size: int = 500,
        execution_options: Optional[dict] = None,
        hide_parameters: bool = False,
        enable_from_linting: bool = True,
    ) -> None:
        self.pool = pool
        self.url = url
        self.dialect = dialect
        self.logging_name = logging_name
        self.hide_parameters = hide_parameters
        self._compiled_cache: Optional[LRUCache] = (
            LRUCache(query_cache_size) if query_cache_size > 0 else None)
        self._execution_options: dict = {}
        self._connection_options: dict = {}
        # what every statement compiles with: linting warns of cartesian products, as
        # SQLAlchemy's engines do unless create_engine(enable_from_linting=False)
        self._compile_kw: dict = {"linting": enable_from_linting}
        self.dispatch = Dispatch(type(self))
        name = "ormcore.engine.Engine" + (f".{logging_name}" if logging_name else "")
        self.logger = logging.getLogger(name)
        self.echo = echo
        if execution_options:
            self.update_execution_options(**execution_options)

    @property
    def echo(self) -> Any:
        return self._echo

    @echo.setter
    def echo(self, value: Any) -> None:
        self._echo = value
        _configure_echo(self.logger, value)

    def _echo_enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)

    @property
    def name(self) -> str:
        return self.dialect.name

    @property
    def driver(self) -> str:
        return self.dialect.driver

    @property
    def engine(self) -> "Engine":
        return self

    def __repr__(self) -> str:
        return f"Engine({self.url!r})"

    def connect(self) -> Connection:
        """A new Connection, checked out of the pool."""
        return self._connection_cls(self)

    @contextlib.contextmanager
    def begin(self) -> Iterator[Connection]:
        """`with engine.begin() as conn:` commits at the end, or rolls back on error."""
        with self.connect() as conn:
            with conn.begin():
                yield conn

    def raw_connection(self) -> Any:
        """A pooled DBAPI connection, outside any Connection."""
        return self.pool.connect()

    def dispose(self, close: bool = True) -> None:
        """Replace the pool; with close=True the old pool's idle connections are closed."""
        if close:
            self.pool.dispose()
        self.pool = self.pool.recreate()
        for fn in self.dispatch.engine_disposed:
            fn(self)

    def execution_options(self, **opt: Any) -> "OptionEngine":
        """An Engine sharing this one's pool whose connections carry these options."""
        return OptionEngine(self, opt)

    def update_execution_options(self, **opt: Any) -> None:
        self._execution_options = {**self._execution_options, **opt}
        if "isolation_level" in opt:
            self._connection_options = {**self._connection_options, "isolation_level": opt["isolation_level"]}

    def get_execution_options(self) -> dict:
        return dict(self._execution_options)

    def clear_compiled_cache(self) -> None:
        if self._compiled_cache is not None:
            self._compiled_cache.clear()

    def _run_ddl_visitor(self, visitorcallable: Any, element: Any, **kw: Any) -> None:
        with self.begin() as conn:
            conn._run_ddl_visitor(visitorcallable, element, **kw)


class OptionEngine(Engine):
    """An Engine view with extra execution options, sharing its parent's pool and cache."""

    def __init__(self, parent: Engine, opt: dict) -> None:
        self.__dict__.update(parent.__dict__)
        self._parent = parent
        self.dispatch = parent.dispatch._child()
        self._execution_options = dict(parent._execution_options)
        self._connection_options = dict(parent._connection_options)
        self.update_execution_options(**opt)

    @property
    def pool(self) -> "Pool":  # type: ignore[override]
        return self._parent.pool

    @pool.setter
    def pool(self, value: "Pool") -> None:
        self._parent.pool = value


def _configure_echo(logger: logging.Logger, echo: Any) -> None:
    """echo=True logs statements at INFO, "debug" also rows, to stdout as SQLAlchemy does."""
    if echo is None:
        return
    if echo is False:
        logger.setLevel(logging.WARN)
        return
    logger.setLevel(logging.DEBUG if echo == "debug" else logging.INFO)
    if not any(getattr(h, "_ormcore_echo", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler._ormcore_echo = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
