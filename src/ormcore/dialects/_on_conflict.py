"""INSERT .. ON CONFLICT, as PostgreSQL and SQLite share it: the dialect Insert base and the
DO NOTHING / DO UPDATE clauses.

dialects/postgresql/dml.py and dialects/sqlite/dml.py give these their public signatures
(PostgreSQL also takes a constraint as the conflict target); sql/compile_dml.py renders them
(`visit_on_conflict_do_nothing`, `visit_on_conflict_do_update`).
"""

from __future__ import annotations

from typing import Any
from typing import Optional

from .. import exc
from ..sql.base import ColumnCollection
from ..sql.base import ReadOnlyColumnCollection
from ..sql.dml import Insert as StandardInsert
from ..sql.dml import _clause_element
from ..sql.dml import _expect_where
from ..sql.elements import BindParameter
from ..sql.elements import ClauseElement
from ..sql.elements import ColumnClause


def _excluded_columns(table: Any) -> ReadOnlyColumnCollection:
    """The table's columns as `excluded.<name>`: the row proposed for insertion."""
    alias = getattr(table, "alias", None)
    if alias is not None:
        return alias(name="excluded").columns
    from ..sql.selectable import table as make_table

    excluded = make_table("excluded")
    collection = ColumnCollection()
    for c in table.columns:
        proxy = ColumnClause(c.name, c.type)
        excluded.append_column(proxy)
        collection.add(proxy, key=c.key)
    return collection.as_readonly()


def _stringify_dialect(name: str) -> Any:
    if name == "postgresql":
        from .postgresql.psycopg2 import dialect
    else:
        from .sqlite.pysqlite import dialect  # type: ignore[no-redef]
    return dialect()


class DialectInsert(StandardInsert):
    """An Insert with ON CONFLICT support that prints (str()) with its own dialect."""

    stringify_dialect = "default"

    def compile(self, bind: Any = None, dialect: Any = None, **kw: Any) -> Any:
        if dialect is None and bind is None:
            dialect = _stringify_dialect(self.stringify_dialect)
        return super().compile(bind=bind, dialect=dialect, **kw)

    @property
    def excluded(self) -> ReadOnlyColumnCollection:
        """The row proposed for insertion, for ON CONFLICT DO UPDATE:
        `set_={"name": stmt.excluded.name}`."""
        columns = self.__dict__.get("_excluded")
        if columns is None:
            columns = self.__dict__["_excluded"] = _excluded_columns(self.table)
        return columns

    def _generate(self) -> Any:
        clone = super()._generate()
        clone.__dict__.pop("_excluded", None)
        return clone


def _is_index(obj: Any) -> bool:
    return obj.__class__.__name__ == "Index" and hasattr(obj, "expressions")


def _index_element(element: Any) -> Any:
    element = _clause_element(element)
    if isinstance(element, (str, ClauseElement)):
        return element
    raise exc.ArgumentError(
        f"Can't create ON CONFLICT target from {element!r}; a column name, Column or "
        "expression is expected"
    )


class OnConflictClause(ClauseElement):
    """The conflict target: a named constraint (PostgreSQL), or the columns of a unique index
    with an optional WHERE; none at all for a bare ON CONFLICT DO NOTHING."""

    stringify_dialect = "default"
    constraint_target: Optional[str] = None
    inferred_target_elements: Optional[list] = None
    inferred_target_whereclause: Any = None

    def __init__(self, constraint: Any = None, index_elements: Any = None,
                 index_where: Any = None) -> None:
        if constraint is not None:
            if index_elements is not None:
                raise ValueError("'constraint' and 'index_elements' are mutually exclusive")
            if not isinstance(constraint, str) and not _is_index(constraint) and \
                    getattr(constraint, "name", None):
                constraint = constraint.name
            if isinstance(constraint, str):
                self.constraint_target = constraint
                return
            if _is_index(constraint):
                index_elements = list(constraint.expressions)
            else:
                index_elements = list(constraint.columns)
            index_where = constraint.dialect_options["postgresql"].get("where")
        if index_elements is not None:
            self.inferred_target_elements = [_index_element(e) for e in index_elements]
            if index_where is not None:
                self.inferred_target_whereclause = _expect_where(index_where)

    def _target_key(self, binds: list) -> Optional[tuple]:
        elements = None
        if self.inferred_target_elements is not None:
            keys = []
            for element in self.inferred_target_elements:
                if isinstance(element, str):
                    keys.append(element)
                else:
                    key = element._gen_cache_key(binds)
                    if key is None:
                        return None
                    keys.append(key)
            elements = tuple(keys)
        where = None
        if self.inferred_target_whereclause is not None:
            where = self.inferred_target_whereclause._gen_cache_key(binds)
            if where is None:
                return None
        return (self.__visit_name__, self.constraint_target, elements, where)


class OnConflictDoNothing(OnConflictClause):
    """ON CONFLICT [target] DO NOTHING."""

    __visit_name__ = "on_conflict_do_nothing"

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        return self._target_key(binds)


class OnConflictDoUpdate(OnConflictClause):
    """ON CONFLICT target DO UPDATE SET ... [WHERE ...]."""

    __visit_name__ = "on_conflict_do_update"

    def __init__(self, constraint: Any = None, index_elements: Any = None,
                 index_where: Any = None, set_: Any = None, where: Any = None) -> None:
        super().__init__(constraint, index_elements, index_where)
        if self.inferred_target_elements is None and self.constraint_target is None:
            raise ValueError(
                "Either constraint or index_elements, but not both, must be specified unless "
                "DO NOTHING"
            )
        self.update_values_to_set = _set_values(set_)
        self.update_whereclause = _expect_where(where) if where is not None else None

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        target = self._target_key(binds)
        if target is None:
            return None
        pairs = []
        for key, value in self.update_values_to_set:
            value_key = value._gen_cache_key(binds)
            if value_key is None:
                return None
            pairs.append((key if isinstance(key, str) else ("col", key._gen_cache_key(binds)),
                          value_key))
        where = None
        if self.update_whereclause is not None:
            where = self.update_whereclause._gen_cache_key(binds)
            if where is None:
                return None
        return (target, tuple(pairs), where)


def _typed_for(clause: Any, table: Any) -> Any:
    """`clause` with DO UPDATE values named by string typed after the table's columns."""
    if not isinstance(clause, OnConflictDoUpdate):
        return clause
    pairs = []
    for key, value in clause.update_values_to_set:
        if isinstance(key, str) and isinstance(value, BindParameter) and value.type._isnull:
            column = table.c.get(key)
            if column is not None:
                value = BindParameter("param", value.value, type_=column.type, unique=True)
        pairs.append((key, value))
    clause.update_values_to_set = pairs
    return clause


def _set_values(set_: Any) -> list:
    """DO UPDATE's SET as (column or name, expression) pairs; plain values become binds."""
    if isinstance(set_, dict):
        if not set_:
            raise ValueError("set parameter dictionary must not be empty")
        items = list(set_.items())
    elif isinstance(set_, ColumnCollection):
        items = list(set_.items())
    else:
        raise ValueError(
            "set parameter must be a non-empty dictionary or a ColumnCollection such as the "
            "`.c.` collection of a Table object"
        )
    pairs = []
    for key, value in items:
        key = _clause_element(key)
        value = _clause_element(value)
        if not isinstance(value, ClauseElement):
            type_ = None if isinstance(key, str) else key.type
            value = BindParameter("param", value, type_=type_, unique=True)
        pairs.append((key, value))
    return pairs


class OnConflictClauses(ClauseElement):
    """Several ON CONFLICT clauses in a row (SQLite tries each target in turn)."""

    __visit_name__ = "on_conflict_clauses"

    def __init__(self, clauses: list) -> None:
        self.clauses = list(clauses)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        keys = []
        for clause in self.clauses:
            key = clause._gen_cache_key(binds)
            if key is None:
                return None
            keys.append(key)
        return ("on_conflict_clauses", tuple(keys))
