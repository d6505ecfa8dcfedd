"""SQL operators: the tokens expressions carry, their precedence, and the ColumnOperators API.

An expression node stores which operator built it (`operator.eq`, `like_op`, a `custom_op`);
the compiler renders it from that token and parenthesizes by the precedence table here
(`is_precedent`). The operator functions are also callable, so `like_op(a, b)` is `a.like(b)`,
as in SQLAlchemy's `sqlalchemy.sql.operators`. `ColumnOperators` is the user-facing method set
(`==`, `.like()`, `.in_()`, ...) that ColumnElement and the type Comparators share; every method
funnels into `operate(op, *other, **kw)` (or `reverse_operate` for `5 + col`).
"""

from __future__ import annotations

from operator import add
from operator import and_
from operator import contains
from operator import eq
from operator import floordiv
from operator import ge
from operator import getitem
from operator import gt
from operator import inv
from operator import le
from operator import lshift
from operator import lt
from operator import mod
from operator import mul
from operator import ne
from operator import neg
from operator import or_
from operator import pow
from operator import rshift
from operator import sub
from operator import truediv
from typing import Any
from typing import Callable
from typing import Optional

__all__ = [
    "ColumnOperators", "Operators", "custom_op", "is_precedent", "add", "and_", "contains", "eq",
    "floordiv", "ge", "getitem", "gt", "inv", "le", "lshift", "lt", "mod", "mul", "ne", "neg",
    "or_", "pow", "rshift", "sub", "truediv",
]

OperatorType = Callable[..., Any]


class Operators:
    """Base of things that take SQL operators: `&`, `|`, `~` and `op()`."""

    __slots__ = ()

    def __and__(self, other: Any) -> Any:
        return self.operate(and_, other)

    def __or__(self, other: Any) -> Any:
        return self.operate(or_, other)

    def __invert__(self) -> Any:
        return self.operate(inv)

    def op(
        self,
        opstring: str,
        precedence: int = 0,
        is_comparison: bool = False,
        return_type: Any = None,
        python_impl: Optional[Callable[..., Any]] = None,
    ) -> Callable[[Any], Any]:
        """A function applying a custom binary operator: `col.op("&")(5)` -> `col & :col_1`."""
        operator = custom_op(opstring, precedence, is_comparison, return_type,
                             python_impl=python_impl)

        def against(other: Any) -> Any:
            return operator(self, other)

        return against

    def bool_op(
        self, opstring: str, precedence: int = 0, python_impl: Optional[Callable[..., Any]] = None
    ) -> Callable[[Any], Any]:
        """op() for a comparison: the result is Boolean."""
        return self.op(opstring, precedence=precedence, is_comparison=True,
                       python_impl=python_impl)

    def operate(self, op: OperatorType, *other: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(str(op))

    def reverse_operate(self, op: OperatorType, other: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(str(op))


class custom_op:
    """A user operator (`op("@>")`): its SQL text, precedence, and whether it compares."""

    __name__ = "custom_op"

    def __init__(
        self,
        opstring: str,
        precedence: int = 0,
        is_comparison: bool = False,
        return_type: Any = None,
        natural_self_precedent: bool = False,
        eager_grouping: bool = False,
        python_impl: Optional[Callable[..., Any]] = None,
        visit_name: Optional[str] = None,
    ) -> None:
        from . import type_api

        self.visit_name = visit_name
        self.opstring = opstring
        self.precedence = precedence
        self.is_comparison = is_comparison
        self.natural_self_precedent = natural_self_precedent
        self.eager_grouping = eager_grouping
        self.return_type = type_api.to_instance(return_type) if return_type is not None else None
        self.python_impl = python_impl

    def _key(self) -> tuple:
        return (
            custom_op, self.opstring, self.precedence, self.is_comparison,
            self.natural_self_precedent, self.eager_grouping,
            self.return_type._cache_key if self.return_type is not None else None,
        )

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, custom_op) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __call__(self, left: Any, right: Any, *other: Any, **kwargs: Any) -> Any:
        if isinstance(left, Operators):
            return left.operate(self, right, *other, **kwargs)
        if self.python_impl is not None:
            return self.python_impl(left, right, *other, **kwargs)
        raise TypeError(f"Custom operator {self.opstring!r} can't be used with plain Python objects "
                        "unless it includes the 'python_impl' parameter.")

    def __repr__(self) -> str:
        return f"custom_op({self.opstring!r})"


class ColumnOperators(Operators):
    """The operators of a column expression, each delegating to `operate()`."""

    __slots__ = ()

    timetuple = None  # keeps datetime's comparisons from taking over `date == col`

    def __lt__(self, other: Any) -> Any:
        return self.operate(lt, other)

    def __le__(self, other: Any) -> Any:
        return self.operate(le, other)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self.operate(eq, other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self.operate(ne, other)

    def __gt__(self, other: Any) -> Any:
        return self.operate(gt, other)

    def __ge__(self, other: Any) -> Any:
        return self.operate(ge, other)

    __hash__ = object.__hash__

    def __neg__(self) -> Any:
        return self.operate(neg)

    def __contains__(self, other: Any) -> Any:
        return self.operate(contains, other)

    def __getitem__(self, index: Any) -> Any:
        return self.operate(getitem, index)

    def __lshift__(self, other: Any) -> Any:
        return self.operate(lshift, other)

    def __rshift__(self, other: Any) -> Any:
        return self.operate(rshift, other)

    def __add__(self, other: Any) -> Any:
        return self.operate(add, other)

    def __radd__(self, other: Any) -> Any:
        return self.reverse_operate(add, other)

    def __sub__(self, other: Any) -> Any:
        return self.operate(sub, other)

    def __rsub__(self, other: Any) -> Any:
        return self.reverse_operate(sub, other)

    def __mul__(self, other: Any) -> Any:
        return self.operate(mul, other)

    def __rmul__(self, other: Any) -> Any:
        return self.reverse_operate(mul, other)

    def __truediv__(self, other: Any) -> Any:
        return self.operate(truediv, other)

    def __rtruediv__(self, other: Any) -> Any:
        return self.reverse_operate(truediv, other)

    def __floordiv__(self, other: Any) -> Any:
        return self.operate(floordiv, other)

    def __rfloordiv__(self, other: Any) -> Any:
        return self.reverse_operate(floordiv, other)

    def __mod__(self, other: Any) -> Any:
        return self.operate(mod, other)

    def __rmod__(self, other: Any) -> Any:
        return self.reverse_operate(mod, other)

    def __pow__(self, other: Any) -> Any:
        return self.operate(pow, other)

    def __rpow__(self, other: Any) -> Any:
        return self.reverse_operate(pow, other)

    def concat(self, other: Any) -> Any:
        return self.operate(concat_op, other)

    def _rconcat(self, other: Any) -> Any:
        return self.reverse_operate(concat_op, other)

    def like(self, other: Any, escape: Optional[str] = None) -> Any:
        return self.operate(like_op, other, escape=escape)

    def ilike(self, other: Any, escape: Optional[str] = None) -> Any:
        return self.operate(ilike_op, other, escape=escape)

    def not_like(self, other: Any, escape: Optional[str] = None) -> Any:
        return self.operate(not_like_op, other, escape=escape)

    notlike = not_like

    def not_ilike(self, other: Any, escape: Optional[str] = None) -> Any:
        return self.operate(not_ilike_op, other, escape=escape)

    notilike = not_ilike

    def bitwise_xor(self, other: Any) -> Any:
        return self.operate(bitwise_xor_op, other)

    def bitwise_or(self, other: Any) -> Any:
        return self.operate(bitwise_or_op, other)

    def bitwise_and(self, other: Any) -> Any:
        return self.operate(bitwise_and_op, other)

    def bitwise_not(self) -> Any:
        return self.operate(bitwise_not_op)

    def bitwise_lshift(self, other: Any) -> Any:
        return self.operate(bitwise_lshift_op, other)

    def bitwise_rshift(self, other: Any) -> Any:
        return self.operate(bitwise_rshift_op, other)

    def in_(self, other: Any) -> Any:
        return self.operate(in_op, other)

    def not_in(self, other: Any) -> Any:
        return self.operate(not_in_op, other)

    notin_ = not_in

    def is_(self, other: Any) -> Any:
        return self.operate(is_, other)

    def is_not(self, other: Any) -> Any:
        return self.operate(is_not, other)

    isnot = is_not

    def is_distinct_from(self, other: Any) -> Any:
        return self.operate(is_distinct_from, other)

    def is_not_distinct_from(self, other: Any) -> Any:
        return self.operate(is_not_distinct_from, other)

    isnot_distinct_from = is_not_distinct_from

    def startswith(self, other: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
        return self.operate(startswith_op, other, escape=escape, autoescape=autoescape)

    def istartswith(self, other: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
        return self.operate(istartswith_op, other, escape=escape, autoescape=autoescape)

    def endswith(self, other: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
        return self.operate(endswith_op, other, escape=escape, autoescape=autoescape)

    def iendswith(self, other: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
        return self.operate(iendswith_op, other, escape=escape, autoescape=autoescape)

    def contains(self, other: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
        return self.operate(contains_op, other, escape=escape, autoescape=autoescape)

    def icontains(self, other: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
        return self.operate(icontains_op, other, escape=escape, autoescape=autoescape)

    def match(self, other: Any, **kwargs: Any) -> Any:
        return self.operate(match_op, other, **kwargs)

    def regexp_match(self, pattern: Any, flags: Optional[str] = None) -> Any:
        return self.operate(regexp_match_op, pattern, flags=flags)

    def regexp_replace(self, pattern: Any, replacement: Any, flags: Optional[str] = None) -> Any:
        return self.operate(regexp_replace_op, pattern, replacement=replacement, flags=flags)

    def desc(self) -> Any:
        return self.operate(desc_op)

    def asc(self) -> Any:
        return self.operate(asc_op)

    def nulls_first(self) -> Any:
        return self.operate(nulls_first_op)

    nullsfirst = nulls_first

    def nulls_last(self) -> Any:
        return self.operate(nulls_last_op)

    nullslast = nulls_last

    def collate(self, collation: str) -> Any:
        return self.operate(collate, collation)

    def distinct(self) -> Any:
        return self.operate(distinct_op)

    def any_(self) -> Any:
        return self.operate(any_op)

    def all_(self) -> Any:
        return self.operate(all_op)

    def between(self, cleft: Any, cright: Any, symmetric: bool = False) -> Any:
        return self.operate(between_op, cleft, cright, symmetric=symmetric)


# -- operator tokens that Python's `operator` module lacks ------------------------------------
# Each is a plain function so it can be a dict key and be called like its method.


def from_() -> Any:
    raise NotImplementedError()


def function_as_comparison_op() -> Any:
    raise NotImplementedError()


def as_() -> Any:
    raise NotImplementedError()


def exists() -> Any:
    raise NotImplementedError()


def is_true(a: Any) -> Any:
    raise NotImplementedError()


def is_false(a: Any) -> Any:
    raise NotImplementedError()


def is_distinct_from(a: Any, b: Any) -> Any:
    return a.is_distinct_from(b)


def is_not_distinct_from(a: Any, b: Any) -> Any:
    return a.is_not_distinct_from(b)


def is_(a: Any, b: Any) -> Any:
    return a.is_(b)


def is_not(a: Any, b: Any) -> Any:
    return a.is_not(b)


def collate(a: Any, b: Any) -> Any:
    return a.collate(b)


def op(a: Any, opstring: str, b: Any) -> Any:
    return a.op(opstring)(b)


def like_op(a: Any, b: Any, escape: Optional[str] = None) -> Any:
    return a.like(b, escape=escape)


def not_like_op(a: Any, b: Any, escape: Optional[str] = None) -> Any:
    return a.not_like(b, escape=escape)


def ilike_op(a: Any, b: Any, escape: Optional[str] = None) -> Any:
    return a.ilike(b, escape=escape)


def not_ilike_op(a: Any, b: Any, escape: Optional[str] = None) -> Any:
    return a.not_ilike(b, escape=escape)


def between_op(a: Any, b: Any, c: Any, symmetric: bool = False) -> Any:
    return a.between(b, c, symmetric=symmetric)


def not_between_op(a: Any, b: Any, c: Any, symmetric: bool = False) -> Any:
    return ~a.between(b, c, symmetric=symmetric)


def in_op(a: Any, b: Any) -> Any:
    return a.in_(b)


def not_in_op(a: Any, b: Any) -> Any:
    return a.not_in(b)


def distinct_op(a: Any) -> Any:
    return a.distinct()


def any_op(a: Any) -> Any:
    return a.any_()


def all_op(a: Any) -> Any:
    return a.all_()


def startswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return a.startswith(b, escape=escape, autoescape=autoescape)


def not_startswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return ~a.startswith(b, escape=escape, autoescape=autoescape)


def istartswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return a.istartswith(b, escape=escape, autoescape=autoescape)


def not_istartswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return ~a.istartswith(b, escape=escape, autoescape=autoescape)


def endswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return a.endswith(b, escape=escape, autoescape=autoescape)


def not_endswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return ~a.endswith(b, escape=escape, autoescape=autoescape)


def iendswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return a.iendswith(b, escape=escape, autoescape=autoescape)


def not_iendswith_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return ~a.iendswith(b, escape=escape, autoescape=autoescape)


def contains_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return a.contains(b, escape=escape, autoescape=autoescape)


def not_contains_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return ~a.contains(b, escape=escape, autoescape=autoescape)


def icontains_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return a.icontains(b, escape=escape, autoescape=autoescape)


def not_icontains_op(a: Any, b: Any, escape: Optional[str] = None, autoescape: bool = False) -> Any:
    return ~a.icontains(b, escape=escape, autoescape=autoescape)


def match_op(a: Any, b: Any, **kw: Any) -> Any:
    return a.match(b, **kw)


def not_match_op(a: Any, b: Any, **kw: Any) -> Any:
    return ~a.match(b, **kw)


def regexp_match_op(a: Any, b: Any, flags: Optional[str] = None) -> Any:
    return a.regexp_match(b, flags=flags)


def not_regexp_match_op(a: Any, b: Any, flags: Optional[str] = None) -> Any:
    return ~a.regexp_match(b, flags=flags)


def regexp_replace_op(a: Any, b: Any, replacement: Any, flags: Optional[str] = None) -> Any:
    return a.regexp_replace(b, replacement=replacement, flags=flags)


def comma_op(a: Any, b: Any) -> Any:
    raise NotImplementedError()


def filter_op(a: Any, b: Any) -> Any:
    raise NotImplementedError()


def concat_op(a: Any, b: Any) -> Any:
    try:
        concat = a.concat
    except AttributeError:
        return b._rconcat(a)
    return concat(b)


def desc_op(a: Any) -> Any:
    return a.desc()


def asc_op(a: Any) -> Any:
    return a.asc()


def nulls_first_op(a: Any) -> Any:
    return a.nulls_first()


def nulls_last_op(a: Any) -> Any:
    return a.nulls_last()


def json_getitem_op(a: Any, b: Any) -> Any:
    raise NotImplementedError()


def json_path_getitem_op(a: Any, b: Any) -> Any:
    raise NotImplementedError()


def bitwise_xor_op(a: Any, b: Any) -> Any:
    return a.bitwise_xor(b)


def bitwise_or_op(a: Any, b: Any) -> Any:
    return a.bitwise_or(b)


def bitwise_and_op(a: Any, b: Any) -> Any:
    return a.bitwise_and(b)


def bitwise_not_op(a: Any) -> Any:
    return a.bitwise_not()


def bitwise_lshift_op(a: Any, b: Any) -> Any:
    return a.bitwise_lshift(b)


def bitwise_rshift_op(a: Any, b: Any) -> Any:
    return a.bitwise_rshift(b)


def _asbool(a: Any) -> Any:
    raise NotImplementedError()


# SQLAlchemy 1.x spellings
notlike_op = not_like_op
notilike_op = not_ilike_op
notin_op = not_in_op
notbetween_op = not_between_op
isnot = is_not
isnot_distinct_from = is_not_distinct_from
nullsfirst_op = nulls_first_op
nullslast_op = nulls_last_op


# -- classification ---------------------------------------------------------------------------

_commutative = frozenset({eq, ne, add, mul})
_comparison = frozenset({
    eq, ne, lt, gt, ge, le, between_op, not_between_op, like_op, not_like_op, ilike_op,
    not_ilike_op, in_op, not_in_op, is_, is_not, is_distinct_from, is_not_distinct_from,
    startswith_op, not_startswith_op, endswith_op, not_endswith_op, contains_op,
    not_contains_op, istartswith_op, not_istartswith_op, iendswith_op, not_iendswith_op,
    icontains_op, not_icontains_op, match_op, not_match_op, regexp_match_op,
    not_regexp_match_op, is_true, is_false,
})
_associative = frozenset({concat_op, and_, or_, add, mul})
_natural_self_precedent = _associative | {getitem, json_getitem_op, json_path_getitem_op}


def is_comparison(op: Any) -> bool:
    return op in _comparison or (isinstance(op, custom_op) and op.is_comparison)


def is_commutative(op: Any) -> bool:
    return op in _commutative


def is_ordering_modifier(op: Any) -> bool:
    return op in (asc_op, desc_op, nulls_first_op, nulls_last_op)


def is_natural_self_precedent(op: Any) -> bool:
    return op in _natural_self_precedent or (
        isinstance(op, custom_op) and op.natural_self_precedent
    )


_SMALLEST = -100
_LARGEST = 100

# Binding strength: an expression under an operator of lower-or-equal strength than its own
# is parenthesized (see is_precedent). The numbers are SQLAlchemy's, so the same expressions
# get the same parentheses.
_PRECEDENCE: dict = {
    from_: 15, function_as_comparison_op: 15, any_op: 15, all_op: 15, getitem: 15,
    json_getitem_op: 15, json_path_getitem_op: 15, pow: 15,
    mul: 8, truediv: 8, floordiv: 8, mod: 8, neg: 8, bitwise_not_op: 8,
    add: 7, sub: 7, bitwise_xor_op: 7, bitwise_or_op: 7, bitwise_and_op: 7,
    bitwise_lshift_op: 7, bitwise_rshift_op: 7,
    filter_op: 6,
    concat_op: 5, match_op: 5, not_match_op: 5, regexp_match_op: 5, not_regexp_match_op: 5,
    regexp_replace_op: 5, ilike_op: 5, not_ilike_op: 5, like_op: 5, not_like_op: 5,
    in_op: 5, not_in_op: 5, is_: 5, is_not: 5, eq: 5, ne: 5, is_distinct_from: 5,
    is_not_distinct_from: 5, gt: 5, lt: 5, ge: 5, le: 5, between_op: 5, not_between_op: 5,
    distinct_op: 5, inv: 5, is_true: 5, is_false: 5,
    collate: 4,
    and_: 3, desc_op: 3, asc_op: 3,
    or_: 2,
    exists: 0,
    comma_op: -1, as_: -1,
    _asbool: -10,
}


def is_precedent(operator: Any, against: Any) -> bool:
    """Whether an expression built by `operator` needs parentheses inside one built by `against`."""
    if operator is against and is_natural_self_precedent(operator):
        return False
    if against is None:
        return True
    mine = _PRECEDENCE.get(operator)
    if mine is None:
        mine = getattr(operator, "precedence", _SMALLEST)
    theirs = _PRECEDENCE.get(against)
    if theirs is None:
        theirs = getattr(against, "precedence", _LARGEST)
    return mine <= theirs


# the operator a negation turns each one into (`~(a == b)` is `a != b`)
_NEGATIONS: dict = {
    eq: ne, ne: eq, lt: ge, ge: lt, gt: le, le: gt,
    like_op: not_like_op, not_like_op: like_op, ilike_op: not_ilike_op, not_ilike_op: ilike_op,
    in_op: not_in_op, not_in_op: in_op, is_: is_not, is_not: is_,
    is_distinct_from: is_not_distinct_from, is_not_distinct_from: is_distinct_from,
    between_op: not_between_op, not_between_op: between_op,
    match_op: not_match_op, not_match_op: match_op,
    regexp_match_op: not_regexp_match_op, not_regexp_match_op: regexp_match_op,
}
