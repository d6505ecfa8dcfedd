"""The ORM's hot core against the raw-DBAPI floor and SQLAlchemy 2.x's ORM, as ratios.

Run from the repository root: `python -m benchmarks.orm_core [--rows N] [--repeat R]`.

Measures, at N = 200,000 rows of `bench_item` (benchmarks.data: int pk, two strings, int,
float, nullable string) in an in-memory sqlite3 database:

- hydration: SELECT of the N rows through sqlite3 + RowLoader.load() into a fresh IdentityMap
  (c and py cores; c also with the cyclic GC paused for the batch), against the floor: the
  same SELECT + fetchall + one plain object per row built by a plain `__init__`; and
  SQLAlchemy's `session.execute(select(M)).scalars().all()` in a fresh Session;
- attribute read: `obj.name` on each of the N loaded objects, against plain objects;
- attribute write with history: `obj.name = v` on each of N freshly loaded objects (the
  first change of each: committed value recorded, modified set entered), against plain
  objects; the same through SQLAlchemy's instrumented attributes;
- peak memory (tracemalloc, each contender in its own subprocess) of the N-row load, also
  as bytes per row beyond the floor's (the state, the identity map's share, the instance's
  slot for the state).

Each timed operation runs R times, interleaved across contenders, and the table shows the
median as a ratio to the floor. Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from types import ModuleType
from typing import Any
from typing import Callable
from typing import Optional

from benchmarks.data import COLUMNS
from benchmarks.data import CREATE_TABLE
from benchmarks.data import TABLE
from benchmarks.data import rows as bench_rows
from ormcore import _core_py

try:
    from ormcore import _core_c
except ImportError:  # not built: the twin alone
    _core_c = None

QUERY = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY id"


class Plain:
    """The floor's object: a plain class with a plain __init__."""

    def __init__(self, id: int, name: str, email: str, qty: int, price: float,
                 note: Optional[str]) -> None:
        self.id = id
        self.name = name
        self.email = email
        self.qty = qty
        self.price = price
        self.note = note


def _connect(n: int) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE_TABLE)
    conn.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' for _ in COLUMNS)})",
                     bench_rows(n))
    conn.commit()
    return conn


def _mapped_class(core: ModuleType) -> type:
    namespace = {name: core.AttributeDescriptor(name) for name in COLUMNS}
    return type(f"Item_{core.__name__.rsplit('.', 1)[-1]}", (core.InstrumentedBase,), namespace)


def _loader(core: ModuleType, cls: type) -> Callable[[], Any]:
    positions = [(name, i) for i, name in enumerate(COLUMNS)]

    def load(rows: list) -> list:
        return core.RowLoader(cls, None, core.IdentityMap(), [0], positions).load(rows)

    return load


def _sqlalchemy(n: int) -> Optional[dict]:
    try:
        import sqlalchemy as sa
        from sqlalchemy import orm
    except ImportError:
        return None

    class Base(orm.DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = TABLE
        # no annotations: this module postpones them, and the classes are local
        id = orm.mapped_column(sa.Integer, primary_key=True)
        name = orm.mapped_column(sa.String(100), nullable=False)
        email = orm.mapped_column(sa.String(200), nullable=False)
        qty = orm.mapped_column(sa.Integer, nullable=False)
        price = orm.mapped_column(sa.Float, nullable=False)
        note = orm.mapped_column(sa.String(200))

    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(Item), [dict(zip(COLUMNS, row)) for row in bench_rows(n)])
    stmt = sa.select(Item).order_by(Item.id)

    def load() -> tuple:
        session = orm.Session(engine)
        return session, session.execute(stmt).scalars().all()

    return {"load": load, "engine": engine}


def _time(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def _read(objs: list) -> None:
    for obj in objs:
        obj.name


def _write(objs: list) -> None:
    for obj in objs:
        obj.name = "changed"


def _own_copy(func: Callable) -> Callable:
    # A function with its own code object: CPython 3.11 specializes attribute access per code
    # object, so one loop shared by plain and mapped objects would measure re-specialization.
    return type(func)(func.__code__.replace(), func.__globals__, func.__name__)


def _peak(kind: str, n: int) -> int:
    """Peak traced memory of one N-row load, measured in this process."""
    import tracemalloc

    conn = _connect(n)
    sa_parts = _sqlalchemy(n) if kind == "sqlalchemy" else None
    gc.collect()
    tracemalloc.start()
    if kind == "floor":
        rows = conn.execute(QUERY).fetchall()
        result: Any = [Plain(*row) for row in rows]
    elif kind == "sqlalchemy":
        assert sa_parts is not None
        result = sa_parts["load"]()
    else:
        core = _core_c if kind == "c" else _core_py
        rows = conn.execute(QUERY).fetchall()
        result = _loader(core, _mapped_class(core))(rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.orm_core",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows (200000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per contender (7)")
    parser.add_argument("--peak", help=argparse.SUPPRESS)  # subprocess mode
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs")
    args = parser.parse_args(argv)
    n = args.rows
    if args.peak:
        print(json.dumps(_peak(args.peak, n)))
        return

    conn = _connect(n)
    cores = {"py": _core_py}
    if _core_c is not None:
        cores["c"] = _core_c
    classes = {name: _mapped_class(core) for name, core in cores.items()}
    loaders = {name: _loader(core, classes[name]) for name, core in cores.items()}
    sa_parts = _sqlalchemy(n)

    def fetch() -> list:
        return conn.execute(QUERY).fetchall()

    def paused(load: Callable[[list], list]) -> Callable[[], list]:
        def run() -> list:
            rows = fetch()
            gc.disable()
            try:
                return load(rows)
            finally:
                gc.enable()
        return run

    load_ops: dict = {"floor": lambda: [Plain(*row) for row in fetch()]}
    for name in cores:
        load_ops[f"ormcore {name}"] = (lambda load: lambda: load(fetch()))(loaders[name])
    if "c" in cores:
        load_ops["ormcore c, GC paused"] = paused(loaders["c"])
    if sa_parts is not None:
        load_ops["sqlalchemy"] = sa_parts["load"]

    plain_objs = [Plain(*row) for row in fetch()]
    loaded = {name: loaders[name](fetch()) for name in cores}
    if sa_parts is not None:
        sa_session, sa_objs = sa_parts["load"]()
    readers = {label: _own_copy(_read) for label in ["plain", *cores, "sqlalchemy"]}
    writers = {label: _own_copy(_write) for label in readers}
    read_ops: dict = {"plain": lambda: readers["plain"](plain_objs)}
    for name in cores:
        read_ops[f"ormcore {name}"] = (lambda objs, read: lambda: read(objs))(loaded[name],
                                                                              readers[name])
    if sa_parts is not None:
        read_ops["sqlalchemy"] = lambda: readers["sqlalchemy"](sa_objs)

    times: dict = {}
    for _ in range(args.repeat):
        for label, op in list(load_ops.items()) + [("read " + k, v) for k, v in read_ops.items()]:
            gc.collect()
            times.setdefault(label, []).append(_time(op))
        # writes: fresh objects each time (the first change of each object is the one measured)
        write_sets = {"plain": [Plain(*row) for row in fetch()]}
        for name in cores:
            write_sets[name] = loaders[name](fetch())
        if sa_parts is not None:
            write_sets["sqlalchemy"] = sa_parts["load"]()
        for label, objs in write_sets.items():
            gc.collect()
            objs = objs[1] if label == "sqlalchemy" else objs
            write = writers[label]
            times.setdefault("write " + (label if label in ("plain", "sqlalchemy")
                                         else f"ormcore {label}"), []).append(
                _time(lambda: write(objs)))
        del write_sets

    med = {label: statistics.median(ts) for label, ts in times.items()}
    print(f"ormcore ORM core, {n} rows, median of {args.repeat} (ratio to the floor / plain)")
    print(f"{'operation':<34} {'ms':>9} {'ns/row':>8} {'ratio':>7}")
    for label in load_ops:
        print(f"load: {label:<28} {med[label] * 1e3:9.1f} {med[label] / n * 1e9:8.1f}"
              f" {med[label] / med['floor']:7.2f}")
    for kind in ("read", "write"):
        for label in read_ops:
            key = f"{kind} {label}"
            base = med[f"{kind} plain"]
            print(f"{key:<40} {med[key] * 1e3:9.1f} {med[key] / n * 1e9:8.1f}"
                  f" {med[key] / base:7.2f}")
    if not args.no_memory:
        kinds = ["floor"] + list(cores) + (["sqlalchemy"] if sa_parts is not None else [])
        peaks = {}
        for kind in kinds:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.orm_core", "--rows", str(n), "--peak", kind],
                capture_output=True, text=True, check=True)
            peaks[kind] = json.loads(done.stdout)
        print("\npeak memory of the load (tracemalloc; bytes per row beyond the floor's)")
        for kind in kinds:
            print(f"{kind:<12} {peaks[kind] / 2**20:8.1f} MiB {peaks[kind] / peaks['floor']:6.2f}x"
                  f" {(peaks[kind] - peaks['floor']) / n:+8.1f} B/row")


if __name__ == "__main__":
    main()
