"""The compiled core against its pure-Python twin, one core operation at a time, as c/py ratios.

Run from the repository root: `python -m benchmarks.core [--rows N] [--repeat R]`.

Measures, at N = 200,000 rows of `bench_item` (benchmarks.data: int pk, two strings, int,
float, nullable string) fetched once from an in-memory sqlite3 database:

- make_rows, no processors: N driver tuples -> N rows
- make_rows, 2 processors: the same, with int on `qty` and float on `price`
- RowIterator, no processors: iterating N rows, consumed in C (deque(maxlen=0))
- row.name: attribute access on each of the N built rows (map(attrgetter), consumed in C)
- row[2]: index access on each of the N built rows (map(itemgetter), consumed in C)
- RowLoader.load: N rows -> N new mapped instances in a fresh IdentityMap (hydration)
- RowLoader.load, all in map: the same N rows again, every identity already loaded
- IdentityMap.get_by_pk: N identity-map hits by primary-key value
- obj.name (mapped): reads of a loaded mapped attribute (map(attrgetter), consumed in C)
- obj.name = v (history): the first write of each of N loaded instances (history recorded)

and, as the floor, sqlite3's own execute() + fetchall() of the same N rows, per row in ns.

Each operation runs R times per core, interleaved (py, c, py, c, ...) so that drift on a
shared machine hits both alike; the table shows the median of each and their ratio. Times are
reported, never asserted. The row class is a minimal Row (BaseRow + Sequence, no slots of its
own) with a minimal parent, so the numbers are the core's alone.
"""

from __future__ import annotations

import argparse
import collections
import collections.abc
import functools
import sqlite3
import statistics
import time
from operator import attrgetter
from operator import itemgetter
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
except ImportError as err:  # not built: report the twin alone
    _core_c = None
    _why_no_c: Optional[str] = str(err)
else:
    _why_no_c = None


class _Parent:
    """The least a row's parent must offer: its key map and the two error reporters."""

    def __init__(self, keys: tuple) -> None:
        self._key_to_index = {key: index for index, key in enumerate(keys)}

    def _key_not_found(self, key: Any, attr_error: bool) -> Any:
        raise (AttributeError if attr_error else KeyError)(key)

    def _raise_for_ambiguous_column_name(self, key: Any) -> Any:
        raise KeyError(f"ambiguous column name {key!r}")


def _row_class(core: ModuleType) -> type:
    class Row(core.BaseRow, collections.abc.Sequence):
        __slots__ = ()

    return Row


def _fetch(n: int) -> tuple[sqlite3.Connection, Callable[[], list]]:
    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE_TABLE)
    marks = ", ".join("?" for _ in COLUMNS)
    conn.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", bench_rows(n))
    conn.commit()
    query = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY id"

    def fetchall() -> list:
        return conn.execute(query).fetchall()

    return conn, fetchall


def _operations(core: ModuleType, raw: list) -> dict[str, Callable[[], Any]]:
    row_class = _row_class(core)
    parent = _Parent(COLUMNS)
    keys = parent._key_to_index
    two = [None, None, None, int, float, None]
    built = core.make_rows(row_class, parent, None, keys, raw)
    drain = collections.deque(maxlen=0).extend
    mapped = type("Item", (core.InstrumentedBase,),
                  {name: core.AttributeDescriptor(name) for name in COLUMNS})
    positions = [(name, i) for i, name in enumerate(COLUMNS)]
    warm_map = core.IdentityMap()
    warm = core.RowLoader(mapped, None, warm_map, [0], positions)
    loaded = warm.load(raw)
    pks = [row[0] for row in raw]

    def first_writes() -> None:
        objs = core.RowLoader(mapped, None, core.IdentityMap(), [0], positions).load(raw)
        start = time.perf_counter()
        for obj in objs:
            obj.name = "changed"
        _EXTRA_TIMES.append(time.perf_counter() - start)

    return {
        "make_rows, no processors": lambda: core.make_rows(row_class, parent, None, keys, raw),
        "make_rows, 2 processors": lambda: core.make_rows(row_class, parent, two, keys, raw),
        "RowIterator, no processors": lambda: drain(
            core.RowIterator(row_class, parent, None, keys, raw)
        ),
        "row.name": lambda: drain(map(attrgetter("name"), built)),
        "row[2]": lambda: drain(map(itemgetter(2), built)),
        "RowLoader.load": lambda: core.RowLoader(
            mapped, None, core.IdentityMap(), [0], positions).load(raw),
        "RowLoader.load, all in map": lambda: warm.load(raw),
        "IdentityMap.get_by_pk": lambda: drain(
            map(functools.partial(warm_map.get_by_pk, mapped), pks)),
        "obj.name (mapped)": lambda: drain(map(attrgetter("name"), loaded)),
        "obj.name = v (history)": first_writes,
    }


# Operations that must prepare untimed state report their own time here.
_EXTRA_TIMES: list = []


def _time(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    del result  # freed outside the timed region
    if _EXTRA_TIMES:
        elapsed = _EXTRA_TIMES.pop()
    return elapsed


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.core",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows per operation (200000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per core (7)")
    args = parser.parse_args(argv)

    conn, fetchall = _fetch(args.rows)
    raw = fetchall()
    cores = {"py": _core_py}
    if _core_c is not None:
        cores["c"] = _core_c
    ops = {name: _operations(core, raw) for name, core in cores.items()}

    times: dict[tuple[str, str], list] = collections.defaultdict(list)
    fetch_times = []
    for _ in range(args.repeat):
        fetch_times.append(_time(fetchall))
        for op in ops["py"]:
            for name in cores:
                times[op, name].append(_time(ops[name][op]))
    conn.close()

    n = args.rows
    print(f"ormcore core: c vs py, {n} rows, median of {args.repeat}")
    print(f"{'operation':<28} {'py ms':>9} {'c ms':>9} {'c/py':>7} {'c ns/row':>9}")
    # (mapped-instance rows: each core hydrates its own InstrumentedBase class)
    for op in ops["py"]:
        py = statistics.median(times[op, "py"])
        if "c" in cores:
            c = statistics.median(times[op, "c"])
            print(f"{op:<28} {py * 1e3:9.2f} {c * 1e3:9.2f} {c / py:7.3f} {c / n * 1e9:9.1f}")
        else:
            print(f"{op:<28} {py * 1e3:9.2f} {'-':>9} {'-':>7} {'-':>9}")
    fetch = statistics.median(fetch_times)
    print(f"\nfloor: sqlite3 execute + fetchall, {fetch * 1e3:.2f} ms"
          f" = {fetch / n * 1e9:.1f} ns/row")
    for op in ("make_rows, no processors", "make_rows, 2 processors"):
        for name in cores:
            t = statistics.median(times[op, name])
            print(f"{op} ({name}): {t / n * 1e9:.1f} ns/row = {t / fetch:.2f}x the fetch")
    if _why_no_c is not None:
        print(f"\ncompiled core not available: {_why_no_c}")


if __name__ == "__main__":
    main()
