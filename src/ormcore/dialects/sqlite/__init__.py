"""SQLite support: the dialect, and SQLite-specific types users import from here."""

from .dml import Insert
from .dml import insert
from .pysqlite import SQLiteDialect_pysqlite
from .pysqlite import dialect
from .types import DATE
from .types import DATETIME
from .types import JSON
from .types import TIME

__all__ = ["DATE", "DATETIME", "JSON", "SQLiteDialect_pysqlite", "TIME", "dialect"]
__all__ += ["Insert", "insert"]
