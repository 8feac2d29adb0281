"""Composition of hand-written prompt parts into pool entries.

A `Group` is a set of hand-written task phrasings (templates) of one category and answer kind, with what
they need from the clip. Templates hold `[a|b|c]` alternatives and `{slot}` places: `{clip}` / `{spk}`
come from the domain's phrases, other slots from the group's `Aspect` lists (each aspect adds its own
needs). A *core* is one template with its aspects filled; a prompt is a core, bare or framed: an opener,
context or persona before it, a lead-in joined to it, a constraint after it (`tools/prompt_pools/framing.py`).
Everything is drawn from seeded `random.Random`s, so the same parts give the same pools.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, field

KINDS = ("open", "short", "yesno", "list", "verbatim", "creative", "caption")


@dataclass(frozen=True)
class Aspect:
    text: str
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    category: str
    kind: str
    needs: tuple[str, ...]
    templates: tuple[str, ...]
    slots: dict[str, tuple[Aspect, ...]] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        assert self.kind in KINDS, self.kind


def group(category: str, kind: str, needs: str | tuple[str, ...], *templates: str, **slots) -> Group:
    """group("emotion", "open", "emotion", "How does {spk} feel?", ...); needs as 'a b' or a tuple."""
    needs = tuple(needs.split()) if isinstance(needs, str) else needs
    return Group(category, kind, needs, templates, {k: tuple(aspects(v)) for k, v in slots.items()})


def aspects(spec) -> list[Aspect]:
    """[("pitch of the voice", "pitch"), "plain text", Aspect(...)] -> Aspects (needs as 'a b')."""
    out = []
    for item in spec:
        if isinstance(item, Aspect):
            out.append(item)
        elif isinstance(item, str):
            out.append(Aspect(item))
        else:
            text, needs = item
            out.append(Aspect(text, tuple(needs.split()) if isinstance(needs, str) else tuple(needs)))
    return out


@dataclass(frozen=True)
class Core:
    template: str  # slots other than {clip}/{spk} filled; alternatives still open
    category: str
    kind: str
    needs: tuple[str, ...]


SLOT = re.compile(r"\{(\w+)\}")
CHOICE = re.compile(r"\[([^\[\]]*)\]")


def cores(groups: list[Group]) -> list[Core]:
    out = []
    for g in groups:
        for template in g.templates:
            names = [n for n in dict.fromkeys(SLOT.findall(template)) if n in g.slots]
            for combo in itertools.product(*(g.slots[n] for n in names)):
                text, needs = template, list(g.needs)
                for name, aspect in zip(names, combo):
                    text = text.replace("{" + name + "}", aspect.text)
                    needs += [n for n in aspect.needs if n not in needs]
                out.append(Core(text, g.category, g.kind, tuple(needs)))
    return out


def realise(template: str, rng: random.Random, phrases: dict[str, list[str]]) -> str:
    """Fill {clip}/{spk} from the domain's phrases and pick one of each [a|b] alternative."""
    text = SLOT.sub(lambda m: rng.choice(phrases[m.group(1)]), template)
    text = CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


# Cores whose first word is one of these read well after a lead-in ("Based on what you hear, describe ...").
JOINABLE = set(
    "what which who how where when why whose is are was were does do did can could would should will has have "
    "describe transcribe write give list tell identify summarize summarise explain name estimate classify rate guess "
    "characterize characterise compare suggest count say note point comment judge decide outline paraphrase translate "
    "label assess evaluate infer pick choose determine provide sketch put spell quote report state capture break offer "
    "create compose draft rewrite turn convert render sum find mention extract detail analyze analyse discuss rank "
    "recommend propose predict speculate imagine picture describe share jot type produce make spot".split()
)
PROPER = {"I", "I'd", "I'm", "I've", "English", "French", "Spanish", "German", "JSON"}


def joinable(core_text: str) -> bool:
    first = core_text.split()[0]
    return first.lower().strip(",.?") in JOINABLE


def lower_first(text: str) -> str:
    first = text.split()[0]
    return text if first in PROPER or first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]
