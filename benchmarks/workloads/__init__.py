"""The workloads, by name, in the order the runner runs them by default."""

from __future__ import annotations

from benchmarks.workloads._base import Workload
from benchmarks.workloads.core_compile_shapes import CoreCompileShapes
from benchmarks.workloads.core_executemany import CoreExecutemany
from benchmarks.workloads.core_fetch_all import CoreFetchAll
from benchmarks.workloads.core_fetch_iter import CoreFetchIter
from benchmarks.workloads.core_select_join import CoreSelectJoin
from benchmarks.workloads.core_single_row import CoreSingleRow
from benchmarks.workloads.orm_add_commit import OrmAddCommit
from benchmarks.workloads.orm_get import OrmGet
from benchmarks.workloads.orm_get import OrmGetHits
from benchmarks.workloads.orm_load_many import OrmLoadMany
from benchmarks.workloads.orm_select_one import OrmSelectOne
from benchmarks.workloads.orm_update_commit import OrmUpdateCommit

WORKLOADS: dict[str, type[Workload]] = {
    cls.name: cls
    for cls in (
        CoreFetchAll, CoreFetchIter, CoreExecutemany, CoreSingleRow, CoreSelectJoin,
        CoreCompileShapes, OrmLoadMany, OrmSelectOne, OrmGet, OrmGetHits, OrmAddCommit,
        OrmUpdateCommit,
    )
}

__all__ = ["WORKLOADS", "Workload"]
