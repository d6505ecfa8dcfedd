"""core_single_row: many single-row primary-key lookups on one connection.

Measures, per run: 10,000 executions of
`SELECT id, name, email, qty, price, note FROM bench_item WHERE id = :id`, each fetching its
one row, against a 200,000-row `bench_item`; the ids are a fixed pseudo-random sequence and
each row is appended to a list (in both forms).
  - core:  `stmt = text(SQL)` once, then inside one `engine.connect()`:
           `conn.execute(stmt, {"id": i}).first()` per id.
  - floor: one cursor; `cursor.execute(SQL in the driver's paramstyle, {"id": i})` and
           `cursor.fetchone()` per id; then close the cursor and roll back.
Parameters are the same prebuilt dicts for both (untimed), the drivers' native form for
named placeholders.
Size scales with --scale (lookups = 10,000 x scale, table = 200,000 x scale rows). The table
is loaded once, untimed.
Checked once per contender: every lookup returned exactly the generated row for its id.
"""

from __future__ import annotations

import random
from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.data import SEED
from benchmarks.data import checksum
from benchmarks.data import rows
from benchmarks.workloads._base import CheckFailed
from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled

if TYPE_CHECKING:
    from benchmarks.database import Database

LOOKUPS = 10_000
TABLE_ROWS = 200_000
SQL = "SELECT id, name, email, qty, price, note FROM bench_item WHERE id = :id"


class CoreSingleRow(Workload):
    """conn.execute(text(SELECT ... WHERE id = :id), {"id": i}).first(), many times."""

    name = "core_single_row"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.lookups = scaled(LOOKUPS, scale)
        self.table_rows = scaled(TABLE_ROWS, scale)
        self.params: list[dict[str, int]] = []
        self.native_sql = ""

    def size(self) -> dict[str, int]:
        return {"lookups": self.lookups, "table_rows": self.table_rows}

    def setup(self) -> None:
        self.db.ensure_loaded(self.table_rows)
        rng = random.Random(SEED)
        self.params = [{"id": rng.randint(1, self.table_rows)} for _ in range(self.lookups)]
        self.native_sql = self.db.native(SQL)

    def run_dbapi(self, connection: Any) -> object:
        found = []
        cursor = connection.cursor()
        for params in self.params:
            cursor.execute(self.native_sql, params)
            found.append(cursor.fetchone())
        cursor.close()
        connection.rollback()
        return found

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        found = []
        stmt = lib.text(SQL)
        with engine.connect() as conn:
            for params in self.params:
                found.append(conn.execute(stmt, params).first())
        return found

    def check(self, result: Any) -> dict[str, object]:
        table = rows(self.table_rows)
        expected = [table[params["id"] - 1] for params in self.params]
        got = [None if row is None else tuple(row) for row in result]
        if len(got) != len(expected):
            raise CheckFailed(f"{len(got)} lookups returned a row, expected {len(expected)}")
        for i, (got_row, want_row) in enumerate(zip(got, expected)):
            if got_row != want_row:
                raise CheckFailed(f"lookup {i} returned {got_row!r}, expected {want_row!r}")
        return {"lookups": len(got), "checksum": checksum(got)}
