"""SQLite's DDL: its compiler quirks, its reserved words, and the existence checks.

An INTEGER PRIMARY KEY column aliases SQLite's rowid, which is how SQLite generates keys;
AUTOINCREMENT is rendered only for sqlite_autoincrement=True tables. SQLite cannot ALTER TABLE
ADD CONSTRAINT, so every foreign key is rendered inline; a foreign key to a table in another
attached schema cannot be declared at all and is left out, as SQLAlchemy does. The SQLite
dialect uses these classes and delegates has_table()/has_index() to the functions below.
"""

from __future__ import annotations

import re
from typing import Any
from typing import Optional

from ... import exc
from ...sql import sqltypes
from ...sql.ddl_compiler import DDLCompiler
from ...sql.identifiers import IdentifierPreparer

# a DEFAULT that is neither a quoted literal nor parenthesized but holds an operator or call
# must be parenthesized for SQLite: DEFAULT (CURRENT_TIMESTAMP + 1)
_QUOTED_OR_PARENS = re.compile(r"""^\s*['"(]""")
_HAS_NON_WORD = re.compile(r".*\W.*")


class SQLiteIdentifierPreparer(IdentifierPreparer):
    """Quotes SQLite's keywords as well as the generic reserved words."""

    reserved_words = frozenset(
        """
        add after all alter analyze and as asc attach autoincrement before begin between by
        cascade case cast check collate column commit conflict constraint create cross
        current_date current_time current_timestamp database default deferrable deferred
        delete desc detach distinct drop each else end escape except exclusive exists explain
        fail false for foreign from full glob group having if ignore immediate in index indexed
        initially inner insert instead intersect into is isnull join key left like limit match
        natural not notnull null of offset on or order outer plan pragma primary query raise
        references reindex rename replace restrict right rollback row select set table temp
        temporary then to transaction trigger true union unique update using vacuum values
        view virtual when where
        """.split()
    )


def _is_rowid_alias(column: Any) -> bool:
    return (
        bool(column.table.dialect_options["sqlite"].get("autoincrement", False))
        and len(column.table.primary_key.columns) == 1
        and issubclass(column.type._type_affinity, sqltypes.Integer)
        and not column.foreign_keys
    )


class SQLiteDDLCompiler(DDLCompiler):
    """SQLite's CREATE TABLE / INDEX differences."""

    def get_column_specification(self, column: Any, **kw: Any) -> str:
        coltype = self.type_compiler.process(column.type, type_expression=column)
        colspec = self.preparer.format_column(column) + " " + coltype
        default = self.get_column_default_string(column)
        if default is not None:
            if not _QUOTED_OR_PARENS.match(default) and _HAS_NON_WORD.match(default):
                colspec += f" DEFAULT ({default})"
            else:
                colspec += f" DEFAULT {default}"
        if not column.nullable:
            colspec += " NOT NULL"
            on_conflict = column.dialect_options["sqlite"].get("on_conflict_not_null")
            if on_conflict is not None:
                colspec += " ON CONFLICT " + on_conflict
        if column.primary_key:
            if column.autoincrement is True and len(column.table.primary_key.columns) != 1:
                raise exc.CompileError(
                    "SQLite does not support autoincrement for composite primary keys"
                )
            if _is_rowid_alias(column):
                colspec += " PRIMARY KEY"
                on_conflict = column.dialect_options["sqlite"].get("on_conflict_primary_key")
                if on_conflict is not None:
                    colspec += " ON CONFLICT " + on_conflict
                colspec += " AUTOINCREMENT"
        if column.computed is not None:
            colspec += " " + self.process(column.computed)
        return colspec

    def visit_primary_key_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        columns = list(constraint.columns)
        if len(columns) == 1 and columns[0].primary_key and _is_rowid_alias(columns[0]):
            return None  # rendered inline with the column, where AUTOINCREMENT must be
        text = super().visit_primary_key_constraint(constraint)
        on_conflict = constraint.dialect_options["sqlite"].get("on_conflict")
        if on_conflict is None and len(columns) == 1:
            on_conflict = columns[0].dialect_options["sqlite"].get("on_conflict_primary_key")
        if on_conflict is not None:
            text += " ON CONFLICT " + on_conflict
        return text

    def visit_unique_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        text = super().visit_unique_constraint(constraint)
        on_conflict = constraint.dialect_options["sqlite"].get("on_conflict")
        columns = list(constraint.columns)
        if on_conflict is None and len(columns) == 1:
            on_conflict = columns[0].dialect_options["sqlite"].get("on_conflict_unique")
        if on_conflict is not None:
            text += " ON CONFLICT " + on_conflict
        return text

    def visit_check_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        text = super().visit_check_constraint(constraint)
        on_conflict = constraint.dialect_options["sqlite"].get("on_conflict")
        if on_conflict is not None:
            text += " ON CONFLICT " + on_conflict
        return text

    def visit_column_check_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        if constraint.dialect_options["sqlite"].get("on_conflict") is not None:
            raise exc.CompileError(
                "SQLite does not support on conflict clause for column check constraint"
            )
        return DDLCompiler.visit_check_constraint(self, constraint)

    def visit_foreign_key_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        local = constraint.elements[0].parent.table
        remote = constraint.elements[0].column.table
        if local.schema != remote.schema:
            return None  # SQLite cannot refer to a table of another schema
        return super().visit_foreign_key_constraint(constraint)

    def define_constraint_remote_table(self, constraint: Any, table: Any, preparer: Any) -> str:
        return preparer.format_table(table, use_schema=False)

    def visit_create_index(
        self, create: Any, include_schema: bool = False, include_table_schema: bool = True, **kw: Any
    ) -> str:
        index = create.element
        self._verify_index_table(index)
        if index.name is None:
            raise exc.CompileError("CREATE INDEX requires that the index have a name")
        text = "CREATE "
        if index.unique:
            text += "UNIQUE "
        text += "INDEX "
        if create.if_not_exists:
            text += "IF NOT EXISTS "
        text += "%s ON %s (%s)" % (
            self._prepared_index_name(index, include_schema=True),
            self.preparer.format_table(index.table, use_schema=False),
            self._index_expressions(index),
        )
        where = index.dialect_options["sqlite"].get("where")
        if where is not None:
            text += " WHERE " + self._render_expression(where)
        return text

    def post_create_table(self, table: Any) -> str:
        options = []
        sqlite_opts = table.dialect_options["sqlite"]
        if not sqlite_opts.get("with_rowid", True):
            options.append("WITHOUT ROWID")
        if sqlite_opts.get("strict", False):
            options.append("STRICT")
        if options:
            return "\n " + ",\n ".join(options)
        return ""


def _master_table(connection: Any, schema: Optional[str]) -> list:
    """The sqlite_master tables to search: main and temp, or the named (attached) schema."""
    if schema is None:
        return ["main.sqlite_master", "temp.sqlite_master"]
    quoted = connection.dialect.identifier_preparer.quote_identifier(schema)
    return [f"{quoted}.sqlite_master"]


def has_table(connection: Any, table_name: str, schema: Optional[str] = None) -> bool:
    """Whether a table (or view) of this name exists; names are bound, never pasted."""
    for master in _master_table(connection, schema):
        found = connection.exec_driver_sql(
            f"SELECT 1 FROM {master} WHERE type IN ('table', 'view') AND name = ?",
            (table_name,),
        ).scalar()
        if found:
            return True
    return False


def has_index(
    connection: Any, table_name: str, index_name: str, schema: Optional[str] = None
) -> bool:
    """Whether `table_name` has an index named `index_name`."""
    for master in _master_table(connection, schema):
        found = connection.exec_driver_sql(
            f"SELECT 1 FROM {master} WHERE type = 'index' AND name = ? AND tbl_name = ?",
            (index_name, table_name),
        ).scalar()
        if found:
            return True
    return False
