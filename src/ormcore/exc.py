"""The exception hierarchy, with SQLAlchemy's names, so that `except` clauses port unchanged.

Every error ormcore raises on purpose is one of these classes. Errors raised by a DBAPI
driver are wrapped by `DBAPIError.instance()` into the class of the same PEP 249 name
(`IntegrityError`, `OperationalError`, ...), keeping the driver's exception as `.orig`
and the statement and parameters that caused it.
"""

from __future__ import annotations

from typing import Any
from typing import Optional


class SQLAlchemyError(Exception):
    """Base of every ormcore error; named as SQLAlchemy's so that handlers port unchanged."""

    code: Optional[str] = None

    def __str__(self) -> str:
        return self._message()

    def _message(self) -> str:
        if len(self.args) == 1:
            text = self.args[0]
            return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return str(self.args)


#: The same class under ormcore's own name.
OrmcoreError = SQLAlchemyError


class ArgumentError(SQLAlchemyError):
    """Bad arguments to a function or constructor."""


class ObjectNotExecutableError(ArgumentError):
    """Something that is not a statement was passed to execute()."""

    def __init__(self, target: Any):
        super().__init__(f"Not an executable object: {target!r}")
        self.target = target

    def __reduce__(self):
        return self.__class__, (self.target,)


class NoSuchModuleError(ArgumentError):
    """A dialect or driver named in a URL does not exist."""


class DuplicateColumnError(ArgumentError):
    """A Table was given two columns of the same name."""


class ConstraintColumnNotFoundError(ArgumentError):
    """A constraint names a column its table does not have."""


class NoForeignKeysError(ArgumentError):
    """No foreign keys join the two sides of a join or relationship."""


class AmbiguousForeignKeysError(ArgumentError):
    """More than one foreign key could join the two sides."""


class CircularDependencyError(SQLAlchemyError):
    """A dependency cycle was found where an order was needed."""

    def __init__(self, message: str, cycles: Any = None, edges: Any = None):
        super().__init__(message)
        self.cycles = cycles
        self.edges = edges

    def __reduce__(self):
        return self.__class__, (self.args[0], self.cycles, self.edges)


class CompileError(SQLAlchemyError):
    """A construct could not be compiled to SQL."""


class UnsupportedCompilationError(CompileError):
    """The dialect's compiler has no rendering for this construct."""

    def __init__(self, compiler: Any, element_type: Any, message: Optional[str] = None):
        text = f"Compiler {compiler!r} can't render element of type {element_type}"
        if message:
            text += f": {message}"
        super().__init__(text)
        self.compiler = compiler
        self.element_type = element_type
        self.message = message


class IdentifierError(SQLAlchemyError):
    """An identifier is too long or otherwise unusable."""


class DisconnectionError(SQLAlchemyError):
    """A connection was found dead; raised by pool listeners to force a reconnect."""

    invalidate_pool: bool = False


class InvalidatePoolError(DisconnectionError):
    """Like DisconnectionError, but every connection of the pool is invalidated."""

    invalidate_pool = True


class TimeoutError(SQLAlchemyError):  # noqa: A001 - the name users catch
    """The pool had no connection to give within its timeout."""


class InvalidRequestError(SQLAlchemyError):
    """The request makes no sense in the current state."""


class AmbiguousColumnError(InvalidRequestError):
    """A filter_by() name is a column of more than one FROM entity (SQLAlchemy 2.1)."""


class IllegalStateChangeError(InvalidRequestError):
    """An object was asked to change state in a way it cannot."""


class NoInspectionAvailable(InvalidRequestError):
    """inspect() was given something it cannot inspect."""


class PendingRollbackError(InvalidRequestError):
    """A transaction failed and must be rolled back before the connection is used again."""


class ResourceClosedError(InvalidRequestError):
    """A connection, cursor or result was used after it was closed."""


class NoSuchColumnError(InvalidRequestError, KeyError):
    """A row has no column of the requested name or object."""

    def __str__(self) -> str:
        return self._message()


class NoResultFound(InvalidRequestError):
    """A single row was required and none was found."""


class MultipleResultsFound(InvalidRequestError):
    """At most one row was required and more were found."""


class NoReferenceError(InvalidRequestError):
    """A foreign key refers to a table or column that cannot be found."""


class NoReferencedTableError(NoReferenceError):
    """A foreign key refers to a table that is not in the MetaData."""

    def __init__(self, message: str, tname: str):
        super().__init__(message)
        self.table_name = tname

    def __reduce__(self):
        return self.__class__, (self.args[0], self.table_name)


class NoReferencedColumnError(NoReferenceError):
    """A foreign key refers to a column its table does not have."""

    def __init__(self, message: str, tname: str, cname: str):
        super().__init__(message)
        self.table_name = tname
        self.column_name = cname

    def __reduce__(self):
        return self.__class__, (self.args[0], self.table_name, self.column_name)


class NoSuchTableError(InvalidRequestError):
    """A table does not exist in the database."""


class UnreflectableTableError(InvalidRequestError):
    """A table exists but cannot be reflected."""


class UnboundExecutionError(InvalidRequestError):
    """Execution was asked of something that has no engine or connection to run on."""


class DontWrapMixin:
    """Mix into an exception class raised inside a statement to stop it being wrapped."""


class StatementError(SQLAlchemyError):
    """An error raised while executing a statement; knows the statement and its parameters."""

    statement: Optional[str] = None
    params: Any = None
    orig: Optional[BaseException] = None
    ismulti: Optional[bool] = None
    connection_invalidated: bool = False

    def __init__(
        self,
        message: str,
        statement: Optional[str],
        params: Any,
        orig: Optional[BaseException],
        hide_parameters: bool = False,
        code: Optional[str] = None,
        ismulti: Optional[bool] = None,
    ):
        super().__init__(message)
        self.statement = statement
        self.params = params
        self.orig = orig
        self.ismulti = ismulti
        self.hide_parameters = hide_parameters
        self.detail: list[str] = []
        if code:
            self.code = code

    def add_detail(self, msg: str) -> None:
        self.detail.append(msg)

    def __reduce__(self):
        return (
            self.__class__,
            (self.args[0], self.statement, self.params, self.orig, self.hide_parameters,
             self.code, self.ismulti),
        )

    def _message(self) -> str:
        parts = [f"({d})" for d in self.detail]
        parts.append(super()._message())
        if self.statement is not None:
            parts.append(f"[SQL: {self.statement}]")
            if self.params is not None:
                if self.hide_parameters:
                    parts.append("[SQL parameters hidden due to hide_parameters=True]")
                else:
                    parts.append(f"[parameters: {_truncated_repr(self.params, self.ismulti)}]")
        return "\n".join(parts)


def _truncated_repr(params: Any, ismulti: Optional[bool]) -> str:
    """repr() of parameters, shortened for executemany so a huge batch can't flood a log."""
    if ismulti and isinstance(params, (list, tuple)) and len(params) > 10:
        shown = ", ".join(repr(p) for p in params[:2])
        rest = ", ".join(repr(p) for p in params[-2:])
        return f"[{shown}  ... displaying 10 of {len(params)} total bound parameter sets ...  {rest}]"
    text = repr(params)
    return text if len(text) <= 1000 else text[:500] + " ... " + text[-300:]


class DBAPIError(StatementError):
    """An error raised by the DBAPI driver, wrapped; the driver's exception is `.orig`."""

    code = "dbapi"

    @classmethod
    def instance(
        cls,
        statement: Optional[str],
        params: Any,
        orig: BaseException,
        dbapi_base_err: type,
        hide_parameters: bool = False,
        connection_invalidated: bool = False,
        dialect: Any = None,
        ismulti: Optional[bool] = None,
    ) -> BaseException:
        """Wrap `orig` in the class whose name matches the driver's PEP 249 class."""
        if isinstance(orig, BaseException) and not isinstance(orig, Exception):
            return orig  # KeyboardInterrupt, SystemExit, ...: never wrapped
        if isinstance(orig, (SQLAlchemyError, DontWrapMixin)):
            return orig
        if not isinstance(orig, dbapi_base_err):
            if statement is None:
                return orig
            return StatementError(
                f"({_qualified_name(type(orig))}) {orig}",
                statement, params, orig,
                hide_parameters=hide_parameters, ismulti=ismulti,
            )
        wrapper = cls
        for klass in type(orig).__mro__:
            found = _WRAPPERS.get(klass.__name__)
            if found is not None:
                wrapper = found
                break
        return wrapper(
            statement, params, orig,
            hide_parameters=hide_parameters,
            connection_invalidated=connection_invalidated,
            ismulti=ismulti,
        )

    def __init__(
        self,
        statement: Optional[str],
        params: Any,
        orig: BaseException,
        hide_parameters: bool = False,
        connection_invalidated: bool = False,
        code: Optional[str] = None,
        ismulti: Optional[bool] = None,
    ):
        try:
            text = str(orig)
        except Exception as e:  # a driver error whose __str__ itself fails
            text = f"Error in str() of DB-API-generated exception: {e}"
        super().__init__(
            f"({_qualified_name(type(orig))}) {text}",
            statement, params, orig,
            hide_parameters=hide_parameters, code=code, ismulti=ismulti,
        )
        self.connection_invalidated = connection_invalidated

    def __reduce__(self):
        return (
            self.__class__,
            (self.statement, self.params, self.orig, self.hide_parameters,
             self.connection_invalidated, self.code, self.ismulti),
        )


def _qualified_name(klass: type) -> str:
    module = klass.__module__
    return klass.__name__ if module == "builtins" else f"{module}.{klass.__name__}"


class InterfaceError(DBAPIError):
    """Wraps a DB-API InterfaceError."""

    code = "rvf5"


class DatabaseError(DBAPIError):
    """Wraps a DB-API DatabaseError."""

    code = "4xp6"


class DataError(DatabaseError):
    """Wraps a DB-API DataError."""

    code = "9h9h"


class OperationalError(DatabaseError):
    """Wraps a DB-API OperationalError."""

    code = "e3q8"


class IntegrityError(DatabaseError):
    """Wraps a DB-API IntegrityError."""

    code = "gkpj"


class InternalError(DatabaseError):
    """Wraps a DB-API InternalError."""

    code = "2j85"


class ProgrammingError(DatabaseError):
    """Wraps a DB-API ProgrammingError."""

    code = "f405"


class NotSupportedError(DatabaseError):
    """Wraps a DB-API NotSupportedError."""

    code = "tw8g"


_WRAPPERS: dict[str, type[DBAPIError]] = {
    k.__name__: k
    for k in (
        DBAPIError, InterfaceError, DatabaseError, DataError, OperationalError,
        IntegrityError, InternalError, ProgrammingError, NotSupportedError,
    )
}
_WRAPPERS["Error"] = DBAPIError


class SAWarning(RuntimeWarning):
    """A warning about questionable usage; named as SQLAlchemy's."""


class SADeprecationWarning(DeprecationWarning):
    """A deprecated API was used."""


class Base20DeprecationWarning(SADeprecationWarning):
    """An API removed in the 2.0 style was used."""


class MovedIn20Warning(Base20DeprecationWarning):
    """An API that moved in 2.0 was used at its old location."""


class SAPendingDeprecationWarning(PendingDeprecationWarning):
    """An API will be deprecated."""
