"""DescribeClip: the DeSTA seed description and the normalised metadata."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from schemas import columns as c
from schemas.tables import schema_of
from schemas.vocabulary import MOS_WORDS, rating
from stages.describe_clip import DescribeClip, duration_text, timestamp

INPUTS = (c.DOMAIN, c.DURATION_S, c.TRANSCRIPT, c.LABELS, c.CAPTION, c.ATTRIBUTES, c.TURNS)


def describe(*clips: dict) -> list[dict]:
    rows = [
        {
            c.DOMAIN: clip.get("domain", "speech"),
            c.DURATION_S: clip["duration"],
            c.TRANSCRIPT: clip.get("transcript"),
            c.LABELS: clip.get("labels", []),
            c.CAPTION: clip.get("caption"),
            c.ATTRIBUTES: json.dumps(clip.get("attributes", {})),
            c.TURNS: json.dumps(clip.get("turns", [])),
        }
        for clip in clips
    ]
    return DescribeClip()(pa.Table.from_pylist(rows, schema=schema_of(INPUTS))).to_pylist()


def seed(**clip) -> str:
    return describe(clip)[0][c.SEED_DESCRIPTION]


def test_speech_format():
    text = seed(duration=2.0, transcript="Hello there.", attributes={"gender": "F", "emotion": "neu"})
    assert text == "[00:00-00:02] Hello there. (Gender: Female, Emotion: Neutral, Duration: 2s)"


def test_sound_format():
    text = seed(domain="sound", duration=10.0, labels=["dog bark", "rain"])
    assert text == "[00:00-00:10] (Sound events: dog bark, rain, Duration: 10s)"


def test_music_uses_music_tags():
    text = seed(domain="music", duration=8.0, labels=["piano", "jazz"])
    assert text == "[00:00-00:08] (Music tags: piano, jazz, Duration: 8s)"


def test_speech_with_labels_calls_them_sound_events():
    text = seed(duration=3.0, transcript="Hi.", labels=["laughter"])
    assert text == "[00:00-00:03] Hi. (Sound events: laughter, Duration: 3s)"


def test_caption_is_rendered_before_duration():
    text = seed(domain="sound", duration=5.0, labels=["rain"], caption="Rain falls on a tin roof.")
    assert "Caption: Rain falls on a tin roof." in text
    assert text.startswith("[00:00-00:05] (Sound events: rain, ")
    assert text.endswith(", Duration: 5s)")


def test_no_metadata_at_all_still_gives_duration():
    assert seed(domain="sound", duration=4.0) == "[00:00-00:04] (Duration: 4s)"


def test_transcript_whitespace_is_collapsed():
    text = seed(duration=2.0, transcript="  Hello \n  there.\t")
    assert text == "[00:00-00:02] Hello there. (Duration: 2s)"


@pytest.mark.parametrize("key", ["sex", "Gender", "gender", "speaker_gender", "Speaker-Gender"])
@pytest.mark.parametrize("value", ["M", "male", "MALE", "m", " Male ", "man"])
def test_gender_spellings_normalise(key, value):
    row = describe({"duration": 2.0, "transcript": "Hi.", "attributes": {key: value}})[0]
    assert row[c.SEED_DESCRIPTION] == "[00:00-00:02] Hi. (Gender: Male, Duration: 2s)"
    assert json.loads(row[c.METADATA]) == {"Gender": "Male"}


@pytest.mark.parametrize("value", ["F", "female", "Female", "FEMALE", "f", "woman"])
def test_female_spellings_normalise(value):
    assert "(Gender: Female, " in seed(duration=1.0, attributes={"gender": value})


@pytest.mark.parametrize("value,canonical", [("neu", "Neutral"), ("NEU", "Neutral"), ("neutral", "Neutral"),
                                             ("hap", "Happy"), ("anger", "Angry"), ("sad", "Sad")])  # fmt: skip
def test_emotion_spellings_normalise(value, canonical):
    assert f"(Emotion: {canonical}, " in seed(duration=1.0, attributes={"emo": value})


def test_unknown_attribute_keeps_its_words_with_a_capital():
    text = seed(duration=2.0, attributes={"speaking_style": "whisper"})
    assert text == "[00:00-00:02] (Speaking style: Whisper, Duration: 2s)"


def test_attribute_order_known_first_then_alphabetical():
    attributes = {"speaking_style": "whisper", "emotion": "neu", "mic": "close", "accent": "british",
                  "age": "adult", "gender": "m"}  # fmt: skip
    text = seed(duration=3.0, transcript="Hi.", attributes=attributes)
    assert text == (
        "[00:00-00:03] Hi. (Gender: Male, Age: Adult, Accent: British, Emotion: Neutral, "
        "Mic: Close, Speaking style: Whisper, Duration: 3s)"
    )


def test_non_text_values():
    row = describe({"duration": 2.0, "attributes": {"snr": 12.5, "age": 30, "overlap": True, "noisy": False}})[0]
    assert json.loads(row[c.METADATA]) == {"Signal-to-noise ratio": "12.5db", "Age": "30", "Overlap": "Yes", "Noisy": "No"}


def test_metadata_is_json_of_the_normalised_attributes():
    row = describe({"duration": 2.0, "attributes": {"sex": "f", "emotion": "hap", "speaking_style": "fast talk"}})[0]
    assert json.loads(row[c.METADATA]) == {"Gender": "Female", "Emotion": "Happy", "Speaking style": "Fast talk"}


def test_metadata_of_no_attributes_is_an_empty_object():
    assert json.loads(describe({"duration": 2.0})[0][c.METADATA]) == {}


def test_two_spellings_of_one_name_give_one_entry():
    row = describe({"duration": 2.0, "attributes": {"gender": "F", "sex": "female"}})[0]
    assert json.loads(row[c.METADATA]) == {"Gender": "Female"}
    assert row[c.SEED_DESCRIPTION].count("Gender") == 1


def test_timestamps_over_a_minute():
    text = seed(duration=75.0, transcript="Long.")
    assert text == "[00:00-01:15] Long. (Duration: 75s)"


def test_sub_second_clip_does_not_end_at_zero():
    text = seed(domain="sound", duration=0.4, labels=["click"])
    assert text == "[00:00-00:01] (Sound events: click, Duration: 0.4s)"


@pytest.mark.parametrize(
    "seconds,text",
    [(2.0, "2s"), (3.0, "3s"), (2.34, "2.3s"), (0.5, "0.5s"), (9.94, "9.9s"), (9.96, "10s"), (1.04, "1s"),
     (12.7, "13s"), (12.2, "12s"), (30.0, "30s"), (75.0, "75s"), (3600.0, "3600s")],
)  # fmt: skip
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text


@pytest.mark.parametrize("seconds,text", [(0, "00:00"), (2.0, "00:02"), (59.4, "00:59"), (60, "01:00"),
                                          (75, "01:15"), (3599, "59:59")])  # fmt: skip
def test_timestamp(seconds, text):
    assert timestamp(seconds) == text


def test_other_columns_pass_through_and_rows_keep_their_order():
    table = pa.Table.from_pylist(
        [
            {c.CLIP_ID: "s/a", c.DOMAIN: "sound", c.DURATION_S: 1.0, c.TRANSCRIPT: None, c.LABELS: ["a"],
             c.CAPTION: None, c.ATTRIBUTES: "{}", c.TURNS: "[]"},
            {c.CLIP_ID: "s/b", c.DOMAIN: "speech", c.DURATION_S: 2.0, c.TRANSCRIPT: "B.", c.LABELS: [],
             c.CAPTION: None, c.ATTRIBUTES: None, c.TURNS: None},
        ],  # fmt: skip
        schema=schema_of((c.CLIP_ID, *INPUTS)),
    )
    out = DescribeClip()(table)
    assert out[c.CLIP_ID].to_pylist() == ["s/a", "s/b"]
    assert out[c.SEED_DESCRIPTION].to_pylist() == [
        "[00:00-00:01] (Sound events: a, Duration: 1s)",
        "[00:00-00:02] B. (Duration: 2s)",
    ]
    assert out.schema.field(c.SEED_DESCRIPTION).type == pa.string()


def test_large_float_attribute_is_not_rounded_to_scientific_notation():
    row = describe({"duration": 2.0, "attributes": {"speaker_id": 1234567.0}})[0]
    metadata = json.loads(row[c.METADATA])
    assert metadata["Speaker"] in ("1234567", "1234567.0")


def test_turns_give_the_clip_line_first_then_one_timestamped_line_per_turn():
    turns = [
        {"start": 0.0, "end": 2.4, "transcript": "Hi  there.", "speaker": "A", "gender": "f", "emotion": "hap"},
        {"start": 2.4, "end": 65.0, "transcript": "Hello!", "speaker": "B", "gender": "M"},
        {"start": 65.0, "end": 66.0, "transcript": ""},
    ]
    text = seed(duration=66.0, transcript="Hi there. Hello!", turns=turns, attributes={"noise level": "Low"})
    assert text.split("\n") == [
        "[00:00-01:06] (Noise level: Low, Duration: 66s)",
        "[00:00-00:02] Hi there. (Speaker: A, Gender: Female, Emotion: Happy)",
        "[00:02-01:05] Hello! (Speaker: B, Gender: Male)",
        "[01:05-01:06]",
    ]


def test_no_line_after_the_turns_is_untimed():
    turns = [{"start": 0.0, "end": 1.2, "transcript": "你好", "Speaker": "SPK1"}, {"start": 1.3, "end": 2.7, "transcript": "好的", "Speaker": "SPK2"}]
    lines = seed(duration=2.7, turns=turns, attributes={"Language": "Chinese", "Speaker count": 2}).split("\n")
    assert lines == [
        "[00:00-00:03] (Number of speakers: 2, Language: Chinese, Duration: 2.7s)",
        "[00:00-00:01] 你好 (Speaker: SPK1)",
        "[00:01-00:03] 好的 (Speaker: SPK2)",
    ]
    assert all(line.startswith("[") for line in lines)


@pytest.mark.parametrize(
    "start,end,duration,span",
    [(2.1, 2.4, 10.0, "[00:02-00:03]"),  # both ends round to 2 s: widened forward by one second
     (1.6, 2.4, 10.0, "[00:02-00:03]"),
     (4.6, 4.9, 4.9, "[00:04-00:05]"),  # no second left in the clip: widened backward
     (0.0, 0.3, 0.4, "[00:00-00:01]"),
     (2.0, 5.0, 10.0, "[00:02-00:05]")],  # a turn longer than the rounding keeps its times
)  # fmt: skip
def test_a_turn_shorter_than_the_rounding_is_widened_to_one_second(start, end, duration, span):
    text = seed(duration=duration, turns=[{"start": start, "end": end, "transcript": "Mm."}])
    turn_line = text.split("\n")[1]
    assert turn_line == f"{span} Mm."


def test_measured_noise_and_reverberation_words_get_their_numbers():
    row = describe_measured(
        {"Noise level": "Low", "Reverberation": "Medium", "Pitch": "High"},
        {"snr_db": 27.5, "c50_db": 6.4, "pitch_mean_hz": 180.0,
         "attribute_sources": {"Noise level": "measured", "Reverberation": "measured", "Pitch": "measured"}},
    )  # fmt: skip
    assert row[c.SEED_DESCRIPTION] == (
        "[00:00-00:02] Hi. (Pitch: High, Noise level: Low, Signal-to-noise ratio: 28db, Reverberation: Medium, C50: 6db, Duration: 2s)"
    )
    metadata = json.loads(row[c.METADATA])
    assert (metadata["Signal-to-noise ratio"], metadata["C50"], metadata["snr_db"]) == ("28db", "6db", 27.5)


def test_no_number_without_its_measured_word():
    # the measure stage measured SNR and C50 but wrote no word (e.g. not trusted): no number either
    row = describe_measured({}, {"snr_db": 12.0, "c50_db": 3.0, "attribute_sources": {}})
    assert row[c.SEED_DESCRIPTION] == "[00:00-00:02] Hi. (Duration: 2s)"
    # a source's own noise label: the measured SNR is not set beside it
    row = describe_measured({"Noise level": "Noisy"}, {"snr_db": 12.0, "attribute_sources": {"Noise level": "label"}})
    assert row[c.SEED_DESCRIPTION] == "[00:00-00:02] Hi. (Noise level: Noisy, Duration: 2s)"
    # nor over a source's own SNR value
    row = describe_measured({"Noise level": "Low", "snr": "10 dB"}, {"snr_db": 31.0, "attribute_sources": {"Noise level": "measured"}})
    assert "Signal-to-noise ratio: 10db," in row[c.SEED_DESCRIPTION] and "31db" not in row[c.SEED_DESCRIPTION]
    # a word without a measured number (missing): the word alone
    row = describe_measured({"Reverberation": "Low"}, {"c50_missing": "too few decays", "attribute_sources": {"Reverberation": "measured"}})
    assert "C50" not in row[c.SEED_DESCRIPTION]


def describe_measured(attributes: dict, metadata: dict) -> dict:
    inputs = (*INPUTS, c.METADATA)
    row = {c.DOMAIN: "speech", c.DURATION_S: 2.0, c.TRANSCRIPT: "Hi.", c.LABELS: [], c.CAPTION: None,
           c.ATTRIBUTES: json.dumps(attributes), c.TURNS: "[]", c.METADATA: json.dumps(metadata)}  # fmt: skip
    return DescribeClip(measured=True)(pa.Table.from_pylist([row], schema=schema_of(inputs))).to_pylist()[0]


@pytest.mark.parametrize(
    "value,text",
    [(10, "10db"), (10.0, "10db"), ("10 dB", "10db"), ("15dB", "15db"), ("-5db", "-5db"), (12.5, "12.5db"),
     ("very high", "Very high")],  # not a number: kept as words
)  # fmt: skip
def test_snr_values_are_written_in_db_as_the_release_does(value, text):
    assert json.loads(describe({"duration": 1.0, "attributes": {"SNR": value}})[0][c.METADATA]) == {"Signal-to-noise ratio": text}


def test_labels_holding_commas_are_separated_by_semicolons():
    text = seed(domain="sound", duration=10.0, labels=["Child speech, kid speaking", "Speech"])
    assert text == "[00:00-00:10] (Sound events: Child speech, kid speaking; Speech, Duration: 10s)"


def test_a_caption_with_commas_stays_one_caption():
    text = seed(domain="sound", duration=10.0, caption="Birds chirp, a car passes, then rain.")
    assert text == "[00:00-00:10] (Caption: Birds chirp, a car passes, then rain., Duration: 10s)"


@pytest.mark.parametrize("key", ["Speaker count", "number_of_speakers", "Number of Speakers"])
def test_speaker_counts_have_one_name(key):
    assert seed(duration=5.0, attributes={key: 0}) == "[00:00-00:05] (Number of speakers: 0, Duration: 5s)"


def test_unknown_names_keep_acronyms_in_capitals():
    row = describe({"duration": 2.0, "attributes": {"MIDI note": "022", "SPEAKING_STYLE": "whisper", "instrument_family": "bass"}})[0]
    assert json.loads(row[c.METADATA]) == {"MIDI note": "022", "SPEAKING STYLE": "Whisper", "Instrument family": "Bass"}


@pytest.mark.parametrize(
    "value,top,words,text",
    [(3.0, 5, None, "3.0/5.0"), (3.3333, 5, None, "3.3/5.0"), (5.6, 7, None, "5.6/7.0"), (2.24, 5, MOS_WORDS, "2.2/5.0 (Poor)"),
     (2.5, 5, MOS_WORDS, "2.5/5.0 (Fair)"), (1.0, 5, MOS_WORDS, "1.0/5.0 (Bad)"), (None, 5, None, None), (float("nan"), 7, None, None)],
)  # fmt: skip
def test_ratings_keep_their_scale(value, top, words, text):
    assert rating(value, top, words) == text
    if text:  # and pass through the vocabulary unchanged
        assert json.loads(describe({"duration": 1.0, "attributes": {"Valence": text}})[0][c.METADATA]) == {"Valence": text}
