"""Compiling INSERT, UPDATE and DELETE: a part of SQLCompiler (sql/compiler.py).

SQLCompiler inherits DMLCompiler; the visit_* methods here render the DML statements, using
sql/crud.py to decide which columns and parameters each statement carries. A top-level DML
compilation also leaves behind, in `_dml_exec`, what the engine needs to run it
(engine/default.py): the Python-side defaults to compute per parameter set, and where each
primary-key value of an inserted row comes from (a parameter, cursor.lastrowid, or a column of
an implicit RETURNING).

Every part of a statement is rendered in the order it appears in the SQL text, so that
positional paramstyles get their parameters in the right order.
"""

from __future__ import annotations

import warnings
from typing import Any
from typing import Optional

from .. import exc
from . import crud
from . import operators
from .compile_select import _with_table_labels
from .crud import dialect_flag
from .selectable import LABEL_STYLE_DISAMBIGUATE_ONLY
from .selectable import _columns_plus_names


class _UnsupportedDMLError(exc.CompileError, NotImplementedError):
    """A construct this dialect cannot render. SQLAlchemy raises NotImplementedError here;
    this is that and a CompileError."""


class DMLExecution:
    """What the engine needs to execute one compiled DML statement (see engine/default.py).

    - `prefetch`: (bind name, column, default) for each Python-side default or onupdate the
      engine evaluates per parameter set before execution (`prefetch_scalars`: the same as
      {bind name: value} when they are all constants);
    - `pk`: for an INSERT, (column, source, index, bind name) per primary-key column, source
      being "returning" (index: its place in the implicit RETURNING row), "lastrowid" (the
      autoincrement column: cursor.lastrowid unless a value was given) or "param" (the value
      given or prefetched for the bind name);
    - `value_binds`: bind name -> (BindParameter of the statement, its position in the
      statement's cache-key bind list), to read values() of the executed statement;
    - `implicit_returning`: the statement has a RETURNING of the engine's own (the generated
      primary key, return_defaults()), `explicit_returning`: the user's;
    - `insertmanyvalues`: how to batch an executemany INSERT (InsertManyValues), or None.
    """

    __slots__ = (
        "isinsert", "isupdate", "isdelete", "prefetch", "pk", "pk_keys", "value_binds",
        "implicit_returning", "postfetch_lastrowid", "explicit_returning", "supplemental",
        "multi_keys", "pk_meta", "insertmanyvalues", "prefetch_scalars",
    )

    def __init__(self) -> None:
        self.isinsert = self.isupdate = self.isdelete = False
        self.prefetch: list = []
        self.pk: Optional[list] = None
        self.pk_keys: list = []
        self.value_binds: dict = {}
        self.implicit_returning = False
        self.postfetch_lastrowid = False
        self.explicit_returning = False
        self.supplemental = False
        self.multi_keys: Optional[list] = None  # column keys of a multi-row VALUES
        self.pk_meta: Any = None  # result metadata of inserted_primary_key rows (engine's)
        self.insertmanyvalues: Optional[InsertManyValues] = None
        self.prefetch_scalars: Optional[dict] = None  # when every prefetch is a constant


class InsertManyValues:
    """An executemany INSERT as batches of one multi-row VALUES statement each, for RETURNING
    every row's values (and, on PostgreSQL, for speed): SQLAlchemy's "insertmanyvalues".

    Made at compile time from the single-row statement: the text before and after its
    VALUES tuple, and the tuple's parts, where the parameters that differ per row (the
    parameter-set values, prefetched defaults) are renamed `<name>__<row>` in each batch;
    values common to all rows (values(), constants of SQL defaults) stay shared. With a
    positional paramstyle the tuple's slice of the positional parameters is repeated.
    """

    __slots__ = ("before", "after", "parts", "per_row", "positions", "paramstyle",
                 "params_per_row", "template")

    def __init__(self, compiler: Any, before: str, single: list, after: str,
                 positions: tuple) -> None:
        self.before = before
        self.after = after
        escaped = compiler.escaped_bind_names
        per_row_names = compiler._per_row_names
        parts: list = []
        per_row = []
        for column, _, value in single:
            name = per_row_names.get(column) if _is_placeholder(compiler, column, value) else None
            if name is None:
                parts.append(value)
            else:
                driver_name = escaped.get(name, name)
                parts.append((driver_name,))
                per_row.append(driver_name)
        self.parts = parts
        self.per_row = per_row
        self.positions = positions
        self.paramstyle = compiler.paramstyle
        self.params_per_row = max(1, positions[1] - positions[0] if compiler.positional
                                  else len(per_row))
        self.template = self._template()

    def batch(self, rows: list) -> tuple:
        """(SQL, parameters) inserting `rows` (the driver parameters of each row)."""
        if self.paramstyle in ("qmark", "format", "numeric"):
            start, end = self.positions
            first = rows[0]
            params = list(first[:start])
            for row in rows:
                params.extend(row[start:end])
            params.extend(first[end:])
            tuple_text = "(" + ", ".join(
                p if isinstance(p, str) else ("?" if self.paramstyle == "qmark" else "%s")
                for p in self.parts
            ) + ")"
            return self.before + ", ".join([tuple_text] * len(rows)) + self.after, tuple(params)
        # one str.format() per row renders its tuple, its parameters renamed <name>__<row>
        per_row = self.per_row
        template = self.template
        params = {k: v for k, v in rows[0].items() if k not in per_row}
        tuples = []
        for index, row in enumerate(rows):
            suffix = f"__{index}"
            for name in per_row:
                params[name + suffix] = row[name]
            tuples.append(template.format(suffix))
        return self.before + ", ".join(tuples) + self.after, params

    def _template(self) -> str:
        """The VALUES tuple as a str.format() template of the row's suffix."""
        pyformat = self.paramstyle == "pyformat"
        rendered = []
        for part in self.parts:
            if isinstance(part, str):
                rendered.append(part.replace("{", "{{").replace("}", "}}"))
            elif pyformat:
                rendered.append(f"%({part[0]}{{0}})s")
            else:
                rendered.append(f":{part[0]}{{0}}")
        return "(" + ", ".join(rendered) + ")"


def _is_placeholder(compiler: Any, column: Any, value: str) -> bool:
    """Whether a VALUES entry is exactly the parameter bound for its column."""
    name = compiler._per_row_names.get(column)
    if name is None:
        return False
    driver_name = compiler.escaped_bind_names.get(name, name)
    return value in (f":{driver_name}", f"%({driver_name})s", "?", "%s")


class DMLCompiler:
    """The DML half of SQLCompiler."""

    # filled by sql/crud.py for the top-level statement; SQLAlchemy's names
    insert_prefetch: Any = ()
    update_prefetch: Any = ()
    postfetch: Any = ()
    implicit_returning: Any = ()
    postfetch_lastrowid = False
    column_keys: Optional[list] = None
    for_executemany = False
    effective_returning: Any = None
    # None unless a top-level INSERT/UPDATE/DELETE was compiled: the engine tests this
    _dml_exec: Optional[DMLExecution] = None
    stack: Optional[list] = None

    # -- shared ---------------------------------------------------------------------------------

    def _dml_stack(self) -> list:
        stack = self.stack
        if stack is None:
            stack = self.stack = []
        return stack

    def _dml_begin(self, stmt: Any, kw: dict, correlate: list) -> tuple:
        """Pop the engine's compile arguments, note whether this is the top-level statement,
        and push it on the compiler's stack (nested SELECTs correlate to `correlate`)."""
        column_keys = kw.pop("column_keys", None)
        for_executemany = kw.pop("for_executemany", False)
        kw.pop("visiting_cte", None)
        stack = self._dml_stack()
        toplevel = not stack
        if toplevel:
            self.column_keys = column_keys
            self.for_executemany = for_executemany
            self._crud_param_names = {}
            self._per_row_names = {}
            self._prefetch_names = []
            self._insert_from_select_extra = None
        else:
            column_keys = None
            for_executemany = False
        froms = frozenset(o for f in correlate for o in getattr(f, "_from_objects", (f,)))
        stack.append({"correlate_froms": froms, "asfrom_froms": froms, "selectable": stmt})
        return toplevel, column_keys, for_executemany

    def _dml_prefixes(self, stmt: Any, kw: dict) -> str:
        if not stmt._prefixes:
            return ""
        name = self.dialect.name
        rendered = [
            self.process(prefix, **kw)
            for prefix, dialect in stmt._prefixes
            if dialect == "*" or dialect == name
        ]
        return " ".join(rendered) + " " if rendered else ""

    def _dml_table(self, table: Any, kw: dict) -> str:
        if getattr(table, "named_with_column", False) and hasattr(table, "schema") and \
                getattr(table, "__visit_name__", None) == "table":
            return self.preparer.format_table(table)
        return self.process(table, asfrom=True, iscrud=True, **kw)

    def _dml_where(self, criteria: tuple, kw: dict) -> str:
        if len(criteria) == 1:
            return self.process(criteria[0], **kw)
        return " AND ".join(
            self.process(c.self_group(against=operators.and_), **kw) for c in criteria
        )

    def _dml_finish(self, stmt: Any, toplevel: bool, returning_cols: Any,
                    returning_entries: Optional[list]) -> None:
        self._dml_stack().pop(-1)
        if not toplevel:
            return
        self.returning = self.effective_returning = list(returning_cols) if returning_cols else None
        self._result_columns = returning_entries
        self._ordered_columns = True
        self._dml_exec = self._dml_execution(stmt)

    # -- INSERT ---------------------------------------------------------------------------------

    def visit_insert(self, insert_stmt: Any, **kw: Any) -> str:
        toplevel, column_keys, for_executemany = self._dml_begin(insert_stmt, kw, [])
        if toplevel:
            self.isinsert = True
        dialect = self.dialect
        head = "INSERT " + self._dml_prefixes(insert_stmt, kw) + "INTO "
        head += self._dml_table(insert_stmt.table, kw)
        first_position = len(self.positiontup)
        params = crud.get_crud_params(self, insert_stmt, toplevel, column_keys, for_executemany,
                                      [], **kw)
        single = params.single
        if (
            not single
            and not dialect_flag(dialect, "supports_default_values")
            and not dialect_flag(dialect, "supports_default_metavalue")
            and not dialect_flag(dialect, "supports_empty_insert")
        ):
            raise exc.CompileError(
                f"The '{dialect.name}' dialect with current database version settings does not "
                "support empty inserts."
            )
        if params.multi and not dialect.supports_multivalues_insert:
            raise exc.CompileError(
                f"The '{dialect.name}' dialect with current database version settings does not "
                "support in-place multirow inserts."
            )
        supports_default_values = dialect_flag(dialect, "supports_default_values")
        text = head
        if single or not supports_default_values:
            text += " (" + ", ".join(target for _, target, _ in single) + ")"
        one_row = None
        if insert_stmt.select is not None:
            text += " " + self._insert_select_text(insert_stmt, kw)
        elif not single and supports_default_values:
            text += " DEFAULT VALUES"
        elif params.multi:
            text += " VALUES " + ", ".join(
                "(" + ", ".join(value for _, _, value in row) + ")" for row in params.multi
            )
        else:
            one_row = "(" + ", ".join(value for _, _, value in single) + ")"
            text += " VALUES " + one_row
        values_end = len(text)
        last_position = len(self.positiontup)
        if insert_stmt._post_values_clause is not None:
            post = self.process(insert_stmt._post_values_clause, **kw)
            if post:
                text += " " + post
        returning_cols = self.implicit_returning or insert_stmt._returning if toplevel else \
            insert_stmt._returning
        entries = None
        if returning_cols:
            clause, entries = self._returning_clause(returning_cols, kw)
            text += " " + clause
        if toplevel:
            self._insertmanyvalues = None
            if (
                for_executemany
                and one_row is not None
                and dialect_flag(dialect, "use_insertmanyvalues")
                and (
                    returning_cols
                    or (
                        dialect_flag(dialect, "use_insertmanyvalues_wo_returning")
                        and insert_stmt._post_values_clause is None
                    )
                )
            ):
                self._insertmanyvalues = InsertManyValues(
                    self, text[: values_end - len(one_row)], single, text[values_end:],
                    (first_position, last_position),
                )
        self._dml_finish(insert_stmt, toplevel, returning_cols, entries)
        return text

    def _insert_select_text(self, stmt: Any, kw: dict) -> str:
        select = stmt.select
        extra = getattr(self, "_insert_from_select_extra", None)
        if extra:
            add_columns = getattr(select, "add_columns", None)
            if add_columns is None or not getattr(select, "is_select", False) or \
                    getattr(select, "is_text", False):
                names = ", ".join(repr(c.key) for c in stmt.table.columns
                                  if c.key not in stmt._select_names and c.default is not None)
                raise exc.CompileError(
                    "Can't extend statement for INSERT..FROM SELECT to include additional "
                    f"default-holding column(s) {names}.  Convert the selectable to a subquery() "
                    "first, or pass include_defaults=False to Insert.from_select() to skip these "
                    "columns."
                )
            select = add_columns(*extra)
        return self.process(select, insert_into=True, **kw)

    # -- UPDATE ---------------------------------------------------------------------------------

    def visit_update(self, update_stmt: Any, **kw: Any) -> str:
        extra_froms = _extra_froms(update_stmt)
        toplevel, column_keys, for_executemany = self._dml_begin(
            update_stmt, kw, [update_stmt.table, *extra_froms]
        )
        if toplevel:
            self.isupdate = True
        text = "UPDATE " + self._dml_prefixes(update_stmt, kw)
        text += self._dml_table(update_stmt.table, kw)
        params = crud.get_crud_params(self, update_stmt, toplevel, column_keys, for_executemany,
                                      extra_froms, **kw)
        text += " SET " + ", ".join(target + "=" + value for _, target, value in params.single)
        if extra_froms:
            text += " FROM " + ", ".join(self.process(f, asfrom=True, **kw) for f in extra_froms)
        if update_stmt._where_criteria:
            text += " WHERE " + self._dml_where(update_stmt._where_criteria, kw)
        returning_cols = (self.implicit_returning if toplevel else None) or update_stmt._returning
        entries = None
        if returning_cols:
            clause, entries = self._returning_clause(returning_cols, kw)
            text += " " + clause
        self._dml_finish(update_stmt, toplevel, returning_cols, entries)
        return text

    # -- DELETE ---------------------------------------------------------------------------------

    def visit_delete(self, delete_stmt: Any, **kw: Any) -> str:
        extra_froms = _extra_froms(delete_stmt)
        toplevel, _, _ = self._dml_begin(delete_stmt, kw, [delete_stmt.table, *extra_froms])
        if toplevel:
            self.isdelete = True
        text = "DELETE " + self._dml_prefixes(delete_stmt, kw) + "FROM "
        text += self._dml_table(delete_stmt.table, kw)
        crud.get_crud_params(self, delete_stmt, toplevel, None, False, extra_froms, **kw)
        if extra_froms:
            style = dialect_flag(self.dialect, "delete_extra_from_style")
            if style is None:
                raise _UnsupportedDMLError(
                    "This backend does not support multiple-table criteria within DELETE"
                )
            rendered = ", ".join(self.process(f, asfrom=True, **kw) for f in extra_froms)
            text += (" , " if style == "," else f" {style} ") + rendered
        if delete_stmt._where_criteria:
            text += " WHERE " + self._dml_where(delete_stmt._where_criteria, kw)
        returning_cols = (self.implicit_returning if toplevel else None) or delete_stmt._returning
        entries = None
        if returning_cols:
            clause, entries = self._returning_clause(returning_cols, kw)
            text += " " + clause
        self._dml_finish(delete_stmt, toplevel, returning_cols, entries)
        return text

    # -- RETURNING ------------------------------------------------------------------------------

    def _returning_clause(self, columns: Any, kw: dict) -> tuple:
        """`RETURNING a, b` and its result columns, named and labelled as a SELECT's columns
        are (sql/compile_select.py), table-qualified where the dialect does so."""
        include_table = dialect_flag(self.dialect, "returning_include_table")
        entries: list = []
        rendered = []
        column_kw = dict(kw, include_table=include_table)
        if self.dialect.name == "default":
            # str(stmt): SQLAlchemy's string compiler labels only what needs a name
            names = [(None, None, None, col, False) for col in columns]
        else:
            names = _columns_plus_names(columns, LABEL_STYLE_DISAMBIGUATE_ONLY, True)
        for required, key, fallback, col, repeated in names:
            text = self._label_select_column(
                col, True, False, required, key, fallback, repeated, entries, column_kw
            )
            if text is not None:
                rendered.append(text)
        return "RETURNING " + ", ".join(rendered), _with_table_labels(entries)

    # -- ON CONFLICT (PostgreSQL, SQLite: dialects/_on_conflict.py) ----------------------------

    def _on_conflict_check(self, clause: Any) -> None:
        if self.dialect.name not in ("postgresql", "sqlite"):
            raise exc.UnsupportedCompilationError(self, type(clause))

    def _on_conflict_target(self, clause: Any, kw: dict) -> str:
        is_pg = self.dialect.name == "postgresql"
        if clause.constraint_target is not None and is_pg:
            return "ON CONSTRAINT " + self.preparer.quote(clause.constraint_target)
        elements = clause.inferred_target_elements
        if elements is None:
            return ""
        target_kw = dict(kw, include_table=False, use_schema=False)
        text = "(" + ", ".join(
            self.preparer.quote(e) if isinstance(e, str) else self.process(e, **target_kw)
            for e in elements
        ) + ")"
        where = clause.inferred_target_whereclause
        if where is not None:
            if not is_pg:
                # SQLite wants the partial index's condition as written: no parameters
                target_kw["literal_execute"] = True
            text += " WHERE " + self.process(where, **target_kw)
        return text

    def visit_on_conflict_do_nothing(self, on_conflict: Any, **kw: Any) -> str:
        self._on_conflict_check(on_conflict)
        target = self._on_conflict_target(on_conflict, kw)
        return f"ON CONFLICT {target} DO NOTHING" if target else "ON CONFLICT DO NOTHING"

    def visit_on_conflict_do_update(self, on_conflict: Any, **kw: Any) -> str:
        self._on_conflict_check(on_conflict)
        target = self._on_conflict_target(on_conflict, kw)
        stack = self._dml_stack()
        table = stack[-1]["selectable"].table
        pending = list(on_conflict.update_values_to_set)
        set_kw = dict(kw, use_schema=False)
        actions = []
        for c in table.columns:
            for i, (key, value) in enumerate(pending):
                if key is c or (isinstance(key, str) and key == c.key):
                    del pending[i]
                    break
            else:
                continue
            actions.append(
                self.preparer.quote(c.name) + " = " + self.process(value.self_group(), **set_kw)
            )
        if pending:
            warnings.warn(
                f"Additional column names not matching any column keys in table '{table.name}': "
                + ", ".join(f"'{key if isinstance(key, str) else key}'" for key, _ in pending),
                exc.SAWarning,
                stacklevel=2,
            )
            for key, value in pending:
                key_text = self.preparer.quote(key) if isinstance(key, str) else \
                    self.process(key, use_schema=False)
                actions.append(key_text + " = " + self.process(value.self_group(), **set_kw))
        text = ", ".join(actions)
        if on_conflict.update_whereclause is not None:
            text += " WHERE " + self.process(
                on_conflict.update_whereclause, **dict(kw, include_table=True, use_schema=False)
            )
        return f"ON CONFLICT {target} DO UPDATE SET {text}"

    def visit_on_conflict_clauses(self, clauses: Any, **kw: Any) -> str:
        return " ".join(self.process(clause, **kw) for clause in clauses.clauses)

    # -- sequences ------------------------------------------------------------------------------

    def visit_sequence(self, sequence: Any, **kw: Any) -> str:
        dialect = self.dialect
        if dialect.name == "postgresql":
            return "nextval(" + self.preparer._format_sequence_string_literal(sequence) + ")"
        if dialect.supports_sequences:
            return f"<next sequence value: {self.preparer.format_sequence(sequence)}>"
        raise _UnsupportedDMLError(
            f"Dialect '{dialect.name}' does not support sequence increments."
        )

    def visit_next_value_func(self, next_value: Any, **kw: Any) -> str:
        return self.visit_sequence(next_value.sequence, **kw)

    # -- what the engine needs ------------------------------------------------------------------

    def _dml_execution(self, stmt: Any) -> DMLExecution:
        info = DMLExecution()
        info.isinsert = bool(stmt.is_insert)
        info.isupdate = bool(stmt.is_update)
        info.isdelete = bool(stmt.is_delete)
        prefetch_cols = list(self.insert_prefetch) or list(self.update_prefetch)
        for column, name in zip(prefetch_cols, self._prefetch_names):
            default = column.onupdate if info.isupdate else column.default
            info.prefetch.append((name, column, default))
        if info.prefetch and all(d is not None and d.is_scalar for _, _, d in info.prefetch):
            info.prefetch_scalars = {name: d.arg for name, _, d in info.prefetch}
        info.explicit_returning = bool(stmt._returning)
        info.implicit_returning = bool(self.implicit_returning) and not stmt._returning
        info.supplemental = bool(stmt._supplemental_returning)
        info.postfetch_lastrowid = bool(self.postfetch_lastrowid)
        info.insertmanyvalues = getattr(self, "_insertmanyvalues", None)
        if stmt.is_insert and stmt._multi_values:
            first = stmt._all_multi_values()[0]
            info.multi_keys = [k if isinstance(k, str) else k.key for k in first]
        # values() binds, by the name they rendered with, and their cache-key position
        binds = stmt._cache_key()[1]
        positions = {id(b): i for i, b in enumerate(binds)}
        bind_names = self.bind_names
        for bind in binds:
            name = bind_names.get(bind)
            if name is not None and name not in info.value_binds:
                info.value_binds[name] = (bind, positions[id(bind)])
        if info.isinsert:
            table = stmt.table
            pk_cols = list(getattr(table, "primary_key", ()) or ())
            returning = list(self.implicit_returning or ())
            autoinc = getattr(table, "_autoincrement_column", None)
            pk = []
            for col in pk_cols:
                name = self._crud_param_names.get(col, col.key)
                index = _index_of(returning, col) if info.implicit_returning else None
                if index is not None:
                    pk.append((col, "returning", index, name))
                elif col is autoinc and info.postfetch_lastrowid:
                    pk.append((col, "lastrowid", None, name))
                else:
                    pk.append((col, "param", None, name))
            info.pk = pk
            info.pk_keys = [col.key for col in pk_cols]
        return info


def _index_of(columns: list, column: Any) -> Optional[int]:
    for i, c in enumerate(columns):
        if c is column:
            return i
    return None


def _extra_froms(stmt: Any) -> list:
    """The tables an UPDATE/DELETE mentions besides its own: rendered as UPDATE .. FROM /
    DELETE .. USING."""
    primary = stmt.table
    seen = [primary]
    froms: list = []
    consider = list(stmt._where_criteria)
    values = getattr(stmt, "_values", None)
    if values:
        consider.extend(values.values())
    for criterion in consider:
        for from_ in getattr(criterion, "_from_objects", ()):
            if not any(from_ is s for s in seen):
                seen.append(from_)
                froms.append(from_)
    return froms
