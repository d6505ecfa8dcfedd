"""Benchmarks: raw DBAPI (the floor), ormcore and SQLAlchemy side by side, as ratios.

Run from the repository root with `python -m benchmarks`; see benchmarks/runner.py.
This package is not installed: it runs from the checkout and imports the installed ormcore.
"""
