"""The contenders: one small adapter per library, all with the same interface.

A contender opens its connection or engine once (`start`), binds a workload to a zero-argument
callable the runner times (`bind`), and says which version it is. `dbapi` is the floor;
`ormcore` and `sqlalchemy` share one implementation of SQLAlchemy's Core API (core_api.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING
from typing import Callable

if TYPE_CHECKING:
    from benchmarks.database import Database
    from benchmarks.workloads import Workload

NAMES = ("dbapi", "ormcore", "sqlalchemy")


class Unavailable(Exception):
    """The contender's library is not installed; the runner skips it with a note."""


class Contender:
    """One way of running every workload: raw driver calls, or a library's API."""

    name = ""

    def start(self, db: Database) -> None:
        """Open what the timed runs share (a DBAPI connection, an engine and its pool)."""
        raise NotImplementedError

    def stop(self) -> None:
        """Close what start() opened."""
        raise NotImplementedError

    def version(self) -> str:
        """The library (or driver) version being measured."""
        raise NotImplementedError

    def bind(self, workload: Workload) -> Callable[[], object]:
        """The callable the runner times: this contender's way of doing `workload`."""
        raise NotImplementedError


def load(name: str) -> Contender:
    """The contender called `name`; Unavailable when its library is not installed."""
    if name not in NAMES:
        raise ValueError(f"unknown contender {name!r}; choose from {', '.join(NAMES)}")
    try:
        module = importlib.import_module(f"benchmarks.contenders.{name}")
    except ModuleNotFoundError as err:
        if err.name is None or err.name.startswith("benchmarks"):
            raise
        raise Unavailable(f"{err.name} is not installed") from err
    return module.contender()
