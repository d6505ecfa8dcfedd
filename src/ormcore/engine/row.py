"""Row and RowMapping: what a Result hands out, as sqlalchemy.engine.Row and RowMapping.

A Row is a tuple with names: indexing, iteration, equality and hashing are the tuple's, and
columns are also reachable as attributes (`row.name`) and through `row._mapping`. Storage and
the per-row construction loops are the core's (`ormcore._core.BaseRow`); this module adds
the Python-level protocol methods that are not on the hot path.
"""

from __future__ import annotations

import collections.abc
from typing import Any
from typing import Iterator

from .._core import BaseRow


class Row(BaseRow, collections.abc.Sequence):  # type: ignore[misc]
    """One result row: tuple-like, with named access."""

    __slots__ = ()

    @property
    def _mapping(self) -> "RowMapping":
        """A read-only mapping view of this row, keyed by column names and column objects."""
        return RowMapping(self._parent, None, self._key_to_index, self._data)

    @property
    def _fields(self) -> tuple:
        return tuple(k for k in self._parent.keys if k is not None)

    def _asdict(self) -> dict:
        return dict(self._mapping)

    @property
    def _t(self) -> "Row":
        return self

    def _tuple(self) -> "Row":
        return self

    @property
    def t(self) -> "Row":
        return self

    def tuple(self) -> "Row":
        return self

    def __contains__(self, value: Any) -> bool:
        return value in self._data

    def __repr__(self) -> str:
        return repr(self._data)

    def _special_name_accessor(name: str) -> Any:  # type: ignore[misc]
        """`row.count` / `row.index`: the column of that name if there is one, else the
        tuple method, as in SQLAlchemy."""

        def get(self: "Row") -> Any:
            if name in self._key_to_index:
                return self.__getattr__(name)
            method = getattr(collections.abc.Sequence, name)

            def meth(*args: Any, **kw: Any) -> Any:
                return method(self, *args, **kw)

            return meth

        return property(get)

    count = _special_name_accessor("count")
    index = _special_name_accessor("index")
    del _special_name_accessor

    # Comparisons are the tuple's: another Row compares by its values, anything else as the
    # tuple would compare with it (so a Row never equals a list or a string).

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]
        return self._data == (other._data if isinstance(other, Row) else other)

    def __ne__(self, other: Any) -> bool:  # type: ignore[override]
        return self._data != (other._data if isinstance(other, Row) else other)

    def __lt__(self, other: Any) -> bool:
        return self._data < (other._data if isinstance(other, Row) else other)

    def __le__(self, other: Any) -> bool:
        return self._data <= (other._data if isinstance(other, Row) else other)

    def __gt__(self, other: Any) -> bool:
        return self._data > (other._data if isinstance(other, Row) else other)

    def __ge__(self, other: Any) -> bool:
        return self._data >= (other._data if isinstance(other, Row) else other)

    __hash__ = BaseRow.__hash__


class RowMapping(BaseRow, collections.abc.Mapping):  # type: ignore[misc]
    """A Row seen as a mapping of column key to value (`row._mapping`, `result.mappings()`)."""

    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        return self._get_by_key_impl_mapping(key)

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._parent.keys if k is not None)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: Any) -> bool:
        try:
            return key in self._key_to_index
        except TypeError:
            return False

    def keys(self) -> "RMKeyView":  # type: ignore[override]
        return RMKeyView(self._parent)

    def values(self) -> "ROMappingKeysValuesView":  # type: ignore[override]
        return ROMappingKeysValuesView(self, self._values_impl())

    def items(self) -> "ROMappingItemsView":  # type: ignore[override]
        return ROMappingItemsView(self, [(key, self[key]) for key in self.keys()])

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, collections.abc.Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    # hashable like the Row it views (SQLAlchemy's is), so mappings().unique() works
    __hash__ = BaseRow.__hash__

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class RMKeyView(collections.abc.KeysView):
    """The column names of a result or row: a set-like view, whose `in` also answers for
    the other keys the columns have (column objects)."""

    __slots__ = ("_parent", "_keys")

    def __init__(self, parent: Any) -> None:
        self._parent = parent
        self._keys = [k for k in parent.keys if k is not None]

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __contains__(self, item: Any) -> bool:
        if isinstance(item, int):
            return False
        try:
            return item in self._parent._key_to_index
        except TypeError:
            return False

    def __eq__(self, other: Any) -> bool:
        return list(other) == self._keys

    def __ne__(self, other: Any) -> bool:
        return list(other) != self._keys

    def __repr__(self) -> str:
        return f"RMKeyView({self._keys!r})"


class _ROMappingView:
    """values() and items() of a RowMapping: set-like views that compare equal to lists."""

    __slots__ = ()

    _mapping: Any
    _items: list

    def __init__(self, mapping: Any, items: list) -> None:
        self._mapping = mapping
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._mapping!r})"

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __contains__(self, item: Any) -> bool:
        return item in self._items

    def __eq__(self, other: Any) -> bool:
        return list(other) == list(self)

    def __ne__(self, other: Any) -> bool:
        return list(other) != list(self)


class ROMappingKeysValuesView(_ROMappingView, collections.abc.KeysView, collections.abc.ValuesView):
    __slots__ = ("_items",)  # the mapping slot is KeysView's


class ROMappingItemsView(_ROMappingView, collections.abc.ItemsView):
    __slots__ = ("_items",)
