"""INSERT, UPDATE and DELETE statements: `insert(table)`, `update(table)`, `delete(table)`.

The constructs only record what the user asked for (values, WHERE criteria, RETURNING columns,
...). Which columns a statement finally carries -- explicit values, parameters given at
execution, column defaults -- is decided at compile time by sql/crud.py, and the SQL is written
by sql/compile_dml.py. Literal values become bound parameters here, at construction, so that a
statement's cache key (`_gen_cache_key`) lists them in a fixed order and a cached compilation
serves every statement of the same shape.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any
from typing import Iterable
from typing import Optional
from typing import Sequence

from .. import exc
from . import coercions
from .base import ColumnCollection
from .base import Executable
from .base import ReadOnlyColumnCollection
from .base import _generative
from .elements import BindParameter
from .elements import ClauseElement
from .elements import ColumnElement

__all__ = ["Delete", "Insert", "Update", "UpdateBase", "ValuesBase", "delete", "insert", "update"]


# -- coercion helpers ---------------------------------------------------------------------------


def _clause_element(value: Any) -> Any:
    """The ClauseElement behind `value` (ORM attributes expose one), or `value` itself."""
    if isinstance(value, ClauseElement):
        return value
    getter = getattr(value, "__clause_element__", None)
    if getter is None and isinstance(value, type):
        getter = coercions._inspected(value)  # a mapped class: `update(User)`
    if getter is not None:
        value = getter()
        # an ORM entity stands for its table here
        return getattr(value, "_entity_from_clause", value)
    return value


def _orm_entity(table: Any) -> Any:
    """The mapping layer's entity when `table` is a mapped class (`update(User)`): the
    Session then runs the statement with ORM semantics (orm/bulk_persistence.py)."""
    if isinstance(table, type):
        getter = coercions._inspected(table)
        entity = getter() if getter is not None else None
        if getattr(entity, "_is_orm_entity", False):
            return entity
    return None


def _expect_dml_table(table: Any) -> Any:
    table = _clause_element(table)
    if (
        not isinstance(table, ClauseElement)
        or isinstance(table, ColumnElement)
        or not hasattr(table, "c")
    ):
        raise exc.ArgumentError(
            f"subject table for an INSERT, UPDATE or DELETE expected, got {table!r}."
        )
    return table


def _column_key(key: Any) -> Any:
    """A values() key as a string: column objects give their key."""
    if isinstance(key, str):
        return key
    key = _clause_element(key)
    column_key = getattr(key, "key", None)
    if column_key is None:
        raise exc.ArgumentError(f"DML column expected, got {key!r}")
    return column_key


def _expect_column_arg(column: Any) -> Any:
    column = _clause_element(column)
    if isinstance(column, str):
        return column
    if not isinstance(column, ClauseElement):
        raise exc.ArgumentError(
            f"SQL expression for DML column expected, got {column!r}."
        )
    return column


def _expect_where(criterion: Any) -> ClauseElement:
    """A WHERE criterion, as the expression layer coerces one (text needs text())."""
    return coercions.expect_where(criterion)


def _expect_returning(column: Any) -> list:
    """RETURNING arguments: columns and expressions; a table means all its columns."""
    column = _clause_element(column)
    if isinstance(column, ColumnElement):
        return [column]
    if isinstance(column, str):
        raise exc.ArgumentError(
            f"Textual column expression {column!r} should be explicitly declared with "
            f"text({column!r}), or use column({column!r}) for more specificity"
        )
    if not isinstance(column, ClauseElement):
        raise exc.ArgumentError(
            f"Column expression, FROM clause, or other columns clause element expected, "
            f"got {column!r}."
        )
    if getattr(column, "named_with_column", False) and hasattr(column, "c"):
        return list(column.c)
    return [column]


def _dml_value(value: Any, name: str, column: Any) -> Any:
    """A value given to values()/set_: SQL expressions as they are, anything else a bound
    parameter named for its column and typed by it."""
    value = _clause_element(value)
    col_type = getattr(column, "type", None)
    if isinstance(value, BindParameter):
        if value.type._isnull and col_type is not None and not col_type._isnull:
            value = copy.copy(value)
            value.type = col_type
        return value
    if isinstance(value, ColumnElement):
        return value
    if isinstance(value, ClauseElement):
        if getattr(value, "_is_select_statement", False):
            warnings.warn(
                "implicitly coercing SELECT object to scalar subquery; please use the "
                ".scalar_subquery() method to produce a scalar subquery.",
                exc.SAWarning,
                stacklevel=4,
            )
            value = value.scalar_subquery()
        return value
    if col_type is None or col_type._isnull:
        return BindParameter(name, value)
    return BindParameter(name, value, type_=col_type)


def _keys_of(elements: Iterable[Any], binds: list) -> Optional[tuple]:
    keys = []
    for element in elements:
        key = element._gen_cache_key(binds)
        if key is None:
            return None
        keys.append(key)
    return tuple(keys)


def _pairs_key(pairs: dict, binds: list) -> Optional[tuple]:
    """The cache key of a values() mapping: each target (a name, or a column's key) and its
    value's key, in order."""
    keys = []
    for target, value in pairs.items():
        value_key = value._gen_cache_key(binds)
        if value_key is None:
            return None
        if not isinstance(target, str):
            target = ("col", target._gen_cache_key(binds))
        keys.append((target, value_key))
    return tuple(keys)


# -- the statements -----------------------------------------------------------------------------


class UpdateBase(Executable, ClauseElement):
    """What INSERT, UPDATE and DELETE share: the target table, RETURNING, prefixes."""

    __visit_name__ = "update_base"
    is_dml = True
    named_with_column = False
    # the engine compiles DML for the keys of the first parameter set and for executemany,
    # and makes both part of the compiled-cache key
    _compile_uses_parameter_keys = True

    _returning: tuple = ()
    _return_defaults = False
    _return_defaults_columns: Optional[tuple] = None
    _supplemental_returning: Optional[tuple] = None
    _sort_by_parameter_order = False
    _prefixes: tuple = ()
    _dialect_options: dict = {}
    _inline = False

    # the mapped entity this statement was made for (orm/bulk_persistence.py), else None;
    # not part of the cache key: the SQL is its table's
    _orm_entity: Any = None

    def __init__(self, table: Any) -> None:
        self.table = _expect_dml_table(table)
        entity = _orm_entity(table)
        if entity is not None:
            self._orm_entity = entity

    def params(self, *arg: Any, **kw: Any) -> Any:
        raise NotImplementedError(
            "params() is not supported for INSERT/UPDATE/DELETE statements. To set the values "
            "for an INSERT or UPDATE statement, use stmt.values(**parameters)."
        )

    @_generative
    def returning(self, *cols: Any, sort_by_parameter_order: bool = False, **kw: Any) -> None:
        """Add a RETURNING clause: the statement's result then has these columns' rows."""
        if kw:
            raise TypeError(
                f"UpdateBase.returning() got an unexpected keyword argument {next(iter(kw))!r}"
            )
        if self._return_defaults:
            raise exc.InvalidRequestError(
                "return_defaults() is already configured on this statement"
            )
        added = []
        for col in cols:
            added.extend(_expect_returning(col))
        self._returning = self._returning + tuple(added)
        if sort_by_parameter_order:
            if not self.is_insert:
                raise exc.ArgumentError(
                    "The 'sort_by_parameter_order' argument to returning() only applies to "
                    "INSERT statements"
                )
            self._sort_by_parameter_order = True

    @_generative
    def return_defaults(
        self,
        *cols: Any,
        supplemental_cols: Optional[Iterable[Any]] = None,
        sort_by_parameter_order: bool = False,
    ) -> None:
        """Fetch server-generated defaults (and the primary key) of the row, where the backend
        has RETURNING; read them from `result.returned_defaults`."""
        columns = tuple(c for col in cols for c in _expect_returning(col))
        if self._return_defaults:
            if self._return_defaults_columns and columns:
                merged = list(self._return_defaults_columns)
                merged.extend(c for c in columns if not any(c is m for m in merged))
                self._return_defaults_columns = tuple(merged)
            else:
                self._return_defaults_columns = ()
        else:
            self._return_defaults_columns = columns
        self._return_defaults = True
        if sort_by_parameter_order:
            if not self.is_insert:
                raise exc.ArgumentError(
                    "The 'sort_by_parameter_order' argument to return_defaults() only applies "
                    "to INSERT statements"
                )
            self._sort_by_parameter_order = True
        if supplemental_cols:
            existing = list(self._supplemental_returning or ())
            for col in supplemental_cols:
                for c in _expect_returning(col):
                    if not any(c is e for e in existing):
                        existing.append(c)
            self._supplemental_returning = tuple(existing)

    @_generative
    def prefix_with(self, *prefixes: Any, dialect: str = "*") -> None:
        """Words after the verb: `insert(t).prefix_with("OR IGNORE")` -> INSERT OR IGNORE INTO."""
        added = []
        for prefix in prefixes:
            prefix = _clause_element(prefix)
            if isinstance(prefix, str):
                from .elements import text

                prefix = text(prefix)
            added.append((prefix, dialect))
        self._prefixes = self._prefixes + tuple(added)

    @_generative
    def with_dialect_options(self, **opt: Any) -> None:
        self._dialect_options = {**self._dialect_options, **opt}

    @property
    def dialect_kwargs(self) -> dict:
        return dict(self._dialect_options)

    kwargs = dialect_kwargs

    def is_derived_from(self, fromclause: Any) -> bool:
        return False

    def _supports_implicit_returning(self, compiler: Any) -> bool:
        """Whether the compiler may add RETURNING for its own use (dialect inserts veto it)."""
        return True

    @property
    def exported_columns(self) -> ReadOnlyColumnCollection:
        """The RETURNING columns, as a column collection."""
        collection = ColumnCollection()
        for col in self._returning:
            if getattr(col, "key", None) is not None:
                collection.add(col)
        return collection.as_readonly()

    def _returning_key(self, binds: list) -> Optional[tuple]:
        returning = _keys_of(self._returning, binds) if self._returning else ()
        if returning is None:
            return None
        if not self._return_defaults:
            return (returning,)
        rd_cols = _keys_of(self._return_defaults_columns or (), binds)
        supplemental = _keys_of(self._supplemental_returning or (), binds)
        if rd_cols is None or supplemental is None:
            return None
        return (returning, True, rd_cols, supplemental)

    def _prefixes_key(self, binds: list) -> Optional[tuple]:
        if not self._prefixes:
            return ()
        keys = []
        for prefix, dialect in self._prefixes:
            key = prefix._gen_cache_key(binds)
            if key is None:
                return None
            keys.append((key, dialect))
        return tuple(keys)


class ValuesBase(UpdateBase):
    """INSERT and UPDATE: the values() clause."""

    __visit_name__ = "values_base"
    _supports_multi_parameters = False
    _values: Optional[dict] = None
    _multi_values: tuple = ()
    _maintain_values_ordering = False
    _select_names: Optional[list] = None
    select: Any = None
    include_insert_from_select_defaults = False
    _post_values_clause: Any = None

    def _column_for_key(self, key: Any) -> Any:
        if isinstance(key, str):
            return self.table.c.get(key)
        return key

    def _column_key_of(self, key: Any) -> Any:
        # an ORM statement's values() may name mapped attributes (`title` for the column
        # `book_title`): the entity says which column each names
        if isinstance(key, str) and self._orm_entity is not None and key not in self.table.c:
            return self._orm_entity._column_key_for(key)
        return key

    def _bind_name_for(self, key: Any) -> str:
        if isinstance(key, str):
            return key
        table = getattr(key, "table", None)
        if table is not None and table is not self.table and getattr(table, "name", None):
            return f"{table.name}_{key.key}"
        return key.key

    def _coerce_pairs(self, pairs: Iterable[tuple], suffix: str = "") -> dict:
        coerced = {}
        for key, value in pairs:
            key = self._column_key_of(_expect_column_arg(key))
            column = self._column_for_key(key)
            if isinstance(key, str) or getattr(key, "key", None) is not None:
                name = self._bind_name_for(key)
            else:
                name = "param"  # an expression as the target, e.g. an array slice
            coerced[key] = _dml_value(value, name + suffix, column)
        return coerced

    @_generative
    def values(self, *args: Any, **kwargs: Any) -> None:
        """The VALUES of an INSERT or the SET of an UPDATE: `values(name="x")`,
        `values({"name": "x"})`, a tuple of every column's value, or (INSERT) a list of
        dicts or tuples for a multi-row VALUES."""
        if self._select_names is not None:
            raise exc.InvalidRequestError("This construct already inserts from a SELECT")
        if self._maintain_values_ordering:
            raise exc.InvalidRequestError("This statement already has ordered values present")
        if args:
            if kwargs:
                raise exc.ArgumentError(
                    "Can't pass positional and kwargs to values() simultaneously"
                )
            if len(args) > 1:
                raise exc.ArgumentError(
                    "Only a single dictionary/tuple or list of dictionaries/tuples is accepted "
                    "positionally."
                )
            arg = args[0]
            if isinstance(arg, (list, tuple)) and arg and isinstance(arg[0], (dict, list, tuple)):
                self._add_multi_values(list(arg))
                return
            if isinstance(arg, (list, tuple)):
                arg = {c.key: value for c, value in zip(self.table.c, arg)}
        else:
            arg = kwargs
        coerced = self._coerce_pairs(arg.items())
        if self._values:
            merged = dict(self._values)
            merged.update(coerced)
            self._values = merged
        else:
            self._values = coerced

    def _add_multi_values(self, rows: list) -> None:
        # mixing with values(dict), or (UPDATE) a list at all, is refused at compile time,
        # as SQLAlchemy does (sql/crud.py)
        start = sum(len(batch) for batch in self._multi_values)
        coerced_rows = []
        for offset, row in enumerate(rows):
            if not isinstance(row, dict):
                row = {c.key: value for c, value in zip(self.table.c, row)}
            coerced_rows.append(self._coerce_pairs(row.items(), f"_m{start + offset}"))
        self._multi_values = self._multi_values + (tuple(coerced_rows),)

    def _all_multi_values(self) -> list:
        return [row for batch in self._multi_values for row in batch]

    def _values_key(self, binds: list) -> Optional[tuple]:
        values_key = _pairs_key(self._values, binds) if self._values else ()
        if values_key is None:
            return None
        if not self._multi_values:
            return (values_key,)
        rows = []
        for row in self._all_multi_values():
            row_key = _pairs_key(row, binds)
            if row_key is None:
                return None
            rows.append(row_key)
        return (values_key, tuple(rows))


class Insert(ValuesBase):
    """An INSERT statement, as `insert(table)` makes it."""

    __visit_name__ = "insert"
    is_insert = True
    _supports_multi_parameters = True

    @_generative
    def inline(self) -> None:
        """Render SQL defaults inline and fetch nothing back (no implicit RETURNING)."""
        self._inline = True

    @_generative
    def from_select(self, names: Sequence[Any], select: Any, include_defaults: bool = True) -> None:
        """INSERT INTO table (names) SELECT ...; columns with Python or SQL defaults that are
        not named get their defaults added to the SELECT unless include_defaults=False."""
        if self._values:
            raise exc.InvalidRequestError("This construct already inserts value expressions")
        self._select_names = [_column_key(name) for name in names]
        self._inline = True
        self.include_insert_from_select_defaults = include_defaults
        select = _clause_element(select)
        if not isinstance(select, ClauseElement):
            raise exc.ArgumentError(
                f"SELECT construct expected for INSERT..FROM SELECT, got {select!r}"
            )
        self.select = select

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        table = self.table._gen_cache_key(binds)
        values = self._values_key(binds)
        select = None
        if self.select is not None:
            select = self.select._gen_cache_key(binds)
            if select is None:
                return None
        post = None
        if self._post_values_clause is not None:
            post = self._post_values_clause._gen_cache_key(binds)
            if post is None:
                return None
        returning = self._returning_key(binds)
        prefixes = self._prefixes_key(binds)
        if table is None or values is None or returning is None or prefixes is None:
            return None
        return (
            "insert", table, self._inline, tuple(self._select_names or ()),
            self.include_insert_from_select_defaults, values, select, post, returning,
            self._sort_by_parameter_order, prefixes,
        )


class DMLWhereBase:
    """UPDATE and DELETE: the WHERE clause."""

    _where_criteria: tuple = ()

    @_generative
    def where(self, *whereclause: Any) -> None:
        """Add WHERE criteria, joined to any existing ones with AND."""
        self._where_criteria = self._where_criteria + tuple(_expect_where(c) for c in whereclause)

    def filter(self, *criteria: Any) -> Any:
        """A synonym for where()."""
        return self.where(*criteria)

    def filter_by(self, **kwargs: Any) -> Any:
        """WHERE criteria from keywords: `filter_by(name="x")` is `where(table.c.name == "x")`."""
        criteria = []
        for key, value in kwargs.items():
            column = self.table.c.get(key)  # type: ignore[attr-defined]
            if column is None:
                raise exc.InvalidRequestError(
                    f'None of the FROM clause entities have a property "{key}". Searched '
                    f"entities: {self.table.description}"  # type: ignore[attr-defined]
                )
            criteria.append(column == value)
        return self.where(*criteria)

    @property
    def whereclause(self) -> Optional[ClauseElement]:
        """The WHERE criteria as one clause (None when there are none)."""
        criteria = self._where_criteria
        if not criteria:
            return None
        if len(criteria) == 1:
            return criteria[0]
        from .elements import and_  # type: ignore[attr-defined]

        return and_(*criteria)

    def _where_key(self, binds: list) -> Optional[tuple]:
        return _keys_of(self._where_criteria, binds)


class Update(DMLWhereBase, ValuesBase):
    """An UPDATE statement, as `update(table)` makes it."""

    __visit_name__ = "update"
    is_update = True

    def ordered_values(self, *args: tuple) -> "Update":
        """SET the given (column, value) pairs in exactly this order."""
        if self._values:
            raise exc.ArgumentError(
                "This statement already has "
                f"{'ordered ' if self._maintain_values_ordering else ''}values present"
            )
        new = self.values(dict(args))
        new._maintain_values_ordering = True
        return new

    @_generative
    def inline(self) -> None:
        """Render SQL onupdate expressions inline; fetch nothing back."""
        self._inline = True

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        table = self.table._gen_cache_key(binds)
        values = self._values_key(binds)
        where = self._where_key(binds)
        returning = self._returning_key(binds)
        prefixes = self._prefixes_key(binds)
        if None in (table, values, where, returning, prefixes):
            return None
        return (
            "update", table, self._inline, self._maintain_values_ordering, values, where,
            returning, prefixes,
        )


class Delete(DMLWhereBase, UpdateBase):
    """A DELETE statement, as `delete(table)` makes it."""

    __visit_name__ = "delete"
    is_delete = True

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        table = self.table._gen_cache_key(binds)
        where = self._where_key(binds)
        returning = self._returning_key(binds)
        prefixes = self._prefixes_key(binds)
        if table is None or where is None or returning is None or prefixes is None:
            return None
        return ("delete", table, where, returning, prefixes)


def insert(table: Any) -> Insert:
    """An INSERT into `table`, as sqlalchemy.insert()."""
    return Insert(table)


def update(table: Any) -> Update:
    """An UPDATE of `table`, as sqlalchemy.update()."""
    return Update(table)


def delete(table: Any) -> Delete:
    """A DELETE from `table`, as sqlalchemy.delete()."""
    return Delete(table)

