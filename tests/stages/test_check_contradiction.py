import pytest
from check_rows import flags, rows

from schemas import columns as c
from stages.check_contradiction import CheckContradiction, ContradictionConfig

FEMALE_NEUTRAL = "[00:00-00:04] Could you please pass me the salt? (Gender: Female, Emotion: Neutral, Duration: 4s)"


@pytest.mark.parametrize(
    "seed, response, detail",
    [
        (FEMALE_NEUTRAL, "He speaks in a calm voice.", "Gender: Female in the seed; the response says 'he speaks'"),
        (FEMALE_NEUTRAL, "This is a deep male voice.", "Gender: Female in the seed; the response says 'a deep male voice'"),
        (FEMALE_NEUTRAL, "The speaker sounds furious.", "Emotion: Neutral in the seed; the response says 'furious'"),
        ("[00:00-00:02] It's eleven o'clock (Emotion: Anger, Gender: Male)", "He sounds calm and relaxed.",
         "Emotion: Anger in the seed; the response says 'calm'"),
        ("[00:00-00:05] (Number of Speakers: 3, Duration: 5s)", "There are two speakers.", "3 speaker(s) in the seed; the response says 'there are two speakers'"),
        ("[00:00-00:10] (Sound events: dog bark, Duration: 10s)", "A cat meows.", "the seed's sounds are dog; the response names 'cat'"),
        ("[00:00-00:30] (Genre: reggae, Duration: 30s)", "This is a classic rock song.", "Genre: reggae in the seed; the response says 'rock'"),
        ("[00:00-00:04] (Family: bass, Source: electronic)", "A flute plays.", "instrument bass in the seed; the response names 'flute'"),
        ("[00:00-00:02] 我每个月打一次电话。 (Emotion: Angry, Gender: Female)", "这是一个男性的声音。", "Gender: Female in the seed; the response says '男性'"),
    ],
)
def test_contradictions_are_flagged_with_what_disagrees(seed, response, detail):
    table = CheckContradiction()(rows(response, seed=seed))
    assert flags(table) == ["contradiction"]
    assert table[c.FLAG_DETAIL][0].as_py() == detail


@pytest.mark.parametrize(
    "seed, response",
    [
        (FEMALE_NEUTRAL, "She sounds calm and polite."),
        ("[00:00-00:03] He said he would call me back. (Gender: Female, Emotion: Neutral)", "The speaker said that he would call her back."),
        ("[00:00-00:04] My sister says she is moving. (Gender: Male, Emotion: Neutral)", "He says his sister is moving; she told him last week."),
        ("[00:00-00:06] I'm so angry I could scream. (Gender: Female, Emotion: Neutral)", "She says she is so angry she could scream."),
        (FEMALE_NEUTRAL, "The speaker does not sound angry at all."),
        ("[00:00-00:02] Hi. (Speaker: A, Gender: Female)\n[00:02-00:05] Hello! (Speaker: B, Gender: Male)\n(Duration: 5s)", "He greets her back."),
        ("[00:00-00:05] (Sound events: pink noise, Caption: A soft rushing noise like steady rain., Duration: 5s)", "It sounds like steady rain."),
        ("[00:00-00:10] (speech, whoosh)", "A cat meows."),  # a label outside the closed list: the seed is not fully known
        ("[00:00-00:30] (Genre: Experimental)", "This is a rock song."),  # a genre outside the closed list is not judged
        ("[00:00-00:05] (Emotion: N, Gender: Unknown)", "He sounds calm."),  # unknown gender: no gender check
    ],
)
def test_agreeing_or_undecidable_responses_are_not_flagged(seed, response):
    assert flags(CheckContradiction()(rows(response, seed=seed))) == [None]


def test_each_sub_check_can_be_turned_off():
    table = rows("He sounds furious.", seed=FEMALE_NEUTRAL)
    assert flags(CheckContradiction(ContradictionConfig(gender=False))(table)) == ["contradiction"]
    assert flags(CheckContradiction(ContradictionConfig(gender=False, emotion=False))(table)) == [None]
