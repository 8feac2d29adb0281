"""`desta-data prompts`: statistics of prompt pools, and growing a pool with the configured LLM.

`grow` is self-instruct (Wang et al., 2023): the model sees k prompts of one (category, needs) group of
the pool and writes new ones; lines that are not a clean instruction, that mention what the group does
not need (a transcript, an emotion, a genre ...), or that are near-duplicates of the pool or of each
other are dropped; the rest join the group's category and needs. The vLLM engine runs in-process
(offline `vllm.LLM`); every request carries a seed derived from the config seed, so the same config
grows the same pool.
"""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from schemas.prompts import CATEGORIES, PoolEntry
from stages.prompt_pool import NEAR_DUPLICATE, NearDuplicateIndex, clusters, near_duplicate_pairs, opening, pool_stats, words
from stages.sample_prompts import derived_seed

# ---- stats -----------------------------------------------------------------------------------------


def format_stats(pools: dict[str, tuple[str, list[PoolEntry]]], shown: int = 10) -> str:
    """A report of named pools {name: (path, entries)}: counts per domain and category, needs, yes/no share,
    commonest openings, and the near-duplicate clusters within and across pools."""
    texts = {(name, e.prompt_id): e.prompt for name, (_, entries) in pools.items() for e in entries}
    pairs = near_duplicate_pairs(texts)
    groups = clusters(pairs)
    lines = []
    for name, (path, entries) in pools.items():
        stats = pool_stats(name, entries)
        inside = [g for g in groups if all(key[0] == name for key in g)]
        distinct = stats.prompts - sum(len(g) - 1 for g in inside)
        lines += [f"{name}  ({path})",
                  f"  prompts {stats.prompts}, distinct {distinct} (near-duplicate clusters: {len(inside)}), "
                  f"yes/no {stats.yes_no} ({stats.yes_no / stats.prompts:.1%})",
                  f"  {'category':<22}{'prompts':>8}{'share':>8}"]  # fmt: skip
        for category in sorted(stats.by_category, key=lambda x: list(CATEGORIES).index(x)):
            count = stats.by_category[category]
            lines.append(f"  {category:<22}{count:>8}{count / stats.prompts:>8.1%}")
        lines.append("  needs: " + ", ".join(f"{need} {n}" for need, n in stats.by_need.most_common()))
        for n in (2, 3):
            common = Counter(opening(e.prompt, n) for e in entries).most_common(shown)
            lines.append(f"  openings ({n} words): " + ", ".join(f"\"{text}\" {count / stats.prompts:.1%}" for text, count in common))
    total = len(texts)
    across = sum(1 for a, b, _ in pairs if a[0] != b[0])
    lines.append(
        f"all pools: {total} prompts, {total - sum(len(g) - 1 for g in groups)} distinct; near-duplicate pairs "
        f"(word-trigram Jaccard >= {float(NEAR_DUPLICATE)}): {len(pairs) - across} within pools, {across} across pools"
    )
    similarity = {(a, b): s for a, b, s in pairs}
    for group in groups[:shown]:
        top = max(s for (a, b), s in similarity.items() if a in group)
        lines.append(f"  cluster of {len(group)} (max similarity {float(top):.2f}):")
        lines += [f"    {pool}/{prompt_id}: {texts[(pool, prompt_id)]}" for pool, prompt_id in group[:5]]
    if len(groups) > shown:
        lines.append(f"  ... {len(groups) - shown} more cluster(s)")
    return "\n".join(lines)


# ---- grow ------------------------------------------------------------------------------------------

# Words that ask for something a clip has only when it meets the need; a grown line that uses them is
# dropped unless its seed group needs it (precision: a transcript prompt must not turn into an emotion one).
NEED_WORDS = {
    "speech": {
        "transcript": r"transcri\w*|verbatim|translat\w*|quote\w*|says?|said|saying|words?|spoken|summari[sz]\w*|topic|mention\w*",
        "emotion": r"emotion\w*|feel\w*|mood|angry|happy|sad\w*|calm\w*|nervous|upset|excited|anxious|afraid|scared|tense|"
                   r"relaxed|cheerful|joy\w*|frustrat\w*|annoyed",
        "gender": r"gender|male|female|man|woman|men|women",
        "age": r"age|old|young|elderly",
        "accent": r"accent\w*|dialect|native",
        "pitch": r"pitch\w*",
        "volume": r"loud\w*|volume|quiet\w*",
        "speaking_speed": r"pace|speed|fast|slow\w*|quickly|rate",
        "noise": r"nois\w*|snr",
        "reverberation": r"echo\w*|reverb\w*",
        "speaker_count": r"how many (?:people|speakers|voices)",
        "authenticity": r"fake|spoof\w*|synthe\w*|deepfake|genuine",
    },
    "sound": {
        "volume": r"loud\w*|volume|quiet\w*",
        "music": r"genre|melod\w*|chord\w*|tempo|lyrics?|song\w*|harmon\w*|key signature",  # never in the sound pool
    },
    "music": {
        "transcript": r"lyrics?|transcri\w*|translat\w*|words",
        "gender": r"gender|male|female|man|woman",
        "genre": r"genre",
        "instrument": r"instrument\w*",
        "note": r"note|pitch class|octave|midi",
        "tempo": r"tempo|bpm|beats per minute",
    },
}
# A line is an instruction only if it opens as one: a question word or auxiliary (then it must end in "?"),
# or an imperative verb ("Describe ...", "Please list ..."). "I have no answer yet." is not one.
QUESTION_OPENERS = set("what which who whom whose how where when why is are was were does do did can could would should will has have".split())
IMPERATIVES = set(
    "describe transcribe write give list tell identify summarize summarise explain name estimate classify rate guess "
    "characterize characterise compare suggest count say note comment judge decide outline paraphrase translate label "
    "assess evaluate infer pick choose determine provide quote report state break create compose draft rewrite turn "
    "convert render find mention extract analyze analyse discuss rank recommend propose predict imagine share jot type "
    "produce make spot listen consider interpret detect point fill caption tag sort track speculate retell capture".split()
)
NUMBERING = re.compile(r"^\s*(?:\d{1,3}\s*[.):-]|[-*•]|#+)\s*")
META = re.compile(r"^(?:here (?:are|is)|sure|okay|ok|certainly|note|example|instruction|new instruction|answer)\b", re.I)


def clean_line(line: str) -> str | None:
    """The instruction on a model output line, or None when the line is not one."""
    text = NUMBERING.sub("", line).strip().strip("\"'“”`*").strip()
    text = re.sub(r"^(?:instruction|prompt)\s*\d*\s*:\s*", "", text, flags=re.I)
    if not text or META.match(text) or any(ch in text for ch in "{}<>[]|\\"):
        return None
    if text[-1] not in ".?!" or not 4 <= len(words(text)) <= 60:
        return None
    tokens = words(text)
    first = tokens[1] if tokens[0] == "please" else tokens[0]
    if not (first in IMPERATIVES or (first in QUESTION_OPENERS and text.endswith("?"))):
        return None
    if sum(ch.isalpha() for ch in text) < 0.7 * len(text.replace(" ", "")):
        return None
    return text[:1].upper() + text[1:]


def off_topic(text: str, needs: list[str], domain: str) -> bool:
    """True when the text asks for something its seed group does not need (in the sound pool: any music)."""
    lowered = text.lower()
    return any(need not in needs and re.search(rf"\b(?:{pattern})\b", lowered) for need, pattern in NEED_WORDS[domain].items())


def instruction_request(domain: str, category: str, examples: list[str], wanted: int) -> list[dict]:
    numbered = "\n".join(f"{i}. {text}" for i, text in enumerate(examples, start=1))
    return [{
        "role": "user",
        "content": (
            f"Here are instructions that people give an AI assistant about a {domain} audio clip. They are all of one "
            f"kind: {CATEGORIES[category].description}.\n\n{numbered}\n\nWrite {wanted} new instructions of the same "
            "kind, each asking something different from the examples, in different words. Write one instruction per "
            "line, numbered, and nothing else."
        ),
    }, {"role": "assistant", "content": "1."}]  # fmt: skip  # the answer starts as a numbered list: even a small model keeps to it


@dataclass
class GrowReport:
    requests: int = 0
    lines: int = 0
    malformed: int = 0
    off_topic: int = 0
    near_duplicates: int = 0
    added: int = 0


Generate = Callable[[list[list[dict]], list[int]], list[str]]


def next_ids(domain: str, entries: list[PoolEntry]):
    taken = {e.prompt_id for e in entries}
    numbers = [int(m.group(1)) for e in entries if (m := re.fullmatch(rf"{re.escape(domain)}-(\d+)", e.prompt_id))]
    n = max(numbers, default=0)
    while True:
        n += 1
        if f"{domain}-{n:05d}" not in taken:
            yield f"{domain}-{n:05d}"


def grow_pool(entries: list[PoolEntry], domain: str, target: int, generate: Generate, seed: int, examples: int = 5,
              wanted: int = 8, requests: int = 16, max_rounds: int = 20) -> tuple[list[PoolEntry], GrowReport]:  # fmt: skip
    """New entries (self-instruct) until the pool holds `target` prompts or `max_rounds` rounds of `requests`
    model calls have run. Each call shows `examples` prompts of one (category, needs) group, drawn
    category-first as the sampler does, and asks for `wanted` more."""
    groups: dict[tuple[str, tuple[str, ...]], list[PoolEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.category, tuple(entry.needs)), []).append(entry)
    by_category: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for key in groups:
        by_category.setdefault(key[0], []).append(key)
    index = NearDuplicateIndex(e.prompt for e in entries)
    for entry in entries:
        index.add(entry.prompt_id, entry.prompt)
    rng = random.Random(derived_seed(seed, "grow", domain))
    ids, new, report = next_ids(domain, entries), [], GrowReport()
    for round_number in range(max_rounds):
        if len(entries) + len(new) >= target:
            break
        keys = [rng.choice(by_category[rng.choice(sorted(by_category))]) for _ in range(requests)]
        shown = [rng.sample(groups[key], min(examples, len(groups[key]))) for key in keys]
        conversations = [instruction_request(domain, key[0], [e.prompt for e in picked], wanted) for key, picked in zip(keys, shown)]
        seeds = [derived_seed(seed, "grow", domain, round_number, i) for i in range(requests)]
        report.requests += requests
        for key, output in zip(keys, generate(conversations, seeds)):
            for line in output.splitlines():
                if not line.strip():
                    continue
                report.lines += 1
                text = clean_line(line)
                if text is None:
                    report.malformed += 1
                elif off_topic(text, list(key[1]), domain):
                    report.off_topic += 1
                elif index.similar(text):
                    report.near_duplicates += 1
                elif len(entries) + len(new) < target:
                    entry = PoolEntry(prompt_id=next(ids), prompt=text, category=key[0], needs=list(key[1]))
                    index.add(entry.prompt_id, text)
                    new.append(entry)
    report.added = len(new)
    return new, report


def engine_generate(generation, temperature: float, max_tokens: int, seed: int) -> Generate:
    """An in-process vLLM engine for the configured model; returns a function from conversations and seeds to texts."""
    from pipeline.generation import ENGINE_ENV, engine_kwargs

    for key, value in ENGINE_ENV.items():
        os.environ.setdefault(key, value)
    from vllm import LLM, SamplingParams

    llm = LLM(model=generation.model, seed=seed, **engine_kwargs(generation))

    def generate(conversations: list[list[dict]], seeds: list[int]) -> list[str]:
        params = [SamplingParams(temperature=temperature, top_p=0.95, max_tokens=max_tokens, seed=s) for s in seeds]
        outputs = llm.chat(conversations, params, use_tqdm=False, add_generation_prompt=False, continue_final_message=True)
        return [out.outputs[0].text for out in outputs]

    return generate


def describe_report(report: GrowReport) -> str:
    return (f"{report.requests} model calls, {report.lines} lines: {report.added} added, {report.malformed} malformed, "
            f"{report.off_topic} off-topic, {report.near_duplicates} near-duplicates")  # fmt: skip


def pool_path_for(domain: str, configured: dict[str, str]) -> Path:
    from stages.prompt_pool import bundled_pool_path

    return Path(configured[domain]) if domain in configured else bundled_pool_path(domain)
