"""core_compile_shapes: first executions of 1,000 statements of distinct shapes (cache misses).

Measures, per run: 1,000 statements, each of a shape not seen before in that engine, built
with select() and executed once on one connection, fetching their rows:
    select(item.c.id, item.c.name, literal_column("<i>").label("n_<i>"))
        .where(item.c.id.between(lo, lo + 2)).order_by(item.c.id)
The label (and so the SQL text) differs per statement, so each one is compiled; this is the
cost of first-time compilation. A new engine is made per run so the compiled cache starts
empty (its creation and first connection are outside the loop but inside the run: they are
a constant, small next to 1,000 compilations).
  - core:  as above.
  - floor: the same 1,000 SQL strings, written out ahead of time in the driver's paramstyle,
           each executed with its parameters and fetchall() on one cursor. There is no
           compilation in the floor, so the ratio shows what compiling costs per statement.
Table: bench_item (1,000 x scale rows), loaded once, untimed. Size scales with --scale
(statements = 1,000 x scale).
Checked once per contender: statement i returned rows lo..lo+2 with n_<i> = i.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.data import checksum
from benchmarks.data import rows
from benchmarks.workloads._base import CheckFailed
from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled

if TYPE_CHECKING:
    from benchmarks.database import Database

STATEMENTS = 1_000
TABLE_ROWS = 1_000


class CoreCompileShapes(Workload):
    """1,000 distinct select() shapes, each compiled and executed once."""

    name = "core_compile_shapes"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.statements = scaled(STATEMENTS, scale)
        self.table_rows = max(3, scaled(TABLE_ROWS, scale))
        self.native: list[tuple[str, dict]] = []

    def size(self) -> dict[str, int]:
        return {"statements": self.statements, "table_rows": self.table_rows}

    def _low(self, i: int) -> int:
        return 1 + i % (self.table_rows - 2)

    def setup(self) -> None:
        self.db.ensure_loaded(self.table_rows)
        self.native = [
            (self.db.native(
                f"SELECT bench_item.id, bench_item.name, {i} AS n_{i} FROM bench_item "
                "WHERE bench_item.id BETWEEN :lo AND :hi ORDER BY bench_item.id"
            ), {"lo": self._low(i), "hi": self._low(i) + 2})
            for i in range(self.statements)
        ]

    def run_dbapi(self, connection: Any) -> object:
        found = []
        cursor = connection.cursor()
        for sql, params in self.native:
            cursor.execute(sql, params)
            found.append(cursor.fetchall())
        cursor.close()
        connection.rollback()
        return found

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        fresh = lib.create_engine(engine.url)
        metadata = lib.MetaData()
        item = lib.Table("bench_item", metadata, lib.Column("id", lib.Integer, primary_key=True),
                         lib.Column("name", lib.String(100)))
        found = []
        with fresh.connect() as conn:
            for i in range(self.statements):
                lo = self._low(i)
                stmt = (
                    lib.select(item.c.id, item.c.name, lib.literal_column(str(i)).label(f"n_{i}"))
                    .where(item.c.id.between(lo, lo + 2))
                    .order_by(item.c.id)
                )
                found.append(conn.execute(stmt).all())
        fresh.dispose()
        return found

    def check(self, result: Any) -> dict[str, object]:
        data = rows(self.table_rows)
        flat = []
        for i, got in enumerate(result):
            lo = self._low(i)
            want = [(r[0], r[1], i) for r in data[lo - 1:lo + 2]]
            if [tuple(r) for r in got] != want:
                raise CheckFailed(f"statement {i}: got {got!r}, expected {want!r}")
            flat.extend(want)
        return {"statements": len(result), "checksum": checksum(flat)}
