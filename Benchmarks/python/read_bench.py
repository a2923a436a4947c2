"""Times `pyarrow.parquet.read_table(path, use_threads=False)` and prints one JSON line in the
format of floe-read-bench:

  {"tool":"pyarrow","path":...,"runs":N,"median_s":...,"min_s":...,"times_s":[...],
   "rows":...,"row_groups":...,"columns":...,"file_bytes":...,
   "checks":{"<column>":{"nulls":...,"sum":...}}}

Checks per column, on the physical values: the number of nulls, and a sum — integers
(including dates and timestamps): the Int64 sum with wrap-around; floating point: the sum;
booleans: the number of trues; strings and binary: the total byte length.

Usage: read_bench.py FILE [--runs N] [--warmup N]
"""

import argparse
import json
import os
import statistics
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def wrap64(x: int) -> int:
    return ((x + (1 << 63)) % (1 << 64)) - (1 << 63)


def column_check(col: pa.ChunkedArray):
    t = col.type
    nulls = col.null_count
    if pa.types.is_boolean(t):
        total = int(pc.sum(col.cast(pa.int64())).as_py() or 0)
    elif pa.types.is_floating(t):
        total = float(pc.sum(col).as_py() or 0.0)
    elif pa.types.is_string(t) or pa.types.is_binary(t) or pa.types.is_large_string(t):
        total = int(pc.sum(pc.binary_length(col)).as_py() or 0)
    elif pa.types.is_timestamp(t) or pa.types.is_date(t) or pa.types.is_time(t) or pa.types.is_integer(t):
        if pa.types.is_integer(t):
            storage = col
        elif pa.types.is_date32(t) or t == pa.time32("s") or t == pa.time32("ms"):
            storage = col.cast(pa.int32())
        else:
            storage = col.cast(pa.int64())
        total = wrap64(sum(v for v in storage.to_pylist() if v is not None))
    else:
        total = None
    return {"nulls": nulls, "sum": total}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()

    for _ in range(args.warmup):
        pq.read_table(args.path, use_threads=False)
    times = []
    table = None
    for _ in range(args.runs):
        table = None  # free the previous table outside the timed region
        start = time.perf_counter()
        table = pq.read_table(args.path, use_threads=False)
        times.append(time.perf_counter() - start)

    meta = pq.ParquetFile(args.path).metadata
    out = {
        "tool": "pyarrow",
        "path": args.path,
        "runs": args.runs,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "times_s": times,
        "rows": table.num_rows,
        "row_groups": meta.num_row_groups,
        "columns": table.num_columns,
        "file_bytes": os.path.getsize(args.path),
        "checks": {name: column_check(table.column(name)) for name in table.column_names},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
