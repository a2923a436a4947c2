"""Writes the deterministic files of the nested-assembly and delta-decoding benchmark with pyarrow.

All files are written uncompressed (so the decoding is measured, not a codec), data page v1,
pyarrow's default page size (1 MiB) and row group size (1Mi rows), statistics on. Values come
from numpy's PCG64 generator seeded with 20261128, so every run writes the same files.

  list_struct.parquet   1,000,000 rows, one column
      items: list<struct<id: string, price: double, qty: int64>>
      lists of 0-5 elements (uniform), ~5% null lists, ~5% null structs among the elements,
      ~3% null prices; id from a pool of 100,000 "sku-NNNNNN" strings. pyarrow's defaults
      otherwise (dictionary encoding on).
  nested3.parquet       1,000,000 rows, one column
      nested: list<list<list<int64>>>
      outer lists 0-3 elements, middle 0-3, inner 0-4 (uniform); ~5% nulls at each of the
      three list levels and ~5% null int64 values. Dictionary encoding on.
  delta_int32.parquet   10,000,000 required INT32 values, DELTA_BINARY_PACKED:
      a random walk with steps uniform in [-1000, 1000].
  delta_int64.parquet   10,000,000 required INT64 values, DELTA_BINARY_PACKED:
      increasing microsecond timestamps from 2024-01-01 with gaps uniform in [0, 1_000_000).
  delta_length_byte_array.parquet  2,000,000 required strings, DELTA_LENGTH_BYTE_ARRAY:
      random lowercase letters, lengths uniform in [4, 32].
  delta_byte_array.parquet         2,000,000 required strings, DELTA_BYTE_ARRAY:
      sorted URL-like keys "https://shop.example.com/c/<category>/p/<8 digits>" (long shared
      prefixes, what front coding is for).

The delta files use `use_dictionary=False` and `column_encoding={col: ENCODING}`.

Usage: make_nested_data.py OUTDIR
Prints one JSON line per file: {"name":..., "path":..., "bytes":..., "rows":...}.
"""

import argparse
import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SEED = 20261128
ROWS_NESTED = 1_000_000
INTS = 10_000_000
STRINGS = 2_000_000


def offsets_from_lengths(lengths: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def null_mask(rng, n: int, p: float) -> pa.Array:
    return pa.array(rng.random(n) < p)


def list_struct_table(rng) -> pa.Table:
    rows = ROWS_NESTED
    list_null = rng.random(rows) < 0.05
    lengths = rng.integers(0, 6, rows)
    lengths[list_null] = 0
    n = int(lengths.sum())
    pool = pa.array([f"sku-{i:06d}" for i in range(100_000)])
    ids = pool.take(pa.array(rng.integers(0, 100_000, n)))
    prices = pa.array(rng.integers(0, 1_000_000, n) / 100, mask=rng.random(n) < 0.03)
    qty = pa.array(rng.integers(1, 101, n), type=pa.int64())
    fields = [pa.field("id", pa.string()), pa.field("price", pa.float64()), pa.field("qty", pa.int64())]
    structs = pa.StructArray.from_arrays([ids, prices, qty], fields=fields, mask=null_mask(rng, n, 0.05))
    items = pa.ListArray.from_arrays(pa.array(offsets_from_lengths(lengths)), structs, mask=pa.array(list_null))
    return pa.table({"items": items})


def nested3_table(rng) -> pa.Table:
    def level(count: int, max_len: int):
        nulls = rng.random(count) < 0.05
        lengths = rng.integers(0, max_len + 1, count)
        lengths[nulls] = 0
        return pa.array(offsets_from_lengths(lengths)), pa.array(nulls), int(lengths.sum())

    o1, m1, n1 = level(ROWS_NESTED, 3)
    o2, m2, n2 = level(n1, 3)
    o3, m3, n3 = level(n2, 4)
    leaf = pa.array(rng.integers(-1_000_000, 1_000_000, n3), type=pa.int64(), mask=rng.random(n3) < 0.05)
    inner = pa.ListArray.from_arrays(o3, leaf, mask=m3)
    middle = pa.ListArray.from_arrays(o2, inner, mask=m2)
    outer = pa.ListArray.from_arrays(o1, middle, mask=m1)
    return pa.table({"nested": outer})


def delta_tables(rng) -> dict:
    walk = np.cumsum(rng.integers(-1000, 1001, INTS)).astype(np.int32)
    start = 1_704_067_200_000_000
    ts = start + np.cumsum(rng.integers(0, 1_000_000, INTS))
    letters = rng.integers(ord("a"), ord("z") + 1, STRINGS * 32, dtype=np.uint8)
    lengths = rng.integers(4, 33, STRINGS)
    offsets = offsets_from_lengths(lengths)
    data = letters[: int(offsets[-1])].tobytes()
    dlba = pa.StringArray.from_buffers(STRINGS, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data))
    cats = ["books", "clothing", "electronics", "garden", "home-and-kitchen", "sports", "toys"]
    keys = np.sort(rng.integers(0, 100_000_000, STRINGS))
    cat_of = rng.integers(0, len(cats), STRINGS)
    urls = sorted(f"https://shop.example.com/c/{cats[c]}/p/{k:08d}" for c, k in zip(cat_of.tolist(), keys.tolist()))

    def required(name, array):
        return pa.Table.from_arrays([array], schema=pa.schema([pa.field(name, array.type, nullable=False)]))

    return {
        "delta_int32": (required("v", pa.array(walk, type=pa.int32())), "DELTA_BINARY_PACKED"),
        "delta_int64": (required("v", pa.array(ts, type=pa.int64())), "DELTA_BINARY_PACKED"),
        "delta_length_byte_array": (required("s", dlba), "DELTA_LENGTH_BYTE_ARRAY"),
        "delta_byte_array": (required("s", pa.array(urls, type=pa.string())), "DELTA_BYTE_ARRAY"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(SEED))

    def emit(name: str, table: pa.Table, **kwargs) -> None:
        path = os.path.join(args.outdir, f"{name}.parquet")
        pq.write_table(table, path, compression="none", **kwargs)
        print(json.dumps({"name": name, "path": path, "bytes": os.path.getsize(path), "rows": table.num_rows}))

    emit("list_struct", list_struct_table(rng))
    emit("nested3", nested3_table(rng))
    for name, (table, encoding) in delta_tables(rng).items():
        column = table.column_names[0]
        emit(name, table, use_dictionary=False, column_encoding={column: encoding})


if __name__ == "__main__":
    main()
