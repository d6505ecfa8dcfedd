"""Compiling SELECT statements and FROM clauses: a part of SQLCompiler (sql/compiler.py).

SQLCompiler inherits SelectCompiler; the visit_* methods here render select(), tables, joins,
aliases, subqueries, CTEs and compound selects.
"""

from __future__ import annotations


class SelectCompiler:
    """The SELECT half of SQLCompiler."""
