"""pydantic models of the records desta-data reads and writes.

`ManifestEntry` is the generic manifest line every dataset adapter maps to; `OutputRow` is one row of
the built dataset; `QuarantineRow` is one rejected input. Their Arrow twins are in `schemas.tables`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Domain = Literal["speech", "sound", "music"]

# The placeholder the DeSTA trainer replaces with audio features (docs/train.md).
AUDIO_PLACEHOLDER = "<start_audio><|AUDIO|><end_audio>"
AUDIO_MARKER = "<|AUDIO|>"
AUDIO_OPEN, AUDIO_CLOSE = "<start_audio>", "<end_audio>"

# Keys of a manifest line with a meaning of their own; every other key is an attribute.
MANIFEST_FIELDS = ("audio", "id", "transcript", "start", "end", "labels", "caption", "domain", "turns", "duration")


class Turn(BaseModel):
    """One speaker turn of a conversation clip; times are seconds from the clip's (segment's) start.

    Every key besides start, end and transcript is an attribute of the turn (Speaker, Gender, Emotion).
    A clip with turns gets one timestamped seed-description line per turn, as the release's meeting data.
    """

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    start: float = Field(ge=0, allow_inf_nan=False)
    end: float = Field(gt=0, allow_inf_nan=False)
    transcript: str | None = None

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise ValueError(f"turn end ({self.end}) must be after start ({self.start})")
        return self

    def attributes(self) -> dict[str, object]:
        return {k: v for k, v in (self.model_extra or {}).items() if v not in (None, "")}


class ManifestEntry(BaseModel):
    """One clip of a generic manifest (JSONL or CSV line)."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    audio: str = Field(min_length=1, description="Path relative to the manifest's folder, or a URL.")
    id: str | None = Field(None, description="Stable clip id; derived from the path and segment when absent.")
    transcript: str | None = None
    start: float | None = Field(None, ge=0, allow_inf_nan=False, description="Segment start, seconds.")
    end: float | None = Field(None, gt=0, allow_inf_nan=False, description="Segment end, seconds.")
    labels: list[str] = Field(default_factory=list, description="Sound-event or music tags.")
    caption: str | None = None
    domain: Domain | None = Field(None, description="Overrides the source's domain for this clip.")
    turns: list[Turn] = Field(default_factory=list, description="Speaker turns of a conversation clip (multi-line seed description).")
    duration: float | None = Field(
        None, gt=0, allow_inf_nan=False,
        description="Declared length in seconds: budgets (max_hours) and `desta-data plan` use it instead of reading the audio header; the probe still measures the audio.",
    )  # fmt: skip

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value):
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _segment_order(self):
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"segment end ({self.end}) must be after start ({self.start})")
        return self

    def attributes(self) -> dict[str, object]:
        """Every key that is not a manifest field: the source's own labels (gender, emotion, ...)."""
        return {k: v for k, v in (self.model_extra or {}).items() if v not in (None, "")}


class AudioRef(BaseModel):
    audio: str = Field(description="Audio path relative to the data root.")
    text: str = Field(description="The clip's transcript, or a single space when it has none.")


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user"]
    content: str
    audios: list[AudioRef] | None = None


class OutputRow(BaseModel):
    """One row of the built dataset (data/*.parquet)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    dataset: str
    seed_description: str
    prompt: str
    response: str
    messages: list[Message]
    clip_id: str
    domain: Domain
    audio_path: str
    start_s: float | None
    end_s: float | None
    duration_s: float
    metadata: str = Field(description="JSON object of normalised attributes.")
    prompt_id: str
    model: str
    temperature: float
    top_p: float
    max_tokens: int
    sampling_seed: int
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None


class QuarantineRow(BaseModel):
    """One input that could not become a row, and why (quarantine/*.parquet)."""

    model_config = ConfigDict(extra="forbid")

    clip_id: str | None
    dataset: str
    input_ref: str = Field(description="Manifest path and line, or audio path.")
    stage: str
    drop_reason: str = Field(description="Short machine-countable reason, e.g. 'audio_missing'.")
    drop_detail: str = Field(description="Human-readable detail: the error message.")
