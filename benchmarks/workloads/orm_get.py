"""orm_get and orm_get_hits: session.get() by primary key, cold and from the identity map.

orm_get measures, per run: 10,000 `session.get(Item, x)` in a fresh Session, x the distinct
ids 1..10,000 in a seeded random order (each a miss: one SELECT by primary key, one object).
  - floor: one cursor; `SELECT ... WHERE id = :id`, fetchone(), one `PlainItem(*row)`.
orm_get_hits measures, per run: the same 10,000 gets again in a Session that already holds
the 10,000 objects (every get an identity-map hit, no SQL).
  - floor: the same 10,000 lookups in a plain dict {id: PlainItem}.
  The Session (and the floor's dict) is filled on a contender's first run, which the runner's
  warm-up round absorbs; the timed runs after it are the gets alone.
Size scales with --scale (gets = 10,000 x scale). The table is loaded once, untimed.
Checked once per contender: every get returned the object of its id, values equal.
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
from benchmarks.workloads._orm import PlainItem
from benchmarks.workloads._orm import fetch_plain_items
from benchmarks.workloads._orm import as_tuple
from benchmarks.workloads._orm import model
from benchmarks.workloads._orm import orm

if TYPE_CHECKING:
    from benchmarks.database import Database

GETS = 10_000
SQL = "SELECT id, name, email, qty, price, note FROM bench_item WHERE id = :id"


class OrmGet(Workload):
    """10k session.get() in a fresh Session."""

    name = "orm_get"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self.gets = scaled(GETS, scale)
        self.ids: list[int] = []

    def size(self) -> dict[str, int]:
        return {"gets": self.gets}

    def setup(self) -> None:
        self.db.ensure_loaded(self.gets)
        self.ids = list(range(1, self.gets + 1))
        random.Random(SEED).shuffle(self.ids)
        self.native_sql = self.db.native(SQL)

    def run_dbapi(self, connection: Any) -> object:
        return fetch_plain_items(connection, self.native_sql, self.ids)

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        Item = model(lib)
        with orm(lib).Session(engine) as session:
            get = session.get
            return [get(Item, i) for i in self.ids]

    def check(self, result: Any) -> dict[str, object]:
        data = rows(self.gets)
        for i, got in zip(self.ids, result):
            got = got if isinstance(got, tuple) else as_tuple(got)
            if got != data[i - 1]:
                raise CheckFailed(f"id {i}: got {got!r}, expected {data[i - 1]!r}")
        return {"gets": len(result)}


class OrmGetHits(OrmGet):
    """The same 10k session.get() again: identity-map hits; floor: a plain dict lookup."""

    name = "orm_get_hits"

    def __init__(self, db: Database, scale: float) -> None:
        super().__init__(db, scale)
        self._warm: dict = {}

    def run_dbapi(self, connection: Any) -> object:
        objects = self._warm.get("dbapi")
        if objects is None:
            cursor = connection.cursor()
            cursor.execute("SELECT id, name, email, qty, price, note FROM bench_item")
            objects = self._warm["dbapi"] = {row[0]: PlainItem(*row) for row in cursor.fetchall()}
            cursor.close()
            connection.rollback()
        get = objects.get
        return [get(i) for i in self.ids]

    def run_core(self, engine: Any, lib: ModuleType) -> object:
        Item = model(lib)
        warm = self._warm.get(lib.__name__)
        if warm is None:
            # loaded, then committed without expiring: the Session keeps its objects and
            # holds no transaction (which would lock the table against later workloads)
            session = orm(lib).Session(engine, expire_on_commit=False)
            loaded = session.scalars(lib.select(Item).where(Item.id <= self.gets)).all()
            session.commit()
            warm = self._warm[lib.__name__] = (session, loaded)
        get = warm[0].get
        return [get(Item, i) for i in self.ids]
