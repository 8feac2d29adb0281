"""The Ray a run uses: a local one, or a cluster it joins, what that cluster holds, and what a cluster of
several nodes asks of the output folder."""

from __future__ import annotations

import logging
import os

from pipeline.config import ConfigError, RunConfig
from pipeline.storage import filesystem

log = logging.getLogger("desta_data")
SHARED_OUTPUT_HINT = "use s3://... or gs://..., or a folder every node mounts at the same path with output.shared_filesystem: true"


def cluster_address(config: RunConfig) -> str | None:
    """The cluster a run joins: `ray.address`, else RAY_ADDRESS (Ray sets it inside a job); None: a local Ray."""
    return config.ray.address or os.environ.get("RAY_ADDRESS") or None


def init_ray(config: RunConfig) -> None:
    """Join the named cluster as it is (its nodes decide CPUs and GPUs), or start a local Ray of ray.num_cpus."""
    import ray

    if ray.is_initialized():
        return
    logs = os.environ.get("DESTA_RAY_LOGS", "0") == "1"
    address = cluster_address(config)
    # Ray's own "Started a local Ray instance" line is INFO with colour codes in it, also when redirected
    # to a file; desta-data says where the dashboard is itself, in plain text.
    quiet = {"log_to_driver": logs, "logging_level": logging.WARNING}
    if address is None:
        # "local": a new Ray even where `ray start` left a cluster running on this machine (Ray would join it).
        context = ray.init(address="local", num_cpus=config.ray.num_cpus, include_dashboard=config.ray.include_dashboard, **quiet)
        if context.dashboard_url:
            log.info("desta-data: started a local Ray; its dashboard: http://%s", context.dashboard_url)
        return
    ray.init(address=config.ray.address, **quiet)  # None: Ray reads RAY_ADDRESS
    ignored = f"; ray.num_cpus ({config.ray.num_cpus}) does not apply to a cluster" if config.ray.num_cpus else ""
    log.info("desta-data: joined the Ray cluster at %s: %s%s", ray.get_runtime_context().gcs_address, describe_nodes(alive_nodes()), ignored)


def cluster_nodes(address: str) -> list[dict[str, float]]:
    """The alive nodes of the cluster at `address` (HOST:PORT or auto), read by a short-lived connection."""
    import ray

    try:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise ConfigError(f"no Ray cluster reachable at {address}: {' '.join(str(error).split())[:200]}") from None
    try:
        return alive_nodes()
    finally:
        ray.shutdown()


def alive_nodes() -> list[dict[str, float]]:
    """Total resources of each alive node of the connected Ray (CPU, GPU, memory, custom resources)."""
    import ray

    return [dict(node["Resources"]) for node in ray.nodes() if node.get("Alive")]


def custom_resources(node: dict[str, float]) -> dict[str, float]:
    """A node's resources as a user names them: without CPU/GPU/memory and Ray's own node: and accelerator labels."""
    own = {"CPU", "GPU", "memory", "object_store_memory"}
    return {k: v for k, v in node.items() if k not in own and not k.startswith(("node:", "accelerator_type:"))}


def describe_nodes(nodes: list[dict[str, float]]) -> str:
    """`2 nodes, 6 CPU, 0 GPU, custom node2: 1`."""
    totals: dict[str, float] = {}
    for node in nodes:
        for key, amount in custom_resources(node).items():
            totals[key] = totals.get(key, 0) + amount
    cpus, gpus = (sum(node.get(key, 0) for node in nodes) for key in ("CPU", "GPU"))
    custom = ", ".join(f"{key}: {amount:g}" for key, amount in sorted(totals.items()))
    return f"{len(nodes)} node{'s' * (len(nodes) != 1)}, {cpus:g} CPU, {gpus:g} GPU" + (f", custom {custom}" if custom else "")


def output_problem(config: RunConfig, nodes: int) -> str | None:
    """Why the output folder cannot serve a cluster of `nodes` nodes: workers write committed parts, progress
    markers and quarantine there, and the driver reads them back, so every node must see the same folder."""
    if nodes < 2:
        return None
    output = config.output.dir
    fs, _ = filesystem(output)
    protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    if "memory" in protocols:
        where = "memory://, which lives in one process"
    elif "file" in protocols or "local" in protocols:
        if config.output.shared_filesystem:
            return None
        where = "a local path: each node would write its own disk"
    else:
        return None
    return f"output.dir {output} is {where}, but the Ray cluster has {nodes} nodes; {SHARED_OUTPUT_HINT}"
