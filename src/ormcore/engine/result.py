"""Result, ScalarResult and MappingResult: the fetching API of sqlalchemy.engine.Result.

A result draws raw DBAPI rows from a source (a cursor, or an in-memory list) and turns them
into outputs: Rows, scalars or mappings, optionally narrowed by columns() and de-duplicated by
unique(). The plain case, Rows with no filter, goes straight to the core's batch loops
(`make_rows`, `RowIterator`) so that `all()` and iteration cost one C loop over the rows.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Iterator
from typing import Optional
from typing import Sequence

from .. import exc
from .._core import RowIterator
from .._core import make_rows
from .row import RMKeyView
from .row import Row
from .row import RowMapping

_NO_UNIQUE = None


class ResultMetaData:
    """Names, keys and processors of a result's columns; the `_parent` of its rows."""

    __slots__ = ("keys", "_key_to_index", "_processors", "_objects")

    def __init__(
        self,
        keys: Sequence[str],
        processors: Optional[Sequence[Optional[Callable]]] = None,
        objects: Optional[Sequence[Sequence[Any]]] = None,
    ) -> None:
        """`objects[i]` lists extra keys (column objects, alternate names) for column i."""
        self.keys = list(keys)
        self._processors = list(processors) if processors and any(processors) else None
        self._objects = [tuple(o) for o in objects] if objects is not None else None
        if objects is None:
            # names straight from a cursor: a repeated name means its last column
            self._key_to_index: dict[Any, Optional[int]] = {
                key: index for index, key in enumerate(self.keys)
            }
            return
        key_to_index: dict[Any, Optional[int]] = {}
        for index, extra in enumerate(objects):
            for key in (self.keys[index], *extra):
                if key is None:
                    continue
                existing = key_to_index.get(key, -1)
                if existing == -1:
                    key_to_index[key] = index
                elif existing != index:
                    key_to_index[key] = None  # ambiguous: the same key names two columns
        self._key_to_index = key_to_index

    def __reduce__(self) -> Any:
        return ResultMetaData, (self.keys,)

    def _key_not_found(self, key: Any, attr_error: bool) -> Any:
        hash(key)  # an unhashable key is a TypeError, as a dict lookup makes it
        message = f"Could not locate column in row for column '{_key_repr(key)}'"
        if attr_error:
            raise AttributeError(message)
        raise exc.NoSuchColumnError(message)

    def _raise_for_ambiguous_column_name(self, key: Any) -> Any:
        raise exc.InvalidRequestError(
            f"Ambiguous column name '{_key_repr(key)}' in result set column descriptions"
        )

    def _keys_view(self) -> RMKeyView:
        return RMKeyView(self)

    def _index_for_key(self, key: Any) -> int:
        if isinstance(key, int):
            if -len(self.keys) <= key < len(self.keys):
                return key % len(self.keys)
            raise IndexError("list index out of range")
        try:
            index = self._key_to_index[key]
        except KeyError:
            self._key_not_found(key, False)
        if index is None:
            self._raise_for_ambiguous_column_name(key)
        return index  # type: ignore[return-value]

    def _narrowed(self, indexes: Sequence[int]) -> "ResultMetaData":
        """The metadata of columns `indexes` only, in that order."""
        procs = self._processors
        objects = self._objects
        return ResultMetaData(
            [self.keys[i] for i in indexes],
            [procs[i] for i in indexes] if procs else None,
            [objects[i] for i in indexes] if objects else None,
        )


def _key_repr(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


class _Fetcher:
    """Common fetching API of Result, ScalarResult and MappingResult.

    `_source` is the Result that owns the cursor; `_meta` the (possibly narrowed) columns;
    `_indexes` the source positions they come from (None: all, in order).
    """

    _source: "Result"
    _meta: ResultMetaData
    _indexes: Optional[tuple] = None
    _mode = "row"  # "row", "scalar" or "mapping"
    _unique: Any = _NO_UNIQUE
    _unique_strategy: Optional[Callable] = None

    # -- turning raw rows into outputs --------------------------------------------------------

    def _is_plain(self) -> bool:
        return self._mode == "row" and self._indexes is None and self._unique is _NO_UNIQUE

    def _outputs(self, raws: list) -> list:
        meta = self._meta
        if self._indexes is not None:
            raws = [self._project(r) for r in raws]
        if self._mode == "scalar":
            proc = meta._processors[0] if meta._processors else None
            outs = [proc(r[0]) for r in raws] if proc is not None else [r[0] for r in raws]
        else:
            cls = RowMapping if self._mode == "mapping" else Row
            outs = make_rows(cls, meta, meta._processors, meta._key_to_index, raws)
        if self._unique is not _NO_UNIQUE:
            outs = self._dedupe(outs)
        return outs

    def _project(self, raw: Sequence[Any]) -> tuple:
        return tuple([raw[i] for i in self._indexes])  # type: ignore[union-attr]

    def _unique_key(self) -> Optional[Callable[[Any], Any]]:
        """The unique() strategy as applied to this result's outputs (None: the output)."""
        strategy = self._unique_strategy
        if strategy is None or self._mode != "scalar" or self._source._source_supports_scalars:
            return strategy
        # SQLAlchemy hands the strategy of a Core scalars() result the one-column Row
        meta = self._meta
        key_to_index = meta._key_to_index
        return lambda value: strategy(Row(meta, None, key_to_index, (value,)))

    def _dedupe(self, outs: list) -> list:
        seen = self._unique
        strategy = self._unique_key()
        kept = []
        for obj in outs:
            key = strategy(obj) if strategy is not None else obj
            if key not in seen:
                seen.add(key)
                kept.append(obj)
        return kept

    # -- fetching ------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Any]:
        if self._is_plain():
            meta = self._meta
            return RowIterator(Row, meta, meta._processors, meta._key_to_index,
                               self._source._raw_iter())
        return self._iter_filtered()

    def _iter_filtered(self) -> Iterator[Any]:
        # Row by row from the source's iterator, as the plain path does, so that a partly
        # consumed iteration leaves the rest of the rows to fetchone() / fetchall().
        meta = self._meta
        raws = self._source._raw_iter()
        if self._indexes is not None:
            raws = map(self._project, raws)
        outs: Iterator[Any]
        if self._mode == "scalar":
            proc = meta._processors[0] if meta._processors else None
            if proc is None:
                outs = (raw[0] for raw in raws)
            else:
                outs = (proc(raw[0]) for raw in raws)
        else:
            cls = RowMapping if self._mode == "mapping" else Row
            outs = RowIterator(cls, meta, meta._processors, meta._key_to_index, raws)
        if self._unique is _NO_UNIQUE:
            return outs
        return self._iter_unique(outs)

    def _iter_unique(self, outs: Iterator[Any]) -> Iterator[Any]:
        seen = self._unique
        strategy = self._unique_key()
        for obj in outs:
            key = strategy(obj) if strategy is not None else obj
            if key not in seen:
                seen.add(key)
                yield obj

    def __next__(self) -> Any:
        row = self._fetch_outputs(1)
        if not row:
            raise StopIteration()
        return row[0]

    def __enter__(self) -> Any:
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        self.close()

    def _fetch_outputs(self, size: int) -> list:
        """Up to `size` outputs (fewer only when the rows run out)."""
        source = self._source
        outs = self._outputs(source._raw_many(size))
        if self._unique is _NO_UNIQUE or not outs:
            return outs
        while len(outs) < size:
            raws = source._raw_many(size - len(outs))
            if not raws:
                break
            outs.extend(self._outputs(raws))
        return outs

    def all(self) -> list:
        """Every remaining output, as a list; the result is then exhausted."""
        raws = self._source._raw_all()
        if self._is_plain():
            meta = self._meta
            return make_rows(Row, meta, meta._processors, meta._key_to_index, raws)
        return self._outputs(raws)

    def fetchall(self) -> list:
        return self.all()

    def fetchone(self) -> Any:
        outs = self._fetch_outputs(1)
        return outs[0] if outs else None

    def fetchmany(self, size: Optional[int] = None) -> list:
        if size is None:
            size = self._source._yield_per or self._source._default_fetchmany_size()
        return self._fetch_outputs(size)

    def partitions(self, size: Optional[int] = None) -> Iterator[list]:
        """Lists of up to `size` outputs (default: the yield_per size, else the fetchmany()
        default) until exhausted."""
        size = size or self._source._yield_per or self._source._default_fetchmany_size()
        while True:
            batch = self._fetch_outputs(size)
            if not batch:
                return
            yield batch

    def first(self) -> Any:
        """The first output, or None; the rest is discarded and the result closed."""
        source = self._source
        closes = source._closes_after_use()
        try:
            outs = self._fetch_outputs(1)
        finally:
            if closes:
                source._hard_close()
        return outs[0] if outs else None

    def _only_one(self, raise_on_none: bool, scalar: bool, or_none_message: bool) -> Any:
        source = self._source
        closes = source._closes_after_use()
        try:
            first = self._fetch_outputs(1)
            if not first:
                if raise_on_none:
                    raise exc.NoResultFound("No row was found when one was required")
                return None
            more = self._fetch_outputs(1)
            if more:
                if or_none_message:
                    raise exc.MultipleResultsFound(
                        "Multiple rows were found when one or none was required"
                    )
                raise exc.MultipleResultsFound(
                    "Multiple rows were found when exactly one was required"
                )
        finally:
            if closes:
                source._hard_close()
        value = first[0]
        return value[0] if scalar and self._mode == "row" else value

    def one(self) -> Any:
        """Exactly one output, else NoResultFound / MultipleResultsFound."""
        return self._only_one(True, False, False)

    def one_or_none(self) -> Any:
        """One output or None; MultipleResultsFound if there are more."""
        return self._only_one(False, False, True)

    def close(self) -> None:
        self._source._hard_close()

    @property
    def closed(self) -> bool:
        return self._source._closed

    def keys(self) -> RMKeyView:
        """The names of the columns, as a set-like view that also answers `in` for their
        other keys (column objects)."""
        return self._meta._keys_view()

    # As in SQLAlchemy, unique(), columns() and yield_per() change the result they are called
    # on and return it (they are "generative in place"); scalars() and mappings() make new
    # filtering objects that share the source's cursor.

    def unique(self, strategy: Optional[Callable[[Any], Any]] = None) -> Any:
        """Only outputs not seen before (by hash, or by `strategy(output)`); returns self."""
        self._unique = set()
        self._unique_strategy = strategy
        return self

    def _narrow(self, col_expressions: Sequence[Any]) -> Any:
        positions = [self._meta._index_for_key(c) for c in col_expressions]
        base = self._indexes
        self._indexes = tuple(base[p] for p in positions) if base is not None else tuple(positions)
        self._meta = self._meta._narrowed(positions)
        return self


class Result(_Fetcher):
    """Rows of one statement's result. Subclasses provide the raw row source."""

    _closed = False
    _soft_closed = False
    _yield_per: Optional[int] = None
    #: True when each raw row is one value already (ORM entity results): scalars() then
    #: hands values, not one-column Rows, to a unique() strategy
    _source_supports_scalars = False

    def __init__(self, metadata: ResultMetaData) -> None:
        self._meta = metadata

    @property
    def _source(self) -> "Result":  # type: ignore[override]
        # a property, not `self._source = self`: a self-reference would keep every result,
        # and its cursor's open statement, alive until the cyclic GC ran. (columns() and
        # unique() change the result in place, so a Result is always its own source.)
        return self

    # -- raw source API, overridden by cursor and iterator results ------------------------------

    def _raw_all(self) -> list:
        raise NotImplementedError()

    def _raw_many(self, size: int) -> list:
        raise NotImplementedError()

    def _raw_iter(self) -> Iterator[Sequence[Any]]:
        raise NotImplementedError()

    def _default_fetchmany_size(self) -> int:
        return 1

    def _hard_close(self) -> None:
        self._closed = True

    def _closes_after_use(self) -> bool:
        """Whether first(), one(), scalar() and the like close the result when done: they do
        unless the rows were already used up (all() leaves the result soft-closed, and a
        soft-closed cursor result stays that way)."""
        return True

    # -- API only Result has ----------------------------------------------------------------------

    @property
    def _metadata(self) -> ResultMetaData:
        return self._meta

    def yield_per(self, num: int) -> "Result":
        """Fetch in batches of `num` rows when iterating or calling partitions()."""
        self._yield_per = num
        return self

    def columns(self, *col_expressions: Any) -> "Result":
        """Only these columns (by position, name or column object), in this order; returns self."""
        return self._narrow(col_expressions)

    def scalars(self, index: Any = 0) -> "ScalarResult":
        """A result of the values of one column (the first, by default)."""
        return ScalarResult(self, index)

    def mappings(self) -> "MappingResult":
        """A result of RowMapping objects instead of Rows."""
        return MappingResult(self)

    def tuples(self) -> "Result":
        return self

    @property
    def t(self) -> "Result":
        return self

    def scalar(self) -> Any:
        """The first column of the first row, or None; the result is then closed."""
        closes = self._closes_after_use()
        try:
            outs = self._fetch_outputs(1)
        finally:
            if closes:
                self._hard_close()
        if not outs:
            return None
        row = outs[0]
        return row if self._mode == "scalar" else row[0]

    def scalar_one(self) -> Any:
        """The first column of exactly one row."""
        return self._only_one(True, True, False)

    def scalar_one_or_none(self) -> Any:
        """The first column of one row, None for no row, MultipleResultsFound for more."""
        return self._only_one(False, True, True)

    def freeze(self) -> "FrozenResult":
        return FrozenResult(self)


class _FilterResult(_Fetcher):
    """A view of a Result producing scalars or mappings; shares the source's cursor."""

    def __init__(self, parent: Result) -> None:
        self._source = parent._source
        self._meta = parent._meta
        self._indexes = parent._indexes
        self._unique = parent._unique
        self._unique_strategy = parent._unique_strategy

    def yield_per(self, num: int) -> Any:
        self._source._yield_per = num
        return self


class ScalarResult(_FilterResult):
    """Values of one column, as `result.scalars()` gives."""

    _mode = "scalar"

    def __init__(self, parent: Result, index: Any = 0) -> None:
        super().__init__(parent)
        position = parent._meta._index_for_key(index)
        base = parent._indexes
        self._indexes = (base[position],) if base is not None else (position,)
        self._meta = parent._meta._narrowed([position])


class MappingResult(_FilterResult):
    """RowMappings instead of Rows, as `result.mappings()` gives."""

    _mode = "mapping"

    def columns(self, *col_expressions: Any) -> "MappingResult":
        """Only these columns, in this order; returns self."""
        return self._narrow(col_expressions)


class IteratorResult(Result):
    """A Result over rows already in memory (or any iterator of tuples)."""

    def __init__(self, metadata: ResultMetaData, rows: Any) -> None:
        super().__init__(metadata)
        self._iterator = iter(rows)

    def _check(self) -> None:
        if self._closed:
            raise exc.ResourceClosedError("This result object is closed.")

    def _raw_all(self) -> list:
        self._check()
        return list(self._iterator)

    def _raw_many(self, size: int) -> list:
        self._check()
        take = self._iterator.__next__
        out = []
        try:
            for _ in range(size):
                out.append(take())
        except StopIteration:
            pass
        return out

    def _raw_iter(self) -> Iterator[Sequence[Any]]:
        self._check()
        return self._iterator


class FrozenResult:
    """The remaining rows of a result, kept so that fresh Results can replay them."""

    def __init__(self, result: Result) -> None:
        self.metadata = result._meta
        self.data = [tuple(r) for r in result.all()]

    def rewrite_rows(self) -> list:
        return [list(r) for r in self.data]

    def __call__(self) -> IteratorResult:
        # rows already went through the processors once
        meta = ResultMetaData(self.metadata.keys, None, self.metadata._objects)
        return IteratorResult(meta, list(self.data))


def result_tuple(
    fields: Sequence[str], extra: Optional[Sequence[Any]] = None
) -> Callable[[Sequence[Any]], Row]:
    """A factory of Rows with these field names (and `extra[i]`, more keys of field i), for
    building rows outside a cursor."""
    meta = ResultMetaData(fields, None, extra)

    def build(values: Sequence[Any]) -> Row:
        return Row(meta, None, meta._key_to_index, values)

    return build
