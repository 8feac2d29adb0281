"""CodecFake (Wu et al., Interspeech 2024): VCTK utterances re-synthesised by neural audio codecs, for
detecting codec-based deepfake speech. Read in its Hugging Face Hub form, which is its only distribution.

The dataset is released only on the Hub (github.com/roger-tseng/CodecFake: "CodecFake is available on
Huggingface"), as Parquet: huggingface.co/datasets/rogertseng/CodecFake, `data/train-*.parquet`, one `train`
split of 707,872 rows with columns `audio` (Audio), `label` (string: `spoofing`), `speaker_id` (the VCTK
speaker, e.g. `p225`) and `codec_name` (e.g. `funcodec-funcodec_zh_en_general_16k_nq32ds640`). There is no
other native layout to read, so this is `adapter: hf` with that mapping preset (see adapters/hf.py): a local
`save_to_disk` folder or the Parquet files under `root:` are read offline, else the Hub dataset is streamed and
its audio written under `root:`. The clip id is `<codec_name>/<audio file stem>`, since the same VCTK
utterance appears once per codec. The release names two datasets "CodecFake"; DeSTA's seed descriptions
(speaker gender and VCTK accent) point to this VCTK-based one. Gender and accent are not columns of it:
they are VCTK's, so when VCTK's `speaker-info.txt` is placed under `root:` (copied from the VCTK release) every
clip gets its speaker's Gender, Age and Accent from it, as the VCTK adapter reads that file.

Selection: the dataset has no held-out split; `splits` is its one split, `[train]`.
"""

from __future__ import annotations

from collections.abc import Iterator

from typing import Literal

from pydantic import Field

from adapters.base import Entry, Selection
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions
from adapters.vctk import speaker_info


class CodecFakeOptions(HuggingFaceOptions):
    splits: Selection[Literal["train"]] = Field(["train"], description="The Hub dataset's one split (it has no held-out split).")


class CodecFake(HuggingFaceDataset):
    """CodecFake (rogertseng/CodecFake on the Hub): codec re-synthesised VCTK speech, with codec and speaker."""

    name = "codecfake"
    dataset = "CodecFake"
    domain = "speech"
    licence = "CC-BY-4.0"
    citation = (
        "Wu, Tseng and Lee, CodecFake: Enhancing Anti-Spoofing Models Against Deepfake Audios from "
        "Codec-Based Speech Synthesis Systems, Interspeech 2024"
    )
    homepage = "https://huggingface.co/datasets/rogertseng/CodecFake"
    yields = ("Spoofing", "Codec", "Speaker", "Gender, Age, Accent (with VCTK's speaker-info.txt under root)")
    layout = "Hub dataset rogertseng/CodecFake (Parquet data/train-*.parquet: audio, label, speaker_id, codec_name), or a local copy"
    Options = CodecFakeOptions
    preset = {
        "dataset": "rogertseng/CodecFake",
        "attribute_columns": {"Spoofing": "label", "Codec": "codec_name", "Speaker": "speaker_id"},
        "value_maps": {"Spoofing": {"spoofing": "Spoofed", "spoof": "Spoofed", "bonafide": "Bona fide"}},
    }

    def entries(self) -> Iterator[Entry]:
        speakers, problems = speaker_info(self)
        yield from problems
        for ref, entry in super().entries():
            if isinstance(entry, dict):
                if entry.get("Codec") and not self.options.id_column:
                    entry["id"] = f"{entry['Codec']}/{entry['id']}"
                info = speakers.get(str(entry.get("Speaker")), {})
                for name in ("Gender", "Age", "Accent"):
                    entry.setdefault(name, info.get(name.lower()))
            yield ref, entry
