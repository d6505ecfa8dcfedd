"""Emit a flush's SQL: batched INSERTs, UPDATEs and DELETEs for the states unitofwork.py planned.

Called only by Session._flush() with a UOWTransaction. Per table, in foreign-key order:
INSERTs of rows with the same parameter keys go out as one executemany of `insert(table)`,
which the engine turns into multi-row `INSERT ... RETURNING` (insertmanyvalues) when keys or
server defaults must come back, or a plain executemany when every key is given; UPDATEs are
grouped by the set of changed columns into executemany with `WHERE pk = :pk` (plus the
version id when the mapper has one, checked against the rowcount); then DELETEs, children
first, batched the same way. The statements are built once per (mapper, table, keys) and
kept, so the engine's compiled cache sees the same few statements however many rows flush.

Values are written back into the instances' __dict__ without history: generated primary
keys and server defaults from RETURNING, Python-side defaults the engine evaluated. SQL
expressions assigned to attributes are rendered into their row's statement (one statement
per such row) and the attribute is expired, as are server-generated values that could not
be returned.
"""

from __future__ import annotations

import warnings
import weakref
from typing import TYPE_CHECKING
from typing import Any
from typing import Optional

from .. import exc as sa_exc
from ..sql.dml import delete
from ..sql.dml import insert
from ..sql.dml import update
from ..sql.elements import ClauseElement
from ..sql.elements import and_
from ..sql.elements import bindparam
from . import exc
from .base import NO_VALUE

if TYPE_CHECKING:
    from .unitofwork import UOWTransaction

__all__ = ["save_obj", "delete_obj", "execute"]


def execute(uow: "UOWTransaction") -> None:
    """Run the planned flush: saves in table order, then deletes in reverse table order."""
    session = uow.session
    connections: dict = {}

    def connection_for(mapper: Any) -> Any:
        bind = session.get_bind(mapper)
        conn = connections.get(bind)
        if conn is None:
            conn = connections[bind] = session._connection_for_bind(bind)
        return conn

    for table in uow.table_order:
        inserts = uow.inserts.get(table)
        if inserts:
            _save_inserts(uow, table, inserts, connection_for)
        updates = uow.updates.get(table)
        if updates:
            _save_updates(uow, table, updates, connection_for)
    for table in reversed(uow.table_order):
        deletes = uow.deletes.get(table)
        if deletes:
            _emit_deletes(table, deletes, connection_for)


save_obj = execute  # SQLAlchemy's names, for readers who know them
delete_obj = execute


# -- per mapper and table: what a flush needs, computed once ------------------------------------


class _TablePlan:
    """The columns of one table as one mapper flushes them."""

    __slots__ = (
        "table", "mapper", "cols", "col_by_key", "pk_cols", "pk_props", "as_none",
        "server_generated", "server_onupdate", "version_key", "version_col",
        "polymorphic_key", "prop_of_colkey", "statements", "nprops",
    )

    def __init__(self, mapper: Any, table: Any) -> None:
        self.table = table
        self.mapper = mapper
        self.nprops = len(mapper._props)
        cols = []
        col_by_key = {}
        prop_of_colkey = {}
        for column in table.columns:
            prop = mapper._columntoproperty.get(column)
            if prop is None or not prop._is_column_property:
                continue
            cols.append((prop.key, column.key))
            col_by_key[prop.key] = column
            prop_of_colkey[column.key] = prop.key
        self.cols = tuple(cols)
        self.col_by_key = col_by_key
        self.prop_of_colkey = prop_of_colkey
        self.pk_cols = tuple(mapper.primary_key)
        self.pk_props = tuple(prop.key if prop is not None else None for prop in mapper._pk_props)
        self.as_none = tuple(
            column.key for _key, colkey in cols for column in (table.c[colkey],)
            if not column.primary_key and column.server_default is None
            and column.default is None
        )
        self.server_generated = tuple(
            (key, column) for key, column in col_by_key.items()
            if column.server_default is not None and not column.primary_key
        )
        self.server_onupdate = tuple(
            key for key, column in col_by_key.items()
            if getattr(column, "server_onupdate", None) is not None
        )
        version_col = mapper.version_id_col
        if version_col is not None and version_col in mapper._columntoproperty and \
                version_col.table is table:
            self.version_col = version_col
            self.version_key = mapper._columntoproperty[version_col].key
        else:
            self.version_col = None
            self.version_key = None
        polymorphic_on = mapper.polymorphic_on
        self.polymorphic_key = None
        if polymorphic_on is not None and mapper.polymorphic_identity is not None:
            prop = mapper._columntoproperty.get(polymorphic_on)
            if prop is not None:
                self.polymorphic_key = prop.key
        self.statements: dict = {}

    def statement(self, kind: str, *key: Any) -> Any:
        """The DML statement for `kind` and `key`, built once and kept (its compiled form is
        then a cache hit in the engine for every later flush)."""
        cache_key = (kind,) + key
        stmt = self.statements.get(cache_key)
        if stmt is not None:
            return stmt
        table = self.table
        if kind == "insert":
            returning = key[1]
            stmt = insert(table)
            if returning:
                stmt = stmt.returning(*[table.c[colkey] for colkey in returning])
        elif kind == "update":
            stmt = update(table).where(self._where(with_version=key[1]))
        else:
            stmt = delete(table).where(self._where(with_version=key[0]))
        self.statements[cache_key] = stmt
        return stmt

    def _where(self, with_version: bool) -> Any:
        clauses = [column == bindparam(f"_oc_pk_{i}", type_=column.type)
                   for i, column in enumerate(self.pk_cols)]
        if with_version:
            column = self.version_col
            clauses.append(column == bindparam("_oc_version", type_=column.type))
        return and_(*clauses) if len(clauses) > 1 else clauses[0]


_plans: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def _plan_for(mapper: Any, table: Any) -> _TablePlan:
    by_table = _plans.get(mapper)
    if by_table is None:
        by_table = _plans[mapper] = {}
    plan = by_table.get(table)
    if plan is None or plan.nprops != len(mapper._props):
        plan = by_table[table] = _TablePlan(mapper, table)
    return plan


def _is_sql(value: Any) -> bool:
    return isinstance(value, ClauseElement) or hasattr(value, "__clause_element__")


def _as_sql(value: Any) -> Any:
    ce = getattr(value, "__clause_element__", None)
    return ce() if ce is not None else value


# -- INSERT -------------------------------------------------------------------------------------


def _save_inserts(uow: "UOWTransaction", table: Any, states: list, connection_for: Any) -> None:
    dialect = None
    # (mapper, keys) -> [(state, values, params)] in insert order; SQL-expression rows apart
    groups: dict = {}
    singles: list = []
    for state, mapper in states:
        plan = _plan_for(mapper, table)
        obj = state()
        if obj is None:
            continue
        values = obj.__dict__
        params: dict = {}
        exprs: Optional[dict] = None
        for key, colkey in plan.cols:
            if key in values:
                value = values[key]
                if value is None:
                    continue
                if _is_sql(value):
                    if exprs is None:
                        exprs = {}
                    exprs[colkey] = _as_sql(value)
                else:
                    params[colkey] = value
        polymorphic_key = plan.polymorphic_key
        if polymorphic_key is not None and values.get(polymorphic_key) is None:
            identity = mapper.polymorphic_identity
            values[polymorphic_key] = identity
            params[plan.col_by_key[polymorphic_key].key] = identity
        version_key = plan.version_key
        if version_key is not None and values.get(version_key) is None:
            generator = mapper.version_id_generator
            if generator is not False:
                version = generator(None)
                values[version_key] = version
                params[plan.version_col.key] = version
        for colkey in plan.as_none:
            if colkey not in params and (exprs is None or colkey not in exprs):
                params[colkey] = None
        uow.inserted.append((state, mapper))
        if exprs is not None:
            singles.append((plan, state, values, params, exprs))
            uow.expire_after.setdefault(state, set()).update(
                plan.prop_of_colkey[colkey] for colkey in exprs)
            continue
        group_key = (plan, tuple(params))
        group = groups.get(group_key)
        if group is None:
            groups[group_key] = group = []
        group.append((state, values, params))

    for (plan, keys), records in groups.items():
        conn = connection_for(plan.mapper)
        dialect = conn.dialect
        returning = _returning_for(plan, keys, dialect)
        if returning and not getattr(dialect, "insert_executemany_returning", False) and (
            len(records) > 1 or not getattr(dialect, "insert_returning", False)
        ):
            # no multi-row RETURNING here: one row at a time, keys from the cursor
            for record in records:
                _insert_one(uow, plan, conn, record[0], record[1], record[2], None)
            continue
        stmt = plan.statement("insert", keys, returning)
        result = conn.execute(stmt, [record[2] for record in records])
        filled = _filled_params(result)
        prefetch = _prefetched(plan, result)
        rows = result.all() if returning else None
        if rows is not None and len(rows) != len(records):
            raise exc.FlushError(
                f"INSERT into table '{table.description}' returned {len(rows)} row(s) for "
                f"{len(records)} parameter set(s)"
            )
        prop_of = plan.prop_of_colkey
        for i, (state, values, _params) in enumerate(records):
            if prefetch:
                row_params = filled[i]
                for name, key in prefetch:
                    values[key] = row_params[name]
            if rows is not None:
                row = rows[i]
                for j, colkey in enumerate(returning):
                    values[prop_of[colkey]] = row[j]
        _expire_unfetched(uow, plan, records, returning)

    for plan, state, values, params, exprs in singles:
        conn = connection_for(plan.mapper)
        _insert_one(uow, plan, conn, state, values, params, exprs)


def _returning_for(plan: _TablePlan, keys: tuple, dialect: Any) -> tuple:
    """The columns an INSERT with parameter `keys` must return: missing primary key
    columns, and server-generated columns when the dialect can return them."""
    if not getattr(dialect, "insert_returning", False):
        return ()
    returning = [column.key for column in plan.pk_cols if column.key not in keys]
    eager = plan.mapper.eager_defaults
    if eager is True or (eager == "auto" and getattr(dialect, "insert_executemany_returning", False)):
        returning.extend(column.key for _key, column in plan.server_generated
                         if column.key not in keys)
    return tuple(returning)


def _expire_unfetched(uow: "UOWTransaction", plan: _TablePlan, records: list, returning: tuple) -> None:
    """Server-generated values that did not come back are expired (loaded on next read)."""
    missing = [key for key, column in plan.server_generated
               if column.key not in returning]
    if not missing:
        return
    for state, values, params in records:
        names = [key for key in missing if plan.col_by_key[key].key not in params]
        if names:
            uow.expire_after.setdefault(state, set()).update(names)


def _insert_one(uow: "UOWTransaction", plan: _TablePlan, conn: Any, state: Any, values: dict,
                params: dict, exprs: Optional[dict]) -> None:
    """One row by itself: a row with SQL expressions, or where the dialect cannot return
    keys from a multi-row INSERT. Generated keys come from inserted_primary_key."""
    stmt = insert(plan.table)
    if exprs:
        stmt = stmt.values(**exprs)
    result = conn.execute(stmt, params)
    for name, key in _prefetched(plan, result):
        values[key] = _filled_params(result)[0][name]
    pk_row = result.inserted_primary_key
    if pk_row is not None:
        for column, value in zip(plan.table.primary_key, pk_row):
            key = plan.prop_of_colkey.get(column.key)
            if key is not None and values.get(key) is None and value is not None:
                values[key] = value
    _expire_unfetched(uow, plan, [(state, values, params)], ())


def _filled_params(result: Any) -> list:
    # The parameter sets as the engine ran them, Python-side defaults filled in.
    dml_params = result.context._dml_params
    return dml_params[0] if dml_params else []


def _prefetched(plan: _TablePlan, result: Any) -> list:
    """(bind name, attribute key) of each Python-side default the engine evaluated."""
    info = result.context.compiled._dml_exec
    if not info.prefetch:
        return []
    prop_of = plan.prop_of_colkey
    return [(name, prop_of[column.key]) for name, column, _default in info.prefetch
            if column.key in prop_of]


# -- UPDATE -------------------------------------------------------------------------------------


def _save_updates(uow: "UOWTransaction", table: Any, states: list, connection_for: Any) -> None:
    groups: dict = {}
    singles: list = []
    for state, mapper in states:
        plan = _plan_for(mapper, table)
        obj = state()
        uow.updated.append((state, mapper))
        if obj is None:
            continue
        values = obj.__dict__
        committed = state._committed_state
        if not committed:
            continue
        col_by_key = plan.col_by_key
        params: dict = {}
        exprs: Optional[dict] = None
        for key, old in committed.items():
            column = col_by_key.get(key)
            if column is None:
                continue
            value = values.get(key, NO_VALUE)
            if value is NO_VALUE:
                value = None
            elif value is old or (old is not NO_VALUE and not _is_sql(value) and _equal(value, old)):
                continue
            if _is_sql(value):
                if exprs is None:
                    exprs = {}
                exprs[column.key] = _as_sql(value)
            else:
                params[column.key] = value
        if not params and not exprs:
            continue
        pk = state.key[1]
        for i, value in enumerate(pk):
            params[f"_oc_pk_{i}"] = value
        with_version = False
        version_key = plan.version_key
        if version_key is not None:
            old_version = committed.get(version_key, values.get(version_key, NO_VALUE))
            if old_version is NO_VALUE:
                old_version = None
            params["_oc_version"] = old_version
            with_version = True
            if plan.version_col.key not in params and mapper.version_id_generator is not False:
                version = mapper.version_id_generator(old_version)
                params[plan.version_col.key] = version
                values[version_key] = version
        if plan.server_onupdate:
            uow.expire_after.setdefault(state, set()).update(plan.server_onupdate)
        if exprs is not None:
            singles.append((plan, state, values, params, exprs, with_version))
            uow.expire_after.setdefault(state, set()).update(
                plan.prop_of_colkey[colkey] for colkey in exprs)
            continue
        group_key = (plan, tuple(params), with_version)
        group = groups.get(group_key)
        if group is None:
            groups[group_key] = group = []
        group.append((state, values, params))

    for (plan, keys, with_version), records in groups.items():
        conn = connection_for(plan.mapper)
        stmt = plan.statement("update", keys, with_version)
        params_list = [record[2] for record in records]
        result = conn.execute(stmt, params_list if len(params_list) > 1 else params_list[0])
        prefetch = _prefetched(plan, result)
        if prefetch:
            filled = _filled_params(result)
            for i, (_state, values, _params) in enumerate(records):
                for name, key in prefetch:
                    values[key] = filled[i][name]
        _check_updated(conn, table, len(records), result.rowcount, with_version)

    for plan, state, values, params, exprs, with_version in singles:
        conn = connection_for(plan.mapper)
        stmt = plan.statement("update", tuple(k for k in params if k.startswith("_oc_")),
                              with_version).values(**exprs)
        result = conn.execute(stmt, params)
        for name, key in _prefetched(plan, result):
            values[key] = _filled_params(result)[0][name]
        _check_updated(conn, table, 1, result.rowcount, with_version)


def _check_updated(conn: Any, table: Any, expected: int, rowcount: int, with_version: bool) -> None:
    dialect = conn.dialect
    sane = dialect.supports_sane_multi_rowcount if expected > 1 else dialect.supports_sane_rowcount
    if sane and rowcount is not None and rowcount >= 0:
        if rowcount != expected:
            raise exc.StaleDataError(
                f"UPDATE statement on table '{table.description}' expected to update "
                f"{expected} row(s); {rowcount} were matched."
            )
    elif with_version:
        warnings.warn(
            f"Dialect {dialect.name}+{dialect.driver} does not support updated rowcount - "
            "versioning cannot be verified.", sa_exc.SAWarning, stacklevel=4,
        )


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


# -- DELETE -------------------------------------------------------------------------------------


def _emit_deletes(table: Any, states: list, connection_for: Any) -> None:
    groups: dict = {}
    for state, mapper in states:
        plan = _plan_for(mapper, table)
        params = {f"_oc_pk_{i}": value for i, value in enumerate(state.key[1])}
        with_version = False
        if plan.version_key is not None:
            obj = state()
            values = obj.__dict__ if obj is not None else {}
            committed = state._committed_state or {}
            version = committed.get(plan.version_key, values.get(plan.version_key, NO_VALUE))
            if version is not NO_VALUE:
                params["_oc_version"] = version
                with_version = True
        groups.setdefault((plan, with_version), []).append(params)
    for (plan, with_version), params_list in groups.items():
        conn = connection_for(plan.mapper)
        stmt = plan.statement("delete", with_version)
        result = conn.execute(stmt, params_list if len(params_list) > 1 else params_list[0])
        expected = len(params_list)
        rowcount = result.rowcount
        dialect = conn.dialect
        if (
            plan.mapper.base_mapper.confirm_deleted_rows
            and rowcount is not None and rowcount > -1
            and rowcount != expected
            and (dialect.supports_sane_multi_rowcount or expected == 1)
        ):
            message = (
                f"DELETE statement on table '{table.description}' expected to delete "
                f"{expected} row(s); {rowcount} were matched.  Please set "
                "confirm_deleted_rows=False within the mapper configuration to prevent "
                "this warning."
            )
            if with_version:
                raise exc.StaleDataError(message)
            warnings.warn(message, sa_exc.SAWarning, stacklevel=4)
