"""`desta-data push`: a sharded folder (shards + README.md card + manifest.json) -> a Hub dataset repo.

`create_repo(repo_type="dataset")`, then `upload_folder`, which in huggingface_hub 2.4 is the resumable
upload (Xet: multi-commit for large folders; re-running an interrupted push skips what was committed).
Shards under `data/` on the Hub that are not in this folder are deleted in the same commit, so the repo
mirrors the folder. The token comes from HF_TOKEN or the usual credential files and is never printed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from publishing.built_output import HUB_SHARD, OutputError
from pipeline.storage import filesystem, is_local, join

CARD, MANIFEST = "README.md", "manifest.json"
REMOTE_DELETE = ["data/*.parquet", "plots/*.png"]  # stale shards and plots of an earlier push


class PublishError(Exception):
    """The push cannot start (no token, bad repo id) or the Hub refused it; the message never holds the token."""


@dataclass(frozen=True)
class PlannedFile:
    local: str  # path on this machine
    repo_path: str  # destination in the repo
    bytes: int


def upload_plan(folder: str) -> list[PlannedFile]:
    """Exactly the files a push uploads, in upload order: the card, the manifest, the shards.
    `folder` may be a URL (for --dry-run); the upload itself reads a local copy."""
    fs, root = filesystem(folder)
    data = join(root, "data")
    shards = sorted(p.rsplit("/", 1)[-1] for p in fs.glob(f"{data}/*.parquet")) if fs.exists(data) else []
    shards = [name for name in shards if HUB_SHARD.match(name)]
    missing = [name for name in (CARD, MANIFEST) if not fs.isfile(join(root, name))]
    if missing or not any(name.startswith("train-") for name in shards):
        what = ", ".join(missing) if missing else "data/train-*.parquet shards"
        raise OutputError(f"{folder}: no {what}; push uploads a folder made by `desta-data shard`")
    plots_folder = join(root, "plots")
    plots = sorted(p.rsplit("/", 1)[-1] for p in fs.glob(f"{plots_folder}/*.png")) if fs.exists(plots_folder) else []
    relative = [CARD, MANIFEST, *(f"plots/{name}" for name in plots), *(f"data/{name}" for name in shards)]
    return [PlannedFile(join(folder, rel), rel, fs.size(join(root, rel))) for rel in relative]


def format_plan(plan: list[PlannedFile], repo_id: str, private: bool, endpoint: str) -> str:
    total = sum(item.bytes for item in plan)
    lines = [f"push plan: {len(plan)} file(s), {total:,} bytes -> dataset {repo_id} ({'private' if private else 'public'}) at {endpoint}"]
    width = max(len(item.local) for item in plan)
    lines += [f"  {item.local:<{width}}  ->  {item.repo_path}  ({item.bytes:,} bytes)" for item in plan]
    lines.append(f"  remote files matching {', '.join(REMOTE_DELETE)} that are not listed above are deleted")
    lines.append(f"total: {total:,} bytes")
    return "\n".join(lines)


def check_repo_id(repo_id: str) -> str:
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(repo_id)
    except HFValidationError as error:
        raise PublishError(f"--repo-id {repo_id!r}: {error}") from None
    if repo_id.count("/") != 1:
        raise PublishError(f"--repo-id {repo_id!r}: expected ORG/NAME")
    return repo_id


def hub_endpoint(endpoint: str | None) -> str:
    from huggingface_hub import constants

    return (endpoint or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def resolve_token() -> str:
    """HF_TOKEN, else the credential file `hf auth login` writes; PublishError when neither is set."""
    from huggingface_hub import get_token

    token = get_token()
    if not token:
        raise PublishError("no Hugging Face token: set HF_TOKEN or run `hf auth login` (a write token for the repo's namespace)")
    return token


@contextlib.contextmanager
def local_folder(url: str) -> Iterator[str]:
    """The folder itself when local; else a temporary local copy of it (upload_folder reads local files)."""
    if is_local(url):
        yield filesystem(url)[1]
        return
    fs, root = filesystem(url)
    with tempfile.TemporaryDirectory(prefix="desta-push-") as scratch:
        for name in (CARD, MANIFEST):
            if fs.exists(join(root, name)):
                fs.get(join(root, name), os.path.join(scratch, name))
        for folder, pattern in (("data", "*.parquet"), ("plots", "*.png")):
            os.makedirs(os.path.join(scratch, folder))
            for path in fs.glob(f"{join(root, folder)}/{pattern}"):
                fs.get(path, os.path.join(scratch, folder, path.rsplit("/", 1)[-1]))
        yield scratch


def push(folder: str, repo_id: str, token: str, *, private: bool = False, endpoint: str | None = None,
         commit_message: str = "Upload with desta-data") -> str:  # fmt: skip
    """Create the dataset repo if needed and upload the planned files; returns the commit URL."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    plan = upload_plan(folder)
    api = HfApi(endpoint=hub_endpoint(endpoint), token=token)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        info = api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=folder,
            allow_patterns=[item.repo_path for item in plan],
            delete_patterns=REMOTE_DELETE,
            commit_message=commit_message,
        )
    except (HfHubHTTPError, ValueError, OSError) as error:
        message = " ".join(str(error).replace(token, "***").split())
        raise PublishError(f"push to {repo_id} failed: {error.__class__.__name__}: {message}") from None
    return info.commit_url
