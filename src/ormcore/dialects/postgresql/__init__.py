"""PostgreSQL support: the dialect, and PostgreSQL-specific types users import from here."""

from ...sql.sqltypes import BIGINT
from ...sql.sqltypes import BOOLEAN
from ...sql.sqltypes import CHAR
from ...sql.sqltypes import DATE
from ...sql.sqltypes import DOUBLE_PRECISION
from ...sql.sqltypes import FLOAT
from ...sql.sqltypes import INTEGER
from ...sql.sqltypes import NUMERIC
from ...sql.sqltypes import REAL
from ...sql.sqltypes import SMALLINT
from ...sql.sqltypes import TEXT
from ...sql.sqltypes import VARCHAR
from .ddl import CreateEnumType
from .ddl import DropEnumType
from .dml import Insert
from .dml import insert
from .psycopg2 import PGDialect_psycopg2
from .psycopg2 import dialect
from .types import ARRAY
from .types import BYTEA
from .types import CIDR
from .types import CITEXT
from .types import ENUM
from .types import INET
from .types import INTERVAL
from .types import JSON
from .types import JSONB
from .types import MACADDR
from .types import TIME
from .types import TIMESTAMP
from .types import TSVECTOR
from .types import UUID
from .types import NamedType

__all__ = [
    "ARRAY", "BIGINT", "BOOLEAN", "BYTEA", "CHAR", "CIDR", "CITEXT", "CreateEnumType", "DATE",
    "DOUBLE_PRECISION", "DropEnumType", "ENUM", "FLOAT", "INET", "INTEGER", "INTERVAL", "JSON",
    "JSONB", "MACADDR", "NUMERIC", "NamedType", "PGDialect_psycopg2", "REAL", "SMALLINT", "TEXT",
    "TIME", "TIMESTAMP", "TSVECTOR", "UUID", "VARCHAR", "dialect",
    "Insert", "insert",
]
