"""ormcore.orm: the ORM's public names, as sqlalchemy.orm's.

Mapping (declarative, imperative, Mapped / mapped_column, properties), instrumentation and
inspection live in this package's modules; the Session and its unit of work join them here.
Keep one import per line.
"""

from __future__ import annotations

from . import exc
from .attributes import InstrumentedAttribute
from .attributes import QueryableAttribute
from .attributes import flag_dirty
from .attributes import flag_modified
from .attributes import get_history
from .attributes import set_committed_value
from .base import DynamicMapped
from .base import Mapped
from .base import NO_VALUE
from .base import WriteOnlyMapped
from .base import class_mapper
from .base import object_mapper
from .decl_api import DeclarativeBase
from .decl_api import DeclarativeBaseNoMeta
from .decl_api import DeclarativeMeta
from .decl_api import as_declarative
from .decl_api import declarative_base
from .decl_api import declared_attr
from .decl_api import has_inherited_table
from .decl_api import registry
from .decl_api import synonym_for
from .instrumentation import ClassManager
from .mapper import Mapper
from .mapper import configure_mappers
from .properties import ColumnProperty
from .properties import MappedColumn
from .properties import MappedSQLExpression
from .properties import MapperProperty
from .properties import SynonymProperty
from .properties import column_property
from .properties import deferred
from .properties import mapped_column
from .properties import synonym
from . import loading as _loading  # noqa: F401  (installs Select.from_statement)
from .query import Query
from .scoping import QueryPropertyDescriptor
from .scoping import scoped_session
from .session import Session
from .session import SessionEvents
from .session import SessionTransaction
from .session import SessionTransactionOrigin
from .session import SessionTransactionState
from .session import close_all_sessions
from .session import make_transient
from .session import make_transient_to_detached
from .session import object_session
from .session import sessionmaker
from .state import AttributeState
from .state import InstanceState
from .._core import History

__all__ = [
    "QueryPropertyDescriptor",
    "scoped_session",
    "Query",
    "Session",
    "SessionEvents",
    "SessionTransaction",
    "SessionTransactionOrigin",
    "SessionTransactionState",
    "close_all_sessions",
    "make_transient",
    "make_transient_to_detached",
    "object_session",
    "sessionmaker",
    "AttributeState",
    "ClassManager",
    "ColumnProperty",
    "DeclarativeBase",
    "DeclarativeBaseNoMeta",
    "DeclarativeMeta",
    "DynamicMapped",
    "History",
    "InstanceState",
    "InstrumentedAttribute",
    "Mapped",
    "MappedColumn",
    "MappedSQLExpression",
    "Mapper",
    "MapperProperty",
    "NO_VALUE",
    "QueryableAttribute",
    "SynonymProperty",
    "WriteOnlyMapped",
    "as_declarative",
    "class_mapper",
    "clear_mappers",
    "column_property",
    "configure_mappers",
    "declarative_base",
    "declared_attr",
    "deferred",
    "exc",
    "flag_dirty",
    "flag_modified",
    "get_history",
    "has_inherited_table",
    "mapped_column",
    "object_mapper",
    "registry",
    "set_committed_value",
    "synonym",
    "synonym_for",
]


def clear_mappers() -> None:
    """Remove every mapper from every class (tests)."""
    from .mapper import _mapper_registry

    for mapper in list(_mapper_registry):
        mapper.dispose()
