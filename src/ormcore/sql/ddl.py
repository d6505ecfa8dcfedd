"""DDL statements (CREATE/DROP TABLE, INDEX, SEQUENCE, ...) and the create_all/drop_all runners.

A DDL element is executed like any statement, `connection.execute(CreateTable(t))`; the
connection compiles it with the dialect's DDL compiler (ddl_compiler.py) and runs the string.
MetaData.create_all / drop_all and Table/Index/Sequence.create / drop go through
`bind._run_ddl_visitor(SchemaGenerator | SchemaDropper, element, ...)`, which orders tables by
foreign-key dependency, honours checkfirst, and creates PostgreSQL ENUM types around tables.
"""

from __future__ import annotations

import graphlib
import warnings
from typing import Any
from typing import Callable
from typing import Iterable
from typing import Optional

from .. import exc
from .base import Executable
from .elements import ClauseElement


class ExecutableDDLElement(Executable, ClauseElement):
    """A DDL statement; compiled by the dialect's DDL compiler, executed without parameters."""

    __visit_name__ = "ddl_element"
    is_ddl = True
    _is_ddl = True
    target: Any = None

    def _compiler(self, dialect: Any, **kw: Any) -> Any:
        return dialect.ddl_compiler(dialect, self, **kw)

    def _execute_on_connection(
        self, connection: Any, distilled_params: list, execution_options: dict
    ) -> Any:
        return connection._execute_ddl(self, distilled_params, execution_options)

    def _invoke_with(self, bind: Any) -> Any:
        return bind.execute(self)

    def __str__(self) -> str:
        return str(self.compile())


class DDL(ExecutableDDLElement):
    """Literal DDL text; `%(table)s`, `%(schema)s`, `%(fullname)s` are filled in for a table."""

    __visit_name__ = "ddl"

    def __init__(self, statement: str, context: Optional[dict] = None) -> None:
        if not isinstance(statement, str):
            raise exc.ArgumentError(
                f"Expected a string or unicode SQL statement, got '{statement!r}'"
            )
        self.statement = statement
        self.context = context or {}

    def against(self, target: Any) -> "DDL":
        """A copy whose `%(table)s` substitutions refer to `target`."""
        new = DDL(self.statement, self.context)
        new.target = target
        return new

    def __repr__(self) -> str:
        return f"<DDL@{id(self)}; {self.statement!r}>"


class _CreateDropBase(ExecutableDDLElement):
    """A DDL statement about one schema object (`element`)."""

    def __init__(self, element: Any, if_exists: bool = False, if_not_exists: bool = False) -> None:
        self.element = self.target = element
        self.if_exists = if_exists
        self.if_not_exists = if_not_exists

    @property
    def stringify_dialect(self) -> str:
        return "default"


class CreateSchema(_CreateDropBase):
    """CREATE SCHEMA name."""

    __visit_name__ = "create_schema"

    def __init__(self, name: str, if_not_exists: bool = False) -> None:
        super().__init__(element=name, if_not_exists=if_not_exists)


class DropSchema(_CreateDropBase):
    """DROP SCHEMA name [CASCADE]."""

    __visit_name__ = "drop_schema"

    def __init__(self, name: str, cascade: bool = False, if_exists: bool = False) -> None:
        super().__init__(element=name, if_exists=if_exists)
        self.cascade = cascade


class CreateColumn:
    """One column line of a CREATE TABLE."""

    __visit_name__ = "create_column"

    def __init__(self, element: Any) -> None:
        self.element = element

    def _compiler_dispatch(self, compiler: Any, **kw: Any) -> Any:
        return compiler.visit_create_column(self, **kw)


class CreateTable(_CreateDropBase):
    """CREATE TABLE, with its columns and table-level constraints."""

    __visit_name__ = "create_table"

    def __init__(
        self,
        element: Any,
        include_foreign_key_constraints: Optional[Iterable] = None,
        if_not_exists: bool = False,
    ) -> None:
        super().__init__(element, if_not_exists=if_not_exists)
        self.columns = [CreateColumn(column) for column in element.columns]
        self.include_foreign_key_constraints = (
            set(include_foreign_key_constraints)
            if include_foreign_key_constraints is not None
            else None
        )


class DropTable(_CreateDropBase):
    """DROP TABLE."""

    __visit_name__ = "drop_table"

    def __init__(self, element: Any, if_exists: bool = False) -> None:
        super().__init__(element, if_exists=if_exists)


class CreateIndex(_CreateDropBase):
    """CREATE [UNIQUE] INDEX."""

    __visit_name__ = "create_index"

    def __init__(self, element: Any, if_not_exists: bool = False) -> None:
        super().__init__(element, if_not_exists=if_not_exists)


class DropIndex(_CreateDropBase):
    """DROP INDEX."""

    __visit_name__ = "drop_index"

    def __init__(self, element: Any, if_exists: bool = False) -> None:
        super().__init__(element, if_exists=if_exists)


class CreateSequence(_CreateDropBase):
    """CREATE SEQUENCE."""

    __visit_name__ = "create_sequence"


class DropSequence(_CreateDropBase):
    """DROP SEQUENCE."""

    __visit_name__ = "drop_sequence"


class AddConstraint(_CreateDropBase):
    """ALTER TABLE ... ADD CONSTRAINT."""

    __visit_name__ = "add_constraint"

    def __init__(self, element: Any, isolate_from_table: bool = True) -> None:
        super().__init__(element)


class DropConstraint(_CreateDropBase):
    """ALTER TABLE ... DROP CONSTRAINT name [CASCADE]."""

    __visit_name__ = "drop_constraint"

    def __init__(
        self,
        element: Any,
        cascade: bool = False,
        if_exists: bool = False,
        isolate_from_table: bool = True,
    ) -> None:
        super().__init__(element, if_exists=if_exists)
        self.cascade = cascade


class SetTableComment(_CreateDropBase):
    """COMMENT ON TABLE ... IS '...'."""

    __visit_name__ = "set_table_comment"


class DropTableComment(_CreateDropBase):
    """COMMENT ON TABLE ... IS NULL."""

    __visit_name__ = "drop_table_comment"


class SetColumnComment(_CreateDropBase):
    """COMMENT ON COLUMN ... IS '...'."""

    __visit_name__ = "set_column_comment"


class DropColumnComment(_CreateDropBase):
    """COMMENT ON COLUMN ... IS NULL."""

    __visit_name__ = "drop_column_comment"


# -- ordering tables by foreign-key dependency -----------------------------------------------


def sort_tables(
    tables: Iterable[Any],
    skip_fn: Optional[Callable[[Any], bool]] = None,
    extra_dependencies: Optional[Iterable[tuple]] = None,
) -> list:
    """Tables ordered so that each follows the tables it refers to; warns on cycles."""
    filter_fn = None
    if skip_fn is not None:
        user_skip = skip_fn

        def filter_fn(fkc: Any) -> Optional[bool]:
            return True if any(user_skip(fk) for fk in fkc.elements) else None

    return [
        table
        for table, _fkcs in sort_tables_and_constraints(
            tables, filter_fn=filter_fn, extra_dependencies=extra_dependencies,
            _warn_for_cycles=True,
        )
        if table is not None
    ]


def sort_tables_and_constraints(
    tables: Iterable[Any],
    filter_fn: Optional[Callable[[Any], Optional[bool]]] = None,
    extra_dependencies: Optional[Iterable[tuple]] = None,
    _warn_for_cycles: bool = False,
) -> list:
    """[(table, its inline FK constraints), ..., (None, [FK constraints to add separately])].

    Foreign keys marked use_alter, or those that would close a dependency cycle, come last,
    to be emitted by ALTER TABLE once all tables exist. As in SQLAlchemy, a table caught in a
    cycle has all of its foreign keys moved there (those filter_fn doesn't pin down).
    filter_fn(fkc) returning True moves a constraint there; False keeps it as a dependency.
    """
    tables = list(tables)
    fixed: set = set(extra_dependencies or ())
    mutable: set = set()
    remaining: list = []
    for table in tables:
        for fkc in _ordered_fkcs(table):
            if fkc.use_alter is True:
                remaining.append(fkc)
                continue
            if filter_fn is not None and filter_fn(fkc) is True:
                remaining.append(fkc)
                continue
            target = fkc.referred_table
            if target is not table:
                mutable.add((target, table))
        fixed.update((parent, table) for parent in table._extra_dependencies)
    try:
        ordered = _layered_sort(fixed | mutable, tables)
    except exc.CircularDependencyError as err:
        if _warn_for_cycles:
            warnings.warn(
                "Cannot correctly sort tables; there are unresolvable cycles between tables "
                f'"{", ".join(sorted(t.fullname for t in err.cycles))}", which is usually '
                "caused by mutually dependent foreign key constraints.  Foreign key "
                "constraints involving these tables will not be considered; this warning may "
                "raise an error in a future release.",
                exc.SAWarning,
                stacklevel=3,
            )
        in_cycles = {id(t) for t in err.cycles}
        for table in tables:
            if id(table) not in in_cycles:
                continue
            movable = [
                fkc for fkc in _ordered_fkcs(table)
                if (filter_fn is None or filter_fn(fkc) is not False)
                and not any(fkc is r for r in remaining)
            ]
            remaining.extend(movable)
            for fkc in movable:
                target = fkc.referred_table
                if target is not table:
                    mutable.discard((target, table))
        ordered = _layered_sort(fixed | mutable, tables)
    result = []
    for table in ordered:
        inline = {fkc for fkc in table.foreign_key_constraints if not any(fkc is r for r in remaining)}
        result.append((table, inline))
    result.append((None, remaining))
    return result


def _ordered_fkcs(table: Any) -> list:
    return sorted(table.foreign_key_constraints, key=lambda c: c._creation_order)


def _layered_sort(edges: set, items: list) -> list:
    """Topological order in layers; within a layer, the order of `items` (as SQLAlchemy)."""
    position = {id(item): i for i, item in enumerate(items)}
    sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
    for item in items:
        sorter.add(item)
    for parent, child in edges:
        if id(parent) in position and id(child) in position:
            sorter.add(child, parent)
    try:
        sorter.prepare()
    except graphlib.CycleError:
        cycles = _nodes_in_cycles(edges, items)
        raise exc.CircularDependencyError(
            "Circular dependency detected.", cycles, edges
        ) from None
    ordered = []
    while sorter.is_active():
        layer = sorted(sorter.get_ready(), key=lambda t: position[id(t)])
        ordered.extend(layer)
        sorter.done(*layer)
    return ordered


def _nodes_in_cycles(edges: set, items: list) -> set:
    """Every item on some cycle: the members of strongly connected components larger than one."""
    members = {id(i) for i in items}
    graph: dict = {id(i): [] for i in items}
    by_id = {id(i): i for i in items}
    for parent, child in edges:
        if id(parent) in members and id(child) in members:
            graph[id(parent)].append(id(child))
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    found: set = set()
    counter = [0]

    def connect(node: int) -> None:
        # recursion depth is bounded by the number of tables
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in graph[node]:
            if succ not in index:
                connect(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.update(by_id[m] for m in component)

    for node in graph:
        if node not in index:
            connect(node)
    return found


# -- create_all / drop_all -------------------------------------------------------------------


class _DDLRunner:
    """Walks schema objects, emitting DDL on one connection; `traverse_single` dispatches."""

    def __init__(self, dialect: Any, connection: Any, checkfirst: bool = False,
                 tables: Optional[list] = None, **kw: Any) -> None:
        self.dialect = dialect
        self.connection = connection
        self.checkfirst = checkfirst
        self.tables = tables
        # names of PG types already handled in this run, so each is created/dropped once
        self.memo: dict = {}

    def traverse_single(self, obj: Any, **kw: Any) -> Any:
        meth = getattr(self, "visit_" + obj.__visit_name__, None)
        if meth is None:
            return None
        return meth(obj, **kw)

    def _effective_tables(self, metadata: Any) -> list:
        if self.tables is not None:
            return list(self.tables)
        return list(metadata.tables.values())

    def _schema_types(self, metadata: Any, tables: list) -> list:
        """The schema-level types (Enum, ...) of these tables' columns plus those bound to metadata."""
        found: list = []
        seen: set = set()
        for table in tables:
            for column in table.columns:
                for type_ in (column.type, *column.type._variant_mapping.values()):
                    item = getattr(type_, "item_type", type_)
                    if hasattr(item, "_on_metadata_create") and id(item) not in seen:
                        seen.add(id(item))
                        found.append(item)
        if metadata is not None:
            for obj in metadata._objects:
                if hasattr(obj, "_on_metadata_create") and id(obj) not in seen:
                    seen.add(id(obj))
                    found.append(obj)
        return found

    def _validate_identifier(self, name: str) -> None:
        max_ = getattr(self.dialect, "max_identifier_length", None)
        if max_ and len(name) > max_:
            raise exc.IdentifierError(
                f"Identifier '{name}' exceeds maximum length of {max_} characters"
            )


class SchemaGenerator(_DDLRunner):
    """CREATE for a MetaData, Table, Index or Sequence (create_all, table.create(), ...)."""

    def _can_create_table(self, table: Any) -> bool:
        self._validate_identifier(table.name)
        if table.schema:
            self._validate_identifier(table.schema)
        return not self.checkfirst or not self.dialect.has_table(
            self.connection, table.name, schema=table.schema
        )

    def _can_create_index(self, index: Any) -> bool:
        return not self.checkfirst or not self.dialect.has_index(
            self.connection, index.table.name, index.name, schema=index.table.schema
        )

    def _can_create_sequence(self, sequence: Any) -> bool:
        dialect = self.dialect
        return getattr(dialect, "supports_sequences", False) and (
            (not getattr(dialect, "sequences_optional", True) or not sequence.optional)
            and (
                not self.checkfirst
                or not dialect.has_sequence(self.connection, sequence.name, schema=sequence.schema)
            )
        )

    def visit_metadata(self, metadata: Any) -> None:
        tables = self._effective_tables(metadata)
        collection = sort_tables_and_constraints(
            [t for t in tables if self._can_create_table(t)]
        )
        sequences = [
            s for s in metadata._sequences.values()
            if s.column is None and self._can_create_sequence(s)
        ]
        for type_ in self._schema_types(metadata, list(metadata.tables.values())):
            type_._on_metadata_create(
                metadata, self.connection, checkfirst=self.checkfirst, _ddl_runner=self
            )
        for sequence in sequences:
            self.traverse_single(sequence, create_ok=True)
        for table, fkcs in collection:
            if table is not None:
                self.traverse_single(
                    table, create_ok=True, include_foreign_key_constraints=fkcs,
                    _is_metadata_operation=True,
                )
            else:
                for fkc in fkcs:
                    self.traverse_single(fkc)

    def visit_table(
        self,
        table: Any,
        create_ok: bool = False,
        include_foreign_key_constraints: Any = None,
        _is_metadata_operation: bool = False,
    ) -> None:
        if not create_ok and not self._can_create_table(table):
            return
        for type_ in self._schema_types(None, [table]):
            type_._on_table_create(
                table, self.connection, checkfirst=self.checkfirst, _ddl_runner=self,
                _is_metadata_operation=_is_metadata_operation,
            )
        for column in table.columns:
            if column.default is not None:
                self.traverse_single(column.default)
        if not self.dialect.supports_alter:
            include_foreign_key_constraints = None
        self.connection.execute(
            CreateTable(table, include_foreign_key_constraints=include_foreign_key_constraints)
        )
        for index in sorted(table.indexes, key=lambda i: i._creation_order):
            self.traverse_single(index, create_ok=True)
        if getattr(self.dialect, "supports_comments", False) and not getattr(
            self.dialect, "inline_comments", False
        ):
            if table.comment is not None:
                self.connection.execute(SetTableComment(table))
            for column in table.columns:
                if column.comment is not None:
                    self.connection.execute(SetColumnComment(column))

    def visit_foreign_key_constraint(self, constraint: Any) -> None:
        if not self.dialect.supports_alter:
            return
        self.connection.execute(AddConstraint(constraint))

    def visit_sequence(self, sequence: Any, create_ok: bool = False) -> None:
        if not create_ok and not self._can_create_sequence(sequence):
            return
        self.connection.execute(CreateSequence(sequence))

    def visit_index(self, index: Any, create_ok: bool = False) -> None:
        if not create_ok and not self._can_create_index(index):
            return
        self.connection.execute(CreateIndex(index))


class SchemaDropper(_DDLRunner):
    """DROP for a MetaData, Table, Index or Sequence (drop_all, table.drop(), ...)."""

    def _can_drop_table(self, table: Any) -> bool:
        self._validate_identifier(table.name)
        if table.schema:
            self._validate_identifier(table.schema)
        return not self.checkfirst or self.dialect.has_table(
            self.connection, table.name, schema=table.schema
        )

    def _can_drop_index(self, index: Any) -> bool:
        return not self.checkfirst or self.dialect.has_index(
            self.connection, index.table.name, index.name, schema=index.table.schema
        )

    def _can_drop_sequence(self, sequence: Any) -> bool:
        dialect = self.dialect
        return getattr(dialect, "supports_sequences", False) and (
            (not getattr(dialect, "sequences_optional", True) or not sequence.optional)
            and (
                not self.checkfirst
                or dialect.has_sequence(self.connection, sequence.name, schema=sequence.schema)
            )
        )

    def visit_metadata(self, metadata: Any) -> None:
        tables = self._effective_tables(metadata)
        droppable = [t for t in tables if self._can_drop_table(t)]
        supports_alter = self.dialect.supports_alter

        def keep_unnamed(fkc: Any) -> Optional[bool]:
            # an FK can only be dropped separately by name, and only with ALTER
            return False if not supports_alter or fkc.name is None else None

        try:
            collection = list(
                reversed(sort_tables_and_constraints(droppable, filter_fn=keep_unnamed))
            )
        except exc.CircularDependencyError as err:
            names = ", ".join(sorted(t.fullname for t in err.cycles))
            if supports_alter:
                raise exc.CircularDependencyError(
                    f"Can't sort tables for DROP; an unresolvable foreign key dependency "
                    f"exists between tables: {names}.  Please ensure that the ForeignKey and "
                    "ForeignKeyConstraint objects involved in the cycle have names so that "
                    "they can be dropped using DROP CONSTRAINT.",
                    err.cycles,
                    err.edges,
                ) from None
            warnings.warn(
                f"Can't sort tables for DROP; an unresolvable foreign key dependency exists "
                f"between tables: {names}; and backend does not support ALTER.  To restore at "
                "least a partial sort, apply use_alter=True to ForeignKey and "
                "ForeignKeyConstraint objects involved in the cycle to mark these as known "
                "cycles that will be ignored.",
                exc.SAWarning,
                stacklevel=2,
            )
            collection = [(t, ()) for t in droppable]
        sequences = [s for s in metadata._sequences.values() if self._can_drop_sequence(s)]
        for table, fkcs in collection:
            if table is not None:
                self.traverse_single(
                    table, drop_ok=True, _is_metadata_operation=True,
                    _ignore_sequences=sequences,
                )
            else:
                for fkc in fkcs:
                    self.traverse_single(fkc)
        for sequence in sequences:
            self.traverse_single(sequence, drop_ok=sequence.column is None)
        for type_ in self._schema_types(metadata, list(metadata.tables.values())):
            type_._on_metadata_drop(
                metadata, self.connection, checkfirst=self.checkfirst, _ddl_runner=self
            )

    def visit_table(
        self,
        table: Any,
        drop_ok: bool = False,
        _is_metadata_operation: bool = False,
        _ignore_sequences: Iterable = (),
    ) -> None:
        if not drop_ok and not self._can_drop_table(table):
            return
        self.connection.execute(DropTable(table))
        ignored = {id(s) for s in _ignore_sequences}
        for column in table.columns:
            if column.default is not None and id(column.default) not in ignored:
                self.traverse_single(column.default)
        for type_ in self._schema_types(None, [table]):
            type_._on_table_drop(
                table, self.connection, checkfirst=self.checkfirst, _ddl_runner=self,
                _is_metadata_operation=_is_metadata_operation,
            )

    def visit_foreign_key_constraint(self, constraint: Any) -> None:
        if not self.dialect.supports_alter:
            return
        self.connection.execute(DropConstraint(constraint))

    def visit_sequence(self, sequence: Any, drop_ok: bool = False) -> None:
        if not drop_ok and not self._can_drop_sequence(sequence):
            return
        self.connection.execute(DropSequence(sequence))

    def visit_index(self, index: Any, drop_ok: bool = False) -> None:
        if not drop_ok and not self._can_drop_index(index):
            return
        self.connection.execute(DropIndex(index))
