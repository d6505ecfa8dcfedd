"""Render DDL elements and type names as SQL text: DDLCompiler and GenericTypeCompiler.

The engine compiles a DDL element with `dialect.ddl_compiler(dialect, element)` and runs the
resulting string; dialects subclass both classes here for their own syntax (SQLite's inline
AUTOINCREMENT, PostgreSQL's SERIAL and ENUM). The output matches SQLAlchemy's text for the same
schema objects, so that migrations and logs compare equal. Names always go through the
dialect's IdentifierPreparer; default and CHECK expressions through the SQL compiler with
literal values.
"""

from __future__ import annotations

from typing import Any
from typing import Optional

from .. import exc
from . import sqltypes
from .compiler import Compiled
from .elements import ColumnClause
from .schema import Column
from .schema import DefaultClause



class DDLCompiler(Compiled):
    """Compiles CREATE/DROP statements; DDL has no bound parameters."""

    is_ddl = True
    isinsert = False
    isupdate = False
    isdelete = False
    returning = None
    params: dict = {}

    def __init__(self, dialect: Any, statement: Any, **kw: Any) -> None:
        self._sql_compiler: Any = None
        kw.pop("schema_translate_map", None)
        kw.pop("render_schema_translate", None)
        compile_kwargs = kw.pop("compile_kwargs", None) or {}
        super().__init__(dialect, statement, **compile_kwargs, **kw)

    @property
    def sql_compiler(self) -> Any:
        """A SQL compiler for the expressions inside DDL (defaults, CHECK, index expressions)."""
        if self._sql_compiler is None:
            self._sql_compiler = self.dialect.statement_compiler(self.dialect, None)
        return self._sql_compiler

    @property
    def type_compiler(self) -> Any:
        return self.dialect.type_compiler_instance

    def construct_params(self, params: Any = None, extracted: Any = None, **kw: Any) -> None:
        return None

    # -- expressions inside DDL ---------------------------------------------------------------

    def _render_expression(self, expr: Any) -> str:
        """A DDL expression as literal SQL: columns by name, values inline, never bound."""
        if isinstance(expr, ColumnClause) and not getattr(expr, "is_literal", False):
            return self.preparer.format_column(expr)
        own = getattr(self, "visit_" + expr.__visit_name__, None)
        if own is not None:
            return own(expr)
        return self.sql_compiler.process(expr, include_table=False, literal_binds=True)

    def _literal(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return self.sql_compiler.render_literal_value(value, sqltypes.NULLTYPE)
        if isinstance(value, str):
            return self.sql_compiler.render_literal_value(value, sqltypes.STRINGTYPE)
        return repr(value)

    def visit_ddl_in_values(self, element: Any, **kw: Any) -> str:
        values = ", ".join(self._literal(v) for v in element.values)
        return f"{self.preparer.format_column(element.column)} IN ({values})"

    # -- raw DDL and schemas ------------------------------------------------------------------

    def visit_ddl(self, ddl: Any, **kw: Any) -> str:
        context = dict(ddl.context)
        target = ddl.target
        if target is not None and getattr(target, "__visit_name__", None) == "table":
            path = self.preparer.format_table_seq(target)
            table, schema = (path[0], "") if len(path) == 1 else (path[-1], path[0])
            context.setdefault("table", table)
            context.setdefault("schema", schema)
            context.setdefault("fullname", self.preparer.format_table(target))
        text = ddl.statement % context
        if self.preparer._double_percents:
            text = text.replace("%", "%%")
        return text

    def visit_create_schema(self, create: Any, **kw: Any) -> str:
        text = "CREATE SCHEMA "
        if create.if_not_exists:
            text += "IF NOT EXISTS "
        return text + self.preparer.format_schema(create.element)

    def visit_drop_schema(self, drop: Any, **kw: Any) -> str:
        text = "DROP SCHEMA "
        if drop.if_exists:
            text += "IF EXISTS "
        text += self.preparer.format_schema(drop.element)
        if drop.cascade:
            text += " CASCADE"
        return text

    # -- tables -------------------------------------------------------------------------------

    def visit_create_table(self, create: Any, **kw: Any) -> str:
        table = create.element
        text = "\nCREATE "
        if table._prefixes:
            text += " ".join(table._prefixes) + " "
        text += "TABLE "
        if create.if_not_exists:
            text += "IF NOT EXISTS "
        text += self.preparer.format_table(table) + " "
        suffix = self.create_table_suffix(table)
        if suffix:
            text += suffix + " "
        text += "("
        separator = "\n"
        first_pk = False
        for create_column in create.columns:
            column = create_column.element
            try:
                processed = self.process(create_column, first_pk=column.primary_key and not first_pk)
            except exc.CompileError as err:
                raise exc.CompileError(
                    f"(in table '{table.description}', column '{column.name}'): {err.args[0]}"
                ) from err
            if processed is not None:
                text += separator + "\t" + processed
                separator = ", \n"
            if column.primary_key:
                first_pk = True
        constraints = self.create_table_constraints(
            table, _include_foreign_key_constraints=create.include_foreign_key_constraints
        )
        if constraints:
            text += separator + "\t" + constraints
        text += "\n)%s\n\n" % self.post_create_table(table)
        return text

    def visit_create_column(self, create: Any, first_pk: bool = False, **kw: Any) -> Optional[str]:
        column = create.element
        if column.system:
            return None
        text = self.get_column_specification(column, first_pk=first_pk)
        inline = " ".join(
            self.process(c) for c in sorted(column.constraints, key=lambda c: c._creation_order)
        )
        if inline:
            text += " " + inline
        return text

    def create_table_constraints(
        self, table: Any, _include_foreign_key_constraints: Any = None, **kw: Any
    ) -> str:
        constraints = []
        if table.primary_key:
            constraints.append(table.primary_key)
        if _include_foreign_key_constraints is not None:
            included = {id(c) for c in _include_foreign_key_constraints}
            omitted = {id(c) for c in table.foreign_key_constraints if id(c) not in included}
        else:
            omitted = set()
        constraints.extend(
            c for c in table._sorted_constraints
            if c is not table.primary_key and id(c) not in omitted
        )
        supports_alter = self.dialect.supports_alter
        rendered = (
            self.process(c)
            for c in constraints
            if c._should_create_for_compiler(self)
            and (not supports_alter or not getattr(c, "use_alter", False))
        )
        return ", \n\t".join(p for p in rendered if p is not None)

    def create_table_suffix(self, table: Any) -> str:
        return ""

    def post_create_table(self, table: Any) -> str:
        return ""

    def visit_drop_table(self, drop: Any, **kw: Any) -> str:
        text = "\nDROP TABLE "
        if drop.if_exists:
            text += "IF EXISTS "
        return text + self.preparer.format_table(drop.element)

    # -- columns ------------------------------------------------------------------------------

    def get_column_specification(self, column: Column, **kw: Any) -> str:
        colspec = (
            self.preparer.format_column(column)
            + " "
            + self.type_compiler.process(column.type, type_expression=column)
        )
        default = self.get_column_default_string(column)
        if default is not None:
            colspec += " DEFAULT " + default
        if column.computed is not None:
            colspec += " " + self.process(column.computed)
        identity = column.identity is not None and self._supports_identity()
        if identity:
            colspec += " " + self.process(column.identity)
        if not column.nullable and not identity:
            colspec += " NOT NULL"
        return colspec

    def _supports_identity(self) -> bool:
        return getattr(self.dialect, "supports_identity_columns", False)

    def get_column_default_string(self, column: Column) -> Optional[str]:
        if isinstance(column.server_default, DefaultClause):
            return self.render_default_string(column.server_default.arg)
        return None

    def render_default_string(self, default: Any) -> str:
        if isinstance(default, str):
            return self.sql_compiler.render_literal_value(default, sqltypes.STRINGTYPE)
        return self.sql_compiler.process(default, literal_binds=True)

    def visit_computed_column(self, generated: Any, **kw: Any) -> str:
        text = "GENERATED ALWAYS AS (%s)" % self._render_expression(generated.sqltext)
        if generated.persisted is True:
            text += " STORED"
        elif generated.persisted is False:
            text += " VIRTUAL"
        return text

    def visit_identity_column(self, identity: Any, **kw: Any) -> str:
        text = "GENERATED %s AS IDENTITY" % ("ALWAYS" if identity.always else "BY DEFAULT")
        options = self.get_identity_options(identity)
        if options:
            text += " (%s)" % options
        return text

    def get_identity_options(self, options: Any) -> str:
        parts = []
        if options.increment is not None:
            parts.append("INCREMENT BY %d" % options.increment)
        if options.start is not None:
            parts.append("START WITH %d" % options.start)
        if options.minvalue is not None:
            parts.append("MINVALUE %d" % options.minvalue)
        if options.maxvalue is not None:
            parts.append("MAXVALUE %d" % options.maxvalue)
        if options.nominvalue is not None:
            parts.append("NO MINVALUE")
        if options.nomaxvalue is not None:
            parts.append("NO MAXVALUE")
        if options.cache is not None:
            parts.append("CACHE %d" % options.cache)
        if options.cycle is not None:
            parts.append("CYCLE" if options.cycle else "NO CYCLE")
        return " ".join(parts)

    # -- constraints --------------------------------------------------------------------------

    def define_constraint_preamble(self, constraint: Any, **kw: Any) -> str:
        if constraint.name is not None:
            name = self.preparer.format_constraint(constraint)
            if name is not None:
                return f"CONSTRAINT {name} "
        return ""

    def visit_primary_key_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        if len(constraint) == 0:
            return ""
        text = self.define_constraint_preamble(constraint)
        text += self.define_primary_key_body(constraint)
        text += self.define_constraint_deferrability(constraint)
        return text

    def define_primary_key_body(self, constraint: Any, **kw: Any) -> str:
        columns = (
            constraint.columns_autoinc_first if constraint._implicit_generated else constraint.columns
        )
        return "PRIMARY KEY (%s)" % ", ".join(self.preparer.quote(c.name) for c in columns)

    def visit_foreign_key_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        text = self.define_constraint_preamble(constraint)
        text += self.define_foreign_key_body(constraint)
        text += self.define_constraint_match(constraint)
        text += self.define_constraint_cascades(constraint)
        text += self.define_constraint_deferrability(constraint)
        return text

    def define_foreign_key_body(self, constraint: Any, **kw: Any) -> str:
        quote = self.preparer.quote
        remote = constraint.elements[0].column.table
        return "FOREIGN KEY(%s) REFERENCES %s (%s)" % (
            ", ".join(quote(fk.parent.name) for fk in constraint.elements),
            self.define_constraint_remote_table(constraint, remote, self.preparer),
            ", ".join(quote(fk.column.name) for fk in constraint.elements),
        )

    def define_constraint_remote_table(self, constraint: Any, table: Any, preparer: Any) -> str:
        return preparer.format_table(table)

    def visit_unique_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        if len(constraint) == 0:
            return ""
        text = self.define_constraint_preamble(constraint)
        text += "UNIQUE %s(%s)" % (
            self.define_unique_constraint_distinct(constraint),
            ", ".join(self.preparer.quote(c.name) for c in constraint),
        )
        text += self.define_constraint_deferrability(constraint)
        return text

    def define_unique_constraint_distinct(self, constraint: Any, **kw: Any) -> str:
        return ""

    def visit_check_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        text = self.define_constraint_preamble(constraint)
        text += "CHECK (%s)" % self._render_expression(constraint.sqltext)
        text += self.define_constraint_deferrability(constraint)
        return text

    def visit_column_check_constraint(self, constraint: Any, **kw: Any) -> Optional[str]:
        return DDLCompiler.visit_check_constraint(self, constraint, **kw)

    def define_constraint_cascades(self, constraint: Any) -> str:
        text = ""
        if constraint.ondelete is not None:
            text += " ON DELETE %s" % self.preparer.validate_sql_phrase(constraint.ondelete)
        if constraint.onupdate is not None:
            text += " ON UPDATE %s" % self.preparer.validate_sql_phrase(constraint.onupdate)
        return text

    def define_constraint_deferrability(self, constraint: Any) -> str:
        text = ""
        if constraint.deferrable is not None:
            text += " DEFERRABLE" if constraint.deferrable else " NOT DEFERRABLE"
        if constraint.initially is not None:
            text += " INITIALLY %s" % self.preparer.validate_sql_phrase(constraint.initially)
        return text

    def define_constraint_match(self, constraint: Any) -> str:
        if constraint.match is not None:
            return " MATCH %s" % self.preparer.validate_sql_phrase(constraint.match)
        return ""

    def visit_add_constraint(self, create: Any, **kw: Any) -> str:
        return "ALTER TABLE %s ADD %s" % (
            self.preparer.format_table(create.element.table),
            self.process(create.element),
        )

    def visit_drop_constraint(self, drop: Any, **kw: Any) -> str:
        constraint = drop.element
        name = self.preparer.format_constraint(constraint) if constraint.name is not None else None
        if name is None:
            raise exc.CompileError(
                f"Can't emit DROP CONSTRAINT for constraint {constraint!r}; it has no name"
            )
        return "ALTER TABLE %s DROP CONSTRAINT %s%s%s" % (
            self.preparer.format_table(constraint.table),
            "IF EXISTS " if drop.if_exists else "",
            name,
            " CASCADE" if drop.cascade else "",
        )

    # -- indexes ------------------------------------------------------------------------------

    def _verify_index_table(self, index: Any) -> None:
        if index.table is None:
            raise exc.CompileError(f"Index '{index.name}' is not associated with any table.")

    def _prepared_index_name(self, index: Any, include_schema: bool = False) -> str:
        schema = index.table.schema if index.table is not None else None
        name = self.preparer.format_index(index)
        if include_schema and schema:
            name = self.preparer.quote_schema(schema) + "." + name
        return name

    def _index_expressions(self, index: Any) -> str:
        return ", ".join(self._render_expression(e) for e in index.expressions)

    def visit_create_index(
        self, create: Any, include_schema: bool = False, include_table_schema: bool = True, **kw: Any
    ) -> str:
        index = create.element
        self._verify_index_table(index)
        text = "CREATE "
        if index.unique:
            text += "UNIQUE "
        if index.name is None:
            raise exc.CompileError("CREATE INDEX requires that the index have a name")
        text += "INDEX "
        if create.if_not_exists:
            text += "IF NOT EXISTS "
        text += "%s ON %s (%s)" % (
            self._prepared_index_name(index, include_schema=include_schema),
            self.preparer.format_table(index.table, use_schema=include_table_schema),
            self._index_expressions(index),
        )
        return text

    def visit_drop_index(self, drop: Any, **kw: Any) -> str:
        index = drop.element
        if index.name is None:
            raise exc.CompileError("DROP INDEX requires that the index have a name")
        text = "\nDROP INDEX "
        if drop.if_exists:
            text += "IF EXISTS "
        return text + self._prepared_index_name(index, include_schema=True)

    # -- sequences and comments ---------------------------------------------------------------

    def visit_create_sequence(self, create: Any, prefix: Optional[str] = None, **kw: Any) -> str:
        text = "CREATE SEQUENCE "
        if create.if_not_exists:
            text += "IF NOT EXISTS "
        text += self.preparer.format_sequence(create.element)
        if prefix:
            text += prefix
        options = self.get_identity_options(create.element)
        if options:
            text += " " + options
        return text

    def visit_drop_sequence(self, drop: Any, **kw: Any) -> str:
        text = "DROP SEQUENCE "
        if drop.if_exists:
            text += "IF EXISTS "
        return text + self.preparer.format_sequence(drop.element)

    def visit_set_table_comment(self, create: Any, **kw: Any) -> str:
        return "COMMENT ON TABLE %s IS %s" % (
            self.preparer.format_table(create.element),
            self.sql_compiler.render_literal_value(create.element.comment, sqltypes.String()),
        )

    def visit_drop_table_comment(self, drop: Any, **kw: Any) -> str:
        return "COMMENT ON TABLE %s IS NULL" % self.preparer.format_table(drop.element)

    def visit_set_column_comment(self, create: Any, **kw: Any) -> str:
        return "COMMENT ON COLUMN %s IS %s" % (
            self.preparer.format_column(create.element, use_table=True, use_schema=True),
            self.sql_compiler.render_literal_value(create.element.comment, sqltypes.String()),
        )

    def visit_drop_column_comment(self, drop: Any, **kw: Any) -> str:
        return "COMMENT ON COLUMN %s IS NULL" % self.preparer.format_column(
            drop.element, use_table=True
        )


class GenericTypeCompiler:
    """Names types for DDL: `visit_<__visit_name__>` per type (INTEGER, VARCHAR(n), ...)."""

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect

    def process(self, type_: Any, **kw: Any) -> str:
        variant = type_._variant_mapping.get(self.dialect.name)
        if variant is not None:
            type_ = variant
        return type_._compiler_dispatch(self, **kw)

    def visit_FLOAT(self, type_: Any, **kw: Any) -> str:
        return "FLOAT"

    def visit_DOUBLE(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE"

    def visit_DOUBLE_PRECISION(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE PRECISION"

    def visit_REAL(self, type_: Any, **kw: Any) -> str:
        return "REAL"

    def _render_numeric(self, name: str, type_: Any) -> str:
        if type_.precision is None:
            return name
        if type_.scale is None:
            return f"{name}({type_.precision})"
        return f"{name}({type_.precision}, {type_.scale})"

    def visit_NUMERIC(self, type_: Any, **kw: Any) -> str:
        return self._render_numeric("NUMERIC", type_)

    def visit_DECIMAL(self, type_: Any, **kw: Any) -> str:
        return self._render_numeric("DECIMAL", type_)

    def visit_INTEGER(self, type_: Any, **kw: Any) -> str:
        return "INTEGER"

    def visit_SMALLINT(self, type_: Any, **kw: Any) -> str:
        return "SMALLINT"

    def visit_BIGINT(self, type_: Any, **kw: Any) -> str:
        return "BIGINT"

    def visit_TIMESTAMP(self, type_: Any, **kw: Any) -> str:
        return "TIMESTAMP"

    def visit_DATETIME(self, type_: Any, **kw: Any) -> str:
        return "DATETIME"

    def visit_DATE(self, type_: Any, **kw: Any) -> str:
        return "DATE"

    def visit_TIME(self, type_: Any, **kw: Any) -> str:
        return "TIME"

    def visit_CLOB(self, type_: Any, **kw: Any) -> str:
        return "CLOB"

    def visit_NCLOB(self, type_: Any, **kw: Any) -> str:
        return "NCLOB"

    def _render_string_type(
        self,
        name: str,
        length: Optional[int],
        collation: Optional[str],
        collation_schema: Optional[str] = None,
        identifier_preparer: Any = None,
        **kw: Any,
    ) -> str:
        text = name
        if length:
            text += f"({length})"
        if collation:
            preparer = identifier_preparer or self.dialect.identifier_preparer
            text += " COLLATE " + preparer.format_collation(collation, collation_schema)
        return text

    def _string(self, name: str, type_: Any, **kw: Any) -> str:
        return self._render_string_type(
            name, type_.length, type_.collation, getattr(type_, "collation_schema", None), **kw
        )

    def visit_CHAR(self, type_: Any, **kw: Any) -> str:
        return self._string("CHAR", type_, **kw)

    def visit_NCHAR(self, type_: Any, **kw: Any) -> str:
        return self._string("NCHAR", type_, **kw)

    def visit_VARCHAR(self, type_: Any, **kw: Any) -> str:
        return self._string("VARCHAR", type_, **kw)

    def visit_NVARCHAR(self, type_: Any, **kw: Any) -> str:
        return self._string("NVARCHAR", type_, **kw)

    def visit_TEXT(self, type_: Any, **kw: Any) -> str:
        return self._string("TEXT", type_, **kw)

    def visit_UUID(self, type_: Any, **kw: Any) -> str:
        return "UUID"

    def visit_BLOB(self, type_: Any, **kw: Any) -> str:
        return "BLOB"

    def visit_BINARY(self, type_: Any, **kw: Any) -> str:
        return "BINARY" + (f"({type_.length})" if type_.length else "")

    def visit_VARBINARY(self, type_: Any, **kw: Any) -> str:
        return "VARBINARY" + (f"({type_.length})" if type_.length else "")

    def visit_BOOLEAN(self, type_: Any, **kw: Any) -> str:
        return "BOOLEAN"

    def visit_JSON(self, type_: Any, **kw: Any) -> str:
        return "JSON"

    def visit_uuid(self, type_: Any, **kw: Any) -> str:
        if not type_.native_uuid or not self.dialect.supports_native_uuid:
            return self._render_string_type("CHAR", 32, None, **kw)
        return self.visit_UUID(type_, **kw)

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return self.visit_BLOB(type_, **kw)

    def visit_boolean(self, type_: Any, **kw: Any) -> str:
        return self.visit_BOOLEAN(type_, **kw)

    def visit_time(self, type_: Any, **kw: Any) -> str:
        return self.visit_TIME(type_, **kw)

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return self.visit_DATETIME(type_, **kw)

    def visit_date(self, type_: Any, **kw: Any) -> str:
        return self.visit_DATE(type_, **kw)

    def visit_big_integer(self, type_: Any, **kw: Any) -> str:
        return self.visit_BIGINT(type_, **kw)

    def visit_small_integer(self, type_: Any, **kw: Any) -> str:
        return self.visit_SMALLINT(type_, **kw)

    def visit_integer(self, type_: Any, **kw: Any) -> str:
        return self.visit_INTEGER(type_, **kw)

    def visit_real(self, type_: Any, **kw: Any) -> str:
        return self.visit_REAL(type_, **kw)

    def visit_float(self, type_: Any, **kw: Any) -> str:
        return self.visit_FLOAT(type_, **kw)

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return self.visit_DOUBLE(type_, **kw)

    def visit_numeric(self, type_: Any, **kw: Any) -> str:
        return self.visit_NUMERIC(type_, **kw)

    def visit_string(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)

    def visit_unicode(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)

    def visit_text(self, type_: Any, **kw: Any) -> str:
        return self.visit_TEXT(type_, **kw)

    def visit_unicode_text(self, type_: Any, **kw: Any) -> str:
        return self.visit_TEXT(type_, **kw)

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        return self.visit_VARCHAR(type_, **kw)

    def visit_null(self, type_: Any, **kw: Any) -> str:
        raise exc.CompileError(
            f"Can't generate DDL for {type_!r}; did you forget to specify a type on this Column?"
        )

    def visit_type_decorator(self, type_: Any, **kw: Any) -> str:
        return self.process(type_.type_engine(self.dialect), **kw)

    def visit_user_defined(self, type_: Any, **kw: Any) -> str:
        return type_.get_col_spec(**kw)
