"""create_engine(): URL -> dialect + DBAPI + pool -> Engine, with SQLAlchemy's arguments."""

from __future__ import annotations

import inspect
from typing import Any

from .. import event
from .base import Engine
from .url import URL
from .url import make_url

# create_engine() keyword -> pool constructor keyword
_POOL_ARGS = {
    "pool_size": "pool_size",
    "max_overflow": "max_overflow",
    "pool_timeout": "timeout",
    "pool_recycle": "recycle",
    "pool_pre_ping": "pre_ping",
    "pool_reset_on_return": "reset_on_return",
    "pool_use_lifo": "use_lifo",
    "echo_pool": "echo",
    "pool_logging_name": "logging_name",
}
_ENGINE_ARGS = (
    "echo", "logging_name", "query_cache_size", "execution_options", "hide_parameters",
    "enable_from_linting",
)
_IGNORED_ARGS = ("future", "_initialize", "label_length", "use_insertmanyvalues",
                 "_coerce_config")


def create_engine(url: "str | URL", **kwargs: Any) -> Engine:
    """Make an Engine for `url`, as sqlalchemy.create_engine() does.

    Arguments: echo, echo_pool, pool_size, max_overflow, pool_timeout, pool_recycle,
    pool_pre_ping, pool_reset_on_return, pool_use_lifo, poolclass, pool, creator,
    isolation_level, execution_options, connect_args, query_cache_size, hide_parameters,
    logging_name, module, paramstyle, json_serializer, json_deserializer, and
    dialect-specific ones. An argument no component accepts raises TypeError.
    """
    u = make_url(url)
    kw = dict(kwargs)
    dialect_cls = u.get_dialect()
    dbapi = kw.pop("module", None) or dialect_cls.import_dbapi()

    dialect_kw = {"dbapi": dbapi}
    dialect_params = {
        name
        for klass in dialect_cls.__mro__ if "__init__" in vars(klass)
        for name in inspect.signature(klass.__init__).parameters
    }
    for name in list(kw):
        if name in dialect_params and name not in ("self", "kw", "dbapi"):
            dialect_kw[name] = kw.pop(name)
    dialect = dialect_cls(**dialect_kw)
    page_size = kw.pop("insertmanyvalues_page_size", None)
    if page_size is not None:
        # rows per batched multi-row INSERT; the execution option of that name overrides it
        dialect.insertmanyvalues_page_size = page_size

    cargs, cparams = dialect.create_connect_args(u)
    cparams.update(kw.pop("connect_args", {}))
    creator = kw.pop("creator", None)
    if creator is None:
        def creator() -> Any:
            return dialect.connect(*cargs, **cparams)

    pool = kw.pop("pool", None)
    poolclass = kw.pop("poolclass", None)
    if pool is None:
        poolclass = poolclass or dialect_cls.get_pool_class(u)
        pool_params = inspect.signature(poolclass.__init__).parameters
        accepts_any = any(p.kind is p.VAR_KEYWORD for p in pool_params.values())
        pool_kw: dict = {"dialect": dialect}
        for name, target in _POOL_ARGS.items():
            if name in kw and (target in pool_params or accepts_any):
                pool_kw[target] = kw.pop(name)
        pool = poolclass(creator, **pool_kw)
    else:
        pool._dialect = dialect

    engine_kw = {name: kw.pop(name) for name in _ENGINE_ARGS if name in kw}
    for name in _IGNORED_ARGS:
        kw.pop(name, None)
    if kw:
        raise TypeError(
            f"Invalid argument(s) {','.join(repr(k) for k in kw)} sent to create_engine(), "
            f"using configuration {dialect_cls.__name__}/{type(pool).__name__}/Engine.  Please "
            "check that the keyword arguments are appropriate for this combination of components."
        )

    engine = Engine(pool, dialect, u, **engine_kw)
    _install_connect_hooks(engine, dialect)
    return engine


def _install_connect_hooks(engine: Engine, dialect: Any) -> None:
    """Run the dialect's per-connection setup, and learn about the server on first connect."""
    on_connect = dialect.on_connect()
    if on_connect is not None:
        def per_connection(dbapi_conn: Any, record: Any) -> None:
            on_connect(dbapi_conn)

        event.listen(engine.pool, "connect", per_connection, insert=True)

    def first_connect(dbapi_conn: Any, record: Any) -> None:
        dialect.initialize(dbapi_conn)
        # the first connection may have begun a transaction while asking
        dialect.do_rollback(dbapi_conn)

    event.listen(engine.pool, "first_connect", first_connect, insert=True, once=True)
