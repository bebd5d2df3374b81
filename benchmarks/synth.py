"""Synthetic corpora for the benchmarks: seed paragraphs recombined into articles in every raw format."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
FORMATS = {"plain": 0.30, "markdown": 0.25, "wordpress": 0.20, "jsonl": 0.20, "html": 0.05}
CRAWL = {"plain": 0.0, "markdown": 0.0, "wordpress": 0.0, "jsonl": 0.95, "html": 0.05}  # a dump plus pages
TEXT = {k: v for k, v in FORMATS.items() if k != "html"}  # the text formats in FORMATS' proportions


def seed_paragraphs() -> list[str]:
    table = pq.read_table(REPO / "dataset" / "data" / "articles", columns=["text"])
    return [p for text in table.column("text").to_pylist() for p in text.split("\n\n")]


def _article(rng: random.Random, paras: list[str]) -> tuple[str, list[str]]:
    body = rng.sample(paras, rng.randint(8, 15))
    return f"Synthetic headline {rng.randrange(10**9)} on NATO and Russia", body


def _plain(title, body, rng):
    head = [title, "By Staff", f"Global Research, March {rng.randint(1, 28)}, 2021", "Region: Europe Theme: NATO"]
    tail = ["Become a Member of Global Research", "For media inquiries: publications@globalresearch.ca"]
    return "\n\n".join(head + body + tail) + "\n"


def _markdown(title, body, rng):
    linked = [p.replace(" NATO ", " [NATO](#) ", 1) for p in body]
    return "\n\n".join([title, "Posted on January 27, 2022", "Tags: [NATO](#), [Russia](#)", *linked,
                        "<https://twitter.com/x/status/1>"]) + "\n"


def _wordpress(title, body, rng):
    html = "".join(f'<p class="paragraph">   {p}   </p>\n' for p in body) + "<div>This post appeared first on x.com</div>"
    return json.dumps({"id": rng.randrange(10**6), "date": "2025-02-13T11:38:35", "link": "https://example.org/p/",
                       "title": {"rendered": title}, "content": {"rendered": html, "protected": False},
                       "class_list": ["post", "category-world-news"]}, ensure_ascii=False)


def _html(title, body, rng):
    nav = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(40))
    paras = "".join(f"<p>{p}</p>" for p in body)
    return (f"<!DOCTYPE html><html><head><title>{title}</title><style>p{{margin:0}}</style></head><body>"
            f"<nav><ul>{nav}</ul></nav><article><h1>{title}</h1><p class='byline'>By Staff</p>{paras}</article>"
            "<aside>Related: more stories</aside><footer>© Example News</footer></body></html>")


def make_corpus(out: Path, n: int, seed: int = 1, mix: dict[str, float] | None = None,
                per_dump: int = 100) -> dict[str, int]:
    """Write ``n`` articles into ``out`` (JSONL articles grouped ``per_dump`` per file). Returns articles per format."""
    rng = random.Random(seed)
    paras = seed_paragraphs()
    out.mkdir(parents=True, exist_ok=True)
    mix = mix or FORMATS
    counts = dict.fromkeys(mix, 0)
    jsonl: list[str] = []
    names, weights = list(mix), list(mix.values())
    for i in range(n):
        fmt = rng.choices(names, weights)[0]
        title, body = _article(rng, paras)
        counts[fmt] += 1
        if fmt == "jsonl":
            jsonl.append(json.dumps({"text": "\n\n".join(body), "title": title, "published": "2023-05-01"}))
            if len(jsonl) == per_dump:
                (out / f"{i:07d}.jsonl").write_text("\n".join(jsonl) + "\n", encoding="utf-8")
                jsonl = []
            continue
        maker = {"plain": _plain, "markdown": _markdown, "wordpress": _wordpress, "html": _html}[fmt]
        (out / f"{i:07d}.txt").write_text(maker(title, body, rng), encoding="utf-8")
    if jsonl:
        (out / f"{n:07d}.jsonl").write_text("\n".join(jsonl) + "\n", encoding="utf-8")
    return counts
