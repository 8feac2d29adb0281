"""`desta-data submit`: a run as a Ray job through Ray's Jobs API, for those who prefer one command to
`ray job submit ... -- desta-data run ...` (which works as well: inside a job, `run` joins the job's cluster).

Secrets reach the job as environment variables named on the command line (`--env HF_TOKEN`), copied from the
submitter's environment into the job's runtime_env; never from the config, and never printed: what we echo
of the job (its logs, its final message) has their values masked.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.config import ConfigError, load_config

EXIT_JOB_FAILED = 5  # the job failed or was stopped without an exit code of desta-data's own (runtime env setup, `ray job stop`)
POLL_S = 2.0
MASK = "***"


@dataclass
class JobRequest:
    entrypoint: str
    runtime_env: dict = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)  # values to mask in anything we print


def job_request(config: Path, output: str | None = None, restart: bool = False, env: list[str] = (), working_dir: Path | None = None) -> JobRequest:
    """The job that runs `desta-data run` on the cluster. With a working_dir (uploaded by Ray, git-ignored
    files left out) the config travels inside it and is named relative to it; without one, the cluster must
    see the config at the same absolute path (a shared filesystem)."""
    load_config(config, output=output)  # a bad config fails here, before anything is submitted
    runtime_env: dict = {}
    path = str(config.resolve())
    if working_dir is not None:
        folder = working_dir.resolve()
        if not folder.is_dir():
            raise ConfigError(f"--working-dir {working_dir} is not a folder")
        if not config.resolve().is_relative_to(folder):
            raise ConfigError(f"--config {config} is not inside --working-dir {working_dir}: the job could not read it")
        path = str(config.resolve().relative_to(folder))
        runtime_env["working_dir"] = str(folder)
    variables, secrets = {}, []
    for name in env:
        value = os.environ.get(name)
        if value is None:
            raise ConfigError(f"--env {name}: not set in this environment (it passes the variable's value to the job by name)")
        variables[name] = value
        secrets.append(value)
    if variables:
        runtime_env["env_vars"] = variables
    command = ["desta-data", "run", "--config", path, *(["--output", output] if output else []), *(["--restart"] if restart else [])]
    return JobRequest(shlex.join(command), runtime_env, [s for s in secrets if s])


def mask(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def exit_code(status: str, driver_exit_code: int | None) -> int:
    """0 when the job succeeded; desta-data's own code when it ran and failed (2 bad config, 3 pipeline failed);
    EXIT_JOB_FAILED otherwise (the job failed before desta-data ran, was stopped, or its driver was killed)."""
    if status == "SUCCEEDED":
        return 0
    return driver_exit_code if driver_exit_code and driver_exit_code > 0 else EXIT_JOB_FAILED


def client(address: str | None):
    from ray.job_submission import JobSubmissionClient

    try:
        return JobSubmissionClient(address)
    except Exception as error:  # ConnectionError, RuntimeError, a requests error: all mean "not reachable"
        where = address or "RAY_API_SERVER_ADDRESS / RAY_ADDRESS"
        raise ConfigError(f"cannot reach a Ray cluster's Jobs API at {where}: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None


def submit(address: str | None, request: JobRequest, echo: Callable[[str], None], follow: bool = False, wait: bool = True) -> int:
    """Submit the job; with `wait`, wait for its end (streaming its logs with `follow`) and return its exit code."""
    jobs = client(address)
    try:
        job_id = jobs.submit_job(entrypoint=request.entrypoint, runtime_env=request.runtime_env or None)
    except Exception as error:  # the Jobs API refused it (e.g. a working_dir over Ray's upload limit)
        raise ConfigError(mask(f"the cluster refused the job: {' '.join(str(error).split())}", request.secrets)) from None
    names = ", ".join(request.runtime_env.get("env_vars", {})) or "none"
    echo(f"desta-data: submitted job {job_id} to {address or 'the cluster in RAY_API_SERVER_ADDRESS / RAY_ADDRESS'}")
    echo(f"  entrypoint: {request.entrypoint}; environment variables passed: {names}")
    if not wait:
        echo(f"  follow it with: ray job logs --follow {job_id}; stop it with: ray job stop {job_id}")
        return 0
    try:
        if follow:
            asyncio.run(_stream_logs(jobs, job_id, request.secrets, echo))
        status = _wait(jobs, job_id, echo if not follow else None)
    except KeyboardInterrupt:
        echo(f"desta-data: no longer watching; job {job_id} keeps running (stop it with: ray job stop {job_id})")
        return 130
    info = jobs.get_job_info(job_id)
    code = exit_code(str(status), info.driver_exit_code)
    message = mask((info.message or "").strip(), request.secrets)
    if code and not follow and message:
        echo(message)
    echo(f"desta-data: job {job_id} {str(status).lower()}; exit code {code}")
    return code


async def _stream_logs(jobs, job_id: str, secrets: list[str], echo: Callable[[str], None]) -> None:
    async for chunk in jobs.tail_job_logs(job_id):
        echo(mask(chunk.rstrip("\n"), secrets))


def _wait(jobs, job_id: str, echo: Callable[[str], None] | None):
    last = None
    while True:
        status = jobs.get_job_status(job_id)
        if echo and status != last:
            echo(f"  job {job_id}: {str(status).lower()}")
            last = status
        if status.is_terminal():
            return status
        time.sleep(POLL_S)
