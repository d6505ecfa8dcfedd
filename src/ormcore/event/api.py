"""The public event functions: listen, listens_for, remove, contains."""

from __future__ import annotations

from typing import Any
from typing import Callable

from . import base


def listen(target: Any, identifier: str, fn: Callable, *args: Any, **kw: Any) -> None:
    """Register `fn` for event `identifier` on `target`.

    Options: retval=True lets statement-level listeners return replacement
    (statement, parameters); once=True fires it only the first time; insert=True puts it
    first (pool events; SQLAlchemy ignores it for engine and connection events, and so do
    we); named=True passes the arguments as keywords; propagate is accepted.
    """
    base.add_listener(target, identifier, fn, **kw)


def listens_for(target: Any, identifier: str, *args: Any, **kw: Any) -> Callable[[Callable], Callable]:
    """Decorator form of listen()."""

    def decorate(fn: Callable) -> Callable:
        listen(target, identifier, fn, *args, **kw)
        return fn

    return decorate


def remove(target: Any, identifier: str, fn: Callable) -> None:
    """Undo a listen() of the same three arguments."""
    base.remove_listener(target, identifier, fn)


def contains(target: Any, identifier: str, fn: Callable) -> bool:
    """True if `fn` listens for `identifier` on `target`."""
    return base.has_listener(target, identifier, fn)
