"""Turn a statement into SQL text for one dialect, and prepare its parameters at execution.

A `Compiled` is made once per (statement shape, dialect) and cached by the engine; every later
execution of the same shape reuses it. So the compiler does all per-shape work up front: bind
names in the driver's paramstyle, type processors resolved, and a flag (`_passthrough`) telling
the engine it may hand the user's parameter dicts to the driver untouched, which is what the
common case (text() with plain values on a named/pyformat driver) needs to run at driver speed.
"""

from __future__ import annotations

import operator as _operator
import re
from typing import TYPE_CHECKING
from typing import Any
from typing import Optional
from typing import Sequence

from .. import exc
from . import elements
from . import operators
from . import sqltypes
from .compile_dml import DMLCompiler
from .compile_select import SelectCompiler
from .elements import _BIND_PARAMS
from .elements import _BIND_PARAMS_ESC
from .identifiers import quoted_name

if TYPE_CHECKING:
    from .elements import BindParameter
    from .elements import ClauseElement

_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")

# SQL text of each operator rendered the generic way: `left<text>right`, `<text>operand`,
# `operand<text>`; the rest have a visit_<name>_binary / _unary_operator / _unary_modifier
OPERATORS: dict = {
    operators.and_: " AND ",
    operators.or_: " OR ",
    operators.add: " + ",
    operators.mul: " * ",
    operators.sub: " - ",
    operators.mod: " % ",
    operators.neg: "-",
    operators.lt: " < ",
    operators.le: " <= ",
    operators.ne: " != ",
    operators.gt: " > ",
    operators.ge: " >= ",
    operators.eq: " = ",
    operators.is_distinct_from: " IS DISTINCT FROM ",
    operators.is_not_distinct_from: " IS NOT DISTINCT FROM ",
    operators.concat_op: " || ",
    operators.match_op: " MATCH ",
    operators.not_match_op: " NOT MATCH ",
    operators.in_op: " IN ",
    operators.not_in_op: " NOT IN ",
    operators.comma_op: ", ",
    operators.from_: " FROM ",
    operators.as_: " AS ",
    operators.is_: " IS ",
    operators.is_not: " IS NOT ",
    operators.collate: " COLLATE ",
    operators.inv: "NOT ",
    operators.exists: "EXISTS ",
    operators.distinct_op: "DISTINCT ",
    operators.any_op: "ANY ",
    operators.all_op: "ALL ",
    operators.desc_op: " DESC",
    operators.asc_op: " ASC",
    operators.nulls_first_op: " NULLS FIRST",
    operators.nulls_last_op: " NULLS LAST",
    operators.bitwise_xor_op: " ^ ",
    operators.bitwise_or_op: " | ",
    operators.bitwise_and_op: " & ",
    operators.bitwise_not_op: "~",
    operators.bitwise_lshift_op: " << ",
    operators.bitwise_rshift_op: " >> ",
    operators.pow: " ^ ",
}

# ANSI functions written without parentheses when called without arguments
FUNCTIONS: dict = {
    "current_date": "CURRENT_DATE",
    "current_time": "CURRENT_TIME",
    "current_timestamp": "CURRENT_TIMESTAMP",
    "current_user": "CURRENT_USER",
    "localtime": "LOCALTIME",
    "localtimestamp": "LOCALTIMESTAMP",
    "session_user": "SESSION_USER",
    "sysdate": "SYSDATE",
    "user": "USER",
}

EXTRACT_MAP = {
    "month": "month", "day": "day", "year": "year", "second": "second", "hour": "hour",
    "doy": "doy", "minute": "minute", "quarter": "quarter", "dow": "dow", "week": "week",
    "epoch": "epoch", "milliseconds": "milliseconds", "microseconds": "microseconds",
    "timezone_hour": "timezone_hour", "timezone_minute": "timezone_minute",
}

_LIKE_PERCENT = elements.literal_column("'%'", type_=sqltypes.STRINGTYPE)


def _lower(expr: Any) -> Any:
    from .functions import func

    return func.lower(expr)
_SAFE_BIND_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UNSAFE_BIND_CHARS = re.compile(r"[^A-Za-z0-9_]")


class Compiled:
    """SQL text for one dialect, made from a statement or DDL element."""

    params: dict = {}

    def __init__(self, dialect: Any, statement: Optional["ClauseElement"], **kw: Any) -> None:
        self.dialect = dialect
        self.statement = statement
        self.preparer = dialect.identifier_preparer
        self.string = self.process(statement, **kw) if statement is not None else ""

    def process(self, element: "ClauseElement", **kw: Any) -> str:
        return element._compiler_dispatch(self, **kw)

    def __str__(self) -> str:
        return self.string


class SQLCompiler(SelectCompiler, DMLCompiler, Compiled):
    """Compiles SQL statements: text(), bound parameters, and (as the expression language
    grows) select/insert/update/delete. Knows the dialect's paramstyle."""

    is_ddl = False
    isinsert = False
    isupdate = False
    isdelete = False
    returning: Optional[Sequence[Any]] = None
    # (column names, ResultMetaData) of the last cursor description seen; see engine/cursor.py
    _result_meta_cache: Optional[tuple] = None
    # what the mapping layer planned for this statement's rows (orm/loading.py), kept here
    # because the compiled-cache key already covers everything the plan depends on
    _orm_plan: Any = None

    def __init__(
        self,
        dialect: Any,
        statement: Optional["ClauseElement"],
        *,
        literal_binds: bool = False,
        compile_kwargs: Optional[dict] = None,
        **kw: Any,
    ) -> None:
        self.literal_binds = literal_binds or bool((compile_kwargs or {}).get("literal_binds"))
        self.positional = dialect.positional
        self.paramstyle = dialect.paramstyle
        self.binds: dict[str, "BindParameter"] = {}  # rendered name -> first bind of that name
        self.bind_names: dict["BindParameter", str] = {}  # every bind visited -> rendered name
        self.bind_order: list[str] = []  # rendered names in order of first appearance
        self.positiontup: list[str] = []  # keys per placeholder, for positional paramstyles
        self.escaped_bind_names: dict[str, str] = {}
        # binds rendered per execution into the SQL (`__[POSTCOMPILE_name]` until then):
        # expanding IN lists and literal_execute values
        self.expanding: list[str] = []
        self._literal_execute: set[str] = set()  # those of self.expanding rendered as literals
        self._anon_counters: dict[str, int] = {}
        self._anon_label_map: dict[str, str] = {}
        self._result_columns: Optional[list] = None
        self._ordered_columns = True
        self.is_select = bool(getattr(statement, "is_select", False))
        self.is_text = bool(getattr(statement, "is_text", False))
        # pyformat/format drivers read % as a placeholder, so literal ones are doubled
        self._double_percents = dialect.paramstyle in ("pyformat", "format")
        super().__init__(dialect, statement, **(compile_kwargs or {}), **kw)
        self._prepare_execution()

    # -- visiting ----------------------------------------------------------------------------

    def visit_textclause(self, textclause: Any, **kw: Any) -> str:
        def replace(match: re.Match) -> str:
            name = match.group(1)
            bind = textclause._bindparams.get(name)
            return self.process(bind, **kw)

        text = textclause.text
        if self._double_percents:
            text = text.replace("%", "%%")
        return _BIND_PARAMS_ESC.sub(lambda m: ":" + m.group(1), _BIND_PARAMS.sub(replace, text))

    def visit_textual_select(self, select: Any, **kw: Any) -> str:
        stack = self.stack
        # the result columns are those of the statement itself, or of a compound's first
        # member; not those of a subquery, CTE or IN
        if not stack or (kw.get("compound_index") == 0
                         and stack[-1].get("need_result_map_for_compound")):
            self._result_columns = [
                (col.key, col.name, (col, col.key, col.name), col.type)
                for col in select.column_args
            ]
            self._ordered_columns = select.positional
        return self.process(select.element, **kw)

    # -- names made up at compile time ------------------------------------------------------

    def _anon_label(self, name: Any) -> Any:
        """`name`, or for an anonymous name (`%(<ident> <base>)s`, elements._anonymous_label)
        the `<base>_<n>` it gets in this compilation, the same on every use.

        Counters are shared with unique bind names, as SQLAlchemy's are: x_1 (a bind), x_2
        (an anonymous label of column x), x_3 (the next bind).
        """
        if type(name) is str or not isinstance(name, str) or name[:2] != "%(":
            return name
        names = self._anon_label_map
        found = names.get(name)
        if found is None:
            base = getattr(name, "base", None)
            if base is None:
                base = name[2:-2].split(" ", 1)[1]
            found = names[name] = self._unique_bind_name(base)
        return found

    def escape_literal_column(self, text: str) -> str:
        return text.replace("%", "%%") if self._double_percents else text

    # -- columns and labels -----------------------------------------------------------------

    def visit_column(
        self,
        column: Any,
        include_table: bool = True,
        add_to_result_map: Any = None,
        result_map_targets: tuple = (),
        **kw: Any,
    ) -> str:
        name = column.name
        if name is None:
            raise exc.CompileError(
                "Cannot compile Column object until its 'name' is assigned."
            )
        if column.is_literal:
            text = self.escape_literal_column(name)
        else:
            name = self._anon_label(name)
            text = self.preparer.quote(name)
        if add_to_result_map is not None:
            add_to_result_map(name, name, (column, name, column.key) + result_map_targets,
                              column.type)
        table = column.table
        if table is None or not include_table or not getattr(table, "named_with_column", False):
            return text
        preparer = self.preparer
        prefix = preparer.quote(self._anon_label(table.name))
        schema = getattr(table, "schema", None)
        if schema:
            prefix = preparer.quote_schema(schema) + "." + prefix
        return prefix + "." + text

    def visit_label(
        self,
        label: Any,
        add_to_result_map: Any = None,
        within_label_clause: bool = False,
        within_columns_clause: bool = False,
        render_label_as_label: Any = None,
        result_map_targets: tuple = (),
        **kw: Any,
    ) -> str:
        render_with_as = within_columns_clause and not within_label_clause
        if render_label_as_label is label:
            return self.preparer.format_label_name(self._anon_label(label.name))
        if render_with_as:
            labelname = self._anon_label(label.name)
            if add_to_result_map is not None:
                add_to_result_map(
                    labelname, label.name,
                    (label, labelname) + result_map_targets, label.type,
                )
            inner = label.element._compiler_dispatch(
                self, within_columns_clause=True, within_label_clause=True, **kw
            )
            return inner + " AS " + self.preparer.format_label_name(labelname)
        return label.element._compiler_dispatch(self, within_columns_clause=False, **kw)

    def visit_textual_label_reference(self, element: Any, within_columns_clause: bool = False,
                                      _label_resolve_dict: Optional[dict] = None, **kw: Any) -> str:
        name = element.element
        target = None if _label_resolve_dict is None else _label_resolve_dict.get(name)
        if target is None:
            raise exc.CompileError(
                "Can't resolve label reference for ORDER BY / GROUP BY / DISTINCT etc. "
                f"Textual SQL expression {name!r} should be explicitly declared as text({name!r})"
            )
        if target.__visit_name__ == "label":
            return self.preparer.format_label_name(self._anon_label(target.name))
        return target._compiler_dispatch(self, **kw)

    # -- constants --------------------------------------------------------------------------

    def visit_null(self, expr: Any, **kw: Any) -> str:
        return "NULL"

    def visit_true(self, expr: Any, **kw: Any) -> str:
        return "true" if self.dialect.supports_native_boolean else "1"

    def visit_false(self, expr: Any, **kw: Any) -> str:
        return "false" if self.dialect.supports_native_boolean else "0"

    # -- operator expressions ---------------------------------------------------------------

    def visit_grouping(self, grouping: Any, **kw: Any) -> str:
        return "(" + grouping.element._compiler_dispatch(self, **kw) + ")"

    def visit_clauselist(self, clauselist: Any, **kw: Any) -> str:
        operator = clauselist.operator
        sep = OPERATORS.get(operator)
        if sep is None:
            sep = " " + operator.opstring + " "
        rendered = (c._compiler_dispatch(self, **kw) for c in clauselist.clauses)
        return sep.join(s for s in rendered if s)

    def visit_tuple(self, clauselist: Any, **kw: Any) -> str:
        return "(" + self.visit_clauselist(clauselist, **kw) + ")"

    def visit_binary(self, binary: Any, override_operator: Any = None,
                     eager_grouping: bool = False, **kw: Any) -> str:
        operator = override_operator or binary.operator
        disp = getattr(self, "visit_" + operator.__name__ + "_binary", None)
        if disp is not None:
            return disp(binary, operator, **kw)
        try:
            opstring = OPERATORS[operator]
        except KeyError:
            raise exc.UnsupportedCompilationError(self, operator) from None
        return self._generate_generic_binary(binary, opstring, **kw)

    def _generate_generic_binary(self, binary: Any, opstring: str, eager_grouping: bool = False,
                                 **kw: Any) -> str:
        # eager_grouping: parenthesized when inside another operator (`(j -> 'a') -> 'b'`)
        nested = kw.get("_in_operator_expression", False)
        kw["_in_operator_expression"] = True
        text = (
            binary.left._compiler_dispatch(self, eager_grouping=eager_grouping, **kw)
            + opstring
            + binary.right._compiler_dispatch(self, eager_grouping=eager_grouping, **kw)
        )
        if nested and eager_grouping:
            return "(" + text + ")"
        return text

    def visit_custom_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        if operator.visit_name:
            disp = getattr(self, f"visit_{operator.visit_name}_op_binary", None)
            if disp is not None:
                return disp(binary, operator, **kw)
        return self._generate_generic_binary(
            binary, " " + self.escape_literal_column(operator.opstring) + " ",
            eager_grouping=operator.eager_grouping, **kw
        )

    def visit_unary(self, unary: Any, **kw: Any) -> str:
        operator = unary.operator
        modifier = unary.modifier
        if operator is not None:
            if modifier is not None:
                raise exc.CompileError(
                    "Unary expression does not support operator and modifier simultaneously"
                )
            if operator is operators.distinct_op and not kw.get("within_aggregate_function"):
                import warnings

                warnings.warn(
                    "Column-expression-level unary distinct() should not be used outside of "
                    "an aggregate function. For general 'SELECT DISTINCT' support use "
                    "select().distinct().", exc.SAWarning, stacklevel=2,
                )
            disp = getattr(self, "visit_" + operator.__name__ + "_unary_operator", None)
            if disp is not None:
                return disp(unary, operator, **kw)
            opstring = OPERATORS.get(operator)
            if opstring is None:
                opstring = self.escape_literal_column(operator.opstring) + " "
            return opstring + unary.element._compiler_dispatch(self, **kw)
        if modifier is not None:
            disp = getattr(self, "visit_" + modifier.__name__ + "_unary_modifier", None)
            if disp is not None:
                return disp(unary, modifier, **kw)
            opstring = OPERATORS.get(modifier)
            if opstring is None:
                opstring = " " + self.escape_literal_column(modifier.opstring)
            return unary.element._compiler_dispatch(self, **kw) + opstring
        raise exc.CompileError("Unary expression has no operator or modifier")

    def visit_is_true_unary_operator(self, unary: Any, operator: Any, **kw: Any) -> str:
        element = unary.element
        if element._is_implicitly_boolean or self.dialect.supports_native_boolean:
            return element._compiler_dispatch(self, **kw)
        return element._compiler_dispatch(self, **kw) + " = 1"

    def visit_is_false_unary_operator(self, unary: Any, operator: Any, **kw: Any) -> str:
        element = unary.element
        if element._is_implicitly_boolean or self.dialect.supports_native_boolean:
            return "NOT " + element.self_group(against=operators.inv)._compiler_dispatch(self, **kw)
        return element._compiler_dispatch(self, **kw) + " = 0"

    def visit_mod_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        opstring = " %% " if self._double_percents else " % "
        return self._generate_generic_binary(binary, opstring, **kw)

    def visit_truediv_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        # `/` is true division (as in Python) even between integers
        if getattr(self.dialect, "div_is_floordiv", True):
            return (binary.left._compiler_dispatch(self, **kw) + " / "
                    + self._as_numeric(binary.right, **kw))
        return self._generate_generic_binary(binary, " / ", **kw)

    def _as_numeric(self, expr: Any, **kw: Any) -> str:
        type_ = expr.type
        if type_._type_affinity not in (sqltypes.Numeric, sqltypes.Float):
            type_ = sqltypes.Numeric()
        return elements.Cast(expr, type_)._compiler_dispatch(self, **kw)

    def visit_floordiv_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        if (
            getattr(self.dialect, "div_is_floordiv", True)
            and binary.right.type._type_affinity is sqltypes.Integer
            and binary.left.type._type_affinity is sqltypes.Integer
        ):
            return self._generate_generic_binary(binary, " / ", **kw)
        return "FLOOR(" + self._generate_generic_binary(binary, " / ", **kw) + ")"

    def visit_not_in_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return "(" + self._generate_generic_binary(binary, " NOT IN ", **kw) + ")"

    def visit_between_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        symmetric = binary.modifiers.get("symmetric", False)
        return self._generate_generic_binary(
            binary, " BETWEEN SYMMETRIC " if symmetric else " BETWEEN ", **kw
        )

    def visit_not_between_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        symmetric = binary.modifiers.get("symmetric", False)
        return self._generate_generic_binary(
            binary, " NOT BETWEEN SYMMETRIC " if symmetric else " NOT BETWEEN ", **kw
        )

    def _escape_clause(self, binary: Any) -> str:
        escape = binary.modifiers.get("escape")
        if escape is None:
            return ""
        return " ESCAPE " + self.render_literal_value(escape, sqltypes.STRINGTYPE)

    def _like(self, binary: Any, left: Any, right: Any, opstring: str, **kw: Any) -> str:
        return (left._compiler_dispatch(self, **kw) + opstring + right._compiler_dispatch(self, **kw)
                + self._escape_clause(binary))

    def visit_like_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._like(binary, binary.left, binary.right, " LIKE ", **kw)

    def visit_not_like_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._like(binary, binary.left, binary.right, " NOT LIKE ", **kw)

    def visit_ilike_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._like(binary, _lower(binary.left), _lower(binary.right), " LIKE ", **kw)

    def visit_not_ilike_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._like(binary, _lower(binary.left), _lower(binary.right), " NOT LIKE ", **kw)

    def _pattern(self, binary: Any, operator: Any, negated: bool, **kw: Any) -> str:
        # startswith & co.: `x LIKE :p || '%'`; the i-forms compare lower() of both sides
        name = operator.__name__
        left, right = binary.left, binary.right
        if negated:
            name = name[4:]
        if name.startswith("i"):
            left, right = _lower(left), _lower(right)
            name = name[1:]
        if name == "startswith_op":
            right = elements.BinaryExpression(right, _LIKE_PERCENT, operators.concat_op)
        elif name == "endswith_op":
            right = elements.BinaryExpression(_LIKE_PERCENT, right, operators.concat_op)
        else:
            right = elements.BinaryExpression(
                elements.BinaryExpression(_LIKE_PERCENT, right, operators.concat_op),
                _LIKE_PERCENT, operators.concat_op,
            )
        return self._like(binary, left, right, " NOT LIKE " if negated else " LIKE ", **kw)

    def visit_startswith_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._pattern(binary, operator, False, **kw)

    visit_endswith_op_binary = visit_startswith_op_binary
    visit_contains_op_binary = visit_startswith_op_binary
    visit_istartswith_op_binary = visit_startswith_op_binary
    visit_iendswith_op_binary = visit_startswith_op_binary
    visit_icontains_op_binary = visit_startswith_op_binary

    def visit_not_startswith_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._pattern(binary, operator, True, **kw)

    visit_not_endswith_op_binary = visit_not_startswith_op_binary
    visit_not_contains_op_binary = visit_not_startswith_op_binary
    visit_not_istartswith_op_binary = visit_not_startswith_op_binary
    visit_not_iendswith_op_binary = visit_not_startswith_op_binary
    visit_not_icontains_op_binary = visit_not_startswith_op_binary

    def visit_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        raise exc.CompileError(f"{self.dialect.name} dialect does not support regular expressions")

    def visit_not_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        raise exc.CompileError(f"{self.dialect.name} dialect does not support regular expressions")

    def visit_regexp_replace_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        raise exc.CompileError(
            f"{self.dialect.name} dialect does not support regular expression replacements"
        )

    def visit_collation(self, element: Any, **kw: Any) -> str:
        return self.preparer.format_collation(element.collation)

    # -- functions --------------------------------------------------------------------------

    def visit_function(self, func: Any, add_to_result_map: Any = None, **kw: Any) -> str:
        if add_to_result_map is not None:
            add_to_result_map(func.name, func.name, (func,), func.type)
        disp = getattr(self, "visit_" + func.name.lower() + "_func", None)
        if disp is not None:
            return disp(func, **kw)
        name = func._compiler_name
        if name is not None:
            if func._has_args:
                name += self.function_argspec(func, **kw)
            return name
        preparer = self.preparer
        name = func.name
        if preparer._requires_quotes_illegal_chars(name) or isinstance(name, quoted_name):
            name = preparer.quote(name)
        text = name + self.function_argspec(func, **kw)
        if func.packagenames:
            packages = [
                preparer.quote(tok) if preparer._requires_quotes_illegal_chars(tok)
                or isinstance(tok, quoted_name) else tok
                for tok in func.packagenames
            ]
            text = ".".join(packages) + "." + text
        return text

    def function_argspec(self, func: Any, **kw: Any) -> str:
        kw["within_aggregate_function"] = True
        return func.clause_expr._compiler_dispatch(self, **kw)

    def visit_aggregate_strings_func(self, fn: Any, **kw: Any) -> str:
        return "aggregate_strings" + self.function_argspec(fn, **kw)

    # -- casts, CASE, EXTRACT, windows ------------------------------------------------------

    def visit_typeclause(self, typeclause: Any, **kw: Any) -> str:
        return self.dialect.type_compiler_instance.process(typeclause.type)

    def visit_cast(self, cast: Any, **kw: Any) -> str:
        return "CAST(%s AS %s)" % (
            cast.clause._compiler_dispatch(self, **kw),
            cast.typeclause._compiler_dispatch(self, **kw),
        )

    def visit_try_cast(self, cast: Any, **kw: Any) -> str:
        return "TRY_CAST(%s AS %s)" % (
            cast.clause._compiler_dispatch(self, **kw),
            cast.typeclause._compiler_dispatch(self, **kw),
        )

    def visit_type_coerce(self, type_coerce: Any, **kw: Any) -> str:
        return type_coerce.typed_expression._compiler_dispatch(self, **kw)

    def visit_case(self, case: Any, **kw: Any) -> str:
        parts = ["CASE "]
        if case.value is not None:
            parts.append(case.value._compiler_dispatch(self, **kw) + " ")
        for cond, result in case.whens:
            parts.append("WHEN " + cond._compiler_dispatch(self, **kw) + " THEN "
                         + result._compiler_dispatch(self, **kw) + " ")
        if case.else_ is not None:
            parts.append("ELSE " + case.else_._compiler_dispatch(self, **kw) + " ")
        parts.append("END")
        return "".join(parts)

    def visit_extract(self, extract: Any, **kw: Any) -> str:
        field = EXTRACT_MAP.get(extract.field, extract.field)
        return "EXTRACT(%s FROM %s)" % (field, extract.expr._compiler_dispatch(self, **kw))

    def _frame_bound(self, bind: Any, kind: Any, upper: bool, **kw: Any) -> str:
        name = kind.name
        if name == "UNBOUNDED":
            return "UNBOUNDED FOLLOWING" if upper else "UNBOUNDED PRECEDING"
        if name == "CURRENT":
            return "CURRENT ROW"
        return bind._compiler_dispatch(self, **kw) + " " + name

    def visit_frame_clause(self, frame: Any, **kw: Any) -> str:
        return "BETWEEN %s AND %s" % (
            self._frame_bound(frame.lower_bind, frame.lower_type, False, **kw),
            self._frame_bound(frame.upper_bind, frame.upper_type, True, **kw),
        )

    def visit_over(self, over: Any, **kw: Any) -> str:
        text = over.element._compiler_dispatch(self, **kw)
        parts = []
        if over.partition_by is not None:
            parts.append("PARTITION BY " + over.partition_by._compiler_dispatch(self, **kw))
        if over.order_by is not None:
            parts.append("ORDER BY " + over.order_by._compiler_dispatch(self, **kw))
        for word, frame in (("RANGE", over.range_), ("ROWS", over.rows), ("GROUPS", over.groups)):
            if frame is not None:
                frame_sql = word + " " + frame._compiler_dispatch(self, **kw)
                if over.exclude is not None:
                    frame_sql += " EXCLUDE " + over.exclude
                parts.append(frame_sql)
        return "%s OVER (%s)" % (text, " ".join(parts))

    def visit_withingroup(self, withingroup: Any, **kw: Any) -> str:
        return "%s WITHIN GROUP (ORDER BY %s)" % (
            withingroup.element._compiler_dispatch(self, **kw),
            withingroup.order_by._compiler_dispatch(self, **kw),
        )

    def visit_funcfilter(self, funcfilter: Any, **kw: Any) -> str:
        return "%s FILTER (WHERE %s)" % (
            funcfilter.func._compiler_dispatch(self, **kw),
            funcfilter.criterion._compiler_dispatch(self, **kw),
        )

    def visit_bindparam(self, bind: "BindParameter", literal_binds: bool = False,
                        literal_execute: bool = False, **kw: Any) -> str:
        if literal_binds or self.literal_binds:
            return self.render_literal_bindparam(bind)
        literal_execute = literal_execute or bind.literal_execute
        key = self.bind_names.get(bind)
        if key is None:
            key = self._unique_bind_name(bind.key) if bind.unique else bind.key
            self.bind_names[bind] = key
        existing = self.binds.get(key)
        if existing is None:
            self.binds[key] = bind
            self.bind_order.append(key)
        elif existing is not bind and (existing.expanding != bind.expanding):
            raise exc.CompileError(
                f"Bind parameter '{key}' conflicts with an existing bound parameter of the same name"
            )
        if bind.expanding or literal_execute:
            if key not in self.expanding:
                self.expanding.append(key)
            if literal_execute:
                self._literal_execute.add(key)
            if self.positional:
                self.positiontup.append(key)
            return f"(__[POSTCOMPILE_{key}])" if bind.expanding else f"__[POSTCOMPILE_{key}]"
        return self.bindparam_string(key)

    def _unique_bind_name(self, base: str) -> str:
        """`<base>_<n>`, n counting from 1 per base name in this compilation (id_1, id_2)."""
        counters = self._anon_counters
        n = counters.get(base, 0) + 1
        while f"{base}_{n}" in self.binds:
            n += 1
        counters[base] = n
        return f"{base}_{n}"

    def bindparam_string(self, key: str) -> str:
        name = key
        if not _SAFE_BIND_NAME.match(key):
            name = self.escaped_bind_names.get(key) or self._escape_bind_name(key)
        if self.positional:
            self.positiontup.append(key)
            return "%s" if self.paramstyle == "format" else "?"
        if self.paramstyle == "pyformat":
            return f"%({name})s"
        return f":{name}"

    def _escape_bind_name(self, key: str) -> str:
        name = _UNSAFE_BIND_CHARS.sub("_", key)
        if not name or name[0].isdigit():
            name = "_" + name
        taken = set(self.escaped_bind_names.values()) | set(self.binds)
        base, n = name, 0
        while name in taken and name != key:
            n += 1
            name = f"{base}_{n}"
        self.escaped_bind_names[key] = name
        return name

    def render_literal_bindparam(self, bind: "BindParameter") -> str:
        value = bind.effective_value
        if bind.expanding:
            return "(" + self._literal_list(bind, value) + ")"
        return self.render_literal_value(value, bind.type)

    def _literal_list(self, bind: "BindParameter", values: Any) -> str:
        """An expanding bind's values as the literal text inside `IN (...)`."""
        type_ = bind.type
        if not values:
            return self._empty_set(type_, bind.expand_op)
        if type_._is_tuple_type:
            rows = ", ".join(
                "(" + ", ".join(self.render_literal_value(v, t)
                                for v, t in zip(row, type_._resolve_values_to_types(row).types))
                + ")"
                for row in values
            )
            return self._tuple_values_prefix + rows
        return ", ".join(self.render_literal_value(v, type_) for v in values)

    def _empty_set_subquery(self, type_: Any) -> str:
        """A SELECT of no rows, as wide as `type_` (a tuple type: one column per element)."""
        if type_._is_tuple_type:
            return "SELECT " + ", ".join(["1"] * len(type_.types)) + " WHERE 1!=1"
        return self.dialect.empty_set_expression(type_)

    # `(a, b) IN (VALUES (1, 2), ...)` where a dialect wants row values spelled so
    _tuple_values_prefix = ""

    def _empty_set(self, type_: Any, expand_op: Any) -> str:
        """What goes inside `IN (...)` for an empty list: no rows, of the right width.

        The generic form closes the IN and adds a condition, `x IN (NULL) AND (1 != 1)`, which
        is false (NOT IN: true) for every row, NULLs included, as SQLAlchemy renders it.
        """
        if expand_op is None:  # an expanding bind in text(): no operator to rewrite
            return self._empty_set_subquery(type_)
        width = len(type_.types) if type_._is_tuple_type else 1
        nulls = "NULL" if width == 1 else "(" + ", ".join(["NULL"] * width) + ")"
        if expand_op is operators.not_in_op:
            return nulls + ") OR (1 = 1"
        return nulls + ") AND (1 != 1"

    def render_literal_value(self, value: Any, type_: Any) -> str:
        """A value as SQL literal text: only for literal_binds display and literal_execute."""
        if value is None:
            return "NULL"
        processor = self.dialect.type_descriptor(type_).literal_processor(self.dialect)
        if processor is not None:
            try:
                return processor(value)
            except Exception as err:
                raise exc.CompileError(
                    f'Could not render literal value "{value!r}" with datatype {type_!r}; see '
                    "parent stack trace for more detail."
                ) from err
        if isinstance(value, bool):
            return self.dialect._render_bool(value)
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, str):
            text = "'" + value.replace("'", "''") + "'"
            return text.replace("%", "%%") if self._double_percents else text
        raise exc.CompileError(
            f'No literal value renderer is available for literal value "{value!r}" '
            f"with datatype {type_!r}"
        )

    # -- execution-time parameter handling ---------------------------------------------------

    def _prepare_execution(self) -> None:
        """Work out, once, how parameters of this shape reach the driver."""
        dialect = self.dialect
        processors: dict[str, Any] = {}
        defaults: dict[str, "BindParameter"] = {}
        required: list[str] = []
        for key in self.bind_order:
            bind = self.binds[key]
            type_ = bind.type
            if key in self._literal_execute:
                proc = None  # the value is rendered as a literal, never bound
            elif type_._is_tuple_type:
                proc = _tuple_processor(type_, dialect)
            else:
                proc = type_._cached_bind_processor(dialect)
            if proc is not None:
                processors[key] = proc
            if bind.required:
                required.append(key)
            else:
                defaults[key] = bind
        self._bind_processors = processors
        self._bind_defaults = defaults
        self._required = required
        # where each value-carrying bind sits in the statement's cache-key bind list, so that
        # an equal-shaped statement (a cache hit) supplies its own values by position
        statement = self.statement
        cache_binds = statement._cache_key()[1] if statement is not None and defaults else []
        self._value_positions = [
            (i, self.bind_names[b]) for i, b in enumerate(cache_binds)
            if b in self.bind_names and self.bind_names[b] in defaults
        ]
        # binds the compiler added that the statement does not list (a column default's SQL
        # expression, ...): their values are the same for every statement of this shape
        positioned = {name for _, name in self._value_positions}
        self._fixed_defaults = [(k, b) for k, b in defaults.items() if k not in positioned]
        # the common case: the user's dicts go to the driver as they are
        self._passthrough = not (
            processors or defaults or self.escaped_bind_names or self.positional or self.expanding
        )
        # a positional driver (sqlite3's qmark) takes a tuple in placeholder order; sqlite3
        # binds it faster than a dict, whose names it looks up one by one. One C call per
        # parameter set builds it (names repeat where a bind is used twice, as in text())
        self._to_tuple = None
        if self.positional and not self.expanding:
            self._to_tuple = _tuple_getter(self.positiontup)
        self._positional_fast = self._to_tuple is not None and not (processors or defaults)
        # the next best, for executemany: every value the user's, some converted (a Float
        # column's to_float on SQLite): the tuple built as above, then fixed by position
        self._positional_procs = None
        if self._to_tuple is not None and processors and not defaults:
            self._positional_procs = [(position, processors[name])
                                      for position, name in enumerate(self.positiontup)
                                      if name in processors]
        # the statement's own values merged with the user's are all the driver needs
        self._merged_only = not (
            required or processors or self.escaped_bind_names or self.positional
        )

    @property
    def params(self) -> dict:  # type: ignore[override]
        """The bound values this compilation was made with (for display and tests)."""
        escaped = self.escaped_bind_names
        return {escaped.get(key, key): self.binds[key].effective_value for key in self.bind_order}

    def construct_params(
        self, params: Optional[dict], extracted: Optional[list] = None
    ) -> Any:
        """The driver's parameters for one execution: a dict, or a tuple when positional.

        `extracted` holds the cache-key bind list of the statement being executed when it is
        not the very statement this was compiled from (a cache hit of an equal shape).
        """
        if self._passthrough:
            return params if params is not None else {}
        if self._positional_fast:
            try:
                return self._to_tuple(params if params is not None else _EMPTY_PARAMS)
            except KeyError as err:
                raise self._missing_value_error(err.args[0], [params] if params is not None else None, None) from None
        merged: dict[str, Any] = {}
        if self._bind_defaults:
            if extracted is not None:
                for name, bind in self._fixed_defaults:
                    merged[name] = bind.effective_value
                for position, name in self._value_positions:
                    merged[name] = extracted[position].effective_value
            else:
                for key, bind in self._bind_defaults.items():
                    merged[key] = bind.effective_value
        if params:
            merged.update(params)
        if self._merged_only:
            return merged
        for key in self._required:
            if key not in merged:
                raise self._missing_value_error(key, [params] if params is not None else None, None)
        for key, proc in self._bind_processors.items():
            if key in merged:
                value = merged[key]
                if self.binds[key].expanding:
                    merged[key] = [proc(v) for v in value]
                else:
                    merged[key] = proc(value)
        if self._to_tuple is not None:
            return self._to_tuple(merged)
        if self.escaped_bind_names:
            for key, name in self.escaped_bind_names.items():
                if key in merged:
                    merged[name] = merged.pop(key)
        return merged

    def construct_params_many(self, params_list: list, extracted: Optional[list] = None) -> list:
        """The driver's parameter list for executemany. Every set is checked before any runs:
        a set lacking a value is reported with its position, as SQLAlchemy does."""
        if self._passthrough:
            return params_list
        if self.expanding:
            error = exc.InvalidRequestError(
                "'literal_execute' or 'expanding' parameters can't be used with executemany()"
            )
            raise exc.StatementError(f"(ormcore.exc.InvalidRequestError) {error}", self.string,
                                     params_list, error, ismulti=True)
        if self._positional_fast:
            try:
                return list(map(self._to_tuple, params_list))
            except KeyError:
                pass  # find which set lacks which value, below
        elif self._positional_procs is not None:
            try:
                return self._positional_rows(params_list)
            except KeyError:
                pass
        out = []
        for group, params in enumerate(params_list):
            try:
                out.append(self.construct_params(params, extracted))
            except exc.StatementError as err:
                key = getattr(err.orig, "_missing_key", None)
                if key is None:
                    raise
                raise self._missing_value_error(key, params_list, group) from None
        return out

    def _positional_rows(self, params_list: list) -> list:
        # KeyError for a set lacking a value
        to_tuple = self._to_tuple
        procs = self._positional_procs
        rows = []
        for params in params_list:
            row = list(to_tuple(params))
            for position, proc in procs:
                row[position] = proc(row[position])
            rows.append(tuple(row))
        return rows

    def _missing_value_error(self, key: str, params_list: list, group: Optional[int]) -> exc.StatementError:
        where = "" if group is None else f", in parameter group {group}"
        error = exc.InvalidRequestError(f"A value is required for bind parameter {key!r}{where}")
        error._missing_key = key  # type: ignore[attr-defined]
        return exc.StatementError(
            f"(ormcore.exc.InvalidRequestError) {error}", self.string, params_list, error,
            ismulti=group is not None,
        )

    def _missing_parameter_error(self, params: Any, orig: BaseException) -> Optional[exc.StatementError]:
        """After the driver refused a passthrough execution: was it a missing parameter?"""
        rows = params if isinstance(params, list) else [params]
        for row in rows:
            if not isinstance(row, dict):
                return None
            for key in self._required:
                if key not in row:
                    error = exc.InvalidRequestError(f"A value is required for bind parameter {key!r}")
                    return exc.StatementError(
                        f"(ormcore.exc.InvalidRequestError) {error}", self.string, row, error,
                    )
        return None

    def _expand(self, params: dict) -> tuple[str, Any]:
        """Render expanding binds (`IN :ids`) and literal_execute binds for these values: new
        SQL text and parameters. The compiled (and cached) text keeps its placeholders.

        `params` is what construct_params() returned: a dict keyed by driver names.
        """
        new_params = dict(params)
        values_of: dict[str, list] = {}

        def render(match: re.Match) -> str:
            key = match.group(1)
            name = self.escaped_bind_names.get(key, key)
            values = params.get(name)
            bind = self.binds[key]
            if key in self._literal_execute:
                new_params.pop(name, None)
                values_of[key] = []
                if bind.expanding:
                    return self._literal_list(bind, values)
                return self.render_literal_value(values, bind.type)
            if values is None or isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                raise exc.StatementError(
                    f"Expanding bind parameter {key!r} requires a list of values, got {values!r}",
                    self.string, params, None,
                )
            values = list(values)
            new_params.pop(name, None)
            if not values:
                values_of[key] = values
                return self._empty_set(bind.type, bind.expand_op)
            if bind.type._is_tuple_type:
                # (a, b) IN ((:p_1_1, :p_1_2), (:p_2_1, :p_2_2))
                flat_values: list = []
                rows = []
                for i, row in enumerate(values, 1):
                    names = [f"{name}_{i}_{j}" for j in range(1, len(row) + 1)]
                    if not self.positional:
                        new_params.update(zip(names, row))
                    flat_values.extend(row)
                    rows.append("(" + ", ".join(self._placeholder(n) for n in names) + ")")
                values_of[key] = flat_values
                return self._tuple_values_prefix + ", ".join(rows)
            values_of[key] = values
            names = [f"{name}_{i}" for i in range(1, len(values) + 1)]
            if not self.positional:
                new_params.update(zip(names, values))
            return ", ".join(self._placeholder(n) for n in names)

        sql = _POSTCOMPILE.sub(render, self.string)
        if self.positional:
            flat: list[Any] = []
            for key in self.positiontup:
                if key in values_of:
                    flat.extend(values_of[key])
                else:
                    flat.append(params[self.escaped_bind_names.get(key, key)])
            return sql, tuple(flat)
        return sql, new_params

    def _placeholder(self, name: str) -> str:
        if self.positional:
            return "%s" if self.paramstyle == "format" else "?"
        if self.paramstyle == "pyformat":
            return f"%({name})s"
        return f":{name}"


_EMPTY_PARAMS: dict = {}


def _tuple_getter(keys: list) -> Any:
    """A function from a parameter dict to the tuple of its values under `keys`."""
    if len(keys) > 1:
        return _operator.itemgetter(*keys)
    if keys:
        key = keys[0]
        return lambda params: (params[key],)
    return lambda params: ()


def _tuple_processor(type_: Any, dialect: Any) -> Any:
    """A processor for one row value of a TupleType: each element by its own type."""
    procs = [t._cached_bind_processor(dialect) for t in type_.types]
    if not any(procs):
        return None

    def process(row: Any) -> tuple:
        return tuple(v if p is None else p(v) for p, v in zip(procs, row))

    return process


class StrSQLCompiler(SQLCompiler):
    """What str(statement) compiles with: renders a few dialect-specific constructs in a
    readable placeholder form (`<regexp>`) rather than refusing them, as SQLAlchemy's does."""

    def visit_getitem_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return (binary.left._compiler_dispatch(self, **kw) + "["
                + binary.right._compiler_dispatch(self, **kw) + "]")

    def visit_json_getitem_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self.visit_getitem_binary(binary, operator, **kw)

    def visit_json_path_getitem_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self.visit_getitem_binary(binary, operator, **kw)

    def visit_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._generate_generic_binary(binary, " <regexp> ", **kw)

    def visit_not_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._generate_generic_binary(binary, " <not regexp> ", **kw)

    def visit_regexp_replace_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return "<regexp replace>(%s, %s)" % (
            binary.left._compiler_dispatch(self, **kw),
            binary.right._compiler_dispatch(self, **kw),
        )
