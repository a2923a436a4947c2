"""`floe query` against DuckDB on the same data: a pyarrow-written Parquet file with several
row groups, NaN, infinities, -0.0, nulls, non-ASCII text, booleans, timestamps and dates, and
the same rows as JSON lines.

DuckDB runs on the Arrow table in memory, not on the file: its Parquet reader prunes row
groups by statistics that leave NaN out and so drops NaN rows from `x > c` (DuckDB 2.0), which
is the very case tested here.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

import pytest

import floe_cli
from canonical import JsonNumber

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")

ROWS = 3000
GROUP_ROWS = 500
WORDS = ["straße", "École", "İstanbul", "ΣΊΣΥΦΟΣ", "plain", "Ǆemal", "naïve", "", "ÀB"]


def _x(rng: random.Random, i: int):
    if i % 29 == 0:
        return None
    if i % 37 == 0:
        return math.nan
    if i % 101 == 0 and i >= GROUP_ROWS:
        return math.inf
    if i % 211 == 0:
        return -math.inf
    if i % 53 == 0:
        return -0.0
    # The first row group stays below 100 apart from its NaNs (no +infinity either): its
    # maximum statistic, which leaves NaN out, must not prune it for `x > 100`.
    hi = 50 if i < GROUP_ROWS else 150
    return round(rng.uniform(-50, hi), 2)


def _table():
    rng = random.Random(20261128)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    rows = range(ROWS)
    return pa.table({
        "id": pa.array(list(rows), pa.int64()),
        "x": pa.array([_x(rng, i) for i in rows], pa.float64()),
        "i": pa.array([None if i % 17 == 0 else rng.randint(-1000, 1000) for i in rows], pa.int64()),
        "s": pa.array([None if i % 23 == 0 else WORDS[rng.randrange(len(WORDS))] for i in rows], pa.string()),
        "g": pa.array(["abcde"[rng.randrange(5)] for _ in rows], pa.string()),
        "b": pa.array([None if i % 19 == 0 else rng.random() < 0.3 for i in rows], pa.bool_()),
        "ts": pa.array([start + dt.timedelta(microseconds=rng.randrange(30 * 86_400_000_000)) for _ in rows],
                       pa.timestamp("us", tz="UTC")),
        "d": pa.array([dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(40)) for _ in rows], pa.date32()),
    })


QUERIES = [
    "SELECT x, count(*) FROM {t} GROUP BY x ORDER BY x",
    "SELECT min(x), max(x), count(DISTINCT x), count(x), count(*) FROM {t}",
    "SELECT count(*) FROM {t} WHERE x > 100",
    "SELECT count(*) FROM {t} WHERE x >= 149.5 OR x < -49.5",
    "SELECT count(*) FROM {t} WHERE x = CAST('NaN' AS DOUBLE)",
    "SELECT count(*) FROM {t} WHERE x <> 0",
    "SELECT count(*) FROM {t} WHERE x BETWEEN 40 AND 120",
    "SELECT id FROM {t} WHERE x > 49 AND x <= 60 ORDER BY id",
    "SELECT id, x FROM {t} ORDER BY x DESC, id LIMIT 40",
    "SELECT id FROM {t} ORDER BY x, id LIMIT 50",
    "SELECT id FROM {t} WHERE id < 300 ORDER BY x, id",
    "SELECT g, count(*), sum(i), min(i), max(i), min(s), max(s), min(x), max(x) FROM {t} GROUP BY g ORDER BY g",
    "SELECT s, upper(s), lower(s), length(s), count(*) FROM {t} GROUP BY s ORDER BY s",
    "SELECT count(*) FROM {t} WHERE s LIKE '%ß%' OR s LIKE 'É%'",
    "SELECT count(*) FROM {t} WHERE b",
    "SELECT b, count(*) FROM {t} GROUP BY b ORDER BY b",
    "SELECT date_trunc('day', ts) AS day, count(*), min(ts), max(ts) FROM {t} GROUP BY day ORDER BY day",
    "SELECT d, count(*) FROM {t} WHERE d >= DATE '2024-01-10' GROUP BY d ORDER BY d",
    "SELECT id, coalesce(i, 0) * 2 + 1 FROM {t} WHERE id < 40 ORDER BY id",
    "SELECT count(*) FROM {t} WHERE i BETWEEN -10 AND 10",
    "SELECT count(*) FROM {t} WHERE g IN ('a', 'c') AND x < 0",
    "SELECT DISTINCT g FROM {t} ORDER BY g",
    "SELECT avg(i), sum(i), count(i) FROM {t} WHERE x < 1000",
    "SELECT g, avg(x) FROM {t} WHERE x > -1000 AND x < 1000 GROUP BY g ORDER BY g",
    "SELECT count(*) FROM {t} WHERE s IS NULL",
    "SELECT abs(i), count(*) FROM {t} WHERE i < 0 GROUP BY abs(i) ORDER BY 1 LIMIT 5",
    "SELECT g, count(DISTINCT s), count(DISTINCT x) FROM {t} GROUP BY g ORDER BY g",
    "SELECT id / 2, id % 7, -i, i * 3 - id FROM {t} WHERE id < 20 ORDER BY id",
    "SELECT g, count(*) FROM {t} GROUP BY g HAVING count(*) > 590 ORDER BY g",
    "SELECT count(*) FROM {t} WHERE s NOT LIKE '%a%'",
    "SELECT count(*) FROM {t} WHERE s > 'n' AND s < 'ž'",
    "SELECT count(*) FROM {t} WHERE i IN (1, 2, 3, NULL)",
    "SELECT count(*) FROM {t} WHERE i NOT IN (1, 2, 3)",
    "SELECT count(*) FROM {t} WHERE NOT b",
    "SELECT date_trunc('month', ts) AS m, count(*) FROM {t} GROUP BY m ORDER BY m",
    "SELECT date_trunc('week', ts) AS w, count(*) FROM {t} GROUP BY w ORDER BY w",
    "SELECT count(*) FROM {t} WHERE ts >= TIMESTAMP '2024-01-15 00:00:00' AND ts < TIMESTAMP '2024-01-16 00:00:00'",
    "SELECT CAST(i AS DOUBLE) / 4, CAST(x AS BIGINT) FROM {t} WHERE id < 30 AND x > -1000 AND x < 1000 ORDER BY id",
    "SELECT CAST(id AS VARCHAR) || '-' || g, coalesce(s, g) FROM {t} WHERE id < 30 ORDER BY id",
    "SELECT id FROM {t} WHERE x IN (1.5, -0.0, 0.0) ORDER BY id",
    "SELECT i FROM {t} ORDER BY i DESC LIMIT 5",
    "SELECT b, g, count(*) FROM {t} GROUP BY b, g ORDER BY b, g",
]


def _norm(v):
    """One comparable form for a value of either engine."""
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
        v = float(v.replace("Infinity", "inf"))
    if isinstance(v, JsonNumber):
        v = float(v.text)
    if isinstance(v, (int, float)):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return float(f"{f:.10g}") + 0.0  # -0.0 and 0.0 alike
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str) and len(v) == 27 and v.endswith("Z") and v[10] == "T":
        return v[:-1]  # floe's timestamps: 2024-01-01T00:00:00.000000Z
    return v


def _connect(table):
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.register("t", table)
    return con


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    table = _table()
    path = tmp_path_factory.mktemp("query") / "t.parquet"
    pq.write_table(table, path, row_group_size=GROUP_ROWS)
    return path, _connect(table)


@pytest.fixture(scope="module")
def json_data(tmp_path_factory):
    """The same rows as JSON lines (which have no NaN or infinity: those become null);
    timestamps as RFC 3339 text, dates as YYYY-MM-DD text."""
    table = _table()
    xs = [None if v is None or not math.isfinite(v) else v for v in table.column("x").to_pylist()]
    table = table.set_column(1, "x", pa.array(xs, pa.float64()))
    path = tmp_path_factory.mktemp("query") / "t.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for row in table.to_pylist():
            row["ts"] = row["ts"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            row["d"] = row["d"].isoformat()
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path, _connect(table)


@pytest.mark.parametrize("source", ["parquet", "jsonl"])
@pytest.mark.parametrize("sql", QUERIES)
def test_query_answers_like_duckdb(floe, data, json_data, source, sql):
    path, con = data if source == "parquet" else json_data
    run = floe.run("query", sql.format(t=f"'{path}'"), "--format", "jsonl")
    got = [[_norm(v) for v in row.values()] for row in floe_cli.parse_jsonl_output(run)]
    want = [[_norm(v) for v in row] for row in con.execute(sql.format(t="t")).fetchall()]
    assert got == want, f"{sql}\nfloe:   {got[:12]}\nduckdb: {want[:12]}"


def test_nan_rows_survive_row_group_pruning(floe, data):
    """The first row group's maximum (statistics leave NaN out) is below 100, yet its NaN rows
    satisfy `x > 100`: pruning must keep the group."""
    path, con = data
    run = floe.run("query", f"SELECT id FROM '{path}' WHERE x > 100 AND id < {GROUP_ROWS} ORDER BY id", "--format", "jsonl")
    ids = [row["id"] for row in floe_cli.parse_jsonl_output(run)]
    xs = pq.read_table(path).column("x").to_pylist()
    assert pq.ParquetFile(path).metadata.row_group(0).column(1).statistics.max < 100
    want = [i for i in range(GROUP_ROWS) if xs[i] is not None and (math.isnan(xs[i]) or xs[i] > 100)]
    assert any(math.isnan(xs[i]) for i in want)
    assert ids == want


def test_uint64_above_bigint_is_an_error_not_a_negative_number(floe, tmp_path):
    path = tmp_path / "u.parquet"
    pq.write_table(pa.table({"u": pa.array([1, 2**63, 2**64 - 1], pa.uint64()),
                             "v": pa.array([1, 2, 2**63 - 1], pa.uint64())}), path)
    run = floe.run("query", f"SELECT max(v), sum(CAST(v AS DOUBLE)) FROM '{path}'", "--format", "jsonl")
    [row] = floe_cli.parse_jsonl_output(run)
    assert row["max(v)"] == 2**63 - 1 and float(row["sum(CAST(v AS DOUBLE))"].text) == float(2**63 + 2)
    bad = floe.run("query", f"SELECT u FROM '{path}'", expect=1)
    assert "9223372036854775808" in bad.stderr and "BIGINT" in bad.stderr
