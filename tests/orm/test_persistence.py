"""persistence.py: the SQL a flush emits -- batched per table, compiled a handful of times
however many rows, defaults written back, SQL expressions expired, version checks."""

from __future__ import annotations

import gc
from typing import Any
from typing import Optional

import pytest

import ormcore
from ormcore import orm


def make_model() -> Any:
    class Base(orm.DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = "pers_item"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(ormcore.String(30))
        qty: orm.Mapped[int] = orm.mapped_column(default=lambda: 3)
        price: orm.Mapped[Optional[float]]
        tag: orm.Mapped[Optional[str]] = orm.mapped_column(ormcore.String(10),
                                                            server_default="new")

    class Versioned(Base):
        __tablename__ = "pers_versioned"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        value: orm.Mapped[str] = orm.mapped_column(ormcore.String(20))
        version: orm.Mapped[int] = orm.mapped_column()
        __mapper_args__ = {"version_id_col": version}

    return Base, Item, Versioned


@pytest.fixture
def model(engine: Any) -> Any:
    Base, Item, Versioned = make_model()
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield engine, Item, Versioned
    Base.metadata.drop_all(engine)


def count_statements(engine: Any) -> list:
    seen: list = []

    @ormcore.event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append((statement.split()[0], many, len(params) if many else 1))

    return seen


def test_ten_thousand_rows_compile_a_handful_of_statements(model: Any) -> None:
    engine, Item, _ = model
    engine.clear_compiled_cache()
    seen = count_statements(engine)
    with orm.Session(engine) as s:
        items = [Item(name=f"n{i}", price=i / 2) for i in range(10_000)]
        s.add_all(items)
        s.flush()
        inserts = [x for x in seen if x[0] == "INSERT"]
        # multi-row INSERT ... RETURNING pages, not 10,000 statements
        assert 1 <= len(inserts) <= 50
        assert items[0].id is not None and items[-1].id is not None
        assert len({i.id for i in items}) == 10_000
        assert items[5].qty == 3 and items[5].tag == "new"
        seen.clear()
        for item in items:
            item.name = item.name + "!"
        for item in items[:100]:
            item.qty = 7  # another set of changed columns: a second UPDATE group
        s.flush()
        updates = [x for x in seen if x[0] == "UPDATE"]
        assert len(updates) == 2 and sum(n for _v, _m, n in updates) == 10_000
        seen.clear()
        for item in items[:5000]:
            s.delete(item)
        s.commit()
        deletes = [x for x in seen if x[0] == "DELETE"]
        assert len(deletes) == 1 and deletes[0][2] == 5000
    assert len(engine._compiled_cache) <= 6
    with engine.connect() as conn:
        assert conn.scalar(ormcore.text("SELECT count(*) FROM pers_item")) == 5000
        assert conn.scalar(ormcore.text("SELECT count(*) FROM pers_item WHERE qty = 7")) == 0
        assert conn.scalar(ormcore.text("SELECT count(*) FROM pers_item WHERE name LIKE '%!'")) == 5000


def test_sqlite_insert_batches_bind_by_position(model: Any) -> None:
    """SQLite looks named parameters up one by one along the statement's list of names, so
    the multi-row INSERT batches of a flush go out with ? placeholders and one tuple."""
    engine, Item, _ = model
    if engine.dialect.name != "sqlite":
        pytest.skip("the named-parameter cost is SQLite's")
    sent: list = []

    @ormcore.event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if statement.startswith("INSERT"):
            sent.append((statement, params))

    with orm.Session(engine) as s:
        items = [Item(name=f"n{i}", price=i / 2) for i in range(2500)]
        s.add_all(items)
        s.commit()
        assert [item.id for item in items] == list(range(1, 2501))
    # name, price and the Python-side default of qty per row; the key and tag come back
    assert [(statement.count("(?, ?, ?)"), len(params)) for statement, params in sent] == [
        (1000, 3000), (1000, 3000), (500, 1500)]
    assert all(":" not in statement and isinstance(params, tuple) for statement, params in sent)
    with engine.connect() as conn:
        assert conn.execute(ormcore.text(
            "SELECT name, price, qty, tag FROM pers_item WHERE id = 2500")).one() == (
            "n2499", 1249.5, 3, "new")


@pytest.mark.parametrize("enabled", [True, False])
def test_a_large_flush_leaves_the_gc_as_it_found_it(model: Any, enabled: bool) -> None:
    """The cyclic GC is paused during a flush of many rows: enabled again afterwards, also
    when the flush fails, and left alone when the program had disabled it."""
    engine, Item, _ = model
    was = gc.isenabled()
    seen: list = []

    @ormcore.event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append(gc.isenabled())

    try:
        (gc.enable if enabled else gc.disable)()
        with orm.Session(engine) as s:
            s.add_all([Item(id=i, name="x") for i in range(1, 2001)])
            s.flush()
            assert gc.isenabled() is enabled and seen and not any(seen)
            s.add_all([Item(id=i, name="dup") for i in range(2001, 4001)] + [Item(id=1, name="x")])
            with pytest.raises(ormcore.exc.IntegrityError):  # the duplicate key
                s.flush()
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_given_keys_use_plain_executemany(model: Any) -> None:
    engine, Item, _ = model
    seen = count_statements(engine)
    with orm.Session(engine) as s:
        s.add_all([Item(id=i, name="x", tag="t") for i in range(1, 101)])
        s.commit()
    inserts = [x for x in seen if x[0] == "INSERT"]
    assert inserts and all("RETURNING" not in x[0] for x in inserts)
    assert sum(n for _v, _m, n in inserts) == 100 or len(inserts) <= 2


def test_sql_expression_is_applied_and_expired(model: Any) -> None:
    engine, Item, _ = model
    with orm.Session(engine, expire_on_commit=False) as s:
        item = Item(name="a", qty=1)
        s.add(item)
        s.flush()
        item.qty = Item.qty + 10
        s.flush()
        assert "qty" not in item.__dict__
        assert "qty" in ormcore.inspect(item).expired_attributes
        s.commit()
    with engine.connect() as conn:
        assert conn.scalar(ormcore.text("SELECT qty FROM pers_item")) == 11


def test_version_id_and_stale_data(model: Any) -> None:
    engine, _, Versioned = model
    with orm.Session(engine, expire_on_commit=False) as s:
        v = Versioned(value="a")
        s.add(v)
        s.flush()
        assert v.version == 1
        v.value = "b"
        s.flush()
        assert v.version == 2
        s.commit()
        with engine.begin() as conn:
            conn.execute(ormcore.text("UPDATE pers_versioned SET version = 50"))
        v.value = "c"
        with pytest.raises(orm.exc.StaleDataError) as info:
            s.flush()
        assert str(info.value) == ("UPDATE statement on table 'pers_versioned' expected to "
                                   "update 1 row(s); 0 were matched.")
        with pytest.raises(ormcore.exc.PendingRollbackError):
            s.execute(ormcore.text("SELECT 1"))
        s.rollback()


def test_failed_flush_keeps_objects_and_recovers(model: Any) -> None:
    engine, Item, _ = model
    with orm.Session(engine) as s:
        s.add(Item(id=1, name="a"))
        s.commit()
        dup = Item(id=1, name="dup")
        s.add(dup)
        with pytest.raises(ormcore.exc.IntegrityError) as info:
            s.flush()
        assert info.value.orig is not None
        assert dup.name == "dup" and dup.id == 1
        assert ormcore.inspect(dup).transient
        s.rollback()
        dup.id = 2
        s.add(dup)
        s.commit()
    with engine.connect() as conn:
        assert conn.scalar(ormcore.text("SELECT count(*) FROM pers_item")) == 2


def test_delete_of_missing_row_warns(model: Any) -> None:
    engine, Item, _ = model
    with orm.Session(engine, expire_on_commit=False) as s:
        item = Item(id=9, name="a")
        s.add(item)
        s.commit()
        with engine.begin() as conn:
            conn.execute(ormcore.text("DELETE FROM pers_item"))
        s.delete(item)
        with pytest.warns(ormcore.exc.SAWarning, match="expected to delete 1 row"):
            s.commit()
