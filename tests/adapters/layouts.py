"""Every dataset adapter's tiny native layout, built side by side under one data root.

Each adapter test builds its own fixture layout; `build_all` calls those same builders, one folder per
source, so a whole-recipe test (`desta-data plan` on configs/aqa5m.yaml's 51 sources) reads exactly what
the adapter tests read. `LAYOUTS` maps an adapter name to a builder `(root, audio) -> options`, the
options that builder's layout needs (its tests read it with the same ones).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.adapters import (
    test_accentdb, test_alimeeting, test_anispeech, test_asvspoof, test_audiocaps, test_audioset, test_biic_podcast, test_cafe,
    test_clotho, test_codecfake, test_commonvoice, test_crema_d, test_cszs, test_dailytalk, test_dusha,
    test_dynamic_superb_noise_reverb, test_emns, test_emov_db, test_emovo, test_esc50, test_esd, test_expresso, test_fair_speech,
    test_fma, test_fsd50k, test_globe, test_gtzan, test_iemocap, test_kespeech, test_l2_arctic, test_libricount,
    test_librispeech_c, test_libritts_r, test_meld, test_mridangam, test_msp_improv, test_msp_podcast, test_nsynth,
    test_ntuml2021, test_opensinger, test_paraspeechcaps, test_prompttts, test_speech_accent_archive, test_speech_commands,
    test_thmint_qi, test_vctk, test_vctk_musan, test_vocalsound, test_voxceleb1, test_voxlingua, test_wavcaps,
)  # fmt: skip

Builder = Callable[[Path, object], dict]


def plain(make) -> Builder:
    """A builder that writes the layout straight into the root and needs no options."""

    def build(root: Path, audio) -> dict:
        make(root, audio)
        return {}

    return build


def biic_podcast(root: Path, audio) -> dict:
    from datasets import DatasetDict

    scratch = root.parent / "_biic_src"
    DatasetDict({"train": test_biic_podcast.build(scratch, audio)}).save_to_disk(str(root))
    return {}


def moved(make, folder: str) -> Builder:
    """For builders that write `<scratch>/<folder>` (their audio stays in the scratch folder)."""

    def build(root: Path, audio) -> dict:
        scratch = root.parent / f"_{root.name}_src"
        made = make(scratch, audio) or scratch / folder
        root.rmdir()
        shutil.move(str(made), str(root))
        return {}

    return build


def with_options(make, options: dict) -> Builder:
    def build(root: Path, audio) -> dict:
        make(root, audio)
        return options

    return build


LAYOUTS: dict[str, Builder] = {
    "accentdb": plain(test_accentdb.make_accentdb),
    "alimeeting": plain(test_alimeeting.make_alimeeting),
    "anispeech": plain(test_anispeech.make_anispeech),
    "asvspoof": plain(test_asvspoof.make_2019),
    "audiocaps": plain(test_audiocaps.make_audiocaps),
    "audioset": plain(test_audioset.make_audioset),
    "biic_podcast": biic_podcast,
    "cafe": plain(test_cafe.make_cafe),
    "clotho": plain(test_clotho.make_clotho),
    "codecfake": moved(test_codecfake.make_hub_copy, "CodecFake"),
    "commonvoice": plain(test_commonvoice.make_commonvoice),
    "crema_d": plain(test_crema_d.make_crema_d),
    "cszs": plain(test_cszs.make_hub_copy),
    "dailytalk": plain(test_dailytalk.make_dailytalk),
    "dusha": plain(test_dusha.make_dusha),
    "dynamic_superb_noise_reverb": moved(test_dynamic_superb_noise_reverb.make_task, "NoiseSNRLevelPrediction"),
    "emns": plain(lambda root, audio: test_emns.make_emns(root, audio, ".webm")),
    "emov_db": plain(test_emov_db.make_emov_db),
    "emovo": plain(test_emovo.make_emovo),
    "esc50": plain(test_esc50.make_esc50),
    "esd": plain(test_esd.make_esd),
    "expresso": plain(test_expresso.make_expresso),
    "fair_speech": plain(test_fair_speech.make_fair_speech),
    "fma": plain(test_fma.make_fma),
    "fsd50k": plain(test_fsd50k.make_fsd50k),
    "globe": plain(test_globe.make_globe),
    "gtzan": plain(test_gtzan.make_gtzan),
    "iemocap": plain(test_iemocap.make_iemocap),
    "kespeech": with_options(test_kespeech.make_kespeech, {"parts": ["test"]}),  # the fixture holds the test part
    "l2_arctic": plain(test_l2_arctic.make_l2_arctic),
    "libricount": plain(test_libricount.make_libricount),
    "librispeech_c": plain(test_librispeech_c.make_librispeech),
    "libritts_r": plain(test_libritts_r.make_libritts_r),
    "meld": plain(test_meld.make_meld),
    "mridangam": plain(test_mridangam.make_mridangam),
    "msp_improv": plain(test_msp_improv.make_msp_improv),
    "msp_podcast": plain(test_msp_podcast.make_msp_podcast),
    "nsynth": plain(test_nsynth.make_nsynth),
    "ntuml2021": plain(test_ntuml2021.make_hub_copy),
    "opensinger": plain(test_opensinger.make_opensinger),
    "paraspeechcaps": plain(test_paraspeechcaps.make_paraspeechcaps),
    "prompttts": plain(test_prompttts.make_prompttts),
    "speech_accent_archive": plain(test_speech_accent_archive.make_archive),
    "speech_commands": plain(test_speech_commands.make_speech_commands),
    "thmint_qi": plain(test_thmint_qi.make_tmhint_qi),
    "vctk": plain(test_vctk.make_vctk),
    "vctk_musan": with_options(test_vctk_musan.make_copy, test_vctk_musan.OPTIONS),
    "vocalsound": plain(test_vocalsound.make_vocalsound),
    "voxceleb1": plain(test_voxceleb1.make_voxceleb1),
    "voxlingua": plain(test_voxlingua.make_voxlingua),
    "wavcaps": plain(test_wavcaps.make_wavcaps),
}


def build_all(data_root: Path, sources: list[dict], audio) -> dict[str, dict]:
    """Build the layout of every source (`{name, adapter, root}` as in a config) under data_root;
    returns {source name: the options its layout is read with}."""
    options = {}
    for source in sources:
        root = data_root / source["root"]
        root.mkdir(parents=True, exist_ok=True)
        options[source["name"]] = LAYOUTS[source["adapter"]](root, audio)
    return options
