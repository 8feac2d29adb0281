"""Per source: a clip read from the adapter's test fixture (a native layout) through ingest, probe and describe
carries every attribute kind the release's example for that source shows (tests/stages/release_examples.py),
in the normalised vocabulary and the value form the release uses (scales `3.0/5.0`, SNR `10db`); kinds that
need a measurement are checked with the real measure stage; no description has an untimed or zero-length line.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from pathlib import Path

import pyarrow as pa
import pytest

from adapters.registry import ADAPTERS, GENERAL, adapter_name
from schemas import columns as c
from schemas.tables import schema_of
from schemas.vocabulary import normalise_name
from stages.describe_clip import LABEL_NAMES, DescribeClip
from tests.adapters.conftest import AudioMaker, read_source
from tests.stages.release_examples import ASR, CAPTION, EXAMPLES, LABELS, TRANSCRIPT, ReleaseExample, release_kinds

INPUTS = (c.DOMAIN, c.DURATION_S, c.TRANSCRIPT, c.LABELS, c.CAPTION, c.ATTRIBUTES, c.TURNS)
LINE = re.compile(r"\[(?P<start>\d\d):(?P<start_s>\d\d)-(?P<end>\d\d):(?P<end_s>\d\d)\]")
# value forms of the release, whatever the source: `Signal-to-Noise Ratio: 10db`, `Number of Speakers: 0`
FORMS = {"Signal-to-noise ratio": r"-?\d+(?:\.\d+)?db", "C50": r"-?\d+(?:\.\d+)?db", "Number of speakers": r"\d+"}
MOS = r" \((?:Bad|Poor|Fair|Good|Excellent)\)"


# ---- fixtures: each adapter's own test fixture, read as a run reads it ---------------------------------------

def _native(module: str, builder: str, sub: str | None = None, options: dict | None = None, *extra):
    def build(tmp: Path, audio: AudioMaker) -> tuple[Path, dict]:
        root = tmp / sub if sub else tmp
        getattr(importlib.import_module(f"tests.adapters.test_{module}"), builder)(root, audio, *extra)
        return root, options or {}

    return build


def _biic_podcast(tmp: Path, audio: AudioMaker) -> tuple[Path, dict]:
    from datasets import DatasetDict

    root = tmp / "biic"
    DatasetDict({"train": importlib.import_module("tests.adapters.test_biic_podcast").build(tmp, audio)}).save_to_disk(str(root))
    return root, {}


def _codecfake(tmp: Path, audio: AudioMaker) -> tuple[Path, dict]:
    root = importlib.import_module("tests.adapters.test_codecfake").make_hub_copy(tmp, audio)
    # VCTK's own speaker table beside the Hub copy: CodecFake's speakers are VCTK's
    (root / "speaker-info.txt").write_text("ID  AGE  GENDER  ACCENTS  REGION\np225  23  F    English    Southern  England\n")
    return root, {}


def _dynamic_superb(tmp: Path, audio: AudioMaker) -> tuple[Path, dict]:
    return importlib.import_module("tests.adapters.test_dynamic_superb_noise_reverb").make_task(tmp, audio), {}


def _vctk_musan(tmp: Path, audio: AudioMaker) -> tuple[Path, dict]:
    module = importlib.import_module("tests.adapters.test_vctk_musan")
    module.make_copy(tmp / "vctk_musan", audio)
    return tmp / "vctk_musan", module.OPTIONS


FIXTURES = {
    "iemocap": _native("iemocap", "make_iemocap"),
    "dailytalk": _native("dailytalk", "make_dailytalk"),
    "globe": _native("globe", "make_globe", "GLOBE"),
    "vctk": _native("vctk", "make_vctk"),
    "meld": _native("meld", "make_meld"),
    "prompttts": _native("prompttts", "make_prompttts", "PromptTTS"),
    "expresso": _native("expresso", "make_expresso"),
    "accentdb": _native("accentdb", "make_accentdb"),
    "voxceleb1": _native("voxceleb1", "make_voxceleb1"),
    "anispeech": _native("anispeech", "make_anispeech", "AniSpeech"),
    "msp_improv": _native("msp_improv", "make_msp_improv"),
    "fair_speech": _native("fair_speech", "make_fair_speech"),
    "crema_d": _native("crema_d", "make_crema_d"),
    "cafe": _native("cafe", "make_cafe"),
    "emovo": _native("emovo", "make_emovo"),
    "speech_accent_archive": _native("speech_accent_archive", "make_archive"),
    "emns": _native("emns", "make_emns", None, {"audio_dir": "cleaned_flac", "audio_suffix": ".flac"}, ".flac"),
    "kespeech": _native("kespeech", "make_kespeech", None, {"splits": ["test"]}),
    "esd": _native("esd", "make_esd"),
    "librispeech_c": _native("librispeech_c", "make_librispeech"),
    "l2_arctic": _native("l2_arctic", "make_l2_arctic"),
    "commonvoice": _native("commonvoice", "make_commonvoice", None, {"splits": ["validated"]}),  # the fixture's gendered clips are in validated.tsv
    "emov_db": _native("emov_db", "make_emov_db"),
    "libritts_r": _native("libritts_r", "make_libritts_r", None, {"splits": ["train-clean-100", "train-clean-360", "train-other-500", "dev-clean", "dev-other", "test-clean", "test-other"]}),
    "dusha": _native("dusha", "make_dusha"),
    "msp_podcast": _native("msp_podcast", "make_msp_podcast", None, {"splits": ["Train", "Development", "Test1", "Test2", "Test3"]}),
    "alimeeting": _native("alimeeting", "make_alimeeting", None, {"window_s": 3.0}),
    "cszs": _native("cszs", "make_hub_copy", "cszs"),
    "ntuml2021": _native("ntuml2021", "make_hub_copy", "ntuml2021"),
    "speech_commands": _native("speech_commands", "make_speech_commands"),
    "libricount": _native("libricount", "make_libricount"),
    "voxlingua": _native("voxlingua", "make_voxlingua"),
    "asvspoof": _native("asvspoof", "make_2019", None, {"splits": ["train", "dev", "eval"]}),
    "biic_podcast": _biic_podcast,
    "codecfake": _codecfake,
    "paraspeechcaps": _native("paraspeechcaps", "make_paraspeechcaps", "paraspeechcaps"),
    "vctk_musan": _vctk_musan,
    "dynamic_superb_noise_reverb": _dynamic_superb,
    "thmint_qi": _native("thmint_qi", "make_tmhint_qi"),
    "audioset": _native("audioset", "make_audioset"),
    "audiocaps": _native("audiocaps", "make_audiocaps"),
    "wavcaps": _native("wavcaps", "make_wavcaps", None, {"audio_dirs": {"AudioSet_SL": "as_audio"}}),
    "clotho": _native("clotho", "make_clotho"),
    "vocalsound": _native("vocalsound", "make_vocalsound"),
    "esc50": _native("esc50", "make_esc50"),
    "fsd50k": _native("fsd50k", "make_fsd50k"),
    "nsynth": _native("nsynth", "make_nsynth"),
    "opensinger": _native("opensinger", "make_opensinger"),
    "fma": _native("fma", "make_fma"),
    "gtzan": _native("gtzan", "make_gtzan"),
    "mridangam": _native("mridangam", "make_mridangam"),
}
BY_ADAPTER = {example.adapter: example for example in EXAMPLES}


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """adapter -> its fixture's clip records (ingest + probe), built once for the module's tests."""
    built: dict[str, list[dict]] = {}
    audio = AudioMaker()

    def records(adapter: str) -> list[dict]:
        if adapter not in built:
            root, options = FIXTURES[adapter](tmp_path_factory.mktemp(adapter), audio)
            built[adapter] = read_source(adapter, root, options, name=BY_ADAPTER[adapter].dataset).records
            assert built[adapter], f"{adapter}: its fixture gave no clip"
        return built[adapter]

    return records


def as_table(records: list[dict], columns) -> pa.Table:
    rows = [{k: json.dumps(r[k]) if k in (c.ATTRIBUTES, c.TURNS) else r[k] for k in columns} for r in records]
    return pa.Table.from_pylist(rows, schema=schema_of(columns))


def where(example: ReleaseExample, kind: str) -> tuple[str, ...]:
    found = example.kinds.get(kind, kind if kind in (TRANSCRIPT, LABELS, CAPTION) else normalise_name(kind))
    return found if isinstance(found, tuple) else (found,)


def from_source(example: ReleaseExample) -> list[str]:
    """The kinds a clip must carry from the dataset itself (not measured, not a model's, not ASR)."""
    kinds = [w for kind in release_kinds(example) for w in where(example, kind)]
    return [k for k in kinds if k != ASR and not k.startswith(("measure:", "model:", "absent:"))]


def shows(description: str, kind: str, record: dict, domain: str) -> bool:
    if kind == TRANSCRIPT:  # the clip's text (a conversation's: every turn's) right after its timestamp
        texts = [t["transcript"] for t in record[c.TURNS] if t.get("transcript")] or [record[c.TRANSCRIPT]]
        return all(text and f"] {text}" in description for text in texts)
    if kind == LABELS:
        return f"{LABEL_NAMES[domain]}: " in description
    if kind == CAPTION:
        return "(Caption: " in description or ", Caption: " in description
    return f"({kind}: " in description or f", {kind}: " in description


def value_of(description: str, kind: str) -> str:
    """The value after `Kind: ` up to the next attribute (or the closing parenthesis)."""
    match = re.search(rf"[(,] ?{re.escape(kind)}: (?P<value>.*?)(?:, [A-Z][\w -]*: |\)$)", description)
    assert match, f"no {kind} in {description!r}"
    return match["value"]


# ---- the table covers every source ----------------------------------------------------------------------------


def test_every_adapter_has_a_release_example_and_a_fixture():
    named = [adapter_name(entry) for entry in ADAPTERS if adapter_name(entry) not in GENERAL]
    assert sorted(BY_ADAPTER) == sorted(named) and len(EXAMPLES) == 51
    assert sorted(FIXTURES) == sorted(named)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.adapter)
def test_every_kind_the_release_shows_is_accounted_for(example):
    kinds = release_kinds(example)
    assert kinds, f"{example.dataset}: no kinds read from its example"
    assert set(example.kinds) <= set(kinds), f"{example.dataset}: overrides for kinds its example does not show"
    for kind in kinds:
        for found in where(example, kind):
            # an override names a place: one of ours, or why it cannot come from the dataset's own metadata
            assert found in (TRANSCRIPT, LABELS, CAPTION, ASR) or found.startswith(("measure:", "model:", "absent:")) or found[:1].isupper()


# ---- the kinds, per source --------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.adapter)
def test_the_seed_descriptions_carry_the_release_examples_kinds(example, sources):
    records = sources(example.adapter)
    described = DescribeClip()(as_table(records, INPUTS)).to_pylist()
    descriptions = [row[c.SEED_DESCRIPTION] for row in described]
    # the fixtures vary clip by clip (some leave a label out on purpose): the source as a whole carries each kind
    for kind in from_source(example):
        assert any(shows(d, kind, r, r[c.DOMAIN]) for d, r in zip(descriptions, records)), (
            f"{example.dataset}: no {kind!r} in\n" + "\n".join(descriptions)
        )
    for kind, top in example.scales.items():
        values = [value_of(d, kind) for d in descriptions if f"{kind}: " in d]
        assert values, f"{example.dataset}: no {kind} to check its scale"
        form = rf"\d+\.\d/{top}\.0" + (MOS if kind == "Quality score" else "")
        assert all(re.fullmatch(form, v) for v in values), f"{example.dataset}: {kind} values {values} are not x.x/{top}.0"
    for kind, form in FORMS.items():
        assert all(re.fullmatch(form, value_of(d, kind)) for d in descriptions if f"{kind}: " in d), f"{example.dataset}: {kind}"
    for description in descriptions:
        lines = description.split("\n")
        assert len(lines) > 1 if example.turns else len(lines) == 1, description
        for line in lines:  # every line timed, none zero-length
            span = LINE.match(line)
            assert span, f"untimed line {line!r}"
            start, end = int(span["start"]) * 60 + int(span["start_s"]), int(span["end"]) * 60 + int(span["end_s"])
            assert end > start, f"zero-length line {line!r}"


# ---- kinds that need a measurement, with the real measure stage --------------------------------------------------

MEASURED = [e for e in EXAMPLES if any(w.startswith("measure:") for k in release_kinds(e) for w in where(e, k))]


@pytest.fixture(scope="module")
def measure():
    from stages.measure_acoustics import MeasureAcoustics

    stage = MeasureAcoustics()
    stage.setup()
    return stage


@pytest.mark.parametrize("example", MEASURED, ids=lambda e: e.adapter)
def test_measured_kinds_are_written_where_the_measure_stage_wrote_them(example, sources, measure):
    records = sources(example.adapter)[:2]
    measured = measure(as_table(records, (c.AUDIO_URI, c.START_S, c.END_S, *INPUTS)))
    described = DescribeClip(measured=True)(measured).to_pylist()
    wanted = {w.split(":", 1)[1] for k in release_kinds(example) for w in where(example, k) if w.startswith("measure:")}
    numbers = {"Signal-to-noise ratio": ("Noise level", "snr_db"), "C50": ("Reverberation", "c50_db")}
    for row in described:
        metadata, description = json.loads(row[c.METADATA]), row[c.SEED_DESCRIPTION]
        sources_of = metadata["attribute_sources"]
        for kind in wanted - set(numbers):
            # the measure stage decides (precision first); what it wrote, the description shows
            assert (f"{kind}: " in description) == (sources_of.get(kind) in ("measured", "label")), (kind, description, metadata)
        for kind, (word, metric) in numbers.items():
            if sources_of.get(word) == "measured" and metadata.get(metric) is not None:
                assert f"{kind}: {math.floor(metadata[metric] + 0.5)}db" in description, (kind, description)
            elif sources_of.get(word) != "label":
                assert f"{kind}: " not in description, (kind, description)
    if example.adapter == "iemocap":  # clean read speech: the release's IEMOCAP kinds are all measured
        first, metadata = described[0][c.SEED_DESCRIPTION], json.loads(described[0][c.METADATA])
        assert "Pitch: " in first and "Volume: " in first, first
        # "Excuse me." is too few syllables for a rate: the number stays in metadata, the word is withheld
        assert "Speaking speed: " not in first and metadata["speaking_rate_word_withheld"].startswith("2 words, 3 syllables")

