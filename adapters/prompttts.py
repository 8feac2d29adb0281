"""PromptTTS, taken as its PromptSpeech data: speech paired with a natural-language style prompt (e.g. "A lady
whispers to her friend slowly") and the five style factors it was written from: gender, pitch, speaking speed,
volume and emotion.

Native layout: not established. The paper (Guo et al., ICASSP 2023, arXiv:2211.12171) says the dataset is
released through https://speechresearch.github.io/prompttts/, but the layout of that release (file names,
columns) could not be found in public documentation, and no canonical Hugging Face copy is known. This adapter
therefore reads a Hugging Face form of it: a local `save_to_disk` folder or Parquet files (`data/<split>-*.parquet`,
`<split>/*.parquet` or `*.parquet`) under `root`, or a Hub copy named with `dataset:`. The column names are
ASSUMED, following the paper's vocabulary: `audio`, `text` (transcript), `style_prompt` (caption), `gender`,
`pitch`, `speed`, `volume`, `emotion`; an absent column is simply not used, and every name can be overridden
in the options (transcript_column, caption_column, attribute_columns).

Selection: the copy's split names are not known either: `splits` defaults to `[train]`; a held-out split is
read only when named.
"""

from __future__ import annotations

from adapters.hf import HuggingFaceDataset


class PromptTTS(HuggingFaceDataset):
    """PromptSpeech (Hugging Face form): transcript, style-prompt caption, gender, pitch, speed, volume, emotion."""

    name = "prompttts"
    dataset = "PromptTTS"
    domain = "speech"
    licence = None  # not established
    citation = "Guo, Leng, Wu, Zhao and Tan, PromptTTS: Controllable Text-to-Speech with Text Descriptions, ICASSP 2023"
    homepage = "https://speechresearch.github.io/prompttts/"
    yields = ("transcript", "caption", "Gender", "Pitch", "Speaking speed", "Volume", "Emotion")
    layout = "a Hugging Face copy (save_to_disk / Parquet under root, or `dataset:`) with audio, text, style_prompt, gender, pitch, speed, volume, emotion"
    preset = {
        "audio_column": "audio",
        "transcript_column": "text",
        "caption_column": "style_prompt",
        "attribute_columns": {"Gender": "gender", "Pitch": "pitch", "Speaking speed": "speed", "Volume": "volume", "Emotion": "emotion"},
        "value_maps": {
            "Gender": {"male": "Male", "female": "Female", "Male": "Male", "Female": "Female", "M": "Male", "F": "Female"},
            "Emotion": {
                "neutral": "Neutral", "happy": "Happy", "sad": "Sad", "angry": "Angry", "surprised": "Surprised",
                "fearful": "Fearful", "disgusted": "Disgusted",
            },
        },
    }
