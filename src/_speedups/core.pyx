# cython: language_level=3
"""The compiled core of ormcore (built by setup.py as ormcore._core_c).

One extension module assembled with `include` from one file per core, so the cores can
call each other at C level; each file mirrors, name for name, the pure-Python twin of
the same stem in ormcore._core_py, which is the specification. Only ormcore._core
imports this module.
"""

# The debug switch: setup.py defines the C macro ORMCORE_DEBUG=1 when ORMCORE_DEBUG=1 is
# set at build time. `if ORMCORE_DEBUG:` blocks hold invariant checks; in a release build
# the condition is the constant 0 and the C compiler drops them.
cdef extern from *:
    """
    #ifndef ORMCORE_DEBUG
    #define ORMCORE_DEBUG 0
    #endif
    """
    bint ORMCORE_DEBUG

cimport cython

import enum

include "row.pyx"
include "state.pyx"
include "history.pyx"
include "identity.pyx"
include "hydrate.pyx"
include "dehydrate.pyx"
