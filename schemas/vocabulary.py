"""The normalised attribute vocabulary: one spelling for every attribute name and categorical value.

Sources spell the same thing many ways (`F`, `female`, `Female`; `neu`, `neutral`). The describe stage
maps names through `ATTRIBUTE_NAMES` and values through `ATTRIBUTE_VALUES`, so every seed description
and every `metadata` object speaks one vocabulary whatever the source wrote.
"""

from __future__ import annotations

import math
import re

# source key (lower-case, spaces for _ and -) -> canonical attribute name
ATTRIBUTE_NAMES: dict[str, str] = {
    "gender": "Gender", "sex": "Gender", "speaker gender": "Gender",
    "age": "Age", "age group": "Age", "speaker age": "Age",
    "accent": "Accent", "dialect": "Accent", "native language": "Native language",
    "first language": "Native language", "l1": "Native language", "mother tongue": "Native language",
    "emotion": "Emotion", "emo": "Emotion", "emotion label": "Emotion",
    "language": "Language", "lang": "Language", "locale": "Language",
    "genre": "Genre", "music genre": "Genre",
    "instrument": "Instrument", "instrument family": "Instrument family",
    "instrument source": "Instrument source",
    "pitch": "Pitch", "volume": "Volume", "speaking speed": "Speaking speed", "speaking rate": "Speaking speed",
    "snr": "Signal-to-noise ratio", "signal to noise ratio": "Signal-to-noise ratio", "noise level": "Noise level", "reverberation": "Reverberation",
    "intent": "Intent", "speaker": "Speaker", "speaker id": "Speaker",
    "c50": "C50", "clarity": "C50",
    "speaker count": "Number of speakers", "number of speakers": "Number of speakers", "num speakers": "Number of speakers",
    "arousal": "Activation", "act": "Dialogue act", "dialog act": "Dialogue act", "dialogue act": "Dialogue act",
    "song": "Song", "song name": "Song", "command": "Command",
    "mos": "Quality score", "mos score": "Quality score", "speech quality": "Quality score", "quality score": "Quality score",
}  # fmt: skip

# canonical attribute name -> {source value (lower-case) -> canonical value}
ATTRIBUTE_VALUES: dict[str, dict[str, str]] = {
    "Gender": {
        "f": "Female", "female": "Female", "woman": "Female", "w": "Female", "girl": "Female",
        "m": "Male", "male": "Male", "man": "Male", "boy": "Male",
    },
    "Emotion": {
        "neu": "Neutral", "neutral": "Neutral", "n": "Neutral",
        "hap": "Happy", "happy": "Happy", "happiness": "Happy", "joy": "Happy", "h": "Happy",
        "ang": "Angry", "angry": "Angry", "anger": "Angry", "a": "Angry",
        "sad": "Sad", "sadness": "Sad", "s": "Sad",
        "fea": "Fearful", "fear": "Fearful", "fearful": "Fearful",
        "dis": "Disgusted", "disgust": "Disgusted", "disgusted": "Disgusted",
        "sur": "Surprised", "surprise": "Surprised", "surprised": "Surprised",
        "fru": "Frustrated", "frustrated": "Frustrated", "frustration": "Frustrated",
        "exc": "Excited", "excited": "Excited", "cal": "Calm", "calm": "Calm",
        "con": "Contempt", "contempt": "Contempt", "amused": "Amused", "amusement": "Amused",
        "sleepy": "Sleepy", "whisper": "Whispering",
    },
}  # fmt: skip

# ISO 639-1 language code -> the language's English name (the 107 of VoxLingua107, including the legacy codes
# `iw` Hebrew and `jw` Javanese its folders use). Adapters name `Language` from this one table.
LANGUAGE_NAMES: dict[str, str] = {
    "ab": "Abkhazian", "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "as": "Assamese", "az": "Azerbaijani",
    "ba": "Bashkir", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "bo": "Tibetan", "br": "Breton",
    "bs": "Bosnian", "ca": "Catalan", "ceb": "Cebuano", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fo": "Faroese", "fr": "French", "gl": "Galician", "gn": "Guarani",
    "gu": "Gujarati", "gv": "Manx", "ha": "Hausa", "haw": "Hawaiian", "hi": "Hindi", "hr": "Croatian",
    "ht": "Haitian Creole", "hu": "Hungarian", "hy": "Armenian", "ia": "Interlingua", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "iw": "Hebrew", "ja": "Japanese", "jw": "Javanese", "ka": "Georgian",
    "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "la": "Latin", "lb": "Luxembourgish",
    "ln": "Lingala", "lo": "Lao", "lt": "Lithuanian", "lv": "Latvian", "mg": "Malagasy", "mi": "Maori",
    "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese",
    "my": "Burmese", "ne": "Nepali", "nl": "Dutch", "nn": "Norwegian Nynorsk", "no": "Norwegian", "oc": "Occitan",
    "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sa": "Sanskrit", "sco": "Scots", "sd": "Sindhi", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian",
    "sn": "Shona", "so": "Somali", "sq": "Albanian", "sr": "Serbian", "su": "Sundanese", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai", "tk": "Turkmen", "tl": "Tagalog",
    "tr": "Turkish", "tt": "Tatar", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese",
    "war": "Waray", "yi": "Yiddish", "yo": "Yoruba", "zh": "Mandarin Chinese",
}  # fmt: skip

# The order attributes take in a seed description; names not listed follow alphabetically, Duration last.
ATTRIBUTE_ORDER: tuple[str, ...] = (
    "Number of speakers", "Speaker", "Gender", "Age", "Accent", "Native language", "Language", "Emotion", "Intent",
    "Pitch", "Volume", "Speaking speed", "Noise level", "Signal-to-noise ratio", "Reverberation", "C50",
    "Genre", "Instrument", "Instrument family", "Instrument source",
)  # fmt: skip

# Attributes whose values are levels in decibels, written as the release writes them: `Signal-to-Noise Ratio: 10db`.
# C50 too: it is a clarity ratio in dB (early energy, the first 50 ms, over late energy). The release writes it
# `Reverberation(C50): 60ms`, a unit slip (no C50 is a time), so here it keeps its own unit.
DECIBEL_ATTRIBUTES = ("Signal-to-noise ratio", "C50")
DECIBELS = re.compile(r"(?P<number>[-+]?\d+(?:\.\d+)?)\s*(?:db)?", re.I)

# ITU-T P.800 absolute category rating: the word of each score of a 1-5 listening-quality (MOS) scale.
MOS_WORDS = {1: "Bad", 2: "Poor", 3: "Fair", 4: "Good", 5: "Excellent"}


def normalise_name(key: str) -> str:
    """`speaker_gender` -> `Gender`; an unknown `speaking_style` -> `Speaking style`, `MIDI_note` -> `MIDI note`."""
    words = key.replace("_", " ").replace("-", " ").split()
    known = ATTRIBUTE_NAMES.get(" ".join(words).lower())
    if known:
        return known
    # Acronyms keep their capitals (`MIDI note`), other words are lower-cased (`Speaking style`).
    folded = " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in words)
    return folded[:1].upper() + folded[1:]


def normalise_value(name: str, value: object) -> str:
    """Map a categorical value to its canonical spelling; other values are rendered as plain text."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in DECIBEL_ATTRIBUTES:
        return decibels(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(normalise_value(name, v) for v in value)
    text = " ".join(str(value).split())
    canonical = ATTRIBUTE_VALUES.get(name, {}).get(text.lower())
    if canonical:
        return canonical
    # Unmapped free text keeps its words, with a capital first letter, as every canonical value has.
    return text[:1].upper() + text[1:]


def order_key(name: str) -> tuple[int, str]:
    return (ATTRIBUTE_ORDER.index(name), "") if name in ATTRIBUTE_ORDER else (len(ATTRIBUTE_ORDER), name)


def decibels(value: object) -> str:
    """`10`, `10.0`, `"10 dB"`, `"10dB"` -> `10db`; a value that is not a number of dB keeps its words."""
    text = " ".join(str(value).split())
    match = DECIBELS.fullmatch(text)
    if not match:
        return text[:1].upper() + text[1:]
    number = float(match["number"])
    return f"{int(number) if number.is_integer() else number:g}db"


def rating(value: float | None, top: float, words: dict[int, str] | None = None) -> str | None:
    """A score on a 1..`top` scale as the release writes one, `3.0/5.0`, so the scale is never lost; with
    `words` (e.g. MOS_WORDS) the word of the nearest whole score follows: `2.4/5.0 (Poor)`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = f"{value:.1f}/{top:.1f}"
    word = (words or {}).get(math.floor(value + 0.5))
    return f"{text} ({word})" if word else text
