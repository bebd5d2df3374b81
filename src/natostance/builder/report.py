"""What a build did: rows per config and split, articles per source, removals by rule, rejects, leakage."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from natostance.builder.articleindex import ArticleIndex, summary
from natostance.builder.rejects import Rejects


@dataclass
class BuildReport:
    dataset_version: str
    out_dir: str = ""
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # config -> split -> rows
    articles: ArticleIndex = field(default_factory=ArticleIndex)  # one summary per built article, with counts
    rejected: Rejects = field(default_factory=Rejects)  # the first KEPT in memory, the rest spilled
    leakage: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unmapped: dict[str, Counter] = field(default_factory=dict)  # file -> JSON keys with no column -> records
    text_free: bool = False  # texts blanked, raw files left out (natostance rehydrate restores them)
    labelling: dict[str, Any] | None = None  # who made the labels (goldconfigs.AnnotationInputs.labelling)

    @property
    def removals(self) -> Counter:
        """Rule -> total over all articles."""
        return self.articles.removals

    def add_article(self, article: dict[str, Any], removals: dict[str, int]) -> None:
        self.articles.add(summary(article, removals))

    def note_unmapped(self, source_file: str, keys) -> None:
        self.unmapped.setdefault(source_file, Counter()).update(keys)

    def by(self, key: str) -> dict[str, int]:
        return self.articles.by(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": self.out_dir,
            "dataset_version": self.dataset_version,
            "rows": self.rows,
            "articles_by_source_format": self.by("source_format"),
            "articles_by_outlet": self.by("outlet"),
            "removals": dict(sorted(self.removals.items())),
            "rejected": [r.to_json() for r in self.rejected.head],
            "rejected_total": len(self.rejected),  # rejects.jsonl lists every one
            "unmapped_fields": {f: dict(sorted(c.items())) for f, c in sorted(self.unmapped.items())},
            "leakage": self.leakage,
            "notes": self.notes,
        }

    def summary(self) -> str:
        rows = self.rows
        lines = [f"NATO-Stance {self.dataset_version} built into {self.out_dir}"]
        for config in rows:
            per = ", ".join(f"{s} {n}" for s, n in rows[config].items())
            lines.append(f"  {config:<10} {sum(rows[config].values()):>7}  ({per})")
        lines.append("  by format: " + ", ".join(f"{k} {v}" for k, v in self.by("source_format").items()))
        lines.append("  by outlet: " + ", ".join(f"{k} {v}" for k, v in self.by("outlet").items()))
        lines.append("  removed or moved to metadata, by rule:")
        lines += [f"    {rule:<28} {n:>6}" for rule, n in sorted(self.removals.items())]
        if self.rejected.bad:
            lines.append(f"  rejected ({self.rejected.bad}; see rejects.jsonl):")
            lines += [f"    {r}" for r in self.rejected.bad_head[:20]]
        lines += [f"  dropped by policy: {n} ({reason})" for reason, n in sorted(self.rejected.dropped.items())]
        if self.unmapped:
            lines.append("  fields with no column (kept in raw/ only), per file:")
            lines += [f"    {f}: " + ", ".join(f"{k} ({n})" for k, n in sorted(c.items()))
                      for f, c in sorted(self.unmapped.items())[:20]]
            if len(self.unmapped) > 20:
                lines.append(f"    … and {len(self.unmapped) - 20} more file(s): see --json")
        leaks = sum(x["near_duplicates"] for x in self.leakage)
        lines.append(f"  leakage: {leaks} near-duplicate sentence(s) shared across splits"
                     + "".join(f"; {'/'.join(x['splits'])}: {x['near_duplicates']}" for x in self.leakage))
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def write_rejects(self, path: Path) -> None:
        with path.open("w", encoding="utf-8") as fh:
            for r in self.rejected:
                fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
