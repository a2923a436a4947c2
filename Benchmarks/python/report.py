"""Checks and summarises the timings of scripts/bench-read.sh and writes the report.

Input: a JSON-lines file of results, each a floe-read-bench or read_bench.py line with an
added "codec" and "round"; and a JSON file describing the run (machine, versions, command).
Every Floe result is checked against pyarrow's for the same file: row count, and per column
the null count and the sum (integers exactly; floating point to a relative 1e-9). A mismatch
fails the run (exit 1) so that a broken read is never reported as a speed.

Writes reports/<date>-read-benchmark.md and .json (paths given on the command line).

Usage: report.py RESULTS.jsonl RUNINFO.json OUT.md OUT.json
"""

import json
import math
import os
import statistics
import sys


def compare_checks(floe: dict, arrow: dict) -> list:
    problems = []
    if floe["rows"] != arrow["rows"]:
        problems.append(f"rows: floe {floe['rows']} pyarrow {arrow['rows']}")
    for name, want in arrow["checks"].items():
        got = floe["checks"].get(name)
        if got is None:
            problems.append(f"{name}: missing from floe's checks")
            continue
        if got["nulls"] != want["nulls"]:
            problems.append(f"{name}: nulls floe {got['nulls']} pyarrow {want['nulls']}")
        a, b = got["sum"], want["sum"]
        if isinstance(a, float) or isinstance(b, float):
            if not math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9):
                problems.append(f"{name}: sum floe {a} pyarrow {b}")
        elif a != b:
            problems.append(f"{name}: sum floe {a} pyarrow {b}")
    return problems


def fmt_s(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def main() -> None:
    results_path, info_path, md_path, json_path = sys.argv[1:5]
    with open(results_path) as f:
        results = [json.loads(line) for line in f if line.strip()]
    for r in results:  # no machine paths in the report
        r["path"] = os.path.basename(r["path"])
    with open(info_path) as f:
        info = json.load(f)

    codecs = []
    for r in results:
        if r["codec"] not in codecs:
            codecs.append(r["codec"])

    summary = {}
    failures = []
    for codec in codecs:
        floe = [r for r in results if r["codec"] == codec and r["tool"] == "floe"]
        arrow = [r for r in results if r["codec"] == codec and r["tool"] == "pyarrow"]
        for r in floe:
            for p in compare_checks(r, arrow[0]):
                failures.append(f"{codec} round {r['round']}: {p}")
        floe_times = [t for r in floe for t in r["times_s"]]
        arrow_times = [t for r in arrow for t in r["times_s"]]
        fm, am = statistics.median(floe_times), statistics.median(arrow_times)
        columns = {}
        for name in floe[0].get("column_median_s", {}):
            columns[name] = statistics.median(r["column_median_s"][name] for r in floe)
        summary[codec] = {
            "file": floe[0]["path"],
            "file_bytes": floe[0]["file_bytes"],
            "rows": floe[0]["rows"],
            "row_groups": floe[0]["row_groups"],
            "columns": floe[0]["columns"],
            "decoded_bytes": floe[0]["decoded_bytes"],
            "floe_median_s": fm,
            "floe_min_s": min(floe_times),
            "floe_samples": len(floe_times),
            "pyarrow_median_s": am,
            "pyarrow_min_s": min(arrow_times),
            "pyarrow_samples": len(arrow_times),
            "ratio_pyarrow_over_floe": am / fm,
            "floe_rows_per_s": floe[0]["rows"] / fm,
            "floe_file_mb_per_s": floe[0]["file_bytes"] / fm / 1e6,
            "floe_column_median_s": columns,
            "checks": arrow[0]["checks"],
            "checks_match": not any(f.startswith(f"{codec} ") for f in failures),
        }

    out = {"info": info, "summary": summary, "failures": failures, "results": results}
    with open(json_path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")

    lines = []
    lines.append(f"# Read benchmark: Floe vs pyarrow ({info['date']})")
    lines.append("")
    lines.append("Whole-file read into memory, single thread: Floe's `floe-read-bench` (every column of "
                 "every row group through `ParquetFile.readColumn`) against "
                 "`pyarrow.parquet.read_table(path, use_threads=False)`, on the same files in the same "
                 "run, alternating. Ratio = pyarrow time / Floe time (> 1 means Floe is faster).")
    lines.append("")
    lines.append("| codec | file | Floe median | pyarrow median | ratio | Floe min | pyarrow min | samples |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for codec, s in summary.items():
        lines.append(f"| {codec} | {s['file_bytes'] / 1e6:.1f} MB | {fmt_s(s['floe_median_s'])} | "
                     f"{fmt_s(s['pyarrow_median_s'])} | **{s['ratio_pyarrow_over_floe']:.2f}** | "
                     f"{fmt_s(s['floe_min_s'])} | {fmt_s(s['pyarrow_min_s'])} | "
                     f"{s['floe_samples']} / {s['pyarrow_samples']} |")
    lines.append("")
    lines.append("Verification: " + ("every Floe run matched pyarrow (row count; per column the null "
                                      "count and the sum of the physical values)." if not failures
                                      else "**MISMATCH** — " + "; ".join(failures)))
    lines.append("")
    lines.append("## Floe time per column (median)")
    lines.append("")
    names = list(next(iter(summary.values()))["floe_column_median_s"].keys())
    lines.append("| column | " + " | ".join(summary.keys()) + " |")
    lines.append("| --- | " + " | ".join("---:" for _ in summary) + " |")
    for name in names:
        lines.append(f"| {name} | " + " | ".join(fmt_s(s["floe_column_median_s"][name]) for s in summary.values()) + " |")
    lines.append("")
    lines.append("## Data")
    lines.append("")
    lines.append(info["data_description"])
    lines.append("")
    lines.append("## Method")
    lines.append("")
    lines.append(f"- {info['rounds']} rounds per codec; in each round one `floe-read-bench` process and one "
                 f"Python process, in alternating order, each doing {info['warmup']} warm-up read(s) and "
                 f"{info['runs']} timed reads. Medians and minimums are over all timed reads. Files are read "
                 "from the page cache; each timed read opens the file and parses the footer.")
    lines.append("- Floe: release build (`-O`), one thread. pyarrow: `use_threads=False`.")
    lines.append("")
    lines.append("## Machine and versions")
    lines.append("")
    for key in ["nproc", "cpu_model", "memory", "load_before", "load_after", "kernel", "swift", "python",
                "pyarrow", "floe_commit"]:
        lines.append(f"- {key}: {info.get(key, 'unknown')}")
    lines.append("")
    lines.append("## Command")
    lines.append("")
    lines.append("```")
    lines.append(info["command"])
    lines.append("```")
    lines.append("")
    lines.append(f"Raw figures: `{json_path.split('/')[-1]}` beside this file.")
    lines.append("")
    with open(md_path, "w") as f:
        f.write("\n".join(lines))

    for codec, s in summary.items():
        print(f"{codec}: floe {fmt_s(s['floe_median_s'])}  pyarrow {fmt_s(s['pyarrow_median_s'])}  "
              f"ratio {s['ratio_pyarrow_over_floe']:.2f}")
    if failures:
        print("MISMATCH between Floe and pyarrow:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
