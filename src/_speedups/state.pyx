# Per-instance ORM state: the compiled twin of src/ormcore/_core_py/state.py (the
# specification; this file mirrors its names and behaviour). Included by core.pyx.
#
# Shape (CPython 3.11, measured on this machine; see benchmarks/orm_core.py):
# - The state IS the weak reference to its instance: a subclass of weakref.ReferenceType
#   with cdef fields. One GC-tracked object per instance instead of a state plus a weakref
#   (and no bound-method callback per state, as SQLAlchemy's state._cleanup is): the
#   callback is one module-level function, installed in wr_callback by __cinit__.
# - Layout: where the twin has sixteen slots, a state has four fields, 112 bytes with the
#   weakref and GC headers (it was 208; every loaded row has one):
#     _common      a _StateCommon: class_, manager, the key's class and identity_token,
#                  identity_map. Every state one RowLoader makes shares the
#                  loader's; a state whose value changes (attach, detach, eviction, a new
#                  key) moves to another common, made once per transition and remembered
#                  by the one it came from (_co_with), so detaching 200k states makes one.
#     _key_pk      the primary-key value (the tuple for a composite key)
#     _extra       None, or a _StateExtra made on first need: the modified / deleted /
#                  expired flags, the committed values, the expired attributes,
#                  callables, load_options, insert_order. Dropped again when a commit
#                  leaves it empty (_st_trim_extra).
#     _session     session_id, exposed as a plain member descriptor (T_OBJECT_EX, as a
#                  __slots__ entry) so that CPython's specialized LOAD_ATTR / STORE_ATTR
#                  reach it directly: the Session sets it one state at a time, and a
#                  property (a getset descriptor) is never specialized (~60 ns per write
#                  through a common against ~3 for a slot). NULL after `del`.
#   The instance held strongly while modified in a session or a map (_strong_obj) lives in
#   the _StateExtra, which a modified state has anyway; the state's tp_traverse reports
#   it (_st_traverse), so the extra stays untracked by the collector.
#   The weakref's own `hash` field, unused by a state (its __hash__ is its identity),
#   holds the hash of _key_pk under which an identity map's table filed it (identity.pyx).
#   No cdef methods: a vtable pointer would cost every state 8 bytes, so the hot
#   operations are module functions taking the state.
# - _StateExtra keeps the first two committed values in fields (key1/value1, key2/value2)
#   and makes its dict only for a third attribute or a reader of _committed_state: the
#   first write to a loaded instance allocates one object, not a dict and its keys. It is
#   not tracked by the cyclic GC while it holds only atoms (CPython's own rule for dicts;
#   the strongly held instance is the state's to report, see above): tracked objects that
#   survive push the collector into full collections, and a loop of 200k first writes
#   would otherwise pay one over every loaded object. Its size is 128 bytes with the GC
#   header (112 before it held the instance): with one pair (96 bytes) the writes of
#   benchmarks/orm_core.py took ~215 ns each against ~135 with two (or with 128 bytes),
#   for the same instructions: each write allocates one extra, and there pymalloc handed
#   out the 112-byte ones consecutively (by address) and the 96-byte ones scattered, 96
#   being the size class of that table's 6-column row tuples (freed after each load) and
#   of its longer e-mail strings (kept by the instances).
# - Instance values are read with _st_instance_value, which neither materializes the
#   instance's __dict__ (CPython keeps attributes in inline values until someone asks for
#   __dict__) nor runs the attribute loader.

from cpython.object cimport PyObject_TypeCheck
from cpython.ref cimport Py_XDECREF
from cpython.set cimport PyFrozenSet_CheckExact
from cpython.weakref cimport PyWeakref_GET_OBJECT
from cpython.weakref cimport PyWeakref_NewRef


cdef extern from "Python.h":
    ctypedef class weakref.ReferenceType [object PyWeakReference, check_size ignore]:
        pass
    ctypedef struct _st_weakref "PyWeakReference":
        PyObject* wr_callback
        Py_hash_t hash
    ctypedef object (*_st_getattrofunc)(object, object)
    ctypedef object (*_st_descrgetfunc)(object, object, object)
    PyObject* _st_type_lookup "_PyType_Lookup" (PyTypeObject* type, object name)
    PyObject* _st_getattr_nodict "_PyObject_GenericGetAttrWithDict" (
        object obj, object name, PyObject* dict, int suppress)
    int _st_generic_setattr "PyObject_GenericSetAttr" (
        object obj, object name, PyObject* value) except -1
    object _st_generic_getattr_obj "PyObject_GenericGetAttr" (object obj, object name)
    bint _st_gc_is_tracked "PyObject_GC_IsTracked" (object obj)
    void _st_gc_track "PyObject_GC_Track" (object obj)

cdef extern from *:
    """
    static PyObject *ormcore_st_propagate(void) { return NULL; }
    static PyObject *ormcore_st_steal(PyObject *obj) { return obj; }
    static int ormcore_st_generic_getattro(PyTypeObject *tp) {
        return tp->tp_getattro == PyObject_GenericGetAttr;
    }
    static void *ormcore_st_descr_get(PyTypeObject *tp) { return (void *)tp->tp_descr_get; }
    /* The type's version tag, 0 when it has none: CPython gives a type a new tag whenever
       it or a base changes, and never reuses one. */
    static unsigned int ormcore_st_version_tag(PyTypeObject *tp) {
        return PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG) ? tp->tp_version_tag : 0;
    }
    /* tp_alloc of _StateExtra: PyType_GenericAlloc minus the tracking (see _st_extra).
       _PyObject_GC_New allocates with the collector's accounting and leaves the object
       untracked; the body is zeroed, as tp_alloc must. */
    static PyObject *ormcore_st_alloc_untracked(PyTypeObject *tp, Py_ssize_t nitems) {
        PyObject *obj = _PyObject_GC_New(tp);
        if (obj != NULL) {
            memset((char *)obj + sizeof(PyObject), 0,
                   (size_t)tp->tp_basicsize - sizeof(PyObject));
        }
        return obj;
    }
    static void ormcore_st_set_alloc_untracked(PyTypeObject *tp) {
        tp->tp_alloc = ormcore_st_alloc_untracked;
    }
    /* CPython's rule for what an untracked container may hold (_PyObject_GC_MAY_BE_TRACKED):
       objects that are no GC containers, and tuples the collector has untracked. */
    #include "structmember.h"
    /* *field = value (a new reference; value may be NULL), releasing the old one last. */
    static void ormcore_st_store(PyObject **field, PyObject *value) {
        PyObject *old = *field;
        Py_XINCREF(value);
        *field = value;
        Py_XDECREF(old);
    }
    /* One member descriptor, a __slots__ entry's kind: an object field at `offset`. */
    static PyMemberDef ormcore_st_members[] = {
        {"session_id", T_OBJECT_EX, 0, 0, NULL},
        {NULL}
    };
    static int ormcore_st_add_session_member(PyTypeObject *tp, Py_ssize_t offset) {
        PyObject *descr;
        int failed;
        ormcore_st_members[0].offset = offset;
        descr = PyDescr_NewMember(tp, &ormcore_st_members[0]);
        if (descr == NULL) return -1;
        failed = PyDict_SetItemString(tp->tp_dict, "session_id", descr);
        Py_DECREF(descr);
        PyType_Modified(tp);
        return failed;
    }
    static void ormcore_st_set_traverse(PyTypeObject *tp, void *traverse) {
        tp->tp_traverse = (traverseproc)traverse;
    }
    /* Two different strings, both interned, are unequal (attribute names are interned). */
    static int ormcore_st_both_interned(PyObject *a, PyObject *b) {
        return PyUnicode_CHECK_INTERNED(a) && PyUnicode_CHECK_INTERNED(b);
    }
    static int ormcore_st_is_data_descr(PyObject *descr) {
        return Py_TYPE(descr)->tp_descr_set != NULL;
    }
    /* The instance's __dict__ (borrowed) when CPython 3.11 has materialized it; NULL while
       its attributes are still in inline values (reading __dict__ would materialize it) or
       when the layout is not one known here (the caller then takes the generic way). */
    static PyObject *ormcore_st_existing_dict(PyObject *obj) {
    #if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
        if (Py_TYPE(obj)->tp_flags & Py_TPFLAGS_MANAGED_DICT) {
            if (((void **)obj)[-4] != NULL) return NULL;
            return ((PyObject **)obj)[-3];
        }
    #endif
        return NULL;
    }
    /* dict.pop(key, None), the result dropped. */
    static int ormcore_st_dict_discard(PyObject *d, PyObject *key) {
        PyObject *old = _PyDict_Pop(d, key, Py_None);
        if (old == NULL) return -1;
        Py_DECREF(old);
        return 0;
    }
    static int ormcore_st_may_cycle(PyObject *value) {
        PyTypeObject *tp = Py_TYPE(value);
        if (!PyType_IS_GC(tp) || (tp->tp_is_gc != NULL && !tp->tp_is_gc(value))) return 0;
        return PyTuple_CheckExact(value) ? PyObject_GC_IsTracked(value) : 1;
    }
    """
    object ormcore_st_propagate()
    void ormcore_st_store(PyObject** field, PyObject* value)
    int ormcore_st_add_session_member(PyTypeObject* tp, Py_ssize_t offset) except -1
    void ormcore_st_set_traverse(PyTypeObject* tp, void* traverse)
    object ormcore_st_steal(PyObject* obj)
    bint ormcore_st_generic_getattro(PyTypeObject* tp)
    void* ormcore_st_descr_get(PyTypeObject* tp)
    unsigned int ormcore_st_version_tag(PyTypeObject* tp)
    void ormcore_st_set_alloc_untracked(PyTypeObject* tp)
    bint ormcore_st_may_cycle(object value)
    bint ormcore_st_is_data_descr(PyObject* descr)
    PyObject* ormcore_st_existing_dict(PyObject* obj)
    int ormcore_st_dict_discard(object d, object key) except -1
    bint ormcore_st_both_interned(PyObject* a, PyObject* b)


cdef str STATE_KEY = "_sa_instance_state"


class LoaderCallableStatus(enum.Enum):
    """Symbols of attribute loading, named as SQLAlchemy's (sqlalchemy.orm.base)."""

    PASSIVE_NO_RESULT = 0
    PASSIVE_CLASS_MISMATCH = 1
    ATTR_WAS_SET = 2
    ATTR_EMPTY = 3
    NO_VALUE = 4
    NEVER_SET = 4  # an alias of NO_VALUE, as in SQLAlchemy


cdef object _NO_VALUE = LoaderCallableStatus.NO_VALUE

# Set while _st_instance_value asks CPython's generic lookup for an instance value: the
# AttributeDescriptor's __get__ then answers _NO_VALUE instead of loading. Nothing runs
# between setting and clearing it but that lookup (see _st_peek).
cdef bint _ST_PEEKING = False
# AttributeDescriptor's tp_descr_get, set at module init (history.pyx).
cdef void* _ST_ATTR_DESCR_GET = NULL


cdef inline object _st_peek(object obj, object name):
    # The generic lookup of `name` on an instance whose type has no class attribute `name`
    # or has our non-data descriptor there: the instance's value, or _NO_VALUE.
    global _ST_PEEKING
    cdef PyObject* found
    _ST_PEEKING = True
    found = _st_getattr_nodict(obj, name, NULL, 1)
    _ST_PEEKING = False
    if found is not NULL:
        return ormcore_st_steal(found)
    if PyErr_Occurred() is not NULL:
        return ormcore_st_propagate()
    return _NO_VALUE


cdef inline bint _st_peekable(PyTypeObject* tp, PyObject* descr):
    # True when _st_peek reads the instance value of a name whose class attribute (as
    # _PyType_Lookup found it) is `descr`.
    return descr is NULL or ormcore_st_descr_get(Py_TYPE(<object>descr)) == _ST_ATTR_DESCR_GET


# The last type whose "_sa_instance_state" _st_state_of found peekable, and its version tag:
# the next write to an instance of it skips that type lookup.
cdef PyTypeObject* _ST_STATE_TYPE = NULL
cdef unsigned int _ST_STATE_TAG = 0


cdef inline object _st_state_of(object obj, PyTypeObject* tp):
    """_st_instance_value(obj, STATE_KEY) for an instance of `tp` (its type)."""
    global _ST_STATE_TYPE, _ST_STATE_TAG
    cdef unsigned int tag
    if tp == _ST_STATE_TYPE and _ST_STATE_TAG != 0 and ormcore_st_version_tag(tp) == _ST_STATE_TAG:
        return _st_peek(obj, STATE_KEY)
    if ormcore_st_generic_getattro(tp) and _st_peekable(tp, _st_type_lookup(tp, STATE_KEY)):
        tag = ormcore_st_version_tag(tp)  # valid now: _PyType_Lookup assigns one
        if tag != 0:
            _ST_STATE_TYPE = tp
            _ST_STATE_TAG = tag
        return _st_peek(obj, STATE_KEY)
    return _st_dict_of(obj).get(STATE_KEY, _NO_VALUE)


cdef object _st_instance_value(object obj, object name):
    """obj.__dict__.get(name, _NO_VALUE), without materializing __dict__ or running a loader."""
    cdef PyTypeObject* tp = Py_TYPE(obj)
    if ormcore_st_generic_getattro(tp) and PyUnicode_CheckExact(name):
        if _st_peekable(tp, _st_type_lookup(tp, name)):
            # No class attribute, or our non-data descriptor: the generic lookup reads the
            # instance's values and, when they lack the name, either fails quietly or asks
            # the descriptor, which answers _NO_VALUE while _ST_PEEKING is set.
            return _st_peek(obj, name)
    return _st_dict_of(obj).get(name, _NO_VALUE)


cdef dict _st_dict_of(object obj):
    values = _st_generic_getattr_obj(obj, "__dict__")
    if not PyDict_CheckExact(values):
        values = dict(values)
    return <dict>values


def _state_gone(state):
    # The weak reference's callback: the instance was garbage collected.
    identity_map = (<InstanceState>state)._common.identity_map
    if identity_map is not None:
        (<IdentityMap>identity_map)._state_gone(<InstanceState>state)


cdef object _STATE_GONE = _state_gone


# -- the shared part: _StateCommon -------------------------------------------------------------

# Fields of a _StateCommon, as _co_with numbers them.
cdef enum:
    _CO_CLASS = 0
    _CO_MANAGER = 1
    _CO_KEY_CLASS = 2
    _CO_TOKEN = 3
    _CO_MAP = 4


@cython.final
@cython.auto_pickle(False)
cdef class _StateCommon:
    """What the states of one load (or of one class, made one by one) have in common.

    Never changed once a state uses it: a state that needs another value moves to another
    common (_co_with). `_next` remembers the last such move, as (_next_field, the common
    it led to), and a new common remembers the one it came from: strongly when that
    common's value is None (detach, eviction: it pins nothing), else through a weak
    reference (a common naming a session's identity map must not keep that map alive)."""

    cdef readonly object class_
    cdef readonly object manager
    cdef readonly object key_class
    cdef readonly object identity_token
    cdef readonly IdentityMap identity_map
    cdef int _next_field
    cdef object _next
    cdef object __weakref__


cdef object _co_get(_StateCommon common, int field):
    if field == _CO_CLASS:
        return common.class_
    if field == _CO_MANAGER:
        return common.manager
    if field == _CO_KEY_CLASS:
        return common.key_class
    if field == _CO_TOKEN:
        return common.identity_token
    return common.identity_map


cdef _StateCommon _co_new(object class_, object manager, object key_class,
                          object identity_token, IdentityMap identity_map):
    cdef _StateCommon common = _StateCommon.__new__(_StateCommon)
    common.class_ = class_
    common.manager = manager
    common.key_class = key_class
    common.identity_token = identity_token
    common.identity_map = identity_map
    return common


cdef _StateCommon _co_with(_StateCommon common, int field, object value):
    """`common` with `field` set to `value`: the one made last time, while it lives."""
    cdef _StateCommon derived
    memo = common._next
    if memo is not None and common._next_field == field:
        if type(memo) is not _StateCommon:
            memo = <object>PyWeakref_GET_OBJECT(memo)
        if memo is not None and _co_get(<_StateCommon>memo, field) is value:
            return <_StateCommon>memo
    derived = _co_new(common.class_, common.manager, common.key_class, common.identity_token,
                      common.identity_map)
    if field == _CO_CLASS:
        derived.class_ = value
    elif field == _CO_MANAGER:
        derived.manager = value
    elif field == _CO_KEY_CLASS:
        derived.key_class = value
    elif field == _CO_TOKEN:
        derived.identity_token = value
    else:
        derived.identity_map = value  # typed field: None or an IdentityMap, else TypeError
    common._next_field = field
    common._next = derived if value is None else PyWeakref_NewRef(derived, None)
    # and the way back (detach then attach again, add then discard): at most one of the two
    # references is strong, since the two values differ and only None is held strongly
    back = _co_get(common, field)
    derived._next_field = field
    derived._next = common if back is None else PyWeakref_NewRef(common, None)
    return derived


cdef inline int _st_set_common(InstanceState state, int field, object value) except -1:
    if _co_get(state._common, field) is not value:
        state._common = _co_with(state._common, field, value)
    return 0


# The commons of states made one at a time (InstanceState(obj, manager): user-created
# instances), per (class, manager): a small direct-mapped cache, so that creating objects
# of a few classes in turn allocates no common per object. It pins at most 16 classes.
cdef list _ST_ROOTS = [None] * 16


cdef _StateCommon _st_root_common(object cls, object manager):
    cdef Py_ssize_t slot = (<Py_ssize_t><void*>cls >> 4) & 15
    cdef _StateCommon common = <_StateCommon>_ST_ROOTS[slot]
    if common is not None and common.class_ is cls and common.manager is manager:
        return common
    common = _co_new(cls, manager, None, None, None)
    _ST_ROOTS[slot] = common
    return common


# -- the private part: _StateExtra --------------------------------------------------------------

cdef enum:
    _EX_MODIFIED = 1
    _EX_DELETED = 2
    _EX_EXPIRED = 4  # the whole instance was expired (see the `expired` property)


@cython.final
@cython.auto_pickle(False)
cdef class _StateExtra:
    """The per-state fields most loaded states never need (see the file's comment).

    Committed values: none; up to two pairs in key1/value1 then key2/value2, in the order
    they were recorded (key2 only with key1); or all of them, from the third on (or once
    a reader asked for the dict), in the dict `committed`, the pairs then empty."""

    cdef int flags
    cdef object key1
    cdef object value1
    cdef object key2
    cdef object value2
    cdef dict committed
    # None; a set of its own; or, after an expiry of the whole instance, the class's shared
    # frozenset of mapped names (_st_expired_all): no set per state, none for the collector
    # to traverse. It becomes a set of its own on first change or read (_ex_expired_set).
    cdef object expired
    cdef object callables
    cdef object load_options
    cdef object insert_order
    # the instance, held strongly while modified in a session or a map: owned here, reported
    # to the collector by the state's traverse (_st_traverse), never by this object's
    cdef PyObject* strong

    def __dealloc__(self):
        ormcore_st_store(&self.strong, NULL)


# A new _StateExtra is born untracked by the cyclic GC (it holds nothing yet): its tp_alloc
# skips the tracking that PyType_GenericAlloc does and _ex_hold undoes it when needed.
ormcore_st_set_alloc_untracked(<PyTypeObject*>_StateExtra)


cdef _StateExtra _st_extra(InstanceState state):
    """The state's _StateExtra, made if none."""
    cdef _StateExtra extra = state._extra
    if extra is None:
        extra = _StateExtra.__new__(_StateExtra)
        state._extra = extra
    return extra


cdef inline bint _ex_is_atom(object value):
    # What an untracked _StateExtra may hold: CPython's atoms and untracked tuples, and the
    # NO_VALUE symbol (a module-level constant that refers to no state or instance).
    return value is _NO_VALUE or not ormcore_st_may_cycle(value)


cdef inline int _ex_hold(_StateExtra extra, object value) except -1:
    # Called before `extra` references `value`: track `extra` once it may take part in a
    # cycle.
    if not _ex_is_atom(value) and not _st_gc_is_tracked(extra):
        _st_gc_track(extra)
    return 0


cdef inline bint _ex_same_key(object a, object b):
    # Attribute names are interned strings: identity first, then equality (which two
    # distinct interned strings never have).
    return a is b or (a is not None and PyUnicode_CheckExact(a) and PyUnicode_CheckExact(b)
                      and not ormcore_st_both_interned(<PyObject*>a, <PyObject*>b) and a == b)


cdef bint _ex_has_committed(_StateExtra extra, object key) except -1:
    if extra.committed is not None:
        return key in extra.committed
    return _ex_same_key(extra.key1, key) or _ex_same_key(extra.key2, key)


cdef object _ex_committed_get(_StateExtra extra, object key, object default):
    if extra.committed is not None:
        return extra.committed.get(key, default)
    if _ex_same_key(extra.key1, key):
        return extra.value1
    if _ex_same_key(extra.key2, key):
        return extra.value2
    return default


cdef int _ex_record(_StateExtra extra, object key, object previous) except -1:
    """committed.setdefault(key, previous)."""
    if extra.committed is None:
        if extra.key1 is None:
            _ex_hold(extra, previous)
            extra.key1 = key
            extra.value1 = previous
            return 0
        if _ex_same_key(extra.key1, key) or _ex_same_key(extra.key2, key):
            return 0
        if extra.key2 is None:
            _ex_hold(extra, previous)
            extra.key2 = key
            extra.value2 = previous
            return 0
        _ex_committed_dict(extra)
    if key not in extra.committed:
        _ex_hold(extra, previous)
        extra.committed[key] = previous
    return 0


cdef dict _ex_committed_dict(_StateExtra extra):
    """The committed values as the dict `committed`, made from the pairs if need be."""
    if extra.committed is None:
        extra.committed = {}
        if extra.key1 is not None:
            extra.committed[extra.key1] = extra.value1
            if extra.key2 is not None:
                extra.committed[extra.key2] = extra.value2
        extra.key1 = extra.value1 = extra.key2 = extra.value2 = None
    return extra.committed


cdef int _ex_committed_pop(_StateExtra extra, list keys) except -1:
    """Forget the committed values of `keys`; none left: no dict either (as the twin)."""
    if extra.committed is not None:
        for key in keys:
            extra.committed.pop(key, None)
        if not extra.committed:
            extra.committed = None
        return 0
    for key in keys:
        if _ex_same_key(extra.key2, key):
            extra.key2 = extra.value2 = None
        elif _ex_same_key(extra.key1, key):
            # the second pair, if any, moves up: key2 is set only with key1
            extra.key1, extra.value1 = extra.key2, extra.value2
            extra.key2 = extra.value2 = None
    return 0


cdef int _ex_committed_clear(_StateExtra extra) except -1:
    if extra.committed is not None:
        extra.committed.clear()  # a reader may still hold it: it reads empty, as before
        extra.committed = None
    extra.key1 = extra.value1 = extra.key2 = extra.value2 = None
    return 0


cdef inline bint _ex_has_any_committed(_StateExtra extra):
    return extra.key1 is not None or bool(extra.committed)


cdef set _ex_expired_set(_StateExtra extra):
    # The expired names as a set of the extra's own (None: none). Only names, so the extra
    # needs no tracking for it; a reader that may put anything in it tracks it.
    if PyFrozenSet_CheckExact(extra.expired):
        extra.expired = set(extra.expired)
    return <set>extra.expired


# (names tuple, its frozenset) per manager's _attribute_names, which is replaced, never
# changed: direct-mapped by the tuple's address (held, so never reused while cached).
cdef list _ST_EXPIRED_ALL = [None] * 16


cdef object _st_expired_all(tuple names):
    cdef Py_ssize_t slot = (<Py_ssize_t><void*>names >> 4) & 15
    entry = _ST_EXPIRED_ALL[slot]
    if entry is not None and (<tuple>entry)[0] is names:
        return (<tuple>entry)[1]
    shared = frozenset(names)
    _ST_EXPIRED_ALL[slot] = (names, shared)
    return shared


cdef int _st_trim_extra(InstanceState state) except -1:
    # After a commit or expiry: a _StateExtra that holds nothing goes (the state is as
    # compact as a freshly loaded one again).
    cdef _StateExtra extra = state._extra
    if (extra is not None and extra.flags == 0 and extra.key1 is None and extra.strong is NULL
            and extra.committed is None and extra.expired is None and extra.callables is None
            and extra.load_options is None and extra.insert_order is None):
        state._extra = None
    return 0


cdef inline bint _st_flag(InstanceState state, int flag):
    return state._extra is not None and (state._extra.flags & flag) != 0


cdef int _st_set_flag(InstanceState state, int flag, bint value) except -1:
    cdef _StateExtra extra
    if value:
        extra = _st_extra(state)
        extra.flags |= flag
    elif state._extra is not None:
        state._extra.flags &= ~flag
    return 0


# -- the hot operations -------------------------------------------------------------------------

cdef int _st_modified(InstanceState state, object key, object previous) except -1:
    """Record that attribute `key` is about to change from `previous` (_NO_VALUE when it
    was not loaded): keep the committed value once, then _st_flag_modified."""
    cdef _StateExtra extra = state._extra
    if extra is None:
        # the first change of a clean state (each write of the write benchmark): one new
        # object holding one pair, no dict
        extra = _StateExtra.__new__(_StateExtra)
        state._extra = extra
        if not _ex_is_atom(previous):
            _st_gc_track(extra)
        extra.key1 = key
        extra.value1 = previous
    else:
        _ex_record(extra, key, previous)
    return _st_flag_modified(state, extra)


cdef inline int _st_flag_modified(InstanceState state, _StateExtra extra) except -1:
    """Flag the state modified, enter its map's modified set, hold the instance strongly."""
    # the common is read through a borrowed pointer: the state holds it throughout
    cdef _StateCommon common = <_StateCommon><PyObject*>state._common
    if not (extra.flags & _EX_MODIFIED):
        extra.flags |= _EX_MODIFIED
        if common.identity_map is not None:
            common.identity_map._modified.add(state)
    if extra.strong is NULL and (
        _st_session(state) is not None or common.identity_map is not None
    ):
        obj = PyWeakref_GET_OBJECT(state)
        if obj is not <PyObject*>None:
            ormcore_st_store(&extra.strong, obj)
    return 0


cdef int _st_unmodify(InstanceState state) except -1:
    # modified = False, out of the map's modified set, no strong reference.
    cdef IdentityMap identity_map = state._common.identity_map
    if _st_flag(state, _EX_MODIFIED):
        state._extra.flags &= ~_EX_MODIFIED
        if identity_map is not None:
            identity_map._modified.discard(state)
    if state._extra is not None:
        # last: the instance may go with it (and its weakref callback run)
        ormcore_st_store(&state._extra.strong, NULL)
    return 0


cdef int _st_commit_all(InstanceState state) except -1:
    """After a flush or refresh: everything loaded is now the committed state."""
    cdef _StateExtra extra = state._extra
    if extra is not None:
        _ex_committed_clear(extra)
        extra.flags &= ~_EX_EXPIRED
        if extra.expired:
            obj = <object>PyWeakref_GET_OBJECT(state)
            if obj is not None:
                if PyFrozenSet_CheckExact(extra.expired):
                    # shared: what stays expired, if anything, becomes a set of its own
                    left = [key for key in extra.expired
                            if _st_instance_value(obj, key) is _NO_VALUE]
                    extra.expired = set(left) if left else None
                else:
                    for key in list(extra.expired):
                        if _st_instance_value(obj, key) is not _NO_VALUE:
                            extra.expired.discard(key)
    _st_unmodify(state)
    return _st_trim_extra(state)


cdef int _st_commit(InstanceState state, object keys) except -1:
    """Commit only `keys` (loaded into an existing instance, or refreshed)."""
    cdef _StateExtra extra = state._extra
    if extra is None:
        return 0
    extra.flags &= ~_EX_EXPIRED
    keys = list(keys)
    if _ex_has_any_committed(extra):
        _ex_committed_pop(extra, keys)
    if extra.expired:
        obj = <object>PyWeakref_GET_OBJECT(state)
        if obj is not None:
            shared = PyFrozenSet_CheckExact(extra.expired)
            expired = _ex_expired_set(extra)
            expired.difference_update(
                [key for key in keys if _st_instance_value(obj, key) is not _NO_VALUE])
            if shared and not expired:
                extra.expired = None
    return 0


@cython.auto_pickle(False)
@cython.no_gc_clear  # _common is never None: the collector breaks cycles elsewhere
cdef class InstanceState(ReferenceType):
    """The ORM's bookkeeping for one mapped instance; a weak reference to it.

    `InstanceState(obj, manager)` does not attach itself: the caller stores it in the
    instance's __dict__ under "_sa_instance_state" (hydration does so itself).
    """

    cdef _StateCommon _common
    cdef public object _key_pk
    cdef _StateExtra _extra
    cdef PyObject* _session  # session_id: read with _st_session (see the file's comment)

    def __cinit__(self, obj, manager=None):
        # weakref's own __new__ took `manager` for the callback: install ours instead.
        cdef _st_weakref* ref = <_st_weakref*><PyObject*>self
        cdef PyObject* old = ref.wr_callback
        Py_INCREF(_STATE_GONE)
        ref.wr_callback = <PyObject*>_STATE_GONE
        Py_XDECREF(old)
        ormcore_st_store(&self._session, <PyObject*>None)
        if type(manager) is _StateCommon:
            # hydration passes its RowLoader's common in the manager's place
            self._common = <_StateCommon>manager
        else:
            self._common = _st_root_common(<object>Py_TYPE(obj), manager)

    def __init__(self, obj, manager=None):
        pass  # everything is done in __cinit__ (weakref's __init__ takes no keywords)

    def __dealloc__(self):
        ormcore_st_store(&self._session, NULL)

    # A state is equal only to itself (weakref.ref compares referents).
    def __hash__(self):
        return <Py_hash_t>(<Py_ssize_t><void*>self >> 4)

    def __richcmp__(self, other, int op):
        if op == 2:
            return self is other
        if op == 3:
            return self is not other
        return NotImplemented

    def __repr__(self):
        return f"<InstanceState of {self.class_.__name__} at {id(self):#x}>"

    # -- fields kept in the common -----------------------------------------------------------

    @property
    def class_(self):
        return self._common.class_

    @class_.setter
    def class_(self, value):
        _st_set_common(self, _CO_CLASS, value)

    @property
    def manager(self):
        return self._common.manager

    @manager.setter
    def manager(self, value):
        _st_set_common(self, _CO_MANAGER, value)

    @property
    def _key_class(self):
        return self._common.key_class

    @_key_class.setter
    def _key_class(self, value):
        _st_set_common(self, _CO_KEY_CLASS, value)

    @property
    def identity_token(self):
        return self._common.identity_token

    @identity_token.setter
    def identity_token(self, value):
        _st_set_common(self, _CO_TOKEN, value)

    @property
    def identity_map(self):
        return self._common.identity_map

    @identity_map.setter
    def identity_map(self, value):
        if value is not None and not isinstance(value, IdentityMap):
            raise TypeError(f"identity_map must be an IdentityMap or None, not {value!r}")
        _st_set_common(self, _CO_MAP, value)

    # -- fields kept in the extra ------------------------------------------------------------

    @property
    def _strong_obj(self):
        if self._extra is None or self._extra.strong is NULL:
            return None
        return <object>self._extra.strong

    @_strong_obj.setter
    def _strong_obj(self, value):
        if value is not None:
            ormcore_st_store(&_st_extra(self).strong, <PyObject*>value)
        elif self._extra is not None:
            ormcore_st_store(&self._extra.strong, NULL)

    @property
    def modified(self):
        return _st_flag(self, _EX_MODIFIED)

    @modified.setter
    def modified(self, value):
        _st_set_flag(self, _EX_MODIFIED, value)

    @property
    def deleted(self):
        return _st_flag(self, _EX_DELETED)

    @deleted.setter
    def deleted(self, value):
        _st_set_flag(self, _EX_DELETED, value)

    @property
    def expired(self):
        return _st_flag(self, _EX_EXPIRED)

    @expired.setter
    def expired(self, value):
        _st_set_flag(self, _EX_EXPIRED, value)

    @property
    def _committed_state(self):
        """The committed values as a dict, or None when none was recorded."""
        cdef _StateExtra extra = self._extra
        if extra is None or (extra.key1 is None and extra.committed is None):
            return None
        _st_gc_track_once(extra)  # the caller may put anything in the dict
        return _ex_committed_dict(extra)

    @_committed_state.setter
    def _committed_state(self, value):
        cdef _StateExtra extra
        if value is None:
            if self._extra is not None:
                _ex_committed_clear(self._extra)
            return
        extra = _st_extra(self)
        _st_gc_track_once(extra)
        extra.key1 = extra.value1 = extra.key2 = extra.value2 = None
        extra.committed = <dict?>value

    @property
    def _expired_attributes(self):
        cdef _StateExtra extra = self._extra
        if extra is None or extra.expired is None:
            return None
        _st_gc_track_once(extra)  # the caller may put anything in the set
        return _ex_expired_set(extra)

    @_expired_attributes.setter
    def _expired_attributes(self, value):
        if value is None:
            if self._extra is not None:
                self._extra.expired = None
            return
        extra = _st_extra(self)
        _st_gc_track_once(extra)
        extra.expired = <set?>value

    @property
    def callables(self):
        return None if self._extra is None else self._extra.callables

    @callables.setter
    def callables(self, value):
        _st_set_extra_field(self, 0, value)

    @property
    def load_options(self):
        return None if self._extra is None else self._extra.load_options

    @load_options.setter
    def load_options(self, value):
        _st_set_extra_field(self, 1, value)

    @property
    def insert_order(self):
        return None if self._extra is None else self._extra.insert_order

    @insert_order.setter
    def insert_order(self, value):
        _st_set_extra_field(self, 2, value)

    # -- fields built on demand --------------------------------------------------------------

    @property
    def obj(self):
        """The weak reference to the instance (the state itself): `state.obj()`."""
        return self

    @property
    def key(self):
        """The identity key `(class, pk_tuple, identity_token)`, or None (built on demand)."""
        cdef _StateCommon common = self._common
        if common.key_class is None:
            return None
        pk = self._key_pk
        return (common.key_class, pk if PyTuple_CheckExact(pk) else (pk,),
                common.identity_token)

    @key.setter
    def key(self, key):
        if key is None:
            _st_set_common(self, _CO_KEY_CLASS, None)
            self._key_pk = None
            _st_set_common(self, _CO_TOKEN, None)
            return
        cls, pk, token = key
        pk = tuple(pk)
        self._key_pk = pk[0] if len(pk) == 1 else pk
        _st_set_common(self, _CO_KEY_CLASS, cls)
        _st_set_common(self, _CO_TOKEN, token)

    @property
    def has_identity(self):
        return self._common.key_class is not None

    @property
    def committed_state(self):
        """Attribute name -> value before the first change since load/flush (_NO_VALUE:
        the attribute was not loaded)."""
        cdef _StateExtra extra = _st_extra(self)
        _st_gc_track_once(extra)
        return _ex_committed_dict(extra)

    @property
    def expired_attributes(self):
        cdef _StateExtra extra = _st_extra(self)
        _st_gc_track_once(extra)
        if extra.expired is None:
            extra.expired = set()
        return _ex_expired_set(extra)

    @property
    def dict(self):
        """The instance's __dict__ (an empty dict once the instance is gone)."""
        obj = <object>PyWeakref_GET_OBJECT(self)
        return {} if obj is None else obj.__dict__

    # -- the hot operations ------------------------------------------------------------------

    def _modified_event(self, key, previous):
        """Record that attribute `key` is about to change from `previous` (_NO_VALUE when it
        was not loaded): keep the committed value once, flag the state modified, enter the
        modified set and hold the instance strongly."""
        _st_modified(self, key, previous)

    def _commit_all(self):
        """After a flush or refresh: everything loaded is now the committed state."""
        _st_commit_all(self)

    def _commit(self, keys):
        """Commit only `keys` (loaded into an existing instance, or refreshed)."""
        _st_commit(self, keys)

    def _expire(self, attribute_names=None):
        """Remove values from the instance and mark them expired: all mapped attributes
        (which also discards the pending changes) or only `attribute_names`."""
        cdef _StateExtra extra = self._extra
        obj = <object>PyWeakref_GET_OBJECT(self)
        shared = None
        if attribute_names is None:
            names = _st_mapped_names(self._common.class_, self._common.manager)
            shared = _st_expired_all(names)
            if extra is not None:
                _ex_committed_clear(extra)
            _st_unmodify(self)
        else:
            names = list(attribute_names)
            if extra is not None and _ex_has_any_committed(extra):
                _ex_committed_pop(extra, names)
        if obj is not None:
            _st_remove_values(obj, names, attribute_names is None)
        extra = _st_extra(self)
        if attribute_names is None:
            extra.flags |= _EX_EXPIRED
            if extra.expired is None or extra.expired is shared:
                extra.expired = shared
                return
        if extra.expired is None:
            extra.expired = set()
        _ex_expired_set(extra).update(names)


cdef inline object _st_session(InstanceState state):
    # session_id; None when it was deleted (the member is NULL then)
    cdef PyObject* session = state._session
    return None if session is NULL else <object>session


cdef int _st_set_session(InstanceState state, object value) except -1:
    ormcore_st_store(&state._session, <PyObject*>value)
    return 0


ctypedef int (*_st_visitproc)(PyObject*, void*) noexcept


cdef inline int _st_visit(PyObject* field, _st_visitproc visit, void* arg) noexcept:
    if field is NULL or field is <PyObject*>None:
        return 0
    return visit(field, arg)


cdef int _st_traverse(PyObject* obj, _st_visitproc visit, void* arg) noexcept:
    # The state's tp_traverse, in place of Cython's (which chains to weakref's): every
    # reference a state owns, including the two Cython cannot see, session_id and the
    # instance its extra holds strongly (the extra is not tracked; that reference is the
    # state's to report). None is skipped: the collector runs this over every loaded state.
    # (Fields are read through casts of `obj`: a typed local would take a reference.)
    cdef PyObject* extra = <PyObject*>(<InstanceState>obj)._extra
    cdef int found = _st_visit((<_st_weakref*>obj).wr_callback, visit, arg)
    if not found:
        found = _st_visit(<PyObject*>(<InstanceState>obj)._common, visit, arg)
    if not found:
        found = _st_visit(<PyObject*>(<InstanceState>obj)._key_pk, visit, arg)
    if not found:
        found = _st_visit((<InstanceState>obj)._session, visit, arg)
    if not found and extra is not <PyObject*>None:
        found = _st_visit(extra, visit, arg)
        if not found:
            found = _st_visit((<_StateExtra>extra).strong, visit, arg)
    return found


ormcore_st_set_traverse(<PyTypeObject*>InstanceState, <void*>_st_traverse)
ormcore_st_add_session_member(
    <PyTypeObject*>InstanceState,
    <Py_ssize_t>(<char*>&(<InstanceState><PyObject*>NULL)._session - <char*>NULL))


cdef inline int _st_gc_track_once(_StateExtra extra) except -1:
    if not _st_gc_is_tracked(extra):
        _st_gc_track(extra)
    return 0


cdef int _st_set_extra_field(InstanceState state, int which, object value) except -1:
    # callables (0), load_options (1), insert_order (2): None needs no extra.
    cdef _StateExtra extra = state._extra
    if extra is None:
        if value is None:
            return 0
        extra = _st_extra(state)
    _ex_hold(extra, value)
    if which == 0:
        extra.callables = value
    elif which == 1:
        extra.load_options = value
    else:
        extra.insert_order = value
    return 0


# The last (type, version tag, mapped names) whose names all reach the instance's dict on a
# generic delete (no class attribute, or one that is no data descriptor): see
# _st_remove_values.
cdef PyTypeObject* _ST_POP_TYPE = NULL
cdef unsigned int _ST_POP_TAG = 0
cdef object _ST_POP_NAMES = None


cdef bint _st_names_reach_dict(PyTypeObject* tp, tuple names):
    global _ST_POP_TYPE, _ST_POP_TAG, _ST_POP_NAMES
    cdef PyObject* descr
    cdef unsigned int tag = ormcore_st_version_tag(tp)
    if tag != 0 and tp == _ST_POP_TYPE and tag == _ST_POP_TAG and names is _ST_POP_NAMES:
        return True
    for name in names:
        if not PyUnicode_CheckExact(name):
            return False
        descr = _st_type_lookup(tp, name)
        if descr is not NULL and ormcore_st_is_data_descr(descr):
            return False
    tag = ormcore_st_version_tag(tp)  # valid now: _PyType_Lookup assigns one
    if tag != 0:
        _ST_POP_TYPE = tp
        _ST_POP_TAG = tag
        _ST_POP_NAMES = names
    return True


cdef int _st_remove_values(object obj, object names, bint all_mapped) except -1:
    # Delete the loaded values of `names` from the instance through the generic delete
    # (the instance's own __setattr__ would record history); a name with none is skipped.
    # Expiring a whole instance whose __dict__ exists, when each of the (mapped) names
    # reaches that dict on a generic delete, pops them from it: what that delete would do,
    # without a probe and two type lookups per name.
    cdef PyObject* found = ormcore_st_existing_dict(<PyObject*>obj) if all_mapped else NULL
    if found is not NULL and _st_names_reach_dict(Py_TYPE(obj), <tuple>names):
        values = <object>found  # held: a value's finalizer may replace __dict__
        for key in names:
            ormcore_st_dict_discard(values, key)
        return 0
    for key in names:
        if _st_instance_value(obj, key) is not _NO_VALUE:
            _st_generic_setattr(obj, key, NULL)
    return 0


cdef tuple _st_mapped_names(object cls, object manager):
    # The manager's own list when it offers one (set at mapping time); else the class's
    # AttributeDescriptor attributes, through the MRO.
    names = getattr(manager, "_attribute_names", None) if manager is not None else None
    if names is not None:
        return tuple(names)
    found = []
    seen = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if name not in seen:
                seen.add(name)
                if isinstance(value, AttributeDescriptor):
                    found.append(name)
    return tuple(found)
