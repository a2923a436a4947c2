"""`floe splits` and `--split`: the byte-range splits of files pyarrow writes with several row
groups tile each file, give every row group to exactly one split (the one holding its midpoint,
as Hadoop and Spark assign them), and reading the splits one by one with `floe cat --split` or
`floe query --split` gives pyarrow's rows, each exactly once, in file order."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import canonical
import floe_cli

ROWS = 5000


def _table(rows: int) -> pa.Table:
    return pa.table({
        "id": pa.array(range(rows), pa.int64()),
        "name": pa.array([None if i % 7 == 0 else f"name-{i}" for i in range(rows)], pa.string()),
        "score": pa.array([None if i % 5 == 0 else i / 8 for i in range(rows)], pa.float64()),
        "flag": pa.array([i % 3 == 0 for i in range(rows)], pa.bool_()),
        "tags": pa.array([None if i % 4 == 0 else [i, i % 10] for i in range(rows)], pa.list_(pa.int64())),
    })


# (name, pyarrow write options)
FILES = {
    "small_groups": dict(row_group_size=400, compression="snappy"),
    "uneven_groups": dict(row_group_size=1234, compression="zstd", use_dictionary=False),
    "dict_pages": dict(row_group_size=900, compression="none", data_page_size=2048, write_page_index=True),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("splits")
    out = {}
    for name, options in FILES.items():
        path = root / f"{name}.parquet"
        pq.write_table(_table(ROWS), path, **options)
        assert pq.ParquetFile(path).metadata.num_row_groups > 2
        out[name] = path
    return out


def _splits(floe: floe_cli.Floe, path: Path, size: int | str) -> list[dict]:
    run = floe.run("splits", path, "--split-size", size, "--json")
    doc = json.loads(run.stdout)
    return doc["splits"]


def _midpoints(path: Path) -> list[int]:
    """The midpoint of each row group's bytes, from pyarrow's metadata."""
    meta = pq.ParquetFile(path).metadata
    mids = []
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        starts, ends = [], []
        for c in range(rg.num_columns):
            col = rg.column(c)
            start = col.data_page_offset
            if col.has_dictionary_page and col.dictionary_page_offset and col.dictionary_page_offset < start:
                start = col.dictionary_page_offset
            starts.append(start)
            ends.append(start + col.total_compressed_size)
        lo, hi = min(starts), max(ends)
        mids.append(lo + (hi - lo) // 2)
    return mids


def _sizes(path: Path) -> list[int]:
    """Split sizes: one smaller than any row group, a few in between, one larger than the file."""
    size = path.stat().st_size
    meta = pq.ParquetFile(path).metadata
    smallest = min(sum(meta.row_group(g).column(c).total_compressed_size for c in range(meta.num_columns))
                   for g in range(meta.num_row_groups))
    return [max(1, smallest // 4), 3000, size // 3, size, size * 5]


@pytest.mark.parametrize("name", sorted(FILES))
def test_splits_assign_each_row_group_once(floe: floe_cli.Floe, files: dict[str, Path], name: str):
    path = files[name]
    size = path.stat().st_size
    meta = pq.ParquetFile(path).metadata
    mids = _midpoints(path)
    for split_size in _sizes(path):
        splits = _splits(floe, path, split_size)
        assert [s["start"] for s in splits] == list(range(0, size, split_size))
        assert sum(s["length"] for s in splits) == size
        assigned = [g for s in splits for g in s["row_groups"]]
        assert assigned == list(range(meta.num_row_groups)), f"split size {split_size}"
        for s in splits:
            for g in s["row_groups"]:
                assert s["start"] <= mids[g] < s["start"] + s["length"]
            assert s["rows"] == sum(meta.row_group(g).num_rows for g in s["row_groups"])
            assert s["file"] == str(path)


def test_split_sizes_take_suffixes(floe: floe_cli.Floe, files: dict[str, Path]):
    path = files["small_groups"]
    assert _splits(floe, path, "4k") == _splits(floe, path, 4096)
    floe.run("splits", path, "--split-size", "0", expect=2)
    floe.run("splits", path, "--split-size", "lots", expect=2)


@pytest.mark.parametrize("name", sorted(FILES))
def test_cat_splits_give_every_row_once(floe: floe_cli.Floe, files: dict[str, Path], name: str):
    path = files[name]
    expected = canonical.canonical_rows(str(path))
    assert len(expected) == ROWS
    for split_size in _sizes(path):
        got = []
        for s in _splits(floe, path, split_size):
            got += floe.cat_rows(path, "--split", f"{s['start']}:{s['length']}")
        problems = canonical.diff_rows(expected, got, f"{name}, split size {split_size}")
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(FILES))
def test_query_splits_give_every_row_once(floe: floe_cli.Floe, files: dict[str, Path], name: str):
    path = files[name]
    table = pq.read_table(path)
    ids = table.column("id").to_pylist()
    names = table.column("name").to_pylist()
    tags = table.column("tags").to_pylist()
    for split_size in _sizes(path):
        got = []
        for s in _splits(floe, path, split_size):
            run = floe.run("query", f"SELECT id, name, tags FROM '{path}'", "--format", "jsonl",
                           "--split", f"{s['start']}:{s['length']}")
            got += [json.loads(line) for line in run.stdout.splitlines() if line]
        assert [r["id"] for r in got] == ids, f"{name}, split size {split_size}"
        assert [r["name"] for r in got] == names
        assert [r["tags"] for r in got] == tags
        # Aggregates per split add up to the whole file's.
        total = 0
        count = 0
        for s in _splits(floe, path, split_size):
            run = floe.run("query", f"SELECT count(*), sum(id) FROM '{path}' WHERE id >= 10", "--format", "jsonl",
                           "--split", f"{s['start']}:{s['length']}")
            row = json.loads(run.stdout)
            count += row["count(*)"]
            total += row["sum(id)"] or 0
        assert count == ROWS - 10 and total == sum(range(10, ROWS))


def test_split_usage_errors(floe: floe_cli.Floe, files: dict[str, Path], tmp_path: Path):
    path = files["small_groups"]
    floe.run("query", f"SELECT id FROM '{path}'", "--split", "12", expect=2)
    floe.run("cat", path, "--split", "a:b", expect=2)
    lines = tmp_path / "x.jsonl"
    lines.write_text('{"a":1}\n{"a":2}\n')
    run = floe.run("query", f"SELECT a FROM '{lines}'", "--split", "0:5", expect=2)
    assert "Parquet" in run.stderr
