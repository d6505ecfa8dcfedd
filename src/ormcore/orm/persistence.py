"""Emit a flush's SQL: batched INSERTs, UPDATEs and DELETEs for the states unitofwork.py planned.

Called only by Session._flush() with a UOWTransaction. Per table, in foreign-key order, as
SQLAlchemy does: first the UPDATEs, in primary key order (row switches first), consecutive
rows with the same changed columns as one executemany with `WHERE pk = :pk` (plus the version
id when the mapper has one, checked against the rowcount); then the INSERTs, consecutive rows
(in the order the objects were added) with the same parameter keys as one executemany of
`insert(table)`, which the engine turns into multi-row `INSERT ... RETURNING`
(insertmanyvalues) when keys or server defaults must come back, or a plain executemany when
every key is given; only consecutive rows are batched, so that generated keys are assigned in
the order the objects were added. Then DELETEs, children first, batched the same way (an
expired object is loaded first: its row may be gone). The statements are built once per
(mapper, table, keys) and kept, so the engine's compiled cache sees the same few statements
however many rows flush.

Values are written back into the instances' __dict__ without history: generated primary
keys and server-generated values from RETURNING (eager_defaults: server defaults and
SQL-expression defaults, also when assigned a SQL expression), Python-side defaults the
engine evaluated. SQL expressions assigned to attributes are rendered into their row's
statement (one statement per such row) and the attribute is expired unless RETURNING brought
its value back, as are server-generated values that could not be returned.

The per-row loops are the cost of a large flush (50,000 rows: a few microseconds each), so
they read their columns from a plan made once per mapper and table, and test values of the
builtin scalar types without the SQL-expression check.
"""

from __future__ import annotations

import decimal
import warnings
import weakref
from typing import TYPE_CHECKING
from typing import Any
from typing import Optional

from .. import exc as sa_exc
from .._core import PLAIN_TYPES
from .._core import insert_params
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

    row_switches = uow.row_switches
    with uow.gc_paused():
        for table in uow.table_order:
            updates = uow.updates.get(table)
            switches = row_switches.get(table) if row_switches else None
            if updates or switches:
                _save_updates(uow, table, updates or [], switches, connection_for)
            inserts = uow.inserts.get(table)
            if inserts:
                _save_inserts(uow, table, inserts, connection_for)
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
        "table", "mapper", "insert_cols", "col_by_key", "colkey_of", "pk_cols", "pk_binds",
        "single_pk", "server_generated", "server_onupdate", "version_key", "version_col",
        "polymorphic_key", "prop_of_colkey", "statements", "nprops", "fills_values",
    )

    def __init__(self, mapper: Any, table: Any) -> None:
        self.table = table
        self.mapper = mapper
        self.nprops = len(mapper._props)
        # (attribute, column key, whether a missing or None value is sent as NULL): a column
        # with neither a default nor a key to generate takes NULL; the others are left out
        # for the database or the engine to fill
        insert_cols = []
        col_by_key = {}
        prop_of_colkey = {}
        for column in table.columns:
            prop = mapper._columntoproperty.get(column)
            if prop is None or not prop._is_column_property:
                continue
            insert_cols.append((prop.key, column.key, not column.primary_key
                                and column.server_default is None and column.default is None))
            col_by_key[prop.key] = column
            prop_of_colkey[column.key] = prop.key
        self.insert_cols = tuple(insert_cols)
        self.col_by_key = col_by_key
        self.colkey_of = {key: column.key for key, column in col_by_key.items()}
        self.prop_of_colkey = prop_of_colkey
        self.pk_cols = tuple(mapper.primary_key)
        self.pk_binds = tuple(f"_oc_pk_{i}" for i in range(len(self.pk_cols)))
        self.single_pk = len(self.pk_binds) == 1
        # what SQLAlchemy's eager_defaults fetch: server defaults and SQL-expression defaults
        self.server_generated = tuple(
            (key, column) for key, column in col_by_key.items()
            if not column.primary_key and (
                column.server_default is not None
                or getattr(column.default, "is_clause_element", False))
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
        # an INSERT may write a discriminator or version id into the instance
        self.fills_values = self.polymorphic_key is not None or self.version_key is not None
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
        clauses = [column == bindparam(name, type_=column.type)
                   for name, column in zip(self.pk_binds, self.pk_cols)]
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


# PLAIN_TYPES (the core's): exact types whose values are never SQL expressions, not
# ClauseElements, and without an instance __dict__ no instance can carry a
# __clause_element__ either. Values of these types (nearly all of a flush) skip _is_sql.
# Of those, the types whose == between two values of the same type never raises (a
# signalling NaN Decimal does): compared inline, without _equal's try.
_EQ_SAFE_TYPES = PLAIN_TYPES - {decimal.Decimal}


def _is_sql(value: Any) -> bool:
    return isinstance(value, ClauseElement) or hasattr(value, "__clause_element__")


def _as_sql(value: Any) -> Any:
    ce = getattr(value, "__clause_element__", None)
    return ce() if ce is not None else value


# -- INSERT -------------------------------------------------------------------------------------


def _save_inserts(uow: "UOWTransaction", table: Any, states: list, connection_for: Any) -> None:
    for plan, keys, exprs, records in _insert_batches(uow, table, states):
        conn = connection_for(plan.mapper)
        if exprs is not None:
            state, values, params = records[0]
            _insert_one(uow, plan, conn, state, values, params, exprs)
        else:
            _insert_many(uow, plan, conn, keys, records)


def _insert_batches(uow: "UOWTransaction", table: Any, states: list) -> list:
    """`states` (in the order they were added) as batches (plan, keys, exprs, records):
    consecutive rows of one plan with the same parameter keys make one batch, a row with SQL
    expressions (exprs) is a batch by itself. Records are (state, instance dict, params)."""
    batches: list = []
    records: list = []
    open_keys: Optional[tuple] = None  # the parameter keys of the batch `records` belongs to
    plan: Any = None
    plan_mapper = None
    for state, mapper in states:
        if mapper is not plan_mapper:
            plan = _plan_for(mapper, table)
            plan_mapper = mapper
            open_keys = None
        obj = state()
        if obj is None:
            continue
        values = obj.__dict__
        # the core's loop for the usual row; None when a value may be a SQL expression
        params = None if plan.fills_values else insert_params(plan.insert_cols, values)
        if params is None:
            params, exprs = _insert_params(plan, values)
        else:
            exprs = None
        if exprs is not None:
            batches.append((plan, None, exprs, [(state, values, params)]))
            open_keys = None
            continue
        keys = tuple(params)
        if keys != open_keys:
            records = []
            batches.append((plan, keys, None, records))
            open_keys = keys
        records.append((state, values, params))
    return batches


def _insert_params(plan: _TablePlan, values: dict) -> tuple:
    """(params, exprs) of one row: the column values to bind, and the SQL expressions to
    render (None when there are none). Missing and None values are left out, or sent as
    NULL where the column has nothing to generate them; a missing discriminator or version
    id is filled in (and written to the instance)."""
    # a plain loop: measured faster here than dict(zip(...)) or a comprehension (CPython 3.11)
    params: dict = {}
    exprs: Optional[dict] = None
    for key, colkey, none_as_null in plan.insert_cols:
        value = values.get(key)
        if value is None:
            if none_as_null:
                params[colkey] = None
        elif type(value) in PLAIN_TYPES or not _is_sql(value):
            params[colkey] = value
        else:
            if exprs is None:
                exprs = {}
            exprs[colkey] = _as_sql(value)
    mapper = plan.mapper
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
    return params, exprs


def _insert_many(uow: "UOWTransaction", plan: _TablePlan, conn: Any, keys: tuple,
                 records: list) -> None:
    """One batch of rows with the same parameter keys: one executemany (multi-row INSERT ...
    RETURNING where keys come back), its generated values written into the instances."""
    dialect = conn.dialect
    returning = _returning_for(plan, keys, dialect)
    if returning and not getattr(dialect, "insert_executemany_returning", False) and (
        len(records) > 1 or not getattr(dialect, "insert_returning", False)
    ):
        # no multi-row RETURNING here: one row at a time, keys from the cursor
        for state, values, params in records:
            _insert_one(uow, plan, conn, state, values, params, None)
        return
    stmt = plan.statement("insert", keys, returning)
    result = conn.execute(stmt, [record[2] for record in records])
    prefetch = _prefetched(plan, result)
    if prefetch:
        for record, filled in zip(records, _filled_params(result)):
            values = record[1]
            for name, key in prefetch:
                values[key] = filled[name]
    if returning:
        _write_returned(plan, records, returning, result.all())
    _expire_unfetched(uow, plan, records, returning)


def _write_returned(plan: _TablePlan, records: list, returning: tuple, rows: list) -> None:
    """Each RETURNING row's values into its record's instance dict (rows in record order)."""
    if len(rows) != len(records):
        raise exc.FlushError(
            f"INSERT into table '{plan.table.description}' returned {len(rows)} row(s) for "
            f"{len(records)} parameter set(s)"
        )
    prop_of = plan.prop_of_colkey
    if len(returning) == 1:
        # the usual case, a generated primary key: no inner loop
        key = prop_of[returning[0]]
        for record, row in zip(records, rows):
            record[1][key] = row[0]
        return
    keys = [prop_of[colkey] for colkey in returning]
    for record, row in zip(records, rows):
        values = record[1]
        for key, value in zip(keys, row):
            values[key] = value


def _returning_for(plan: _TablePlan, keys: Any, dialect: Any) -> tuple:
    """The columns an INSERT with parameter `keys` must return: missing primary key
    columns, and the server-generated columns not given a value (SQL expressions do not
    count as given) when the mapper's eager_defaults fetches them and the dialect can."""
    if not getattr(dialect, "insert_returning", False):
        return ()
    returning = [column.key for column in plan.pk_cols if column.key not in keys]
    if plan.server_generated and plan.table.implicit_returning:
        eager = plan.mapper.eager_defaults
        if eager is True or (
            eager == "auto" and getattr(dialect, "insert_executemany_returning", False)
        ):
            returning.extend(column.key for _key, column in plan.server_generated
                             if column.key not in keys)
    return tuple(returning)


def _expire_unfetched(uow: "UOWTransaction", plan: _TablePlan, records: list,
                      returning: tuple) -> None:
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
    keys from a multi-row INSERT. Server-generated values come back by RETURNING where
    eager_defaults asks for them; generated keys otherwise from inserted_primary_key. The
    SQL expressions whose values did not come back are expired."""
    table = plan.table
    stmt = insert(table)
    if exprs:
        stmt = stmt.values(**exprs)
    returning = _returning_for(plan, params, conn.dialect)
    if returning:
        stmt = stmt.returning(*[table.c[colkey] for colkey in returning])
    result = conn.execute(stmt, params)
    for name, key in _prefetched(plan, result):
        values[key] = _filled_params(result)[0][name]
    record = (state, values, params)
    if returning:
        _write_returned(plan, [record], returning, result.all())
    else:
        pk_row = result.inserted_primary_key
        if pk_row is not None:
            for column, value in zip(table.primary_key, pk_row):
                key = plan.prop_of_colkey.get(column.key)
                if key is not None and values.get(key) is None and value is not None:
                    values[key] = value
    if exprs:
        expired = [plan.prop_of_colkey[colkey] for colkey in exprs if colkey not in returning]
        if expired:
            uow.expire_after.setdefault(state, set()).update(expired)
    _expire_unfetched(uow, plan, [record], returning)


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


def _save_updates(uow: "UOWTransaction", table: Any, states: list, switches: Optional[list],
                  connection_for: Any) -> None:
    for plan, keys, with_version, exprs, records in _update_batches(uow, table, states, switches):
        conn = connection_for(plan.mapper)
        stmt = plan.statement("update", keys, with_version)
        if exprs is not None:
            stmt = stmt.values(**exprs)
        params_list = [record[2] for record in records]
        result = conn.execute(stmt, params_list if len(params_list) > 1 else params_list[0])
        prefetch = _prefetched(plan, result)
        if prefetch:
            filled = _filled_params(result)
            for i, (_state, values, _params) in enumerate(records):
                for name, key in prefetch:
                    values[key] = filled[i][name]
        _check_updated(conn, table, len(records), result.rowcount, with_version)


def _update_batches(uow: "UOWTransaction", table: Any, states: list,
                    switches: Optional[list]) -> list:
    """The changed rows of `switches` (row switches: (pending state, mapper, deleted state))
    and then `states`, in that order, as batches (plan, keys, with_version, exprs, records):
    consecutive rows with the same parameter keys make one executemany, as SQLAlchemy
    batches them; a row with SQL expressions (exprs) is a batch by itself. Records are
    (state, instance dict, params)."""
    switched: Optional[dict] = None
    if switches:
        switched = {state: existing for state, _mapper, existing in switches}
        states = [(state, mapper) for state, mapper, _existing in switches] + states
    batches: list = []
    plan: Any = None
    plan_mapper = None
    # the keys and records of the batch the last row joined: consecutive rows usually change
    # the same columns, and comparing key tuples is cheaper than hashing them
    open_keys: Optional[tuple] = None
    records: list = []
    for state, mapper in states:
        if mapper is not plan_mapper:
            plan = _plan_for(mapper, table)
            plan_mapper = mapper
            colkey_of = plan.colkey_of
            with_version = plan.version_key is not None
            server_onupdate = plan.server_onupdate
            open_keys = None
        obj = state()
        if obj is None:
            continue
        committed = state._committed_state
        if not committed:
            continue
        values = obj.__dict__
        # the new values of the columns whose attributes changed (one set back to its
        # committed value is left out; one deleted is set NULL) and the SQL expressions
        # assigned; inline, as this runs once per changed row
        params: dict = {}
        exprs: Optional[dict] = None
        for key, old in committed.items():
            colkey = colkey_of.get(key)
            if colkey is None:
                continue
            value = values.get(key, NO_VALUE)
            if value is NO_VALUE:
                params[colkey] = None
            elif value is old:
                continue
            elif type(value) is type(old) and type(value) in _EQ_SAFE_TYPES:
                if not value == old:
                    params[colkey] = value
            elif type(value) not in PLAIN_TYPES and _is_sql(value):
                if exprs is None:
                    exprs = {}
                exprs[colkey] = _as_sql(value)
            elif old is NO_VALUE or not _equal(value, old):
                params[colkey] = value
        if switched is not None and state in switched:
            # a pending object UPDATEs the row of the deleted one: its key locates the row,
            # and its version is the deleted object's
            existing = switched[state]
            for column in plan.pk_cols:
                params.pop(column.key, None)
            if not params and not exprs:
                continue
            for name, value in zip(plan.pk_binds, existing.key[1]):
                params[name] = value
            committed = existing._committed_state or {}
            values_for_version = existing.dict
        else:
            if not params and not exprs:
                continue
            if state._expired_attributes:
                _load_if_expired(plan, state, obj)
            if plan.single_pk:
                params["_oc_pk_0"] = state._key_pk  # the key's only value, no key tuple
            else:
                for name, value in zip(plan.pk_binds, state.key[1]):
                    params[name] = value
            values_for_version = values
        if with_version:
            version_key = plan.version_key
            old_version = committed.get(version_key,
                                        values_for_version.get(version_key, NO_VALUE))
            _bump_version(plan, values, old_version, params)
        if server_onupdate:
            uow.expire_after.setdefault(state, set()).update(server_onupdate)
        if exprs is not None:
            keys = tuple(k for k in params if k.startswith("_oc_"))
            batches.append((plan, keys, with_version, exprs, [(state, values, params)]))
            uow.expire_after.setdefault(state, set()).update(
                plan.prop_of_colkey[colkey] for colkey in exprs)
            open_keys = None
            continue
        keys = tuple(params)
        if keys != open_keys:
            records = []
            batches.append((plan, keys, with_version, None, records))
            open_keys = keys
        records.append((state, values, params))
    return batches


def _bump_version(plan: _TablePlan, values: dict, old_version: Any, params: dict) -> None:
    """The version id check of a versioned row (its old value as `_oc_version`) and its next
    version, unless the row sets the version column itself or versions are not generated."""
    if old_version is NO_VALUE:
        old_version = None
    params["_oc_version"] = old_version
    generator = plan.mapper.version_id_generator
    if plan.version_col.key not in params and generator is not False:
        version = generator(old_version)
        params[plan.version_col.key] = version
        values[plan.version_key] = version


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


def _load_if_expired(plan: _TablePlan, state: Any, obj: Any) -> None:
    """As SQLAlchemy reads the key (and version) of a row to UPDATE or DELETE through its
    attributes: an expired one is loaded first (a SELECT of the row), and a row gone
    meanwhile raises ObjectDeletedError."""
    expired = state._expired_attributes
    keys = [prop.key for prop in plan.mapper._pk_props if prop is not None]
    if plan.version_key is not None:
        keys.append(plan.version_key)
    for key in keys:
        if key in expired and key not in obj.__dict__:
            getattr(obj, key)
            return


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
        obj = state()
        if obj is not None and state._expired_attributes:
            _load_if_expired(plan, state, obj)
        params = dict(zip(plan.pk_binds, state.key[1]))
        with_version = False
        if plan.version_key is not None:
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
