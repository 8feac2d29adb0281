"""SamplePrompts: only prompts a clip can answer, stratified over categories, seeded by (seed, clip id)."""

from __future__ import annotations

import json
import random
from collections import Counter

import pyarrow as pa
import pytest

from schemas import columns as c
from schemas.prompts import CATEGORIES, DOMAINS, MUSIC_ONLY_NEEDS
from stages.prompt_pool import load_pool
from stages.sample_prompts import PromptsConfig, SamplePrompts, clip_needs

POOLS = {domain: {e.prompt_id: e for e in load_pool(None, domain)} for domain in DOMAINS}
ALL = {pid: e for pool in POOLS.values() for pid, e in pool.items()}


def clip(clip_id: str, domain: str = "speech", transcript=None, labels=None, caption=None, metadata=None, turns=None) -> dict:
    return {c.CLIP_ID: clip_id, c.DOMAIN: domain, c.TRANSCRIPT: transcript, c.LABELS: labels or [], c.CAPTION: caption,
            c.METADATA: json.dumps(metadata or {}), c.TURNS: json.dumps(turns or [])}  # fmt: skip


def rich_speech(i: int) -> dict:
    return clip(f"src/speech_{i:04d}.wav", transcript=f"hello number {i}",
                metadata={"Gender": "Female", "Emotion": "Happy", "Pitch": "High", "Volume": "Low", "Speaking speed": "Fast"})  # fmt: skip


def mixed_clips(n: int = 40) -> list[dict]:
    kinds = [
        lambda i: rich_speech(i),
        lambda i: clip(f"src/sound_{i:04d}.wav", "sound", labels=["dog bark", "rain"]),
        lambda i: clip(f"src/music_{i:04d}.wav", "music", metadata={"Genre": "Jazz"}),
        lambda i: clip(f"src/bare_{i:04d}.wav", metadata={"Gender": "Male"}),
    ]
    return [kinds[i % len(kinds)](i) for i in range(n)]


def table(rows: list[dict], extra: dict | None = None) -> pa.Table:
    columns = {name: [row[name] for row in rows] for name in (c.CLIP_ID, c.DOMAIN, c.TRANSCRIPT, c.CAPTION, c.METADATA, c.TURNS)}
    columns[c.LABELS] = pa.array([row[c.LABELS] for row in rows], pa.list_(pa.string()))
    columns.update(extra or {})
    return pa.table(columns)


STAGES: dict[tuple, SamplePrompts] = {}  # one stage per config: it loads the pools once, as on a worker


def sample(rows, per_clip=1, seed=0, pools=None, extra=None) -> list[dict]:
    key = (per_clip, seed, tuple(sorted((pools or {}).items())))
    stage = STAGES.setdefault(key, SamplePrompts(PromptsConfig(per_clip=per_clip, seed=seed, pools=pools)))
    return stage(table(rows, extra)).to_pylist()


def by_clip(rows) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for row in rows:
        out.setdefault(row[c.CLIP_ID], []).append((row[c.ID], row[c.PROMPT_ID], row[c.PROMPT], row[c.SAMPLING_SEED]))
    return out


# ---- what a clip carries -------------------------------------------------------------------------------


def test_clip_needs_reads_columns_and_the_attributes_the_seed_description_names():
    assert clip_needs(clip("a")) == frozenset()
    assert clip_needs(clip("a", transcript="  ")) == frozenset()
    assert clip_needs(clip("a", transcript="hi there")) == {"transcript", "language"}
    speech = clip("a", metadata={"Gender": "Female", "Pitch": "High", "Accent": "Scottish", "Valence": "3.2", "Age": ""})
    assert clip_needs(speech) == {"gender", "pitch", "accent", "emotion_dimensions"}
    # A measured number without its word (a weak measurement) answers nothing: only the word is in the description.
    assert clip_needs(clip("a", metadata={"pitch_mean_hz": 180.0, "snr_db": 12.0, "attribute_sources": {}})) == frozenset()
    assert clip_needs(clip("a", "sound", labels=["dog bark"])) == {"sound_events", "music", "music_style"}
    assert clip_needs(clip("a", "sound", caption="A dog barks twice.")) == {"sound_events", "caption", "music", "music_style"}
    assert clip_needs(clip("a", "music", metadata={"Instrument family": "Bass", "MIDI note": "022"})) == {"instrument", "note", "music"}
    assert clip_needs(clip("a", metadata={"Number of speakers": 3})) == {"speaker_count"}
    conversation = [{"start": 0, "end": 1, "transcript": "Hi."}, {"start": 1, "end": 2, "transcript": "Hello."}]
    assert clip_needs(clip("a", turns=conversation)) == {"transcript", "language", "dialogue", "speaker_count"}
    assert clip_needs(clip("a", turns=conversation[:1])) == {"transcript", "language"}
    assert clip_needs(clip("a", turns=[{"start": 0, "end": 1}, {"start": 1, "end": 2}])) == {"dialogue", "speaker_count"}


# ---- only answerable prompts ---------------------------------------------------------------------------


def test_a_clip_without_a_transcript_never_draws_a_prompt_that_needs_one():
    rows = [clip(f"src/silent_{i:04d}.wav", metadata={"Gender": "Male", "Emotion": "Sad", "Pitch": "Low"}) for i in range(300)]
    rows += [clip(f"src/blank_{i:04d}.wav", transcript=" ") for i in range(100)]
    drawn = sample(rows, per_clip=8)
    assert len(drawn) == 400 * 8
    assert not [r[c.PROMPT] for r in drawn if "transcript" in ALL[r[c.PROMPT_ID]].needs]
    # ... while the same clips with a transcript do draw them.
    with_words = sample([{**row, c.TRANSCRIPT: "the cat sat on the mat"} for row in rows[:300]], per_clip=8)
    assert sum("transcript" in ALL[r[c.PROMPT_ID]].needs for r in with_words) > 300


def test_a_sound_clip_never_draws_a_music_prompt():
    rng = random.Random(3)
    rows = [clip(f"src/sound_{i:04d}.wav", "sound", labels=rng.sample(["Music", "Guitar", "Dog", "Rain", "Speech"], 2),
                 caption=rng.choice([None, "Music plays while a dog barks."]),
                 metadata=rng.choice([{}, {"Genre": "Rock", "Volume": "High"}]))  # even with music words on it
            for i in range(400)]  # fmt: skip
    drawn = sample(rows, per_clip=6)
    assert len(drawn) == 400 * 6
    for row in drawn:
        entry = POOLS["sound"][row[c.PROMPT_ID]]  # a prompt of another pool raises KeyError
        assert "sound" in CATEGORIES[entry.category].domains
        assert not set(entry.needs) & set(MUSIC_ONLY_NEEDS), entry


def test_every_drawn_prompt_needs_only_what_the_clip_carries():
    rng = random.Random(5)
    attributes = {"Gender": "Female", "Age": "30s", "Accent": "Irish", "Emotion": "Angry", "Pitch": "High", "Volume": "Low",
                  "Speaking speed": "Slow", "Noise level": "High", "Reverberation": "Low", "Number of speakers": 2}  # fmt: skip
    rows, carried = [], {}
    for i in range(500):
        meta = dict(rng.sample(sorted(attributes.items()), rng.randrange(len(attributes) + 1)))
        row = clip(f"src/mix_{i:04d}.wav", transcript=rng.choice([None, "some words"]), metadata=meta)
        rows.append(row)
        expected = {"Gender": "gender", "Age": "age", "Accent": "accent", "Emotion": "emotion", "Pitch": "pitch", "Volume": "volume",
                    "Speaking speed": "speaking_speed", "Noise level": "noise", "Reverberation": "reverberation",
                    "Number of speakers": "speaker_count"}  # fmt: skip
        carried[row[c.CLIP_ID]] = {expected[k] for k in meta} | ({"transcript", "language"} if row[c.TRANSCRIPT] else set())
    for row in sample(rows, per_clip=5):
        assert set(ALL[row[c.PROMPT_ID]].needs) <= carried[row[c.CLIP_ID]], (row[c.PROMPT], carried[row[c.CLIP_ID]])


def test_music_clips_draw_music_prompts_they_can_answer():
    notes = [clip(f"nsynth/{i:04d}.wav", "music", metadata={"Instrument family": "Bass", "MIDI note": "022"}) for i in range(100)]
    genres = [clip(f"gtzan/{i:04d}.wav", "music", metadata={"Genre": "Reggae"}) for i in range(100)]
    note_rows, genre_rows = sample(notes, per_clip=4), sample(genres, per_clip=4)
    assert all(r[c.PROMPT_ID].startswith("music-") for r in note_rows + genre_rows)
    assert not any("genre" in ALL[r[c.PROMPT_ID]].needs for r in note_rows)
    assert not any({"note", "instrument"} & set(ALL[r[c.PROMPT_ID]].needs) for r in genre_rows)
    assert {ALL[r[c.PROMPT_ID]].category for r in note_rows} >= {"music instruments", "music theory"}
    assert {ALL[r[c.PROMPT_ID]].category for r in genre_rows} >= {"music genre", "music mood"}


def test_conversation_prompts_go_only_to_conversations():
    turns = [{"start": 0, "end": 2, "transcript": "Shall we go?", "Speaker": "A"},
             {"start": 2, "end": 4, "transcript": "Yes, let's.", "Speaker": "B"}]  # fmt: skip
    talks = sample([clip(f"meet/{i:03d}", turns=turns) for i in range(100)], per_clip=12)
    singles = sample([clip(f"solo/{i:03d}", transcript="Shall we go?") for i in range(100)], per_clip=12)
    assert sum("dialogue" in ALL[r[c.PROMPT_ID]].needs for r in talks) > 50
    assert not any("dialogue" in ALL[r[c.PROMPT_ID]].needs for r in singles)


# ---- stratified over categories ------------------------------------------------------------------------


def answerable_categories(row: dict) -> set[str]:
    have = clip_needs(row)
    return {e.category for e in POOLS[row[c.DOMAIN]].values() if set(e.needs) <= have}


def test_a_clip_gets_every_answerable_category_once_before_any_repeats():
    row = rich_speech(1)
    categories = answerable_categories(row)
    assert len(categories) >= 8
    for i in range(20):
        drawn = sample([rich_speech(i)], per_clip=len(categories) + 2)
        kinds = [ALL[r[c.PROMPT_ID]].category for r in drawn]
        assert set(kinds[: len(categories)]) == categories
        assert len(set(r[c.PROMPT_ID] for r in drawn)) == len(drawn)


def test_categories_are_drawn_uniformly_whatever_their_pool_share():
    rows = [clip(f"src/c_{i:05d}.wav", transcript="words here", metadata={"Gender": "Male"}) for i in range(3000)]
    counts = Counter(ALL[r[c.PROMPT_ID]].category for r in sample(rows, per_clip=1))
    expected = 3000 / len(counts)
    assert len(counts) == len(answerable_categories(rows[0]))
    assert all(0.75 * expected < n < 1.25 * expected for n in counts.values()), counts


# ---- rows per clip -------------------------------------------------------------------------------------


def test_n_prompts_per_clip_give_n_rows_with_indexed_ids():
    rows = mixed_clips(8)
    drawn = sample(rows, per_clip=3)
    assert len(drawn) == 24
    for row in rows:
        mine = [r for r in drawn if r[c.CLIP_ID] == row[c.CLIP_ID]]
        assert [r[c.ID] for r in mine] == [f"{row[c.CLIP_ID]}#{i}" for i in range(3)]
        assert [r[c.PROMPT_INDEX] for r in mine] == [0, 1, 2]
        assert len({r[c.PROMPT_ID] for r in mine}) == 3


def test_prompt_text_matches_its_pool_entry_and_domain_picks_the_pool():
    for row in sample(mixed_clips(40), per_clip=4):
        assert ALL[row[c.PROMPT_ID]].prompt == row[c.PROMPT]
        assert row[c.PROMPT_ID] in POOLS[row[c.DOMAIN]]


def test_other_columns_are_repeated_per_prompt():
    rows = [rich_speech(1), clip("s/b", "sound", labels=["rain"])]
    drawn = sample(rows, per_clip=2, extra={c.SOURCE: ["one", "two"]})
    assert [(r[c.CLIP_ID], r[c.SOURCE], r[c.TRANSCRIPT]) for r in drawn] == [
        (rows[0][c.CLIP_ID], "one", "hello number 1"), (rows[0][c.CLIP_ID], "one", "hello number 1"),
        ("s/b", "two", None), ("s/b", "two", None)]  # fmt: skip


def test_empty_batch_gives_no_rows():
    assert sample([], per_clip=2) == []


# ---- determinism ---------------------------------------------------------------------------------------


def test_same_seed_and_clip_give_the_same_prompts_whatever_the_batch():
    rows = mixed_clips(40)
    reference = by_clip(sample(rows, per_clip=3, seed=7))
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    assert by_clip(sample(shuffled, per_clip=3, seed=7)) == reference
    subset = shuffled[:5]
    assert by_clip(sample(subset, per_clip=3, seed=7)) == {r[c.CLIP_ID]: reference[r[c.CLIP_ID]] for r in subset}
    for row in rows[:3]:
        assert by_clip(sample([row], per_clip=3, seed=7)) == {row[c.CLIP_ID]: reference[row[c.CLIP_ID]]}


def test_a_different_seed_changes_most_selections():
    rows = mixed_clips(40)
    first, second = by_clip(sample(rows, per_clip=2, seed=1)), by_clip(sample(rows, per_clip=2, seed=2))
    changed = sum([p[1] for p in first[k]] != [p[1] for p in second[k]] for k in first)
    assert changed >= 0.8 * len(rows)


def test_sampling_seed_is_per_row_and_deterministic():
    rows = mixed_clips(30)
    drawn = sample(rows, per_clip=2, seed=5)
    again = sample(list(reversed(rows)), per_clip=2, seed=5)
    seeds = {r[c.ID]: r[c.SAMPLING_SEED] for r in drawn}
    assert seeds == {r[c.ID]: r[c.SAMPLING_SEED] for r in again}
    assert len(set(seeds.values())) == len(seeds)  # different rows, different seeds
    assert all(0 <= s < 2**31 for s in seeds.values())
    other = {r[c.ID]: r[c.SAMPLING_SEED] for r in sample(rows, per_clip=2, seed=6)}
    assert sum(seeds[k] != other[k] for k in seeds) == len(seeds)


# ---- custom pools --------------------------------------------------------------------------------------


def write_pool(path, entries) -> str:
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return str(path)


def test_custom_pool_replaces_the_bundled_one(tmp_path):
    pool = write_pool(tmp_path / "mine.jsonl", [
        {"prompt_id": f"mine-{i}", "prompt": f"Custom question {i}?", "category": "description", "needs": []} for i in range(4)])  # fmt: skip
    drawn = sample(mixed_clips(8), per_clip=3, pools={"speech": pool})
    speech = [r for r in drawn if r[c.DOMAIN] == "speech"]
    others = [r for r in drawn if r[c.DOMAIN] != "speech"]
    assert speech and others
    assert {r[c.PROMPT_ID] for r in speech} <= {f"mine-{i}" for i in range(4)}
    assert all(r[c.PROMPT] == f"Custom question {r[c.PROMPT_ID][5:]}?" for r in speech)
    assert all(r[c.PROMPT_ID] in POOLS[r[c.DOMAIN]] for r in others)


def test_a_clip_answering_fewer_prompts_than_asked_gets_fewer_rows_and_one_answering_none_is_quarantined(tmp_path):
    pool = write_pool(tmp_path / "words.jsonl", [
        {"prompt_id": "w1", "prompt": "Transcribe it.", "category": "transcription", "needs": ["transcript"]},
        {"prompt_id": "w2", "prompt": "Summarize it.", "category": "content", "needs": ["transcript"]}])  # fmt: skip
    rows = [clip("s/words", transcript="hello"), clip("s/none", metadata={"Gender": "Male"})]
    drawn = sample(rows, per_clip=3, pools={"speech": pool})
    words = [r for r in drawn if r[c.CLIP_ID] == "s/words"]
    assert [r[c.ID] for r in words] == ["s/words#0", "s/words#1"]
    assert {r[c.PROMPT_ID] for r in words} == {"w1", "w2"} and all(r[c.KEEP] for r in words)
    [rejected] = [r for r in drawn if r[c.CLIP_ID] == "s/none"]
    assert (rejected[c.KEEP], rejected[c.DROP_REASON], rejected[c.DROP_STAGE], rejected[c.PROMPT]) == (
        False, "no_answerable_prompt", "prompts", None)  # fmt: skip
    assert rejected[c.DROP_DETAIL] == "no prompt of the speech pool fits this clip (it carries: gender)"


def test_a_bad_custom_pool_fails_setup_naming_the_file_and_line(tmp_path):
    path = write_pool(tmp_path / "bad.jsonl", [{"prompt_id": "p1", "prompt": "Fine?", "category": "description"},
                                               {"prompt_id": "p2", "prompt": "What genre?", "category": "music genre"}])  # fmt: skip
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: category 'music genre' is not a sound category"):
        SamplePrompts(PromptsConfig(pools={"sound": path})).setup()
