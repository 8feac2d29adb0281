"""AudioSet: the release's segment CSVs + class_labels_indices.csv, with downloaded clips found by name."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def segments(rows: list[str], count: int = 3) -> str:
    head = (
        "# Segments csv created Sun Mar  5 10:54:31 2017\n"
        f"# num_ytids={count}, num_segs={count}, num_unique_labels=4, num_positive_labels=6\n"
        "# YTID, start_seconds, end_seconds, positive_labels\n"
    )
    return head + "".join(row + "\n" for row in rows)


def make_audioset(root, audio):
    (root / "class_labels_indices.csv").write_text(
        'index,mid,display_name\n0,/m/09x0r,"Speech"\n1,/m/0ytgt,"Child speech, kid speaking"\n'
        '2,/t/dd00088,"Gush"\n3,/m/04rlf,"Music"\n',
        encoding="utf-8",
    )
    (root / "balanced_train_segments.csv").write_text(
        segments([
            '--PJHxphWEs, 30.000, 40.000, "/m/09x0r,/t/dd00088"',
            '--ZhevVpy1s, 50.000, 60.000, "/m/04rlf"',
            '--aE2O5G5WE, 0.000, 10.000, "/m/0ytgt,/m/09x0r"',
            '--aO5cdqSAg, 30.000, 40.000, "/m/04rlf"',  # never downloaded
            '--bad, 30.000, 40.000, "/m/04rlf"',  # not a YouTube id
            '--cB2ZVjpnA, 30.000, 40.000, "/m/zzzzz"',  # unknown class
        ]),
        encoding="utf-8",
    )
    (root / "eval_segments.csv").write_text(segments(['-0RWZT-miFs, 420.000, 430.000, "/m/04rlf"'], 1), encoding="utf-8")
    audio.speech(root / "balanced_train_segments" / "Y--PJHxphWEs_30.000_40.000.wav", "Hello there.")
    audio.tone(root / "audios" / "balanced_train_segments" / "Y--ZhevVpy1s.wav", frequency=440, seconds=1.0)
    audio.speech(root / "balanced_train_segments" / "--aE2O5G5WE_0.flac", "Look at me.", voice="en-us+f3")
    audio.tone(root / "eval_segments" / "-0RWZT-miFs.wav", frequency=660, seconds=1.0)


def test_records_ids_labels_and_clips_found_by_name(tmp_path, audio):
    make_audioset(tmp_path, audio)
    read = read_source("audioset", tmp_path, {"splits": ["balanced_train_segments", "eval_segments"]}, name="AudioSet")
    clips = read.by_id()
    assert sorted(clips) == ["--PJHxphWEs_30.000", "--ZhevVpy1s_50.000", "--aE2O5G5WE_0.000", "-0RWZT-miFs_420.000"]
    speech = clips["--PJHxphWEs_30.000"]
    assert speech[c.CLIP_ID] == "AudioSet/--PJHxphWEs_30.000"
    assert speech[c.AUDIO_PATH] == "balanced_train_segments/Y--PJHxphWEs_30.000_40.000.wav"
    assert speech[c.LABELS] == ["Speech", "Gush"]
    assert speech[c.ATTRIBUTES] == {} and speech[c.START_S] is None  # the file is the 10-s clip itself
    assert clips["--ZhevVpy1s_50.000"][c.AUDIO_PATH] == "audios/balanced_train_segments/Y--ZhevVpy1s.wav"
    assert clips["--aE2O5G5WE_0.000"][c.AUDIO_PATH] == "balanced_train_segments/--aE2O5G5WE_0.flac"
    assert clips["--aE2O5G5WE_0.000"][c.LABELS] == ["Child speech, kid speaking", "Speech"]
    assert clips["-0RWZT-miFs_420.000"][c.AUDIO_PATH] == "eval_segments/-0RWZT-miFs.wav"


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_audioset(tmp_path, audio)
    read = read_source("audioset", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    refs = sorted(r["input_ref"].rsplit("/", 1)[1] for r in read.rejects)
    assert refs == ["balanced_train_segments.csv:7", "balanced_train_segments.csv:8", "balanced_train_segments.csv:9"]
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert "balanced_train_segments/Y--aO5cdqSAg_30.000_40.000.wav" in missing["detail"]


def test_an_explicit_audio_pattern(tmp_path, audio):
    make_audioset(tmp_path, audio)
    audio.tone(tmp_path / "clips" / "-0RWZT-miFs_420.000.ogg", seconds=0.5)
    read = read_source("audioset", tmp_path, options={"splits": ["eval_segments"], "audio_pattern": "clips/{ytid}_{start}.ogg"})
    assert [r[c.AUDIO_PATH] for r in read.records] == ["clips/-0RWZT-miFs_420.000.ogg"]


def test_an_empty_root_is_reported(tmp_path):
    from adapters.audioset import AudioSet

    adapter = AudioSet(str(tmp_path))
    assert adapter.missing() == ["class_labels_indices.csv", "balanced_train_segments.csv", "unbalanced_train_segments.csv"]
    assert list(adapter.entries()) == []


def test_the_default_reads_the_training_segments_and_eval_only_when_named(tmp_path, audio):
    make_audioset(tmp_path, audio)
    assert sorted(read_source("audioset", tmp_path).by_id()) == ["--PJHxphWEs_30.000", "--ZhevVpy1s_50.000", "--aE2O5G5WE_0.000"]
    evaluation = read_source("audioset", tmp_path, {"splits": ["eval_segments"]})
    assert list(evaluation.by_id()) == ["-0RWZT-miFs_420.000"] and evaluation.rejects == []
