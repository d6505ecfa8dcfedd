"""Quote identifiers (table, column, constraint, index, sequence and type names) for SQL text.

Everything that renders a name into SQL goes through an IdentifierPreparer, so a table named
`select` or `weird "name"; drop` is quoted and escaped, never pasted. A name is quoted when it
is a reserved word, is not all lower case, starts with a digit or `$`, or holds any character
outside [A-Za-z0-9_$]; embedded quote characters are doubled. Dialects subclass it with their
own reserved words; the DDL and SQL compilers reach it as `dialect.identifier_preparer`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from typing import Optional

from .. import exc

RESERVED_WORDS = frozenset(
    """
    all analyse analyze and any array as asc asymmetric authorization between binary both
    case cast check collate column constraint create cross current_date current_role
    current_time current_timestamp current_user default deferrable desc distinct do else end
    except false for foreign freeze from full grant group having ilike in initially inner
    intersect into is isnull join leading left like limit localtime localtimestamp natural new
    not notnull null off offset old on only or order outer overlaps placing primary
    references right select session_user set similar some symmetric table then to trailing
    true union unique user using verbose when where
    """.split()
)

LEGAL_CHARACTERS = re.compile(r"^[A-Z0-9_$]+$", re.I)
ILLEGAL_INITIAL_CHARACTERS = frozenset("0123456789$")

# phrases a DDL compiler accepts for ON DELETE / INITIALLY / ...; anything else is refused
FK_ON_DELETE = re.compile(r"^(?:RESTRICT|CASCADE|SET NULL|NO ACTION|SET DEFAULT)$", re.I)
FK_ON_UPDATE = re.compile(r"^(?:RESTRICT|CASCADE|SET NULL|NO ACTION|SET DEFAULT)$", re.I)
FK_INITIALLY = re.compile(r"^(?:DEFERRED|IMMEDIATE)$", re.I)
SQL_KEYWORD_PHRASE = re.compile(r"^(?:[A-Z]+ ?)+$", re.I)


class _NoneName:
    """The name of a constraint whose name is decided at DDL time, by naming convention only."""

    def __repr__(self) -> str:
        return "<_NoneName.NONE_NAME: 0>"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "_NONE_NAME"


_NONE_NAME = _NoneName()


class quoted_name(str):
    """A name with an explicit quoting decision: quote=True always, False never, None auto."""

    __slots__ = ("quote",)

    def __new__(cls, value: Optional[str], quote: Optional[bool]) -> Any:
        if value is None:
            return None
        if isinstance(value, cls) and (quote is None or value.quote == quote):
            return value
        self = super().__new__(cls, value)
        self.quote = quote
        return self

    def __reduce__(self) -> tuple:
        return quoted_name, (str(self), self.quote)

    def lower(self) -> str:
        return self if self.quote else str(self).lower()

    def upper(self) -> str:
        return self if self.quote else str(self).upper()


class _truncated_label(quoted_name):
    """A generated name that may be shortened to fit the database's identifier length."""

    __slots__ = ()

    def __new__(cls, value: str, quote: Optional[bool] = None) -> Any:
        quote = getattr(value, "quote", quote)
        return super().__new__(cls, value, quote)

    def __reduce__(self) -> tuple:
        return self.__class__, (str(self), self.quote)


class conv(_truncated_label):
    """A constraint name already produced by a naming convention; not converted again."""

    __slots__ = ()


class IdentifierPreparer:
    """Quotes and formats identifiers for one dialect."""

    reserved_words = RESERVED_WORDS
    legal_characters = LEGAL_CHARACTERS
    illegal_initial_characters = ILLEGAL_INITIAL_CHARACTERS

    def __init__(
        self,
        dialect: Any,
        initial_quote: str = '"',
        final_quote: Optional[str] = None,
        escape_quote: str = '"',
        quote_case_sensitive_collations: bool = True,
        omit_schema: bool = False,
    ) -> None:
        self.dialect = dialect
        self.initial_quote = initial_quote
        self.final_quote = final_quote or initial_quote
        self.escape_quote = escape_quote
        self.escape_to_quote = escape_quote * 2
        self.omit_schema = omit_schema
        self.quote_case_sensitive_collations = quote_case_sensitive_collations
        self._strings: dict = {}
        # pyformat drivers read `%` as a parameter marker, so a literal one must be doubled
        self._double_percents = getattr(dialect, "paramstyle", None) in ("format", "pyformat")

    # -- the quoting rules --------------------------------------------------------------------

    def _escape_identifier(self, value: str) -> str:
        value = value.replace(self.escape_quote, self.escape_to_quote)
        if self._double_percents:
            value = value.replace("%", "%%")
        return value

    def _unescape_identifier(self, value: str) -> str:
        return value.replace(self.escape_to_quote, self.escape_quote)

    def quote_identifier(self, value: str) -> str:
        """Always quote `value`, doubling embedded quote characters."""
        return self.initial_quote + self._escape_identifier(value) + self.final_quote

    def _requires_quotes(self, value: str) -> bool:
        if not value:
            return True
        lower = value.lower()
        return (
            lower in self.reserved_words
            or value[0] in self.illegal_initial_characters
            or not self.legal_characters.match(str(value))
            or lower != value
        )

    def _requires_quotes_illegal_chars(self, value: str) -> bool:
        return not self.legal_characters.match(str(value))

    def quote(self, ident: str) -> str:
        """`ident` as it must appear in SQL: quoted only when needed (or when forced)."""
        force = getattr(ident, "quote", None)
        if force is None:
            try:
                return self._strings[ident]
            except KeyError:
                quoted = self.quote_identifier(ident) if self._requires_quotes(ident) else ident
                self._strings[ident] = quoted
                return quoted
        if force:
            return self.quote_identifier(ident)
        return ident

    def quote_schema(self, schema: str) -> str:
        return self.quote(schema)

    def validate_sql_phrase(self, element: Optional[str], reg: Any = SQL_KEYWORD_PHRASE) -> Optional[str]:
        """Refuse a phrase (ON DELETE action, ...) that is not a plain keyword sequence."""
        if element is not None and not reg.match(element):
            raise exc.CompileError(
                f"Unexpected SQL phrase: {element!r} (matching against {reg.pattern!r})"
            )
        return element

    def schema_for_object(self, obj: Any) -> Optional[str]:
        return getattr(obj, "schema", None)

    # -- formatting schema objects ------------------------------------------------------------

    def format_table(self, table: Any, use_schema: bool = True, name: Optional[str] = None) -> str:
        """A table's name, schema-qualified when it has a schema."""
        result = self.quote(table.name if name is None else name)
        schema = self.schema_for_object(table)
        if not self.omit_schema and use_schema and schema:
            result = self.quote_schema(schema) + "." + result
        return result

    def format_schema(self, name: str) -> str:
        return self.quote(name)

    def format_column(
        self,
        column: Any,
        use_table: bool = False,
        name: Optional[str] = None,
        table_name: Optional[str] = None,
        use_schema: bool = False,
    ) -> str:
        """A column's name, table-qualified with use_table=True; literal columns as given."""
        if name is None:
            name = column.name
        if getattr(column, "is_literal", False):
            rendered = name
        else:
            rendered = self.quote(name)
        if use_table and column.table is not None:
            table = self.format_table(column.table, use_schema=use_schema, name=table_name)
            return table + "." + rendered
        return rendered

    def format_table_seq(self, table: Any, use_schema: bool = True) -> tuple:
        schema = self.schema_for_object(table)
        name = self.quote(table.name)
        if not self.omit_schema and use_schema and schema:
            return (self.quote_schema(schema), name)
        return (name,)

    def _max_name_length(self, kind: str) -> int:
        if kind == "index":
            found = getattr(self.dialect, "max_index_name_length", None)
        else:
            found = getattr(self.dialect, "max_constraint_name_length", None)
        return found or getattr(self.dialect, "max_identifier_length", 9999)

    def format_constraint(self, constraint: Any, _alembic_quote: bool = True) -> Optional[str]:
        """A constraint's (or index's) name; convention names shortened to fit, others checked."""
        name = constraint.name
        if name is _NONE_NAME:
            name = constraint._convention_name()
        if name is None:
            return None
        if isinstance(name, _truncated_label):
            kind = "index" if getattr(constraint, "__visit_name__", None) == "index" else "constraint"
            max_ = self._max_name_length(kind)
            if len(name) > max_:
                name = name[: max_ - 8] + "_" + hashlib.md5(name.encode("utf-8")).hexdigest()[-4:]
        else:
            self._validate_identifier(name)
        if not _alembic_quote:
            return name
        return self.quote(name)

    def _validate_identifier(self, name: str) -> None:
        max_ = getattr(self.dialect, "max_identifier_length", None)
        if max_ and len(name) > max_:
            raise exc.IdentifierError(
                f"Identifier '{name}' exceeds maximum length of {max_} characters"
            )

    def format_index(self, index: Any) -> Optional[str]:
        return self.format_constraint(index)

    def format_sequence(self, sequence: Any, use_schema: bool = True) -> str:
        name = self.quote(sequence.name)
        schema = self.schema_for_object(sequence)
        if not self.omit_schema and use_schema and schema is not None:
            name = self.quote_schema(schema) + "." + name
        return name

    def _format_sequence_string_literal(self, sequence: Any) -> str:
        """The sequence name as a SQL string literal, for nextval('...')."""
        text = self.format_sequence(sequence).replace("'", "''")
        return f"'{text}'"

    def format_type(self, type_: Any, use_schema: bool = True) -> str:
        """A named database type (PostgreSQL ENUM), schema-qualified when it has a schema."""
        if not type_.name:
            raise exc.CompileError(f"{type_.__class__.__name__} type requires a name.")
        name = self.quote(type_.name)
        schema = self.schema_for_object(type_)
        if use_schema and schema is not None:
            name = self.quote_schema(schema) + "." + name
        return name

    def format_collation(self, collation_name: str, collation_schema: Optional[str] = None) -> str:
        name = self.quote(collation_name) if self.quote_case_sensitive_collations else collation_name
        if collation_schema is not None:
            return f"{self.quote_schema(collation_schema)}.{name}"
        return name

    def format_label_name(self, name: str) -> str:
        return self.quote(name)

    def format_savepoint(self, savepoint: Any, name: Optional[str] = None) -> str:
        ident = name or savepoint.ident
        if self._requires_quotes(ident):
            ident = self.quote_identifier(ident)
        return ident
