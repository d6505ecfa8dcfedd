"""The SQL layer: schema objects, types, expressions and their compilation. No I/O here.

`ormcore.sql` offers the expression language's public names, as `sqlalchemy.sql` does; they
are listed once, in sql/expression.py.
"""

from __future__ import annotations

from . import expression as _expression
from .expression import *  # noqa: F401,F403 - the names expression.__all__ lists

__all__ = list(_expression.__all__)
