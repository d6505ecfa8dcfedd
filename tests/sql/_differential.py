"""Helpers for tests that build one expression with SQLAlchemy and with ormcore and compare.

`lib("sa")` / `lib("oc")` give the names a case needs from one library; `tables(L)` builds the
same tables in both; `compiled_forms` is what a statement compiles to (str(), and SQL plus
parameters per dialect), or the error it raises, so a single equality compares everything.
"""

from __future__ import annotations

import re
import sqlite3
import warnings
from types import SimpleNamespace
from typing import Any
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as sa_pg
from sqlalchemy.dialects import sqlite as sa_sqlite
from sqlalchemy.dialects.postgresql import psycopg2 as sa_psycopg2
from sqlalchemy.dialects.sqlite import pysqlite as sa_pysqlite

import ormcore
from ormcore.dialects import postgresql as oc_pg
from ormcore.dialects import sqlite as oc_sqlite
from ormcore.dialects.postgresql import psycopg2 as oc_psycopg2
from ormcore.dialects.sqlite import pysqlite as oc_pysqlite

_LIBS: dict = {}


def lib(name: str) -> SimpleNamespace:
    """The library `name` ("sa" or "oc") as the namespace cases use, with two dialects."""
    found = _LIBS.get(name)
    if found is not None:
        return found
    if name == "sa":
        mod, pg, lite = sa, sa_pg, sa_sqlite
        dialects = {"sqlite": sa_pysqlite.dialect(),
                    "postgresql": sa_psycopg2.dialect()}
    else:
        mod, pg, lite = ormcore, oc_pg, oc_sqlite
        dialects = {"sqlite": oc_pysqlite.dialect(dbapi=sqlite3),
                    "postgresql": oc_psycopg2.dialect()}
    ns = SimpleNamespace(**{n: getattr(mod, n) for n in dir(mod) if not n.startswith("_")})
    if name == "oc":  # selectables may not be exported at the top level yet
        from ormcore.sql import expression

        for n in ("select", "table", "exists", "union", "union_all"):
            if not hasattr(ns, n):
                setattr(ns, n, getattr(expression, n))
    ns.pg = pg
    ns.sqlite = lite
    ns.dialects = dialects
    ns.name = name
    _LIBS[name] = ns
    return ns


def tables(L: SimpleNamespace) -> SimpleNamespace:
    m = L.MetaData()
    t = L.Table(
        "t", m,
        L.Column("id", L.Integer, primary_key=True),
        L.Column("name", L.String(50)),
        L.Column("x", L.Integer),
        L.Column("n", L.Numeric(10, 2)),
        L.Column("f", L.Float),
        L.Column("flag", L.Boolean),
        L.Column("d", L.DateTime),
        L.Column("day", L.Date),
        L.Column("j", L.JSON),
        L.Column("weird name", L.String(20), key="weird"),
    )
    u = L.Table(
        "u", m,
        L.Column("id", L.Integer, primary_key=True),
        L.Column("t_id", L.Integer, L.ForeignKey("t.id")),
        L.Column("a", L.pg.ARRAY(L.Integer)),
        schema=None,
    )
    s = L.Table("s", m, L.Column("id", L.Integer, primary_key=True), schema="other")
    return SimpleNamespace(m=m, t=t, c=t.c, u=u, s=s)


_BACKGROUND = re.compile(r" \(Background on this error at: [^)]*\)")


def outcome(fn: Callable[[], Any]) -> Any:
    """What `fn` gave, comparable across libraries: a value, or (error class name, message)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn()
        return ("ok", value, sorted({(w.category.__name__, str(w.message)) for w in caught}))
    except Exception as err:  # noqa: BLE001 - compared across libraries
        message = _BACKGROUND.sub("", str(err))
        if type(err).__name__ == "UnsupportedCompilationError":
            message = ""  # names compiler classes and addresses, which differ
        return ("raised", type(err).__name__, message)


def compiled_forms(L: SimpleNamespace, expr: Any, **kw: Any) -> dict:
    """str(expr) and, per dialect, (SQL, params) of expr.compile(dialect=..., **kw)."""
    forms = {"str": outcome(lambda: str(expr.compile(**kw)) if kw else str(expr))}
    for name, dialect in L.dialects.items():
        def compile_on(dialect: Any = dialect) -> tuple:
            c = expr.compile(dialect=dialect, **kw)
            return str(c), c.params
        forms[name] = outcome(compile_on)
    return forms


def both(case: Callable[[SimpleNamespace, SimpleNamespace], Any], **kw: Any) -> tuple:
    """The compiled forms (or construction error) of `case` in SQLAlchemy and in ormcore."""
    results = []
    for name in ("sa", "oc"):
        L = lib(name)
        T = tables(L)
        made = outcome(lambda: case(L, T))
        results.append(made if made[0] == "raised" else compiled_forms(L, made[1], **kw))
    return results[0], results[1]
