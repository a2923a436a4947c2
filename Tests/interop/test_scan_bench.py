"""`floe bench` with its Python peers on a small generated set: DuckDB's answers (CLI and in
process) and pyarrow's equal Floe's on the JSON lines and on both Parquet files, and the peers
script notices a wrong answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "Benchmarks" / "python" / "scan_bench.py"
FORMATS = ["json", "parquet-zstd", "parquet-snappy"]
SCENARIOS = ["Q1", "Q2", "Q3", "Q4"]


@pytest.fixture(scope="module")
def bench(floe, tmp_path_factory):
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    root = tmp_path_factory.mktemp("bench")
    floe.run("bench", "--rows", 3000, "--runs", 1, "--row-group-rows", 1000, "--dir", root / "work",
             "--reports", root / "reports", "--python", sys.executable, "--peer-script", SCRIPT, timeout=600)
    reports = list((root / "reports").glob("*.json"))
    assert len(reports) == 1
    return root, json.loads(reports[0].read_text())


def test_peers_answer_like_floe(bench):
    _, report = bench
    engines = ["duckdb", "pyarrow"]
    if (Path(sys.executable).parent / "duckdb").exists():
        engines.insert(0, "duckdb-cli")
    by_key = {(m["engine"], m["format"], m["scenario"]): m for m in report["measurements"]}
    for engine in engines + ["floe-cli"]:
        for fmt in FORMATS:
            for q in SCENARIOS:
                m = by_key.get((engine, fmt, q))
                assert m is not None, (engine, fmt, q)
                assert m["seconds"] is not None and m["seconds"] > 0, m
                assert m["matches_floe"] is True, m
    assert report["answers_agree"] is True
    assert json.loads(report["answers"]["Q1"]) == {"count(*)": 3000}
    q4 = [json.loads(line) for line in report["answers"]["Q4"].splitlines()]
    assert len(q4) == 1 and q4[0]["messageId"] in report["scenarios"][3]["sql"]


def test_peers_script_detects_a_wrong_answer(bench, tmp_path):
    root, _ = bench
    spec = json.loads((root / "work" / "peers-spec.json").read_text())
    spec["runs"] = 1
    spec["files"] = {"parquet-zstd": spec["files"]["parquet-zstd"]}
    q2 = spec["floe_answers"]["Q2"]["parquet-zstd"].splitlines()
    first = json.loads(q2[0])
    first["count(messageId)"] += 1
    spec["floe_answers"]["Q2"]["parquet-zstd"] = "\n".join([json.dumps(first)] + q2[1:]) + "\n"
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "spec.json"), str(tmp_path / "out.json")],
                   check=True, capture_output=True)
    out = json.loads((tmp_path / "out.json").read_text())
    verdict = {(r["engine"], r["scenario"]): r["matches_floe"] for r in out["results"]}
    assert verdict[("duckdb", "Q2")] is False and verdict[("pyarrow", "Q2")] is False
    assert verdict[("duckdb", "Q1")] is True and verdict[("duckdb", "Q4")] is True
