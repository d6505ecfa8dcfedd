"""The generic SQL types (Integer, String, Numeric, Enum, JSON, ...) and their UPPERCASE forms.

Each type converts values the way SQLAlchemy's does on a dialect that has no special
implementation for it; dialects replace some of them through `colspecs` (SQLite stores dates
as strings, PostgreSQL has native ENUM and UUID). Users import these from `ormcore` and
`ormcore.types`; elements.py gets the type of a bare Python value from the map at the end.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import pickle
import uuid
from typing import Any
from typing import Callable
from typing import Optional

from .. import exc
from . import type_api
from .type_api import Emulated
from .type_api import NativeForEmulated
from .type_api import TypeDecorator
from .type_api import TypeEngine
from .type_api import TypeEngineMixin
from . import operators
from .identifiers import _NONE_NAME
from .identifiers import quoted_name

_NO_ARG = object()


class Concatenable(TypeEngineMixin):
    """A type whose `+` means concatenation."""

    class Comparator(TypeEngine.Comparator):
        __slots__ = ()

        def _adapt_expression(self, op: Any, other_comparator: Any) -> tuple:
            if op is operators.add and isinstance(
                other_comparator, (Concatenable.Comparator, NullType.Comparator)
            ):
                return operators.concat_op, self.expr.type
            return super()._adapt_expression(op, other_comparator)

    comparator_factory = Comparator


class Indexable(TypeEngineMixin):
    """A type whose values can be indexed in SQL (`col["key"]`)."""

    class Comparator(TypeEngine.Comparator):
        __slots__ = ()

        def _setup_getitem(self, index: Any) -> tuple:
            raise NotImplementedError()

        def __getitem__(self, index: Any) -> Any:
            operator, right, result_type = self._setup_getitem(index)
            return self.operate(operator, right, result_type=result_type)

    comparator_factory = Comparator


class NullType(TypeEngine):
    """The type of an expression whose type is unknown; no processing, no DDL."""

    __visit_name__ = "null"
    _isnull = True

    class Comparator(TypeEngine.Comparator):
        __slots__ = ()

        def _adapt_expression(self, op: Any, other_comparator: Any) -> tuple:
            # an untyped left side takes the type of the right one where order doesn't matter
            if isinstance(other_comparator, NullType.Comparator) or not operators.is_commutative(op):
                return op, self.expr.type
            return other_comparator._adapt_expression(op, self)

    comparator_factory = Comparator

    def literal_processor(self, dialect: Any) -> None:
        return None


# -- numbers ---------------------------------------------------------------------------------


class _LookupComparator(TypeEngine.Comparator):
    """Arithmetic result types from the type's `_expression_adaptations` table
    (Integer + Numeric -> Numeric, DateTime - DateTime -> Interval, ...), as SQLAlchemy's."""

    __slots__ = ()

    def _adapt_expression(self, op: Any, other_comparator: Any) -> tuple:
        self_type = self.type
        othertype = other_comparator.type._type_affinity
        table = _adaptations_for(self_type.__class__)
        lookup = table.get(op, _EMPTY).get(othertype, self_type)
        if lookup is othertype:
            return op, other_comparator.type
        if lookup is self_type._type_affinity:
            return op, self_type
        return op, type_api.to_instance(lookup)


_EMPTY: dict = {}
_adaptations_cache: dict = {}


def _adaptations_for(cls: type) -> dict:
    try:
        return _adaptations_cache[cls]
    except KeyError:
        found = _adaptations_cache[cls] = cls._expression_adaptations_for(cls)  # type: ignore[attr-defined]
        return found


class Integer(TypeEngine):
    """An int column."""

    __visit_name__ = "integer"
    comparator_factory = _LookupComparator

    @staticmethod
    def _expression_adaptations_for(cls: type) -> dict:
        return {
            operators.add: {Date: Date, Integer: cls, Numeric: Numeric},
            operators.mul: {Interval: Interval, Integer: cls, Numeric: Numeric},
            operators.truediv: {Integer: Numeric, Numeric: Numeric},
            operators.floordiv: {Integer: cls, Numeric: Numeric},
            operators.sub: {Integer: cls, Numeric: Numeric},
        }

    @property
    def python_type(self) -> type:
        return int

    def _resolve_for_literal(self, value: Any) -> TypeEngine:
        return _BIGINTEGER if value.bit_length() >= 32 else self

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        return lambda value: str(int(value))


class SmallInteger(Integer):
    """A small int column (SMALLINT)."""

    __visit_name__ = "small_integer"


class BigInteger(Integer):
    """A big int column (BIGINT)."""

    __visit_name__ = "big_integer"


def _to_float(value: Any) -> Optional[float]:
    return None if value is None else float(value)


def _to_decimal_factory(scale: int) -> Callable[[Any], Any]:
    # formatting through a fixed number of places, as SQLAlchemy does, gives Decimal("1.10")
    # for a float 1.1 read back from a NUMERIC(10, 2) column instead of its binary expansion
    fmt = "%%.%df" % scale

    def process(value: Any) -> Any:
        return None if value is None else decimal.Decimal(fmt % value)

    return process


class Numeric(TypeEngine):
    """A fixed-precision number; Decimal in Python unless asdecimal=False."""

    __visit_name__ = "numeric"
    _default_decimal_return_scale = 10
    comparator_factory = _LookupComparator

    @staticmethod
    def _expression_adaptations_for(cls: type) -> dict:
        return {
            operators.mul: {Interval: Interval, Numeric: cls, Integer: cls},
            operators.truediv: {Numeric: cls, Integer: cls},
            operators.add: {Numeric: cls, Integer: cls},
            operators.sub: {Numeric: cls, Integer: cls},
        }

    def __init__(
        self,
        precision: Optional[int] = None,
        scale: Optional[int] = None,
        decimal_return_scale: Optional[int] = None,
        asdecimal: bool = True,
    ) -> None:
        self.precision = precision
        self.scale = scale
        self.decimal_return_scale = decimal_return_scale
        self.asdecimal = asdecimal

    @property
    def _effective_decimal_return_scale(self) -> int:
        if self.decimal_return_scale is not None:
            return self.decimal_return_scale
        if getattr(self, "scale", None) is not None:
            return self.scale  # type: ignore[return-value]
        return self._default_decimal_return_scale

    @property
    def python_type(self) -> type:
        return decimal.Decimal if self.asdecimal else float

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        return str

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        if dialect.supports_native_decimal:
            return None
        return _to_float

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if self.asdecimal:
            if dialect.supports_native_decimal:
                return None
            return _to_decimal_factory(self._effective_decimal_return_scale)
        if dialect.supports_native_decimal:
            return _to_float
        return None


class Float(Numeric):
    """A floating point number; float in Python unless asdecimal=True."""

    __visit_name__ = "float"
    scale = None

    def __init__(
        self,
        precision: Optional[int] = None,
        asdecimal: bool = False,
        decimal_return_scale: Optional[int] = None,
    ) -> None:
        self.precision = precision
        self.asdecimal = asdecimal
        self.decimal_return_scale = decimal_return_scale

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if self.asdecimal:
            return _to_decimal_factory(self._effective_decimal_return_scale)
        if dialect.supports_native_decimal:
            return _to_float
        return None


class Double(Float):
    """A double precision float."""

    __visit_name__ = "double"


# -- strings ---------------------------------------------------------------------------------


class String(Concatenable, TypeEngine):
    """A string column; VARCHAR(length)."""

    __visit_name__ = "string"

    def __init__(
        self,
        length: Optional[int] = None,
        collation: Optional[str] = None,
        collation_schema: Optional[str] = None,
    ) -> None:
        self.length = length
        self.collation = collation
        self.collation_schema = collation_schema

    @property
    def python_type(self) -> type:
        return str

    def _resolve_for_literal(self, value: Any) -> TypeEngine:
        return _STRING if value.isascii() else _UNICODE

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        double_percents = dialect.identifier_preparer._double_percents

        def process(value: Any) -> str:
            value = value.replace("'", "''")
            if double_percents:
                value = value.replace("%", "%%")
            return f"'{value}'"

        return process

    def get_dbapi_type(self, dbapi: Any) -> Any:
        return dbapi.STRING


class Text(String):
    """An unbounded string column (TEXT)."""

    __visit_name__ = "text"


class Unicode(String):
    """A string column for non-ASCII text; same as String on every supported driver."""

    __visit_name__ = "unicode"


class UnicodeText(Text):
    """An unbounded string column for non-ASCII text."""

    __visit_name__ = "unicode_text"


# -- binary ----------------------------------------------------------------------------------


def _to_bytes(value: Any) -> Optional[bytes]:
    return None if value is None else bytes(value)


class _Binary(TypeEngine):
    """Binary data: bytes in Python (psycopg2's memoryview is converted)."""

    def __init__(self, length: Optional[int] = None) -> None:
        self.length = length

    @property
    def python_type(self) -> type:
        return bytes

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if getattr(dialect, "returns_native_bytes", False):
            return None
        return _to_bytes

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        return lambda value: "'%s'" % bytes(value).decode("utf-8").replace("'", "''")

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        if isinstance(value, str):
            return self
        return super().coerce_compared_value(op, value)


class LargeBinary(_Binary):
    """A large binary column (BLOB / BYTEA)."""

    __visit_name__ = "large_binary"


# -- schema types: those that may add constraints or database objects -----------------------


class SchemaType(TypeEngineMixin):
    """A type that can create schema objects: a CHECK constraint, or a named type on PG.

    When a column of this type joins a table, `_set_table` may add a CHECK constraint; the
    create/drop hooks let a dialect implementation (PostgreSQL's ENUM) create its own type.
    """

    name: Optional[str] = None
    schema: Optional[str] = None
    metadata: Any = None
    create_type = True
    _create_events = True

    def _schema_type_init(
        self,
        name: Optional[str] = None,
        schema: Any = _NO_ARG,
        metadata: Any = None,
        inherit_schema: bool = False,
        quote: Optional[bool] = None,
        create_type: bool = True,
        _create_events: bool = True,
    ) -> None:
        self.name = quoted_name(name, quote) if name is not None else None
        # False for the copies made when adapting to a dialect: only the user's own type
        # object takes part in create_all/drop_all
        self._create_events = _create_events
        if schema is _NO_ARG:
            self._schema_provided = False
            self.schema = None
        elif inherit_schema:
            raise exc.ArgumentError(
                "Ambiguously setting inherit_schema=True while also passing a schema argument"
            )
        else:
            self._schema_provided = True
            self.schema = schema
        self._inherit_schema = inherit_schema
        self.create_type = create_type
        self.metadata = None
        if metadata is not None:
            self._set_metadata(metadata)

    def _set_metadata(self, metadata: Any) -> None:
        if self.metadata is None:
            self.metadata = metadata
            if not self._inherit_schema and not self._schema_provided and metadata.schema:
                self.schema = metadata.schema
            if self._create_events:
                metadata._register_object(self)

    def _set_table(self, column: Any, table: Any) -> None:
        """Called when a column of this type is attached to `table`."""
        if table.metadata is not None:
            self._set_metadata(table.metadata)
        if self._inherit_schema:
            self.schema = table.schema
            self._inherit_schema = False

    def _dialect_schema_type(self, dialect: Any) -> Any:
        impl = self.dialect_impl(dialect)  # type: ignore[attr-defined]
        if isinstance(impl, SchemaType) and impl.__class__ is not self.__class__:
            return impl
        return None

    def create(self, bind: Any, checkfirst: bool = False) -> None:
        """Create the dialect's database object for this type, if it has one."""
        impl = self._dialect_schema_type(bind.dialect)
        if impl is not None:
            impl.create(bind, checkfirst=checkfirst)

    def drop(self, bind: Any, checkfirst: bool = False) -> None:
        """Drop the dialect's database object for this type, if it has one."""
        impl = self._dialect_schema_type(bind.dialect)
        if impl is not None:
            impl.drop(bind, checkfirst=checkfirst)

    # The DDL runner in ddl.py calls these around table and metadata create/drop; a dialect
    # implementation with a database object (PG ENUM) overrides them.
    def _on_table_create(self, target: Any, bind: Any, **kw: Any) -> None:
        impl = self._dialect_schema_type(bind.dialect)
        if impl is not None:
            impl._on_table_create(target, bind, **kw)

    def _on_table_drop(self, target: Any, bind: Any, **kw: Any) -> None:
        impl = self._dialect_schema_type(bind.dialect)
        if impl is not None:
            impl._on_table_drop(target, bind, **kw)

    def _on_metadata_create(self, target: Any, bind: Any, **kw: Any) -> None:
        impl = self._dialect_schema_type(bind.dialect)
        if impl is not None:
            impl._on_metadata_create(target, bind, **kw)

    def _on_metadata_drop(self, target: Any, bind: Any, **kw: Any) -> None:
        impl = self._dialect_schema_type(bind.dialect)
        if impl is not None:
            impl._on_metadata_drop(target, bind, **kw)

    def _add_check_constraint(self, column: Any, table: Any, values: list) -> None:
        # schema.py imports this module (through type_api), so it is imported on first use
        from .schema import CheckConstraint
        from .schema import _InValuesCheck

        CheckConstraint(
            _InValuesCheck(column, values),
            name=_NONE_NAME if self.name is None else self.name,
            _create_rule=self._should_create_constraint,
            _type_bound=True,
            table=table,
        )

    def _should_create_constraint(self, compiler: Any) -> bool:
        return True


class Boolean(SchemaType, TypeEngine):
    """A boolean; stored as 0/1 where the database has no boolean type."""

    __visit_name__ = "boolean"
    native = True
    _strict_bools = frozenset([None, True, False])

    def __init__(self, create_constraint: bool = False, name: Optional[str] = None) -> None:
        self.create_constraint = create_constraint
        self.name = name
        self.schema = None
        self.metadata = None
        self._inherit_schema = False
        self._schema_provided = False

    @property
    def python_type(self) -> type:
        return bool

    def _strict_as_bool(self, value: Any) -> Any:
        if value not in self._strict_bools:
            if not isinstance(value, int):
                raise TypeError(f"Not a boolean value: {value!r}")
            raise ValueError(f"Value {value!r} is not None, True, or False")
        return value

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        strict = self._strict_as_bool
        coerce: Callable[[Any], Any] = bool if dialect.supports_native_boolean else int

        def process(value: Any) -> Any:
            value = strict(value)
            return None if value is None else coerce(value)

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if dialect.supports_native_boolean:
            return None
        return _int_to_bool

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        native = dialect.supports_native_boolean
        true, false = ("true", "false") if native else ("1", "0")
        return lambda value: true if self._strict_as_bool(value) else false

    def _set_table(self, column: Any, table: Any) -> None:
        if self.create_constraint:
            self._add_check_constraint(column, table, [0, 1])

    def _should_create_constraint(self, compiler: Any) -> bool:
        dialect = compiler.dialect
        return not dialect.supports_native_boolean and getattr(
            dialect, "non_native_boolean_check_constraint", True
        )


def _int_to_bool(value: Any) -> Optional[bool]:
    return None if value is None else bool(value)


class MatchType(Boolean):
    """The type of a full-text MATCH expression."""


class Enum(String, SchemaType, Emulated, TypeEngine):
    """A value from a fixed set: strings, or the members of a Python enum class.

    With an enum class the database stores each member's name (or the values given by
    `values_callable`) and results come back as members; strings are accepted on the way in
    and checked only with validate_strings=True. PostgreSQL creates a named ENUM type.
    """

    __visit_name__ = "enum"

    def __init__(self, *enums: Any, **kw: Any) -> None:
        self.native_enum = kw.pop("native_enum", True)
        self.create_constraint = kw.pop("create_constraint", False)
        self.values_callable = kw.pop("values_callable", None)
        self._sort_key_function = kw.pop("sort_key_function", _NO_ARG)
        length_arg = kw.pop("length", _NO_ARG)
        self._omit_aliases = kw.pop("omit_aliases", True)
        disable_warnings = kw.pop("_disable_warnings", False)
        values, objects = self._parse_into_values(enums, kw)
        self._setup_for_values(values, objects)
        self.validate_strings = kw.pop("validate_strings", False)
        length = self._default_length = max((len(x) for x in self.enums), default=0)
        if length_arg is not _NO_ARG:
            if not disable_warnings and length_arg is not None and length_arg < length:
                raise ValueError(
                    "When provided, length must be larger or equal than the length of the "
                    f"longest enum value. {length_arg} < {length}"
                )
            length = length_arg
        self._valid_lookup[None] = self._object_lookup[None] = None
        String.__init__(self, length=length)
        if self.enum_class is not None and values:
            kw.setdefault("name", self.enum_class.__name__.lower())
        self._schema_type_init(
            name=kw.pop("name", None),
            schema=kw.pop("schema", _NO_ARG),
            metadata=kw.pop("metadata", None),
            inherit_schema=kw.pop("inherit_schema", False),
            quote=kw.pop("quote", None),
            create_type=kw.pop("create_type", True),
            _create_events=kw.pop("_create_events", True),
        )
        if kw:
            raise TypeError(f"Unknown arguments passed to Enum: {', '.join(kw)}")

    def _parse_into_values(self, enums: tuple, kw: dict) -> tuple:
        if not enums and "_enums" in kw:
            enums = tuple(kw.pop("_enums"))
        else:
            kw.pop("_enums", None)
        if len(enums) == 1 and hasattr(enums[0], "__members__"):
            self.enum_class = enums[0]
            all_members = self.enum_class.__members__
            if self._omit_aliases:
                members = {n: m for n, m in all_members.items() if m.name == n}
            else:
                members = dict(all_members)
            if self.values_callable:
                values = list(self.values_callable(self.enum_class))
            else:
                values = list(members)
            return values, list(members.values())
        self.enum_class = None
        return list(enums), list(enums)

    def _setup_for_values(self, values: list, objects: list) -> None:
        self.enums = list(values)
        # member -> stored value; reversed so the first of several aliases wins
        self._valid_lookup: dict = dict(zip(reversed(objects), reversed(values)))
        self._object_lookup: dict = dict(zip(values, objects))
        # a stored value given as a string maps to itself (canonicalised through its member)
        self._valid_lookup.update(
            (value, self._valid_lookup[self._object_lookup[value]]) for value in values
        )

    @property
    def _enums_argument(self) -> list:
        if self.enum_class is not None:
            return [self.enum_class]
        return self.enums

    @property
    def native(self) -> bool:  # type: ignore[override]
        return self.native_enum

    @property
    def sort_key_function(self) -> Any:  # type: ignore[override]
        if self._sort_key_function is _NO_ARG:
            return self._db_value_for_elem
        return self._sort_key_function

    @property
    def python_type(self) -> type:
        if self.enum_class is not None:
            return self.enum_class
        return str

    def _lookup_error(self, elem: Any) -> LookupError:
        possible = _repr_tuple_names(self.enums)
        return LookupError(
            f"'{elem}' is not among the defined enum values. Enum name: {self.name}. "
            f"Possible values: {possible}"
        )

    def _db_value_for_elem(self, elem: Any) -> Any:
        try:
            return self._valid_lookup[elem]
        except KeyError as err:
            if not self.validate_strings and isinstance(elem, str):
                return elem
            raise self._lookup_error(elem) from err
        except TypeError as err:  # unhashable
            raise self._lookup_error(elem) from err

    def _object_value_for_elem(self, elem: Any) -> Any:
        try:
            return self._object_lookup[elem]
        except KeyError as err:
            raise self._lookup_error(elem) from err

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        parent = String.bind_processor(self, dialect)
        to_db = self._db_value_for_elem
        if parent is None:
            return to_db
        return lambda value: parent(to_db(value))

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        parent = String.result_processor(self, dialect, coltype)
        to_object = self._object_value_for_elem
        if parent is None:
            return to_object
        return lambda value: to_object(parent(value))

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        parent = String.literal_processor(self, dialect)
        to_db = self._db_value_for_elem
        return lambda value: parent(to_db(value))

    def _make_enum_kw(self, kw: dict) -> dict:
        kw.setdefault("validate_strings", self.validate_strings)
        if self.name:
            kw.setdefault("name", self.name)
        if self._schema_provided or self.schema is not None:
            kw.setdefault("schema", self.schema)
        kw.setdefault("metadata", self.metadata)
        kw.setdefault("native_enum", self.native_enum)
        kw.setdefault("values_callable", self.values_callable)
        kw.setdefault("create_constraint", self.create_constraint)
        kw.setdefault("length", self.length)
        kw.setdefault("omit_aliases", self._omit_aliases)
        kw.setdefault("sort_key_function", self._sort_key_function)
        kw.setdefault("create_type", self.create_type)
        return kw

    def adapt_to_emulated(self, impltype: type, **kw: Any) -> TypeEngine:
        self._make_enum_kw(kw)
        kw["_disable_warnings"] = True
        kw.setdefault("_create_events", False)
        kw.setdefault("_enums", self._enums_argument)
        new = impltype(**kw)
        new._variant_mapping = self._variant_mapping
        return new

    def adapt(self, impltype: type, **kw: Any) -> TypeEngine:
        if isinstance(impltype, type) and issubclass(impltype, NativeForEmulated):
            if self.native_enum:
                return impltype.adapt_emulated_to_native(self, **kw)  # type: ignore[attr-defined]
            return self.adapt_to_emulated(type(self), **kw)
        if issubclass(impltype, Enum):
            return self.adapt_to_emulated(impltype, **kw)
        return TypeEngine.adapt(self, impltype, **kw)

    def copy(self, **kw: Any) -> TypeEngine:
        return self.adapt_to_emulated(type(self), _create_events=True, **kw)

    def _gen_cache_key(self) -> tuple:
        return (
            self.__class__,
            tuple(self.enums),
            self.enum_class,
            self.name,
            self.schema,
            self.native_enum,
            self.length,
            self.validate_strings,
            self.create_constraint,
        ) + (
            (("variants", tuple(sorted((n, t._cache_key) for n, t in self._variant_mapping.items()))),)
            if self._variant_mapping
            else ()
        )

    def _set_table(self, column: Any, table: Any) -> None:
        SchemaType._set_table(self, column, table)
        if self.create_constraint:
            self._add_check_constraint(column, table, list(self.enums))

    def _should_create_constraint(self, compiler: Any) -> bool:
        dialect = compiler.dialect
        return not self.native_enum or not getattr(dialect, "supports_native_enum", False)

    def __repr__(self) -> str:
        shown = [repr(e) for e in self.enums]
        if self.name is not None:
            shown.append(f"name={self.name!r}")
        if not self.create_type:
            shown.append("create_type=False")
        if not self.native_enum:
            shown.append("native_enum=False")
        if self.create_constraint:
            shown.append("create_constraint=True")
        if self.length != self._default_length:
            shown.append(f"length={self.length!r}")
        if self.schema is not None:
            shown.append(f"schema={self.schema!r}")
        return f"{self.__class__.__name__}({', '.join(shown)})"


def _repr_tuple_names(names: list) -> Optional[str]:
    # SQLAlchemy's wording: up to four names, else the first three, "...", and the last
    if not names:
        return None
    short = len(names) <= 4
    shown = names[:4] if short else names[:3] + names[-1:]
    shown = [f"{n[:11]}.." if len(n) > 11 else n for n in shown]
    if short:
        return ", ".join(shown)
    return f"{', '.join(shown[:-1])}, ..., {shown[-1]}"


# -- dates and times -------------------------------------------------------------------------


class DateTime(TypeEngine):
    """A date and time; timezone=True asks for a timezone-aware database type."""

    __visit_name__ = "datetime"
    comparator_factory = _LookupComparator

    @staticmethod
    def _expression_adaptations_for(cls: type) -> dict:
        return {
            operators.add: {Interval: cls},
            operators.sub: {Interval: cls, DateTime: Interval},
        }

    def __init__(self, timezone: bool = False) -> None:
        self.timezone = timezone

    @property
    def python_type(self) -> type:
        return dt.datetime

    def _resolve_for_literal(self, value: Any) -> TypeEngine:
        if value.tzinfo is not None and not self.timezone:
            return _DATETIME_TIMEZONE
        return self

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        return _quoted_literal(self, dialect, lambda v: v.isoformat(" "))


class Date(TypeEngine):
    """A calendar date."""

    __visit_name__ = "date"
    comparator_factory = _LookupComparator

    @staticmethod
    def _expression_adaptations_for(cls: type) -> dict:
        return {
            operators.add: {Integer: cls, Interval: DateTime, Time: DateTime},
            operators.sub: {Integer: cls, Date: Integer, Interval: DateTime, DateTime: Interval},
        }

    @property
    def python_type(self) -> type:
        return dt.date

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        return _quoted_literal(self, dialect, lambda v: v.isoformat())


class Time(TypeEngine):
    """A time of day."""

    __visit_name__ = "time"
    comparator_factory = _LookupComparator

    @staticmethod
    def _expression_adaptations_for(cls: type) -> dict:
        return {
            operators.add: {Date: DateTime, Interval: cls},
            operators.sub: {Time: Interval, Interval: cls},
        }

    def __init__(self, timezone: bool = False) -> None:
        self.timezone = timezone

    @property
    def python_type(self) -> type:
        return dt.time

    def _resolve_for_literal(self, value: Any) -> TypeEngine:
        if value.tzinfo is not None and not self.timezone:
            return _TIME_TIMEZONE
        return self

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        return _quoted_literal(self, dialect, lambda v: v.isoformat())


def _quoted_literal(type_: TypeEngine, dialect: Any, fmt: Callable[[Any], str]) -> Callable[[Any], str]:
    bind = type_.dialect_impl(dialect).bind_processor(dialect)

    def process(value: Any) -> str:
        text = bind(value) if bind is not None else fmt(value)
        return "'%s'" % text

    return process


class Interval(Emulated, TypeDecorator):
    """A timedelta; native INTERVAL on PostgreSQL, stored as epoch + delta elsewhere."""

    impl = DateTime
    cache_ok = True
    epoch = dt.datetime(1970, 1, 1)
    comparator_factory = _LookupComparator

    @staticmethod
    def _expression_adaptations_for(cls: type) -> dict:
        return {
            operators.add: {Date: DateTime, Interval: cls, DateTime: DateTime, Time: Time},
            operators.sub: {Interval: cls},
            operators.mul: {Numeric: cls},
            operators.truediv: {Numeric: cls},
        }

    def __init__(
        self,
        native: bool = True,
        second_precision: Optional[int] = None,
        day_precision: Optional[int] = None,
    ) -> None:
        super().__init__()
        self.native = native
        self.second_precision = second_precision
        self.day_precision = day_precision

    @property
    def python_type(self) -> type:
        return dt.timedelta

    @property
    def _type_affinity(self) -> type:
        return Interval

    def adapt_to_emulated(self, impltype: type, **kw: Any) -> TypeEngine:
        return type_api.constructor_copy(self, impltype, **kw)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self.impl.coerce_compared_value(op, value)

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        impl_proc = self.impl.bind_processor(dialect)
        epoch = self.epoch

        def process(value: Any) -> Any:
            value = None if value is None else epoch + value
            return impl_proc(value) if impl_proc is not None else value

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        impl_proc = self.impl.result_processor(dialect, coltype)
        epoch = self.epoch

        def process(value: Any) -> Any:
            if impl_proc is not None:
                value = impl_proc(value)
            return None if value is None else value - epoch

        return process


# -- UUID, JSON, ARRAY, pickle ---------------------------------------------------------------


class Uuid(Emulated, TypeEngine):
    """A UUID: native where the database has one, else CHAR(32) of hex digits.

    uuid.UUID objects in Python unless as_uuid=False (then strings with dashes).
    """

    __visit_name__ = "uuid"
    collation = None
    length = 32

    def __init__(self, as_uuid: bool = True, native_uuid: bool = True) -> None:
        self.as_uuid = as_uuid
        self.native_uuid = native_uuid

    @property
    def python_type(self) -> type:
        return uuid.UUID if self.as_uuid else str

    @property
    def native(self) -> bool:  # type: ignore[override]
        return self.native_uuid

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        if isinstance(value, str):
            return self
        return super().coerce_compared_value(op, value)

    def _character_based(self, dialect: Any) -> bool:
        return not dialect.supports_native_uuid or not self.native_uuid

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        if not self._character_based(dialect):
            return None
        if self.as_uuid:
            return _uuid_to_hex
        return _uuid_str_to_hex

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if self._character_based(dialect):
            return _str_to_uuid if self.as_uuid else _str_to_uuid_str
        if not self.as_uuid:
            return _uuid_to_str
        return None

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        if not self.as_uuid:
            return lambda value: "'%s'" % value.replace("-", "").replace("'", "''")
        if self._character_based(dialect):
            return lambda value: f"'{value.hex}'"
        return lambda value: "'%s'" % str(value).replace("'", "''")


def _uuid_to_hex(value: Any) -> Any:
    return None if value is None else value.hex


def _uuid_str_to_hex(value: Any) -> Any:
    return None if value is None else value.replace("-", "")


def _str_to_uuid(value: Any) -> Any:
    return None if value is None else uuid.UUID(value)


def _str_to_uuid_str(value: Any) -> Any:
    return None if value is None else str(uuid.UUID(value))


def _uuid_to_str(value: Any) -> Any:
    return None if value is None else str(value)


class _JSONNull:
    """JSON.NULL: persist a JSON 'null' even where None would mean SQL NULL."""

    def __repr__(self) -> str:
        return "symbol('JSON_NULL')"

    def __reduce__(self) -> str:
        return "_JSON_NULL"


_JSON_NULL = _JSONNull()


class JSON(Indexable, TypeEngine):
    """A JSON document; Python values are serialized with json.dumps and parsed back.

    None is stored as JSON 'null' unless none_as_null=True (then SQL NULL); `JSON.NULL`
    always stores JSON 'null', and `null()` always SQL NULL.
    """

    __visit_name__ = "JSON"
    hashable = False
    NULL = _JSON_NULL

    class Comparator(Indexable.Comparator):
        """`col["key"]`, `col[0]`, `col[("a", 1)]` (a path); `.as_string()` & co. for SQL
        values of a scalar type rather than JSON."""

        __slots__ = ()

        def _setup_getitem(self, index: Any) -> tuple:
            if not isinstance(index, str) and isinstance(index, (tuple, list)):
                bind = self.expr._bind_param(operators.json_path_getitem_op, tuple(index),
                                             type_=JSON.JSONPathType())
                return operators.json_path_getitem_op, bind, self.type
            if getattr(index, "_is_clause_element", False):
                return operators.json_getitem_op, index, self.type
            index_type = JSON.JSONIntIndexType() if isinstance(index, int) else JSON.JSONStrIndexType()
            bind = self.expr._bind_param(operators.json_getitem_op, index, type_=index_type)
            return operators.json_getitem_op, bind, self.type

        def _binary_w_type(self, type_: Any, method_name: str) -> Any:
            expr = self.expr
            if getattr(expr, "operator", None) not in (
                operators.json_getitem_op, operators.json_path_getitem_op
            ):
                raise exc.InvalidRequestError(
                    f"The JSON cast operator JSON.{method_name}() only works with a JSON index "
                    f"expression e.g. col['q'].{method_name}()"
                )
            clone = expr._clone()
            clone.type = type_
            return clone

        def as_boolean(self) -> Any:
            return self._binary_w_type(Boolean(), "as_boolean")

        def as_string(self) -> Any:
            return self._binary_w_type(Unicode(), "as_string")

        def as_integer(self) -> Any:
            return self._binary_w_type(Integer(), "as_integer")

        def as_float(self) -> Any:
            return self._binary_w_type(Float(), "as_float")

        def as_numeric(self, precision: int, scale: int, asdecimal: bool = True) -> Any:
            return self._binary_w_type(Numeric(precision, scale, asdecimal=asdecimal), "as_numeric")

        def as_json(self) -> Any:
            return self.expr

    comparator_factory = Comparator

    class JSONElementType(TypeEngine):
        """The type of an index or path inside a JSON expression; SQLite wants a JSON path."""

        def _format_index(self, dialect: Any) -> Any:
            return None

        def bind_processor(self, dialect: Any) -> Any:
            return self._format_index(dialect)

        def literal_processor(self, dialect: Any) -> Any:
            fmt = self._format_index(dialect)

            def process(value: Any) -> str:
                if fmt is not None:
                    value = fmt(value)
                if isinstance(value, int):
                    return str(value)
                return "'" + str(value).replace("'", "''") + "'"

            return process

    class JSONIndexType(JSONElementType):
        """One key or position: `$."key"` / `$[0]` on SQLite, as given elsewhere."""

        def _format_index(self, dialect: Any) -> Any:
            if dialect.name != "sqlite":
                return None

            def process(value: Any) -> str:
                if isinstance(value, int):
                    return f"$[{value}]"
                return f'$."{value}"'

            return process

    class JSONIntIndexType(JSONIndexType):
        pass

    class JSONStrIndexType(JSONIndexType):
        pass

    class JSONPathType(JSONElementType):
        """A path: `{a, 1}` on PostgreSQL, `$."a"[1]` on SQLite."""

        def _format_index(self, dialect: Any) -> Any:
            if dialect.name == "sqlite":
                def process(value: Any) -> str:
                    return "$" + "".join(
                        f"[{e}]" if isinstance(e, int) else f'."{e}"' for e in value
                    )

                return process
            if dialect.name == "postgresql":
                return lambda value: "{%s}" % ", ".join(str(e) for e in value)
            return None

        def literal_processor(self, dialect: Any) -> Any:
            if self._format_index(dialect) is None:
                def refuse(value: Any) -> str:
                    raise NotImplementedError("a JSON path has no generic SQL literal form")

                return refuse
            return super().literal_processor(dialect)

    def __init__(self, none_as_null: bool = False) -> None:
        self.none_as_null = none_as_null

    @property
    def should_evaluate_none(self) -> bool:  # type: ignore[override]
        return not self.none_as_null

    @should_evaluate_none.setter
    def should_evaluate_none(self, value: bool) -> None:
        self.none_as_null = not value

    @property
    def python_type(self) -> type:
        return dict

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        serializer = getattr(dialect, "_json_serializer", None) or json.dumps
        none_as_null = self.none_as_null
        json_null = _JSON_NULL

        def process(value: Any) -> Any:
            if value is json_null:
                value = None
            elif value is None and none_as_null:
                return None
            elif getattr(value, "__visit_name__", None) == "null":
                return None
            return serializer(value)

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        deserializer = getattr(dialect, "_json_deserializer", None) or json.loads

        def process(value: Any) -> Any:
            return None if value is None else deserializer(value)

        return process


class ARRAY(Indexable, Concatenable, TypeEngine):
    """An array of `item_type` (PostgreSQL); lists in Python, tuples with as_tuple=True."""

    __visit_name__ = "ARRAY"
    _is_array = True
    zero_indexes = False

    class Comparator(Indexable.Comparator, Concatenable.Comparator):
        """`arr[i]`, `arr[i:j]` (1-based unless zero_indexes), any/all, and PostgreSQL's
        containment operators."""

        __slots__ = ()

        def _setup_getitem(self, index: Any) -> tuple:
            from .coercions import expect_expression
            from .elements import Slice

            type_ = self.type
            key = self.expr.key
            if isinstance(index, slice):
                start, stop = index.start, index.stop
                if type_.zero_indexes:
                    start = start + 1 if isinstance(start, int) else start
                    stop = stop + 1 if isinstance(stop, int) else stop
                index = Slice(
                    expect_expression(start, name=key, type_=type_api.INTEGERTYPE),
                    expect_expression(stop, name=key, type_=type_api.INTEGERTYPE),
                    index.step,
                )
                return operators.getitem, index, type_
            if type_.zero_indexes and isinstance(index, int):
                index += 1
            if type_.dimensions is None or type_.dimensions == 1:
                return_type = type_.item_type
            else:
                return_type = type_.__class__(type_.item_type, dimensions=type_.dimensions - 1,
                                              zero_indexes=type_.zero_indexes)
            return operators.getitem, index, return_type

        def any(self, other: Any, operator: Any = None) -> Any:
            from .elements import any_

            return (operator or operators.eq)(any_(self.expr), other) if operator is None else \
                operator(other, any_(self.expr))

        def all(self, other: Any, operator: Any = None) -> Any:
            from .elements import all_

            return (operator or operators.eq)(all_(self.expr), other) if operator is None else \
                operator(other, all_(self.expr))

        def contains(self, other: Any, **kwargs: Any) -> Any:
            return self.operate(_ARRAY_CONTAINS, other, result_type=Boolean())

        def contained_by(self, other: Any) -> Any:
            return self.operate(_ARRAY_CONTAINED_BY, other, result_type=Boolean())

        def overlap(self, other: Any) -> Any:
            return self.operate(_ARRAY_OVERLAP, other, result_type=Boolean())

    comparator_factory = Comparator

    def __init__(
        self,
        item_type: Any,
        as_tuple: bool = False,
        dimensions: Optional[int] = None,
        zero_indexes: bool = False,
    ) -> None:
        if isinstance(item_type, ARRAY):
            raise ValueError(
                "Do not nest ARRAY types; ARRAY(basetype) handles multi-dimensional arrays of "
                "basetype"
            )
        if isinstance(item_type, type):
            item_type = item_type()
        self.item_type = item_type
        self.as_tuple = as_tuple
        self.dimensions = dimensions
        self.zero_indexes = zero_indexes

    @property
    def hashable(self) -> bool:  # type: ignore[override]
        return self.as_tuple

    @property
    def python_type(self) -> type:
        return list

    def compare_values(self, x: Any, y: Any) -> bool:
        return x == y

    def _apply_item_processor(
        self, arr: Any, itemproc: Any, dim: Optional[int], collection: Callable
    ) -> Any:
        if dim is None:
            arr = list(arr)
        if dim == 1 or (dim is None and (not arr or not isinstance(arr[0], (list, tuple)))):
            if itemproc is not None:
                return collection(itemproc(x) for x in arr)
            return collection(arr)
        return collection(
            self._apply_item_processor(x, itemproc, None if dim is None else dim - 1, collection)
            if x is not None
            else None
            for x in arr
        )

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        item_proc = self.item_type.dialect_impl(dialect).bind_processor(dialect)
        dims = self.dimensions

        def process(value: Any) -> Any:
            if value is None:
                return None
            return self._apply_item_processor(value, item_proc, dims, list)

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        item_proc = self.item_type.dialect_impl(dialect).result_processor(dialect, coltype)
        dims = self.dimensions
        collection = tuple if self.as_tuple else list

        def process(value: Any) -> Any:
            if value is None:
                return None
            return self._apply_item_processor(value, item_proc, dims, collection)

        return process

    def _set_table(self, column: Any, table: Any) -> None:
        hook = getattr(self.item_type, "_set_table", None)
        if hook is not None:
            hook(column, table)


_ARRAY_CONTAINS = operators.custom_op("@>", precedence=15, natural_self_precedent=True,
                                      eager_grouping=True)
_ARRAY_CONTAINED_BY = operators.custom_op("<@", precedence=15, natural_self_precedent=True,
                                          eager_grouping=True)
_ARRAY_OVERLAP = operators.custom_op("&&", precedence=15, natural_self_precedent=True,
                                     eager_grouping=True)


class TupleType(TypeEngine):
    """The type of a row value (`tuple_(a, b)`): one type per element."""

    __visit_name__ = "tuple"
    _is_tuple_type = True

    def __init__(self, *types: Any) -> None:
        self._fully_typed = all(not type_api.to_instance(t)._isnull for t in types)
        self.types = [type_api.to_instance(t) for t in types]

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self

    def _resolve_values_to_types(self, value: Any) -> "TupleType":
        if self._fully_typed:
            return self
        return TupleType(*[
            type_api.resolve_value_to_type(v) if t._isnull else t
            for t, v in zip(self.types, value)
        ])

    def _gen_cache_key(self) -> tuple:
        return (TupleType, tuple(t._cache_key for t in self.types))

    def __repr__(self) -> str:
        return f"TupleType({', '.join(repr(t) for t in self.types)})"


class PickleType(TypeDecorator):
    """Any picklable Python object, stored as a pickle in a binary column."""

    impl = LargeBinary
    cache_ok = True

    def __init__(
        self,
        protocol: int = pickle.HIGHEST_PROTOCOL,
        pickler: Any = None,
        comparator: Optional[Callable[[Any, Any], bool]] = None,
        impl: Any = None,
    ) -> None:
        self.protocol = protocol
        self.pickler = pickler or pickle
        self.comparator = comparator
        super().__init__()
        if impl is not None:
            self.impl = type_api.to_instance(impl)

    def __reduce__(self) -> tuple:
        return PickleType, (self.protocol, None, self.comparator)

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        impl_proc = self.impl.bind_processor(dialect)
        dumps = self.pickler.dumps
        protocol = self.protocol

        def process(value: Any) -> Any:
            if value is not None:
                value = dumps(value, protocol)
            return impl_proc(value) if impl_proc is not None else value

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        impl_proc = self.impl.result_processor(dialect, coltype)
        loads = self.pickler.loads

        def process(value: Any) -> Any:
            if impl_proc is not None:
                value = impl_proc(value)
            return None if value is None else loads(value)

        return process

    def compare_values(self, x: Any, y: Any) -> bool:
        if self.comparator:
            return self.comparator(x, y)
        return x == y


# -- the UPPERCASE types: exactly the named database type ------------------------------------


class REAL(Float):
    __visit_name__ = "REAL"


class FLOAT(Float):
    __visit_name__ = "FLOAT"


class DOUBLE(Double):
    __visit_name__ = "DOUBLE"


class DOUBLE_PRECISION(Double):
    __visit_name__ = "DOUBLE_PRECISION"


class NUMERIC(Numeric):
    __visit_name__ = "NUMERIC"


class DECIMAL(Numeric):
    __visit_name__ = "DECIMAL"


class INTEGER(Integer):
    __visit_name__ = "INTEGER"


INT = INTEGER


class SMALLINT(SmallInteger):
    __visit_name__ = "SMALLINT"


class BIGINT(BigInteger):
    __visit_name__ = "BIGINT"


class TIMESTAMP(DateTime):
    __visit_name__ = "TIMESTAMP"


class DATETIME(DateTime):
    __visit_name__ = "DATETIME"


class DATE(Date):
    __visit_name__ = "DATE"


class TIME(Time):
    __visit_name__ = "TIME"


class TEXT(Text):
    __visit_name__ = "TEXT"


class CLOB(Text):
    __visit_name__ = "CLOB"


class VARCHAR(String):
    __visit_name__ = "VARCHAR"


class NVARCHAR(Unicode):
    __visit_name__ = "NVARCHAR"


class CHAR(String):
    __visit_name__ = "CHAR"


class NCHAR(Unicode):
    __visit_name__ = "NCHAR"


class BLOB(LargeBinary):
    __visit_name__ = "BLOB"


class BINARY(_Binary):
    __visit_name__ = "BINARY"


class VARBINARY(_Binary):
    __visit_name__ = "VARBINARY"


class BOOLEAN(Boolean):
    __visit_name__ = "BOOLEAN"


class UUID(Uuid, NativeForEmulated):
    """The native UUID type; only on databases that have it."""

    __visit_name__ = "UUID"

    def __init__(self, as_uuid: bool = True) -> None:
        self.as_uuid = as_uuid
        self.native_uuid = True

    @classmethod
    def adapt_emulated_to_native(cls, impl: Any, **kw: Any) -> TypeEngine:
        kw.setdefault("as_uuid", impl.as_uuid)
        return cls(**kw)


NULLTYPE = NullType()
BOOLEANTYPE = Boolean()
STRINGTYPE = String()
INTEGERTYPE = Integer()
NUMERICTYPE = Numeric()
MATCHTYPE = MatchType()
_STRING = String()
_UNICODE = Unicode()
_BIGINTEGER = BigInteger()
_DATETIME_TIMEZONE = DateTime(timezone=True)
_TIME_TIMEZONE = Time(timezone=True)

type_api.NULLTYPE = NULLTYPE
type_api.BOOLEANTYPE = BOOLEANTYPE
type_api.STRINGTYPE = STRINGTYPE
type_api.INTEGERTYPE = INTEGERTYPE
type_api.NUMERICTYPE = NUMERICTYPE
type_api.MATCHTYPE = MATCHTYPE
type_api._type_map.update(
    {
        int: Integer(),
        float: Double(),
        bool: BOOLEANTYPE,
        uuid.UUID: Uuid(),
        decimal.Decimal: Numeric(),
        dt.date: Date(),
        dt.datetime: DateTime(),
        dt.time: Time(),
        dt.timedelta: Interval(),
        type(None): NULLTYPE,
        bytes: LargeBinary(),
        str: _STRING,
        enum.Enum: Enum(enum.Enum),
    }
)
