"""The OpenAI-compatible adapter against a local stub server (never the internet)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from eval_helpers import GOLD_DIR

from natostance.evaluation.baselines import run_baseline
from natostance.errors import InputError
from natostance.evaluation.check import check_submission


class Stub(BaseHTTPRequestHandler):
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Stub.requests.append((self.path, self.headers.get("Authorization"), body))
        user = body["messages"][1]["content"]
        if user.startswith("Sentence:"):
            content = json.dumps({"checkworthy": any(c.isdigit() for c in user), "score": 0.5})
        elif "Russia" in user.split("\n")[0]:
            content = 'Sure! {"label": "favor", "holder": "quoted"}'
        elif "Ukraine" in user.split("\n")[0]:
            content = "I cannot answer that."  # invalid: falls back to none
        else:
            content = json.dumps({"label": "neutral", "holder": "author"})
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    Stub.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


def test_adapter_writes_a_valid_zero_shot_submission(stub, tmp_path, gold, monkeypatch):
    monkeypatch.setenv("NATOSTANCE_LLM_API_KEY", "test-key")
    path = run_baseline("openai", gold, tmp_path / "llm.jsonl", base_url=stub, model="stub-model")
    preds = check_submission(path, gold=GOLD_DIR)
    meta = json.loads((tmp_path / "llm.meta.json").read_text())
    assert meta["trained_on"] == [] and meta["parameters"]["model"] == "stub-model"
    ukraine = [k for k in preds.by_task["sentence_stance"] if k[1] == "ukraine"]
    assert meta["parameters"]["invalid_answers"] == len(ukraine) > 0
    assert preds.by_task["sentence_stance"]["a4-0000", "russia"] == {"label": "favor", "holder": "quoted"}
    assert preds.by_task["sentence_stance"][ukraine[0]]["label"] == "none"
    assert preds.by_task["claim_detection"]["a4-0001",]["checkworthy"] is True
    path_, auth, body = Stub.requests[0]
    assert path_ == "/v1/chat/completions" and auth == "Bearer test-key"
    assert body["model"] == "stub-model" and body["temperature"] == 0 and "favor" in body["messages"][0]["content"]


def test_adapter_needs_an_endpoint(gold, tmp_path, monkeypatch):
    monkeypatch.delenv("NATOSTANCE_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("NATOSTANCE_LLM_MODEL", raising=False)
    with pytest.raises(InputError, match="expected --base-url and --model"):
        run_baseline("openai", gold, tmp_path / "x.jsonl")
