"""Dehydration, the inverse of hydration: an instance's values -> the parameters of its INSERT.

A flush of many new objects builds one parameter dict per row from each instance's __dict__;
`insert_params` is that per-row step for the common row, whose values are all of the plain
types a driver binds as they are. A row holding anything else (maybe a SQL expression to
render into the statement) is left to the caller's general path.

This is the specification of src/_speedups/dehydrate.pyx.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Optional

# the types whose values are bound as they are, never rendered as SQL
PLAIN_TYPES = frozenset((
    type(None), str, int, float, bool, bytes, decimal.Decimal,
    datetime.datetime, datetime.date, datetime.time, datetime.timedelta,
))


def insert_params(cols: tuple, values: dict) -> Optional[dict]:
    """{column key: value} of one row, by `cols`, a (attribute key, column key, None sent as
    NULL) triple per column: a missing or None value is left out (for the column's default
    or the database to fill), or sent as NULL. None when a value is not of a plain type."""
    params = {}
    for key, colkey, none_as_null in cols:
        value = values.get(key)
        if value is None:
            if none_as_null:
                params[colkey] = None
        elif type(value) in PLAIN_TYPES:
            params[colkey] = value
        else:
            return None
    return params
