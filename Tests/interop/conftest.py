"""Fixtures of the interop suite: the floe binary, the corpus, lazily generated peer files.

Environment: FLOE_BIN (default <repo>/.build/debug/floe), PARQUET_TESTING (default
<repo>/../shared/parquet-testing), CI=true turns a missing binary or corpus into failures,
FLOE_INTEROP_HEAVY=1 also runs the multi-gigabyte corpus file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floe_cli  # noqa: E402
import peers  # noqa: E402


@pytest.fixture(scope="session")
def floe() -> floe_cli.Floe:
    binary = floe_cli.floe_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        floe_cli.unavailable(f"floe binary not found at {binary} (build it, or set FLOE_BIN)")
    return floe_cli.Floe(binary)


@pytest.fixture(scope="session")
def corpus() -> Path:
    root = floe_cli.corpus_root()
    if not (root / "data").is_dir():
        floe_cli.unavailable(f"parquet-testing corpus not found at {root} (or set PARQUET_TESTING)")
    return root


@pytest.fixture(scope="session")
def peer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated peer files, shared read-only by the tests of one worker."""
    return tmp_path_factory.mktemp("peers")


@pytest.fixture(scope="session")
def peer_file(peer_dir: Path):
    """peer_file(name) -> path of that generated file (built on first use)."""
    def get(name: str) -> Path:
        return peers.build(name, peer_dir)
    return get
