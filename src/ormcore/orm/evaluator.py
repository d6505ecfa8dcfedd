"""Evaluate SQL criteria and values in Python, against objects of the identity map.

ORM-enabled UPDATE / DELETE with synchronize_session="evaluate" (or "auto") find the loaded
objects a WHERE clause matches, and the new values of matched objects, without asking the
database: `evaluator(mapper, clause)` compiles the clause into a function of one object.
Only the mapper's own columns, literals, and/or/not and simple operators evaluate; anything
else raises Unevaluable, and the caller falls back to fetching. SQL's NULL logic is kept
(None for an unknown comparison); reading an attribute that is not loaded gives EXPIRED.
"""

from __future__ import annotations

import operator
from typing import Any

from ..sql import elements as el
from ..sql import operators as ops

__all__ = ["EXPIRED", "Unevaluable", "evaluator"]


class Unevaluable(Exception):
    """An expression the Python evaluator cannot compute."""


# what an attribute that is not loaded evaluates to: the object matches, and is expired
EXPIRED = object()


def _straight(op: Any) -> Any:
    def evaluate(left: Any, right: Any) -> Any:
        if left is None or right is None:
            return None
        return op(left, right)

    return evaluate


def _binary_ops() -> dict:
    table = {op: _straight(op) for op in (
        operator.add, operator.sub, operator.mul, operator.mod, operator.lt, operator.le,
        operator.gt, operator.ge, operator.eq, operator.ne)}
    table[ops.concat_op] = _straight(operator.add)
    table[ops.is_] = lambda left, right: left is right if right is None else left == right
    table[ops.is_not] = lambda left, right: left is not right if right is None else left != right
    table[ops.is_distinct_from] = lambda left, right: left != right
    table[ops.is_not_distinct_from] = lambda left, right: left == right
    table[ops.in_op] = lambda left, right: None if left is None else left in right
    table[ops.not_in_op] = lambda left, right: None if left is None else left not in right
    return table


_BINARY_OPS = _binary_ops()


def evaluator(mapper: Any, clause: Any) -> Any:
    """A function obj -> the value of `clause` for the mapped object (None for SQL NULL,
    EXPIRED when it reads an attribute that is not loaded); Unevaluable when the clause
    holds anything but the mapper's own columns, literals and simple operators."""
    if hasattr(clause, "__clause_element__"):
        clause = clause.__clause_element__()
    if not isinstance(clause, el.ClauseElement):
        return lambda obj: clause
    if isinstance(clause, el.Grouping):
        return evaluator(mapper, clause.element)
    if isinstance(clause, el.BindParameter):
        if clause.callable is not None:
            return lambda obj: clause.callable()
        value = clause.value
        return lambda obj: value
    if isinstance(clause, el.Null):
        return lambda obj: None
    if isinstance(clause, el.True_):
        return lambda obj: True
    if isinstance(clause, el.False_):
        return lambda obj: False
    if isinstance(clause, el.BooleanClauseList):
        subs = [evaluator(mapper, c) for c in clause.clauses]
        if clause.operator is operator.and_:
            return lambda obj: _and(subs, obj)
        if clause.operator is operator.or_:
            return lambda obj: _or(subs, obj)
        raise Unevaluable(f"Cannot evaluate {type(clause).__name__}")
    if isinstance(clause, el.BinaryExpression):
        fn = _BINARY_OPS.get(clause.operator)
        if fn is None:
            raise Unevaluable(
                f"Cannot evaluate {type(clause).__name__} with operator {clause.operator}")
        left = evaluator(mapper, clause.left)
        right = evaluator(mapper, clause.right)

        def evaluate(obj: Any) -> Any:
            lvalue, rvalue = left(obj), right(obj)
            if lvalue is EXPIRED or rvalue is EXPIRED:
                return EXPIRED
            return fn(lvalue, rvalue)

        return evaluate
    if isinstance(clause, el.UnaryExpression) and clause.modifier is None and clause.operator in (
            operator.neg, ops.inv):
        inner = evaluator(mapper, clause.element)
        apply = operator.neg if clause.operator is operator.neg else operator.not_

        def evaluate_unary(obj: Any) -> Any:
            value = inner(obj)
            if value is EXPIRED or value is None:
                return value
            return apply(value)

        return evaluate_unary
    prop = mapper._columntoproperty.get(clause) if hasattr(clause, "table") else None
    if prop is not None:
        key = prop.key

        def attribute(obj: Any) -> Any:
            return obj.__dict__.get(key, EXPIRED)

        return attribute
    raise Unevaluable(f"Cannot evaluate {type(clause).__name__}")


def _and(subs: list, obj: Any) -> Any:
    has_null = False
    for sub in subs:
        value = sub(obj)
        if value is EXPIRED:
            return EXPIRED
        if not value:
            if value is None:
                has_null = True
            else:
                return False
    return None if has_null else True


def _or(subs: list, obj: Any) -> Any:
    has_null = False
    for sub in subs:
        value = sub(obj)
        if value is EXPIRED:
            return EXPIRED
        if value:
            return True
        if value is None:
            has_null = True
    return None if has_null else False
