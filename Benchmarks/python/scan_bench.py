"""The peers of `floe bench`: the same Q1–Q4 on the same files with DuckDB's command-line binary
(process against process), DuckDB in process and pyarrow; medians, and every answer checked
against Floe's.

Usage: scan_bench.py SPEC.json OUT.json

SPEC (written by `floe bench`): {"runs": K, "files": {format: path}, "scenarios": [{"id", "sql"}],
"floe_answers": {scenario: {format: JSON lines}}}; the SQL names its input `events`.
OUT: {"versions": {...}, "results": [{"engine", "format", "scenario", "seconds", "result_rows",
"matches_floe", "note"}], "notes": [...]}.
"""

from __future__ import annotations

import datetime
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Q4 returns whole events; the engines spell nested values differently, so the check compares
# the row count and these top-level fields.
Q4_FIELDS = ["messageId", "type", "sourceId", "userId", "anonymousId", "event", "name", "timestamp"]
PRELUDE = "SET TimeZone='UTC'; "


def sql_on(sql: str, path: str) -> str:
    return sql.replace("FROM events", "FROM '" + path.replace("'", "''") + "'", 1)


def norm(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?")


def timestamp_text(value) -> str | None:
    """YYYY-MM-DDTHH:MM:SS.ffffff from any engine's spelling (DuckDB's CLI drops trailing zeros
    of the fraction and appends +00; Floe writes ...Z; Python gives datetime)."""
    if value is None:
        return None
    text = norm(value)
    m = TIMESTAMP.match(str(text))
    if not m:
        return str(text)
    return f"{m.group(1)}T{m.group(2)}.{(m.group(3) or '').ljust(6, '0')[:6]}"


def canonical(scenario: str, rows: list[dict]) -> list:
    """Order-insensitive, name-insensitive form of an answer (ties of ORDER BY may differ)."""
    if scenario == "Q4":
        out = []
        for row in rows:
            item = []
            for f in Q4_FIELDS:
                v = row.get(f)
                item.append(timestamp_text(v) if f == "timestamp" else (None if v is None else str(v)))
            out.append(item)
        return sorted(out, key=repr)
    return sorted(([norm(v) for v in row.values()] for row in rows), key=repr)


def median_time(fn, runs: int):
    times, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


# ---- engines -------------------------------------------------------------------------------

def duckdb_cli(binary: Path, sql: str) -> list[dict]:
    proc = subprocess.run([str(binary), "-json", "-c", PRELUDE + sql], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-300:])
    text = proc.stdout.strip()
    return json.loads(text) if text else []


def duckdb_inprocess(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def literals(sql: str) -> dict:
    out = {}
    m = re.search(r"sourceId = '([^']*)'", sql)
    if m:
        out["sourceId"] = m.group(1)
    m = re.search(r"DATE '([0-9-]+)'", sql)
    if m:
        out["day"] = m.group(1)
    m = re.search(r"messageId = '([^']*)'", sql)
    if m:
        out["messageId"] = m.group(1)
    return out


def group_count(table, key: str, counted: str) -> list[dict]:
    grouped = table.group_by(key).aggregate([(counted, "count")])
    rows = grouped.to_pylist()
    return sorted(({key: r[key], f"count({counted})": r[f"{counted}_count"]} for r in rows),
                  key=lambda r: -r[f"count({counted})"])


def pyarrow_query(fmt: str, path: str, scenario: str, sql: str) -> list[dict]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    lit = literals(sql)
    if fmt == "json":
        def read(fields: dict):
            schema = pa.schema(list(fields.items()))
            opts = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
            return pj.read_json(path, parse_options=opts)
        if scenario == "Q1":
            return [{"count_star()": read({"type": pa.string()}).num_rows}]
        if scenario == "Q2":
            return group_count(read({"type": pa.string(), "messageId": pa.string()}), "type", "messageId")
        if scenario == "Q3":
            t = read({"type": pa.string(), "messageId": pa.string(), "sourceId": pa.string(), "timestamp": pa.string()})
            mask = pc.and_(pc.equal(t["sourceId"], lit["sourceId"]), pc.starts_with(t["timestamp"], lit["day"]))
            return group_count(t.filter(mask), "type", "messageId")
        fields = {f: pa.string() for f in ["anonymousId", "channel", "messageId", "originalTimestamp", "receivedAt",
                                            "sentAt", "sourceId", "timestamp", "type", "userId", "event", "name",
                                            "groupId", "previousId"]}
        t = read(fields)
        return t.filter(pc.equal(t["messageId"], lit["messageId"])).to_pylist()
    if scenario == "Q1":
        return [{"count_star()": pq.ParquetFile(path).metadata.num_rows}]
    dataset = ds.dataset(path, format="parquet")
    if scenario == "Q2":
        return group_count(dataset.to_table(columns=["type", "messageId"]), "type", "messageId")
    if scenario == "Q3":
        ts_type = dataset.schema.field("timestamp").type
        day = datetime.datetime.fromisoformat(lit["day"]).replace(tzinfo=datetime.timezone.utc)
        lo = pa.scalar(day, type=ts_type)
        hi = pa.scalar(day + datetime.timedelta(days=1), type=ts_type)
        flt = (ds.field("sourceId") == lit["sourceId"]) & (ds.field("timestamp") >= lo) & (ds.field("timestamp") < hi)
        return group_count(dataset.to_table(columns=["type", "messageId"], filter=flt), "type", "messageId")
    return dataset.to_table(filter=ds.field("messageId") == lit["messageId"]).to_pylist()


# ---- main ----------------------------------------------------------------------------------

def run(spec: dict) -> dict:
    import duckdb
    import pyarrow

    runs = int(spec["runs"])
    files: dict[str, str] = spec["files"]
    floe_answers = spec.get("floe_answers", {})
    versions = {"duckdb (python)": duckdb.__version__, "pyarrow": pyarrow.__version__}
    notes: list[str] = []
    cli = Path(sys.executable).parent / "duckdb"
    if cli.exists():
        proc = subprocess.run([str(cli), "--version"], capture_output=True, text=True)
        versions["duckdb-cli"] = proc.stdout.split()[0] if proc.stdout else "?"
    else:
        notes.append("duckdb-cli binary not found beside the Python (pip install duckdb-cli); its column is missing.")
    notes.append("DuckDB reads the JSON lines with FROM 'events.jsonl' (read_json_auto): properties.position, "
                 "a number in product events and a string in promotion events, is inferred as JSON; "
                 "timestamps are read as TIMESTAMP; TimeZone is set to UTC.")
    notes.append("pyarrow's JSON reader rejects the mixed properties.position, so it reads with an explicit "
                 "schema of the fields each query needs (unexpected fields ignored): its Q3 on JSON tests the "
                 "day as a timestamp-text prefix and its Q4 returns only top-level scalar fields. On Parquet it "
                 "uses the footer for Q1 and pyarrow.dataset (filter pushdown to row-group statistics) with "
                 "Acero's group_by for Q2-Q4.")
    notes.append("Q4 answers are compared on the row count and the fields " + ", ".join(Q4_FIELDS)
                 + "; Q1-Q3 on every value, rows in any order.")

    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    engines = []
    if cli.exists():
        engines.append(("duckdb-cli", lambda fmt, path, sc, sql: duckdb_cli(cli, sql)))
    engines.append(("duckdb", lambda fmt, path, sc, sql: duckdb_inprocess(con, sql)))
    engines.append(("pyarrow", pyarrow_query))

    results = []
    for engine, fn in engines:
        for fmt, path in files.items():
            for sc in spec["scenarios"]:
                sql = sql_on(sc["sql"], path)
                entry = {"engine": engine, "format": fmt, "scenario": sc["id"], "seconds": None,
                         "result_rows": None, "matches_floe": None, "note": None}
                try:
                    seconds, answer = median_time(lambda: fn(fmt, path, sc["id"], sql), runs)
                    entry["seconds"] = seconds
                    entry["result_rows"] = len(answer)
                    floe_text = floe_answers.get(sc["id"], {}).get(fmt)
                    if floe_text is not None:
                        floe_rows = [json.loads(line) for line in floe_text.splitlines() if line.strip()]
                        entry["matches_floe"] = canonical(sc["id"], answer) == canonical(sc["id"], floe_rows)
                        if not entry["matches_floe"]:
                            entry["note"] = "answer: " + json.dumps(canonical(sc["id"], answer), default=str)[:300]
                except Exception as error:  # noqa: BLE001 - a failing peer is reported, not fatal
                    entry["note"] = f"{type(error).__name__}: {error}"[:300]
                results.append(entry)
                print(engine, fmt, sc["id"], entry["seconds"], entry["matches_floe"], flush=True)
    return {"versions": versions, "results": results, "notes": notes}


def main() -> None:
    spec_path, out_path = sys.argv[1], sys.argv[2]
    spec = json.loads(Path(spec_path).read_text())
    Path(out_path).write_text(json.dumps(run(spec), indent=1, default=str))


if __name__ == "__main__":
    main()
