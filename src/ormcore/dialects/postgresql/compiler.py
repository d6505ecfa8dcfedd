"""How SQL expressions render on PostgreSQL where that differs from the generic compiler.

ILIKE, the regular-expression operators, string_agg, array indexing: what SQLAlchemy's
PostgreSQL dialect emits for the same expressions. The dialect uses this as
`statement_compiler`.
"""

from __future__ import annotations

from typing import Any

from ...sql import sqltypes
from ...sql.compiler import SQLCompiler


class PGCompiler(SQLCompiler):
    """SQLCompiler with PostgreSQL's spellings."""

    def visit_ilike_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._like(binary, binary.left, binary.right, " ILIKE ", **kw)

    def visit_not_ilike_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._like(binary, binary.left, binary.right, " NOT ILIKE ", **kw)

    def _pattern(self, binary: Any, operator: Any, negated: bool, **kw: Any) -> str:
        name = operator.__name__
        if negated:
            name = name[4:]
        if not name.startswith("i"):
            return super()._pattern(binary, operator, negated, **kw)
        # the i-forms: ILIKE rather than lower() on both sides
        from ...sql import elements
        from ...sql import operators
        from ...sql.compiler import _LIKE_PERCENT

        right = binary.right
        if name == "istartswith_op":
            right = elements.BinaryExpression(right, _LIKE_PERCENT, operators.concat_op)
        elif name == "iendswith_op":
            right = elements.BinaryExpression(_LIKE_PERCENT, right, operators.concat_op)
        else:
            right = elements.BinaryExpression(
                elements.BinaryExpression(_LIKE_PERCENT, right, operators.concat_op),
                _LIKE_PERCENT, operators.concat_op,
            )
        return self._like(binary, binary.left, right, " NOT ILIKE " if negated else " ILIKE ", **kw)

    def _regexp(self, binary: Any, negated: bool, **kw: Any) -> str:
        flags = binary.modifiers.get("flags")
        left = binary.left._compiler_dispatch(self, **kw)
        right = binary.right._compiler_dispatch(self, **kw)
        op = "!~" if negated else "~"
        if flags is None:
            return f"{left} {op} {right}"
        if flags == "i":
            return f"{left} {op}* {right}"
        literal = self.render_literal_value(flags, sqltypes.STRINGTYPE)
        return f"{left} {op} CONCAT('(?', {literal}, ')', {right})"

    def visit_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._regexp(binary, False, **kw)

    def visit_not_regexp_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._regexp(binary, True, **kw)

    def visit_regexp_replace_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        flags = binary.modifiers.get("flags")
        args = binary.left._compiler_dispatch(self, **kw) + ", " + \
            binary.right._compiler_dispatch(self, **kw)
        if flags is not None:
            args += ", " + self.render_literal_value(flags, sqltypes.STRINGTYPE)
        return f"REGEXP_REPLACE({args})"

    def visit_bindparam(self, bind: Any, **kw: Any) -> str:
        text = super().visit_bindparam(bind, **kw)
        # psycopg2 sends a list as ARRAY[...] of unknown type; SQLAlchemy casts it
        if bind.type._is_array and not (self.literal_binds or kw.get("literal_binds")
                                         or bind.literal_execute or bind.expanding):
            return text + "::" + self.dialect.type_compiler_instance.process(bind.type)
        return text

    def visit_getitem_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return (binary.left._compiler_dispatch(self, **kw) + "["
                + binary.right._compiler_dispatch(self, **kw) + "]")

    def visit_slice(self, element: Any, **kw: Any) -> str:
        start = element.start._compiler_dispatch(self, **kw)
        stop = element.stop._compiler_dispatch(self, **kw)
        return f"{start}:{stop}"

    def _json_getitem(self, binary: Any, as_json: str, as_text: str, _cast_applied: bool = False,
                      **kw: Any) -> str:
        if not _cast_applied and binary.type._type_affinity is not sqltypes.JSON:
            from ...sql.elements import Cast

            kw["_cast_applied"] = True
            return Cast(binary, binary.type)._compiler_dispatch(self, **kw)
        kw.pop("eager_grouping", None)
        return self._generate_generic_binary(
            binary, as_text if _cast_applied else as_json, eager_grouping=True, **kw
        )

    def visit_json_getitem_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._json_getitem(binary, " -> ", " ->> ", **kw)

    def visit_json_path_getitem_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._json_getitem(binary, " #> ", " #>> ", **kw)

    def _empty_set_subquery(self, type_: Any) -> str:
        types = type_.types if type_._is_tuple_type else [type_]
        process = self.dialect.type_compiler_instance.process
        casts = ", ".join(
            "CAST(NULL AS %s)" % process(sqltypes.INTEGER() if t._isnull else t) for t in types
        )
        return f"SELECT {casts} WHERE 1!=1"

    def visit_bitwise_xor_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return self._generate_generic_binary(binary, " # ", **kw)

    def visit_aggregate_strings_func(self, fn: Any, **kw: Any) -> str:
        return "string_agg" + self.function_argspec(fn, **kw)

    def visit_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return (binary.left._compiler_dispatch(self, **kw) + " @@ plainto_tsquery("
                + binary.right._compiler_dispatch(self, **kw) + ")")

    def visit_not_match_op_binary(self, binary: Any, operator: Any, **kw: Any) -> str:
        return "NOT " + self.visit_match_op_binary(binary, operator, **kw)
