"""The datasheet answers (``datasheet_answers.yaml``) and the DATASHEET.md blocks rendered from them.

The same answers fill the ``rai:`` fields of ``croissant.json``; DATASHEET.md shows them in blocks named
``answer-<key>`` (any key under ``rai``), next to the ``distribution`` and ``citation`` blocks generated
here from the manifest. So the prose is written once and every number comes from the dataset.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ANSWERS = Path(__file__).with_name("datasheet_answers.yaml")


@lru_cache(maxsize=1)
def answers() -> dict[str, Any]:
    """The datasheet answers shared by DATASHEET.md and the Croissant ``rai:`` fields."""
    return yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))


def citation(version: str) -> str:
    return answers()["citation"].replace("{version}", version)


def _render(value: Any) -> str:
    if isinstance(value, list):
        return "".join(f"- {v}\n" for v in value)
    return f"{value}\n"


def _distribution(manifest: dict[str, Any]) -> str:
    version, files = manifest["dataset_version"], manifest["files"]
    lines = ["| file | rows | bytes |", "|---|---|---|"]
    lines += [f"| `{path}` | {e.get('rows', '—')} | {e['bytes']} |" for path, e in sorted(files.items())
              if not path.startswith("raw/")]
    raw = [p for p in files if p.startswith("raw/")]
    raw_bytes = sum(files[p]["bytes"] for p in raw)
    text_free = manifest.get("text_free")
    lines += ["", f"Plus `raw/`: {len(raw)} file(s), {raw_bytes} bytes"
              + (" (text-free build: only `sources.yaml`; the article files are not distributed)." if text_free
                 else ", every raw article byte for byte with `sources.yaml`."),
              f"This is {'a text-free' if text_free else 'the full'} build of dataset version {version}; "
              f"`manifest.json` lists every file's size and SHA-256.", "",
              "```python",
              "from datasets import load_dataset",
              f'sentences = load_dataset("<hub repo>", "sentences", revision="v{version}")  # or a local folder',
              "",
              "import mlcroissant as mlc  # Croissant 1.0, with the Responsible-AI fields",
              'records = mlc.Dataset("dataset/croissant.json").records("sentences")',
              "```", ""]
    return "\n".join(lines)


def blocks(manifest: dict[str, Any]) -> dict[str, str]:
    """DATASHEET.md blocks: ``answer-<key>`` per RAI answer, ``distribution`` and ``citation``."""
    out = {f"answer-{k}": _render(v) for k, v in answers()["rai"].items()}
    out["distribution"] = _distribution(manifest)
    out["citation"] = "```bibtex\n" + citation(manifest["dataset_version"]) + "\n```\n"
    return out
