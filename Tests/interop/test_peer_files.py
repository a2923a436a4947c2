"""`floe` on files written by pyarrow, DuckDB and polars (see peers.py): JSON lines equal the
canonical view of the reference reader, column by column and across row groups and pages."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

import canonical
import compare
import floe_cli
import peers

NAMES = list(peers.PEERS)
ALLTYPES = [n for n, p in peers.PEERS.items() if "alltypes" in p.tags]


def expected_rows(name: str, path) -> list[dict]:
    if peers.PEERS[name].reference == "duckdb":
        return canonical.canonical_rows(str(path), compare.read_duckdb(path))
    return canonical.cached_rows(str(path))


@pytest.mark.parametrize("name", NAMES)
def test_cat_matches_reference(floe, peer_file, name: str) -> None:
    path = peer_file(name)
    lenient = "lenient" in peers.PEERS[name].tags  # outside the spec: reading it is optional
    run = floe.run("cat", path, "--format", "jsonl", expect=(0, 1) if lenient else 0)
    if run.returncode == 1:
        return
    problems = canonical.diff_rows(expected_rows(name, path), floe_cli.parse_jsonl_output(run), name)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", NAMES)
def test_inspect_matches_footer(floe, peer_file, name: str) -> None:
    path = peer_file(name)
    problems = compare.inspect_diff(floe.inspect(path), path, name)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", ALLTYPES)
def test_each_column_alone(floe, peer_file, name: str) -> None:
    """`--columns c` for every column c: projection must not disturb any type's decoding.
    The first 1100 rows cross the first row-group boundary of each of these files."""
    path = peer_file(name)
    full = expected_rows(name, path)[:1100]
    problems = []
    for column in pq.read_schema(str(path)).names:
        rows = floe.cat_rows(path, "--columns", column, "--limit", "1100")
        problems += canonical.diff_rows([{column: r[column]} for r in full], rows, f"{name} --columns {column}", limit=3)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("limit", [1, 64, 699, 700, 701, 1403, 4999, 5000])
def test_limit_across_row_groups_and_pages(floe, peer_file, limit: int) -> None:
    path = peer_file("pa_small_pages")  # 5000 rows, row groups of 700, pages of ~64 rows
    expected = canonical.cached_rows(str(path))[:limit]
    rows = floe.cat_rows(path, "--limit", limit)
    assert canonical.diff_rows(expected, rows, f"pa_small_pages --limit {limit}") == []
