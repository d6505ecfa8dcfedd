"""The row core (BaseRow, make_rows, RowIterator): behaviour on both twins, parity between
them, and the compiled core's reference counts and GC tracking.

The pure twin (ormcore._core_py.row) is the specification; every behaviour test runs on both
cores through the `core` fixture, and the differential tests feed the same random input to
both and compare everything observable.
"""

from __future__ import annotations

import collections.abc
import gc
import os
import pickle
import subprocess
import sys
import types
import weakref
from typing import Any
from typing import Callable
from typing import Iterator

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ormcore import _core
from ormcore import _core_py

try:
    from ormcore import _core_c
except ImportError:
    _core_c = None

from .conftest import REQUIRE_SPEEDUPS

PURE_PYTHON = os.environ.get("ORMCORE_PURE_PYTHON", "") not in ("", "0")


# -- the parent, and the row classes a result would use ---------------------------------------


class NoSuchColumn(KeyError):
    pass


class AmbiguousColumn(LookupError):
    pass


class Meta:
    """A row's parent as result metadata is one: a key map and the two error reporters.

    `calls` records each report, so that tests can tell how often the core asked.
    """

    def __init__(self, keys: Any, extra: Any = None) -> None:
        self.keys = list(keys)
        self.extra = dict(extra or {})
        self._key_to_index = {key: index for index, key in enumerate(self.keys)}
        self._key_to_index.update(self.extra)
        self.calls: list = []

    def __reduce__(self) -> Any:
        return Meta, (self.keys, self.extra)

    def _key_not_found(self, key: Any, attr_error: bool) -> Any:
        self.calls.append(("not found", key, attr_error))
        if attr_error:
            raise AttributeError(f"no column {key!r}")
        raise NoSuchColumn(key)

    def _raise_for_ambiguous_column_name(self, key: Any) -> Any:
        self.calls.append(("ambiguous", key))
        raise AmbiguousColumn(key)


def _family(core: types.ModuleType, tag: str) -> types.SimpleNamespace:
    """Row classes over one core, registered under module-level names so that they pickle."""

    class Row(core.BaseRow, collections.abc.Sequence):
        __slots__ = ()

    class EqRow(core.BaseRow, collections.abc.Sequence):
        """Equality as engine.Row has it: defining __eq__ drops the inherited hash."""

        __slots__ = ()

        def __eq__(self, other: Any) -> bool:
            if isinstance(other, core.BaseRow):
                other = other._data
            return self._data == other

        def __ne__(self, other: Any) -> bool:
            return not self == other

        __hash__ = core.BaseRow.__hash__

    class InitRow(core.BaseRow):
        """Overrides __init__: the batch loops must call it, as the twin does."""

        __slots__ = ()
        inits = 0

        def __init__(self, parent: Any, processors: Any, key_to_index: Any, data: Any) -> None:
            type(self).inits += 1
            super().__init__(parent, processors, key_to_index, tuple(data) + ("init",))

    class NewRow(core.BaseRow):
        """Overrides __new__: the batch loops must not bypass it."""

        __slots__ = ()
        news = 0

        def __new__(cls, *args: Any) -> Any:
            cls.news += 1
            return super().__new__(cls)

    class DictRow(core.BaseRow):
        """No __slots__: instances have a __dict__, which normal lookup consults first."""

    class ExtraSlotRow(core.BaseRow):
        __slots__ = ("extra",)

    class OwnGetattrRow(core.BaseRow):
        __slots__ = ()

        def __getattr__(self, name: str) -> Any:
            return ("own", name)

    class GetattributeRow(core.BaseRow):
        __slots__ = ()

        def __getattribute__(self, name: str) -> Any:
            if name == "special":
                return "special"
            return super().__getattribute__(name)

    class PropertyRow(core.BaseRow, collections.abc.Sequence):
        __slots__ = ()

        @property
        def name(self) -> str:
            return "the property"

        @property
        def broken(self) -> Any:
            raise AttributeError("broken property")

    family = types.SimpleNamespace(**{
        name: cls for name, cls in locals().items() if isinstance(cls, type)
    })
    for name, cls in vars(family).items():
        cls.__name__ = cls.__qualname__ = f"{name}_{tag}"
        globals()[cls.__qualname__] = cls
    return family


FAMILIES = {"py": _family(_core_py, "py")}
if _core_c is not None:
    FAMILIES["c"] = _family(_core_c, "c")


def family_of(core: types.ModuleType) -> types.SimpleNamespace:
    return FAMILIES["c" if core is _core_c else "py"]


KEYS = ("id", "name", "email", "qty", "price", "note")
RAW = (1, "ada", "ada@example.com", 3, 2.5, None)


@pytest.fixture
def fam(core: types.ModuleType) -> types.SimpleNamespace:
    return family_of(core)


@pytest.fixture
def meta() -> Meta:
    return Meta(KEYS, {"amb": None, 42: 2, "neg": -1})


def make(core: types.ModuleType, cls: Any = None, data: Any = RAW, processors: Any = None,
         parent: Any = None) -> Any:
    parent = parent if parent is not None else Meta(KEYS, {"amb": None, 42: 2, "neg": -1})
    cls = cls if cls is not None else family_of(core).Row
    return cls(parent, processors, parent._key_to_index, data)


def outcome(func: Callable[[], Any]) -> tuple:
    """What a call did, comparably: its value (a method stands for itself by name only), or
    its exception's type and text."""
    try:
        value = func()
    except Exception as err:
        return ("raised", type(err).__name__, str(err))
    if callable(value):
        return ("callable", getattr(value, "__name__", None))
    return ("value", value)


# -- the compiled core is loaded when it must be -----------------------------------------------


def test_compiled_core_loaded() -> None:
    if PURE_PYTHON:
        assert not _core.has_speedups()
        assert "ORMCORE_PURE_PYTHON" in (_core.speedups_unavailable_reason() or "")
        assert _core.BaseRow is _core_py.BaseRow
        return
    if REQUIRE_SPEEDUPS:
        assert _core.has_speedups(), _core.speedups_unavailable_reason()
    if not _core.has_speedups():
        pytest.skip(f"the compiled core is not in use: {_core.speedups_unavailable_reason()}")
    assert _core.speedups_unavailable_reason() is None
    assert _core.BaseRow is _core_c.BaseRow
    assert _core.make_rows is _core_c.make_rows
    assert _core.RowIterator is _core_c.RowIterator


def _chooser_in_subprocess(pure: bool) -> str:
    env = dict(os.environ)
    env.pop("ORMCORE_PURE_PYTHON", None)
    if pure:
        env["ORMCORE_PURE_PYTHON"] = "1"
    src = os.path.dirname(os.path.dirname(os.path.abspath(_core.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    code = (
        "from ormcore import _core; "
        "print(_core.has_speedups(), _core.BaseRow.__module__, _core.speedups_unavailable_reason())"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_pure_python_switch_selects_the_twin() -> None:
    out = _chooser_in_subprocess(pure=True)
    assert out.startswith("False ormcore._core_py.row ")
    assert "ORMCORE_PURE_PYTHON" in out


def test_compiled_core_chosen_by_default() -> None:
    if _core_c is None:
        if REQUIRE_SPEEDUPS:
            pytest.fail("ORMCORE_REQUIRE_SPEEDUPS=1 but ormcore._core_c did not import")
        pytest.skip("the compiled core is not built")
    assert _chooser_in_subprocess(pure=False) == "True ormcore._core_c None"


# -- the two twins have the same names --------------------------------------------------------

_IMPLEMENTATION_NAMES = {
    "__module__", "__slots__", "__new__", "__doc__", "__dict__", "__weakref__",
    "__annotations__", "__pyx_vtable__", "__reduce_cython__", "__setstate_cython__",
}


def _defined_names(cls: type) -> set:
    return set(vars(cls)) - _IMPLEMENTATION_NAMES


def test_twins_define_the_same_names(core_c: types.ModuleType) -> None:
    assert _defined_names(core_c.BaseRow) == _defined_names(_core_py.BaseRow)
    assert _defined_names(core_c.RowIterator) == _defined_names(_core_py.RowIterator)
    for name in _core_py.__all__:
        assert hasattr(core_c, name), name
    assert callable(core_c._rebuild_row)


def test_getattribute_is_objects(core: types.ModuleType) -> None:
    # As in the twin, BaseRow adds __getattr__ only: __getattribute__ stays object's.
    assert core.BaseRow.__getattribute__ is object.__getattribute__
    assert "__getattr__" in vars(core.BaseRow)


def test_keyword_arguments(core: types.ModuleType, meta: Meta) -> None:
    row = core.BaseRow(parent=meta, processors=None, key_to_index=meta._key_to_index, data=RAW)
    assert row._data == RAW
    rows = core.make_rows(row_class=core.BaseRow, parent=meta, processors=None,
                          key_to_index=meta._key_to_index, raw_rows=[RAW])
    assert rows[0]._data == RAW
    it = core.RowIterator(row_class=core.BaseRow, parent=meta, processors=None,
                          key_to_index=meta._key_to_index, raw_rows=[RAW])
    assert next(it)._data == RAW


# -- tuple behaviour ---------------------------------------------------------------------------


def test_index_access(core: types.ModuleType) -> None:
    row = make(core)
    assert [row[i] for i in range(6)] == list(RAW)
    assert row[-1] is None
    assert row[-6] == 1
    assert row[True] == "ada"
    with pytest.raises(IndexError):
        row[6]
    with pytest.raises(IndexError):
        row[-7]
    with pytest.raises(IndexError):
        row[2**70]
    with pytest.raises(TypeError):
        row["name"]


def test_slices(core: types.ModuleType) -> None:
    row = make(core)
    assert row[1:3] == ("ada", "ada@example.com")
    assert row[::-1] == RAW[::-1]
    assert row[-2:] == (2.5, None)
    assert row[10:] == ()
    assert type(row[:]) is tuple


def test_len_iter_values(core: types.ModuleType) -> None:
    row = make(core)
    assert len(row) == 6
    assert list(row) == list(RAW)
    assert tuple(iter(row)) == RAW
    assert row._values_impl() == list(RAW)
    assert type(row._values_impl()) is list
    assert row._data == RAW and type(row._data) is tuple
    empty = make(core, data=())
    assert len(empty) == 0 and list(empty) == []


def test_sequence_mixin_methods(core: types.ModuleType) -> None:
    row = make(core)
    assert row.index("ada") == 1
    assert row.count(None) == 1
    assert "ada" in row
    assert list(reversed(row)) == list(reversed(RAW))


def test_hash_is_the_tuples(core: types.ModuleType, fam: types.SimpleNamespace) -> None:
    for cls in (core.BaseRow, fam.Row, fam.EqRow):
        assert hash(make(core, cls)) == hash(RAW)
    with pytest.raises(TypeError):
        hash(make(core, data=([1],)))


def test_subclass_equality_and_hashing(core: types.ModuleType, fam: types.SimpleNamespace) -> None:
    a = make(core, fam.EqRow)
    b = make(core, fam.EqRow, data=list(RAW))
    c = make(core, fam.EqRow, data=RAW[:-1] + ("note",))
    assert a == b and a == RAW and not a != b
    assert a != c
    assert len({a, b, c}) == 2
    assert {a: 1}[b] == 1
    assert {RAW: "t"}[a] == "t"
    # without __eq__, a row compares by identity, as an object does
    plain = make(core)
    assert plain == plain and plain != make(core)


def test_data_from_any_sequence(core: types.ModuleType) -> None:
    assert make(core, data=list(RAW))._data == RAW
    assert make(core, data=iter(RAW))._data == RAW
    kept = make(core, data=RAW)
    assert kept._data == RAW


# -- keys and attributes -----------------------------------------------------------------------


def test_key_access(core: types.ModuleType, meta: Meta) -> None:
    row = make(core, parent=meta)
    assert row._get_by_key_impl_mapping("name") == "ada"
    assert row._get_by_key_impl_mapping(42) == "ada@example.com"
    assert row._get_by_key_impl_mapping("neg") is None  # a negative index counts from the end
    assert meta.calls == []


def test_missing_key_reported_by_parent(core: types.ModuleType, meta: Meta) -> None:
    row = make(core, parent=meta)
    with pytest.raises(NoSuchColumn) as info:
        row._get_by_key_impl_mapping("nope")
    assert info.value.__context__ is None  # reported outside the lookup's except clause
    assert meta.calls == [("not found", "nope", False)]


def test_unhashable_key_reported_as_missing(core: types.ModuleType, meta: Meta) -> None:
    row = make(core, parent=meta)
    with pytest.raises(NoSuchColumn):
        row._get_by_key_impl_mapping(["name"])
    assert meta.calls == [("not found", ["name"], False)]


def test_ambiguous_key(core: types.ModuleType, meta: Meta) -> None:
    row = make(core, parent=meta)
    with pytest.raises(AmbiguousColumn):
        row._get_by_key_impl_mapping("amb")
    with pytest.raises(AmbiguousColumn):
        row.amb
    assert meta.calls == [("ambiguous", "amb"), ("ambiguous", "amb")]


def test_what_the_parent_returns_is_the_result(core: types.ModuleType) -> None:
    class Lenient(Meta):
        def _key_not_found(self, key: Any, attr_error: bool) -> Any:
            return ("fallback", key, attr_error)

        def _raise_for_ambiguous_column_name(self, key: Any) -> Any:
            return ("ambiguous", key)

    parent = Lenient(KEYS, {"amb": None})
    row = make(core, parent=parent)
    assert row.nope == ("fallback", "nope", True)
    assert row._get_by_key_impl_mapping("nope") == ("fallback", "nope", False)
    assert row.amb == ("ambiguous", "amb")


def test_attribute_access(core: types.ModuleType, fam: types.SimpleNamespace, meta: Meta) -> None:
    for cls in (core.BaseRow, fam.Row, fam.EqRow, fam.DictRow, fam.ExtraSlotRow):
        row = make(core, cls, parent=meta)
        assert row.name == "ada"
        assert row.note is None
        assert row.__getattr__("email") == "ada@example.com"
    assert meta.calls == []


def test_missing_attribute(core: types.ModuleType, fam: types.SimpleNamespace, meta: Meta) -> None:
    row = make(core, fam.Row, parent=meta)
    with pytest.raises(AttributeError, match="no column 'nope'") as info:
        row.nope
    assert info.value.__context__ is None
    assert getattr(row, "nope", "default") == "default"
    assert not hasattr(row, "nope")
    assert meta.calls == [("not found", "nope", True)] * 3  # once per lookup, never twice


def test_class_attributes_come_before_keys(core: types.ModuleType,
                                           fam: types.SimpleNamespace) -> None:
    parent = Meta(("count", "index", "_data", "name", "broken"))
    row = make(core, fam.Row, parent=parent)
    assert callable(row.count) and row.count(1) == 1
    assert row._data == RAW
    prop = make(core, fam.PropertyRow, parent=parent)
    assert prop.name == "the property"
    # a property raising AttributeError falls back to the keys, as CPython's __getattr__ does
    assert prop.broken == RAW[4]


def test_instance_dict_comes_before_keys(core: types.ModuleType,
                                         fam: types.SimpleNamespace) -> None:
    row = make(core, fam.DictRow)
    row.name = "from the instance"
    assert row.name == "from the instance"
    assert row.email == "ada@example.com"


def test_subclass_getattr_wins(core: types.ModuleType, fam: types.SimpleNamespace,
                               meta: Meta) -> None:
    rows = core.make_rows(fam.OwnGetattrRow, meta, None, meta._key_to_index, [RAW])
    assert rows[0].name == ("own", "name")
    assert make(core, fam.OwnGetattrRow).email == ("own", "email")
    special = make(core, fam.GetattributeRow, parent=meta)
    assert special.special == "special"
    assert special.name == "ada"
    with pytest.raises(AttributeError):
        special.nope
    assert meta.calls == [("not found", "nope", True)]


def test_getattr_assigned_later_takes_effect(core: types.ModuleType, meta: Meta) -> None:
    class Late(core.BaseRow):
        __slots__ = ()

    row = core.make_rows(Late, meta, None, meta._key_to_index, [RAW])[0]
    assert row.name == "ada"
    Late.__getattr__ = lambda self, name: ("late", name)
    assert row.name == ("late", "name")
    del Late.__getattr__
    assert row.name == "ada"

    class LaterSub(Late):
        __slots__ = ()

    sub = core.make_rows(LaterSub, meta, None, meta._key_to_index, [RAW])[0]
    assert sub.email == "ada@example.com"
    Late.__getattribute__ = lambda self, name: "everything"
    assert sub.email == "everything" and sub._data == "everything"


def test_fields_are_read_only_on_compiled_rows(core_c: types.ModuleType) -> None:
    row = make(core_c)
    with pytest.raises(AttributeError):
        row._data = ()
    with pytest.raises(AttributeError):
        row.anything = 1


# -- processors --------------------------------------------------------------------------------


def test_processors_applied(core: types.ModuleType) -> None:
    procs = [None, str.upper, None, lambda v: v * 10, None, None]
    row = make(core, processors=procs)
    assert row._data == (1, "ADA", "ada@example.com", 30, 2.5, None)
    assert make(core, processors=tuple(procs))._data == row._data
    assert make(core, data=list(RAW), processors=procs)._data == row._data


def test_all_none_processors_pass_through(core: types.ModuleType) -> None:
    row = make(core, processors=[None] * 6)
    assert row._data == RAW


def test_empty_processors_mean_none(core: types.ModuleType) -> None:
    for procs in (None, [], ()):
        assert make(core, processors=procs)._data == RAW


def test_processors_zip_with_the_data(core: types.ModuleType) -> None:
    # zip(processors, data): the shorter one decides the length
    assert make(core, processors=[None, str.upper])._data == (1, "ADA")
    assert make(core, processors=[None] * 3)._data == RAW[:3]
    assert make(core, data=RAW[:2], processors=[str] * 6)._data == ("1", "ada")


def test_processor_error_propagates(core: types.ModuleType, meta: Meta) -> None:
    def bad(value: Any) -> Any:
        raise ValueError(f"bad {value!r}")

    with pytest.raises(ValueError, match="bad 'ada'"):
        make(core, processors=[None, bad])
    with pytest.raises(ValueError, match="bad 'ada'"):
        core.make_rows(core.BaseRow, meta, [None, bad], meta._key_to_index, [RAW, RAW])
    with pytest.raises(ValueError, match="bad 'ada'"):
        list(core.RowIterator(core.BaseRow, meta, [None, bad], meta._key_to_index, [RAW]))


# -- pickling ----------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip(core: types.ModuleType, fam: types.SimpleNamespace,
                           protocol: int) -> None:
    for cls in (core.BaseRow, fam.Row, fam.EqRow):
        row = make(core, cls, processors=[None, str.upper])
        loaded = pickle.loads(pickle.dumps(row, protocol))
        assert type(loaded) is cls
        assert loaded._data == (1, "ADA")
        assert loaded._parent.keys == list(KEYS)
        assert loaded._key_to_index is loaded._parent._key_to_index
        assert loaded.name == "ADA"
        assert loaded[0] == 1


def test_reduce_and_state(core: types.ModuleType, fam: types.SimpleNamespace, meta: Meta) -> None:
    row = make(core, fam.Row, parent=meta)
    func, args = row.__reduce__()
    assert args == (fam.Row, meta, RAW)
    assert func(*args)._data == RAW
    state = row.__getstate__()
    assert state == {"_parent": meta, "_data": RAW}
    other = make(core, fam.Row, data=(9,), parent=Meta(("x",)))
    other.__setstate__(state)
    assert other._data == RAW and other._parent is meta
    assert other._key_to_index is meta._key_to_index
    assert other.name == "ada"


# -- the batch loops ---------------------------------------------------------------------------


def shout(value: Any) -> str:
    return str(value).upper()


def _summary(rows: Any) -> list:
    return [(type(row).__name__.rsplit("_", 1)[0], row._data) for row in rows]


@pytest.mark.parametrize("container", [list, tuple, iter])
@pytest.mark.parametrize("procs", [None, [None, shout, None, None, None, str]])
def test_make_rows(core: types.ModuleType, fam: types.SimpleNamespace, meta: Meta,
                   container: Callable, procs: Any) -> None:
    raws = [RAW, tuple(range(6)), ["as", "a", "list", 0, 0.0, None]]
    rows = core.make_rows(fam.Row, meta, procs, meta._key_to_index, container(raws))
    assert type(rows) is list
    expected = [fam.Row(meta, procs, meta._key_to_index, raw) for raw in raws]
    assert _summary(rows) == _summary(expected)
    assert all(row._parent is meta and row._key_to_index is meta._key_to_index for row in rows)
    assert rows[0].name == (RAW[1].upper() if procs else RAW[1])


def test_make_rows_keeps_the_drivers_tuples(core: types.ModuleType, meta: Meta) -> None:
    raws = [RAW, (2,) + RAW[1:]]
    rows = core.make_rows(core.BaseRow, meta, None, meta._key_to_index, raws)
    assert [row._data for row in rows] == raws
    assert all(row._data is raw for row, raw in zip(rows, raws))


def test_make_rows_empty(core: types.ModuleType, meta: Meta) -> None:
    for raws in ([], (), iter([])):
        assert core.make_rows(core.BaseRow, meta, None, meta._key_to_index, raws) == []


def test_row_iterator(core: types.ModuleType, fam: types.SimpleNamespace, meta: Meta) -> None:
    raws = [RAW, tuple(range(6))]
    it = core.RowIterator(fam.Row, meta, [None, str], meta._key_to_index, raws)
    assert iter(it) is it
    first = next(it)
    assert first._data == (1, "ada")
    assert [row._data for row in it] == [(0, "1")]
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


def test_row_iterator_is_lazy(core: types.ModuleType, meta: Meta) -> None:
    pulled = []

    def source() -> Iterator[tuple]:
        for raw in (RAW, RAW):
            pulled.append(raw)
            yield raw

    it = core.RowIterator(core.BaseRow, meta, None, meta._key_to_index, source())
    assert pulled == []
    next(it)
    assert len(pulled) == 1


def test_overridden_init_and_new_are_called(core: types.ModuleType, fam: types.SimpleNamespace,
                                            meta: Meta) -> None:
    fam.InitRow.inits = 0
    rows = core.make_rows(fam.InitRow, meta, None, meta._key_to_index, [RAW, RAW])
    assert fam.InitRow.inits == 2
    assert rows[0]._data == RAW + ("init",)
    it = core.RowIterator(fam.InitRow, meta, None, meta._key_to_index, [RAW])
    assert next(it)._data[-1] == "init"
    assert fam.InitRow.inits == 3
    fam.NewRow.news = 0
    rows = core.make_rows(fam.NewRow, meta, None, meta._key_to_index, [RAW, RAW])
    list(core.RowIterator(fam.NewRow, meta, None, meta._key_to_index, [RAW]))
    assert fam.NewRow.news == 3
    assert type(rows[0]) is fam.NewRow


def test_any_callable_as_row_class(core: types.ModuleType, meta: Meta) -> None:
    def factory(parent: Any, processors: Any, key_to_index: Any, raw: Any) -> Any:
        return ("made", parent is meta, processors, raw)

    procs = [None, str]
    assert core.make_rows(factory, meta, procs, meta._key_to_index, [RAW]) == [
        ("made", True, procs, RAW)
    ]
    assert list(core.RowIterator(factory, meta, procs, meta._key_to_index, [RAW])) == [
        ("made", True, procs, RAW)
    ]


def test_raw_list_resized_while_building(core: types.ModuleType, meta: Meta) -> None:
    # make_rows walks a list as a list iterator does, rereading its length each time
    raws = [(i, "x") for i in range(6)]

    def shrink(value: Any) -> Any:
        if value == 2:
            del raws[3:]
        return value

    rows = core.make_rows(core.BaseRow, meta, [shrink, None], meta._key_to_index, raws)
    assert [row._data for row in rows] == [(0, "x"), (1, "x"), (2, "x")]

    raws[:] = [(0, "x"), (1, "x")]

    def grow(value: Any) -> Any:
        if value == 1:
            raws.append((2, "added"))
        return value

    rows = core.make_rows(core.BaseRow, meta, [grow, None], meta._key_to_index, raws)
    assert [row._data for row in rows] == [(0, "x"), (1, "x"), (2, "added")]


def test_uninitialized_row_raises(core_c: types.ModuleType) -> None:
    # BaseRow.__new__ alone leaves the fields None: an error, never a crash
    row = core_c.BaseRow.__new__(core_c.BaseRow)
    for func in (lambda: len(row), lambda: row[0], lambda: row[0:1], lambda: list(row),
                 lambda: row.name, lambda: row._get_by_key_impl_mapping("a"),
                 lambda: row._values_impl()):
        with pytest.raises((TypeError, AttributeError)):
            func()
    it = core_c.RowIterator.__new__(core_c.RowIterator)
    with pytest.raises(TypeError):
        next(it)


# -- differential: the same random input through both twins ------------------------------------


def _tag(value: Any) -> Any:
    return ("tagged", value)


def _listed(value: Any) -> Any:
    return [value]


def _strict_int(value: Any) -> Any:
    return int(value)  # raises for text, None, ...


PROCESSORS = [None, str, repr, _tag, _listed, _strict_int]

values = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4),
                   st.floats(allow_nan=False), st.binary(max_size=3))
raw_rows = st.lists(st.lists(values, max_size=7).map(tuple), max_size=8)
processor_lists = st.one_of(st.none(), st.lists(st.sampled_from(PROCESSORS), max_size=7))
probes = st.lists(st.one_of(st.integers(-9, 9), st.slices(9),
                            st.sampled_from(["c0", "c3", "amb", "nope", "count", 7])),
                  max_size=6)


def _observe(core: types.ModuleType, kind: str, procs: Any, raws: list, container: Callable,
             probe_keys: list) -> list:
    parent = Meta([f"c{i}" for i in range(7)], {"amb": None, 7: -1})
    fam = family_of(core)
    row_class = {"Row": fam.Row, "InitRow": fam.InitRow, "BaseRow": core.BaseRow}[kind]
    seen: list = []
    for build in ("make_rows", "RowIterator"):
        if build == "make_rows":
            made = outcome(lambda: core.make_rows(row_class, parent, procs, parent._key_to_index,
                                                  container(raws)))
        else:
            made = outcome(lambda: list(core.RowIterator(row_class, parent, procs,
                                                         parent._key_to_index, container(raws))))
        if made[0] == "raised":
            seen.append(made)
            continue
        for row in made[1]:
            seen.append(("row", type(row).__name__.rsplit("_", 1)[0], row._data, len(row),
                         list(row), row._values_impl(), outcome(lambda: hash(row))))
            for key in probe_keys:
                seen.append(outcome(lambda: row[key]))
                seen.append(outcome(lambda: row._get_by_key_impl_mapping(key)))
                if isinstance(key, str):
                    seen.append(outcome(lambda: getattr(row, key)))
            again = pickle.loads(pickle.dumps(row))
            seen.append(("pickled", type(again).__name__.rsplit("_", 1)[0], again._data))
    seen.append(("parent calls", parent.calls))
    return seen


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["Row", "InitRow", "BaseRow"]),
    procs=processor_lists,
    raws=raw_rows,
    container=st.sampled_from([list, tuple, iter]),
    probe_keys=probes,
)
def test_twins_agree(core_c: types.ModuleType, kind: str, procs: Any, raws: list,
                     container: Callable, probe_keys: list) -> None:
    py = _observe(_core_py, kind, procs, raws, container, probe_keys)
    c = _observe(core_c, kind, procs, raws, container, probe_keys)
    assert c == py


# -- the compiled core's reference counts -----------------------------------------------------


def check_refcounts(body: Callable[[], None], *objs: Any, times: int = 20) -> None:
    """No object's reference count drifts while `body` runs again and again.

    A leak (or an extra decref) on a path the body takes shifts the count by at least
    `times`. A shift of one or two is CPython's type attribute cache, which holds a
    reference to each name it has looked up, taking or dropping an entry; `body` runs once
    first so that the cache is warm.
    """
    body()
    gc.collect()
    before = [sys.getrefcount(obj) for obj in objs]
    for _ in range(times):
        body()
    gc.collect()
    drift = [sys.getrefcount(obj) - count for obj, count in zip(objs, before)]
    assert all(abs(d) < times // 2 for d in drift), drift


def _fresh_raws(n: int) -> list:
    return [(i, f"name {i}", f"e{i}@example.com", i * 2, i / 4, None if i % 3 else "note")
            for i in range(n)]


@pytest.mark.parametrize("container", [list, tuple, iter])
def test_make_rows_refcounts(core: types.ModuleType, fam: types.SimpleNamespace,
                             container: Callable) -> None:
    parent = Meta(KEYS)
    keys = parent._key_to_index
    raws = _fresh_raws(50)
    procs = [None, str.upper, None, None, float, None]

    def body() -> None:
        for ps in (None, procs, [None] * 6, tuple(procs)):
            rows = core.make_rows(fam.Row, parent, ps, keys, container(raws))
            assert len(rows) == 50
            assert rows[3].name == ("NAME 3" if ps and ps[1] else "name 3")
            del rows

    check_refcounts(body, parent, keys, procs, fam.Row, *raws[:5], raws[7][1])


def test_row_iterator_refcounts(core: types.ModuleType, fam: types.SimpleNamespace) -> None:
    parent = Meta(KEYS)
    keys = parent._key_to_index
    raws = _fresh_raws(50)
    procs = [None, str.upper, None, None, float, None]

    def body() -> None:
        for ps in (None, procs):
            assert len(list(core.RowIterator(fam.Row, parent, ps, keys, raws))) == 50
            partial = core.RowIterator(fam.Row, parent, ps, keys, iter(raws))
            next(partial)
            del partial

    check_refcounts(body, parent, keys, procs, fam.Row, *raws[:5], raws[7][1])


def test_single_row_refcounts(core: types.ModuleType, fam: types.SimpleNamespace) -> None:
    parent = Meta(KEYS, {"amb": None})
    keys = parent._key_to_index
    raw = _fresh_raws(1)[0]
    name = "nope"
    key = ("a", "tuple", "key")

    def body() -> None:
        row = fam.Row(parent, None, keys, raw)
        assert row[1] is raw[1] and row.name is raw[1] and row[-5] is raw[1]
        assert row._get_by_key_impl_mapping("name") is raw[1]
        assert row[0:2] == raw[0:2]
        assert hash(row) == hash(raw)
        assert list(row) == list(raw)
        for func in (lambda: getattr(row, name), lambda: row._get_by_key_impl_mapping(key),
                     lambda: row._get_by_key_impl_mapping([name]), lambda: row.amb,
                     lambda: row[99]):
            with pytest.raises((AttributeError, KeyError, LookupError, IndexError)):
                func()
        pickle.loads(pickle.dumps(row))
        row.__setstate__(row.__getstate__())
        del row
        parent.calls.clear()

    check_refcounts(body, parent, keys, raw, raw[1], fam.Row, name, key, times=100)


def test_processor_error_refcounts(core: types.ModuleType) -> None:
    parent = Meta(KEYS)
    keys = parent._key_to_index
    raws = _fresh_raws(10)

    def fail_on_five(value: Any) -> Any:
        if value == 5:
            raise ValueError("five")
        return value

    procs = [fail_on_five, str]

    def body() -> None:
        with pytest.raises(ValueError):
            core.make_rows(core.BaseRow, parent, procs, keys, raws)
        with pytest.raises(ValueError):
            list(core.RowIterator(core.BaseRow, parent, procs, keys, raws))

    check_refcounts(body, parent, keys, procs, fail_on_five, *raws)


def test_no_memory_growth(core_c: types.ModuleType) -> None:
    parent = Meta(KEYS)
    keys = parent._key_to_index
    Row = family_of(core_c).Row
    raws = _fresh_raws(2000)
    procs = [None, str.upper]

    def churn() -> None:
        for _ in range(10):
            core_c.make_rows(Row, parent, None, keys, raws)
            core_c.make_rows(Row, parent, procs, keys, raws)
            for row in core_c.RowIterator(Row, parent, procs, keys, raws):
                row.name

    churn()
    gc.collect()
    before = sys.getallocatedblocks()
    churn()
    gc.collect()
    assert sys.getallocatedblocks() - before < 100


# -- the compiled core's GC tracking -----------------------------------------------------------


class Box:
    """A GC-tracked value that can hold a row, to make a reference cycle."""

    row: Any = None


def test_rows_of_atomic_values_are_untracked(core_c: types.ModuleType) -> None:
    parent = Meta(KEYS)
    Row = family_of(core_c).Row
    made = core_c.make_rows(Row, parent, None, parent._key_to_index, [RAW, (1, "x")])
    assert not any(gc.is_tracked(row) for row in made)
    it = core_c.RowIterator(Row, parent, None, parent._key_to_index, [RAW])
    assert not gc.is_tracked(next(it))
    assert not gc.is_tracked(Row(parent, None, parent._key_to_index, RAW))
    assert not gc.is_tracked(core_c.BaseRow(parent, None, parent._key_to_index, RAW))


def test_rows_that_may_be_in_a_cycle_stay_tracked(core_c: types.ModuleType) -> None:
    fam = family_of(core_c)
    parent = Meta(KEYS)
    keys = parent._key_to_index
    assert gc.is_tracked(fam.Row(parent, None, keys, (1, [2])))
    assert gc.is_tracked(core_c.make_rows(fam.Row, parent, [None, _listed], keys, [RAW])[0])
    # a class whose instances can hold more than BaseRow's fields
    assert gc.is_tracked(core_c.make_rows(fam.DictRow, parent, None, keys, [RAW])[0])
    assert gc.is_tracked(core_c.make_rows(fam.ExtraSlotRow, parent, None, keys, [RAW])[0])


def test_reinitialized_row_is_tracked_again(core_c: types.ModuleType) -> None:
    parent = Meta(KEYS)
    keys = parent._key_to_index
    row = core_c.BaseRow(parent, None, keys, RAW)
    assert not gc.is_tracked(row)
    row.__init__(parent, None, keys, (Box(),))
    assert gc.is_tracked(row)
    row.__setstate__({"_parent": parent, "_data": RAW})
    assert not gc.is_tracked(row)
    row.__setstate__({"_parent": parent, "_data": ([],)})
    assert gc.is_tracked(row)


def test_cycles_through_rows_are_collected(core: types.ModuleType) -> None:
    parent = Meta(KEYS)
    Row = family_of(core).Row
    for build in (
        lambda box: Row(parent, None, parent._key_to_index, (box,)),
        lambda box: core.make_rows(Row, parent, None, parent._key_to_index, [(box,)])[0],
        lambda box: core.make_rows(Row, parent, [lambda v: [v]], parent._key_to_index, [(box,)])[0],
    ):
        box = Box()
        box.row = build(box)
        ref = weakref.ref(box)
        del box
        gc.collect()
        assert ref() is None
