from check_rows import flags, rows

from schemas import columns as c
from stages.check_leak import CheckLeak, LeakConfig


def test_references_to_the_given_text_are_leaks():
    table = CheckLeak()(rows(
        "Based on the provided description, the speaker is female.",
        "According to the metadata, the emotion is neutral.",
        "The clip is labeled as containing speech.",
        "Between the <start_audio> and <end_audio> tags a woman speaks.",
        "根据提供的描述，说话人是女性。",
    ))  # fmt: skip
    assert flags(table) == ["leak"] * 5
    assert table[c.FLAG_DETAIL][0].as_py() == "refers to the text it was given: 'based on the provided description'"


def test_copied_attribute_items_and_machine_labels_are_leaks():
    assert flags(CheckLeak()(rows("Gender: Female, Emotion: Neutral. She asks for salt."))) == ["leak"]
    assert flags(CheckLeak(LeakConfig(min_copied_items=3))(rows("Gender: Female, Emotion: Neutral. She asks for salt."))) == [None]
    seed = "[00:00-00:05] (Audio category: door_wood_knock, Duration: 5.0)"
    table = CheckLeak()(rows("A door_wood_knock sound.", "Someone knocks on a wooden door.", seed=seed))
    assert flags(table) == ["leak", None]
    assert table[c.FLAG_DETAIL][0].as_py() == "copies the seed's label 'door_wood_knock'"


def test_answers_about_the_audio_or_to_what_the_prompt_asked_are_not_leaks():
    assert flags(CheckLeak()(rows("In the audio you provided, a woman asks for the salt.", "Here is a description: a woman asks for salt."))) == [None, None]
    assert flags(CheckLeak()(rows("The tags for this clip are: speech, dinner, salt.", prompt="Suggest a few tags for this clip."))) == [None]
    assert flags(CheckLeak()(rows("The tags for this clip are: speech, dinner, salt.", prompt="What do you hear?"))) == ["leak"]


def test_a_phrase_the_speaker_says_is_not_a_leak():
    seed = "[00:00-00:04] Please check the metadata before you upload. (Gender: Male, Duration: 4s)"
    assert flags(CheckLeak()(rows("He asks the listener to check the metadata before uploading.", seed=seed))) == [None]


def test_without_a_prompt_column_the_check_still_runs():
    table = rows("Based on the provided description, she is calm.").drop_columns([c.PROMPT])
    assert flags(CheckLeak()(table)) == ["leak"]
