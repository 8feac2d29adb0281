"""Helpers for tests that run the real CLI (local Ray, vLLM CPU build, the SmolLM2 demo model)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


REPO = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).with_name("desta-data"))
CLI_ENV = {"DESTA_PROGRESS": "0", "RAY_AUTH_MODE": "disabled"}


def run_cli(*args: str, timeout: int = 900, env: dict[str, str] | None = None, **popen) -> subprocess.CompletedProcess:
    env = {**os.environ, **CLI_ENV, **(env or {})}
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO, **popen)


def start_cli(*args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """The CLI in its own process group (Ray's processes too), so a test can SIGKILL all of it at once."""
    env = {**os.environ, **CLI_ENV, **(env or {})}
    handle = log.open("w")
    return subprocess.Popen([CLI, *args], stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=REPO, start_new_session=True)
