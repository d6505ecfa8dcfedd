"""Compiling INSERT, UPDATE and DELETE: a part of SQLCompiler (sql/compiler.py).

SQLCompiler inherits DMLCompiler; the visit_* methods here render the DML statements, using
sql/crud.py to decide which columns and parameters each statement carries.
"""

from __future__ import annotations


class DMLCompiler:
    """The DML half of SQLCompiler."""
