"""Test data: one released DeSTA-AQA5M seed description per source, and where each attribute kind it shows
comes from in this pipeline.

`example` is copied verbatim from the release's docs/dataset.md (the table "One released example seed
description per source" of ../shared/reference/desta-aqa5m.md; "..." and "etc." are the release's own
elisions). `release_kinds()` reads the kinds an example shows: every `Name:` inside its parentheses, the
transcript (text between the timestamp and the parentheses), and a bare parenthesised group (`(speech,
gush)`, `(Sneeze)`, `(4 speakers talking)`), whose kind `bare` names.

A kind is found in our seed description under the name `schemas.vocabulary.normalise_name` gives it
(`Dialect` -> `Accent`, `First Language` -> `Native language`, `Arousal` -> `Activation`), unless `kinds`
says otherwise:
- another attribute name: the same thing under our name (ASVspoof's `Source: Real human` is `Spoofing`);
- TRANSCRIPT, LABELS, CAPTION: the transcript, the `Sound events`/`Music tags` list, the `Caption`;
- `measure:<Name>`: not in the dataset's own metadata; the measure stage writes it from the audio (Pitch,
  Volume, Speaking speed, Noise level with the SNR beside it, Reverberation with the C50 beside it);
- `model:<Name>`: not in the dataset's metadata and not measurable by signal processing; a model extractor
  fills it (`attributes.extractors`: a gender classifier such as `builtin:voice2gender`, an emotion
  classifier);
- ASR: the dataset has no transcript; the ASR extractor gives one (issue 10, point 4);
- `absent:<why>`: nothing in the data or the pipeline can give it.
`scales` gives the top of the rating scale a kind must be written with (`Activation: 3.0/5.0`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TRANSCRIPT, LABELS, CAPTION, ASR = "transcript", "labels", "caption", "asr"
GENDER_MODEL = "model:Gender"  # a gender classifier extractor (e.g. builtin:voice2gender)
EMOTION_MODEL = "model:Emotion"  # an emotion classifier extractor


@dataclass(frozen=True)
class ReleaseExample:
    dataset: str  # the source's name in the release
    adapter: str
    example: str
    bare: str | None = None  # the kind of a parenthesised group without `Name:` (LABELS, CAPTION, "Number of speakers")
    kinds: dict[str, str | tuple[str, ...]] = field(default_factory=dict)  # release kind -> ours, where the names differ
    scales: dict[str, int] = field(default_factory=dict)  # our kind -> top of its rating scale
    turns: bool = False  # the release shows one timestamped line per speaker turn


EXAMPLES: tuple[ReleaseExample, ...] = (
    # ---- speech
    ReleaseExample(
        "IEMOCAP", "iemocap",
        "[00:00-00:02] Excuse me? (Emotion: Neutral, Gender: Female, Pitch: Very high, Volume: Low, Speaking speed: Very slow, Duration: 2s)",
        kinds={"Pitch": "measure:Pitch", "Volume": "measure:Volume", "Speaking speed": "measure:Speaking speed"},
        scales={"Activation": 5, "Valence": 5, "Dominance": 5},  # ours carries the ratings too, with their scale
    ),
    ReleaseExample(
        "DailyTalk", "dailytalk",
        "[00:00-00:02] I'm figuring out my budget. (Emotion: No emotion, Act: Inform, Gender: Male, Duration: 2s)",
    ),
    ReleaseExample(
        "GLOBE", "globe",
        "[00:00-00:04] the belts needed periodic cleaning ... (Accent: United States English, Age: teens, Gender: male, Duration: 4s)",
    ),
    ReleaseExample(
        "VCTK", "vctk",
        "[00:00-00:07] She can scoop these things ... (Gender: Female, Pitch:low, Accent: newzealand, Age: 23, Emotion: neutral)",
        # VCTK is read speech with no emotion label: the release's `neutral` is an assumption; a classifier can say
        kinds={"Pitch": "measure:Pitch", "Emotion": EMOTION_MODEL},
    ),
    ReleaseExample(
        "MELD", "meld",
        "[00:00-00:02] Take it. (Emotion:Neutral, Sentiment:Neutral, Gender: Female, Duration: 2s)",
    ),
    ReleaseExample(
        "PromptTTS", "prompttts",
        "[00:00-00:05] Deeply engrossed in congenial work (Speaking speed: Slow, Volume: Normal, Pitch: Low, Gender: Female, Emotion: cheerful, Duration: 5s)",
    ),
    ReleaseExample(
        "Expresso", "expresso",
        "[00:00-00:01] Karen's in Switzerland? (Style: confused, Gender: Male, Duration: 1s)",
        # the four speakers' genders are not tied to their ids in public documentation
        kinds={"Style": "Speaking style", "Gender": GENDER_MODEL},
    ),
    ReleaseExample(
        "AccentDB", "accentdb",
        "[00:00-00:04] The hogs were fed chopped corn and garbage. (Accent: American, Gender: Female, Emotion: Neutral, Duration: 4s)",
        kinds={TRANSCRIPT: ASR, "Gender": GENDER_MODEL, "Emotion": EMOTION_MODEL},  # the release has no metadata file
    ),
    ReleaseExample(
        "VoxCeleb1", "voxceleb1",
        "[00:00-00:09] and it's all what side of the coin you're looking at... (Gender: Male, Emotion: Neutral, Duration: 9s)",
        kinds={TRANSCRIPT: ASR, "Emotion": EMOTION_MODEL},
    ),
    ReleaseExample(
        "AniSpeech", "anispeech",
        "[00:00-00:06] You have no idea how heartless those snuffs are... (Emotion: angry, Speaking speed: Fast, Pitch: normal, Gender: Male, Duration: 6s)",
        # the Hub card's columns beyond audio/caption/voice could not be established: no emotion or gender column read
        kinds={"Emotion": EMOTION_MODEL, "Speaking speed": "measure:Speaking speed", "Pitch": "measure:Pitch", "Gender": GENDER_MODEL},
    ),
    ReleaseExample(
        "MSP-IMPROV", "msp_improv",
        "[00:00-00:05] Yeah, well I'm going to go to class... (Gender: Female, Emotion: Angry, Activation: 3.0/5.0, Valence: 2.2/5.0, Dominance: 3.2/5.0, Naturalness: 4.4/5.0)",
        scales={"Activation": 5, "Valence": 5, "Dominance": 5, "Naturalness": 5},
    ),
    ReleaseExample(
        "Fair-Speech", "fair_speech",
        "[00:00-00:05] hi there is something i would like you to see (Gender: male, Age: 31 - 45, First Language: English, Socioeconomic Background: Medium, Ethnicity: Black or African American)",
    ),
    ReleaseExample(
        "CREMA-D", "crema_d",
        "[00:00-00:02] It's eleven o'clock (Emotion: Anger, Gender: Male, Age: 51, Race: Caucasian, Ethnicity: Not Hispanic)",
    ),
    ReleaseExample(
        "CAFE", "cafe",
        "[00:00-00:04] Trois cygnes aveugles au bord du lac (Emotion: Anger, Gender: Male, Intensity: Low intensity, Age: 46, English Translation: Three blind swans by the lake)",
        kinds={"Intensity": "Emotion intensity"},
    ),
    ReleaseExample(
        "EMOVO", "emovo",
        "[00:00-00:05] Vorrei il numero telefonico del Signor Piatti. (Emotion: Disgust, Gender: Female, Age: 28)",
    ),
    ReleaseExample(
        "Speech Accent Archive", "speech_accent_archive",
        "[00:00-00:22] Please call Stella... (Gender: male, Age: 40, Native Language: afrikaans, Country: south africa)",
    ),
    ReleaseExample(
        "EMNS", "emns",
        "[00:00-00:05] He was a plucked instrument instructor... (Emotion: Happy, Gender: Female, Speaker: 3, Age: 20s)",
    ),
    ReleaseExample("KeSpeech", "kespeech", "[00:00-00:04] 看重成长质量和竞争优势的成长型基金 (Speaker: 1000048, Dialect: Mandarin)"),
    ReleaseExample("ESD", "esd", "[00:00-00:02] 我每个月打一次电话。 (Emotion: Angry, Gender: Female)"),
    ReleaseExample("LibriSpeech-c", "librispeech_c", "[00:00-00:05] (Number of Speakers: 0, Duration: 5s)"),
    ReleaseExample("L2-ARCTIC", "l2_arctic", "[00:00-00:03] Lord but I'm glad to see you again Phil (Accent: Arabic, Speaker: ABA)"),
    ReleaseExample(
        "CommonVoice", "commonvoice",
        "[00:00-00:04] The boy swore that... (Gender: male_masculine, Age: thirties, Accent: West Indies and Bermuda, Duration: 4s)",
    ),
    ReleaseExample(
        "EmoV-DB", "emov_db",
        "[00:00-00:05] And you always want to see it in the superlative degree. (Emotion: Amused, Gender: Female)",
    ),
    ReleaseExample(
        "LibriTTS-R", "libritts_r",
        "[00:00-00:05] About artists and their work mr Quilter... (Gender: male, Speaker: John Rose, Pitch Type: moderate pitch, Noise Type: balanced in clarity, etc.)",
        # dataspeech-style words (pitch, noise): measured from the audio
        kinds={"Pitch Type": "measure:Pitch", "Noise Type": "measure:Noise level"},
    ),
    ReleaseExample(
        "Dusha", "dusha",
        "[00:00-00:06] афина поприкольней было чем джой джой дура (Emotion: angry, Speaker: ..., Speaker_Emotion: angry)",
    ),
    ReleaseExample(
        "MSP-Podcast", "msp_podcast",
        "[00:00-00:05] yeah. so we're going to end this... (Emotion: N, Gender: Unknown, Arousal: 3.0, Valence: 3.6, Dominance: 4.0)",
        scales={"Activation": 7, "Valence": 7, "Dominance": 7},  # the release drops the scale; ours keeps it
    ),
    ReleaseExample(
        "AliMeeting", "alimeeting",
        "multi-speaker Mandarin conversation: several timestamped lines, one per turn and speaker",
        kinds={TRANSCRIPT: TRANSCRIPT, "Speaker": "Speaker"},  # the release's docs describe it in words
        turns=True,
    ),
    ReleaseExample(
        "CSZS", "cszs",
        "[00:00-00:03] Juan de Talavera belonged to the so-called escuela toledana. (Gender: male, Language: Spanish-English code-switching)",
        kinds={"Gender": GENDER_MODEL},  # the Hub columns hold audio, transcription and file only
    ),
    ReleaseExample("NTUML2021", "ntuml2021", "[00:00-00:02] 好那我們就開始上課吧 (Gender: male)", kinds={"Gender": GENDER_MODEL}),
    ReleaseExample("Speech Commands", "speech_commands", "[00:00-00:01] (Command: silence, Duration: 1s)"),
    ReleaseExample("LibriCount", "libricount", "[00:00-00:05] (Number of Speakers: 0, Duration: 5s)"),
    ReleaseExample(
        "VoxLingua", "voxlingua", "[00:00-00:19] بس عم يلزق بالمدخنين... (Language: Arabic, Duration: 19s)", kinds={TRANSCRIPT: ASR},
    ),
    ReleaseExample(
        "ASVspoof", "asvspoof",
        "[00:00-00:02] I'm not worried about the critics. (Gender: Male, Source: Real human)",
        # gender comes from the ASV enrolment lists, which name dev and eval speakers only (a classifier for train)
        kinds={TRANSCRIPT: ASR, "Source": "Spoofing"},
    ),
    ReleaseExample(
        "BIIC-Podcast", "biic_podcast",
        "[00:00-00:03] 這個連結只有在現場才感受的到 所以大 (Emotion: Happy, Gender: Female, Sentiment: somewhat positive)",
        # the release's sentiment words are a reading of the valence rating, which ours gives with its scale
        kinds={"Sentiment": "Valence"},
        scales={"Activation": 7, "Valence": 7, "Dominance": 7},
    ),
    ReleaseExample(
        "CodecFake", "codecfake",
        "[00:00-00:06] There is , according to legend, a boiling pot of gold at one end. (Gender: Female, Accent: england, Source: Synthesis speech)",
        # Gender and Accent from VCTK's speaker-info.txt placed under the root
        kinds={TRANSCRIPT: ASR, "Source": "Spoofing"},
    ),
    ReleaseExample(
        "ParaSpeechCaps", "paraspeechcaps",
        "[00:00-00:05] So as a person who doesn't live in a bubble... (Gender: male, emotion: disgusted, etc.)",
        kinds={"emotion": "Situational tags"},  # ParaSpeechCaps' emotions are situational style tags
    ),
    ReleaseExample(
        "VCTK+MUSAN", "vctk_musan",
        "[00:00-00:03] (4 speakers talking) (Noise Level: Noisy, Signal-to-Noise Ratio: 10db)",
        bare="Number of speakers",
    ),
    ReleaseExample(
        "Dynamic-SUPERB-Train-noise-reverb", "dynamic_superb_noise_reverb",
        '[00:00:00 - 00:00:04]Alan_Alda: "I pull the covers up just enough ..." (Gender:Male, Noise Level: Moderate(Signal-to-Noise Ratio: 15db), Reverberation(C50): 60ms, Duration: 4s)',
        kinds={
            "Speaker": "absent:the public task sets have no speaker column (file, audio, instruction, label)",
            TRANSCRIPT: ASR, "Gender": GENDER_MODEL, "Noise Level": "measure:Noise level",
            "Signal-to-Noise Ratio": "measure:Signal-to-noise ratio", "Reverberation(C50)": ("measure:Reverberation", "measure:C50"),
        },  # fmt: skip
    ),
    ReleaseExample(
        "THMINT-QI", "thmint_qi",
        "[00:00-00:04] 妈亲来解妄语的关系哦 (gender: male, mos_score: 2, Speech_quality: 2/5(Poor))",
        kinds={TRANSCRIPT: ASR, "gender": GENDER_MODEL},  # raw_data.csv has ratings and conditions, no text or gender
        scales={"Quality score": 5},
    ),
    # ---- sound
    ReleaseExample("AudioSet", "audioset", "[00:00-00:10] (speech, gush)", bare=LABELS),
    ReleaseExample("AudioCaps", "audiocaps", "[00:00-00:10] (Plastic crinkling... people talk)", bare=CAPTION),
    ReleaseExample("WavCaps", "wavcaps", "[00:00-00:10] (There is the sound of a truck.)", bare=CAPTION),
    ReleaseExample("Clotho", "clotho", "[00:00-00:26] (Someone opening and closing a door...)", bare=CAPTION),
    ReleaseExample("VocalSound", "vocalsound", "[00:00-00:11] (Sneeze)", bare=LABELS),
    ReleaseExample(
        "ESC-50", "esc50", "[00:00-00:05] (Audio category: door_wood_knock, Duration: 5.0)", kinds={"Audio category": LABELS},
    ),
    ReleaseExample("FSD50K", "fsd50k", "[00:00-00:18] (Type: ['water', 'gurgling', 'toilet flush']...)", kinds={"Type": LABELS}),
    # ---- music
    ReleaseExample(
        "NSynth", "nsynth", "[00:00-00:04] (Family: bass, Source: electronic, MIDI Note: 022...)",
        kinds={"Family": "Instrument family", "Source": "Instrument source"},
    ),
    ReleaseExample("OpenSinger", "opensinger", "[00:00-00:06] 多少凉薄世态可动荡 (Gender: Male, Song: 一如年少模样)"),
    ReleaseExample("FMA", "fma", "[00:00-00:30] You can watch the show... (Genre: Rock)", kinds={TRANSCRIPT: ASR}),  # sung lyrics
    ReleaseExample("GTZAN", "gtzan", "[00:00-00:30] (Genre: reggae, Duration: 30s)"),
    ReleaseExample("Mridangam", "mridangam", "[00:00-00:01] (Stroke: cha, Tonic: b, Duration: 1s)"),
)  # fmt: skip

_NAME = re.compile(r"(?:\(|, )\s*(?P<name>[A-Za-z][\w ()-]*?)\s*:")
_HEAD = re.compile(r"\[[^\]]*\]\s*(?P<text>.*?)\s*\(")
_SPEAKER_PREFIX = re.compile(r"\w+:\s*\"")  # `Alan_Alda: "..."`: the speaker's name before the quoted line
_BARE = re.compile(r"\((?P<group>[^():]*)\)")


def release_kinds(example: ReleaseExample) -> list[str]:
    """The kinds the release's example shows, in order: TRANSCRIPT, the bare group's kind, then every `Name:`."""
    text = example.example
    if not text.startswith("["):  # described in words (AliMeeting): the kinds are given
        return list(example.kinds)
    found = []
    head = _HEAD.match(text)
    if head and head["text"]:
        found.append(TRANSCRIPT)
        if _SPEAKER_PREFIX.match(head["text"]):
            found.append("Speaker")
    if example.bare and _BARE.search(text[head.end() - 1 if head else 0 :]):
        found.append(example.bare)
    found += [match["name"] for match in _NAME.finditer(text)]
    return found
