"""scoped_session: one Session per scope (a thread, or whatever a scopefunc names).

`Session = scoped_session(sessionmaker(engine))` gives a registry; calling it returns the
current scope's Session, made on first use, and its methods and attributes are proxied to
that Session, so `Session.add(obj)` / `Session.commit()` work as in SQLAlchemy.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any
from typing import Callable
from typing import Optional

from .. import exc
from .session import Session

__all__ = ["QueryPropertyDescriptor", "ScopedRegistry", "ThreadLocalRegistry", "scoped_session"]


class ScopedRegistry:
    """An object per scope: `scopefunc()` names the scope, `createfunc()` makes the object."""

    def __init__(self, createfunc: Callable[[], Any], scopefunc: Callable[[], Any]) -> None:
        self.createfunc = createfunc
        self.scopefunc = scopefunc
        self.registry: dict = {}

    def __call__(self) -> Any:
        key = self.scopefunc()
        try:
            return self.registry[key]
        except KeyError:
            return self.registry.setdefault(key, self.createfunc())

    def has(self) -> bool:
        """Whether the current scope has its object already."""
        return self.scopefunc() in self.registry

    def set(self, obj: Any) -> None:
        self.registry[self.scopefunc()] = obj

    def clear(self) -> None:
        self.registry.pop(self.scopefunc(), None)


class ThreadLocalRegistry(ScopedRegistry):
    """A ScopedRegistry whose scope is the current thread (threading.local)."""

    def __init__(self, createfunc: Callable[[], Any]) -> None:
        self.createfunc = createfunc
        self.registry = threading.local()  # type: ignore[assignment]

    def __call__(self) -> Any:
        try:
            return self.registry.value
        except AttributeError:
            value = self.registry.value = self.createfunc()
            return value

    def has(self) -> bool:
        return hasattr(self.registry, "value")

    def set(self, obj: Any) -> None:
        self.registry.value = obj

    def clear(self) -> None:
        try:
            del self.registry.value
        except AttributeError:
            pass


class QueryPropertyDescriptor:
    """`MyClass.query`: a Query for the class in the current scope's Session."""

    def __init__(self, scoped: "scoped_session", query_cls: Optional[Callable]) -> None:
        self._scoped = scoped
        self._query_cls = query_cls

    def __get__(self, instance: Any, owner: type) -> Any:
        if self._query_cls is not None:
            return self._query_cls(owner, session=self._scoped.registry())
        return self._scoped.registry().query(owner)


class scoped_session:
    """A registry of Sessions, one per scope, that also stands for the current one."""

    def __init__(self, session_factory: Any, scopefunc: Optional[Callable[[], Any]] = None) -> None:
        self.session_factory = session_factory
        if scopefunc is not None:
            self.registry: ScopedRegistry = ScopedRegistry(session_factory, scopefunc)
        else:
            self.registry = ThreadLocalRegistry(session_factory)

    @property
    def _proxied(self) -> Session:
        return self.registry()

    def __call__(self, **kw: Any) -> Session:
        """The current scope's Session, made first if there is none; with keyword
        arguments, a new one made with them (an error when one exists already)."""
        if kw:
            if self.registry.has():
                raise exc.InvalidRequestError(
                    "Scoped session is already present; no new arguments may be specified."
                )
            session = self.session_factory(**kw)
            self.registry.set(session)
            return session
        return self.registry()

    def configure(self, **kwargs: Any) -> None:
        """sessionmaker.configure() on the factory (sessions made already are not changed)."""
        if self.registry.has():
            warnings.warn(
                "At least one scoped session is already present.  configure() can not affect "
                "sessions that have already been created.", exc.SAWarning, stacklevel=2,
            )
        self.session_factory.configure(**kwargs)

    def remove(self) -> None:
        """Close the current scope's Session and forget it; the next use makes a new one."""
        if self.registry.has():
            self.registry().close()
        self.registry.clear()

    def query_property(self, query_cls: Optional[Callable] = None) -> QueryPropertyDescriptor:
        """A class attribute giving `session.query(cls)` of the current scope's Session (or
        `query_cls(cls, session=...)`)."""
        return QueryPropertyDescriptor(self, query_cls)

    # the Session's class-level helpers
    @classmethod
    def close_all(cls) -> None:
        Session.close_all()

    @classmethod
    def object_session(cls, instance: object) -> Optional[Session]:
        return Session.object_session(instance)

    @classmethod
    def identity_key(cls, *args: Any, **kw: Any) -> Any:
        return Session.identity_key(*args, **kw)  # type: ignore[attr-defined]


# SQLAlchemy's proxied names: each forwards to the current scope's Session. They are all
# declared, so they appear as the Session grows (a method the Session lacks raises the
# Session's own AttributeError).
_PROXIED_METHODS = (
    "__contains__", "__iter__", "add", "add_all", "begin", "begin_nested", "close", "reset",
    "commit", "connection", "delete", "delete_all", "execute", "expire", "expire_all",
    "expunge", "expunge_all", "flush", "get", "get_one", "get_bind", "is_modified",
    "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings", "merge", "merge_all",
    "query", "refresh", "rollback", "scalar", "scalars",
)
_PROXIED_ATTRIBUTES = (
    "bind", "binds", "dirty", "deleted", "new", "identity_map", "is_active", "autoflush",
    "no_autoflush", "info", "execution_options",
)


def _proxy_method(name: str) -> Callable:
    def proxy(self: scoped_session, *args: Any, **kw: Any) -> Any:
        return getattr(self.registry(), name)(*args, **kw)

    proxy.__name__ = name
    proxy.__qualname__ = f"scoped_session.{name}"
    proxy.__doc__ = f"Session.{name}() of the current scope's Session."
    return proxy


def _proxy_attribute(name: str) -> property:
    def fget(self: scoped_session) -> Any:
        return getattr(self.registry(), name)

    def fset(self: scoped_session, value: Any) -> None:
        setattr(self.registry(), name, value)

    return property(fget, fset, doc=f"Session.{name} of the current scope's Session.")


for _name in _PROXIED_METHODS:
    setattr(scoped_session, _name, _proxy_method(_name))
for _name in _PROXIED_ATTRIBUTES:
    setattr(scoped_session, _name, _proxy_attribute(_name))
del _name
