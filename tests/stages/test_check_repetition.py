from check_rows import flags, rows

from schemas import columns as c
from stages.check_repetition import CheckRepetition, RepetitionConfig, longest_loop


def test_the_issue_s_loops_are_flagged():
    detective = "The character is a female detective. " * 3 + "The character is a"
    solo = "The music is a solo performance of a solo guitar solo. " * 4
    table = CheckRepetition()(rows(detective, solo.strip(), "solo guitar " * 8))
    assert flags(table) == ["repetition"] * 3
    assert table[c.FLAG_DETAIL].to_pylist() == [
        "'the character is a female detective' repeated 3 times in a row",
        "'the music is a solo performance of a solo guitar solo' repeated 4 times in a row",
        "'solo guitar' repeated 8 times in a row",
    ]


def test_sentences_said_again_and_again_and_cjk_loops():
    spaced = "It is rainy. The dog barks loudly outside. It is late. The dog barks loudly outside. Cars pass. The dog barks loudly outside."
    table = CheckRepetition()(rows(spaced, "说话人说她每个月打一次电话。" * 4))
    assert flags(table) == ["repetition", "repetition"]
    assert table[c.FLAG_DETAIL][0].as_py() == "the sentence 'the dog barks loudly outside' said 3 times"


def test_ordinary_answers_and_the_clip_s_own_repetition_pass():
    seed = "[00:00-00:03] No, no, no, no, no, no, no, no! (Gender: Female, Emotion: Angry, Duration: 3s)"
    table = CheckRepetition()(rows(
        "The speaker says the weather is sunny. The speaker sounds calm and the speaker is male.",
        "She shouts no, no, no, no, no, no, no, no in an angry voice.",
        "Yes. Yes. Yes.",
        seed=seed,
    ))  # fmt: skip
    assert flags(table) == [None, None, None]


def test_thresholds_come_from_the_config():
    twice = "The dog barks loudly outside. The dog barks loudly outside."
    assert flags(CheckRepetition()(rows(twice))) == [None]
    assert flags(CheckRepetition(RepetitionConfig(max_sentence_repeats=1))(rows(twice))) == ["repetition"]


def test_longest_loop_finds_the_unit_and_its_repeats():
    tokens = "a b c x y x y x y x y d".split()
    assert longest_loop(tokens) == (3, 2, 4)
