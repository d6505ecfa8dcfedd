"""CursorResult: a Result whose rows come from a DBAPI cursor.

Made by Connection for every execution. Result metadata (column names, processors) is built
once per compiled statement and cursor description, then reused, so a repeated statement costs
only its fetch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any
from typing import Iterator
from typing import Optional
from typing import Sequence

from .. import exc
from .result import Result
from .result import ResultMetaData
from .row import RMKeyView
from .row import Row

if TYPE_CHECKING:
    from .default import DefaultExecutionContext

_NO_ROWS_MESSAGE = "This result object does not return rows. It has been closed automatically."


class _NoResultMetaData(ResultMetaData):
    """The metadata of a statement that returned no rows: asking for columns is an error."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__([])

    def _keys_view(self) -> RMKeyView:
        raise exc.ResourceClosedError(_NO_ROWS_MESSAGE)

    def _index_for_key(self, key: Any) -> int:
        raise exc.ResourceClosedError(_NO_ROWS_MESSAGE)

    def _narrowed(self, indexes: Sequence[int]) -> ResultMetaData:
        raise exc.ResourceClosedError(_NO_ROWS_MESSAGE)


_NO_ROWS = _NoResultMetaData()


def metadata_for(compiled: Any, description: Sequence[Sequence[Any]], dialect: Any) -> ResultMetaData:
    """Result metadata for a cursor description, reusing the compiled statement's last one.

    The cache is (names, metadata, trusted): `trusted` when the cursor's names were exactly
    the compiled statement's own result columns, which its fixed SQL text will always
    produce, so later executions skip comparing names (a `*` or a textual column can't
    be trusted: what it expands to may change)."""
    if compiled is None:
        return _build_metadata(None, [d[0] for d in description], description, dialect)
    cached = compiled._result_meta_cache
    if cached is not None:
        if cached[2] and len(description) == len(cached[0]):
            return cached[1]
        names = [d[0] for d in description]
        if cached[0] == names:
            return cached[1]
    else:
        names = [d[0] for d in description]
    meta = _build_metadata(compiled, names, description, dialect)
    columns = compiled._result_columns
    trusted = (bool(columns) and compiled._ordered_columns and not compiled.is_text
               and [c[1] for c in columns] == names)
    compiled._result_meta_cache = (names, meta, trusted)
    return meta


def _build_metadata(
    compiled: Any, names: list, description: Sequence[Sequence[Any]], dialect: Any
) -> ResultMetaData:
    columns = compiled._result_columns if compiled is not None else None
    if not columns:
        return ResultMetaData(names)
    processors: list = []
    objects: list = []
    if compiled._ordered_columns:
        # declared columns match the cursor's by position
        for index, name in enumerate(names):
            if index < len(columns):
                _key, _name, objs, type_ = columns[index]
                processors.append(type_._cached_result_processor(dialect, description[index][1]))
                objects.append(objs)
            else:
                processors.append(None)
                objects.append(())
    else:
        by_name = {c[1]: c for c in columns}
        lowered = {c[1].lower(): c for c in columns}
        for index, name in enumerate(names):
            col = by_name.get(name) or lowered.get(name.lower())
            if col is None:
                processors.append(None)
                objects.append(())
            else:
                processors.append(col[3]._cached_result_processor(dialect, description[index][1]))
                objects.append(col[2])
    return ResultMetaData(names, processors, objects)


class CursorResult(Result):
    """The result of executing a statement on a Connection."""

    def __init__(self, context: "DefaultExecutionContext", metadata: Optional[ResultMetaData]) -> None:
        self.context = context
        self.dialect = context.dialect
        self.cursor = context.cursor
        if metadata is None:
            # no rows: keep what the cursor knows, then let it go
            self._meta = _NO_ROWS
            self._returns_rows = False
            context._rowcount = self.cursor.rowcount
            context._lastrowid = self.cursor.lastrowid
            self.cursor.close()
            self.cursor = None
            self._soft_closed = True
        else:
            # (the yield_per execution option does not size a Core result's partitions or
            # fetchmany() in SQLAlchemy; only Result.yield_per() does)
            self._meta = metadata
            self._returns_rows = True

    @property
    def connection(self) -> Any:
        return self.context.root_connection

    # -- raw rows ----------------------------------------------------------------------------

    def _cursor(self) -> Any:
        cursor = self.cursor
        if cursor is None:
            if not self._returns_rows:
                raise exc.ResourceClosedError(_NO_ROWS_MESSAGE)
            if self._closed:
                raise exc.ResourceClosedError("This result object is closed.")
        return cursor

    def _raw_all(self) -> list:
        cursor = self._cursor()
        if cursor is None:
            return []
        try:
            rows = cursor.fetchall()
        except BaseException as err:
            self.context.root_connection._handle_dbapi_exception(err, None, None, cursor, self.context)
        self._soft_close()
        return rows

    def _raw_many(self, size: int) -> list:
        cursor = self._cursor()
        if cursor is None:
            return []
        try:
            rows = cursor.fetchmany(size) if size != 1 else _one(cursor.fetchone())
        except BaseException as err:
            self.context.root_connection._handle_dbapi_exception(err, None, None, cursor, self.context)
        if len(rows) < size:
            self._soft_close()
        return rows

    def _raw_few_and_close(self, size: int) -> list:
        """Up to `size` raw rows, then the result closed: one(), scalar() and the ORM's
        loads by primary key, in one call."""
        try:
            cursor = self.cursor
            if cursor is None:
                return self._raw_many(size)  # raises when closed; [] when used up
            try:
                return cursor.fetchmany(size)
            except BaseException as err:
                self.context.root_connection._handle_dbapi_exception(
                    err, None, None, cursor, self.context)
        finally:
            self._hard_close()

    def _raw_iter(self) -> Iterator[Sequence[Any]]:
        cursor = self._cursor()
        if cursor is None:
            return iter(())
        return iter(cursor)

    # first() and scalar() on a fresh, unfiltered result: one fetchone(), one row, no batch
    # machinery; most single-row lookups end here

    def _fetch_first_raw(self) -> Any:
        cursor = self.cursor
        try:
            raw = cursor.fetchone()
        except BaseException as err:
            self.context.root_connection._handle_dbapi_exception(err, None, None, cursor, self.context)
        self._hard_close()
        return raw

    def first(self) -> Any:
        if self.cursor is None or not self._is_plain():
            return super().first()
        raw = self._fetch_first_raw()
        if raw is None:
            return None
        meta = self._meta
        return Row(meta, meta._processors, meta._key_to_index, raw)

    def scalar(self) -> Any:
        if self.cursor is None or not self._is_plain():
            return super().scalar()
        raw = self._fetch_first_raw()
        if raw is None:
            return None
        processors = self._meta._processors
        if processors and processors[0] is not None:
            return processors[0](raw[0])
        return raw[0]

    def _default_fetchmany_size(self) -> int:
        cursor = self.cursor
        return cursor.arraysize if cursor is not None else 1

    def _soft_close(self) -> None:
        if self.cursor is not None:
            self.cursor.close()
            self.cursor = None
        self._soft_closed = True

    def _hard_close(self) -> None:
        self._soft_close()
        self._closed = True

    def _closes_after_use(self) -> bool:
        return self.cursor is not None

    # -- what the execution did ----------------------------------------------------------------

    @property
    def returns_rows(self) -> bool:
        """True if the statement returned rows (a SELECT, or DML with RETURNING)."""
        return self._returns_rows

    @property
    def rowcount(self) -> int:
        """Rows matched by an UPDATE/DELETE (the driver's rowcount)."""
        return self.context.rowcount

    @property
    def lastrowid(self) -> Any:
        """The driver's lastrowid of the last INSERT, where the driver supports it."""
        return self.context.lastrowid

    @property
    def is_insert(self) -> bool:
        return self.context.isinsert

    def _check_insert(self) -> None:
        context = self.context
        if context.compiled is None:
            raise exc.InvalidRequestError("Statement is not a compiled expression construct.")
        if not context.isinsert:
            raise exc.InvalidRequestError("Statement is not an insert() expression construct.")
        if context.compiled._dml_exec.explicit_returning:
            raise exc.InvalidRequestError(
                "Can't call inserted_primary_key when returning() is used."
            )

    @property
    def inserted_primary_key(self) -> Any:
        """The primary key of the row a single insert() created, as a Row."""
        self._check_insert()
        return self.context.inserted_primary_key()

    @property
    def inserted_primary_key_rows(self) -> list:
        """The primary key of each row inserted, one Row per parameter set (values the
        database generated are None unless it reported them)."""
        self._check_insert()
        return self.context.inserted_primary_key_rows()

    @property
    def returned_defaults_rows(self) -> Optional[list]:
        """The rows return_defaults() fetched, or None."""
        return self.context.returned_default_rows

    @property
    def returned_defaults(self) -> Any:
        """The row of server-generated values return_defaults() fetched, or None."""
        rows = self.context.returned_default_rows
        return rows[0] if rows else None

    def last_inserted_params(self) -> Any:
        """The parameters of the last insert(), by bind name (a list for executemany)."""
        context = self.context
        if context.compiled is None:
            raise exc.InvalidRequestError("Statement is not a compiled expression construct.")
        if not context.isinsert:
            raise exc.InvalidRequestError("Statement is not an insert() expression construct.")
        params = context.compiled_parameters
        return params if context.executemany else params[0]

    def last_updated_params(self) -> Any:
        """The parameters of the last update(), by bind name (a list for executemany)."""
        context = self.context
        if context.compiled is None:
            raise exc.InvalidRequestError("Statement is not a compiled expression construct.")
        if not context.isupdate:
            raise exc.InvalidRequestError("Statement is not an update() expression construct.")
        params = context.compiled_parameters
        return params if context.executemany else params[0]

    def lastrow_has_defaults(self) -> bool:
        context = self.context
        return (context.isinsert or context.isupdate) and bool(context.compiled.postfetch)

    def postfetch_cols(self) -> Any:
        """Columns the database generated that the statement did not fetch back."""
        self._check_dml_columns()
        return self.context.compiled.postfetch

    def prefetch_cols(self) -> Any:
        """Columns whose Python-side defaults the engine computed before execution."""
        self._check_dml_columns()
        compiled = self.context.compiled
        return list(compiled.insert_prefetch) + list(compiled.update_prefetch)

    def _check_dml_columns(self) -> None:
        context = self.context
        if context.compiled is None:
            raise exc.InvalidRequestError("Statement is not a compiled expression construct.")
        if not (context.isinsert or context.isupdate):
            raise exc.InvalidRequestError(
                "Statement is not an insert() or update() expression construct."
            )

    # -- used by the execution context after an implicit RETURNING ----------------------------

    def _rewind(self, raws: list) -> None:
        """Serve these already-fetched rows again, in place of the cursor's."""
        cursor = self.cursor
        if cursor is not None:
            self.cursor = _BufferedCursor(raws, cursor.description, cursor.arraysize)
            cursor.close()

    def supports_sane_rowcount(self) -> bool:
        return self.dialect.supports_sane_rowcount

    def supports_sane_multi_rowcount(self) -> bool:
        return self.dialect.supports_sane_multi_rowcount

    def close(self) -> None:
        """Release the cursor; fetching from this result afterwards raises ResourceClosedError."""
        self._hard_close()


class _BufferedCursor:
    """Rows already fetched, served with the cursor methods a CursorResult uses."""

    def __init__(self, rows: list, description: Any, arraysize: int = 1) -> None:
        self._rows = list(rows)
        self.description = description
        self.arraysize = arraysize
        self.rowcount = len(self._rows)
        self.lastrowid = None

    def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    def fetchmany(self, size: Optional[int] = None) -> list:
        size = self.arraysize if size is None else size
        taken, self._rows = self._rows[:size], self._rows[size:]
        return taken

    def fetchall(self) -> list:
        taken, self._rows = self._rows, []
        return taken

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.pop(0)

    def close(self) -> None:
        self._rows = []


def _one(row: Optional[Sequence[Any]]) -> list:
    return [row] if row is not None else []
