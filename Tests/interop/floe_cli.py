"""Running the `floe` binary: exit codes, crash detection, JSON lines and inspect output."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pytest

import canonical

REPO_ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"


def floe_binary() -> Path:
    """FLOE_BIN, else <repo>/.build/debug/floe."""
    env = os.environ.get("FLOE_BIN")
    return Path(env) if env else REPO_ROOT / ".build" / "debug" / "floe"


def corpus_root() -> Path:
    """PARQUET_TESTING, else <repo>/../shared/parquet-testing."""
    env = os.environ.get("PARQUET_TESTING")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "parquet-testing"


def unavailable(reason: str) -> None:
    """Skips locally; fails when CI=true (a missing prerequisite must not pass silently)."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: missing prerequisites are failures)")
    pytest.skip(reason)


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        out = self.stdout if len(self.stdout) < 1500 else self.stdout[:1500] + "...(truncated)"
        err = self.stderr if len(self.stderr) < 3000 else self.stderr[:3000] + "...(truncated)"
        return f"$ floe {' '.join(self.args)}\nexit {self.returncode}\n--- stderr ---\n{err}\n--- stdout ---\n{out}"


def crash_reason(run: Run) -> str | None:
    """Why a run counts as a crash (signal, trap, Swift runtime failure), else None."""
    if run.returncode < 0:
        return f"killed by signal {-run.returncode}"
    if run.returncode >= 128:
        return f"exit code {run.returncode} (signal or trap)"
    if "Fatal error" in run.stderr:
        return "Swift 'Fatal error' on stderr"
    return None


class Floe:
    """The command line under test."""

    def __init__(self, binary: Path):
        self.binary = binary

    def run(self, *args: object, expect: int | Iterable[int] | None = 0, timeout: float = 120) -> Run:
        """Runs floe; fails on crash or hang, and (unless expect is None) on another exit code."""
        argv = [str(a) for a in args]
        try:
            proc = subprocess.run([str(self.binary), *argv], capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"floe {' '.join(argv)} did not finish within {timeout}s")
        stderr = proc.stderr.decode("utf-8", "replace")
        try:
            stdout = proc.stdout.decode("utf-8")
        except UnicodeDecodeError as e:
            stdout = proc.stdout.decode("utf-8", "replace")
            run = Run(argv, proc.returncode, stdout, stderr)
            pytest.fail(f"stdout is not valid UTF-8 ({e})\n{run.describe()}")
        run = Run(argv, proc.returncode, stdout, stderr)
        why = crash_reason(run)
        if why:
            pytest.fail(f"floe crashed: {why}\n{run.describe()}")
        if expect is not None:
            allowed = {expect} if isinstance(expect, int) else set(expect)
            if run.returncode not in allowed:
                pytest.fail(f"expected exit {sorted(allowed)}\n{run.describe()}")
            if run.returncode != 0 and not run.stderr.strip():
                pytest.fail(f"exit {run.returncode} without a message on stderr\n{run.describe()}")
        return run

    def cat_rows(self, path: Path | str, *extra: object) -> list:
        """`floe cat --format jsonl`, parsed strictly (see canonical.parse_line)."""
        run = self.run("cat", path, "--format", "jsonl", *extra)
        return parse_jsonl_output(run)

    def inspect(self, path: Path | str) -> dict:
        run = self.run("inspect", path, "--json")
        try:
            doc = json.loads(run.stdout)
        except json.JSONDecodeError as e:
            pytest.fail(f"inspect --json is not one JSON document: {e}\n{run.describe()}")
        if not isinstance(doc, dict):
            pytest.fail(f"inspect --json is not a JSON object\n{run.describe()}")
        return doc


def parse_jsonl_output(run: Run) -> list:
    try:
        return canonical.parse_jsonl(run.stdout)
    except ValueError as e:
        pytest.fail(f"output is not strict JSON lines: {e}\n{run.describe()}")
