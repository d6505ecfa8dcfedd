# Dehydration: the compiled twin of src/ormcore/_core_py/dehydrate.py (the specification;
# this file mirrors it name for name). Included by core.pyx.
#
# Per column: one borrowed dict probe, a pointer compare against the plain types (an exact
# type, as the twin's `type(value) in PLAIN_TYPES`), one dict store; no Python frame.

from cpython.dict cimport PyDict_GetItem
from cpython.dict cimport PyDict_SetItem

import datetime as _dh_datetime
import decimal as _dh_decimal

PLAIN_TYPES = frozenset((
    type(None), str, int, float, bool, bytes, _dh_decimal.Decimal,
    _dh_datetime.datetime, _dh_datetime.date, _dh_datetime.time, _dh_datetime.timedelta,
))

cdef PyTypeObject* _DH_STR = <PyTypeObject*>str
cdef PyTypeObject* _DH_INT = <PyTypeObject*>int
cdef PyTypeObject* _DH_FLOAT = <PyTypeObject*>float
cdef PyTypeObject* _DH_BOOL = <PyTypeObject*>bool
cdef PyTypeObject* _DH_BYTES = <PyTypeObject*>bytes
cdef PyTypeObject* _DH_DECIMAL = <PyTypeObject*>_dh_decimal.Decimal
cdef PyTypeObject* _DH_DATETIME = <PyTypeObject*>_dh_datetime.datetime
cdef PyTypeObject* _DH_DATE = <PyTypeObject*>_dh_datetime.date
cdef PyTypeObject* _DH_TIME = <PyTypeObject*>_dh_datetime.time
cdef PyTypeObject* _DH_TIMEDELTA = <PyTypeObject*>_dh_datetime.timedelta


cdef inline bint _dh_plain(PyTypeObject* tp):
    # the most common first; None never gets here
    return (tp == _DH_STR or tp == _DH_INT or tp == _DH_FLOAT
            or tp == _DH_BOOL or tp == _DH_BYTES or tp == _DH_DECIMAL
            or tp == _DH_DATETIME or tp == _DH_DATE or tp == _DH_TIME or tp == _DH_TIMEDELTA)


def insert_params(tuple cols, dict values):
    """{column key: value} of one row, by `cols`, a (attribute key, column key, None sent as
    NULL) triple per column: a missing or None value is left out (for the column's default
    or the database to fill), or sent as NULL. None when a value is not of a plain type."""
    cdef dict params = {}
    cdef tuple col
    cdef PyObject* value
    for col in cols:
        value = PyDict_GetItem(values, <object>PyTuple_GET_ITEM(col, 0))
        if value is NULL or value == <PyObject*>None:
            if <object>PyTuple_GET_ITEM(col, 2):
                PyDict_SetItem(params, <object>PyTuple_GET_ITEM(col, 1), None)
        elif _dh_plain(Py_TYPE(<object>value)):
            PyDict_SetItem(params, <object>PyTuple_GET_ITEM(col, 1), <object>value)
        else:
            return None
    return params
