"""Shared pieces of the ORM-core tests: mapped classes over either core, a manager that
loads missing attributes from a fake database, the observable state of an instance, and a
reference-count checker for the C paths."""

from __future__ import annotations

import gc
import sys
import types
from typing import Any
from typing import Callable

COLUMNS = ("id", "name", "email", "qty")
STATE_KEY = "_sa_instance_state"


class Manager:
    """What the ORM's class manager offers the core: the loader of missing attributes and
    the mapped attribute names. `db` maps pk -> {name: value}; `calls` records loads."""

    def __init__(self, core: types.ModuleType, names: tuple = COLUMNS) -> None:
        self.core = core
        self._attribute_names = names
        self.db: dict = {}
        self.calls: list = []

    def _load_missing(self, state: Any, key: str) -> Any:
        self.calls.append(key)
        obj = state()
        pk = state._key_pk
        value = self.db.get(pk, {}).get(key)
        self.core.set_committed_value(obj, key, value)
        return value


def mapped_class(core: types.ModuleType, names: tuple = COLUMNS, name: str = "Item",
                 base: Any = None) -> type:
    namespace = {column: core.AttributeDescriptor(column) for column in names}
    return type(name, (core.InstrumentedBase if base is None else base,), namespace)


def values_of(obj: Any) -> dict:
    """The instance's loaded values, without the state (reads __dict__: materializes it)."""
    return {k: v for k, v in vars(obj).items() if k != STATE_KEY}


def observe_state(state: Any) -> tuple:
    return (
        state.key,
        state.modified,
        dict(state.committed_state),
        set(state.expired_attributes),
        state._strong_obj is not None,
        state.session_id,
    )


def refs_unchanged(objs: list, body: Callable[[], Any], times: int = 50) -> None:
    """Assert that running `body` many times leaves the reference counts of `objs` as they
    were (a leak or an extra decref on a C path shifts them by at least `times`)."""
    body()
    gc.collect()
    before = [sys.getrefcount(obj) for obj in objs]
    for _ in range(times):
        body()
    gc.collect()
    drift = [sys.getrefcount(obj) - count for obj, count in zip(objs, before)]
    assert all(abs(d) < times // 2 for d in drift), drift


def has_materialized_dict(obj: Any) -> bool:
    """True when CPython holds this instance's attributes in a dict object rather than
    inline values (gc.get_referents shows the dict, or the values, without creating it)."""
    return any(type(ref) is dict for ref in gc.get_referents(obj))
