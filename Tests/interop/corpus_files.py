"""The parquet-testing files the suite reads, listed at collection time, and their quirks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import canonical
import floe_cli

# 2 rows holding a 1 GiB string each: opt in with FLOE_INTEROP_HEAVY=1.
HEAVY = {"data/large_string_map.brotli.parquet"}
# Correct data behind a wrong page CRC: a reader that verifies CRCs must fail with exit 1.
CORRUPT_CHECKSUM = {"data/datapage_v1-corrupt-checksum.parquet"}
CHECKSUM_WORDS = re.compile(r"checksum|crc", re.IGNORECASE)


def _list(sub: str) -> list[str]:
    root = floe_cli.corpus_root()
    base = root / sub
    if not base.is_dir():
        return []
    files = []
    for p in sorted(base.rglob("*.parquet")):
        rel = p.relative_to(root).as_posix()
        with open(p, "rb") as fh:
            fh.seek(-4, 2)
            if fh.read(4) != b"PAR1":  # encrypted footer ("PARE"): out of scope
                continue
        files.append(rel)
    return files


def params(sub: str) -> list:
    """pytest params over the corpus files of `sub` (data/ or bad_data/), or one placeholder
    that skips (fails under CI=true) when the corpus is missing."""
    files = _list(sub)
    if not files:
        return [pytest.param(None, id=f"{sub}-missing")]
    return [pytest.param(rel, id=rel) for rel in files]


def resolve(rel: str | None) -> Path:
    if rel is None:
        floe_cli.unavailable(f"parquet-testing corpus not found at {floe_cli.corpus_root()} (or set PARQUET_TESTING)")
    return floe_cli.corpus_root() / rel


def int96_md_instants(corpus: Path) -> list[str | None]:
    """The instants int96_from_spark.md lists (as microseconds), in canonical form."""
    text = (corpus / "data" / "int96_from_spark.md").read_text()
    after = text.split("As microseconds since the epoch, they correspond to:", 1)[1]
    block = re.search(r"```\s*\n(.*?)\n```", after, re.S).group(1)
    out: list[str | None] = []
    for tok in (t.strip() for t in block.split(",")):
        out.append(None if tok == "null" else canonical.format_timestamp(int(tok) * 1000, 9, False))
    return out
