"""The dataset card ``README.md``: YAML front matter (``configs`` + ``dataset_info`` features derived from
the record schemas) and a body generated from the build. Never hand-written: a rebuild regenerates it."""

from __future__ import annotations

from pathlib import Path

import yaml

from natostance import records

from natostance.publish import answers
from natostance.builder.report import BuildReport

CARD_LIST_MAX = 1_000  # articles listed one by one (and values per count table) in the card
SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (10**6, "100K<n<1M"),
         (10**7, "1M<n<10M"), (10**8, "10M<n<100M"), (10**9, "100M<n<1B"), (float("inf"), "n>1B")]
CONFIG_TEXT = {
    "articles": "one row per cleaned article: text, metadata from the file, provenance (raw file and SHA-256)",
    "sentences": "one row per sentence: offsets into the article text (`text[start:end]`), paragraph, split",
    "stance": "gold stance per sentence or article and target (favor/against/neutral/none), with its holder",
    "claims": "gold check-worthy claim spans: offsets into the article text, speaker, claim type",
    "annotations": "every raw label of every annotation pass, before vote and adjudication",
}


def front_matter(report: BuildReport) -> dict:
    configs, infos = [], []
    for i, (config, per_split) in enumerate(report.rows.items()):
        entry = {"config_name": config}
        if i == 0:
            entry["default"] = True
        entry["version"] = report.dataset_version
        entry["data_files"] = [{"split": s, "path": f"data/{config}/{s}-*.parquet"} for s in per_split]
        configs.append(entry)
        infos.append({"config_name": config, "features": records.hf_features(config)})
    n = len(report.articles)
    size = next(name for limit, name in SIZES if n < limit)
    return {
        "pretty_name": "NATO-Stance",
        "license": "other",
        "license_name": "third-party-news-texts",
        "license_details": "Article texts belong to their publishers; see the per-source licence table in DATASHEET.md.",
        "language": ["en"],
        "multilinguality": "monolingual",
        "size_categories": [size],
        "task_categories": ["text-classification", "token-classification"],
        "tags": ["stance-detection", "claim-detection", "news", "nato", "russia", "united-states"],
        "configs": configs,
        "dataset_info": infos,
    }


def _fields_table(config: str) -> list[str]:
    lines = ["| field | type | description |", "|---|---|---|"]
    for f in records.hf_features(config):
        typ = f.get("dtype") or f"list of {f['list']}"
        desc = records.record_schema(config)["properties"][f["name"]].get("description", "")
        lines.append(f"| `{f['name']}` | {typ} | {desc.replace('|', '/')} |")
    return lines


def body(report: BuildReport) -> str:
    out = ["# NATO-Stance", "",
           "News articles about NATO–Russia–US relations, cleaned and segmented into sentences with character",
           "offsets, for stance and claim annotation. Built by `natostance build`; this card is generated.", "",
           f"Dataset version **{report.dataset_version}**. Every file's SHA-256 is in `manifest.json`;",
           "the per-article split assignment is in `splits.json`; "
           + ("**text-free build**: article and sentence texts are null and the raw files are left out "
              "(their SHA-256 are in `raw/sources.yaml`); `natostance rehydrate DIR RAW_DIR` restores the text "
              "from your own copies." if report.text_free else "the raw files are in `raw/` byte for byte."),
           "Croissant 1.0 metadata (with Responsible-AI fields) is in `croissant.json`."
           + (" The cross-validation folds of the gold articles (by article; the benchmark's `cv` protocol) are in "
              "`folds.json`." if "stance" in report.rows else ""), "",
           "## Configs and splits", "", "| config | " + " | ".join(_splits(report)) + " | description |",
           "|---|" + "---|" * len(_splits(report)) + "---|"]
    for config, per in report.rows.items():
        out.append(f"| `{config}` | " + " | ".join(str(per.get(s, 0)) for s in _splits(report))
                   + f" | {CONFIG_TEXT.get(config, '')} |")
    out += ["", "## Loading", "", "```python", "from datasets import load_dataset", ""]
    out += [f'{c} = load_dataset("<path or repo>", "{c}")' for c in report.rows]
    out += ["```", "", "Offsets are Python code points into `articles.text`; "
            "`text[start:end]` is the sentence.", "", "## Sources", ""]
    out += _sources(report)
    out += _labels(report.labelling)
    out += ["", "## Cleaning", "", "Removed or moved to metadata, by rule (totals; per article in `manifest.json`):", "",
            "| rule | count |", "|---|---|"]
    out += [f"| `{rule}` | {n} |" for rule, n in sorted(report.removals.items())]
    for config in report.rows:
        out += ["", f"## Fields: `{config}`", "", *_fields_table(config)]
    out += ["", "## Licence and use", "",
            "The texts belong to their publishers. What may be redistributed, the intended and out-of-scope uses,",
            "and known biases are in DATASHEET.md of the NATO-Stance repository.", "",
            "## Citation", "", "```bibtex", answers.citation(report.dataset_version), "```", ""]
    return "\n".join(out)


def _labels(labelling: dict | None) -> list[str]:
    """Who made the labels, round by round, from the rounds' own records (never a fixed sentence)."""
    if not labelling:
        return []
    from natostance.annotate.rounds import who_text

    by_round = {r["round"]: r for r in labelling["rounds"]}
    gold = labelling["gold_round"]
    out = ["", "## Labels", "",
           f"Gold (`stance`, `claims`) is round {gold}: a value is gold when more than half of the round's annotators "
           "gave it; every other field was decided by an adjudicator with a written reason (rows list their "
           "`adjudicated` fields). The `annotations` config keeps every raw label of every round.", ""]
    out += [f"- {who_text(r)}" + (" (gold)" if r["round"] == gold else "") for r in by_round.values()]
    if any(r["annotators"] == "automated" for r in by_round.values()):
        out += ["", "Agreement between passes of automated annotators of one kind is not agreement between people: "
                "read it as a measure of how decisive the guidelines are, not of how people would label."]
    return out


def _sources(report: BuildReport) -> list[str]:
    """Every article, oldest first, up to ``CARD_LIST_MAX``; beyond that, counts (every article is in splits.json)."""
    if len(report.articles) <= CARD_LIST_MAX:
        out = ["| article_id | raw file | format | outlet | republisher | split date (source) | split | sentences |",
               "|---|---|---|---|---|---|---|---|"]
        for a in sorted(report.articles, key=lambda a: (a["split_date"] or "", a["article_id"])):
            out.append(f"| `{a['article_id']}` | `{a['source_file']}` | {a['source_format']} | {a['outlet'] or '—'} | "
                       f"{a['republisher'] or '—'} | {a['split_date'] or '—'} ({a['split_date_source'] or '—'}) | "
                       f"{a['split']} | {a['n_sentences']} |")
        return out
    dates = report.articles.dates
    out = [f"{len(report.articles):,} articles" + (f", split dates {dates[0]} to {dates[1]}" if dates else "")
           + "; each article's raw file, split and split date are in `splits.json`, its removals in `manifest.json`.", ""]
    for key, title in (("split", "split"), ("source_format", "format"), ("outlet", "outlet")):
        counts = sorted(report.by(key).items(), key=lambda kv: (-kv[1], kv[0]))  # most articles first
        out += [f"| {title} | articles |", "|---|---|", *(f"| {k} | {v:,} |" for k, v in counts[:CARD_LIST_MAX])]
        more = len(counts) - CARD_LIST_MAX
        out += ["", f"({more:,} more not listed)", ""] if more > 0 else [""]
    return out[:-1]


def _splits(report: BuildReport) -> list[str]:
    seen: list[str] = []
    for per in report.rows.values():
        seen += [s for s in per if s not in seen]
    return seen


def write_card(path: Path, report: BuildReport) -> None:
    yml = yaml.safe_dump(front_matter(report), sort_keys=False, allow_unicode=True, width=100)
    path.write_text(f"---\n{yml}---\n\n{body(report)}", encoding="utf-8")
