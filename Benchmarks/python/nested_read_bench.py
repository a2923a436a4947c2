"""Times `pyarrow.parquet.read_table(path, use_threads=False)` (with `pa.set_cpu_count(1)`) on
one file and prints one JSON line in the format of floe-nested-bench:

  {"tool":"pyarrow","path":...,"kind":...,"runs":N,"median_s":...,"min_s":...,"times_s":[...],
   "rows":...,"row_groups":...,"file_bytes":...,"checks":[...]}

read_table decodes the column chunks and assembles them into Arrow arrays (offsets and
validity per level), which is what floe-nested-bench's decode + assembly does.

Checks (computed after the timed reads), the same as floe-nested-bench's:
  --kind nested  per node of each column's Arrow array, depth first: length, null count, the
                 sum of the null slots' indices; lists: the element total and the sum of
                 index × length; leaves: the sum of the valid values (strings: byte lengths).
                 Struct children are taken with the struct's nulls applied (StructArray.flatten).
  --kind flat    value count; integers: the wrapping sum and the wrapping sum of index × value;
                 strings: the total length, the sum of all bytes, the wrapping sum of
                 index × length.

Usage: nested_read_bench.py FILE --kind nested|flat [--runs N] [--warmup N]
"""

import argparse
import json
import os
import statistics
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MASK64 = (1 << 64) - 1


def wrap64(x: int) -> int:
    return ((x + (1 << 63)) % (1 << 64)) - (1 << 63)


def valid_mask(arr: pa.Array) -> np.ndarray:
    return arr.is_valid().to_numpy(zero_copy_only=False)


def node_checks(arr: pa.Array, out: list) -> None:
    n = len(arr)
    valid = valid_mask(arr)
    nulls = np.flatnonzero(~valid).astype(np.uint64)
    check = {"length": n, "nulls": int(arr.null_count), "null_positions": int(nulls.sum(dtype=np.uint64))}
    out.append(check)
    t = arr.type
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_map(t):
        offsets = arr.offsets.to_numpy().astype(np.int64)
        lengths = np.diff(offsets)
        check["list_total"] = int(lengths.sum())
        check["list_positions"] = int((np.arange(n, dtype=np.uint64) * lengths.astype(np.uint64)).sum(dtype=np.uint64))
        child = arr.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))
        if pa.types.is_map(t):
            node_checks(child.field(0), out)
            node_checks(child.field(1), out)
        else:
            node_checks(child, out)
    elif pa.types.is_struct(t):
        for child in arr.flatten():
            node_checks(child, out)
    else:
        if pa.types.is_floating(t):
            check["sum"] = float(pc.sum(arr).as_py() or 0.0)
        elif pa.types.is_string(t) or pa.types.is_binary(t):
            check["sum"] = int(pc.sum(pc.binary_length(arr)).as_py() or 0)
        elif pa.types.is_boolean(t):
            check["sum"] = int(pc.sum(arr.cast(pa.int64())).as_py() or 0)
        else:
            values = arr.cast(pa.int64()).to_numpy(zero_copy_only=False)
            check["sum"] = wrap64(int(values[valid].astype(np.int64).sum(dtype=np.int64)))


def nested_checks(table: pa.Table) -> list:
    out = []
    for column in table.columns:
        node_checks(column.combine_chunks(), out)
    return out


def flat_checks(table: pa.Table) -> list:
    arr = table.column(0).combine_chunks()
    n = len(arr)
    idx = np.arange(n, dtype=np.uint64)
    if pa.types.is_integer(arr.type):
        v = arr.to_numpy().astype(np.int64)
        return [{"count": n, "sum": wrap64(int(v.sum(dtype=np.int64))),
                 "positional": int((idx * v.view(np.uint64)).sum(dtype=np.uint64))}]
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset:arr.offset + n + 1].astype(np.int64)
    lengths = np.diff(offsets)
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return [{"count": n, "sum": int(lengths.sum()),
             "positional": int((idx * lengths.astype(np.uint64)).sum(dtype=np.uint64)),
             "byte_sum": int(data.sum(dtype=np.uint64))}]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--kind", choices=["nested", "flat"], default="nested")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)

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
        "kind": args.kind,
        "runs": args.runs,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "times_s": times,
        "rows": table.num_rows,
        "row_groups": meta.num_row_groups,
        "file_bytes": os.path.getsize(args.path),
        "checks": nested_checks(table) if args.kind == "nested" else flat_checks(table),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
