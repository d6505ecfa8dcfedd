"""Schema objects and DDL at the path SQLAlchemy users import them from (`sqlalchemy.schema`).

A facade: the classes live in sql/schema.py (tables, columns, constraints) and sql/ddl.py
(DDL statements and table ordering).
"""

from __future__ import annotations

from .sql.ddl import DDL
from .sql.ddl import AddConstraint
from .sql.ddl import CreateColumn
from .sql.ddl import CreateIndex
from .sql.ddl import CreateSchema
from .sql.ddl import CreateSequence
from .sql.ddl import CreateTable
from .sql.ddl import DropColumnComment
from .sql.ddl import DropConstraint
from .sql.ddl import DropIndex
from .sql.ddl import DropSchema
from .sql.ddl import DropSequence
from .sql.ddl import DropTable
from .sql.ddl import DropTableComment
from .sql.ddl import ExecutableDDLElement
from .sql.ddl import SetColumnComment
from .sql.ddl import SetTableComment
from .sql.ddl import sort_tables
from .sql.ddl import sort_tables_and_constraints
from .sql.identifiers import conv
from .sql.schema import BLANK_SCHEMA
from .sql.schema import CheckConstraint
from .sql.schema import Column
from .sql.schema import ColumnCollectionConstraint
from .sql.schema import ColumnDefault
from .sql.schema import Computed
from .sql.schema import Constraint
from .sql.schema import DefaultClause
from .sql.schema import DefaultGenerator
from .sql.schema import FetchedValue
from .sql.schema import ForeignKey
from .sql.schema import ForeignKeyConstraint
from .sql.schema import Identity
from .sql.schema import Index
from .sql.schema import MetaData
from .sql.schema import PrimaryKeyConstraint
from .sql.schema import SchemaItem
from .sql.schema import Sequence
from .sql.schema import Table
from .sql.schema import UniqueConstraint

#: The old name of ExecutableDDLElement.
DDLElement = ExecutableDDLElement

__all__ = [
    "AddConstraint", "BLANK_SCHEMA", "CheckConstraint", "Column", "ColumnCollectionConstraint",
    "ColumnDefault", "Computed", "Constraint", "CreateColumn", "CreateIndex", "CreateSchema",
    "CreateSequence", "CreateTable", "DDL", "DDLElement", "DefaultClause", "DefaultGenerator",
    "DropColumnComment", "DropConstraint", "DropIndex", "DropSchema", "DropSequence",
    "DropTable", "DropTableComment", "ExecutableDDLElement", "FetchedValue", "ForeignKey",
    "ForeignKeyConstraint", "Identity", "Index", "MetaData", "PrimaryKeyConstraint",
    "SchemaItem", "Sequence", "SetColumnComment", "SetTableComment", "Table",
    "UniqueConstraint", "conv", "sort_tables", "sort_tables_and_constraints",
]
