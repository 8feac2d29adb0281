"""FSD50K in its native layout: FSD50K.{dev,eval}_audio/<fname>.wav + FSD50K.ground_truth/{dev,eval}.csv."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def make_fsd50k(root, audio):
    audio.tone(root / "FSD50K.dev_audio" / "64760.wav", frequency=330, seconds=1.2, rate=44100)
    audio.noise(root / "FSD50K.dev_audio" / "16399.wav", seconds=0.8)
    audio.noise(root / "FSD50K.eval_audio" / "37199.wav", seconds=1.0)
    truth = root / "FSD50K.ground_truth"
    truth.mkdir(parents=True)
    (truth / "dev.csv").write_text(
        "fname,labels,mids,split\n"
        '64760,"Electric_guitar,Guitar,Plucked_string_instrument,Musical_instrument,Music",'
        '"/m/02sgy,/m/0342h,/m/0fx80y,/m/04szw,/m/04rlf",train\n'
        '16399,"Accelerating_and_revving_and_vroom,Vehicle",' '"/m/07q2z82,/m/07yv9",val\n'
        '99999,"Bark,Dog,Domestic_animals_and_pets,Animal","/m/05tny_,/m/0bt9lr,/m/068hy,/m/0jbk",train\n'  # no audio
        'guitar-1,"Guitar","/m/0342h",train\n'  # not a Freesound id
        '12345,"Bark,Dog","/m/05tny_",train\n',  # labels and mids disagree
        encoding="utf-8",
    )
    (truth / "eval.csv").write_text('fname,labels,mids\n37199,"Rain,Water","/m/06mb1,/m/0838f"\n', encoding="utf-8")
    (truth / "dev.csv").write_text((truth / "dev.csv").read_text(encoding="utf-8") + '55555,"Rain","/m/06mb1",holdout\n', encoding="utf-8")
    (truth / "vocabulary.csv").write_text("0,Accelerating_and_revving_and_vroom,/m/07q2z82\n", encoding="utf-8")


def test_records_ids_and_labels(tmp_path, audio):
    make_fsd50k(tmp_path, audio)
    read = read_source("fsd50k", tmp_path, {"splits": ["train", "val", "eval"]}, name="FSD50K")
    clips = read.by_id()
    assert sorted(clips) == ["16399", "37199", "64760"]
    guitar = clips["64760"]
    assert guitar[c.CLIP_ID] == "FSD50K/64760"
    assert guitar[c.AUDIO_PATH] == "FSD50K.dev_audio/64760.wav"
    assert guitar[c.LABELS] == ["Electric guitar", "Guitar", "Plucked string instrument", "Musical instrument", "Music"]
    assert guitar[c.ATTRIBUTES] == {} and guitar[c.SAMPLE_RATE] == 44100
    assert clips["16399"][c.LABELS] == ["Accelerating and revving and vroom", "Vehicle"]
    assert clips["37199"][c.AUDIO_PATH] == "FSD50K.eval_audio/37199.wav"
    assert clips["37199"][c.LABELS] == ["Rain", "Water"]


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_fsd50k(tmp_path, audio)
    read = read_source("fsd50k", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata", "bad_metadata"]
    refs = {r["input_ref"].rsplit("/", 1)[1]: r for r in read.rejects}
    assert refs["dev.csv:5"]["reason"] == "bad_file_name"
    assert refs["dev.csv:6"]["reason"] == "bad_metadata"
    assert refs["dev.csv:7"]["reason"] == "bad_metadata" and "'holdout' is neither train nor val" in refs["dev.csv:7"]["detail"]
    refs = {r["reason"]: r["input_ref"] for r in read.rejects}
    assert refs["audio_missing"].endswith("FSD50K.ground_truth/dev.csv:4")


def test_one_split_only(tmp_path, audio):
    make_fsd50k(tmp_path, audio)
    read = read_source("fsd50k", tmp_path, options={"splits": ["eval"]})
    assert sorted(read.by_id()) == ["37199"] and read.rejects == []


def test_the_default_reads_the_train_part_and_val_or_eval_when_named(tmp_path, audio):
    make_fsd50k(tmp_path, audio)
    assert sorted(read_source("fsd50k", tmp_path).by_id()) == ["64760"]
    validation = read_source("fsd50k", tmp_path, options={"splits": ["val"]})
    assert list(validation.by_id()) == ["16399"] and validation.records[0][c.AUDIO_PATH] == "FSD50K.dev_audio/16399.wav"
    assert sorted(read_source("fsd50k", tmp_path, options={"splits": ["val", "eval"]}).by_id()) == ["16399", "37199"]
