"""inspect() of mapped classes (the Mapper) and instances (the InstanceState), and the
errors for unmapped things, compared with SQLAlchemy where both can run the same script."""

from __future__ import annotations

import pytest

import ormcore
from ormcore import exc as sa_exc
from ormcore.orm import exc as orm_exc
from ormcore.orm import state as state_module

from ._mapping_helpers import both
from ._mapping_helpers import outcome
from ._mapping_helpers import run_script

MODEL = """
from typing import Optional
from LIB import String, func, inspect, select
from LIB.orm import DeclarativeBase, Mapped, mapped_column, column_property, synonym
from LIB.orm import class_mapper, object_mapper

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    email: Mapped[Optional[str]]
    shout = column_property(func.upper(name))
    nick = synonym("name")

class Unmapped:
    pass
"""


def _mapper_view(lib: str, m: object) -> dict:
    mapper = m.inspect(m.User)
    return {
        "is_mapper": mapper.is_mapper,
        "class": mapper.class_.__name__,
        "entity": mapper.entity.__name__,
        "columns": list(mapper.columns.keys()),
        "c": list(mapper.c.keys()),
        "attrs": list(mapper.attrs.keys()),
        "column_attrs": [p.key for p in mapper.column_attrs],
        "synonyms": list(mapper.synonyms.keys()),
        "primary_key": [str(c) for c in mapper.primary_key],
        "tables": [t.name for t in mapper.tables],
        "local_table": mapper.local_table.name,
        "persist_selectable": mapper.persist_selectable.name,
        "same_mapper": m.class_mapper(m.User) is mapper and mapper.mapper is mapper,
        "base_mapper": mapper.base_mapper is mapper,
        "identity_key": mapper.identity_key_from_primary_key((7,))[1:],
        "get_property": str(mapper.get_property("name")),
        "prop_columns": [str(c) for c in mapper.attrs.name.columns],
        "missing_property": outcome(lambda: mapper.get_property("nope"))[0],
        "polymorphic_identity": mapper.polymorphic_identity,
        "inherits": mapper.inherits,
        "str": str(mapper),
        "attr_class": m.User.name.class_.__name__,
        "attr_key": m.User.name.key,
        "attr_str": str(m.User.name),
        "attr_expression": str(m.User.name.expression),
        "attr_property": m.User.name.property is mapper.attrs.name,
        "attr_compare": str(m.User.name == "x"),
        "attr_in": str(m.User.id.in_([1, 2])),
        "attr_label": str(m.select(m.User.name.label("n"))),
        "attr_type": type(m.User.id.type).__name__,
    }


def test_inspect_class_matches_sqlalchemy() -> None:
    sa_result, oc_result = both(MODEL, _mapper_view)
    assert oc_result == sa_result


def _instance_view(lib: str, m: object) -> dict:
    u = m.User(name="ann")
    st = m.inspect(u)
    view = {
        "states": (st.transient, st.pending, st.persistent, st.deleted, st.detached),
        "has_identity": st.has_identity,
        "identity": st.identity,
        "identity_key": st.identity_key,
        "key": st.key,
        "session": st.session,
        "object": st.object is u,
        "mapper": st.mapper is m.inspect(m.User),
        "object_mapper": m.object_mapper(u) is m.inspect(m.User),
        "dict": sorted(k for k in st.dict if k != "_sa_instance_state"),
        "unloaded": sorted(st.unloaded),
        "modified": st.modified,
        "was_deleted": st.was_deleted,
        "expired_attributes": sorted(st.expired_attributes),
        "history_name": tuple(st.attrs.name.history),
        "history_email": tuple(st.attrs.email.history),
        "loaded_email": repr(st.attrs.email.loaded_value),
        "value_name": st.attrs["name"].value,
        "attr_keys": [a.key for a in st.attrs],
        "pk_from_instance": m.inspect(m.User).primary_key_from_instance(u),
        "identity_key_from_instance": m.inspect(m.User).identity_key_from_instance(u)[1:],
    }
    u.name = "bob"
    u.email = "b@x"
    view["after_history"] = (tuple(st.attrs.name.history), tuple(st.attrs.email.history))
    view["after_modified"] = st.modified
    view["email_read"] = u.email
    return view


def test_inspect_instance_matches_sqlalchemy() -> None:
    sa_result, oc_result = both(MODEL, _instance_view)
    assert oc_result == sa_result


def _error_view(lib: str, m: object) -> dict:
    import importlib

    orm = importlib.import_module(f"{lib}.orm")
    errors = importlib.import_module(f"{lib}.orm.exc")

    def short(fn: object) -> object:
        import re

        result = outcome(fn)
        if not isinstance(result, tuple):
            return result
        # addresses differ, and so does the metaclass named for a class passed as instance
        # (SQLAlchemy's DeclarativeBase has one; ormcore's needs none)
        message = re.sub(r"0x[0-9a-f]+", "0x", result[1].replace(m.__name__, "M"))
        message = re.sub(r"^Class '[\w.]+' is not mapped; was a class",
                         "Class '?' is not mapped; was a class", message)
        return result[0], message

    return {
        "inspect_unmapped_class": short(lambda: m.inspect(m.Unmapped)),
        "inspect_unmapped_instance": short(lambda: m.inspect(m.Unmapped())),
        "inspect_int": short(lambda: m.inspect(5)),
        "inspect_none_raiseerr": m.inspect(m.Unmapped(), raiseerr=False),
        "class_mapper": short(lambda: orm.class_mapper(m.Unmapped)),
        "object_mapper": short(lambda: orm.object_mapper(m.Unmapped())),
        "object_mapper_class": short(lambda: orm.object_mapper(m.User)),
        "class_mapper_instance": short(lambda: orm.class_mapper(m.User(name="x"))),
        "hierarchy": (issubclass(errors.UnmappedClassError, errors.UnmappedError),
                      issubclass(errors.UnmappedInstanceError, errors.UnmappedError),
                      errors.ConcurrentModificationError is errors.StaleDataError,
                      errors.DetachedInstanceError.code,
                      issubclass(errors.ObjectDeletedError, importlib.import_module(
                          f"{lib}.exc").InvalidRequestError)),
    }


def test_inspection_errors_match_sqlalchemy() -> None:
    sa_result, oc_result = both(MODEL, _error_view)
    assert oc_result == sa_result


class _FakeSession:
    """Stands in for a Session: registered by hash_key, as the Session registers itself."""

    def __init__(self, key: int) -> None:
        self.hash_key = key


@pytest.fixture
def attached() -> object:
    registry = state_module._session_registry()
    session = _FakeSession(987654321)
    registry[session.hash_key] = session
    yield session
    registry.pop(session.hash_key, None)


def test_lifecycle_states_follow_key_session_and_deleted(attached: object) -> None:
    m = run_script("ormcore", MODEL)
    u = m.User(name="x")
    st = ormcore.inspect(u)
    states = lambda: (st.transient, st.pending, st.persistent, st.deleted, st.detached)  # noqa: E731
    assert states() == (True, False, False, False, False)
    st.session_id = attached.hash_key
    assert states() == (False, True, False, False, False) and st.session is attached
    st.key = (m.User, (1,), None)
    assert states() == (False, False, True, False, False)
    assert st.identity == (1,) and st.identity_key == (m.User, (1,), None) and st.has_identity
    st._deleted = True
    assert states() == (False, False, False, True, False)
    st._deleted = False
    st.session_id = None
    assert states() == (False, False, False, False, True) and st.session is None


def test_unmapped_error_classes() -> None:
    class Plain:
        pass

    with pytest.raises(orm_exc.UnmappedClassError, match="is not mapped"):
        ormcore.orm.class_mapper(Plain)
    with pytest.raises(orm_exc.UnmappedInstanceError, match="is not mapped"):
        ormcore.orm.object_mapper(Plain())
    with pytest.raises(sa_exc.NoInspectionAvailable):
        ormcore.inspect(object())
    assert issubclass(orm_exc.NoResultFound, sa_exc.InvalidRequestError)
    assert orm_exc.NoResultFound is sa_exc.NoResultFound
    assert orm_exc.MultipleResultsFound is sa_exc.MultipleResultsFound
    for name in ("ObjectDereferencedError", "UnmappedColumnError", "LoaderStrategyException",
                 "FlushError", "StaleDataError", "ObjectDeletedError"):
        assert issubclass(getattr(orm_exc, name), sa_exc.SQLAlchemyError)


def test_configure_mappers_checks_synonyms() -> None:
    from ormcore.orm import configure_mappers

    m = run_script("ormcore", MODEL)
    configure_mappers()
    assert ormcore.inspect(m.User).configured
