"""Generators of flat Parquet files written by the peers: pyarrow, DuckDB and polars.

Every generator is deterministic (seeded) and small (1-5k rows). `PEERS` lists them by name;
`build(name, directory)` writes one and returns its path. Together they cover:

* every physical type and the flat logical types a peer writes: INT(8/16/32/64, signed and
  unsigned, at their extremes), FLOAT and DOUBLE (NaN, +-0.0, +-inf, subnormals, max), STRING
  (empty, unicode, escapes, long), BINARY, FIXED_LEN_BYTE_ARRAY, UUID, JSON, ENUM and BSON
  (by footer patch: no peer writes them), DECIMAL on INT32/INT64/FLBA (1 to 76 digits),
  DATE, TIME ms/us/ns, TIMESTAMP ms/us/ns local and UTC, FLOAT16, INT96, INTERVAL (DuckDB),
  the NULL logical type;
* nulls in every optional column, required columns, all-null and empty files;
* every codec (none, snappy, gzip, zstd, lz4_raw, brotli), data pages v1 and v2, dictionary on
  and off, the DELTA_* and BYTE_STREAM_SPLIT encodings, several row groups, small pages, page
  index and page CRCs, custom key-value metadata.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import struct
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq

import parquet_raw

KV = {"floe.interop": "generated", "unicode.key.ü": "välue ✓"}

# --------------------------------------------------------------------------- value pools

I_EXTREMES = {
    8: [-(2 ** 7), 2 ** 7 - 1], 16: [-(2 ** 15), 2 ** 15 - 1],
    32: [-(2 ** 31), 2 ** 31 - 1], 64: [-(2 ** 63), 2 ** 63 - 1],
}
U_EXTREMES = {8: [0, 2 ** 8 - 1], 16: [0, 2 ** 16 - 1], 32: [0, 2 ** 32 - 1], 64: [0, 2 ** 64 - 1]}

F32_SPECIALS = [
    float("nan"), 0.0, -0.0, float("inf"), float("-inf"),
    struct.unpack("<f", struct.pack("<I", 1))[0],  # smallest subnormal
    struct.unpack("<f", struct.pack("<I", 0x007FFFFF))[0],  # largest subnormal
    struct.unpack("<f", struct.pack("<I", 0x00800000))[0],  # smallest normal
    struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0],  # max
    -struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0],
    struct.unpack("<f", struct.pack("<f", 0.1))[0], struct.unpack("<f", struct.pack("<f", 1 / 3))[0],
    1.0, -1.5, 16777216.0, 16777217.0 - 1.0, 1e-10, 3.0e38,
]
F64_SPECIALS = [
    float("nan"), 0.0, -0.0, float("inf"), float("-inf"),
    5e-324, 2.225073858507201e-308, 2.2250738585072014e-308, 1.7976931348623157e308,
    -1.7976931348623157e308, 0.1, 1 / 3, 2 / 3, 1e21, 1e-7, 123456789012345680.0,
    9007199254740993.0, -0.0001, 1e300 * 10, 4.35,
]
F16_SPECIAL_BITS = [0x7E00, 0x0000, 0x8000, 0x7C00, 0xFC00, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0xFBFF,
                    0x3C00, 0x2E66, 0x3555, 0xC000]

STRINGS = [
    "", "a", "héllo wörld", "日本語のテキスト", "emoji 🙂🚀👩‍👩‍👧", "x" * 5000,
    "tab\tnewline\nquote\"backslash\\ctrl\x01\x1f\x7f", "null", "NaN", "{\"not\": \"json\"}",
    "\u2028\u2029 separators", "trailing space ", "Ω≈ç√∫",
]
BINARIES = [b"", b"\x00", b"\xff\xfe\xfd", bytes(range(256)), b"plain ascii", b"\x00" * 33]

MIN_DAY, MAX_DAY = -719162, 2932896  # 0001-01-01, 9999-12-31
MS_MIN, MS_MAX = MIN_DAY * 86_400_000, (MAX_DAY + 1) * 86_400_000 - 1
NS_MIN, NS_MAX = -(2 ** 63) + 1, 2 ** 63 - 1  # INT64 min is NaT for some readers: avoid it


def _rng(seed: str) -> random.Random:
    return random.Random(seed)


def _nullify(values: list, n: int, phase: int, every: int = 7) -> list:
    """Nulls at rows r with (r + phase) % every == 0, keeping row 1.. specials visible."""
    return [None if (r + phase) % every == 0 else v for r, v in enumerate(values[:n])]


def _cycle(specials: list, n: int, gen: Callable[[int], object]) -> list:
    return [specials[r] if r < len(specials) else gen(r) for r in range(n)]


def _f32(x: float) -> float:
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return x


# --------------------------------------------------------------------------- column pools


def int_column(bits: int, signed: bool, n: int, seed: str) -> list[int]:
    r = _rng(seed)
    lo, hi = (I_EXTREMES if signed else U_EXTREMES)[bits]
    extremes = [lo, hi, lo + 1, hi - 1, 0, 1] + ([-1] if signed else [])
    small_lo, small_hi = max(lo, -100), min(hi, 1000)
    return _cycle(extremes, n, lambda _: r.randint(lo, hi) if r.random() < 0.3 else r.randint(small_lo, small_hi))


def f32_column(n: int, seed: str) -> list[float]:
    r = _rng(seed)
    return _cycle(F32_SPECIALS, n, lambda _: _f32(r.gauss(0, 1e3) if r.random() < 0.5 else r.uniform(-1, 1)))


def f64_column(n: int, seed: str) -> list[float]:
    r = _rng(seed)
    return _cycle(F64_SPECIALS, n, lambda _: r.gauss(0, 1e6) * 10 ** r.randint(-20, 20))


def f16_bits(n: int, seed: str) -> list[int]:
    r = _rng(seed)
    return _cycle(F16_SPECIAL_BITS, n, lambda _: r.choice([r.randint(0, 0x7BFF), r.randint(0x8000, 0xFBFF)]))


def str_column(n: int, seed: str) -> list[str]:
    r = _rng(seed)
    words = ["alpha", "beta", "gamma", "δέλτα", "эпсилон", "zeta", "η", "θ"]
    return _cycle(STRINGS, n, lambda i: " ".join(r.choice(words) for _ in range(r.randint(0, 6))) + str(i))


def low_card_column(n: int) -> list[str]:
    return [["red", "green", "blue", "cyan"][r % 4] for r in range(n)]


def bin_column(n: int, seed: str) -> list[bytes]:
    r = _rng(seed)
    return _cycle(BINARIES, n, lambda _: bytes(r.getrandbits(8) for _ in range(r.randint(0, 40))))


def flba_column(n: int, width: int, seed: str) -> list[bytes]:
    r = _rng(seed)
    return _cycle([b"\x00" * width, b"\xff" * width], n, lambda _: bytes(r.getrandbits(8) for _ in range(width)))


def uuid_column(n: int, seed: str) -> list[bytes]:
    r = _rng(seed)
    fixed = [uuid.UUID(int=0).bytes, uuid.UUID(int=2 ** 128 - 1).bytes, uuid.UUID("123e4567-e89b-12d3-a456-426614174000").bytes]
    return _cycle(fixed, n, lambda _: uuid.UUID(int=r.getrandbits(128), version=4).bytes)


def json_column(n: int, seed: str) -> list[str]:
    r = _rng(seed)
    fixed = ["{}", "[]", "null", "0", "\"s\"", "{\"a\":[1,2,{\"b\":null}],\"ü\":\"\\u00fc\"}", "1.5e300"]
    return _cycle(fixed, n, lambda i: json.dumps({"id": i, "v": r.random(), "tags": ["x"] * r.randint(0, 3)}))


def decimal_column(precision: int, scale: int, n: int, seed: str) -> list[Decimal]:
    r = _rng(seed)
    top = 10 ** precision - 1

    def d(unscaled: int) -> Decimal:  # exact: no decimal context rounding
        return Decimal((1 if unscaled < 0 else 0, tuple(int(c) for c in str(abs(unscaled))), -scale))

    fixed = [d(top), d(-top), d(0), d(1), d(-1), d(10 ** (precision - 1)) if precision > 1 else d(5)]
    small = min(top, 9999)
    return _cycle(fixed, n, lambda _: d(r.randint(-top, top)) if r.random() < 0.5 else d(r.randint(-small, small)))


def date_days(n: int, seed: str) -> list[int]:
    r = _rng(seed)
    fixed = [MIN_DAY, MAX_DAY, 0, -1, 11016, 10957 + 59, -141427]  # ..., 2000-02-29, 1582-10-15
    return _cycle(fixed, n, lambda _: r.randint(MIN_DAY, MAX_DAY) if r.random() < 0.2 else r.randint(-30000, 30000))


def time_values(unit: str, n: int, seed: str) -> list[int]:
    per_day = {"ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}[unit]
    r = _rng(seed)
    fixed = [0, per_day - 1, per_day // 2, 1]
    return _cycle(fixed, n, lambda _: r.randrange(per_day))


def timestamp_values(unit: str, n: int, seed: str) -> list[int]:
    r = _rng(seed)
    per_s = {"ms": 1000, "us": 10 ** 6, "ns": 10 ** 9}[unit]
    if unit == "ns":
        lo, hi = NS_MIN, NS_MAX
    else:
        f = per_s // 1000
        lo, hi = MS_MIN * f, MS_MAX * f + (f - 1)
    fixed = [lo, hi, 0, -1, 1, 1_700_000_000 * per_s + 123]
    recent, spread = 1_600_000_000 * per_s, 10 ** 9 * per_s  # about +-31 years around 2020
    return _cycle(fixed, n, lambda _: r.randint(lo, hi) if r.random() < 0.2 else recent + r.randint(-spread, spread))


# --------------------------------------------------------------------------- pyarrow files


def _field(name: str, typ: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, typ, nullable=nullable)


def pyarrow_alltypes_table(n: int = 2000) -> pa.Table:
    cols: dict[str, tuple[pa.DataType, list, bool]] = {}
    phase = iter(range(1, 1000))

    def add(name: str, typ: pa.DataType, values: list, nullable: bool = True) -> None:
        cols[name] = (typ, _nullify(values, n, next(phase)) if nullable else values[:n], nullable)

    add("bool", pa.bool_(), [r % 3 == 0 for r in range(n)])
    for bits in (8, 16, 32, 64):
        add(f"int{bits}", getattr(pa, f"int{bits}")(), int_column(bits, True, n, f"i{bits}"))
        add(f"uint{bits}", getattr(pa, f"uint{bits}")(), int_column(bits, False, n, f"u{bits}"))
    add("float32", pa.float32(), f32_column(n, "f32"))
    add("float64", pa.float64(), f64_column(n, "f64"))
    add("string", pa.string(), str_column(n, "s"))
    add("large_string", pa.large_string(), str_column(n, "ls"))
    add("color", pa.string(), low_card_column(n))
    add("binary", pa.binary(), bin_column(n, "b"))
    add("fixed5", pa.binary(5), flba_column(n, 5, "fx"))
    add("decimal_5_2", pa.decimal128(5, 2), decimal_column(5, 2, n, "d5"))
    add("decimal_18_6", pa.decimal128(18, 6), decimal_column(18, 6, n, "d18"))
    add("decimal_38_10", pa.decimal128(38, 10), decimal_column(38, 10, n, "d38"))
    add("decimal_38_0", pa.decimal128(38, 0), decimal_column(38, 0, n, "d380"))
    add("date", pa.date32(), date_days(n, "date"))
    add("time_ms", pa.time32("ms"), time_values("ms", n, "tms"))
    add("time_us", pa.time64("us"), time_values("us", n, "tus"))
    add("time_ns", pa.time64("ns"), time_values("ns", n, "tns"))
    for unit in ("ms", "us", "ns"):
        add(f"ts_{unit}_local", pa.timestamp(unit), timestamp_values(unit, n, f"tl{unit}"))
        add(f"ts_{unit}_utc", pa.timestamp(unit, tz="UTC"), timestamp_values(unit, n, f"tu{unit}"))
    add("req_int32", pa.int32(), int_column(32, True, n, "ri"), nullable=False)
    add("req_string", pa.string(), str_column(n, "rs"), nullable=False)
    add("req_float64", pa.float64(), f64_column(n, "rf"), nullable=False)
    add("req_bool", pa.bool_(), [r % 2 == 1 for r in range(n)], nullable=False)

    arrays, fields = [], []
    for name, (typ, values, nullable) in cols.items():
        arrays.append(pa.array(values, type=typ))
        fields.append(_field(name, typ, nullable))
    # Types built from storage: FLOAT16 from its bits, UUID and JSON extension types.
    extra = [
        ("float16", pa.array(_nullify(f16_bits(n, "f16"), n, 3), pa.uint16()).view(pa.float16())),
        ("uuid", pa.ExtensionArray.from_storage(pa.uuid(), pa.array(_nullify(uuid_column(n, "u"), n, 4), pa.binary(16)))),
        ("json", pa.ExtensionArray.from_storage(pa.json_(), pa.array(_nullify(json_column(n, "j"), n, 5), pa.string()))),
        ("dict_string", pa.array(_nullify(low_card_column(n)[::-1], n, 6), pa.string()).dictionary_encode()),
    ]
    for name, arr in extra:
        arrays.append(arr)
        fields.append(_field(name, arr.type))
    schema = pa.schema(fields, metadata=KV)
    return pa.Table.from_arrays(arrays, schema=schema)


def small_table(n: int, seed: str) -> pa.Table:
    """A narrower table for codec / page-version / dictionary variants."""
    r = _rng(seed)
    schema = pa.schema([
        _field("id", pa.int64(), False), _field("int32", pa.int32()), _field("float64", pa.float64()),
        _field("float32", pa.float32()), _field("string", pa.string()), _field("color", pa.string()),
        _field("binary", pa.binary()), _field("bool", pa.bool_()), _field("date", pa.date32()),
        _field("ts_us_utc", pa.timestamp("us", tz="UTC")), _field("decimal_9_2", pa.decimal128(9, 2)),
    ], metadata=KV)
    return pa.Table.from_arrays([
        pa.array(list(range(n)), pa.int64()),
        pa.array(_nullify([r.randint(-1000, 1000) for _ in range(n)], n, 1), pa.int32()),
        pa.array(_nullify(f64_column(n, seed + "d"), n, 2), pa.float64()),
        pa.array(_nullify(f32_column(n, seed + "f"), n, 3), pa.float32()),
        pa.array(_nullify(str_column(n, seed + "s"), n, 4), pa.string()),
        pa.array(_nullify(low_card_column(n), n, 5), pa.string()),
        pa.array(_nullify(bin_column(n, seed + "b"), n, 6), pa.binary()),
        pa.array(_nullify([r.random() < 0.5 for _ in range(n)], n, 0), pa.bool_()),
        pa.array(_nullify(date_days(n, seed + "dt"), n, 1), pa.date32()),
        pa.array(_nullify(timestamp_values("us", n, seed + "ts"), n, 2), pa.timestamp("us", tz="UTC")),
        pa.array(_nullify(decimal_column(9, 2, n, seed + "dec"), n, 3), pa.decimal128(9, 2)),
    ], schema=schema)


def write_pyarrow(table: pa.Table, path: Path, **opts) -> None:
    opts.setdefault("compression", "snappy")
    pq.write_table(table, str(path), **opts)


def _pa_alltypes(path: Path) -> None:
    write_pyarrow(pyarrow_alltypes_table(), path, row_group_size=800)


def _pa_alltypes_v2_plain(path: Path) -> None:
    write_pyarrow(pyarrow_alltypes_table(1500), path, data_page_version="2.0", use_dictionary=False,
                  compression="zstd")


def _pa_int96(path: Path) -> None:
    n = 1500
    r = _rng("int96")
    fixed = [0, -1, 1, -(2 ** 63) + 1, 2 ** 63 - 1, 1_704_141_296_123_456_789, -2_208_988_800_000_000_000,
             951_782_400_000_000_001]
    vals = _cycle(fixed, n, lambda _: r.randint(-(2 ** 62), 2 ** 62))
    table = pa.table({
        "ts": pa.array(_nullify(vals, n, 3), pa.timestamp("ns")),
        "ts_utc": pa.array(_nullify(vals[::-1], n, 4), pa.timestamp("ns", tz="UTC")),
        "id": pa.array(range(n), pa.int32()),
    })
    write_pyarrow(table, path, use_deprecated_int96_timestamps=True, row_group_size=600)


def _pa_decimal_int(path: Path) -> None:
    n = 2000
    specs = [(1, 0), (4, 4), (9, 2), (10, 0), (18, 4), (18, 18), (19, 3), (38, 9)]
    table = pa.table({
        f"dec_{p}_{s}": pa.array(_nullify(decimal_column(p, s, n, f"di{p}{s}"), n, p), pa.decimal128(p, s))
        for p, s in specs
    })
    write_pyarrow(table, path, store_decimal_as_integer=True, compression="gzip")


def _pa_wide_decimal(path: Path) -> None:
    n = 1000
    table = pa.table({
        "dec_76_38": pa.array(_nullify(decimal_column(76, 38, n, "w76"), n, 1), pa.decimal256(76, 38)),
        "dec_50_0": pa.array(_nullify(decimal_column(50, 0, n, "w50"), n, 2), pa.decimal256(50, 0)),
        "dec_39_39": pa.array(_nullify(decimal_column(39, 39, n, "w39"), n, 3), pa.decimal256(39, 39)),
    })
    write_pyarrow(table, path)


CODECS = ["none", "snappy", "gzip", "zstd", "lz4_raw", "brotli"]
PA_CODEC = {"none": "none", "snappy": "snappy", "gzip": "gzip", "zstd": "zstd", "lz4_raw": "lz4", "brotli": "brotli"}


def _pa_codec(codec: str, page_version: int, dictionary: bool) -> Callable[[Path], None]:
    def gen(path: Path) -> None:
        write_pyarrow(small_table(1500, f"codec-{codec}"), path, compression=PA_CODEC[codec],
                      data_page_version=f"{page_version}.0", use_dictionary=dictionary, row_group_size=600)
    return gen


def _pa_small_pages(path: Path) -> None:
    write_pyarrow(small_table(5000, "pages"), path, row_group_size=700, data_page_size=512, write_batch_size=64,
                  write_page_index=True, write_page_checksum=True, compression="zstd")


def _pa_encodings(path: Path) -> None:
    n = 3000
    r = _rng("enc")
    table = pa.table({
        "delta_i32": pa.array(_nullify([r.randint(-(2 ** 31), 2 ** 31 - 1) if i % 11 == 0 else i * 3 for i in range(n)], n, 1), pa.int32()),
        "delta_i64": pa.array(_nullify(int_column(64, True, n, "dl"), n, 2), pa.int64()),
        "delta_u64": pa.array(_nullify(int_column(64, False, n, "du"), n, 5), pa.uint64()),
        "delta_bytes": pa.array(_nullify([f"prefix/{i // 10:05d}/{STRINGS[i % len(STRINGS)][:40]}" for i in range(n)], n, 3), pa.string()),
        "delta_length": pa.array(_nullify(str_column(n, "dlb"), n, 4), pa.string()),
        "bss_f32": pa.array(_nullify(f32_column(n, "bf"), n, 5), pa.float32()),
        "bss_f64": pa.array(_nullify(f64_column(n, "bd"), n, 6), pa.float64()),
        "bss_i32": pa.array(_nullify(int_column(32, True, n, "bi"), n, 0), pa.int32()),
        "rle_bool": pa.array(_nullify([(i // 7) % 2 == 0 for i in range(n)], n, 2), pa.bool_()),
    })
    encodings = {
        "delta_i32": "DELTA_BINARY_PACKED", "delta_i64": "DELTA_BINARY_PACKED", "delta_u64": "DELTA_BINARY_PACKED",
        "delta_bytes": "DELTA_BYTE_ARRAY", "delta_length": "DELTA_LENGTH_BYTE_ARRAY",
        "bss_f32": "BYTE_STREAM_SPLIT", "bss_f64": "BYTE_STREAM_SPLIT", "bss_i32": "BYTE_STREAM_SPLIT",
        "rle_bool": "RLE",
    }
    write_pyarrow(table, path, use_dictionary=False, column_encoding=encodings, data_page_version="2.0",
                  row_group_size=1000, data_page_size=2048, compression="snappy")


def _pa_bss_flba(path: Path) -> None:
    # BYTE_STREAM_SPLIT on FIXED_LEN_BYTE_ARRAY (format 2.11): DuckDB and polars cannot read it yet.
    n = 1500
    table = pa.table({
        "bss_flba": pa.array(_nullify(flba_column(n, 3, "bfx"), n, 1), pa.binary(3)),
        "bss_f16": pa.array(_nullify(f16_bits(n, "bf16"), n, 2), pa.uint16()).view(pa.float16()),
        "bss_dec": pa.array(_nullify(decimal_column(20, 4, n, "bdec"), n, 3), pa.decimal128(20, 4)),
    })
    write_pyarrow(table, path, use_dictionary=False, data_page_version="2.0", compression="zstd",
                  column_encoding={"bss_flba": "BYTE_STREAM_SPLIT", "bss_f16": "BYTE_STREAM_SPLIT",
                                   "bss_dec": "BYTE_STREAM_SPLIT"})


def _pa_empty(path: Path) -> None:
    write_pyarrow(small_table(10, "empty").slice(0, 0), path)


def _pa_all_null(path: Path) -> None:
    n = 1000
    table = pa.table({
        "null_type": pa.nulls(n, pa.null()),
        "int64": pa.nulls(n, pa.int64()), "string": pa.nulls(n, pa.string()),
        "float64": pa.nulls(n, pa.float64()), "ts": pa.nulls(n, pa.timestamp("us", "UTC")),
        "decimal": pa.nulls(n, pa.decimal128(20, 5)),
        "id": pa.array(range(n), pa.int32()),
    })
    write_pyarrow(table, path, row_group_size=300)


# Logical types no peer writes: a pyarrow file whose footer is patched to declare them.
ENUM_CONVERTED, BSON_CONVERTED = 4, 20
LT_ENUM, LT_BSON = 4, 13


def _patched(path: Path, table: pa.Table, columns: dict[str, tuple[int, int]]) -> None:
    tmp = path.with_name(path.name + ".unpatched")
    write_pyarrow(table, tmp, store_schema=False)
    data = tmp.read_bytes()
    tmp.unlink()
    path.write_bytes(_annotate(data, columns))


def _pa_enum(path: Path) -> None:
    n = 1200
    r = _rng("enum")
    table = pa.table({
        "mood": pa.array(_nullify([["sad", "ok", "happy", "ünïcode"][r.randint(0, 3)] for _ in range(n)], n, 1), pa.string()),
        "id": pa.array(range(n), pa.int32()),
    }, schema=pa.schema([_field("mood", pa.string()), _field("id", pa.int32(), False)]))
    _patched(path, table, {"mood": (ENUM_CONVERTED, LT_ENUM)})


def _pa_bson(path: Path) -> None:
    n = 1000
    docs = [b"\x05\x00\x00\x00\x00", b"\x0c\x00\x00\x00\x10a\x00\x01\x00\x00\x00\x00"]
    table = pa.table({
        "doc": pa.array(_nullify([docs[i % 2] for i in range(n)], n, 2), pa.binary()),
        "id": pa.array(range(n), pa.int32()),
    }, schema=pa.schema([_field("doc", pa.binary()), _field("id", pa.int32(), False)]))
    _patched(path, table, {"doc": (BSON_CONVERTED, LT_BSON)})


def _annotate(data: bytes, columns: dict[str, tuple[int, int]]) -> bytes:
    start, footer = parquet_raw.split_footer(data)
    meta, _ = parquet_raw.decode_struct(footer)
    for el in parquet_raw.get(meta, 2).values:
        name = parquet_raw.get(el, 4, b"").decode()
        if name in columns:
            conv, lt = columns[name]
            parquet_raw.put(el, 6, parquet_raw.T_I32, conv)
            parquet_raw.put(el, 10, parquet_raw.T_STRUCT, [parquet_raw.Field(lt, parquet_raw.T_STRUCT, [])])
    new = parquet_raw.encode_struct(meta)
    return data[:start] + new + struct.pack("<I", len(new)) + parquet_raw.MAGIC


# --------------------------------------------------------------------------- DuckDB files

DUCK_SELECT = """
SELECT
  b::BOOLEAN AS bool,
  i8::TINYINT AS tinyint, i16::SMALLINT AS smallint, i32::INTEGER AS integer, i64::BIGINT AS bigint,
  u8::UTINYINT AS utinyint, u16::USMALLINT AS usmallint, u32::UINTEGER AS uinteger, u64::UBIGINT AS ubigint,
  f32::FLOAT AS float, f64::DOUBLE AS double,
  s::VARCHAR AS varchar, bl::BLOB AS blob,
  u::UUID AS uuid, j::JSON AS json, e::mood AS enum,
  d41::DECIMAL(4,1) AS dec_4_1, d186::DECIMAL(18,6) AS dec_18_6, d3810::DECIMAL(38,10) AS dec_38_10,
  dt::DATE AS date, t::TIME AS time, ttz::TIMETZ AS timetz,
  ts::TIMESTAMP AS ts, ts_ms::TIMESTAMP_MS AS ts_ms, ts_ns::TIMESTAMP_NS AS ts_ns, ts_s::TIMESTAMP_S AS ts_s,
  tstz::TIMESTAMPTZ AS tstz,
  id::BIGINT AS id
FROM src
"""


def duck_source(n: int) -> pa.Table:
    """Python-made values DuckDB casts into its own types (strings for UUID/JSON/ENUM/...)."""
    def nul(values: list, phase: int) -> list:
        return _nullify(values, n, phase)

    day = 86_400_000_000
    r = _rng("duck")
    t_us = [0, day - 1] + [r.randrange(day) for _ in range(n - 2)]
    ts_lo, ts_hi = MIN_DAY * day, (MAX_DAY + 1) * day - 1
    ts_us = _cycle([ts_lo, ts_hi, 0, -1], n, lambda _: r.randint(ts_lo, ts_hi))
    cols = {
        "b": pa.array(nul([i % 3 == 0 for i in range(n)], 1)),
        "i8": pa.array(nul(int_column(8, True, n, "d8"), 2), pa.int8()),
        "i16": pa.array(nul(int_column(16, True, n, "d16"), 3), pa.int16()),
        "i32": pa.array(nul(int_column(32, True, n, "d32"), 4), pa.int32()),
        "i64": pa.array(nul(int_column(64, True, n, "d64"), 5), pa.int64()),
        "u8": pa.array(nul(int_column(8, False, n, "du8"), 6), pa.uint8()),
        "u16": pa.array(nul(int_column(16, False, n, "du16"), 0), pa.uint16()),
        "u32": pa.array(nul(int_column(32, False, n, "du32"), 1), pa.uint32()),
        "u64": pa.array(nul(int_column(64, False, n, "du64"), 2), pa.uint64()),
        "f32": pa.array(nul(f32_column(n, "df32"), 3), pa.float32()),
        "f64": pa.array(nul(f64_column(n, "df64"), 4), pa.float64()),
        "s": pa.array(nul(str_column(n, "ds"), 5), pa.string()),
        "bl": pa.array(nul(bin_column(n, "dbl"), 6), pa.binary()),
        "u": pa.array(nul([str(uuid.UUID(bytes=b)) for b in uuid_column(n, "du")], 0), pa.string()),
        "j": pa.array(nul(json_column(n, "dj"), 1), pa.string()),
        "e": pa.array(nul([["sad", "ok", "happy"][i % 3] for i in range(n)], 2), pa.string()),
        "d41": pa.array(nul(decimal_column(4, 1, n, "d41"), 3), pa.decimal128(4, 1)),
        "d186": pa.array(nul(decimal_column(18, 6, n, "d186"), 4), pa.decimal128(18, 6)),
        "d3810": pa.array(nul(decimal_column(38, 10, n, "d3810"), 5), pa.decimal128(38, 10)),
        "dt": pa.array(nul(date_days(n, "ddt"), 6), pa.date32()),
        "t": pa.array(nul(t_us, 0), pa.time64("us")),
        "ttz": pa.array(nul([f"{(v // 3_600_000_000) % 24:02d}:{(v // 60_000_000) % 60:02d}:{(v // 10 ** 6) % 60:02d}+0{i % 3}"
                             for i, v in enumerate(t_us)], 1), pa.string()),
        "ts": pa.array(nul(ts_us, 2), pa.timestamp("us")),
        "ts_ms": pa.array(nul([v // 1000 for v in ts_us], 3), pa.timestamp("ms")),
        "ts_ns": pa.array(nul(timestamp_values("ns", n, "dns"), 4), pa.timestamp("ns")),
        "ts_s": pa.array(nul([v // 10 ** 6 for v in ts_us], 5), pa.timestamp("s")),
        "tstz": pa.array(nul(ts_us[::-1], 6), pa.timestamp("us", tz="UTC")),
        "id": pa.array(range(n), pa.int64()),
    }
    return pa.table(cols)


def _duck_copy(path: Path, select: str, source: pa.Table, options: str) -> None:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
        con.register("src", source)
        kv = ", ".join(f"'{k}': '{v}'" for k, v in KV.items())
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, KV_METADATA {{{kv}}}, {options})")
    finally:
        con.close()


def _duck_alltypes(path: Path) -> None:
    _duck_copy(path, DUCK_SELECT, duck_source(3000), "COMPRESSION zstd, ROW_GROUP_SIZE 1000")


def _duck_alltypes_v2(path: Path) -> None:
    # 32-bit columns without their extremes: see _duck_delta_width33.
    src = duck_source(2500)
    for name, typ in (("i32", pa.int32()), ("u32", pa.uint32())):
        clamped = [None if v is None else v // 4 for v in src.column(name).to_pylist()]
        src = src.set_column(src.schema.get_field_index(name), name, pa.array(clamped, typ))
    _duck_copy(path, DUCK_SELECT, src, "COMPRESSION snappy, PARQUET_VERSION V2, ROW_GROUP_SIZE 700")


def _duck_delta_width33(path: Path) -> None:
    # DuckDB 2.0 computes DELTA_BINARY_PACKED deltas of INT32 columns in 64 bits: with values at
    # both extremes it writes miniblocks of bit width 33, which pyarrow rejects and DuckDB and
    # polars read. Its reference view is DuckDB's.
    select = "SELECT id, i32::INTEGER AS integer, u32::UINTEGER AS uinteger, i64::BIGINT AS bigint, u64::UBIGINT AS ubigint FROM src"
    _duck_copy(path, select, duck_source(2000), "COMPRESSION zstd, PARQUET_VERSION V2")


def _duck_codec(codec: str) -> Callable[[Path], None]:
    duck_codec = {"none": "uncompressed", "lz4_raw": "lz4_raw"}.get(codec, codec)

    def gen(path: Path) -> None:
        select = "SELECT id, i32::INTEGER AS integer, f64::DOUBLE AS double, s::VARCHAR AS varchar, e::mood AS enum, dt::DATE AS date FROM src"
        _duck_copy(path, select, duck_source(1500), f"COMPRESSION {duck_codec}, ROW_GROUP_SIZE 500")
    return gen


def _duck_interval_hugeint(path: Path) -> None:
    select = """SELECT id, to_days(abs(i16::INTEGER)) + to_months(abs(i8 % 13)::INTEGER)
                  + to_microseconds(abs(i32::BIGINT)) AS interval,
                i64::HUGEINT * 1000 AS hugeint, u64::UHUGEINT * 3 AS uhugeint FROM src"""
    _duck_copy(path, select, duck_source(1000), "COMPRESSION gzip")


# --------------------------------------------------------------------------- polars files


def polars_frame(n: int):
    import polars as pl

    def nul(values: list, phase: int) -> list:
        return _nullify(values, n, phase)

    epoch = dt.datetime(1970, 1, 1)
    r = _rng("polars")
    us = timestamp_values("us", n, "pus")
    return pl.DataFrame([
        pl.Series("int8", nul(int_column(8, True, n, "p8"), 1), pl.Int8),
        pl.Series("int16", nul(int_column(16, True, n, "p16"), 2), pl.Int16),
        pl.Series("int32", nul(int_column(32, True, n, "p32"), 3), pl.Int32),
        pl.Series("int64", nul(int_column(64, True, n, "p64"), 4), pl.Int64),
        pl.Series("uint8", nul(int_column(8, False, n, "pu8"), 5), pl.UInt8),
        pl.Series("uint16", nul(int_column(16, False, n, "pu16"), 6), pl.UInt16),
        pl.Series("uint32", nul(int_column(32, False, n, "pu32"), 0), pl.UInt32),
        pl.Series("uint64", nul(int_column(64, False, n, "pu64"), 1), pl.UInt64),
        pl.Series("float32", nul(f32_column(n, "pf32"), 2), pl.Float32),
        pl.Series("float64", nul(f64_column(n, "pf64"), 3), pl.Float64),
        pl.Series("bool", nul([i % 5 < 2 for i in range(n)], 4), pl.Boolean),
        pl.Series("string", nul(str_column(n, "ps"), 5), pl.String),
        pl.Series("binary", nul(bin_column(n, "pb"), 6), pl.Binary),
        pl.Series("categorical", nul(low_card_column(n), 0), pl.Categorical),
        pl.Series("enum", nul([["lo", "mid", "hi"][i % 3] for i in range(n)], 1), pl.Enum(["lo", "mid", "hi"])),
        pl.Series("decimal_38_4", nul(decimal_column(38, 4, n, "pd38"), 2), pl.Decimal(38, 4)),
        pl.Series("decimal_9_3", nul(decimal_column(9, 3, n, "pd9"), 3), pl.Decimal(9, 3)),
        pl.Series("date", nul([dt.date(1970, 1, 1) + dt.timedelta(days=d) for d in date_days(n, "pdt")], 4), pl.Date),
        pl.Series("time", nul([dt.time(h % 24, m % 60, s % 60, u % 10 ** 6) for h, m, s, u in
                               ((r.randrange(24), r.randrange(60), r.randrange(60), r.randrange(10 ** 6)) for _ in range(n))], 5), pl.Time),
        pl.Series("datetime_us", nul([epoch + dt.timedelta(microseconds=v) for v in us], 6), pl.Datetime("us")),
        pl.Series("datetime_ms_utc", nul([epoch + dt.timedelta(microseconds=v - v % 1000) for v in us[::-1]], 0),
                  pl.Datetime("ms", "UTC")),
        pl.Series("datetime_ns", nul([epoch + dt.timedelta(microseconds=(v % 10 ** 15)) for v in us], 1), pl.Datetime("ns")),
        pl.Series("duration_us", nul([dt.timedelta(microseconds=v % 10 ** 14) for v in us], 2), pl.Duration("us")),
        pl.Series("id", list(range(n)), pl.Int64),
    ])


def _polars_alltypes(path: Path) -> None:
    polars_frame(2500).write_parquet(path, compression="zstd", row_group_size=1000, metadata=KV)


def _polars_small_pages(path: Path) -> None:
    polars_frame(3000).write_parquet(path, compression="snappy", row_group_size=512, data_page_size=1024,
                                     metadata=KV)


def _polars_codec(codec: str) -> Callable[[Path], None]:
    pl_codec = {"none": "uncompressed", "lz4_raw": "lz4"}.get(codec, codec)

    def gen(path: Path) -> None:
        polars_frame(1200).select(["id", "int32", "float64", "string", "categorical", "date"]).write_parquet(
            path, compression=pl_codec, row_group_size=500, metadata=KV)
    return gen


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Peer:
    name: str
    writer: str  # pyarrow | duckdb | polars
    generate: Callable[[Path], None]
    tags: frozenset = field(default_factory=frozenset)
    reference: str = "pyarrow"  # the reader whose values are the expected ones


def _peers() -> dict[str, Peer]:
    out: list[Peer] = [
        Peer("pa_alltypes", "pyarrow", _pa_alltypes, frozenset({"alltypes"})),
        Peer("pa_alltypes_v2_plain", "pyarrow", _pa_alltypes_v2_plain),
        Peer("pa_int96", "pyarrow", _pa_int96),
        Peer("pa_decimal_int", "pyarrow", _pa_decimal_int),
        Peer("pa_wide_decimal", "pyarrow", _pa_wide_decimal),
        Peer("pa_small_pages", "pyarrow", _pa_small_pages),
        Peer("pa_encodings", "pyarrow", _pa_encodings),
        Peer("pa_empty", "pyarrow", _pa_empty, frozenset({"empty"})),
        Peer("pa_all_null", "pyarrow", _pa_all_null, frozenset({"all_null"})),
        Peer("pa_bss_flba", "pyarrow", _pa_bss_flba),
        Peer("pa_enum", "pyarrow", _pa_enum),
        Peer("pa_bson", "pyarrow", _pa_bson),
        Peer("duck_alltypes", "duckdb", _duck_alltypes, frozenset({"alltypes"})),
        Peer("duck_alltypes_v2", "duckdb", _duck_alltypes_v2),
        Peer("duck_interval_hugeint", "duckdb", _duck_interval_hugeint),
        Peer("duck_delta_width33", "duckdb", _duck_delta_width33, frozenset({"lenient"}), reference="duckdb"),
        Peer("polars_alltypes", "polars", _polars_alltypes, frozenset({"alltypes"})),
        Peer("polars_small_pages", "polars", _polars_small_pages),
    ]
    for i, codec in enumerate(CODECS):
        for pv in (1, 2):
            dictionary = (pv == 1) != (i % 2 == 1)
            out.append(Peer(f"pa_{codec}_v{pv}_{'dict' if dictionary else 'plain'}", "pyarrow",
                            _pa_codec(codec, pv, dictionary), frozenset({"codec"})))
        out.append(Peer(f"duck_{codec}", "duckdb", _duck_codec(codec), frozenset({"codec"})))
        out.append(Peer(f"polars_{codec}", "polars", _polars_codec(codec), frozenset({"codec"})))
    return {p.name: p for p in out}


PEERS: dict[str, Peer] = _peers()


def build(name: str, directory: Path) -> Path:
    """Writes peer file `name` into `directory` (once) and returns its path."""
    path = Path(directory) / f"{name}.parquet"
    if not path.exists():
        tmp = path.with_name(path.name + ".partial")
        PEERS[name].generate(tmp)
        tmp.rename(path)
    return path
