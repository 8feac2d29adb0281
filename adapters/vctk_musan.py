"""VCTK+MUSAN: VCTK speech mixed with MUSAN noise at known signal-to-noise ratios, with the number of
talkers; the DeSTA-AQA5M release describes its clips as `(4 speakers talking) (Noise Level: Noisy,
Signal-to-Noise Ratio: 10db)`.

Native layout: not established. No public release of this mixture set (its files, naming or metadata)
could be found; the public VCTK x MUSAN sets of the same group (Dynamic-SUPERB's
NoiseDetection_VCTK_MUSAN-* and NoiseSNRLevelPrediction_VCTK_MUSAN-* tasks) are Hugging Face datasets. So
this adapter reads a Hub-form copy: a Hub dataset id given as `dataset`, or a local copy under `root`
(`data/<split>-*.parquet`, or a `save_to_disk` folder), with columns mapped by options. When a column
holds the release-style description (`description_column`), its parts become attributes: `(N speakers
talking)` -> `Speaker count`, `Noise Level: X` -> `Noise level`, `Signal-to-Noise Ratio: Ydb` -> `SNR`
(`Y dB`). Other columns (an SNR number, a noise type) map through `attribute_columns` as usual.

Selection: split names are the copy's own: `splits` defaults to `[train]`; a held-out split is read only
when named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, Field

from adapters.base import Entry, EntryError
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions

DESCRIPTION = "__description"
TALKERS = re.compile(r"\(\s*(?P<count>\d+)\s+speakers?\s+talking\s*\)", re.I)
NOISE_LEVEL = re.compile(r"Noise\s+Level\s*:\s*(?P<level>[^,()]+?)\s*(?:[,)]|$)", re.I)
SNR = re.compile(r"Signal-to-Noise\s+Ratio\s*:\s*(?P<snr>-?\d+(?:\.\d+)?)\s*dB", re.I)


class VCTKMusanOptions(HuggingFaceOptions):
    description_column: str | None = Field(
        None, description="Column holding `(N speakers talking) (Noise Level: X, Signal-to-Noise Ratio: Ydb)` text."
    )


class VCTKMusan(HuggingFaceDataset):
    name = "vctk_musan"
    dataset = "VCTK+MUSAN"
    domain = "speech"
    licence = None  # derived from VCTK (CC-BY-4.0) and MUSAN (CC-BY-4.0); the mixture set's own terms are not known
    citation = "Yamagishi et al., CSTR VCTK Corpus, University of Edinburgh 2019; Snyder et al., MUSAN: A Music, Speech, and Noise Corpus, arXiv 2015"
    homepage = None
    yields = ("Speaker count", "Noise level", "SNR", "transcript / attributes mapped by options")
    layout = "not public: a Hub-form copy (options.dataset, or Parquet / save_to_disk under root) with a release-style description column"
    Options = VCTKMusanOptions

    def __init__(self, root: str, options: dict[str, Any] | BaseModel | None = None):
        if not isinstance(options, BaseModel) and (options or {}).get("description_column"):
            options = dict(options)
            options["attribute_columns"] = {**options.get("attribute_columns", {}), DESCRIPTION: options["description_column"]}
        super().__init__(root, options)

    def entries(self) -> Iterator[Entry]:
        for ref, entry in super().entries():
            if isinstance(entry, dict) and DESCRIPTION in entry:
                text = str(entry.pop(DESCRIPTION))
                parsed = parse_description(text)
                if not parsed:
                    yield ref, EntryError("bad_metadata", f"{ref}: no speaker count, noise level or SNR in description {text!r}")
                    continue
                entry.update({k: v for k, v in parsed.items() if entry.get(k) in (None, "")})
            yield ref, entry


def parse_description(text: str) -> dict[str, Any]:
    """`(4 speakers talking) (Noise Level: Noisy, Signal-to-Noise Ratio: 10db)` -> attributes."""
    found: dict[str, Any] = {}
    if match := TALKERS.search(text):
        found["Speaker count"] = int(match["count"])
    if match := NOISE_LEVEL.search(text):
        found["Noise level"] = match["level"]
    if match := SNR.search(text):
        found["SNR"] = f"{match['snr']} dB"
    return found
