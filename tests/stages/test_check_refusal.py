from check_rows import flags, rows

from schemas import columns as c
from stages.check_refusal import CheckRefusal


def test_refusals_and_denials_are_flagged_with_the_phrase():
    table = CheckRefusal()(rows(
        "I'm sorry, but I can't listen to audio files.",
        "As an AI language model, I do not have ears.",
        "抱歉，我无法听到音频内容。",
        "Je suis désolé, mais je ne peux pas écouter l'audio.",
        "К сожалению, я не могу прослушать аудиозапись.",
        "You haven't provided an audio clip yet.",
    ))  # fmt: skip
    assert flags(table) == ["refusal"] * 6
    assert table[c.FLAG_DETAIL][0].as_py() == "refuses or denies hearing the audio: \"i can't listen to audio\""


def test_statements_about_the_audio_and_honest_limits_are_not_refusals():
    table = CheckRefusal()(rows(
        "I can't hear any music in this clip; there is only a cat meowing.",
        "I can't tell the speaker's age from the recording, but she sounds like an adult.",
        "In the audio you provided, a woman asks for the salt.",
        "She says \"I cannot hear the audio\" to someone on the phone.",  # quoted speech is not the model's
    ))  # fmt: skip
    assert flags(table) == [None] * 4


def test_a_phrase_the_seed_holds_is_the_clip_s_not_the_model_s():
    seed = "[00:00-00:03] Sorry, I can't help with that today. (Gender: Male, Duration: 3s)"
    assert flags(CheckRefusal()(rows("He says: sorry, I can't help with that today.", seed=seed))) == [None]


def test_rows_flagged_by_an_earlier_check_keep_their_flag():
    table = rows("I cannot listen to audio.", "I cannot listen to audio.")
    table = table.append_column(c.FLAG, [["leak", None]]).append_column(c.FLAG_DETAIL, [["earlier", None]])
    out = CheckRefusal()(table)
    assert flags(out) == ["leak", "refusal"]
    assert out[c.FLAG_DETAIL][0].as_py() == "earlier"
