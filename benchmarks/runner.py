"""Run workloads x contenders in one process and report medians as ratios to the DBAPI floor.

`python -m benchmarks [--db sqlite|postgresql] [--pg-url URL] [--workloads a,b]
[--contenders dbapi,ormcore,sqlalchemy] [--repeat N] [--scale F] [--json PATH]`

For each workload: set up once (untimed); run every contender once untimed and check its
result, so a broken contender fails instead of looking fast (this run also warms caches and
pools); then `--repeat` rounds in which the contenders take turns (dbapi, ormcore, sqlalchemy,
dbapi, ...), each run preceded by the workload's untimed prepare() and by gc.collect(). The
cyclic GC stays enabled during runs: users pay for it too. Absolute times on shared machines
are noise; ratios measured side by side in one run are the signal. Nothing here asserts speed.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import platform
import statistics
import sys
import time
import traceback
from typing import Callable
from typing import Optional
from typing import Sequence

import ormcore
import ormcore._core

from benchmarks.contenders import NAMES
from benchmarks.contenders import Contender
from benchmarks.contenders import Unavailable
from benchmarks.contenders import load
from benchmarks.database import open_database
from benchmarks.workloads import WORKLOADS
from benchmarks.workloads import Workload

FLOOR = "dbapi"


@dataclasses.dataclass
class Outcome:
    """One contender on one workload: raw timings (seconds), what was checked, or an error."""

    timings: list[float] = dataclasses.field(default_factory=list)
    check: Optional[dict[str, object]] = None
    error: Optional[str] = None

    @property
    def median(self) -> Optional[float]:
        """The median timing, or None when the contender failed or never ran."""
        if self.error is not None or not self.timings:
            return None
        return statistics.median(self.timings)


class Progress:
    """A status line on stderr, rewritten in place with a carriage return.

    When stderr is not a terminal (CI logs), only each workload's first line is written,
    one per line, instead of a stream of carriage returns.
    """

    def __init__(self) -> None:
        self._width = 0
        self._live = sys.stderr.isatty()

    def start(self, workload: str) -> None:
        """Announce `workload`."""
        if self._live:
            self.show(workload, "setup")
        else:
            print(f"[{workload}] running", file=sys.stderr, flush=True)

    def show(self, workload: str, step: str) -> None:
        """Replace the status line with `[workload] step`."""
        if self._live:
            text = f"[{workload}] {step}"
            sys.stderr.write("\r" + text.ljust(self._width))
            sys.stderr.flush()
            self._width = len(text)

    def clear(self) -> None:
        """Erase the status line."""
        if self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()
            self._width = 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the benchmark; print the table; return 1 if any contender failed, else 0."""
    args = _parse_args(argv)
    contenders: list[Contender] = []
    skipped: dict[str, str] = {}
    for name in args.contenders:
        try:
            contenders.append(load(name))
        except Unavailable as err:
            skipped[name] = str(err)
    progress = Progress()
    db = open_database(args.db, args.pg_url)
    started: list[Contender] = []
    start_errors: dict[str, str] = {}
    try:
        for contender in contenders:
            try:
                contender.start(db)
            except Exception as err:
                start_errors[contender.name] = "start failed: " + _report_error(contender.name, err)
                continue
            started.append(contender)
        results = {}
        for name in args.workloads:
            workload = WORKLOADS[name](db, args.scale)
            outcomes = _run_workload(workload, contenders, start_errors, args.repeat, progress)
            results[name] = (workload.size(), outcomes)
        database = db.describe()
    finally:
        progress.clear()
        for contender in started:
            contender.stop()
        db.close()
    meta = _meta(args, contenders, skipped, database)
    print(_render(meta, results, [c.name for c in contenders]))
    if args.json:
        _write_json(args.json, meta, results)
    failed = any(o.error for _, outcomes in results.values() for o in outcomes.values())
    return 1 if failed else 0


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Compare raw DBAPI (the floor), ormcore and SQLAlchemy on Core workloads.",
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite: a file in a temporary directory (default)")
    parser.add_argument("--pg-url", default=None,
                        help="PostgreSQL URL; default $ORMCORE_BENCH_PG_URL or $ORMCORE_TEST_PG_URL")
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help=f"comma-separated, from {','.join(WORKLOADS)}")
    parser.add_argument("--contenders", default=",".join(NAMES),
                        help=f"comma-separated, from {','.join(NAMES)}")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per contender")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every workload's size (e.g. 0.1 for a quick run)")
    parser.add_argument("--json", default=None, metavar="PATH",
                        help="write all raw timings and medians to PATH")
    args = parser.parse_args(argv)
    args.workloads = _choices(parser, "--workloads", args.workloads, tuple(WORKLOADS))
    args.contenders = _choices(parser, "--contenders", args.contenders, NAMES)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.scale <= 0:
        parser.error("--scale must be positive")
    return args


def _choices(parser: argparse.ArgumentParser, option: str, value: str,
             allowed: tuple[str, ...]) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        parser.error(f"{option}: choose from {','.join(allowed)}; got {value!r}")
    return list(dict.fromkeys(names))


def _run_workload(workload: Workload, contenders: list[Contender], start_errors: dict[str, str],
                  repeat: int, progress: Progress) -> dict[str, Outcome]:
    progress.start(workload.name)
    workload.setup()
    outcomes = {c.name: Outcome(error=start_errors.get(c.name)) for c in contenders}
    tasks: dict[str, Callable[[], object]] = {}
    for contender in contenders:
        outcome = outcomes[contender.name]
        if outcome.error is not None:
            continue
        progress.show(workload.name, f"check {contender.name}")
        try:
            task = contender.bind(workload)
            workload.prepare()
            outcome.check = workload.check(task())
        except Exception as err:
            progress.clear()
            outcome.error = _report_error(f"{workload.name} {contender.name}", err)
            continue
        tasks[contender.name] = task
    for round_ in range(1, repeat + 1):
        for contender in contenders:
            task = tasks.get(contender.name)
            if task is None:
                continue
            progress.show(workload.name, f"repeat {round_}/{repeat} {contender.name}")
            try:
                workload.prepare()
                outcomes[contender.name].timings.append(_time(task))
            except Exception as err:
                progress.clear()
                outcomes[contender.name].error = _report_error(
                    f"{workload.name} {contender.name}", err)
                del tasks[contender.name]
    return outcomes


def _time(task: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    result = task()
    elapsed = time.perf_counter() - start
    # Freed only now: deallocating 200k rows is not part of the workload.
    del result
    return elapsed


def _report_error(where: str, err: Exception) -> str:
    print(f"error in {where}:", file=sys.stderr)
    traceback.print_exception(err, file=sys.stderr)
    return f"{type(err).__name__}: {err}"


def _meta(args: argparse.Namespace, contenders: list[Contender], skipped: dict[str, str],
          database: str) -> dict[str, object]:
    return {
        "db": args.db,
        "database": database,
        "repeat": args.repeat,
        "scale": args.scale,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "ormcore_version": ormcore.__version__,
        "ormcore_speedups": ormcore.has_speedups(),
        "ormcore_pure_reason": ormcore._core.speedups_unavailable_reason(),
        "versions": {c.name: c.version() for c in contenders},
        "skipped": skipped,
    }


def _render(meta: dict, results: dict, names: list[str]) -> str:
    if meta["ormcore_speedups"]:
        core = "compiled core"
    else:
        core = f"pure-Python core ({meta['ormcore_pure_reason']})"
    versions = " | ".join(f"{name} {version}" for name, version in meta["versions"].items())
    lines = [
        f"ormcore {meta['ormcore_version']}: {core}",
        f"{versions} | {meta['python']}",
        f"{meta['database']}; medians of {meta['repeat']} runs at scale {meta['scale']:g}",
        "",
    ]
    others = [name for name in names if name != FLOOR]
    header = ["workload", "floor median"] + [f"{name} median (x floor)" for name in others]
    compare = "ormcore" in others and "sqlalchemy" in others
    if compare:
        header.append("ormcore/sqlalchemy")
    table = [header]
    errors = []
    for workload, (_, outcomes) in results.items():
        floor = outcomes[FLOOR].median if FLOOR in outcomes else None
        row = [workload, _cell(outcomes.get(FLOOR), None)]
        row += [_cell(outcomes[name], floor) for name in others]
        if compare:
            ours = outcomes["ormcore"].median
            theirs = outcomes["sqlalchemy"].median
            row.append(f"{ours / theirs:.2f}" if ours and theirs else "-")
        table.append(row)
        errors += [f"{workload} {name}: {o.error}" for name, o in outcomes.items() if o.error]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append("")
    lines.append("each contender's result was checked once per workload (rows, checksum), untimed")
    lines += [f"skipped {name}: {why}" for name, why in meta["skipped"].items()]
    lines += [f"FAILED {error}" for error in errors]
    return "\n".join(lines)


def _cell(outcome: Optional[Outcome], floor: Optional[float]) -> str:
    if outcome is None:
        return "-"
    if outcome.error is not None:
        return "error"
    median = outcome.median
    if median is None:
        return "-"
    ms = median * 1000
    text = f"{ms:,.1f} ms" if ms >= 10 else f"{ms:.3f} ms"
    if floor:
        text += f" ({median / floor:.2f}x)"
    return text


def _write_json(path: str, meta: dict, results: dict) -> None:
    document = {
        "meta": meta,
        "workloads": {
            workload: {
                "size": size,
                "contenders": {
                    name: {
                        "timings": outcome.timings,
                        "median": outcome.median,
                        "check": outcome.check,
                        "error": outcome.error,
                    }
                    for name, outcome in outcomes.items()
                },
            }
            for workload, (size, outcomes) in results.items()
        },
    }
    with open(path, "w", encoding="utf-8") as fp:
        json.dump(document, fp, indent=2)
        fp.write("\n")
