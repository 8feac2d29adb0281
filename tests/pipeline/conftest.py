"""Fixtures for tests that run the real CLI, or Ray in the test's own process."""

from __future__ import annotations

import os
from functools import partial

import pytest

from cli_helpers import REPO, run_cli, write_small_config


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def small_config(tmp_path):
    """A copy of the demo config over `clips` demo speech clips, with a small token budget and many small
    units and batches (many commits). Returns a function: (**overrides) -> path of the written config."""
    return partial(write_small_config, tmp_path)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory):
    """One clean run of the small config (6 speech clips, 12 rows), redirected, with a progress line every 2 s;
    shared by the tests that need a finished run of it: (config path, output folder, CompletedProcess)."""
    folder = tmp_path_factory.mktemp("small-run")
    config = write_small_config(folder)
    output = folder / "clean"
    result = run_cli("run", "--config", str(config), "--output", str(output), "--progress-every", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    return config, output, result


@pytest.fixture(scope="module")
def local_ray():
    """Ray in this process (2 CPUs, no dashboard); its workers import the repository and the test helpers."""
    ray = pytest.importorskip("ray")
    paths = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "pipeline"), os.environ.get("PYTHONPATH", "")]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env={"env_vars": {"PYTHONPATH": ":".join(paths)}})
    yield
    ray.shutdown()
