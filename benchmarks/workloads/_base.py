"""What every workload is: setup once, prepare before each run, run timed, check once.

A workload holds both forms of its task side by side, so their fairness can be read in one
file: `run_dbapi(connection)` for the floor and `run_core(engine, lib)` for any library with
SQLAlchemy's Core API (`lib` is the sqlalchemy or the ormcore module). The runner times only the run; `check` verifies a run's result once per
contender, outside the timing, and raises CheckFailed when it is wrong.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any
from typing import Iterable

from benchmarks.data import checksum
from benchmarks.data import rows

if TYPE_CHECKING:
    from benchmarks.database import Database


class CheckFailed(Exception):
    """A contender returned or stored the wrong data."""


class Workload:
    """One measured task at a size scaled from its full size."""

    name = ""

    def __init__(self, db: Database, scale: float) -> None:
        self.db = db
        self.scale = scale

    def size(self) -> dict[str, int]:
        """The workload's size at this scale, for the report (e.g. {"rows": 200000})."""
        raise NotImplementedError

    def setup(self) -> None:
        """Run once before any contender: load the table, build parameters."""

    def prepare(self) -> None:
        """Run before every run, untimed: e.g. empty the table a run writes to."""

    def run_dbapi(self, connection: Any) -> object:
        """The task in raw DBAPI calls on `connection` (the floor); timed."""
        raise NotImplementedError

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        """The task through SQLAlchemy's Core API (`lib`: sqlalchemy or ormcore) on `engine`; timed."""
        raise NotImplementedError

    def check(self, result: Any) -> dict[str, object]:
        """Verify one run's result; return what was verified; raise CheckFailed if wrong."""
        raise NotImplementedError


def scaled(full: int, scale: float) -> int:
    """`full` times `scale`, rounded, and at least 1."""
    return max(1, round(full * scale))


def verify_rows(got: Iterable[Any], n: int) -> dict[str, object]:
    """Check that `got` holds exactly `data.rows(n)`, in any order, each row tuple-like."""
    actual = sorted((tuple(row) for row in got), key=lambda row: row[0])
    expected = rows(n)
    if len(actual) != n:
        raise CheckFailed(f"got {len(actual)} rows, expected {n}")
    for got_row, want_row in zip(actual, expected):
        if got_row != want_row:
            raise CheckFailed(f"got row {got_row!r}, expected {want_row!r}")
    return {"rows": n, "checksum": checksum(actual)}
