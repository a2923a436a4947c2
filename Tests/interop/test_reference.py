"""Checks of the suite's own machinery, runnable without floe: the canonical reference
(against the corpus' documented values and hand-made cases), the strict comparator, the
footer helper, and the peer generators' coverage."""

from __future__ import annotations

import datetime as dt
import json
import struct
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import canonical
import corpus_files
import parquet_raw
import peers
from canonical import CFloat

# --------------------------------------------------------------------------- int96


def test_int96_reference_matches_md(corpus: Path) -> None:
    expected = corpus_files.int96_md_instants(corpus)
    assert expected[2] == "9999-12-31T03:00:00.000000000"
    assert expected[5] == "+290000-12-30T23:00:00.000000000"
    rows = canonical.canonical_rows(str(corpus / "data" / "int96_from_spark.parquet"))
    assert [r["a"] for r in rows] == expected


def test_int96_raw_bytes() -> None:
    def raw(nanos: int, day: int) -> bytes:
        return struct.pack("<qi", nanos, day)

    assert canonical.format_int96(raw(0, 2440588)) == "1970-01-01T00:00:00.000000000"
    assert canonical.format_int96(raw(86_399_999_999_999, 2440587)) == "1969-12-31T23:59:59.999999999"
    assert canonical.format_int96(raw(1, 2440588 - 719162)) == "0001-01-01T00:00:00.000000001"
    # Spark's wrapped encoding of year 290000 (the last value of int96_from_spark.parquet)
    assert canonical.format_int96(bytes.fromhex("0060b9c76ee2ffffa8abb0f9")) == "+290000-12-30T23:00:00.000000000"


# --------------------------------------------------------------------------- formatting


def test_civil_from_days_matches_datetime() -> None:
    epoch = dt.date(1970, 1, 1).toordinal()
    for days in list(range(-800, 800)) + [peers.MIN_DAY, peers.MAX_DAY, -141427, 11016, 2932000]:
        d = dt.date.fromordinal(days + epoch)
        assert canonical.civil_from_days(days) == (d.year, d.month, d.day), days


@pytest.mark.parametrize("value,scale,text", [
    (Decimal("-12.5"), 2, "-12.50"), (Decimal("0"), 2, "0.00"), (Decimal("0.01"), 2, "0.01"),
    (Decimal("-0.01"), 2, "-0.01"), (Decimal("123"), 0, "123"), (Decimal("-9.99E+2"), 0, "-999"),
    (Decimal("12345678901234567890123456789012345678"), 0, "12345678901234567890123456789012345678"),
    (Decimal("-0.999999999999999999999999999999999999999"), 39, "-0.999999999999999999999999999999999999999"),
    (Decimal("1.0000"), 2, "1.00"),
])
def test_format_decimal(value: Decimal, scale: int, text: str) -> None:
    assert canonical.format_decimal(value, scale) == text


def test_format_temporal() -> None:
    assert canonical.format_date(0) == "1970-01-01"
    assert canonical.format_date(-1) == "1969-12-31"
    assert canonical.format_date(peers.MAX_DAY + 1) == "+10000-01-01"
    assert canonical.format_date(peers.MIN_DAY - 1) == "0000-12-31"
    assert canonical.format_date(peers.MIN_DAY - 367) == "-0001-12-31"
    assert canonical.format_time(86_399_999, 3) == "23:59:59.999"
    assert canonical.format_time(1, 9) == "00:00:00.000000001"
    assert canonical.format_timestamp(-1, 3, True) == "1969-12-31T23:59:59.999Z"
    assert canonical.format_timestamp(-(2 ** 63), 9, False) == "1677-09-21T00:12:43.145224192"
    assert canonical.format_timestamp(2 ** 63 - 1, 6, True) == "+294247-01-10T04:00:54.775807Z"


def test_shortest_float_text() -> None:
    f32 = canonical.round_to_width
    assert canonical.shortest_text(f32(0.1, 32), 32) == "0.1"
    assert canonical.shortest_text(f32(1 / 3, 32), 32) == "0.33333334"
    assert canonical.shortest_text(f32(3.4028234663852886e38, 32), 32) == "3.4028235e+38"
    assert canonical.shortest_text(struct.unpack("<f", struct.pack("<I", 1))[0], 32) == "1e-45"
    assert canonical.shortest_text(65504.0, 16) == "65500.0"
    assert canonical.shortest_text(5e-324, 64) == "5e-324"
    assert canonical.significant_digits("-0.00012300") == 3
    assert canonical.significant_digits("1.5E+300") == 2
    assert canonical.significant_digits("0") == 1


# --------------------------------------------------------------------------- comparator


@pytest.mark.parametrize("expected,floe_text,ok", [
    (CFloat(0.1, 64), "0.1", True),
    (CFloat(0.1, 64), "1e-1", True),
    (CFloat(0.1, 64), "0.10000000000000001", False),  # round-trips but is not the shortest
    (CFloat(0.1, 64), "0.2", False),
    (CFloat(canonical.round_to_width(0.1, 32), 32), "0.1", True),
    (CFloat(canonical.round_to_width(0.1, 32), 32), "0.10000000149011612", False),
    (CFloat(65504.0, 16), "65504", True),  # FLOAT16 may use its float32 shortest form
    (CFloat(65504.0, 16), "65500", True),
    (CFloat(-0.0, 64), "0.0", False),
    (CFloat(-0.0, 64), "-0.0", True),
    (CFloat(2.0, 64), "2", True),
    ("NaN", "NaN", False),  # must be the JSON string "NaN"
    ("NaN", "\"NaN\"", True),
    (1, "1.0", False),
    (1, "1", True),
    (18446744073709551615, "18446744073709551615", True),
    (18446744073709551615, "18446744073709551616", False),
    (True, "1", False),
    ("1.50", "1.5", False),
    ("1.50", "\"1.50\"", True),
    (None, "null", True),
    (None, "\"\"", False),
    ({"a": 1, "b": 2}, "{\"b\":2,\"a\":1}", False),
    ([1, None], "[1,null]", True),
])
def test_diff_value(expected, floe_text: str, ok: bool) -> None:
    try:
        actual = canonical.parse_line(floe_text)
    except ValueError:
        assert not ok
        return
    assert (canonical.diff_value(expected, actual, "v") is None) == ok


@pytest.mark.parametrize("line", ['{"a":NaN}', '{"a":Infinity}', '{"a":1,"a":2}', '{"a":1'])
def test_parse_line_is_strict(line: str) -> None:
    with pytest.raises(ValueError):
        canonical.parse_line(line)


def test_diff_rows_names_row_and_column() -> None:
    exp = [{"x": 1, "y": "a"}, {"x": 2, "y": "b"}]
    assert canonical.diff_rows(exp, [{"x": 1, "y": "a"}, {"x": 2, "y": "b"}], "f") == []
    problems = canonical.diff_rows(exp, [{"x": 1, "y": "a"}, {"x": 2, "y": "c"}], "f")
    assert problems == ["f row 1 column 'y': expected 'b', got 'c'"]
    assert canonical.diff_rows(exp, exp[:1], "f")[0] == "f: expected 2 rows, got 1"
    assert "schema order" in canonical.diff_rows(exp, [{"y": "a", "x": 1}, exp[1]], "f")[0]


# --------------------------------------------------------------------------- corpus


@pytest.mark.parametrize("rel", corpus_files.params("data"))
def test_reference_reads_corpus(rel: str | None) -> None:
    """The reference view exists for every corpus file pyarrow reads, and survives its own
    comparator (text -> strict parse -> diff)."""
    path = corpus_files.resolve(rel)
    with open(path, "rb") as fh:
        data = fh.read()
    meta, _ = parquet_raw.decode_struct(parquet_raw.split_footer(data)[1])
    assert parquet_raw.encode_struct(meta) == parquet_raw.split_footer(data)[1], "footer re-encoding is not exact"
    if rel in corpus_files.HEAVY:
        pytest.skip("heavy file: its reference is built only with FLOE_INTEROP_HEAVY=1")
    try:
        pq.read_table(str(path))
    except Exception as e:  # noqa: BLE001
        pytest.skip(f"pyarrow cannot read it either: {e}")
    rows = canonical.canonical_rows(str(path))
    assert len(rows) == pq.ParquetFile(str(path)).metadata.num_rows
    parsed = [canonical.parse_line(canonical.to_json_text(r)) for r in rows]
    assert canonical.diff_rows(rows, parsed, rel) == []


# --------------------------------------------------------------------------- peers


@pytest.mark.parametrize("name", list(peers.PEERS))
def test_peer_generator(name: str, peer_file) -> None:
    path = peer_file(name)
    peer = peers.PEERS[name]
    pf = pq.ParquetFile(str(path))
    md = pf.metadata
    assert md.num_columns > 0
    if "empty" in peer.tags:
        assert md.num_rows == 0
        return
    assert 1000 <= md.num_rows <= 5000
    if peer.reference == "pyarrow":
        table = canonical.read_reference(str(path))
    else:
        import compare
        table = compare.read_duckdb(path)
    rows = canonical.canonical_rows(str(path), None if peer.reference == "pyarrow" else table)
    assert len(rows) == md.num_rows
    for i, name_ in enumerate(table.column_names):
        optional = pf.schema.column(i).max_definition_level > 0
        nulls = table.column(i).null_count
        if "all_null" in peer.tags and name_ != "id":
            assert nulls == md.num_rows, name_
        elif optional and name_ != "id":
            assert 0 < nulls < md.num_rows, f"optional column {name_} should hold nulls and values"
        else:
            assert nulls == 0
    if "codec" in peer.tags:
        codec = next(c for c in peers.CODECS if f"_{c}" in name)
        assert {codec_option(c) for rg in parquet_raw.column_codecs(str(path)) for c in rg} == {codec}


def codec_option(footer_name: str) -> str:
    """The `--codec` spelling of a footer codec name."""
    return "none" if footer_name == "UNCOMPRESSED" else footer_name.lower()


def test_peers_cover_the_brief(peer_file) -> None:
    """Across all generated files: every logical type, codec, page type and encoding listed in
    the brief is present at least once."""
    logical, physical, codecs, page_types, encodings = set(), set(), set(), set(), set()
    required = False
    multi_rg = False
    crc = False
    for name in peers.PEERS:
        path = peer_file(name)
        pf = pq.ParquetFile(str(path))
        for i in range(len(pf.schema)):
            col = pf.schema.column(i)
            physical.add(col.physical_type)
            lt = json.loads(col.logical_type.to_json())
            kind = detail = lt["Type"]
            if kind == "Int":
                detail = f"Int{lt['bitWidth']}{'s' if lt['isSigned'] else 'u'}"
            elif kind in ("Time", "Timestamp"):
                detail = f"{kind}-{lt['timeUnit']}-{'utc' if lt['isAdjustedToUTC'] else 'local'}"
            elif kind == "Decimal":
                detail = f"Decimal-{col.physical_type}"
            logical.add(detail)
            required |= col.max_definition_level == 0
        multi_rg |= pf.metadata.num_row_groups > 1
        codecs |= {codec_option(c) for rg in parquet_raw.column_codecs(str(path)) for c in rg}
        for rg in parquet_raw.column_chunk_pages(str(path)):
            for chunk in rg:
                for p in chunk:
                    page_types.add(p.type)
                    encodings.add(p.encoding)
                    crc |= p.has_crc
    want_logical = {f"Int{b}{s}" for b in (8, 16, 32, 64) for s in "su"} | {
        "String", "Enum", "JSON", "BSON", "UUID", "Float16", "Date", "Null", "Interval",
        "Decimal-INT32", "Decimal-INT64", "Decimal-FIXED_LEN_BYTE_ARRAY",
    } | {f"{k}-{u}-{z}" for k in ("Timestamp",) for u in ("milliseconds", "microseconds", "nanoseconds")
         for z in ("utc", "local")} | {f"Time-{u}-local" for u in ("milliseconds", "microseconds", "nanoseconds")}
    assert want_logical <= logical, sorted(want_logical - logical)
    assert {"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"} <= physical
    assert set(peers.CODECS) <= codecs, sorted(set(peers.CODECS) - codecs)
    assert {"DATA_PAGE", "DATA_PAGE_V2", "DICTIONARY_PAGE"} <= page_types
    assert {"PLAIN", "RLE_DICTIONARY", "DELTA_BINARY_PACKED", "DELTA_BYTE_ARRAY", "DELTA_LENGTH_BYTE_ARRAY",
            "BYTE_STREAM_SPLIT", "RLE"} <= encodings, encodings
    assert required and multi_rg and crc
