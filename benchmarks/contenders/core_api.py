"""The Core API contender, shared by ormcore and SQLAlchemy: only the library module differs.

ormcore's Core API is SQLAlchemy's (`create_engine`, `text`, `Connection.execute`, `Result`),
so both run the very same workload code, `run_core(engine, lib)`. The engine is created once
with the library's defaults (pool included) and disposed of at the end.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import TYPE_CHECKING
from typing import Any
from typing import Callable

from benchmarks.contenders import Contender

if TYPE_CHECKING:
    from benchmarks.database import Database
    from benchmarks.workloads import Workload


class CoreAPIContender(Contender):
    """SQLAlchemy's Core API, as provided by `lib` (the sqlalchemy or the ormcore module)."""

    def __init__(self, name: str, lib: ModuleType) -> None:
        self.name = name
        self.lib = lib
        self.engine: Any = None

    def start(self, db: Database) -> None:
        self.engine = self.lib.create_engine(db.url)

    def stop(self) -> None:
        self.engine.dispose()

    def version(self) -> str:
        return str(self.lib.__version__)

    def bind(self, workload: Workload) -> Callable[[], object]:
        return functools.partial(workload.run_core, self.engine, self.lib)
