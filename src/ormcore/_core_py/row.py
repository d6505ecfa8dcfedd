"""Result rows: the tuple-like base of Row, and the batch loops that build rows from DBAPI tuples.

Every row a result hands out is built here, so this is on the path of every fetch. Column
processors (type conversions resolved once per result shape) are applied when the row is
made; a result shape with no processors passes the driver's tuple through untouched.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Iterable
from typing import Iterator
from typing import Optional
from typing import Sequence

Processors = Optional[Sequence[Optional[Callable[[Any], Any]]]]

_MISSING = object()


class BaseRow:
    """Values of one result row, plus the parent metadata that names them.

    `_key_to_index` maps every key the row answers to (column names, column objects)
    to a position, or to None where the key is ambiguous; the parent reports
    unknown and ambiguous keys.
    """

    __slots__ = ("_parent", "_data", "_key_to_index")

    def __init__(
        self,
        parent: Any,
        processors: Processors,
        key_to_index: dict,
        data: Sequence[Any],
    ) -> None:
        self._parent = parent
        self._key_to_index = key_to_index
        if processors:
            self._data = tuple(
                [proc(value) if proc is not None else value for proc, value in zip(processors, data)]
            )
        else:
            self._data = tuple(data)

    def __reduce__(self) -> Any:
        return _rebuild_row, (self.__class__, self._parent, self._data)

    def __getstate__(self) -> dict:
        return {"_parent": self._parent, "_data": self._data}

    def __setstate__(self, state: dict) -> None:
        parent = state["_parent"]
        self._parent = parent
        self._data = state["_data"]
        self._key_to_index = parent._key_to_index

    def _values_impl(self) -> list:
        return list(self._data)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(self._data)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def _get_by_key_impl_mapping(self, key: Any) -> Any:
        # The parent reports a missing key outside the except clause, so that the error it
        # raises does not chain the lookup's KeyError (as the compiled core's does not).
        try:
            index = self._key_to_index[key]
        except (KeyError, TypeError):  # no such key, or an unhashable one
            index = _MISSING
        if index is _MISSING:
            return self._parent._key_not_found(key, False)
        if index is None:
            return self._parent._raise_for_ambiguous_column_name(key)
        return self._data[index]

    def __getattr__(self, name: str) -> Any:
        try:
            index = self._key_to_index[name]
        except KeyError:
            index = _MISSING
        if index is _MISSING:
            return self._parent._key_not_found(name, True)
        if index is None:
            return self._parent._raise_for_ambiguous_column_name(name)
        return self._data[index]


def _rebuild_row(cls: type, parent: Any, data: tuple) -> BaseRow:
    return cls(parent, None, parent._key_to_index, data)


def make_rows(
    row_class: type,
    parent: Any,
    processors: Processors,
    key_to_index: dict,
    raw_rows: Iterable[Sequence[Any]],
) -> list:
    """Build one `row_class` per DBAPI row: the loop behind fetchall() and all()."""
    return [row_class(parent, processors, key_to_index, raw) for raw in raw_rows]


class RowIterator:
    """Iterates DBAPI rows as `row_class` rows: the loop behind iterating a result."""

    __slots__ = ("_row_class", "_parent", "_processors", "_key_to_index", "_raw")

    def __init__(
        self,
        row_class: type,
        parent: Any,
        processors: Processors,
        key_to_index: dict,
        raw_rows: Iterable[Sequence[Any]],
    ) -> None:
        self._row_class = row_class
        self._parent = parent
        self._processors = processors
        self._key_to_index = key_to_index
        self._raw = iter(raw_rows)

    def __iter__(self) -> "RowIterator":
        return self

    def __next__(self) -> BaseRow:
        raw = next(self._raw)
        return self._row_class(self._parent, self._processors, self._key_to_index, raw)
