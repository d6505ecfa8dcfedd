"""ormcore.engine.url: parsing, rendering, validation and derivation of database URLs.

Most tests are differential: the same input goes to SQLAlchemy's URL (the oracle) and to
ormcore's, and every field, rendering and error class must agree. Hypothesis checks that any
URL renders to a string that parses back to it.
"""

from __future__ import annotations

import copy
import pickle
import warnings
from typing import Any

import pytest
import sqlalchemy.engine.url as sa_url
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ormcore import exc
from ormcore.engine.url import URL
from ormcore.engine.url import make_url

URL_STRINGS = [
    "sqlite://",
    "sqlite:///relative/path.db",
    "sqlite:////abs/path.db",
    "sqlite:///:memory:",
    "sqlite:///C:\\path\\file.db",
    "postgresql://",
    "postgresql://localhost",
    "postgresql://user@localhost",
    "postgresql://user:pass@localhost:5432/db",
    "postgresql+psycopg2://user:p%40ss@host:5432/db?sslmode=require&opt=1&opt=2",
    "postgresql://[::1]:5432/db",
    "postgresql://u@[::1]/db",
    "postgresql://u:p@[2001:db8::7]:6543/db",
    "postgresql://u:@h/d",
    "postgresql://:p@h/d",
    "postgresql://u:p@ss@h/d",  # an unescaped '@' ends the password
    "postgresql://u%3Ax:p%2Fy@h",
    "postgresql://u:p%zz@h/d",  # a bad escape stays as written
    "postgresql://u:p#x@h/d",
    "postgresql://h#frag",
    "postgresql://h/d%20x",
    "postgresql://h/d%2Fx",
    "postgresql://h/d/e?x=1?2",
    "postgresql://h/?a",
    "postgresql://h/d?a=1&b",
    "postgresql://h/d?a=%20b+c",
    "postgresql://h?a=1&a=1",
    "postgresql://h/d?%E9=%ZZ&&=&a=b=c&;x=1",
    "postgresql://h/d?a=1\nb=2",
    "postgresql://[::1]x/d",
    "postgresql://h:0/d",
    "mysql+pymysql://u:p@h/d?charset=utf8mb4&x=",
    "PG://h",
    "é_1+x://h",
    "pg://ünï:çödé@hôst/dß?k=ü",
    "oracle+oracledb://scott:tiger@host:1521/?service_name=freepdb1",
]

BAD_STRINGS = [
    "",
    "nothing",
    "sqlite:",
    "://h",
    "a.b://h",
    "a-b://h",
    " pg://h",
    "postgresql://h:abc/d",  # port not a number: ValueError, as SQLAlchemy
    "postgresql://h:/d",
    "postgresql://h:5432:5/d",
]


def _fields(url: Any) -> tuple:
    return (url.drivername, url.username, url.password, url.host, url.port, url.database, dict(url.query))


def _outcome(fn: Any, *args: Any, **kw: Any) -> tuple:
    """('ok', fields, renderings) or ('error', exception class name, message)."""
    try:
        url = fn(*args, **kw)
    except Exception as e:
        return ("error", type(e).__name__, str(e).split(" (Background")[0])
    return ("ok", _fields(url), url.render_as_string(hide_password=False), str(url), repr(url))


@pytest.mark.parametrize("text", URL_STRINGS)
def test_make_url_matches_sqlalchemy(text: str) -> None:
    assert _outcome(make_url, text) == _outcome(sa_url.make_url, text)


@pytest.mark.parametrize("text", BAD_STRINGS)
def test_bad_strings_fail_as_in_sqlalchemy(text: str) -> None:
    ours = _outcome(make_url, text)
    assert ours[0] == "error"
    assert ours == _outcome(sa_url.make_url, text)


def test_unparseable_string_is_argument_error() -> None:
    with pytest.raises(exc.ArgumentError, match="Could not parse SQLAlchemy URL from given URL string"):
        make_url("not a url")


def test_the_documented_pieces() -> None:
    url = make_url("postgresql+psycopg2://user:p%40ss@host:5432/db?sslmode=require&opt=1&opt=2")
    assert url.drivername == "postgresql+psycopg2"
    assert url.username == "user"
    assert url.password == "p@ss"
    assert url.host == "host"
    assert url.port == 5432
    assert url.database == "db"
    assert url.query == {"sslmode": "require", "opt": ("1", "2")}
    assert url.get_backend_name() == "postgresql"
    assert url.get_driver_name() == "psycopg2"
    assert make_url("sqlite://").database is None
    assert make_url("sqlite:///:memory:").database == ":memory:"
    assert make_url("sqlite:////abs/path.db").database == "/abs/path.db"
    assert make_url("postgresql://[::1]:5432/db").host == "::1"


def test_keep_blank_values() -> None:
    assert make_url("pg://h/d?a=&b=1").query == {"b": "1"}
    assert make_url("pg://h/d?a=&b=1", keep_blank_values=True).query == {"a": "", "b": "1"}
    ours = make_url("pg://h/d?a=&b=1", keep_blank_values=True)
    theirs = sa_url.make_url("pg://h/d?a=&b=1", keep_blank_values=True)
    assert _fields(ours) == _fields(theirs)


def test_make_url_passes_urls_through_and_rejects_other_types() -> None:
    url = make_url("sqlite://")
    assert make_url(url) is url
    with pytest.raises(exc.ArgumentError, match="Expected string or URL object, got 5"):
        make_url(5)  # type: ignore[arg-type]


def test_password_is_hidden_in_str_and_repr() -> None:
    url = make_url("postgresql://scott:tiger@localhost/test")
    assert str(url) == "postgresql://scott:***@localhost/test"
    assert repr(url) == "postgresql://scott:***@localhost/test"
    assert url.render_as_string() == "postgresql://scott:***@localhost/test"
    assert url.render_as_string(hide_password=False) == "postgresql://scott:tiger@localhost/test"


CREATE_ARGS = [
    dict(drivername="pg"),
    dict(drivername=None),
    dict(drivername=1),
    dict(drivername="pg", port="5"),
    dict(drivername="pg", port=5.0),
    dict(drivername="pg", port="abc"),
    dict(drivername="pg", port=[1]),
    dict(drivername="pg", username=1),
    dict(drivername="pg", host=b"h"),
    dict(drivername="pg", database=b"x"),
    dict(drivername="pg", query={1: "a"}),
    dict(drivername="pg", query={"a": 1}),
    dict(drivername="pg", query={"a": [1]}),
    dict(drivername="pg", query={"a": ["x", "y"], "b": "z"}),
    dict(drivername="pg", query={"a": ()}),
    dict(drivername="pg", query=None),
    dict(drivername="pg", query=[("a", "b")]),
    dict(drivername="pg", username="", password=""),
    dict(drivername="pg", password="orphan"),  # no username: the password is not rendered
    dict(drivername="pg", host="", database=""),
    dict(drivername="pg", username="a\x00\n\té", host="h"),
    dict(drivername="pg", host="fe80::1%eth0", port=1),
]


@pytest.mark.parametrize("kw", CREATE_ARGS, ids=repr)
def test_create_matches_sqlalchemy(kw: dict) -> None:
    assert _outcome(URL.create, **kw) == _outcome(sa_url.URL.create, **kw)


def test_create_error_classes() -> None:
    with pytest.raises(TypeError, match="drivername must be a string"):
        URL.create(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Port argument must be an integer or None"):
        URL.create("pg", port=[5])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Query dictionary keys must be strings"):
        URL.create("pg", query={1: "x"})  # type: ignore[dict-item]


def test_password_object_is_rendered_with_str() -> None:
    class Secret:
        def __str__(self) -> str:
            return "sec:ret"

    url = URL.create("pg", username="u", password=Secret(), host="h")
    assert url.render_as_string(hide_password=False) == "pg://u:sec%3Aret@h"
    assert url.translate_connect_args() == {"host": "h", "username": "u", "password": "sec:ret"}


def test_every_ascii_character_renders_as_sqlalchemy_does() -> None:
    chars = "".join(chr(i) for i in range(32, 127))
    for kw in (
        dict(username=chars),
        dict(username="u", password=chars),
        dict(database=chars),
        dict(host=chars),
        dict(host="h", query={chars: chars}),
    ):
        ours = URL.create("pg", **kw).render_as_string(hide_password=False)
        assert ours == sa_url.URL.create("pg", **kw).render_as_string(hide_password=False)


BASE = "postgresql+psycopg2://user:pw@host:5432/db?b=1&a=2&a=3"

DERIVATIONS = [
    ("set", (), dict(username="x", port=1, query={"z": "1"})),
    ("set", (), dict(drivername="sqlite", database="f.db")),
    ("set", (), dict(port="x")),
    ("set", (), dict(username=5)),
    ("set", (), dict(foo=1)),
    ("set", (), {}),
    ("update_query_dict", ({"a": "9", "c": ["1", "2"]},), {}),
    ("update_query_dict", ({"a": "9", "b": "5"},), dict(append=True)),
    ("update_query_dict", ({"a": "9", "n": "5"},), dict(append=True)),
    ("update_query_string", ("a=7&d=8",), {}),
    ("update_query_string", ("a=7&d=8&d=9",), dict(append=True)),
    ("update_query_string", ("a=%2F&b=%20x+y&e=",), {}),
    ("update_query_string", ("a=%2F&e=",), dict(keep_blank_values=True)),
    ("update_query_pairs", ([("b", "x"), ("b", "y")],), {}),
    ("update_query_pairs", ([("b", "x"), ("e", "y")],), dict(append=True)),
    ("update_query_pairs", ([("b", ("x", "y")), ("e", ["y"])],), {}),
    ("difference_update_query", (["a", "zz"],), {}),
    ("difference_update_query", (["zz"],), {}),
]


@pytest.mark.parametrize("method,args,kw", DERIVATIONS, ids=repr)
def test_derived_urls_match_sqlalchemy(method: str, args: tuple, kw: dict) -> None:
    ours = _outcome(getattr(make_url(BASE), method), *args, **kw)
    theirs = _outcome(getattr(sa_url.make_url(BASE), method), *args, **kw)
    if ours[0] == "error" and ours[1] == "TypeError":
        assert theirs[0] == "error" and theirs[1] == "TypeError"  # wording names the class
    else:
        assert ours == theirs


def test_difference_update_query_without_change_returns_self() -> None:
    url = make_url(BASE)
    assert url.difference_update_query(["nope"]) is url
    assert url.difference_update_query(["a"]).query == {"b": "1"}


def test_normalized_query() -> None:
    url = make_url(BASE)
    assert url.normalized_query == {"b": ("1",), "a": ("2", "3")}
    assert dict(url.normalized_query) == dict(sa_url.make_url(BASE).normalized_query)


TRANSLATE_CASES = [
    (BASE, dict()),
    (BASE, dict(username="user", database="dbname")),
    (BASE, dict(host=None, database="db")),
    ("pg://u:@h:0/d", dict()),
    ("sqlite://", dict()),
    ("sqlite:///file.db", dict(database="path")),
]


@pytest.mark.parametrize("text,kw", TRANSLATE_CASES, ids=repr)
def test_translate_connect_args_matches_sqlalchemy(text: str, kw: dict) -> None:
    assert make_url(text).translate_connect_args(**kw) == sa_url.make_url(text).translate_connect_args(**kw)


def test_translate_connect_args_positional_names_are_deprecated() -> None:
    names = ["a", "b"]
    with pytest.warns(exc.SADeprecationWarning, match="translate_connect_args"):
        ours = make_url(BASE).translate_connect_args(names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sa_url.make_url(BASE).translate_connect_args(list(names))
    assert ours == theirs == {"a": "host", "b": "db", "username": "user", "password": "pw", "port": 5432}
    assert names == ["a", "b"]  # the caller's list is left alone


def test_url_is_immutable_hashable_and_copyable() -> None:
    url = make_url(BASE)
    with pytest.raises(AttributeError):
        url.port = 1  # type: ignore[misc]
    for mutate in (
        lambda q: q.__setitem__("x", "1"),
        lambda q: q.__delitem__("a"),
        lambda q: q.update(x="1"),
        lambda q: q.pop("a"),
        lambda q: q.clear(),
        lambda q: q.setdefault("x", "1"),
    ):
        with pytest.raises(TypeError):
            mutate(url.query)
    assert isinstance(url.query, dict)
    assert repr(url.query) == repr(sa_url.make_url(BASE).query)
    same = make_url(url.render_as_string(hide_password=False))
    assert same == url and not (same != url) and hash(same) == hash(url)
    assert url != make_url(str(url))  # the hidden password differs
    assert url != BASE
    assert copy.copy(url) == url and copy.deepcopy(url) == url
    assert pickle.loads(pickle.dumps(url)) == url
    assert url._replace(port=7).port == 7
    assert tuple(url) == (
        "postgresql+psycopg2", "user", "pw", "host", 5432, "db", {"b": "1", "a": ("2", "3")}
    )
    assert url._asdict()["database"] == "db"


# --- property tests --------------------------------------------------------------------------

_text = st.text(max_size=12)
_query_value = st.one_of(
    st.text(min_size=1, max_size=8),
    st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=3).map(tuple),
)
_hosts = st.one_of(
    st.none(),
    st.from_regex(r"[A-Za-z0-9._\-]{1,20}", fullmatch=True),
    st.ip_addresses(v=6).map(str),
)


@st.composite
def _urls(draw: Any) -> URL:
    username = draw(st.one_of(st.none(), _text))
    password = draw(_text) if username is not None and draw(st.booleans()) else None
    return URL.create(
        drivername=draw(st.from_regex(r"[a-z][a-z0-9_]{0,8}(\+[a-z0-9_]{1,8})?", fullmatch=True)),
        username=username,
        password=password,
        host=draw(_hosts),
        port=draw(st.one_of(st.none(), st.integers(0, 65535))),
        database=draw(st.one_of(st.none(), _text)),
        query=draw(st.dictionaries(st.text(max_size=8), _query_value, max_size=4)),
    )


@settings(max_examples=300, deadline=None)
@given(_urls())
@example(URL.create("pg", "u@:/%?#", "p@:/%?#é", "h", 1, "d@:/%?#\n", {"k@:/%?#&=": ("v&=+", "é")}))
def test_render_then_parse_round_trips(url: URL) -> None:
    text = url.render_as_string(hide_password=False)
    assert make_url(text) == url
    # and SQLAlchemy renders and reads the same string
    theirs = sa_url.URL.create(*url[:6], query=url.query)
    assert theirs.render_as_string(hide_password=False) == text


_URL_ALPHABET = "pgsql+_:/@?#&=%[].-;,1 é\n09AF"


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(alphabet=_URL_ALPHABET, max_size=30),
    st.text(alphabet=_URL_ALPHABET, max_size=30).map(lambda tail: "pg://" + tail),
    st.text(alphabet=_URL_ALPHABET, max_size=30).map(lambda tail: "pg+x://u:p@" + tail),
))
def test_any_string_parses_as_in_sqlalchemy(text: str) -> None:
    assert _outcome(make_url, text) == _outcome(sa_url.make_url, text)


def test_bad_query_values_in_updates_fail_as_in_sqlalchemy() -> None:
    for method, arg in (("update_query_dict", {"a": 5}), ("update_query_pairs", [("a", 5)])):
        ours = _outcome(getattr(make_url(BASE), method), arg)
        assert ours == _outcome(getattr(sa_url.make_url(BASE), method), arg)
        assert ours[:2] == ("error", "TypeError")
