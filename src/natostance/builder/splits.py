"""The temporal split for any corpus: cut dates or date quantiles, and what happens to undated articles.

A rule comes from ``split_rule`` in ``sources.yaml`` or from the build command's options (which win):

- ``validation_from`` / ``test_from``: articles dated before ``validation_from`` are train, before
  ``test_from`` validation, the rest test (either date may be left out);
- ``validation_quantile`` / ``test_quantile`` (e.g. 0.8 and 0.9): the cut dates are the dates of the
  articles at those shares of the corpus in date order, found by a first pass over the input before the
  build (``resolve``); articles sharing the cut date go to the later split;
- ``undated``: ``error`` (default: the article is rejected, naming the file), ``drop`` (left out and
  counted), or a split name (``train``, ``validation`` or ``test``).

Without any rule every article is train; the build summary says so (``warnings``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from natostance import labels
from natostance.errors import InputError

UNDATED_POLICIES = ("error", "drop")


class Undated(ValueError):
    """An article without a date under a rule that needs one; ``drop`` when the policy is to drop it."""

    def __init__(self, drop: bool):
        super().__init__("no date to place it in a temporal split (undated articles are "
                         + ("dropped: --undated drop)" if drop else "errors: add split_date_estimate in sources.yaml, "
                            "or choose --undated drop or a split)"))
        self.drop = drop


@dataclass(frozen=True, slots=True)
class SplitRule:
    """Temporal split by date: before ``validation_from`` train, before ``test_from`` validation, then test."""

    validation_from: date | None = None
    test_from: date | None = None
    validation_quantile: float | None = None
    test_quantile: float | None = None
    undated: str = "error"

    @property
    def by_quantile(self) -> bool:
        return self.validation_quantile is not None or self.test_quantile is not None

    @property
    def temporal(self) -> bool:
        return self.by_quantile or self.validation_from is not None or self.test_from is not None

    def assign(self, day: date | None) -> str:
        if not self.temporal:
            return "train"
        if day is None:
            if self.undated in UNDATED_POLICIES:
                raise Undated(drop=self.undated == "drop")
            return self.undated
        if self.test_from is not None and day >= self.test_from:
            return "test"
        if self.validation_from is not None and day >= self.validation_from:
            return "validation"
        return "train"

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> SplitRule:
        """A rule as ``to_dict`` wrote it (a resolved quantile rule keeps its dates): no checks, trusted input."""
        day = lambda k: date.fromisoformat(doc[k]) if doc.get(k) else None  # noqa: E731
        return cls(day("validation_from"), day("test_from"), doc.get("validation_quantile"), doc.get("test_quantile"),
                   doc.get("undated", "error"))

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {k: (v.isoformat() if v else None) for k, v in (("validation_from", self.validation_from),
                                                                              ("test_from", self.test_from))}
        if self.by_quantile:
            doc.update(validation_quantile=self.validation_quantile, test_quantile=self.test_quantile)
        doc["undated"] = self.undated
        return doc


def parse_date(value: Any, where: str, key: str) -> date | None:
    """A date the sources file (or the command line) gives, as a ``date``; a bad one named with its key."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(where, f"{key}: expected a date YYYY-MM-DD, found {value!r}") from None


def _share(value: Any, where: str, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise InputError(where, f"{key}: expected a share between 0 and 1 such as 0.8, found {value!r}")
    return float(value)


def parse(doc: dict[str, Any] | None, where: str) -> SplitRule:
    """A rule from ``split_rule`` in ``sources.yaml`` (or the same keys from the command line)."""
    doc = doc or {}
    if not isinstance(doc, dict):
        raise InputError(where, f"split_rule: expected a mapping, found {type(doc).__name__}")
    known = ("validation_from", "test_from", "validation_quantile", "test_quantile", "undated")
    unknown = sorted(set(doc) - set(known))
    if unknown:
        raise InputError(where, f"split_rule: unknown key(s) {unknown}; known: {list(known)}")
    rule = SplitRule(parse_date(doc.get("validation_from"), where, "validation_from"),
                     parse_date(doc.get("test_from"), where, "test_from"),
                     _share(doc.get("validation_quantile"), where, "validation_quantile"),
                     _share(doc.get("test_quantile"), where, "test_quantile"), doc.get("undated") or "error")
    allowed = (*UNDATED_POLICIES, *labels.labels("split"))
    if rule.undated not in allowed:
        raise InputError(where, f"split_rule.undated: expected one of {', '.join(allowed)}, found {rule.undated!r}")
    if rule.by_quantile and (rule.validation_from or rule.test_from):
        raise InputError(where, "split_rule: give cut dates or quantiles, not both")
    for first, second in ((rule.validation_from, rule.test_from), (rule.validation_quantile, rule.test_quantile)):
        if first is not None and second is not None and first > second:
            raise InputError(where, f"split_rule: the validation cut ({first}) must not come after the test cut ({second})")
    return rule


def merge(base: SplitRule, override: dict[str, Any] | None, where: str = "command line") -> SplitRule:
    """``base`` with the keys given in ``override`` (command-line options) replaced; cut dates and quantiles
    replace each other as a pair."""
    if not override:
        return base
    doc = base.to_dict()
    if any(k in override for k in ("validation_quantile", "test_quantile")):
        doc.update(validation_from=None, test_from=None)
    if any(k in override for k in ("validation_from", "test_from")):
        doc.pop("validation_quantile", None), doc.pop("test_quantile", None)
    return parse({**doc, **override}, where)


def resolve(rule: SplitRule, days: Counter) -> SplitRule:
    """Quantiles → cut dates: the date of the article at each share of the dated corpus in date order."""
    if not rule.by_quantile:
        return rule
    ordered = sorted(days.items())
    total = sum(n for _, n in ordered)

    def cut(share: float | None) -> date | None:
        if share is None or not total:
            return None
        target, seen = int(share * total), 0
        for day, n in ordered:
            seen += n
            if seen > target:
                return day
        return None

    return replace(rule, validation_from=cut(rule.validation_quantile), test_from=cut(rule.test_quantile))


def warnings(rule: SplitRule, articles: dict[str, int]) -> list[str]:
    """What the build summary must say about the split: no rule, an empty split, everything in one split."""
    total = sum(articles.values())
    if not total:
        return []
    if not rule.temporal:
        return [f"no split rule: all {total} articles are in train (give --validation-from/--test-from or "
                "--split-quantiles, or split_rule in sources.yaml; README, \"Splits\")"]
    out = []
    wanted = ["train"] + (["validation"] if rule.validation_from or rule.validation_quantile else []) \
        + (["test"] if rule.test_from or rule.test_quantile else [])
    for split in wanted:
        if not articles.get(split):
            out.append(f"split {split} is empty under the rule {rule.to_dict()}")
    full = [s for s, n in articles.items() if n == total]
    if full and len(wanted) > 1:
        out.append(f"every article ({total}) fell into {full[0]}")
    return out
