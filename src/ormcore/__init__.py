"""ormcore: a faster, drop-in replacement for SQLAlchemy 2.x's ORM.

The top-level names are SQLAlchemy's (create_engine, text, MetaData, Table, Column, types, ...),
so that `import sqlalchemy` -> `import ormcore` is the whole port.
"""

from __future__ import annotations

from . import event
from . import exc
from . import pool
from . import schema
from . import types
from ._core import has_speedups
from .inspection import inspect
from .engine import Connection
from .engine import CursorResult
from .engine import Engine
from .engine import MappingResult
from .engine import Result
from .engine import Row
from .engine import RowMapping
from .engine import ScalarResult
from .engine import create_engine
from .engine import make_url
from .engine.url import URL
from .sql.dml import Delete
from .sql.dml import Insert
from .sql.dml import Update
from .sql.dml import delete
from .sql.dml import insert
from .sql.dml import update
from .sql.elements import BinaryExpression
from .sql.elements import BindParameter
from .sql.elements import BooleanClauseList
from .sql.elements import Case
from .sql.elements import Cast
from .sql.elements import ClauseElement
from .sql.elements import ClauseList
from .sql.elements import CollectionAggregate
from .sql.elements import ColumnClause
from .sql.elements import ColumnElement
from .sql.elements import Extract
from .sql.elements import False_
from .sql.elements import FunctionFilter
from .sql.elements import Label
from .sql.elements import Null
from .sql.elements import Over
from .sql.elements import TextClause
from .sql.elements import True_
from .sql.elements import Tuple
from .sql.elements import TypeClause
from .sql.elements import TypeCoerce
from .sql.elements import UnaryExpression
from .sql.elements import WithinGroup
from .sql.elements import all_
from .sql.elements import and_
from .sql.elements import any_
from .sql.elements import asc
from .sql.elements import between
from .sql.elements import bindparam
from .sql.elements import bitwise_not
from .sql.elements import case
from .sql.elements import cast
from .sql.elements import collate
from .sql.elements import column
from .sql.elements import desc
from .sql.elements import distinct
from .sql.elements import extract
from .sql.elements import false
from .sql.elements import funcfilter
from .sql.elements import label
from .sql.elements import literal
from .sql.elements import literal_column
from .sql.elements import not_
from .sql.elements import null
from .sql.elements import nulls_first
from .sql.elements import nulls_last
from .sql.elements import nullsfirst
from .sql.elements import nullslast
from .sql.elements import or_
from .sql.elements import over
from .sql.elements import text
from .sql.elements import true
from .sql.elements import try_cast
from .sql.elements import tuple_
from .sql.elements import type_coerce
from .sql.elements import within_group
from .sql.functions import Function
from .sql.functions import FunctionElement
from .sql.functions import func
from .sql.functions import modifier
from .sql.operators import ColumnOperators
from .sql.operators import Operators
from .sql.operators import custom_op
from .sql.identifiers import quoted_name
from .sql.selectable import Alias
from .sql.selectable import AliasedReturnsRows
from .sql.selectable import CTE
from .sql.selectable import CompoundSelect
from .sql.selectable import Exists
from .sql.selectable import FromClause
from .sql.selectable import Join
from .sql.selectable import LABEL_STYLE_DEFAULT
from .sql.selectable import LABEL_STYLE_DISAMBIGUATE_ONLY
from .sql.selectable import LABEL_STYLE_NONE
from .sql.selectable import LABEL_STYLE_TABLENAME_PLUS_COL
from .sql.selectable import Lateral
from .sql.selectable import ReturnsRows
from .sql.selectable import ScalarSelect
from .sql.selectable import Select
from .sql.selectable import SelectBase
from .sql.selectable import SelectLabelStyle
from .sql.selectable import Selectable
from .sql.selectable import Subquery
from .sql.selectable import TableClause
from .sql.selectable import alias
from .sql.selectable import cte
from .sql.selectable import except_
from .sql.selectable import except_all
from .sql.selectable import exists
from .sql.selectable import intersect
from .sql.selectable import intersect_all
from .sql.selectable import join
from .sql.selectable import lateral
from .sql.selectable import outerjoin
from .sql.selectable import select
from .sql.selectable import table
from .sql.selectable import union
from .sql.selectable import union_all
from .schema import BLANK_SCHEMA
from .schema import CheckConstraint
from .schema import Column
from .schema import ColumnDefault
from .schema import Computed
from .schema import Constraint
from .schema import DDL
from .schema import DefaultClause
from .schema import FetchedValue
from .schema import ForeignKey
from .schema import ForeignKeyConstraint
from .schema import Identity
from .schema import Index
from .schema import MetaData
from .schema import PrimaryKeyConstraint
from .schema import Sequence
from .schema import Table
from .schema import UniqueConstraint
from .types import ARRAY
from .types import BIGINT
from .types import BINARY
from .types import BLOB
from .types import BOOLEAN
from .types import BigInteger
from .types import Boolean
from .types import CHAR
from .types import CLOB
from .types import DATE
from .types import DATETIME
from .types import DECIMAL
from .types import DOUBLE
from .types import DOUBLE_PRECISION
from .types import Date
from .types import DateTime
from .types import Double
from .types import Enum
from .types import FLOAT
from .types import Float
from .types import INT
from .types import INTEGER
from .types import Integer
from .types import Interval
from .types import JSON
from .types import LargeBinary
from .types import NCHAR
from .types import NUMERIC
from .types import NVARCHAR
from .types import NullType
from .types import Numeric
from .types import PickleType
from .types import REAL
from .types import SMALLINT
from .types import SmallInteger
from .types import String
from .types import TEXT
from .types import TIME
from .types import TIMESTAMP
from .types import Text
from .types import Time
from .types import TypeDecorator
from .types import TypeEngine
from .types import UUID
from .types import Unicode
from .types import UnicodeText
from .types import UserDefinedType
from .types import Uuid
from .types import VARBINARY
from .types import VARCHAR

__version__ = "0.1.0"

__all__ = [
    "inspect",
    "ARRAY",
    "Alias",
    "AliasedReturnsRows",
    "BIGINT",
    "BINARY",
    "BLANK_SCHEMA",
    "BLOB",
    "BOOLEAN",
    "BigInteger",
    "BinaryExpression",
    "BindParameter",
    "Boolean",
    "BooleanClauseList",
    "CHAR",
    "CLOB",
    "CTE",
    "Case",
    "Cast",
    "CheckConstraint",
    "ClauseElement",
    "ClauseList",
    "CollectionAggregate",
    "Column",
    "ColumnClause",
    "ColumnDefault",
    "ColumnElement",
    "ColumnOperators",
    "CompoundSelect",
    "Computed",
    "Connection",
    "Constraint",
    "CursorResult",
    "DATE",
    "DATETIME",
    "DDL",
    "DECIMAL",
    "DOUBLE",
    "DOUBLE_PRECISION",
    "Date",
    "DateTime",
    "DefaultClause",
    "Delete",
    "Double",
    "Engine",
    "Enum",
    "Exists",
    "Extract",
    "FLOAT",
    "False_",
    "FetchedValue",
    "Float",
    "ForeignKey",
    "ForeignKeyConstraint",
    "FromClause",
    "Function",
    "FunctionElement",
    "FunctionFilter",
    "INT",
    "INTEGER",
    "Identity",
    "Index",
    "Insert",
    "Integer",
    "Interval",
    "JSON",
    "Join",
    "LABEL_STYLE_DEFAULT",
    "LABEL_STYLE_DISAMBIGUATE_ONLY",
    "LABEL_STYLE_NONE",
    "LABEL_STYLE_TABLENAME_PLUS_COL",
    "Label",
    "LargeBinary",
    "Lateral",
    "MappingResult",
    "MetaData",
    "NCHAR",
    "NUMERIC",
    "NVARCHAR",
    "Null",
    "NullType",
    "Numeric",
    "Operators",
    "Over",
    "PickleType",
    "PrimaryKeyConstraint",
    "REAL",
    "Result",
    "ReturnsRows",
    "Row",
    "RowMapping",
    "SMALLINT",
    "ScalarResult",
    "ScalarSelect",
    "Select",
    "SelectBase",
    "SelectLabelStyle",
    "Selectable",
    "Sequence",
    "SmallInteger",
    "String",
    "Subquery",
    "TEXT",
    "TIME",
    "TIMESTAMP",
    "Table",
    "TableClause",
    "Text",
    "TextClause",
    "Time",
    "True_",
    "Tuple",
    "TypeClause",
    "TypeCoerce",
    "TypeDecorator",
    "TypeEngine",
    "URL",
    "UUID",
    "UnaryExpression",
    "Unicode",
    "UnicodeText",
    "UniqueConstraint",
    "Update",
    "UserDefinedType",
    "Uuid",
    "VARBINARY",
    "VARCHAR",
    "WithinGroup",
    "alias",
    "all_",
    "and_",
    "any_",
    "asc",
    "between",
    "bindparam",
    "bitwise_not",
    "case",
    "cast",
    "collate",
    "column",
    "create_engine",
    "cte",
    "custom_op",
    "delete",
    "desc",
    "distinct",
    "event",
    "exc",
    "except_",
    "except_all",
    "exists",
    "extract",
    "false",
    "func",
    "funcfilter",
    "has_speedups",
    "insert",
    "intersect",
    "intersect_all",
    "join",
    "label",
    "lateral",
    "literal",
    "literal_column",
    "make_url",
    "modifier",
    "not_",
    "null",
    "nulls_first",
    "nulls_last",
    "nullsfirst",
    "nullslast",
    "or_",
    "outerjoin",
    "over",
    "pool",
    "quoted_name",
    "schema",
    "select",
    "table",
    "text",
    "true",
    "try_cast",
    "tuple_",
    "type_coerce",
    "types",
    "union",
    "union_all",
    "update",
    "within_group",
]
