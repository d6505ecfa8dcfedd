"""The dialects ormcore ships, found by URL name ("sqlite", "postgresql+psycopg2", ...).

`registry.load("backend.driver")` imports a dialect class on demand, so a URL for one database
never imports another's driver. Third-party dialects can `registry.register()` themselves.
"""

from __future__ import annotations

import importlib
from typing import Any

from .. import exc

__all__ = ["registry"]


class _Registry:
    """Dialect name -> (module, class name), imported on first use."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, str]] = {}

    def register(self, name: str, modulepath: str, objname: str) -> None:
        self._entries[name] = (modulepath, objname)

    def load(self, name: str) -> Any:
        """The dialect class for 'backend' or 'backend.driver'."""
        entry = self._entries.get(name)
        if entry is None:
            raise exc.NoSuchModuleError(f"Can't load plugin: ormcore.dialects:{name}")
        module = importlib.import_module(entry[0])
        return getattr(module, entry[1])


registry = _Registry()
registry.register("sqlite", "ormcore.dialects.sqlite.pysqlite", "SQLiteDialect_pysqlite")
registry.register("sqlite.pysqlite", "ormcore.dialects.sqlite.pysqlite", "SQLiteDialect_pysqlite")
registry.register("postgresql", "ormcore.dialects.postgresql.psycopg2", "PGDialect_psycopg2")
registry.register("postgresql.psycopg2", "ormcore.dialects.postgresql.psycopg2", "PGDialect_psycopg2")
