from pathlib import Path

import pyarrow as pa
import pytest
from transformers import AutoTokenizer

from schemas import columns as c
from stages.build_messages import BuildMessages
from stages.check_trainer_length import CheckTrainerLength, TrainerLengthConfig

TOKENIZER = Path(__file__).resolve().parents[2] / ".models" / "SmolLM2-135M-Instruct"
pytestmark = pytest.mark.skipif(not TOKENIZER.is_dir(), reason="the demo model is made by `make install`")


def table(responses: list[str], transcript: str | None = "Could you pass the salt?") -> pa.Table:
    n = len(responses)
    base = pa.table({
        c.PROMPT: ["Describe the audio."] * n, c.SEED_DESCRIPTION: ["[00:00-00:04] (Duration: 4s)"] * n,
        c.AUDIO_PATH: ["a.wav"] * n, c.TRANSCRIPT: pa.array([transcript] * n, pa.string()), c.RESPONSE: responses,
    })  # fmt: skip
    return BuildMessages()(base)


def test_the_whole_training_sequence_is_counted_as_the_trainer_builds_it():
    tokenizer = AutoTokenizer.from_pretrained(TOKENIZER)
    rows = table(["word " * 10])
    messages = [{"role": m["role"], "content": m["content"].replace("<|AUDIO|>", "")} for m in rows[c.MESSAGES][0].as_py()]
    context = len(tokenizer(tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True), add_special_tokens=False)["input_ids"])
    transcript = len(tokenizer("Could you pass the salt?", add_special_tokens=False)["input_ids"])
    response = len(tokenizer("word " * 10, add_special_tokens=False)["input_ids"])
    total = context + 64 + transcript + response + 1
    fits = CheckTrainerLength(TrainerLengthConfig(str(TOKENIZER), max_seq_length=total))(rows)
    assert fits[c.FLAG].to_pylist() == [None]
    over = CheckTrainerLength(TrainerLengthConfig(str(TOKENIZER), max_seq_length=total - 1))(rows)
    assert over[c.FLAG].to_pylist() == ["too_long_for_trainer"]
    assert over[c.FLAG_DETAIL][0].as_py() == (
        f"{total} training tokens > max_seq_length {total - 1}: context {context + 64 + transcript} (audio 64, "
        f"transcript {transcript}), response {response} + EOS; the trainer cuts the last 1"
    )


def test_transcripts_count_at_most_the_trainer_s_cut_and_long_targets_are_flagged():
    check = CheckTrainerLength(TrainerLengthConfig(str(TOKENIZER), transcript_tokens=5))
    out = check(table(["A short answer.", "A long answer. " * 120], transcript="one two three four five six seven eight nine ten"))
    assert out[c.FLAG].to_pylist() == [None, "too_long_for_trainer"]
    assert "transcript 5)" in out[c.FLAG_DETAIL][1].as_py()
