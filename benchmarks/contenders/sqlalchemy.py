"""The SQLAlchemy contender: the Core API contender on SQLAlchemy itself, when installed."""

from __future__ import annotations

import sqlalchemy

from benchmarks.contenders.core_api import CoreAPIContender


def contender() -> CoreAPIContender:
    """A fresh SQLAlchemy contender."""
    return CoreAPIContender("sqlalchemy", sqlalchemy)
