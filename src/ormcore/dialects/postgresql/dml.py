"""PostgreSQL's INSERT .. ON CONFLICT: `ormcore.dialects.postgresql.insert`.

    stmt = insert(t).values(id=1, name="x")
    stmt = stmt.on_conflict_do_update(index_elements=[t.c.id], set_={"name": stmt.excluded.name})
"""

from __future__ import annotations

from typing import Any

from ... import exc
from ...sql.base import _generative
from .._on_conflict import DialectInsert
from .._on_conflict import _typed_for
from .._on_conflict import OnConflictDoNothing as _OnConflictDoNothing
from .._on_conflict import OnConflictDoUpdate as _OnConflictDoUpdate

__all__ = ["Insert", "OnConflictDoNothing", "OnConflictDoUpdate", "insert"]


class OnConflictDoNothing(_OnConflictDoNothing):
    """ON CONFLICT [ON CONSTRAINT name | (columns) [WHERE ...]] DO NOTHING."""

    stringify_dialect = "postgresql"


class OnConflictDoUpdate(_OnConflictDoUpdate):
    """ON CONFLICT (ON CONSTRAINT name | (columns) [WHERE ...]) DO UPDATE SET ... [WHERE ...]."""

    stringify_dialect = "postgresql"


class Insert(DialectInsert):
    """PostgreSQL's INSERT, with on_conflict_do_nothing() and on_conflict_do_update()."""

    stringify_dialect = "postgresql"

    @_generative
    def on_conflict_do_update(
        self,
        constraint: Any = None,
        index_elements: Any = None,
        index_where: Any = None,
        set_: Any = None,
        where: Any = None,
    ) -> None:
        """ON CONFLICT target DO UPDATE SET set_ [WHERE where]; the target is a constraint
        (its name or the object) or the columns of a unique index (index_elements, with
        index_where for a partial index)."""
        self._check_no_on_conflict()
        self._post_values_clause = _typed_for(
            OnConflictDoUpdate(constraint, index_elements, index_where, set_, where), self.table
        )

    @_generative
    def on_conflict_do_nothing(
        self, constraint: Any = None, index_elements: Any = None, index_where: Any = None
    ) -> None:
        """ON CONFLICT [target] DO NOTHING."""
        self._check_no_on_conflict()
        self._post_values_clause = OnConflictDoNothing(constraint, index_elements, index_where)

    def _check_no_on_conflict(self) -> None:
        if self._post_values_clause is not None:
            raise exc.InvalidRequestError(
                "This Insert construct already has an ON CONFLICT clause established"
            )


def insert(table: Any) -> Insert:
    """A PostgreSQL INSERT into `table`: insert() plus ON CONFLICT."""
    return Insert(table)
