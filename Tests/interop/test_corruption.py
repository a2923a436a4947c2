"""The corruption test, process against process: seeded single-byte flips, random byte runs and
truncations of files Floe writes (flat, nested, dictionary, delta, every codec, both page
versions). For every mutant, `floe verify` and `floe cat` finish within the time limit, never
crash, and exit 0 or 1 with a message; with page checksums on (Floe's default), `verify` flags
every truncation and every mutant of the column-chunk bytes that `cat` reads with values
different from the original's.

Environment: FLOE_CORRUPTION_MUTANTS (mutants per file, default 30),
FLOE_CORRUPTION_REPORT (a path: the figures are written there as JSON).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import floe_cli

MUTANTS = int(os.environ.get("FLOE_CORRUPTION_MUTANTS", "30"))
TIMEOUT = 30.0
EVENTS = floe_cli.REPO_ROOT / "Datasets" / "events-10k.jsonl.gz"

# name -> `floe rewrite` options applied to the converted events (nested: context, properties
# with lists of products, traits).
SAMPLES: dict[str, list[str]] = {
    "nested-zstd-dict": [],
    "nested-snappy-v2": ["--codec", "snappy", "--page-version", "2"],
    "nested-gzip-plain": ["--codec", "gzip", "--dictionary", "off"],
    "nested-lz4raw-smallpages": ["--codec", "lz4_raw", "--page-size", "2k", "--row-group-rows", "150"],
    "nested-brotli-v2-delta": ["--codec", "brotli", "--page-version", "2", "--dictionary", "off"],
    "nested-uncompressed": ["--codec", "uncompressed"],
    "nested-lz4-hadoop": ["--codec", "lz4", "--dictionary", "off", "--page-size", "4k"],
}


@dataclass
class Figures:
    file: str
    bytes: int
    mutants: int = 0
    flips: int = 0
    runs: int = 0
    truncations: int = 0
    crashes: int = 0
    hangs: int = 0
    verify_flagged: int = 0
    truncations_flagged: int = 0
    chunk_mutants: int = 0
    chunk_mutants_changed: int = 0
    changed_undetected: int = 0
    cat_refused: int = 0
    slowest_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _run(floe: floe_cli.Floe, figures: Figures, *args: object) -> subprocess.CompletedProcess | None:
    """Runs floe; records a crash or a hang (returns None for a hang)."""
    argv = [str(floe.binary), *[str(a) for a in args]]
    started = time.monotonic()
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=TIMEOUT,
                              env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
    except subprocess.TimeoutExpired:
        figures.hangs += 1
        figures.problems.append(f"hang: {' '.join(argv[1:])}")
        return None
    figures.slowest_seconds = max(figures.slowest_seconds, time.monotonic() - started)
    stderr = proc.stderr.decode("utf-8", "replace")
    run = floe_cli.Run(argv[1:], proc.returncode, "", stderr)
    why = floe_cli.crash_reason(run)
    if why is None and proc.returncode not in (0, 1):
        why = f"exit code {proc.returncode}"
    if why is None and proc.returncode == 1 and not (stderr.strip() or (args[0] == "verify" and proc.stdout.strip())):
        why = "exit 1 without a message"  # verify reports on stdout, the other commands on stderr
    if why:
        figures.crashes += 1
        figures.problems.append(f"{why}: {' '.join(argv[1:])}\n{stderr[-800:]}")
    return proc


def _chunk_ranges(path: Path) -> list[range]:
    meta = pq.ParquetFile(path).metadata
    out = []
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            col = meta.row_group(g).column(c)
            start = col.dictionary_page_offset if col.has_dictionary_page else col.data_page_offset
            out.append(range(start, start + col.total_compressed_size))
    return out


@pytest.fixture(scope="module")
def events_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corruption") / "events.jsonl"
    with gzip.open(EVENTS, "rb") as src:
        lines = src.read().splitlines(keepends=True)[:500]
    path.write_bytes(b"".join(lines))
    return path


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_seeded_corruption(name: str, floe: floe_cli.Floe, events_jsonl: Path, tmp_path: Path) -> None:
    converted = tmp_path / "converted.parquet"
    floe.run("convert", events_jsonl, "-o", converted)
    original = tmp_path / f"{name}.parquet"
    options = SAMPLES[name]
    if "delta" in name:
        options = options + ["--encoding", "timestamp=DELTA_BINARY_PACKED", "--encoding", "messageId=DELTA_BYTE_ARRAY",
                             "--encoding", "anonymousId=DELTA_LENGTH_BYTE_ARRAY"]
    floe.run("rewrite", converted, "-o", original, *options)
    data = original.read_bytes()
    assert floe.run("verify", original, "--deep").returncode == 0
    reference = floe.run("cat", original).stdout
    chunks = _chunk_ranges(original)

    rng = random.Random(f"floe-corruption-{name}")
    figures = Figures(file=name, bytes=len(data))
    mutant_path = tmp_path / "mutant.parquet"
    for i in range(MUTANTS):
        kind = i % 10
        mutant = bytearray(data)
        if kind == 9:
            keep = rng.randrange(len(data))
            mutant = mutant[:keep]
            touched = range(keep, len(data))
            figures.truncations += 1
        elif kind >= 7:
            start = rng.randrange(len(data))
            length = min(len(data) - start, rng.randint(2, 64))
            for j in range(start, start + length):
                mutant[j] = rng.randrange(256)
            touched = range(start, start + length)
            figures.runs += 1
        else:
            at = rng.randrange(len(data))
            mutant[at] ^= rng.randint(1, 255)
            touched = range(at, at + 1)
            figures.flips += 1
        if bytes(mutant) == data:
            continue
        figures.mutants += 1
        mutant_path.write_bytes(bytes(mutant))
        verify = _run(floe, figures, "verify", mutant_path)
        cat = _run(floe, figures, "cat", mutant_path)
        flagged = verify is not None and verify.returncode != 0
        figures.verify_flagged += flagged
        if cat is not None and cat.returncode != 0:
            figures.cat_refused += 1
        if kind == 9:
            figures.truncations_flagged += flagged
            if not flagged:
                figures.problems.append(f"truncation to {len(mutant)} bytes verifies clean")
            continue
        if not any(r.start < touched.stop and touched.start < r.stop for r in chunks):
            continue
        figures.chunk_mutants += 1
        if cat is not None and cat.returncode == 0 and cat.stdout.decode("utf-8", "replace") != reference:
            figures.chunk_mutants_changed += 1
            if not flagged:
                figures.changed_undetected += 1
                figures.problems.append(f"bytes {touched.start}..{touched.stop} change the values but verify is clean")

    report = os.environ.get("FLOE_CORRUPTION_REPORT")
    if report:
        with open(report, "a") as out:
            out.write(json.dumps({k: v for k, v in asdict(figures).items() if k != "problems"}) + "\n")
    print(f"corruption {name}: {json.dumps({k: v for k, v in asdict(figures).items() if k != 'problems'})}")
    assert not figures.problems, "\n".join(figures.problems[:10])
    assert figures.crashes == 0 and figures.hangs == 0
    assert figures.truncations_flagged == figures.truncations
    assert figures.changed_undetected == 0
    assert figures.chunk_mutants > MUTANTS // 2, "most mutants should land in column chunks"
