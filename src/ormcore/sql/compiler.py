"""Turn a statement into SQL text for one dialect, and prepare its parameters at execution.

A `Compiled` is made once per (statement shape, dialect) and cached by the engine; every later
execution of the same shape reuses it. So the compiler does all per-shape work up front: bind
names in the driver's paramstyle, type processors resolved, and a flag (`_passthrough`) telling
the engine it may hand the user's parameter dicts to the driver untouched, which is what the
common case (text() with plain values on a named/pyformat driver) needs to run at driver speed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from typing import Any
from typing import Optional
from typing import Sequence

from .. import exc
from .compile_dml import DMLCompiler
from .compile_select import SelectCompiler
from .elements import _BIND_PARAMS
from .elements import _BIND_PARAMS_ESC

if TYPE_CHECKING:
    from .elements import BindParameter
    from .elements import ClauseElement

_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")
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
        self.expanding: list[str] = []
        self._anon_counters: dict[str, int] = {}
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
        self._result_columns = [
            (col.key, col.name, (col, col.key, col.name), col.type) for col in select.column_args
        ]
        self._ordered_columns = select.positional
        return self.process(select.element, **kw)

    def visit_bindparam(self, bind: "BindParameter", literal_binds: bool = False, **kw: Any) -> str:
        if literal_binds or self.literal_binds or bind.literal_execute:
            return self.render_literal_bindparam(bind)
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
        if bind.expanding:
            if key not in self.expanding:
                self.expanding.append(key)
            if self.positional:
                self.positiontup.append(key)
            return f"(__[POSTCOMPILE_{key}])"
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
            if not value:
                return self.dialect.empty_set_expression(bind.type)
            return "(" + ", ".join(self.render_literal_value(v, bind.type) for v in value) + ")"
        return self.render_literal_value(value, bind.type)

    def render_literal_value(self, value: Any, type_: Any) -> str:
        """A value as SQL literal text: only for literal_binds display and literal_execute."""
        if value is None:
            return "NULL"
        processor = self.dialect.type_descriptor(type_).literal_processor(self.dialect)
        if processor is not None:
            return processor(value)
        if isinstance(value, bool):
            return self.dialect._render_bool(value)
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, str):
            text = "'" + value.replace("'", "''") + "'"
            return text.replace("%", "%%") if self._double_percents else text
        raise exc.CompileError(
            f"No literal value renderer is available for literal value {value!r} "
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
            proc = bind.type._cached_bind_processor(dialect)
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
        # the common case: the user's dicts go to the driver as they are
        self._passthrough = not (
            processors or defaults or self.escaped_bind_names or self.positional or self.expanding
        )

    @property
    def params(self) -> dict:  # type: ignore[override]
        """The bound values this compilation was made with (for display and tests)."""
        return {key: self.binds[key].effective_value for key in self.bind_order}

    def construct_params(
        self, params: Optional[dict], extracted: Optional[list] = None
    ) -> Any:
        """The driver's parameters for one execution: a dict, or a tuple when positional.

        `extracted` holds the cache-key bind list of the statement being executed when it is
        not the very statement this was compiled from (a cache hit of an equal shape).
        """
        if self._passthrough:
            return params if params is not None else {}
        merged: dict[str, Any] = {}
        if self._bind_defaults:
            if extracted is not None:
                for position, name in self._value_positions:
                    merged[name] = extracted[position].effective_value
            else:
                for key, bind in self._bind_defaults.items():
                    merged[key] = bind.effective_value
        if params:
            merged.update(params)
        for key in self._required:
            if key not in merged:
                raise exc.StatementError(
                    f"(ormcore.exc.InvalidRequestError) A value is required for bind parameter {key!r}",
                    self.string, params, exc.InvalidRequestError(
                        f"A value is required for bind parameter {key!r}"
                    ),
                )
        for key, proc in self._bind_processors.items():
            if key in merged:
                value = merged[key]
                if self.binds[key].expanding:
                    merged[key] = [proc(v) for v in value]
                else:
                    merged[key] = proc(value)
        if self.escaped_bind_names:
            for key, name in self.escaped_bind_names.items():
                if key in merged:
                    merged[name] = merged.pop(key)
        if self.positional and not self.expanding:
            return tuple(merged[self.escaped_bind_names.get(k, k)] for k in self.positiontup)
        return merged

    def construct_params_many(self, params_list: list, extracted: Optional[list] = None) -> list:
        """The driver's parameter list for executemany."""
        if self._passthrough:
            return params_list
        if self.expanding:
            raise exc.InvalidRequestError(
                "'expanding' parameters can't be used with executemany()"
            )
        return [self.construct_params(p, extracted) for p in params_list]

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
        """Render expanding binds (`IN :ids`) for these values: new SQL text and parameters.

        `params` is what construct_params() returned: a dict keyed by driver names.
        """
        new_params = dict(params)
        values_of: dict[str, list] = {}

        def render(match: re.Match) -> str:
            key = match.group(1)
            name = self.escaped_bind_names.get(key, key)
            values = params.get(name)
            if values is None or isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                raise exc.StatementError(
                    f"Expanding bind parameter {key!r} requires a list of values, got {values!r}",
                    self.string, params, None,
                )
            values = values_of[key] = list(values)
            new_params.pop(name, None)
            if not values:
                return self.dialect.empty_set_expression(self.binds[key].type)
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
