"""SQLite support: the dialect, and SQLite-specific types users import from here."""

from .pysqlite import SQLiteDialect_pysqlite
from .pysqlite import dialect
from .types import DATE
from .types import DATETIME
from .types import JSON
from .types import TIME

__all__ = ["DATE", "DATETIME", "JSON", "SQLiteDialect_pysqlite", "TIME", "dialect"]
