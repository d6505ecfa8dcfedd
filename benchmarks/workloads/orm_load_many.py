"""orm_load_many: load a whole table as mapped objects through a Session.

Measures, per run: 200,000 rows x 6 columns of `bench_item` (int, str, str, int, float,
nullable str) loaded as objects.
  - orm:   `with Session(engine) as s: s.scalars(select(Item)).all()` -- pool checkout,
           SELECT of the six mapped columns, one Item object per row through the identity
           map (identity key, instance, state), session close (which detaches the objects).
  - floor: `cursor.execute(SQL)`, `cursor.fetchall()`, one `PlainItem(*row)` per row (a plain
           class with a plain `__init__`), `cursor.close()`, `connection.rollback()`.
Size scales with --scale (rows = 200,000 x scale). The table is loaded once, untimed.
Checked once per contender: the objects' attribute values equal the generated rows.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled
from benchmarks.workloads._base import verify_rows
from benchmarks.workloads._orm import PlainItem
from benchmarks.workloads._orm import as_tuple
from benchmarks.workloads._orm import model
from benchmarks.workloads._orm import orm

if TYPE_CHECKING:
    from benchmarks.database import Database

ROWS = 200_000
SQL = "SELECT id, name, email, qty, price, note FROM bench_item"


class OrmLoadMany(Workload):
    """select(Item) -> 200k objects."""

    name = "orm_load_many"

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
        result = [PlainItem(*row) for row in cursor.fetchall()]
        cursor.close()
        connection.rollback()
        return result

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        Item = model(lib)
        with orm(lib).Session(engine) as session:
            return session.scalars(lib.select(Item)).all()

    def check(self, result: Any) -> dict[str, object]:
        return verify_rows([as_tuple(o) for o in result], self.rows)
