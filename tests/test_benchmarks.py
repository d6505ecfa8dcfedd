"""Smoke test for the benchmark runner (benchmarks/): the main job must keep working.

Runs `python -m benchmarks` in-process at a tiny scale on SQLite and reads the JSON it wrote:
every workload and contender is present, has positive medians, and had its result checked.
Speed is never asserted. The benchmarks package runs from the checkout, so the repository
root is put on sys.path for these tests only (ormcore itself lives under src/ and is imported
from wherever it is installed).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module("benchmarks.runner")


def test_runner_reports_every_workload_and_contender(runner: ModuleType, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.workloads import WORKLOADS

    contenders = ["dbapi", "ormcore"]
    if importlib.util.find_spec("sqlalchemy") is not None:
        contenders.append("sqlalchemy")
    out = tmp_path / "bench.json"
    code = runner.main(["--db", "sqlite", "--scale", "0.005", "--repeat", "2",
                        "--contenders", ",".join(contenders), "--json", str(out)])
    printed = capsys.readouterr().out

    assert code == 0
    report = json.loads(out.read_text())
    assert report["meta"]["db"] == "sqlite"
    assert set(report["meta"]["versions"]) == set(contenders)
    assert isinstance(report["meta"]["ormcore_speedups"], bool)
    assert set(report["workloads"]) == set(WORKLOADS)
    for name, workload in report["workloads"].items():
        assert name in printed
        assert all(size > 0 for size in workload["size"].values())
        assert set(workload["contenders"]) == set(contenders)
        for result in workload["contenders"].values():
            assert result["error"] is None
            assert len(result["timings"]) == 2
            assert all(t > 0 for t in result["timings"])
            assert result["median"] > 0
            assert result["check"]  # what the correctness check verified


def test_a_contender_returning_wrong_rows_is_reported_not_timed(
        runner: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.workloads.core_fetch_all import CoreFetchAll

    run_dbapi = CoreFetchAll.run_dbapi
    monkeypatch.setattr(CoreFetchAll, "run_dbapi", lambda self, conn: run_dbapi(self, conn)[1:])
    out = tmp_path / "bench.json"
    code = runner.main(["--scale", "0.005", "--repeat", "1", "--workloads", "core_fetch_all",
                        "--contenders", "dbapi", "--json", str(out)])

    assert code == 1
    result = json.loads(out.read_text())["workloads"]["core_fetch_all"]["contenders"]["dbapi"]
    assert result["error"].startswith("CheckFailed")
    assert result["timings"] == []
    assert result["median"] is None



def _other_last_id(conn: Any, ids: list) -> list:
    return ids[:-1] + [ids[-1] + 1]


def _one_row_unchanged(conn: Any, items: list) -> list:
    cursor = conn.cursor()
    cursor.execute("UPDATE bench_item SET qty = qty - 1 WHERE id = 1")
    cursor.close()
    conn.commit()
    return items


@pytest.mark.parametrize("workload, spoil", [
    ("orm_add_commit", _other_last_id),
    ("orm_update_commit", _one_row_unchanged),
])
def test_unit_of_work_checks_catch_a_wrong_result(
        runner: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workload: str,
        spoil: Callable[[Any, Any], Any]) -> None:
    from benchmarks.workloads import WORKLOADS

    cls = WORKLOADS[workload]
    run_dbapi = cls.run_dbapi
    monkeypatch.setattr(cls, "run_dbapi", lambda self, conn: spoil(conn, run_dbapi(self, conn)))
    out = tmp_path / "bench.json"
    code = runner.main(["--scale", "0.002", "--repeat", "1", "--workloads", workload,
                        "--contenders", "dbapi", "--json", str(out)])

    assert code == 1
    result = json.loads(out.read_text())["workloads"][workload]["contenders"]["dbapi"]
    assert result["error"].startswith("CheckFailed")
    assert result["timings"] == []
