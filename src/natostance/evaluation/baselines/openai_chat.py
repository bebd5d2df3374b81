"""Zero-shot adapter for any OpenAI-compatible chat endpoint (``POST {base_url}/chat/completions``).

The prompt is built from the label file (label names and descriptions: the annotation guidelines' short form),
one request per (unit, target) for stance and one per sentence for check-worthiness; the model answers with
a JSON object. Answers that are not valid JSON or name an unknown label fall back to ``none`` / not
check-worthy and are counted in the metadata (``parameters.invalid_answers``). Claim spans are not predicted.

Configuration: ``base_url``/``model``/``api_key`` arguments, else the environment variables
``NATOSTANCE_LLM_BASE_URL``, ``NATOSTANCE_LLM_MODEL``, ``NATOSTANCE_LLM_API_KEY``. Nothing is contacted unless a
base URL is given; the tests use a local stub server.
"""

from __future__ import annotations

import json
import os
import urllib.request

from natostance.evaluation.baselines import common as C
from natostance.errors import InputError
from natostance.labels import descriptions, labels, titles

PROMPT_VERSION = "1"
MAX_ARTICLE_CHARS = 6000


def system_prompt(kind: str) -> str:
    if kind == "checkworthy":
        return (
            "You label sentences of news articles about NATO, Russia and the United States. A sentence is "
            "check-worthy if it contains a factual claim that a fact-checker could verify. Answer only with "
            'JSON: {"checkworthy": true or false, "score": a number from 0 to 1}.'
        )
    lines = [f"- {s}: {d}" for s, d in descriptions("stance").items()]
    holders = [f"- {h}: {d}" for h, d in descriptions("holder").items()]
    return (
        "You label the stance of news text towards a target. Stance labels:\n"
        + "\n".join(lines)
        + "\nHolder (whose stance it is):\n"
        + "\n".join(holders)
        + '\nAnswer only with JSON: {"label": one stance label, "holder": one holder label}.'
    )


def user_prompt(text: str, target: str | None = None) -> str:
    if target is None:
        return f"Sentence: {text}"
    desc = descriptions("target")[target]
    return f"Target: {titles('target')[target]} ({desc})\nText: {text[:MAX_ARTICLE_CHARS]}"


class ChatClient:
    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 60.0):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.api_key, self.timeout = model, api_key, timeout

    def ask(self, system: str, user: str) -> str:
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(self.url, json.dumps(body).encode("utf-8"), headers, method="POST")
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            return json.loads(resp.read())["choices"][0]["message"]["content"]


def _parse(answer: str) -> dict:
    try:
        start, end = answer.index("{"), answer.rindex("}") + 1
        doc = json.loads(answer[start:end])
        return doc if isinstance(doc, dict) else {}
    except ValueError:
        return {}


TRAINS = False


def predict(gold, fold, base_url: str | None = None, model: str | None = None, api_key: str | None = None):
    base_url = base_url or os.environ.get("NATOSTANCE_LLM_BASE_URL")
    model = model or os.environ.get("NATOSTANCE_LLM_MODEL")
    if not base_url or not model:
        raise InputError(
            "openai baseline",
            "expected --base-url and --model (or NATOSTANCE_LLM_BASE_URL and NATOSTANCE_LLM_MODEL), found none",
        )
    client = ChatClient(base_url, model, api_key or os.environ.get("NATOSTANCE_LLM_API_KEY"))
    u = C.units(gold, fold)
    stance, holders, invalid, rows = labels("stance"), labels("holder"), 0, []
    for task, keys in (("sentence_stance", u["stance"]), ("article_stance", u["article_stance"])):
        for unit_id, target in keys:
            doc = _parse(client.ask(system_prompt("stance"), user_prompt(C.text_of(gold, unit_id), target)))
            label = doc.get("label") if doc.get("label") in stance else None
            invalid += label is None
            row = {"task": task, "unit_id": unit_id, "target": target, "label": label or "none"}
            if task == "sentence_stance":
                row["holder"] = doc.get("holder") if doc.get("holder") in holders else None
            rows.append(row)
    for sid in u["sentences"]:
        doc = _parse(client.ask(system_prompt("checkworthy"), user_prompt(C.text_of(gold, sid))))
        ok = isinstance(doc.get("checkworthy"), bool) and isinstance(doc.get("score"), (int, float))
        invalid += not ok
        rows.append(
            {
                "task": "claim_detection",
                "unit_id": sid,
                "checkworthy": bool(doc.get("checkworthy")) if ok else False,
                "score": float(doc["score"]) if ok else 0.0,
            }
        )
    meta = C.meta(
        gold,
        f"zero-shot {model}",
        "Zero-shot prompt built from the label file, via an OpenAI-compatible chat endpoint.",
        [],
        {"model": model, "prompt_version": PROMPT_VERSION, "invalid_answers": invalid, "temperature": 0},
    )
    meta["kind"] = "system"
    return rows, meta
