"""A Hub-shaped HTTP server on loopback for push tests: it records every request and keeps the files
committed per repo, speaking just enough of the Hub's API for huggingface_hub's create_repo and
upload_folder (create repo, validate YAML, list tree, preupload, commit, repo info). Every file is
answered as a regular (inline) upload: the Xet transfer of large files is not emulated."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "hf_testSECRETtoken0123456789abcdefXYZ"


def git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub:
    """Records requests; keeps the files committed per repo; `fail_create` answers create with a 403."""

    def __init__(self):
        self.requests: list[dict] = []
        self.repos: dict[str, dict[str, bytes]] = {}
        self.commits: list[dict] = []
        self.fail_create = False
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._handle()

            def do_POST(self):
                self._handle()

            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hub.requests.append({"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                status, payload = hub.answer(self.command, self.path.split("?")[0], body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def answer(self, method: str, path: str, body: bytes):
        if path == "/api/repos/create":
            payload = json.loads(body)
            if self.fail_create:
                return 403, {"error": f"You are not allowed to create this repo with token {TOKEN}"}
            repo = f"{payload['organization']}/{payload['name']}"
            self.repos.setdefault(repo, {".gitattributes": b"*.parquet filter=lfs\n"})
            return 200, {"url": f"{self.url}/datasets/{repo}", "name": repo}
        if path == "/api/validate-yaml":
            return 200, {"errors": [], "warnings": []}
        match = re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/(tree|preupload|commit|revision)/main(/.*)?", path)
        if not match or match[1] not in self.repos:
            return 404, {"error": f"not found: {path}"}
        files, action = self.repos[match[1]], match[2]
        if action == "tree":
            return 200, [{"type": "file", "path": p, "size": len(d), "oid": git_blob_sha(d)} for p, d in sorted(files.items())]
        if action == "preupload":
            asked = json.loads(body)["files"]
            return 200, {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False,
                                    "oid": git_blob_sha(files[f["path"]]) if f["path"] in files else None} for f in asked]}  # fmt: skip
        if action == "revision":
            return 200, {"id": match[1], "sha": "0" * 40, "siblings": []}
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        commit = {"header": lines[0]["value"], "added": {}, "deleted": []}
        for line in lines[1:]:
            if line["key"] == "file":
                commit["added"][line["value"]["path"]] = base64.b64decode(line["value"]["content"])
            elif line["key"] == "deletedFile":
                commit["deleted"].append(line["value"]["path"])
        for deleted in commit["deleted"]:
            files.pop(deleted, None)
        files.update(commit["added"])
        self.commits.append(commit)
        return 200, {"commitUrl": f"{self.url}/datasets/{match[1]}/commit/{len(self.commits):040x}", "commitOid": f"{len(self.commits):040x}"}

    def close(self):
        self.server.shutdown()
