"""MELD: 13,708 utterances of 1,433 multi-party dialogues from the TV series Friends, each with one of 7
emotions and a sentiment.

Native layout of `MELD.Raw.tar.gz` (affective-meld.github.io; github.com/declare-lab/MELD), extracted, with
its inner `train.tar.gz` / `dev.tar.gz` / `test.tar.gz` extracted in place:
  {train,dev,test}_sent_emo.csv   header `Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,
                                  Season,Episode,StartTime,EndTime` (comma-separated, quoted, UTF-8)
  train_splits/dia{D}_utt{U}.mp4, dev_splits_complete/..., output_repeated_splits_test/...   one clip per row
Copies differ on whether a split's CSV and clip folder sit in a `<split>/` folder (the Kaggle copy has
`train/train_splits`, `train/train_sent_emo.csv`), so both places are looked at.
Emotions: neutral joy sadness anger surprise fear disgust; sentiments: positive negative neutral.
The CSV has no gender column; the six main characters' genders are known (Friends' Rachel, Monica and Phoebe
are women, Ross, Chandler and Joey men), so their lines carry Gender, as the release's MELD lines do; other
speakers' lines carry none.

Audio: MELD ships video (MP4 with AAC audio); the probe and the measuring stages decode it with FFmpeg
(torchcodec), so the clips are read as they are. `audio_dir` and `audio_suffix` point at extracted
copies instead (e.g. `ffmpeg -i dia0_utt0.mp4 -ac 1 -ar 16000 dia0_utt0.wav`, then `audio_suffix: .wav`),
which the trainer may prefer to read. Clip ids are `<split>_dia{D}_utt{U}`, since
dialogue numbers restart in every split.

The repository's CSVs are UTF-8 with typographic punctuation (`you’re`); copies seen in the wild carry that
punctuation as Windows-1252 bytes turned into C1 control characters (`you\\x92re`, shown as `youre`), which
are mapped back to the characters they stand for instead of being dropped.

Selection: `splits` (train, dev, test; default `[train]`: dev and test are held out).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from adapters.base import Adapter, Entry, Selection

EMOTIONS = {
    "neutral": "Neutral", "joy": "Happy", "sadness": "Sad", "anger": "Angry", "surprise": "Surprised",
    "fear": "Fearful", "disgust": "Disgusted",
}  # fmt: skip
SENTIMENTS = {"positive": "Positive", "negative": "Negative", "neutral": "Neutral"}
CLIP_DIRS = {"train": "train_splits", "dev": "dev_splits_complete", "test": "output_repeated_splits_test"}
COLUMNS = ("Utterance", "Speaker", "Emotion", "Sentiment", "Dialogue_ID", "Utterance_ID")

MAIN_CHARACTERS = {
    "Rachel": "Female", "Monica": "Female", "Phoebe": "Female", "Ross": "Male", "Chandler": "Male", "Joey": "Male",
}  # fmt: skip

class MELDOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train", "dev", "test"]] = Field(["train"], description="Splits to read; default: train only (dev, test: held out).")
    audio_dir: str | None = Field(None, description="Folder (under root) of extracted audio, `{split}` standing for the split; default: each split's clip folder.")
    audio_suffix: str = Field(".mp4", description="Suffix of the audio files: .mp4 (the clips as shipped) or that of extracted copies.")

    @model_validator(mode="after")
    def _audio_dir_per_split(self) -> MELDOptions:
        if self.audio_dir and len(self.splits) > 1 and "{split}" not in self.audio_dir:
            raise ValueError("audio_dir: must contain {split} when several splits are read (clip names repeat across splits)")
        return self


class MELD(Adapter):
    name = "meld"
    dataset = "MELD"
    domain = "speech"
    licence = "GPL-3.0"
    citation = "Poria et al., MELD: A Multimodal Multi-Party Dataset for Emotion Recognition in Conversations, ACL 2019"
    homepage = "https://affective-meld.github.io/"
    yields = ("transcript", "Emotion", "Sentiment", "Speaker", "Gender (main characters)")
    layout = "MELD.Raw: <split>_sent_emo.csv + <split clip folder>/dia{D}_utt{U}.mp4"
    Options = MELDOptions

    def missing(self) -> list[str]:
        return [self._csv(split) for split in self.options.splits if not self.exists(self._csv(split))]

    def entries(self) -> Iterator[Entry]:
        for split in self.options.splits:
            yield from self._split(split)

    def _split(self, split: str) -> Iterator[Entry]:
        csv, folder = self._csv(split), self._audio_dir(split)
        for line, row in self.table(csv):
            if isinstance(row, Exception):
                yield self.ref(csv, line), row
                continue
            absent = [name for name in COLUMNS if name not in row]
            if absent:
                yield self.bad(csv, line, f"no column(s) {', '.join(absent)} in the header")
                continue
            dialogue, utterance = row["Dialogue_ID"], row["Utterance_ID"]
            emotion, sentiment = row["Emotion"].lower(), row["Sentiment"].lower()
            if not (dialogue.isdigit() and utterance.isdigit()) or emotion not in EMOTIONS or sentiment not in SENTIMENTS:
                yield self.bad(csv, line, f"expected numeric Dialogue_ID/Utterance_ID and known Emotion/Sentiment, got "
                                          f"{dialogue!r}, {utterance!r}, {row['Emotion']!r}, {row['Sentiment']!r}")  # fmt: skip
                continue
            clip = f"dia{int(dialogue)}_utt{int(utterance)}"
            yield self.ref(csv, line), {
                "audio": f"{folder}/{clip}{self.options.audio_suffix}",
                "id": f"{split}_{clip}",
                "transcript": restore_cp1252(row["Utterance"]) or None,
                "Speaker": restore_cp1252(row["Speaker"]) or None,
                "Gender": MAIN_CHARACTERS.get(row["Speaker"].strip()),
                "Emotion": EMOTIONS[emotion],
                "Sentiment": SENTIMENTS[sentiment],
            }

    def _csv(self, split: str) -> str:
        candidates = (f"{split}_sent_emo.csv", f"{split}/{split}_sent_emo.csv")
        return next((p for p in candidates if self.exists(p)), candidates[0])

    def _audio_dir(self, split: str) -> str:
        if self.options.audio_dir:
            return self.options.audio_dir.replace("{split}", split).strip("/")
        candidates = (CLIP_DIRS[split], f"{split}/{CLIP_DIRS[split]}")
        return next((p for p in candidates if self.exists(p)), candidates[0])


def restore_cp1252(text: str) -> str:
    """C1 control characters standing for Windows-1252 punctuation (`\\x92`) -> the characters (`’`)."""
    return "".join(_cp1252(ch) if "\x80" <= ch <= "\x9f" else ch for ch in text).strip()


def _cp1252(ch: str) -> str:
    try:
        return bytes([ord(ch)]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81 0x8d 0x8f 0x90 0x9d: unassigned, left for ingest to clean
        return ch
