"""Event listening, as sqlalchemy.event: listen(), listens_for(), remove(), contains().

Targets (engines, connections, pools, later sessions and mappers) declare their events in an
`Events` subclass next to the target's own code; this package only routes listeners to them.
"""

from __future__ import annotations

from .api import contains
from .api import listen
from .api import listens_for
from .api import remove
from .base import Events

__all__ = ["Events", "contains", "listen", "listens_for", "remove"]
