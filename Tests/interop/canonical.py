"""Reference implementation of Floe's canonical JSON view, in Python over pyarrow.

DESIGN.md ("Contracts other tools rely on") defines what `floe cat --format jsonl` prints for
each value. This module computes the same view from what pyarrow reads, driven by the
*Parquet* schema (physical + logical type of each leaf), so that Arrow-side choices (a stored
ARROW:schema, extension types, dictionary arrays, time32[s] for a TIME_MILLIS column...) do
not change the expected text:

    null -> null            BOOLEAN -> true/false        integers (any width/sign) -> exact
    FLOAT/DOUBLE/FLOAT16 -> shortest round-trip decimal, "NaN", "Infinity", "-Infinity"
    STRING/ENUM/JSON -> string                  other BYTE_ARRAY / FLBA -> standard base64
    DECIMAL -> "-12.50" (exactly `scale` fraction digits)   DATE -> "YYYY-MM-DD"
    TIME -> "HH:MM:SS.fff|ffffff|fffffffff" by unit
    TIMESTAMP -> "YYYY-MM-DDTHH:MM:SS.fff..." by unit, "Z" when adjusted to UTC
    INT96 -> 9 fraction digits, no "Z"          UUID -> lowercase 8-4-4-4-12
    LIST -> array    STRUCT -> object    MAP -> object (string keys) or [{"key","value"}]

Years outside 0000..9999 use ISO 8601's expanded form: "+290000-12-30", and "-0001-..." for
years before year 0 (the contract only fixes the "+" side; the minus side is our choice).

INT96 follows the rule that reproduces the instants documented for parquet-testing's
int96_from_spark.parquet (and Spark's own reader): microseconds =
(julian_day - 2440588) * 86400000000 + nanos / 1000 (truncating) in *wrapping* 64-bit
arithmetic, then the sub-microsecond nanoseconds are added back without any limit. Decoding
the same bytes in unbounded arithmetic would give year -296517 for that file's last value,
because Spark's writer wrapped when it encoded year 290000. pyarrow's own INT96 conversion
overflows, so the raw 12 bytes are obtained by re-declaring INT96 columns as FLBA(12) in a
patched copy of the footer (see parquet_raw.int96_as_fixed).
"""

from __future__ import annotations

import base64
import functools
import json
import math
import struct
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

import parquet_raw

NAN, POS_INF, NEG_INF = "NaN", "Infinity", "-Infinity"

# ----------------------------------------------------------------------------- floats


def round_to_width(x: float, width: int) -> float:
    """x rounded (nearest, ties to even) to an IEEE binary16/32/64 value, as a Python float."""
    if width == 64 or math.isnan(x) or math.isinf(x):
        return x
    fmt = "<f" if width == 32 else "<e"
    try:
        return struct.unpack(fmt, struct.pack(fmt, x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def significant_digits(text: str) -> int:
    """Number of significant decimal digits written in a JSON number."""
    mant = text.lower().split("e")[0].lstrip("+-").replace(".", "")
    mant = mant.lstrip("0").rstrip("0")
    return max(len(mant), 1)


def shortest_text(x: float, width: int) -> str:
    """Shortest decimal that rounds back to x at the given width (x finite)."""
    if width == 64:
        return repr(x)
    for n in range(1, 18):
        s = f"{x:.{n - 1}e}"
        if round_to_width(float(s), width) == x:
            return repr(float(s))
    return repr(x)


@dataclass(frozen=True)
class CFloat:
    """An expected finite float of a given width (16, 32 or 64)."""

    value: float
    width: int

    @property
    def text(self) -> str:
        return shortest_text(self.value, self.width)


def float_view(x: float | None, width: int) -> Any:
    if x is None:
        return None
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return POS_INF if x > 0 else NEG_INF
    return CFloat(x, width)


# ----------------------------------------------------------------------------- calendar


def civil_from_days(z: int) -> tuple[int, int, int]:
    """Proleptic Gregorian (year, month, day) of a day count from 1970-01-01, any range."""
    z += 719468  # shift the epoch to 0000-03-01
    era = z // 146097
    doe = z - era * 146097  # [0, 146096]
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365  # [0, 399]
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # [0, 365], March-based
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return year, month, day


def format_year(y: int) -> str:
    if 0 <= y <= 9999:
        return f"{y:04d}"
    if y > 9999:
        return f"+{y}"
    return f"-{-y:04d}"


def format_date(days: int) -> str:
    y, m, d = civil_from_days(days)
    return f"{format_year(y)}-{m:02d}-{d:02d}"


def format_time_of_day(seconds: int, frac: int, digits: int) -> str:
    h, rem = divmod(seconds, 3600)
    mi, s = divmod(rem, 60)
    return f"{h:02d}:{mi:02d}:{s:02d}.{frac:0{digits}d}"


UNIT_DIGITS = {"milliseconds": 3, "microseconds": 6, "nanoseconds": 9}
ARROW_UNIT_DIGITS = {"s": 0, "ms": 3, "us": 6, "ns": 9}


def format_time(v: int, digits: int) -> str:
    secs, frac = divmod(v, 10 ** digits)
    return format_time_of_day(secs, frac, digits)


def format_timestamp(v: int, digits: int, utc: bool) -> str:
    secs, frac = divmod(v, 10 ** digits)
    days, sod = divmod(secs, 86400)
    return f"{format_date(days)}T{format_time_of_day(sod, frac, digits)}{'Z' if utc else ''}"


def _wrap64(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // b
    return q if a >= 0 else -q


JULIAN_DAY_OF_EPOCH = 2440588


def int96_nanos(raw: bytes) -> int:
    """Nanoseconds since the epoch of a 12-byte INT96 (see the module docstring)."""
    nanos = int.from_bytes(raw[:8], "little", signed=True)
    day = int.from_bytes(raw[8:12], "little", signed=True)
    whole_micros = _trunc_div(nanos, 1000)
    micros = _wrap64((day - JULIAN_DAY_OF_EPOCH) * 86_400_000_000 + whole_micros)
    return micros * 1000 + (nanos - whole_micros * 1000)


def format_int96(raw: bytes) -> str:
    return format_timestamp(int96_nanos(raw), 9, False)


def format_decimal(d: Decimal, scale: int) -> str:
    sign, digits, exp = d.as_tuple()
    unscaled = int("".join(map(str, digits)) or "0")
    shift = exp + scale
    if shift >= 0:
        unscaled *= 10 ** shift
    else:  # more fraction digits than the scale: only zeros may be dropped
        q, r = divmod(unscaled, 10 ** -shift)
        if r:
            raise ValueError(f"decimal {d} has more than {scale} fraction digits")
        unscaled = q
    s = str(unscaled)
    if scale > 0:
        s = s.rjust(scale + 1, "0")
        s = s[:-scale] + "." + s[-scale:]
    return ("-" if sign and unscaled else "") + s


# ----------------------------------------------------------------------------- leaves


@dataclass(frozen=True)
class Leaf:
    """How one Parquet leaf column is viewed."""

    path: str
    physical: str
    kind: str  # bool int float date time timestamp decimal int96 uuid string base64
    width: int = 0  # float width
    digits: int = 0  # time/timestamp fraction digits
    utc: bool = False
    scale: int = 0


def leaf_of(col: pq.ColumnSchema) -> Leaf:
    phys = col.physical_type
    lt = json.loads(col.logical_type.to_json()) if col.logical_type is not None else {}
    ltype = lt.get("Type", "None")
    conv = col.converted_type or "NONE"
    path = col.path
    if phys == "INT96":
        return Leaf(path, phys, "int96")
    if ltype == "Decimal" or conv == "DECIMAL":
        return Leaf(path, phys, "decimal", scale=max(col.scale, 0))
    if phys == "BOOLEAN":
        return Leaf(path, phys, "bool")
    if phys == "FLOAT":
        return Leaf(path, phys, "float", width=32)
    if phys == "DOUBLE":
        return Leaf(path, phys, "float", width=64)
    if phys in ("INT32", "INT64"):
        if ltype == "Date" or conv == "DATE":
            return Leaf(path, phys, "date")
        if ltype == "Time":
            return Leaf(path, phys, "time", digits=UNIT_DIGITS[lt["timeUnit"]])
        if conv in ("TIME_MILLIS", "TIME_MICROS"):
            return Leaf(path, phys, "time", digits=3 if conv == "TIME_MILLIS" else 6)
        if ltype == "Timestamp":
            return Leaf(path, phys, "timestamp", digits=UNIT_DIGITS[lt["timeUnit"]],
                        utc=bool(lt["isAdjustedToUTC"]))
        if conv in ("TIMESTAMP_MILLIS", "TIMESTAMP_MICROS"):
            return Leaf(path, phys, "timestamp", digits=3 if conv == "TIMESTAMP_MILLIS" else 6, utc=True)
        return Leaf(path, phys, "int")
    if phys == "FIXED_LEN_BYTE_ARRAY":
        if ltype == "Float16":
            return Leaf(path, phys, "float", width=16)
        if ltype == "UUID":
            return Leaf(path, phys, "uuid")
        return Leaf(path, phys, "base64")
    if phys == "BYTE_ARRAY":
        if ltype in ("String", "Enum", "JSON") or conv in ("UTF8", "ENUM", "JSON"):
            return Leaf(path, phys, "string")
        return Leaf(path, phys, "base64")
    raise ValueError(f"unknown physical type {phys} for {path}")


def _unwrap(arr: pa.Array) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if isinstance(arr.type, pa.BaseExtensionType):
        arr = arr.storage
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return arr


def _ints(arr: pa.Array) -> list:
    t = arr.type
    if pa.types.is_integer(t):
        return arr.to_pylist()
    if pa.types.is_null(t):
        return [None] * len(arr)
    width = t.bit_width
    return arr.view(pa.int32() if width == 32 else pa.int64()).to_pylist()


def _to_unit(values: list, from_digits: int, to_digits: int) -> list:
    if from_digits <= to_digits:
        f = 10 ** (to_digits - from_digits)
        return [None if v is None else v * f for v in values]
    f = 10 ** (from_digits - to_digits)
    return [None if v is None else v // f for v in values]


def _bytes_of(v: Any) -> bytes:
    return v.encode("utf-8") if isinstance(v, str) else bytes(v)


def leaf_values(arr: pa.Array, leaf: Leaf) -> list:
    """The canonical view of every value of one leaf array (nulls -> None)."""
    arr = _unwrap(arr)
    t = arr.type
    n = len(arr)
    if pa.types.is_null(t):
        return [None] * n
    k = leaf.kind
    if k == "bool":
        return arr.to_pylist()
    if k == "int":
        return _ints(arr)
    if k == "float":
        if pa.types.is_float16(t):
            raw = arr.view(pa.uint16()).to_pylist()
            vals = [None if r is None else struct.unpack("<e", r.to_bytes(2, "little"))[0] for r in raw]
        elif pa.types.is_fixed_size_binary(t):  # FLOAT16 read as plain bytes
            vals = [None if r is None else struct.unpack("<e", r)[0] for r in arr.to_pylist()]
        else:
            vals = arr.to_pylist()
        return [float_view(v, leaf.width) for v in vals]
    if k == "date":
        if pa.types.is_date64(t):
            return [None if v is None else format_date(v // 86_400_000) for v in _ints(arr)]
        return [None if v is None else format_date(v) for v in _ints(arr)]
    if k == "time":
        vals = _to_unit(_ints(arr), ARROW_UNIT_DIGITS[t.unit], leaf.digits)
        return [None if v is None else format_time(v, leaf.digits) for v in vals]
    if k == "timestamp":
        vals = _to_unit(_ints(arr), ARROW_UNIT_DIGITS[t.unit], leaf.digits)
        return [None if v is None else format_timestamp(v, leaf.digits, leaf.utc) for v in vals]
    if k == "decimal":
        return [None if v is None else format_decimal(v, leaf.scale) for v in arr.to_pylist()]
    if k == "int96":
        if not pa.types.is_fixed_size_binary(t):
            raise ValueError(f"INT96 column {leaf.path} was not read as raw bytes")
        return [None if v is None else format_int96(v) for v in arr.to_pylist()]
    if k == "uuid":
        return [None if v is None else str(uuid.UUID(v) if isinstance(v, str) else uuid.UUID(bytes=bytes(v)))
                for v in arr.to_pylist()]
    if k == "string":
        return [None if v is None else (v if isinstance(v, str) else bytes(v).decode("utf-8", "replace"))
                for v in arr.to_pylist()]
    if k == "base64":
        return [None if v is None else base64.b64encode(_bytes_of(v)).decode("ascii") for v in arr.to_pylist()]
    raise ValueError(f"unknown leaf kind {k}")


def _spans(arr: pa.Array) -> list[tuple[int, int, bool]]:
    offsets = arr.offsets.to_pylist()
    valid = arr.is_valid().to_pylist()
    return [(offsets[i], offsets[i + 1], valid[i]) for i in range(len(arr))]


def _convert(arr: pa.Array, leaves: "_Peekable") -> list:
    """Canonical values of an Arrow array, consuming the Parquet leaves it spans (DFS order)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if isinstance(arr.type, pa.BaseExtensionType) and pa.types.is_nested(arr.type.storage_type):
        arr = arr.storage
    t = arr.type
    if pa.types.is_map(t):
        # offsets index the whole (unsliced) key and item arrays; null maps span nothing
        key_leaf = leaves.peek()
        keys = _convert(arr.keys, leaves)
        vals = _convert(arr.items, leaves)
        string_keys = key_leaf.kind == "string"
        out = []
        for lo, hi, ok in _spans(arr):
            if not ok:
                out.append(None)
                continue
            pairs = list(zip(keys[lo:hi], vals[lo:hi]))
            out.append(dict(pairs) if string_keys else [{"key": k, "value": v} for k, v in pairs])
        return out
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        flat = _convert(arr.values, leaves)
        return [flat[lo:hi] if ok else None for lo, hi, ok in _spans(arr)]
    if pa.types.is_fixed_size_list(t):
        flat = _convert(arr.values, leaves)
        n, base = t.list_size, arr.offset * t.list_size
        return [flat[base + r * n: base + (r + 1) * n] if ok else None
                for r, ok in enumerate(arr.is_valid().to_pylist())]
    if pa.types.is_struct(t):
        children = arr.flatten()  # respects the struct's own nulls and offset
        cols = [(t.field(j).name, _convert(children[j], leaves)) for j in range(t.num_fields)]
        valid = arr.is_valid().to_pylist()
        return [None if not valid[r] else {name: vals[r] for name, vals in cols} for r in range(len(arr))]
    return leaf_values(arr, next(leaves))


class _Peekable:
    def __init__(self, it: Iterator[Leaf]):
        self._it = iter(it)
        self._head: list[Leaf] = []

    def __iter__(self):
        return self

    def __next__(self) -> Leaf:
        return self._head.pop() if self._head else next(self._it)

    def peek(self) -> Leaf:
        if not self._head:
            self._head.append(next(self._it))
        return self._head[-1]


# ----------------------------------------------------------------------------- files


def leaves_of(path: str) -> list[Leaf]:
    schema = pq.ParquetFile(path).schema
    return [leaf_of(schema.column(i)) for i in range(len(schema))]


def read_reference(path: str) -> pa.Table:
    """What pyarrow reads from the file, INT96 columns as their raw 12 bytes."""
    with open(path, "rb") as fh:
        data = fh.read()
    if parquet_raw.has_int96(data):
        return pq.read_table(pa.BufferReader(parquet_raw.int96_as_fixed(data)))
    return pq.read_table(pa.BufferReader(data))


def is_nested(path: str) -> bool:
    schema = pq.read_schema(path)
    return any(pa.types.is_nested(f.type) for f in schema)


def canonical_rows(path: str, table: pa.Table | None = None) -> list[dict]:
    """The canonical view of every row, as Python values (CFloat for finite floats).

    `table` replaces pyarrow's reading of the file (e.g. DuckDB's, for a file pyarrow rejects);
    the Parquet schema still decides how each leaf is viewed.
    """
    if table is None:
        table = read_reference(path)
    leaves = _Peekable(leaves_of(path))
    columns = [(name, _convert(table.column(i), leaves)) for i, name in enumerate(table.column_names)]
    return [{name: vals[r] for name, vals in columns} for r in range(table.num_rows)]


@functools.lru_cache(maxsize=8)
def cached_rows(path: str) -> list[dict]:
    """canonical_rows of a file that does not change (corpus, generated peers); do not mutate."""
    return canonical_rows(path)


def to_json_text(v: Any) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, CFloat):
        return v.text
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(to_json_text(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + to_json_text(x) for k, x in v.items()) + "}"
    raise TypeError(f"no canonical JSON for {type(v)}")


def canonical_lines(path: str, table: pa.Table | None = None) -> list[str]:
    """The canonical JSON lines of a file (compact separators)."""
    return [to_json_text(row) for row in canonical_rows(path, table)]


# ----------------------------------------------------------------------------- comparison


class JsonNumber:
    """A JSON number with a fraction or exponent, kept as its text."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


class DuplicateKey(ValueError):
    pass


def _pairs(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise DuplicateKey(f"duplicate keys in object: {keys}")
    return dict(pairs)


def _no_constants(name: str) -> Any:
    raise ValueError(f"bare {name} is not JSON")


def parse_line(line: str) -> Any:
    """Strict JSON parse keeping float texts (JsonNumber), exact integers and key order."""
    return json.loads(line, parse_float=JsonNumber, parse_constant=_no_constants, object_pairs_hook=_pairs)


def parse_jsonl(text: str) -> list:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [parse_line(line) for line in lines]


def _show(v: Any) -> str:
    if isinstance(v, CFloat):
        return f"{v.text} (float{v.width})"
    if isinstance(v, JsonNumber):
        return v.text
    s = repr(v)
    return s if len(s) < 200 else s[:200] + "..."


def diff_value(exp: Any, act: Any, where: str) -> str | None:
    """None when `act` (parsed floe JSON) is the canonical view `exp`, else a message."""
    if exp is None or isinstance(exp, bool):
        ok = act is exp
    elif isinstance(exp, int):
        ok = type(act) is int and act == exp
    elif isinstance(exp, CFloat):
        if type(act) is int:
            text = str(act)
        elif isinstance(act, JsonNumber):
            text = act.text
        else:
            return f"{where}: expected number {_show(exp)}, got {_show(act)}"
        got = round_to_width(float(text), exp.width)
        if got != exp.value or math.copysign(1.0, got) != math.copysign(1.0, exp.value):
            return f"{where}: expected {_show(exp)}, got {text} (= {got!r} at float{exp.width})"
        # FLOAT16 may be printed as the shortest form of its float16 or of its float32 value.
        allowed = significant_digits(exp.text if exp.width != 16 else shortest_text(exp.value, 32))
        if significant_digits(text) > allowed:
            return f"{where}: {text} is not the shortest round-trip form of float{exp.width} {exp.text}"
        return None
    elif isinstance(exp, str):
        ok = type(act) is str and act == exp
    elif isinstance(exp, list):
        if type(act) is not list or len(act) != len(exp):
            return f"{where}: expected {_show(exp)}, got {_show(act)}"
        for i, (e, a) in enumerate(zip(exp, act)):
            msg = diff_value(e, a, f"{where}[{i}]")
            if msg:
                return msg
        return None
    elif isinstance(exp, dict):
        if type(act) is not dict or list(act.keys()) != list(exp.keys()):
            return f"{where}: expected object with keys {list(exp.keys())}, got {_show(act)}"
        for k in exp:
            msg = diff_value(exp[k], act[k], f"{where}.{k}")
            if msg:
                return msg
        return None
    else:
        raise TypeError(f"unexpected canonical value {exp!r}")
    return None if ok else f"{where}: expected {_show(exp)}, got {_show(act)}"


def diff_rows(expected: list[dict], actual: list, label: str, limit: int = 10) -> list[str]:
    """Mismatches between expected canonical rows and parsed floe rows, naming row and column."""
    problems: list[str] = []
    if len(actual) != len(expected):
        problems.append(f"{label}: expected {len(expected)} rows, got {len(actual)}")
    for r, (e, a) in enumerate(zip(expected, actual)):
        if type(a) is not dict:
            problems.append(f"{label} row {r}: not a JSON object: {_show(a)}")
        elif list(a.keys()) != list(e.keys()):
            problems.append(f"{label} row {r}: keys {list(a.keys())}, expected {list(e.keys())} (schema order)")
        else:
            for col in e:
                msg = diff_value(e[col], a[col], f"{label} row {r} column {col!r}")
                if msg:
                    problems.append(msg)
        if len(problems) >= limit:
            problems.append("... (further differences not shown)")
            break
    return problems
