"""Entry point for `python -m benchmarks`; the work is in benchmarks/runner.py."""

from __future__ import annotations

import sys

from benchmarks.runner import main

sys.exit(main())
