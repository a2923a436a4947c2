"""`floe` against the parquet-testing corpus: every file's JSON lines equal the canonical view
of what pyarrow reads; nested files are either equal or cleanly "not supported"; bad files
fail cleanly; `inspect --json` agrees with the footer; `--columns` and `--limit` behave."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import canonical
import compare
import corpus_files
import floe_cli
import parquet_raw

DATA = corpus_files.params("data")
BAD = corpus_files.params("bad_data")


def _reference(path: Path) -> tuple[list[dict] | None, str | None]:
    try:
        return canonical.canonical_rows(str(path)), None
    except Exception as e:  # noqa: BLE001 - pyarrow refuses the file
        return None, f"{type(e).__name__}: {e}"


def _nested(path: Path) -> bool | None:
    try:
        return canonical.is_nested(str(path))
    except Exception:  # noqa: BLE001
        return None


@pytest.mark.parametrize("rel", DATA)
def test_cat_matches_pyarrow(floe, rel: str | None) -> None:
    path = corpus_files.resolve(rel)
    if rel in corpus_files.HEAVY and os.environ.get("FLOE_INTEROP_HEAVY") != "1":
        pytest.skip("2 GiB of strings: set FLOE_INTEROP_HEAVY=1 to run it")
    expected, ref_error = _reference(path)
    run = floe.run("cat", path, "--format", "jsonl", expect=(0, 1))
    if expected is None:
        # pyarrow rejects it (incorrect_map_schema.parquet): no reference values, but floe must
        # either print well-formed rows or fail with a message.
        if run.returncode == 0:
            rows = floe_cli.parse_jsonl_output(run)
            assert len(rows) == parquet_raw.num_rows(str(path)), run.describe()
            assert all(isinstance(r, dict) for r in rows)
        return
    if run.returncode == 1:
        if _nested(path):
            assert "not supported" in run.stderr.lower(), \
                f"a nested file must read equal to pyarrow or fail with 'not supported'\n{run.describe()}"
            return
        if rel in corpus_files.CORRUPT_CHECKSUM:
            assert corpus_files.CHECKSUM_WORDS.search(run.stderr), run.describe()
            return
        pytest.fail(f"floe rejects a flat file pyarrow reads\n{run.describe()}")
    rows = floe_cli.parse_jsonl_output(run)
    problems = canonical.diff_rows(expected, rows, rel)
    assert problems == [], "\n".join(problems)


def test_int96_from_spark_instants(floe, corpus: Path) -> None:
    """The exact instants documented in int96_from_spark.md, years 9999 and 290000 included."""
    rows = floe.cat_rows(corpus / "data" / "int96_from_spark.parquet")
    assert [r["a"] for r in rows] == corpus_files.int96_md_instants(corpus)


@pytest.mark.parametrize("rel", BAD)
def test_bad_data_fails_cleanly(floe, rel: str | None) -> None:
    """bad_data/ files: exit 1 with a message, never a crash. ARROW-GH-43605 (RLE bit width 0
    for a one-entry dictionary) is readable by pyarrow, so it may also read equal."""
    path = corpus_files.resolve(rel)
    run = floe.run("cat", path, "--format", "jsonl", expect=(0, 1))
    if run.returncode == 0:
        expected, err = _reference(path)
        assert expected is not None, f"pyarrow rejects this file ({err}); floe must too\n{run.describe()}"
        problems = canonical.diff_rows(expected, floe_cli.parse_jsonl_output(run), rel)
        assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("rel", DATA)
def test_inspect_matches_footer(floe, rel: str | None) -> None:
    path = corpus_files.resolve(rel)
    try:
        pq.ParquetFile(str(path)).metadata
    except Exception:  # noqa: BLE001 - pyarrow refuses the schema: only "no crash" is asked for
        floe.run("inspect", path, "--json", expect=(0, 1))
        return
    problems = compare.inspect_diff(floe.inspect(path), path, rel)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("rel", BAD)
def test_inspect_bad_data_never_crashes(floe, rel: str | None) -> None:
    floe.run("inspect", corpus_files.resolve(rel), "--json", expect=(0, 1))


@pytest.mark.parametrize("rel", DATA)
def test_schema_names_columns(floe, rel: str | None) -> None:
    path = corpus_files.resolve(rel)
    try:
        names = pq.read_schema(str(path)).names
    except Exception:  # noqa: BLE001
        floe.run("schema", path, expect=(0, 1))
        return
    run = floe.run("schema", path)
    missing = [n for n in names if n not in run.stdout]
    assert missing == [], f"schema output lacks {missing}\n{run.describe()}"


# --------------------------------------------------------------------------- options

TINY = "data/alltypes_tiny_pages.parquet"  # 7300 rows, many small pages


@pytest.mark.parametrize("limit", [0, 1, 3, 999, 7299, 7300, 100000])
def test_limit(floe, corpus: Path, limit: int) -> None:
    path = corpus / TINY
    expected = canonical.cached_rows(str(path))[:limit]
    rows = floe.cat_rows(path, "--limit", limit)
    assert canonical.diff_rows(expected, rows, f"{TINY} --limit {limit}") == []


@pytest.mark.parametrize("columns", [
    ["id"], ["string_col"], ["timestamp_col"], ["id", "float_col", "string_col"],
    ["month", "id"],  # not in schema order
    ["bool_col", "tinyint_col", "smallint_col", "int_col", "bigint_col", "float_col", "double_col",
     "date_string_col", "string_col", "timestamp_col", "year", "month", "id"],
])
def test_columns(floe, corpus: Path, columns: list[str]) -> None:
    path = corpus / TINY
    full = canonical.cached_rows(str(path))
    rows = floe.cat_rows(path, "--columns", ",".join(columns))
    assert len(rows) == len(full)
    # Fields come in schema order (the contract); requested order is accepted too.
    schema_order = [c for c in full[0] if c in columns]
    if rows and list(rows[0].keys()) == columns:
        order = columns
    else:
        order = schema_order
    expected = [{c: r[c] for c in order} for r in full]
    problems = canonical.diff_rows(expected, rows, f"{TINY} --columns {','.join(columns)}")
    assert problems == [], "\n".join(problems)


def test_columns_and_limit(floe, corpus: Path) -> None:
    path = corpus / "data" / "alltypes_plain.parquet"
    full = canonical.canonical_rows(str(path))
    rows = floe.cat_rows(path, "--columns", "id,timestamp_col", "--limit", "5")
    expected = [{"id": r["id"], "timestamp_col": r["timestamp_col"]} for r in full[:5]]
    assert canonical.diff_rows(expected, rows, "alltypes_plain --columns --limit") == []


def test_unknown_column_is_an_error(floe, corpus: Path) -> None:
    run = floe.run("cat", corpus / TINY, "--format", "jsonl", "--columns", "id,no_such_column", expect=(1, 2))
    assert "no_such_column" in run.stderr, run.describe()
    assert run.stdout == "", run.describe()


def test_table_format(floe, corpus: Path) -> None:
    path = corpus / "data" / "alltypes_plain.parquet"
    run = floe.run("cat", path, "--format", "table")
    assert "id" in run.stdout and "bool_col" in run.stdout, run.describe()
    assert len(run.stdout.splitlines()) >= 8, run.describe()  # 8 rows (plus any header)


# --------------------------------------------------------------------------- hostile input


def test_missing_file_is_an_io_error(floe, tmp_path: Path) -> None:
    floe.run("cat", tmp_path / "absent.parquet", "--format", "jsonl", expect=2)
    floe.run("inspect", tmp_path / "absent.parquet", "--json", expect=2)


@pytest.mark.parametrize("content", [b"", b"PAR1", b"hello world\n" * 10, b"PAR1" + b"\0" * 8 + b"PAR1",
                                     b"PAR1\xff\xff\xff\x7fPAR1"], ids=["empty", "magic", "text", "zero-footer", "huge-footer-length"])
def test_not_parquet_is_bad_data(floe, tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "bad.parquet"
    f.write_bytes(content)
    floe.run("cat", f, "--format", "jsonl", expect=1)
    floe.run("inspect", f, "--json", expect=1)


@pytest.mark.parametrize("rel", ["data/alltypes_plain.parquet", "data/rle-dict-snappy-checksum.parquet",
                                 "data/delta_length_byte_array.parquet", "data/byte_stream_split.zstd.parquet",
                                 "data/nullable.impala.parquet"])
def test_damaged_files_never_crash(floe, corpus: Path, tmp_path: Path, rel: str) -> None:
    """Truncations and byte flips (deterministic) of real files: exit 0 or 1, never a trap."""
    data = (corpus / rel).read_bytes()
    n = len(data)
    footer_len = int.from_bytes(data[-8:-4], "little")
    variants = {f"cut-{k}": data[:k] for k in (n // 3, n // 2, n - 9, n - footer_len // 2)}
    variants["footer-length-huge"] = data[:-8] + (2 ** 31 - 1).to_bytes(4, "little") + b"PAR1"
    for i, pos in enumerate(range(n - 8 - footer_len, n - 8, max(1, footer_len // 12))):
        mutated = bytearray(data)
        mutated[pos] ^= 0xFF
        variants[f"footer-flip-{i}"] = bytes(mutated)
    for i, pos in enumerate(range(4, n - 8 - footer_len, max(1, (n - footer_len) // 10))):
        mutated = bytearray(data)
        mutated[pos: pos + 4] = b"\xff\xff\xff\x7f"
        variants[f"body-{i}"] = bytes(mutated)
    for name, blob in variants.items():
        f = tmp_path / f"{name}.parquet"
        f.write_bytes(blob)
        floe.run("cat", f, "--format", "jsonl", expect=(0, 1), timeout=60)
