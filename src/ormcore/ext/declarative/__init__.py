"""The legacy location of declarative_base() (sqlalchemy.ext.declarative): the functions
here warn MovedIn20Warning, as SQLAlchemy's do, and return what ormcore.orm's return."""

from __future__ import annotations

import warnings
from typing import Any

from ... import exc
from ...orm.decl_api import DeclarativeMeta
from ...orm.decl_api import as_declarative as _as_declarative
from ...orm.decl_api import declarative_base as _declarative_base
from ...orm.decl_api import declared_attr
from ...orm.decl_api import has_inherited_table as _has_inherited_table
from ...orm.decl_api import synonym_for as _synonym_for


def _moved(name: str) -> None:
    warnings.warn(
        f"The ``{name}()`` function is now available as sqlalchemy.orm.{name}(). "
        "(deprecated since: 2.0) (Background on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)",
        exc.MovedIn20Warning,
        stacklevel=3,
    )


def declarative_base(**kw: Any) -> Any:
    """Deprecated location of ormcore.orm.declarative_base()."""
    _moved("declarative_base")
    return _declarative_base(**kw)


def as_declarative(**kw: Any) -> Any:
    """Deprecated location of ormcore.orm.as_declarative()."""
    _moved("as_declarative")
    return _as_declarative(**kw)


def has_inherited_table(cls: type) -> bool:
    """Deprecated location of ormcore.orm.has_inherited_table()."""
    _moved("has_inherited_table")
    return _has_inherited_table(cls)


def synonym_for(name: str, map_column: bool = False) -> Any:
    """Deprecated location of ormcore.orm.synonym_for()."""
    _moved("synonym_for")
    return _synonym_for(name, map_column=map_column)


__all__ = [
    "DeclarativeMeta",
    "as_declarative",
    "declarative_base",
    "declared_attr",
    "has_inherited_table",
    "synonym_for",
]
