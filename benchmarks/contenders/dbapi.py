"""The floor: the database driver itself (sqlite3 or psycopg2), no library in between.

Holds one DBAPI connection for all runs, as a careful hand-written program would; each
workload's `run_dbapi` is the fastest natural driver code for the same task.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING
from typing import Any
from typing import Callable

from benchmarks.contenders import Contender

if TYPE_CHECKING:
    from benchmarks.database import Database
    from benchmarks.workloads import Workload


class DBAPIContender(Contender):
    """Raw DBAPI calls on one connection."""

    name = "dbapi"

    def __init__(self) -> None:
        self.connection: Any = None
        self._version = ""

    def start(self, db: Database) -> None:
        self.connection = db.connect()
        self._version = db.driver_version()

    def stop(self) -> None:
        self.connection.close()

    def version(self) -> str:
        return self._version

    def bind(self, workload: Workload) -> Callable[[], object]:
        return functools.partial(workload.run_dbapi, self.connection)


def contender() -> DBAPIContender:
    """A fresh floor contender."""
    return DBAPIContender()
