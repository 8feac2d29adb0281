"""The chain as a list of steps: order, and every step's resources coming from the config's `placement:`."""

from __future__ import annotations

import pytest

from pipeline.config import ConfigError, RunConfig, load_config
from pipeline.steps import chain, ray_arguments

BASE = {
    "sources": [{"name": "demo", "manifest": "demo/manifest.jsonl", "domain": "speech"}],
    "generation": {"model": "org/model"},
}


def config_with(**extra) -> RunConfig:
    return RunConfig.model_validate({**BASE, **extra})


def test_chain_order_and_names():
    config = config_with(
        attributes={"enabled": True, "extractors": [{"name": "gender", "kind": "classifier", "model": "builtin:voice2gender", "attribute": "gender"}]}
    )
    names = [step.name for step in chain(config, "/tmp/out", "token")]
    assert names == ["ingest", "probe", "measure", "gender", "cut", "describe", "engine", "checks", "commit"]
    assert [s.kind for s in chain(config, "/tmp/out", "token")][3] == "actors"


def test_measure_step_only_when_attributes_are_on():
    names = [step.name for step in chain(config_with(), "/tmp/out", "token")]
    assert "measure" not in names and names[:2] == ["ingest", "probe"]


def test_every_step_takes_its_resources_from_placement():
    config = config_with(
        attributes={"enabled": True},
        placement={
            "probe": {"num_cpus": 1.5, "batch_size": 17, "resources": {"cpu_node": 0.01}, "memory": 2**30},
            "measure": {"num_cpus": 2, "resources": {"node2": 1}},
            "describe": {"num_cpus": 0.5, "concurrency": 3},
            "checks": {"num_cpus": 0.1},
            "commit": {"num_cpus": 0.2},
        },
        output={"rows_per_commit": 99},
    )
    steps = {step.name: step for step in chain(config, "/tmp/out", "token")}
    assert ray_arguments(steps["probe"].resources, "tasks") == {
        "batch_size": 17, "num_cpus": 1.5, "memory": 2**30, "resources": {"cpu_node": 0.01}}  # fmt: skip
    assert ray_arguments(steps["measure"].resources, "tasks")["resources"] == {"node2": 1}
    assert ray_arguments(steps["describe"].resources, "tasks")["concurrency"] == 3
    assert steps["checks"].resources.num_cpus == 0.1
    # The commit step's batch is the commit size; ingest reads one source per task.
    assert ray_arguments(steps["commit"].resources, "tasks") == {"batch_size": 99, "num_cpus": 0.2}
    assert steps["ingest"].resources.batch_size == 1


def test_extractor_pool_placement():
    extractor = {"name": "gender", "kind": "classifier", "model": "builtin:voice2gender", "attribute": "gender",
                 "num_cpus": 0.5, "concurrency": 3, "resources": {"cpu_node": 1}}  # fmt: skip
    config = config_with(attributes={"extractors": [extractor]})
    (step,) = [s for s in chain(config, "/tmp/out", "token") if s.name == "gender"]
    arguments = ray_arguments(step.resources, step.kind)
    assert arguments["num_cpus"] == 0.5 and arguments["resources"] == {"cpu_node": 1}
    assert (arguments["compute"].min_size, arguments["compute"].max_size) == (3, 3)


def test_older_top_level_step_keys_move_into_placement_and_keep_the_fingerprint():
    old = config_with(ingest={"batch_size": 32, "num_cpus": 0.5}, probe={"num_cpus": 1})
    new = config_with(placement={"ingest": {"batch_size": 32, "num_cpus": 0.5}, "probe": {"num_cpus": 1}})
    assert old.placement == new.placement
    assert old.fingerprint() == new.fingerprint()
    # Only the unit of work decides rows: resources do not change the fingerprint.
    assert config_with(placement={"probe": {"num_cpus": 3}}).fingerprint() == config_with().fingerprint()
    assert config_with(placement={"ingest": {"batch_size": 7}}).fingerprint() != config_with().fingerprint()


@pytest.mark.parametrize(
    "placement, message",
    [
        ({"probe": {"resources": {"GPU": 1}}}, "placement.probe.resources: ['GPU'] are set with num_cpus/num_gpus/memory"),
        ({"prob": {"num_cpus": 1}}, "placement.prob: unknown key"),
        ({"describe": {"num_cpus": -1}}, "placement.describe.num_cpus: Input should be greater than or equal to 0"),
    ],
)
def test_bad_placement_names_the_key(tmp_path, placement, message):
    import yaml

    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({**BASE, "placement": placement}))
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)


def test_a_step_given_twice_is_refused():
    with pytest.raises(ValueError, match="probe: set it under placement.probe only"):
        config_with(probe={"num_cpus": 1}, placement={"probe": {"num_cpus": 2}})


def test_engine_helpers_run_on_cpus():
    with pytest.raises(ValueError, match=r"placement.engine_helpers[\s\S]*num_gpus does not apply"):
        config_with(placement={"engine_helpers": {"num_gpus": 1}})


def test_engine_replica_bundle_gets_custom_resources():
    from pipeline.generation import helper_map_kwargs

    config = config_with(placement={"engine": {"resources": {"gpu_node": 1}}, "engine_helpers": {"num_cpus": 0.5, "concurrency": 2, "memory": 10, "resources": {"cpu_node": 0.001}}})
    assert helper_map_kwargs(config.placement.engine_helpers) == {"num_cpus": 0.5, "concurrency": 2, "memory": 10, "resources": {"cpu_node": 0.001}}
    assert config.placement.engine.resources == {"gpu_node": 1}
