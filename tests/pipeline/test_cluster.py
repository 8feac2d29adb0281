"""A real Ray cluster of two nodes on this machine (`ray start --head` and `ray start --address`, loopback,
their own ports and temp folder): the demo config as a Ray job through the Jobs API (`desta-data submit`)
gives the rows of a local run; a local output folder is refused on it; a step's declared resources put it
on the node that has them; `validate --placement` checks a layout against the cluster's nodes.

The demo model reaches the job by its absolute path: both nodes are this machine (on a real cluster: a Hub id,
a shared mount, or a path the nodes' image provides). The job's code is desta-data as installed on the nodes
(here: this checkout on the nodes' PYTHONPATH); the uploaded working_dir holds the config and its manifest.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from cli_helpers import CLI, REPO, run_cli

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray")

NODE_IP = "127.0.0.2"  # loopback; Ray replaces 127.0.0.1 by the machine's network address, not other 127.x addresses
MARKER = "DESTA_TEST_CLUSTER"  # in every process the cluster starts: teardown ends exactly those
START_TIMEOUT_S = 240


def free_ports(count: int) -> list[int]:
    """Free ports below the kernel's ephemeral range, whose ports any outgoing connection may take between this pick
    and Ray's bind (CI lost a node's start so), and above Ray's worker ports (10002-19999)."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    span = range(20000, low if low > 21000 else 30000)
    candidates = random.sample(span, len(span))
    ports = []
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"fewer than {count} free ports in {span.start}-{span.stop - 1}")


class Cluster:
    def __init__(self, root: Path):
        self.root, self.token = root, uuid.uuid4().hex
        ports = free_ports(3)
        self.gcs = f"{NODE_IP}:{ports[0]}"
        self.dashboard = f"http://127.0.0.1:{ports[1]}"
        bin_dir = str(Path(CLI).parent)
        self.env = {**os.environ, "RAY_AUTH_MODE": "disabled", MARKER: self.token, "PATH": f"{bin_dir}:{os.environ['PATH']}",
                    "PYTHONPATH": str(REPO), "DESTA_PROGRESS": "0", "HF_HUB_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0"}  # fmt: skip
        self.env.pop("RAY_ADDRESS", None)
        common = ["--block", f"--node-ip-address={NODE_IP}", "--disable-usage-stats"]
        self.head_args = ["--head", f"--port={ports[0]}", f"--dashboard-port={ports[1]}", "--dashboard-host=127.0.0.1",
                          "--include-dashboard=true", "--num-cpus=4", f"--ray-client-server-port={ports[2]}",
                          f"--temp-dir={root}/h", *common]  # fmt: skip
        self.node2_args = [f"--address={self.gcs}", "--num-cpus=2", '--resources={"node2": 1}', f"--temp-dir={root}/n", *common]
        self.processes: list[subprocess.Popen] = []

    @staticmethod
    def _node_ports() -> list[str]:
        """A node's own ports, picked afresh for each start attempt: one taken since the pick fails only that attempt."""
        names = ("node-manager-port", "object-manager-port", "dashboard-agent-listen-port", "dashboard-agent-grpc-port",
                 "runtime-env-agent-port", "metrics-export-port")  # fmt: skip
        return [f"--{name}={port}" for name, port in zip(names, free_ports(len(names)))]

    def _start(self, name: str, args: list[str]) -> None:
        for attempt in range(3):  # a busy machine can miss Ray's fixed 30 s node start-up window: try again
            log = self.root / f"{name}-{attempt}.log"
            process = subprocess.Popen([str(Path(CLI).with_name("ray")), "start", *args, *self._node_ports()], stdout=log.open("w"),
                                       stderr=subprocess.STDOUT, env=self.env, start_new_session=True)  # fmt: skip
            self.processes.append(process)
            deadline = time.monotonic() + START_TIMEOUT_S
            while time.monotonic() < deadline and process.poll() is None and "block forever" not in log.read_text():
                time.sleep(1)
            if process.poll() is None and "block forever" in log.read_text():
                return
            self._stop(process)
        fatal = [line for raylet in self.root.glob("*/session_*/logs/raylet.out") for line in raylet.read_text().splitlines() if " C " in line]
        raise RuntimeError(f"ray start {name} failed 3 times: {log.read_text()[-1500:]}\nraylet: {fatal[-3:]}")

    def start(self) -> "Cluster":
        self._start("head", self.head_args)
        self._start("node2", self.node2_args)
        from ray.util.state import list_nodes

        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                if sum(node.state == "ALIVE" for node in list_nodes(address=self.dashboard, timeout=10)) == 2:
                    return self
            except Exception:  # the dashboard is still starting
                pass
            time.sleep(2)
        raise RuntimeError("the two Ray nodes did not both come up")

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def stop(self) -> None:
        for process in reversed(self.processes):
            self._stop(process)
        # Workers Ray started outside the two process groups still carry the marker in their environment.
        for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
            try:
                if f"{MARKER}={self.token}".encode() in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                    os.kill(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass

    def node_id(self, resource: str) -> str:
        return next(node["NodeID"] for node in ray.nodes() if node["Alive"] and resource in node["Resources"])


@pytest.fixture(scope="module")
def cluster():
    root = Path(tempfile.mkdtemp(prefix="dc", dir="/tmp"))  # short: Ray's socket paths live under it
    started = Cluster(root)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("RAY_AUTH_MODE", "disabled")  # for this process's own clients (Jobs API, ray.init)
            yield started.start()
    finally:
        started.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def job_config(tmp_path_factory, small_run):
    """The config of the shared small run (conftest.py: six demo speech clips, two prompts each, a short answer,
    the response checks off) as a job: its working_dir is its folder (config and manifest, data_root "."); audio
    and model by absolute path (this machine is both nodes). Same rows, so the small run is the local run."""
    folder = tmp_path_factory.mktemp("job")
    config = yaml.safe_load(small_run[0].read_text())
    shutil.copy(Path(config["data_root"]) / "manifest.jsonl", folder / "manifest.jsonl")
    config["data_root"] = "."
    assert config["ray"]["num_cpus"] == 4  # kept: inside a job it must not reach ray.init
    config["output"] = {**config["output"], "dir": str(folder.parent / "unused-out")}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def submit(cluster: Cluster, config: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cli("submit", "--config", str(config), "--address", cluster.dashboard, "--working-dir", str(config.parent), *args,
                   env={"RAY_AUTH_MODE": "disabled", **(env or {})})  # fmt: skip


def rows(folder: Path) -> list[dict]:
    table = pq.read_table(folder / "data").sort_by("id")
    return table.select(["id", "response", "prompt_id", "sampling_seed"]).to_pylist()


def test_the_demo_as_a_job_gives_the_rows_of_a_local_run(cluster, job_config, small_run, tmp_path):
    secret = f"hf_{uuid.uuid4().hex}"
    shared = tmp_path / "shared-out"  # one folder both nodes see, declared shared
    config = yaml.safe_load(job_config.read_text())
    config["output"].update({"dir": str(shared), "shared_filesystem": True})
    job_config.write_text(yaml.safe_dump(config))

    result = submit(cluster, job_config, "--follow", "--env", "DESTA_TEST_SECRET", env={"DESTA_TEST_SECRET": secret})
    printed = result.stdout + result.stderr
    assert result.returncode == 0, printed[-4000:]
    job_id = next(line.split()[3] for line in result.stdout.splitlines() if line.startswith("desta-data: submitted job "))
    assert f"desta-data: joined the Ray cluster at {cluster.gcs}: 2 nodes, 6 CPU, 0 GPU, custom node2: 1; ray.num_cpus (4) does not apply" in printed
    assert f"desta-data: job {job_id} succeeded; exit code 0" in result.stdout

    from ray.job_submission import JobSubmissionClient

    jobs = JobSubmissionClient(cluster.dashboard)
    info = jobs.get_job_info(job_id)
    assert info.runtime_env["env_vars"]["DESTA_TEST_SECRET"] == secret  # it reached the job, by name
    assert secret not in printed and secret not in jobs.get_job_logs(job_id)

    on_cluster, on_one_machine = rows(shared), rows(small_run[1])  # the small run: the same config on a local Ray
    clips = [json.loads(line)["id"] for line in (job_config.parent / "manifest.jsonl").read_text().splitlines()]
    assert [row["id"] for row in on_cluster] == sorted(f"small/{clip}#{k}" for clip in clips for k in (0, 1))
    assert on_cluster == on_one_machine and all(row["response"].strip() for row in on_cluster)
    assert json.loads((shared / "manifest.json").read_text())["rows"] == 12


def test_a_local_output_folder_is_refused_on_the_two_node_cluster(cluster, job_config, tmp_path):
    config = yaml.safe_load(job_config.read_text())
    config["output"] = {"dir": str(tmp_path / "local-out")}
    path = job_config.parent / "local-output.yaml"
    path.write_text(yaml.safe_dump(config))

    result = submit(cluster, path)
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]  # the job's own exit code
    expected = (f"desta-data: error: output.dir {tmp_path / 'local-out'} is a local path: each node would write its own disk, "
                "but the Ray cluster has 2 nodes; use s3://... or gs://..., or a folder every node mounts at the same path "
                "with output.shared_filesystem: true")  # fmt: skip
    assert expected in result.stdout.splitlines()
    assert "Traceback" not in result.stdout and not (tmp_path / "local-out").exists()
    # `run` itself, pointed at the cluster by RAY_ADDRESS, refuses it the same way in one line.
    direct = run_cli("run", "--config", str(path), env={"RAY_ADDRESS": cluster.gcs}, timeout=300)
    errors = [line for line in direct.stderr.splitlines() if line.startswith("desta-data: error:")]
    assert direct.returncode == 2 and errors == [expected] and direct.stderr.strip().endswith(expected)
    assert f"desta-data: joined the Ray cluster at {cluster.gcs}" in direct.stderr and "Traceback" not in direct.stderr


def test_a_steps_custom_resource_puts_it_on_the_node_that_has_it(cluster, job_config):
    from pipeline.config import load_config
    from pipeline.steps import apply, chain

    config = load_config(job_config)
    config.placement.measure.resources = {"node2": 1}
    ray.init(address=cluster.gcs, log_to_driver=False)
    try:
        steps = {step.name: step for step in chain(config, str(job_config.parent / "scratch"), run_token="t")}
        measure = steps["measure"]
        run = measure.run

        def measured_where(batch: pa.Table) -> pa.Table:  # runs in the measure task: records its node
            out = run(batch)
            return out.append_column("node", pa.array([ray.get_runtime_context().get_node_id()] * out.num_rows, pa.string()))

        measure.run = measured_where
        ds = ray.data.from_items([{"source_index": 0}])
        for step in (steps["ingest"], steps["probe"], measure):
            ds = apply(ds, step, config)
        nodes = [row["node"] for row in ds.take_all()]
        node2, head = cluster.node_id("node2"), cluster.node_id("node:__internal_head__")
    finally:
        ray.shutdown()
    assert len(nodes) == 6 and set(nodes) == {node2} and node2 != head


def test_validate_checks_the_placement_against_the_cluster(cluster, job_config, tmp_path):
    config = yaml.safe_load(job_config.read_text())
    config["output"] = {"dir": "s3://bucket/out"}
    config["placement"] = {"measure": {"resources": {"node2": 1}}}
    fits = tmp_path / "fits.yaml"
    fits.write_text(yaml.safe_dump(config))
    config["placement"] = {"measure": {"resources": {"node3": 1}}}
    refused = tmp_path / "refused.yaml"
    refused.write_text(yaml.safe_dump(config))
    env = {"RAY_AUTH_MODE": "disabled"}

    ok = run_cli("validate", "--config", str(fits), "--address", cluster.gcs, env=env, timeout=300)
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert any(line.split()[:6] == ["measure", "task", "0.25", "0", "-", "node2:"] for line in ok.stdout.splitlines())
    assert ok.stdout.splitlines()[-1] == f"placement: fits the Ray cluster at {cluster.gcs} (2 nodes, 6 CPU, 0 GPU, custom node2: 1)"
    bad = run_cli("validate", "--config", str(refused), "--address", cluster.gcs, env=env, timeout=300)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines()[-1] == (
        "desta-data: error: placement.measure: custom resource 'node3' is on no node of the cluster (2 nodes, 6 CPU, 0 GPU, "
        """custom node2: 1); start a node with `ray start --resources='{"node3": 1}'`""")  # fmt: skip
