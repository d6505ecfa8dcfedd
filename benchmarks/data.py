"""The one data set every contender loads: the rows of `bench_item`, generated from a seed.

Workloads load these rows, insert them, or look them up, and then compare what each contender
returned with the same rows, so a contender that drops or garbles data fails instead of looking
fast. The generator is deterministic: the same `n` gives the same rows in every process.
"""

from __future__ import annotations

import functools
import random
import zlib
from typing import Iterable
from typing import Optional

TABLE = "bench_item"
COLUMNS = ("id", "name", "email", "qty", "price", "note")
SEED = 20240601

# One DDL text for both SQLite and PostgreSQL: INTEGER PRIMARY KEY is the rowid on SQLite and
# an indexed integer key on PostgreSQL; DOUBLE PRECISION round-trips Python floats on both.
CREATE_TABLE = f"""CREATE TABLE {TABLE} (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(200) NOT NULL,
    qty INTEGER NOT NULL,
    price DOUBLE PRECISION NOT NULL,
    note VARCHAR(200)
)"""

Item = tuple[int, str, str, int, float, Optional[str]]

_FIRST = ("ada", "alan", "barbara", "claude", "donald", "edsger", "frances", "grace", "guido",
          "john", "ken", "leslie", "margaret", "niklaus", "radia", "richard", "sophie", "tim")
_LAST = ("hopper", "knuth", "liskov", "lovelace", "mccarthy", "ritchie", "shannon", "thompson",
         "turing", "wirth", "dijkstra", "hamilton", "lamport", "perlman", "wilson", "allen")
_NOTES = ("fragile", "gift wrap", "leave at the door", "call before delivery", "back order",
          "express", "signature required", "second attempt")


@functools.lru_cache(maxsize=4)
def rows(n: int) -> tuple[Item, ...]:
    """The first `n` rows of `bench_item`, ordered by id (1..n); a quarter have no note."""
    rng = random.Random(SEED)
    out = []
    for i in range(1, n + 1):
        first = rng.choice(_FIRST)
        last = rng.choice(_LAST)
        note = rng.choice(_NOTES) if rng.random() >= 0.25 else None
        out.append((
            i,
            f"{first.title()} {last.title()}",
            f"{first}.{last}.{i}@example.com",
            rng.randrange(1, 1000),
            rng.randrange(100, 1_000_000) / 100,
            note,
        ))
    return tuple(out)


def param_dicts(n: int) -> list[dict[str, object]]:
    """The first `n` rows as a fresh list of dicts keyed by column name (executemany input)."""
    return [dict(zip(COLUMNS, row)) for row in rows(n)]


def checksum(items: Iterable[Item]) -> str:
    """A CRC-32 of the rows' reprs, in the order given, as 8 hex digits."""
    crc = 0
    for item in items:
        crc = zlib.crc32(repr(item).encode(), crc)
    return f"{crc:08x}"
