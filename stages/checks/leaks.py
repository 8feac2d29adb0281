"""Phrases by which a response reveals the text it was really given instead of the audio: "based on the
provided description", "the metadata says", "is labeled as", the audio tags of the prompt format.

Matched against `plain()` text. Precision first: "the audio you provided" or "here is a description of the
clip" do not match; the check ignores a phrase that also occurs in the seed description (a speaker who
says "metadata") and one whose source word (tags, description, caption, label) the prompt itself used
("Suggest a few tags for this clip" may be answered with "The tags for this clip are ...").
"""

from __future__ import annotations

import re

GIVEN_THINGS = (
    r"(?:description|descriptions|information|info|metadata|meta-data|text|details|attributes|attribute list|labels?|tags?"
    r"|captions?|annotations?|transcript|transcription|data|notes|context|summary|seed)"
)
GIVEN = r"(?:provided|given|supplied|above|attached|accompanying|included|preceding|input|original)"
SOURCE_WORDS = r"(?:description|metadata|meta-data|labels?|tags?|caption|annotations?|attributes|attribute list|seed description|text description)"

ENGLISH = [
    r"\b(?:seed description|text description|textual description|written description|meta-?data|meta data)\b",
    rf"\b(?:the|this|that|your|these|those) {GIVEN} (?:audio |text |textual |written |clip )?{GIVEN_THINGS}\b",
    r"\b(?:description|descriptions|information|info|metadata|details|text|attributes|labels|tags|caption|annotations|data|transcript|transcription) "
    r"(?:you(?: have)? (?:provided|gave|given|shared|supplied|included|mentioned|described)|(?:that )?(?:was|were|is|are|has been|have been) "
    r"(?:provided|given|supplied|included|shared)|provided|given to me|supplied)\b",
    rf"\b(?:according to|based on|judging (?:by|from)|from|in|per|going by) (?:the|this|your|its) (?:audio |sound |clip's |clip |text |textual |given |provided )?{SOURCE_WORDS}\b",
    rf"\b(?:the|its|this|these) (?:[\w'-]+ )?(?:{SOURCE_WORDS}|field|fields|entry|entries)(?: for (?:this|the) (?:clip|audio|recording|track|sound))? "
    r"(?:says?|states?|mentions?|indicates?|suggests?|notes?|lists?|shows?|describes?|reads?|specif(?:y|ies)|includes?|contains?|reveals?"
    r"|tells? us|points? to|identif(?:y|ies)|also|(?:is|are) (?:listed|given|marked))\b",
    rf"\b(?:the|its|this|these) (?:[\w'-]+ )?{SOURCE_WORDS} for (?:this|the) (?:clip|audio|recording|track|sound) (?:is|are)\b",
    r"\b(?:listed|given|specified|provided|stated|mentioned|noted|shown|labeled|labelled|tagged|marked) (?:in|by) the "
    r"(?:data|description|metadata|labels?|tags?|attributes|caption|annotations?|information|text|input)\b",
    r"\b(?:is|are|was|were|been|being) (?:(?:labeled|labelled|tagged|annotated)\b|(?:marked|listed) (?:as|with|under)\b)",
    r"(?<!be )(?<!been )\b(?:is|are|was|were) described as\b",
    rf"\bas (?:described|stated|mentioned|indicated|noted|listed|labeled|labelled|tagged|specified) (?:above|earlier|in (?:the|your) {SOURCE_WORDS})",
    r"\b(?:the|its) (?:audio|sound|music|sound event|sound-event) tags?\b",
    r"<\|audio\|>|<start_audio>|<end_audio>|\bstart_audio\b|\bend_audio\b|\baudio placeholder\b|\baudio tags\b",
    r"\b(?:you|the user) (?:described|mentioned|noted|indicated|specified|told me)\b",
    r"\b(?:the|this) (?:description|text) (?:of|for) (?:the|this) (?:audio|clip|recording) (?:says|states|mentions|indicates|suggests)",
]

OTHER_LANGUAGES = [
    # Chinese
    r"(?:根据|根據|依据|依據|按照|基于|基於)(?:你|您)?(?:所)?(?:提供的|给出的|給出的|给定的|給定的)?(?:描述|元数据|元資料|标签|標籤|信息|資訊|文字描述|文本描述|说明|說明)",
    r"(?:描述中|描述里|描述裡|元数据|元資料|文字描述|文本描述|标签显示|標籤顯示|标签为|標籤為|被标记为|被標記為)",
    # French, Spanish, Italian, German, Russian, Japanese, Portuguese
    r"\b(?:d'après|selon|suivant) (?:la|les) (?:description|métadonnées|étiquettes|balises)\b|\bmétadonnées\b|\bla description fournie\b",
    r"\bsegún (?:la|las|los) (?:descripción|etiquetas|metadatos)\b|\bmetadatos\b|\bla descripción (?:proporcionada|dada)\b",
    r"\bsecondo (?:la|le|i) (?:descrizione|etichette|metadati)\b|\bmetadati\b|\bdescrizione fornita\b",
    r"\blaut (?:der )?(?:beschreibung|metadaten|tags)\b|\bmetadaten\b|\b(?:bereitgestellten|gegebenen) beschreibung\b",
    r"\bсогласно (?:описанию|метаданным|тегам|меткам)\b|\bметаданн|\bв описании\b|\bпредоставленно(?:му|го|м) описани",
    r"(?:説明によると|説明によれば|メタデータ|提供された(?:説明|情報|テキスト)|タグによると)",
    r"\bde acordo com (?:a|as|os) (?:descrição|etiquetas|metadados)\b|\bmetadados\b",
]

LEAK = re.compile("|".join(f"(?:{p})" for p in ENGLISH + OTHER_LANGUAGES))
# Every English pattern holds one of these stems: plain-ASCII text without any is not searched.
ENGLISH_HINT = re.compile(
    r"descri|meta.?data|label|tag|caption|annotat|attribute|transcri|informat|\binfo\b|detail|\bdata\b|text|seed|\bnotes\b|context"
    r"|summary|field|entr|marked|listed|stated|mentioned|indicated|noted|specified|told me|audio\|>|start_audio|end_audio|placeholder"
)


def find_leaks(text: str):
    """LEAK.finditer on `plain()` text, skipping ASCII text that holds none of the English patterns' stems."""
    if text.isascii() and not ENGLISH_HINT.search(text):
        return iter(())
    return LEAK.finditer(text)


# The source word a phrase names, to see whether the prompt asked about that very thing.
SOURCE_WORD = re.compile(r"\b(description|caption|tag|label|transcript|transcription|annotation|metadata|summary|text)s?\b")
