"""insert_params (the dehydration core): behaviour on both twins, and parity between them on
random rows, including values of types a driver does not bind as they are."""

from __future__ import annotations

import datetime
import decimal
import enum
import sys
from types import ModuleType
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ormcore import _core_py
from tests.core.conftest import load_core

COLS = (("id", "id", False), ("name", "name_col", True), ("qty", "qty", False))


class Color(enum.IntEnum):
    RED = 1


def test_values_by_column_key(core: ModuleType) -> None:
    params = core.insert_params(COLS, {"id": 7, "name": "a", "qty": 2.5, "other": object()})
    assert params == {"id": 7, "name_col": "a", "qty": 2.5}
    assert list(params) == ["id", "name_col", "qty"]


def test_missing_and_none_left_out_or_sent_as_null(core: ModuleType) -> None:
    assert core.insert_params(COLS, {}) == {"name_col": None}
    assert core.insert_params(COLS, {"id": None, "name": None, "qty": None}) == {"name_col": None}


def test_every_plain_type_bound_as_it_is(core: ModuleType) -> None:
    plain = ["s", 1, 1.5, True, b"b", decimal.Decimal("1.1"), datetime.datetime(2020, 1, 2),
             datetime.date(2020, 1, 2), datetime.time(1, 2), datetime.timedelta(3)]
    assert {type(v) for v in plain} | {type(None)} == core.PLAIN_TYPES
    for value in plain:
        assert core.insert_params(COLS, {"qty": value}) == {"name_col": None, "qty": value}


def test_other_types_refused(core: ModuleType) -> None:
    # a subclass of a plain type (an IntEnum), a container, anything that might be SQL
    for value in (Color.RED, [1], {"a": 1}, object(), type("S", (str,), {})("x")):
        assert core.insert_params(COLS, {"name": "n", "qty": value}) is None


def test_reference_counts(core: ModuleType) -> None:
    name = "a value only this test holds"
    before = sys.getrefcount(name)
    for _ in range(100):
        core.insert_params(COLS, {"name": name})
    assert sys.getrefcount(name) == before


_values = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5), st.booleans(),
    st.binary(max_size=3), st.lists(st.integers(), max_size=2), st.sampled_from(list(Color)),
)


@settings(max_examples=300, deadline=None)
@given(
    cols=st.lists(st.tuples(st.sampled_from("abcde"), st.sampled_from("vwxyz"), st.booleans()),
                  max_size=5),
    values=st.dictionaries(st.sampled_from("abcdef"), _values, max_size=6),
)
def test_twins_agree(cols: list, values: dict) -> None:
    compiled: Any = load_core("c")
    assert compiled.insert_params(tuple(cols), values) == _core_py.insert_params(tuple(cols), values)
