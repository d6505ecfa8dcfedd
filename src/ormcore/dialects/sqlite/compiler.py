"""How SQL expressions render on SQLite where that differs from the generic compiler.

SQLite has no ILIKE, no IS DISTINCT FROM, no EXTRACT and no true division of integers, and
spells some functions differently; the SQL here is what SQLAlchemy's SQLite dialect emits, so
the same expression gives the same statement. The dialect uses this as `statement_compiler`.
"""

from __future__ import annotations

from typing import Any

from ... import exc
from ...sql import sqltypes
from ...sql.compiler import SQLCompiler

# EXTRACT field -> strftime() format
_EXTRACT_MAP = {
    "month": "%m", "day": "%d", "year": "%Y", "second": "%S", "hour": "%H", "doy": "%j",
    "minute": "%M", "epoch": "%s", "dow": "%w", "week": "%W",
}


class SQLiteCompiler(SQLCompiler):
    """SQLCompiler with SQLite's spellings."""

    _tuple_values_prefix = "VALUES "

    def _empty_set_subquery(self, type_: Any) -> str:
        return self._empty_set(type_, None)

    def _empty_set(self, type_: Any, expand_op: Any) -> str:
        width = len(type_.types) if type_._is_tuple_type else 1
        ones = ", ".join(["1"] * width)
        return f"SELECT {ones} FROM (SELECT {ones}) WHERE 1!=1"

    def _as_numeric(self, expr: Any, **kw: Any) -> str:
        return "(" + expr._compiler_dispatch(self, **kw) + " + 0.0)"

    def visit_bitwise_xor_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        # SQLite has no XOR operator: (a | b) - (a & b)
        left = binary.left._compiler_dispatch(self, **kw)
        right = binary.right._compiler_dispatch(self, **kw)
        return f"(({left} | {right}) - ({left} & {right}))"

    def visit_is_distinct_from_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._generate_generic_binary(binary, " IS NOT ", **kw)

    def visit_is_not_distinct_from_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._generate_generic_binary(binary, " IS ", **kw)

    def visit_extract(self, extract: Any, **kw: Any) -> str:
        try:
            fmt = _EXTRACT_MAP[extract.field]
        except KeyError:
            raise exc.CompileError(
                f"{extract.field} is not a valid extract argument."
            ) from None
        return "CAST(STRFTIME('%s', %s) AS INTEGER)" % (
            self.escape_literal_column(fmt), extract.expr._compiler_dispatch(self, **kw)
        )

    def visit_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._generate_generic_binary(binary, " REGEXP ", **kw)

    def visit_not_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._generate_generic_binary(binary, " NOT REGEXP ", **kw)

    def visit_json_getitem_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        left = binary.left._compiler_dispatch(self, **kw)
        right = binary.right._compiler_dispatch(self, **kw)
        if binary.type._type_affinity is sqltypes.JSON:
            return f"JSON_QUOTE(JSON_EXTRACT({left}, {right}))"
        type_sql = self.dialect.type_compiler_instance.process(binary.type)
        return f"CAST(JSON_EXTRACT({left}, {right}) AS {type_sql})"

    visit_json_path_getitem_op_binary = visit_json_getitem_op_binary

    def visit_now_func(self, fn: Any, **kw: Any) -> str:
        return "CURRENT_TIMESTAMP"

    def visit_localtimestamp_func(self, fn: Any, **kw: Any) -> str:
        return "DATETIME(CURRENT_TIMESTAMP, 'localtime')"

    def visit_char_length_func(self, fn: Any, **kw: Any) -> str:
        return "length" + self.function_argspec(fn, **kw)

    def visit_aggregate_strings_func(self, fn: Any, **kw: Any) -> str:
        return "group_concat" + self.function_argspec(fn, **kw)
