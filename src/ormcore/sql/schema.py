"""Schema objects: MetaData, Table, Column, constraints, indexes, defaults and sequences.

These describe a database schema in Python, as SQLAlchemy's do: the SQL-expression layer
selects from Tables, the ORM maps classes onto them, and ddl.py creates and drops them.
Wiring between objects (a ForeignKey finding its target column, a unique=True column adding
a UniqueConstraint, an Enum adding its CHECK) happens when an object is attached to its
parent, in the same order SQLAlchemy uses, so that generated DDL comes out identically.
"""

from __future__ import annotations

import inspect
import itertools
import re
import warnings
from typing import Any
from typing import Callable
from typing import Iterator
from typing import Optional

from .. import exc
from . import type_api
from .base import ColumnCollection
from .base import Executable
from .elements import ClauseElement
from .elements import ColumnClause
from .elements import ColumnElement
from .elements import TextClause
from .identifiers import _NONE_NAME
from .identifiers import conv
from .identifiers import quoted_name
from .selectable import TableClause

_creation_order = itertools.count(1)


class _SchemaSentinel:
    """A named marker value; unpickles to the module's own instance."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"

    def __reduce__(self) -> str:
        return self.name


#: Table(schema=BLANK_SCHEMA): no schema even when the MetaData has one.
BLANK_SCHEMA = _SchemaSentinel("BLANK_SCHEMA")
#: Table.to_metadata(schema=RETAIN_SCHEMA): keep the table's own schema (the default).
RETAIN_SCHEMA = _SchemaSentinel("RETAIN_SCHEMA")
_NULL_UNSPECIFIED = _SchemaSentinel("_NULL_UNSPECIFIED")

DEFAULT_NAMING_CONVENTION: dict = {"ix": "ix_%(column_0_label)s"}


def _get_table_key(name: str, schema: Optional[str]) -> str:
    return name if schema is None else schema + "." + name


class FacadeDict(dict):
    """MetaData.tables: a dict that only MetaData itself may change."""

    def _immutable(self, *arg: Any, **kw: Any) -> Any:
        raise TypeError(f"{self.__class__.__name__} object is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _immutable

    def _insert_item(self, key: str, value: Any) -> None:
        dict.__setitem__(self, key, value)

    def _remove_item(self, key: str) -> None:
        dict.__delitem__(self, key)

    def _clear(self) -> None:
        dict.clear(self)

    def __reduce__(self) -> tuple:
        return FacadeDict, (dict(self),)

    def __repr__(self) -> str:
        return f"FacadeDict({dict.__repr__(self)})"


def _put_column(collection: ColumnCollection, column: Any) -> None:
    """Add or replace (by key) a column, comparing columns by identity only.

    Column == builds a SQL expression, so list.index()/list.remove() must not be used here.
    """
    old = collection._index.get(column.key)
    if old is not None:
        collection._columns[:] = [column if c is old else c for c in collection._columns]
    else:
        collection._columns.append(column)
    collection._index[column.key] = column


def _place_column(
    collection: ColumnCollection, column: Any, replaced: Any, index: Optional[int]
) -> None:
    """Put a table's new column where the one it replaces was, else at `index` or the end."""
    columns = collection._columns
    if replaced is not None:
        columns[:] = [column if c is replaced else c for c in columns]
        for key in [k for k, c in collection._index.items() if c is replaced]:
            del collection._index[key]
    elif not any(c is column for c in columns):
        if index is None:
            columns.append(column)
        else:
            columns.insert(index, column)
    collection._index[column.key] = column


def _drop_column(collection: ColumnCollection, column: Any) -> None:
    collection._columns[:] = [c for c in collection._columns if c is not column]
    for key in [k for k, c in collection._index.items() if c is column]:
        del collection._index[key]


class SchemaItem:
    """Base of every schema object; `info` is a free dictionary for the user."""

    __visit_name__ = "schema_item"

    @property
    def info(self) -> dict:
        try:
            return self.__dict__["_info"]
        except KeyError:
            info = self.__dict__["_info"] = {}
            return info

    @info.setter
    def info(self, value: dict) -> None:
        self.__dict__["_info"] = value

    def _compiler_dispatch(self, compiler: Any, **kw: Any) -> Any:
        try:
            meth = getattr(compiler, "visit_" + self.__visit_name__)
        except AttributeError:
            raise exc.UnsupportedCompilationError(compiler, type(self)) from None
        return meth(self, **kw)

    def _init_items(self, *args: Any, **kw: Any) -> None:
        for item in args:
            if item is None:
                continue
            try:
                attach = item._set_parent
            except AttributeError:
                raise exc.ArgumentError(
                    f"'SchemaItem' object, such as a 'Column' or a 'Constraint' expected, "
                    f"got {item!r}"
                ) from None
            attach(self, **kw)

    def _copy_info_to(self, other: "SchemaItem") -> "SchemaItem":
        if "_info" in self.__dict__:
            other.info = dict(self.info)
        return other


class DialectKWArgs:
    """Keeps `<dialect>_<argument>` keywords (sqlite_autoincrement=True, postgresql_where=...)."""

    _dialect_kwargs_store: dict

    def _validate_dialect_kwargs(self, kwargs: dict) -> None:
        store = self.__dict__.setdefault("_dialect_kwargs_store", {})
        for key, value in kwargs.items():
            if not re.match(r"^(.+?)_(.+)$", key):
                raise TypeError(
                    f"Additional arguments should be named <dialectname>_<argument>, got '{key}'"
                )
            store[key] = value

    @property
    def dialect_kwargs(self) -> dict:
        return self.__dict__.setdefault("_dialect_kwargs_store", {})

    @property
    def kwargs(self) -> dict:
        return self.dialect_kwargs

    @property
    def dialect_options(self) -> "_DialectOptions":
        return _DialectOptions(self.dialect_kwargs)


class _DialectOptions:
    """`obj.dialect_options["sqlite"]["autoincrement"]`: given value, else None."""

    __slots__ = ("_kwargs",)

    def __init__(self, kwargs: dict) -> None:
        self._kwargs = kwargs

    def __getitem__(self, dialect_name: str) -> dict:
        prefix = dialect_name + "_"
        return _DialectArgs(
            {k[len(prefix):]: v for k, v in self._kwargs.items() if k.startswith(prefix)}
        )

    def __contains__(self, dialect_name: str) -> bool:
        return True


class _DialectArgs(dict):
    def __missing__(self, key: str) -> Any:
        return None


# -- MetaData --------------------------------------------------------------------------------


class MetaData(SchemaItem):
    """A collection of Tables (and sequences, named types) that are created and dropped together."""

    __visit_name__ = "metadata"

    def __init__(
        self,
        schema: Optional[str] = None,
        quote_schema: Optional[bool] = None,
        naming_convention: Optional[dict] = None,
        info: Optional[dict] = None,
    ) -> None:
        if schema is not None and not isinstance(schema, str):
            raise exc.ArgumentError(
                f"expected schema argument to be a string, got {type(schema)}."
            )
        self.tables = FacadeDict()
        self.schema = quoted_name(schema, quote_schema)
        self.naming_convention = naming_convention if naming_convention else DEFAULT_NAMING_CONVENTION
        if info:
            self.info = info
        self._schemas: set = set()
        self._sequences: dict = {}
        self._fk_memos: dict = {}
        self._objects: list = []

    def __repr__(self) -> str:
        return "MetaData()"

    def __contains__(self, table_or_key: Any) -> bool:
        if not isinstance(table_or_key, str):
            table_or_key = table_or_key.key
        return table_or_key in self.tables

    def _add_table(self, name: str, schema: Optional[str], table: "Table") -> None:
        self.tables._insert_item(_get_table_key(name, schema), table)
        if schema:
            self._schemas.add(schema)

    def _remove_table(self, name: str, schema: Optional[str]) -> None:
        key = _get_table_key(name, schema)
        removed = self.tables.get(key)
        if removed is None:
            return
        self.tables._remove_item(key)
        for fk in removed.foreign_keys:
            memos = self._fk_memos.get(fk._memo_key())
            if memos and fk in memos:
                memos.remove(fk)
        if self._schemas:
            self._schemas = {t.schema for t in self.tables.values() if t.schema is not None}

    def _register_object(self, obj: Any) -> None:
        if not any(o is obj for o in self._objects):
            self._objects.append(obj)

    def remove(self, table: "Table") -> None:
        """Forget `table` (the database is not touched)."""
        self._remove_table(table.name, table.schema)

    def clear(self) -> None:
        """Forget every table (the database is not touched)."""
        self.tables._clear()
        self._schemas.clear()
        self._fk_memos.clear()

    @property
    def sorted_tables(self) -> list:
        """Tables ordered so that each comes after the tables its foreign keys refer to."""
        from .ddl import sort_tables

        return sort_tables(sorted(self.tables.values(), key=lambda t: t.key))

    def create_all(self, bind: Any, tables: Optional[list] = None, checkfirst: bool = True) -> None:
        """CREATE every table (or those given), in dependency order, skipping existing ones."""
        from .ddl import SchemaGenerator

        bind._run_ddl_visitor(SchemaGenerator, self, checkfirst=checkfirst, tables=tables)

    def drop_all(self, bind: Any, tables: Optional[list] = None, checkfirst: bool = True) -> None:
        """DROP every table (or those given), dependents first, skipping missing ones."""
        from .ddl import SchemaDropper

        bind._run_ddl_visitor(SchemaDropper, self, checkfirst=checkfirst, tables=tables)


# -- Table -----------------------------------------------------------------------------------


class Table(DialectKWArgs, SchemaItem, TableClause):
    """A database table: named columns, a primary key, constraints and indexes.

    Table("name", metadata, Column(...), ...) registers itself in `metadata.tables`; asking
    again for the same name returns the existing Table (an error if columns are given again,
    unless extend_existing=True or keep_existing=True).
    """

    __visit_name__ = "table"
    named_with_column = True
    is_selectable = True
    _is_textual = False

    def __new__(cls, *args: Any, **kw: Any) -> Any:
        if not args and not kw:
            return object.__new__(cls)  # unpickling
        try:
            name, metadata, args = args[0], args[1], args[2:]
        except IndexError:
            raise TypeError(
                "Table() takes at least two positional-only arguments 'name' and 'metadata'"
            ) from None
        if not isinstance(metadata, MetaData):
            raise exc.ArgumentError(
                f"{metadata!r} is not a MetaData object; Table() takes the table name and a "
                "MetaData as its first two arguments"
            )
        schema = kw.get("schema", None)
        if schema is None:
            schema = metadata.schema
        elif schema is BLANK_SCHEMA:
            schema = None
        keep_existing = kw.get("keep_existing", False)
        extend_existing = kw.get("extend_existing", False)
        if keep_existing and extend_existing:
            raise exc.ArgumentError("Can't define both 'keep_existing' and 'extend_existing'")
        key = _get_table_key(name, schema)
        if key in metadata.tables:
            if not keep_existing and not extend_existing and bool(args):
                raise exc.InvalidRequestError(
                    f"Table '{key}' is already defined for this MetaData instance.  Specify "
                    "'extend_existing=True' to redefine options and columns on an existing "
                    "Table object."
                )
            table = metadata.tables[key]
            if extend_existing:
                table._init_existing(*args, **kw)
            return table
        if kw.get("must_exist", False):
            raise exc.InvalidRequestError(f"Table '{key}' not defined")
        table = object.__new__(cls)
        metadata._add_table(name, schema, table)
        try:
            table._init(name, metadata, *args, **kw)
        except BaseException:
            metadata._remove_table(name, schema)
            raise
        return table

    def __init__(self, *args: Any, **kw: Any) -> None:
        # all the work happens in __new__, which may return an existing Table
        pass

    def _init(
        self,
        name: str,
        metadata: MetaData,
        *args: Any,
        schema: Any = None,
        quote: Optional[bool] = None,
        quote_schema: Optional[bool] = None,
        keep_existing: bool = False,
        extend_existing: bool = False,
        implicit_returning: bool = True,
        comment: Optional[str] = None,
        info: Optional[dict] = None,
        prefixes: Optional[list] = None,
        must_exist: bool = False,
        autoload_with: Any = None,
        listeners: Any = None,
        **kw: Any,
    ) -> None:
        if autoload_with is not None:
            raise exc.ArgumentError("Table reflection (autoload_with) is not supported by ormcore")
        self.name = quoted_name(name, quote)
        self.metadata = metadata
        if schema is None:
            self.schema = metadata.schema
        elif schema is BLANK_SCHEMA:
            self.schema = None
        else:
            self.schema = quoted_name(schema, quote_schema)
        self._columns = ColumnCollection()
        self._c_view: Any = None
        self.indexes: set = set()
        self.constraints: set = set()
        self.foreign_keys: set = set()
        self._extra_dependencies: set = set()
        PrimaryKeyConstraint(_implicit_generated=True)._set_parent(self)
        self.fullname = self.name if self.schema is None else f"{self.schema}.{self.name}"
        self.implicit_returning = implicit_returning
        self.comment = comment
        if info:
            self.info = info
        self._prefixes = list(prefixes or [])
        self._validate_dialect_kwargs(kw)
        if listeners:
            raise exc.ArgumentError("Table(listeners=...) is not supported by ormcore")
        self._init_items(*args, allow_replacements=extend_existing or keep_existing)

    def _init_existing(self, *args: Any, **kw: Any) -> None:
        for name in ("schema", "quote", "quote_schema", "keep_existing", "extend_existing",
                     "autoload_with", "must_exist", "listeners"):
            kw.pop(name, None)
        if "comment" in kw:
            self.comment = kw.pop("comment")
        if "info" in kw:
            self.info = kw.pop("info")
        if "implicit_returning" in kw:
            self.implicit_returning = kw.pop("implicit_returning")
        if "prefixes" in kw:
            self._prefixes = list(kw.pop("prefixes") or [])
        self._validate_dialect_kwargs(kw)
        self._init_items(*args, allow_replacements=True)

    # -- identity and display --------------------------------------------------------------

    @property
    def key(self) -> str:
        return _get_table_key(self.name, self.schema)

    @property
    def description(self) -> str:
        return self.name

    def _gen_cache_key(self, binds: list) -> tuple:
        # by identity: a Table is long-lived and knows its column types; one tuple, reused
        key = self.__dict__.get("_table_key")
        if key is None:
            key = self.__dict__["_table_key"] = ("table", self)
        return key

    def __str__(self) -> str:
        return _get_table_key(self.description, self.schema)

    def __repr__(self) -> str:
        parts = [repr(self.name), repr(self.metadata)]
        parts.extend(repr(c) for c in self.columns)
        parts.append(f"schema={self.schema!r}")
        return f"Table({', '.join(parts)})"

    # -- columns ---------------------------------------------------------------------------

    @property
    def columns(self) -> Any:
        view = self._c_view
        if view is None:
            view = self._c_view = self._columns.as_readonly()
        return view

    c = columns

    def _columns_changed(self) -> None:
        self._c_view = None

    @property
    def foreign_key_constraints(self) -> set:
        return {fk.constraint for fk in self.foreign_keys}

    @property
    def _sorted_constraints(self) -> list:
        return sorted(self.constraints, key=lambda c: c._creation_order)

    @property
    def autoincrement_column(self) -> Optional["Column"]:
        """The integer primary key column the database generates values for, if any."""
        return self.primary_key._autoincrement_column

    _autoincrement_column = autoincrement_column

    def append_column(self, column: "Column", replace_existing: bool = False) -> None:
        """Add `column` at the end (replacing a same-named one only if replace_existing)."""
        self._add_column(column, replace_existing, None)

    def insert_column(self, column: "Column", index: int, replace_existing: bool = False) -> None:
        """Add `column` at position `index`."""
        self._add_column(column, replace_existing, index)

    def _add_column(self, column: "Column", replace_existing: bool, index: Optional[int]) -> None:
        column._set_parent(
            self,
            allow_replacements=replace_existing,
            index=index,
            _duplicate_hint=" Specify replace_existing=True to Table.append_column() or "
            "Table.insert_column() to replace an existing column.",
        )

    def append_constraint(self, constraint: Any) -> None:
        constraint._set_parent(self)

    def add_is_dependent_on(self, table: "Table") -> None:
        """Make create_all/drop_all order this table after `table` though no foreign key says so."""
        self._extra_dependencies.add(table)

    # -- DDL -------------------------------------------------------------------------------

    def create(self, bind: Any, checkfirst: bool = False) -> None:
        """CREATE TABLE (and its indexes) on `bind` (an Engine or Connection)."""
        from .ddl import SchemaGenerator

        bind._run_ddl_visitor(SchemaGenerator, self, checkfirst=checkfirst)

    def drop(self, bind: Any, checkfirst: bool = False) -> None:
        """DROP TABLE on `bind` (an Engine or Connection)."""
        from .ddl import SchemaDropper

        bind._run_ddl_visitor(SchemaDropper, self, checkfirst=checkfirst)

    # -- copying ---------------------------------------------------------------------------

    def to_metadata(
        self,
        metadata: MetaData,
        schema: Any = RETAIN_SCHEMA,
        referred_schema_fn: Optional[Callable] = None,
        name: Optional[str] = None,
    ) -> "Table":
        """A copy of this table, with copies of its columns and constraints, in `metadata`."""
        if name is None:
            name = self.name
        if schema is RETAIN_SCHEMA:
            actual_schema = self.schema
        elif schema is None:
            actual_schema = metadata.schema
        else:
            actual_schema = schema
        key = _get_table_key(name, actual_schema)
        if key in metadata.tables:
            warnings.warn(
                f"Table '{self.description}' already exists within the given MetaData - "
                "not copying.",
                exc.SAWarning,
                stacklevel=2,
            )
            return metadata.tables[key]
        columns = [c._copy(schema=actual_schema) for c in self.columns]
        table = Table(
            name, metadata, *columns, schema=actual_schema, comment=self.comment,
            prefixes=self._prefixes, implicit_returning=self.implicit_returning, **self.kwargs,
        )
        for const in self._sorted_constraints:
            if isinstance(const, ForeignKeyConstraint):
                referred_schema = const._referred_schema
                if referred_schema_fn is not None:
                    fk_schema = referred_schema_fn(self, actual_schema, const, referred_schema)
                else:
                    fk_schema = actual_schema if referred_schema == self.schema else None
                table.append_constraint(const._copy(schema=fk_schema, target_table=table))
            elif not const._type_bound:
                if const._column_flag:
                    continue
                table.append_constraint(const._copy(target_table=table))
        for index in self.indexes:
            if index._column_flag:
                continue
            exprs = [
                table.c[e.key] if isinstance(e, Column) and e.table is self else e
                for e in index.expressions
            ]
            Index(index.name, *exprs, unique=index.unique, _table=table, **index.kwargs)
        return self._copy_info_to(table)  # type: ignore[return-value]

    def tometadata(self, metadata: MetaData, schema: Any = RETAIN_SCHEMA,
                   referred_schema_fn: Optional[Callable] = None,
                   name: Optional[str] = None) -> "Table":
        warnings.warn(
            "Table.tometadata() is renamed to Table.to_metadata() (deprecated since: 1.4)",
            exc.SADeprecationWarning,
            stacklevel=2,
        )
        return self.to_metadata(metadata, schema, referred_schema_fn, name)


# -- Column ----------------------------------------------------------------------------------


def _is_type(obj: Any) -> bool:
    return isinstance(obj, type_api.TypeEngine) or (
        isinstance(obj, type) and issubclass(obj, type_api.TypeEngine)
    )


class Column(DialectKWArgs, SchemaItem, ColumnClause):
    """A table column: name, type, keys, nullability, defaults.

    Column("name", Integer, ForeignKey("other.id"), primary_key=True, ...). With no type and
    a ForeignKey, the column takes the referenced column's type once that table is known.
    """

    __visit_name__ = "column"
    inherit_cache = True

    def __init__(
        self,
        *args: Any,
        name: Optional[str] = None,
        type_: Any = None,
        autoincrement: Any = "auto",
        default: Any = None,
        insert_default: Any = None,
        doc: Optional[str] = None,
        key: Optional[str] = None,
        index: Optional[bool] = None,
        unique: Optional[bool] = None,
        info: Optional[dict] = None,
        nullable: Any = _NULL_UNSPECIFIED,
        onupdate: Any = None,
        primary_key: bool = False,
        server_default: Any = None,
        server_onupdate: Any = None,
        quote: Optional[bool] = None,
        system: bool = False,
        comment: Optional[str] = None,
        insert_sentinel: bool = False,
        _omit_from_statements: bool = False,
        **dialect_kwargs: Any,
    ) -> None:
        items = list(args)
        if items:
            if isinstance(items[0], str):
                if name is not None:
                    raise exc.ArgumentError("May not pass name positionally and as a keyword.")
                name = items.pop(0)
            elif items[0] is None:
                items.pop(0)
        if items:
            if _is_type(items[0]):
                if type_ is not None:
                    raise exc.ArgumentError("May not pass type_ positionally and as a keyword.")
                type_ = items.pop(0)
            elif items[0] is None:
                items.pop(0)
        if name is not None:
            name = quoted_name(name, quote)
        elif quote is not None:
            raise exc.ArgumentError("Explicit 'name' is required when sending 'quote' argument")
        ColumnClause.__init__(self, name, type_)  # type: ignore[arg-type]
        self.key = key if key is not None else name
        self.primary_key = primary_key
        self._insert_sentinel = insert_sentinel
        self._omit_from_statements = _omit_from_statements
        self._user_defined_nullable = nullable
        self.nullable = (not primary_key) if nullable is _NULL_UNSPECIFIED else nullable
        self.index = index
        self.unique = unique
        self.system = system
        self.doc = doc
        self.autoincrement = autoincrement
        self.comment = comment
        self.constraints: set = set()
        self.foreign_keys: set = set()  # type: ignore[assignment]
        self.computed: Optional[Computed] = None
        self.identity: Optional[Identity] = None
        self._table_hooks: list = []
        self._creation_order = next(_creation_order)

        # the keyword defaults are set before the positional items attach, so that an item
        # (Identity, Computed) can refuse to be combined with them
        resolved_default = insert_default if insert_default is not None else default
        if resolved_default is not None:
            if not isinstance(resolved_default, (ColumnDefault, Sequence)):
                resolved_default = ColumnDefault(resolved_default)
            items.append(resolved_default)
        self.default: Any = resolved_default
        if onupdate is not None:
            if not isinstance(onupdate, (ColumnDefault, Sequence)):
                onupdate = ColumnDefault(onupdate, for_update=True)
            items.append(onupdate)
        self.onupdate: Any = onupdate
        if server_default is not None:
            if isinstance(server_default, FetchedValue):
                server_default = server_default._as_for_update(False)
            else:
                server_default = DefaultClause(server_default)
            items.append(server_default)
        self.server_default: Any = server_default
        if server_onupdate is not None:
            if isinstance(server_onupdate, FetchedValue):
                server_onupdate = server_onupdate._as_for_update(True)
            else:
                server_onupdate = DefaultClause(server_onupdate, for_update=True)
            items.append(server_onupdate)
        self.server_onupdate: Any = server_onupdate

        self._attach_type_hooks()
        self._init_items(*items)
        if info is not None:
            self.info = info
        self._validate_dialect_kwargs(dialect_kwargs)

    def _attach_type_hooks(self) -> None:
        types = [self.type, *self.type._variant_mapping.values()]
        for type_ in types:
            hook = getattr(type_, "_set_table", None)
            if hook is not None:
                self._on_table_attach(hook)

    __hash__ = object.__hash__  # by identity, in C: columns key dicts and cache keys

    def _gen_cache_key(self, binds: list) -> tuple:
        # a table's column by identity: long-lived, and its type decides the processors
        return ("column", self) if self.table is not None else super()._gen_cache_key(binds)

    @property
    def _ddl_label(self) -> str:
        table = self.table
        if table is None:
            return self.name
        if getattr(table, "schema", None):
            return table.schema.replace(".", "_") + "_" + table.name + "_" + self.name
        return table.name + "_" + self.name

    def _on_table_attach(self, fn: Callable[["Column", "Table"], None]) -> None:
        if self.table is not None:
            fn(self, self.table)
        else:
            self._table_hooks.append(fn)

    def _set_parent(
        self,
        table: Table,
        allow_replacements: bool = True,
        index: Optional[int] = None,
        _duplicate_hint: str = "",
    ) -> None:
        if not self.name:
            raise exc.ArgumentError(
                "Column must be constructed with a non-blank name or assign a non-blank .name "
                "before adding to a Table."
            )
        if self.key is None:
            self.key = self.name
        existing = self.table
        if existing is not None and existing is not table:
            raise exc.ArgumentError(
                f"Column object '{self.key}' already assigned to Table '{existing.description}'"
            )
        replaced = self._find_replaced(table, allow_replacements, _duplicate_hint)
        if replaced is not None:
            for fk in replaced.foreign_keys:
                table.foreign_keys.discard(fk)
                table.constraints.discard(fk.constraint)
            if replaced.primary_key:
                table.primary_key._remove(replaced)
        _place_column(table._columns, self, replaced, index)
        table._columns_changed()
        self.table = table
        if self.primary_key:
            table.primary_key._replace(self)
        elif table.primary_key._has_key(self.key):
            raise exc.ArgumentError(
                f"Trying to redefine primary-key column '{self.key}' as a non-primary-key "
                f"column on table '{table.fullname}'"
            )
        if self.index:
            if isinstance(self.index, str):
                raise exc.ArgumentError(
                    "The 'index' keyword argument on Column is boolean only. To create indexes "
                    "with a specific name, create an explicit Index object external to the "
                    "Table."
                )
            table.append_constraint(
                Index(None, self.key, unique=bool(self.unique), _column_flag=True)
            )
        elif self.unique:
            if isinstance(self.unique, str):
                raise exc.ArgumentError(
                    "The 'unique' keyword argument on Column is boolean only. To create unique "
                    "constraints or indexes with a specific name, append an explicit "
                    "UniqueConstraint to the Table's list of elements, or create an explicit "
                    "Index object external to the Table."
                )
            table.append_constraint(UniqueConstraint(self.key, _column_flag=True))
        hooks, self._table_hooks = self._table_hooks, []
        for hook in hooks:
            hook(self, table)
        metadata = table.metadata
        for memo_key, by_name in (((table.key, self.key), False), ((table.key, self.name), True)):
            for fk in list(metadata._fk_memos.get(memo_key, ())):
                if fk.link_to_name is by_name:
                    fk._set_target_column(self)

    def _find_replaced(
        self, table: Table, allow_replacements: bool, hint: str
    ) -> Optional["Column"]:
        """The column of `table` this one replaces: same key, else same name."""
        conflicts_on = "key" if self.key != self.name else "name"
        existing = table._columns.get(self.key)
        if existing is None:
            conflicts_on = "name"
            existing = next((c for c in table._columns if c.name == self.name), None)
        if existing is None or existing is self:
            return None
        if not allow_replacements:
            shown = self.key if conflicts_on == "key" else self.name
            raise exc.ArgumentError(
                f"A column with {conflicts_on} '{shown}' is already present in table "
                f"'{table.name}'.{hint}"
            )
        return existing

    def _memoized_fks(self) -> list:
        if self.table is None:
            return []
        memos = self.table.metadata._fk_memos
        return list(
            itertools.chain(
                memos.get((self.table.key, self.key), ()),
                memos.get((self.table.key, self.name), ()),
            )
        )

    def references(self, column: Any) -> bool:
        """Whether one of this column's foreign keys points at `column`."""
        return any(fk.column is column for fk in self.foreign_keys)

    def _copy(self, **kw: Any) -> "Column":
        """An unattached copy of this column, with copies of its defaults and constraints."""
        server_default = self.server_default
        server_onupdate = self.server_onupdate
        items: list = []
        if isinstance(server_default, (Computed, Identity)):
            items.append(server_default._copy())
            server_default = server_onupdate = None
        type_ = self.type
        if isinstance(type_, type_api.TypeEngine) and hasattr(type_, "_set_table"):
            type_ = type_.copy()
        items.extend(c._copy(**kw) for c in self.constraints if not c._type_bound)
        items.extend(fk._copy(**kw) for fk in self.foreign_keys if fk.constraint is None)
        default = self.default
        if isinstance(default, ColumnDefault):
            default = default._copy()
        onupdate = self.onupdate
        if isinstance(onupdate, ColumnDefault):
            onupdate = onupdate._copy()
        column = self.__class__(
            self.name,
            type_,
            *items,
            key=self.key,
            primary_key=self.primary_key,
            unique=self.unique,
            system=self.system,
            index=self.index,
            autoincrement=self.autoincrement,
            default=default,
            onupdate=onupdate,
            server_default=_copy_server_default(server_default),
            server_onupdate=_copy_server_default(server_onupdate),
            doc=self.doc,
            comment=self.comment,
            insert_sentinel=self._insert_sentinel,
            _omit_from_statements=self._omit_from_statements,
            **self.dialect_kwargs,
        )
        column.nullable = self.nullable
        column._user_defined_nullable = self._user_defined_nullable
        return self._copy_info_to(column)  # type: ignore[return-value]

    def copy(self, **kw: Any) -> "Column":
        warnings.warn(
            "The Column.copy() method is deprecated and will be removed in a future release. "
            "(deprecated since: 1.4)",
            exc.SADeprecationWarning,
            stacklevel=2,
        )
        return self._copy(**kw)

    def __repr__(self) -> str:
        flags = []
        if self.key != self.name:
            flags.append("key")
        if self.primary_key:
            flags.append("primary_key")
        if not self.nullable:
            flags.append("nullable")
        if self.onupdate is not None:
            flags.append("onupdate")
        if self.default is not None:
            flags.append("default")
        if self.server_default is not None:
            flags.append("server_default")
        if self.comment:
            flags.append("comment")
        parts = [repr(self.name), repr(self.type)]
        parts.extend(repr(fk) for fk in self.foreign_keys)
        parts.extend(repr(c) for c in self.constraints)
        parts.append(f"table=<{self.table.description}>" if self.table is not None else "table=None")
        parts.extend(f"{k}={getattr(self, k)!r}" for k in flags)
        return f"Column({', '.join(parts)})"


def _copy_server_default(value: Any) -> Any:
    return value._copy() if isinstance(value, FetchedValue) else value


# -- foreign keys ----------------------------------------------------------------------------


class ForeignKey(DialectKWArgs, SchemaItem):
    """A reference from a column to another table's column: "table.col" or "schema.table.col".

    The target is found lazily in the parent table's MetaData, so tables may be declared in
    any order; `.column` raises NoReferencedTableError / NoReferencedColumnError when it
    cannot be found.
    """

    __visit_name__ = "foreign_key"

    def __init__(
        self,
        column: Any,
        _constraint: Optional["ForeignKeyConstraint"] = None,
        use_alter: bool = False,
        name: Optional[str] = None,
        onupdate: Optional[str] = None,
        ondelete: Optional[str] = None,
        deferrable: Optional[bool] = None,
        initially: Optional[str] = None,
        link_to_name: bool = False,
        match: Optional[str] = None,
        info: Optional[dict] = None,
        comment: Optional[str] = None,
        _unresolvable: bool = False,
        **dialect_kw: Any,
    ) -> None:
        self._unresolvable = _unresolvable
        if isinstance(column, str):
            self._colspec = column
            self._table_column = None
        else:
            if hasattr(column, "__clause_element__"):
                column = column.__clause_element__()
            if not isinstance(column, ColumnClause):
                raise exc.ArgumentError(
                    f"String column name or column expression for DDL constraint expected, "
                    f"got {column!r}"
                )
            self._colspec = column
            self._table_column = column
        self.parent: Optional[Column] = None
        self.constraint = _constraint
        self.use_alter = use_alter
        self.name = name
        self.onupdate = onupdate
        self.ondelete = ondelete
        self.deferrable = deferrable
        self.initially = initially
        self.link_to_name = link_to_name
        self.match = match
        self.comment = comment
        self._resolved: Optional[Column] = None
        if info:
            self.info = info
        self._validate_dialect_kwargs(dialect_kw)

    def __repr__(self) -> str:
        return f"ForeignKey({self._get_colspec()!r})"

    def _get_colspec(self, schema: Any = None, table_name: Optional[str] = None, _is_copy: bool = False) -> str:
        if schema not in (None, RETAIN_SCHEMA):
            _schema, tname, colname = self._column_tokens
            if table_name is not None:
                tname = table_name
            if schema is BLANK_SCHEMA:
                return f"{tname}.{colname}"
            return f"{schema}.{tname}.{colname}"
        if table_name is not None:
            schema_, _t, colname = self._column_tokens
            return f"{schema_}.{table_name}.{colname}" if schema_ else f"{table_name}.{colname}"
        if self._table_column is not None:
            table = self._table_column.table
            if table is None:
                if _is_copy:
                    raise exc.InvalidRequestError(
                        "Can't copy ForeignKey object which refers to non-table bound Column "
                        f"{self._table_column!r}"
                    )
                return self._table_column.key
            return f"{table.fullname}.{self._table_column.key}"
        return self._colspec

    @property
    def _referred_schema(self) -> Optional[str]:
        return self._column_tokens[0]

    @property
    def target_fullname(self) -> str:
        return self._get_colspec()

    @property
    def _column_tokens(self) -> tuple:
        parts = self._get_colspec().split(".")
        if len(parts) == 1:
            tname, colname = parts.pop(), None
        else:
            colname = parts.pop()
            tname = parts.pop()
        schema = ".".join(parts) if parts else None
        return schema, tname, colname

    def _resolve_col_tokens(self) -> tuple:
        if self.parent is None or self.parent.table is None:
            raise exc.InvalidRequestError(
                "this ForeignKey's parent column is not yet associated with a Table."
            )
        parenttable = self.parent.table
        schema, tname, colname = self._column_tokens
        if schema is None and parenttable.metadata.schema is not None:
            schema = parenttable.metadata.schema
        return parenttable, _get_table_key(tname, schema), colname

    def _memo_key(self) -> Optional[tuple]:
        if not isinstance(self._colspec, str) or self.parent is None or self.parent.table is None:
            return None
        _parent, table_key, colname = self._resolve_col_tokens()
        return (table_key, colname)

    def _link_to_col_by_colstring(self, parenttable: Table, table: Table, colname: Optional[str]) -> Column:
        found = None
        if colname is None:
            key = self.parent.key  # type: ignore[union-attr]
            found = table.c.get(key)
        elif self.link_to_name:
            key = colname
            for col in table.c:
                if col.name == colname:
                    found = col
        else:
            key = colname
            found = table.c.get(colname)
        if found is None:
            raise exc.NoReferencedColumnError(
                f"Could not initialize target column for ForeignKey '{self._colspec}' on table "
                f"'{parenttable.name}': table '{table.name}' has no column named '{key}'",
                table.name,
                key,
            )
        return found

    def _resolve_column(self, raiseerr: bool = True) -> Optional[Column]:
        if isinstance(self._colspec, str):
            parenttable, table_key, colname = self._resolve_col_tokens()
            metadata = parenttable.metadata
            if self._unresolvable or table_key not in metadata.tables:
                if not raiseerr:
                    return None
                raise exc.NoReferencedTableError(
                    f"Foreign key associated with column '{self.parent}' could not find table "
                    f"'{table_key}' with which to generate a foreign key to target column "
                    f"'{colname}'",
                    table_key,
                )
            if parenttable.key not in metadata.tables:
                if not raiseerr:
                    return None
                raise exc.InvalidRequestError(
                    f"Table {parenttable} is no longer associated with its parent MetaData"
                )
            return self._link_to_col_by_colstring(parenttable, metadata.tables[table_key], colname)
        return self._colspec

    @property
    def column(self) -> Column:
        """The referenced Column, found in the MetaData on first use."""
        if self._resolved is None:
            self._set_target_column(self._resolve_column())
        return self._resolved  # type: ignore[return-value]

    def _set_target_column(self, column: Column) -> None:
        parent = self.parent
        if parent is not None and parent.type._isnull and not column.type._isnull:
            parent.type = column.type
            # columns whose foreign keys point at our parent inherit the type too
            for fk in parent._memoized_fks():
                if fk.parent is not None and fk.parent.type._isnull:
                    fk.parent.type = column.type
        self._resolved = column

    def references(self, table: Any) -> bool:
        """Whether this foreign key points at a column of `table`."""
        return self.get_referent(table) is not None

    def get_referent(self, table: Any) -> Optional[Any]:
        """The column of `table` this foreign key points at, or None."""
        target = self.column
        corresponding = getattr(table, "corresponding_column", None)
        if corresponding is not None and not isinstance(table, Table):
            return corresponding(target)
        for col in table.c:
            if col is target:
                return col
        return None

    def _set_parent(self, column: Column, **kw: Any) -> None:
        if self.parent is not None and self.parent is not column:
            raise exc.InvalidRequestError("This ForeignKey already has a parent !")
        self.parent = column
        column.foreign_keys.add(self)
        column._on_table_attach(self._set_table)

    def _set_table(self, column: Column, table: Table) -> None:
        if self.constraint is None:
            self.constraint = ForeignKeyConstraint(
                [], [], use_alter=self.use_alter, name=self.name, onupdate=self.onupdate,
                ondelete=self.ondelete, deferrable=self.deferrable, initially=self.initially,
                match=self.match, comment=self.comment, **self.dialect_kwargs,
            )
            self.constraint._append_element(column, self)
            self.constraint._set_parent(table)
        table.foreign_keys.add(self)
        if isinstance(self._colspec, str):
            parenttable, table_key, colname = self._resolve_col_tokens()
            metadata = parenttable.metadata
            if table_key in metadata.tables:
                try:
                    target = self._link_to_col_by_colstring(
                        parenttable, metadata.tables[table_key], colname
                    )
                except exc.NoReferencedColumnError:
                    pass  # the column may be added later; .column will look again
                else:
                    self._set_target_column(target)
            metadata._fk_memos.setdefault((table_key, colname), []).append(self)
        else:
            self._set_target_column(self._colspec)

    def _copy(self, schema: Any = None, **kw: Any) -> "ForeignKey":
        copied = ForeignKey(
            self._get_colspec(schema=schema, _is_copy=True),
            use_alter=self.use_alter,
            name=self.name,
            onupdate=self.onupdate,
            ondelete=self.ondelete,
            deferrable=self.deferrable,
            initially=self.initially,
            link_to_name=self.link_to_name,
            match=self.match,
            comment=self.comment,
            **self.dialect_kwargs,
        )
        return self._copy_info_to(copied)  # type: ignore[return-value]

    def copy(self, schema: Any = None, **kw: Any) -> "ForeignKey":
        warnings.warn(
            "The ForeignKey.copy() method is deprecated and will be removed in a future "
            "release. (deprecated since: 1.4)",
            exc.SADeprecationWarning,
            stacklevel=2,
        )
        return self._copy(schema=schema, **kw)


# -- constraints -----------------------------------------------------------------------------


class Constraint(DialectKWArgs, SchemaItem):
    """Base of table constraints; `name` may come from the MetaData's naming convention."""

    __visit_name__ = "constraint"
    _column_flag = False

    def __init__(
        self,
        name: Optional[str] = None,
        deferrable: Optional[bool] = None,
        initially: Optional[str] = None,
        info: Optional[dict] = None,
        comment: Optional[str] = None,
        _create_rule: Optional[Callable[[Any], bool]] = None,
        _type_bound: bool = False,
        **dialect_kw: Any,
    ) -> None:
        self.name = quoted_name(name, None) if isinstance(name, str) else name
        self.deferrable = deferrable
        self.initially = initially
        self.comment = comment
        if info:
            self.info = info
        self._create_rule = _create_rule
        self._type_bound = _type_bound
        self.parent: Any = None
        self._creation_order = next(_creation_order)
        self._validate_dialect_kwargs(dialect_kw)

    @property
    def table(self) -> Table:
        parent = self.parent
        if isinstance(parent, Table):
            return parent
        if isinstance(parent, Column) and parent.table is not None:
            return parent.table
        raise exc.InvalidRequestError(
            "This constraint is not bound to a table.  Did you mean to call "
            "table.append_constraint(constraint) ?"
        )

    def _should_create_for_compiler(self, compiler: Any) -> bool:
        if self._create_rule is not None:
            return self._create_rule(compiler)
        return True

    def _set_parent(self, parent: Any, **kw: Any) -> None:
        self.parent = parent
        if isinstance(parent, Table):
            parent.constraints.add(self)
            _apply_naming_convention(self, parent)
        elif isinstance(parent, Column):
            parent.constraints.add(self)
            parent._on_table_attach(lambda col, table: _apply_naming_convention(self, table))

    def _convention_name(self) -> Optional[str]:
        """The naming-convention name, for a name deferred until DDL time."""
        return _constraint_name_for_table(self, self.table)

    def _copy_common(self) -> dict:
        return dict(
            name=self.name if not isinstance(self.name, conv) else None,
            deferrable=self.deferrable,
            initially=self.initially,
            comment=self.comment,
            **self.dialect_kwargs,
        )

    def __repr__(self) -> str:
        return generic_schema_repr(self)


def generic_schema_repr(obj: Any) -> str:
    parts = [repr(c) for c in getattr(obj, "_columns", ())]
    return f"{obj.__class__.__name__}({', '.join(parts)})"


class ColumnCollectionConstraint(Constraint):
    """A constraint over a list of columns, given as Column objects or column names."""

    def __init__(
        self,
        *columns: Any,
        name: Optional[str] = None,
        deferrable: Optional[bool] = None,
        initially: Optional[str] = None,
        info: Optional[dict] = None,
        _autoattach: bool = True,
        _column_flag: bool = False,
        **dialect_kw: Any,
    ) -> None:
        Constraint.__init__(
            self, name=name, deferrable=deferrable, initially=initially, info=info, **dialect_kw
        )
        self._column_flag = _column_flag
        self._columns = ColumnCollection()
        self._pending_colargs = [_column_or_name(c) for c in columns]
        if _autoattach and self._pending_colargs:
            _attach_when_columns_bound(self)

    @property
    def columns(self) -> Any:
        return self._columns.as_readonly()

    def _resolve_columns(self, table: Table) -> None:
        for col in self._pending_colargs:
            if isinstance(col, str):
                try:
                    col = table.c[col]
                except KeyError:
                    raise exc.ArgumentError(
                        f"Can't create {self.__class__.__name__} on table "
                        f"'{table.description}': no column named '{col}' is present."
                    ) from None
            if not self._columns.contains_column(col):
                _put_column(self._columns, col)

    def _set_parent(self, parent: Any, **kw: Any) -> None:
        if isinstance(parent, Table):
            self.parent = parent
            self._resolve_columns(parent)
        Constraint._set_parent(self, parent)

    def contains_column(self, col: Any) -> bool:
        return self._columns.contains_column(col)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def _column_names_for_copy(self) -> list:
        if self._columns:
            return [c.key for c in self._columns]
        return [c if isinstance(c, str) else c.key for c in self._pending_colargs]

    def _copy(self, target_table: Optional[Table] = None, **kw: Any) -> "ColumnCollectionConstraint":
        copied = self.__class__(
            *self._column_names_for_copy(), _column_flag=self._column_flag, **self._copy_common()
        )
        return self._copy_info_to(copied)  # type: ignore[return-value]


def _column_or_name(element: Any) -> Any:
    if isinstance(element, str):
        return element
    if hasattr(element, "__clause_element__"):
        element = element.__clause_element__()
    if not isinstance(element, ColumnClause):
        raise exc.ArgumentError(
            f"String column name or column expression for DDL constraint expected, got {element!r}"
        )
    return element


def _attach_when_columns_bound(constraint: Any) -> None:
    """Attach a constraint given Column objects to their table, now or once they get one."""
    columns = [c for c in constraint._pending_colargs if isinstance(c, Column)]
    if not columns or len(columns) != len(constraint._pending_colargs):
        return
    unbound = [c for c in columns if c.table is None]
    if unbound:
        state = {"done": False}

        def attach(col: Column, table: Table) -> None:
            if not state["done"] and all(c.table is not None for c in columns):
                state["done"] = True
                _attach_to_common_table(constraint, columns)

        for col in unbound:
            col._on_table_attach(attach)
        return
    _attach_to_common_table(constraint, columns)


def _attach_to_common_table(constraint: Any, columns: list) -> None:
    table = columns[0].table
    others = [c for c in columns if c.table is not table]
    if others:
        raise exc.ArgumentError(
            f"Column(s) {', '.join(repr(str(c)) for c in others)} are not part of table "
            f"'{table.description}'."
        )
    constraint._set_parent(table)


class PrimaryKeyConstraint(ColumnCollectionConstraint):
    """The table's primary key; every Table has one, empty when no column is a key."""

    __visit_name__ = "primary_key_constraint"

    def __init__(
        self,
        *columns: Any,
        name: Optional[str] = None,
        deferrable: Optional[bool] = None,
        initially: Optional[str] = None,
        info: Optional[dict] = None,
        _implicit_generated: bool = False,
        **dialect_kw: Any,
    ) -> None:
        self._implicit_generated = _implicit_generated
        super().__init__(
            *columns, name=name, deferrable=deferrable, initially=initially, info=info,
            **dialect_kw,
        )

    def _set_parent(self, parent: Any, **kw: Any) -> None:
        if not isinstance(parent, Table):
            return super()._set_parent(parent)
        existing = getattr(parent, "primary_key", None)
        table_pks = [c for c in parent.c if c.primary_key] if existing is not None else []
        super()._set_parent(parent)
        if existing is not None and existing is not self:
            parent.constraints.discard(existing)
        parent.primary_key = self
        parent.constraints.add(self)
        if self._columns and table_pks and {id(c) for c in table_pks} != {id(c) for c in self._columns}:
            warnings.warn(
                f"Table '{parent.name}' specifies columns "
                f"{', '.join(repr(c.name) for c in table_pks)} as primary_key=True, not "
                f"matching locally specified columns "
                f"{', '.join(repr(c.name) for c in self._columns)}; setting the current primary "
                f"key columns to {', '.join(repr(c.name) for c in self._columns)}. This warning "
                "may become an exception in a future release",
                exc.SAWarning,
                stacklevel=4,
            )
            table_pks = []
        for col in self._columns:
            col.primary_key = True
            if col._user_defined_nullable is _NULL_UNSPECIFIED:
                col.nullable = False
        for col in table_pks:
            if not self._columns.contains_column(col):
                _put_column(self._columns, col)

    def _replace(self, col: Column) -> None:
        _put_column(self._columns, col)
        if self._implicit_generated and self.parent is not None:
            # a convention name depends on the columns, so recompute it
            self.name = None
            _apply_naming_convention(self, self.parent)

    def _remove(self, col: Column) -> None:
        _drop_column(self._columns, col)

    def _copy(self, target_table: Optional[Table] = None, **kw: Any) -> "PrimaryKeyConstraint":
        copied = PrimaryKeyConstraint(
            *self._column_names_for_copy(),
            _implicit_generated=self._implicit_generated,
            **self._copy_common(),
        )
        return self._copy_info_to(copied)  # type: ignore[return-value]

    def _has_key(self, key: str) -> bool:
        return key in self._columns

    @property
    def columns_autoinc_first(self) -> list:
        autoinc = self._autoincrement_column
        if autoinc is None:
            return list(self._columns)
        return [autoinc] + [c for c in self._columns if c is not autoinc]

    @property
    def _autoincrement_column(self) -> Optional[Column]:
        columns = list(self._columns)
        if len(columns) == 1:
            col = columns[0]
            if col.autoincrement is True:
                _validate_autoinc(col, True)
                return col
            if col.autoincrement in ("auto", "ignore_fk") and _validate_autoinc(col, False):
                return col
            return None
        found = None
        for col in columns:
            if col.autoincrement is True:
                _validate_autoinc(col, True)
                if found is not None:
                    raise exc.ArgumentError(
                        f"Only one Column may be marked autoincrement=True, found both "
                        f"{col.name} and {found.name}."
                    )
                found = col
        return found


def _validate_autoinc(col: Column, autoinc_true: bool) -> bool:
    """Whether `col` qualifies as the autoincrement column (raising if it was marked and can't)."""
    affinity = col.type._type_affinity
    if affinity is not None and issubclass(affinity, type_api.NUMERICTYPE._type_affinity):
        # NUMERIC keys autoincrement only when asked to, and only without decimals
        scale = col.type.scale
        if scale != 0 and autoinc_true:
            raise exc.ArgumentError(
                f"Column type {col.type} with non-zero scale {scale} on column '{col}' is not "
                "compatible with autoincrement=True"
            )
        return autoinc_true
    if affinity is None or not issubclass(affinity, type_api.INTEGERTYPE._type_affinity):
        if autoinc_true:
            raise exc.ArgumentError(
                f"Column type {col.type} on column '{col}' is not compatible with "
                "autoincrement=True"
            )
        return False
    if autoinc_true:
        return True
    if col.default is not None and not isinstance(col.default, Sequence):
        return False
    if col.server_default is not None and not isinstance(col.server_default, Identity):
        return False
    if col.foreign_keys and col.autoincrement not in (True, "ignore_fk"):
        return False
    return True


class UniqueConstraint(ColumnCollectionConstraint):
    """UNIQUE over one or more columns."""

    __visit_name__ = "unique_constraint"


class CheckConstraint(ColumnCollectionConstraint):
    """CHECK (sqltext): a string or text() condition, on a table or a single column."""

    _allow_multiple_tables = True

    def __init__(
        self,
        sqltext: Any,
        name: Optional[str] = None,
        deferrable: Optional[bool] = None,
        initially: Optional[str] = None,
        table: Optional[Table] = None,
        info: Optional[dict] = None,
        _create_rule: Optional[Callable[[Any], bool]] = None,
        _autoattach: bool = True,
        _type_bound: bool = False,
        **dialect_kw: Any,
    ) -> None:
        if isinstance(sqltext, str):
            sqltext = TextClause(sqltext)
        elif not isinstance(sqltext, ClauseElement):
            raise exc.ArgumentError(
                f"SQL expression for DDL constraint expected, got {sqltext!r}"
            )
        self.sqltext = sqltext
        # naming conventions may refer to the constrained columns (%(column_0_name)s)
        columns = [sqltext.column] if isinstance(sqltext, _InValuesCheck) else []
        super().__init__(
            *columns, name=name, deferrable=deferrable, initially=initially, info=info,
            _autoattach=_autoattach and table is None, **dialect_kw,
        )
        self._create_rule = _create_rule
        self._type_bound = _type_bound
        if table is not None:
            self._set_parent(table)

    @property
    def is_column_level(self) -> bool:
        return not isinstance(self.parent, Table)

    @property
    def __visit_name__(self) -> str:  # type: ignore[override]
        return "column_check_constraint" if self.is_column_level else "check_constraint"

    def _copy(self, target_table: Optional[Table] = None, **kw: Any) -> "CheckConstraint":
        sqltext = self.sqltext
        if isinstance(sqltext, _InValuesCheck) and target_table is not None:
            sqltext = _InValuesCheck(target_table.c[sqltext.column.key], sqltext.values)
        copied = CheckConstraint(
            sqltext,
            name=self.name if not isinstance(self.name, conv) else None,
            deferrable=self.deferrable,
            initially=self.initially,
            _create_rule=self._create_rule,
            _type_bound=self._type_bound,
            **self.dialect_kwargs,
        )
        return self._copy_info_to(copied)  # type: ignore[return-value]

    def __repr__(self) -> str:
        parts = [repr(self.sqltext)]
        if self.name is not None:
            parts.append(f"name={self.name!r}")
        return f"CheckConstraint({', '.join(parts)})"


class _InValuesCheck(ClauseElement):
    """`column IN (values...)`: the CHECK that Boolean and Enum add on non-native backends."""

    __visit_name__ = "ddl_in_values"

    def __init__(self, column: Column, values: list) -> None:
        self.column = column
        self.values = list(values)

    def __repr__(self) -> str:
        return f"<{self.column.name} IN {tuple(self.values)!r}>"


class ForeignKeyConstraint(ColumnCollectionConstraint):
    """FOREIGN KEY (cols) REFERENCES other (refcols), possibly over several columns."""

    __visit_name__ = "foreign_key_constraint"

    def __init__(
        self,
        columns: Any,
        refcolumns: Any,
        name: Optional[str] = None,
        onupdate: Optional[str] = None,
        ondelete: Optional[str] = None,
        deferrable: Optional[bool] = None,
        initially: Optional[str] = None,
        use_alter: bool = False,
        link_to_name: bool = False,
        match: Optional[str] = None,
        table: Optional[Table] = None,
        info: Optional[dict] = None,
        comment: Optional[str] = None,
        **dialect_kw: Any,
    ) -> None:
        Constraint.__init__(
            self, name=name, deferrable=deferrable, initially=initially, info=info,
            comment=comment, **dialect_kw,
        )
        self.onupdate = onupdate
        self.ondelete = ondelete
        self.link_to_name = link_to_name
        self.use_alter = use_alter
        self.match = match
        columns = list(columns)
        refcolumns = list(refcolumns)
        distinct = {id(c) if not isinstance(c, str) else c for c in columns}
        if len(distinct) != len(refcolumns):
            if len(distinct) != len(columns):
                raise exc.ArgumentError(
                    "ForeignKeyConstraint with duplicate source column references are not "
                    "supported."
                )
            raise exc.ArgumentError(
                "ForeignKeyConstraint number of constrained columns must match the number of "
                "referenced columns."
            )
        self.elements: list = [
            ForeignKey(
                refcol, _constraint=self, name=self.name, onupdate=onupdate, ondelete=ondelete,
                use_alter=use_alter, link_to_name=link_to_name, match=match,
                deferrable=deferrable, initially=initially, **self.dialect_kwargs,
            )
            for refcol in refcolumns
        ]
        self._column_flag = False
        self._columns = ColumnCollection()
        self._pending_colargs = [_column_or_name(c) for c in columns]
        if self._pending_colargs:
            _attach_when_columns_bound(self)
        if table is not None:
            self._set_parent(table)

    def _append_element(self, column: Column, fk: ForeignKey) -> None:
        _put_column(self._columns, column)
        self.elements.append(fk)

    def _set_parent(self, parent: Any, **kw: Any) -> None:
        if not isinstance(parent, Table):
            return super()._set_parent(parent)
        self.parent = parent
        self._resolve_columns(parent)
        Constraint._set_parent(self, parent)
        for col, fk in zip(self._columns, self.elements):
            if fk.parent is not col:
                fk._set_parent(col)

    @property
    def referred_table(self) -> Table:
        return self.elements[0].column.table

    @property
    def _referred_schema(self) -> Optional[str]:
        for fk in self.elements:
            return fk._referred_schema
        return None

    @property
    def column_keys(self) -> list:
        if self._columns:
            return [c.key for c in self._columns]
        return [c if isinstance(c, str) else c.key for c in self._pending_colargs]

    @property
    def _col_description(self) -> str:
        return ", ".join(self.column_keys)

    def _copy(self, schema: Any = None, target_table: Optional[Table] = None, **kw: Any) -> "ForeignKeyConstraint":
        copied = ForeignKeyConstraint(
            self.column_keys,
            [fk._get_colspec(schema=schema, _is_copy=True) for fk in self.elements],
            name=self.name if not isinstance(self.name, conv) else None,
            onupdate=self.onupdate,
            ondelete=self.ondelete,
            use_alter=self.use_alter,
            deferrable=self.deferrable,
            initially=self.initially,
            link_to_name=self.link_to_name,
            match=self.match,
            comment=self.comment,
            **self.dialect_kwargs,
        )
        return self._copy_info_to(copied)  # type: ignore[return-value]

    def __repr__(self) -> str:
        parts = [repr(c) for c in self._columns] or [repr(c) for c in self.column_keys]
        if self.name is not None:
            parts.append(f"name={self.name!r}")
        return f"ForeignKeyConstraint({', '.join(parts)})"


# -- indexes ---------------------------------------------------------------------------------


class Index(DialectKWArgs, SchemaItem):
    """CREATE [UNIQUE] INDEX name ON table (expressions): columns, column names or expressions."""

    __visit_name__ = "index"

    def __init__(
        self,
        name: Optional[str],
        *expressions: Any,
        unique: bool = False,
        quote: Optional[bool] = None,
        info: Optional[dict] = None,
        _table: Optional[Table] = None,
        _column_flag: bool = False,
        **dialect_kw: Any,
    ) -> None:
        self.table: Optional[Table] = None
        self.name = quoted_name(name, quote)
        self.unique = unique
        self._column_flag = _column_flag
        self._creation_order = next(_creation_order)
        if info is not None:
            self.info = info
        self._validate_dialect_kwargs(dialect_kw)
        self._columns = ColumnCollection()
        self.expressions: list = []
        self._pending_colargs = []
        for expr in expressions:
            if hasattr(expr, "__clause_element__"):
                expr = expr.__clause_element__()
            if isinstance(expr, (str, ColumnClause)):
                self._pending_colargs.append(expr)
            elif isinstance(expr, ClauseElement):
                self._pending_colargs.append(expr)
            else:
                raise exc.ArgumentError(
                    f"String column name or column expression for DDL constraint expected, "
                    f"got {expr!r}"
                )
        if _table is not None:
            self._set_parent(_table)
        else:
            table = self._table_of_expressions()
            if table is not None:
                self._set_parent(table)

    def _table_of_expressions(self) -> Optional[Table]:
        tables = []
        for expr in self._pending_colargs:
            if isinstance(expr, str):
                return None
            table = getattr(expr, "table", None)
            if table is not None:
                tables.append(table)
        if not tables:
            return None
        return tables[0]

    def _set_parent(self, table: Table, **kw: Any) -> None:
        if self.table is not None and table is not self.table:
            raise exc.ArgumentError(
                f"Index '{self.name}' is against table '{self.table.description}', and cannot "
                f"be associated with table '{table.description}'."
            )
        exprs = []
        for expr in self._pending_colargs:
            if isinstance(expr, str):
                try:
                    expr = table.c[expr]
                except KeyError:
                    raise exc.ArgumentError(
                        f"Can't create Index on table '{table.description}': no column named "
                        f"'{expr}' is present."
                    ) from None
            if isinstance(expr, Column):
                if expr.table is not None and expr.table is not table:
                    raise exc.ArgumentError(
                        f"Column(s) '{expr}' are not part of table '{table.description}'."
                    )
                if not self._columns.contains_column(expr):
                    _put_column(self._columns, expr)
            exprs.append(expr)
        self.expressions = exprs
        self.table = table
        table.indexes.add(self)
        _apply_naming_convention(self, table)

    @property
    def columns(self) -> Any:
        return self._columns.as_readonly()

    def _convention_name(self) -> Optional[str]:
        return _constraint_name_for_table(self, self.table)

    def create(self, bind: Any, checkfirst: bool = False) -> None:
        """CREATE INDEX on `bind`."""
        from .ddl import SchemaGenerator

        bind._run_ddl_visitor(SchemaGenerator, self, checkfirst=checkfirst)

    def drop(self, bind: Any, checkfirst: bool = False) -> None:
        """DROP INDEX on `bind`."""
        from .ddl import SchemaDropper

        bind._run_ddl_visitor(SchemaDropper, self, checkfirst=checkfirst)

    def __repr__(self) -> str:
        parts = [repr(self.name)] + [repr(e) for e in self.expressions or self._pending_colargs]
        if self.unique:
            parts.append("unique=True")
        return f"Index({', '.join(parts)})"


# -- defaults --------------------------------------------------------------------------------


class DefaultGenerator(Executable, SchemaItem):
    """A value generated for a column on INSERT (or UPDATE with for_update=True)."""

    __visit_name__ = "default_generator"
    is_sequence = False
    is_identity = False
    is_server_default = False
    is_clause_element = False
    is_callable = False
    is_scalar = False
    has_arg = False
    for_update = False
    column: Optional[Column] = None

    def _set_parent(self, column: Column, **kw: Any) -> None:
        self.column = column
        if self.for_update:
            column.onupdate = self
        else:
            column.default = self

    def _execute_on_connection(
        self, connection: Any, distilled_params: list, execution_options: dict
    ) -> Any:
        # connection.execute(default) computes the value (a sequence's next value, ...)
        return connection._execute_default(self, distilled_params, execution_options)


class ColumnDefault(DefaultGenerator):
    """A Python-side default: a scalar, a callable, or a SQL expression.

    ColumnDefault(x) returns the matching subclass, as SQLAlchemy's does.
    """

    arg: Any

    def __new__(cls, arg: Any = None, for_update: bool = False) -> Any:
        if cls is not ColumnDefault:
            return object.__new__(cls)
        if isinstance(arg, FetchedValue):
            raise exc.ArgumentError("ColumnDefault may not be a server-side default type.")
        if callable(arg) and not isinstance(arg, ClauseElement):
            return object.__new__(CallableColumnDefault)
        if isinstance(arg, ClauseElement):
            return object.__new__(ColumnElementColumnDefault)
        return object.__new__(ScalarElementColumnDefault)

    def __init__(self, arg: Any, for_update: bool = False) -> None:
        self.for_update = for_update
        self.arg = arg

    def _copy(self) -> "ColumnDefault":
        return self.__class__(self._orig_arg(), for_update=self.for_update)

    def _orig_arg(self) -> Any:
        return self.arg

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._orig_arg()!r})"


class ScalarElementColumnDefault(ColumnDefault):
    """A constant default value."""

    is_scalar = True
    has_arg = True


class ColumnElementColumnDefault(ColumnDefault):
    """A SQL expression default, rendered into the INSERT."""

    is_clause_element = True
    has_arg = True


class CallableColumnDefault(ColumnDefault):
    """A Python function default; `arg(context)` is called once per row."""

    is_callable = True
    has_arg = True

    def __init__(self, arg: Any, for_update: bool = False) -> None:
        self.for_update = for_update
        self._fn = arg
        self.arg = _wrap_default_callable(arg)

    def _orig_arg(self) -> Any:
        return self._fn


def _wrap_default_callable(fn: Callable) -> Callable:
    """Give a default function the one-argument (context) shape the engine calls it with."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return _zero_arg_wrapper(fn)
    required = [
        p for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    if not required:
        return _zero_arg_wrapper(fn)
    if len(required) == 1:
        return fn
    raise exc.ArgumentError(
        "ColumnDefault Python function takes zero or one positional arguments"
    )


def _zero_arg_wrapper(fn: Callable) -> Callable:
    def call(context: Any) -> Any:
        return fn()

    call.__name__ = getattr(fn, "__name__", "default")
    call.__doc__ = getattr(fn, "__doc__", None)
    return call


class FetchedValue(SchemaItem):
    """A value the database generates itself (trigger, DEFAULT we don't render, ...)."""

    __visit_name__ = "fetched_value"
    is_server_default = True
    reflected = False
    has_argument = False
    is_clause_element = False
    is_identity = False
    column: Optional[Column] = None

    def __init__(self, for_update: bool = False) -> None:
        self.for_update = for_update

    def _as_for_update(self, for_update: bool) -> "FetchedValue":
        if for_update == self.for_update:
            return self
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.__dict__.pop("column", None)
        clone.for_update = for_update
        return clone

    def _copy(self) -> "FetchedValue":
        return self.__class__(for_update=self.for_update)

    def _set_parent(self, column: Column, **kw: Any) -> None:
        self.column = column
        if self.for_update:
            column.server_onupdate = self
        else:
            column.server_default = self

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class DefaultClause(FetchedValue):
    """A server-side DEFAULT rendered in CREATE TABLE: a string (quoted) or text()/expression."""

    has_argument = True

    def __init__(self, arg: Any, for_update: bool = False, _reflected: bool = False) -> None:
        if not isinstance(arg, (str, ClauseElement)):
            raise exc.ArgumentError(
                "Argument 'arg' is expected to be one of type '<class 'str'>' or "
                "'<class 'sqlalchemy.sql.elements.ClauseElement'>' or "
                "'<class 'sqlalchemy.sql.elements.TextClause'>', "
                f"got '{type(arg)}'"
            )
        super().__init__(for_update)
        self.arg = arg
        self.reflected = _reflected

    def _copy(self) -> "DefaultClause":
        return DefaultClause(self.arg, for_update=self.for_update, _reflected=self.reflected)

    def __repr__(self) -> str:
        return f"DefaultClause({self.arg!r}, for_update={self.for_update!r})"


class _IdentityOptions:
    """Options shared by Sequence and Identity (START WITH, INCREMENT BY, ...)."""

    def _set_identity_options(
        self,
        start: Optional[int] = None,
        increment: Optional[int] = None,
        minvalue: Optional[int] = None,
        maxvalue: Optional[int] = None,
        nominvalue: Optional[bool] = None,
        nomaxvalue: Optional[bool] = None,
        cycle: Optional[bool] = None,
        cache: Optional[int] = None,
        order: Optional[bool] = None,
    ) -> None:
        self.start = start
        self.increment = increment
        self.minvalue = minvalue
        self.maxvalue = maxvalue
        self.nominvalue = nominvalue
        self.nomaxvalue = nomaxvalue
        self.cycle = cycle
        self.cache = cache
        self.order = order

    def _identity_options_repr(self) -> list:
        shown = []
        for name in ("start", "increment", "minvalue", "maxvalue", "nominvalue", "nomaxvalue",
                     "cycle", "cache", "order"):
            value = getattr(self, name)
            if value is not None:
                shown.append(f"{name}={value!r}")
        return shown


class Sequence(_IdentityOptions, DefaultGenerator):
    """A database sequence (PostgreSQL); as a column default, its next value fills the column."""

    __visit_name__ = "sequence"
    is_sequence = True

    def __init__(
        self,
        name: str,
        start: Optional[int] = None,
        increment: Optional[int] = None,
        minvalue: Optional[int] = None,
        maxvalue: Optional[int] = None,
        nominvalue: Optional[bool] = None,
        nomaxvalue: Optional[bool] = None,
        cycle: Optional[bool] = None,
        schema: Any = None,
        cache: Optional[int] = None,
        order: Optional[bool] = None,
        data_type: Any = None,
        optional: bool = False,
        quote: Optional[bool] = None,
        metadata: Optional[MetaData] = None,
        quote_schema: Optional[bool] = None,
        for_update: bool = False,
    ) -> None:
        self.for_update = for_update
        self._set_identity_options(
            start=start, increment=increment, minvalue=minvalue, maxvalue=maxvalue,
            nominvalue=nominvalue, nomaxvalue=nomaxvalue, cycle=cycle, cache=cache, order=order,
        )
        self.column = None
        self.name = quoted_name(name, quote)
        self.optional = optional
        if schema is BLANK_SCHEMA:
            self.schema = schema = None
        elif metadata is not None and schema is None and metadata.schema:
            self.schema = schema = metadata.schema
        else:
            self.schema = quoted_name(schema, quote_schema)
        self.metadata = metadata
        self._key = _get_table_key(name, schema)
        if metadata is not None:
            self._set_metadata(metadata)
        self.data_type = type_api.to_instance(data_type) if data_type is not None else None

    def _set_metadata(self, metadata: MetaData) -> None:
        self.metadata = metadata
        metadata._sequences[self._key] = self

    def _set_parent(self, column: Column, **kw: Any) -> None:
        super()._set_parent(column)
        column._on_table_attach(self._set_table)

    def _set_table(self, column: Column, table: Table) -> None:
        self._set_metadata(table.metadata)

    def next_value(self) -> "NextValue":
        """The SQL expression `nextval(...)` for this sequence."""
        return NextValue(self)

    def create(self, bind: Any, checkfirst: bool = True) -> None:
        from .ddl import SchemaGenerator

        bind._run_ddl_visitor(SchemaGenerator, self, checkfirst=checkfirst)

    def drop(self, bind: Any, checkfirst: bool = True) -> None:
        from .ddl import SchemaDropper

        bind._run_ddl_visitor(SchemaDropper, self, checkfirst=checkfirst)

    def _copy(self) -> "Sequence":
        return Sequence(
            self.name, start=self.start, increment=self.increment, minvalue=self.minvalue,
            maxvalue=self.maxvalue, nominvalue=self.nominvalue, nomaxvalue=self.nomaxvalue,
            cycle=self.cycle, schema=self.schema, cache=self.cache, order=self.order,
            data_type=self.data_type, optional=self.optional, metadata=self.metadata,
            for_update=self.for_update,
        )

    def __repr__(self) -> str:
        shown = [repr(self.name)] + self._identity_options_repr()
        if self.schema is not None:
            shown.append(f"schema={self.schema!r}")
        return f"Sequence({', '.join(shown)})"


class NextValue(ColumnElement):
    """`nextval('seq')`: the next value of a Sequence, as a SQL expression."""

    __visit_name__ = "next_value_func"

    def __init__(self, sequence: Sequence) -> None:
        self.sequence = sequence

    @property
    def type(self) -> type_api.TypeEngine:
        if self.sequence.data_type is not None:
            return self.sequence.data_type
        return type_api.INTEGERTYPE

    def _gen_cache_key(self, binds: list) -> tuple:
        return ("next_value", self.sequence)


class Identity(_IdentityOptions, FetchedValue):
    """GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY, where the database supports it."""

    __visit_name__ = "identity_column"
    is_identity = True

    def __init__(
        self,
        always: bool = False,
        on_null: Optional[bool] = None,
        start: Optional[int] = None,
        increment: Optional[int] = None,
        minvalue: Optional[int] = None,
        maxvalue: Optional[int] = None,
        nominvalue: Optional[bool] = None,
        nomaxvalue: Optional[bool] = None,
        cycle: Optional[bool] = None,
        cache: Optional[int] = None,
        order: Optional[bool] = None,
    ) -> None:
        self._set_identity_options(
            start=start, increment=increment, minvalue=minvalue, maxvalue=maxvalue,
            nominvalue=nominvalue, nomaxvalue=nomaxvalue, cycle=cycle, cache=cache, order=order,
        )
        self.always = always
        self.on_null = on_null
        self.for_update = False
        self.column = None

    def _set_parent(self, column: Column, **kw: Any) -> None:
        if not isinstance(column.server_default, (type(None), Identity)) or column.server_onupdate is not None:
            raise exc.ArgumentError(
                "A column with an Identity object cannot specify a server_default or a "
                "server_onupdate argument"
            )
        if column.autoincrement is False:
            raise exc.ArgumentError(
                "A column with an Identity object cannot specify autoincrement=False"
            )
        self.column = column
        column.identity = self
        if column._user_defined_nullable is _NULL_UNSPECIFIED:
            column.nullable = False
        column.server_default = self

    def _as_for_update(self, for_update: bool) -> "Identity":
        return self

    def _copy(self) -> "Identity":
        return Identity(
            always=self.always, on_null=self.on_null, start=self.start,
            increment=self.increment, minvalue=self.minvalue, maxvalue=self.maxvalue,
            nominvalue=self.nominvalue, nomaxvalue=self.nomaxvalue, cycle=self.cycle,
            cache=self.cache, order=self.order,
        )

    def __repr__(self) -> str:
        shown = []
        if self.always:
            shown.append("always=True")
        if self.on_null is not None:
            shown.append(f"on_null={self.on_null!r}")
        return f"Identity({', '.join(shown + self._identity_options_repr())})"


class Computed(FetchedValue):
    """GENERATED ALWAYS AS (sqltext) [STORED | VIRTUAL]: a column computed by the database."""

    __visit_name__ = "computed_column"

    def __init__(self, sqltext: Any, persisted: Optional[bool] = None) -> None:
        if isinstance(sqltext, str):
            sqltext = TextClause(sqltext)
        self.sqltext = sqltext
        self.persisted = persisted
        self.for_update = False
        self.column = None

    def _set_parent(self, column: Column, **kw: Any) -> None:
        if not isinstance(column.server_default, (type(None), Computed)) or not isinstance(
            column.server_onupdate, (type(None), Computed)
        ):
            raise exc.ArgumentError(
                "A generated column cannot specify a server_default or a server_onupdate "
                "argument"
            )
        self.column = column
        column.computed = self
        column.server_onupdate = self
        column.server_default = self

    def _as_for_update(self, for_update: bool) -> "Computed":
        return self

    def _copy(self) -> "Computed":
        return Computed(self.sqltext, persisted=self.persisted)

    def __repr__(self) -> str:
        return f"Computed({self.sqltext!r})"


# -- naming conventions ----------------------------------------------------------------------

_CONVENTION_PREFIXES = {
    "Index": "ix",
    "PrimaryKeyConstraint": "pk",
    "CheckConstraint": "ck",
    "UniqueConstraint": "uq",
    "ForeignKeyConstraint": "fk",
}


def _get_convention(conventions: dict, cls: type) -> Any:
    for klass in cls.__mro__:
        prefix = _CONVENTION_PREFIXES.get(klass.__name__)
        if prefix is not None and prefix in conventions:
            return conventions[prefix]
        if klass in conventions:
            return conventions[klass]
    return None


class _ConventionDict:
    """The `%(token)s` values of a naming convention, computed for one constraint."""

    def __init__(self, const: Any, table: Table, convention: dict) -> None:
        self.const = const
        self.table = table
        self.convention = convention
        self._is_fk = isinstance(const, ForeignKeyConstraint)

    def _column_x(self, idx: int, attr: str) -> str:
        # a missing column (a CHECK on text) renders as "", as in SQLAlchemy
        try:
            column = self.const.elements[idx].parent if self._is_fk else list(self.const.columns)[idx]
        except IndexError:
            return ""
        return getattr(column, attr)

    def _key_table_name(self) -> str:
        return self.table.name

    def _key_constraint_name(self) -> str:
        name = self.const.name
        if name is None or name is _NONE_NAME:
            raise exc.InvalidRequestError(
                "Naming convention including %(constraint_name)s token requires that "
                "constraint is explicitly named."
            )
        return str(name)

    def _key_referred_table_name(self) -> str:
        fk = self.const.elements[0]
        return fk._column_tokens[1]

    def _key_column_X_key(self, idx: int) -> str:
        return self._column_x(idx, "key")

    def _key_column_X_name(self, idx: int) -> str:
        return self._column_x(idx, "name")

    def _key_column_X_label(self, idx: int) -> str:
        return self._column_x(idx, "_ddl_label")

    def _key_referred_column_X_name(self, idx: int) -> str:
        fk = self.const.elements[idx]
        return fk._column_tokens[2]

    def __getitem__(self, key: str) -> Any:
        if key in self.convention:
            return self.convention[key](self.const, self.table)
        simple = getattr(self, "_key_" + key, None)
        if simple is not None:
            return simple()
        match = re.match(r".*_?column_(\d+)(_?N)?_.+", key)
        if match:
            idx, multiples = match.group(1), match.group(2)
            if multiples:
                elems = self.const.elements if self._is_fk else list(self.const.columns)
                method = getattr(self, "_key_" + key.replace("0" + multiples, "X"), None)
                if method is None:
                    raise KeyError(key)
                sep = "_" if multiples.startswith("_") else ""
                return sep.join(method(i) for i in range(len(elems)))
            method = getattr(self, "_key_" + key.replace(idx, "X"), None)
            if method is not None:
                return method(int(idx))
        raise KeyError(key)


def _constraint_name_for_table(const: Any, table: Table) -> Optional[str]:
    metadata = table.metadata
    convention = _get_convention(metadata.naming_convention, type(const))
    if isinstance(const.name, conv):
        return const.name
    if convention is not None and (
        const.name is None or const.name is _NONE_NAME or "constraint_name" in convention
    ):
        return conv(convention % _ConventionDict(const, table, metadata.naming_convention))
    return None


def _apply_naming_convention(const: Any, table: Table) -> None:
    if isinstance(const.name, conv) or const.name is _NONE_NAME:
        return
    if isinstance(const, (ColumnCollectionConstraint, Index)) and not isinstance(
        const, CheckConstraint
    ) and not const._columns and not getattr(const, "_pending_colargs", None):
        return  # nothing to name it after yet (an empty primary key)
    newname = _constraint_name_for_table(const, table)
    if newname:
        const.name = newname
