"""The ormcore contender: the Core API contender on the installed `ormcore` package."""

from __future__ import annotations

import ormcore

from benchmarks.contenders.core_api import CoreAPIContender


def contender() -> CoreAPIContender:
    """A fresh ormcore contender."""
    return CoreAPIContender("ormcore", ormcore)
