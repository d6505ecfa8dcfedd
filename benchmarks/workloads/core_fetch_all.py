"""core_fetch_all: fetch a whole table into a list of rows through Result.all().

Measures, per run: 200,000 rows x 6 columns of `bench_item` (int, str, str, int, float,
nullable str), fetched by one `SELECT id, name, email, qty, price, note FROM bench_item`.
  - core:  `with engine.connect() as conn: conn.execute(text(SQL)).all()` -- pool checkout,
           statement, Row construction for every row, pool return (which rolls back).
  - floor: `cursor.execute(SQL)`, `cursor.fetchall()`, `cursor.close()`, then
           `connection.rollback()` to end the transaction as the pool's reset does.
Size scales with --scale (rows = 200,000 x scale). The table is loaded once, untimed.
Checked once per contender: the rows returned equal the generated rows, value for value.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled
from benchmarks.workloads._base import verify_rows

if TYPE_CHECKING:
    from benchmarks.database import Database

ROWS = 200_000
SQL = "SELECT id, name, email, qty, price, note FROM bench_item"


class CoreFetchAll(Workload):
    """Result.all() over the whole table."""

    name = "core_fetch_all"

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
        result = cursor.fetchall()
        cursor.close()
        connection.rollback()
        return result

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        with engine.connect() as conn:
            return conn.execute(lib.text(SQL)).all()

    def check(self, result: Any) -> dict[str, object]:
        return verify_rows(result, self.rows)
