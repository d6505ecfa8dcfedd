"""Build ormcore, compiling the Cython core (src/_speedups) into ormcore._core_c.

Everything else lives in pyproject.toml; this file exists only for the extension.
A failed compile falls back to the pure-Python twin unless
ORMCORE_REQUIRE_SPEEDUPS=1 (set by CI), which makes it fatal.
ORMCORE_DEBUG=1 builds with annotation, line tracing and the core's invariant checks.
"""

import os
import platform
import sys

from setuptools import Extension
from setuptools import setup
from setuptools.command.build_ext import build_ext

REQUIRE_SPEEDUPS = os.environ.get("ORMCORE_REQUIRE_SPEEDUPS") == "1"
DEBUG = os.environ.get("ORMCORE_DEBUG") == "1"


def _extensions() -> list:
    if platform.python_implementation() != "CPython":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        if REQUIRE_SPEEDUPS:
            raise
        print("ormcore: Cython not available, installing the pure-Python core", file=sys.stderr)
        return []
    macros = [("ORMCORE_DEBUG", "1"), ("CYTHON_TRACE", "1")] if DEBUG else []
    ext = Extension("ormcore._core_c", ["src/_speedups/core.pyx"], define_macros=macros)
    directives = {
        "language_level": "3",
        "boundscheck": DEBUG,
        "wraparound": DEBUG,
        "linetrace": DEBUG,
        "embedsignature": True,
    }
    # one C output directory per build kind: a debug build must never reuse the C file a
    # release build generated (Cython decides by timestamps, not by directives), nor vice versa
    build_dir = "build/cython-debug" if DEBUG else "build/cython-release"
    return cythonize([ext], compiler_directives=directives, annotate=DEBUG, build_dir=build_dir)


class OptionalBuildExt(build_ext):
    """Treat a failed compile as 'use the pure-Python core' unless required."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, missing headers, ...
            self._give_up(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        if REQUIRE_SPEEDUPS:
            raise exc
        print(f"ormcore: could not build the compiled core ({exc}); using the pure-Python core",
              file=sys.stderr)


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
