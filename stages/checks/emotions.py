"""Emotion words, grouped: the synonym map the contradiction check reads a seed's `Emotion` and a
response's emotion words through, and which groups do not contradict each other.

A seed value maps to a group through its words (`Anger`, `ANG` after normalisation `Angry`, `cheerful`,
`No emotion`); a value no group knows (`Sentiment: somewhat positive`, `Style: confused`) is not checked.
`neutral` and `sleepy` are weak: a response that names only them against a strong seed emotion
("calm" for `Emotion: Angry`) contradicts it, but they never rescue an opposite strong word.
"""

from __future__ import annotations

EMOTION_WORDS: dict[str, tuple[str, ...]] = {
    "neutral": ("neutral", "calm", "calmly", "calmness", "composed", "matter-of-fact", "emotionless", "unemotional",
                "even-toned", "monotone", "monotonous", "relaxed", "placid"),
    "happy": ("happy", "happily", "happiness", "joy", "joyful", "joyfully", "joyous", "cheerful", "cheerfully", "cheery",
              "delighted", "glad", "gleeful", "elated", "jovial", "merry", "pleased"),
    "excited": ("excited", "excitedly", "excitement", "enthusiastic", "enthusiastically", "thrilled", "exhilarated", "eager"),
    "amused": ("amused", "amusement", "playful", "playfully", "giggling", "laughing"),
    "sad": ("sad", "sadly", "sadness", "unhappy", "sorrowful", "sorrow", "melancholy", "melancholic", "gloomy", "depressed",
            "downcast", "mournful", "grief", "grieving", "heartbroken", "dejected", "despondent", "tearful", "somber", "sombre"),
    "angry": ("angry", "angrily", "anger", "furious", "furiously", "irate", "enraged", "annoyed", "irritated", "irritation",
              "frustrated", "frustration", "hostile", "outraged", "livid", "resentful", "indignant", "exasperated"),
    "fearful": ("afraid", "fear", "fearful", "fearfully", "scared", "frightened", "terrified", "anxious", "anxiously", "anxiety",
                "nervous", "nervously", "worried", "panicked", "panicky", "uneasy", "apprehensive"),
    "disgusted": ("disgust", "disgusted", "revulsion", "repulsed", "revolted"),
    "surprised": ("surprise", "surprised", "astonished", "amazed", "shocked", "startled", "stunned", "astounded"),
    "contempt": ("contempt", "contemptuous", "scornful", "scorn", "disdain", "disdainful", "sneering"),
    "sleepy": ("sleepy", "drowsy", "tired", "weary", "yawning"),
}  # fmt: skip

# Seed values that are not one of the words above (canonical vocabulary values are).
SEED_VALUES: dict[str, str] = {
    "no emotion": "neutral", "neutral": "neutral", "n": "neutral", "neu": "neutral", "calm": "neutral",
    "happy": "happy", "hap": "happy", "h": "happy", "joy": "happy", "cheerful": "happy", "happiness": "happy",
    "excited": "excited", "exc": "excited", "amused": "amused", "sad": "sad", "sadness": "sad", "s": "sad",
    "angry": "angry", "anger": "angry", "ang": "angry", "a": "angry", "mad": "angry", "frustrated": "angry",
    "fearful": "fearful", "fear": "fearful", "fea": "fearful", "scared": "fearful", "anxious": "fearful",
    "disgusted": "disgusted", "disgust": "disgusted", "dis": "disgusted", "surprised": "surprised", "surprise": "surprised",
    "sur": "surprised", "contempt": "contempt", "sleepy": "sleepy",
}  # fmt: skip

STRONG = {"happy", "excited", "amused", "sad", "angry", "fearful", "disgusted", "surprised", "contempt"}
WEAK = {"neutral", "sleepy"}

# Strong groups that may describe the same clip (a happy clip may be called excited or surprised).
COMPATIBLE: dict[str, set[str]] = {
    "happy": {"happy", "excited", "amused", "surprised"},
    "excited": {"happy", "excited", "amused", "surprised", "fearful"},
    "amused": {"happy", "excited", "amused", "surprised"},
    "sad": {"sad", "fearful", "angry"},
    "angry": {"angry", "disgusted", "contempt", "excited", "fearful", "sad"},
    "fearful": {"fearful", "sad", "surprised", "angry", "excited"},
    "disgusted": {"disgusted", "angry", "contempt", "surprised"},
    "surprised": {"surprised", "happy", "excited", "amused", "fearful", "disgusted"},
    "contempt": {"contempt", "angry", "disgusted", "amused"},
    "neutral": {"neutral", "sleepy"},
    "sleepy": {"sleepy", "neutral", "sad"},
}

WORD_GROUP: dict[str, str] = {word: group for group, words in EMOTION_WORDS.items() for word in words}


def seed_group(value: str) -> str | None:
    """The group of a seed's emotion value, or None when it is not an emotion this map knows."""
    text = " ".join(value.casefold().replace("_", " ").split())
    return SEED_VALUES.get(text) or WORD_GROUP.get(text)
