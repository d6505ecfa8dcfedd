"""The nodes statements are built from: clauses, columns, bound parameters and textual SQL.

A compiler (sql/compiler.py) walks these by `__visit_name__`. Each node that can take part in
a cached statement gives a cache key describing its shape but not its bound values, and lists
its bound parameters in key order as it goes (`_gen_cache_key`), so that a cached compilation
serves every execution of the same shape with that execution's values.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from typing import Any
from typing import Callable
from typing import Optional
from typing import Sequence

from .. import exc
from . import type_api
from .base import Executable
from .base import ReadOnlyColumnCollection
from .base import _generative

if TYPE_CHECKING:
    from .compiler import Compiled

# `:name` binds in text(); not `::` casts, not `\:` escapes, not inside identifiers
_BIND_PARAMS = re.compile(r"(?<![:\w\\]):(\w+)(?!:)", re.UNICODE)
_BIND_PARAMS_ESC = re.compile(r"\\:(\w+)")


class ClauseElement:
    """Base of every SQL construct."""

    __visit_name__ = "clause"
    is_clause_element = True
    _is_ddl = False

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
        """(key, binds) of this statement, computed once: statements are immutable."""
        try:
            return self._cache_key_memo
        except AttributeError:
            binds: list = []
            memo = self._cache_key_memo = (self._gen_cache_key(binds), binds)
            return memo

    def self_group(self, against: Any = None) -> "ClauseElement":
        return self


class ColumnElement(ClauseElement):
    """A SQL expression with a type: columns, bound parameters, functions, ... ."""

    __visit_name__ = "column_element"
    key: Optional[str] = None
    name: Optional[str] = None
    primary_key = False
    foreign_keys: Any = frozenset()

    @property
    def type(self) -> type_api.TypeEngine:
        return type_api.NULLTYPE


class ColumnClause(ColumnElement):
    """A named column, of a table or free-standing (`column("x")`)."""

    __visit_name__ = "column"

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
    def type(self) -> type_api.TypeEngine:
        return self._type

    @type.setter
    def type(self, value: Any) -> None:
        self._type = type_api.to_instance(value)

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        table = self.table
        table_key = None if table is None else table._gen_cache_key(binds)
        return ("column", self.name, table_key, self.type._cache_key, self.is_literal)

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


_NO_VALUE = object()


class BindParameter(ColumnElement):
    """A value sent to the database as a bound parameter, never as SQL text."""

    __visit_name__ = "bindparam"

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
    ) -> None:
        if required is _NO_VALUE:
            required = value is _NO_VALUE and callable_ is None
        if value is _NO_VALUE:
            value = None
        self.key = self.name = key if key is not None else f"param_{id(self):x}"
        self._orig_key = self.key
        self.unique = unique
        self.value = value
        self.callable = callable_
        self.required = required
        self.expanding = expanding
        self.isoutparam = isoutparam
        self.literal_execute = literal_execute
        if type_ is None:
            if expanding and value:
                sample = next(iter(value))
                self._type = type_api.resolve_value_to_type(sample)
            elif value is not None:
                self._type = type_api.resolve_value_to_type(value)
            else:
                self._type = type_api.NULLTYPE
        else:
            self._type = type_api.to_instance(type_)

    @property
    def type(self) -> type_api.TypeEngine:
        return self._type

    @property
    def effective_value(self) -> Any:
        """The value to send: the callable's result when one was given, else `value`."""
        if self.callable is not None:
            return self.callable()
        return self.value

    def _with_value(self, value: Any, required: bool = False) -> "BindParameter":
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__ = self.__dict__.copy()
        clone.value = value
        clone.callable = None
        clone.required = required
        if clone._type is type_api.NULLTYPE and value is not None:
            clone._type = type_api.resolve_value_to_type(value)
        return clone

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        binds.append(self)
        if self.literal_execute:  # the value is rendered into the SQL text
            return ("bind", self.key, self._type._cache_key, self.expanding, True, self.value)
        return ("bind", self.key, self._type._cache_key, self.expanding, self.unique)

    def __repr__(self) -> str:
        return f"BindParameter({self.key!r}, {self.value!r}, type_={self._type!r})"


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
    return BindParameter(
        key, value, type_, unique, required, quote, callable_, expanding, isoutparam, literal_execute
    )


class TextClause(Executable, ClauseElement):
    """Literal SQL with `:name` bound parameters, as sqlalchemy.text()."""

    __visit_name__ = "textclause"
    is_text = True
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
        positional = list(cols)
        keyed = [ColumnClause(name, type_) for name, type_ in types.items()]
        return TextualSelect(self, positional + keyed, positional=bool(positional))

    def _gen_cache_key(self, binds: list) -> Optional[tuple]:
        return ("text", self.text, tuple(b._gen_cache_key(binds) for b in self._bindparams.values()))

    def self_group(self, against: Any = None) -> ClauseElement:
        return self

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {self.text[:60]!r}>"


def text(text: str) -> TextClause:
    """Literal SQL with `:name` bound parameters; `\\:` writes a literal colon."""
    return TextClause(text)


class TextualSelect(Executable, ClauseElement):
    """text() with declared result columns: what `text(...).columns(...)` returns."""

    __visit_name__ = "textual_select"
    is_select = True
    is_text = True

    def __init__(self, text: TextClause, columns: Sequence[ColumnClause], positional: bool) -> None:
        self.element = text
        self.column_args = list(columns)
        self.positional = positional

    @property
    def selected_columns(self) -> ReadOnlyColumnCollection:
        return ReadOnlyColumnCollection(self.column_args)

    c = selected_columns

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
