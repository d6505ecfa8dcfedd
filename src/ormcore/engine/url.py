"""Database URLs, as sqlalchemy.engine.url: the immutable URL, URL.create() and make_url().

create_engine() turns its first argument into a URL here and asks it for the dialect class;
dialects read connection arguments back with translate_connect_args(). Parsing and rendering
follow SQLAlchemy's grammar rather than RFC 3986's (an unescaped '@' ends the password, the
host is never percent-decoded, blank query values are dropped), because a URL string that
SQLAlchemy accepts must name the same database here, field for field.
"""

from __future__ import annotations

import collections.abc
import re
import warnings
from typing import Any
from typing import Iterable
from typing import Mapping
from typing import NamedTuple
from typing import Optional
from typing import Sequence
from typing import Union
from urllib.parse import parse_qsl
from urllib.parse import quote
from urllib.parse import quote_plus
from urllib.parse import unquote

from .. import exc

__all__ = ["URL", "make_url"]

_QueryValue = Union[str, "tuple[str, ...]"]


class immutabledict(dict):
    """A dict that refuses changes: the type of URL.query, named as SQLAlchemy's."""

    __slots__ = ()

    def _immutable(self, *args: Any, **kw: Any) -> Any:
        raise TypeError(f"{type(self).__name__} object is immutable")

    __setitem__ = _immutable
    __delitem__ = _immutable
    __ior__ = _immutable
    clear = _immutable
    pop = _immutable
    popitem = _immutable
    setdefault = _immutable
    update = _immutable

    def __reduce__(self) -> Any:
        # the default dict-subclass pickling refills the dict with __setitem__
        return immutabledict, (dict(self),)

    def __repr__(self) -> str:
        return f"immutabledict({dict.__repr__(self)})"

    def copy(self) -> "immutabledict":
        return self

    def union(self, other: Mapping[str, Any]) -> "immutabledict":
        merged = dict(self)
        merged.update(other)
        return immutabledict(merged)


_EMPTY: immutabledict = immutabledict()


def _assert_str(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string")
    return value


def _assert_none_str(value: Any, name: str) -> Optional[str]:
    if value is None:
        return None
    return _assert_str(value, name)


def _assert_port(port: Any) -> Optional[int]:
    if port is None:
        return None
    try:
        return int(port)
    except TypeError:
        # int("abc") raises ValueError and is left alone, as SQLAlchemy does
        raise TypeError("Port argument must be an integer or None") from None


def _query_value(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Sequence):
        return tuple(_query_value(element) for element in value)
    raise TypeError("Query dictionary values must be strings or sequences of strings")


def _query_dict(query: Any) -> immutabledict:
    """Validate a query given as a mapping or a sequence of pairs; lists become tuples."""
    if query is None:
        return _EMPTY
    items = query if isinstance(query, collections.abc.Sequence) else query.items()
    checked = {}
    for key, value in items:
        if not isinstance(key, str):
            raise TypeError("Query dictionary keys must be strings")
        checked[key] = _query_value(value)
    return immutabledict(checked)


def _as_tuple(value: Any) -> tuple:
    return (value,) if isinstance(value, str) else tuple(value)


class URL(NamedTuple):
    """The parts of a database URL; immutable, so that engines can share and hash it.

    Build one with URL.create() or make_url(); derive new ones with set() and the
    update_query_*() methods.
    """

    drivername: str
    username: Optional[str]
    password: Any
    host: Optional[str]
    port: Optional[int]
    database: Optional[str]
    query: Mapping[str, _QueryValue]

    @classmethod
    def create(
        cls,
        drivername: str,
        username: Optional[str] = None,
        password: Any = None,
        host: Optional[str] = None,
        port: Optional[int] = None,
        database: Optional[str] = None,
        query: Any = _EMPTY,
    ) -> "URL":
        """A validated URL. `password` may be any object whose str() is the password."""
        return cls(
            _assert_str(drivername, "drivername"),
            _assert_none_str(username, "username"),
            password,
            _assert_none_str(host, "host"),
            _assert_port(port),
            _assert_none_str(database, "database"),
            _query_dict(query),
        )

    def set(
        self,
        drivername: Optional[str] = None,
        username: Optional[str] = None,
        password: Any = None,
        host: Optional[str] = None,
        port: Optional[int] = None,
        database: Optional[str] = None,
        query: Optional[Mapping[str, Any]] = None,
    ) -> "URL":
        """A copy with the given fields replaced; None means "keep", so use _replace() to
        clear a field."""
        changes: dict[str, Any] = {}
        if drivername is not None:
            changes["drivername"] = _assert_str(drivername, "drivername")
        if username is not None:
            changes["username"] = _assert_str(username, "username")
        if password is not None:
            changes["password"] = password
        if host is not None:
            changes["host"] = _assert_str(host, "host")
        if port is not None:
            changes["port"] = _assert_port(port)
        if database is not None:
            changes["database"] = _assert_str(database, "database")
        if query is not None:
            changes["query"] = _query_dict(query)
        return self._replace(**changes)

    def update_query_string(
        self, query_string: str, append: bool = False, *, keep_blank_values: bool = False
    ) -> "URL":
        """A copy whose query is updated from a URL-escaped query string (no '?')."""
        pairs = parse_qsl(query_string, keep_blank_values=keep_blank_values)
        return self.update_query_pairs(pairs, append=append)

    def update_query_pairs(
        self, key_value_pairs: Iterable[tuple[str, Any]], append: bool = False
    ) -> "URL":
        """A copy whose query is updated from (key, value) pairs; a repeated key collects
        its values into a tuple. append=True adds to existing values instead of replacing."""
        incoming: dict[str, Any] = {}
        for key, value in key_value_pairs:
            if isinstance(value, list):
                value = tuple(value)
            if key in incoming:
                incoming[key] = _as_tuple(incoming[key]) + _as_tuple(value)
            else:
                incoming[key] = value  # anything else is validated by set()
        existing = self.query
        if append:
            merged: dict[str, Any] = {}
            for key, value in incoming.items():
                if key in existing:
                    merged[key] = _as_tuple(existing[key]) + _as_tuple(value)
                else:
                    merged[key] = value
            for key, value in existing.items():
                if key not in merged:
                    merged[key] = value
        else:
            merged = dict(existing)
            merged.update(incoming)
        return self.set(query=merged)

    def update_query_dict(self, query_parameters: Mapping[str, Any], append: bool = False) -> "URL":
        """A copy whose query is updated from a mapping of str -> str or sequence of str."""
        return self.update_query_pairs(query_parameters.items(), append=append)

    def difference_update_query(self, names: Iterable[str]) -> "URL":
        """A copy without the given query keys (this URL itself when none of them is there)."""
        names = set(names)
        if not names.intersection(self.query):
            return self
        return URL(
            self.drivername, self.username, self.password, self.host, self.port, self.database,
            immutabledict((k, v) for k, v in self.query.items() if k not in names),
        )

    @property
    def normalized_query(self) -> Mapping[str, Sequence[str]]:
        """The query with every value as a tuple, single values included."""
        return immutabledict((k, _as_tuple(v)) for k, v in self.query.items())

    def render_as_string(self, hide_password: bool = True) -> str:
        """The URL as a string that make_url() parses back to an equal URL (unless the
        password is hidden as '***')."""
        text = self.drivername + "://"
        if self.username is not None:
            text += quote(self.username, safe=" +")
            if self.password is not None:
                text += ":" + ("***" if hide_password else quote(str(self.password), safe=" +"))
            text += "@"
        if self.host is not None:
            # an IPv6 literal needs its brackets back, or its colons read as a port
            text += f"[{self.host}]" if ":" in self.host else self.host
        if self.port is not None:
            text += ":" + str(self.port)
        if self.database is not None:
            text += "/" + quote(self.database, safe=" +/")
        if self.query:
            text += "?" + "&".join(
                f"{quote_plus(key)}={quote_plus(value)}"
                for key in sorted(self.query)
                for value in _as_tuple(self.query[key])
            )
        return text

    def __str__(self) -> str:
        return self.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return self.render_as_string(hide_password=True)

    def __copy__(self) -> "URL":
        return type(self)(*self)

    def __deepcopy__(self, memo: Any) -> "URL":
        return type(self)(*self)

    def __hash__(self) -> int:
        return hash(str(self))

    def __eq__(self, other: Any) -> bool:
        return (
            isinstance(other, URL)
            and self.drivername == other.drivername
            and self.username == other.username
            and self.password == other.password
            and self.host == other.host
            and self.database == other.database
            and self.query == other.query
            and self.port == other.port
        )

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def get_backend_name(self) -> str:
        """The database part of the driver name: 'postgresql' of 'postgresql+psycopg2'."""
        return self.drivername.split("+")[0]

    def get_driver_name(self) -> str:
        """The DBAPI part of the driver name, or the dialect's default driver when absent."""
        if "+" not in self.drivername:
            return self.get_dialect().driver
        return self.drivername.split("+")[1]

    def _get_entrypoint(self) -> Any:
        # imported here: dialects sit above the engine's URL in the import order
        from ..dialects import registry

        name = self.drivername.replace("+", ".")
        loaded = registry.load(name)
        # a module exposing its dialect class as `dialect` (the legacy plug-in shape)
        inner = getattr(loaded, "dialect", None)
        if isinstance(inner, type):
            return inner
        return loaded

    def get_dialect(self, _is_async: bool = False) -> Any:
        """The dialect class this URL names, loaded through ormcore.dialects.registry."""
        entrypoint = self._get_entrypoint()
        name = "get_async_dialect_cls" if _is_async else "get_dialect_cls"
        getter = getattr(entrypoint, name, None)
        return getter(self) if getter is not None else entrypoint

    def translate_connect_args(
        self, names: Optional[list[str]] = None, **kw: Any
    ) -> dict[str, Any]:
        """The host, database, username, password and port as connect() keyword arguments.

        Keywords rename a field (database='dbname'), or drop it when given None; empty fields
        are left out.
        """
        if names is not None:
            warnings.warn(
                "The `URL.translate_connect_args.name`s parameter is deprecated. "
                "Please pass the alternate names as kw arguments.",
                exc.SADeprecationWarning,
                stacklevel=2,
            )
            names = list(names)
        translated: dict[str, Any] = {}
        for field in ("host", "database", "username", "password", "port"):
            if names:
                name = names.pop(0)
            else:
                name = kw.get(field, field)
            value = getattr(self, field)
            if name is not None and value:
                translated[name] = str(value) if field == "password" else value
        return translated


# SQLAlchemy's URL grammar: a scheme of word characters and '+', optional user[:password]@,
# a host (bracketed when IPv6) and port, then /database and ?query. The groups are matched
# greedily from the left and anything the grammar cannot place is ignored, as SQLAlchemy
# does; a differential test against SQLAlchemy keeps the two in step.
_URL_GRAMMAR = re.compile(
    r"""
    (?P<name>[\w+]+)://
    (?:
        (?P<username>[^:/]*)
        (?::(?P<password>[^@]*))?
        @
    )?
    (?:
        (?:
            \[(?P<ipv6host>[^/?]+)\]
            |
            (?P<ipv4host>[^/:?]+)
        )?
        (?::(?P<port>[^/?]*))?
    )?
    (?:/(?P<database>[^?]*))?
    (?:\?(?P<query>.*))?
    """,
    re.VERBOSE,
)


def make_url(name_or_url: Union[str, URL], *, keep_blank_values: bool = False) -> URL:
    """Parse a URL string (or return a URL unchanged).

    keep_blank_values=True keeps query parameters such as 'key=' as empty strings.
    """
    if isinstance(name_or_url, str):
        return _parse_url(name_or_url, keep_blank_values)
    if isinstance(name_or_url, URL):
        return name_or_url
    raise exc.ArgumentError(f"Expected string or URL object, got {name_or_url!r}")


def _parse_url(text: str, keep_blank_values: bool) -> URL:
    match = _URL_GRAMMAR.match(text)
    if match is None:
        raise exc.ArgumentError("Could not parse SQLAlchemy URL from given URL string")
    username, password, ipv6host, ipv4host, port, database, query_string = match.group(
        "username", "password", "ipv6host", "ipv4host", "port", "database", "query"
    )
    query: Optional[dict[str, Any]] = None
    if query_string is not None:
        query = {}
        for key, value in parse_qsl(query_string, keep_blank_values=keep_blank_values):
            query[key] = _as_tuple(query[key]) + (value,) if key in query else value
    return URL.create(
        match.group("name"),
        unquote(username) if username is not None else None,
        unquote(password) if password is not None else None,
        ipv4host or ipv6host,
        port,
        unquote(database) if database is not None else None,
        query,
    )
