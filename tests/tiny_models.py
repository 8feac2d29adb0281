"""Tiny randomly initialised Hugging Face audio models saved to a folder (no network), so the real
`from_pretrained` loading and batching code of stages/extract_with_model.py runs in the tests."""

from __future__ import annotations

import json
from pathlib import Path

GENDERS = {0: "female", 1: "male"}


def tiny_whisper(folder: Path, multilingual: bool = False) -> Path:
    """A 1-layer Whisper (d_model 32) with a 32-token byte-level BPE vocabulary; it never emits
    end-of-text, so every transcript is `max_new_tokens` letters of garbage. `multilingual`: its generation
    config knows the languages `en` and `zh` and the task `transcribe`, so `generate(language=..., task=...)` runs."""
    import torch
    from transformers import WhisperConfig, WhisperFeatureExtractor, WhisperForConditionalGeneration, WhisperProcessor, WhisperTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    specials = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|transcribe|>", "<|notimestamps|>", *(["<|zh|>"] if multilingual else [])]
    vocab = {token: i for i, token in enumerate([*"abcdefghijklmnopqrstuvwxyz", "Ġ", *specials])}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    end = "<|endoftext|>"
    tokenizer = WhisperTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"), unk_token=end, bos_token=end, eos_token=end, pad_token=end)
    tokenizer.add_special_tokens({"additional_special_tokens": specials[1:]})
    config = WhisperConfig(
        vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, num_mel_bins=80, max_target_positions=64,
        pad_token_id=vocab[end], bos_token_id=vocab[end], eos_token_id=vocab[end],
        decoder_start_token_id=vocab["<|startoftranscript|>"], suppress_tokens=[], begin_suppress_tokens=[],
    )  # fmt: skip
    torch.manual_seed(0)
    model = WhisperForConditionalGeneration(config)
    model.generation_config.suppress_tokens = [vocab[end]]
    model.generation_config.no_timestamps_token_id = vocab["<|notimestamps|>"]
    if multilingual:
        model.generation_config._from_model_config = False  # else loading rebuilds it from the model config
        model.generation_config.is_multilingual = True
        model.generation_config.lang_to_id = {"<|en|>": vocab["<|en|>"], "<|zh|>": vocab["<|zh|>"]}
        model.generation_config.task_to_id = {"transcribe": vocab["<|transcribe|>"]}
        model.generation_config.suppress_tokens = [vocab[token] for token in specials]  # letters only after the prompt
    model.save_pretrained(folder)
    WhisperProcessor(feature_extractor=WhisperFeatureExtractor(feature_size=80), tokenizer=tokenizer).save_pretrained(folder)
    return folder


def tiny_wav2vec2_classifier(folder: Path, id2label: dict[int, str] = GENDERS) -> Path:
    """A 1-layer wav2vec2 audio classifier (hidden 16, 2 conv layers) labelling `id2label`."""
    import torch
    from transformers import Wav2Vec2Config, Wav2Vec2FeatureExtractor, Wav2Vec2ForSequenceClassification

    folder.mkdir(parents=True, exist_ok=True)
    config = Wav2Vec2Config(
        hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        conv_dim=(16, 16), conv_kernel=(10, 3), conv_stride=(5, 2), num_conv_pos_embeddings=16,
        num_conv_pos_embedding_groups=2, classifier_proj_size=8, vocab_size=8,
        id2label=id2label, label2id={label: i for i, label in id2label.items()},
    )  # fmt: skip
    torch.manual_seed(0)
    Wav2Vec2ForSequenceClassification(config).save_pretrained(folder)
    Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16000, return_attention_mask=False).save_pretrained(folder)
    return folder
