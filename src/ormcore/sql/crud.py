"""Which columns an INSERT or UPDATE carries, and how each gets its value.

Called by sql/compile_dml.py while it compiles an insert() or update(). For every column of the
target table this decides, in SQLAlchemy's order of precedence, whether the column appears and
with what:

- a value given to values(), or a parameter named at execution (the engine compiles DML for the
  keys of the first parameter set: `column_keys`);
- else, for INSERT, the column's `default` (UPDATE: `onupdate`): a SQL expression or a
  Sequence's `nextval(...)` is rendered inline; a Python scalar or callable becomes a bound
  parameter filled in per parameter set at execution ("prefetch", see engine/default.py);
- else a server-side default is left to the database, and an autoincrement primary key is
  left out, to be read back from `cursor.lastrowid` or an implicit RETURNING.

It records on the compiler what the execution side needs: `insert_prefetch` /
`update_prefetch` (columns whose Python defaults the engine computes), `postfetch` (columns the
database generated and nobody fetched), `implicit_returning` (columns the statement returns for
the engine's own use: the generated primary key on PostgreSQL, return_defaults()), and
`postfetch_lastrowid`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING
from typing import Any
from typing import Optional

from .. import exc
from .elements import BindParameter
from .elements import ClauseElement

if TYPE_CHECKING:
    from .compiler import SQLCompiler

# a parameter named at execution time, not in the statement
REQUIRED = object()

# what SQLAlchemy's dialects say about themselves where ours don't (yet) carry the attribute
_DIALECT_FLAGS = {
    "postgresql": {
        "use_insertmanyvalues": True,
        "use_insertmanyvalues_wo_returning": True,  # psycopg2's executemany is a loop
        "supports_default_values": True,
        "supports_default_metavalue": True,
        "default_metavalue_token": "DEFAULT",
        "supports_empty_insert": False,
        "sequences_optional": True,
        "preexecute_autoincrement_sequences": True,
        "insert_null_pk_still_autoincrements": False,
        "favor_returning_over_lastrowid": False,
        "delete_extra_from_style": "USING",
        "returning_include_table": True,
    },
    "sqlite": {
        "use_insertmanyvalues": True,
        "supports_default_values": True,
        "supports_default_metavalue": True,
        "default_metavalue_token": "NULL",
        "supports_empty_insert": False,
        "sequences_optional": False,
        "preexecute_autoincrement_sequences": False,
        "insert_null_pk_still_autoincrements": True,
        "favor_returning_over_lastrowid": False,
        "delete_extra_from_style": None,
        "returning_include_table": False,
    },
}
_DEFAULT_FLAGS = {
    "use_insertmanyvalues": False,
    "use_insertmanyvalues_wo_returning": False,
    "insertmanyvalues_page_size": 1000,
    "insertmanyvalues_max_parameters": 32700,
    "supports_default_values": False,
    "supports_default_metavalue": False,
    "default_metavalue_token": "DEFAULT",
    "supports_empty_insert": True,
    "sequences_optional": True,
    "preexecute_autoincrement_sequences": False,
    "insert_null_pk_still_autoincrements": False,
    "favor_returning_over_lastrowid": False,
    "delete_extra_from_style": ",",
    "returning_include_table": True,
}


def dialect_flag(dialect: Any, name: str) -> Any:
    """A DML capability of `dialect`: its own attribute if it has one, else SQLAlchemy's value
    for that dialect."""
    try:
        return getattr(dialect, name)
    except AttributeError:
        return _DIALECT_FLAGS.get(dialect.name, _DEFAULT_FLAGS).get(name, _DEFAULT_FLAGS[name])


class CrudParams:
    """The columns of one INSERT/UPDATE: (column, rendered target, rendered value) triples,
    plus one such list per further row of a multi-row VALUES."""

    __slots__ = ("single", "multi")

    def __init__(self, single: list, multi: list) -> None:
        self.single = single
        self.multi = multi


class _MultiparamColumn:
    """Column `original` in row `index + 1` of a multi-row VALUES: its prefetched default is
    computed per row under the bind name `<key>_m<n>`."""

    def __init__(self, original: Any, index: int) -> None:
        self.original = original
        self.index = index
        self.key = f"{original.key}_m{index + 1}"
        self.default = original.default
        self.onupdate = getattr(original, "onupdate", None)
        self.type = original.type
        self.table = original.table
        self.name = original.name


def _col(column: Any, name: str, default: Any = None) -> Any:
    return getattr(column, name, default)


def _key_getters(stmt: Any, extra_froms: list) -> tuple:
    """(column-or-key -> key, column -> key, column -> bind name). Columns of the extra FROM
    tables of a multi-table UPDATE are keyed by (table name, key) and bound as
    `<table>_<key>`, as SQLAlchemy does."""
    extra = set(id(t) for t in extra_froms)

    def as_key(key: Any) -> Any:
        if isinstance(key, str):
            return key
        table = getattr(key, "table", None)
        if table is not None and id(table) in extra:
            return (table.name, key.key)
        return getattr(key, "key", None)

    def col_key(column: Any) -> Any:
        if id(column.table) in extra:
            return (column.table.name, column.key)
        return column.key

    def bind_name(column: Any) -> str:
        if id(column.table) in extra:
            return f"{column.table.name}_{column.key}"
        return column.key

    return as_key, col_key, bind_name


def get_crud_params(
    compiler: "SQLCompiler",
    stmt: Any,
    toplevel: bool,
    column_keys: Optional[list],
    for_executemany: bool,
    extra_froms: list,
    **kw: Any,
) -> CrudParams:
    """The columns and values of INSERT/UPDATE `stmt`; fills the compiler's default-handling
    collections (insert_prefetch, update_prefetch, postfetch, implicit_returning)."""
    compiler.postfetch = []
    compiler.insert_prefetch = []
    compiler.update_prefetch = []
    compiler.implicit_returning = []
    if stmt._returning and stmt._return_defaults:
        raise exc.CompileError(
            "Can't compile statement that includes returning() and return_defaults() "
            "simultaneously"
        )
    is_insert = stmt.is_insert
    if stmt.is_delete:
        _setup_delete_return_defaults(compiler, stmt, toplevel)
        return CrudParams([], [])

    if stmt._multi_values:
        if not is_insert:
            raise exc.InvalidRequestError(
                f"{stmt.__visit_name__.upper()} construct does not support multiple parameter sets."
            )
        if stmt._values:
            raise exc.InvalidRequestError(
                "Can't mix single and multiple VALUES formats in one INSERT statement; one style "
                "appends to a list while the other replaces values, so the intent is ambiguous."
            )
    table = stmt.table
    as_key, col_key, bind_name = _key_getters(stmt, extra_froms)
    multi_rows = stmt._all_multi_values() if is_insert and stmt._multi_values else None
    if stmt._select_names is not None:
        stmt_params: Optional[dict] = {name: None for name in stmt._select_names}
    elif multi_rows:
        stmt_params = multi_rows[0]
    elif stmt._values:
        stmt_params = stmt._values
    else:
        stmt_params = None

    if column_keys is None and stmt_params is None:
        # nothing known about the parameters: every column, each a required parameter
        # (what str(insert(t)) shows)
        return CrudParams(
            [
                (c, compiler.preparer.format_column(c), _bind(compiler, c, REQUIRED, c.key, kw))
                for c in table.columns
                if not _col(c, "_omit_from_statements", False)
            ],
            [],
        )

    stmt_keys = {as_key(k) for k in stmt_params} if stmt_params else set()
    if column_keys is None:
        parameters: dict = {}
    else:
        parameters = {key: REQUIRED for key in column_keys if key not in stmt_keys}

    values: list = []
    if stmt_params:
        for key, value in stmt_params.items():
            colkey = as_key(key)
            if colkey is not None:
                parameters.setdefault(colkey, value)
            else:
                # an expression as the target (e.g. an array slice): rendered as it is
                target = compiler.process(key, include_table=False)
                values.append((key, target, _render_value(compiler, value, kw)))

    check_columns: dict = {}

    if is_insert and stmt._select_names is not None:
        _scan_insert_from_select_cols(compiler, stmt, parameters, col_key, check_columns, values,
                                      kw)
    else:
        _scan_cols(compiler, stmt, parameters, col_key, bind_name, check_columns, values, toplevel,
                   for_executemany, bool(multi_rows), kw)

    if parameters and stmt_params:
        unconsumed = (
            set(parameters).intersection(as_key(k) for k in stmt_params).difference(check_columns)
        )
        if unconsumed:
            if stmt.is_update:
                _check_update_tables(stmt, stmt_params)
            raise exc.CompileError(
                "Unconsumed column names: " + ", ".join(str(c) for c in unconsumed)
            )

    if multi_rows:
        return CrudParams(values, _extend_values_for_multirows(compiler, stmt, values,
                                                                multi_rows, as_key, kw))
    if (
        not values
        and for_executemany
        and dialect_flag(compiler.dialect, "supports_default_metavalue")
    ):
        # INSERT INTO t (firstcol) VALUES (DEFAULT): a form executemany can repeat
        first = table.columns[0]
        token = dialect_flag(compiler.dialect, "default_metavalue_token")
        values = [(first, compiler.preparer.format_column(first), token)]
    return CrudParams(values, [])


# -- rendering helpers ------------------------------------------------------------------------


def _bind(compiler: "SQLCompiler", column: Any, value: Any, name: str, kw: dict) -> str:
    """A bound parameter for `column` named `name`: required when `value` is REQUIRED."""
    if value is REQUIRED:
        bind = BindParameter(name, type_=column.type, required=True)
    else:
        bind = BindParameter(name, value, type_=column.type)
    return compiler.process(bind, **kw)


def _render_value(compiler: "SQLCompiler", value: Any, kw: dict) -> str:
    if isinstance(value, BindParameter):
        return compiler.process(value, **kw)
    return compiler.process(value.self_group(), **kw)


def _prefetch_bind(compiler: "SQLCompiler", column: Any, kw: dict, for_update: bool = False,
                   name: Optional[str] = None) -> str:
    """A parameter the engine fills per parameter set with the column's Python-side default."""
    name = name or column.key
    rendered = compiler.process(BindParameter(name, type_=column.type, required=True), **kw)
    (compiler.update_prefetch if for_update else compiler.insert_prefetch).append(column)
    compiler._prefetch_names.append(name)
    compiler._per_row_names[column] = name
    return rendered


def _format(compiler: "SQLCompiler", column: Any) -> str:
    return compiler.preparer.format_column(column)


def _sequence_renders(compiler: "SQLCompiler", sequence: Any) -> bool:
    dialect = compiler.dialect
    return bool(dialect.supports_sequences) and (
        not sequence.optional or not dialect_flag(dialect, "sequences_optional")
    )


# -- INSERT/UPDATE column scan ----------------------------------------------------------------


def _returning_modifiers(compiler: "SQLCompiler", stmt: Any, toplevel: bool,
                         for_executemany: bool, has_multi: bool) -> tuple:
    """(need_pks, implicit_returning, implicit_return_defaults, postfetch_lastrowid)."""
    dialect = compiler.dialect
    table = stmt.table
    autoinc = getattr(table, "_autoincrement_column", None)
    need_pks = (
        toplevel
        and stmt.is_insert
        and not stmt._inline
        and (
            not for_executemany
            or (dialect.insert_executemany_returning and stmt._return_defaults)
        )
        and not stmt._returning
        and not has_multi
    )
    postfetch_lastrowid = bool(need_pks and dialect.postfetch_lastrowid and autoinc is not None)
    implicit_returning = bool(
        need_pks
        and dialect.insert_returning
        and getattr(table, "implicit_returning", True)
        and stmt._supports_implicit_returning(compiler)
        and (
            not postfetch_lastrowid
            or dialect_flag(dialect, "favor_returning_over_lastrowid")
            or stmt._return_defaults
        )
    )
    if implicit_returning:
        postfetch_lastrowid = False
    if stmt.is_insert:
        return_defaults = implicit_returning and stmt._return_defaults
    else:
        return_defaults = (
            stmt._return_defaults
            and getattr(table, "implicit_returning", True)
            and dialect.update_returning
        )
    implicit_return_defaults = None
    if return_defaults:
        if not stmt._return_defaults_columns:
            implicit_return_defaults = _ColumnSet(table.columns)
        else:
            implicit_return_defaults = _ColumnSet(stmt._return_defaults_columns)
    return need_pks, implicit_returning or bool(return_defaults), implicit_return_defaults, \
        postfetch_lastrowid


class _ColumnSet:
    """Membership by identity: a column's == builds SQL."""

    __slots__ = ("_ids",)

    def __init__(self, columns: Any) -> None:
        self._ids = {id(c) for c in columns}

    def __contains__(self, column: Any) -> bool:
        return id(column) in self._ids

    def __bool__(self) -> bool:
        return bool(self._ids)


def _contains(columns: list, column: Any) -> bool:
    return any(c is column for c in columns)


def _scan_cols(
    compiler: "SQLCompiler", stmt: Any, parameters: dict, col_key: Any, bind_name: Any,
    check_columns: dict, values: list, toplevel: bool, for_executemany: bool, has_multi: bool,
    kw: dict,
) -> None:
    need_pks, implicit_returning, ird, postfetch_lastrowid = _returning_modifiers(
        compiler, stmt, toplevel, for_executemany, has_multi
    )
    compiler.postfetch_lastrowid = postfetch_lastrowid
    table = stmt.table
    if stmt._maintain_values_ordering:
        ordering = [k if isinstance(k, str) else k.key for k in stmt._values]
        ordered = set(ordering)
        cols = [table.c[k] for k in ordering if k in table.c] + [
            c for c in table.c if c.key not in ordered
        ]
    else:
        cols = list(table.columns)
    is_insert = stmt.is_insert
    autoinc = getattr(table, "_autoincrement_column", None) if is_insert and not has_multi else None
    supplemental = list(stmt._supplemental_returning or ())
    returning = compiler.implicit_returning

    for c in cols:
        key = col_key(c)
        if key in parameters and key not in check_columns:
            _append_param_parameter(compiler, stmt, c, parameters.pop(key), bind_name, has_multi,
                                    implicit_returning, ird, autoinc, values, kw)
        elif is_insert:
            if _col(c, "primary_key", False) and need_pks:
                if implicit_returning:
                    _append_pk_returning(compiler, stmt, c, values, kw)
                else:
                    _append_pk_no_returning(compiler, stmt, c, values, kw)
            elif _col(c, "default") is not None:
                _append_insert_default(compiler, c, ird, values, kw)
            elif _col(c, "server_default") is not None:
                if ird and c in ird:
                    returning.append(c)
                elif not _col(c, "primary_key", False):
                    compiler.postfetch.append(c)
            elif ird and c in ird:
                returning.append(c)
            elif (
                _col(c, "primary_key", False)
                and c is not _autoinc_of(table)
                and not _col(c, "nullable", True)
            ):
                _warn_pk_with_no_value(c)
        else:
            _append_update_default(compiler, stmt, c, ird, values, kw)
        if supplemental and _contains(supplemental, c) and not _contains(returning, c):
            returning.append(c)
    for c in supplemental:
        if not _contains(returning, c):
            returning.append(c)


def _autoinc_of(table: Any) -> Any:
    return getattr(table, "_autoincrement_column", None)


def _append_param_parameter(
    compiler: "SQLCompiler", stmt: Any, c: Any, value: Any, bind_name: Any, has_multi: bool,
    implicit_returning: bool, ird: Any, autoinc: Any, values: list, kw: dict,
) -> None:
    target = _format(compiler, c)
    is_insert = stmt.is_insert
    dialect = compiler.dialect
    still_autoincrements = (
        is_insert
        and autoinc is not None
        and c is autoinc
        and dialect_flag(dialect, "insert_null_pk_still_autoincrements")
    )
    if value is REQUIRED or not isinstance(value, ClauseElement):
        if still_autoincrements:
            # a None given for the autoincrement key still autoincrements: read it back
            if dialect.postfetch_lastrowid:
                compiler.postfetch_lastrowid = True
            elif implicit_returning:
                compiler.implicit_returning.append(c)
        name = bind_name(c) if not (is_insert and has_multi) else f"{bind_name(c)}_m0"
        rendered = _bind(compiler, c, value, name, kw)
        compiler._crud_param_names[c] = name
        if value is REQUIRED:
            compiler._per_row_names[c] = name
    elif isinstance(value, BindParameter):
        if still_autoincrements and value.value is None:
            if implicit_returning:
                compiler.implicit_returning.append(c)
            elif dialect.postfetch_lastrowid:
                compiler.postfetch_lastrowid = True
        rendered = compiler.process(value, **kw)
        compiler._crud_param_names[c] = compiler.bind_names.get(value, value.key)
    else:
        rendered = compiler.process(value.self_group(), **kw)
        if stmt.is_update:
            if ird and c in ird:
                compiler.implicit_returning.append(c)
            else:
                compiler.postfetch.append(c)
        elif _col(c, "primary_key", False):
            if implicit_returning:
                compiler.implicit_returning.append(c)
            elif dialect.postfetch_lastrowid:
                compiler.postfetch_lastrowid = True
        elif ird and c in ird:
            compiler.implicit_returning.append(c)
        else:
            compiler.postfetch.append(c)
    values.append((c, target, rendered))


def _append_pk_returning(compiler: "SQLCompiler", stmt: Any, c: Any, values: list,
                         kw: dict) -> None:
    """A primary key the INSERT must generate, read back with RETURNING."""
    default = _col(c, "default")
    if default is not None:
        if default.is_sequence:
            if _sequence_renders(compiler, default):
                values.append((c, _format(compiler, c), compiler.process(default, **kw)))
            compiler.implicit_returning.append(c)
        elif default.is_clause_element:
            values.append((c, _format(compiler, c), _render_value(compiler, default.arg, kw)))
            compiler.implicit_returning.append(c)
        else:
            values.append((c, _format(compiler, c), _prefetch_bind(compiler, c, kw)))
    elif c is _autoinc_of(stmt.table) or _col(c, "server_default") is not None:
        compiler.implicit_returning.append(c)
    elif not _col(c, "nullable", True):
        _warn_pk_with_no_value(c)


def _append_pk_no_returning(compiler: "SQLCompiler", stmt: Any, c: Any, values: list,
                            kw: dict) -> None:
    """A primary key the INSERT must generate, without RETURNING: pre-executed, or read from
    cursor.lastrowid."""
    dialect = compiler.dialect
    default = _col(c, "default")
    autoinc = _autoinc_of(stmt.table)
    if (
        default is not None and (not default.is_sequence or _sequence_renders(compiler, default))
    ) or (
        c is autoinc
        and not dialect.postfetch_lastrowid
        and (
            (default is not None and default.is_sequence and dialect.supports_sequences)
            or (default is None and dialect_flag(dialect, "preexecute_autoincrement_sequences"))
        )
    ):
        values.append((c, _format(compiler, c), _prefetch_bind(compiler, c, kw)))
    elif (
        default is None
        and _col(c, "server_default") is None
        and not _col(c, "nullable", True)
        and c is not autoinc
    ):
        _warn_pk_with_no_value(c)
    elif dialect.postfetch_lastrowid:
        compiler.postfetch_lastrowid = True


def _append_insert_default(compiler: "SQLCompiler", c: Any, ird: Any, values: list,
                           kw: dict) -> None:
    default = c.default
    if default.is_sequence:
        if _sequence_renders(compiler, default):
            values.append((c, _format(compiler, c), compiler.process(default, **kw)))
            if ird and c in ird:
                compiler.implicit_returning.append(c)
            elif not _col(c, "primary_key", False):
                compiler.postfetch.append(c)
    elif default.is_clause_element:
        values.append((c, _format(compiler, c), _render_value(compiler, default.arg, kw)))
        if ird and c in ird:
            compiler.implicit_returning.append(c)
        elif not _col(c, "primary_key", False):
            compiler.postfetch.append(c)
    else:
        values.append((c, _format(compiler, c), _prefetch_bind(compiler, c, kw)))


def _append_update_default(compiler: "SQLCompiler", stmt: Any, c: Any, ird: Any, values: list,
                           kw: dict) -> None:
    onupdate = _col(c, "onupdate")
    if onupdate is not None and not onupdate.is_sequence:
        if onupdate.is_clause_element:
            values.append((c, _format(compiler, c), _render_value(compiler, onupdate.arg, kw)))
            if ird and c in ird:
                compiler.implicit_returning.append(c)
            else:
                compiler.postfetch.append(c)
        else:
            values.append((c, _format(compiler, c),
                           _prefetch_bind(compiler, c, kw, for_update=True)))
    elif _col(c, "server_onupdate") is not None:
        if ird and c in ird:
            compiler.implicit_returning.append(c)
        else:
            compiler.postfetch.append(c)
    elif ird and (stmt._return_defaults_columns or not stmt._return_defaults) and c in ird:
        compiler.implicit_returning.append(c)


def _scan_insert_from_select_cols(
    compiler: "SQLCompiler", stmt: Any, parameters: dict, col_key: Any, check_columns: dict,
    values: list, kw: dict,
) -> None:
    """INSERT .. FROM SELECT: the named columns, then (include_defaults) the columns with
    defaults, whose default expressions are appended to the SELECT's columns."""
    table = stmt.table
    cols = [table.c[name] for name in stmt._select_names]
    if stmt.include_insert_from_select_defaults:
        for c in table.columns:
            if not _contains(cols, c) and _col(c, "default") is not None:
                cols.append(c)
    added: list = []
    for c in cols:
        key = col_key(c)
        if key in parameters and key not in check_columns:
            parameters.pop(key)
            values.append((c, _format(compiler, c), None))
        else:
            default = c.default
            if default.is_sequence:
                if _sequence_renders(compiler, default):
                    added.append((c, default.next_value()))
            elif default.is_clause_element:
                added.append((c, default.arg.self_group()))
            else:
                bind = BindParameter(c.key, type_=c.type, required=True)
                compiler.insert_prefetch.append(c)
                compiler._prefetch_names.append(c.key)
                added.append((c, bind))
    compiler._insert_from_select_extra = [expr for _, expr in added]
    values.extend((c, _format(compiler, c), None) for c, _ in added)


def _extend_values_for_multirows(compiler: "SQLCompiler", stmt: Any, first: list, rows: list,
                                 as_key: Any, kw: dict) -> list:
    """Rows 2.. of a multi-row VALUES, column by column as the first row decided."""
    all_rows = [first]
    for index, row in enumerate(rows[1:]):
        by_key = {as_key(k): v for k, v in row.items()}
        rendered_row = []
        for col, target, _ in first:
            key = getattr(col, "key", None)
            if key in by_key:
                rendered = _render_value(compiler, by_key[key], kw)
            else:
                rendered = _multirow_default(compiler, col, index, kw)
            rendered_row.append((col, target, rendered))
        all_rows.append(rendered_row)
    return all_rows


def _multirow_default(compiler: "SQLCompiler", col: Any, index: int, kw: dict) -> str:
    default = _col(col, "default")
    if not default:
        raise exc.CompileError(
            f"INSERT value for column {col} is explicitly rendered as a boundparameter in the "
            "VALUES clause; a Python-side value or SQL expression is required"
        )
    if default.is_clause_element:
        return compiler.process(default.arg.self_group(), **kw)
    if default.is_sequence:
        return compiler.process(default, **kw)
    row_col = _MultiparamColumn(col, index)
    return _prefetch_bind(compiler, row_col, kw, name=row_col.key)


# -- multi-table UPDATE -----------------------------------------------------------------------


def _check_update_tables(stmt: Any, stmt_params: dict) -> None:
    """SET columns of a table other than the one updated: PostgreSQL and SQLite update one
    table per statement, so this is SQLAlchemy's error for them."""
    mentioned: list = []
    for key in stmt_params:
        table = None if isinstance(key, str) else getattr(key, "table", None)
        if table is not None and table is not stmt.table and not _contains(mentioned, table):
            mentioned.append(table)
    if mentioned:
        names = ", ".join(f"'{t.description}'" for t in mentioned)
        raise exc.CompileError(
            "Backend does not support additional tables in the SET clause; cannot include "
            f"columns from table(s) {names} in SET clause"
        )


# -- DELETE ------------------------------------------------------------------------------------


def _setup_delete_return_defaults(compiler: "SQLCompiler", stmt: Any, toplevel: bool) -> None:
    dialect = compiler.dialect
    if not (
        stmt._return_defaults
        and getattr(stmt.table, "implicit_returning", True)
        and dialect.delete_returning
    ):
        return
    if stmt._return_defaults_columns:
        compiler.implicit_returning.extend(stmt._return_defaults_columns)
    for c in stmt._supplemental_returning or ():
        if not _contains(compiler.implicit_returning, c):
            compiler.implicit_returning.append(c)


def _warn_pk_with_no_value(c: Any) -> None:
    table = c.table
    message = (
        f"Column '{table.fullname}.{c.name}' is marked as a member of the primary key for table "
        f"'{table.fullname}', but has no Python-side or server-side default generator indicated, "
        "nor does it indicate 'autoincrement=True' or 'nullable=True', and no explicit value is "
        "passed.  Primary key columns typically may not store NULL."
    )
    if len(table.primary_key) > 1:
        message += (
            " Note that as of SQLAlchemy 1.1, 'autoincrement=True' must be indicated explicitly "
            "for composite (e.g. multicolumn) primary keys if AUTO_INCREMENT/SERIAL/IDENTITY "
            "behavior is expected for one of the columns in the primary key. CREATE TABLE "
            "statements are impacted by this change as well on most backends."
        )
    warnings.warn(message, exc.SAWarning, stacklevel=2)
