"""Build the bundled prompt pools (stages/prompt_pools/{speech,sound,music}.jsonl) from the hand-written parts.

    PYTHONPATH=. python -m tools.prompt_pools.build [--output-dir DIR]

Deterministic: the same parts give byte-identical files. For each domain and category the cores (task
phrasings with their aspects filled) are shuffled; a first pass offers every core bare, later passes
offer it framed (lead-in, opener, context, persona, constraint, or a pair), picking the least-used
fitting frame so no frame dominates. A candidate is kept only if no kept prompt of any pool is a
near-duplicate (word-trigram Jaccard >= 0.7, `stages.prompt_pool`) and the category's yes/no share
stays under YES_NO_SHARE, until the category's quota is met. The committed JSONL files, not this
script, are the source of truth: edit them, or grow them with `desta-data prompts grow`.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path

from schemas.prompts import CATEGORIES, PoolEntry
from stages.prompt_pool import NearDuplicateIndex, is_yes_no, write_pool
from tools.prompt_pools import framing, music, sound, speech
from tools.prompt_pools.engine import Core, cores, joinable, lower_first, realise

SEED = "desta-data prompt pools v1"
YES_NO_SHARE = 0.08
REPO = Path(__file__).resolve().parents[2]
CONTENT = {"speech": speech, "sound": sound, "music": music}
QUOTAS = {
    "speech": {"transcription": 400, "content": 460, "language": 300, "speaker traits": 400, "emotion": 420,
               "paralinguistics": 440, "recording conditions": 300, "conversation": 260, "authenticity": 140,
               "reasoning": 420, "creative": 420, "description": 340},
    "sound": {"sound events": 330, "acoustic scene": 280, "temporal structure": 220, "sound properties": 260,
              "reasoning": 260, "creative": 230, "description": 220},
    "music": {"music genre": 250, "music instruments": 250, "music theory": 230, "music mood": 250, "vocals": 170,
              "reasoning": 220, "creative": 220, "description": 190},
}  # fmt: skip
FRAMINGS = ("lead-in", "constraint", "opener", "persona", "context", "lead-in+constraint", "opener+constraint",
            "persona+constraint", "context+constraint")  # fmt: skip


class Framer:
    """Frames a core; picks the least-used fitting frame of each kind (ties broken by the seeded rng)."""

    def __init__(self, domain: str, rng: random.Random):
        self.domain, self.rng, self.used = domain, rng, Counter()
        self.phrases = CONTENT[domain].PHRASES

    def pick(self, pool: list[framing.Frame], core: Core, length: str | None = None) -> framing.Frame | None:
        """The least-used frame that fits the core, says nothing the task already sets, and does not clash
        with the length of a frame already chosen."""
        fitting = [
            f for f in pool
            if f.fits(self.domain, core.category, core.kind, core.needs)
            and not (f.aspect in framing.SETS and re.search(framing.SETS[f.aspect], core.template, re.IGNORECASE))
            and not (length == "brief" and (f.length == "long" or f.aspect == "length"))
        ]
        if not fitting:
            return None
        least = min(self.used[f.text] for f in fitting)
        choice = self.rng.choice([f for f in fitting if self.used[f.text] == least])
        return choice

    def fill(self, text: str) -> str:
        return realise(text, self.rng, self.phrases)

    def render(self, core: Core, framing_kind: str | None) -> tuple[str, list[framing.Frame]] | None:
        task = self.fill(core.template)
        if framing_kind is None:
            return task, []
        parts = framing_kind.split("+")
        chosen, before, after = [], "", ""
        for part in parts:
            length = next((f.length for f in chosen if f.length), None)
            if part == "constraint":
                frame = self.pick(framing.CONSTRAINTS, core, length)
                if frame is None:
                    return None
                after = " " + frame.text
            elif part == "lead-in":
                frame = self.pick(framing.LEAD_INS, core, length)
                if frame is None or not joinable(task):
                    return None
                task = f"{self.fill(frame.text)}, {lower_first(task)}"
            elif part in ("opener", "context"):
                frame = self.pick(framing.OPENERS if part == "opener" else framing.CONTEXTS, core)
                if frame is None:
                    return None
                before = self.fill(frame.text) + " "
            else:  # persona
                frame = self.pick(framing.PERSONAS, core)
                if frame is None:
                    return None
                forms = [f for f in framing.PERSONA_FORMS if (joinable(task) or not f.startswith("As "))
                         and (core.kind in (*framing.ANALYTIC, "caption") or not f.startswith("{Task}"))]
                form = self.rng.choice(forms)
                task = form.replace("{role}", frame.text).replace("{Task}", task).replace("{task}", lower_first(task))
                task = task[:1].upper() + task[1:]
            chosen.append(frame)
        return before + task + after, chosen


def build_domain(domain: str, index: NearDuplicateIndex) -> list[PoolEntry]:
    groups = CONTENT[domain].GROUPS
    kept: list[tuple[str, Core]] = []
    for category, quota in QUOTAS[domain].items():
        assert domain in CATEGORIES[category].domains, (domain, category)
        rng = random.Random(f"{SEED}/{domain}/{category}")
        framer = Framer(domain, rng)
        mine = [core for core in cores(groups) if core.category == category]
        rng.shuffle(mine)
        accepted, yes_no = 0, 0
        for framing_kind in (None, *FRAMINGS, *FRAMINGS):
            for core in mine:
                if accepted >= quota:
                    break
                rendered = framer.render(core, framing_kind)
                if rendered is None:
                    continue
                text, frames_used = rendered
                question = is_yes_no(text)
                if question and yes_no + 1 > YES_NO_SHARE * quota:
                    continue
                if index.similar(text):
                    continue
                index.add((domain, len(kept)), text)
                kept.append((text, core))
                framer.used.update(f.text for f in frames_used)
                accepted += 1
                yes_no += question
        if accepted < quota:
            print(f"warning: {domain}/{category}: {accepted} of {quota} prompts")
    order = {category: i for i, category in enumerate(QUOTAS[domain])}
    kept.sort(key=lambda item: order[item[1].category])  # stable: acceptance order within a category
    return [
        PoolEntry(prompt_id=f"{domain}-{i:05d}", prompt=text, category=core.category, needs=list(core.needs))
        for i, (text, core) in enumerate(kept, start=1)
    ]


def corpus() -> list[str]:
    """Texts whose trigram frequencies rank shingles for the near-duplicate index (any order is correct)."""
    texts = [core.template for module in CONTENT.values() for core in cores(module.GROUPS)]
    for frames in (framing.LEAD_INS, framing.OPENERS, framing.CONTEXTS, framing.CONSTRAINTS):
        texts += [f.text for f in frames]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=REPO / "stages" / "prompt_pools")
    args = parser.parse_args()
    index = NearDuplicateIndex(corpus())
    for domain in CONTENT:
        entries = build_domain(domain, index)
        path = args.output_dir / f"{domain}.jsonl"
        write_pool(path, entries)
        share = sum(is_yes_no(e.prompt) for e in entries) / len(entries)
        print(f"{path}: {len(entries)} prompts, yes/no {share:.1%}")


if __name__ == "__main__":
    main()
