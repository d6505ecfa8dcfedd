"""orm_update_commit: load many objects, change one attribute of each, commit the changes.

Measures, per run: 50,000 rows x 6 columns of `bench_item` loaded, `qty` raised by one on each,
and the 50,000 changed rows written back in one transaction.
  - orm:   `with Session(engine) as s:` `items = s.scalars(select(Item)).all()`, then
           `item.qty += 1` for each item (an instrumented write: the committed value recorded,
           the object entered in the modified set), then `s.commit()` -- the flush finds the
           50,000 modified objects, sends one executemany of `UPDATE bench_item SET qty=?
           WHERE id=?` (one group: the same changed column on every object), checks the
           rowcount, commits, expires the objects; the session close detaches them.
  - floor: `cursor.execute(SELECT)`, `cursor.fetchall()`, one `PlainItem(*row)` per row,
           `item.qty += 1` for each, `cursor.executemany("UPDATE bench_item SET qty = :qty
           WHERE id = :id", [{"qty": item.qty, "id": item.id} for item in items])`,
           `cursor.close()`, `connection.commit()`.
Parameter form: dicts keyed by name, as both ORMs send them. On PostgreSQL the executemany is
psycopg2's own (one round trip per row) in all three contenders: it is what both ORMs' psycopg2
dialects call for an UPDATE by default.
Size scales with --scale (rows = 50,000 x scale). Before every run the table is dropped and
loaded again with the generated rows, untimed, so every run starts from the same table.
Checked once per contender: the table holds the generated rows with every `qty` one higher.
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
from benchmarks.workloads._orm import PlainItem
from benchmarks.workloads._orm import model
from benchmarks.workloads._orm import orm

if TYPE_CHECKING:
    from benchmarks.database import Database

ROWS = 50_000
SELECT = "SELECT id, name, email, qty, price, note FROM bench_item"
UPDATE = "UPDATE bench_item SET qty = :qty WHERE id = :id"
QTY = 3  # position of qty in a row


class OrmUpdateCommit(Workload):
    """select(Item) -> 50k objects; item.qty += 1 on each; session.commit()."""

    name = "orm_update_commit"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.rows = scaled(ROWS, scale)
        self.native_update = ""

    def size(self) -> dict[str, int]:
        return {"rows": self.rows}

    def setup(self) -> None:
        self.native_update = self.db.native(UPDATE)

    def prepare(self) -> None:
        self.db.restore(self.rows)

    def run_dbapi(self, connection: Any) -> object:
        cursor = connection.cursor()
        cursor.execute(SELECT)
        items = [PlainItem(*row) for row in cursor.fetchall()]
        for item in items:
            item.qty += 1
        cursor.executemany(self.native_update, [{"qty": item.qty, "id": item.id} for item in items])
        cursor.close()
        connection.commit()
        return items

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        Item = model(lib)
        with orm(lib).Session(engine) as session:
            items = session.scalars(lib.select(Item)).all()
            for item in items:
                item.qty += 1
            session.commit()
        return items

    def check(self, result: Any) -> dict[str, object]:
        if len(result) != self.rows:
            raise CheckFailed(f"changed {len(result)} objects, expected {self.rows}")
        expected = [row[:QTY] + (row[QTY] + 1,) + row[QTY + 1:] for row in rows(self.rows)]
        actual = self.db.read_all()
        if len(actual) != len(expected):
            raise CheckFailed(f"the table holds {len(actual)} rows, expected {len(expected)}")
        for got, want in zip(actual, expected):
            if got != want:
                raise CheckFailed(f"got row {got!r}, expected {want!r}")
        return {"rows": len(actual), "checksum": checksum(actual)}
