"""Writes the deterministic read-benchmark files with pyarrow.

1,000,000 rows (--rows), 10 columns, from Python's `random.Random(20240601)` (stable across
Python versions, so the same rows every run):

  id          int64      required  a random permutation of 1e9 .. 1e9+rows-1
  i32         int32      required  uniform in [-1_000_000, 1_000_000]
  quantity    int32      required  uniform in [0, 100]            (low cardinality)
  price       double     required  uniform in [0, 10_000), 2 decimals
  score       double     nullable  uniform in [0, 1), about 10% nulls
  category    string     required  one of 20 words                  (low cardinality)
  name        string     required  ~600k distinct strings of 8-24 chars (high cardinality)
  ts          timestamp[us, tz=UTC]  required  uniform over 2024
  flag        bool       required  true with probability 0.3
  day         date32     required  uniform over 2000-01-01 .. 2029-12-31

Each file is written with `pq.write_table(table, path, compression=CODEC)` and pyarrow's other
defaults: dictionary encoding on (falling back to PLAIN past the 1 MiB dictionary page
limit), data page v1, pyarrow's default page size (1 MiB) and page row limit, one row group (the default row
group size is 1Mi rows), statistics on, no page index.

Usage: make_data.py OUTDIR [--rows N] [--codec zstd --codec snappy]
Prints one JSON line per file: {"codec":..., "path":..., "bytes":..., "rows":...}.
"""

import argparse
import datetime
import json
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

SEED = 20240601
CATEGORIES = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
]
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def make_table(rows: int) -> pa.Table:
    rng = random.Random(SEED)
    ids = list(range(1_000_000_000, 1_000_000_000 + rows))
    rng.shuffle(ids)
    i32 = [rng.randint(-1_000_000, 1_000_000) for _ in range(rows)]
    quantity = [rng.randint(0, 100) for _ in range(rows)]
    price = [rng.randrange(0, 1_000_000) / 100 for _ in range(rows)]
    score = [None if rng.random() < 0.1 else rng.random() for _ in range(rows)]
    category = [CATEGORIES[rng.randrange(len(CATEGORIES))] for _ in range(rows)]
    # High cardinality: draws from a pool as large as the table, so ~63% of the pool appears.
    pool = ["".join(rng.choices(LETTERS, k=rng.randint(8, 24))) for _ in range(rows)]
    name = [pool[rng.randrange(rows)] for _ in range(rows)]
    start = int(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc).timestamp() * 1_000_000)
    year = 366 * 86_400 * 1_000_000
    ts = [start + rng.randrange(year) for _ in range(rows)]
    flag = [rng.random() < 0.3 for _ in range(rows)]
    day0 = (datetime.date(2000, 1, 1) - datetime.date(1970, 1, 1)).days
    days = (datetime.date(2030, 1, 1) - datetime.date(2000, 1, 1)).days
    day = [day0 + rng.randrange(days) for _ in range(rows)]
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "i32": pa.array(i32, pa.int32()),
        "quantity": pa.array(quantity, pa.int32()),
        "price": pa.array(price, pa.float64()),
        "score": pa.array(score, pa.float64()),
        "category": pa.array(category, pa.string()),
        "name": pa.array(name, pa.string()),
        "ts": pa.array(ts, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        "flag": pa.array(flag, pa.bool_()),
        "day": pa.array(day, pa.int32()).cast(pa.date32()),
    }, schema=pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("i32", pa.int32(), nullable=False),
        pa.field("quantity", pa.int32(), nullable=False),
        pa.field("price", pa.float64(), nullable=False),
        pa.field("score", pa.float64(), nullable=True),
        pa.field("category", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("ts", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("flag", pa.bool_(), nullable=False),
        pa.field("day", pa.date32(), nullable=False),
    ]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--codec", action="append")
    args = parser.parse_args()
    codecs = args.codec or ["zstd", "snappy"]
    os.makedirs(args.outdir, exist_ok=True)
    table = make_table(args.rows)
    for codec in codecs:
        path = os.path.join(args.outdir, f"bench-{args.rows}-{codec}.parquet")
        tmp = path + ".tmp"
        pq.write_table(table, tmp, compression=codec)
        os.replace(tmp, path)
        print(json.dumps({"codec": codec, "path": path, "bytes": os.path.getsize(path), "rows": args.rows}))


if __name__ == "__main__":
    main()
