"""orm_add_commit: add many new objects to a Session and commit; the database assigns the keys.

Measures, per run: 50,000 rows x 5 columns of `bench_item` (str, str, int, float, nullable str)
inserted into an empty table whose `id` the database assigns (SQLite: the INTEGER PRIMARY KEY
rowid; PostgreSQL: SERIAL), every row's new id known to the program afterwards.
  - orm:   `with Session(engine) as s: s.add_all(items); s.commit()` -- 50,000 transient `Item`
           objects (built before the run, untimed: see below) become pending, the flush INSERTs
           them with their ids left out and writes each returned id into its object (identity
           key, identity map), the commit expires them, the session close detaches them.
  - floor: the same 50,000 parameter dicts (one per row, keyed by column name, no id), given
           straight to the driver, and the ids fetched back the cheapest way each driver
           allows, then `connection.commit()`:
           SQLite: `cursor.executemany(INSERT without id, dicts)`, then one
             `SELECT last_insert_rowid()`: the ids are the n integers ending there, because the
             transaction holds the write lock and a table without AUTOINCREMENT gives each new
             rowid the largest rowid plus one;
           PostgreSQL: `psycopg2.extras.execute_values(INSERT without id ... RETURNING id,
             page_size=1000, fetch=True)`: multi-row INSERTs of 1,000 rows each returning the
             ids. psycopg2's own executemany would cost one round trip per row, which no
             careful program pays; 1,000 rows a statement is also what both ORMs send.
The objects are built outside the timed region, from the same dicts (`Item(**d)`): the timed
region is what this workload is about, add_all and the flush and commit behind it. The mapped
constructor's cost belongs to object construction, not to the unit of work. Each run needs
fresh transient objects, and prepare() does not know whose run comes next, so a contender's
first run (the runner's untimed check) builds its own, and every prepare() replaces whichever
objects the previous run used up; so the other library's 50,000 fresh objects are alive
during an ORM run (both libraries' during the floor's), which only the cyclic GC notices.
Size scales with --scale (rows = 50,000 x scale). Before every run the table is dropped and
created again, untimed, so its ids count from 1 in every run.
Checked once per contender: the table holds exactly the generated rows, ids 1..n in the order
the objects were added, and every object (every returned id, for the floor) has its row's id.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.data import COLUMNS
from benchmarks.data import param_dicts
from benchmarks.workloads._base import CheckFailed
from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled
from benchmarks.workloads._base import verify_rows
from benchmarks.workloads._orm import model
from benchmarks.workloads._orm import orm

if TYPE_CHECKING:
    from benchmarks.database import Database

ROWS = 50_000
VALUE_COLUMNS = COLUMNS[1:]
SQL = (
    f"INSERT INTO bench_item ({', '.join(VALUE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in VALUE_COLUMNS)})"
)
# psycopg2's execute_values: the statement with one %s for the VALUES list, the row template
PG_SQL = f"INSERT INTO bench_item ({', '.join(VALUE_COLUMNS)}) VALUES %s RETURNING id"
PG_TEMPLATE = f"({', '.join(f'%({c})s' for c in VALUE_COLUMNS)})"
PAGE_SIZE = 1000  # rows per multi-row INSERT: the insertmanyvalues page size of both ORMs


class OrmAddCommit(Workload):
    """session.add_all(50k new Items); session.commit(), ids assigned by the database."""

    name = "orm_add_commit"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.rows = scaled(ROWS, scale)
        self.params: list[dict[str, object]] = []
        self._libs: dict[str, ModuleType] = {}  # the libraries seen, by name
        self._fresh: dict[str, list] = {}  # library name -> transient objects for its next run

    def size(self) -> dict[str, int]:
        return {"rows": self.rows}

    def setup(self) -> None:
        self.params = [{c: row[c] for c in VALUE_COLUMNS} for row in param_dicts(self.rows)]

    def prepare(self) -> None:
        self.db.empty(generated_keys=True)
        for name, lib in self._libs.items():
            if name not in self._fresh:
                self._fresh[name] = self._build(lib)

    def run_dbapi(self, connection: Any) -> object:
        cursor = connection.cursor()
        if self.db.name == "sqlite":
            ids = self._insert_sqlite(cursor)
        else:
            ids = self._insert_postgresql(cursor)
        cursor.close()
        connection.commit()
        return ids

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        items = self._fresh.pop(lib.__name__, None)
        if items is None:  # a contender's first run, the untimed check: it builds its own
            items = self._first_objects(lib)
        with orm(lib).Session(engine) as session:
            session.add_all(items)
            session.commit()
        return lib, items

    def check(self, result: Any) -> dict[str, object]:
        verified = verify_rows(self.db.read_all(), self.rows)
        if isinstance(result, tuple):
            lib, items = result
            ids = [_identity(lib, item) for item in items]
        else:
            ids = result
        if ids != list(range(1, self.rows + 1)):
            raise CheckFailed(f"objects got ids {ids[:3]}...{ids[-3:]}, expected 1..{self.rows}")
        return {**verified, "ids": len(ids)}

    def _insert_sqlite(self, cursor: Any) -> list:
        cursor.executemany(SQL, self.params)
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        return list(range(last - len(self.params) + 1, last + 1))

    def _insert_postgresql(self, cursor: Any) -> list:
        from psycopg2.extras import execute_values

        returned = execute_values(cursor, PG_SQL, self.params, template=PG_TEMPLATE,
                                  page_size=PAGE_SIZE, fetch=True)
        return [row[0] for row in returned]

    def _first_objects(self, lib: ModuleType) -> list:
        self._libs[lib.__name__] = lib
        return self._build(lib)

    def _build(self, lib: ModuleType) -> list:
        Item = model(lib)
        return [Item(**values) for values in self.params]


def _identity(lib: ModuleType, item: Any) -> Any:
    """The id in `item`'s identity key (its attributes are expired and it is detached)."""
    identity = lib.inspect(item).identity
    if identity is None:
        raise CheckFailed(f"{item!r} has no identity key after the commit")
    return identity[0]
