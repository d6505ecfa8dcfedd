"""The nodes statements are built from: clauses, columns, operators, bound parameters, text.

A compiler (sql/compiler.py) walks these by `__visit_name__`. Each node that can take part in
a cached statement gives a cache key describing its shape but not its bound values, and lists
its bound parameters in key order as it goes (`_gen_cache_key`), so that a cached compilation
serves every execution of the same shape with that execution's values.

Column expressions take Python operators (`t.c.id == 5`) through their type's Comparator
(type_api.TypeEngine.Comparator); default_comparator.py builds the nodes below from them.
Building `t.c.id == 5` and keying it happen on every execution of a freshly built statement,
so constructors store what they are given and keys are written out by hand per class: no
generic traversal, and class attributes rather than isinstance chains.
"""

from __future__ import annotations

import enum
import re
from typing import TYPE_CHECKING
from typing import Any
from typing import Callable
from typing import Iterable
from typing import Optional
from typing import Sequence

from .. import exc
from . import operators
from . import type_api
from .base import Executable
from .base import ReadOnlyColumnCollection
from .base import _generative
from .coercions import _PLAIN_VALUES
from .operators import ColumnOperators

if TYPE_CHECKING:
    from .compiler import Compiled

# `:name` binds in text(); not `::` casts, not `\:` escapes, not inside identifiers
_BIND_PARAMS = re.compile(r"(?<![:\w\\]):(\w+)(?!:)", re.UNICODE)
_BIND_PARAMS_ESC = re.compile(r"\\:(\w+)")

class _anonymous_label(str):
    """A name the compiler chooses (`anon_1`, `x_2`, `count_1`), numbered per compilation.

    The text is `%(<ident> <base>)s`; equal texts are the same name. The compiler's
    `_anon_label()` maps each distinct one to `<base>_<n>`.
    """

    base: str

    def __new__(cls, ident: Any, base: str) -> "_anonymous_label":
        self = str.__new__(cls, f"%({ident} {base})s")
        self.base = base
        return self

    def __reduce__(self) -> tuple:
        return _anonymous_label, (self[2:self.index(" ")], self.base)


NULLTYPE = type_api.NULLTYPE
BOOLEANTYPE = type_api.BOOLEANTYPE


class ClauseElement:
    """Base of every SQL construct."""

    __visit_name__ = "clause"
    is_clause_element = True
    _is_clause_element = True
    _is_column_element = False
    _is_select_statement = False
    _is_from_clause = False
    _is_text_clause = False
    _is_bind_parameter = False
    _is_ddl = False
    is_selectable = False
    _order_by_label_element: Any = None
    # (key, binds) once _cache_key() has run; per instance, copies start without it
    _cache_key_memo: Optional[tuple] = None

    def _compiler_dispatch(self, compiler: Any, **kw: Any) -> str:
        try:
            meth = getattr(compiler, "visit_" + self.__visit_name__)
        except AttributeError:
            raise exc.UnsupportedCompilationError(compiler, type(self)) from None
        return meth(self, **kw)

    def compile(self, bind: Any = None, dialect: Any = None, **kw: Any) -> "Compiled":
        """Compile for `dialect` (or the bind's, or a generic one for display)."""
        if dialect is None:
            if bind is not None:
                dialect = bind.dialect
            else:
                from ..engine.default import StrCompileDialect

                dialect = StrCompileDialect()
        return self._compiler(dialect, **kw)

    def _compiler(self, dialect: Any, **kw: Any) -> "Compiled":
        return dialect.statement_compiler(dialect, self, **kw)

    def __str__(self) -> str:
        return str(self.compile())

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        """The shape of this construct, bound values excluded, appending its BindParameters to
        `binds` in key order; None when it can't be cached."""
        return None

    def _cache_key(self) -> tuple[Optional[tuple], list]:
        """(key, binds) of this statement, computed once: statements are immutable.

        One bind object used twice renders one placeholder where two equal-looking binds
        render two, so when `binds` repeats an object the key records where.
        """
        memo = self._cache_key_memo
        if memo is not None:
            return memo
        binds: list = []
        key = self._gen_cache_key(binds)
        if key is not None and len(binds) > 1 and len(set(map(id, binds))) != len(binds):
            first: dict = {}
            key = (key, "repeats", tuple(first.setdefault(id(b), i) for i, b in enumerate(binds)))
        memo = self._cache_key_memo = (key, binds)
        return memo

    def self_group(self, against: Any = None) -> "ClauseElement":
        return self

    def _negate(self) -> "ClauseElement":
        return UnaryExpression(self.self_group(against=operators.inv), operator=operators.inv)

    def __invert__(self) -> "ClauseElement":
        return self._negate()

    def _negate_in_binary(self, negated_op: Any, original_op: Any) -> "ClauseElement":
        """This operand of a binary being negated (an IN list follows IN -> NOT IN)."""
        return self

    def _clone(self) -> Any:
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__ = self.__dict__.copy()
        clone.__dict__.pop("_cache_key_memo", None)
        clone.__dict__.pop("_comparator", None)
        return clone

    @property
    def _from_objects(self) -> list:
        return []

    def get_children(self, **kw: Any) -> Sequence["ClauseElement"]:
        return ()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_comparator", None)
        state.pop("_cache_key_memo", None)
        return state


class ColumnElement(ColumnOperators, ClauseElement):
    """A SQL expression with a type: columns, bound parameters, functions, operators, ... ."""

    __visit_name__ = "column_element"
    _is_column_element = True
    key: Optional[str] = None
    name: Optional[str] = None
    primary_key = False
    foreign_keys: Any = frozenset()
    type: Any = NULLTYPE
    # the base of this expression's anonymous label in a SELECT (`anon_1`, `count_1`)
    _anon_base = "anon"
    # the name a SELECT gives this expression when it has one of its own (a column's name)
    _non_anon_label: Optional[str] = None
    _is_collection_aggregate = False
    _is_implicitly_boolean = False
    _allow_label_resolve = True

    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        raise TypeError("Boolean value of this clause is not defined")

    @property
    def comparator(self) -> Any:
        """The type's Comparator for this expression, made once (it decides what operators do)."""
        comparator = self.__dict__.get("_comparator")
        if comparator is None or comparator.expr is not self:
            comparator = self.__dict__["_comparator"] = self.type.comparator_factory(self)
        return comparator

    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        return op(self.comparator, *other, **kwargs)

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls._default_eq = cls.operate is ColumnElement.operate

    # True while the class keeps this operate(), so __eq__ may build `==` itself
    _default_eq = True

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        # `col == <plain value>` is most of every WHERE clause: built directly when neither
        # the element nor its type's Comparator changes equality (what operate() would build)
        if (other.__class__ in _PLAIN_VALUES and self._default_eq
                and self.comparator._default_eq):
            eq = operators.eq
            return BinaryExpression(self, self._bind_param(eq, other), eq, BOOLEANTYPE,
                                    operators.ne)
        return self.operate(operators.eq, other)

    def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
        return op(other, self.comparator, **kwargs)

    def __getattr__(self, key: str) -> Any:
        # type-specific methods (`json_col["a"].as_string()`) live on the Comparator
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return getattr(self.comparator, key)
        except AttributeError:
            raise AttributeError(
                f"Neither {type(self).__name__!r} object nor {type(self.comparator).__name__!r} "
                f"object has an attribute {key!r}"
            ) from None

    def _bind_param(self, operator: Any, obj: Any, type_: Any = None, expanding: bool = False) -> "BindParameter":
        return BindParameter(
            None, obj, type_=type_, unique=True, expanding=expanding,
            _compared_to_operator=operator, _compared_to_type=self.type,
        )

    def self_group(self, against: Any = None) -> "ClauseElement":
        if (
            (against is operators.and_ or against is operators.or_ or against is operators._asbool)
            and self.type._type_affinity is _BOOLEAN_AFFINITY
        ):
            return AsBoolean(self, operators.is_true, operators.is_false)
        if against is operators.any_op or against is operators.all_op:
            return Grouping(self)
        return self

    def _negate(self) -> "ClauseElement":
        if self.type._type_affinity is _BOOLEAN_AFFINITY:
            return AsBoolean(self, operators.is_false, operators.is_true)
        return UnaryExpression(self.self_group(against=operators.inv), operator=operators.inv)

    def label(self, name: Optional[str]) -> "Label":
        """`expr AS name` in a SELECT; None gives an anonymous name (`anon_1`)."""
        return Label(name, self, self.type)

    def cast(self, type_: Any) -> "Cast":
        return Cast(self, type_)

    @property
    def expression(self) -> "ColumnElement":
        return self

    @property
    def _select_iterable(self) -> tuple:
        return (self,)

    @property
    def _proxy_key(self) -> Optional[str]:
        return self.key

    @property
    def _label(self) -> Optional[str]:
        return None

    @property
    def anon_label(self) -> str:
        """An anonymous name for this expression, numbered when compiled (`anon_1`)."""
        base = self._anon_base
        return _anonymous_label(id(self), base if type(base) is str else "anon")

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} at 0x{id(self):x}; {self}>"


_BOOLEAN_AFFINITY = BOOLEANTYPE._type_affinity


# -- bound parameters -------------------------------------------------------------------------

_NO_VALUE = object()


class BindParameter(ColumnElement):
    """A value sent to the database as a bound parameter, never as SQL text.

    `unique=True` binds (every literal an operator coerces) are renamed `<key>_<n>` when
    compiled, so two of them never share a placeholder; a key of None means "param".
    """

    __visit_name__ = "bindparam"
    _is_bind_parameter = True
    expand_op: Any = None  # in_op / not_in_op for the list of an IN

    def __init__(
        self,
        key: Optional[str],
        value: Any = _NO_VALUE,
        type_: Any = None,
        unique: bool = False,
        required: Any = _NO_VALUE,
        quote: Optional[bool] = None,
        callable_: Optional[Callable[[], Any]] = None,
        expanding: bool = False,
        isoutparam: bool = False,
        literal_execute: bool = False,
        _compared_to_operator: Any = None,
        _compared_to_type: Any = None,
    ) -> None:
        if required is _NO_VALUE:
            required = value is _NO_VALUE and callable_ is None
        if value is _NO_VALUE:
            value = None
        if key is None:
            key = "param"
            unique = True
        self.key = self.name = self._orig_key = key
        self.unique = unique
        self.value = value
        self.callable = callable_
        self.required = required
        self.expanding = expanding
        self.isoutparam = isoutparam
        self.literal_execute = literal_execute
        if type_ is None:
            check = value
            if expanding and value:
                check = next(iter(value))
            if _compared_to_type is not None:
                self.type = _compared_to_type.coerce_compared_value(_compared_to_operator, check)
            elif check is None:
                self.type = NULLTYPE
            elif type(check) is tuple:
                self.type = type_api._tuple_type_of(check)
            else:
                self.type = type_api.resolve_value_to_type(check)
        elif type_.__class__ is type:
            self.type = type_()
        else:
            self.type = type_

    @property
    def _type(self) -> type_api.TypeEngine:
        return self.type

    @property
    def effective_value(self) -> Any:
        """The value to send: the callable's result when one was given, else `value`."""
        if self.callable is not None:
            return self.callable()
        return self.value

    def _with_value(self, value: Any, required: bool = False, maintain_key: bool = True) -> "BindParameter":
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__ = self.__dict__.copy()
        clone.__dict__.pop("_comparator", None)
        clone.value = value
        clone.callable = None
        clone.required = required
        if clone.type is NULLTYPE and value is not None:
            clone.type = type_api.resolve_value_to_type(value)
        return clone

    def _negate_in_binary(self, negated_op: Any, original_op: Any) -> "BindParameter":
        if self.expand_op is original_op:
            clone = self._clone()
            clone.expand_op = negated_op
            return clone
        return self

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        binds.append(self)
        if self.literal_execute:  # compiled to a placeholder; the value is rendered per execution
            return ("bind", self.key, self.type._cache_key, self.expanding, self.unique, True)
        return ("bind", self.key, self.type._cache_key, self.expanding, self.unique)

    def __repr__(self) -> str:
        return f"BindParameter({self.key!r}, {self.value!r}, type_={self.type!r})"


def bindparam(
    key: Optional[str],
    value: Any = _NO_VALUE,
    type_: Any = None,
    unique: bool = False,
    required: Any = _NO_VALUE,
    quote: Optional[bool] = None,
    callable_: Optional[Callable[[], Any]] = None,
    expanding: bool = False,
    isoutparam: bool = False,
    literal_execute: bool = False,
) -> BindParameter:
    """A named bound parameter, as sqlalchemy.bindparam(); expanding=True renders `IN (...)`."""
    if isinstance(key, ColumnClause):
        type_ = type_ if type_ is not None else key.type
        key = key.key
    return BindParameter(
        key, value, type_, unique, required, quote, callable_, expanding, isoutparam, literal_execute
    )


def literal(value: Any, type_: Any = None, literal_execute: bool = False) -> BindParameter:
    """A Python value as a bound parameter, typed by its class unless `type_` is given."""
    return BindParameter(None, value, type_=type_, unique=True, literal_execute=literal_execute)


# -- columns ------------------------------------------------------------------------------------


class ColumnClause(ColumnElement):
    """A named column, of a table or free-standing (`column("x")`)."""

    __visit_name__ = "column"
    onupdate = default = server_default = server_onupdate = None
    is_literal = False

    def __init__(
        self,
        text: str,
        type_: Any = None,
        is_literal: bool = False,
        _selectable: Any = None,
    ) -> None:
        self.key = self.name = text
        self.table = _selectable
        self.is_literal = is_literal
        self._type = type_api.to_instance(type_)

    @property
    def type(self) -> type_api.TypeEngine:  # type: ignore[override]
        return self._type

    @type.setter
    def type(self, value: Any) -> None:
        self._type = type_api.to_instance(value)
        self.__dict__.pop("_comparator", None)

    @property
    def _non_anon_label(self) -> Optional[str]:  # type: ignore[override]
        return None if self.is_literal else self.name

    @property
    def _anon_base(self) -> str:  # type: ignore[override]
        return self.name or "anon"

    @property
    def _from_objects(self) -> list:
        return [self.table] if self.table is not None else []

    @property
    def _label(self) -> Optional[str]:
        table = self.table
        if table is not None and getattr(table, "named_with_column", False) and table.name:
            return f"{table.name}_{self.name}"
        return self.name

    def _bind_param(self, operator: Any, obj: Any, type_: Any = None, expanding: bool = False) -> BindParameter:
        return BindParameter(
            self.key, obj, type_=type_, unique=True, expanding=expanding,
            _compared_to_operator=operator, _compared_to_type=self._type,
        )

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        table = self.table
        table_key = None if table is None else table._gen_cache_key(binds)
        return ("column", self.name, table_key, self._type._cache_key, self.is_literal)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.name!r}, {self.type!r})"

    def __str__(self) -> str:
        if self.table is not None and getattr(self.table, "name", None):
            return f"{self.table.name}.{self.name}"
        return str(self.name)


def column(text: str, type_: Any = None, is_literal: bool = False, _selectable: Any = None) -> ColumnClause:
    """A free-standing column, as sqlalchemy.column()."""
    return ColumnClause(text, type_, is_literal, _selectable)


def literal_column(text: str, type_: Any = None) -> ColumnClause:
    """A column whose name is rendered as given, unquoted."""
    return ColumnClause(text, type_, is_literal=True)


# -- constants ----------------------------------------------------------------------------------


class Null(ColumnElement):
    """SQL NULL."""

    __visit_name__ = "null"
    _KEY = ("null",)

    @property
    def type(self) -> type_api.TypeEngine:  # type: ignore[override]
        return NULLTYPE

    def _gen_cache_key(self, binds: list) -> tuple:
        return self._KEY


class False_(ColumnElement):
    """SQL false: `false`, or `0` where there is no boolean type."""

    __visit_name__ = "false"
    _KEY = ("false",)
    type = BOOLEANTYPE

    def _negate(self) -> "True_":
        return True_()

    def _gen_cache_key(self, binds: list) -> tuple:
        return self._KEY


class True_(ColumnElement):
    """SQL true: `true`, or `1` where there is no boolean type."""

    __visit_name__ = "true"
    _KEY = ("true",)
    type = BOOLEANTYPE

    def _negate(self) -> False_:
        return False_()

    def _gen_cache_key(self, binds: list) -> tuple:
        return self._KEY


def null() -> Null:
    return Null()


def true() -> True_:
    return True_()


def false() -> False_:
    return False_()


# -- operator expressions -----------------------------------------------------------------------


class BinaryExpression(ColumnElement):
    """`left <operator> right`: comparisons, arithmetic, LIKE, IN, ... ."""

    __visit_name__ = "binary"
    _is_implicitly_boolean = True

    def __init__(
        self,
        left: ColumnElement,
        right: ClauseElement,
        operator: Any,
        type_: Any = None,
        negate: Any = None,
        modifiers: Optional[dict] = None,
    ) -> None:
        self.left = left.self_group(against=operator)
        self.right = right.self_group(against=operator)
        self.operator = operator
        self.type = type_api.to_instance(type_) if type_ is not None else NULLTYPE
        self.negate = negate
        self.modifiers = modifiers if modifiers else _NO_MODIFIERS

    def __bool__(self) -> bool:
        # `col_a == col_b` as a Python truth value compares identity, so columns work as
        # dict keys and in `in` tests; anything else has no truth value
        operator = self.operator
        if operator is operators.eq:
            return hash(self.left) == hash(self.right)
        if operator is operators.ne:
            return hash(self.left) != hash(self.right)
        raise TypeError("Boolean value of this clause is not defined")

    @property
    def is_comparison(self) -> bool:
        return operators.is_comparison(self.operator)

    def self_group(self, against: Any = None) -> ClauseElement:
        if operators.is_precedent(self.operator, against):
            return Grouping(self)
        return self

    def _negate(self) -> ClauseElement:
        if self.negate is not None:
            return BinaryExpression(
                self.left, self.right._negate_in_binary(self.negate, self.operator),
                self.negate, type_=self.type, negate=self.operator, modifiers=self.modifiers,
            )
        return super()._negate()

    @property
    def _from_objects(self) -> list:
        return self.left._from_objects + self.right._from_objects

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return (self.left, self.right)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        left = self.left._gen_cache_key(binds)
        right = self.right._gen_cache_key(binds)
        if left is None or right is None:
            return None
        modifiers = self.modifiers
        return (
            "binary", left, right, self.operator, self.negate, self.type._cache_key,
            tuple(sorted(modifiers.items())) if modifiers else None,
        )


_NO_MODIFIERS: dict = {}


class UnaryExpression(ColumnElement):
    """A prefix operator (`NOT x`, `-x`, `DISTINCT x`) or a suffix modifier (`x DESC`)."""

    __visit_name__ = "unary"

    def __init__(
        self,
        element: ClauseElement,
        operator: Any = None,
        modifier: Any = None,
        type_: Any = None,
        wraps_column_expression: bool = False,
    ) -> None:
        self.operator = operator
        self.modifier = modifier
        self.element = element.self_group(against=operator or modifier)
        self.type = type_api.to_instance(type_) if type_ is not None else NULLTYPE
        self.wraps_column_expression = wraps_column_expression

    @property
    def _order_by_label_element(self) -> Any:  # type: ignore[override]
        if self.modifier in _ORDERING_MODIFIERS:
            return self.element._order_by_label_element
        return None

    @property
    def _from_objects(self) -> list:
        return self.element._from_objects

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return (self.element,)

    def self_group(self, against: Any = None) -> ClauseElement:
        if self.operator is not None and operators.is_precedent(self.operator, against):
            return Grouping(self)
        return self

    def _negate(self) -> ClauseElement:
        if self.type._type_affinity is _BOOLEAN_AFFINITY:
            return UnaryExpression(
                self.self_group(against=operators.inv), operator=operators.inv,
                type_=BOOLEANTYPE, wraps_column_expression=self.wraps_column_expression,
            )
        return super()._negate()

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        element = self.element._gen_cache_key(binds)
        if element is None:
            return None
        return ("unary", element, self.operator, self.modifier, self.type._cache_key)


_ORDERING_MODIFIERS = (
    operators.desc_op, operators.asc_op, operators.nulls_first_op, operators.nulls_last_op,
)


class AsBoolean(UnaryExpression):
    """A boolean expression used as a condition: `x` or `NOT x` with a native boolean type,
    `x = 1` / `x = 0` without one."""

    __visit_name__ = "unary"
    _is_implicitly_boolean = True

    def __init__(self, element: ClauseElement, operator: Any, negate: Any) -> None:
        self.element = element
        self.type = BOOLEANTYPE
        self.operator = operator
        self.negate = negate
        self.modifier = None
        self.wraps_column_expression = True

    def self_group(self, against: Any = None) -> ClauseElement:
        return self

    def _negate(self) -> ClauseElement:
        element = self.element
        if isinstance(element, (True_, False_)):
            return element._negate()
        return AsBoolean(element, self.negate, self.operator)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        element = self.element._gen_cache_key(binds)
        if element is None:
            return None
        return ("asbool", element, self.operator)


class CollectionAggregate(UnaryExpression):
    """ANY (expr) / ALL (expr): compared the other way round (`5 = ANY (arr)`)."""

    _is_collection_aggregate = True

    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        if not operators.is_comparison(op):
            raise exc.ArgumentError("Only comparison operators may be used with ANY/ALL")
        kwargs["reverse"] = True
        return self.comparator.operate(_MIRROR.get(op, op), *other, **kwargs)

    def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
        raise exc.ArgumentError("Only comparison operators may be used with ANY/ALL")


_MIRROR = {
    operators.gt: operators.lt, operators.ge: operators.le,
    operators.lt: operators.gt, operators.le: operators.ge,
}


def _any_all(expr: Any, operator: Any) -> CollectionAggregate:
    from .coercions import expect_expression

    expr = expect_expression(expr)
    type_ = getattr(expr.type, "item_type", None) or NULLTYPE
    return CollectionAggregate(expr, operator=operator, type_=type_, wraps_column_expression=False)


def any_(expr: Any) -> CollectionAggregate:
    """`ANY (expr)`: compare with it as `5 == any_(arr_col)`."""
    return _any_all(expr, operators.any_op)


def all_(expr: Any) -> CollectionAggregate:
    """`ALL (expr)`."""
    return _any_all(expr, operators.all_op)


class ClauseList(ClauseElement):
    """Clauses joined by an operator (`, ` by default): function arguments, IN lists, ... ."""

    __visit_name__ = "clauselist"

    def __init__(
        self,
        *clauses: Any,
        operator: Any = operators.comma_op,
        group: bool = True,
        group_contents: bool = True,
        _literal_as_text_role: Any = None,
    ) -> None:
        from .coercions import expect_expression

        self.operator = operator
        self.group = group
        self.group_contents = group_contents
        if group_contents:
            self.clauses = [expect_expression(c).self_group(against=operator) for c in clauses]
        else:
            self.clauses = [expect_expression(c) for c in clauses]

    def __iter__(self) -> Any:
        return iter(self.clauses)

    def __len__(self) -> int:
        return len(self.clauses)

    def __bool__(self) -> bool:
        return bool(self.clauses)

    def append(self, clause: Any) -> None:
        from .coercions import expect_expression

        clause = expect_expression(clause)
        self.clauses.append(clause.self_group(against=self.operator) if self.group_contents else clause)

    @property
    def _select_iterable(self) -> list:
        return [c for clause in self.clauses for c in clause._select_iterable]

    @property
    def _from_objects(self) -> list:
        return [f for c in self.clauses for f in c._from_objects]

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return self.clauses

    def self_group(self, against: Any = None) -> ClauseElement:
        if self.group and operators.is_precedent(self.operator, against):
            return Grouping(self)
        return self

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        keys = []
        for clause in self.clauses:
            key = clause._gen_cache_key(binds)
            if key is None:
                return None
            keys.append(key)
        return ("clauselist", self.operator, tuple(keys))


class ExpressionClauseList(ClauseList, ColumnElement):
    """A ClauseList that is itself a typed expression."""

    __visit_name__ = "clauselist"

    def __init__(self, *clauses: Any, operator: Any = operators.comma_op, type_: Any = None,
                 group: bool = True, group_contents: bool = True) -> None:
        ClauseList.__init__(self, *clauses, operator=operator, group=group,
                            group_contents=group_contents)
        self.type = type_api.to_instance(type_) if type_ is not None else NULLTYPE

    __bool__ = ColumnElement.__bool__  # type: ignore[assignment]

    def self_group(self, against: Any = None) -> ClauseElement:
        return ClauseList.self_group(self, against)


class BooleanClauseList(ClauseList, ColumnElement):
    """Criteria joined by AND or OR (and_(), or_(), `&`, `|`)."""

    __visit_name__ = "clauselist"
    _is_implicitly_boolean = True
    type = BOOLEANTYPE

    def __init__(self, *arg: Any, **kw: Any) -> None:
        raise NotImplementedError("BooleanClauseList has a private constructor; use and_() or or_()")

    @classmethod
    def _construct(cls, operator: Any, continue_on: type, skip_on: type, clauses: tuple) -> ColumnElement:
        from .coercions import expect_where

        lcc = 0
        convert: list = []
        for clause in clauses:
            clause = expect_where(clause)
            if clause.__class__ is continue_on:
                continue
            if clause.__class__ is skip_on:
                # and_(false(), ...) is false; or_(true(), ...) is true
                return clause.self_group(against=operators._asbool)
            if clause.__class__ is cls and clause.operator is operator:
                convert.extend(clause.clauses)  # flatten and_(and_(a, b), c)
                lcc += len(clause.clauses)
                continue
            convert.append(clause)
            lcc += 1
        if lcc > 1:
            self = cls.__new__(cls)
            self.operator = operator
            self.group = True
            self.group_contents = True
            self.clauses = [c.self_group(against=operator) for c in convert]
            return self
        if lcc == 1:
            return convert[0].self_group(against=operators._asbool)
        if not clauses:
            import warnings

            name = "and_" if operator is operators.and_ else "or_"
            warnings.warn(
                f"Invoking {name}() without arguments is deprecated, and will be disallowed in "
                f"a future release.   For an empty {name}() construct, use "
                f"'{name}({'true' if operator is operators.and_ else 'false'}(), *args)' or "
                f"'{name}(True, *args)'.",
                exc.SADeprecationWarning, stacklevel=3,
            )
        # nothing left: everything was a no-op constant (and_(true()) is true)
        if clauses:
            return expect_where(clauses[-1]).self_group(against=operators._asbool)
        self = cls.__new__(cls)
        self.operator = operator
        self.group = True
        self.group_contents = True
        self.clauses = []
        return self

    @classmethod
    def and_(cls, *clauses: Any) -> ColumnElement:
        return cls._construct(operators.and_, True_, False_, clauses)

    @classmethod
    def or_(cls, *clauses: Any) -> ColumnElement:
        return cls._construct(operators.or_, False_, True_, clauses)

    __bool__ = ColumnElement.__bool__  # type: ignore[assignment]

    def self_group(self, against: Any = None) -> ClauseElement:
        if not self.clauses:
            return self
        return ClauseList.self_group(self, against)

    def _negate(self) -> ClauseElement:
        return ColumnElement._negate(self)

    @property
    def _select_iterable(self) -> tuple:
        return (self,)


def and_(*clauses: Any) -> ColumnElement:
    """Criteria joined by AND; `and_(true(), *criteria)` for a list that may be empty."""
    return BooleanClauseList.and_(*clauses)


def or_(*clauses: Any) -> ColumnElement:
    """Criteria joined by OR; `or_(false(), *criteria)` for a list that may be empty."""
    return BooleanClauseList.or_(*clauses)


def not_(clause: Any) -> ClauseElement:
    """The negation: `NOT x`, or the opposite operator (`a != b` for `a == b`)."""
    from .coercions import expect_where

    return expect_where(clause)._negate()


class Tuple(ClauseList, ColumnElement):
    """`(a, b, ...)`: a row value, compared and IN-tested as a whole."""

    __visit_name__ = "tuple"

    def __init__(self, *clauses: Any, types: Optional[Sequence[Any]] = None) -> None:
        from .coercions import expect_expression

        if types is None:
            converted = [expect_expression(c) for c in clauses]
        else:
            if len(types) != len(clauses):
                raise exc.ArgumentError(
                    f"Wrong number of elements for {len(types)}-tuple: {clauses!r} "
                )
            converted = [
                c if hasattr(c, "__clause_element__") or isinstance(c, ClauseElement)
                else BindParameter(None, c, type_=t, unique=True)
                for c, t in zip(clauses, types)
            ]
            converted = [expect_expression(c) for c in converted]
        self.operator = operators.comma_op
        self.group = True
        self.group_contents = True
        self.clauses = converted
        self.type = type_api._tuple_type_of_types([c.type for c in converted])

    __bool__ = ColumnElement.__bool__  # type: ignore[assignment]

    def _bind_param(self, operator: Any, obj: Any, type_: Any = None, expanding: bool = False) -> Any:
        if expanding:
            return BindParameter(
                None, obj, type_=self.type, unique=True, expanding=True,
                _compared_to_operator=operator, _compared_to_type=self.type,
            )
        return Tuple(*[
            BindParameter(None, o, type_=c.type, unique=True,
                          _compared_to_operator=operator, _compared_to_type=c.type)
            for o, c in zip(obj, self.clauses)
        ])

    def self_group(self, against: Any = None) -> ClauseElement:
        return self

    @property
    def _select_iterable(self) -> tuple:
        return (self,)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        key = ClauseList._gen_cache_key(self, binds)
        return None if key is None else ("tuple",) + key[2:]


def tuple_(*clauses: Any, types: Optional[Sequence[Any]] = None) -> Tuple:
    """A row value `(a, b)`: `tuple_(t.c.a, t.c.b).in_([(1, 2), (3, 4)])`."""
    return Tuple(*clauses, types=types)


class Grouping(ColumnElement):
    """Parentheses around an expression."""

    __visit_name__ = "grouping"

    def __init__(self, element: ClauseElement) -> None:
        self.element = element
        self.type = getattr(element, "type", NULLTYPE)

    def self_group(self, against: Any = None) -> ClauseElement:
        return self

    @property
    def _is_implicitly_boolean(self) -> bool:  # type: ignore[override]
        return getattr(self.element, "_is_implicitly_boolean", False)

    @property
    def key(self) -> Optional[str]:  # type: ignore[override]
        return getattr(self.element, "key", None)

    @property
    def _non_anon_label(self) -> Optional[str]:  # type: ignore[override]
        return getattr(self.element, "_non_anon_label", None)

    @property
    def _anon_base(self) -> str:  # type: ignore[override]
        return getattr(self.element, "_anon_base", "anon")

    @property
    def _from_objects(self) -> list:
        return self.element._from_objects

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return (self.element,)

    @property
    def _select_iterable(self) -> tuple:
        return (self,)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        element = self.element._gen_cache_key(binds)
        return None if element is None else ("grouping", element)


class Label(ColumnElement):
    """`expr AS name` in a SELECT's columns; just the expression elsewhere."""

    __visit_name__ = "label"

    def __init__(self, name: Optional[str], element: Any, type_: Any = None) -> None:
        from .coercions import expect_expression

        element = expect_expression(element)
        while isinstance(element, Label):
            element = element.element
        self._anonymous = name is None
        if name is None:
            # numbered when compiled; over a named column its name is the base (x -> x_1)
            base = getattr(element, "_anon_base", "anon") or "anon"
            if type(base) is not str and base[:2] == "%(":
                base = getattr(base, "base", "anon")
            name = _anonymous_label(id(self), base)
        self.name = self.key = name
        self._element = element
        self._type = type_
        self.element = element.self_group(against=operators.as_)

    @property
    def type(self) -> type_api.TypeEngine:  # type: ignore[override]
        return type_api.to_instance(self._type) if self._type is not None else self._element.type

    @property
    def _non_anon_label(self) -> Optional[str]:  # type: ignore[override]
        return None if self._anonymous else self.name

    @property
    def _anon_base(self) -> str:  # type: ignore[override]
        return getattr(self.name, "base", self.name)

    @property
    def _order_by_label_element(self) -> "Label":  # type: ignore[override]
        return self

    @property
    def _label(self) -> Optional[str]:
        return self.name

    @property
    def _from_objects(self) -> list:
        return self.element._from_objects

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return (self.element,)

    def self_group(self, against: Any = None) -> ClauseElement:
        # a label inside an expression is its element (`(x AS y) + 1` is not SQL)
        grouped = self._element.self_group(against=against)
        if grouped is not self._element:
            return Label(None if self._anonymous else self.name, grouped, self._type)
        return self

    def _negate(self) -> ClauseElement:
        return self._element._negate()

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        element = self.element._gen_cache_key(binds)
        if element is None:
            return None
        if self._anonymous:
            binds.append(self)  # an anonymous name is numbered per object: repeats matter
        return (
            "label", None if self._anonymous else self.name, self._anon_base, element,
            None if self._type is None else type_api.to_instance(self._type)._cache_key,
        )


def label(name: str, element: Any, type_: Any = None) -> Label:
    """`element AS name`."""
    return Label(name, element, type_)


# -- wrappers: casts, collation, ordering -------------------------------------------------------


class TypeClause(ClauseElement):
    """A type in SQL text (the `AS INTEGER` of a CAST)."""

    __visit_name__ = "typeclause"

    def __init__(self, type_: Any) -> None:
        self.type = type_

    def _gen_cache_key(self, binds: list) -> tuple:
        return ("typeclause", self.type._cache_key)


class WrapsColumnExpression(ColumnElement):
    """An expression around another whose SELECT name is the inner column's (CAST(x) AS x)."""

    @property
    def _non_anon_label(self) -> Optional[str]:  # type: ignore[override]
        inner = self._wrapped
        while isinstance(inner, WrapsColumnExpression):
            inner = inner._wrapped
        if isinstance(inner, (ColumnClause, Label)):
            return inner._non_anon_label
        return None

    @property
    def _anon_base(self) -> str:  # type: ignore[override]
        return getattr(self._wrapped, "_anon_base", "anon")

    @property
    def _proxy_key(self) -> Optional[str]:
        return self._non_anon_label

    @property
    def _from_objects(self) -> list:
        return self._wrapped._from_objects

    @property
    def _wrapped(self) -> Any:
        raise NotImplementedError()


class Cast(WrapsColumnExpression):
    """`CAST(expr AS type)`."""

    __visit_name__ = "cast"

    def __init__(self, expression: Any, type_: Any) -> None:
        from .coercions import expect_expression

        self.type = type_api.to_instance(type_)
        self.clause = expect_expression(expression, type_=self.type)
        self.typeclause = TypeClause(self.type)

    @property
    def _wrapped(self) -> Any:
        return self.clause

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return (self.clause, self.typeclause)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        clause = self.clause._gen_cache_key(binds)
        return None if clause is None else ("cast", clause, self.type._cache_key)


def cast(expression: Any, type_: Any) -> Cast:
    """`CAST(expression AS type_)`; the result has `type_`."""
    return Cast(expression, type_)


class TryCast(Cast):
    """`TRY_CAST(expr AS type)` (SQL Server and a few others)."""

    __visit_name__ = "try_cast"


def try_cast(expression: Any, type_: Any) -> TryCast:
    return TryCast(expression, type_)


class TypeCoerce(WrapsColumnExpression):
    """An expression treated as another type in Python only: no CAST in the SQL."""

    __visit_name__ = "type_coerce"

    def __init__(self, expression: Any, type_: Any) -> None:
        from .coercions import expect_expression

        self.type = type_api.to_instance(type_)
        self.clause = expect_expression(expression, type_=self.type)

    @property
    def _wrapped(self) -> Any:
        return self.clause

    @property
    def typed_expression(self) -> Any:
        if self.clause._is_bind_parameter:
            bind = self.clause._with_value(self.clause.value)
            bind.type = self.type
            return bind
        return self.clause

    def self_group(self, against: Any = None) -> ClauseElement:
        grouped = self.clause.self_group(against=against)
        if grouped is not self.clause:
            return TypeCoerce(grouped, self.type)
        return self

    def get_children(self, **kw: Any) -> Sequence[ClauseElement]:
        return (self.clause,)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        clause = self.clause._gen_cache_key(binds)
        return None if clause is None else ("type_coerce", clause, self.type._cache_key)


def type_coerce(expression: Any, type_: Any) -> TypeCoerce:
    """`expression` with `type_`'s Python-side behaviour (bind/result processing, operators)."""
    return TypeCoerce(expression, type_)


class CollationClause(ColumnElement):
    """The collation name of `expr COLLATE name`."""

    __visit_name__ = "collation"

    def __init__(self, collation: str) -> None:
        self.collation = collation

    def _gen_cache_key(self, binds: list) -> tuple:
        return ("collation", self.collation)


def collate(expression: Any, collation: str) -> BinaryExpression:
    """`expression COLLATE collation`."""
    from .coercions import expect_expression

    expr = expect_expression(expression)
    return BinaryExpression(expr, CollationClause(collation), operators.collate, type_=expr.type)


def _unary_modifier(column: Any, modifier: Any) -> UnaryExpression:
    from .coercions import expect_by_clause

    return UnaryExpression(expect_by_clause(column), modifier=modifier,
                           wraps_column_expression=False)


def desc(column: Any) -> UnaryExpression:
    """`column DESC` for ORDER BY."""
    return _unary_modifier(column, operators.desc_op)


def asc(column: Any) -> UnaryExpression:
    """`column ASC` for ORDER BY."""
    return _unary_modifier(column, operators.asc_op)


def nulls_first(column: Any) -> UnaryExpression:
    """`column NULLS FIRST` for ORDER BY."""
    return _unary_modifier(column, operators.nulls_first_op)


def nulls_last(column: Any) -> UnaryExpression:
    """`column NULLS LAST` for ORDER BY."""
    return _unary_modifier(column, operators.nulls_last_op)


nullsfirst = nulls_first
nullslast = nulls_last


def distinct(expr: Any) -> UnaryExpression:
    """`DISTINCT expr`, as inside an aggregate: `func.count(distinct(t.c.x))`."""
    from .coercions import expect_expression

    expr = expect_expression(expr)
    return UnaryExpression(expr, operator=operators.distinct_op, type_=expr.type,
                           wraps_column_expression=False)


def between(expr: Any, lower_bound: Any, upper_bound: Any, symmetric: bool = False) -> BinaryExpression:
    """`expr BETWEEN lower_bound AND upper_bound`."""
    from .coercions import expect_expression

    return expect_expression(expr).between(lower_bound, upper_bound, symmetric=symmetric)


# -- CASE, EXTRACT, windows ---------------------------------------------------------------------


class Case(ColumnElement):
    """`CASE WHEN cond THEN result ... ELSE default END`, or `CASE value WHEN v THEN r ... END`."""

    __visit_name__ = "case"

    def __init__(self, *whens: Any, value: Any = None, else_: Any = None) -> None:
        from .coercions import expect_expression
        from .coercions import expect_where

        if len(whens) == 1 and isinstance(whens[0], dict):
            whens = tuple(whens[0].items())
        elif len(whens) == 1 and isinstance(whens[0], list):
            raise exc.ArgumentError(
                "The \"whens\" argument to case(), when referring to a sequence of items, is "
                "now passed as a series of positional elements, rather than as a list. "
            )
        pairs = []
        result_type: Any = None
        if value is not None:
            self.value = expect_expression(value)
            for cond, result in whens:
                result = expect_expression(result)
                pairs.append((expect_expression(cond).self_group(), result))
                if result_type is None and not result.type._isnull:
                    result_type = result.type
        else:
            self.value = None
            for cond, result in whens:
                result = expect_expression(result)
                pairs.append((expect_where(cond).self_group(), result))
                if result_type is None and not result.type._isnull:
                    result_type = result.type
        self.whens = pairs
        self.else_ = expect_expression(else_) if else_ is not None else None
        if result_type is None and self.else_ is not None and not self.else_.type._isnull:
            result_type = self.else_.type
        self.type = result_type if result_type is not None else NULLTYPE

    @property
    def _from_objects(self) -> list:
        found = [] if self.value is None else list(self.value._from_objects)
        for cond, result in self.whens:
            found.extend(cond._from_objects)
            found.extend(result._from_objects)
        if self.else_ is not None:
            found.extend(self.else_._from_objects)
        return found

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        parts: list = ["case"]
        parts.append(None if self.value is None else self.value._gen_cache_key(binds))
        for cond, result in self.whens:
            parts.append(cond._gen_cache_key(binds))
            parts.append(result._gen_cache_key(binds))
        parts.append(None if self.else_ is None else self.else_._gen_cache_key(binds))
        if any(p is None for p in parts[2:-1]):
            return None
        parts.append(self.type._cache_key)
        return tuple(parts)


def case(*whens: Any, value: Any = None, else_: Any = None) -> Case:
    """`case((cond, result), ..., else_=x)` or `case({value: result, ...}, value=expr)`."""
    return Case(*whens, value=value, else_=else_)


class Extract(ColumnElement):
    """`EXTRACT(field FROM expr)`."""

    __visit_name__ = "extract"
    type = type_api.INTEGERTYPE

    def __init__(self, field: str, expr: Any) -> None:
        from .coercions import expect_expression

        self.field = field
        self.expr = expect_expression(expr)

    @property
    def _from_objects(self) -> list:
        return self.expr._from_objects

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        expr = self.expr._gen_cache_key(binds)
        return None if expr is None else ("extract", self.field, expr)


def extract(field: str, expr: Any) -> Extract:
    """`EXTRACT(field FROM expr)`: field is 'year', 'month', 'day', 'hour', 'epoch', ... ."""
    return Extract(field, expr)


class FrameClauseType(enum.Enum):
    """The kind of one bound of a window frame."""

    UNBOUNDED = 0
    CURRENT = 1
    PRECEDING = 2
    FOLLOWING = 3


class FrameClause(ClauseElement):
    """The ROWS / RANGE / GROUPS bounds of a window: `BETWEEN :param_1 PRECEDING AND ...`.

    Offsets are bound parameters (as in SQLAlchemy 2.1), so windows differing only in their
    offsets share a compiled statement.
    """

    __visit_name__ = "frame_clause"

    def __init__(self, start: Any, end: Any, start_frame_type: Any, end_frame_type: Any) -> None:
        self.lower_bind = self._as_literal(start)
        self.upper_bind = self._as_literal(end)
        self.lower_type = FrameClauseType(start_frame_type)
        self.upper_type = FrameClauseType(end_frame_type)
        for bind, kind, which in ((self.lower_bind, self.lower_type, "start"),
                                  (self.upper_bind, self.upper_type, "end")):
            if bind is not None and kind in (FrameClauseType.UNBOUNDED, FrameClauseType.CURRENT):
                raise exc.ArgumentError(
                    f"Cannot specify a value for {which} with frame type {kind.name}"
                )

    @staticmethod
    def _as_literal(value: Any) -> Optional[BindParameter]:
        if value is None:
            return None
        if isinstance(value, BindParameter):
            return value
        if isinstance(value, int):
            return BindParameter(None, value, type_=type_api.INTEGERTYPE, unique=True)
        return BindParameter(None, value, unique=True)

    @classmethod
    def _bound(cls, value: Any, coerce_int: bool) -> tuple:
        if value is None:
            return None, FrameClauseType.UNBOUNDED
        if coerce_int:
            try:
                number = int(value)
            except ValueError:
                raise exc.ArgumentError(
                    "Integer or None expected for values in rows/groups frame"
                ) from None
        elif not isinstance(value, int):
            raise exc.ArgumentError(
                "When using a tuple to specify a range only integer or none values are allowed "
                "in the range frame. To specify a different type use the FrameClause directly."
            )
        else:
            number = value
        if number == 0:
            return None, FrameClauseType.CURRENT
        if number < 0:
            return abs(number), FrameClauseType.PRECEDING
        return number, FrameClauseType.FOLLOWING

    @classmethod
    def _parse(cls, range_: Any, coerce_int: bool) -> Optional["FrameClause"]:
        if range_ is None or isinstance(range_, FrameClause):
            return range_
        try:
            lower, upper = range_
        except (ValueError, TypeError):
            raise exc.ArgumentError("2-tuple expected for range/rows/groups") from None
        lower_value, lower_type = cls._bound(lower, coerce_int)
        upper_value, upper_type = cls._bound(upper, coerce_int)
        return FrameClause(lower_value, upper_value, lower_type, upper_type)

    def _gen_cache_key(self, binds: list) -> tuple:
        lower = None if self.lower_bind is None else self.lower_bind._gen_cache_key(binds)
        upper = None if self.upper_bind is None else self.upper_bind._gen_cache_key(binds)
        return ("frame", lower, self.lower_type, upper, self.upper_type)


class Over(ColumnElement):
    """`func(...) OVER (PARTITION BY ... ORDER BY ... ROWS/RANGE ...)`."""

    __visit_name__ = "over"

    def __init__(
        self,
        element: Any,
        partition_by: Any = None,
        order_by: Any = None,
        range_: Any = None,
        rows: Any = None,
        groups: Any = None,
        exclude: Optional[str] = None,
    ) -> None:
        from .coercions import expect_by_clause

        self.element = element
        self.type = element.type
        self.partition_by = (
            ClauseList(*[expect_by_clause(c) for c in _to_list(partition_by)])
            if partition_by is not None else None
        )
        self.order_by = (
            ClauseList(*[expect_by_clause(c) for c in _to_list(order_by)])
            if order_by is not None else None
        )
        if sum(x is not None for x in (range_, rows, groups)) > 1:
            raise exc.ArgumentError("only one of 'rows', 'range_', or 'groups' may be provided")
        self.range_ = FrameClause._parse(range_, coerce_int=False)
        self.rows = FrameClause._parse(rows, coerce_int=True)
        self.groups = FrameClause._parse(groups, coerce_int=True)
        if exclude is not None and range_ is None and rows is None and groups is None:
            raise exc.ArgumentError(
                "'exclude' requires that one of 'rows', 'range_', or 'groups' is also specified"
            )
        self.exclude = exclude

    @property
    def func(self) -> Any:
        return self.element

    @property
    def _from_objects(self) -> list:
        found = list(self.element._from_objects)
        for clauses in (self.partition_by, self.order_by):
            if clauses is not None:
                found.extend(clauses._from_objects)
        return found

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        element = self.element._gen_cache_key(binds)
        partition = None if self.partition_by is None else self.partition_by._gen_cache_key(binds)
        order = None if self.order_by is None else self.order_by._gen_cache_key(binds)
        if element is None:
            return None
        frames = tuple(
            None if frame is None else frame._gen_cache_key(binds)
            for frame in (self.range_, self.rows, self.groups)
        )
        return ("over", element, partition, order, frames, self.exclude)


def over(element: Any, partition_by: Any = None, order_by: Any = None, range_: Any = None,
         rows: Any = None, groups: Any = None, exclude: Optional[str] = None) -> Over:
    """A window function: `over(func.row_number(), order_by=t.c.x)`."""
    return Over(element, partition_by=partition_by, order_by=order_by, range_=range_,
                rows=rows, groups=groups, exclude=exclude)


def _to_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class WithinGroup(ColumnElement):
    """`func(...) WITHIN GROUP (ORDER BY ...)`: ordered-set aggregates."""

    __visit_name__ = "withingroup"

    def __init__(self, element: Any, *order_by: Any) -> None:
        from .coercions import expect_by_clause

        self.element = element
        self.order_by = ClauseList(*[expect_by_clause(c) for c in order_by]) if order_by else None
        within_type = getattr(element, "within_group_type", None)
        found = within_type(self) if within_type is not None else None
        self.type = found if found is not None else element.type

    @property
    def _anon_base(self) -> str:  # type: ignore[override]
        return getattr(self.element, "_anon_base", "anon")

    def over(self, partition_by: Any = None, order_by: Any = None, range_: Any = None,
             rows: Any = None, groups: Any = None, exclude: Optional[str] = None) -> Over:
        return Over(self, partition_by=partition_by, order_by=order_by, range_=range_,
                    rows=rows, groups=groups, exclude=exclude)

    def filter(self, *criterion: Any) -> "FunctionFilter":
        return FunctionFilter(self, *criterion)

    @property
    def _from_objects(self) -> list:
        return self.element._from_objects

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        element = self.element._gen_cache_key(binds)
        order = None if self.order_by is None else self.order_by._gen_cache_key(binds)
        return None if element is None else ("withingroup", element, order)


def within_group(element: Any, *order_by: Any) -> WithinGroup:
    return WithinGroup(element, *order_by)


class FunctionFilter(ColumnElement):
    """`func(...) FILTER (WHERE ...)`."""

    __visit_name__ = "funcfilter"

    def __init__(self, func: Any, *criterion: Any) -> None:
        self.func = func
        self.criterion: Any = None
        self.type = func.type
        self._add(criterion)

    def _add(self, criterion: tuple) -> None:
        for crit in criterion:
            self.criterion = crit if self.criterion is None else and_(self.criterion, crit)
        if self.criterion is not None:
            self.criterion = and_(self.criterion)

    def filter(self, *criterion: Any) -> "FunctionFilter":
        new = self._clone()
        new._add(criterion)
        return new

    def over(self, partition_by: Any = None, order_by: Any = None, range_: Any = None,
             rows: Any = None, groups: Any = None, exclude: Optional[str] = None) -> Over:
        return Over(self, partition_by=partition_by, order_by=order_by, range_=range_,
                    rows=rows, groups=groups, exclude=exclude)

    def within_group(self, *order_by: Any) -> WithinGroup:
        return WithinGroup(self, *order_by)

    @property
    def _from_objects(self) -> list:
        return self.func._from_objects

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        func = self.func._gen_cache_key(binds)
        criterion = None if self.criterion is None else self.criterion._gen_cache_key(binds)
        return None if func is None else ("funcfilter", func, criterion)


class Slice(ColumnElement):
    """`start:stop` inside an array index (`arr[2:5]`)."""

    __visit_name__ = "slice"

    def __init__(self, start: Any, stop: Any, step: Any = None) -> None:
        self.start = start
        self.stop = stop
        self.step = step
        self.type = NULLTYPE

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        start = self.start._gen_cache_key(binds) if isinstance(self.start, ClauseElement) else self.start
        stop = self.stop._gen_cache_key(binds) if isinstance(self.stop, ClauseElement) else self.stop
        return ("slice", start, stop, self.step)



# -- textual SQL ---------------------------------------------------------------------------------


class TextClause(Executable, ClauseElement):
    """Literal SQL with `:name` bound parameters, as sqlalchemy.text()."""

    __visit_name__ = "textclause"
    is_text = True
    _is_text_clause = True
    _allow_label_resolve = False

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise exc.ArgumentError(f"text() expects a string, got {type(text).__name__}")
        self.text = text
        self._bindparams: dict[str, BindParameter] = {
            name: BindParameter(name, required=True) for name in _BIND_PARAMS.findall(text)
        }

    @property
    def type(self) -> type_api.TypeEngine:
        return type_api.NULLTYPE

    @_generative
    def bindparams(self, *binds: BindParameter, **names_to_values: Any) -> None:
        """Give binds a type or a value: `.bindparams(bindparam("x", type_=Integer), y=5)`."""
        new = dict(self._bindparams)
        for bind in binds:
            if bind.key not in new:
                raise exc.ArgumentError(
                    f"This text() construct doesn't define a bound parameter named {bind.key!r}"
                )
            new[bind.key] = bind
        for key, value in names_to_values.items():
            if key not in new:
                raise exc.ArgumentError(
                    f"This text() construct doesn't define a bound parameter named {key!r}"
                )
            new[key] = new[key]._with_value(value)
        self._bindparams = new

    def columns(self, *cols: Any, **types: Any) -> "TextualSelect":
        """Declare the columns this SQL returns, so results get types and column keys.

        Positional columns match the result by position; keyword `name=Type` by name.
        """
        from .coercions import expect_expression
        from .selectable import TextualSelect

        positional = [expect_expression(c) for c in cols]  # ORM attributes: their columns
        keyed = [ColumnClause(name, type_) for name, type_ in types.items()]
        return TextualSelect(self, positional + keyed, positional=bool(positional))

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        return ("text", self.text, tuple(b._gen_cache_key(binds) for b in self._bindparams.values()))

    def self_group(self, against: Any = None) -> ClauseElement:
        if against is operators.in_op:
            return Grouping(self)
        return self

    def __and__(self, other: Any) -> ColumnElement:
        return and_(self, other)

    def __or__(self, other: Any) -> ColumnElement:
        return or_(self, other)

    def __invert__(self) -> ClauseElement:
        return not_(self)

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {self.text[:60]!r}>"


def text(text: str) -> TextClause:
    """Literal SQL with `:name` bound parameters; `\\:` writes a literal colon."""
    return TextClause(text)


class _textual_label_reference(ColumnElement):
    """A string in ORDER BY / GROUP BY naming a label of the enclosing SELECT."""

    __visit_name__ = "textual_label_reference"

    def __init__(self, element: str) -> None:
        self.element = element

    def _gen_cache_key(self, binds: list) -> tuple:
        return ("textual_label_reference", self.element)


# the operators' default implementations need every class above
from . import default_comparator  # noqa: E402,F401


def funcfilter(func: Any, *criterion: Any) -> FunctionFilter:
    """`func(...) FILTER (WHERE criterion)`."""
    return FunctionFilter(func, *criterion)


def bitwise_not(expr: Any) -> UnaryExpression:
    """`~expr`, the bitwise NOT."""
    from .coercions import expect_expression

    return expect_expression(expr).bitwise_not()
