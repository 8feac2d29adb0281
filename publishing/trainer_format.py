"""The DeSTA trainer's JSONL record and the rules its loader enforces, as pure functions.

One record per line: `{"messages": [system, user with audios], "response": target}`
(kehanlu/DeSTA2.5-Audio docs/train.md). `trainer_problems` is the single statement of the rules:
the export calls it on every record before writing it, and the tests call it on what was written.
"""

from __future__ import annotations

from typing import Any

from schemas.records import AUDIO_MARKER

ROLES = ("system", "user")


def to_trainer_record(row: dict[str, Any]) -> dict[str, Any]:
    """An output row (or any dict with `messages` and `response`) -> the trainer's record.

    Message keys keep their order (role, content, audios); a null `audios` (the system turn) is dropped.
    """
    messages = []
    for message in row.get("messages") or []:
        messages.append({key: value for key, value in message.items() if not (key == "audios" and value is None)})
    return {"messages": messages, "response": row.get("response")}


def trainer_problems(record: Any) -> list[str]:
    """Every way `record` breaks the trainer's rules; [] when it is valid.

    - `messages` is a non-empty list of system and user turns only (never the assistant's), with a user turn;
    - each turn's `content` is a string; `audios`, where present, a list of {audio: non-empty str, text: str};
    - the `<|AUDIO|>` markers across all turns equal the number of `audios` entries;
    - `response` is a non-empty string.
    """
    if not isinstance(record, dict):
        return [f"a record must be a JSON object, got {type(record).__name__}"]
    problems = []
    response = record.get("response")
    if not isinstance(response, str) or not response.strip():
        problems.append(f"response must be a non-empty string, got {response!r:.40}")
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        return problems + [f"messages must be a non-empty list, got {messages!r:.40}"]
    markers = audios = 0
    roles = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            problems.append(f"{where} must be an object")
            continue
        role = message.get("role")
        roles.append(role)
        if role not in ROLES:
            problems.append(f"{where}.role must be system or user, got {role!r}")
        content = message.get("content")
        if not isinstance(content, str):
            problems.append(f"{where}.content must be a string, got {type(content).__name__}")
        else:
            markers += content.count(AUDIO_MARKER)
        entries = message.get("audios")
        if entries is None:
            continue
        if not isinstance(entries, list):
            problems.append(f"{where}.audios must be a list, got {type(entries).__name__}")
            continue
        audios += len(entries)
        for number, entry in enumerate(entries):
            problems.extend(_audio_problems(entry, f"{where}.audios[{number}]"))
    if "user" not in roles:
        problems.append("messages need a user turn")
    if markers != audios:
        problems.append(f"{markers} {AUDIO_MARKER} marker(s) but {audios} audios entr{'y' if audios == 1 else 'ies'}")
    return problems


def _audio_problems(entry: Any, where: str) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where} must be an object with audio and text"]
    problems = []
    if not isinstance(entry.get("audio"), str) or not entry["audio"]:
        problems.append(f"{where}.audio must be a non-empty path, got {entry.get('audio')!r:.40}")
    if not isinstance(entry.get("text"), str):
        problems.append(f"{where}.text must be a string (a single space when there is no transcript), got {entry.get('text')!r:.40}")
    return problems


def audio_paths(record: dict[str, Any]) -> list[str]:
    """The audio paths a (valid) record references, in order."""
    return [entry["audio"] for message in record["messages"] for entry in message.get("audios") or []]
