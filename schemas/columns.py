"""Column names shared by every stage and table. Use these constants, never string literals."""

# Identity and provenance of a clip (assigned at ingest, never rewritten).
SOURCE = "dataset"  # the source dataset's name, as in the released DeSTA-AQA5M
DOMAIN = "domain"  # speech | sound | music
CLIP_ID = "clip_id"  # "<source>/<manifest id or audio path[@start-end]>"
UNIT = "unit"  # unit of work: "<source>/<manifest chunk>"; resume and commit bookkeeping
INPUT_REF = "input_ref"  # "<manifest path>:<line number>", for error messages
AUDIO_PATH = "audio_path"  # the audio path as written in the manifest (relative to the source root)
AUDIO_URI = "audio_uri"  # absolute local path or fsspec URL that the decoder opens
START_S = "start_s"  # segment start in seconds (null: whole file)
END_S = "end_s"  # segment end in seconds (null: to the end of the file)
TRANSCRIPT = "transcript"
LABELS = "labels"  # sound-event / music tags
CAPTION = "caption"
ATTRIBUTES = "attributes"  # JSON object: the source's own attributes, spelled as the source spells them
TURNS = "turns"  # JSON list of speaker turns ({start, end, transcript, attributes...}); "[]" for a single clip
DECLARED_DURATION_S = "declared_duration_s"  # length the manifest/adapter states (null: unknown); budgets and plan read it

# Probe.
DURATION_S = "duration_s"
SAMPLE_RATE = "sample_rate"
CHANNELS = "channels"

# Describe.
SEED_DESCRIPTION = "seed_description"
METADATA = "metadata"  # JSON object: normalised attributes (names and values in the project's vocabulary)

# Prompts.
ID = "id"  # row id: "<clip_id>#<prompt_index>"
PROMPT_INDEX = "prompt_index"
PROMPT_ID = "prompt_id"
PROMPT = "prompt"

# Messages and generation.
MESSAGES = "messages"  # training messages (system + user with the audio placeholder)
LLM_MESSAGES = "llm_messages"  # what the LLM sees: the placeholder replaced by the seed description
LLM_TOKEN_IDS = "llm_token_ids"  # those messages through the chat template: what the engine generates from
SAMPLING_SEED = "sampling_seed"
RESPONSE = "response"
RESPONSE_TOKEN_IDS = "response_token_ids"  # the engine's answer as token ids, until the checks step decodes it
MODEL = "model"
TEMPERATURE = "temperature"
TOP_P = "top_p"
MAX_TOKENS = "max_tokens"
FINISH_REASON = "finish_reason"
PROMPT_TOKENS = "prompt_tokens"
COMPLETION_TOKENS = "completion_tokens"
ENGINE_ERROR = "engine_error"  # the engine's error for this row, "" when none

# Row filtering: a stage marks a bad row instead of raising; pipeline/ moves it to quarantine.
KEEP = "keep"
DROP_REASON = "drop_reason"
DROP_DETAIL = "drop_detail"
DROP_STAGE = "stage"

# Response checks: a flagged row is a bad training target (not a bad input). It leaves the shards for
# DIR/flagged/ with its reason, after any retries.
FLAG = "flag"  # the first check in order that flagged the row (refusal, leak, ...); null: it passed
FLAG_DETAIL = "flag_detail"  # what that check found, for a reader
ATTEMPT = "attempt"  # which generation of the row this is: 1, then 2, 3, ... for retries
