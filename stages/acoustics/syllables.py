"""Syllables of a transcript, language-aware: eSpeak NG's phonemes for alphabetic scripts, characters for CJK.

eSpeak NG (the system package `make install` brings, with its shared library libespeak-ng) turns text
into phonemes with each language's own rules and dictionary, reading numbers and abbreviations as spoken
("3.5" -> three point five, "Dr." -> doctor). A syllable is a phoneme whose IPA holds a vowel (diphthongs
are one phoneme: "ˈaʊ") or a syllabic mark ("n̩"). Han, kana and Hangul are counted one syllable per
character (Hangul blocks are syllables; a kana is a mora; small kana and the long-vowel mark join the one
before) and never reach eSpeak; the rest of such a transcript is read with the English voice.

The library is called in-process (ctypes): the `espeak-ng` command synthesises the audio even with `-q`
and costs ~8 ms a sentence, a real-time factor the attribute stage cannot afford; the library's
`espeak_TextToPhonemes` only transcribes (~0.15 ms a sentence).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from schemas.vocabulary import LANGUAGE_NAMES

DEFAULT_LANGUAGE = "en"  # transcripts of rows without a Language label are read as English
CJK_LANGUAGES = {"zh", "ja", "ko", "yue"}  # their characters are counted; other words read as English
# Language labels that are not a LANGUAGE_NAMES name -> ISO 639 code
LANGUAGE_ALIASES = {
    "chinese": "zh", "mandarin": "zh", "cantonese": "yue", "hebrew": "he", "norwegian bokmål": "nb",
    "norwegian": "nb", "farsi": "fa", "filipino": "tl", "castilian": "es",
}  # fmt: skip
# ISO code -> eSpeak NG voice where they differ (iw/jw: VoxLingua107's legacy codes)
VOICES = {"iw": "he", "no": "nb", "nn": "nb", "jw": "jv"}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_CJK_JOINING = set("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮー")  # small kana, long-vowel mark: part of the mora before
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_SWITCH = re.compile(r"\([a-z-]+\)")  # eSpeak's language-switch marks: "(en)"
_VOWELS = set("aeiouyæøœɐɑɒɔəɘɚɛɜɝɞɤɨɪɯɵɶʉʊʌʏᵻɩɷ") | {"\u0329", "\u030d"}  # + syllabic marks
_IPA = 0x02
_SEPARATOR = ord("_") << 8  # phonemes separated by "_" (bits 8-23 of the phoneme mode)
_UTF8 = 1
_DONT_EXIT = 0x8000  # espeak_Initialize must return an error, not exit the process
_RETRIEVAL = 1  # no audio device


def language_code(label: str | None) -> str | None:
    """A row's Language label -> ISO 639 code: an English name as the adapters write it ("French",
    "Mandarin Chinese"), or a code ("fr", "pt-BR" -> "pt"); no label: English. A code-switching label
    ("Mandarin-English code-switching") reads as its first name: its CJK part is counted by character
    either way. None: a label this cannot read (no rate then, rather than a wrong one)."""
    if not label:
        return DEFAULT_LANGUAGE
    text = " ".join(str(label).split()).lower()
    code = re.fullmatch(r"([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*", text)
    if code and (code.group(1) in LANGUAGE_NAMES or len(text) <= 3):
        return code.group(1)
    names = _names()
    return names.get(text) or names.get(re.split(r"[^a-zà-ÿ ]+", text)[0].strip())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
    names.update(LANGUAGE_ALIASES)
    return names


@dataclass(frozen=True)
class Count:
    syllables: int | None  # None: not countable (reason says why)
    counter: str | None  # what counted them: "espeak-ng:en", "characters", "characters+espeak-ng:en"
    reason: str | None = None


class SyllableCounter:
    """One per worker process (`load_counter`): eSpeak NG keeps one global voice, so calls are serialised."""

    def __init__(self):
        path = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"  # the soname, where no ldconfig cache lists it
        try:
            self.lib = ctypes.cdll.LoadLibrary(path)
        except OSError:
            raise RuntimeError("libespeak-ng not found: install the espeak-ng system package (`make install` does)") from None
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        self.lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        if self.lib.espeak_Initialize(_RETRIEVAL, 0, None, _DONT_EXIT) <= 0:
            raise RuntimeError(f"eSpeak NG ({path}) did not initialise: its data files may be missing")
        self.lock = threading.Lock()
        self.voice: str | None = None
        self.missing: set[str] = set()

    def count(self, text: str | None, language: str | None) -> Count:
        """Syllables of `text` read in `language` (an ISO code from `language_code`; None: unreadable label)."""
        text = " ".join((text or "").split())
        if not text:
            return Count(None, None, "no transcript")
        if language is None:
            return Count(None, None, "Language label not recognised: no syllable counter")
        characters = sum(1 for ch in _CJK.findall(text) if ch not in _CJK_JOINING)
        rest = _CJK.sub(" ", text)
        voice = DEFAULT_LANGUAGE if language in CJK_LANGUAGES else VOICES.get(language, language)
        if not _LETTER.search(rest) and not re.search(r"\d", rest):
            return Count(characters, "characters") if characters else Count(None, None, "transcript has no words")
        if language == DEFAULT_LANGUAGE and any(not _LATIN.match(ch) for ch in _LETTER.findall(rest)):
            # English is only the default: a non-Latin script without a label would be spelled letter by letter
            return Count(None, None, "transcript not in Latin script and no Language label")
        phonemes = self.phonemes(rest, voice)
        if phonemes is None:
            return Count(None, None, f"no eSpeak NG voice for language {language!r}")
        syllables = sum(1 for phoneme in re.split(r"[_\s]+", _SWITCH.sub(" ", phonemes)) if _VOWELS.intersection(phoneme))
        counter = f"espeak-ng:{voice}"
        return Count(characters + syllables, f"characters+{counter}" if characters else counter)

    def phonemes(self, text: str, voice: str) -> str | None:
        """IPA phonemes of `text` ("_" between phonemes, spaces between words), or None without that voice."""
        with self.lock:
            if voice in self.missing:
                return None
            if voice != self.voice:
                if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                    self.missing.add(voice)
                    return None
                self.voice = voice
            source = ctypes.c_char_p(text.encode("utf-8"))
            pointer = ctypes.pointer(source)
            clauses = []
            while pointer.contents.value:  # one clause per call; the library advances the pointer
                clauses.append((self.lib.espeak_TextToPhonemes(pointer, _UTF8, _IPA | _SEPARATOR) or b"").decode("utf-8", "replace"))
            return " ".join(clauses)


@lru_cache(maxsize=1)
def load_counter() -> SyllableCounter:
    return SyllableCounter()
