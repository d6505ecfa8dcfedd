# Per-instance ORM state: the compiled twin of src/ormcore/_core_py/state.py (the
# specification; this file mirrors it name for name). Included by core.pyx.
#
# Shape (CPython 3.11, measured on this machine; see benchmarks/orm_core.py):
# - The state IS the weak reference to its instance: a subclass of weakref.ReferenceType
#   with cdef fields. One GC-tracked object per instance instead of a state plus a weakref
#   (and no bound-method callback per state, as SQLAlchemy's state._cleanup is): the
#   callback is one module-level function, installed in wr_callback by __cinit__.
# - committed_state and expired_attributes are created on first use: a freshly loaded
#   instance costs no dict and no set.
# - The identity key is stored as (class, pk value, token) and built as a tuple on demand.
# - Instance values are read with _st_instance_value, which neither materializes the
#   instance's __dict__ (CPython keeps attributes in inline values until someone asks for
#   __dict__) nor runs the attribute loader.

from cpython.dict cimport PyDict_SetDefault
from cpython.object cimport PyObject_TypeCheck
from cpython.ref cimport Py_XDECREF
from cpython.weakref cimport PyWeakref_GET_OBJECT


cdef extern from "Python.h":
    ctypedef class weakref.ReferenceType [object PyWeakReference, check_size ignore]:
        pass
    ctypedef struct _st_weakref "PyWeakReference":
        PyObject* wr_callback
    ctypedef object (*_st_getattrofunc)(object, object)
    ctypedef object (*_st_descrgetfunc)(object, object, object)
    PyObject* _st_type_lookup "_PyType_Lookup" (PyTypeObject* type, object name)
    PyObject* _st_getattr_nodict "_PyObject_GenericGetAttrWithDict" (
        object obj, object name, PyObject* dict, int suppress)
    int _st_generic_setattr "PyObject_GenericSetAttr" (
        object obj, object name, PyObject* value) except -1
    object _st_generic_getattr_obj "PyObject_GenericGetAttr" (object obj, object name)

cdef extern from *:
    """
    static PyObject *ormcore_st_propagate(void) { return NULL; }
    static PyObject *ormcore_st_steal(PyObject *obj) { return obj; }
    static int ormcore_st_generic_getattro(PyTypeObject *tp) {
        return tp->tp_getattro == PyObject_GenericGetAttr;
    }
    static void *ormcore_st_descr_get(PyTypeObject *tp) { return (void *)tp->tp_descr_get; }
    """
    object ormcore_st_propagate()
    object ormcore_st_steal(PyObject* obj)
    bint ormcore_st_generic_getattro(PyTypeObject* tp)
    void* ormcore_st_descr_get(PyTypeObject* tp)


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
# between setting and clearing it but that lookup (see _st_instance_value).
cdef bint _ST_PEEKING = False
# AttributeDescriptor's tp_descr_get, set at module init (history.pyx).
cdef void* _ST_ATTR_DESCR_GET = NULL


cdef object _st_instance_value(object obj, object name):
    """obj.__dict__.get(name, _NO_VALUE), without materializing __dict__ or running a loader."""
    global _ST_PEEKING
    cdef PyTypeObject* tp = Py_TYPE(obj)
    cdef PyObject* descr
    cdef PyObject* found
    if ormcore_st_generic_getattro(tp) and PyUnicode_CheckExact(name):
        descr = _st_type_lookup(tp, name)
        if descr is NULL or ormcore_st_descr_get(Py_TYPE(<object>descr)) == _ST_ATTR_DESCR_GET:
            # No class attribute, or our non-data descriptor: the generic lookup reads the
            # instance's values and, when they lack the name, either fails quietly or asks
            # the descriptor, which answers _NO_VALUE while _ST_PEEKING is set.
            _ST_PEEKING = True
            found = _st_getattr_nodict(obj, name, NULL, 1)
            _ST_PEEKING = False
            if found is not NULL:
                return ormcore_st_steal(found)
            if PyErr_Occurred() is not NULL:
                return ormcore_st_propagate()
            return _NO_VALUE
    return _st_dict_of(obj).get(name, _NO_VALUE)


cdef dict _st_dict_of(object obj):
    values = _st_generic_getattr_obj(obj, "__dict__")
    if not PyDict_CheckExact(values):
        values = dict(values)
    return <dict>values


def _state_gone(state):
    # The weak reference's callback: the instance was garbage collected.
    identity_map = (<InstanceState>state).identity_map
    if identity_map is not None:
        (<IdentityMap>identity_map)._state_gone(<InstanceState>state)


cdef object _STATE_GONE = _state_gone


@cython.auto_pickle(False)
cdef class InstanceState(ReferenceType):
    """The ORM's bookkeeping for one mapped instance; a weak reference to it.

    `InstanceState(obj, manager)` does not attach itself: the caller stores it in the
    instance's __dict__ under "_sa_instance_state" (hydration does so itself).
    """

    cdef public object class_
    cdef public object manager
    cdef public object _key_class
    cdef public object _key_pk
    cdef public object identity_token
    cdef public object session_id
    cdef public dict _committed_state
    cdef public set _expired_attributes
    cdef public bint modified
    cdef public bint deleted
    cdef public bint was_deleted
    cdef public object _strong_obj
    cdef public IdentityMap identity_map
    cdef public object callables
    cdef public object load_options
    cdef public object insert_order

    def __cinit__(self, obj, manager=None):
        # weakref's own __new__ took `manager` for the callback: install ours instead.
        cdef _st_weakref* ref = <_st_weakref*><PyObject*>self
        cdef PyObject* old = ref.wr_callback
        Py_INCREF(_STATE_GONE)
        ref.wr_callback = <PyObject*>_STATE_GONE
        Py_XDECREF(old)
        self.class_ = <object>Py_TYPE(obj)
        self.manager = manager

    def __init__(self, obj, manager=None):
        pass  # everything is done in __cinit__ (weakref's __init__ takes no keywords)

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

    # -- fields built on demand --------------------------------------------------------------

    @property
    def obj(self):
        """The weak reference to the instance (the state itself): `state.obj()`."""
        return self

    @property
    def key(self):
        """The identity key `(class, pk_tuple, identity_token)`, or None (built on demand)."""
        if self._key_class is None:
            return None
        pk = self._key_pk
        return (self._key_class, pk if PyTuple_CheckExact(pk) else (pk,), self.identity_token)

    @key.setter
    def key(self, key):
        if key is None:
            self._key_class = None
            self._key_pk = None
            self.identity_token = None
            return
        cls, pk, token = key
        pk = tuple(pk)
        self._key_pk = pk[0] if len(pk) == 1 else pk
        self._key_class = cls
        self.identity_token = token

    @property
    def has_identity(self):
        return self._key_class is not None

    @property
    def committed_state(self):
        """Attribute name -> value before the first change since load/flush (_NO_VALUE:
        the attribute was not loaded)."""
        if self._committed_state is None:
            self._committed_state = {}
        return self._committed_state

    @property
    def expired_attributes(self):
        if self._expired_attributes is None:
            self._expired_attributes = set()
        return self._expired_attributes

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
        self._modified(key, previous)

    cdef int _modified(self, object key, object previous) except -1:
        committed = self._committed_state
        if committed is None:
            self._committed_state = committed = {}
        PyDict_SetDefault(committed, key, previous)
        self._flag_modified()
        return 0

    cdef inline int _flag_modified(self) except -1:
        if not self.modified:
            self.modified = True
            if self.identity_map is not None:
                self.identity_map._modified.add(self)
        if self._strong_obj is None and (
            self.session_id is not None or self.identity_map is not None
        ):
            self._strong_obj = <object>PyWeakref_GET_OBJECT(self)
        return 0

    def _commit_all(self):
        """After a flush or refresh: everything loaded is now the committed state."""
        self._commit_all_c()

    cdef int _commit_all_c(self) except -1:
        if self._committed_state:
            self._committed_state.clear()
        if self._expired_attributes:
            obj = <object>PyWeakref_GET_OBJECT(self)
            if obj is not None:
                for key in list(self._expired_attributes):
                    if _st_instance_value(obj, key) is not _NO_VALUE:
                        self._expired_attributes.discard(key)
        if self.modified and self.identity_map is not None:
            self.identity_map._modified.discard(self)
        self.modified = False
        self._strong_obj = None
        return 0

    def _commit(self, keys):
        """Commit only `keys` (loaded into an existing instance, or refreshed)."""
        keys = list(keys)
        committed = self._committed_state
        if committed:
            for key in keys:
                committed.pop(key, None)
        if self._expired_attributes:
            obj = <object>PyWeakref_GET_OBJECT(self)
            if obj is not None:
                self._expired_attributes.difference_update(
                    [key for key in keys if _st_instance_value(obj, key) is not _NO_VALUE])

    def _expire(self, attribute_names=None):
        """Remove values from the instance and mark them expired: all mapped attributes
        (which also discards the pending changes) or only `attribute_names`."""
        obj = <object>PyWeakref_GET_OBJECT(self)
        if attribute_names is None:
            names = _st_mapped_names(self.class_, self.manager)
            if self._committed_state:
                self._committed_state.clear()
            if self.modified and self.identity_map is not None:
                self.identity_map._modified.discard(self)
            self.modified = False
            self._strong_obj = None
        else:
            names = list(attribute_names)
            if self._committed_state:
                for key in names:
                    self._committed_state.pop(key, None)
        if obj is not None:
            for key in names:
                if _st_instance_value(obj, key) is not _NO_VALUE:
                    _st_generic_setattr(obj, key, NULL)
        if self._expired_attributes is None:
            self._expired_attributes = set()
        self._expired_attributes.update(names)


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
