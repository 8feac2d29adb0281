"""CSZS: the Zero Resource Code-Switched Speech benchmark (ICASSP 2024): pairs of code-switched utterances,
one grammatical and semantically sound (`correct`) and one with swapped words (`wrong`), in three tracks:
Mandarin-English, Spanish-English and French-English.

Native layout: none public beyond the Hugging Face datasets the authors point to (baseline repository
github.com/nobel861017/cs_zs_baseline: "The full code-switch dataset is available at huggingface"):
`ky552/cszs_zh_en`, `ky552/cszs_es_en`, `ky552/cszs_fr_en` (MIT licence; splits train / dev / test; columns
`correct_audio`, `correct_transcription`, `correct_file`, `wrong_audio`, `wrong_transcription`,
`wrong_file`). This adapter reads that Hub form: streamed from the Hub, or a local copy (`data/<split>-*.parquet`,
or a `save_to_disk` folder). `side` picks which utterance of each pair becomes the clip (default `correct`).
Clip ids are the `<side>_file` column.

Selection: `tracks` (the language pairs; default `[zh_en]`) and `splits` (default `[train]`; dev and test
are held out). With one track, the root holds that track's copy (or is where its streamed audio is
written). With several, each track's copy sits in its own folder under the root, `<track>/` or
`cszs_<track>/` (a track without one is streamed from ky552/cszs_<track> into `<track>/`), and audio paths
are relative to the root through that folder.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from adapters.base import Entry, Selection
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions

Track = Literal["zh_en", "es_en", "fr_en"]
LANGUAGES = {
    "zh_en": "Mandarin-English code-switching",
    "es_en": "Spanish-English code-switching",
    "fr_en": "French-English code-switching",
}


class CSZSOptions(HuggingFaceOptions):
    tracks: Selection[Track] = Field(["zh_en"], description="Language pairs to read: the Hub datasets ky552/cszs_<track>.")
    splits: Selection[Literal["train", "dev", "test"]] = Field(["train"], description="Splits to read; default: train only.")
    side: Literal["correct", "wrong"] = Field("correct", description="Which utterance of each pair is the clip.")

    @model_validator(mode="after")
    def _one_hub_id_per_track(self) -> CSZSOptions:
        if self.dataset and len(self.tracks) > 1 and self.dataset not in {f"ky552/cszs_{t}" for t in self.tracks}:
            raise ValueError("dataset: one Hub id cannot serve several tracks; leave it unset (each track reads ky552/cszs_<track>)")
        return self


class CSZS(HuggingFaceDataset):
    name = "cszs"
    dataset = "CSZS"
    domain = "speech"
    licence = "MIT"
    citation = (
        "Huang et al., Zero Resource Code-Switched Speech Benchmark Using Speech Utterance Pairs for Multiple Spoken "
        "Languages, ICASSP 2024"
    )
    homepage = "https://huggingface.co/datasets/ky552/cszs_zh_en"
    yields = ("transcript", "Language")
    layout = "Hub datasets ky552/cszs_{zh_en,es_en,fr_en} (correct_/wrong_ audio, transcription, file), or Parquet / save_to_disk copies under root (one per track: <track>/)"
    Options = CSZSOptions

    def __init__(self, root: str, options: dict[str, Any] | BaseModel | None = None):
        if not isinstance(options, BaseModel):
            options = dict(options or {})
            tracks, side = options.get("tracks") or ["zh_en"], options.get("side", "correct")
            if len(tracks) == 1:
                options.setdefault("dataset", f"ky552/cszs_{tracks[0]}")
            options.setdefault("audio_column", f"{side}_audio")
            options.setdefault("transcript_column", f"{side}_transcription")
            options.setdefault("id_column", f"{side}_file")
        super().__init__(root, options)

    def _track_readers(self) -> Iterator[tuple[str, str, HuggingFaceDataset]]:
        """(track, its folder under the root, a reader of its copy or Hub dataset) for every track asked for."""
        shared = self.options.model_dump(exclude={"tracks", "side", "dataset"})
        for track in self.options.tracks:
            folder = next((f for f in (track, f"cszs_{track}") if self.exists(f)), track)
            yield track, folder, HuggingFaceDataset(f"{self.root}/{folder}", {**shared, "dataset": f"ky552/cszs_{track}"})

    @property
    def root_required(self) -> bool:
        return super().root_required if len(self.options.tracks) == 1 else False  # every track can stream

    def check(self) -> str | None:
        if len(self.options.tracks) == 1:
            return super().check()
        return next((f"track {track}: {problem}" for track, _, reader in self._track_readers() if (problem := reader.check())), None)

    def entries(self) -> Iterator[Entry]:
        if len(self.options.tracks) == 1:
            yield from self._labelled(super().entries(), self.options.tracks[0], "")
            return
        for track, folder, reader in self._track_readers():
            yield from self._labelled(reader.entries(), track, folder)

    @staticmethod
    def _labelled(entries: Iterator[Entry], track: str, folder: str) -> Iterator[Entry]:
        for ref, entry in entries:
            if isinstance(entry, dict):
                entry.setdefault("Language", LANGUAGES[track])
                if folder and not (posixpath.isabs(entry["audio"]) or "://" in entry["audio"]):
                    entry["audio"] = posixpath.join(folder, entry["audio"])
            yield ref, entry
