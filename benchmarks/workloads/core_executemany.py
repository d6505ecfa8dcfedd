"""core_executemany: insert many rows with one executemany call inside a transaction.

Measures, per run: inserting 100,000 rows x 6 columns into an empty `bench_item` with one
`INSERT INTO bench_item (id, name, email, qty, price, note) VALUES (:id, :name, ...)`
executed over a list of 100,000 dicts, then committing.
  - core:  `with engine.begin() as conn: conn.execute(text(SQL), list_of_dicts)`.
  - floor: `cursor.executemany(SQL in the driver's paramstyle, list_of_dicts)`, close the
           cursor, `connection.commit()`.
Parameter form: both take the very same list of dicts, built once, untimed. Dicts are what both
drivers take natively for named placeholders (sqlite3's `named` style `:id`, psycopg2's
`pyformat` style `%(id)s`), so the floor pays no conversion, and a Core caller has dicts anyway.
On PostgreSQL the floor is psycopg2's plain `executemany` (one round trip per row), which is
also what SQLAlchemy's psycopg2 dialect calls for a text() statement by default.
Size scales with --scale (rows = 100,000 x scale). Before every run the table is dropped and
recreated, untimed, so every run inserts into the same empty table.
Checked once per contender: after the run the table holds exactly the generated rows.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.data import param_dicts
from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled
from benchmarks.workloads._base import verify_rows

if TYPE_CHECKING:
    from benchmarks.database import Database

ROWS = 100_000
SQL = (
    "INSERT INTO bench_item (id, name, email, qty, price, note) "
    "VALUES (:id, :name, :email, :qty, :price, :note)"
)


class CoreExecutemany(Workload):
    """Connection.execute(text(INSERT), list_of_dicts) in a transaction."""

    name = "core_executemany"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.rows = scaled(ROWS, scale)
        self.params: list[dict[str, object]] = []
        self.native_sql = ""

    def size(self) -> dict[str, int]:
        return {"rows": self.rows}

    def setup(self) -> None:
        self.params = param_dicts(self.rows)
        self.native_sql = self.db.native(SQL)

    def prepare(self) -> None:
        self.db.empty()

    def run_dbapi(self, connection: Any) -> object:
        cursor = connection.cursor()
        cursor.executemany(self.native_sql, self.params)
        cursor.close()
        connection.commit()
        return None

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        with engine.begin() as conn:
            conn.execute(lib.text(SQL), self.params)
        return None

    def check(self, result: Any) -> dict[str, object]:
        return verify_rows(self.db.read_all(), self.rows)
