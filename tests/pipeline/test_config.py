"""load_config: validation with one-line errors naming the key, path resolution, fingerprint, and the CLI."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.config import ConfigError, load_config
from schemas.records import AUDIO_MARKER, AUDIO_PLACEHOLDER

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "configs" / "demo.yaml"
DEMO_RAW = yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def write_config(tmp_path: Path, change=None, name: str = "run.yaml") -> Path:
    raw = copy.deepcopy(DEMO_RAW)
    if change:
        change(raw)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def config_error(tmp_path: Path, change) -> str:
    path = write_config(tmp_path, change)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


# ---- the demo config ---------------------------------------------------------------------------------


def test_demo_config_loads_and_resolves_paths():
    config = load_config(DEMO)
    assert config.seed == 1234
    assert config.data_root == str(REPO)
    assert [s.name for s in config.sources] == ["demo", "demo-csv"]
    assert [s.manifest for s in config.sources] == [str(REPO / "demo" / "manifest.jsonl"), str(REPO / "demo" / "extra.csv")]
    assert all(Path(s.manifest).is_file() for s in config.sources)
    assert config.generation.model == str(REPO / ".models" / "SmolLM2-135M-Instruct")
    assert config.output.dir == str(REPO / "runs" / "demo")
    assert config.prompts.per_clip == 2
    assert config.generation.sampling.max_tokens == 96
    assert config.generation.user_template.count(AUDIO_PLACEHOLDER) == 1


def test_paths_resolve_relative_to_the_config_folder(tmp_path):
    def change(raw):
        raw["data_root"] = "data"
        raw["output"]["dir"] = "out"
        raw["prompts"]["pools"] = {"speech": "pools/speech.jsonl"}
        raw["generation"]["model"] = "./model"
        raw["sources"][1]["manifest"] = "/abs/extra.csv"

    config = load_config(write_config(tmp_path, change))
    assert config.data_root == str(tmp_path / "data")
    assert config.sources[0].manifest == str(tmp_path / "data" / "demo" / "manifest.jsonl")
    assert config.sources[1].manifest == "/abs/extra.csv"
    assert config.output.dir == str(tmp_path / "out")
    assert config.prompts.pools == {"speech": str(tmp_path / "pools" / "speech.jsonl")}
    assert config.generation.model == str(tmp_path / "model")


def test_url_data_root_and_hub_model_are_left_alone(tmp_path):
    def change(raw):
        raw["data_root"] = "s3://bucket/corpus/"
        raw["generation"]["model"] = "HuggingFaceTB/SmolLM2-135M-Instruct"

    config = load_config(write_config(tmp_path, change))
    assert config.data_root == "s3://bucket/corpus/"
    assert config.sources[0].manifest == "s3://bucket/corpus/demo/manifest.jsonl"
    assert config.generation.model == "HuggingFaceTB/SmolLM2-135M-Instruct"


def test_output_override():
    config = load_config(DEMO, output="/somewhere/else")
    assert config.output.dir == "/somewhere/else"


# ---- errors name the key -----------------------------------------------------------------------------


def test_unknown_top_level_key(tmp_path):
    message = config_error(tmp_path, lambda raw: raw.update(sede=3))
    assert "sede: unknown key" in message


def test_unknown_nested_key_names_the_whole_path(tmp_path):
    message = config_error(tmp_path, lambda raw: raw["generation"]["sampling"].update(temprature=0.1))
    assert "generation.sampling.temprature" in message
    assert "unknown key" in message


def test_wrong_domain_names_the_source_index(tmp_path):
    message = config_error(tmp_path, lambda raw: raw["sources"][0].update(domain="speach"))
    assert "sources.0.domain" in message
    assert "speach" in message


def test_bins_file_for_a_measure_no_longer_made_is_named(tmp_path):
    """configs/bins/v1.json bins words per second; speaking speed is now measured in syllables per second."""
    message = config_error(tmp_path, lambda raw: raw["attributes"].update(bins=str(REPO / "configs" / "bins" / "v1.json")))
    assert "attributes.bins" in message and "speaking_rate_wps, which is no longer measured" in message


def test_missing_model_is_named(tmp_path):
    message = config_error(tmp_path, lambda raw: raw["generation"].pop("model"))
    assert "generation.model" in message
    assert "required" in message.lower()


def test_wrong_type_is_named(tmp_path):
    message = config_error(tmp_path, lambda raw: raw["generation"]["sampling"].update(max_tokens="lots"))
    assert "generation.sampling.max_tokens" in message


def test_out_of_range_value_is_named(tmp_path):
    message = config_error(tmp_path, lambda raw: raw["prompts"].update(per_clip=0))
    assert "prompts.per_clip" in message


def test_duplicate_source_names_are_rejected(tmp_path):
    message = config_error(tmp_path, lambda raw: raw["sources"].append(dict(raw["sources"][0])))
    assert "unique" in message and "demo" in message


def test_no_sources_is_rejected(tmp_path):
    message = config_error(tmp_path, lambda raw: raw.update(sources=[]))
    assert "sources" in message


@pytest.mark.parametrize("template", ["{prompt}", f"{AUDIO_PLACEHOLDER}", f"{{prompt}} {AUDIO_MARKER}",
                                      f"{{prompt}} {AUDIO_PLACEHOLDER}{AUDIO_PLACEHOLDER}"])  # fmt: skip
def test_user_template_without_one_placeholder_is_rejected(tmp_path, template):
    message = config_error(tmp_path, lambda raw: raw["generation"].update(user_template=template))
    assert "generation.user_template" in message


def test_not_yaml_and_not_a_mapping(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: [1, 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
    listing = tmp_path / "list.yaml"
    listing.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(listing)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")


def test_config_that_is_not_utf8_is_a_config_error(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("seed: 1\n# caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ConfigError):
        load_config(path)


# ---- fingerprint -------------------------------------------------------------------------------------


def test_fingerprint_is_stable_across_loads():
    assert load_config(DEMO).fingerprint() == load_config(DEMO).fingerprint()


def test_fingerprint_follows_the_seed_not_the_output(tmp_path):
    base = load_config(write_config(tmp_path, name="a.yaml")).fingerprint()
    reseeded = load_config(write_config(tmp_path, lambda raw: raw.update(seed=99), name="b.yaml")).fingerprint()
    moved = load_config(write_config(tmp_path, lambda raw: raw["output"].update(dir="elsewhere"), name="c.yaml"))
    faster = load_config(
        write_config(tmp_path, lambda raw: raw["generation"].update(replicas=4, batch_size=64), name="d.yaml")
    )
    assert len(base) == 16
    assert reseeded != base
    assert moved.fingerprint() == base
    assert faster.fingerprint() == base
    assert load_config(write_config(tmp_path, name="e.yaml"), output="/x/y").fingerprint() == base


def test_fingerprint_follows_sampling_and_prompts(tmp_path):
    base = load_config(write_config(tmp_path, name="a.yaml")).fingerprint()
    hotter = write_config(tmp_path, lambda raw: raw["generation"]["sampling"].update(temperature=0.7), name="b.yaml")
    more = write_config(tmp_path, lambda raw: raw["prompts"].update(per_clip=3), name="c.yaml")
    assert load_config(hotter).fingerprint() != base
    assert load_config(more).fingerprint() != base


# ---- the command line --------------------------------------------------------------------------------


def cli() -> str:
    found = shutil.which("desta-data") or str(Path(sys.executable).with_name("desta-data"))
    assert Path(found).exists(), "the desta-data console script is not installed"
    return found


def test_cli_validate_bad_config_exits_2_with_one_line(tmp_path):
    path = write_config(tmp_path, lambda raw: raw["generation"]["sampling"].update(temprature=0.1))
    result = subprocess.run([cli(), "validate", "--config", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("desta-data: error: ")
    assert "generation.sampling.temprature" in lines[0]
    assert result.stdout == ""


def test_cli_validate_good_config_exits_0(tmp_path):
    result = subprocess.run([cli(), "validate", "--config", str(DEMO)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert load_config(DEMO).fingerprint() in result.stdout


def test_tokens_are_not_config_keys_and_are_not_echoed(tmp_path):
    config = yaml.safe_load((REPO / "configs/demo.yaml").read_text())
    config["generation"]["hf_token"] = "hf_never_in_a_config_123"
    path = tmp_path / "secret.yaml"
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "generation.hf_token: unknown key" in str(error.value)
    assert "hf_never_in_a_config_123" not in str(error.value)


# ---- sources read through adapters ---------------------------------------------------------------------


def adapter_source(**fields) -> dict:
    return {"name": "CREMA-D", "adapter": "crema_d", "root": "CREMA-D", **fields}


def test_adapter_source_root_resolves_under_data_root_and_takes_the_adapters_defaults(tmp_path):
    path = write_config(tmp_path, lambda raw: raw.update(data_root="data", sources=[adapter_source()]))
    source = load_config(path).sources[0]
    assert source.root == str(tmp_path / "data" / "CREMA-D")
    assert (source.domain, source.licence) == ("speech", "ODbL-1.0")
    assert source.citation.startswith("Cao et al.")
    assert source.manifest is None


def test_adapter_defaults_yield_to_the_config(tmp_path):
    path = write_config(tmp_path, lambda raw: raw.update(sources=[adapter_source(licence="custom", domain="sound")]))
    source = load_config(path).sources[0]
    assert (source.licence, source.domain) == ("custom", "sound")


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"adapter": "nope"}, "sources.0: adapter: unknown adapter 'nope'; known: generic, hf, iemocap"),
        ({"options": {"splt": "x"}}, "sources.0: options.splt: unknown key (not allowed here)"),
        ({"root": None}, "sources.0: root: adapter 'crema_d' needs the dataset's folder (`root:`)"),
        ({"manifest": "m.jsonl"}, "sources.0: manifest: adapter 'crema_d' reads the dataset's own layout from `root:`"),
        ({"adapter": "hf", "domain": None}, "sources.0: domain: required with adapter 'hf'"),
        ({"adapter": "generic", "domain": "speech"}, "sources.0: the generic adapter reads `manifest:`"),
        ({"adapter": "hf", "domain": "speech", "options": {"splits": [3]}}, "sources.0: options.splits.0: Input should be a valid string"),
        ({"adapter": "kespeech", "options": {"splits": ["eval"]}},
         "sources.0: options.splits.0: Input should be 'train_phase1', 'train_phase2', 'dev_phase1', 'dev_phase2' or 'test' (got 'eval')"),
    ],
)
def test_adapter_source_errors_name_the_key(tmp_path, fields, expected):
    message = config_error(tmp_path, lambda raw: raw.update(sources=[adapter_source(**fields)]))
    assert expected in message


def test_generic_sources_keep_their_fingerprint_shape(tmp_path):
    """Configs written before adapters existed (manifest + domain) fingerprint as they did."""
    config = load_config(write_config(tmp_path))
    assert set(config.decisive()["sources"][0]) == {"name", "manifest", "domain", "allow_outside_root"}


def test_fingerprint_follows_adapter_options_not_root_location(tmp_path):
    def with_options(root, options):
        return lambda raw: raw.update(data_root=str(root), sources=[adapter_source(adapter="hf", domain="speech", options=options)])

    a = load_config(write_config(tmp_path, with_options(tmp_path / "a", {"splits": ["train"]}), "a.yaml")).fingerprint()
    b = load_config(write_config(tmp_path, with_options(tmp_path / "b", {"splits": ["train"]}), "b.yaml")).fingerprint()
    c = load_config(write_config(tmp_path, with_options(tmp_path / "a", {"splits": ["test"]}), "c.yaml")).fingerprint()
    assert a == b != c


def test_preflight_names_a_root_that_lacks_the_layout(tmp_path):
    from pipeline.runner import preflight

    (tmp_path / "CREMA-D").mkdir()
    config = load_config(write_config(tmp_path, lambda raw: raw.update(data_root=str(tmp_path), sources=[adapter_source()])))
    with pytest.raises(ConfigError, match=r"sources\[0\] 'CREMA-D': .*CREMA-D does not look like crema_d's layout: AudioWAV not found"):
        preflight(config)
    config.sources[0].root = str(tmp_path / "absent")
    with pytest.raises(ConfigError, match=r"sources\[0\] 'CREMA-D': root .*absent not found"):
        preflight(config)


# ---- prompt pools --------------------------------------------------------------------------------------


def test_prompt_pools_are_keyed_by_domain_and_the_old_shared_key_is_refused(tmp_path):
    config = load_config(write_config(tmp_path, lambda raw: raw["prompts"].update(pools={"sound": "s.jsonl", "music": "m.jsonl"})))
    assert config.prompts.pools == {"sound": str(tmp_path / "s.jsonl"), "music": str(tmp_path / "m.jsonl")}
    message = config_error(tmp_path, lambda raw: raw["prompts"].update(pools={"sound_music": "sm.jsonl"}))
    assert "prompts.pools: sound_music: sound and music now have separate pools; set `sound` and/or `music` instead" in message


def test_preflight_names_a_bad_pool_file_and_its_line(tmp_path):
    from pipeline.runner import preflight

    pool = tmp_path / "speech.jsonl"
    pool.write_text('{"prompt_id": "a", "prompt": "Fine?", "category": "content", "needs": ["transcript"]}\n'
                    '{"prompt_id": "b", "prompt": "Old style?"}\n', encoding="utf-8")  # fmt: skip
    def change(raw):
        raw.update(data_root=str(REPO))
        raw["generation"]["model"] = str(REPO / ".models" / "SmolLM2-135M-Instruct")
        raw["prompts"]["pools"] = {"speech": str(pool)}

    config = load_config(write_config(tmp_path, change))
    preflight(config.model_copy(update={"prompts": config.prompts.model_copy(update={"pools": {}})}))  # the rest is fine
    with pytest.raises(ConfigError, match=rf"prompts\.pools\.speech: {pool}:2: category: Field required"):
        preflight(config)
    config.prompts.pools = {"music": str(tmp_path / "absent.jsonl")}
    with pytest.raises(ConfigError, match=r"prompts\.pools\.music: .*absent\.jsonl"):
        preflight(config)


# ---- filters (response checks) -----------------------------------------------------------------------


def test_filter_errors_name_the_key(tmp_path):
    message = config_error(tmp_path, lambda raw: raw.update(filters={"repetition": {"max_sentence_repeat": 3}}))
    assert "filters.repetition.max_sentence_repeat: unknown key" in message
    message = config_error(tmp_path, lambda raw: raw.update(filters={"retries": -1}))
    assert "filters.retries: Input should be greater than or equal to 0" in message


def test_filters_are_part_of_the_fingerprint_but_their_resources_are_not(tmp_path):
    def filters(**values):
        return lambda raw: raw.update(filters={**(raw.get("filters") or {}), **values})

    base = load_config(write_config(tmp_path, name="a.yaml")).fingerprint()
    off = load_config(write_config(tmp_path, filters(truncated={"enabled": False}), name="b.yaml")).fingerprint()
    more = load_config(write_config(tmp_path, filters(retries=5), name="c.yaml")).fingerprint()
    faster = load_config(write_config(tmp_path, lambda raw: raw.update(placement={"checks": {"concurrency": 4, "num_cpus": 1}}), name="d.yaml")).fingerprint()
    assert len({base, off, more}) == 3 and faster == base
    bare = load_config(write_config(tmp_path, lambda raw: raw.pop("filters", None), name="e.yaml"))
    assert bare.decisive()["filters"]["retries"] == 0  # a config without filters: the checks on, no retries


def test_a_local_trainer_tokenizer_resolves_and_fingerprints_by_folder_name(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name / "llama").mkdir(parents=True)
    configs = [load_config(write_config(tmp_path / name, lambda raw: raw.update(filters={"too_long_for_trainer": {"tokenizer": "./llama"}})))
               for name in ("one", "two")]  # fmt: skip
    assert configs[0].filters.too_long_for_trainer.tokenizer == str(tmp_path / "one" / "llama")
    assert configs[0].fingerprint() == configs[1].fingerprint()
