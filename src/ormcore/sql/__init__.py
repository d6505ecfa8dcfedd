"""The SQL layer: schema objects, types, expressions and their compilation. No I/O here."""

from __future__ import annotations

from .elements import BindParameter
from .elements import ClauseElement
from .elements import ColumnClause
from .elements import ColumnElement
from .elements import TextClause
from .elements import TextualSelect
from .elements import bindparam
from .elements import column
from .elements import literal_column
from .elements import text

__all__ = [
    "BindParameter", "ClauseElement", "ColumnClause", "ColumnElement", "TextClause",
    "TextualSelect", "bindparam", "column", "literal_column", "text",
]
