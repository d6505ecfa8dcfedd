"""Run a many-step ORM scenario with sqlalchemy and with ormcore and record what each observed.

A scenario is written once, against whichever library it is handed:

    @scenario
    def add_and_commit(sa, orm, exc, engine, rec):
        class Base(orm.DeclarativeBase): ...
        ...
        rec("name after commit", obj.name)
        rec.state("after commit", obj)

`@scenario` turns that body into the function the tests call, `fn(sa, orm, exc, url) -> list`:
it creates the engine on `url` (and the body's tables, through `rec.schema(Base)`), records every
warning raised along the way, and disposes of everything at the end. `run_both` runs one scenario
with SQLAlchemy and then with ormcore, each on a fresh database of the same backend (a file per
library on SQLite, a schema per library on PostgreSQL, dropped afterwards), and returns both
recordings for the test to compare.

Only library-neutral values go into a recording: names of classes (of instances, exceptions
and warnings), tuples of plain values, lifecycle state names, counts.
"""

from __future__ import annotations

import functools
import re
import traceback
import uuid
import warnings
from typing import Any
from typing import Callable

import sqlalchemy
import sqlalchemy.exc
import sqlalchemy.orm

import ormcore
import ormcore.exc
import ormcore.orm

LIBRARIES = (
    ("sqlalchemy", (sqlalchemy, sqlalchemy.orm, sqlalchemy.exc)),
    ("ormcore", (ormcore, ormcore.orm, ormcore.exc)),
)

STATES = ("transient", "pending", "persistent", "deleted", "detached")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_BACKGROUND = re.compile(r"\s*\(Background on this error at: \S+\)")


def plain(value: Any) -> Any:
    """`value` with rows and lists as tuples and classes as their names, so that what two
    libraries returned compares equal when it means the same."""
    if isinstance(value, type):
        return value.__name__
    if isinstance(value, (list, tuple)) or type(value).__name__ == "Row":
        return tuple(plain(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((plain(v) for v in value), key=repr))
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    return value


def message(err: BaseException) -> str:
    """An exception's message without what differs between runs (addresses, doc links)."""
    return _ADDRESS.sub("0x?", _BACKGROUND.sub("", str(err)))


class Recorder(list):
    """The observations of one run: a list of (label, value) in the order they were made."""

    def __init__(self, sa: Any, engine: Any) -> None:
        super().__init__()
        self.sa = sa
        self.engine = engine
        self._metadatas: list = []

    def __call__(self, label: str, value: Any) -> Any:
        self.append((label, plain(value)))
        return value

    def schema(self, base: Any) -> None:
        """Create the tables of a declarative base now, and drop them at the end."""
        base.metadata.create_all(self.engine)
        self._metadatas.append(base.metadata)

    def drop_all(self) -> None:
        for metadata in reversed(self._metadatas):
            metadata.drop_all(self.engine)

    # -- what a user inspects ----------------------------------------------------------------

    def state(self, label: str, *objs: Any) -> None:
        """The lifecycle state of each object: transient / pending / persistent / deleted /
        detached (exactly one is true)."""
        names = []
        for obj in objs:
            insp = self.sa.inspect(obj)
            names.append("+".join(name for name in STATES if getattr(insp, name)))
        self(label, names)

    def session(self, label: str, session: Any) -> None:
        """Sizes of session.new / dirty / deleted and the identity map's keys."""
        keys = sorted(((k[0].__name__, plain(k[1]), k[2]) for k in session.identity_map.keys()),
                      key=repr)
        self(label, {"new": len(session.new), "dirty": len(session.dirty),
                     "deleted": len(session.deleted), "identity_map": keys})

    def history(self, label: str, obj: Any, *keys: str) -> None:
        """(added, unchanged, deleted) of each attribute, without loading it."""
        attrs = self.sa.inspect(obj).attrs
        self(label, [tuple(tuple(part or ()) for part in attrs[key].history) for key in keys])

    def loaded(self, label: str, obj: Any) -> None:
        """Which mapped attributes are loaded (not expired / unloaded), without loading."""
        insp = self.sa.inspect(obj)
        self(label, sorted(set(insp.mapper.column_attrs.keys()) - set(insp.unloaded)))

    def attempt(self, label: str, fn: Callable[[], Any]) -> Any:
        """Run fn(): record ("ok", its result) or ("raised", exception class name)."""
        try:
            value = fn()
        except Exception as err:  # noqa: BLE001 - which exception is the observation
            self(label, ("raised", type(err).__name__))
            return err
        self(label, ("ok", value))
        return value

    def attempt_message(self, label: str, fn: Callable[[], Any]) -> Any:
        """As attempt(), also recording the exception's message."""
        try:
            value = fn()
        except Exception as err:  # noqa: BLE001 - the exception is the observation
            self(label, ("raised", type(err).__name__, message(err)))
            return err
        self(label, ("ok", value))
        return value

    def rows(self, label: str, sql: str, **params: Any) -> None:
        """Rows of a textual SELECT on a connection of its own (what other transactions
        see), in the order the SELECT gives."""
        with self.engine.connect() as conn:
            self(label, conn.execute(self.sa.text(sql), params).all())


def scenario(body: Callable[..., None]) -> Callable[[Any, Any, Any, str], list]:
    """`body(sa, orm, exc, engine, rec)` as a scenario `fn(sa, orm, exc, url) -> list`."""

    @functools.wraps(body)
    def run(sa: Any, orm: Any, exc: Any, url: str) -> list:
        engine = sa.create_engine(url)
        rec = Recorder(sa, engine)
        completed = False
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                body(sa, orm, exc, engine, rec)
            rec("warnings", [(w.category.__name__, _ADDRESS.sub("0x?", str(w.message)))
                             for w in caught])
            completed = True
        except Exception as err:
            err.recording = list(rec)  # type: ignore[attr-defined]
            raise
        finally:
            orm.close_all_sessions()
            try:
                if completed:
                    rec.drop_all()
            finally:
                engine.dispose()
        return list(rec)

    run.body = body  # type: ignore[attr-defined]
    return run


# -- running one scenario with both libraries --------------------------------------------------


def _pg_schema(pg_url: str, create: bool, name: str) -> None:
    import psycopg2

    from ormcore.engine.url import make_url

    args = make_url(pg_url).translate_connect_args(username="user", database="dbname")
    conn = psycopg2.connect(**args)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SET lock_timeout = '20s'")  # a leaked transaction fails the test
            if create:
                cur.execute(f'CREATE SCHEMA "{name}"')
            else:
                cur.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        conn.close()


def run_both(fn: Callable[..., list], backend: str, tmp_path: Any, pg_url: Any = None) -> tuple:
    """(SQLAlchemy's recording, ormcore's recording, ormcore's traceback or None).

    SQLAlchemy's run must complete (it defines what is right); ormcore's run, when it raises
    where SQLAlchemy did not, ends its recording with the exception and gives its traceback."""
    recordings = []
    crash = None
    for name, (sa, orm, exc) in LIBRARIES:
        schema = None
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / (name + '.db')}"
        else:
            schema = f"ormcore_scn_{uuid.uuid4().hex[:10]}"
            _pg_schema(pg_url, True, schema)
            sep = "&" if "?" in pg_url else "?"
            url = f"{pg_url}{sep}options=-csearch_path%3D{schema}"
        try:
            if name == "sqlalchemy":
                recordings.append(fn(sa, orm, exc, url))
            else:
                try:
                    recordings.append(fn(sa, orm, exc, url))
                except Exception as err:  # noqa: BLE001 - reported with the comparison
                    crash = traceback.format_exc()
                    recordings.append(getattr(err, "recording", []) +
                                      [("crashed", type(err).__name__, message(err))])
        finally:
            if schema is not None:
                _pg_schema(pg_url, False, schema)
    return recordings[0], recordings[1], crash


def first_difference(expected: list, got: list) -> str:
    """Where two recordings part: the step, and both sides from there."""
    for i, (a, b) in enumerate(zip(expected, got)):
        if a != b:
            return f"step {i}:\n  sqlalchemy: {a!r}\n  ormcore:    {b!r}"
    return (f"lengths differ: sqlalchemy {len(expected)}, ormcore {len(got)}; next: "
            f"{expected[len(got):len(got) + 1]!r} / {got[len(expected):len(expected) + 1]!r}")
