"""PostgreSQL's types (ENUM, UUID, JSON/JSONB, BYTEA, INTERVAL, ...), colspecs and type compiler.

ENUM is a named database type: created with CREATE TYPE before the tables that use it and
dropped after them (create_all/drop_all), or explicitly with ENUM.create()/drop(). psycopg2
returns NUMERIC as Decimal and float columns as float, so the numeric processors decide by the
result column's type OID. psycopg2 parses json/jsonb results itself and returns UUIDs as
strings unless its UUID adapter is registered; the processors here accept either.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
import warnings
from typing import Any
from typing import Callable
from typing import Optional

from ... import exc
from ...sql import sqltypes
from ...sql.ddl_compiler import GenericTypeCompiler
from ...sql.type_api import NativeForEmulated
from ...sql.type_api import TypeEngine
from .ddl import EnumDropper
from .ddl import EnumGenerator

# pg_type OIDs, as psycopg2 reports them in cursor.description
_FLOAT_OIDS = frozenset((700, 701, 1021, 1022))
_DECIMAL_OIDS = frozenset((1231, 1700))
_INT_OIDS = frozenset((20, 21, 23, 26, 1005, 1007, 1016))
_JSON_OIDS = frozenset((114, 3802, 199, 3807))


def _to_float(value: Any) -> Any:
    return None if value is None else float(value)


def _to_decimal(scale: int) -> Callable[[Any], Any]:
    fmt = "%%.%df" % scale

    def process(value: Any) -> Any:
        return None if value is None else decimal.Decimal(fmt % value)

    return process


def _numeric_by_value(asdecimal: bool, scale: int) -> Callable[[Any], Any]:
    """For results whose column type is unknown: convert what isn't already the wanted kind."""
    to_decimal = _to_decimal(scale)

    def process(value: Any) -> Any:
        if value is None:
            return None
        if asdecimal:
            return to_decimal(value) if isinstance(value, float) else value
        return value if isinstance(value, float) else float(value)

    return process


class _PGNumeric(sqltypes.Numeric):
    """Numeric on psycopg2: Decimal from NUMERIC columns, float from float columns."""

    def bind_processor(self, dialect: Any) -> None:
        return None

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        scale = self._effective_decimal_return_scale
        if coltype in _FLOAT_OIDS:
            return _to_decimal(scale) if self.asdecimal else None
        if coltype in _DECIMAL_OIDS or coltype in _INT_OIDS:
            return None if self.asdecimal else _to_float
        return _numeric_by_value(self.asdecimal, scale)


class _PGFloat(sqltypes.Float):
    """Float on psycopg2, with the same OID rules as _PGNumeric."""

    bind_processor = _PGNumeric.bind_processor
    result_processor = _PGNumeric.result_processor


class _PGJSON(sqltypes.JSON):
    """JSON on psycopg2, which already parses json/jsonb result columns."""

    def result_processor(self, dialect: Any, coltype: Any) -> Optional[Callable[[Any], Any]]:
        if coltype is None or coltype in _JSON_OIDS:
            return None
        return super().result_processor(dialect, coltype)


class JSON(_PGJSON):
    """PostgreSQL JSON."""

    __visit_name__ = "JSON"

    def __init__(self, none_as_null: bool = False, astext_type: Any = None) -> None:
        super().__init__(none_as_null=none_as_null)
        self.astext_type = astext_type if astext_type is not None else sqltypes.Text()


class JSONB(JSON):
    """PostgreSQL JSONB."""

    __visit_name__ = "JSONB"


def _uuid_to_str(value: Any) -> Any:
    return None if value is None else str(value)


def _to_uuid(value: Any) -> Any:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(value)


class PGUuid(sqltypes.UUID):
    """Native UUID on psycopg2: sent as text (which PostgreSQL casts), read back as UUID or str."""

    def bind_processor(self, dialect: Any) -> Optional[Callable[[Any], Any]]:
        if not self.as_uuid:
            return None
        return _uuid_to_str

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        return _to_uuid if self.as_uuid else _uuid_to_str


UUID = sqltypes.UUID


class BYTEA(sqltypes.LargeBinary):
    """PostgreSQL BYTEA."""

    __visit_name__ = "BYTEA"


class INTERVAL(NativeForEmulated, sqltypes.TypeEngine):
    """PostgreSQL INTERVAL [fields] [(precision)]; psycopg2 returns timedelta."""

    __visit_name__ = "INTERVAL"
    native = True

    def __init__(self, precision: Optional[int] = None, fields: Optional[str] = None) -> None:
        self.precision = precision
        self.fields = fields

    @classmethod
    def adapt_emulated_to_native(cls, interval: Any, **kw: Any) -> "INTERVAL":
        return INTERVAL(precision=interval.second_precision)

    @property
    def _type_affinity(self) -> type:
        return sqltypes.Interval

    def as_generic(self, allow_nulltype: bool = False) -> TypeEngine:
        return sqltypes.Interval(native=True, second_precision=self.precision)

    @property
    def python_type(self) -> type:
        return datetime.timedelta


class TIMESTAMP(sqltypes.TIMESTAMP):
    """TIMESTAMP [(precision)] WITH[OUT] TIME ZONE."""

    def __init__(self, timezone: bool = False, precision: Optional[int] = None) -> None:
        super().__init__(timezone=timezone)
        self.precision = precision


class TIME(sqltypes.TIME):
    """TIME [(precision)] WITH[OUT] TIME ZONE."""

    def __init__(self, timezone: bool = False, precision: Optional[int] = None) -> None:
        super().__init__(timezone=timezone)
        self.precision = precision


class INET(sqltypes.TypeEngine):
    __visit_name__ = "INET"


class CIDR(sqltypes.TypeEngine):
    __visit_name__ = "CIDR"


class MACADDR(sqltypes.TypeEngine):
    __visit_name__ = "MACADDR"


class CITEXT(sqltypes.TEXT):
    __visit_name__ = "CITEXT"


class TSVECTOR(sqltypes.TypeEngine):
    __visit_name__ = "TSVECTOR"


class ARRAY(sqltypes.ARRAY):
    """PostgreSQL ARRAY of an item type (INTEGER[], VARCHAR(30)[][], ...)."""


class NamedType(sqltypes.TypeEngine):
    """A type PostgreSQL knows by name (CREATE TYPE), created at most once per DDL run."""

    DDLGenerator: Any = None
    DDLDropper: Any = None

    def create(self, bind: Any, checkfirst: bool = True, **kw: Any) -> None:
        """CREATE TYPE on `bind` (skipped with checkfirst when it exists)."""
        bind._run_ddl_visitor(self.DDLGenerator, self, checkfirst=checkfirst)

    def drop(self, bind: Any, checkfirst: bool = True, **kw: Any) -> None:
        """DROP TYPE on `bind` (skipped with checkfirst when it does not exist)."""
        bind._run_ddl_visitor(self.DDLDropper, self, checkfirst=checkfirst)

    def _already_handled(self, kw: dict) -> bool:
        """Note this type in the DDL run's memo; True if it was already there."""
        if not self.create_type:  # type: ignore[attr-defined]
            return True
        runner = kw.get("_ddl_runner")
        if runner is None:
            return False
        seen = runner.memo.setdefault(f"pg_{self.__visit_name__}", set())
        key = (self.schema, self.name)  # type: ignore[attr-defined]
        if key in seen:
            return True
        seen.add(key)
        return False

    def _on_table_create(self, target: Any, bind: Any, checkfirst: bool = False, **kw: Any) -> None:
        if not self._already_handled(kw):
            self.create(bind=bind, checkfirst=bool(checkfirst))

    def _on_table_drop(self, target: Any, bind: Any, **kw: Any) -> None:
        # a named type may be shared by other tables; only drop_all drops it
        return None

    def _on_metadata_create(self, target: Any, bind: Any, checkfirst: bool = False, **kw: Any) -> None:
        if not self._already_handled(kw):
            self.create(bind=bind, checkfirst=bool(checkfirst))

    def _on_metadata_drop(self, target: Any, bind: Any, checkfirst: bool = False, **kw: Any) -> None:
        if not self._already_handled(kw):
            self.drop(bind=bind, checkfirst=bool(checkfirst))


class ENUM(NamedType, NativeForEmulated, sqltypes.Enum):
    """PostgreSQL's native ENUM: CREATE TYPE name AS ENUM ('a', 'b', ...)."""

    native_enum = True
    DDLGenerator = EnumGenerator
    DDLDropper = EnumDropper

    def __init__(self, *enums: Any, name: Any = sqltypes._NO_ARG, create_type: bool = True, **kw: Any) -> None:
        native_enum = kw.pop("native_enum", None)
        if native_enum is False:
            warnings.warn(
                "the native_enum flag does not apply to the sqlalchemy.dialects.postgresql.ENUM "
                "datatype; this type always refers to ENUM.   Use sqlalchemy.types.Enum for "
                "non-native enum.",
                exc.SAWarning,
                stacklevel=2,
            )
        if name is not sqltypes._NO_ARG:
            kw["name"] = name
        kw["create_type"] = create_type
        super().__init__(*enums, **kw)

    @classmethod
    def adapt_emulated_to_native(cls, impl: Any, **kw: Any) -> "ENUM":
        kw.setdefault("validate_strings", impl.validate_strings)
        kw.setdefault("name", impl.name)
        kw.setdefault("create_type", impl.create_type)
        kw.setdefault("schema", impl.schema)
        kw.setdefault("metadata", impl.metadata)
        kw.setdefault("values_callable", impl.values_callable)
        kw.setdefault("omit_aliases", impl._omit_aliases)
        kw.setdefault("sort_key_function", impl._sort_key_function)
        kw.setdefault("create_constraint", impl.create_constraint)
        kw.setdefault("length", impl.length)
        kw.setdefault("_enums", impl._enums_argument)
        kw.setdefault("_create_events", False)
        kw["_disable_warnings"] = True
        return cls(**kw)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        coerced = super().coerce_compared_value(op, value)
        if coerced._type_affinity is sqltypes.STRINGTYPE._type_affinity:
            return self
        return coerced

    def create(self, bind: Any, checkfirst: bool = True, **kw: Any) -> None:
        if not bind.dialect.supports_native_enum:
            return
        super().create(bind, checkfirst=checkfirst)

    def drop(self, bind: Any, checkfirst: bool = True, **kw: Any) -> None:
        if not bind.dialect.supports_native_enum:
            return
        super().drop(bind, checkfirst=checkfirst)


colspecs: dict = {
    sqltypes.Numeric: _PGNumeric,
    sqltypes.Float: _PGFloat,
    sqltypes.JSON: _PGJSON,
    sqltypes.Uuid: PGUuid,
    sqltypes.Interval: INTERVAL,
    sqltypes.Enum: ENUM,
}


class PGTypeCompiler(GenericTypeCompiler):
    """PostgreSQL's type names: SERIAL-free INTEGER, BYTEA, TIMESTAMP WITH TIME ZONE, ENUM names."""

    def visit_FLOAT(self, type_: Any, **kw: Any) -> str:
        if not type_.precision:
            return "FLOAT"
        return f"FLOAT({type_.precision})"

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return self.visit_DOUBLE_PRECISION(type_, **kw)

    def visit_JSONB(self, type_: Any, **kw: Any) -> str:
        return "JSONB"

    def visit_INET(self, type_: Any, **kw: Any) -> str:
        return "INET"

    def visit_CIDR(self, type_: Any, **kw: Any) -> str:
        return "CIDR"

    def visit_MACADDR(self, type_: Any, **kw: Any) -> str:
        return "MACADDR"

    def visit_CITEXT(self, type_: Any, **kw: Any) -> str:
        return "CITEXT"

    def visit_TSVECTOR(self, type_: Any, **kw: Any) -> str:
        return "TSVECTOR"

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return self.visit_TIMESTAMP(type_, **kw)

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        if not type_.native_enum or not self.dialect.supports_native_enum:
            return super().visit_enum(type_, **kw)
        return self.visit_ENUM(type_, **kw)

    def visit_ENUM(self, type_: Any, identifier_preparer: Any = None, **kw: Any) -> str:
        preparer = identifier_preparer or self.dialect.identifier_preparer
        return preparer.format_type(type_)

    def _tz(self, name: str, type_: Any) -> str:
        precision = getattr(type_, "precision", None)
        return "%s%s %s" % (
            name,
            f"({precision})" if precision is not None else "",
            ("WITH" if type_.timezone else "WITHOUT") + " TIME ZONE",
        )

    def visit_TIMESTAMP(self, type_: Any, **kw: Any) -> str:
        return self._tz("TIMESTAMP", type_)

    def visit_TIME(self, type_: Any, **kw: Any) -> str:
        return self._tz("TIME", type_)

    def visit_INTERVAL(self, type_: Any, **kw: Any) -> str:
        text = "INTERVAL"
        if type_.fields is not None:
            text += " " + type_.fields
        if type_.precision is not None:
            text += " (%d)" % type_.precision
        return text

    def visit_uuid(self, type_: Any, **kw: Any) -> str:
        if type_.native_uuid:
            return self.visit_UUID(type_, **kw)
        return super().visit_uuid(type_, **kw)

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return self.visit_BYTEA(type_, **kw)

    def visit_BYTEA(self, type_: Any, **kw: Any) -> str:
        return "BYTEA"

    def visit_ARRAY(self, type_: Any, **kw: Any) -> str:
        inner = self.process(type_.item_type, **kw)
        brackets = "[]" * (type_.dimensions if type_.dimensions is not None else 1)
        # the brackets go before any COLLATE clause: VARCHAR(30)[] COLLATE "C"
        collate = inner.find(" COLLATE")
        if collate >= 0:
            return inner[:collate] + brackets + inner[collate:]
        return inner + brackets
