"""BuildMessages: the trainer's messages (audio placeholder) and the LLM's view (seed description)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from schemas import columns as c
from schemas.records import AUDIO_MARKER, AUDIO_PLACEHOLDER, Message
from schemas.tables import MESSAGES_TYPE, schema_of
from stages.build_messages import DEFAULT_SYSTEM_PROMPT, BuildMessages, MessagesConfig

SEED = "[00:00-00:02] Hello there. (Gender: Female, Duration: 2s)"


def build(rows, config=None) -> list[dict]:
    table = pa.Table.from_pylist(
        [
            {c.PROMPT: r.get("prompt", "What is said?"), c.SEED_DESCRIPTION: r.get("seed", SEED),
             c.AUDIO_PATH: r.get("audio", "demo/audio/a.wav"), c.TRANSCRIPT: r.get("transcript")}
            for r in rows
        ],  # fmt: skip
        schema=schema_of((c.PROMPT, c.SEED_DESCRIPTION, c.AUDIO_PATH, c.TRANSCRIPT)),
    )
    out = BuildMessages(config)(table)
    assert out.schema.field(c.MESSAGES).type == MESSAGES_TYPE
    assert out.schema.field(c.LLM_MESSAGES).type == MESSAGES_TYPE
    return out.to_pylist()


def test_training_messages_follow_the_trainer_rules():
    (row,) = build([{"prompt": "What is said?", "transcript": "Hello there.", "audio": "demo/audio/a.wav"}])
    system, user = row[c.MESSAGES]
    assert len(row[c.MESSAGES]) == 2
    assert (system["role"], system["content"], system["audios"]) == ("system", DEFAULT_SYSTEM_PROMPT, None)
    assert user["role"] == "user"
    assert user["content"] == f"What is said? {AUDIO_PLACEHOLDER}"
    assert user["content"].count(AUDIO_MARKER) == 1 == len(user["audios"])
    assert user["audios"] == [{"audio": "demo/audio/a.wav", "text": "Hello there."}]
    for message in row[c.MESSAGES]:
        Message.model_validate(message)  # the record shape accepts it


@pytest.mark.parametrize("transcript", [None, "", "   "])
def test_audio_text_is_a_single_space_without_a_transcript(transcript):
    (row,) = build([{"transcript": transcript}])
    assert row[c.MESSAGES][1]["audios"][0]["text"] == " "


def test_llm_messages_replace_the_marker_with_the_seed_description():
    (row,) = build([{"prompt": "Describe the clip.", "seed": SEED}])
    system, user = row[c.LLM_MESSAGES]
    assert (system["role"], system["content"]) == ("system", DEFAULT_SYSTEM_PROMPT)
    assert user["role"] == "user"
    assert user["content"] == f"Describe the clip. <start_audio>{SEED}<end_audio>"
    assert AUDIO_MARKER not in user["content"]
    assert user["audios"] is None


def test_each_row_gets_its_own_prompt_audio_and_description():
    rows = build(
        [
            {"prompt": "P1?", "seed": "[00:00-00:01] (Duration: 1s)", "audio": "x/1.wav", "transcript": "one"},
            {"prompt": "P2?", "seed": "[00:00-00:03] (Duration: 3s)", "audio": "x/2.wav", "transcript": None},
        ]
    )
    assert [r[c.MESSAGES][1]["audios"][0]["audio"] for r in rows] == ["x/1.wav", "x/2.wav"]
    assert [r[c.MESSAGES][1]["audios"][0]["text"] for r in rows] == ["one", " "]
    assert [r[c.LLM_MESSAGES][1]["content"] for r in rows] == [
        "P1? <start_audio>[00:00-00:01] (Duration: 1s)<end_audio>",
        "P2? <start_audio>[00:00-00:03] (Duration: 3s)<end_audio>",
    ]


def test_custom_system_prompt_and_template():
    config = MessagesConfig(system_prompt="Be brief.", user_template=f"{AUDIO_PLACEHOLDER}\nQuestion: {{prompt}}")
    (row,) = build([{"prompt": "Who speaks?"}], config)
    assert row[c.MESSAGES][0]["content"] == "Be brief."
    assert row[c.MESSAGES][1]["content"] == f"{AUDIO_PLACEHOLDER}\nQuestion: Who speaks?"
    assert row[c.LLM_MESSAGES][1]["content"] == f"<start_audio>{SEED}<end_audio>\nQuestion: Who speaks?"


@pytest.mark.parametrize(
    "template",
    ["{prompt}", "{prompt} <|AUDIO|>", f"{AUDIO_PLACEHOLDER} only", f"{{prompt}} {AUDIO_PLACEHOLDER} {AUDIO_PLACEHOLDER}"],
)
def test_template_without_exactly_one_placeholder_and_prompt_raises(template):
    with pytest.raises(ValueError):
        BuildMessages(MessagesConfig(user_template=template))


def test_template_with_an_extra_bare_marker_raises():
    with pytest.raises(ValueError):
        BuildMessages(MessagesConfig(user_template=f"{{prompt}} {AUDIO_MARKER} {AUDIO_PLACEHOLDER}"))
