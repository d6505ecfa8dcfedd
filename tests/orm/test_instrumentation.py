"""Instrumentation of mapped classes on the compiled core (or its twin, under
ORMCORE_PURE_PYTHON=1): loaded attributes are plain instance-dict reads, writes record
history, unloaded reads go to the class manager, and imperatively mapped classes get the
same write hook. The identity map's weak/strong behaviour is tested in tests/core."""

from __future__ import annotations

import pytest

import ormcore
from ormcore import Column
from ormcore import Integer
from ormcore import MetaData
from ormcore import String
from ormcore import Table
from ormcore import func
from ormcore import inspect
from ormcore import select
from ormcore._core import AttributeDescriptor
from ormcore._core import instrumented_setattr
from ormcore.orm import DeclarativeBase
from ormcore.orm import Mapped
from ormcore.orm import NO_VALUE
from ormcore.orm import column_property
from ormcore.orm import exc as orm_exc
from ormcore.orm import mapped_column
from ormcore.orm import registry
from ormcore.orm import synonym
from ormcore.orm import state as state_module
from ormcore.orm.attributes import flag_modified
from ormcore.orm.attributes import get_history
from ormcore.orm.attributes import set_committed_value


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    qty: Mapped[int] = mapped_column(default=0)
    loud = column_property(func.upper(name))
    label = synonym("name")

    @property
    def double(self) -> int:
        return self.qty * 2


def test_class_attributes_are_non_data_descriptors_of_the_core() -> None:
    attr = Item.__dict__["name"]
    assert isinstance(attr, AttributeDescriptor)
    assert not hasattr(type(attr), "__set__")  # reads find the instance dict first
    assert Item.name is attr and Item.name.key == "name"


def test_loaded_reads_are_instance_dict_reads() -> None:
    item = Item(name="a", qty=3)
    assert item.__dict__["name"] == "a"
    item.__dict__["qty"] = 9  # what hydration does: no descriptor involved on read
    assert item.qty == 9 and item.double == 18


def test_writes_record_history_through_the_core() -> None:
    item = Item(name="a")
    state = inspect(item)
    state.key = (Item, (1,), None)
    set_committed_value(item, "qty", 1)
    state._commit_all()
    assert not state.modified and tuple(get_history(item, "qty")) == ((), [1], ())
    item.qty = 2
    item.qty = 3
    assert state.modified
    assert state.committed_state == {"qty": 1}
    assert tuple(get_history(item, "qty")) == ([3], (), [1])
    item.qty = 1
    assert tuple(get_history(item, "qty")) == ((), [1], ())


def test_unset_attribute_of_transient_reads_none_without_storing() -> None:
    item = Item()
    assert item.name is None and item.loud is None
    assert "name" not in item.__dict__
    assert inspect(item).attrs.name.loaded_value is NO_VALUE


def test_delete_attribute_records_history() -> None:
    item = Item(name="a")
    state = inspect(item)
    state._commit_all()
    del item.name
    assert "name" not in item.__dict__
    assert tuple(get_history(item, "name")) == ((), (), ["a"])


def test_synonym_reads_and_writes_its_target() -> None:
    item = Item(label="via")
    assert item.name == "via" and item.label == "via"
    item.label = "again"
    assert item.name == "again"
    assert str(select(Item.label)) == "SELECT items.name \nFROM items"


def test_expired_attribute_of_detached_instance_raises() -> None:
    item = Item(name="a", qty=1)
    state = inspect(item)
    state.key = (Item, (5,), None)
    state._expire()
    assert state.detached and "qty" in state.expired_attributes
    with pytest.raises(orm_exc.DetachedInstanceError, match="not bound to a Session"):
        item.qty


def test_expired_attributes_load_through_the_sessions_loader(monkeypatch: object) -> None:
    class FakeSession:
        hash_key = 424242

    session = FakeSession()
    registry_ = state_module._session_registry()
    registry_[session.hash_key] = session
    calls = []

    def loader(state: object, keys: object, in_session: object) -> None:
        calls.append((sorted(keys), in_session))
        for key in keys:
            set_committed_value(state(), key, {"name": "db", "qty": 7}.get(key))

    monkeypatch.setattr(state_module, "_attribute_loader", loader)
    try:
        item = Item(name="a", qty=1)
        state = inspect(item)
        state.key = (Item, (5,), None)
        state.session_id = session.hash_key
        state._expire()
        assert state.persistent
        assert item.qty == 7  # loads every expired attribute at once, as SQLAlchemy
        assert calls == [(["id", "loud", "name", "qty"], session)]
        assert item.name == "db" and len(calls) == 1
        assert not state.expired_attributes
    finally:
        registry_.pop(session.hash_key, None)


def test_flag_modified() -> None:
    item = Item(name="a")
    state = inspect(item)
    state._commit_all()
    flag_modified(item, "name")
    assert state.modified and "name" in state.committed_state
    with pytest.raises(ormcore.exc.InvalidRequestError):
        flag_modified(item, "qty")


def test_imperative_mapping_installs_the_write_hook() -> None:
    metadata = MetaData()
    table = Table("things", metadata, Column("id", Integer, primary_key=True),
                  Column("data", String(10)))

    class Thing:
        def __init__(self, data: str) -> None:
            self.data = data

    reg = registry()
    mapper = reg.map_imperatively(Thing, table)
    assert Thing.__setattr__ is instrumented_setattr
    assert inspect(Thing) is mapper and mapper in reg.mappers
    thing = Thing("x")
    assert inspect(thing).transient
    assert tuple(inspect(thing).attrs.data.history) == (["x"], (), ())
    thing.other = 5  # unmapped names are plain attributes
    assert thing.other == 5 and "other" not in inspect(Thing).attrs
    assert str(select(Thing).where(Thing.data == "y")) == (
        "SELECT things.id, things.data \nFROM things \nWHERE things.data = :data_1")
    reg.dispose()
    with pytest.raises(orm_exc.UnmappedClassError):
        ormcore.orm.class_mapper(Thing)


def test_states_are_the_orm_state_class_on_both_paths() -> None:
    item = Item(name="a")
    assert type(inspect(item)) is state_module.InstanceState
    manager = Item._sa_class_manager
    made = manager.new_instance()
    assert type(inspect(made)) is state_module.InstanceState
    assert manager._attribute_names == ("loud", "id", "name", "qty")


def test_mapping_a_class_twice_is_an_error() -> None:
    with pytest.raises(ormcore.exc.ArgumentError, match="already has a primary mapper"):
        registry().map_imperatively(Item, Item.__table__)
