"""Shared bases of the SQL layer: executable statements, generative copies, column collections.

Statements are immutable in use: builder methods return a modified copy (`_generative`), which
is what makes a statement safe to cache and to share between threads.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Iterator
from typing import Optional
from typing import TypeVar

from .. import exc

_F = TypeVar("_F", bound=Callable[..., Any])

_EMPTY: dict = {}


def _generative(fn: _F) -> _F:
    """Make a builder method act on a shallow copy and return the copy."""

    def generate(self: Any, *args: Any, **kw: Any) -> Any:
        clone = self._generate()
        fn(clone, *args, **kw)
        return clone

    generate.__name__ = fn.__name__
    generate.__qualname__ = fn.__qualname__
    generate.__doc__ = fn.__doc__
    return generate  # type: ignore[return-value]


class Generative:
    """Something whose builder methods copy it first."""

    __slots__ = ()

    def _generate(self) -> Any:
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__ = self.__dict__.copy()
        clone.__dict__.pop("_cache_key_memo", None)
        return clone


class Executable(Generative):
    """A statement that Connection.execute() accepts."""

    _execution_options: dict = _EMPTY
    _cache_key_memo: Any = None  # see ClauseElement._cache_key
    # DML compiles for the keys of the execution's first parameter set (sql/dml.py)
    _compile_uses_parameter_keys = False
    is_select = False
    is_insert = False
    is_update = False
    is_delete = False
    is_dml = False
    is_text = False
    is_ddl = False

    @_generative
    def execution_options(self, **kw: Any) -> None:
        """Copy with execution options merged in (isolation_level, stream_results, ...)."""
        if "isolation_level" in kw:
            raise exc.ArgumentError(
                "'isolation_level' execution option may only be specified "
                "on Connection.execution_options(), or per-engine using "
                "the isolation_level argument to create_engine()."
            )
        self._execution_options = {**self._execution_options, **kw}

    def get_execution_options(self) -> dict:
        return dict(self._execution_options)

    def _execute_on_connection(
        self, connection: Any, distilled_params: list, execution_options: dict
    ) -> Any:
        return connection._execute_clauseelement(self, distilled_params, execution_options)


class ColumnCollection:
    """Ordered columns by key, reachable as attributes (`table.c.id`) or items (`table.c["id"]`)."""

    __slots__ = ("_index", "_columns")

    def __init__(self, columns: Optional[list] = None) -> None:
        object.__setattr__(self, "_columns", [])
        object.__setattr__(self, "_index", {})
        for col in columns or ():
            self.add(col)

    def add(self, column: Any, key: Optional[str] = None) -> None:
        # identity, never ==: a column's == builds a SQL expression
        key = column.key if key is None else key
        if key in self._index:
            old = self._index[key]
            self._columns[_position(self._columns, old)] = column
        else:
            self._columns.append(column)
        self._index[key] = column

    def remove(self, column: Any) -> None:
        del self._columns[_position(self._columns, column)]
        for key, value in list(self._index.items()):
            if value is column:
                del self._index[key]

    def __getattr__(self, key: str) -> Any:
        if key in ("_index", "_columns"):
            raise AttributeError(key)  # not yet set: unpickling
        try:
            return self._index[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getstate__(self) -> dict:
        return {"_columns": self._columns, "_index": self._index}

    def __setstate__(self, state: dict) -> None:
        object.__setattr__(self, "_columns", state["_columns"])
        object.__setattr__(self, "_index", state["_index"])

    def __setattr__(self, key: str, value: Any) -> None:
        raise NotImplementedError("ColumnCollection is read-only; use add()")

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return self._columns[key]
        if isinstance(key, (tuple, list)):
            return ReadOnlyColumnCollection([self[k] for k in key])
        return self._index[key]

    def __contains__(self, key: Any) -> bool:
        if not isinstance(key, str):
            raise exc.ArgumentError("__contains__ requires a string argument")
        return key in self._index

    def contains_column(self, column: Any) -> bool:
        return any(c is column for c in self._columns)

    def get(self, key: str, default: Any = None) -> Any:
        return self._index.get(key, default)

    def keys(self) -> list[str]:
        return [k for k, c in self._keyed()]

    def values(self) -> list:
        return list(self._columns)

    def items(self) -> list[tuple[str, Any]]:
        return list(self._keyed())

    def _keyed(self) -> Iterator[tuple[str, Any]]:
        by_identity = {id(c): k for k, c in self._index.items()}
        for col in self._columns:
            yield by_identity.get(id(col), col.key), col

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._columns))

    def __len__(self) -> int:
        return len(self._columns)

    def __bool__(self) -> bool:
        return bool(self._columns)

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]
        # identity, not ==: a column's == builds a SQL expression
        return (
            isinstance(other, ColumnCollection)
            and len(self._columns) == len(other._columns)
            and all(a is b for a, b in zip(self._columns, other._columns))
        )

    __hash__ = None  # type: ignore[assignment]

    def as_readonly(self) -> "ReadOnlyColumnCollection":
        return ReadOnlyColumnCollection(self._columns, self._index)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({', '.join(str(c) for c in self._columns)})"


class ReadOnlyColumnCollection(ColumnCollection):
    """A view of a ColumnCollection that cannot be changed."""

    __slots__ = ()

    def __init__(self, columns: list, index: Optional[dict] = None) -> None:
        object.__setattr__(self, "_columns", list(columns))
        object.__setattr__(self, "_index", dict(index) if index is not None else {c.key: c for c in columns})

    def add(self, column: Any, key: Optional[str] = None) -> None:
        raise NotImplementedError("read-only column collection")

    def remove(self, column: Any) -> None:
        raise NotImplementedError("read-only column collection")


def _position(columns: list, column: Any) -> int:
    for i, candidate in enumerate(columns):
        if candidate is column:
            return i
    raise ValueError(f"{column!r} is not in this collection")
