"""Listener storage and dispatch for every event target.

A target owns a `Dispatch`; firing an event is an attribute read that yields a tuple of
listeners (empty when none), cached on the Dispatch and rebuilt only after listen() or
remove() changes something. Hot paths therefore pay one attribute read and a truth test.
Listeners registered on a class apply to every instance of it and of its subclasses.
"""

from __future__ import annotations

import types
import weakref
from typing import Any
from typing import Callable
from typing import ClassVar
from typing import Optional

from .. import exc

# A registration is (key, callable fired). The key is (id of the target given to listen(),
# identity of the function), as SQLAlchemy keys them: remove() and contains() must name the
# same target and function that listen() did, and listening twice with both the same is a
# no-op. A bound method is identified by its function and instance, not by the (new each
# time) method object.
_Entry = tuple[tuple, Callable]

# (owner class, identifier) -> registrations, for class-level listeners
_class_listeners: dict[tuple[type, str], list[_Entry]] = {}
# every live Dispatch, so that a change can drop the tuples they cached
_all_dispatches: "weakref.WeakSet[Dispatch]" = weakref.WeakSet()
# identifier -> Events classes declaring it
_events_by_name: dict[str, list[type["Events"]]] = {}


class Events:
    """Declares the events of one kind of target. Subclasses define one method per event,
    whose name is the identifier and whose signature documents the listener's arguments."""

    _target_class: ClassVar[type]
    #: event -> positions of the listener arguments that a listener registered without
    #: retval=True hands on unchanged (a listener with retval=True returns replacements)
    _retval_events: ClassVar[dict[str, tuple[int, ...]]] = {}
    #: whether listen(insert=True) puts the listener first (see ConnectionEvents)
    _honors_insert: ClassVar[bool] = True
    _event_names: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        names = frozenset(
            name for name, value in vars(cls).items()
            if not name.startswith("_") and callable(value)
        )
        cls._event_names = names
        for name in names:
            _events_by_name.setdefault(name, []).append(cls)

    @classmethod
    def _accept_with(cls, target: Any, identifier: str) -> Any:
        """The object that really carries the listener, or None if `target` is not ours."""
        if isinstance(target, type):
            return target if issubclass(target, cls._target_class) else None
        return target if isinstance(target, cls._target_class) else None

    @classmethod
    def _dispatch_of(cls, target: Any) -> "Dispatch":
        """The instance's own Dispatch, made private first if it is shared with a parent."""
        return target.dispatch

    @classmethod
    def _wrap(cls, identifier: str, fn: Callable, retval: bool, named: bool, once: bool) -> Callable:
        """The callable fired for `fn`: keyword arguments if named, only the first time if
        once, and passing its arguments on where the event expects a return value but the
        listener was not registered with retval=True (SQLAlchemy's order of wrappers)."""
        call = fn
        if named:
            argnames = _argument_names(getattr(cls, identifier))

            def call(*args: Any, _fn: Callable = fn) -> Any:
                return _fn(**dict(zip(argnames, args)))

        if once:
            call = _only_once(call)
        passed_on = cls._retval_events.get(identifier)
        if passed_on is not None and not retval:
            inner = call
            if len(passed_on) == 2:
                first, second = passed_on

                def call(*args: Any, _fn: Callable = inner) -> Any:
                    _fn(*args)
                    return args[first], args[second]
            else:

                def call(*args: Any, _fn: Callable = inner) -> Any:
                    _fn(*args)
                    return tuple([args[i] for i in passed_on])

        return call


def _argument_names(method: Callable) -> list[str]:
    code = method.__code__
    return list(code.co_varnames[1:code.co_argcount])


class Dispatch:
    """The listeners of one target instance. `dispatch.<event>` is a tuple of callables."""

    def __init__(self, owner: type, parent: Optional["Dispatch"] = None):
        self._owner = owner
        self._parent = parent
        self._own: dict[str, list[_Entry]] = {}
        _all_dispatches.add(self)

    def _child(self) -> "Dispatch":
        """A Dispatch that fires its own listeners, then this one's (a connection's, on top of
        its engine's: SQLAlchemy's joined dispatch runs the connection's first)."""
        return Dispatch(self._owner, parent=self)

    def __getattr__(self, identifier: str) -> tuple:
        if identifier.startswith("_"):
            raise AttributeError(identifier)
        fns = self._collect(identifier)
        self.__dict__[identifier] = fns
        return fns

    def _collect(self, identifier: str) -> tuple:
        found = [call for _key, call in self._own.get(identifier, ())]
        if self._parent is not None:
            return tuple(found) + self._parent._collect(identifier)
        from_classes = []
        for klass in reversed(self._owner.__mro__):
            from_classes.extend(call for _key, call in _class_listeners.get((klass, identifier), ()))
        return tuple(from_classes + found)

    def _clear_cache(self) -> None:
        for name in [n for n in self.__dict__ if not n.startswith("_")]:
            del self.__dict__[name]


def _changed() -> None:
    for dispatch in list(_all_dispatches):
        dispatch._clear_cache()


def _registry_list(target: Any, events_cls: type[Events], identifier: str) -> list:
    if isinstance(target, type):
        return _class_listeners.setdefault((target, identifier), [])
    return events_cls._dispatch_of(target)._own.setdefault(identifier, [])


def _resolve(target: Any, identifier: str) -> tuple[type[Events], Any]:
    for events_cls in _events_by_name.get(identifier, ()):
        accepted = events_cls._accept_with(target, identifier)
        if accepted is not None:
            return events_cls, accepted
    raise exc.InvalidRequestError(f"No such event '{identifier}' for target '{target}'")


def _key(target: Any, fn: Callable) -> tuple:
    if isinstance(fn, types.MethodType):
        return (id(target), id(fn.__func__), id(fn.__self__))
    return (id(target), id(fn))


def add_listener(
    target: Any, identifier: str, fn: Callable, *,
    retval: bool = False, once: bool = False, insert: bool = False, named: bool = False,
    propagate: bool = False,
) -> None:
    """Register `fn`. Listening again with the same target and function is a no-op, as in
    SQLAlchemy. `propagate` is accepted for every target: class-level listeners always
    reach subclasses."""
    events_cls, real_target = _resolve(target, identifier)
    entries = _registry_list(real_target, events_cls, identifier)
    key = _key(target, fn)
    if any(k == key for k, _call in entries):
        return
    call = events_cls._wrap(identifier, fn, retval, named, once)
    if insert and events_cls._honors_insert:
        entries.insert(0, (key, call))
    else:
        entries.append((key, call))
    _changed()


def _only_once(fn: Callable) -> Callable:
    """`fn` the first time, a no-op returning None afterwards."""
    fired = False

    def once(*args: Any, **kw: Any) -> Any:
        nonlocal fired
        if not fired:
            fired = True
            return fn(*args, **kw)
        return None

    return once


def remove_listener(target: Any, identifier: str, fn: Callable) -> None:
    events_cls, real_target = _resolve(target, identifier)
    entries = _registry_list(real_target, events_cls, identifier)
    key = _key(target, fn)
    for i, (k, _call) in enumerate(entries):
        if k == key:
            del entries[i]
            _changed()
            return
    raise exc.InvalidRequestError(f"No listeners found for event {target} / {identifier!r} / {fn} ")


def has_listener(target: Any, identifier: str, fn: Callable) -> bool:
    events_cls, real_target = _resolve(target, identifier)
    key = _key(target, fn)
    return any(k == key for k, _call in _registry_list(real_target, events_cls, identifier))
