"""Single-table inheritance: rows come back as the class their discriminator names.

Each scenario runs through sqlalchemy.orm and ormcore.orm on the same database (each library
with its own fresh tables) and compares what a user observes: class names, values, identity,
unloaded subclass columns, errors.
"""

from __future__ import annotations

import sqlalchemy
import sqlalchemy.orm

import ormcore
import ormcore.orm

from tests.orm._loading_helpers import error
from tests.orm._mapping_helpers import run_script

MODEL = """
from typing import Optional
from LIB import String
from LIB.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class Employee(Base):
    __tablename__ = "poly_employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    type: Mapped[Optional[str]] = mapped_column(String(20))
    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee"}

class Manager(Employee):
    budget: Mapped[Optional[int]] = mapped_column(nullable=True)
    __mapper_args__ = {"polymorphic_identity": "manager"}

class Director(Manager):
    golf: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    __mapper_args__ = {"polymorphic_identity": "director"}

class Engineer(Employee):
    language: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    __mapper_args__ = {"polymorphic_identity": "engineer"}
"""


def _run(scenario, engine, sa_engine):
    out = []
    for lib, orm, eng in ((sqlalchemy, sqlalchemy.orm, sa_engine),
                          (ormcore, ormcore.orm, engine)):
        m = run_script(lib.__name__, MODEL)
        m.Base.metadata.drop_all(eng)
        m.Base.metadata.create_all(eng)
        try:
            with orm.Session(eng) as s:
                s.add_all([m.Employee(id=1, name="ann"), m.Manager(id=2, name="bob", budget=10),
                           m.Engineer(id=3, name="cy", language="py"),
                           m.Director(id=4, name="dee", budget=99, golf="yes"),
                           m.Engineer(id=5, name="eve", language="c")])
                s.commit()
            out.append(scenario(lib, orm, m, eng))
        finally:
            m.Base.metadata.drop_all(eng)
    return out


def _described(objs):
    return [(type(o).__name__, o.id, o.name, o.type) for o in objs]


def test_base_query_returns_subclass_instances(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng) as s:
            everyone = s.scalars(lib.select(m.Employee).order_by(m.Employee.id)).all()
            unloaded = sorted(lib.inspect(everyone[1]).unloaded)
            # a subclass column the base query did not select loads on first access
            budget = everyone[1].budget
            again = s.scalars(lib.select(m.Employee).order_by(m.Employee.id.desc())).all()
            return (_described(everyone), unloaded, budget,
                    [a is b for a, b in zip(again, reversed(everyone))],
                    everyone[3].golf)
    a, b = _run(scenario, engine, sa_engine)
    assert a == b
    assert [t for t, *_ in b[0]] == ["Employee", "Manager", "Engineer", "Director", "Engineer"]


def test_subclass_query_and_its_descendants(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng) as s:
            managers = s.scalars(lib.select(m.Manager).order_by(m.Manager.id)).all()
            engineers = s.scalars(lib.select(m.Engineer).order_by(m.Engineer.id)).all()
            return (_described(managers), [mg.budget for mg in managers],
                    _described(engineers), [e.language for e in engineers])
    a, b = _run(scenario, engine, sa_engine)
    assert a == b


def test_get_rows_pairs_and_legacy_query(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng) as s:
            got = s.get(m.Employee, 4)
            rows = s.execute(lib.select(m.Employee, m.Employee.name)
                             .order_by(m.Employee.id)).all()
            legacy = s.query(m.Employee).filter(m.Employee.id > 2).order_by(m.Employee.id).all()
            first = s.query(m.Employee).filter_by(name="cy").one()
            return (type(got).__name__, got.golf,
                    [(type(o).__name__, n) for o, n in rows],
                    _described(legacy), type(first).__name__, first is legacy[0])
    a, b = _run(scenario, engine, sa_engine)
    assert a == b


def test_null_and_unknown_discriminator(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng) as s:
            s.execute(lib.update(m.Employee.__table__).where(m.Employee.__table__.c.id == 1)
                      .values(type=None))
            s.execute(lib.update(m.Employee.__table__).where(m.Employee.__table__.c.id == 2)
                      .values(type="intern"))
            nulled = error(lambda: s.scalars(lib.select(m.Employee)
                                             .where(m.Employee.id == 1)).one())
            unknown = error(lambda: s.scalars(lib.select(m.Employee)
                                              .where(m.Employee.id == 2)).all())
            s.rollback()
            return nulled, unknown
    a, b = _run(scenario, engine, sa_engine)
    assert a == b
    assert b == ("InvalidRequestError", "AssertionError")
