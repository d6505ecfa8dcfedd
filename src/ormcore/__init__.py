"""ormcore: a faster, drop-in replacement for SQLAlchemy 2.x's ORM.

The top-level names are SQLAlchemy's (create_engine, text, MetaData, Table, Column, types, ...),
so that `import sqlalchemy` -> `import ormcore` is the whole port.
"""

from __future__ import annotations

from . import event
from . import exc
from . import pool
from . import schema
from . import types
from ._core import has_speedups
from .engine import Connection
from .engine import CursorResult
from .engine import Engine
from .engine import MappingResult
from .engine import Result
from .engine import Row
from .engine import RowMapping
from .engine import ScalarResult
from .engine import create_engine
from .engine import make_url
from .engine.url import URL
from .sql.elements import BindParameter
from .sql.elements import ClauseElement
from .sql.elements import ColumnClause
from .sql.elements import ColumnElement
from .sql.elements import TextClause
from .sql.elements import bindparam
from .sql.elements import column
from .sql.elements import literal_column
from .sql.elements import text
from .sql.identifiers import quoted_name
from .schema import BLANK_SCHEMA
from .schema import CheckConstraint
from .schema import Column
from .schema import ColumnDefault
from .schema import Computed
from .schema import Constraint
from .schema import DDL
from .schema import DefaultClause
from .schema import FetchedValue
from .schema import ForeignKey
from .schema import ForeignKeyConstraint
from .schema import Identity
from .schema import Index
from .schema import MetaData
from .schema import PrimaryKeyConstraint
from .schema import Sequence
from .schema import Table
from .schema import UniqueConstraint
from .types import ARRAY
from .types import BIGINT
from .types import BINARY
from .types import BLOB
from .types import BOOLEAN
from .types import BigInteger
from .types import Boolean
from .types import CHAR
from .types import CLOB
from .types import DATE
from .types import DATETIME
from .types import DECIMAL
from .types import DOUBLE
from .types import DOUBLE_PRECISION
from .types import Date
from .types import DateTime
from .types import Double
from .types import Enum
from .types import FLOAT
from .types import Float
from .types import INT
from .types import INTEGER
from .types import Integer
from .types import Interval
from .types import JSON
from .types import LargeBinary
from .types import NCHAR
from .types import NUMERIC
from .types import NVARCHAR
from .types import NullType
from .types import Numeric
from .types import PickleType
from .types import REAL
from .types import SMALLINT
from .types import SmallInteger
from .types import String
from .types import TEXT
from .types import TIME
from .types import TIMESTAMP
from .types import Text
from .types import Time
from .types import TypeDecorator
from .types import TypeEngine
from .types import UUID
from .types import Unicode
from .types import UnicodeText
from .types import UserDefinedType
from .types import Uuid
from .types import VARBINARY
from .types import VARCHAR

__version__ = "0.1.0"

__all__ = [
    "ARRAY",
    "BIGINT",
    "BINARY",
    "BLANK_SCHEMA",
    "BLOB",
    "BOOLEAN",
    "BigInteger",
    "BindParameter",
    "Boolean",
    "CHAR",
    "CLOB",
    "CheckConstraint",
    "ClauseElement",
    "Column",
    "ColumnClause",
    "ColumnDefault",
    "ColumnElement",
    "Computed",
    "Connection",
    "Constraint",
    "CursorResult",
    "DATE",
    "DATETIME",
    "DDL",
    "DECIMAL",
    "DOUBLE",
    "DOUBLE_PRECISION",
    "Date",
    "DateTime",
    "DefaultClause",
    "Double",
    "Engine",
    "Enum",
    "FLOAT",
    "FetchedValue",
    "Float",
    "ForeignKey",
    "ForeignKeyConstraint",
    "INT",
    "INTEGER",
    "Identity",
    "Index",
    "Integer",
    "Interval",
    "JSON",
    "LargeBinary",
    "MappingResult",
    "MetaData",
    "NCHAR",
    "NUMERIC",
    "NVARCHAR",
    "NullType",
    "Numeric",
    "PickleType",
    "PrimaryKeyConstraint",
    "REAL",
    "Result",
    "Row",
    "RowMapping",
    "SMALLINT",
    "ScalarResult",
    "Sequence",
    "SmallInteger",
    "String",
    "TEXT",
    "TIME",
    "TIMESTAMP",
    "Table",
    "Text",
    "TextClause",
    "Time",
    "TypeDecorator",
    "TypeEngine",
    "URL",
    "UUID",
    "Unicode",
    "UnicodeText",
    "UniqueConstraint",
    "UserDefinedType",
    "Uuid",
    "VARBINARY",
    "VARCHAR",
    "bindparam",
    "column",
    "create_engine",
    "event",
    "exc",
    "has_speedups",
    "literal_column",
    "make_url",
    "pool",
    "quoted_name",
    "schema",
    "text",
    "types",
]
