"""JSON lines → Parquet: Floe against pyarrow, DuckDB and polars on the same input, same run.

Each tool runs in its own process, measured with getrusage of the child: wall time, CPU time
(user + system), peak resident memory, and output size. Rounds alternate the tools; medians are
reported. Writes reports/<date>-convert-benchmark.md and .json.

Usage: convert_bench.py FLOE_BIN INPUT.jsonl OUT_DIR REPORT_DIR [ROUNDS]
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PEERS = {
    "pyarrow": """
import pyarrow.json as pj, pyarrow.parquet as pq, sys
t = pj.read_json(sys.argv[1])
pq.write_table(t, sys.argv[2], compression=sys.argv[3])
""",
    "duckdb": """
import duckdb, sys
duckdb.sql(f"COPY (SELECT * FROM read_json_auto('{sys.argv[1]}')) TO '{sys.argv[2]}' (FORMAT parquet, COMPRESSION {sys.argv[3]})")
""",
    "polars": """
import polars as pl, sys
pl.read_ndjson(sys.argv[1]).write_parquet(sys.argv[2], compression=sys.argv[3])
""",
    # polars cannot write a struct without fields (`"integrations": {}` on every event): this run
    # drops that column so that polars has a figure at all (its output lacks one column).
    "polars-without-integrations": """
import polars as pl, sys
df = pl.read_ndjson(sys.argv[1])
df.drop([c for c in ["integrations"] if c in df.columns]).write_parquet(sys.argv[2], compression=sys.argv[3])
""",
}


def measure(argv: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"ok": proc.returncode == 0, "wall": wall, "cpu": cpu, "maxrss_mb": after.ru_maxrss / 1024,
            "error": proc.stderr[-500:].replace(os.getcwd() + "/", "") if proc.returncode else ""}


def main() -> None:
    floe, source, out_dir, report_dir = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    size = os.path.getsize(source)
    results: dict[str, list[dict]] = {}
    for r in range(rounds):
        for codec in ["zstd", "snappy"]:
            jobs = {f"floe/{codec}": [floe, "convert", source, "-o", str(out / f"floe-{codec}.parquet"), "--codec", codec, "--quiet"]}
            for peer, code in PEERS.items():
                jobs[f"{peer}/{codec}"] = [sys.executable, "-c", code, source, str(out / f"{peer}-{codec}.parquet"), codec]
            for name, argv in jobs.items():
                # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: measure each job in a fresh
                # Python process so the peak is its own.
                wrapper = [sys.executable, "-c", "import json,sys; sys.path.insert(0, sys.argv[1]); import convert_bench as c; "
                           "print(json.dumps(c.measure(json.loads(sys.argv[2]))))", str(Path(__file__).parent), json.dumps(argv)]
                res = json.loads(subprocess.run(wrapper, capture_output=True, text=True).stdout)
                path = argv[4] if name.startswith("floe") else argv[4]
                res["output_bytes"] = os.path.getsize(path) if res["ok"] and os.path.exists(path) else None
                results.setdefault(name, []).append(res)
                print(name, r, json.dumps(res), flush=True)
    summary = {}
    for name, runs in results.items():
        ok = [x for x in runs if x["ok"]]
        summary[name] = {
            "ok": len(ok) == len(runs),
            "wall_median_s": statistics.median(x["wall"] for x in ok) if ok else None,
            "cpu_median_s": statistics.median(x["cpu"] for x in ok) if ok else None,
            "peak_rss_mb": max(x["maxrss_mb"] for x in ok) if ok else None,
            "output_bytes": ok[-1]["output_bytes"] if ok else None,
            "error": runs[-1]["error"],
        }
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    meta = {"date": datetime.date.today().isoformat(), "input": os.path.basename(source), "input_bytes": size,
            "lines": sum(1 for _ in open(source, "rb")), "rounds": rounds, "cpus": os.cpu_count(), "cpu": cpu_model,
            "python": platform.python_version()}
    for mod in ["pyarrow", "duckdb", "polars"]:
        try:
            meta[mod] = __import__(mod).__version__
        except Exception:
            pass
    Path(report_dir).mkdir(parents=True, exist_ok=True)
    stem = Path(report_dir) / f"{meta['date']}-convert-benchmark"
    stem.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": summary, "runs": results}, indent=2))
    lines = [f"# JSON lines → Parquet, {meta['date']}", "",
             f"Input: {meta['lines']} events, {size / 1e6:.1f} MB (`floe gen`). Machine: {meta['cpus']} cores, {cpu_model}. "
             f"Medians of {rounds} rounds, tools alternating. pyarrow {meta.get('pyarrow')}, DuckDB {meta.get('duckdb')}, "
             f"polars {meta.get('polars')}.", "",
             "The last column divides each round's wall time by DuckDB's in the same round (the runs "
             "are consecutive) and gives the median and the range of those ratios.", "",
             "| tool / codec | wall (s) | CPU (s) | peak RSS (MB) | output (MB) | wall vs DuckDB | per-round wall / DuckDB |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for name, s in summary.items():
        codec = name.split("/")[1]
        duck = summary.get("duckdb/" + codec, {}).get("wall_median_s")
        if not s["ok"]:
            lines.append(f"| {name} | failed | | | | | |")
            continue
        ratio = f"{s['wall_median_s'] / duck:.2f}×" if duck else ""
        paired = [a["wall"] / b["wall"] for a, b in zip(results[name], results.get("duckdb/" + codec, []))
                  if a["ok"] and b["ok"]]
        rounds_text = (f"{statistics.median(paired):.2f}× ({min(paired):.2f}–{max(paired):.2f})" if paired else "")
        lines.append(f"| {name} | {s['wall_median_s']:.2f} | {s['cpu_median_s']:.2f} | {s['peak_rss_mb']:.0f} | "
                     f"{(s['output_bytes'] or 0) / 1e6:.1f} | {ratio} | {rounds_text} |")
    failed = [f"- {n}: {s['error'].strip()[-300:]}" for n, s in summary.items() if not s["ok"]]
    if failed:
        lines += ["", "Failures:", *failed]
    lines += ["", "Reproduce: `scripts/bench-convert.sh` (ROWS, ROUNDS in the environment)."]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
