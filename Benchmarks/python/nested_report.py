"""Checks and summarises the timings of scripts/bench-nested.sh and writes the report.

Input: a JSON-lines file of results, each a floe-nested-bench or nested_read_bench.py line with
an added "name" and "round"; and a JSON file describing the run (machine, versions, command).
Every Floe result is checked against pyarrow's for the same file (per node of the assembled
arrays: length, null count and positions, list totals and positions, leaf sums; for the flat
delta files: count, sums, positional sums). A mismatch fails the run (exit 1), so that a wrong
read is never reported as a speed.

Usage: nested_report.py RESULTS.jsonl RUNINFO.json OUT.md OUT.json
"""

import json
import math
import os
import statistics
import sys

DESCRIPTIONS = {
    "list_struct": "list<struct<id: string, price: double, qty: int64>>, 1M rows",
    "nested3": "list<list<list<int64>>>, 1M rows",
    "delta_int32": "INT32, DELTA_BINARY_PACKED, 10M values",
    "delta_int64": "INT64, DELTA_BINARY_PACKED, 10M values",
    "delta_length_byte_array": "strings, DELTA_LENGTH_BYTE_ARRAY, 2M values",
    "delta_byte_array": "strings, DELTA_BYTE_ARRAY, 2M values",
}


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def compare_checks(floe: dict, arrow: dict) -> list:
    problems = []
    if floe["rows"] != arrow["rows"]:
        problems.append(f"rows: floe {floe['rows']} pyarrow {arrow['rows']}")
    if len(floe["checks"]) != len(arrow["checks"]):
        problems.append(f"{len(floe['checks'])} checked nodes in floe, {len(arrow['checks'])} in pyarrow")
        return problems
    for i, (got, want) in enumerate(zip(floe["checks"], arrow["checks"])):
        for key, value in want.items():
            if key not in got or not same(got[key], value):
                problems.append(f"node {i} {key}: floe {got.get(key)} pyarrow {value}")
    return problems


def fmt_ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def fmt_rate(x: float) -> str:
    return f"{x / 1e6:.1f} M/s"


def main() -> None:
    results_path, info_path, md_path, json_path = sys.argv[1:5]
    with open(results_path) as f:
        results = [json.loads(line) for line in f if line.strip()]
    for r in results:  # no machine paths in the report
        r["path"] = os.path.basename(r["path"])
    with open(info_path) as f:
        info = json.load(f)

    names = []
    for r in results:
        if r["name"] not in names:
            names.append(r["name"])

    summary = {}
    failures = []
    for name in names:
        floe = [r for r in results if r["name"] == name and r["tool"] == "floe"]
        kept = [r for r in results if r["name"] == name and r["tool"] == "floe-kept"]
        arrow = [r for r in results if r["name"] == name and r["tool"] == "pyarrow"]
        for r in floe + kept:
            for p in compare_checks(r, arrow[0]):
                failures.append(f"{name} round {r['round']}: {p}")
        ft = statistics.median(t for r in floe for t in r["times_s"])
        fd = statistics.median(t for r in floe for t in r["decode_times_s"])
        fa = statistics.median(t for r in floe for t in r["assemble_times_s"])
        at = statistics.median(t for r in arrow for t in r["times_s"])
        kt = statistics.median(t for r in kept for t in r["times_s"]) if kept else None
        kd = statistics.median(t for r in kept for t in r["decode_times_s"]) if kept else None
        ka = statistics.median(t for r in kept for t in r["assemble_times_s"]) if kept else None
        rows, values = floe[0]["rows"], floe[0]["leaf_values"]
        summary[name] = {
            "kind": floe[0]["kind"],
            "description": DESCRIPTIONS.get(name, name),
            "file": floe[0]["path"],
            "file_bytes": floe[0]["file_bytes"],
            "rows": rows,
            "row_groups": floe[0]["row_groups"],
            "leaf_values": values,
            "leaf_entries": floe[0]["leaf_entries"],
            "floe_median_s": ft,
            "floe_decode_median_s": fd,
            "floe_assemble_median_s": fa,
            "floe_min_s": min(t for r in floe for t in r["times_s"]),
            "floe_samples": sum(len(r["times_s"]) for r in floe),
            "pyarrow_median_s": at,
            "pyarrow_min_s": min(t for r in arrow for t in r["times_s"]),
            "pyarrow_samples": sum(len(r["times_s"]) for r in arrow),
            "ratio_pyarrow_over_floe": at / ft,
            "floe_values_per_s": values / ft,
            "pyarrow_values_per_s": values / at,
            "floe_decode_values_per_s": values / fd,
            "floe_rows_per_s": rows / ft,
            "pyarrow_rows_per_s": rows / at,
            "floe_assemble_rows_per_s": rows / fa if fa > 0 else None,
            "floe_kept_median_s": kt,
            "floe_kept_decode_median_s": kd,
            "floe_kept_assemble_median_s": ka,
            "ratio_pyarrow_over_floe_kept": at / kt if kt else None,
            "floe_kept_values_per_s": values / kt if kt else None,
            "checks": arrow[0]["checks"],
            "checks_match": not any(f.startswith(f"{name} ") for f in failures),
        }

    out = {"info": info, "summary": summary, "failures": failures, "results": results}
    with open(json_path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")

    nested = {k: s for k, s in summary.items() if s["kind"] == "nested"}
    flat = {k: s for k, s in summary.items() if s["kind"] == "flat"}
    lines = [f"# Nested assembly and delta decoding: Floe vs pyarrow ({info['date']})", ""]
    lines.append("Single thread, the same uncompressed files, the same run, alternating. pyarrow: "
                 "`pq.read_table(path, use_threads=False)` after `pa.set_cpu_count(1)`, which decodes "
                 "and assembles into Arrow arrays. Floe: `floe-nested-bench` — open the file, "
                 "`ParquetFile.readColumn` for every leaf of every row group (decode: values plus levels), "
                 "then `NestedAssembly.assemble` (assembly: offsets and validity per level, slot-aligned leaf "
                 "values). Ratio = pyarrow time / Floe time (> 1 means Floe is faster). Medians over all timed reads.")
    lines.append("")
    if nested:
        lines.append("## Nested columns: decode + assembly")
        lines.append("")
        lines.append("Leaf values = the non-null values of all leaf columns; rows = top-level rows.")
        lines.append("")
        lines.append("| column | leaf values | Floe decode | Floe assembly | Floe total | pyarrow | ratio | "
                     "Floe leaf values/s | pyarrow leaf values/s | Floe rows/s | pyarrow rows/s | Floe assembly rows/s |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in nested.values():
            lines.append(f"| {s['description']} | {s['leaf_values']:,} | {fmt_ms(s['floe_decode_median_s'])} | "
                         f"{fmt_ms(s['floe_assemble_median_s'])} | {fmt_ms(s['floe_median_s'])} | "
                         f"{fmt_ms(s['pyarrow_median_s'])} | **{s['ratio_pyarrow_over_floe']:.2f}** | "
                         f"{fmt_rate(s['floe_values_per_s'])} | {fmt_rate(s['pyarrow_values_per_s'])} | "
                         f"{fmt_rate(s['floe_rows_per_s'])} | {fmt_rate(s['pyarrow_rows_per_s'])} | "
                         f"{fmt_rate(s['floe_assemble_rows_per_s'])} |")
        lines.append("")
        if any(s["floe_kept_median_s"] for s in nested.values()):
            lines.append("With glibc malloc keeping freed memory (`GLIBC_TUNABLES` below; pyarrow's pool keeps its "
                         "memory between reads too):")
            lines.append("")
            lines.append("| column | Floe decode | Floe assembly | Floe total | pyarrow | ratio | Floe leaf values/s |")
            lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            for s in nested.values():
                lines.append(f"| {s['description']} | {fmt_ms(s['floe_kept_decode_median_s'])} | "
                             f"{fmt_ms(s['floe_kept_assemble_median_s'])} | {fmt_ms(s['floe_kept_median_s'])} | "
                             f"{fmt_ms(s['pyarrow_median_s'])} | **{s['ratio_pyarrow_over_floe_kept']:.2f}** | "
                             f"{fmt_rate(s['floe_kept_values_per_s'])} |")
            lines.append("")
    if flat:
        lines.append("## Delta encodings: decode")
        lines.append("")
        lines.append("Floe (kept) = the same binary with glibc malloc keeping freed memory (see Method).")
        lines.append("")
        lines.append("| file | values | Floe | pyarrow | ratio | Floe values/s | pyarrow values/s | Floe min | pyarrow min | "
                     "Floe (kept) | ratio (kept) | Floe (kept) values/s |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in flat.values():
            kept = (f"{fmt_ms(s['floe_kept_median_s'])} | **{s['ratio_pyarrow_over_floe_kept']:.2f}** | "
                    f"{fmt_rate(s['floe_kept_values_per_s'])}" if s["floe_kept_median_s"] else "– | – | –")
            lines.append(f"| {s['description']} | {s['leaf_values']:,} | {fmt_ms(s['floe_median_s'])} | "
                         f"{fmt_ms(s['pyarrow_median_s'])} | **{s['ratio_pyarrow_over_floe']:.2f}** | "
                         f"{fmt_rate(s['floe_values_per_s'])} | {fmt_rate(s['pyarrow_values_per_s'])} | "
                         f"{fmt_ms(s['floe_min_s'])} | {fmt_ms(s['pyarrow_min_s'])} | {kept} |")
        lines.append("")
    lines.append("Verification: " + (
        "every Floe run matched pyarrow — nested: per node of the assembled arrays (depth first) the length, "
        "the null count, the sum of the null slots' indices, for lists the element total and the sum of "
        "index × length, for leaves the sum of the valid values; delta files: the value count, the sum, the "
        "sum of index × value (strings: of index × length) and the sum of all string bytes."
        if not failures else "**MISMATCH** — " + "; ".join(failures)))
    lines.append("")
    lines.append("## Data")
    lines.append("")
    lines.append(info["data_description"])
    lines.append("")
    lines.append("| file | size | row groups |")
    lines.append("| --- | ---: | ---: |")
    for s in summary.values():
        lines.append(f"| {s['file']} | {s['file_bytes'] / 1e6:.1f} MB | {s['row_groups']} |")
    lines.append("")
    lines.append("## Method")
    lines.append("")
    lines.append(f"- {info['rounds']} rounds per file; in each round one `floe-nested-bench` process and one Python "
                 f"process, in alternating order, each doing {info['warmup']} warm-up read(s) and {info['runs']} "
                 "timed reads. Files are read from the page cache; each timed read opens the file and parses the footer.")
    lines.append("- Floe: release build (`-O`), one thread. pyarrow: `use_threads=False`, `pa.set_cpu_count(1)`, "
                 "`pa.set_io_thread_count(1)`.")
    if info.get("keep_memory_tunables"):
        lines.append("- Floe (kept): the same `floe-nested-bench` run with `GLIBC_TUNABLES="
                     f"{info['keep_memory_tunables']}`, so that glibc's malloc keeps freed memory between reads "
                     "instead of returning it to the kernel (and taking fresh zeroed pages on the next read), as "
                     "pyarrow's memory pool does. perf showed ~40% of Floe's CPU time on the INT32 delta file in "
                     "page faults and page clearing with the defaults.")
    lines.append("- The machine is shared with other builders (2 cores): the load averages below were measured "
                 "around the run; treat single figures with care and compare ratios from the same run.")
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

    for name, s in summary.items():
        kept = f"  floe kept {fmt_ms(s['floe_kept_median_s'])}" if s["floe_kept_median_s"] else ""
        print(f"{name}: floe {fmt_ms(s['floe_median_s'])} (decode {fmt_ms(s['floe_decode_median_s'])}, "
              f"assembly {fmt_ms(s['floe_assemble_median_s'])})  pyarrow {fmt_ms(s['pyarrow_median_s'])}  "
              f"ratio {s['ratio_pyarrow_over_floe']:.2f}{kept}")
    if failures:
        print("MISMATCH between Floe and pyarrow:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
