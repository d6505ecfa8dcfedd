"""SQLite's INSERT .. ON CONFLICT (upsert): `ormcore.dialects.sqlite.insert`.

    stmt = insert(t).values(id=1, name="x")
    stmt = stmt.on_conflict_do_update(index_elements=[t.c.id], set_={"name": stmt.excluded.name})

Several ON CONFLICT clauses may follow one another, each with its own target; one without a
target must be the last.
"""

from __future__ import annotations

from typing import Any

from ... import exc
from ...sql.base import _generative
from .._on_conflict import DialectInsert
from .._on_conflict import _typed_for
from .._on_conflict import OnConflictClauses
from .._on_conflict import OnConflictDoNothing as _OnConflictDoNothing
from .._on_conflict import OnConflictDoUpdate as _OnConflictDoUpdate

__all__ = ["Insert", "OnConflictDoNothing", "OnConflictDoUpdate", "insert"]


class OnConflictDoNothing(_OnConflictDoNothing):
    """ON CONFLICT [(columns) [WHERE ...]] DO NOTHING."""

    stringify_dialect = "sqlite"

    def __init__(self, index_elements: Any = None, index_where: Any = None) -> None:
        super().__init__(None, index_elements, index_where)


class OnConflictDoUpdate(_OnConflictDoUpdate):
    """ON CONFLICT (columns) [WHERE ...] DO UPDATE SET ... [WHERE ...]."""

    stringify_dialect = "sqlite"

    def __init__(self, index_elements: Any = None, index_where: Any = None, set_: Any = None,
                 where: Any = None) -> None:
        super().__init__(None, index_elements, index_where, set_, where)


class Insert(DialectInsert):
    """SQLite's INSERT, with on_conflict_do_nothing() and on_conflict_do_update()."""

    stringify_dialect = "sqlite"

    @_generative
    def on_conflict_do_update(
        self, index_elements: Any = None, index_where: Any = None, set_: Any = None,
        where: Any = None,
    ) -> None:
        """ON CONFLICT (index_elements) [WHERE index_where] DO UPDATE SET set_ [WHERE where]."""
        self._append_on_conflict(
            _typed_for(OnConflictDoUpdate(index_elements, index_where, set_, where), self.table)
        )

    @_generative
    def on_conflict_do_nothing(self, index_elements: Any = None, index_where: Any = None) -> None:
        """ON CONFLICT [(index_elements) [WHERE index_where]] DO NOTHING."""
        self._append_on_conflict(OnConflictDoNothing(index_elements, index_where))

    def _append_on_conflict(self, clause: Any) -> None:
        existing = self._post_values_clause
        clauses = list(existing.clauses) if existing is not None else []
        if clauses and clauses[-1].inferred_target_elements is None:
            raise exc.InvalidRequestError(
                "This Insert construct already has an ON CONFLICT clause that omits a conflict "
                "target; such a clause must be the last ON CONFLICT clause in the statement"
            )
        clauses.append(clause)
        self._post_values_clause = OnConflictClauses(clauses)


def insert(table: Any) -> Insert:
    """A SQLite INSERT into `table`: insert() plus ON CONFLICT."""
    return Insert(table)
