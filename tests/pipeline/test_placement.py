"""The placement a config asks of Ray (pipeline/placement.py), checked against nodes described as Ray
describes them (total resources per node); the output check for clusters; the job a `submit` sends.
The same checks against a real two-node Ray cluster are in test_cluster.py."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.cluster import cluster_address, output_problem
from pipeline.config import ConfigError, RunConfig, load_config
from pipeline.jobs import EXIT_JOB_FAILED, exit_code, job_request, mask
from pipeline.placement import demands, placement_problem, placement_table

from cli_helpers import REPO

BASE = {"sources": [{"name": "demo", "manifest": "demo/manifest.jsonl", "domain": "speech"}], "generation": {"model": "org/model"}}
GIB = 2**30
GPU_NODE = {"CPU": 96.0, "GPU": 8.0, "memory": 1000.0 * GIB, "gpu_node": 1.0, "node:10.0.0.2": 1.0}
CPU_NODE = {"CPU": 64.0, "memory": 200.0 * GIB, "cpu_node": 1.0, "node:10.0.0.1": 1.0, "node:__internal_head__": 1.0}


def config_with(**extra) -> RunConfig:
    return RunConfig.model_validate({**BASE, **extra})


@pytest.fixture(scope="module")
def recipe() -> RunConfig:
    return load_config(REPO / "configs/aqa5m.yaml")


def test_every_step_is_a_demand_with_its_configured_resources():
    config = config_with(
        attributes={"enabled": True, "extractors": [{"name": "asr", "kind": "asr", "model": "m", "device": "cuda", "num_gpus": 0.5, "concurrency": 3}]},
        placement={"measure": {"num_cpus": 2, "resources": {"node2": 1}, "memory": GIB}, "engine": {"resources": {"gpu_node": 0.01}},
                   "engine_helpers": {"num_cpus": 0.5, "concurrency": [2, 4]}},  # fmt: skip
        generation={"model": "org/model", "replicas": 3, "cpus_per_replica": 2, "engine": {"tensor_parallel_size": 2}},
    )
    by_name = {d.name: d for d in demands(config)}
    assert list(by_name) == ["ingest", "probe", "measure", "asr", "cut", "describe", "engine_helpers", "engine", "checks", "commit"]
    assert by_name["checks"].runs_as == "actor" and by_name["checks"].held == 1  # the trainer's tokenizer loads once per actor
    assert by_name["measure"].unit == {"CPU": 2, "memory": GIB, "node2": 1} and by_name["measure"].held == 0
    assert by_name["asr"].unit == {"CPU": 1.0, "GPU": 0.5} and by_name["asr"].held == 3
    assert by_name["engine_helpers"].unit == {"CPU": 0.5} and by_name["engine_helpers"].held == 0  # tasks: nothing held between batches
    # tensor_parallel_size 2: two bundles of {GPU 1, CPU 2} per replica, plus the custom resource
    assert by_name["engine"].unit == {"GPU": 1, "CPU": 2, "gpu_node": 0.01} and by_name["engine"].held == 6
    assert by_name["commit"].batch_size == 512


def test_the_table_shows_each_step_and_what_the_run_holds():
    lines = placement_table(config_with(placement={"probe": {"num_cpus": 1.5, "resources": {"cpu_node": 0.001}, "memory": 2 * GIB}}))
    assert lines[0].split() == ["step", "runs", "as", "CPUs", "GPUs", "memory", "custom", "resources", "concurrency", "batch"]
    probe = next(line for line in lines if line.startswith("probe"))
    assert probe.split() == ["probe", "task", "1.5", "0", "2GiB", "cpu_node:", "0.001", "auto", "64"]
    engine = next(line for line in lines if line.startswith("engine "))
    assert "1 replica(s) x 1 bundle(s)" in engine and engine.split()[3:5] == ["1", "1"]  # cuda by default: 1 CPU, 1 GPU
    assert lines[-1].endswith("CPU 1.25, GPU 1")  # engine 1 + the checks actor 0.25 (the engine's helpers are tasks)


def test_the_recipe_layout_fits_two_gpu_nodes_of_eight_and_a_cpu_node(recipe):
    assert placement_problem(recipe, [CPU_NODE, GPU_NODE, GPU_NODE]) is None
    held = {d.name: (d.held, d.unit.get("GPU", 0)) for d in demands(recipe)}
    assert held["engine"] == (14, 1) and held["whisper"] == (8, 0.25)  # 14 + 8 x 0.25 = 16 GPUs
    assert all(d.unit.get("cpu_node") for d in demands(recipe) if d.runs_as == "task")


def test_more_gpus_than_the_cluster_has_are_refused(recipe):
    problem = placement_problem(recipe, [CPU_NODE, GPU_NODE])
    assert problem == ("the run holds 16 GPU at once (whisper 8 x 0.25, engine 14 x 1) but the cluster has 8 "
                       "(2 nodes, 160 CPU, 8 GPU, custom cpu_node: 1, gpu_node: 1)")  # fmt: skip


def test_a_custom_resource_no_node_has_is_refused(recipe):
    problem = placement_problem(recipe, [GPU_NODE, GPU_NODE])
    assert problem.startswith("placement.ingest: custom resource 'cpu_node' is on no node of the cluster (2 nodes, 192 CPU, 16 GPU")
    assert problem.endswith("""start a node with `ray start --resources='{"cpu_node": 1}'`""")


def test_no_gpu_at_all_and_a_bundle_no_single_node_holds():
    config = config_with()  # engine on cuda by default
    assert placement_problem(config, [CPU_NODE]).startswith(
        "generation.replicas / placement.engine: one engine bundle needs 1 GPU, but the cluster has no GPU")
    big = config_with(generation={"model": "org/model", "cpus_per_replica": 100})
    assert placement_problem(big, [CPU_NODE, GPU_NODE]) == (
        "generation.replicas / placement.engine: one engine bundle needs {GPU: 1, CPU: 100}, more than any single "
        "node holds (largest: {GPU: 8, CPU: 96})")  # fmt: skip
    heavy = config_with(placement={"probe": {"num_cpus": 1, "memory": 300 * GIB}}, generation={"model": "org/model", "engine": {"device": "cpu"}})
    assert "placement.probe: one task needs {CPU: 1, memory: 300GiB}, more than any single node holds" in placement_problem(heavy, [CPU_NODE])


def test_gpu_fractions_are_placed_per_device():
    def actors(gpus: float, count: int) -> RunConfig:
        extractor = {"name": "asr", "kind": "asr", "model": "m", "device": "cuda", "num_gpus": gpus, "concurrency": count}
        return config_with(attributes={"extractors": [extractor]}, generation={"model": "org/model", "engine": {"device": "cpu"}})

    one_gpu, two_gpus = {"CPU": 8.0, "GPU": 1.0}, {"CPU": 8.0, "GPU": 2.0}
    assert placement_problem(actors(0.25, 4), [one_gpu]) is None  # four share one GPU
    assert placement_problem(actors(0.75, 2), [one_gpu, one_gpu]) is None
    assert "more than any single node holds (largest: {CPU: 8, GPU: 1})" in placement_problem(actors(2, 1), [one_gpu, one_gpu])
    # 3 x 0.6 = 1.8 GPUs fit the node's total of 2, but a fraction stays on one device: only two fit.
    assert placement_problem(actors(0.6, 3), [two_gpus]) == (
        "attributes.extractors[0] (asr): actor 3 of 3 {CPU: 1, GPU: 0.6} fits on no node next to the other held units "
        "(left per node: {CPU: 6, GPU: 0.8})")  # fmt: skip
    assert placement_problem(actors(0.6, 3), [two_gpus, one_gpu]) is None


def test_tasks_that_find_no_room_next_to_the_actors_are_refused():
    config = config_with(placement={"probe": {"num_cpus": 2}}, generation={"model": "org/model", "engine": {"device": "cpu"}, "cpus_per_replica": 2})
    # 2 (engine) + 0.75 (helper pools) held of 4 CPUs: 1.25 left, less than one probe task's 2.
    assert placement_problem(config, [{"CPU": 4.0}]) == (
        "placement.probe: a task needs {CPU: 2}, but no node has that left next to the actors and engine bundles: the run would wait forever")
    assert placement_problem(config, [{"CPU": 5.0}]) is None


def test_held_units_leave_a_pinned_steps_node_to_it_in_either_node_order():
    # The two-node test cluster: the engine bundle (2 CPUs) fits on both nodes, but measure is pinned to node2
    # (2 CPUs): the engine goes to the head, whichever order the nodes are listed in.
    config = config_with(attributes={"enabled": True}, placement={"measure": {"resources": {"node2": 1}}},
                         generation={"model": "org/model", "engine": {"device": "cpu"}, "cpus_per_replica": 2})  # fmt: skip
    assert {d.name: d.unit for d in demands(config)}["measure"] == {"CPU": 0.25, "node2": 1}
    head, node2 = {"CPU": 4.0, "node:__internal_head__": 1.0}, {"CPU": 2.0, "node2": 1.0}
    assert placement_problem(config, [head, node2]) is None
    assert placement_problem(config, [node2, head]) is None
    # Room for it nowhere but on node2: refused in both orders.
    small_head = {"CPU": 1.0, "node:__internal_head__": 1.0}
    for nodes in ([small_head, node2], [node2, small_head]):
        assert placement_problem(config, nodes) == (
            "placement.measure: a task needs {CPU: 0.25, node2: 1}, but no node has that left next to the actors and engine bundles: "
            "the run would wait forever")  # fmt: skip


@pytest.mark.parametrize(
    "output, shared, nodes, problem",
    [
        ("/data/out", False, 2, "output.dir /data/out is a local path: each node would write its own disk, but the Ray cluster has 2 nodes; "
                                "use s3://... or gs://..., or a folder every node mounts at the same path with output.shared_filesystem: true"),
        ("/data/out", True, 2, None),
        ("/data/out", False, 1, None),
        ("memory://out", True, 3, "output.dir memory://out is memory://, which lives in one process, but the Ray cluster has 3 nodes; "
                                  "use s3://... or gs://..., or a folder every node mounts at the same path with output.shared_filesystem: true"),
        ("s3://bucket/out", False, 2, None),
    ],
)
def test_a_cluster_of_several_nodes_needs_shared_output(output, shared, nodes, problem):
    config = config_with(output={"dir": output, "shared_filesystem": shared})
    assert output_problem(config, nodes) == problem


def test_the_cluster_a_run_joins(monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert cluster_address(config_with()) is None  # a local Ray of ray.num_cpus
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.1:6379")  # as inside a Ray job
    assert cluster_address(config_with(ray={"num_cpus": 4})) == "10.0.0.1:6379"
    assert cluster_address(config_with(ray={"address": "auto"})) == "auto"
    monkeypatch.setenv("RAY_ADDRESS", "")
    assert cluster_address(config_with()) is None


def test_shared_filesystem_is_not_part_of_the_fingerprint():
    assert config_with(output={"shared_filesystem": True}).fingerprint() == config_with().fingerprint()


def test_validate_prints_the_placement_without_a_cluster(monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    result = CliRunner().invoke(app, ["validate", "--config", str(REPO / "configs/demo.yaml"), "--placement"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("step ") and [line.split()[0] for line in lines[2:11]] == [
        "ingest", "probe", "measure", "cut", "describe", "engine_helpers", "engine", "checks", "commit"]  # fmt: skip
    assert lines[-1] == "placement: not checked against a cluster (none named: ray.address, RAY_ADDRESS or --address)"


# ---- the job `desta-data submit` sends ---------------------------------------------------------------------


def test_the_job_runs_desta_data_run_with_the_config_inside_the_working_dir(tmp_path, monkeypatch):
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "job.yaml"
    config.write_text((REPO / "configs/demo.yaml").read_text().replace("model: ../.models/", f"model: {REPO}/.models/"))
    monkeypatch.setenv("DESTA_TEST_TOKEN", "hf_secretvalue123")
    request = job_request(config, output="s3://bucket/out", env=["DESTA_TEST_TOKEN"], working_dir=tmp_path)
    assert request.entrypoint == "desta-data run --config configs/job.yaml --output s3://bucket/out"
    assert request.runtime_env == {"working_dir": str(tmp_path), "env_vars": {"DESTA_TEST_TOKEN": "hf_secretvalue123"}}
    assert "hf_secretvalue123" not in request.entrypoint
    # Without a working_dir the cluster reads the config where it is (a shared filesystem).
    assert job_request(config, restart=True).entrypoint == f"desta-data run --config {config} --restart"
    with pytest.raises(ConfigError, match=r"--env NOT_SET_ANYWHERE: not set in this environment"):
        job_request(config, env=["NOT_SET_ANYWHERE"])
    with pytest.raises(ConfigError, match=r"is not inside --working-dir"):
        job_request(config, working_dir=REPO)
    with pytest.raises(ConfigError, match="unknown key"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(config.read_text() + "\nnot_a_key: 1\n")
        job_request(bad)


def test_exit_code_of_a_job_and_masking():
    assert exit_code("SUCCEEDED", 0) == 0
    assert exit_code("FAILED", 2) == 2 and exit_code("FAILED", 3) == 3  # desta-data's own: bad config, pipeline failed
    assert exit_code("FAILED", None) == EXIT_JOB_FAILED  # e.g. the runtime env could not be set up
    assert exit_code("STOPPED", -15) == EXIT_JOB_FAILED
    assert mask("token=abc123 and abc123x", ["abc123"]) == "token=*** and ***x"
