"""Comparisons between what the peers read from two files, and between `floe inspect` and
the footer as pyarrow reports it. Every function returns a list of problems (empty = equal),
each naming the file, column and row, so a test can assert on `[]` and show them all."""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import canonical
import parquet_raw

ARROW_SCHEMA_KEY = b"ARROW:schema"

# --------------------------------------------------------------------------- footer facts


def parquet_schema_text(path: Path | str) -> str:
    """The Parquet schema (names, repetition, physical and logical types, field ids) as pyarrow
    prints it, without the root group's name (which a rewrite may name differently)."""
    lines = str(pq.ParquetFile(str(path)).schema).splitlines()
    body = [line for line in lines if not line.startswith("<pyarrow")]
    return "\n".join(body[1:])


def schema_problems(src: Path | str, out: Path | str, label: str) -> list[str]:
    """The Parquet schema lines that differ (unified diff), or nothing."""
    import difflib

    before, after = parquet_schema_text(src), parquet_schema_text(out)
    if before == after:
        return []
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), "source", "rewritten", n=0, lineterm="")
    return [f"{label}: Parquet schema changed\n" + "\n".join(list(diff)[2:])]


def key_values(path: Path | str, drop_arrow_schema: bool = True) -> dict[bytes, bytes]:
    kv = dict(pq.ParquetFile(str(path)).metadata.metadata or {})
    if drop_arrow_schema:
        kv.pop(ARROW_SCHEMA_KEY, None)
    return kv


def has_arrow_schema(path: Path | str) -> bool:
    return ARROW_SCHEMA_KEY in (pq.ParquetFile(str(path)).metadata.metadata or {})


# --------------------------------------------------------------------------- Arrow tables

FLOAT_BITS = {16: pa.uint16(), 32: pa.uint32(), 64: pa.uint64()}


def _float_width(t: pa.DataType) -> int:
    return {pa.float16(): 16, pa.float32(): 32, pa.float64(): 64}.get(t, 0)


def _float_values(arr: pa.Array, width: int) -> list:
    if width == 16:
        return [None if b is None else struct.unpack("<e", b.to_bytes(2, "little"))[0]
                for b in arr.view(pa.uint16()).to_pylist()]
    return arr.to_pylist()


def _same_float(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def _scalar_text(arr: pa.Array, r: int) -> str:
    try:
        s = str(arr.slice(r, 1).to_pylist()[0])
    except Exception:  # e.g. nanosecond timestamps without pandas
        s = str(arr.slice(r, 1))
    return s if len(s) < 200 else s[:200] + "..."


def array_diff(expected: pa.Array, actual: pa.Array, label: str) -> str | None:
    """First difference between two arrays of the same type (NaN == NaN, -0.0 != 0.0)."""
    if len(expected) != len(actual):
        return f"{label}: {len(actual)} values, expected {len(expected)}"
    width = _float_width(expected.type)
    if width:
        if expected.view(FLOAT_BITS[width]).equals(actual.view(FLOAT_BITS[width])):
            return None
        ev, av = _float_values(expected, width), _float_values(actual, width)
        for r, (e, a) in enumerate(zip(ev, av)):
            if not _same_float(e, a):
                return f"{label} row {r}: expected {e!r}, got {a!r}"
        return None
    if expected.equals(actual):
        return None
    for r in range(len(expected)):
        if not expected.slice(r, 1).equals(actual.slice(r, 1)):
            return f"{label} row {r}: expected {_scalar_text(expected, r)}, got {_scalar_text(actual, r)}"
    return f"{label}: arrays differ"  # same values but e.g. different null layout


def _combined(col: pa.ChunkedArray) -> pa.Array:
    if col.num_chunks == 0:
        return pa.array([], type=col.type)
    return col.combine_chunks()


def table_diff(expected: pa.Table, actual: pa.Table, label: str, allow_cast: bool) -> list[str]:
    """Column-by-column differences. With allow_cast, a column whose Arrow type differs (as
    when the stored ARROW:schema was dropped) is cast to the expected type before comparing."""
    if expected.column_names != actual.column_names:
        return [f"{label}: columns {actual.column_names}, expected {expected.column_names}"]
    if expected.num_rows != actual.num_rows:
        return [f"{label}: {actual.num_rows} rows, expected {expected.num_rows}"]
    problems = []
    for name in expected.column_names:
        e, a = _combined(expected.column(name)), _combined(actual.column(name))
        where = f"{label} column {name!r}"
        if e.type != a.type:
            if not allow_cast:
                problems.append(f"{where}: type {a.type}, expected {e.type}")
                continue
            try:
                a = a.cast(e.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
                problems.append(f"{where}: type {a.type} does not cast to {e.type}: {err}")
                continue
        msg = array_diff(e, a, where)
        if msg:
            problems.append(msg)
    return problems


# --------------------------------------------------------------------------- peers' readings


def read_pyarrow(path: Path | str) -> pa.Table:
    """pyarrow's reading, INT96 as raw bytes (exact, no 64-bit overflow)."""
    return canonical.read_reference(str(path))


def read_duckdb(path: Path | str) -> pa.Table:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.sql(f"SELECT * FROM read_parquet('{path}')").to_arrow_table()
    finally:
        con.close()


def read_polars(path: Path | str):
    import polars as pl

    return pl.read_parquet(str(path))


def try_read(reader, path: Path | str) -> tuple[Any, str | None]:
    """(value, None) or (None, error text). Catches polars' Rust panics (BaseException)."""
    try:
        return reader(path), None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - pyo3 PanicException derives from BaseException
        return None, f"{type(e).__name__}: {str(e)[:300]}"


def polars_diff(expected, actual, label: str, allow_cast: bool) -> list[str]:
    from polars.testing import assert_frame_equal

    if expected.columns != actual.columns:
        return [f"{label}: columns {actual.columns}, expected {expected.columns}"]
    if allow_cast and expected.schema != actual.schema:
        try:
            actual = actual.cast(dict(expected.schema))
        except Exception as e:  # noqa: BLE001
            return [f"{label}: cannot cast {actual.schema} to {expected.schema}: {e}"]
    try:
        assert_frame_equal(expected, actual, check_exact=True)
    except AssertionError as e:
        return [f"{label}: {str(e)[:1500]}"]
    return []


# --------------------------------------------------------------------------- inspect


def norm_codec(name: Any) -> str:
    s = str(name).upper().replace("-", "_")
    return {"NONE": "UNCOMPRESSED", "LZ4RAW": "LZ4_RAW"}.get(s, s)


def norm_path(p: Any) -> str:
    return ".".join(p) if isinstance(p, list) else str(p)


def norm_kv(kv: Any) -> dict[str, str] | None:
    """Accepts {"k": "v"}, [{"key": k, "value": v}] or [[k, v]]; a missing value reads as ""."""
    if kv is None:
        return {}
    if isinstance(kv, dict):
        return {str(k): "" if v is None else str(v) for k, v in kv.items()}
    if isinstance(kv, list):
        out = {}
        for e in kv:
            if isinstance(e, dict) and "key" in e:
                out[str(e["key"])] = "" if e.get("value") is None else str(e["value"])
            elif isinstance(e, list) and len(e) == 2:
                out[str(e[0])] = "" if e[1] is None else str(e[1])
            else:
                return None
        return out
    return None


def _page_count(pages: Any) -> int | None:
    if isinstance(pages, list):
        return len(pages)
    if isinstance(pages, int) and not isinstance(pages, bool):
        return pages
    if isinstance(pages, dict):
        for key in ("count", "total"):
            if isinstance(pages.get(key), int):
                return pages[key]
    return None


def inspect_diff(doc: dict, path: Path | str, label: str, check_created_by: bool = True) -> list[str]:
    """Differences between `floe inspect --json` and the footer as pyarrow and the page
    headers (parquet_raw) show it."""
    md = pq.ParquetFile(str(path)).metadata
    problems: list[str] = []

    def check(cond: bool, msg: str) -> None:
        if not cond:
            problems.append(f"{label}: {msg}")

    for key in ("num_rows", "created_by", "row_groups", "key_value_metadata"):
        check(key in doc, f"inspect output has no {key!r} (keys: {sorted(doc)})")
    if problems:
        return problems
    check(doc["num_rows"] == md.num_rows, f"num_rows {doc['num_rows']}, footer says {md.num_rows}")
    if check_created_by and md.created_by:
        check(doc["created_by"] == md.created_by, f"created_by {doc['created_by']!r}, footer says {md.created_by!r}")
    kv = norm_kv(doc["key_value_metadata"])
    want = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in (md.metadata or {}).items()}
    check(kv == want, f"key_value_metadata {str(kv)[:300]}, footer has {str(want)[:300]}")
    rgs = doc["row_groups"]
    if not isinstance(rgs, list) or len(rgs) != md.num_row_groups:
        return problems + [f"{label}: {len(rgs) if isinstance(rgs, list) else rgs!r} row groups, footer has {md.num_row_groups}"]
    try:
        pages = parquet_raw.column_chunk_pages(str(path))
        codecs = parquet_raw.column_codecs(str(path))
    except Exception:  # noqa: BLE001 - a footer only pyarrow makes sense of
        pages = codecs = None
    for i, rg in enumerate(rgs):
        mrg = md.row_group(i)
        check(rg.get("num_rows") == mrg.num_rows, f"row group {i}: num_rows {rg.get('num_rows')}, footer says {mrg.num_rows}")
        cols = rg.get("columns")
        if not isinstance(cols, list) or len(cols) != mrg.num_columns:
            problems.append(f"{label}: row group {i}: columns {str(cols)[:200]}, footer has {mrg.num_columns}")
            continue
        for j, c in enumerate(cols):
            mc = mrg.column(j)
            where = f"row group {i} column {j} ({mc.path_in_schema})"
            for key in ("path", "codec", "encodings", "compressed_size", "uncompressed_size", "statistics", "pages"):
                check(key in c, f"{where}: no {key!r}")
            if "path" in c:
                check(norm_path(c["path"]) == mc.path_in_schema, f"{where}: path {c['path']!r}")
            if "codec" in c and codecs is not None:
                check(norm_codec(c["codec"]) == codecs[i][j], f"{where}: codec {c['codec']!r}, footer says {codecs[i][j]}")
            if isinstance(c.get("encodings"), list):
                got = {str(e).upper() for e in c["encodings"]}
                check(got == set(mc.encodings), f"{where}: encodings {sorted(got)}, footer says {sorted(mc.encodings)}")
            check(c.get("compressed_size") == mc.total_compressed_size,
                  f"{where}: compressed_size {c.get('compressed_size')}, footer says {mc.total_compressed_size}")
            check(c.get("uncompressed_size") == mc.total_uncompressed_size,
                  f"{where}: uncompressed_size {c.get('uncompressed_size')}, footer says {mc.total_uncompressed_size}")
            stats = c.get("statistics")
            if isinstance(stats, dict) and isinstance(stats.get("null_count"), int) and mc.is_stats_set \
                    and mc.statistics.has_null_count:
                check(stats["null_count"] == mc.statistics.null_count,
                      f"{where}: null_count {stats['null_count']}, footer says {mc.statistics.null_count}")
            if pages is not None and "pages" in c:
                n = _page_count(c["pages"])
                real = pages[i][j]
                allowed = {len(real), sum(1 for p in real if p.type.startswith("DATA_PAGE"))}
                check(n in allowed, f"{where}: pages {str(c['pages'])[:100]}, the chunk holds {len(real)} pages "
                                    f"({sum(1 for p in real if p.type.startswith('DATA_PAGE'))} data pages)")
    return problems
