"""Turn what users pass into SQL elements: literals into bound parameters, ORM attributes
(anything with `__clause_element__`) into their columns, SELECTs into scalar subqueries.

Each `expect_*` function serves one place in a statement (an operand, a WHERE criterion, an
ORDER BY item, the right side of IN) and raises ArgumentError with SQLAlchemy's wording for
what does not belong there. The common case (already an element) is one attribute test.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any
from typing import Optional

from .. import exc
from .. import inspection
from . import operators


_PLAIN_VALUES = frozenset({int, str, float, bytes, decimal.Decimal, dt.date, dt.datetime, uuid.UUID})


def _clause_element(obj: Any) -> Any:
    """An object's SQL element: itself, or what its `__clause_element__()` returns."""
    seen = 0
    while not getattr(obj, "_is_clause_element", False):
        ce = getattr(obj, "__clause_element__", None)
        if ce is None and isinstance(obj, type):
            # a mapped class (`select(User)`, `exists().select_from(User)`): its mapper's
            # selectable, found through inspect() so that sql never imports orm
            ce = _inspected(obj)
        if ce is None or seen > 10:
            return None
        obj = ce()
        seen += 1
    return obj


def _inspected(obj: Any) -> Any:
    """The `__clause_element__` of what inspect(obj) returns, or None."""
    found = inspection.inspect(obj, raiseerr=False)
    return None if found is None else getattr(found, "__clause_element__", None)


def _select_as_scalar(obj: Any) -> Any:
    # a SELECT used as a value is its scalar subquery (`col == select(...)`)
    return obj.scalar_subquery()


def expect_expression(obj: Any, name: Optional[str] = None, type_: Any = None) -> Any:
    """A column expression; a plain value becomes a unique bound parameter (named `name`)."""
    if getattr(obj, "_is_column_element", False):
        return obj
    from .elements import BindParameter
    from .elements import Null

    element = _clause_element(obj)
    if element is not None:
        if element._is_column_element or element._is_text_clause:
            return element
        if element._is_select_statement:
            return _select_as_scalar(element)
        if getattr(element, "_is_from_clause", False):
            raise exc.ArgumentError(
                f"SQL expression element expected, got {element!r}. To create a column "
                "expression from a FROM clause row as a whole, use the .table_valued() method."
            )
        return element
    if obj is None:
        return Null()
    return BindParameter(name, obj, type_=type_, unique=True)


def expect_binary_element(obj: Any, expr: Any, operator: Any) -> Any:
    """The right side of `expr <operator> obj`: values become binds typed after `expr`."""
    if obj.__class__ in _PLAIN_VALUES:  # the common case, first: `col == 5`
        return expr._bind_param(operator, obj)
    if getattr(obj, "_is_column_element", False):
        return obj
    element = _clause_element(obj)
    if element is not None:
        if element._is_select_statement:
            return _select_as_scalar(element)
        if getattr(element, "_is_from_clause", False):
            raise exc.ArgumentError(
                f"SQL expression element expected, got {element!r}."
            )
        return element
    return expr._bind_param(operator, obj)


def expect_where(obj: Any) -> Any:
    """A WHERE / HAVING / ON criterion: an expression; True / False as true() / false()."""
    if getattr(obj, "_is_column_element", False):
        return obj
    from .elements import False_
    from .elements import True_

    if obj is True:
        return True_()
    if obj is False:
        return False_()
    element = _clause_element(obj)
    if element is not None:
        if element._is_select_statement:
            return _select_as_scalar(element)
        return element
    if isinstance(obj, str):
        raise exc.ArgumentError(
            f"Textual SQL expression {_truncate(obj)!r} should be explicitly declared as "
            f"text({_truncate(obj)!r})"
        )
    raise exc.ArgumentError(
        f"SQL expression for WHERE/HAVING role expected, got {obj!r}."
    )


def expect_by_clause(obj: Any) -> Any:
    """An ORDER BY / GROUP BY / PARTITION BY item; a string names a label of the SELECT."""
    if getattr(obj, "_is_column_element", False):
        return obj
    element = _clause_element(obj)
    if element is not None:
        if element._is_select_statement:
            return _select_as_scalar(element)
        return element
    if isinstance(obj, str):
        from .elements import _textual_label_reference

        return _textual_label_reference(obj)
    return expect_expression(obj)


def expect_in(obj: Any, expr: Any, operator: Any) -> Any:
    """The right side of IN: a list/tuple of values (one expanding bind, or a list of
    elements when any is an element), a SELECT, or an expanding bindparam()."""
    from .elements import BindParameter
    from .elements import ClauseList
    from .elements import Tuple

    element = _clause_element(obj)
    if element is not None:
        if element._is_select_statement:
            return element.scalar_subquery().self_group(against=operator)
        if element._is_bind_parameter:
            if not element.expanding or element.expand_op is not operator:
                element = element._with_value(element.value, required=element.required)
                element.expanding = True
                element.expand_op = operator
            return element
        if getattr(element, "_is_from_clause", False):
            raise exc.ArgumentError(
                f"IN expression list, SELECT construct, or bound parameter object expected, "
                f"got {element!r}."
            )
        if element._is_text_clause or isinstance(element, ClauseList):
            return element.self_group(against=operator)
        return element
    if isinstance(obj, (str, bytes)) or not hasattr(obj, "__iter__") or isinstance(obj, dict):
        raise exc.ArgumentError(
            f"IN expression list, SELECT construct, or bound parameter object expected, got {obj!r}."
        )
    values = list(obj)
    has_elements = False
    for value in values:
        if getattr(value, "_is_clause_element", False) or hasattr(value, "__clause_element__"):
            has_elements = True
            break
    is_tuple = isinstance(expr, Tuple)
    if not has_elements:
        if is_tuple:
            values = [tuple(v) if isinstance(v, list) else v for v in values]
        bind = expr._bind_param(operator, values, expanding=True)
        bind.expand_op = operator
        return bind
    converted = []
    for value in values:
        element = _clause_element(value)
        if element is None:
            if is_tuple and isinstance(value, (tuple, list)):
                element = expr._bind_param(operator, tuple(value))
            else:
                element = expr._bind_param(operator, value)
        converted.append(element)
    return ClauseList(*converted).self_group(against=operator)


def _truncate(text: str) -> str:
    return text if len(text) < 100 else text[:100] + "..."


def expect_columns_clause(obj: Any) -> Any:
    """A column of a SELECT's list: an element; plain strings and numbers are refused."""
    if getattr(obj, "_is_column_element", False):
        return obj
    element = _clause_element(obj)
    if element is not None:
        return element
    if isinstance(obj, str):
        raise exc.ArgumentError(
            f"Textual column expression {_truncate(obj)!r} should be explicitly declared with "
            f"text({_truncate(obj)!r}), or use column({_truncate(obj)!r}) for more specificity"
        )
    raise exc.ArgumentError(
        f"Column expression, FROM clause, or other columns clause element expected, got {obj!r}."
    )


__all__ = [
    "expect_expression", "expect_binary_element", "expect_where", "expect_by_clause",
    "expect_in", "expect_columns_clause", "operators",
]
