"""The SQL types at the path SQLAlchemy users import them from (`sqlalchemy.types`).

A facade: the types live in sql/sqltypes.py and sql/type_api.py.
"""

from __future__ import annotations

from .sql.sqltypes import ARRAY
from .sql.sqltypes import BIGINT
from .sql.sqltypes import BINARY
from .sql.sqltypes import BLOB
from .sql.sqltypes import BOOLEAN
from .sql.sqltypes import CHAR
from .sql.sqltypes import CLOB
from .sql.sqltypes import DATE
from .sql.sqltypes import DATETIME
from .sql.sqltypes import DECIMAL
from .sql.sqltypes import DOUBLE
from .sql.sqltypes import DOUBLE_PRECISION
from .sql.sqltypes import FLOAT
from .sql.sqltypes import INT
from .sql.sqltypes import INTEGER
from .sql.sqltypes import JSON
from .sql.sqltypes import NCHAR
from .sql.sqltypes import NULLTYPE
from .sql.sqltypes import NUMERIC
from .sql.sqltypes import NVARCHAR
from .sql.sqltypes import REAL
from .sql.sqltypes import SMALLINT
from .sql.sqltypes import STRINGTYPE
from .sql.sqltypes import TEXT
from .sql.sqltypes import TIME
from .sql.sqltypes import TIMESTAMP
from .sql.sqltypes import UUID
from .sql.sqltypes import VARBINARY
from .sql.sqltypes import VARCHAR
from .sql.sqltypes import BigInteger
from .sql.sqltypes import Boolean
from .sql.sqltypes import Concatenable
from .sql.sqltypes import Date
from .sql.sqltypes import DateTime
from .sql.sqltypes import Double
from .sql.sqltypes import Enum
from .sql.sqltypes import Float
from .sql.sqltypes import Indexable
from .sql.sqltypes import Integer
from .sql.sqltypes import Interval
from .sql.sqltypes import LargeBinary
from .sql.sqltypes import MatchType
from .sql.sqltypes import NullType
from .sql.sqltypes import Numeric
from .sql.sqltypes import PickleType
from .sql.sqltypes import SchemaType
from .sql.sqltypes import SmallInteger
from .sql.sqltypes import String
from .sql.sqltypes import Text
from .sql.sqltypes import Time
from .sql.sqltypes import Unicode
from .sql.sqltypes import UnicodeText
from .sql.sqltypes import Uuid
from .sql.type_api import ExternalType
from .sql.type_api import TypeDecorator
from .sql.type_api import TypeEngine
from .sql.type_api import UserDefinedType
from .sql.type_api import Variant
from .sql.type_api import adapt_type
from .sql.type_api import to_instance

__all__ = [
    "ARRAY", "BIGINT", "BINARY", "BLOB", "BOOLEAN", "BigInteger", "Boolean", "CHAR", "CLOB",
    "Concatenable", "DATE", "DATETIME", "DECIMAL", "DOUBLE", "DOUBLE_PRECISION", "Date",
    "DateTime", "Double", "Enum", "ExternalType", "FLOAT", "Float", "INT", "INTEGER",
    "Indexable", "Integer", "Interval", "JSON", "LargeBinary", "MatchType", "NCHAR",
    "NULLTYPE", "NUMERIC", "NVARCHAR", "NullType", "Numeric", "PickleType", "REAL", "SMALLINT",
    "STRINGTYPE", "SchemaType", "SmallInteger", "String", "TEXT", "TIME", "TIMESTAMP", "Text",
    "Time", "TypeDecorator", "TypeEngine", "UUID", "Unicode", "UnicodeText", "UserDefinedType",
    "Uuid", "VARBINARY", "VARCHAR", "Variant", "adapt_type", "to_instance",
]
