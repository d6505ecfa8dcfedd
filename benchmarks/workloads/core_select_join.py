"""core_select_join: a 3-table join select, built afresh and executed with new values each time.

Measures, per run: 10,000 iterations of building
    select(owner.c.name, pet.c.name, toy.c.name)
        .join_from(owner, pet).join(toy)          # ON clauses from the foreign keys
        .where(owner.c.id == owner_id).order_by(toy.c.id)
with a new `owner_id` each time, executing it on one connection and fetching all its rows
(2 pets x 2 toys = 4 rows per owner). Every iteration after the first is a compiled-cache hit,
so this measures statement construction, cache-key computation, parameter handling and result
building: the cost of Core's expression language on a hot path.
  - core:  the statement above, built with the library's select() against Table objects made
           once per run (untimed setup would hide nothing: tables are long-lived in real code).
  - floor: one cursor; the equivalent SQL string in the driver's paramstyle, executed with
           {"owner_id": i} and fetchall().
Tables: bench_owner (1,000 x scale rows), bench_pet (2 per owner), bench_toy (2 per pet), with
their foreign keys indexed, created and filled once, untimed. Size scales with --scale (iterations = 10,000 x scale).
Checked once per contender: every iteration returned exactly the owner's 4 (name, pet, toy)
rows in toy order.
"""

from __future__ import annotations

import random
from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any

from benchmarks.data import SEED
from benchmarks.data import checksum
from benchmarks.workloads._base import CheckFailed
from benchmarks.workloads._base import Workload
from benchmarks.workloads._base import scaled

if TYPE_CHECKING:
    from benchmarks.database import Database

ITERATIONS = 10_000
OWNERS = 1_000

_DDL = (
    "DROP TABLE IF EXISTS bench_toy",
    "DROP TABLE IF EXISTS bench_pet",
    "DROP TABLE IF EXISTS bench_owner",
    "CREATE TABLE bench_owner (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)",
    "CREATE TABLE bench_pet (id INTEGER PRIMARY KEY, "
    "owner_id INTEGER NOT NULL REFERENCES bench_owner (id), name VARCHAR(50) NOT NULL)",
    "CREATE TABLE bench_toy (id INTEGER PRIMARY KEY, "
    "pet_id INTEGER NOT NULL REFERENCES bench_pet (id), name VARCHAR(50) NOT NULL)",
    # indexed foreign keys: the joins are index lookups, so the database's share stays small
    # and the libraries' overhead shows
    "CREATE INDEX ix_bench_pet_owner_id ON bench_pet (owner_id)",
    "CREATE INDEX ix_bench_toy_pet_id ON bench_toy (pet_id)",
)
SQL = (
    "SELECT bench_owner.name, bench_pet.name AS name_1, bench_toy.name AS name_2 "
    "FROM bench_owner JOIN bench_pet ON bench_owner.id = bench_pet.owner_id "
    "JOIN bench_toy ON bench_pet.id = bench_toy.pet_id "
    "WHERE bench_owner.id = :owner_id ORDER BY bench_toy.id"
)


def expected_rows(owner_id: int) -> list[tuple[str, str, str]]:
    pets = (2 * owner_id - 1, 2 * owner_id)
    return [(f"owner{owner_id}", f"pet{p}", f"toy{t}") for p in pets for t in (2 * p - 1, 2 * p)]


class CoreSelectJoin(Workload):
    """select() of a 3-table join, built and executed 10k times with new values."""

    name = "core_select_join"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.iterations = scaled(ITERATIONS, scale)
        self.owners = scaled(OWNERS, scale)
        self.owner_ids: list[int] = []
        self.native_sql = ""

    def size(self) -> dict[str, int]:
        return {"iterations": self.iterations, "owners": self.owners}

    def setup(self) -> None:
        conn = self.db.connect()
        cursor = conn.cursor()
        for statement in _DDL:
            cursor.execute(statement)
        owners = [(i, f"owner{i}") for i in range(1, self.owners + 1)]
        pets = [(p, (p + 1) // 2, f"pet{p}") for p in range(1, 2 * self.owners + 1)]
        toys = [(t, (t + 1) // 2, f"toy{t}") for t in range(1, 4 * self.owners + 1)]
        marks = self.db.native("(:a, :b)"), self.db.native("(:a, :b, :c)")
        cursor.executemany(f"INSERT INTO bench_owner VALUES {marks[0]}",
                           [dict(zip("ab", r)) for r in owners])
        cursor.executemany(f"INSERT INTO bench_pet VALUES {marks[1]}",
                           [dict(zip("abc", r)) for r in pets])
        cursor.executemany(f"INSERT INTO bench_toy VALUES {marks[1]}",
                           [dict(zip("abc", r)) for r in toys])
        cursor.close()
        conn.commit()
        conn.close()
        rng = random.Random(SEED)
        self.owner_ids = [rng.randint(1, self.owners) for _ in range(self.iterations)]
        self.native_sql = self.db.native(SQL)

    def run_dbapi(self, connection: Any) -> object:
        found = []
        cursor = connection.cursor()
        for owner_id in self.owner_ids:
            cursor.execute(self.native_sql, {"owner_id": owner_id})
            found.append(cursor.fetchall())
        cursor.close()
        connection.rollback()
        return found

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        metadata = lib.MetaData()
        owner = lib.Table("bench_owner", metadata, lib.Column("id", lib.Integer, primary_key=True),
                          lib.Column("name", lib.String(50)))
        pet = lib.Table("bench_pet", metadata, lib.Column("id", lib.Integer, primary_key=True),
                        lib.Column("owner_id", lib.ForeignKey("bench_owner.id")),
                        lib.Column("name", lib.String(50)))
        toy = lib.Table("bench_toy", metadata, lib.Column("id", lib.Integer, primary_key=True),
                        lib.Column("pet_id", lib.ForeignKey("bench_pet.id")),
                        lib.Column("name", lib.String(50)))
        select = lib.select
        found = []
        with engine.connect() as conn:
            for owner_id in self.owner_ids:
                stmt = (
                    select(owner.c.name, pet.c.name, toy.c.name)
                    .join_from(owner, pet)
                    .join(toy)
                    .where(owner.c.id == owner_id)
                    .order_by(toy.c.id)
                )
                found.append(conn.execute(stmt).all())
        return found

    def check(self, result: Any) -> dict[str, object]:
        flat = []
        for owner_id, got in zip(self.owner_ids, result):
            want = expected_rows(owner_id)
            if [tuple(r) for r in got] != want:
                raise CheckFailed(f"owner {owner_id}: got {got!r}, expected {want!r}")
            flat.extend(want)
        return {"iterations": len(result), "checksum": checksum(flat)}
