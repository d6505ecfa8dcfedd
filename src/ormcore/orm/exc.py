"""The ORM's exceptions, named and worded as sqlalchemy.orm.exc.

Raised by the mapping layer (unmapped classes and instances), instrumentation (detached
instances whose attributes cannot load) and the Session's unit of work (flush and stale-data
errors). NoResultFound / MultipleResultsFound are re-exported from ormcore.exc, as there.
"""

from __future__ import annotations

from typing import Any
from typing import Optional

from .. import exc as sa_exc
from ..exc import MultipleResultsFound  # noqa: F401 - re-exported, as sqlalchemy.orm.exc
from ..exc import NoResultFound  # noqa: F401 - re-exported, as sqlalchemy.orm.exc

NO_STATE = (AttributeError, KeyError)
"""Exception types that may be raised by instrumentation implementations."""


class StaleDataError(sa_exc.SQLAlchemyError):
    """An operation met database state it did not account for (an UPDATE or DELETE matched
    an unexpected number of rows, a version_id_col mismatch)."""


ConcurrentModificationError = StaleDataError


class FlushError(sa_exc.SQLAlchemyError):
    """A invalid condition was detected during flush()."""


class MappedAnnotationError(sa_exc.ArgumentError):
    """Annotated declarative cannot interpret the expression inside `Mapped[...]`."""


class UnmappedError(sa_exc.InvalidRequestError):
    """Base for exceptions that involve expected mappings not present."""


class ObjectDereferencedError(sa_exc.SQLAlchemyError):
    """An operation cannot complete due to an object being garbage collected."""


class DetachedInstanceError(sa_exc.SQLAlchemyError):
    """An attempt to access unloaded attributes on a mapped instance that is detached."""

    code = "bhk3"


class UnmappedInstanceError(UnmappedError):
    """A mapping operation was requested for an unknown instance."""

    def __init__(self, obj: object, msg: Optional[str] = None) -> None:
        if not msg:
            from .base import class_mapper

            try:
                class_mapper(type(obj))
                name = _safe_cls_name(type(obj))
                msg = (
                    "Class %r is mapped, but this instance lacks instrumentation.  This "
                    "occurs when the instance is created before sqlalchemy.orm.mapper(%s) "
                    "was called." % (name, name)
                )
            except UnmappedClassError:
                msg = f"Class '{_safe_cls_name(type(obj))}' is not mapped"
                if isinstance(obj, type):
                    msg += (
                        "; was a class (%s) supplied where an instance was required?"
                        % _safe_cls_name(obj)
                    )
        UnmappedError.__init__(self, msg)

    def __reduce__(self) -> Any:
        return self.__class__, (None, self.args[0])


class UnmappedClassError(UnmappedError):
    """A mapping operation was requested for an unknown class."""

    def __init__(self, cls: Any, msg: Optional[str] = None) -> None:
        if not msg:
            msg = f"Class '{_safe_cls_name(cls)}' is not mapped"
        UnmappedError.__init__(self, msg)

    def __reduce__(self) -> Any:
        return self.__class__, (None, self.args[0])


class ObjectDeletedError(sa_exc.InvalidRequestError):
    """A refresh found no row for a persistent object's primary key."""

    def __init__(self, state: Any, msg: Optional[str] = None) -> None:
        if not msg:
            from .base import state_str

            msg = (
                "Instance '%s' has been deleted, or its row is otherwise not present."
                % state_str(state)
            )
        sa_exc.InvalidRequestError.__init__(self, msg)

    def __reduce__(self) -> Any:
        return self.__class__, (None, self.args[0])


class UnmappedColumnError(sa_exc.InvalidRequestError):
    """Mapping operation was requested on an unknown column."""


class LoaderStrategyException(sa_exc.InvalidRequestError):
    """A loader strategy for an attribute does not exist."""

    def __init__(
        self,
        applied_to_property_type: Any,
        requesting_property: Any,
        applies_to: Any,
        actual_strategy_type: Any,
        strategy_key: tuple,
    ) -> None:
        if actual_strategy_type is None:
            msg = "Can't find strategy %s for %s" % (strategy_key, requesting_property)
        else:
            msg = (
                'Can\'t apply "%s" strategy to property "%s", which is a "%s"; this loader '
                'strategy is intended to be used with a "%s".'
                % (
                    _plain_name(actual_strategy_type),
                    requesting_property,
                    _plain_name(applied_to_property_type),
                    _plain_name(applies_to),
                )
            )
        sa_exc.InvalidRequestError.__init__(self, msg)


def _plain_name(cls: Any) -> str:
    name = getattr(cls, "__name__", str(cls))
    out = "".join(" " + c.lower() if c.isupper() else c for c in name).strip()
    return out


def _safe_cls_name(cls: Any) -> str:
    try:
        return ".".join((cls.__module__, cls.__name__))
    except AttributeError:
        name = getattr(cls, "__name__", None)
        return repr(cls) if name is None else name


__all__ = [
    "ConcurrentModificationError",
    "DetachedInstanceError",
    "FlushError",
    "LoaderStrategyException",
    "MappedAnnotationError",
    "MultipleResultsFound",
    "NO_STATE",
    "NoResultFound",
    "ObjectDeletedError",
    "ObjectDereferencedError",
    "StaleDataError",
    "UnmappedClassError",
    "UnmappedColumnError",
    "UnmappedError",
    "UnmappedInstanceError",
]
