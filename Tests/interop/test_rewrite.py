"""`floe rewrite`: re-encoding under codec x page version x dictionary x row-group options keeps
every value (as pyarrow, DuckDB and polars read them), the Parquet schema and the key-value
metadata, and writes what was asked (codec, page type, dictionary, row groups, page size)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import canonical
import compare
import floe_cli
import parquet_raw
import peers

SMALL_RG_ROWS = 700


@dataclass(frozen=True)
class Config:
    codec: str | None = None
    page_version: int | None = None
    dictionary: str | None = None  # "on" | "off"
    small_row_groups: bool = False

    def args(self) -> list[str]:
        out = []
        if self.codec:
            out += ["--codec", self.codec]
        if self.page_version:
            out += ["--page-version", str(self.page_version)]
        if self.dictionary:
            out += ["--dictionary", self.dictionary]
        if self.small_row_groups:
            out += ["--row-group-rows", str(SMALL_RG_ROWS)]
        return out

    @property
    def id(self) -> str:
        if self == Config():
            return "defaults"
        return "-".join([self.codec or "codec=default", f"v{self.page_version or 'default'}",
                         f"dict-{self.dictionary or 'default'}", "rg700" if self.small_row_groups else "rg-default"])


FULL = [Config(c, pv, d, rg) for c in peers.CODECS for pv in (1, 2) for d in ("on", "off") for rg in (False, True)]
# 12 configurations that still pair every codec with each page version, dictionary setting and
# row-group setting.
PAIRWISE = [Config(c, pv, ("on", "off")[(i + pv) % 2], bool((i // 2 + pv) % 2))
            for i, c in enumerate(peers.CODECS) for pv in (1, 2)]
VARIED = Config("zstd", 2, "off", True)


def _cases() -> list:
    cases = [("pa_alltypes", cfg) for cfg in FULL]
    cases += [(name, cfg) for name in ("duck_alltypes", "polars_alltypes") for cfg in PAIRWISE]
    for name, peer in peers.PEERS.items():
        if "alltypes" in peer.tags:
            continue
        cfgs = [Config()] if "codec" in peer.tags else [Config(), VARIED]
        cases += [(name, cfg) for cfg in cfgs]
    return [pytest.param(name, cfg, id=f"{name}[{cfg.id}]") for name, cfg in cases]


# Readings of the (unchanging) source files, once per worker.
@functools.lru_cache(maxsize=4)
def _pyarrow(path: str):
    return compare.read_pyarrow(path)


@functools.lru_cache(maxsize=4)
def _duckdb(path: str):
    return compare.try_read(compare.read_duckdb, path)


@functools.lru_cache(maxsize=4)
def _polars(path: str):
    return compare.try_read(compare.read_polars, path)


def rewrite(floe, sources: list[Path], out: Path, args: list[str], expect=0) -> floe_cli.Run:
    run = floe.run("rewrite", *sources, "-o", out, *args, expect=expect)
    if run.returncode == 0:
        assert out.is_file(), f"rewrite succeeded but wrote no {out.name}\n{run.describe()}"
    stray = sorted(p.name for p in out.parent.iterdir() if p != out)
    assert stray == [], f"files left next to the output: {stray}\n{run.describe()}"
    return run


def value_problems(src: Path, out: Path, label: str, reference: str = "pyarrow") -> list[str]:
    """Values of `out` against those of `src`, as each peer reads them."""
    problems: list[str] = []
    allow_cast = compare.has_arrow_schema(src) and not compare.has_arrow_schema(out)
    new_table, err = compare.try_read(compare.read_pyarrow, out)
    if err:
        return [f"{label}: pyarrow cannot read the rewritten file: {err}"]
    if reference == "pyarrow":
        problems += compare.table_diff(_pyarrow(str(src)), new_table, f"{label} (pyarrow)", allow_cast)
    else:  # the source is one pyarrow rejects: compare canonical views instead
        expected = canonical.canonical_rows(str(src), compare.read_duckdb(src))
        got = [canonical.parse_line(canonical.to_json_text(r)) for r in canonical.canonical_rows(str(out))]
        problems += canonical.diff_rows(expected, got, f"{label} (pyarrow vs duckdb reference)")
    for reader, cached, diff, peer in ((compare.read_duckdb, _duckdb, compare.table_diff, "duckdb"),
                                       (compare.read_polars, _polars, compare.polars_diff, "polars")):
        before, err = cached(str(src))
        if err:
            continue  # this peer cannot read the original: nothing to compare
        after, err = compare.try_read(reader, out)
        if err:
            problems.append(f"{label}: {peer} reads the original but not the rewritten file: {err}")
            continue
        problems += diff(before, after, f"{label} ({peer})", allow_cast)
    return problems


def dictionary_friendly(path: Path) -> bool:
    """Whether a writer with dictionaries on would surely use one: some string or binary
    column holds at most 10 distinct values over at least 100 rows."""
    table = compare.try_read(compare.read_pyarrow, path)[0]
    if table is None or table.num_rows < 100:
        return False
    for col in table.columns:
        t = col.type
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or pa.types.is_dictionary(t):
            if pc.count_distinct(col).as_py() <= 10:
                return True
    return False


def layout_problems(floe, out: Path, cfg: Config, num_rows: int, label: str) -> list[str]:
    """What the footer and page headers of `out` show against what was requested."""
    problems = compare.inspect_diff(floe.inspect(out), out, label, check_created_by=False)
    md = pq.ParquetFile(str(out)).metadata
    if cfg.codec:
        codecs = {c for rg in parquet_raw.column_codecs(str(out)) for c in rg}
        want = "UNCOMPRESSED" if cfg.codec == "none" else cfg.codec.upper()
        if codecs - {want}:
            problems.append(f"{label}: column chunks use {sorted(codecs)}, asked for {want}")
    if cfg.small_row_groups:
        sizes = [md.row_group(i).num_rows for i in range(md.num_row_groups)]
        want_groups = math.ceil(num_rows / SMALL_RG_ROWS)
        if (num_rows and len(sizes) != want_groups) or any(s > SMALL_RG_ROWS for s in sizes):
            problems.append(f"{label}: row groups of {sizes} rows, asked for at most {SMALL_RG_ROWS} "
                            f"({want_groups} groups)")
    pages = [p for rg in parquet_raw.column_chunk_pages(str(out)) for chunk in rg for p in chunk]
    data_types = {p.type for p in pages if p.type.startswith("DATA_PAGE")}
    if cfg.page_version and num_rows:
        want = "DATA_PAGE" if cfg.page_version == 1 else "DATA_PAGE_V2"
        if data_types != {want}:
            problems.append(f"{label}: data pages are {sorted(data_types)}, asked for {want}")
    dict_pages = sum(p.type == "DICTIONARY_PAGE" for p in pages)
    dict_encoded = {p.encoding for p in pages if p.type.startswith("DATA_PAGE")} & {"PLAIN_DICTIONARY", "RLE_DICTIONARY"}
    if cfg.dictionary == "off" and (dict_pages or dict_encoded):
        problems.append(f"{label}: dictionary off, yet {dict_pages} dictionary pages / encodings {sorted(dict_encoded)}")
    if cfg.dictionary == "on" and not dict_pages and dictionary_friendly(out):
        problems.append(f"{label}: dictionary on, yet no column chunk has a dictionary page")
    return problems


@pytest.mark.parametrize("name,cfg", _cases())
def test_rewrite_keeps_values_schema_metadata(floe, peer_file, tmp_path: Path, name: str, cfg: Config) -> None:
    src = peer_file(name)
    peer = peers.PEERS[name]
    out = tmp_path / "out.parquet"
    run = rewrite(floe, [src], out, cfg.args(), expect=(0, 1) if "lenient" in peer.tags else 0)
    if run.returncode == 1:
        return
    label = f"{name} rewritten [{cfg.id}]"
    problems = compare.schema_problems(src, out, label)
    if compare.key_values(out) != compare.key_values(src):
        problems.append(f"{label}: key-value metadata {compare.key_values(out)}, expected {compare.key_values(src)}")
    problems += value_problems(src, out, label, peer.reference)
    problems += layout_problems(floe, out, cfg, pq.ParquetFile(str(src)).metadata.num_rows, label)
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------- more options


def test_rewrite_concatenates_inputs(floe, peer_file, tmp_path: Path) -> None:
    a, b = peer_file("pa_zstd_v1_plain"), peer_file("pa_snappy_v2_dict")  # same schema, other rows
    assert compare.parquet_schema_text(a) == compare.parquet_schema_text(b)
    out = tmp_path / "both.parquet"
    rewrite(floe, [a, b], out, ["--codec", "zstd"])
    expected = canonical.cached_rows(str(a)) + canonical.cached_rows(str(b))
    got = floe.cat_rows(out)
    assert canonical.diff_rows(expected, got, "concatenation (floe cat)") == []
    got_pa = [canonical.parse_line(canonical.to_json_text(r)) for r in canonical.canonical_rows(str(out))]
    assert canonical.diff_rows(expected, got_pa, "concatenation (pyarrow)") == []
    assert compare.parquet_schema_text(out) == compare.parquet_schema_text(a)
    assert compare.key_values(out) == compare.key_values(a)


def test_rewrite_rejects_mismatched_schemas(floe, peer_file, tmp_path: Path) -> None:
    out = tmp_path / "mixed.parquet"
    run = rewrite(floe, [peer_file("pa_alltypes"), peer_file("duck_alltypes")], out, [], expect=(1, 2))
    assert not out.exists(), f"a failed rewrite left its output behind\n{run.describe()}"


@pytest.mark.parametrize("size,expect_groups", [(64 * 1024, "several"), (1 << 30, "one")])
def test_row_group_size_bytes(floe, peer_file, tmp_path: Path, size: int, expect_groups: str) -> None:
    src = peer_file("pa_small_pages")  # 5000 rows, ~1 MB uncompressed
    out = tmp_path / "out.parquet"
    rewrite(floe, [src], out, ["--row-group-size", str(size)])
    groups = pq.ParquetFile(str(out)).metadata.num_row_groups
    if expect_groups == "several":
        assert 2 <= groups < 5000, f"{groups} row groups for --row-group-size {size}"
    else:
        assert groups == 1, f"{groups} row groups for --row-group-size {size}"
    assert value_problems(src, out, f"--row-group-size {size}") == []


def test_page_size(floe, peer_file, tmp_path: Path) -> None:
    src = peer_file("pa_small_pages")
    counts = {}
    for size in (1024, 1 << 20):
        (tmp_path / str(size)).mkdir()
        out = tmp_path / str(size) / "out.parquet"
        rewrite(floe, [src], out, ["--page-size", str(size), "--dictionary", "off", "--row-group-rows", "5000"])
        pages = parquet_raw.column_chunk_pages(str(out))
        data_pages = [p for rg in pages for chunk in rg for p in chunk if p.type.startswith("DATA_PAGE")]
        counts[size] = len(data_pages)
        if size == 1024:
            # a page may overshoot by a value or a batch, but not by much on average
            mean = sum(p.uncompressed_size for p in data_pages) / len(data_pages)
            assert mean <= 8 * 1024, f"data pages average {mean:.0f} bytes for --page-size 1024"
        assert value_problems(src, out, f"--page-size {size}") == []
    assert counts[1024] > counts[1 << 20] >= 11, counts


@pytest.mark.parametrize("codec,low,high", [("gzip", 1, 9), ("zstd", 1, 19), ("brotli", 1, 9)])
def test_compression_level(floe, peer_file, tmp_path: Path, codec: str, low: int, high: int) -> None:
    src = peer_file("pa_small_pages")
    sizes = {}
    for level in (low, high):
        (tmp_path / str(level)).mkdir()
        out = tmp_path / str(level) / "out.parquet"
        rewrite(floe, [src], out, ["--codec", codec, "--level", str(level)])
        assert value_problems(src, out, f"{codec} level {level}") == []
        assert {c for rg in parquet_raw.column_codecs(str(out)) for c in rg} == {codec.upper()}
        sizes[level] = out.stat().st_size
    assert sizes[high] <= sizes[low], f"level {high} wrote {sizes[high]} bytes, level {low} {sizes[low]}"


@pytest.mark.parametrize("args", [
    [], ["--codec", "lzo"], ["--codec", "nonsense"], ["--page-version", "3"], ["--dictionary", "maybe"],
    ["--row-group-rows", "0"], ["--row-group-rows", "-5"], ["--page-size", "zero"], ["--no-such-option"],
], ids=lambda a: " ".join(a) or "no-output")
def test_rewrite_usage_errors(floe, peer_file, tmp_path: Path, args: list[str]) -> None:
    src = peer_file("pa_none_v1_dict")
    out = tmp_path / "out.parquet"
    argv = ["rewrite", src] + (["-o", out] + args if args else [])
    floe.run(*argv, expect=2)
    assert not out.exists()


def test_rewrite_into_missing_directory(floe, peer_file, tmp_path: Path) -> None:
    floe.run("rewrite", peer_file("pa_none_v1_dict"), "-o", tmp_path / "no" / "such" / "dir.parquet", expect=2)


# --------------------------------------------------------------------------- corpus files

CORPUS_REWRITE = [
    "data/alltypes_plain.parquet", "data/alltypes_dictionary.parquet", "data/alltypes_tiny_pages.parquet",
    "data/binary.parquet", "data/byte_array_decimal.parquet", "data/fixed_length_decimal.parquet",
    "data/int32_decimal.parquet", "data/int64_decimal.parquet", "data/fixed_length_byte_array.parquet",
    "data/float16_nonzeros_and_nans.parquet", "data/float16_zeros_and_nans.parquet",
    "data/floating_orders_nan_count.parquet", "data/int96_from_spark.parquet",
    "data/delta_binary_packed.parquet", "data/delta_byte_array.parquet", "data/delta_length_byte_array.parquet",
    "data/delta_encoding_required_column.parquet", "data/byte_stream_split.zstd.parquet",
    "data/rle_boolean_encoding.parquet", "data/concatenated_gzip_members.parquet",
    "data/hadoop_lz4_compressed.parquet", "data/non_hadoop_lz4_compressed.parquet",
    "data/lz4_raw_compressed_larger.parquet", "data/page_v2_empty_compressed.parquet", "data/single_nan.parquet",
    "data/nan_in_stats.parquet", "data/sort_columns.parquet", "data/rle-dict-snappy-checksum.parquet",
    "data/plain-dict-uncompressed-checksum.parquet", "data/column_chunk_key_value_metadata.parquet",
    "data/dict-page-offset-zero.parquet", "data/nation.dict-malformed.parquet",
]


@pytest.mark.parametrize("rel", CORPUS_REWRITE)
@pytest.mark.parametrize("cfg", [Config(), Config("snappy", 2, "on", False)], ids=lambda c: c.id)
def test_rewrite_corpus_file(floe, corpus: Path, tmp_path: Path, rel: str, cfg: Config) -> None:
    src = corpus / rel
    out = tmp_path / "out.parquet"
    rewrite(floe, [src], out, cfg.args())
    problems = compare.schema_problems(src, out, rel)
    if compare.key_values(out) != compare.key_values(src):
        problems.append(f"key-value metadata {compare.key_values(out)}, expected {compare.key_values(src)}")
    expected = canonical.cached_rows(str(src))
    got = [canonical.parse_line(canonical.to_json_text(r)) for r in canonical.canonical_rows(str(out))]
    problems += canonical.diff_rows(expected, got, f"{rel} rewritten [{cfg.id}]")
    problems += layout_problems(floe, out, cfg, len(expected), f"{rel} rewritten [{cfg.id}]")
    assert problems == [], "\n".join(problems)
