"""The base classes of SQL types: TypeEngine, TypeDecorator, UserDefinedType.

A type does three jobs: it names a database type for DDL (through a dialect's type compiler), it
converts Python values on the way in and out (bind and result processors), and it adapts itself
to a dialect's implementation class (`dialect.colspecs`). The engine asks for processors once
per compiled statement or result shape, never per row, through `_cached_bind_processor` and
`_cached_result_processor`, which memoize per dialect. sqltypes.py holds the concrete types;
elements.py uses `to_instance`, `resolve_value_to_type` and `NULLTYPE` from here.
"""

from __future__ import annotations

import inspect
import weakref
from typing import TYPE_CHECKING
from typing import Any
from typing import Callable
from typing import Optional

from .. import exc
from .operators import ColumnOperators
from .operators import custom_op

if TYPE_CHECKING:
    from .sqltypes import NullType

BindProcessor = Callable[[Any], Any]
ResultProcessor = Callable[[Any], Any]

_MEMOS = "_ormcore_dialect_memos"
_KEY_MEMO = "_ormcore_cache_key"
# per-instance memo attributes that a copy of a type must not inherit
_NOT_COPIED = (_MEMOS, _KEY_MEMO)


# operator -> (function, extra args); filled in by default_comparator.py, which needs the
# expression classes and so can only be imported after them
_OPERATOR_LOOKUP: dict = {}
_CUSTOM_OP: tuple = ()


class TypeEngine:
    """Base of every SQL type."""

    class Comparator(ColumnOperators):
        """What operators do to an expression of this type; `type.comparator_factory(expr)`.

        Subclass it (as `comparator_factory`) to change an operator for a type: every
        ColumnOperators method ends in operate(op, *other), which builds the default.
        """

        __slots__ = ("expr", "type")

        # True while `==` is the default comparison, so ColumnElement.__eq__ may build it
        # without dispatching through operate()
        _default_eq = True

        def __init_subclass__(cls, **kw: Any) -> None:
            super().__init_subclass__(**kw)
            base = TypeEngine.Comparator
            cls._default_eq = cls.operate is base.operate and cls.__eq__ is base.__eq__

        def __init__(self, expr: Any) -> None:
            self.expr = expr
            self.type = expr.type

        def __clause_element__(self) -> Any:
            return self.expr

        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            entry = _OPERATOR_LOOKUP.get(op)
            if entry is None:
                entry = _lookup_operator(op)
            return entry[0](self.expr, op, *other, *entry[1:], **kwargs)

        def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
            entry = _OPERATOR_LOOKUP.get(op)
            if entry is None:
                entry = _lookup_operator(op)
            return entry[0](self.expr, op, other, *entry[1:], reverse=True, **kwargs)

        def _adapt_expression(self, op: Any, other_comparator: Any) -> tuple:
            """(operator, result type) of `self.expr <op> other`; the left type by default."""
            return op, self.type

    comparator_factory: Any = Comparator

    __visit_name__ = "type_engine"
    _is_type_mixin = False
    _isnull = False
    _is_tuple_type = False
    _is_table_value = False
    _is_array = False
    _is_type_decorator = False
    _variant_mapping: dict = {}
    hashable = True
    should_evaluate_none = False
    render_bind_cast = False
    render_literal_cast = False
    sort_key_function: Optional[Callable[[Any], Any]] = None
    _has_bind_expression = False
    _has_column_expression = False

    # -- processors -------------------------------------------------------------------------

    def bind_processor(self, dialect: Any) -> Optional[BindProcessor]:
        """A function converting a Python value to what the driver takes, or None for as-is."""
        return None

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[ResultProcessor]:
        """A function converting a driver value to the Python value, or None for as-is."""
        return None

    def literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        """A function rendering a value as inline SQL text, or None when there is none."""
        return None

    def bind_expression(self, bindvalue: Any) -> Any:
        return None

    def column_expression(self, colexpr: Any) -> Any:
        return None

    def compare_values(self, x: Any, y: Any) -> bool:
        """Whether two Python values are equal; the ORM uses it to detect changes."""
        return x == y

    def get_dbapi_type(self, dbapi: Any) -> Any:
        return None

    @property
    def python_type(self) -> type:
        raise NotImplementedError()

    # -- per-dialect memos --------------------------------------------------------------------

    def _memos_for(self, dialect: Any) -> dict:
        # Memoized on the type, weakly keyed by dialect: a type outlives engines in tests and
        # applications that create many engines, and must not keep their dialects alive.
        memos = self.__dict__.get(_MEMOS)
        if memos is None:
            memos = self.__dict__[_MEMOS] = weakref.WeakKeyDictionary()
        try:
            return memos[dialect]
        except KeyError:
            found = memos[dialect] = {}
            return found

    def dialect_impl(self, dialect: Any) -> "TypeEngine":
        """This type as implemented by `dialect` (memoized)."""
        memo = self._memos_for(dialect)
        try:
            return memo["impl"]
        except KeyError:
            impl = memo["impl"] = self._dialect_impl(dialect)
            return impl

    def _cached_bind_processor(self, dialect: Any) -> Optional[BindProcessor]:
        memo = self._memos_for(dialect)
        try:
            return memo["bind"]
        except KeyError:
            proc = memo["bind"] = self.dialect_impl(dialect).bind_processor(dialect)
            return proc

    def _cached_result_processor(self, dialect: Any, coltype: Any) -> Optional[ResultProcessor]:
        memo = self._memos_for(dialect)
        key = ("result", coltype)
        try:
            return memo[key]
        except KeyError:
            proc = memo[key] = self.dialect_impl(dialect).result_processor(dialect, coltype)
            return proc

    def _cached_literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        memo = self._memos_for(dialect)
        try:
            return memo["literal"]
        except KeyError:
            proc = memo["literal"] = self.dialect_impl(dialect).literal_processor(dialect)
            return proc

    # -- adaptation ---------------------------------------------------------------------------

    def _dialect_impl(self, dialect: Any) -> "TypeEngine":
        """Adapt to the dialect's implementation class; not memoized (dialect_impl() is)."""
        variant = self._variant_mapping.get(dialect.name)
        if variant is not None:
            return variant._dialect_impl(dialect)
        return _adapt_to_colspecs(self, getattr(dialect, "colspecs", None) or {})

    def adapt(self, cls: type, **kw: Any) -> "TypeEngine":
        """A new instance of `cls` carrying this type's constructor arguments."""
        adapted = constructor_copy(self, cls, **kw)
        if self._variant_mapping:
            adapted._variant_mapping = self._variant_mapping
        return adapted

    def copy(self, **kw: Any) -> "TypeEngine":
        return self.adapt(self.__class__, **kw)

    def with_variant(self, type_: Any, *dialect_names: str) -> "TypeEngine":
        """A copy of this type that uses `type_` on the named dialects."""
        if not dialect_names:
            raise exc.ArgumentError("At least one dialect name is required")
        variant = to_instance(type_)
        for name in dialect_names:
            if name in self._variant_mapping:
                raise exc.ArgumentError(
                    f"Dialect '{name}' is already present in the mapping for this {self!r}"
                )
        new = self.copy()
        new._variant_mapping = {**self._variant_mapping, **{n: variant for n in dialect_names}}
        return new

    def _resolve_for_literal(self, value: Any) -> "TypeEngine":
        return self

    def evaluates_none(self) -> "TypeEngine":
        """A copy whose bind processor receives None instead of the column being omitted."""
        new = self.copy()
        new.should_evaluate_none = True
        return new

    def coerce_compared_value(self, op: Any, value: Any) -> "TypeEngine":
        """The type to give a plain Python value compared against an expression of this type."""
        # the answer is `self` for every value of a class once it was for one: a literal's
        # type varies with its value only within one affinity (int -> Integer/BigInteger)
        pair = (self.__class__, value.__class__)
        if pair in _COMPARED_AS_SELF:
            return self
        coerced = resolve_value_to_type(value)
        if coerced is NULLTYPE or coerced._type_affinity is self._type_affinity:
            _COMPARED_AS_SELF.add(pair)
            return self
        return coerced

    def _compare_type_affinity(self, other: "TypeEngine") -> bool:
        return self._type_affinity is other._type_affinity

    @property
    def _type_affinity(self) -> Optional[type]:
        """The most general concrete type class this type is a kind of (VARCHAR -> String)."""
        return _affinity_of(self.__class__)

    # -- caching and display ------------------------------------------------------------------

    @property
    def _cache_key(self) -> tuple:
        """Hashable description of class and constructor arguments, for compiled-SQL caches."""
        key = self.__dict__.get(_KEY_MEMO)
        if key is None:
            key = self.__dict__[_KEY_MEMO] = self._gen_cache_key()
        return key

    def _gen_cache_key(self) -> tuple:
        parts: list = [self.__class__]
        state = self.__dict__
        for name in sorted(init_arg_names(self.__class__)):
            if name.startswith("_") or name not in state or state[name] is None:
                continue
            parts.append((name, _hashable(state[name])))
        if self._variant_mapping:
            parts.append(
                ("variants", tuple(sorted((n, t._cache_key) for n, t in self._variant_mapping.items())))
            )
        return tuple(parts)

    def compile(self, dialect: Any = None) -> str:
        """The DDL name of this type for `dialect` (a generic one when None)."""
        if dialect is None:
            from ..engine.default import StrCompileDialect

            dialect = StrCompileDialect()
        return dialect.type_compiler_instance.process(self)

    def _compiler_dispatch(self, visitor: Any, **kw: Any) -> str:
        try:
            meth = getattr(visitor, "visit_" + self.__visit_name__)
        except AttributeError:
            raise exc.UnsupportedCompilationError(visitor, type(self)) from None
        return meth(self, **kw)

    def __str__(self) -> str:
        return str(self.compile())

    def __repr__(self) -> str:
        return generic_repr(self)

    def __getstate__(self) -> dict:
        # the per-dialect memos hold weak references and are rebuilt on demand
        return {k: v for k, v in self.__dict__.items() if k not in _NOT_COPIED}


def _lookup_operator(op: Any) -> tuple:
    if isinstance(op, custom_op):
        return _CUSTOM_OP
    raise NotImplementedError(f"Operator {getattr(op, '__name__', op)!r} is not supported on this expression")


class TypeEngineMixin:
    """Marks a mixin of types (not a type itself), so `_type_affinity` stops below it."""

    _is_type_mixin = True


class Emulated(TypeEngineMixin):
    """A type emulated on dialects lacking a native one (Enum, Interval, Uuid)."""

    native = True

    def adapt_to_emulated(self, impltype: type, **kw: Any) -> TypeEngine:
        return TypeEngine.adapt(self, impltype, **kw)  # type: ignore[arg-type]

    def adapt(self, impltype: type, **kw: Any) -> TypeEngine:
        if _is_native_for_emulated(impltype):
            if self.native:
                return impltype.adapt_emulated_to_native(self, **kw)  # type: ignore[attr-defined]
            # native type refused: stay the emulated type
            return self.adapt_to_emulated(type(self), **kw)
        if issubclass(impltype, type(self)):
            return self.adapt_to_emulated(impltype, **kw)
        return TypeEngine.adapt(self, impltype, **kw)  # type: ignore[arg-type]


class NativeForEmulated(TypeEngineMixin):
    """A dialect type that natively implements an emulated generic type."""

    @classmethod
    def adapt_emulated_to_native(cls, impl: Any, **kw: Any) -> TypeEngine:
        return constructor_copy(impl, cls, **kw)


def _is_native_for_emulated(cls: type) -> bool:
    return isinstance(cls, type) and issubclass(cls, NativeForEmulated)


class ExternalType(TypeEngineMixin):
    """A type defined outside ormcore; must say whether it is safe to cache (`cache_ok`)."""

    cache_ok: Optional[bool] = None

    def _gen_cache_key(self) -> tuple:
        # as in SQLAlchemy, cache_ok counts only when the class itself declares it
        if self.__class__.__dict__.get("cache_ok") is True:
            key = TypeEngine._gen_cache_key(self)  # type: ignore[arg-type]
            impl = self.__dict__.get("impl")
            if isinstance(impl, TypeEngine):
                # the impl's arguments shape the processors even when not named in __init__
                key += (("impl", impl._cache_key),)
            return key
        # not declared cacheable: key by identity so equal-looking instances never share SQL
        return (self.__class__, "uncacheable", id(self))


class UserDefinedType(ExternalType, TypeEngine):
    """A type whose DDL comes from its own `get_col_spec()`."""

    __visit_name__ = "user_defined"

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self


class TypeDecorator(ExternalType, TypeEngine):
    """Adds Python-side processing to an existing type (`impl`).

    Subclasses set `impl` and override `process_bind_param` / `process_result_value`. On each
    dialect the decorator becomes a copy of itself whose `impl` is the dialect's own
    implementation of `impl`, so the dialect's processors run after (bind) or before (result)
    the decorator's.
    """

    __visit_name__ = "type_decorator"
    _is_type_decorator = True
    _is_dialect_adapted = False
    impl: Any = None
    coerce_to_is_types: tuple = (type(None),)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.__class__.impl is None:
            raise AssertionError(
                "TypeDecorator implementations require a class-level variable 'impl' which "
                "refers to the class of type being decorated"
            )
        self.impl = to_instance(self.__class__.impl, *args, **kwargs)

    @property
    def impl_instance(self) -> TypeEngine:
        return self.impl

    class Comparator(TypeEngine.Comparator):
        """The decorated type's operators, as the impl defines them."""

        __slots__ = ()

    @property  # type: ignore[no-redef]
    def comparator_factory(self) -> Any:  # the impl's operators (String + is ||)
        impl_factory = self.impl.comparator_factory
        if issubclass(impl_factory, TypeDecorator.Comparator):
            return impl_factory
        found = _decorator_comparators.get(impl_factory)
        if found is None:
            found = _decorator_comparators[impl_factory] = type(
                "TDComparator", (TypeDecorator.Comparator, impl_factory), {"__slots__": ()}
            )
        return found

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        raise NotImplementedError()

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        raise NotImplementedError()

    def process_literal_param(self, value: Any, dialect: Any) -> Any:
        raise NotImplementedError()

    def load_dialect_impl(self, dialect: Any) -> TypeEngine:
        """The type (before dialect adaptation) this decorator delegates to on `dialect`."""
        return self.impl

    def type_engine(self, dialect: Any) -> TypeEngine:
        """The dialect-level type whose DDL this decorator renders."""
        adapted = self._adapt_own_class(dialect)
        if not isinstance(adapted, TypeDecorator):
            return adapted
        return adapted.load_dialect_impl(dialect).dialect_impl(dialect)

    def _adapt_own_class(self, dialect: Any) -> TypeEngine:
        variant = self._variant_mapping.get(dialect.name)
        if variant is not None:
            return variant.dialect_impl(dialect)
        return _adapt_to_colspecs(self, getattr(dialect, "colspecs", None) or {})

    def _dialect_impl(self, dialect: Any) -> TypeEngine:
        adapted = self._adapt_own_class(dialect)
        if not isinstance(adapted, TypeDecorator):
            return adapted  # a native dialect type replaces the decorator (PG INTERVAL)
        if adapted is not self and adapted._is_dialect_adapted:
            return adapted  # a variant, already adapted
        decorated = self.copy() if adapted is self else adapted
        decorated.impl = decorated.load_dialect_impl(dialect).dialect_impl(dialect)
        decorated._is_dialect_adapted = True
        return decorated

    def copy(self, **kw: Any) -> "TypeDecorator":
        instance = self.__class__.__new__(self.__class__)
        instance.__dict__.update(
            (k, v) for k, v in self.__dict__.items() if k not in _NOT_COPIED
        )
        return instance

    def _overrides(self, name: str) -> bool:
        return getattr(type(self), name) is not getattr(TypeDecorator, name)

    def bind_processor(self, dialect: Any) -> Optional[BindProcessor]:
        impl_proc = self.impl.bind_processor(dialect)
        if not self._overrides("process_bind_param"):
            return impl_proc
        param = self.process_bind_param
        if impl_proc is None:
            return lambda value: param(value, dialect)

        def process(value: Any) -> Any:
            return impl_proc(param(value, dialect))

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[ResultProcessor]:
        impl_proc = self.impl.result_processor(dialect, coltype)
        if not self._overrides("process_result_value"):
            return impl_proc
        result_value = self.process_result_value
        if impl_proc is None:
            return lambda value: result_value(value, dialect)

        def process(value: Any) -> Any:
            return result_value(impl_proc(value), dialect)

        return process

    def literal_processor(self, dialect: Any) -> Optional[Callable[[Any], str]]:
        impl_proc = self.impl.literal_processor(dialect)
        if self._overrides("process_literal_param"):
            fixed = self.process_literal_param
        elif self._overrides("process_bind_param"):
            fixed = self.process_bind_param
        else:
            return impl_proc
        if impl_proc is None:
            return lambda value: fixed(value, dialect)
        return lambda value: impl_proc(fixed(value, dialect))

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self

    def compare_values(self, x: Any, y: Any) -> bool:
        return self.impl.compare_values(x, y)

    @property
    def _type_affinity(self) -> Optional[type]:
        return self.impl._type_affinity

    @property
    def python_type(self) -> type:
        return self.impl.python_type

    @property
    def sort_key_function(self) -> Any:  # type: ignore[override]
        return self.impl.sort_key_function

    def get_dbapi_type(self, dbapi: Any) -> Any:
        return self.impl.get_dbapi_type(dbapi)

    def __getattr__(self, key: str) -> Any:
        # attributes the decorator lacks (length, timezone, ...) are the impl's, as users expect
        if key == "impl" or key.startswith("__"):
            raise AttributeError(key)
        try:
            impl = self.__dict__["impl"]
        except KeyError:
            raise AttributeError(key) from None
        return getattr(impl, key)

    def __repr__(self) -> str:
        return generic_repr(self, to_inspect=self.impl)


_decorator_comparators: dict = {}


class Variant(TypeDecorator):
    """Kept for imports only: with_variant() returns a copy of the type itself."""

    cache_ok = True

    def __init__(self, *arg: Any, **kw: Any) -> None:
        raise NotImplementedError(
            "Variant is no longer used in SQLAlchemy; this is a placeholder symbol for "
            "backwards compatibility."
        )


# -- helpers ---------------------------------------------------------------------------------

_affinity_cache: dict = {}


def _affinity_of(cls: type) -> Optional[type]:
    try:
        return _affinity_cache[cls]
    except KeyError:
        pass
    found: Optional[type] = None
    for klass in cls.__mro__:
        if klass is TypeEngine or klass.__dict__.get("_is_type_mixin"):
            break
        if issubclass(klass, TypeEngine):
            found = klass
    else:
        found = cls
    _affinity_cache[cls] = found
    return found


def _adapt_to_colspecs(typeobj: TypeEngine, colspecs: dict) -> TypeEngine:
    for klass in type(typeobj).__mro__[:-1]:
        impl_cls = colspecs.get(klass)
        if impl_cls is not None:
            break
    else:
        return typeobj
    if isinstance(typeobj, impl_cls):
        return typeobj
    return typeobj.adapt(impl_cls)


_init_args_cache: dict = {}


def init_arg_names(cls: type) -> frozenset:
    """Names of the keyword arguments `cls(...)` accepts, following `**kw` up the MRO."""
    try:
        return _init_args_cache[cls]
    except KeyError:
        pass
    names: set = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or not inspect.isfunction(init):
            continue
        passes_on = False
        for param in list(inspect.signature(init).parameters.values())[1:]:
            if param.kind is param.VAR_KEYWORD:
                passes_on = True
            elif param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
                names.add(param.name)
        if not passes_on:
            break
    result = _init_args_cache[cls] = frozenset(names)
    return result


def constructor_copy(obj: Any, cls: type, *args: Any, **kw: Any) -> Any:
    """`cls(*args, **kw)`, filling other constructor arguments from `obj`'s same-named attributes."""
    state = obj.__dict__
    for name in init_arg_names(cls):
        if name not in kw and name in state:
            kw[name] = state[name]
    return cls(*args, **kw)


def _hashable(value: Any) -> Any:
    if isinstance(value, TypeEngine):
        return value._cache_key
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        return ("unhashable", id(value))
    return value


_MISSING = object()


def generic_repr(
    obj: Any,
    to_inspect: Any = None,
    additional_kw: tuple = (),
    omit_kwarg: tuple = (),
) -> str:
    """`Class(positional, kw=value)` showing only arguments that differ from their defaults."""
    inspected = to_inspect if to_inspect is not None else obj
    try:
        params = list(inspect.signature(type(inspected).__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        params = []
    shown = []
    for param in params:
        if param.kind is param.VAR_POSITIONAL:
            shown.extend(repr(v) for v in getattr(obj, param.name, ()) or ())
        elif param.kind is param.VAR_KEYWORD or param.name in omit_kwarg:
            continue
        elif param.default is param.empty:
            shown.append(repr(getattr(obj, param.name, None)))
        else:
            value = getattr(obj, param.name, _MISSING)
            if value is not _MISSING and value != param.default:
                shown.append(f"{param.name}={value!r}")
    for name, default in additional_kw:
        value = getattr(obj, name, _MISSING)
        if value is not _MISSING and value != default:
            shown.append(f"{name}={value!r}")
    return f"{obj.__class__.__name__}({', '.join(shown)})"


def to_instance(typeobj: Any, *args: Any, **kw: Any) -> TypeEngine:
    """A type instance from a class, an instance, or None (NullType)."""
    if typeobj is None:
        return NULLTYPE
    if callable(typeobj) and isinstance(typeobj, type):
        return typeobj(*args, **kw)
    return typeobj


_type_map: dict = {}
# (type class, value class) pairs whose coerce_compared_value() is the type itself
_COMPARED_AS_SELF: set = set()


def resolve_value_to_type(value: Any) -> TypeEngine:
    """The type SQLAlchemy gives a bare Python value in an expression (5 -> Integer(), ...).

    Looked up by exact class, as SQLAlchemy does: subclasses and enum members get NullType.
    """
    found = _type_map.get(type(value))
    if found is None:
        return NULLTYPE
    return found._resolve_for_literal(value)


def _tuple_type_of(value: tuple) -> TypeEngine:
    """The TupleType of a tuple value: each element's type by its class."""
    return _tuple_type_of_types([resolve_value_to_type(v) for v in value])


def _tuple_type_of_types(types: list) -> TypeEngine:
    from .sqltypes import TupleType

    return TupleType(*types)


def adapt_type(typeobj: Any, colspecs: dict) -> TypeEngine:
    """The dialect implementation of `typeobj` given a dialect's `colspecs` mapping."""
    return _adapt_to_colspecs(to_instance(typeobj), colspecs)


# Set by sqltypes once its classes exist (sqltypes subclasses the classes above, so it can
# only be imported after them); importing it here guarantees every user of type_api sees them.
NULLTYPE: "NullType"
BOOLEANTYPE: TypeEngine
STRINGTYPE: TypeEngine
INTEGERTYPE: TypeEngine
NUMERICTYPE: TypeEngine
MATCHTYPE: TypeEngine
TABLEVALUE: TypeEngine

from . import sqltypes  # noqa: E402,F401
