"""`ormcore.sql.expression`: the expression language's public names in one place.

SQLAlchemy users import constructs from `sqlalchemy.sql.expression`; this facade gives them
the same path. The code lives in elements.py, functions.py, operators.py (expressions),
selectable.py (SELECT and FROM clauses) and dml.py (INSERT/UPDATE/DELETE); each of those
lists its public names in `__all__`, which this module re-exports.
"""

from __future__ import annotations

from . import dml as _dml
from . import selectable as _selectable
from .elements import BinaryExpression
from .elements import BindParameter
from .elements import BooleanClauseList
from .elements import Case
from .elements import Cast
from .elements import ClauseElement
from .elements import ClauseList
from .elements import CollectionAggregate
from .elements import ColumnClause
from .elements import ColumnElement
from .elements import Extract
from .elements import False_
from .elements import FunctionFilter
from .elements import Grouping
from .elements import Label
from .elements import Null
from .elements import Over
from .elements import TextClause
from .elements import True_
from .elements import TryCast
from .elements import Tuple
from .elements import TypeClause
from .elements import TypeCoerce
from .elements import UnaryExpression
from .elements import WithinGroup
from .elements import all_
from .elements import and_
from .elements import any_
from .elements import asc
from .elements import between
from .elements import bindparam
from .elements import bitwise_not
from .elements import case
from .elements import cast
from .elements import collate
from .elements import column
from .elements import desc
from .elements import distinct
from .elements import extract
from .elements import false
from .elements import funcfilter
from .elements import label
from .elements import literal
from .elements import literal_column
from .elements import not_
from .elements import null
from .elements import nulls_first
from .elements import nulls_last
from .elements import nullsfirst
from .elements import nullslast
from .elements import or_
from .elements import over
from .elements import text
from .elements import true
from .elements import try_cast
from .elements import tuple_
from .elements import type_coerce
from .elements import within_group
from .functions import Function
from .functions import FunctionElement
from .functions import func
from .functions import modifier
from .operators import ColumnOperators
from .operators import Operators
from .operators import custom_op

_own = [name for name in dir() if not name.startswith("_") and name != "annotations"]

globals().update({name: getattr(_selectable, name) for name in _selectable.__all__})
globals().update({name: getattr(_dml, name) for name in _dml.__all__})

__all__ = sorted(set(_own) | set(_selectable.__all__) | set(_dml.__all__))
