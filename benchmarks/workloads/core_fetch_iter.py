"""core_fetch_iter: iterate a whole table row by row, unpacking each row.

Measures, per run: 200,000 rows x 6 columns of `bench_item` from one
`SELECT id, name, email, qty, price, note FROM bench_item`, consumed one row at a time by
`for id_, name, email, qty, price, note in ...:` with three cheap accumulations per row
(count, sum of qty, total email length), identical in both forms.
  - core:  iterate `conn.execute(text(SQL))` (the Result) inside `engine.connect()`.
  - floor: iterate the cursor after `cursor.execute(SQL)`, then close it and roll back.
Size scales with --scale (rows = 200,000 x scale). The table is loaded once, untimed.
Checked once per contender: the row count, the sum of qty and the total email length equal
those of the generated rows (and every row unpacked into exactly 6 values).
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any
from typing import Iterable

from benchmarks.data import rows
from benchmarks.workloads._base import CheckFailed
from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled

if TYPE_CHECKING:
    from benchmarks.database import Database

ROWS = 200_000
SQL = "SELECT id, name, email, qty, price, note FROM bench_item"


def _consume(result: Iterable[Any]) -> tuple[int, int, int]:
    # The per-row body both forms share: unpack every column, touch two of them.
    count = 0
    qty_sum = 0
    email_chars = 0
    for id_, name, email, qty, price, note in result:
        count += 1
        qty_sum += qty
        email_chars += len(email)
    return count, qty_sum, email_chars


class CoreFetchIter(Workload):
    """Iterate a Result row by row."""

    name = "core_fetch_iter"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.rows = scaled(ROWS, scale)

    def size(self) -> dict[str, int]:
        return {"rows": self.rows}

    def setup(self) -> None:
        self.db.ensure_loaded(self.rows)

    def run_dbapi(self, connection: Any) -> object:
        cursor = connection.cursor()
        cursor.execute(SQL)
        totals = _consume(cursor)
        cursor.close()
        connection.rollback()
        return totals

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        with engine.connect() as conn:
            return _consume(conn.execute(lib.text(SQL)))

    def check(self, result: Any) -> dict[str, object]:
        expected = _consume(rows(self.rows))
        if result != expected:
            raise CheckFailed(f"(count, qty sum, email chars) = {result}, expected {expected}")
        count, qty_sum, email_chars = expected
        return {"rows": count, "qty_sum": qty_sum, "email_chars": email_chars}
