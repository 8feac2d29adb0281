from check_rows import flags, rows

from schemas import columns as c
from stages.check_truncation import CheckTruncation, TruncationConfig

LONG_CUT = " ".join(["The speaker describes a long and quiet evening by the harbour"] * 3) + " while the"


def test_finish_reason_length_is_final():
    table = CheckTruncation()(rows("A complete sentence.", finish="length", max_tokens=[96]))
    assert flags(table) == ["truncated"]
    assert table[c.FLAG_DETAIL][0].as_py() == "finish_reason length: generation stopped at the token budget of 96"


def test_without_finish_reason_long_unended_and_dangling_responses_are_cut():
    table = CheckTruncation()(rows(LONG_CUT, "She is excited because it was the best concert she has been to in", finish=None))
    assert flags(table) == ["truncated", "truncated"]
    assert table[c.FLAG_DETAIL][1].as_py().startswith("ends on 'in'")
    assert flags(CheckTruncation()(rows(LONG_CUT).drop_columns([c.FINISH_REASON]))) == ["truncated"]  # the release has no finish_reason


def test_short_answers_lists_and_verse_pass():
    table = CheckTruncation()(rows(
        "Female",
        "A single stroke on a mridangam, a South Indian drum",
        "Tags:\n- rain\n- thunder\n- storm",
        "Rain on the roof\nthunder far across the hills\nthe night holds its breath",
        "说话人说的是普通话",
        LONG_CUT + ".",
    ))  # fmt: skip
    assert flags(table) == [None] * 6


def test_the_length_threshold_is_configurable():
    assert flags(CheckTruncation(TruncationConfig(min_words=200))(rows(LONG_CUT.replace(" while the", " at night")))) == [None]
