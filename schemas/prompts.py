"""The instruction pools' vocabulary: domains, task categories, what a prompt needs from a clip, a pool line.

A pool is a JSONL file, one `PoolEntry` a line: `{"prompt_id", "prompt", "category", "needs": [...]}`.
`category` names the task (sampling is stratified over categories); `needs` names what the clip must carry
for the LLM to answer from the seed description alone. Each need is satisfied by any one of its
`attributes` (canonical names in the clip's `metadata`, as written into the seed description) or any one of
its `columns`; `stages.sample_prompts.clip_needs` reads a clip row that way.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas import columns as c

DOMAINS = ("speech", "sound", "music")


@dataclass(frozen=True)
class Category:
    description: str
    domains: tuple[str, ...]


CATEGORIES: dict[str, Category] = {
    "transcription": Category("write down what is said, in full or in part", ("speech",)),
    "content": Category("what is said: gist, topic, intent, details, questions about the words", ("speech",)),
    "language": Category("which language or dialect is spoken; translation", ("speech",)),
    "speaker traits": Category("who speaks: gender, age, accent, background", ("speech",)),
    "emotion": Category("how the speaker feels: emotion, mood, arousal and valence", ("speech",)),
    "paralinguistics": Category("how it is said: pitch, loudness, pace, style, delivery", ("speech",)),
    "recording conditions": Category("noise, reverberation, quality, length of the recording", ("speech",)),
    "conversation": Category("how many speak, turn-taking, what passes between speakers", ("speech",)),
    "authenticity": Category("real human speech or synthetic / spoofed / codec speech", ("speech",)),
    "sound events": Category("which sounds occur, their sources and number", ("sound",)),
    "acoustic scene": Category("where the sounds happen: place, setting, situation", ("sound",)),
    "temporal structure": Category("order, timing, repetition and change of sounds", ("sound",)),
    "sound properties": Category("loudness, texture, pitch, distance, duration of sounds", ("sound",)),
    "music genre": Category("genre and style of the music", ("music",)),
    "music instruments": Category("instruments and sound sources in the music", ("music",)),
    "music theory": Category("notes, pitch, key, tempo, rhythm, articulation", ("music",)),
    "music mood": Category("mood, energy and character of the music", ("music",)),
    "vocals": Category("singing, singers and lyrics", ("music",)),
    "reasoning": Category("inference beyond the labels: causes, context, consequences, comparisons", DOMAINS),
    "creative": Category("writing inspired by the audio: captions, stories, replies, verse", DOMAINS),
    "description": Category("an overall description of the audio", DOMAINS),
}


@dataclass(frozen=True)
class Need:
    description: str
    attributes: tuple[str, ...] = ()  # any of these canonical attribute names in `metadata`, non-empty
    columns: tuple[str, ...] = ()  # ... or any of these columns present (see stages.sample_prompts.column_present)


MUSIC_ATTRIBUTES = ("Genre", "Instrument", "Instrument family", "Instrument source", "Stroke", "MIDI note", "Tonic",
                    "Key", "Tempo", "BPM", "Mood", "Song", "Playing technique")  # fmt: skip

NEEDS: dict[str, Need] = {
    "transcript": Need("what is said: the transcript, or a speaker turn's transcript", columns=(c.TRANSCRIPT,)),
    "language": Need("the language spoken: a Language label, or a transcript to read it from", ("Language",), (c.TRANSCRIPT,)),
    "gender": Need("the speaker's (or singer's) gender", ("Gender",)),
    "age": Need("the speaker's age or age group", ("Age",)),
    "accent": Need("the speaker's accent, dialect or native language", ("Accent", "Native language")),
    "emotion": Need("an emotion label", ("Emotion",)),
    "emotion_dimensions": Need("dimensional emotion ratings", ("Valence", "Activation", "Arousal", "Dominance")),
    "pitch": Need("a pitch word (label or measured)", ("Pitch",)),
    "volume": Need("a volume word (label or measured)", ("Volume",)),
    "speaking_speed": Need("a speaking-speed word (label or measured)", ("Speaking speed",)),
    "speaking_style": Need("a speaking-style label", ("Speaking style", "Style", "Emotion intensity", "Expressiveness")),
    "noise": Need("a noise level, SNR or noise type", ("Noise level", "Signal-to-noise ratio", "Noise type")),
    "reverberation": Need("a reverberation word or C50 value", ("Reverberation", "C50")),
    "audio_quality": Need("a quality or intelligibility rating", ("Quality score", "Intelligibility score")),
    "speaker_count": Need("how many speak: a number of speakers, or a conversation's turns", ("Number of speakers", "Speaker count"), (c.TURNS,)),
    "dialogue": Need("a conversation: two or more speaker turns", columns=(c.TURNS,)),
    "authenticity": Need("whether the speech is genuine or spoofed/synthetic", ("Spoofing", "Spoofing attack", "Codec")),
    "sound_events": Need("what sounds occur: sound-event labels or a caption", columns=(c.LABELS, c.CAPTION)),
    "caption": Need("a free-text caption (says how the sounds unfold)", columns=(c.CAPTION,)),
    "music": Need("any description of the music: a music attribute, tags or a caption", MUSIC_ATTRIBUTES, (c.LABELS, c.CAPTION)),
    "genre": Need("a genre label", ("Genre",)),
    "music_style": Need("what kind of music: a genre, mood or song label, tags or a caption", ("Genre", "Mood", "Song"), (c.LABELS, c.CAPTION)),
    "instrument": Need("an instrument or instrument-family label", ("Instrument", "Instrument family")),
    "instrument_source": Need("how the instrument sound is made: acoustic, electronic, synthetic", ("Instrument source",)),
    "technique": Need("a playing-technique label, such as a drum stroke", ("Stroke", "Playing technique")),
    "note": Need("a pitch label: MIDI note, tonic or key", ("MIDI note", "Tonic", "Key")),
    "tempo": Need("a tempo label", ("Tempo", "BPM")),
}

# Needs about music: no prompt of the speech or sound pool names one.
MUSIC_ONLY_NEEDS = ("music", "music_style", "genre", "instrument", "instrument_source", "technique", "note", "tempo")


class PoolEntry(BaseModel):
    """One line of a prompt pool."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    prompt_id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Stable, unique in its pool.")
    prompt: str = Field(min_length=1, description="The instruction, as the user turn's text.")
    category: str = Field(description="A task category (schemas.prompts.CATEGORIES).")
    needs: list[str] = Field(default_factory=list, description="What the clip must carry (schemas.prompts.NEEDS).")

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; known: {', '.join(CATEGORIES)}")
        return value

    @field_validator("needs")
    @classmethod
    def _known_needs(cls, value: list[str]) -> list[str]:
        unknown = [n for n in value if n not in NEEDS]
        if unknown:
            raise ValueError(f"unknown need(s) {unknown}; known: {', '.join(NEEDS)}")
        if len(set(value)) < len(value):
            raise ValueError(f"repeated need in {value}")
        return value
