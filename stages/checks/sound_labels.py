"""The closed lists the contradiction check compares sound-event, instrument and genre claims with.

Each concept has the words that name it (matched on `plain()` text, whole words; a seed label maps to
the concepts whose words it contains, `door_wood_knock` read as `door wood knock`). `RELATED` lists
concepts that may describe the same sound (rain and water, a siren and traffic): naming a related one is
never a contradiction. A seed label no concept knows makes the check stand down for that row: the check
only speaks when it knows what every label is.
"""

from __future__ import annotations

SOUND_EVENTS: dict[str, tuple[str, ...]] = {
    "dog": ("dog", "dogs", "doggy", "puppy", "puppies", "bark", "barks", "barked", "barking", "woof", "yelp", "yelping"),
    "cat": ("cat", "cats", "kitten", "kittens", "meow", "meows", "meowing", "miaow", "purr", "purring", "purrs"),
    "bird": ("bird", "birds", "birdsong", "songbird", "songbirds", "tweeting", "cawing", "pigeon", "pigeons", "owl", "seagull", "seagulls"),
    "rooster": ("rooster", "roosters", "cock-a-doodle-doo", "chicken", "chickens", "hen", "hens", "clucking"),
    "cow": ("cow", "cows", "moo", "mooing", "cattle"),
    "horse": ("horse", "horses", "neigh", "neighing", "whinny", "whinnying", "hooves", "galloping"),
    "sheep": ("sheep", "bleat", "bleating", "goat", "goats", "lamb", "lambs"),
    "pig": ("pig", "pigs", "oink", "oinking", "grunting pig"),
    "frog": ("frog", "frogs", "croak", "croaking", "toad", "toads"),
    "insect": ("insect", "insects", "cricket", "crickets", "cicada", "cicadas", "bee", "bees", "mosquito", "mosquitoes"),
    "rain": ("rain", "raining", "rainfall", "raindrops", "drizzle", "downpour", "rainstorm"),
    "thunder": ("thunder", "thunderstorm", "thunderclap", "lightning"),
    "wind": ("wind", "windy", "gust", "gusts", "gusting", "breeze"),
    "water": ("water", "stream", "brook", "river", "waterfall", "dripping", "drip", "splash", "splashing", "gurgling", "gurgle",
              "trickling", "faucet", "toilet flush", "flushing", "gush", "gushing", "pouring"),
    "sea": ("waves", "ocean", "sea", "surf", "seashore", "shore", "beach"),
    "fire": ("fire", "crackling fire", "campfire", "flames", "fireplace"),
    "vehicle": ("car", "cars", "engine", "engines", "truck", "trucks", "traffic", "motorcycle", "motorbike", "vehicle", "vehicles",
                "bus", "revving", "car horn", "honking", "honk"),
    "siren": ("siren", "sirens", "wail", "wails", "wailing", "ambulance", "police car", "fire truck", "fire engine"),
    "train": ("train", "trains", "railway", "locomotive", "railroad", "tram", "subway"),
    "aircraft": ("airplane", "aeroplane", "plane", "jet", "aircraft", "helicopter", "propeller"),
    "bell": ("church bell", "church bells", "bell", "bells", "chime", "chimes", "chiming", "gong"),
    "doorbell": ("doorbell", "door bell", "ding-dong", "ding dong"),
    "knock": ("knock", "knocks", "knocking", "door knock"),
    "door": ("door", "doors", "slam", "slams", "slamming", "creak", "creaking", "creaky"),
    "footsteps": ("footsteps", "footstep", "stomping"),
    "glass": ("glass", "glasses", "clink", "clinking", "shatter", "shattering", "shattered"),
    "gunshot": ("gunshot", "gunshots", "gunfire", "gun", "guns", "rifle", "pistol", "firearm"),
    "explosion": ("explosion", "explosions", "blast", "bomb", "fireworks", "firework"),
    "applause": ("applause", "clapping", "claps", "clap", "applauding"),
    "crowd": ("crowd", "crowds", "audience", "chatter", "babble", "murmur", "murmuring", "cheering", "cheer"),
    "laughter": ("laughter", "laugh", "laughs", "laughing", "giggle", "giggling", "chuckle", "chuckling"),
    "baby": ("baby", "babies", "infant", "infants", "toddler"),
    "crying": ("crying", "cry", "cries", "sob", "sobbing", "weeping"),
    "cough": ("cough", "coughs", "coughing"),
    "sneeze": ("sneeze", "sneezes", "sneezing"),
    "snore": ("snore", "snores", "snoring"),
    "breathing": ("breathing", "breath", "breaths", "panting", "sigh", "sighing", "gasp", "gasping"),
    "keyboard": ("keyboard", "typing", "typewriter", "keystrokes", "mouse click"),
    "clock": ("clock", "ticking", "tick-tock", "tick tock"),
    "alarm": ("alarm", "alarms", "beeping", "beep", "beeps", "buzzer", "buzzing"),
    "tone": ("tone", "tones", "sine", "sine wave", "pure tone", "dial tone", "whistle", "whistling", "sweep", "hum", "humming", "drone"),
    "noise": ("white noise", "pink noise", "brown noise", "static", "hiss", "hissing"),
    "telephone": ("telephone", "phone", "ringtone", "ring tone", "phone ringing"),
    "vacuum": ("vacuum cleaner", "vacuum", "hoover"),
    "tool": ("chainsaw", "drill", "drilling", "power tool", "hammer", "hammering", "sawing", "saw", "jackhammer"),
    "speech": ("speech", "speaking", "talking", "spoken", "conversation", "narration", "narrator", "man speaking", "woman speaking"),
    "music": ("music", "musical", "song", "melody", "melodic", "instrumental", "arpeggio", "chord", "chords", "chord progression",
              "plucked string", "singing", "tune"),
}  # fmt: skip

RELATED: list[set[str]] = [
    {"rain", "thunder", "water", "wind", "sea", "noise"},
    {"water", "sea", "noise", "wind", "fire"},
    {"vehicle", "siren", "alarm"},
    {"vehicle", "noise"},
    {"train", "noise"},
    {"aircraft", "noise"},
    {"bell", "doorbell", "alarm", "tone", "telephone", "clock", "music"},
    {"doorbell", "knock", "door", "footsteps"},
    {"gunshot", "explosion", "knock", "door", "glass", "tool"},
    {"applause", "crowd", "laughter", "speech", "music"},
    {"baby", "crying"},
    {"laughter", "speech"},
    {"breathing", "cough"},
    {"breathing", "sneeze"},
    {"breathing", "snore"},
    {"tone", "alarm", "noise", "telephone", "insect", "vacuum", "tool", "vehicle", "music"},
    {"keyboard", "clock", "tool", "knock", "footsteps", "door"},
]

INSTRUMENTS: dict[str, tuple[str, ...]] = {
    "plucked": ("guitar", "guitars", "acoustic guitar", "electric guitar", "harp", "lute", "banjo", "ukulele", "mandolin", "sitar",
                "plucked string", "plucked strings", "koto", "guzheng"),
    "bowed": ("violin", "violins", "viola", "cello", "cellos", "double bass", "fiddle", "string section", "string quartet"),
    "keyboard": ("piano", "pianos", "keyboard", "keyboards", "organ", "harpsichord", "synthesizer", "synthesiser", "synth",
                 "electric piano", "accordion"),
    "brass": ("trumpet", "trumpets", "trombone", "tuba", "french horn", "brass", "cornet", "bugle"),
    "reed": ("saxophone", "sax", "clarinet", "oboe", "bassoon", "harmonica"),
    "flute": ("flute", "flutes", "piccolo", "recorder", "pan flute", "panpipes"),
    "percussion": ("drum", "drums", "drum kit", "drum machine", "percussion", "cymbal", "cymbals", "snare", "hi-hat", "tabla",
                   "mridangam", "tambourine", "bongo", "bongos", "conga"),
    "mallet": ("xylophone", "marimba", "vibraphone", "glockenspiel", "celesta", "music box"),
    "voice": ("vocal", "vocals", "singer", "singing", "choir"),
    "bass": ("bass", "bass guitar", "synth bass", "bassline", "bass line"),
}  # fmt: skip

INSTRUMENT_RELATED: list[set[str]] = [
    {"plucked", "bass"},
    {"bowed", "bass"},
    {"keyboard", "mallet"},
    {"brass", "reed", "flute"},
    {"bass", "keyboard", "percussion"},
]

GENRES: dict[str, tuple[str, ...]] = {
    "rock": ("rock", "rock and roll", "rock'n'roll", "hard rock", "punk", "punk rock", "grunge", "alternative rock", "indie rock"),
    "metal": ("metal", "heavy metal", "death metal", "thrash metal"),
    "pop": ("pop", "synth-pop", "synthpop", "k-pop", "j-pop", "europop"),
    "hip-hop": ("hip-hop", "hip hop", "hiphop", "rap", "trap"),
    "electronic": ("electronic", "electronica", "edm", "techno", "house", "trance", "dubstep", "drum and bass", "dance", "electro"),
    "jazz": ("jazz", "jazzy", "bebop", "swing", "smooth jazz"),
    "blues": ("blues", "bluesy"),
    "classical": ("classical", "baroque", "orchestral", "symphonic", "opera", "operatic", "chamber"),
    "country": ("country", "bluegrass"),
    "reggae": ("reggae", "ska", "dub", "dancehall"),
    "disco": ("disco", "funk", "funky", "soul", "r&b", "rhythm and blues", "motown"),
    "folk": ("folk", "singer-songwriter", "celtic"),
    "latin": ("latin", "salsa", "samba", "bossa nova", "tango", "reggaeton", "flamenco"),
}  # fmt: skip

GENRE_RELATED: list[set[str]] = [
    {"rock", "metal"}, {"rock", "pop"}, {"rock", "blues"}, {"rock", "folk"}, {"rock", "country"},
    {"pop", "electronic"}, {"pop", "disco"}, {"pop", "hip-hop"}, {"pop", "folk"}, {"pop", "latin"}, {"pop", "reggae"},
    {"hip-hop", "disco"}, {"hip-hop", "electronic"}, {"hip-hop", "reggae"}, {"electronic", "disco"},
    {"jazz", "blues"}, {"jazz", "disco"}, {"jazz", "latin"}, {"blues", "country"}, {"blues", "disco"}, {"blues", "folk"},
    {"country", "folk"}, {"reggae", "latin"}, {"folk", "latin"},
]  # fmt: skip


def related(groups: list[set[str]], concepts: set[str]) -> set[str]:
    """The concepts plus every concept a RELATED group puts beside one of them."""
    found = set(concepts)
    for group in groups:
        if group & concepts:
            found |= group
    return found
