"""ORM-enabled INSERT, UPDATE and DELETE: statements made for a mapped class, run by the
Session, and the loaded objects kept in step with what they changed.

`Session.execute(update(User).where(...).values(...))` and `delete(User)`, like the legacy
`Query.update()` / `Query.delete()`, synchronize the identity map as SQLAlchemy does, by the
`synchronize_session` strategy: "evaluate" finds the matched objects by evaluating the
criteria in Python (orm/evaluator.py) and gives them the new values, "fetch" SELECTs the
matched primary keys first, "auto" evaluates when it can and fetches otherwise, False
leaves the objects as they are. `Session.execute(update(User), [dicts])` with no WHERE is
the bulk UPDATE by primary key: one `UPDATE ... WHERE pk = :pk` executemany per set of
keys, each record naming its row by its primary-key attributes. ORM-enabled INSERT takes
records keyed by attribute names.
"""

from __future__ import annotations

from typing import Any
from typing import Iterable
from typing import Optional

from .. import exc as sa_exc
from ..engine.result import IteratorResult
from ..engine.result import ResultMetaData
from ..sql.dml import Delete
from ..sql.dml import Insert
from ..sql.dml import update
from ..sql.elements import and_
from ..sql.elements import bindparam
from ..sql.selectable import select
from .evaluator import EXPIRED
from .evaluator import Unevaluable
from .evaluator import evaluator

__all__ = ["delete_matching", "execute_dml", "update_matching"]

_STRATEGIES = (False, "auto", "evaluate", "fetch")


def execute_dml(session: Any, statement: Any, params: Any, options: dict) -> Any:
    """Session.execute() of an INSERT / UPDATE / DELETE made for a mapped class."""
    mapper = statement._orm_entity.mapper
    many = isinstance(params, (list, tuple)) and not isinstance(params, dict)
    if isinstance(statement, Insert):
        session._autoflush()
        records = _column_records(mapper, params if many else ([params] if params else []))
        return _connection(session, mapper).execute(
            statement, records if many else (records[0] if records else None),
            execution_options=options)
    synchronize = options.get("synchronize_session", "auto")
    if many:
        if statement._where_criteria:
            raise sa_exc.InvalidRequestError(
                "WHERE clause with bulk ORM UPDATE not supported right now.   Statement may "
                "be invoked at the Core level using session.connection().execute(stmt, "
                "parameters)")
        return _update_by_primary_key(session, mapper, params, options)
    criteria = statement._where_criteria
    if isinstance(statement, Delete):
        return delete_matching(session, mapper, criteria, synchronize, params,
                               statement=statement, options=options)
    values = {
        _attribute_key(mapper, key): value
        for key, value in (statement._values or {}).items()
    }
    return update_matching(session, mapper, criteria, values, synchronize, params,
                           statement=statement, options=options)


def update_matching(session: Any, mapper: Any, criteria: tuple, values: dict,
                    synchronize_session: Any, params: Any = None, *, statement: Any = None,
                    options: Optional[dict] = None) -> Any:
    """UPDATE the rows `criteria` match; loaded objects get the new values (evaluated in
    Python where possible, else expired). The statement's CursorResult."""
    strategy, matches = _sync_strategy(session, mapper, criteria, synchronize_session)
    states = _matched_states(session, mapper, criteria, strategy, matches, params)
    if statement is None:
        statement = update(mapper.local_table).where(*criteria).values({
            _column_key(mapper, key): value for key, value in values.items()})
    result = _connection(session, mapper).execute(statement, params, execution_options=options)
    evaluators = {}
    for key, value in values.items():
        if isinstance(key, str) and key in mapper._props:
            try:
                evaluators[key] = evaluator(mapper, value)
            except Unevaluable:
                pass
    altered = []
    for state, _partial in states:
        obj = state()
        if obj is None:
            continue
        loaded = obj.__dict__
        committed = state._committed_state or ()
        evaluated = []
        for key, evaluate in evaluators.items():
            # (in turn, as SQLAlchemy: a later value sees the earlier ones)
            if key in loaded and key not in committed:
                value = evaluate(obj)
                if value is not EXPIRED:
                    loaded[key] = value
                    evaluated.append(key)
        state._commit(evaluated)
        expire = [key for key in values
                  if isinstance(key, str) and key in loaded and key not in evaluated]
        if expire:
            state._expire(expire)
        altered.append(state)
    session._register_altered(altered)
    return result


def delete_matching(session: Any, mapper: Any, criteria: tuple, synchronize_session: Any,
                    params: Any = None, *, statement: Any = None,
                    options: Optional[dict] = None) -> Any:
    """DELETE the rows `criteria` match; their loaded objects become `deleted`."""
    strategy, matches = _sync_strategy(session, mapper, criteria, synchronize_session)
    states = _matched_states(session, mapper, criteria, strategy, matches, params)
    if statement is None:
        statement = Delete(mapper.local_table).where(*criteria)
    result = _connection(session, mapper).execute(statement, params, execution_options=options)
    for state, partial in states:
        if partial:
            state._expire()
    session._remove_newly_deleted([state for state, partial in states if not partial])
    return result


# -- bulk UPDATE by primary key -------------------------------------------------------------


def _update_by_primary_key(session: Any, mapper: Any, records: list, options: dict) -> Any:
    session._autoflush()
    pk_keys = [prop.key for prop in mapper._pk_props]
    groups: dict = {}
    for record in records:
        missing = [column for key, column in zip(pk_keys, mapper.primary_key)
                   if record.get(key) is None]
        if missing:
            raise sa_exc.InvalidRequestError(
                f"No primary key value supplied for column(s) "
                f"{', '.join(str(c) for c in missing)}; per-row ORM Bulk UPDATE by Primary Key "
                "requires that records contain primary key values")
        keys = tuple(key for key in record if key not in pk_keys)
        groups.setdefault(keys, []).append(record)
    conn = _connection(session, mapper)
    for keys, group in groups.items():
        if not keys:
            continue
        stmt = update(mapper.local_table).where(*[
            column == bindparam(f"pk_{key}") for key, column in zip(pk_keys, mapper.primary_key)
        ]).values({_column_key(mapper, key): bindparam(key) for key in keys})
        rows = [{**{key: record[key] for key in keys},
                 **{f"pk_{key}": record[key] for key in pk_keys}} for record in group]
        conn.execute(stmt, rows, execution_options=options)
    _apply_to_loaded(session, mapper, pk_keys, records)
    return IteratorResult(ResultMetaData([]), ())  # no rows, as SQLAlchemy's


def _apply_to_loaded(session: Any, mapper: Any, pk_keys: list, records: Iterable[dict]) -> None:
    """Loaded objects of the updated rows take the new values, as committed state."""
    identity_map = session.identity_map
    altered = []
    for record in records:
        pk = tuple(record[key] for key in pk_keys)
        obj = identity_map.get_by_pk(mapper._identity_class, pk[0] if len(pk) == 1 else pk)
        if obj is None:
            continue
        state = obj.__dict__["_sa_instance_state"]
        keys = [key for key in record if key not in pk_keys and key in mapper._props]
        obj.__dict__.update({key: record[key] for key in keys})
        state._commit(keys)
        altered.append(state)
    session._register_altered(altered)


# -- synchronize_session ------------------------------------------------------------------------


def _sync_strategy(session: Any, mapper: Any, criteria: tuple, synchronize_session: Any) -> tuple:
    """(strategy, criteria evaluator or None), autoflushing first, as SQLAlchemy does."""
    if synchronize_session not in _STRATEGIES:
        raise sa_exc.ArgumentError(
            "Valid strategies for session synchronization are 'auto', 'evaluate', "
            "'fetch', False")
    session._autoflush()
    if synchronize_session in ("auto", "evaluate"):
        try:
            return "evaluate", evaluator(mapper, and_(*criteria))
        except Unevaluable as err:
            if synchronize_session == "evaluate":
                raise sa_exc.InvalidRequestError(
                    f'Could not evaluate current criteria in Python: "{err}". Specify '
                    "'fetch' or False for the synchronize_session execution option."
                ) from None
            return "fetch", None
    return synchronize_session, None


def _matched_states(session: Any, mapper: Any, criteria: tuple, strategy: Any, matches: Any,
                    params: Any) -> list:
    """(state, partially expired) of each identity-map object the criteria match."""
    from .session import _fully_expired

    if strategy == "evaluate":
        found = []
        for state in session.identity_map.all_states():
            obj = state()
            if obj is None or not state.manager.mapper.isa(mapper):
                continue
            if _fully_expired(state, obj.__dict__):
                continue  # nothing loaded to compare
            matched = matches(obj)
            if matched is True or matched is EXPIRED:
                found.append((state, matched is EXPIRED))
        return found
    if strategy != "fetch":
        return []
    rows = session.execute(select(*mapper.primary_key).where(*criteria), params).all()
    identity_map = session.identity_map
    states = []
    for row in rows:
        obj = identity_map.get_by_pk(mapper._identity_class, row[0] if len(row) == 1 else tuple(row))
        if obj is not None:
            states.append((obj.__dict__["_sa_instance_state"], False))
    return states


# -- keys ---------------------------------------------------------------------------------------


def _connection(session: Any, mapper: Any) -> Any:
    return session._connection_for_bind(session.get_bind(mapper))


def _attribute_key(mapper: Any, key: Any) -> Any:
    """A statement's values() key as the mapped attribute it writes, when there is one."""
    if isinstance(key, str):
        return mapper._attribute_key_for(key)
    prop = mapper._columntoproperty.get(key)
    return prop.key if prop is not None else key


def _column_key(mapper: Any, key: Any) -> Any:
    """The table column key a mapped attribute name writes (other keys as they are)."""
    if not isinstance(key, str):
        return getattr(key, "key", None) or key
    return mapper._column_key_for(key)


def _column_records(mapper: Any, records: list) -> list:
    """Records keyed by attribute names, keyed by column keys instead."""
    return [{_column_key(mapper, key): value for key, value in record.items()}
            for record in records]
