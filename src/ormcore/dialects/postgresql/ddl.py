"""PostgreSQL's DDL: SERIAL keys, ENUM types, index options, reserved words, existence checks.

An autoincrementing integer primary key renders as SERIAL / BIGSERIAL / SMALLSERIAL, as
SQLAlchemy 2.x does; a native Enum is a named type created by CREATE TYPE ... AS ENUM. The
existence checks query pg_catalog with bound parameters and, without a schema, look at what
the search_path makes visible. The PostgreSQL dialect uses these classes and delegates
has_table()/has_index()/has_sequence()/has_type() to the functions below.
"""

from __future__ import annotations

import re
import warnings
from typing import Any
from typing import Optional

from ... import exc
from ...sql import sqltypes
from ...sql.ddl import _CreateDropBase
from ...sql.ddl import _DDLRunner
from ...sql.ddl_compiler import DDLCompiler
from ...sql.identifiers import IdentifierPreparer
from ...sql.schema import Sequence

_INDEX_USING = re.compile(r"^(?:btree|hash|gist|gin|[\w_]+)$", re.I)
_IDENT = r'(?:[\w$]+|"(?:[^"]|"")+")'
# ON DELETE SET NULL (col, ...) is PostgreSQL 15 syntax
_FK_ONDELETE = re.compile(rf"^\w+(?:\s+\w+)*(?:\s*\(\s*{_IDENT}(?:\s*,\s*{_IDENT})*\s*\))?$")


class PGIdentifierPreparer(IdentifierPreparer):
    """Quotes PostgreSQL's reserved words."""

    reserved_words = frozenset(
        """
        all analyse analyze and any array as asc asymmetric authorization between binary both
        case cast check collate column constraint create cross current_catalog current_date
        current_role current_schema current_time current_timestamp current_user default
        deferrable desc distinct do else end except false fetch for foreign freeze from full
        grant group having ilike in initially inner intersect into is isnull join leading left
        like limit localtime localtimestamp natural new not notnull null of off offset old on
        only or order outer over overlaps placing primary references returning right select
        session_user similar some symmetric table then to trailing true union unique user
        using variadic verbose when where window with
        """.split()
    )

    def _unquote_identifier(self, value: str) -> str:
        if value[0] == self.initial_quote:
            value = value[1:-1].replace(self.escape_to_quote, self.escape_quote)
        return value

    def format_type(self, type_: Any, use_schema: bool = True) -> str:
        if not type_.name:
            raise exc.CompileError(f"PostgreSQL {type_.__class__.__name__} type requires a name.")
        return super().format_type(type_, use_schema=use_schema)


class CreateEnumType(_CreateDropBase):
    """CREATE TYPE name AS ENUM (...)."""

    __visit_name__ = "create_enum_type"


class DropEnumType(_CreateDropBase):
    """DROP TYPE name."""

    __visit_name__ = "drop_enum_type"


class EnumGenerator(_DDLRunner):
    """Runs CREATE TYPE for one ENUM (checkfirst: only when it doesn't exist)."""

    def visit_enum(self, enum: Any) -> None:
        if self.checkfirst and self.dialect.has_type(self.connection, enum.name, schema=enum.schema):
            return
        self.connection.execute(CreateEnumType(enum))


class EnumDropper(_DDLRunner):
    """Runs DROP TYPE for one ENUM (checkfirst: only when it exists)."""

    def visit_enum(self, enum: Any) -> None:
        if self.checkfirst and not self.dialect.has_type(
            self.connection, enum.name, schema=enum.schema
        ):
            return
        self.connection.execute(DropEnumType(enum))


class PGDDLCompiler(DDLCompiler):
    """PostgreSQL's CREATE TABLE / INDEX / TYPE differences."""

    def _supports_identity(self) -> bool:
        return getattr(self.dialect, "supports_identity_columns", True)

    def get_column_specification(self, column: Any, **kw: Any) -> str:
        colspec = self.preparer.format_column(column)
        impl = column.type.dialect_impl(self.dialect)
        if getattr(impl, "_is_type_decorator", False):
            impl = impl.impl
        identity = column.identity is not None and self._supports_identity()
        default = column.default
        if (
            column.primary_key
            and column is column.table._autoincrement_column
            and (
                getattr(self.dialect, "supports_smallserial", True)
                or not isinstance(impl, sqltypes.SmallInteger)
            )
            and not identity
            and (default is None or (isinstance(default, Sequence) and default.optional))
        ):
            if isinstance(impl, sqltypes.BigInteger):
                colspec += " BIGSERIAL"
            elif isinstance(impl, sqltypes.SmallInteger):
                colspec += " SMALLSERIAL"
            else:
                colspec += " SERIAL"
        else:
            colspec += " " + self.type_compiler.process(
                column.type, type_expression=column, identifier_preparer=self.preparer
            )
            default_text = self.get_column_default_string(column)
            if default_text is not None:
                colspec += " DEFAULT " + default_text
        if column.computed is not None:
            colspec += " " + self.process(column.computed)
        if identity:
            colspec += " " + self.process(column.identity)
        if not column.nullable and not identity:
            colspec += " NOT NULL"
        elif column.nullable and identity:
            colspec += " NULL"
        return colspec

    def _define_constraint_validity(self, constraint: Any) -> str:
        if constraint.dialect_options["postgresql"].get("not_valid"):
            return " NOT VALID"
        return ""

    def _define_include(self, obj: Any) -> str:
        include = obj.dialect_options["postgresql"].get("include") or []
        if not include:
            return ""
        table = obj.table
        names = [
            self.preparer.quote((table.c[c] if isinstance(c, str) else c).name) for c in include
        ]
        return " INCLUDE (%s)" % ", ".join(names)

    def visit_check_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        text = super().visit_check_constraint(constraint)
        return text + self._define_constraint_validity(constraint)

    def visit_foreign_key_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        text = super().visit_foreign_key_constraint(constraint)
        return text + self._define_constraint_validity(constraint)

    def visit_primary_key_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        if len(constraint) == 0:
            return ""
        text = self.define_constraint_preamble(constraint)
        text += self.define_primary_key_body(constraint)
        text += self._define_include(constraint)
        text += self.define_constraint_deferrability(constraint)
        return text

    def visit_unique_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        if len(constraint) == 0:
            return ""
        text = self.define_constraint_preamble(constraint)
        text += "UNIQUE %s(%s)" % (
            self.define_unique_constraint_distinct(constraint),
            ", ".join(self.preparer.quote(c.name) for c in constraint),
        )
        text += self._define_include(constraint)
        text += self.define_constraint_deferrability(constraint)
        return text

    def define_unique_constraint_distinct(self, constraint: Any, **kw: Any) -> str:
        nulls_not_distinct = constraint.dialect_options["postgresql"].get("nulls_not_distinct")
        if nulls_not_distinct is True:
            return "NULLS NOT DISTINCT "
        if nulls_not_distinct is False:
            return "NULLS DISTINCT "
        return ""

    def define_constraint_cascades(self, constraint: Any) -> str:
        text = ""
        if constraint.ondelete is not None:
            text += " ON DELETE %s" % self.preparer.validate_sql_phrase(
                constraint.ondelete, _FK_ONDELETE
            )
        if constraint.onupdate is not None:
            text += " ON UPDATE %s" % self.preparer.validate_sql_phrase(constraint.onupdate)
        return text

    def visit_create_enum_type(self, create: Any, **kw: Any) -> str:
        type_ = create.element
        values = ", ".join(
            self.sql_compiler.render_literal_value(e, sqltypes.STRINGTYPE) for e in type_.enums
        )
        return "CREATE TYPE %s AS ENUM (%s)" % (self.preparer.format_type(type_), values)

    def visit_drop_enum_type(self, drop: Any, **kw: Any) -> str:
        return "DROP TYPE %s" % self.preparer.format_type(drop.element)

    def visit_create_index(self, create: Any, **kw: Any) -> str:
        index = create.element
        self._verify_index_table(index)
        options = index.dialect_options["postgresql"]
        text = "CREATE "
        if index.unique:
            text += "UNIQUE "
        text += "INDEX "
        if options.get("concurrently"):
            text += "CONCURRENTLY "
        if create.if_not_exists:
            text += "IF NOT EXISTS "
        if index.name is None:
            raise exc.CompileError("CREATE INDEX requires that the index have a name")
        text += "%s ON %s " % (
            self._prepared_index_name(index, include_schema=False),
            self.preparer.format_table(index.table),
        )
        using = options.get("using")
        if using:
            text += "USING %s " % self.preparer.validate_sql_phrase(using, _INDEX_USING).lower()
        ops = options.get("ops") or {}
        rendered = []
        for expr in index.expressions:
            item = self._render_expression(expr)
            key = getattr(expr, "key", None)
            if key is not None and key in ops:
                item += " " + ops[key]
            rendered.append(item)
        text += "(%s)" % ", ".join(rendered)
        text += self._define_include(index)
        nulls_not_distinct = options.get("nulls_not_distinct")
        if nulls_not_distinct is True:
            text += " NULLS NOT DISTINCT"
        elif nulls_not_distinct is False:
            text += " NULLS DISTINCT"
        withclause = options.get("with")
        if withclause:
            text += " WITH (%s)" % ", ".join(f"{k} = {v}" for k, v in withclause.items())
        tablespace = options.get("tablespace")
        if tablespace:
            text += " TABLESPACE %s" % self.preparer.quote(tablespace)
        where = options.get("where")
        if where is not None:
            text += " WHERE " + self._render_expression(where)
        return text

    def visit_drop_index(self, drop: Any, **kw: Any) -> str:
        index = drop.element
        if index.name is None:
            raise exc.CompileError("DROP INDEX requires that the index have a name")
        text = "\nDROP INDEX "
        if index.dialect_options["postgresql"].get("concurrently"):
            text += "CONCURRENTLY "
        if drop.if_exists:
            text += "IF EXISTS "
        return text + self._prepared_index_name(index, include_schema=True)

    def post_create_table(self, table: Any) -> str:
        options = table.dialect_options["postgresql"]
        parts = []
        inherits = options.get("inherits")
        if inherits is not None:
            if not isinstance(inherits, (list, tuple)):
                inherits = (inherits,)
            parts.append(
                "\n INHERITS (" + ", ".join(self.preparer.quote(n) for n in inherits) + ")"
            )
        if options.get("partition_by"):
            parts.append("\n PARTITION BY %s" % options["partition_by"])
        if options.get("using"):
            parts.append("\n USING %s" % options["using"])
        if options.get("with_oids") is True:
            parts.append("\n WITH OIDS")
        elif options.get("with_oids") is False:
            parts.append("\n WITHOUT OIDS")
        if options.get("on_commit"):
            parts.append("\n ON COMMIT %s" % options["on_commit"].replace("_", " ").upper())
        if options.get("tablespace"):
            parts.append("\n TABLESPACE %s" % self.preparer.quote(options["tablespace"]))
        return "".join(parts)

    def visit_computed_column(self, generated: Any, **kw: Any) -> str:
        version = getattr(self.dialect, "server_version_info", None)
        if version is None or version >= (18,):
            return super().visit_computed_column(generated, **kw)
        if generated.persisted is False:
            raise exc.CompileError(
                "PostrgreSQL computed columns do not support 'virtual' persistence; set the "
                "'persisted' flag to None or True for PostgreSQL support."
            )
        if generated.persisted is None:
            warnings.warn(
                f"Computed column {generated.column} is being created as 'STORED' since the "
                "current PostgreSQL version does not support VIRTUAL columns. On PostgreSQL "
                "18+, when 'persisted' is not specified, no keyword will be rendered and "
                "VIRTUAL will be used by default. Set 'persisted=True' to ensure STORED "
                "behavior across all PostgreSQL versions.",
                exc.SAWarning,
                stacklevel=2,
            )
        return "GENERATED ALWAYS AS (%s) STORED" % self._render_expression(generated.sqltext)

    def visit_create_sequence(self, create: Any, **kw: Any) -> str:
        prefix = None
        if create.element.data_type is not None:
            prefix = " AS %s" % self.type_compiler.process(create.element.data_type)
        return super().visit_create_sequence(create, prefix=prefix, **kw)


# -- existence checks (bound parameters; psycopg2 takes %s with a tuple) ---------------------


def _schema_filter(schema: Optional[str], namespace: str, visible: str) -> tuple:
    """SQL restricting to `schema`, or to what the search_path makes visible, and its params."""
    if schema is None:
        return f"{visible} AND {namespace}.nspname <> 'pg_catalog'", ()
    return f"{namespace}.nspname = %s", (schema,)


def has_table(connection: Any, table_name: str, schema: Optional[str] = None) -> bool:
    """Whether a table, view, materialized view or foreign table of this name exists."""
    where, params = _schema_filter(schema, "n", "pg_catalog.pg_table_is_visible(c.oid)")
    sql = (
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = %s AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND " + where + ")"
    )
    return bool(connection.exec_driver_sql(sql, (table_name,) + params).scalar())


def has_index(
    connection: Any, table_name: str, index_name: str, schema: Optional[str] = None
) -> bool:
    """Whether `table_name` has an index named `index_name`."""
    where, params = _schema_filter(schema, "n", "pg_catalog.pg_table_is_visible(t.oid)")
    sql = (
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_index i "
        "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
        "WHERE t.relname = %s AND ic.relname = %s AND " + where + ")"
    )
    return bool(connection.exec_driver_sql(sql, (table_name, index_name) + params).scalar())


def has_sequence(connection: Any, sequence_name: str, schema: Optional[str] = None) -> bool:
    """Whether a sequence of this name exists."""
    where, params = _schema_filter(schema, "n", "pg_catalog.pg_table_is_visible(c.oid)")
    sql = (
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = %s AND c.relkind = 'S' AND " + where + ")"
    )
    return bool(connection.exec_driver_sql(sql, (sequence_name,) + params).scalar())


def has_type(connection: Any, type_name: str, schema: Optional[str] = None) -> bool:
    """Whether a type of this name exists (schema '*' means in any schema)."""
    if schema == "*":
        where, params = "TRUE", ()
    else:
        where, params = _schema_filter(schema, "n", "pg_catalog.pg_type_is_visible(t.oid)")
    sql = (
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_type t "
        "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.typname = %s AND " + where + ")"
    )
    return bool(connection.exec_driver_sql(sql, (type_name,) + params).scalar())
