"""Expresso: 4 speakers, expressively read sentences (mono) and improvised dialogues (stereo, one actor per channel).

Native layout of expresso.tar (dataset README, facebookresearch/textlesslib examples/expresso/dataset/README.md,
and the tree ajd12342/paraspeechcaps dataset/README.md lists for it); the root is the `expresso/` folder:
  README.txt, LICENSE.txt
  read_transcriptions.txt   `<file name>\\t<sentence>` per line, e.g. `ex01_confused_00001\\tReady for bed, lamb chop?`
                            (`*word*` marks emphasis, `<breath>`/`<laugh>` non-verbal events; kept as written)
  VAD_segments.txt          `#` comment lines, then `<file name>[/channel<1|2>]\\t(start, end) (start, end) ...` in seconds
  splits/{train,dev,test}.txt   the paper's split: one `<file name>[/channel<1|2>][\\t(start, end) ...]` per line
  audio_48khz/read/<spk>/<style>/base/<spk>_<style>[_<variant>]_<nnnnn>.wav       e.g. read/ex03/default/base/ex03_default_emphasis_00010.wav
  audio_48khz/read/<spk>/<style>/longform/<spk>_<style>_longform_<nnnnn>.wav
  audio_48khz/conversational/<spk1>-<spk2>/<style1>-<style2>|<style>/<spk1>-<spk2>_<styles>_<nnn>.wav
      channel 1 is <spk1> in <style1>, channel 2 is <spk2> in <style2> (one style: both)
A read clip carries its transcript, speaker and style; a dialogue (option `subsets`, off by default: dialogues
run for minutes and have no transcript) becomes one clip whose turns are its VAD segments, each with the
channel's speaker and style. Styles that name an emotion are also given as Emotion (`default` is the neutral reading);
the other styles (confused, enunciated, laughing, whisper, ...) only as Speaking style. The speakers' genders
(2 male, 2 female) are not tied to their ids in public documentation and are left out. The abbreviated
style names of dialogue folders (`animaldir` for animal_directed is documented) are assumed for the others.

Selection: `subsets` (read, conversational; default `[read]`) and `splits` (default `[train]`). The split lists
put each base read file in one split, but cut a longform or dialogue file into time ranges spread over
train, dev and test; clips here are whole files, so a file is read when every split listing it is selected
(a longform or dialogue file with dev/test ranges only with all three). Files no list names (the singing
recordings, which the split leaves out) are training material. A copy without the split lists of the
held-out splits is reported by `check`, since its dev/test files cannot be told apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem

READ = re.compile(r"(?P<speaker>ex\d+)_(?P<style>[a-z]+(?:_[a-z]+)*?)(?:_(?P<variant>emphasis|essentials|longform))?_(?P<number>\d+)")
DIALOGUE = re.compile(r"(?P<speakers>ex\d+(?:-ex\d+)?)_(?P<styles>[a-z_]+(?:-[a-z_]+)?)_(?P<number>\d+)")
SEGMENT = re.compile(r"\(\s*(?P<start>\d+(?:\.\d+)?)\s*,\s*(?P<end>\d+(?:\.\d+)?)\s*\)")
EMOTIONS = {
    "default": "Neutral", "happy": "Happy", "sad": "Sad", "angry": "Angry", "fearful": "Fearful",
    "disgusted": "Disgusted", "calm": "Calm", "sleepy": "Sleepy",
}  # fmt: skip
STYLE_NAMES = {"animaldir": "animal_directed", "childdir": "child_directed", "nonverbal": "non_verbal"}
AUDIO = "audio_48khz"
TRANSCRIPTS = "read_transcriptions.txt"
VAD = "VAD_segments.txt"
SPLITS = ("train", "dev", "test")
SPLIT_LINE = re.compile(r"(?P<name>[^\s/(]+)")


class ExpressoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subsets: Selection[Literal["read", "conversational"]] = Field(["read"], description="read: the read sentences; conversational: the dialogues (turns from VAD_segments.txt).")
    splits: Selection[Literal["train", "dev", "test"]] = Field(["train"], description="splits/<split>.txt lists to follow; default: train only (dev, test: held out).")


class Expresso(Adapter):
    """Expresso read speech in 8 styles (and optionally the improvised dialogues): transcript, speaker, style."""

    name = "expresso"
    dataset = "Expresso"
    domain = "speech"
    licence = "CC-BY-NC-4.0"
    citation = (
        "Nguyen, Hsu, D'Avirro, Shi, Gat, Fazel-Zarani, Remez, Copet, Synnaeve, Hassid, Kreuk, Adi and Dupoux, "
        "EXPRESSO: A Benchmark and Analysis of Discrete Expressive Speech Resynthesis, Interspeech 2023"
    )
    homepage = "https://speechbot.github.io/expresso/"
    yields = ("transcript", "Speaker", "Speaking style", "Emotion", "turns")
    layout = "audio_48khz/read/<spk>/<style>/{base,longform}/<spk>_<style>_<n>.wav + read_transcriptions.txt (+ conversational/ + VAD_segments.txt)"
    expects = (AUDIO,)
    Options = ExpressoOptions

    def check(self) -> str | None:
        absent = [f"splits/{split}.txt" for split in SPLITS if split not in self.options.splits and not self.exists(f"splits/{split}.txt")]
        if absent and not super().check():
            return f"{self.root}: {', '.join(absent)} not found: without the held-out lists, dev/test files cannot be left out (or select every split)"
        return super().check()

    def entries(self) -> Iterator[Entry]:
        listed = self._split_lists()
        for subset, read in (("read", self._read), ("conversational", self._dialogues)):
            if subset in self.options.subsets:
                for ref, entry in read():
                    if isinstance(entry, dict) and not self._selected(listed.get(entry["id"], set())):
                        continue
                    yield ref, entry

    def _split_lists(self) -> dict[str, set[str]]:
        """file name -> the splits whose list names it (or some time range of it)."""
        listed: dict[str, set[str]] = {}
        for split in SPLITS:
            if self.exists(f"splits/{split}.txt"):
                for _, line in self.lines(f"splits/{split}.txt"):
                    if not line.startswith("#") and (match := SPLIT_LINE.match(line.strip())):
                        listed.setdefault(match["name"], set()).add(split)
        return listed

    def _selected(self, splits: set[str]) -> bool:
        return splits <= set(self.options.splits) if splits else "train" in self.options.splits

    # ---- read speech ------------------------------------------------------------------------------------

    def _read(self) -> Iterator[Entry]:
        texts: dict[str, tuple[str, str]] = {}  # file name -> (sentence, input ref)
        if self.exists(TRANSCRIPTS):
            for number, line in self.lines(TRANSCRIPTS):
                name, tab, text = line.partition("\t")
                if not tab or not text.strip() or not parse_name(READ, name.strip()):
                    yield self.bad(TRANSCRIPTS, number, "expected `<spk>_<style>_<nnnnn>\\t<sentence>`")
                    continue
                texts[name.strip()] = (text.strip(), self.ref(TRANSCRIPTS, number))
        audio: dict[str, str] = {}
        for path in self.find(f"{AUDIO}/read/*/*/*/*.wav"):
            _, _, speaker, style, kind, _ = path.split("/")
            fields = parse_name(READ, stem(path))
            longform = fields is not None and fields["variant"] == "longform"
            if not fields or (fields["speaker"], fields["style"]) != (speaker, style) or kind != ("longform" if longform else "base"):
                detail = "file name does not follow read/<spk>/<style>/{base,longform}/<spk>_<style>[_<variant>]_<n>.wav"
                yield self.bad(path, None, detail, "bad_file_name")
                continue
            audio[stem(path)] = path
        for name in sorted(texts.keys() | audio.keys()):
            fields = parse_name(READ, name)
            speaker, style = fields["speaker"], fields["style"]
            kind = "longform" if fields["variant"] == "longform" else "base"
            path = audio.get(name) or f"{AUDIO}/read/{speaker}/{style}/{kind}/{name}.wav"
            transcript, ref = texts.get(name, (None, self.ref(path)))
            yield ref, {"audio": path, "id": name, "transcript": transcript, "Speaker": speaker, **_style(style)}

    # ---- dialogues ----------------------------------------------------------------------------------------

    def _dialogues(self) -> Iterator[Entry]:
        segments, problems = self._vad()
        yield from problems
        for path in self.find(f"{AUDIO}/conversational/*/*/*.wav"):
            _, _, pair, folder, _ = path.split("/")
            fields = parse_name(DIALOGUE, stem(path))
            if not fields or (fields["speakers"], fields["styles"]) != (pair, folder):
                detail = "file name does not follow conversational/<spk1>-<spk2>/<styles>/<spk1>-<spk2>_<styles>_<n>.wav"
                yield self.bad(path, None, detail, "bad_file_name")
                continue
            speakers, styles = pair.split("-"), folder.split("-")
            if len(speakers) == 1:  # a solo recording (singing): no channels
                yield self.ref(path), {"audio": path, "id": stem(path), "Speaker": speakers[0], **_style(styles[0])}
                continue
            turns = []
            for channel, start, end in sorted(segments.get(stem(path), []), key=lambda s: (s[1], s[0])):
                style = styles[channel - 1] if len(styles) == 2 else styles[0]
                turns.append({"start": start, "end": end, "Speaker": speakers[channel - 1], **_style(style)})
            yield self.ref(path), {"audio": path, "id": stem(path), "turns": turns}

    def _vad(self) -> tuple[dict[str, list[tuple[int, float, float]]], list[Entry]]:
        """file name -> [(channel, start, end)] from VAD_segments.txt."""
        segments: dict[str, list[tuple[int, float, float]]] = {}
        problems: list[Entry] = []
        if not self.exists(VAD):
            return segments, problems
        for number, line in self.lines(VAD):
            if line.startswith("#"):
                continue
            key, tab, spans = line.partition("\t")
            name, _, channel = key.strip().partition("/channel")
            found = [(float(m["start"]), float(m["end"])) for m in SEGMENT.finditer(spans)]
            if not tab or channel not in ("1", "2") or not found or any(end <= start for start, end in found):
                if tab and channel == "" and found:
                    continue  # a longform read file's segments: read clips are whole files
                problems.append(self.bad(VAD, number, "expected `<file>/channel<1|2>\\t(start, end) ...` with end > start"))
                continue
            segments.setdefault(name, []).extend((int(channel), start, end) for start, end in found)
        return segments, problems


def _style(raw: str) -> dict[str, str | None]:
    style = STYLE_NAMES.get(raw, raw)
    return {"Speaking style": style.replace("_", " "), "Emotion": EMOTIONS.get(style)}
