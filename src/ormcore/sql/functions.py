"""SQL functions: `func.<name>(...)`, and the known ones with SQLAlchemy's return types.

`func.lower(x)` builds a Function named "lower"; names registered as GenericFunction
subclasses (count, sum, max, coalesce, now, ...) build that class instead, which carries a
return type (`func.count()` is Integer and renders `count(*)`) and may render specially per
dialect (the compiler's `visit_<name>_func`). Users register their own by subclassing
GenericFunction, as with SQLAlchemy.
"""

from __future__ import annotations

import warnings
from typing import Any
from typing import Optional
from typing import Sequence

from .. import exc
from . import operators
from . import sqltypes
from . import type_api
from .coercions import expect_expression
from .elements import BindParameter
from .elements import ClauseElement
from .elements import ClauseList
from .elements import ColumnElement
from .elements import FunctionFilter
from .elements import Grouping
from .elements import Over
from .elements import WithinGroup
from .elements import literal_column

# package name -> {identifier: GenericFunction subclass}
_registry: dict = {"_default": {}}
_case_insensitive: dict = {"_default": {}}


class FunctionElement(ColumnElement):
    """Base of SQL functions: a name applied to a parenthesized argument list."""

    __visit_name__ = "function"
    packagenames: tuple = ()
    _has_args = False
    _compiler_name: Optional[str] = None  # ANSI functions rendered bare (CURRENT_TIMESTAMP)
    name = "function"

    def __init__(self, *clauses: Any) -> None:
        name = getattr(self, "name", None)
        args = [expect_expression(c, name=name) for c in clauses]
        self._has_args = self._has_args or bool(args)
        self.clause_expr = Grouping(ClauseList(*args, operator=operators.comma_op,
                                               group_contents=True))

    @property
    def clauses(self) -> ClauseList:
        """The argument list."""
        return self.clause_expr.element

    @property
    def _anon_base(self) -> str:  # type: ignore[override]
        return self.name

    @property
    def _from_objects(self) -> list:
        return self.clauses._from_objects

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return (self.clause_expr,)

    def _bind_param(self, operator: Any, obj: Any, type_: Any = None, expanding: bool = False) -> BindParameter:
        return BindParameter(
            self.name, obj, type_=type_, unique=True, expanding=expanding,
            _compared_to_operator=operator, _compared_to_type=self.type,
        )

    def self_group(self, against: Any = None) -> ClauseElement:
        if against is operators.getitem or against is operators.json_getitem_op:
            return Grouping(self)
        return super().self_group(against=against)

    def over(self, partition_by: Any = None, order_by: Any = None, rows: Any = None,
             range_: Any = None, groups: Any = None, exclude: Optional[str] = None) -> Over:
        """`fn(...) OVER (PARTITION BY ... ORDER BY ...)`."""
        return Over(self, partition_by=partition_by, order_by=order_by, rows=rows,
                    range_=range_, groups=groups, exclude=exclude)

    def within_group(self, *order_by: Any) -> WithinGroup:
        """`fn(...) WITHIN GROUP (ORDER BY ...)`."""
        return WithinGroup(self, *order_by)

    def filter(self, *criterion: Any) -> Any:
        """`fn(...) FILTER (WHERE ...)`; no criteria returns the function itself."""
        if not criterion:
            return self
        return FunctionFilter(self, *criterion)

    def within_group_type(self, within_group: Any) -> Optional[type_api.TypeEngine]:
        return None

    def select(self) -> Any:
        """`SELECT fn(...)`."""
        from .selectable import select  # type: ignore[attr-defined]

        return select(self)

    def scalar_subquery(self) -> Any:
        return self.select().scalar_subquery()

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        args = self.clause_expr.element._gen_cache_key(binds)
        if args is None:
            return None
        return (self.__class__, self.name, self.packagenames, args, self.type._cache_key)


class Function(FunctionElement):
    """A function by name: what `func.<name>(...)` builds for names not registered."""

    __visit_name__ = "function"

    def __init__(self, name: str, *clauses: Any, type_: Any = None,
                 packagenames: Optional[Sequence[str]] = None) -> None:
        self.packagenames = tuple(packagenames or ())
        self.name = name
        self.type = type_api.to_instance(type_)
        FunctionElement.__init__(self, *clauses)


class GenericFunction(Function):
    """A function known by name, with a fixed return type; subclasses register themselves.

    `class my_fn(GenericFunction): type = Integer()` makes `func.my_fn(...)` an Integer.
    """

    _register = False
    type: Any = sqltypes.NULLTYPE

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.__dict__.get("_register", True) is False:
            return
        clsdict = cls.__dict__
        name = clsdict.get("name", cls.__name__)
        cls.name = name
        identifier = clsdict.get("identifier", name)
        cls.identifier = identifier
        package = clsdict.get("package", "_default")
        registry = _registry.setdefault(package, {})
        if identifier in registry:
            warnings.warn(
                f"The GenericFunction '{identifier}' is already registered and is going to "
                "be overridden.", exc.SAWarning, stacklevel=2,
            )
        registry[identifier] = cls
        _case_insensitive.setdefault(package, {})[identifier.lower()] = cls
        type_attr = clsdict.get("type")
        if type_attr is not None and isinstance(type_attr, type):
            cls.type = type_attr()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.packagenames = ()
        type_ = kwargs.pop("type_", None)
        if kwargs:
            raise TypeError(f"{self.__class__.__name__}() got unexpected keyword arguments "
                            f"{sorted(kwargs)}")
        name = self.name
        parsed = [expect_expression(c, name=name) for c in args]
        self._has_args = self._has_args or bool(parsed)
        self.clause_expr = Grouping(ClauseList(*parsed, operator=operators.comma_op,
                                               group_contents=True))
        if type_ is not None:
            self.type = type_api.to_instance(type_)


def register_function(identifier: str, fn: type, package: str = "_default") -> None:
    """Register `fn` as `func.<identifier>`."""
    _registry.setdefault(package, {})[identifier] = fn
    _case_insensitive.setdefault(package, {})[identifier.lower()] = fn


def _type_from_args(args: Sequence[Any]) -> type_api.TypeEngine:
    for arg in args:
        if not arg.type._isnull:
            return arg.type
    return sqltypes.NULLTYPE


class ReturnTypeFromArgs(GenericFunction):
    """A function whose result has its first typed argument's type (max, min, sum, ...)."""

    _register = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        name = self.name
        parsed = [expect_expression(c, name=name) for c in args]
        kwargs.setdefault("type_", _type_from_args(parsed))
        GenericFunction.__init__(self, *parsed, **kwargs)


class ReturnTypeFromOptionalArgs(ReturnTypeFromArgs):
    _register = False
    _has_args = True


class coalesce(ReturnTypeFromOptionalArgs):
    """COALESCE(a, b, ...): the type of its first typed argument."""

    _has_args = True


class max(ReturnTypeFromArgs):  # noqa: A001 - SQLAlchemy's name
    """The SQL MAX() aggregate."""


class min(ReturnTypeFromArgs):  # noqa: A001 - SQLAlchemy's name
    """The SQL MIN() aggregate."""


class sum(ReturnTypeFromArgs):  # noqa: A001 - SQLAlchemy's name
    """The SQL SUM() aggregate."""


class pow(ReturnTypeFromArgs):  # noqa: A001 - SQLAlchemy's name
    """The SQL POW() function."""


class now(GenericFunction):
    """The SQL now() datetime function (CURRENT_TIMESTAMP on SQLite)."""

    type = sqltypes.DateTime()


class concat(GenericFunction):
    """The SQL CONCAT() function."""

    type = sqltypes.String()


class char_length(GenericFunction):
    """The CHAR_LENGTH() function (length() on SQLite)."""

    type = sqltypes.Integer()

    def __init__(self, arg: Any, **kw: Any) -> None:
        GenericFunction.__init__(self, arg, **kw)


class random(GenericFunction):
    """The RANDOM() function."""

    _has_args = True


class count(GenericFunction):
    """COUNT(expr); COUNT(*) without an argument."""

    type = sqltypes.Integer()

    def __init__(self, expression: Any = None, **kwargs: Any) -> None:
        if expression is None:
            expression = literal_column("*")
        GenericFunction.__init__(self, expression, **kwargs)


class AnsiFunction(GenericFunction):
    """A function SQL spells without parentheses when it has no arguments."""

    _register = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        GenericFunction.__init__(self, *args, **kwargs)


class current_date(AnsiFunction):
    type = sqltypes.Date()
    _compiler_name = "CURRENT_DATE"


class current_time(AnsiFunction):
    type = sqltypes.Time()
    _compiler_name = "CURRENT_TIME"


class current_timestamp(AnsiFunction):
    type = sqltypes.DateTime()
    _compiler_name = "CURRENT_TIMESTAMP"


class current_user(AnsiFunction):
    type = sqltypes.String()
    _compiler_name = "CURRENT_USER"


class localtime(AnsiFunction):
    type = sqltypes.DateTime()
    _compiler_name = "LOCALTIME"


class localtimestamp(AnsiFunction):
    type = sqltypes.DateTime()
    _compiler_name = "LOCALTIMESTAMP"


class session_user(AnsiFunction):
    type = sqltypes.String()
    _compiler_name = "SESSION_USER"


class sysdate(AnsiFunction):
    type = sqltypes.DateTime()
    _compiler_name = "SYSDATE"


class user(AnsiFunction):
    type = sqltypes.String()
    _compiler_name = "USER"


class array_agg(GenericFunction):
    """ARRAY_AGG(expr): an ARRAY of the argument's type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        parsed = [expect_expression(c) for c in args]
        type_from_args = _type_from_args(parsed)
        if "type_" not in kwargs:
            if getattr(type_from_args, "_is_array", False):
                kwargs["type_"] = type_from_args
            else:
                kwargs["type_"] = sqltypes.ARRAY(type_from_args, dimensions=1)
        GenericFunction.__init__(self, *parsed, **kwargs)


class OrderedSetAgg(GenericFunction):
    """An ordered-set aggregate: its type is the WITHIN GROUP ordering's."""

    _register = False
    array_for_multi_clause = False

    def within_group_type(self, within_group: Any) -> type_api.TypeEngine:
        order_by = [_unwrap_order_by(c) for c in within_group.order_by.clauses]
        if self.array_for_multi_clause and len(self.clauses.clauses) > 1:
            return sqltypes.ARRAY(order_by[0].type)
        return order_by[0].type


def _unwrap_order_by(clause: Any) -> Any:
    """The expression under DESC / ASC / NULLS FIRST modifiers."""
    while getattr(clause, "modifier", None) is not None:
        clause = clause.element
    return clause


class mode(OrderedSetAgg):
    """MODE() WITHIN GROUP (ORDER BY ...)."""


class percentile_cont(OrderedSetAgg):
    """PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY ...)."""

    array_for_multi_clause = True


class percentile_disc(OrderedSetAgg):
    """PERCENTILE_DISC(f) WITHIN GROUP (ORDER BY ...)."""

    array_for_multi_clause = True


class rank(GenericFunction):
    type = sqltypes.Integer()


class dense_rank(GenericFunction):
    type = sqltypes.Integer()


class percent_rank(GenericFunction):
    type = sqltypes.Numeric()


class cume_dist(GenericFunction):
    type = sqltypes.Numeric()


class cube(GenericFunction):
    _has_args = True
    _compiler_name = "CUBE"


class rollup(GenericFunction):
    _has_args = True
    _compiler_name = "ROLLUP"


class grouping_sets(GenericFunction):
    _has_args = True
    _compiler_name = "GROUPING SETS"


class aggregate_strings(GenericFunction):
    """String aggregation with a separator: group_concat on SQLite, string_agg on PostgreSQL."""

    type = sqltypes.String()
    _has_args = True

    def __init__(self, clause: Any, separator: str) -> None:
        GenericFunction.__init__(self, clause, BindParameter(
            "aggregate_strings", separator, type_=sqltypes.String(), unique=True,
            literal_execute=True,
        ))


class next_value(GenericFunction):
    """The next value of a Sequence (`nextval('seq')` on PostgreSQL)."""

    type = sqltypes.Integer()

    def __init__(self, seq: Any, **kw: Any) -> None:
        if getattr(seq, "__visit_name__", None) != "sequence":
            raise exc.ArgumentError("next_value() accepts a Sequence object as input.")
        self.sequence = seq
        self.type = type_api.to_instance(getattr(seq, "data_type", None) or sqltypes.Integer())
        self.packagenames = ()
        self.clause_expr = Grouping(ClauseList())

    def _gen_cache_key(self, binds: list) -> tuple:
        return ("next_value", self.sequence)


class _FunctionGenerator:
    """`func`: attribute access names a function, calling it builds one."""

    def __init__(self, **opts: Any) -> None:
        self.__names: list = []
        self.opts = opts

    def __getattr__(self, name: str) -> "_FunctionGenerator":
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("_"):
            name = name[:-1]
        generator = _FunctionGenerator(**self.opts)
        generator.__names = list(self.__names) + [name]
        return generator

    def __call__(self, *c: Any, **kwargs: Any) -> Function:
        options = dict(self.opts)
        options.update(kwargs)
        names = self.__names
        if len(names) == 1:
            fn = _lookup("_default", names[0])
            if fn is not None:
                return fn(*c, **options)
        elif len(names) == 2:
            fn = _lookup(names[0], names[1])
            if fn is not None:
                return fn(*c, **options)
        return Function(names[-1], *c, packagenames=tuple(names[:-1]), **options)


def _lookup(package: str, name: str) -> Optional[type]:
    registry = _registry.get(package)
    if registry is None:
        return None
    found = registry.get(name)
    if found is None:
        found = _case_insensitive[package].get(name.lower())
    return found


func = _FunctionGenerator()
"""Build SQL functions: `func.count()`, `func.lower(t.c.name)`, `func.myschema.fn(x)`."""

modifier = _FunctionGenerator()

__all__ = [
    "AnsiFunction", "Function", "FunctionElement", "GenericFunction", "OrderedSetAgg",
    "ReturnTypeFromArgs", "aggregate_strings", "array_agg", "char_length", "coalesce",
    "concat", "count", "cube", "cume_dist", "current_date", "current_time",
    "current_timestamp", "current_user", "dense_rank", "func", "grouping_sets", "localtime",
    "localtimestamp", "max", "min", "mode", "modifier", "next_value", "now", "percent_rank",
    "percentile_cont", "percentile_disc", "pow", "random", "rank", "register_function",
    "rollup", "session_user", "sum", "sysdate", "user",
]
