"""How instruction-tuned models refuse, or deny that they can hear or process audio, in the languages of
the sources (English, Chinese, French, Italian, Spanish, German, Russian, Japanese, Korean, Arabic,
Portuguese).

Patterns are matched against `plain()` text (case-folded, one apostrophe, single spaces). Precision
first: each pattern names the medium or the task being refused, so "I can't hear any music in this clip"
(a statement about the audio) or "I can't tell the speaker's age from the recording" (an honest answer)
do not match; "I can't hear the audio" or "as an AI language model" do.
"""

from __future__ import annotations

import re

# "I" + a way of saying it cannot: `i can't`, `i am unable to`, `i'm not able to` ...
I_CANNOT = (
    r"\bi(?: (?:can ?not|can't|won't be able to|will not be able to|am unable to|am not able to|am not capable of|have no way to"
    r"|lack the ability to|couldn't|could not|do not|don't)|'m (?:unable to|not able to|not capable of))"
)
PERCEIVE = r"(?:hear(?:ing)?|listen(?:ing)?(?: to)?|play(?:ing|back)?|access(?:ing)?|open(?:ing)?|process(?:ing)?|perceiv(?:e|ing)|analy[sz](?:e|ing)|interpret(?:ing)?|receiv(?:e|ing)|review(?:ing)?)"
MEDIUM = (
    r"(?:the |this |that |your |an |a |these |those )?(?:actual |provided |attached |given |uploaded |shared |original )?"
    r"(?:audio|audio clips?|audio files?|audio recordings?|sound files?|sound clips?|recordings?|clips?|attachments?"
    r"|media|mp3|wav|files? you|voice messages?|music files?|audio content|audio input|sounds directly|audio directly)\b"
)
REFUSED_TASK = (
    r"(?:help|assist)(?: you)?(?: with)? (?:that|this|your request|it)\b"
    r"|(?:fulfill|fulfil|comply with|complete|do|answer|respond to|process) (?:that|this|your|the) ?(?:request|task|question|instruction)?\b"
)

ENGLISH = [
    # Self-identification as a text model: wrong for an audio model whatever follows.
    r"\bas an? (?:ai|a\.i\.|artificial intelligence|(?:large )?language model|llm|ai language model|ai model|ai assistant"
    r"|text[- ]based (?:ai|model|assistant)|text model|chatbot|virtual assistant)\b",
    r"\bi(?: am|'m) (?:just |only |simply |merely )?an? (?:text[- ]based|text[- ]only|language|ai language) (?:ai|model|assistant|program)\b",
    r"\bi(?: am|'m) (?:just |only |simply )?an? (?:ai|language model|large language model|chatbot|computer program)[, ]*(?:and |so |but |therefore |which means )?(?:i )?"
    r"(?:can't|cannot|can not|do not|don't|am unable|'m unable|have no|am not able|'m not able)\b",
    # Denying the medium.
    rf"{I_CANNOT} (?:directly |actually |physically |personally |currently |really )?{PERCEIVE} (?:or {PERCEIVE} )?{MEDIUM}",
    r"\bi (?:do not|don't) have (?:the )?(?:ability|capability|capabilities|capacity|means|access|option) to (?:directly |actually )?"
    r"(?:hear|listen|play|access|process|perceive|analy[sz]e|interpret|receive) ",
    rf"\bi (?:do not|don't|cannot|can't) (?:have )?access(?: to)? {MEDIUM}",
    r"\bi (?:do not|don't) have (?:any )?(?:audio|auditory|hearing|listening|sound) (?:capabilit|abilit|input|access|perception|processing|senses?)",
    r"\bi (?:do not|don't) have ears\b",
    r"\bi have no (?:ears|(?:way|means|ability) (?:of|to) (?:hear|listen|play|access|process)(?:ing)? (?:the )?(?:audio|sound|recording|clip))",
    rf"(?:\bwithout|\b(?:since|because|as) {I_CANNOT[2:]}) "
    rf"(?:actually |directly |being able to )?(?:hearing|listening to|hear|listen to|access(?:ing)?(?: to)?|play(?:ing)?|process(?:ing)?) {MEDIUM}",
    r"\bi can only (?:process|read|understand|work with|respond to|handle|see|analy[sz]e) (?:written )?(?:text|words)\b",
    r"\bi(?: am|'m) only able to (?:process|read|understand|handle) (?:written )?(?:text|words)\b",
    r"\b(?:a )?text[- ]only (?:model|assistant|ai|interface|system)\b",
    # No audio reached the model.
    r"\b(?:there is no|there's no|there isn't an?|there is not an?|no) (?:audio|audio file|audio clip|recording|sound file|attachment)s? "
    r"(?:was |has been |is |were |have been )?(?:provided|attached|included|shared|uploaded|given)\b",
    r"\byou (?:haven't|have not|didn't|did not|forgot to) (?:provide[d]?|share[d]?|attach(?:ed)?|upload(?:ed)?|include[d]?|give|given|sent|send)\b",
    rf"\b(?:please|could you(?: please)?|can you(?: please)?|if you (?:can |could )?) ?(?:provide|share|upload|attach|send|describe|play) (?:me )?{MEDIUM}",
    r"\bif you (?:can |could )?(?:provide|give me|share) (?:a |the )?(?:description|transcript(?:ion)?|text|details) of (?:the |this )?(?:audio|recording|clip|sound)",
    # Refusing the task itself.
    rf"(?:{I_CANNOT}|\bi (?:won't|will not)) (?:{REFUSED_TASK})",
    r"\bi must (?:respectfully )?(?:decline|refuse)\b",
    r"\bi (?:refuse|decline) to (?:help|assist|answer|comply|do|provide)\b",
    r"\bi(?: am|'m) not (?:allowed|permitted) to\b",
]

CHINESE = [
    r"(?:作为|作為|身为|身為)(?:一(?:个|個|名|款))?(?:ai|人工智能|人工智慧|语言模型|語言模型|大语言模型|大型語言模型|文本模型|文字模型|聊天机器人|聊天機器人)",
    r"我(?:是)?(?:一(?:个|個))?(?:基于文本|基於文字|纯文本|純文字)的",
    r"(?:我|本模型)[^。！？\n]{0,8}(?:无法|無法|不能|没办法|沒辦法|没有办法|沒有辦法|不具备|不具備)[^。！？\n]{0,6}"
    r"(?:听|聽|播放|收听|收聽|处理|處理|访问|訪問|获取|獲取|接收|打开|打開)[^。！？\n]{0,6}(?:音频|音頻|音訊|声音|聲音|录音|錄音|音档|音檔|语音|語音|文件|檔案)",
    r"(?:抱歉|对不起|對不起|很遗憾|很遺憾)[，,、]?\s*(?:但)?我(?:无法|無法|不能)(?:帮助|幫助|协助|協助|回答|完成|满足|滿足|提供|处理|處理)",
    r"(?:没有|沒有|未|并未|並未)(?:提供|上传|上傳|附上|收到)(?:任何)?(?:音频|音頻|音訊|录音|錄音|音档|音檔|文件|檔案)",
    r"我(?:只能|仅能|僅能)(?:处理|處理|理解|阅读|閱讀|读取|讀取)(?:文本|文字)",
]

EUROPEAN = [
    # French
    r"\bje ne (?:peux|suis pas en mesure d'|suis pas capable d'|parviens) pas (?:à )?(?:entendre|écouter|lire|ouvrir|traiter|analyser|accéder à) "
    r"(?:l'|le |la |les |ce |cet |cette |un |une |des |votre |vos )?(?:audio|fichier|enregistrement|extrait|clip|son)\b",
    r"\ben tant qu'(?:ia|intelligence artificielle|assistant (?:virtuel|textuel)|modèle de langage|modèle linguistique)\b",
    r"\bje suis (?:désolé|désolée)[, ]+(?:mais )?je ne (?:peux|suis) pas (?:vous )?(?:aider|répondre|en mesure|écouter|entendre)",
    r"\bje n'ai pas (?:la capacité|la possibilité|accès)\s*(?:d'|de |à )(?:entendre|écouter|l'audio|traiter|l'enregistrement)",
    # Spanish
    r"\bno (?:puedo|soy capaz de) (?:escuchar|oír|oir|reproducir|acceder a|procesar|analizar) (?:el |la |los |las |este |esta |ese |esa |un |una |su |tu )?"
    r"(?:audio|archivo|grabación|grabacion|sonido|clip)\b",
    r"\bcomo (?:una? )?(?:ia|inteligencia artificial|modelo de lenguaje|asistente de texto)\b",
    r"\blo siento[, ]+(?:pero )?no puedo (?:ayudar|responder|escuchar|cumplir|oír)",
    r"\bno tengo (?:la capacidad|acceso|la posibilidad) (?:de|a) (?:escuchar|oír|oir|audio|reproducir|procesar|archivos de audio)",
    # Italian
    r"\bnon (?:posso|sono in grado di|riesco a) (?:ascoltare|sentire|riprodurre|accedere a|elaborare|analizzare) (?:l'|il |lo |la |i |gli |le |questo |questa |un |una )?"
    r"(?:audio|file|registrazione|suono|clip)\b",
    r"\b(?:in quanto|come) (?:un |una |un')?(?:ia|intelligenza artificiale|modello (?:di linguaggio|linguistico))\b",
    r"\bmi dispiace[, ]+(?:ma )?non posso (?:aiutare|rispondere|ascoltare|sentire)",
    # German
    r"\bich kann (?:die |das |den |keine |keinen |diese |diesen |dieses |ihre |deine )?(?:audio(?:datei|dateien|aufnahme)?|aufnahme|tondatei|datei|töne|clip)s? "
    r"(?:leider )?nicht (?:hören|anhören|abspielen|wiedergeben|verarbeiten|öffnen)",
    r"\bich kann (?:leider )?keine (?:audio(?:dateien|aufnahmen)?|töne|tondateien) (?:hören|anhören|abspielen|verarbeiten)",
    r"\bals (?:eine? )?(?:ki|künstliche intelligenz|sprachmodell|ki-sprachmodell|textbasierte[rs]? (?:ki|modell|assistent))\b",
    r"\bes tut mir leid[, ]+(?:aber )?ich kann (?:ihnen |dir )?(?:nicht|keine) ",
    r"\bich habe keine?n? (?:zugriff|möglichkeit|fähigkeit)(?: auf| zu|,)? (?:die |das |den )?(?:audio|aufnahme|hören|anzuhören)",
    # Russian
    r"\bя не (?:могу|в состоянии|имею возможности) (?:прослушать|слышать|услышать|прослушивать|воспроизвести|обработать|открыть|проанализировать) "
    r"(?:этот |это |эту |данный |данную |ваш |вашу )?(?:аудио|запись|аудиозапись|файл|аудиофайл|звук|клип)",
    r"\bкак (?:ии|ai|искусственный интеллект|языковая модель|текстовая модель)\b",
    r"\b(?:извините|к сожалению|простите)[, ]+(?:но )?я не могу (?:помочь|ответить|прослушать|слышать|выполнить)",
    r"\bу меня нет (?:возможности|доступа)(?: к)? (?:прослуш|слуша|слыша|аудио|запис)",
    # Portuguese
    r"\bnão (?:posso|consigo|sou capaz de) (?:ouvir|escutar|reproduzir|acessar|processar|analisar) (?:o |a |este |esta |esse |essa |um |uma |seu |sua )?"
    r"(?:áudio|audio|arquivo|gravação|som|clipe)\b",
    r"\bcomo (?:uma? )?(?:ia|inteligência artificial|modelo de linguagem)\b",
]

ASIAN_OTHER = [
    # Japanese
    r"(?:音声|オーディオ|録音|音源|ファイル)(?:を|は)?(?:直接)?(?:聞く|聴く|再生する|処理する|確認する|聞き取る)こと(?:は|が)でき(?:ません|ない)",
    r"(?:ai|言語モデル|ai言語モデル|テキストベースのai)として",
    r"申し訳(?:ありません|ございません)が[、,]?[^。]{0,30}できません",
    # Korean
    r"(?:오디오|음성|녹음|파일)(?:을|를)? ?(?:직접 )?(?:들을|재생할|처리할|분석할|청취할) 수 없",
    r"(?:ai|인공지능|언어 모델|텍스트 기반 ai)(?:로서|으로서)",
    # Arabic
    r"لا (?:أستطيع|يمكنني|استطيع) (?:سماع|الاستماع|تشغيل|معالجة)",
    r"(?:كنموذج لغوي|كذكاء اصطناعي|بصفتي (?:نموذج|ذكاء))",
    r"(?:عذرا|عذراً|آسف)[،, ]+(?:ولكن |لكن )?(?:لا أستطيع|لا يمكنني)",
]

REFUSAL = re.compile("|".join(f"(?:{p})" for p in ENGLISH + CHINESE + EUROPEAN + ASIAN_OTHER))
# Every pattern that can match ASCII text holds one of these words: ASCII text without any is not searched
# (the full pattern costs ~20x this). tests/stages/test_check_refusal.py checks the two agree on the labelled set.
ENGLISH_HINT = re.compile(
    r"can't|cannot|can not|unable|not able|not capable|no way|lack the|couldn't|could not|don't|do not|won't|will not|haven't|have not"
    r"|didn't|did not|forgot|please|could you|can you|if you|decline|refuse|allowed|permitted|\bai\b|a\.i\.|intelligence|model|llm"
    r"|text|chatbot|assistant|provided|attached|included|shared|uploaded|given|without"
    r"|\bich\b|\bals\b|\bes tut\b|\bje\b|\ben tant\b|\bno puedo\b|\bno soy\b|\bno tengo\b|\blo siento\b|\bcomo\b|\bnon\b|\bcome\b"
    r"|\bin quanto\b|\bmi dispiace\b"
)


def find_refusal(text: str) -> re.Match | None:
    """REFUSAL.search on `plain()` text, skipping ASCII text that holds none of the English patterns' words."""
    if text.isascii() and not ENGLISH_HINT.search(text):
        return None
    return REFUSAL.search(text)
