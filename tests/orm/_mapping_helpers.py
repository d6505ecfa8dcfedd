"""Run one model script with `sqlalchemy` and with `ormcore` and describe what it mapped.

A script is Python source that imports from `LIB` (replaced by "sqlalchemy" or "ormcore")
and defines mapped classes; `describe` turns a class into what a user can observe of its
mapping (table DDL on both dialects, mapper attribute keys and kinds, primary key), and
`compiled` a statement into its SQL on both dialects, so one equality compares everything.
"""

from __future__ import annotations

import sqlite3
import sys
import textwrap
import types
from typing import Any
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import psycopg2 as sa_psycopg2
from sqlalchemy.dialects.sqlite import pysqlite as sa_pysqlite

import ormcore
from ormcore.dialects.postgresql import psycopg2 as oc_psycopg2
from ormcore.dialects.sqlite import pysqlite as oc_pysqlite

LIBS = ("sqlalchemy", "ormcore")
_counter = [0]


def run_script(lib: str, source: str) -> types.ModuleType:
    """Execute `source` as a fresh module with LIB -> `lib`; the module (so string
    annotations resolve against its globals)."""
    _counter[0] += 1
    name = f"_orm_model_{lib}_{_counter[0]}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    code = textwrap.dedent(source).replace("LIB", lib)
    exec(compile(code, f"<{name}>", "exec"), module.__dict__)
    return module


def dialects(lib: str) -> dict:
    if lib == "sqlalchemy":
        return {"sqlite": sa_pysqlite.dialect(),
                "postgresql": sa_psycopg2.dialect()}
    return {"sqlite": oc_pysqlite.dialect(dbapi=sqlite3), "postgresql": oc_psycopg2.dialect()}


def library(lib: str) -> Any:
    return sa if lib == "sqlalchemy" else ormcore


def ddl(lib: str, table: Any) -> dict:
    """CREATE TABLE / CREATE INDEX of `table` on both dialects."""
    schema = sys.modules[f"{lib}.schema"]
    out = {}
    for name, dialect in dialects(lib).items():
        statements = [str(schema.CreateTable(table).compile(dialect=dialect)).strip()]
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            statements.append(str(schema.CreateIndex(index).compile(dialect=dialect)).strip())
        out[name] = statements
    return out


def compiled(lib: str, statement: Any) -> dict:
    """str() of the statement and its SQL on both dialects."""
    out = {"str": str(statement)}
    for name, dialect in dialects(lib).items():
        out[name] = str(statement.compile(dialect=dialect))
    return out


def describe(lib: str, cls: type) -> dict:
    """What a user observes of a mapped class's mapping."""
    mapper = library(lib).inspect(cls)
    table = mapper.local_table
    return {
        "attrs": list(mapper.attrs.keys()),
        "kinds": [type(p).__name__.replace("MappedSQLExpression", "ColumnProperty")
                  .replace("Synonym", "SynonymProperty").replace("PropertyProperty", "Property")
                  for p in mapper.attrs],
        "columns": list(mapper.columns.keys()),
        "column_attrs": [p.key for p in mapper.column_attrs],
        "primary_key": [c.name for c in mapper.primary_key],
        "table": table.name,
        "tables": [t.name for t in mapper.tables],
        "ddl": ddl(lib, table),
        "str": str(mapper),
        "polymorphic_identity": mapper.polymorphic_identity,
        "single": mapper.single,
        "base_mapper": mapper.base_mapper.class_.__name__,
        "inherits": mapper.inherits.class_.__name__ if mapper.inherits is not None else None,
    }


def both(source: str, observe: Callable[[str, types.ModuleType], Any]) -> tuple:
    """`observe(lib, module)` for the script under each library: (sqlalchemy's, ormcore's)."""
    return tuple(observe(lib, run_script(lib, source)) for lib in LIBS)


def outcome(fn: Callable[[], Any]) -> Any:
    """The result, or (exception class name, message)."""
    try:
        return fn()
    except Exception as err:  # noqa: BLE001 - the error is the observation
        return (type(err).__name__, str(err).split(" (Background on this error")[0])
