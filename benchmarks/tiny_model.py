"""A tiny random Llama chat model built locally (no network): for plumbing and memory benchmarks, not content.

The tokenizer is a byte-level BPE trained with `tokenizers` on the repo's own prompt pools, system prompt and
demo transcripts (so the pipeline's prompts tokenise compactly), wrapped in a PreTrainedTokenizerFast with a
chat template. The model is a random LlamaForCausalLM: hidden 64, 2 layers, 2 heads (head_dim 32, the
least vLLM's CPU attention accepts), steered to answer one word at every step (random weights answer
whitespace, which the pipeline quarantines as an empty response). Saved with save_pretrained; a folder
that already holds one is reused.

    python benchmarks/tiny_model.py [--target /tmp/desta-tiny-llm] [--check]   # --check: generate with vLLM
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_TARGET = Path("/tmp/desta-tiny-llm")
SPECIAL_TOKENS = ["<unk>", "<s>", "</s>", "<pad>", "<start_audio>", "<end_audio>", "<|AUDIO|>"]
VOCAB_SIZE = 2000
ANSWER_WORD = "audio"  # a single token of the trained vocabulary: the model says it at every step
# Minimal ChatML-like template: every turn on its own, then the assistant's header when asked.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<s>{{ message['role'] }}\n{{ message['content'] }}</s>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<s>assistant\n{% endif %}"
)


def training_sentences() -> list[str]:
    """A few hundred sentences like the ones the pipeline sends: prompts, system prompt, transcripts."""
    from stages.build_messages import DEFAULT_SYSTEM_PROMPT

    sentences = [DEFAULT_SYSTEM_PROMPT, "system", "user", "assistant"]
    for pool in sorted((REPO / "stages" / "prompt_pools").glob("*.jsonl")):
        sentences += [json.loads(line)["prompt"] for line in pool.read_text().splitlines() if line.strip()]
    for line in (REPO / "demo" / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line) if line.strip() else {}
        sentences += [str(v) for k, v in entry.items() if k != "audio"]
    return sentences


def train_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, special_tokens=SPECIAL_TOKENS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tokenizer.train_from_iterator(training_sentences(), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="<unk>", bos_token="<s>", eos_token="</s>", pad_token="<pad>"
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def build_model(tokenizer):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
        mlp_bias=True,  # the last layer's bias steers the answer (always_answer)
        dtype="float32",
    )
    model = LlamaForCausalLM(config).to(torch.float32)
    always_answer(model, tokenizer.convert_tokens_to_ids(ANSWER_WORD))
    return model


def always_answer(model, token: int) -> None:
    """A large bias on hidden dimension 0 out of the last layer outweighs the residual stream, so the final
    norm's output is ~e0; the (tied) output row of `token` is large on dimension 0, so `token` wins."""
    import torch

    with torch.no_grad():
        for layer in model.model.layers:
            layer.mlp.gate_proj.bias.zero_(), layer.mlp.up_proj.bias.zero_(), layer.mlp.down_proj.bias.zero_()
        model.model.layers[-1].mlp.down_proj.bias[0] = 1000.0
        model.model.embed_tokens.weight[token, 0] = 10.0


def tiny_model(target: Path = DEFAULT_TARGET) -> Path:
    """The tiny model's folder: built there on first use, reused afterwards."""
    target = Path(target)
    if (target / "config.json").is_file() and (target / "tokenizer.json").is_file():
        return target
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    tokenizer = train_tokenizer()
    tokenizer.save_pretrained(partial)
    build_model(tokenizer).save_pretrained(partial)
    partial.rename(target)  # whole or absent: a crashed build is never reused
    return target


def check_in_vllm(model: Path) -> None:
    """Load the model in vLLM (in-process, CPU) and chat once: prints the load and generate times."""
    os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
    os.environ.setdefault("VLLM_CPU_NUM_OF_RESERVED_CPU", "0")
    from vllm import LLM, SamplingParams

    started = time.perf_counter()
    llm = LLM(str(model), dtype="float32", max_model_len=512, enforce_eager=True, kv_cache_memory_bytes=64 << 20)
    loaded = time.perf_counter()
    messages = [{"role": "user", "content": "What did the speaker say? <start_audio>Gender: Male<end_audio>"}]
    out = llm.chat([messages], SamplingParams(max_tokens=4, temperature=0.0), use_tqdm=False)[0]
    print(f"vLLM: loaded in {loaded - started:.1f}s, chat in {time.perf_counter() - loaded:.2f}s; "
          f"{len(out.prompt_token_ids)} prompt tokens -> {out.outputs[0].text!r}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--check", action="store_true", help="load it in vLLM and generate a few tokens")
    args = parser.parse_args()
    model = tiny_model(args.target)
    print(f"tiny model: {model}")
    if args.check:
        check_in_vllm(model)


if __name__ == "__main__":
    main()
