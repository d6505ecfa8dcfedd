"""SQLite's implementations of the generic types, and its type compiler.

SQLite has no date/time types: dates, datetimes and times are stored as strings in exactly
SQLAlchemy's formats ('2021-03-15 12:05:57.105542', '2021-03-15', '12:05:57.105542') so that
databases written by either library read back the same through both. JSON columns have
NUMERIC affinity, so a document that is a bare number comes back as a number, not text.
The SQLite dialect sets `colspecs` and `type_compiler_cls` from here.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from typing import Any
from typing import Callable
from typing import Optional

from ...sql import sqltypes
from ...sql.ddl_compiler import GenericTypeCompiler

_ZERO_TIME = {"hour": 0, "minute": 0, "second": 0, "microsecond": 0}


def _parse_with_regexp(regexp: Any, target: type) -> Callable[[Any], Any]:
    """A result processor building `target` from a custom storage format's regexp groups."""
    match = regexp.match
    named = bool(regexp.groupindex)

    def process(value: Any) -> Any:
        if value is None:
            return None
        try:
            found = match(value)
        except TypeError as err:
            raise ValueError(
                f"Couldn't parse {target.__name__} string '{value!r}' - value is not a string."
            ) from err
        if found is None:
            raise ValueError(f"Couldn't parse {target.__name__} string: '{value}'")
        if named:
            return target(**{k: int(v) for k, v in found.groupdict(0).items()})
        return target(*map(int, found.groups(0)))

    return process


def _from_iso(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    def process(value: Any) -> Any:
        return None if value is None else parse(value)

    return process


class _DateTimeMixin:
    """Custom string storage: `storage_format` (a %-dict format) and `regexp` to parse back."""

    _reg: Any = None
    _storage_format: str = ""

    def __init__(self, storage_format: Optional[str] = None, regexp: Any = None, **kw: Any) -> None:
        super().__init__(**kw)  # type: ignore[call-arg]
        if regexp is not None:
            self._reg = re.compile(regexp)
        if storage_format is not None:
            self._storage_format = storage_format

    @property
    def format_is_text_affinity(self) -> bool:
        """Whether the stored text has a non-digit, so SQLite keeps it as TEXT."""
        sample = self._storage_format % {
            "year": 0, "month": 0, "day": 0, "hour": 0, "minute": 0, "second": 0,
            "microsecond": 0,
        }
        return bool(re.search(r"[^0-9]", sample))

    def adapt(self, cls: type, **kw: Any) -> Any:
        if issubclass(cls, _DateTimeMixin):
            if self._storage_format:
                kw["storage_format"] = self._storage_format
            if self._reg:
                kw["regexp"] = self._reg
        return super().adapt(cls, **kw)  # type: ignore[misc]

    def literal_processor(self, dialect: Any) -> Callable[[Any], str]:
        bind = self.bind_processor(dialect)  # type: ignore[attr-defined]
        return lambda value: "'%s'" % bind(value)


class DATETIME(_DateTimeMixin, sqltypes.DateTime):
    """A datetime stored as 'YYYY-MM-DD HH:MM:SS.ffffff' text."""

    _storage_format = (
        "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
    )

    def __init__(self, *args: Any, truncate_microseconds: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if truncate_microseconds:
            if "storage_format" in kw or "regexp" in kw:
                raise AssertionError(
                    "You can specify only one of truncate_microseconds or storage_format/regexp."
                )
            self._storage_format = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        fmt = self._storage_format

        def process(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, dt.datetime):
                return fmt % {
                    "year": value.year, "month": value.month, "day": value.day,
                    "hour": value.hour, "minute": value.minute, "second": value.second,
                    "microsecond": value.microsecond,
                }
            if isinstance(value, dt.date):
                return fmt % {"year": value.year, "month": value.month, "day": value.day, **_ZERO_TIME}
            raise TypeError(
                "SQLite DateTime type only accepts Python datetime and date objects as input."
            )

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        if self._reg:
            return _parse_with_regexp(self._reg, dt.datetime)
        return _from_iso(dt.datetime.fromisoformat)


class DATE(_DateTimeMixin, sqltypes.Date):
    """A date stored as 'YYYY-MM-DD' text."""

    _storage_format = "%(year)04d-%(month)02d-%(day)02d"

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        fmt = self._storage_format

        def process(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, dt.date):
                return fmt % {"year": value.year, "month": value.month, "day": value.day}
            raise TypeError("SQLite Date type only accepts Python date objects as input.")

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        if self._reg:
            return _parse_with_regexp(self._reg, dt.date)
        return _from_iso(dt.date.fromisoformat)


class TIME(_DateTimeMixin, sqltypes.Time):
    """A time stored as 'HH:MM:SS.ffffff' text."""

    _storage_format = "%(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"

    def __init__(self, *args: Any, truncate_microseconds: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if truncate_microseconds:
            if "storage_format" in kw or "regexp" in kw:
                raise AssertionError(
                    "You can specify only one of truncate_microseconds or storage_format/regexp."
                )
            self._storage_format = "%(hour)02d:%(minute)02d:%(second)02d"

    def bind_processor(self, dialect: Any) -> Callable[[Any], Any]:
        fmt = self._storage_format

        def process(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, dt.time):
                return fmt % {
                    "hour": value.hour, "minute": value.minute, "second": value.second,
                    "microsecond": value.microsecond,
                }
            raise TypeError("SQLite Time type only accepts Python time objects as input.")

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        if self._reg:
            return _parse_with_regexp(self._reg, dt.time)
        return _from_iso(dt.time.fromisoformat)


class JSON(sqltypes.JSON):
    """SQLite JSON: a number-only document may come back as a number (NUMERIC affinity)."""

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any]:
        parse = super().result_processor(dialect, coltype)

        def process(value: Any) -> Any:
            try:
                return parse(value)
            except TypeError:
                if isinstance(value, numbers.Number):
                    return value
                raise

        return process


colspecs: dict = {
    sqltypes.Date: DATE,
    sqltypes.DateTime: DATETIME,
    sqltypes.JSON: JSON,
    sqltypes.Time: TIME,
}


class SQLiteTypeCompiler(GenericTypeCompiler):
    """SQLite's type names: BLOB for binary, DATETIME/DATE/TIME (or *_CHAR for numeric formats)."""

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return self.visit_BLOB(type_)

    def _date_name(self, type_: Any, name: str) -> str:
        if not isinstance(type_, _DateTimeMixin) or type_.format_is_text_affinity:
            return name
        return name + "_CHAR"

    def visit_DATETIME(self, type_: Any, **kw: Any) -> str:
        return self._date_name(type_, "DATETIME")

    def visit_DATE(self, type_: Any, **kw: Any) -> str:
        return self._date_name(type_, "DATE")

    def visit_TIME(self, type_: Any, **kw: Any) -> str:
        return self._date_name(type_, "TIME")

    def visit_JSON(self, type_: Any, **kw: Any) -> str:
        return "JSON"
