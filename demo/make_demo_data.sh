#!/usr/bin/env bash
# Regenerate the desta-data demo set: audio/*.wav, manifest.jsonl, extra.csv.
#
# Needs only espeak-ng and sox (plus coreutils/awk). Every sox call uses -R
# (fixed random seed) so noise, pluck and dither are repeatable; two runs on
# the same machine give byte-identical files. Different espeak-ng/sox versions
# may give slightly different audio.
#
# All output is 16 kHz, mono, 16-bit signed PCM WAV.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

for tool in espeak-ng sox soxi; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

export LC_ALL=C

AUDIO=audio
MANIFEST=manifest.jsonl
CSV=extra.csv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

rm -rf "$AUDIO"
mkdir -p "$AUDIO"
: > "$MANIFEST"

SOX=(sox -R -V1)                       # -R: fixed seed => repeatable output
OUT=(-r 16000 -c 1 -b 16 -e signed-integer)

emit() { printf '%s\n' "$1" >> "$MANIFEST"; }

# ---------------------------------------------------------------- speech ---
# tts NAME VOICE SPEED AMPLITUDE "TEXT"
# -> $TMP/NAME.wav : 16 kHz mono, edge silence trimmed, 0.15 s padding.
tts() {
    local name=$1 voice=$2 speed=$3 amp=$4 text=$5
    espeak-ng -v "$voice" -s "$speed" -a "$amp" -w "$TMP/$name.raw.wav" "$text"
    "${SOX[@]}" "$TMP/$name.raw.wav" "${OUT[@]}" "$TMP/$name.wav" \
        gain -1 silence 1 0.02 0.1% reverse silence 1 0.02 0.1% reverse \
        pad 0.15 0.15
}

# speech ID VOICE SPEED AMP POST "TEXT" 'EXTRA_JSON'
# POST: plain | quiet | pink | brown | white | reverb
speech() {
    local id=$1 voice=$2 speed=$3 amp=$4 post=$5 text=$6 extra=$7
    local dst="$AUDIO/$id.wav"
    tts "$id" "$voice" "$speed" "$amp" "$text"
    local src="$TMP/$id.wav" dur
    dur=$(soxi -D "$src")
    case $post in
        plain) cp "$src" "$dst" ;;
        quiet) "${SOX[@]}" "$src" "${OUT[@]}" "$dst" vol 0.3 ;;
        pink)
            "${SOX[@]}" -n "${OUT[@]}" "$TMP/$id.noise.wav" synth "$dur" pinknoise
            "${SOX[@]}" -m -v 1.0 "$src" -v 0.06 "$TMP/$id.noise.wav" "${OUT[@]}" "$dst" ;;
        brown)
            "${SOX[@]}" -n "${OUT[@]}" "$TMP/$id.noise.wav" synth "$dur" brownnoise
            "${SOX[@]}" -m -v 1.0 "$src" -v 0.03 "$TMP/$id.noise.wav" "${OUT[@]}" "$dst" ;;
        white)
            "${SOX[@]}" -n "${OUT[@]}" "$TMP/$id.noise.wav" synth "$dur" whitenoise
            "${SOX[@]}" -m -v 1.0 "$src" -v 0.03 "$TMP/$id.noise.wav" "${OUT[@]}" "$dst" ;;
        reverb) "${SOX[@]}" "$src" "${OUT[@]}" "$dst" pad 0 0.6 reverb 60 50 90 gain -n -3 ;;
        *) echo "bad post: $post" >&2; exit 1 ;;
    esac
    emit "{\"audio\": \"$dst\", \"id\": \"$id\", \"domain\": \"speech\", \"transcript\": \"$text\"$extra}"
}

speech speech_01 en-us+m3 175 100 plain \
    "The weather is supposed to be sunny and warm all weekend." \
    ', "gender": "M", "accent": "American", "emotion": "neu", "age": "adult"'
speech speech_02 en-us+f3 175 100 plain \
    "Could you please pass me the salt and pepper?" \
    ', "gender": "F", "accent": "American", "emotion": "neutral"'
speech speech_03 en-gb+m7 175 100 plain \
    "I have never seen such a beautiful sunset over the harbour." \
    ', "gender": "male", "accent": "British", "age": "adult"'
speech speech_04 en-gb+f4 175 100 plain \
    "What time does the last train to Manchester leave tonight?" \
    ', "gender": "female", "accent": "British", "emotion": "Neutral"'
speech speech_05 en-gb-scotland+m1 165 100 plain \
    "We walked along the loch until the rain finally stopped." \
    ', "gender": "Male", "accent": "Scottish", "emotion": "NEU", "age": "Adult"'
speech speech_06 en-us+f4 120 100 plain \
    "Please remember to lock the front door before you leave." \
    ', "gender": "Female", "accent": "American", "emotion": "neu"'
speech speech_07 en-us+m7 260 100 plain \
    "Turn left at the next corner and keep going for two more blocks." \
    ', "gender": "m", "accent": "american", "age": "adult"'
speech speech_08 en-us+f2 175 60 plain \
    "Where did you put the keys to the car?" \
    ', "gender": "f", "accent": "American", "emotion": "neutral"'
speech speech_09 en-us+m3 175 180 plain \
    "Watch out, the floor is still wet!" \
    ', "gender": "MALE", "accent": "American", "emotion": "neu"'
speech speech_10 en-gb+f3 175 100 pink \
    "The library closes at six o'clock on weekdays." \
    ', "gender": "F", "accent": "british", "emotion": "neu", "age": "adult"'
speech speech_11 en-us+m5 175 100 brown \
    "Can anyone tell me how to get to the museum from here?" \
    ', "gender": "M", "accent": "American"'
speech speech_12 en-us+f5 160 100 reverb \
    "Welcome, everyone, and thank you all for coming tonight." \
    ', "gender": "female", "accent": "American", "emotion": "neutral", "age": "adult"'
speech speech_13 en-gb-scotland+f2 175 100 plain \
    "That was the best concert I have been to in years!" \
    ', "gender": "Female", "accent": "Scottish", "emotion": "hap"'
speech speech_14 en-us+m1 150 100 quiet \
    "How many apples are left in the basket on the kitchen table?" \
    ', "gender": "male", "accent": "American", "emotion": "Neutral"'
speech speech_15 en-029+m4 170 100 plain \
    "The fishing boats leave the harbour early every morning." \
    ', "gender": "M", "accent": "Caribbean", "age": "adult"'
speech speech_16 en-us+f1 200 100 white \
    "Is it going to rain later this afternoon?" \
    ', "gender": "F", "accent": "American", "emotion": "neu"'

# ------------------------------------------------------ long speech clip ---
# Four sentences from one speaker separated by pauses. Segment boundaries are
# measured from the exact sample counts of the trimmed sentence files.
LONG_ID=long_01
LONG="$AUDIO/$LONG_ID.wav"
LONG_VOICE=en-gb+m3
LEAD=0.5
GAP=1.2
long_text=(
    "Good evening, and welcome to tonight's short news summary."
    "Heavy rain is expected across the northern hills by tomorrow morning."
    "Local schools will stay open, but some bus routes may be delayed."
    "That is all for now, thank you for listening and good night."
)
"${SOX[@]}" -n "${OUT[@]}" "$TMP/lead.wav" trim 0 "$LEAD"
"${SOX[@]}" -n "${OUT[@]}" "$TMP/gap.wav" trim 0 "$GAP"
parts=("$TMP/lead.wav")
starts=(); ends=()
pos=$(soxi -s "$TMP/lead.wav")
gap_samples=$(soxi -s "$TMP/gap.wav")
for i in "${!long_text[@]}"; do
    name="long_s$i"
    espeak-ng -v "$LONG_VOICE" -s 150 -w "$TMP/$name.raw.wav" "${long_text[$i]}"
    # tight trim (no padding) so start/end are the speech onset/offset
    "${SOX[@]}" "$TMP/$name.raw.wav" "${OUT[@]}" "$TMP/$name.wav" \
        gain -1 silence 1 0.02 0.1% reverse silence 1 0.02 0.1% reverse
    n=$(soxi -s "$TMP/$name.wav")
    starts+=("$pos"); ends+=("$((pos + n))")
    pos=$((pos + n + gap_samples))
    parts+=("$TMP/$name.wav" "$TMP/gap.wav")
done
"${SOX[@]}" "${parts[@]}" "${OUT[@]}" "$LONG"
secs() { awk -v s="$1" 'BEGIN { printf "%.3f", s / 16000 }'; }
full_text="${long_text[*]}"
emit "{\"audio\": \"$LONG\", \"id\": \"$LONG_ID\", \"domain\": \"speech\", \"transcript\": \"$full_text\", \"gender\": \"male\", \"accent\": \"British\", \"emotion\": \"neutral\", \"age\": \"adult\"}"
for k in 1 2; do
    emit "{\"audio\": \"$LONG\", \"id\": \"${LONG_ID}_seg0$k\", \"domain\": \"speech\", \"start\": $(secs "${starts[$k]}"), \"end\": $(secs "${ends[$k]}"), \"transcript\": \"${long_text[$k]}\", \"gender\": \"M\", \"accent\": \"British\"}"
done

# ---------------------------------------------------------------- sounds ---
# sound ID 'LABELS_JSON' "CAPTION"   (audio must already exist at audio/ID.wav)
sound() {
    emit "{\"audio\": \"$AUDIO/$1.wav\", \"id\": \"$1\", \"domain\": \"sound\", \"labels\": $2, \"caption\": \"$3\"}"
}
mk() { local id=$1; shift; "${SOX[@]}" -n "${OUT[@]}" "$AUDIO/$id.wav" "$@"; }

mk sound_01 synth 2 sine 440 fade 0.02 2 0.02 vol 0.5
sound sound_01 '["sine wave", "tone"]' "A steady pure tone hums at a medium pitch."

mk sound_02 synth 1.5 sine 1000 fade 0.02 1.5 0.02 vol 0.5
sound sound_02 '["sine wave", "tone", "beep"]' "A single long high-pitched beep sounds."

mk sound_03 synth 3 sine 100-4000 fade 0.02 3 0.05 vol 0.5
sound sound_03 '["chirp", "sine sweep"]' "A tone rises smoothly from a low hum to a high whistle."

mk sound_04 synth 2 whitenoise vol 0.3
sound sound_04 '["white noise", "static"]' "Harsh hissing static fills the air."

mk sound_05 synth 2 pinknoise vol 0.5
sound sound_05 '["pink noise"]' "A soft, even rushing noise like steady rain."

mk sound_06 synth 2 brownnoise vol 0.6
sound sound_06 '["brown noise", "rumble"]' "A deep, low rumbling noise like distant surf."

# alarm: 0.15 s bursts at 2 kHz with 0.15 s gaps, 7 times
mk sound_07 synth 0.15 square 2000 vol 0.25 pad 0 0.15 repeat 6
sound sound_07 '["alarm", "beep"]' "An electronic alarm beeps rapidly and repeatedly."

# tone + noise mixture
"${SOX[@]}" -n "${OUT[@]}" "$TMP/mix_tone.wav" synth 2.5 sine 600
"${SOX[@]}" -n "${OUT[@]}" "$TMP/mix_noise.wav" synth 2.5 whitenoise
"${SOX[@]}" -m -v 0.4 "$TMP/mix_tone.wav" -v 0.15 "$TMP/mix_noise.wav" "${OUT[@]}" "$AUDIO/sound_08.wav"
sound sound_08 '["tone", "white noise"]' "A steady tone plays through a layer of hissing noise."

# doorbell: ding (E5) then dong (C5), each decaying
"${SOX[@]}" -n "${OUT[@]}" "$AUDIO/sound_09.wav" \
    synth 0.8 sine 659.25 fade q 0.005 0.8 0.75 vol 0.6 : \
    synth 1.4 sine 523.25 fade q 0.005 1.4 1.35 vol 0.6
sound sound_09 '["doorbell", "ding-dong"]' "A doorbell chimes with a two-note ding-dong."

# siren: up/down sweeps, twice
"${SOX[@]}" -n "${OUT[@]}" "$AUDIO/sound_10.wav" \
    synth 0.75 sine 600-1300 vol 0.4 : synth 0.75 sine 1300-600 vol 0.4 : \
    synth 0.75 sine 600-1300 vol 0.4 : synth 0.75 sine 1300-600 vol 0.4
sound sound_10 '["siren", "wail"]' "A siren wails up and down in pitch."

# telephone dial tone (350 Hz + 440 Hz)
"${SOX[@]}" -n "${OUT[@]}" "$TMP/dial_a.wav" synth 2 sine 350
"${SOX[@]}" -n "${OUT[@]}" "$TMP/dial_b.wav" synth 2 sine 440
"${SOX[@]}" -m -v 0.25 "$TMP/dial_a.wav" -v 0.25 "$TMP/dial_b.wav" "${OUT[@]}" "$AUDIO/sound_11.wav"
sound sound_11 '["dial tone", "telephone"]' "A telephone dial tone drones steadily."

# buzzer: low square wave
mk sound_12 synth 1.2 square 220 vol 0.2 fade 0.01 1.2 0.01
sound sound_12 '["buzzer"]' "A harsh electric buzzer sounds for about a second."

# ----------------------------------------------------------------- music ---
music() {
    emit "{\"audio\": \"$AUDIO/$1.wav\", \"id\": \"$1\", \"domain\": \"music\", \"labels\": $2, $3, \"caption\": \"$4\"}"
}

# C-major arpeggio, up and down
notes=(C4 E4 G4 C5 E5 C5 G4 E4 C4)
args=()
for n in "${notes[@]}"; do args+=(synth 0.3 pluck "$n" vol 0.7 :); done
unset 'args[${#args[@]}-1]'
"${SOX[@]}" -n "${OUT[@]}" "$AUDIO/music_01.wav" "${args[@]}"
music music_01 '["music", "plucked string", "arpeggio"]' '"genre": "classical", "instrument": "harp"' \
    "A plucked string instrument plays a rising and falling major arpeggio."

# C-major chord
"${SOX[@]}" -n -r 16000 -c 3 -b 16 "$TMP/chord.wav" synth 2.5 pluck C4 pluck E4 pluck G4
"${SOX[@]}" "$TMP/chord.wav" "${OUT[@]}" "$AUDIO/music_02.wav" gain -n -3
music music_02 '["music", "plucked string", "chord"]' '"instrument": "guitar"' \
    "A single major chord is strummed and rings out."

# drum pattern at 120 bpm (eighth notes): kick, hat, snare, hat ...
"${SOX[@]}" -n "${OUT[@]}" "$TMP/kick.wav"  synth 0.25 sine 150-45 fade l 0.002 0.25 0.24 vol 0.9
"${SOX[@]}" -n "${OUT[@]}" "$TMP/snare.wav" synth 0.25 whitenoise highpass 1000 fade l 0.001 0.25 0.245 vol 0.6
"${SOX[@]}" -n "${OUT[@]}" "$TMP/hat.wav"   synth 0.05 whitenoise highpass 6000 fade q 0.001 0.05 0.04 vol 0.3 pad 0 0.2
bar=("$TMP/kick.wav" "$TMP/hat.wav" "$TMP/snare.wav" "$TMP/hat.wav"
     "$TMP/kick.wav" "$TMP/kick.wav" "$TMP/snare.wav" "$TMP/hat.wav")
"${SOX[@]}" "${bar[@]}" "${bar[@]}" "${OUT[@]}" "$AUDIO/music_03.wav"
music music_03 '["music", "drum", "percussion"]' '"genre": "electronic", "instrument": "drum machine"' \
    "A simple electronic drum beat with kick, snare and hi-hat repeats."

# bass line
bass=(C2 C2 G2 C3 A1 A1 E2 A2 F1 F1 C2 F2 G1 G1 D2 G2)
args=()
for n in "${bass[@]}"; do args+=(synth 0.25 sawtooth "$n" lowpass 400 fade q 0.005 0.25 0.05 vol 0.5 :); done
unset 'args[${#args[@]}-1]'
"${SOX[@]}" -n "${OUT[@]}" "$AUDIO/music_04.wav" "${args[@]}"
music music_04 '["music", "bass"]' '"genre": "funk", "instrument": "synth bass"' \
    "A low synthesizer bass line walks through a repeating four-chord pattern."

# "Twinkle, Twinkle, Little Star" opening phrase (sine with decay)
tune=(C4:0.4 C4:0.4 G4:0.4 G4:0.4 A4:0.4 A4:0.4 G4:0.8 F4:0.4 F4:0.4 E4:0.4 E4:0.4 D4:0.4 D4:0.4 C4:0.8)
args=()
for nd in "${tune[@]}"; do
    n=${nd%%:*}; d=${nd##*:}
    args+=(synth "$d" sine "$n" fade q 0.01 "$d" "$(awk -v d="$d" 'BEGIN{print d*0.6}')" vol 0.5 :)
done
unset 'args[${#args[@]}-1]'
"${SOX[@]}" -n "${OUT[@]}" "$AUDIO/music_05.wav" "${args[@]}"
music music_05 '["music", "melody"]' '"genre": "children'"'"'s song", "instrument": "synthesizer"' \
    "A simple electronic tone plays the melody of Twinkle, Twinkle, Little Star."

# organ-like sustained chord progression (C - F - G - C), square waves through a lowpass
chords=("C4 E4 G4" "F4 A4 C5" "G4 B4 D5" "C4 E4 G4")
for i in "${!chords[@]}"; do
    read -r a b c <<< "${chords[$i]}"
    "${SOX[@]}" -n -r 16000 -c 3 -b 16 "$TMP/org$i.3ch.wav" synth 1 square "$a" square "$b" square "$c"
    "${SOX[@]}" "$TMP/org$i.3ch.wav" "${OUT[@]}" "$TMP/org$i.wav" lowpass 1500 fade 0.05 1 0.1 vol 0.35
done
"${SOX[@]}" "$TMP/org0.wav" "$TMP/org1.wav" "$TMP/org2.wav" "$TMP/org3.wav" "${OUT[@]}" "$AUDIO/music_06.wav"
music music_06 '["music", "organ", "chord progression"]' '"genre": "hymn", "instrument": "organ"' \
    "An organ plays four sustained chords, ending where it began."

# ------------------------------------------------------------- extra.csv ---
# A small CSV manifest over four of the speech files above (different ids).
{
    echo 'audio,id,transcript,gender,emotion'
    echo 'audio/speech_02.wav,csv_speech_01,"Could you please pass me the salt and pepper?",female,neutral'
    echo 'audio/speech_05.wav,csv_speech_02,"We walked along the loch until the rain finally stopped.",M,neu'
    echo 'audio/speech_08.wav,csv_speech_03,"Where did you put the keys to the car?",F,'
    echo 'audio/speech_15.wav,csv_speech_04,"The fishing boats leave the harbour early every morning.",male,Neutral'
} > "$CSV"

echo "wrote $(ls "$AUDIO" | wc -l) clips, $(wc -l < "$MANIFEST") manifest lines, $CSV"
