"""Selectables: tables, aliases, subqueries, CTEs, joins, SELECT and compound SELECT statements.

Everything that can stand in a FROM clause or be selected from lives here, with SQLAlchemy
2.x's builder API (`select(t).join(u).where(...)`). Statements are immutable: a builder method
returns a modified copy, which is what lets one cache key, computed once per statement, map it
to a compiled form shared by every statement of the same shape. sql/compile_select.py renders
these (SelectCompiler, mixed into SQLCompiler); dml.py builds INSERT/UPDATE/DELETE on top of
TableClause.

Hot path: building `select(...).join(...).where(...)` and computing its cache key happen on
every execution, so builders only append to tuples and keys are hand-written tuples. Work that
only compilation needs (resolving joins and their ON clauses, the FROM list, column labels) is
done when the statement is compiled, i.e. once per shape.
"""

from __future__ import annotations

import decimal
import enum
import itertools
import warnings
from typing import Any
from typing import Iterable
from typing import Optional
from typing import Sequence

from .. import exc
from . import coercions
from . import operators
from . import type_api
from .base import ColumnCollection
from .base import Executable
from .base import Generative
from .base import ReadOnlyColumnCollection
from .base import _generative
from .elements import BindParameter
from .elements import ClauseElement
from .elements import ColumnClause
from .elements import ColumnElement
from .elements import False_
from .elements import Grouping
from .elements import Null
from .elements import True_
from .elements import Label
from .elements import TextClause
from .elements import UnaryExpression
from .elements import WrapsColumnExpression
from .elements import _anonymous_label
from .functions import FunctionElement

__all__ = [
    "Alias", "AliasedReturnsRows", "CTE", "CompoundSelect", "Exists", "FromClause", "Join",
    "LABEL_STYLE_DEFAULT", "LABEL_STYLE_DISAMBIGUATE_ONLY", "LABEL_STYLE_NONE",
    "LABEL_STYLE_TABLENAME_PLUS_COL", "Lateral", "ReturnsRows", "ScalarSelect", "Select",
    "SelectBase", "SelectLabelStyle", "Selectable", "Subquery", "TableClause", "TextualSelect",
    "GenerativeSelect", "alias", "cte",
    "except_", "except_all", "exists", "intersect", "intersect_all", "join", "lateral",
    "outerjoin", "select", "table", "union", "union_all",
]


class SelectLabelStyle(enum.Enum):
    """How a SELECT labels its columns (Select.set_label_style())."""

    LABEL_STYLE_NONE = 0
    LABEL_STYLE_TABLENAME_PLUS_COL = 1
    LABEL_STYLE_DISAMBIGUATE_ONLY = 2


LABEL_STYLE_NONE = SelectLabelStyle.LABEL_STYLE_NONE
LABEL_STYLE_TABLENAME_PLUS_COL = SelectLabelStyle.LABEL_STYLE_TABLENAME_PLUS_COL
LABEL_STYLE_DISAMBIGUATE_ONLY = SelectLabelStyle.LABEL_STYLE_DISAMBIGUATE_ONLY
LABEL_STYLE_DEFAULT = LABEL_STYLE_DISAMBIGUATE_ONLY


# -- anonymous names ---------------------------------------------------------------------------


_anon_idents = itertools.count(1)


def _anon_for(element: Any, base: Optional[str]) -> _anonymous_label:
    """The anonymous name of `element` with `base` (equal for the same element): the compiler
    numbers it `<base>_<n>` (anon_1, a_1, count_1) in order of first rendering."""
    return _anonymous_label(id(element), base or "anon")


def _is_anon(name: Any) -> bool:
    return type(name) is not str and isinstance(name, str) and name[:2] == "%("


# -- cache-key context ---------------------------------------------------------------------------
#
# Two things in a cache key need to know about the whole statement being keyed: anonymous
# FROM objects (their number in the statement, not their identity, is their shape), and FROM
# objects referenced many times (each column of a subquery refers to it; its key and binds are
# given once, later references are a short ("ref", n)). Both use a numbering shared by one
# top-level key computation, kept here under id(binds) of that computation. The outermost
# selectable (or DML statement, via _key_context) owns it.

_KEY_CONTEXTS: dict[int, dict] = {}


class _key_context:
    """`with _key_context(binds):` around a top-level `_gen_cache_key` that is not a SELECT."""

    __slots__ = ("binds_id", "owner")

    def __init__(self, binds: list) -> None:
        self.binds_id = id(binds)

    def __enter__(self) -> dict:
        ctx = _KEY_CONTEXTS.get(self.binds_id)
        self.owner = ctx is None
        if ctx is None:
            ctx = _KEY_CONTEXTS[self.binds_id] = {}
        return ctx

    def __exit__(self, *exc_info: Any) -> None:
        if self.owner:
            _KEY_CONTEXTS.pop(self.binds_id, None)


def _memo_key(element: Any, binds: list, compute: Any) -> Any:
    """`compute(binds)` the first time `element` is keyed in this statement, ("ref", n) after."""
    ctx = _KEY_CONTEXTS.get(id(binds))
    if ctx is None:
        return compute(binds)
    ident = id(element)
    seen = ctx.get(ident)
    if seen is not None:
        return ("ref", seen[0])
    ctx[ident] = (len(ctx), element)  # keeps element alive so its id isn't reused meanwhile
    return compute(binds)


def _anon_number(element: Any, binds: list) -> Any:
    """The shape-stable stand-in for an anonymous name in a cache key."""
    ctx = _KEY_CONTEXTS.get(id(binds))
    if ctx is None:
        return ("anon", next(_anon_idents))  # no context: unique, so never a wrong cache hit
    ident = ("anon", id(element))
    seen = ctx.get(ident)
    if seen is None:
        seen = ctx[ident] = (len(ctx), element)
    return ("anon", seen[0])


# -- naming the columns of a SELECT ---------------------------------------------------------------
#
# SQLAlchemy's rules, over this package's expression classes: a column has a name of its own,
# a label its label, a CAST(x) the name of x, a function its name as the base of an anonymous
# label (count_1), anything else an anonymous label (anon_1).


def _from_objects(element: Any) -> list:
    """The FROM objects an expression refers to (tables of its columns, ...), in order."""
    return list(element._from_objects)


def _is_label(element: Any) -> bool:
    return isinstance(element, Label)


def _is_named_column(element: Any) -> bool:
    return isinstance(element, ColumnClause)


def _is_text(element: Any) -> bool:
    return isinstance(element, TextClause) or not getattr(
        element, "_render_label_in_columns_clause", True
    )


def _unwrap(c: Any) -> Any:
    while isinstance(c, WrapsColumnExpression):
        c = c._wrapped
    return c


def _non_anon_label(c: Any) -> Optional[str]:
    """The name a column expression has of its own (a column's name, a label's name)."""
    if isinstance(c, ColumnClause):
        return c.name
    if isinstance(c, Label):
        return None if c._anonymous else c.name
    if isinstance(c, (WrapsColumnExpression, BindParameter, UnaryExpression)):
        return None
    value = getattr(c, "_non_anon_label", None)
    return value if isinstance(value, str) else None


def _proxy_key(c: Any) -> Optional[str]:
    """The key a subquery column made from `c` gets (None: `_no_label`)."""
    if isinstance(c, ColumnClause):
        key = c.key or c.name
        return None if _is_anon(key) else key
    if isinstance(c, Label):
        return None if c._anonymous else c.name
    if isinstance(c, WrapsColumnExpression):
        inner = _unwrap(c)
        return None if _is_text(inner) else _proxy_key(inner)
    if isinstance(c, BindParameter):
        return None
    if isinstance(c, FunctionElement):
        return c.name
    value = getattr(c, "_proxy_key", None)
    return value if isinstance(value, str) and not _is_anon(value) else None


def _anon_name_label(c: Any) -> str:
    """The anonymous label of `c` (a wrapper's is its column's name, when it has one)."""
    if isinstance(c, WrapsColumnExpression):
        inner = _unwrap(c)
        if not _is_text(inner):
            name = _non_anon_label(inner)
            if name:
                return name
            return _anon_name_label(inner)
    if isinstance(c, Label) and c._anonymous:
        return c.name
    base = getattr(c, "_anon_base", None)
    return _anon_for(c, base if isinstance(base, str) and base else "anon")


def _tq_label(c: Any, use_key: bool = False) -> Optional[str]:
    """`<table>_<column>` for a table-bound column, as LABEL_STYLE_TABLENAME_PLUS_COL names it."""
    if isinstance(c, ColumnClause):
        name = (c.key if use_key else c.name) or c.name
        table = c.table
        if table is None or not getattr(table, "named_with_column", False) or c.is_literal:
            return name
        tname = table.name
        if _is_anon(tname):
            return None
        schema = getattr(table, "schema", None)
        if schema:
            return f"{schema.replace('.', '_')}_{tname}_{name}"
        return f"{tname}_{name}"
    if isinstance(c, Label):
        return None if c._anonymous else c.name
    if isinstance(c, WrapsColumnExpression):
        return _tq_label(_unwrap(c), use_key)
    return None


def _label_style_check(style: Any) -> SelectLabelStyle:
    if not isinstance(style, SelectLabelStyle):
        raise exc.ArgumentError(f"Label style {style!r} is not a SelectLabelStyle")
    return style


def _column_key_namer(label_style: SelectLabelStyle) -> Any:
    """Names for Select.selected_columns / subquery .c keys: duplicates get `_1`, `_2`."""
    table_qualified = label_style is LABEL_STYLE_TABLENAME_PLUS_COL
    dedupe = label_style is not LABEL_STYLE_NONE
    names: set = set()
    counters: dict = {}
    by_element: dict = {}

    def anon(element: Any, base: str) -> str:
        ident = (id(element), base)
        name = by_element.get(ident)
        if name is None:
            n = counters.get(base, 0) + 1
            counters[base] = n
            name = by_element[ident] = f"{base}_{n}"
        return name

    def namer(c: Any) -> Optional[str]:
        if _is_text(c):
            return None
        if not dedupe:
            name = _proxy_key(c)
            return "_no_label" if name is None else name
        name = _tq_label(c, use_key=True) if table_qualified else _proxy_key(c)
        if name is None:
            name = "_no_label"
            if name in names:
                return anon(c, name)
            names.add(name)
            return name
        if name in names:
            return anon(c, name)
        names.add(name)
        return name

    return namer


def _columns_plus_names(
    columns: Sequence[Any], label_style: SelectLabelStyle, anon_for_dupe_key: bool
) -> list:
    """For each selected column: (required_label, key, fallback_label, column, repeated).

    required_label: the label the SQL must give it (a disambiguating `id_1`, a tablename_col);
    fallback_label: the label to use if the compiler labels it anyway (in a subquery);
    key: its key in .selected_columns / a subquery's .c. As SQLAlchemy's select() names them.
    """
    namer = _column_key_namer(label_style)
    names: dict = {}
    result = []
    table_qualified = label_style is LABEL_STYLE_TABLENAME_PLUS_COL
    label_style_none = label_style is LABEL_STYLE_NONE
    dedupe_idx = 1

    def dedupe_label(c: Any, idx: int, tq: bool) -> str:
        base = None if tq else getattr(c, "name", None)
        if not isinstance(base, str) or _is_anon(base):
            base = _tq_label(c) or "anon"
        return _anonymous_label(f"{id(c)}.{idx}", base + "_")

    for c in columns:
        repeated = False
        if _is_text(c):
            effective = required = fallback = None
        elif label_style_none:
            effective = required = None
            fallback = _non_anon_label(c) or _anon_name_label(c)
        else:
            if table_qualified:
                required = effective = fallback = _tq_label(c)
            else:
                effective = fallback = _non_anon_label(c)
                required = None
            if effective is None:
                anon = _anon_name_label(c)
                repeated = anon in names
                names[anon] = c
                required = None
                if repeated:
                    fallback = dedupe_label(c, dedupe_idx, table_qualified)
                    dedupe_idx += 1
                else:
                    fallback = anon
        if effective is not None:
            if effective in names:
                if names[effective] is not c:
                    if table_qualified:
                        required = fallback = _anon_for(c, _tq_label(c))
                    else:
                        required = fallback = _anon_name_label(c)
                    if anon_for_dupe_key and required in names:
                        required = fallback = dedupe_label(c, dedupe_idx, table_qualified)
                        dedupe_idx += 1
                        repeated = True
                    else:
                        names[required] = c
                elif anon_for_dupe_key:
                    required = fallback = dedupe_label(c, dedupe_idx, table_qualified)
                    dedupe_idx += 1
                    repeated = True
            else:
                names[effective] = c
        result.append((required, namer(c), fallback, c, repeated))
    return result


def _coerce_from(element: Any, argname: str = "FROM clause") -> "FromClause":
    if isinstance(element, FromClause):
        return element
    ce = getattr(element, "__clause_element__", None)
    if ce is None and isinstance(element, type):
        ce = coercions._inspected(element)  # a mapped class: its mapper's selectable
    if ce is not None:
        resolved = ce()
        # an ORM entity (`select_from(User)`, `join(User, ...)`) stands for its selectable
        resolved = getattr(resolved, "_entity_from_clause", resolved)
        if isinstance(resolved, FromClause):
            return resolved
        element = resolved
    if isinstance(element, SelectBase):
        raise exc.ArgumentError(
            "FROM expression, such as a Table or alias() object expected, got "
            f"{element!r}. To create a FROM clause from a {type(element)!r} object, use the "
            ".subquery() method."
        )
    if isinstance(element, str):
        raise exc.ArgumentError(
            f"Textual SQL FROM expression {element!r} should be explicitly declared as "
            f"text({element!r}), or use table({element!r}) for more specificity."
        )
    raise exc.ArgumentError(
        f"FROM expression, such as a Table or alias() object expected, got {element!r}."
    )


def _coerce_columns_clause(element: Any) -> Any:
    """An argument of select(): a column expression, a FROM clause (all its columns), text();
    None, booleans and numbers become NULL, true/false and literal numbers, as in SQLAlchemy."""
    if isinstance(element, (ColumnElement, FromClause, TextClause)):
        return element
    # a mapped class (the common case: `select(User)`) is all its mapper's columns
    ce = coercions._inspected(element) if isinstance(element, type) else None
    if ce is None:
        ce = getattr(element, "__clause_element__", None)
    if ce is not None:
        return _coerce_columns_clause(ce())
    if element is None:
        return Null()
    if element is True or element is False:
        return True_() if element else False_()
    if isinstance(element, (int, float, decimal.Decimal)):
        return ColumnClause(str(element), is_literal=True)
    if isinstance(element, str):
        raise exc.ArgumentError(
            f"Textual column expression {element!r} should be explicitly declared with "
            f"text({element!r}), or use column({element!r}) for more specificity"
        )
    if isinstance(element, SelectBase):
        raise exc.ArgumentError(
            "Column expression, FROM clause, or other columns clause element expected, got "
            f"{element!r}. To create a FROM clause from a {type(element)!r} object, use the "
            ".subquery() method."
        )
    if isinstance(element, (list, tuple)):
        inner = ", ".join(repr(e) for e in element)
        raise exc.ArgumentError(
            "Column expression, FROM clause, or other columns clause element expected, got "
            f"{list(element)!r}. Did you mean to say select({inner})?"
        )
    raise exc.ArgumentError(
        "Column expression, FROM clause, or other columns clause element expected, got "
        f"{element!r}."
    )


def _coerce_criterion(element: Any) -> ClauseElement:
    return coercions.expect_where(element)


def _coerce_onclause(element: Any) -> ClauseElement:
    return coercions.expect_where(element)


def _coerce_order_by(element: Any) -> Any:
    return coercions.expect_by_clause(element)


def _limit_offset(value: Any, name: str) -> Optional[ClauseElement]:
    if value is None:
        return None
    if isinstance(value, ClauseElement):
        return value
    ce = getattr(value, "__clause_element__", None)
    if ce is not None:
        return ce()
    return BindParameter("param", int(value), type_=_integer(), unique=True)


def _integer() -> Any:
    from .sqltypes import Integer

    return Integer()


def _int_value(clause: Optional[ClauseElement]) -> Optional[int]:
    if clause is None:
        return None
    if isinstance(clause, BindParameter):
        return clause.effective_value
    raise exc.CompileError(
        "This SELECT structure does not use a simple integer value for limit/offset"
    )


def _and(*clauses: Any) -> Any:
    from . import elements

    and_ = getattr(elements, "and_", None)
    if and_ is None:  # pragma: no cover - until the operators land
        raise exc.InvalidRequestError("and_() is not available")
    return and_(*clauses)


# -- bases ------------------------------------------------------------------------------------


class ReturnsRows(ClauseElement):
    """Something that produces rows: a FROM clause or a SELECT."""

    _is_returns_rows = True
    is_selectable = True

    @property
    def selectable(self) -> "ReturnsRows":
        return self

    def is_derived_from(self, fromclause: Any) -> bool:
        return False


class Selectable(ReturnsRows):
    """Base of FROM clauses and SELECT statements."""

    def corresponding_column(self, column: Any, require_embedded: bool = False) -> Any:
        """The column of this selectable's `.c` that stands for `column`, or None."""
        return _corresponding(self.exported_columns, column, require_embedded)

    @property
    def exported_columns(self) -> Any:
        raise NotImplementedError()


def _proxy_set(column: Any) -> set:
    """ids of `column` and of every column it stands for (through subqueries and labels)."""
    cached = getattr(column, "_proxy_set_ids", None)
    if cached is not None:
        return cached
    ids = {id(column)}
    stack = list(getattr(column, "_proxies", ()) or ())
    if _is_label(column):
        stack.append(column.element)
    while stack:
        c = stack.pop()
        if id(c) in ids:
            continue
        ids.add(id(c))
        stack.extend(getattr(c, "_proxies", ()) or ())
        if _is_label(c):
            stack.append(c.element)
    if isinstance(column, _ProxyColumn):
        column._proxy_set_ids = ids
    return ids


def _corresponding(columns: Any, column: Any, require_embedded: bool = False) -> Any:
    target = id(column)
    found = None
    found_distance = None
    for c in columns:
        if c is column:
            return c
        ids = _proxy_set(c)
        if target in ids:
            distance = _proxy_distance(c, column)
            if found is None or distance < found_distance:
                found, found_distance = c, distance
    return found


def _proxy_distance(c: Any, target: Any) -> int:
    level = [c]
    depth = 0
    seen: set = set()
    while level and depth < 64:
        nxt = []
        for item in level:
            if item is target:
                return depth
            if id(item) in seen:
                continue
            seen.add(id(item))
            nxt.extend(getattr(item, "_proxies", ()) or ())
            if _is_label(item):
                nxt.append(item.element)
        level = nxt
        depth += 1
    return depth


class ColumnSet(list):
    """A list of columns compared by identity: a derived FROM clause's primary key."""

    def __contains__(self, column: Any) -> bool:  # type: ignore[override]
        return any(c is column for c in self)

    def contains_column(self, column: Any) -> bool:
        return column in self

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]
        return isinstance(other, list) and len(self) == len(other) and all(
            a is b for a, b in zip(self, other)
        )

    __hash__ = None  # type: ignore[assignment]


class FromClause(Selectable):
    """Something that can appear in a FROM clause: a table, an alias, a join, a subquery."""

    __visit_name__ = "fromclause"
    named_with_column = False
    schema: Optional[str] = None
    _is_from_clause = True
    _hide_froms: Sequence["FromClause"] = ()
    _is_lateral = False

    @property
    def _from_objects(self) -> list:
        return [self]

    @property
    def description(self) -> str:
        return getattr(self, "name", None) or self.__class__.__name__

    @property
    def exported_columns(self) -> Any:
        return self.c

    @property
    def entity_namespace(self) -> Any:
        return self.c

    def select(self) -> "Select":
        """SELECT all columns FROM this."""
        return Select(self)

    def join(self, right: Any, onclause: Any = None, isouter: bool = False,
             full: bool = False) -> "Join":
        """This JOIN `right`, ON `onclause` or on the one foreign key between them."""
        return Join(self, right, onclause, isouter, full)

    def outerjoin(self, right: Any, onclause: Any = None, full: bool = False) -> "Join":
        """This LEFT OUTER JOIN `right` (FULL OUTER JOIN with full=True)."""
        return Join(self, right, onclause, True, full)

    def alias(self, name: Optional[str] = None, flat: bool = False) -> "Alias":
        """This under another name: `t AS name` (an anonymous name when None)."""
        return Alias(self, name)

    def lateral(self, name: Optional[str] = None) -> "Lateral":
        return Lateral(self, name)

    def is_derived_from(self, fromclause: Any) -> bool:
        return fromclause is self or fromclause in self._hide_froms

    def _refresh_for_new_column(self, column: Any) -> None:
        pass


class _DerivedColumns:
    """`.c`, `.primary_key` and `.foreign_keys` made on first use, for derived FROM clauses."""

    _derived: Optional[tuple] = None

    def _populate(self) -> tuple:
        raise NotImplementedError()

    def _derived_columns(self) -> tuple:
        derived = self.__dict__.get("_derived")
        if derived is None:
            derived = self.__dict__["_derived"] = self._populate()
        return derived

    @property
    def c(self) -> ReadOnlyColumnCollection:
        return self._derived_columns()[0]

    columns = c

    @property
    def primary_key(self) -> ColumnSet:
        return self._derived_columns()[1]

    @property
    def foreign_keys(self) -> set:
        return self._derived_columns()[2]


class _ProxyForeignKey:
    """A foreign key of a column of an alias or subquery: same target, the proxy as parent."""

    __slots__ = ("parent", "_fk")

    def __init__(self, parent: Any, fk: Any) -> None:
        self.parent = parent
        self._fk = fk

    @property
    def column(self) -> Any:
        return self._fk.column

    @property
    def constraint(self) -> Any:
        return self._fk.constraint

    @property
    def target_fullname(self) -> str:
        return self._fk.target_fullname

    def get_referent(self, table: Any) -> Any:
        return self._fk.get_referent(table)

    def references(self, table: Any) -> bool:
        return self.get_referent(table) is not None

    def __repr__(self) -> str:
        return f"ForeignKey({self._fk.target_fullname!r})"


class _ProxyColumn(ColumnClause):
    """A column of an alias, subquery or CTE, standing for a column of what it wraps.

    Its name may be anonymous (the `anon_1` of an unnamed expression in the subquery), so it
    has its own visit method, which names it as the subquery's SELECT labels it."""

    __visit_name__ = "proxy_column"
    _proxy_set_ids: Optional[set] = None

    def __init__(self, name: str, key: Optional[str], type_: Any, table: Any, source: Any,
                 extra_proxies: Sequence[Any] = ()) -> None:
        ColumnClause.__init__(self, name, type_, False, table)
        self.key = key if key is not None else name
        self._proxies = [source, *extra_proxies]
        self.primary_key = bool(getattr(source, "primary_key", False)) and _is_named_column(source)
        self.nullable = getattr(source, "nullable", True)
        fks = getattr(source, "foreign_keys", None) if _is_named_column(source) else None
        self.foreign_keys = {_ProxyForeignKey(self, fk) for fk in fks} if fks else set()
        self._creation_order = getattr(source, "_creation_order", 0)

    def _gen_cache_key(self, binds: list) -> tuple:
        return ("pcol", self.key, self.table._gen_cache_key(binds))

    @property
    def _from_objects(self) -> list:
        return [self.table]

    @property
    def base_columns(self) -> set:
        out = set()
        stack = [self]
        while stack:
            c = stack.pop()
            proxies = getattr(c, "_proxies", None)
            if proxies:
                stack.extend(proxies)
            else:
                out.add(c)
        return out

    def shares_lineage(self, other: Any) -> bool:
        return bool(_proxy_set(self) & _proxy_set(other))

    def __repr__(self) -> str:
        return f"Column({self.name!r}, {self.type!r}, table=<{self.table.description}>)"


def _make_proxy(column: Any, selectable: Any, name: Any, key: Optional[str],
                extra: Sequence[Any] = ()) -> _ProxyColumn:
    return _ProxyColumn(name, key, column.type, selectable, column, extra)


# -- tables ------------------------------------------------------------------------------------


class TableClause(FromClause):
    """A named table and its columns, without schema metadata: what `table()` makes.

    schema.Table is a TableClause with constraints, indexes and MetaData membership.
    """

    __visit_name__ = "table"
    named_with_column = True
    implicit_returning = False
    _key_memo: Optional[tuple] = None

    def __init__(self, name: str, *columns: Any, **kw: Any) -> None:
        self.name = name
        self.schema = kw.pop("schema", None)
        if kw:
            raise exc.ArgumentError(f"Unsupported argument(s): {set(kw)}")
        self.fullname = self.name if self.schema is None else f"{self.schema}.{self.name}"
        self._columns = ColumnCollection()
        self.primary_key = ColumnSet()
        self.foreign_keys: set = set()
        self._c_view: Any = None
        for c in columns:
            self.append_column(c)

    def append_column(self, c: Any, **kw: Any) -> None:
        existing = c.table
        if existing is not None and existing is not self:
            raise exc.ArgumentError(
                f"column object '{c.key}' already assigned to table '{existing.description}'"
            )
        self._columns.add(c)
        c.table = self
        self._c_view = None
        self._key_memo = None

    @property
    def columns(self) -> ReadOnlyColumnCollection:
        view = self._c_view
        if view is None:
            view = self._c_view = self._columns.as_readonly()
        return view

    c = columns

    @property
    def description(self) -> str:
        return self.name

    def _gen_cache_key(self, binds: list) -> tuple:
        key = self._key_memo
        if key is None:
            key = self._key_memo = (
                "table", self.name, self.schema,
                tuple((c.name, c.type._cache_key) for c in self._columns),
            )
        return key

    def insert(self) -> Any:
        """insert(this table)."""
        from .dml import Insert

        return Insert(self)

    def update(self) -> Any:
        """update(this table)."""
        from .dml import Update

        return Update(self)

    def delete(self) -> Any:
        """delete(this table)."""
        from .dml import Delete

        return Delete(self)

    def __str__(self) -> str:
        return self.fullname

    def __repr__(self) -> str:
        return f"TableClause({self.name!r}, schema={self.schema!r})"


def table(name: str, *columns: Any, **kw: Any) -> TableClause:
    """A lightweight table (no MetaData): `table("user", column("id"), column("name"))`."""
    return TableClause(name, *columns, **kw)


# -- aliases, subqueries, CTEs ------------------------------------------------------------------


class AliasedReturnsRows(_DerivedColumns, FromClause):
    """Something under a name of its own in a FROM clause: `<element> AS <name>`."""

    named_with_column = True
    _is_anonymous = False

    def __init__(self, selectable: Any, name: Optional[str] = None) -> None:
        self.element = selectable
        if name is None:
            base = getattr(selectable, "name", None) if isinstance(selectable, FromClause) else None
            if not isinstance(base, str) or _is_anon(base):
                base = "anon"
            name = _anon_for(self, base)
            self._is_anonymous = True
        self.name = name

    @property
    def description(self) -> str:
        name = self.name
        if not _is_anon(name):
            return name
        if isinstance(self.element, FromClause):
            return f"Anonymous alias of {self.element.description}"
        return "anon_1"

    @property
    def original(self) -> Any:
        return self.element

    def _populate(self) -> tuple:
        element = self.element
        columns = ColumnCollection()
        pk = ColumnSet()
        fks: set = set()
        if isinstance(element, SelectBase):
            for name, key, col, extra in element._proxy_columns():
                proxy = _make_proxy(col, self, name, key, extra)
                columns.add(proxy, key)
        else:
            for key, col in element.c.items():
                proxy = _make_proxy(col, self, col.name, key)
                columns.add(proxy, key)
        for col in columns:
            if col.primary_key:
                pk.append(col)
            fks.update(col.foreign_keys)
        return columns.as_readonly(), pk, fks

    @property
    def _hide_froms(self) -> list:  # type: ignore[override]
        return []

    def is_derived_from(self, fromclause: Any) -> bool:
        if fromclause is self:
            return True
        return self.element.is_derived_from(fromclause)

    def _key_body(self, binds: list) -> tuple:
        name = _anon_number(self, binds) if self._is_anonymous else self.name
        return (self.__visit_name__, name, self.element._gen_cache_key(binds))

    def _gen_cache_key(self, binds: list) -> tuple:
        with _key_context(binds):
            return _memo_key(self, binds, self._key_body)

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} at 0x{id(self):x}; {self.description}>"


class Alias(AliasedReturnsRows):
    """`table AS name`: from `table.alias()`."""

    __visit_name__ = "alias"


class Subquery(AliasedReturnsRows):
    """`(SELECT ...) AS name`: from `select(...).subquery()`."""

    __visit_name__ = "subquery"

    def select(self) -> "Select":
        return Select(self)


class Lateral(AliasedReturnsRows):
    """`LATERAL (SELECT ...) AS name`: a subquery that may refer to FROM items before it."""

    __visit_name__ = "lateral"
    _is_lateral = True


class CTE(AliasedReturnsRows):
    """A common table expression: `WITH name AS (SELECT ...)`, referenced by name."""

    __visit_name__ = "cte"

    def __init__(self, selectable: Any, name: Optional[str] = None, recursive: bool = False,
                 nesting: bool = False, _restates: Optional["CTE"] = None) -> None:
        super().__init__(selectable, name)
        if _restates is not None:
            self._is_anonymous = _restates._is_anonymous
        self.recursive = recursive
        self.nesting = nesting
        self._restates = _restates

    def _reference(self) -> "CTE":
        """The CTE this one restates (union_all into a recursive CTE), or itself."""
        cte = self
        while cte._restates is not None:
            cte = cte._restates
        return cte

    def _key_body(self, binds: list) -> tuple:
        name = _anon_number(self._reference(), binds) if self._is_anonymous else self.name
        restates = self._restates
        if restates is not None:
            ctx = _KEY_CONTEXTS.get(id(binds))
            if ctx is not None:
                ctx.setdefault(id(restates), (len(ctx), restates))
        return ("cte", name, self.recursive, self.element._gen_cache_key(binds))

    def alias(self, name: Optional[str] = None, flat: bool = False) -> "CTE":  # type: ignore[override]
        return _CTEAlias(self, name)

    def _compound(self, keyword: str, others: tuple) -> "CTE":
        new = CompoundSelect(keyword, self.element, *others)
        return CTE(new, self.name, self.recursive, self.nesting, _restates=self)

    def union(self, *other: Any) -> "CTE":
        return self._compound("UNION", other)

    def union_all(self, *other: Any) -> "CTE":
        return self._compound("UNION ALL", other)



class _CTEAlias(CTE):
    """`cte AS other_name`: a second reference to a CTE under another name."""

    def __init__(self, cte: CTE, name: Optional[str]) -> None:
        AliasedReturnsRows.__init__(self, cte.element, name)
        self.recursive = cte.recursive
        self.nesting = cte.nesting
        self._restates = None
        self._cte_alias = cte

    def _key_body(self, binds: list) -> tuple:
        name = _anon_number(self, binds) if self._is_anonymous else self.name
        return ("cte_alias", name, self._cte_alias._gen_cache_key(binds))


# -- joins ------------------------------------------------------------------------------------


class Join(_DerivedColumns, FromClause):
    """`left JOIN right ON onclause` (LEFT OUTER with isouter, FULL OUTER with full)."""

    __visit_name__ = "join"

    def __init__(self, left: Any, right: Any, onclause: Any = None, isouter: bool = False,
                 full: bool = False) -> None:
        self.left = _coerce_from(left)
        self.right = _coerce_from(right)
        if onclause is None:
            self.onclause = self._join_condition(
                self.left, self.right,
                a_subset=self.left.right if isinstance(self.left, Join) else None,
            )
        else:
            self.onclause = _coerce_onclause(onclause).self_group(against=operators._asbool)
        self.isouter = isouter
        self.full = full

    @property
    def description(self) -> str:
        return f"Join object on {self.left.description}({id(self.left)}) and " \
               f"{self.right.description}({id(self.right)})"

    @property
    def _from_objects(self) -> list:
        return [self, *self.left._from_objects, *self.right._from_objects]

    @property
    def _hide_froms(self) -> list:  # type: ignore[override]
        return [*self.left._from_objects, *self.right._from_objects]

    def is_derived_from(self, fromclause: Any) -> bool:
        return (
            fromclause is self
            or self.left.is_derived_from(fromclause)
            or self.right.is_derived_from(fromclause)
        )

    def _populate(self) -> tuple:
        columns = ColumnCollection()
        pk = ColumnSet()
        fks: set = set()
        for side in (self.left, self.right):
            for col in side.c:
                key = _tq_label(col, use_key=True) or col.key
                columns.add(col, key)
                if getattr(col, "primary_key", False):
                    pk.append(col)
                fks.update(getattr(col, "foreign_keys", ()) or ())
        return columns.as_readonly(), pk, fks

    def select(self) -> "Select":
        return Select(self)

    def _gen_cache_key(self, binds: list) -> tuple:
        return (
            "join", self.left._gen_cache_key(binds), self.right._gen_cache_key(binds),
            self.onclause._gen_cache_key(binds), self.isouter, self.full,
        )

    def alias(self, name: Optional[str] = None, flat: bool = False) -> Any:
        return self.select().subquery(name)

    # -- the implicit ON clause ---------------------------------------------------------------

    @classmethod
    def _join_condition(cls, a: Any, b: Any, a_subset: Any = None) -> Any:
        constraints = cls._scan_left_right(a, a_subset, b)
        if len(constraints) > 1:
            distinct = {tuple((id(x), id(y)) for x, y in pairs) for pairs in constraints.values()}
            if len(distinct) != 1:
                raise exc.AmbiguousForeignKeysError(
                    f"Can't determine join between '{a.description}' and '{b.description}'; "
                    "tables have more than one foreign key constraint relationship between "
                    "them. Please specify the 'onclause' of this join explicitly."
                )
        if not constraints:
            raise exc.NoForeignKeysError(
                f"Can't find any foreign key relationships between '{a.description}' and "
                f"'{b.description}'."
            )
        crit = [x == y for x, y in next(iter(constraints.values()))]
        return crit[0] if len(crit) == 1 else _and(*crit)

    @classmethod
    def _can_join(cls, left: Any, right: Any) -> bool:
        subset = left.right if isinstance(left, Join) else None
        return bool(cls._scan_left_right(left, subset, right))

    @staticmethod
    def _scan_left_right(a: Any, a_subset: Any, b: Any) -> dict:
        constraints: dict = {}

        def add(fk: Any, col: Any) -> None:
            constraints.setdefault(fk.constraint, []).append((col, fk.parent))

        for left in (a_subset, a):
            if left is None:
                continue
            for fk in sorted(b.foreign_keys, key=_fk_order):
                col = _referent(fk, left)
                if col is not None:
                    add(fk, col)
            if left is not b:
                for fk in sorted(left.foreign_keys, key=_fk_order):
                    col = _referent(fk, b)
                    if col is not None:
                        add(fk, col)
            if constraints:
                break
        return constraints


def _fk_order(fk: Any) -> int:
    return getattr(fk.parent, "_creation_order", 0)


def _referent(fk: Any, selectable: Any) -> Any:
    try:
        return fk.get_referent(selectable)
    except exc.NoReferenceError as err:
        names = {getattr(t, "name", None) for t in _tables_in(selectable)}
        if getattr(err, "table_name", None) in names:
            raise
        return None


def _tables_in(selectable: Any) -> list:
    if isinstance(selectable, Join):
        return _tables_in(selectable.left) + _tables_in(selectable.right)
    if isinstance(selectable, AliasedReturnsRows):
        return _tables_in(selectable.element) if isinstance(selectable.element, FromClause) else []
    if isinstance(selectable, TableClause):
        return [selectable]
    return []


def join(left: Any, right: Any, onclause: Any = None, isouter: bool = False,
         full: bool = False) -> Join:
    """`left JOIN right`, as sqlalchemy.join()."""
    return Join(left, right, onclause, isouter, full)


def outerjoin(left: Any, right: Any, onclause: Any = None, full: bool = False) -> Join:
    """`left LEFT OUTER JOIN right`, as sqlalchemy.outerjoin()."""
    return Join(left, right, onclause, True, full)


# -- SELECT -----------------------------------------------------------------------------------


class ForUpdateArg:
    """The options of with_for_update()."""

    __slots__ = ("nowait", "read", "skip_locked", "key_share", "of")

    def __init__(self, nowait: bool = False, read: bool = False, of: Any = None,
                 skip_locked: bool = False, key_share: bool = False) -> None:
        self.nowait = nowait
        self.read = read
        self.skip_locked = skip_locked
        self.key_share = key_share
        if of is None:
            self.of = None
        else:
            items = of if isinstance(of, (list, tuple)) else [of]
            self.of = [_coerce_columns_clause(e) for e in items]

    def _gen_cache_key(self, binds: list) -> tuple:
        of = None if self.of is None else tuple(e._gen_cache_key(binds) for e in self.of)
        return ("for_update", self.nowait, self.read, self.skip_locked, self.key_share, of)


class SelectBase(Executable, Selectable):
    """Base of SELECT statements (plain and compound): what subquery()/cte()/exists() act on."""

    is_select = True
    _is_select_base = True
    _is_select_statement = True
    _label_style = LABEL_STYLE_DEFAULT
    _order_by_clauses: tuple = ()
    _group_by_clauses: tuple = ()
    _limit_clause: Optional[ClauseElement] = None
    _offset_clause: Optional[ClauseElement] = None
    _for_update_arg: Optional[ForUpdateArg] = None
    _pad_bind: Optional[BindParameter] = None

    @property
    def _from_objects(self) -> list:
        return []

    @property
    def exported_columns(self) -> Any:
        return self.selected_columns

    @property
    def selected_columns(self) -> ReadOnlyColumnCollection:
        raise NotImplementedError()

    @property
    def type(self) -> Any:
        cols = list(self.selected_columns)
        return cols[0].type if cols else type_api.NULLTYPE

    def subquery(self, name: Optional[str] = None) -> Subquery:
        """This SELECT as a FROM item: `(SELECT ...) AS name` (anon_1 when None)."""
        return Subquery(self, name)

    def alias(self, name: Optional[str] = None, flat: bool = False) -> Subquery:
        return self.subquery(name)

    def lateral(self, name: Optional[str] = None) -> Lateral:
        return Lateral(self, name)

    def cte(self, name: Optional[str] = None, recursive: bool = False,
            nesting: bool = False) -> CTE:
        """This SELECT as a common table expression, `WITH name AS (...)`."""
        return CTE(self, name, recursive, nesting)

    def scalar_subquery(self) -> "ScalarSelect":
        """This SELECT as a one-value column expression: `(SELECT ...)`."""
        if self._label_style is not LABEL_STYLE_NONE:
            self = self.set_label_style(LABEL_STYLE_NONE)
        return ScalarSelect(self)

    def label(self, name: Optional[str]) -> Any:
        return self.scalar_subquery().label(name)

    def exists(self) -> "Exists":
        """`EXISTS (this SELECT)`."""
        return Exists(self)

    def _coerce_for_in(self) -> "ScalarSelect":
        return ScalarSelect(self)

    @_generative
    def set_label_style(self, style: SelectLabelStyle) -> None:
        """How columns are labelled: LABEL_STYLE_DISAMBIGUATE_ONLY (default),
        LABEL_STYLE_TABLENAME_PLUS_COL or LABEL_STYLE_NONE."""
        self._label_style = _label_style_check(style)

    def get_label_style(self) -> SelectLabelStyle:
        return self._label_style

    def _proxy_columns(self) -> list:
        """(name, key, column, extra proxies) of the columns a subquery of this exposes."""
        raise NotImplementedError()


class GenerativeSelect(SelectBase):
    """A SELECT that takes ORDER BY, GROUP BY, LIMIT/OFFSET, FOR UPDATE and set operations:
    a plain or compound SELECT, not a textual one."""

    # -- ORDER BY / LIMIT / OFFSET / FOR UPDATE --------------------------------------------------

    @_generative
    def order_by(self, *clauses: Any) -> None:
        """ORDER BY these (added to earlier ones); order_by(None) removes all."""
        if len(clauses) == 1 and clauses[0] is None:
            self._order_by_clauses = ()
            return
        self._order_by_clauses += tuple(_coerce_order_by(c) for c in clauses)

    @_generative
    def group_by(self, *clauses: Any) -> None:
        """GROUP BY these (added to earlier ones); group_by(None) removes all."""
        if len(clauses) == 1 and clauses[0] is None:
            self._group_by_clauses = ()
            return
        self._group_by_clauses += tuple(_coerce_order_by(c) for c in clauses)

    @_generative
    def limit(self, limit: Any) -> None:
        """LIMIT (a bound parameter); limit(None) removes it."""
        self._limit_clause = _limit_offset(limit, "limit")
        self._set_pad()

    @_generative
    def offset(self, offset: Any) -> None:
        """OFFSET (a bound parameter); offset(None) removes it."""
        self._offset_clause = _limit_offset(offset, "offset")
        self._set_pad()

    def _set_pad(self) -> None:
        # SQLite renders "LIMIT ? OFFSET ?" always, with -1 for a missing LIMIT and 0 for a
        # missing OFFSET (as SQLAlchemy does). That value travels as a bind of the statement
        # (listed by its cache key) so that every execution of a cached shape supplies it.
        if self._limit_clause is None and self._offset_clause is None:
            self._pad_bind = None
        else:
            pad = -1 if self._limit_clause is None else 0
            self._pad_bind = BindParameter("param", pad, type_=_integer(), unique=True)

    @_generative
    def slice(self, start: Optional[int], stop: Optional[int]) -> None:
        """LIMIT/OFFSET for rows start..stop, as Python slicing: slice(2, 5) -> LIMIT 3 OFFSET 2."""
        offset = self._offset_clause
        if start is not None:
            current = _int_value(offset) if offset is not None else 0
            total = (current or 0) + int(start)
            offset = None if total == 0 else _limit_offset(total, "offset")
        if stop is not None:
            self._limit_clause = _limit_offset(int(stop) - (int(start) if start else 0), "limit")
        self._offset_clause = offset
        self._set_pad()

    @property
    def _limit(self) -> Optional[int]:
        return _int_value(self._limit_clause)

    @property
    def _offset(self) -> Optional[int]:
        return _int_value(self._offset_clause)

    @property
    def _has_row_limiting_clause(self) -> bool:
        return self._limit_clause is not None or self._offset_clause is not None

    @_generative
    def with_for_update(self, *, nowait: bool = False, read: bool = False, of: Any = None,
                        skip_locked: bool = False, key_share: bool = False) -> None:
        """FOR UPDATE (PostgreSQL: NOWAIT, SKIP LOCKED, OF, FOR SHARE with read=True, ...).
        SQLite has no row locks: it renders nothing, as in SQLAlchemy."""
        self._for_update_arg = ForUpdateArg(nowait, read, of, skip_locked, key_share)

    # -- compound ----------------------------------------------------------------------------

    def union(self, *other: Any) -> "CompoundSelect":
        return CompoundSelect("UNION", self, *other)

    def union_all(self, *other: Any) -> "CompoundSelect":
        return CompoundSelect("UNION ALL", self, *other)

    def except_(self, *other: Any) -> "CompoundSelect":
        return CompoundSelect("EXCEPT", self, *other)

    def except_all(self, *other: Any) -> "CompoundSelect":
        return CompoundSelect("EXCEPT ALL", self, *other)

    def intersect(self, *other: Any) -> "CompoundSelect":
        return CompoundSelect("INTERSECT", self, *other)

    def intersect_all(self, *other: Any) -> "CompoundSelect":
        return CompoundSelect("INTERSECT ALL", self, *other)

    def _common_key(self, binds: list) -> tuple:
        parts: list = []
        if self._order_by_clauses:
            parts.append(("o", *[c._gen_cache_key(binds) for c in self._order_by_clauses]))
        if self._group_by_clauses:
            parts.append(("g", *[c._gen_cache_key(binds) for c in self._group_by_clauses]))
        if self._limit_clause is not None:
            parts.append(("l", self._limit_clause._gen_cache_key(binds)))
        if self._offset_clause is not None:
            parts.append(("f", self._offset_clause._gen_cache_key(binds)))
        if self._pad_bind is not None:
            parts.append(("p", self._pad_bind._gen_cache_key(binds)))
        if self._for_update_arg is not None:
            parts.append(self._for_update_arg._gen_cache_key(binds))
        if self._label_style is not LABEL_STYLE_DEFAULT:
            parts.append(("ls", self._label_style))
        return tuple(parts)


class Select(GenerativeSelect):
    """SELECT: what `select(...)` builds. Builder methods return copies."""

    __visit_name__ = "select"
    _where_criteria: tuple = ()
    _having_criteria: tuple = ()
    _from_obj: tuple = ()
    _setup_joins: tuple = ()
    _distinct = False
    _distinct_on: tuple = ()
    _correlate: tuple = ()
    _correlate_except: Optional[tuple] = None
    _auto_correlate = True
    _prefixes: tuple = ()
    _suffixes: tuple = ()

    _entity_notes: tuple = ()

    def __init__(self, *entities: Any) -> None:
        raw = []
        for e in entities:
            if not isinstance(e, (ColumnElement, FromClause, TextClause)):
                e = self._coerce_column_noting_entity(e)
            raw.append(e)
        self._raw_columns = raw

    def _coerce_column_noting_entity(self, element: Any) -> Any:
        """A columns-clause argument coerced; for an ORM attribute (duck-typed: it has a
        `_parententity`, its mapper) the column is noted with that entity, so filter_by()
        finds keys among the entity's attribute names, as for `select(Entity)`."""
        column = _coerce_columns_clause(element)
        if not isinstance(element, type):
            entity = getattr(element, "_parententity", None)
            if entity is not None:
                self._entity_notes += ((column, entity),)
        return column

    def _coerce_from_noting_entity(self, element: Any) -> Any:
        """A FROM / JOIN argument coerced; an ORM entity stands for its table in the SQL and
        is noted with it, so filter_by() searches the entity's attribute names."""
        if isinstance(element, FromClause):
            return element
        from_ = _coerce_from(element)
        entity = coercions._clause_element(element)
        if getattr(entity, "_is_orm_entity", False):
            self._entity_notes += ((from_, entity),)
        return from_

    # -- columns -----------------------------------------------------------------------------

    @property
    def _all_selected_columns(self) -> list:
        out: list = []
        for raw in self._raw_columns:
            if isinstance(raw, FromClause):
                out.extend(raw.c)
            else:
                out.append(raw)
        return out

    @property
    def selected_columns(self) -> ReadOnlyColumnCollection:
        """The columns this SELECT returns, keyed as its result rows are (duplicates `_1`)."""
        namer = _column_key_namer(self._label_style)
        columns = []
        index = {}
        for c in self._all_selected_columns:
            if _is_text(c):
                continue
            key = namer(c)
            columns.append(c)
            index.setdefault(key, c)
        return ReadOnlyColumnCollection(columns, index)

    def _columns_plus_names(self, anon_for_dupe_key: bool) -> list:
        return _columns_plus_names(self._all_selected_columns, self._label_style, anon_for_dupe_key)

    def _proxy_columns(self) -> list:
        out = []
        for required, key, fallback, col, repeated in self._columns_plus_names(False):
            if _is_text(col):
                continue
            if required is not None:
                name = required
            elif _is_named_column(col) or _is_label(col):
                name = col.name
            else:
                name = _anon_name_label(col)
            out.append((name, key, col, ()))
        return out

    @property
    def column_descriptions(self) -> list:
        return [
            {"name": key, "type": col.type, "expr": col}
            for _req, key, _fb, col, _rep in self._columns_plus_names(False)
        ]

    @_generative
    def with_only_columns(self, *entities: Any, maintain_column_froms: bool = False) -> None:
        """The same SELECT with these columns instead (FROM follows the new columns)."""
        if maintain_column_froms:
            self._from_obj = tuple(_unique(
                list(self._from_obj) + list(self.columns_clause_froms)
            ))
        if len(entities) == 1 and isinstance(entities[0], (list, tuple)):
            raise exc.ArgumentError(
                "The \"entities\" argument to Select.with_only_columns(), when referring "
                "to a sequence of items, is now passed as a series of positional elements, "
                "rather than as a list. "
            )
        self.__dict__.pop("_entity_notes", None)
        self._raw_columns = [self._coerce_column_noting_entity(e) for e in entities]

    @_generative
    def add_columns(self, *entities: Any) -> None:
        """The same SELECT with these columns added."""
        self._raw_columns = self._raw_columns + [
            self._coerce_column_noting_entity(e) for e in entities
        ]

    def column(self, column: Any) -> "Select":
        warnings.warn(
            "The Select.column() method is deprecated and will be removed in a future "
            "release.  Please use Select.add_columns() (deprecated since: 1.4)",
            exc.SADeprecationWarning, stacklevel=2,
        )
        return self.add_columns(column)

    # -- WHERE / HAVING ----------------------------------------------------------------------

    @_generative
    def where(self, *whereclause: Any) -> None:
        """WHERE these (ANDed with the criteria given before)."""
        self._where_criteria += tuple(
            c if isinstance(c, ClauseElement) else _coerce_criterion(c) for c in whereclause
        )

    filter = where

    def filter_by(self, **kwargs: Any) -> "Select":
        """WHERE <entity>.<key> == value for each keyword, found among the FROM entities."""
        entities = self._filter_by_entities()
        clauses = [_find_in_entities(entities, key) == value for key, value in kwargs.items()]
        return self.where(*clauses)

    def _filter_by_entities(self) -> list:
        noted = {id(element): entity for element, entity in self._entity_notes}
        found: list = []
        for target, _on, _left, _outer, _full in self._setup_joins:
            found.append(noted.get(id(target), target))
        found.extend(noted.get(id(f), f) for f in self._from_obj)
        for raw in self._raw_columns:
            entity = noted.get(id(raw))
            if entity is not None:
                found.append(entity)
            elif getattr(raw, "_is_orm_entity", False):
                found.append(raw)  # its mapped attribute names, not its table's column keys
            else:
                found.extend(_from_objects(raw))
        # an entity noted by several of its columns, or also selected whole, is searched once
        entities: list = []
        seen: set = set()
        for item in found:
            if not getattr(item, "_is_orm_entity", False) and not hasattr(item, "entity_namespace"):
                item = coercions._clause_element(item)  # a noted mapper: as select(Entity) has it
            mapper = getattr(item, "mapper", item)
            if id(mapper) not in seen:
                seen.add(id(mapper))
                entities.append(item)
        return entities

    @_generative
    def having(self, *having: Any) -> None:
        """HAVING these (ANDed with the criteria given before)."""
        self._having_criteria += tuple(_coerce_criterion(c) for c in having)

    @property
    def whereclause(self) -> Any:
        criteria = self._where_criteria
        if not criteria:
            return None
        return criteria[0] if len(criteria) == 1 else _and(*criteria)

    # -- FROM / JOIN -------------------------------------------------------------------------

    @_generative
    def select_from(self, *froms: Any) -> None:
        """Add FROM items explicitly (rendered first, in this order)."""
        self._from_obj += tuple(self._coerce_from_noting_entity(f) for f in froms)

    @_generative
    def join(self, target: Any, onclause: Any = None, *, isouter: bool = False,
             full: bool = False) -> None:
        """JOIN `target` to the FROM item it has a foreign key with (or to the ON clause's)."""
        target = self._coerce_from_noting_entity(target)
        if onclause is not None and not isinstance(onclause, ClauseElement):
            onclause = _coerce_onclause(onclause)
        self._setup_joins += ((target, onclause, None, isouter, full),)

    def outerjoin(self, target: Any, onclause: Any = None, *, full: bool = False) -> "Select":
        return self.join(target, onclause, isouter=True, full=full)

    @_generative
    def join_from(self, from_: Any, target: Any, onclause: Any = None, *,
                  isouter: bool = False, full: bool = False) -> None:
        """JOIN `target` to `from_` explicitly."""
        from_ = self._coerce_from_noting_entity(from_)
        target = self._coerce_from_noting_entity(target)
        if onclause is not None and not isinstance(onclause, ClauseElement):
            onclause = _coerce_onclause(onclause)
        self._setup_joins += ((target, onclause, from_, isouter, full),)

    def outerjoin_from(self, from_: Any, target: Any, onclause: Any = None, *,
                       full: bool = False) -> "Select":
        return self.join_from(from_, target, onclause, isouter=True, full=full)

    @_generative
    def correlate(self, *fromclauses: Any) -> None:
        """Correlate to these FROM items of an enclosing SELECT; correlate(None): never."""
        self._auto_correlate = False
        if not fromclauses or fromclauses[0] in (None, False):
            if len(fromclauses) > 1:
                raise exc.ArgumentError("additional FROM objects not accepted when passing None/False to correlate()")
            self._correlate = ()
        else:
            self._correlate = self._correlate + tuple(_coerce_from(f) for f in fromclauses)

    @_generative
    def correlate_except(self, *fromclauses: Any) -> None:
        """Correlate to every enclosing FROM item except these."""
        self._auto_correlate = False
        if not fromclauses or fromclauses[0] in (None, False):
            if len(fromclauses) > 1:
                raise exc.ArgumentError("additional FROM objects not accepted when passing None/False to correlate_except()")
            self._correlate_except = ()
        else:
            self._correlate_except = (self._correlate_except or ()) + tuple(
                _coerce_from(f) for f in fromclauses
            )

    def is_derived_from(self, fromclause: Any) -> bool:
        if fromclause is self:
            return True
        for f in self._froms():
            if f.is_derived_from(fromclause):
                return True
        return False

    @property
    def columns_clause_froms(self) -> list:
        """The FROM items the columns clause implies."""
        froms: list = []
        for raw in self._raw_columns:
            froms.extend(_from_objects(raw))
        return _normalize_froms(froms)

    def get_final_froms(self) -> list:
        """The FROM list as it renders: joins resolved, tables inside joins hidden."""
        return _correlate_froms(self, self._froms(), None, None)

    @property
    def froms(self) -> list:
        warnings.warn(
            "The Select.froms attribute is moved to the Select.get_final_froms() method. "
            "(deprecated since: 1.4.23)", exc.SADeprecationWarning, stacklevel=2,
        )
        return self.get_final_froms()

    def _froms(self) -> list:
        """FROM items before correlation: explicit FROMs and joins, then the columns', then
        the WHERE clause's; tables a join contains are hidden behind it."""
        from_clauses = _resolve_setup_joins(self)
        items = list(from_clauses)
        for raw in self._raw_columns:
            items.extend(_from_objects(raw))
        for crit in self._where_criteria:
            items.extend(_from_objects(crit))
        for item in items:
            if isinstance(item, Subquery) and item.element is self:
                raise exc.InvalidRequestError("select() construct refers to itself as a FROM")
        return _normalize_froms(items)

    # -- other -------------------------------------------------------------------------------

    @_generative
    def distinct(self, *expr: Any) -> None:
        """SELECT DISTINCT; with expressions, PostgreSQL's DISTINCT ON (...) (deprecated form)."""
        if expr:
            warnings.warn(
                "Passing expression to ``distinct`` to generate a DISTINCT ON clause is "
                "deprecated. Use instead the ``postgresql.distinct_on`` function as an "
                "extension. (deprecated since: 2.1)",
                exc.SADeprecationWarning, stacklevel=3,
            )
            self._distinct = True
            self._distinct_on = self._distinct_on + tuple(_coerce_order_by(e) for e in expr)
        else:
            self._distinct = True

    @_generative
    def prefix_with(self, *prefixes: Any, dialect: str = "*") -> None:
        """Text after SELECT (e.g. a hint); `dialect` limits it to one database."""
        self._prefixes = self._prefixes + tuple(
            (p if isinstance(p, ClauseElement) else _text(p), dialect) for p in prefixes
        )

    @_generative
    def suffix_with(self, *suffixes: Any, dialect: str = "*") -> None:
        """Text at the end of the statement; `dialect` limits it to one database."""
        self._suffixes = self._suffixes + tuple(
            (p if isinstance(p, ClauseElement) else _text(p), dialect) for p in suffixes
        )

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        # By hand and flat: this runs on every execution of a select() built afresh. Only
        # the attributes a builder set are in __dict__ (the rest are class defaults), so
        # they are the ones keyed; each part is tagged, so the key says which is which.
        contexts = _KEY_CONTEXTS
        bid = id(binds)
        owner = bid not in contexts
        if owner:
            contexts[bid] = {}
        try:
            key = [Select]
            for name, value in self.__dict__.items():
                if name in _UNKEYED:
                    continue
                part = _SELECT_KEYERS[name](value, binds)
                if part is None:
                    return None
                key.append(name)
                key.append(part)
        finally:
            if owner:
                del contexts[bid]
        return tuple(key)

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} at 0x{id(self):x}>"


def _keys_of(elements: Any, binds: list) -> Optional[tuple]:
    keys = tuple([e._gen_cache_key(binds) for e in elements])
    return None if None in keys else keys


def _key_of(element: Any, binds: list) -> Any:
    return None if element is None else (element._gen_cache_key(binds),)


def _key_joins(joins: tuple, binds: list) -> Optional[tuple]:
    out = []
    for target, on, left, outer, full in joins:
        on_key = None if on is None else on._gen_cache_key(binds)
        out.append((
            target._gen_cache_key(binds), on_key,
            None if left is None else left._gen_cache_key(binds), outer, full,
        ))
        if on is not None and on_key is None:
            return None
    return tuple(out)


def _key_plain(value: Any, binds: list) -> Any:
    return (value,)


def _key_fixes(value: tuple, binds: list) -> tuple:
    return tuple((p._gen_cache_key(binds), d) for p, d in value)


def _key_correlate_except(value: Optional[tuple], binds: list) -> Any:
    return (None,) if value is None else _keys_of(value, binds)


_SELECT_KEYERS = {
    "_raw_columns": _keys_of,
    "_where_criteria": _keys_of,
    "_having_criteria": _keys_of,
    "_order_by_clauses": _keys_of,
    "_group_by_clauses": _keys_of,
    "_from_obj": _keys_of,
    "_setup_joins": _key_joins,
    "_distinct_on": _keys_of,
    "_correlate": _keys_of,
    "_correlate_except": _key_correlate_except,
    "_limit_clause": _key_of,
    "_offset_clause": _key_of,
    "_pad_bind": _key_of,
    "_for_update_arg": _key_of,
    "_distinct": _key_plain,
    "_auto_correlate": _key_plain,
    "_label_style": _key_plain,
    "_prefixes": _key_fixes,
    "_suffixes": _key_fixes,
}
# instance attributes that don't change the SQL
# (_entity_notes only serves filter_by(), whose criteria are keyed as WHERE criteria)
_UNKEYED = frozenset(["_execution_options", "_cache_key_memo", "_comparator", "_entity_notes"])


def _text(value: str) -> TextClause:
    return TextClause(value)


def _unique(items: Iterable[Any]) -> list:
    out: list = []
    seen: set = set()
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


def _find_in_entities(entities: list, key: str) -> Any:
    match = None
    for entity in entities:
        namespace = getattr(entity, "entity_namespace", None)
        if namespace is None:
            continue
        if key in namespace:
            if match is not None:
                desc = ", ".join(str(e) for e in entities[:3])
                if len(entities) > 3:
                    desc += f", ... ({len(entities)} total)"
                raise exc.AmbiguousColumnError(
                    f'Attribute name "{key}" is ambiguous; it exists in multiple FROM clause '
                    f"entities ({desc}). Use filter() with explicit column references instead "
                    "of filter_by()."
                )
            match = namespace[key]
    if match is None:
        desc = ", ".join(str(e) for e in entities[:3])
        if len(entities) > 3:
            desc += f", ... ({len(entities)} total)"
        raise exc.InvalidRequestError(
            f'None of the FROM clause entities have a property "{key}". Searched entities: {desc}'
        )
    return match


def _normalize_froms(items: Iterable[Any]) -> list:
    """Distinct FROM items in order, minus those a join among them contains."""
    froms = _unique(items)
    if froms:
        hidden: set = set()
        for f in froms:
            for h in f._hide_froms:
                hidden.add(id(h))
        if hidden:
            froms = [f for f in froms if id(f) not in hidden]
    return froms


def _resolve_setup_joins(select: Select) -> list:
    """The explicit FROM list with select.join()/join_from() applied, as SQLAlchemy does."""
    from_clauses = list(select._from_obj)
    for right, onclause, left, isouter, full in select._setup_joins:
        explicit_left = left
        replace_index: Optional[int] = None
        if left is None:
            left, replace_index = _implicit_left(select, from_clauses, right, onclause)
        else:
            replace_index = _explicit_left_index(select, from_clauses, left)
        if replace_index is not None:
            left_clause = from_clauses[replace_index]
            if explicit_left is not None and onclause is None:
                onclause = Join._join_condition(explicit_left, right)
            from_clauses[replace_index] = Join(left_clause, right, onclause, isouter, full)
        else:
            from_clauses.append(Join(left, right, onclause, isouter, full))
    return from_clauses


def _implicit_left(select: Select, from_clauses: list, right: Any, onclause: Any) -> tuple:
    replace_index = None
    left = None
    if from_clauses:
        indexes = _left_clauses_to_join_from(from_clauses, right, onclause)
        if len(indexes) == 1:
            replace_index = indexes[0]
            left = from_clauses[replace_index]
    else:
        candidates: list = []
        for raw in select._raw_columns:
            candidates.extend(_from_objects(raw))
        for crit in select._where_criteria:
            candidates.extend(_from_objects(crit))
        candidates = _unique(candidates)
        indexes = _left_clauses_to_join_from(candidates, right, onclause)
        if len(indexes) == 1:
            left = candidates[indexes[0]]
    if len(indexes) > 1:
        raise exc.InvalidRequestError(
            "Can't determine which FROM clause to join from, there are multiple FROMS which "
            "can join to this entity. Please use the .select_from() method to establish an "
            "explicit left side, as well as providing an explicit ON clause if not present "
            "already to help resolve the ambiguity."
        )
    if not indexes:
        raise exc.InvalidRequestError(
            f"Don't know how to join to {right!r}. Please use the .select_from() method to "
            "establish an explicit left side, as well as providing an explicit ON clause if "
            "not present already to help resolve the ambiguity."
        )
    return left, replace_index


def _left_clauses_to_join_from(clauses: list, join_to: Any, onclause: Any) -> list:
    idx: list = []
    targets = join_to._from_objects
    if len(clauses) > 1 and onclause is not None:
        onclause_cols = _columns_in(onclause)
    else:
        onclause_cols = None
    for i, f in enumerate(clauses):
        for s in targets:
            if s is f:
                continue
            if onclause_cols is not None:
                available = {id(c) for c in f.c} | {id(c) for c in s.c}
                if onclause_cols <= available:
                    idx.append(i)
                    break
            elif onclause is not None or Join._can_join(f, s):
                idx.append(i)
                break
    if len(idx) > 1:
        hidden = {id(h) for f in clauses for h in f._hide_froms}
        idx = [i for i in idx if id(clauses[i]) not in hidden]
    if not idx and onclause is not None:
        return list(range(len(clauses)))
    return idx


def _columns_in(element: Any) -> set:
    """ids of the columns an ON clause mentions (not inside subqueries)."""
    found: set = set()
    stack = [element]
    while stack:
        e = stack.pop()
        if isinstance(e, ColumnClause):
            found.add(id(e))
        elif not isinstance(e, (SelectBase, FromClause, ScalarSelect, Exists)):
            stack.extend(e.get_children())
    return found


def _explicit_left_index(select: Select, from_clauses: list, left: Any) -> Optional[int]:
    if not from_clauses:
        return None
    targets = left._from_objects
    liberal = [i for i, f in enumerate(from_clauses) if any(f.is_derived_from(s) for s in targets)]
    if len(liberal) > 1:
        raise exc.InvalidRequestError(
            "Can't identify which entity in which to assign the left side of this join.   "
            "Please use a more specific ON clause."
        )
    return liberal[0] if liberal else None


def _correlate_froms(select: Select, froms: list, explicit: Any, implicit: Any) -> list:
    """`froms` minus those this SELECT correlates to an enclosing one.

    explicit: FROM items of all enclosing SELECTs (for correlate() / correlate_except());
    implicit: those of the immediately enclosing one (for auto-correlation)."""
    if select._correlate and explicit:
        to_correlate = select._correlate
        froms = [f for f in froms if not (f in explicit and _contains(to_correlate, f))]
    if select._correlate_except is not None and explicit:
        keep = select._correlate_except
        froms = [f for f in froms if not (f in explicit and not _contains(keep, f))]
    if select._auto_correlate and implicit and len(froms) > 1:
        remaining = [f for f in froms if f not in implicit]
        if not remaining:
            raise exc.InvalidRequestError(
                f"Select statement '{select!r}' returned no FROM clauses due to "
                "auto-correlation; specify correlate(<tables>) to control correlation manually."
            )
        froms = remaining
    return froms


def _contains(items: Sequence[Any], item: Any) -> bool:
    return any(i is item for i in items)


def select(*entities: Any, **kw: Any) -> Select:
    """SELECT these columns / all columns of these tables, as sqlalchemy.select()."""
    if kw:
        raise exc.ArgumentError(
            f"select() got unexpected keyword argument(s) {sorted(kw)}; in 2.x, select() "
            "takes columns positionally"
        )
    return Select(*entities)


# -- compound SELECT ------------------------------------------------------------------------------


class CompoundSelect(GenerativeSelect):
    """UNION / UNION ALL / EXCEPT / EXCEPT ALL / INTERSECT / INTERSECT ALL of SELECTs."""

    __visit_name__ = "compound_select"

    UNION = "UNION"
    UNION_ALL = "UNION ALL"
    EXCEPT = "EXCEPT"
    EXCEPT_ALL = "EXCEPT ALL"
    INTERSECT = "INTERSECT"
    INTERSECT_ALL = "INTERSECT ALL"

    def __init__(self, keyword: str, *selects: Any) -> None:
        self.keyword = keyword
        members = []
        for s in selects:
            ce = getattr(s, "__clause_element__", None)
            if ce is not None and not isinstance(s, SelectBase):
                s = ce()
            if not isinstance(s, SelectBase):
                hint = (" To SELECT from any FROM clause, use the .select() method."
                        if isinstance(s, FromClause) else "")
                raise exc.ArgumentError(
                    f"SELECT construct for inclusion in a UNION or other set construct "
                    f"expected, got {s!r}.{hint}"
                )
            members.append(s)
        self.selects = members

    @property
    def selected_columns(self) -> ReadOnlyColumnCollection:
        return self.selects[0].selected_columns

    @property
    def _all_selected_columns(self) -> list:
        return self.selects[0]._all_selected_columns

    def _columns_plus_names(self, anon_for_dupe_key: bool) -> list:
        return self.selects[0]._columns_plus_names(anon_for_dupe_key)

    def _proxy_columns(self) -> list:
        first = self.selects[0]._proxy_columns()
        others = [s._proxy_columns() for s in self.selects[1:]]
        out = []
        for i, (name, key, col, extra) in enumerate(first):
            more = [o[i][2] for o in others if i < len(o)]
            out.append((name, key, col, (*extra, *more)))
        return out

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        with _key_context(binds):
            members = tuple(s._gen_cache_key(binds) for s in self.selects)
            if any(m is None for m in members):
                return None
            return ("compound", self.keyword, members, self._common_key(binds))

    def self_group(self, against: Any = None) -> ClauseElement:
        return self


def union(*selects: Any) -> CompoundSelect:
    """SELECT ... UNION SELECT ..."""
    return CompoundSelect("UNION", *selects)


def union_all(*selects: Any) -> CompoundSelect:
    """SELECT ... UNION ALL SELECT ..."""
    return CompoundSelect("UNION ALL", *selects)


def except_(*selects: Any) -> CompoundSelect:
    """SELECT ... EXCEPT SELECT ..."""
    return CompoundSelect("EXCEPT", *selects)


def except_all(*selects: Any) -> CompoundSelect:
    """SELECT ... EXCEPT ALL SELECT ..."""
    return CompoundSelect("EXCEPT ALL", *selects)


def intersect(*selects: Any) -> CompoundSelect:
    """SELECT ... INTERSECT SELECT ..."""
    return CompoundSelect("INTERSECT", *selects)


def intersect_all(*selects: Any) -> CompoundSelect:
    """SELECT ... INTERSECT ALL SELECT ..."""
    return CompoundSelect("INTERSECT ALL", *selects)


# -- SELECTs as column expressions -----------------------------------------------------------------


class TextualSelect(SelectBase):
    """text() with declared result columns: what `text(...).columns(...)` returns. A SELECT
    like any other to select from (subquery, cte, exists, IN), but its SQL is fixed text."""

    __visit_name__ = "textual_select"
    is_text = True
    _label_style = LABEL_STYLE_NONE

    def __init__(self, text: TextClause, columns: Sequence[ColumnClause], positional: bool) -> None:
        self.element = text
        self.column_args = list(columns)
        self.positional = positional

    @property
    def selected_columns(self) -> ReadOnlyColumnCollection:
        return ReadOnlyColumnCollection(self.column_args)

    c = selected_columns

    def _proxy_columns(self) -> list:
        return [(col.name, col.key, col, ()) for col in self.column_args]

    def bindparams(self, *binds: BindParameter, **names_to_values: Any) -> "TextualSelect":
        return TextualSelect(
            self.element.bindparams(*binds, **names_to_values), self.column_args, self.positional
        )

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        return (
            "textual_select",
            self.element._gen_cache_key(binds),
            tuple(c._gen_cache_key(binds) for c in self.column_args),
            self.positional,
        )

    def self_group(self, against: Any = None) -> ClauseElement:
        return self


class ScalarSelect(ColumnElement, Generative):
    """`(SELECT x ...)` used as a value: in a columns clause, a comparison or IN."""

    __visit_name__ = "scalar_select"
    _from_objects: list = []

    def __init__(self, element: SelectBase) -> None:
        self.element = element

    @property
    def type(self) -> Any:  # type: ignore[override]
        return self.element.type

    @property
    def selectable(self) -> SelectBase:
        return self.element

    @_generative
    def where(self, *crit: Any) -> None:
        self.element = self.element.where(*crit)

    @_generative
    def correlate(self, *fromclauses: Any) -> None:
        self.element = self.element.correlate(*fromclauses)

    @_generative
    def correlate_except(self, *fromclauses: Any) -> None:
        self.element = self.element.correlate_except(*fromclauses)

    def self_group(self, against: Any = None) -> ClauseElement:
        return self

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        inner = self.element._gen_cache_key(binds)
        return None if inner is None else ("scalar_select", inner)


class Exists(ColumnElement, Generative):
    """`EXISTS (SELECT ...)`: what exists() and select(...).exists() make."""

    __visit_name__ = "exists"
    _from_objects: list = []

    def __init__(self, element: Any = None) -> None:
        if element is None:
            from .elements import literal_column

            element = Select(literal_column("*"))
        elif not isinstance(element, SelectBase):
            if isinstance(element, ScalarSelect):
                element = element.element
            else:
                element = Select(element)
        if element._label_style is not LABEL_STYLE_NONE:
            element = element.set_label_style(LABEL_STYLE_NONE)
        self.element = element

    @property
    def type(self) -> Any:  # type: ignore[override]
        from .sqltypes import Boolean

        return Boolean()

    def _regroup(self, fn: Any) -> "Exists":
        new = self._generate()
        new.element = fn(self.element)
        return new

    def where(self, *clause: Any) -> "Exists":
        return self._regroup(lambda s: s.where(*clause))

    def select_from(self, *froms: Any) -> "Exists":
        return self._regroup(lambda s: s.select_from(*froms))

    def correlate(self, *fromclauses: Any) -> "Exists":
        return self._regroup(lambda s: s.correlate(*fromclauses))

    def correlate_except(self, *fromclauses: Any) -> "Exists":
        return self._regroup(lambda s: s.correlate_except(*fromclauses))

    def select(self) -> Select:
        """SELECT EXISTS (...)."""
        return Select(self)

    def self_group(self, against: Any = None) -> ClauseElement:
        return self

    def _negate(self) -> ClauseElement:
        # NOT (EXISTS (...)), as SQLAlchemy writes it
        return UnaryExpression(Grouping(self), operator=operators.inv)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        inner = self.element._gen_cache_key(binds)
        return None if inner is None else ("exists", inner)


def exists(__argument: Any = None) -> Exists:
    """EXISTS (SELECT ...): `exists().where(...)`, or `exists(col)`."""
    if __argument is None:
        return Exists()
    if isinstance(__argument, SelectBase):
        return Exists(__argument)
    return Exists(Select(_coerce_columns_clause(__argument)))


# -- module-level FROM helpers ------------------------------------------------------------------


def alias(selectable: Any, name: Optional[str] = None, flat: bool = False) -> Any:
    """`selectable AS name`, as sqlalchemy.alias()."""
    return selectable.alias(name=name, flat=flat)


def lateral(selectable: Any, name: Optional[str] = None) -> Lateral:
    """`LATERAL (...) AS name`, as sqlalchemy.lateral()."""
    return selectable.lateral(name)


def cte(selectable: Any, name: Optional[str] = None, recursive: bool = False) -> CTE:
    """A CTE of a SELECT, as sqlalchemy.cte()."""
    return selectable.cte(name=name, recursive=recursive)
