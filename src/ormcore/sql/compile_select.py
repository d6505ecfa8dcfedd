"""Compiling SELECT statements and FROM clauses: a part of SQLCompiler (sql/compiler.py).

SQLCompiler inherits SelectCompiler; the visit_* methods here render select(), tables, joins,
aliases, subqueries, CTEs, compound selects, scalar subqueries and EXISTS, and record the
result columns of the outermost SELECT (`_result_columns`) so rows can be keyed by name, by
column object and by position. The text matches SQLAlchemy's for the same statement and
dialect (whitespace included), which the differential tests rely on.

A stack of entries (one per SELECT being rendered) carries what correlation needs: the FROM
items of the enclosing SELECTs. Anonymous names (anon_1, a_1, count_1) are numbered by the
compiler's `_anon_label()`, per compilation, in order of first rendering. Dialect differences
(LIMIT/OFFSET, FOR UPDATE, DISTINCT ON) are chosen by `dialect.name`: sqlite, postgresql, else
the generic form. With `linting=True` (what an engine compiles with) a SELECT whose FROM items
are not all connected by joins or comparisons warns, as SQLAlchemy's from-linter does.
"""

from __future__ import annotations

import warnings
from typing import Any
from typing import Optional

from .. import exc
from . import operators
from .elements import BinaryExpression
from .elements import and_
from .selectable import AliasedReturnsRows
from .selectable import CompoundSelect
from .selectable import Exists
from .selectable import FromClause
from .selectable import GenerativeSelect
from .selectable import Join
from .selectable import ScalarSelect
from .selectable import SelectBase
from .selectable import TableClause
from .selectable import _CTEAlias
from .selectable import _anon_name_label
from .selectable import _correlate_froms
from .selectable import _is_anon
from .selectable import _is_label
from .selectable import _is_named_column
from .selectable import _is_text
from .selectable import _non_anon_label
from .selectable import _tq_label

_DEFAULT_ENTRY: dict = {"correlate_froms": frozenset(), "asfrom_froms": frozenset()}

# keywords that concern one columns clause or one FROM item, not a SELECT nested in it
_SELECT_RESETS = ("within_columns_clause", "within_label_clause", "render_label_as_label",
                  "include_table", "add_to_result_map", "result_map_targets", "enclosing_alias",
                  "_label_resolve_dict")


def _order_by_label_element(element: Any) -> Any:
    """The label an ORDER BY item sorts by (through DESC/ASC/NULLS modifiers), if any."""
    return getattr(element, "_order_by_label_element", None)


class SelectCompiler:
    """The SELECT half of SQLCompiler."""

    # per-compilation state, made on first use (SQLCompiler.__init__ belongs to the core)
    stack: Optional[list] = None
    _ctes: Optional[dict] = None
    _cte_by_name: Optional[dict] = None
    _ctes_recursive = False

    # -- names --------------------------------------------------------------------------------

    def _column_table_prefix(self, table: Any) -> str:
        """`schema.table.` (quoted) to qualify a column of `table` with; "" when unnamed."""
        if table is None or not getattr(table, "named_with_column", False):
            return ""
        preparer = self.preparer  # type: ignore[attr-defined]
        name = preparer.quote(self._anon_label(table.name))
        schema = getattr(table, "schema", None)
        if schema and isinstance(table, TableClause):
            return preparer.quote_schema(schema) + "." + name + "."
        return name + "."

    def visit_proxy_column(self, column: Any, include_table: bool = True, **kw: Any) -> str:
        """A column of an alias / subquery / CTE: `anon_1.name`."""
        text = self.preparer.quote(self._anon_label(column.name))  # type: ignore[attr-defined]
        if not include_table:
            return text
        return self._column_table_prefix(column.table) + text

    # -- FROM items -------------------------------------------------------------------------

    def visit_table(self, table: Any, asfrom: bool = False, ashint: bool = False,
                    use_schema: bool = True, **kw: Any) -> str:
        if not (asfrom or ashint):
            return ""
        preparer = self.preparer  # type: ignore[attr-defined]
        schema = getattr(table, "schema", None)
        if use_schema and schema:
            return preparer.quote_schema(schema) + "." + preparer.quote(table.name)
        return preparer.quote(table.name)

    def visit_join(self, join: Join, asfrom: bool = False, **kw: Any) -> str:
        if join.full:
            join_type = " FULL OUTER JOIN "
        elif join.isouter:
            join_type = " LEFT OUTER JOIN "
        else:
            join_type = " JOIN "
        right = self.process(join.right, asfrom=True, **kw)  # type: ignore[attr-defined]
        if isinstance(join.right, Join):
            right = "(" + right + ")"
        return (
            self.process(join.left, asfrom=True, **kw)  # type: ignore[attr-defined]
            + join_type + right + " ON "
            + self.process(join.onclause, **kw)  # type: ignore[attr-defined]
        )

    def visit_alias(self, alias: Any, asfrom: bool = False, ashint: bool = False,
                    lateral: bool = False, **kw: Any) -> str:
        element = alias.element
        while isinstance(element, AliasedReturnsRows) and not element.__visit_name__ == "cte":
            element = element.element  # an alias of an alias names the innermost thing
        name = self._anon_label(alias.name)
        if ashint:
            return self.preparer.quote(name)  # type: ignore[attr-defined]
        if asfrom:
            inner = self.process(element, asfrom=True, lateral=lateral, **kw)  # type: ignore[attr-defined]
            if isinstance(element, SelectBase):
                inner = "(" + inner + ")"
            return inner + " AS " + self.preparer.quote(name)  # type: ignore[attr-defined]
        return self.process(element, lateral=lateral, **kw)  # type: ignore[attr-defined]

    visit_subquery = visit_alias

    def visit_lateral(self, lateral_: Any, **kw: Any) -> str:
        kw["lateral"] = True
        text = self.visit_alias(lateral_, **kw)
        return "LATERAL " + text if kw.get("asfrom") else text

    def visit_cte(self, cte: Any, asfrom: bool = False, ashint: bool = False,
                  **kw: Any) -> Optional[str]:
        preparer = self.preparer  # type: ignore[attr-defined]
        if isinstance(cte, _CTEAlias):
            original = cte._cte_alias
            self.visit_cte(original, asfrom=False, **kw)
            if asfrom:
                return (preparer.quote(self._anon_label(original.name)) + " AS "
                        + preparer.quote(self._anon_label(cte.name)))
            return ""
        if self._ctes is None:
            self._ctes = {}
            self._cte_by_name = {}
        ctes = self._ctes
        by_name = self._cte_by_name
        name = self._anon_label(cte.name)
        existing = by_name.get(name)  # type: ignore[union-attr]
        is_new = True
        if existing is not None:
            if cte is existing or cte is existing._restates:
                is_new = False
            elif existing is cte._restates:
                ctes.pop(existing, None)  # the restating CTE replaces the one it restates
            else:
                raise exc.CompileError(f"Multiple, unrelated CTEs found with the same name: {name!r}")
        if is_new:
            by_name[name] = cte  # type: ignore[index]
            if cte.recursive:
                self._ctes_recursive = True
            text = preparer.quote(name)
            if cte.recursive:
                names = [
                    self._anon_label(fallback if fallback is not None else key)
                    for _req, key, fallback, _col, repeated in cte.element._columns_plus_names(True)
                    if not repeated
                ]
                text += "(" + ", ".join(preparer.quote(n) for n in names) + ")"
            if not self.stack:
                # the CTE compiled by itself (str(cte)): its SELECT
                return self.process(cte.element, asfrom=asfrom, **kw)  # type: ignore[attr-defined]
            inner = self.process(cte.element, asfrom=True, **kw)  # type: ignore[attr-defined]
            ctes[cte] = text + " AS \n(" + inner + ")"
        if asfrom or ashint:
            return preparer.quote(name)
        return ""

    def _render_cte_clause(self) -> str:
        """`WITH [RECURSIVE] name AS (...), ...` for the CTEs met so far; "" when none."""
        ctes = self._ctes
        if not ctes:
            return ""
        recursive = any(c.recursive for c in ctes)
        return ("WITH RECURSIVE " if recursive else "WITH ") + ", \n".join(ctes.values()) + "\n "

    def _label_resolve(self, select: Any, within_columns_clause: bool = False) -> dict:
        """What a string in ORDER BY / GROUP BY may name: selected labels and columns, then
        columns of the FROM items."""
        if isinstance(select, CompoundSelect):
            return dict(select.selected_columns.items())
        with_cols: dict = {}
        for c in select._all_selected_columns:
            if _is_text(c):
                continue
            if _is_label(c):
                with_cols.setdefault(c.name, c)
            elif _is_named_column(c):
                with_cols.setdefault(_tq_label(c) or c.key, c)
        only_froms: dict = {}
        for f in select._froms():
            for key, c in f.c.items():
                only_froms.setdefault(c.key, c)
        if within_columns_clause:
            return only_froms
        for key, value in only_froms.items():
            with_cols.setdefault(key, value)
        return with_cols

    # -- SELECT -----------------------------------------------------------------------------

    def _enclosing_correlate_froms(self, entry: dict, asfrom: bool, lateral: bool) -> tuple:
        correlate = entry["correlate_froms"]
        if asfrom and not lateral:
            return correlate - entry["asfrom_froms"], frozenset()
        return correlate, entry["asfrom_froms"]

    def visit_select(self, select: Any, asfrom: bool = False, compound_index: Optional[int] = None,
                     lateral: bool = False, insert_into: bool = False, **kw: Any) -> str:
        for name in _SELECT_RESETS:
            kw.pop(name, None)
        stack = self.stack
        if stack is None:
            stack = self.stack = []
        toplevel = not stack
        entry = stack[-1] if stack else _DEFAULT_ENTRY
        populate = (toplevel and not insert_into) or bool(entry.get("need_result_map_for_compound"))
        if compound_index:
            populate = False

        columns = select._columns_plus_names(True)
        if compound_index == 0:
            entry["select_0"] = select
        elif compound_index:
            first = entry["select_0"]
            expected = len(first._all_selected_columns)
            if len(columns) != expected:
                raise exc.CompileError(
                    "All selectables passed to CompoundSelect must have identical numbers of "
                    f"columns; select #1 has {expected} columns, select #{compound_index + 1} "
                    f"has {len(select._all_selected_columns)}"
                )

        explicit, implicit = self._enclosing_correlate_froms(entry, asfrom, lateral)
        froms = _correlate_froms(select, select._froms(), explicit, implicit)
        if kw.get("linting") and froms:
            self._warn_cartesian(select, froms)
        inner_froms = frozenset(o for f in froms for o in f._from_objects)
        stack.append({
            "asfrom_froms": inner_froms,
            "correlate_froms": inner_froms | entry["correlate_froms"],
            "selectable": select,
        })

        text = "SELECT "
        if select._prefixes:
            text += self._generate_prefixes(select._prefixes, kw)
        text += self.get_select_precolumns(select, **kw)

        if populate:
            self._result_columns = []  # type: ignore[attr-defined]
            self._ordered_columns = True  # type: ignore[attr-defined]
        result_entries: list = []
        inner = []
        for required, key, fallback, col, repeated in columns:
            rendered = self._label_select_column(
                col, populate, asfrom, required, key, fallback, repeated, result_entries, kw
            )
            if rendered is not None:
                inner.append(rendered)
        if populate:
            self._result_columns = _with_table_labels(result_entries)  # type: ignore[attr-defined]

        text += ", ".join(inner)
        if not inner:
            text = text.rstrip()

        if froms:
            text += " \nFROM " + ", ".join(
                self.process(f, asfrom=True, **kw) for f in froms  # type: ignore[attr-defined]
            )

        criteria = select._where_criteria
        for raw in select._raw_columns:
            # an ORM entity's own criteria (a single-table-inheritance subclass's
            # discriminator IN (...)), after the statement's
            extra = getattr(raw, "_entity_criteria", None)
            if extra:
                criteria = criteria + tuple(
                    c for c in extra if not any(c is seen for seen in criteria))
        if criteria:
            where = self._and_list(criteria, kw)
            if where:
                text += " \nWHERE " + where
        if select._group_by_clauses:
            text += self.group_by_clause(select, **kw)
        if select._having_criteria:
            having = self._and_list(select._having_criteria, kw)
            if having:
                text += " \nHAVING " + having
        if select._order_by_clauses:
            text += self.order_by_clause(select, **kw)
        if select._has_row_limiting_clause:
            text += self.limit_clause(select, **kw)
        if select._for_update_arg is not None:
            text += self.for_update_clause(select, **kw)
        if select._suffixes:
            text += " " + self._generate_prefixes(select._suffixes, kw)

        if self._ctes and toplevel and not insert_into and compound_index is None:
            text = self._render_cte_clause() + text
        stack.pop()
        return text

    def _warn_cartesian(self, select: Any, froms: list, stmt_type: str = "SELECT") -> None:
        """Warn, as SQLAlchemy's from-linter does when an engine executes a statement, about
        FROM items no join condition connects (a cartesian product).

        Nodes are the tables / aliases / subqueries rendered in FROM; edges come from joins and
        from comparisons in ON and WHERE between columns of two of them (a LATERAL subquery's
        own comparisons connect it to what it refers to)."""
        nodes: dict = {}
        edges: set = set()

        def connect(left: Any, right: Any, extra: tuple = ()) -> None:
            for x in (*left, *extra):
                for y in (*right, *extra):
                    edges.add((x, y))

        def walk(element: Any, extra: tuple = ()) -> None:
            stack = [element]
            while stack:
                e = stack.pop()
                if isinstance(e, (SelectBase, FromClause, ScalarSelect, Exists)):
                    continue
                if isinstance(e, BinaryExpression) and operators.is_comparison(e.operator):
                    connect(e.left._from_objects, e.right._from_objects, extra)
                stack.extend(e.get_children())

        def register(f: Any) -> None:
            if isinstance(f, Join):
                register(f.left)
                register(f.right)
                connect(f.left._from_objects, f.right._from_objects)
                walk(f.onclause)
            elif isinstance(f, TableClause):
                nodes[f] = f.fullname
            else:
                nodes[f] = self._anon_label(getattr(f, "name", None))  # type: ignore[attr-defined]
                if getattr(f, "_is_lateral", False) and isinstance(f.element, SelectBase):
                    for crit in getattr(f.element, "_where_criteria", ()):
                        walk(crit, (f,))

        for f in froms:
            register(f)
        for crit in select._where_criteria:
            walk(crit)
        if len(nodes) < 2:
            return
        order = list(nodes)
        start = order[0]
        rest = set(order[1:])
        queue = [start]
        while queue and rest:
            node = queue.pop(0)
            rest.discard(node)
            touching = {edge for edge in edges if node in edge}
            queue.extend(edge[1] if edge[0] is node else edge[0] for edge in touching)
            edges.difference_update(touching)
        if rest:
            names = ", ".join(f'"{nodes[f]}"' for f in order if f in rest)
            warnings.warn(
                f"{stmt_type} statement has a cartesian product between FROM element(s) "
                f'{names} and FROM element "{nodes[start]}".  Apply join condition(s) between '
                "each element to resolve.",
                exc.SAWarning, stacklevel=2,
            )

    def _generate_prefixes(self, prefixes: tuple, kw: dict) -> str:
        name = self.dialect.name  # type: ignore[attr-defined]
        clause = " ".join(
            self.process(p, **kw)  # type: ignore[attr-defined]
            for p, dialect in prefixes if dialect in (None, "*") or dialect == name
        )
        return clause + " " if clause else ""

    def _and_list(self, criteria: tuple, kw: dict) -> str:
        # and_() of the criteria: true() drops out, a lone boolean column becomes `x = 1`
        # where booleans aren't native, OR groups get parentheses - as SQLAlchemy renders them
        return self.process(and_(*criteria), **kw)  # type: ignore[attr-defined]

    def _label_select_column(self, column: Any, populate: bool, asfrom: bool,
                             required: Any, proxy_name: Any, fallback: Any, repeated: bool,
                             result_entries: list, kw: dict) -> Optional[str]:
        preparer = self.preparer  # type: ignore[attr-defined]
        process = self.process  # type: ignore[attr-defined]
        if _is_label(column):
            name = self._anon_label(column.name)  # type: ignore[attr-defined]
            text = (process(column.element, within_columns_clause=True, within_label_clause=True, **kw)
                    + " AS " + preparer.quote(name))
            if populate:
                objects = (name,) if repeated else (column, name)
                result_entries.append([name, column.name, objects, column.type, None])
            return text
        if required is not None:
            name = self._anon_label(required)
            text = (process(column, within_columns_clause=True, within_label_clause=True, **kw)
                    + " AS " + preparer.quote(name))
            if populate:
                if repeated:
                    objects: tuple = (name,)
                else:
                    objects = (name, column) + ((proxy_name,) if proxy_name else ())
                tq = None if repeated else _tq_label(column)
                result_entries.append([name, name, objects, column.type, tq])
            return text

        if _is_text(column):
            render_with_label = False
        elif _is_named_column(column):
            render_with_label = asfrom and not column.is_literal and column.table is not None
        elif getattr(column, "__visit_name__", None) == "unary":
            inner = getattr(column, "element", None)
            render_with_label = asfrom or not _is_named_column(inner)
        else:
            render_with_label = _non_anon_label(column) is None

        if render_with_label:
            label = fallback if fallback is not None else _anon_name_label(column)
            name = self._anon_label(label)
            text = (process(column, within_columns_clause=True, within_label_clause=True, **kw)
                    + " AS " + preparer.quote(name))
            if populate:
                if repeated:
                    objects = (name,)
                else:
                    objects = (name, column) + ((proxy_name,) if proxy_name else ())
                result_entries.append([name, name, objects, column.type, None])
            return text

        text = process(column, within_columns_clause=True, **kw)
        if populate:
            if _is_text(column):
                result_entries.append([None, None, (column,), column.type, None])
            else:
                target = column
                extra: tuple = ()
                if not _is_named_column(column):
                    inner = getattr(column, "element", None)
                    if _is_named_column(inner):
                        target, extra = inner, (column,)
                name = self._anon_label(target.name)
                key = target.key
                if repeated:
                    objects = (name,)
                else:
                    objects = (target, name) + ((key,) if key != name else ()) + extra
                result_entries.append([name, target.name, objects, column.type,
                                       None if repeated else _tq_label(target)])
        return text

    def get_select_precolumns(self, select: Any, **kw: Any) -> str:
        """DISTINCT / DISTINCT ON (...) before the columns."""
        if select._distinct_on:
            if self.dialect.name == "postgresql":  # type: ignore[attr-defined]
                return "DISTINCT ON (" + ", ".join(
                    self.process(c, **kw) for c in select._distinct_on  # type: ignore[attr-defined]
                ) + ") "
            if type(self.dialect).__name__ == "StrCompileDialect":  # type: ignore[attr-defined]
                return "DISTINCT " if select._distinct else ""  # str(): no warning
            warnings.warn(
                "DISTINCT ON is currently supported only by the PostgreSQL dialect.  Use of "
                "DISTINCT ON for other backends is currently silently ignored, however this "
                "usage is deprecated, and will raise CompileError in a future release for all "
                "backends that do not support this syntax.",
                exc.SADeprecationWarning, stacklevel=2,
            )
        return "DISTINCT " if select._distinct else ""

    def group_by_clause(self, select: Any, **kw: Any) -> str:
        comma = operators.comma_op
        kw["_label_resolve_dict"] = self._label_resolve(select)
        group_by = ", ".join(
            self.process(c.self_group(against=comma), **kw)  # type: ignore[attr-defined]
            for c in select._group_by_clauses
        )
        return " GROUP BY " + group_by if group_by else ""

    def order_by_clause(self, select: Any, **kw: Any) -> str:
        comma = operators.comma_op
        kw["_label_resolve_dict"] = self._label_resolve(select)
        selected = None
        parts = []
        for c in select._order_by_clauses:
            label = _order_by_label_element(c)
            item_kw = kw
            if label is not None:
                if selected is None:
                    selected = {id(x) for x in select._all_selected_columns}
                if id(label) in selected:
                    item_kw = dict(kw, render_label_as_label=label)
            parts.append(self.process(c.self_group(against=comma), **item_kw))  # type: ignore[attr-defined]
        order_by = ", ".join(p for p in parts if p)
        return " ORDER BY " + order_by if order_by else ""

    def limit_clause(self, select: Any, **kw: Any) -> str:
        """LIMIT / OFFSET as each dialect writes them (values are bound parameters)."""
        limit = select._limit_clause
        offset = select._offset_clause
        dialect = self.dialect.name  # type: ignore[attr-defined]
        process = self.process  # type: ignore[attr-defined]
        text = ""
        if dialect == "sqlite":
            if limit is not None:
                text += "\n LIMIT " + process(limit, **kw)
            if offset is not None:
                if limit is None:
                    text += "\n LIMIT " + process(select._pad_bind, **kw)
                text += " OFFSET " + process(offset, **kw)
            else:
                text += " OFFSET " + process(select._pad_bind, **kw)
            return text
        if dialect == "postgresql":
            if limit is not None:
                text += " \n LIMIT " + process(limit, **kw)
            if offset is not None:
                if limit is None:
                    text += "\n LIMIT ALL"
                text += " OFFSET " + process(offset, **kw)
            return text
        if limit is not None:
            text += "\n LIMIT " + process(limit, **kw)
        if offset is not None:
            if limit is None:
                text += "\n LIMIT -1"
            text += " OFFSET " + process(offset, **kw)
        return text

    def for_update_clause(self, select: Any, **kw: Any) -> str:
        """FOR UPDATE and its variants; SQLite has no row locks and renders nothing."""
        dialect = self.dialect.name  # type: ignore[attr-defined]
        if dialect == "sqlite":
            return ""
        if dialect != "postgresql":
            return " FOR UPDATE"
        arg = select._for_update_arg
        if arg.read:
            text = " FOR KEY SHARE" if arg.key_share else " FOR SHARE"
        elif arg.key_share:
            text = " FOR NO KEY UPDATE"
        else:
            text = " FOR UPDATE"
        if arg.of:
            tables: list = []
            for item in arg.of:
                for t in ([item] if isinstance(item, FromClause) else _surface_tables(item)):
                    if all(t is not seen for seen in tables):
                        tables.append(t)
            of_kw = dict(kw, ashint=True, use_schema=False)
            text += " OF " + ", ".join(self.process(t, **of_kw) for t in tables)  # type: ignore[attr-defined]
        if arg.nowait:
            text += " NOWAIT"
        if arg.skip_locked:
            text += " SKIP LOCKED"
        return text

    # -- compound SELECT --------------------------------------------------------------------

    def visit_compound_select(self, cs: CompoundSelect, asfrom: bool = False,
                              compound_index: Optional[int] = None, **kw: Any) -> str:
        for name in _SELECT_RESETS:
            kw.pop(name, None)
        stack = self.stack
        if stack is None:
            stack = self.stack = []
        toplevel = not stack
        entry = stack[-1] if stack else _DEFAULT_ENTRY
        insert_into = kw.pop("insert_into", False)
        need_result_map = (toplevel and not insert_into) or (
            not compound_index and bool(entry.get("need_result_map_for_compound"))
        )
        if compound_index == 0:
            entry["select_0"] = cs
        stack.append({
            "correlate_froms": entry["correlate_froms"],
            "asfrom_froms": entry["asfrom_froms"],
            "selectable": cs,
            "need_result_map_for_compound": need_result_map,
        })
        parts = []
        for i, member in enumerate(cs.selects):
            rendered = self.process(member, asfrom=asfrom, compound_index=i, **kw)  # type: ignore[attr-defined]
            if isinstance(member, CompoundSelect) or member._order_by_clauses or (
                    isinstance(member, GenerativeSelect) and member._has_row_limiting_clause):
                rendered = "(" + rendered + ")"
            parts.append(rendered)
        text = (" " + cs.keyword + " ").join(parts)
        clause_kw = dict(kw, include_table=False)
        if cs._group_by_clauses:
            text += self.group_by_clause(cs, **clause_kw)
        if cs._order_by_clauses:
            text += self.order_by_clause(cs, **clause_kw)
        if cs._has_row_limiting_clause:
            text += self.limit_clause(cs, **kw)
        if cs._for_update_arg is not None:
            text += self.for_update_clause(cs, **kw)
        if self._ctes and toplevel and not insert_into:
            text = self._render_cte_clause() + text
        stack.pop()
        return text

    # -- SELECTs as expressions --------------------------------------------------------------

    def visit_scalar_select(self, element: Any, **kw: Any) -> str:
        return "(" + self.process(element.element, **kw) + ")"  # type: ignore[attr-defined]

    def visit_exists(self, element: Any, **kw: Any) -> str:
        return "EXISTS (" + self.process(element.element, **kw) + ")"  # type: ignore[attr-defined]


def _surface_tables(column: Any) -> list:
    table = getattr(column, "table", None)
    return [table] if table is not None else []


def _with_table_labels(entries: list) -> list:
    """Result columns, each also answering to its `<table>_<column>` name when that names no
    other column (SQLAlchemy's legacy row keys) — never at the cost of an ambiguity."""
    counts: dict = {}
    for keyname, _name, objects, _type, tq in entries:
        for o in (keyname, *objects):
            if isinstance(o, str):
                counts[o] = counts.get(o, 0) + 1
        if tq is not None:
            counts[tq] = counts.get(tq, 0) + (0 if tq in objects or tq == keyname else 1)
    out = []
    for keyname, name, objects, type_, tq in entries:
        if tq is not None and tq != keyname and tq not in objects and counts.get(tq) == 1:
            objects = (*objects, tq)
        out.append((keyname, name, objects, type_))
    return out
