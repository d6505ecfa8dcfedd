"""What each operator builds by default: `col == 5` -> BinaryExpression(col, bind, eq), ... .

type_api.TypeEngine.Comparator.operate() looks the operator up in OPERATOR_LOOKUP and calls
the function found with (expression, operator, *operands, *extra), where `extra` is usually
the negation operator. Type-specific Comparators (sqltypes.py) change the result type or the
operator (String `+` -> `||`) through `_adapt_expression`, or override an operator entirely.
"""

from __future__ import annotations

from typing import Any
from typing import Optional

from .. import exc
from . import coercions
from . import operators
from . import sqltypes
from . import type_api
from .elements import BinaryExpression
from .elements import ClauseList
from .elements import CollationClause
from .elements import CollectionAggregate
from .elements import False_
from .elements import Null
from .elements import True_
from .elements import UnaryExpression
from .elements import and_
from .elements import or_

_CONSTANTS = (Null, True_, False_)


def _boolean_compare(
    expr: Any,
    op: Any,
    obj: Any,
    negate_op: Any = None,
    reverse: bool = False,
    result_type: Any = None,
    **kwargs: Any,
) -> BinaryExpression:
    if result_type is None:
        result_type = type_api.BOOLEANTYPE
    if obj is None or obj is True or obj is False or obj.__class__ in _CONSTANTS:
        # x == None is IS NULL; x == True stays `= true` (`= 1` without a boolean type)
        if obj is None:
            obj = Null()
        elif obj is True:
            obj = True_()
        elif obj is False:
            obj = False_()
        if (op is operators.eq or op is operators.ne) and obj.__class__ is not Null:
            pass
        elif op is operators.is_distinct_from or op is operators.is_not_distinct_from:
            pass
        elif expr._is_collection_aggregate:
            pass
        elif op is operators.eq or op is operators.is_:
            op, negate_op = operators.is_, operators.is_not
        elif op is operators.ne or op is operators.is_not:
            op, negate_op = operators.is_not, operators.is_
        else:
            raise exc.ArgumentError(
                "Only '=', '!=', 'is_()', 'is_not()', 'is_distinct_from()', "
                "'is_not_distinct_from()' operators can be used with None/True/False"
            )
    else:
        obj = coercions.expect_binary_element(obj, expr, op)
    if reverse:
        return BinaryExpression(obj, expr, op, result_type, negate_op, kwargs)
    return BinaryExpression(expr, obj, op, result_type, negate_op, kwargs)


def _binary_operate(
    expr: Any, op: Any, obj: Any, reverse: bool = False, result_type: Any = None, **kw: Any
) -> BinaryExpression:
    obj = coercions.expect_binary_element(obj, expr, op)
    if reverse:
        left, right = obj, expr
    else:
        left, right = expr, obj
    if result_type is None:
        op, result_type = left.comparator._adapt_expression(op, right.comparator)
    return BinaryExpression(left, right, op, result_type, None, kw)


def _custom_op_operate(
    expr: Any, op: Any, obj: Any, reverse: bool = False, result_type: Any = None, **kw: Any
) -> BinaryExpression:
    if result_type is None:
        if op.return_type is not None:
            result_type = op.return_type
        elif op.is_comparison:
            result_type = type_api.BOOLEANTYPE
    return _binary_operate(expr, op, obj, reverse=reverse, result_type=result_type, **kw)


def _conjunction_operate(expr: Any, op: Any, other: Any, **kw: Any) -> Any:
    if op is operators.and_:
        return and_(expr, other)
    return or_(expr, other)


def _inv_impl(expr: Any, op: Any, **kw: Any) -> Any:
    return expr._negate()


def _neg_impl(expr: Any, op: Any, **kw: Any) -> UnaryExpression:
    return UnaryExpression(expr, operator=operators.neg, type_=expr.type)


def _bitwise_not_impl(expr: Any, op: Any, **kw: Any) -> UnaryExpression:
    return UnaryExpression(expr, operator=operators.bitwise_not_op, type_=expr.type)


def _distinct_impl(expr: Any, op: Any, **kw: Any) -> UnaryExpression:
    return UnaryExpression(expr, operator=operators.distinct_op, type_=expr.type)


def _modifier(modifier: Any) -> Any:
    def impl(expr: Any, op: Any, **kw: Any) -> UnaryExpression:
        return UnaryExpression(expr, modifier=modifier)

    return impl


def _any_all_impl(expr: Any, op: Any, **kw: Any) -> CollectionAggregate:
    type_ = getattr(expr.type, "item_type", None) or type_api.NULLTYPE
    return CollectionAggregate(expr, operator=op, type_=type_)


def _in_impl(expr: Any, op: Any, seq_or_selectable: Any, negate_op: Any, **kw: Any) -> BinaryExpression:
    seq = coercions.expect_in(seq_or_selectable, expr, op)
    return _boolean_compare(expr, op, seq, negate_op, **kw)


def _between_impl(expr: Any, op: Any, cleft: Any, cright: Any, symmetric: bool = False, **kw: Any) -> BinaryExpression:
    bounds = ClauseList(
        coercions.expect_binary_element(cleft, expr, operators.and_),
        coercions.expect_binary_element(cright, expr, operators.and_),
        operator=operators.and_, group=False, group_contents=False,
    )
    negate = operators.not_between_op if op is operators.between_op else operators.between_op
    return BinaryExpression(expr, bounds, op, None, negate, {"symmetric": symmetric} if symmetric else None)


def _collate_impl(expr: Any, op: Any, collation: str, **kw: Any) -> BinaryExpression:
    return BinaryExpression(expr, CollationClause(collation), operators.collate, type_=expr.type)


def _like_impl(
    expr: Any, op: Any, other: Any, negate_op: Any, escape: Optional[str] = None,
    autoescape: bool = False, **kw: Any
) -> BinaryExpression:
    if autoescape:
        if autoescape is not True:
            raise exc.ArgumentError("The autoescape parameter is now a simple boolean True/False")
        if escape is None:
            escape = "/"
        if not isinstance(other, str):
            raise TypeError("String value expected when autoescape=True")
        if escape not in ("%", "_"):
            other = other.replace(escape, escape + escape)
        other = other.replace("%", escape + "%").replace("_", escape + "_")
    if escape is not None:
        kw["escape"] = escape
    return _boolean_compare(expr, op, other, negate_op, **kw)


def _match_impl(expr: Any, op: Any, other: Any, **kw: Any) -> BinaryExpression:
    negate = operators.not_match_op if op is operators.match_op else operators.match_op
    return _boolean_compare(expr, operators.match_op, other, negate,
                            result_type=type_api.MATCHTYPE, **kw)


def _regexp_match_impl(expr: Any, op: Any, pattern: Any, flags: Optional[str] = None, **kw: Any) -> BinaryExpression:
    negate = (operators.not_regexp_match_op if op is operators.regexp_match_op
              else operators.regexp_match_op)
    modifiers = {"flags": flags} if flags is not None else None
    return BinaryExpression(
        expr, coercions.expect_binary_element(pattern, expr, op), op,
        type_api.BOOLEANTYPE, negate, modifiers,
    )


def _regexp_replace_impl(expr: Any, op: Any, pattern: Any, replacement: Any,
                         flags: Optional[str] = None, **kw: Any) -> BinaryExpression:
    args = ClauseList(
        coercions.expect_binary_element(pattern, expr, op),
        coercions.expect_binary_element(replacement, expr, op),
        group=False,
    )
    modifiers = {"flags": flags} if flags is not None else None
    return BinaryExpression(expr, args, op, expr.type, None, modifiers)


def _getitem_impl(expr: Any, op: Any, other: Any, **kw: Any) -> Any:
    if isinstance(expr.type, sqltypes.Indexable):
        return _binary_operate(expr, op, other, **kw)
    raise NotImplementedError("Operator 'getitem' is not supported on this expression")


def _unsupported_impl(expr: Any, op: Any, *arg: Any, **kw: Any) -> Any:
    raise NotImplementedError(f"Operator {op.__name__!r} is not supported on this expression")


# operator -> (function, extra positional arguments after the operands)
OPERATOR_LOOKUP: dict = {
    operators.and_: (_conjunction_operate,),
    operators.or_: (_conjunction_operate,),
    operators.inv: (_inv_impl,),
    operators.add: (_binary_operate,),
    operators.mul: (_binary_operate,),
    operators.sub: (_binary_operate,),
    operators.truediv: (_binary_operate,),
    operators.floordiv: (_binary_operate,),
    operators.mod: (_binary_operate,),
    operators.pow: (_binary_operate,),
    operators.concat_op: (_binary_operate,),
    operators.json_getitem_op: (_binary_operate,),
    operators.json_path_getitem_op: (_binary_operate,),
    operators.bitwise_xor_op: (_binary_operate,),
    operators.bitwise_or_op: (_binary_operate,),
    operators.bitwise_and_op: (_binary_operate,),
    operators.bitwise_lshift_op: (_binary_operate,),
    operators.bitwise_rshift_op: (_binary_operate,),
    operators.bitwise_not_op: (_bitwise_not_impl,),
    operators.lt: (_boolean_compare, operators.ge),
    operators.le: (_boolean_compare, operators.gt),
    operators.ne: (_boolean_compare, operators.eq),
    operators.gt: (_boolean_compare, operators.le),
    operators.ge: (_boolean_compare, operators.lt),
    operators.eq: (_boolean_compare, operators.ne),
    operators.is_distinct_from: (_boolean_compare, operators.is_not_distinct_from),
    operators.is_not_distinct_from: (_boolean_compare, operators.is_distinct_from),
    operators.is_: (_boolean_compare, operators.is_not),
    operators.is_not: (_boolean_compare, operators.is_),
    operators.like_op: (_like_impl, operators.not_like_op),
    operators.ilike_op: (_like_impl, operators.not_ilike_op),
    operators.not_like_op: (_like_impl, operators.like_op),
    operators.not_ilike_op: (_like_impl, operators.ilike_op),
    operators.contains_op: (_like_impl, operators.not_contains_op),
    operators.icontains_op: (_like_impl, operators.not_icontains_op),
    operators.startswith_op: (_like_impl, operators.not_startswith_op),
    operators.istartswith_op: (_like_impl, operators.not_istartswith_op),
    operators.endswith_op: (_like_impl, operators.not_endswith_op),
    operators.iendswith_op: (_like_impl, operators.not_iendswith_op),
    operators.desc_op: (_modifier(operators.desc_op),),
    operators.asc_op: (_modifier(operators.asc_op),),
    operators.nulls_first_op: (_modifier(operators.nulls_first_op),),
    operators.nulls_last_op: (_modifier(operators.nulls_last_op),),
    operators.in_op: (_in_impl, operators.not_in_op),
    operators.not_in_op: (_in_impl, operators.in_op),
    operators.collate: (_collate_impl,),
    operators.match_op: (_match_impl,),
    operators.not_match_op: (_match_impl,),
    operators.distinct_op: (_distinct_impl,),
    operators.between_op: (_between_impl,),
    operators.not_between_op: (_between_impl,),
    operators.neg: (_neg_impl,),
    operators.getitem: (_getitem_impl,),
    operators.lshift: (_unsupported_impl,),
    operators.rshift: (_unsupported_impl,),
    operators.contains: (_unsupported_impl,),
    operators.regexp_match_op: (_regexp_match_impl,),
    operators.not_regexp_match_op: (_regexp_match_impl,),
    operators.regexp_replace_op: (_regexp_replace_impl,),
    operators.any_op: (_any_all_impl,),
    operators.all_op: (_any_all_impl,),
}

CUSTOM_OP = (_custom_op_operate,)

type_api._OPERATOR_LOOKUP = OPERATOR_LOOKUP
type_api._CUSTOM_OP = CUSTOM_OP
