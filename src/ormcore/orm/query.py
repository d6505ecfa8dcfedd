"""The legacy Query (`session.query(User)`), built on select() and ormcore.orm.loading.

A Query holds a Select and its Session; each builder method returns a new Query over a new
Select, and fetching runs the Select through `Session.execute`, so Query and 2.0-style
statements share the compiled-statement cache and the RowLoaders. A Query of exactly one
entity yields objects; of anything else, Rows.
"""

from __future__ import annotations

from typing import Any
from typing import Iterator
from typing import Optional

from .. import exc as sa_exc
from ..sql.selectable import Select
from .bulk_persistence import delete_matching
from .bulk_persistence import update_matching

__all__ = ["Query"]

_NEGATIVE = "negative indexes are not accepted by SQL index / slice operators"


def _sql() -> Any:
    import ormcore

    return ormcore


class Query:
    """ORM-level SQL construction object (SQLAlchemy's legacy Query)."""

    def __init__(self, entities: Any, session: Any = None) -> None:
        if len(entities) == 1 and isinstance(entities[0], (list, tuple)):
            entities = entities[0]
        self.session = session
        self._entities = tuple(entities)
        self._statement = Select(*entities) if entities else None
        self._execution_options: dict = {}
        self._populate_existing = False

    # -- building ----------------------------------------------------------------------------

    def _clone(self, statement: Any) -> "Query":
        q = Query.__new__(type(self))
        q.__dict__.update(self.__dict__)
        q._statement = statement
        q._execution_options = dict(self._execution_options)
        return q

    def filter(self, *criterion: Any) -> "Query":
        return self._clone(self._statement.where(*criterion))

    where = filter

    def filter_by(self, **kwargs: Any) -> "Query":
        return self._clone(self._statement.filter_by(**kwargs))

    def order_by(self, *clauses: Any) -> "Query":
        return self._clone(self._statement.order_by(*clauses))

    def group_by(self, *clauses: Any) -> "Query":
        return self._clone(self._statement.group_by(*clauses))

    def having(self, *criterion: Any) -> "Query":
        return self._clone(self._statement.having(*criterion))

    def limit(self, limit: Any) -> "Query":
        return self._clone(self._statement.limit(limit))

    def offset(self, offset: Any) -> "Query":
        return self._clone(self._statement.offset(offset))

    def distinct(self, *expr: Any) -> "Query":
        return self._clone(self._statement.distinct(*expr))

    def join(self, target: Any, onclause: Any = None, *, isouter: bool = False,
             full: bool = False) -> "Query":
        return self._clone(self._statement.join(target, onclause, isouter=isouter, full=full))

    def outerjoin(self, target: Any, onclause: Any = None, *, full: bool = False) -> "Query":
        return self.join(target, onclause, isouter=True, full=full)

    def select_from(self, *froms: Any) -> "Query":
        return self._clone(self._statement.select_from(*froms))

    def with_entities(self, *entities: Any) -> "Query":
        q = self._clone(self._statement.with_only_columns(*entities))
        q._entities = tuple(entities)
        return q

    def add_columns(self, *columns: Any) -> "Query":
        q = self._clone(self._statement.add_columns(*columns))
        q._entities = self._entities + tuple(columns)
        return q

    add_column = add_columns

    def add_entity(self, entity: Any) -> "Query":
        return self.add_columns(entity)

    def with_for_update(self, **kw: Any) -> "Query":
        return self._clone(self._statement.with_for_update(**kw))

    def execution_options(self, **kw: Any) -> "Query":
        q = self._clone(self._statement)
        q._execution_options.update(kw)
        return q

    def populate_existing(self) -> "Query":
        return self.execution_options(populate_existing=True)

    def yield_per(self, count: int) -> "Query":
        return self.execution_options(yield_per=count)

    def params(self, *args: Any, **kw: Any) -> "Query":
        q = self._clone(self._statement)
        params = dict(getattr(self, "_params", {}))
        if args:
            params.update(args[0])
        params.update(kw)
        q._params = params
        return q

    def options(self, *args: Any) -> "Query":
        return self

    # -- the statement -----------------------------------------------------------------------

    @property
    def statement(self) -> Any:
        return self._statement

    def subquery(self, name: Optional[str] = None, **kw: Any) -> Any:
        return self._statement.subquery(name)

    def cte(self, name: Optional[str] = None, recursive: bool = False, **kw: Any) -> Any:
        return self._statement.cte(name, recursive=recursive)

    def scalar_subquery(self) -> Any:
        return self._statement.scalar_subquery()

    def exists(self) -> Any:
        return _sql().exists(self._statement)

    def __str__(self) -> str:
        return str(self._statement)

    @property
    def column_descriptions(self) -> list:
        out = []
        for entity in self._entities:
            mapper = getattr(entity, "__ormcore_mapper__", None)
            insp = None
            try:
                from ..inspection import inspect

                insp = inspect(entity, raiseerr=False)
            except Exception:
                insp = None
            if insp is not None and getattr(insp, "is_mapper", False):
                out.append({"name": insp.class_.__name__, "type": insp.class_, "aliased": False,
                            "expr": entity, "entity": insp.class_})
            else:
                name = getattr(entity, "key", None) or getattr(entity, "name", None)
                out.append({"name": name, "type": getattr(entity, "type", None),
                            "aliased": False, "expr": entity,
                            "entity": getattr(getattr(entity, "parent", None), "class_", None)})
        del mapper
        return out

    # -- fetching ----------------------------------------------------------------------------

    def _single_entity(self) -> bool:
        raws = self._statement._raw_columns
        return len(raws) == 1 and getattr(raws[0], "_is_orm_entity", False)

    def _execute(self) -> Any:
        return self.session.execute(
            self._statement, getattr(self, "_params", None),
            execution_options=self._execution_options or None)

    def _iter(self) -> Any:
        result = self._execute()
        if self._single_entity():
            return result.scalars()
        return result

    def __iter__(self) -> Iterator[Any]:
        return iter(self._iter())

    def all(self) -> list:
        return self._iter().all()

    def first(self) -> Any:
        statement = self._statement
        if statement._limit_clause is None or True:
            return self.limit(1)._iter().first()

    def one(self) -> Any:
        return self._iter().one()

    def one_or_none(self) -> Any:
        return self._iter().one_or_none()

    def scalar(self) -> Any:
        try:
            ret = self.one()
        except sa_exc.NoResultFound:
            return None
        if self._single_entity():
            return ret
        return ret[0]

    def get(self, ident: Any) -> Any:
        import warnings

        warnings.warn(
            "The Query.get() method is considered legacy as of the 1.x series of SQLAlchemy "
            "and becomes a legacy construct in 2.0. The method is now available as "
            "Session.get() (deprecated since: 2.0)", sa_exc.SADeprecationWarning, stacklevel=2)
        raws = self._statement._raw_columns
        return self.session.get(raws[0].mapper, ident,
                                populate_existing=bool(self._execution_options.get(
                                    "populate_existing")))

    def count(self) -> int:
        sql = _sql()
        stmt = sql.select(sql.func.count()).select_from(self._statement.subquery())
        return self.session.execute(stmt, getattr(self, "_params", None)).scalar()

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, slice):
            start, stop, step = item.start, item.stop, item.step
            if (start is not None and start < 0) or (stop is not None and stop < 0):
                raise IndexError(_NEGATIVE)
            if step is not None and step != 1:
                return list(self)[item]
            q = self
            if start:
                q = q.offset(start)
            if stop is not None:
                q = q.limit(stop - (start or 0))
            return q.all()
        if item < 0:
            raise IndexError(_NEGATIVE)
        found = self.offset(item).limit(1).all()
        if not found:
            raise IndexError("list index out of range")
        return found[0]

    # -- bulk UPDATE / DELETE (orm/bulk_persistence.py) -------------------------------------

    def _bulk_target(self) -> Any:
        raws = self._statement._raw_columns
        mapper = getattr(raws[0], "mapper", None) if raws else None
        if mapper is None:
            raise sa_exc.InvalidRequestError("Query.update()/delete() needs a mapped entity")
        return mapper

    def update(self, values: dict, synchronize_session: Any = "auto",
               update_args: Optional[dict] = None) -> int:
        """UPDATE the rows this Query matches; the number of rows matched."""
        by_key = {}
        for key, value in values.items():
            if not isinstance(key, str):
                key = getattr(key, "key", None) or key
            by_key[key] = value
        return update_matching(
            self.session, self._bulk_target(), self._statement._where_criteria, by_key,
            synchronize_session, getattr(self, "_params", None)).rowcount

    def delete(self, synchronize_session: Any = "auto", delete_args: Optional[dict] = None) -> int:
        """DELETE the rows this Query matches; the number of rows matched."""
        return delete_matching(
            self.session, self._bulk_target(), self._statement._where_criteria,
            synchronize_session, getattr(self, "_params", None)).rowcount
