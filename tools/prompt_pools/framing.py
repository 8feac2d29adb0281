"""Hand-written framing around a task: lead-ins, openers, user contexts, personas and answer constraints.

Each frame says which answer kinds, categories and domains it suits (None: all), so a constraint such as
"Answer in one word." only follows a short-answer task and "As a dialect coach," only precedes speaker or
language tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_KINDS = ("open", "short", "yesno", "list", "verbatim", "creative", "caption")
ANALYTIC = ("open", "short", "yesno", "list")


@dataclass(frozen=True)
class Frame:
    text: str
    kinds: tuple[str, ...] = ALL_KINDS
    categories: tuple[str, ...] | None = None
    domains: tuple[str, ...] | None = None
    aspect: str | None = None  # constraints: length | format | audience | reasoning (a task that sets one gets none)
    length: str | None = None  # "brief" or "long": a brief lead-in never meets a long constraint
    needs: tuple[str, ...] = ()  # the frame fits only tasks that need these

    def fits(self, domain: str, category: str, kind: str, needs: tuple[str, ...] = ()) -> bool:
        return (kind in self.kinds and (self.categories is None or category in self.categories)
                and (self.domains is None or domain in self.domains) and set(self.needs) <= set(needs))  # fmt: skip


def frames(kinds, items, domains=None, categories=None, aspect=None, length=None) -> list[Frame]:
    return [Frame(text, tuple(kinds), categories, domains, aspect, length) for text in items]


SPEECH, SOUND, MUSIC = ("speech",), ("sound",), ("music",)

# Joined to the task with a comma: "<lead-in>, <task with a lower-case first letter>".
LEAD_INS = (
    frames(ALL_KINDS, ["Based on what you hear", "From the audio alone", "Going only by {clip}", "Judging from {clip}",
                       "After listening to {clip}", "Using only what is audible", "From what you can hear",
                       "Having listened to {clip}", "Listening to {clip}", "On the basis of this audio",
                       "Relying on the audio alone", "Once you have listened to the whole clip"])
    + frames(ANALYTIC, ["Without overthinking it", "Briefly", "In a nutshell", "Quickly"], length="brief")
    + frames(ANALYTIC, ["If you had to guess", "In your own words", "As best you can tell",
                        "To the best of your ability", "Thinking about the whole clip", "Taking the clip as a whole", "From your first impression",
                        "Before anything else", "Purely from listening", "Speaking as a careful listener"])
    + frames(("creative",), ["For fun", "Just for fun", "Letting your imagination run a little",
                             "Taking inspiration from {clip}", "Drawing on what you hear", "With {clip} in mind"])
    + frames(("verbatim",), ["Carefully", "As accurately as you can", "Paying attention to every word",
                             "Without paraphrasing"])
)

# A sentence before the task.
OPENERS = (
    frames(ALL_KINDS, ["Listen to {clip}.", "Here is a short recording.", "Take a listen.", "Please listen carefully.",
                       "I have a recording for you.", "Have a listen to this.", "Here's some audio I need help with.",
                       "Play the clip and pay attention.", "Here is an audio clip.", "Listen closely to this one.",
                       "I'd like your help with {clip}.", "Here's something I recorded.",
                       "Give {clip} a careful listen.", "Let's look at this recording together.",
                       "I've got a quick audio question.", "Okay, new clip.", "One more recording for you.",
                       "This is a clip from my collection."])
    + frames(ALL_KINDS, ["A friend sent me this voice message.", "This came from a voicemail.",
                         "I recorded this on my phone.", "This is from an old cassette I digitized.",
                         "My colleague left me this voice note.", "This is a snippet from a longer recording."],
             domains=SPEECH)
    + frames(ALL_KINDS, ["I recorded this on a walk.", "This was captured by a field recorder.",
                         "I found this clip in a sound library.", "My security camera picked this up.",
                         "This is a snippet from a longer field recording.", "I heard this outside my window."],
             domains=SOUND)
    + frames(ALL_KINDS, ["A friend shared this track with me.", "I found this piece on an old hard drive.",
                         "This is an excerpt from a longer track.", "I heard this on the radio.",
                         "Here's a short musical excerpt.", "This sample came from a music library."],
             domains=MUSIC)
)

# The user's situation: a sentence before the task, for the categories where it makes sense.
_SPEECH_CONTEXTS = {
    "I'm making subtitles for a video.": ("transcription", "content", "language"),
    "I'm testing a speech recognition system.": ("transcription", "recording conditions", "language"),
    "I'm studying for a phonetics exam.": ("paralinguistics", "speaker traits", "language"),
    "I review customer calls for a living.": ("emotion", "content", "reasoning", "conversation", "paralinguistics"),
    "I'm training to be a voice actor.": ("paralinguistics", "emotion", "creative", "speaker traits"),
    "I'm cataloguing an archive of interviews.": ("content", "description", "speaker traits", "conversation", "transcription"),
    "I edit podcasts.": ("recording conditions", "content", "paralinguistics", "conversation"),
    "I'm writing a novel and want realistic dialogue.": ("creative", "emotion", "conversation"),
    "My team is building an emotion-aware assistant.": ("emotion", "reasoning"),
    "I'm checking recordings before they go into a dataset.": ("recording conditions", "speaker traits", "transcription", "authenticity", "description"),
    "We screen incoming audio for deepfakes.": ("authenticity",),
    "I'm learning English as a second language.": ("transcription", "content", "language", "paralinguistics"),
    "I'm preparing meeting minutes.": ("conversation", "content", "transcription"),
    "I'm designing a voice for a video game character.": ("speaker traits", "paralinguistics", "creative", "emotion"),
    "I coach people on public speaking.": ("paralinguistics", "emotion", "content"),
    "I'm writing an accessibility description for a website.": ("description", "transcription", "content"),
    "I'm a teacher preparing a listening exercise.": ("content", "transcription", "language", "creative"),
    "I'm sorting recordings by speaker for a research project.": ("speaker traits", "conversation", "description"),
    "I'm restoring old audio recordings.": ("recording conditions", "transcription"),
    "I'm building a voice-controlled app.": ("content", "transcription", "recording conditions", "reasoning"),
    "I'm a sociolinguistics student.": ("speaker traits", "language", "paralinguistics"),
    "I volunteer on a crisis helpline and practise with recordings.": ("emotion", "reasoning", "content"),
    "I'm evaluating text-to-speech voices.": ("authenticity", "paralinguistics", "recording conditions"),
}
_SOUND_CONTEXTS = {
    "I'm a sound designer looking for material.": ("sound events", "sound properties", "creative", "description"),
    "I'm labelling clips for a sound-event dataset.": ("sound events", "temporal structure", "description"),
    "I'm studying urban noise.": ("acoustic scene", "sound properties", "reasoning"),
    "I'm writing a radio play.": ("creative", "acoustic scene", "temporal structure"),
    "I'm setting up a home-monitoring system.": ("sound events", "reasoning", "acoustic scene"),
    "I'm making a nature documentary.": ("acoustic scene", "sound events", "creative"),
    "I'm teaching a class on acoustics.": ("sound properties", "temporal structure", "reasoning"),
    "I'm adding sound descriptions for deaf viewers.": ("description", "sound events", "temporal structure"),
    "I'm building a search engine for sound effects.": ("sound events", "description", "sound properties"),
    "I'm a foley artist.": ("sound properties", "sound events", "creative"),
    "I'm trying to work out what woke me up last night.": ("sound events", "reasoning", "acoustic scene"),
    "I'm a birdwatcher who records everything I hear.": ("sound events", "acoustic scene", "description"),
    "I'm editing a podcast and need ambience notes.": ("acoustic scene", "sound properties", "description"),
    "I'm checking a game's audio assets.": ("sound events", "sound properties", "temporal structure"),
}
_MUSIC_CONTEXTS = {
    "I'm putting together a playlist.": ("music genre", "music mood", "creative", "reasoning"),
    "I'm learning music theory.": ("music theory", "music instruments", "music genre"),
    "I'm a DJ planning a set.": ("music genre", "music mood", "music theory", "reasoning"),
    "I'm choosing music for a short film.": ("music mood", "reasoning", "creative", "description"),
    "I'm tagging tracks for a music library.": ("music genre", "music instruments", "music mood", "description"),
    "I'm a beginner guitarist.": ("music theory", "music instruments", "music genre"),
    "I teach music to teenagers.": ("music theory", "music genre", "music instruments", "description", "vocals"),
    "I'm writing a review for a music blog.": ("description", "music genre", "music mood", "creative", "vocals"),
    "I'm building a music recommendation app.": ("music genre", "music mood", "reasoning"),
    "I'm studying sound synthesis.": ("music instruments", "music theory", "description"),
    "I run a dance class.": ("music mood", "music theory", "music genre", "reasoning"),
    "I sing in a choir.": ("vocals", "music theory", "music mood"),
    "I'm cataloguing recordings of traditional music.": ("music instruments", "music genre", "description"),
}
CONTEXTS = [
    Frame(text, ALL_KINDS, categories, domain)
    for table, domain in ((_SPEECH_CONTEXTS, SPEECH), (_SOUND_CONTEXTS, SOUND), (_MUSIC_CONTEXTS, MUSIC))
    for text, categories in table.items()
] + [  # contexts that speak of the words: only before tasks that need a transcript
    Frame("I'm transcribing family recordings.", ALL_KINDS, ("transcription", "conversation", "content"), SPEECH, needs=("transcript",)),
    Frame("I'm transcribing songs for a karaoke app.", ALL_KINDS, ("vocals",), MUSIC, needs=("transcript",)),
]

# Roles, rendered "As <role>, <task>", "Imagine you are <role>. <Task>", "<Task> Answer as <role> would."
_SPEECH_ROLES = {
    "a speech therapist": ("paralinguistics", "speaker traits", "emotion", "description"),
    "a voice coach": ("paralinguistics", "emotion", "creative"),
    "a linguist": ("language", "speaker traits", "content", "transcription"),
    "a court stenographer": ("transcription",),
    "a professional captioner": ("transcription",),
    "a sound engineer": ("recording conditions",),
    "a casting director": ("speaker traits", "paralinguistics", "creative"),
    "a call-centre quality analyst": ("emotion", "content", "reasoning", "conversation"),
    "a psychologist": ("emotion", "reasoning"),
    "a radio producer": ("recording conditions", "paralinguistics", "description"),
    "a language teacher": ("language", "content", "transcription"),
    "a forensic audio analyst": ("authenticity", "recording conditions", "speaker traits"),
    "a dialect coach": ("speaker traits", "language"),
    "a podcast editor": ("recording conditions", "content", "conversation"),
    "a journalist": ("content", "conversation", "reasoning"),
    "an accessibility specialist": ("description", "transcription"),
    "a meeting secretary": ("conversation", "content"),
    "a fraud investigator": ("authenticity",),
    "a detective": ("reasoning", "speaker traits"),
    "a screenwriter": ("creative", "conversation"),
    "a poet": ("creative",),
    "a translator": ("language",),
    "a debate coach": ("content", "paralinguistics"),
    "an audiobook producer": ("paralinguistics", "recording conditions", "speaker traits"),
}
_SOUND_ROLES = {
    "a sound designer": ("sound events", "sound properties", "creative", "description"),
    "a field recordist": ("acoustic scene", "sound properties", "temporal structure"),
    "a wildlife biologist": ("sound events", "acoustic scene"),
    "a safety inspector": ("reasoning", "sound events"),
    "an urban planner": ("acoustic scene", "reasoning"),
    "a foley artist": ("sound properties", "sound events", "creative"),
    "a film editor": ("temporal structure", "creative", "description"),
    "an acoustic engineer": ("sound properties", "acoustic scene"),
    "a home-security adviser": ("reasoning", "sound events"),
    "a children's science teacher": ("sound properties", "sound events", "reasoning"),
    "a radio drama producer": ("creative", "acoustic scene", "temporal structure"),
    "an archivist of sound effects": ("description", "sound events"),
}
_MUSIC_ROLES = {
    "a music teacher": ("music theory", "music instruments", "description"),
    "a DJ": ("music genre", "music mood", "reasoning"),
    "a music critic": ("description", "music genre", "music mood", "vocals", "creative"),
    "a record-store clerk": ("music genre", "reasoning"),
    "a film composer": ("music mood", "music theory", "creative"),
    "a musicologist": ("music genre", "music theory", "music instruments"),
    "a playlist curator": ("music mood", "music genre", "reasoning"),
    "a session musician": ("music instruments", "music theory"),
    "a music therapist": ("music mood", "reasoning"),
    "a vocal coach": ("vocals",),
    "a dance instructor": ("music mood", "music theory"),
    "a sound engineer": ("music instruments", "description"),
}
PERSONAS = [
    Frame(role, ALL_KINDS, categories, domain)
    for table, domain in ((_SPEECH_ROLES, SPEECH), (_SOUND_ROLES, SOUND), (_MUSIC_ROLES, MUSIC))
    for role, categories in table.items()
]
PERSONA_FORMS = ("As {role}, {task}", "Imagine you are {role}. {Task}", "You are {role}. {Task}",
                 "{Task} Answer as {role} would.", "{Task} Respond from the point of view of {role}.",
                 "Put yourself in the shoes of {role}. {Task}")  # fmt: skip

# A sentence after the task: length, format, audience, reasoning.
CONSTRAINTS = (
    frames(("open",), ["Answer in one sentence.", "Keep it to two or three sentences.", "Keep your answer under 50 words.",
                       "Be concise.", "Limit yourself to 30 words.", "Please keep it brief.", "Keep it short and friendly."],
           aspect="length", length="brief")
    + frames(("open",), ["Give a detailed answer.", "Use a short paragraph.", "Write no more than a paragraph."], aspect="length")
    + frames(("open",), ["Use bullet points.", "Make it easy to skim.", "Start with the most important point.",
                         "Give the answer first and the reasoning after."], aspect="format")
    + frames(("open",), ["Use plain language.", "Avoid technical jargon.", "Write for an expert audience.",
                         "Explain it as you would to a child.", "Write for someone who has never heard the clip.",
                         "Answer as if talking to a colleague.", "Keep a neutral tone."], aspect="audience")
    + frames(("open",), ["Explain which cues you relied on.", "Mention anything you are unsure about.",
                         "Support your answer with what you hear.", "Be specific rather than general.",
                         "Mention the most telling detail.", "Avoid speculating beyond what you hear."], aspect="reasoning")
    + frames(("open",), ["Explain your reasoning step by step.", "Think it through before answering."], aspect="reasoning", length="long")
    + frames(("short",), ["Answer in one word.", "Reply with a single word or a short phrase.", "Give just the label.",
                          "No explanation needed.", "One or two words will do.", "Keep the answer short."],
             aspect="length", length="brief")
    + frames(("short",), ["Give your answer, then one sentence explaining why.", "Say how confident you are.",
                          "If it is unclear, say so.", "Name your answer first, then justify it briefly.",
                          "Explain the evidence in one line.", "Then say what makes you think so.", "Add a short justification.",
                          "Give your best guess and a confidence from 0 to 100."], aspect="reasoning")
    + frames(("short",), ["Reply in JSON with the keys \"answer\" and \"reason\".", "Answer in the format 'Answer: ... / Why: ...'."],
             aspect="format")
    + frames(("yesno",), ["Answer yes or no.", "Start your answer with yes or no.", "Answer yes or no, then explain briefly.",
                          "Give a one-word answer and a short reason.", "Say yes, no, or can't tell.",
                          "Then explain what you based that on."], aspect="format")
    + frames(("list",), ["Use a numbered list.", "Put each item on its own line.", "Use bullet points and no extra commentary.",
                         "Separate the items with commas.", "Give the list as a JSON array."], aspect="format")
    + frames(("list",), ["List at most five items.", "Keep each item under five words.", "Give three items."], aspect="length")
    + frames(("list",), ["Order them from most to least noticeable.", "Add a few words of explanation to each item.",
                         "Number them in the order they come up."], aspect="reasoning")
    + frames(("verbatim",), ["Output only the transcript.", "Do not add any commentary.", "No timestamps, please."], aspect="format")
    + frames(("verbatim",), ["Use normal punctuation and capitalization.", "Keep any filler words.", "Write numbers as digits.",
                             "Write numbers out as words.", "Put each sentence on a new line.", "Wrap the transcript in quotation marks.",
                             "Don't correct the speaker's grammar.", "Mark any word you are unsure of with a question mark.",
                             "Leave out any hesitations like 'um' or 'uh'."], aspect="style")
    + frames(("caption",), ["Keep it under 20 words.", "Write it as a single sentence.", "Aim for about 15 words.",
                            "No more than two sentences."], aspect="length", length="brief")
    + frames(("caption",), ["Use the present tense.", "Don't mention the recording itself.", "Stick to what can be heard.",
                            "Keep it factual.", "Leave out anything you are unsure of.",
                            "Make it useful for someone searching an archive."], aspect="style")
    + frames(("creative",), ["Keep it under 100 words.", "Make it no longer than four lines.", "Keep it under 60 words."],
             aspect="length", length="brief")
    + frames(("creative",), ["Make it light-hearted.", "Keep the tone serious.", "Use simple language a child could follow.",
                             "Write it in the first person.", "Give it a title.", "Make it rhyme.", "End on a hopeful note.",
                             "Make it a little mysterious.", "Use vivid, concrete details.", "Keep it suitable for all ages.",
                             "Write it in the present tense.", "Aim for a warm, friendly tone.", "Surprise me."], aspect="style")
)

# A task that already says how long or in what form to answer takes no constraint of that aspect.
SETS = {
    "length": r"\b(one|single|two|three|five|ten|few|under|exactly|short|brief|one-line|scale|word|words|sentence|sentences|paragraph)\b",
    "format": r"\b(list|bullet|bulleted|json|template|table|fill|numbered|commas|record|card|format|script)\b",
}
