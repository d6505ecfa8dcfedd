"""orm_select_one: many small ORM queries, each returning one object.

Measures, per run: 2,000 iterations of `session.execute(select(Item).where(Item.id == x))
.scalar_one()` with a new x each time, in one Session (autobegun, one connection), the ids
drawn from 1..rows at random (repeats hit the identity map, as in real code; every
iteration still runs its SELECT).
  - orm:   the statement above, built afresh each iteration (a compiled-cache hit after
           the first), one object per iteration.
  - floor: one cursor; `SELECT ... FROM bench_item WHERE id = :id` in the driver's
           paramstyle, fetchone(), one `PlainItem(*row)`.
Size scales with --scale (iterations = 2,000 x scale; table 10,000 rows). Loaded once, untimed.
Checked once per contender: each iteration returned the object of its id, values equal.
"""

from __future__ import annotations

import random
from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.data import SEED
from benchmarks.data import rows
from benchmarks.workloads._base import CheckFailed
from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled
from benchmarks.workloads._orm import fetch_plain_items
from benchmarks.workloads._orm import as_tuple
from benchmarks.workloads._orm import model
from benchmarks.workloads._orm import orm

if TYPE_CHECKING:
    from benchmarks.database import Database

ITERATIONS = 2_000
TABLE_ROWS = 10_000
SQL = "SELECT id, name, email, qty, price, note FROM bench_item WHERE id = :id"


class OrmSelectOne(Workload):
    """select(Item).where(Item.id == x) -> one object, 2k times."""

    name = "orm_select_one"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.iterations = scaled(ITERATIONS, scale)
        self.table_rows = TABLE_ROWS
        self.ids: list[int] = []

    def size(self) -> dict[str, int]:
        return {"iterations": self.iterations, "rows": self.table_rows}

    def setup(self) -> None:
        self.db.ensure_loaded(self.table_rows)
        rng = random.Random(SEED)
        self.ids = [rng.randint(1, TABLE_ROWS) for _ in range(self.iterations)]
        self.native_sql = self.db.native(SQL)

    def run_dbapi(self, connection: Any) -> object:
        return fetch_plain_items(connection, self.native_sql, self.ids)

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        Item = model(lib)
        select = lib.select
        found = []
        with orm(lib).Session(engine) as session:
            for i in self.ids:
                found.append(session.execute(select(Item).where(Item.id == i)).scalar_one())
        return found

    def check(self, result: Any) -> dict[str, object]:
        data = rows(TABLE_ROWS)
        for i, got in zip(self.ids, result):
            got = got if isinstance(got, tuple) else as_tuple(got)
            if got != data[i - 1]:
                raise CheckFailed(f"id {i}: got {got!r}, expected {data[i - 1]!r}")
        return {"iterations": len(result)}
