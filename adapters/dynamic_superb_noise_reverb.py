"""Dynamic-SUPERB training sets of the noise and reverberation tasks, read in their Hugging Face Hub form.

Dynamic-SUPERB (github.com/dynamic-superb/dynamic-superb) publishes every task instance as a Hub dataset
(`DynamicSuperb/<Task>_<Source>` test sets; the training sets as `DynamicSuperbPrivate/<Task>...Train`), all
with the same columns, as their dataset cards show (e.g. huggingface.co/datasets/DynamicSuperb/
SpoofDetection_ASVspoof2015): `file` (the utterance's file name, string), `audio` (Audio, 16 kHz),
`instruction` (the task prompt) and `label` (the answer: for the noise/reverb tasks an SNR level, a noise
or room type, or a yes/no). Which of these sets DeSTA's "Dynamic-SUPERB-Train-noise-reverb" source holds is
not public (its seed descriptions carry speaker names, gender, SNR and C50, which none of the public
sets has as columns), so there is no native layout to follow: this is `adapter: hf` with the
Dynamic-SUPERB schema preset and no Hub id. Set `dataset:` (e.g. `DynamicSuperb/NoiseSNRLevelPrediction_
VCTK_MUSAN-Gaussian`, whose only split is `test`: an evaluation set, read only with `splits: [test]`) or point `root:` at a local `save_to_disk` folder or Parquet
copy. The clip id is the `file` column; `label` becomes the attribute `Label`: map it to a common name with
`attribute_columns:` where its meaning is known, e.g. `{Signal-to-noise ratio: label}` for an SNR task.
Noise level and reverberation (C50) are measured from the audio by the pipeline itself.

Selection: `splits` defaults to `[train]`, the training sets' split; a test set is read only when named.
"""

from __future__ import annotations

from adapters.hf import HuggingFaceDataset


class DynamicSuperbNoiseReverb(HuggingFaceDataset):
    """A Dynamic-SUPERB noise/reverb task dataset (file, audio, instruction, label) from the Hub or a local copy."""

    name = "dynamic_superb_noise_reverb"
    dataset = "Dynamic-SUPERB-Train-noise-reverb"
    domain = "speech"
    licence = None  # each Dynamic-SUPERB task inherits its source corpora's licences; not established for this set
    citation = (
        "Huang et al., Dynamic-SUPERB: Towards A Dynamic, Collaborative, and Comprehensive Instruction-Tuning "
        "Benchmark for Speech, ICASSP 2024"
    )
    homepage = "https://github.com/dynamic-superb/dynamic-superb"
    yields = ("Label (the task's answer; remap with attribute_columns)",)
    layout = "a Dynamic-SUPERB task dataset (columns file, audio, instruction, label): `dataset:` on the Hub, or a local save_to_disk / Parquet copy"
    preset = {
        "id_column": "file",
        "attribute_columns": {"Label": "label"},
    }
