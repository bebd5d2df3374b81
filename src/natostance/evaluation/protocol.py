"""The two evaluation protocols and what a submission's metadata must say for each.

* ``cv`` (cross-validation over articles, the primary protocol while the gold is small): the folds of
  ``folds.py`` (leave one article out for up to 10 gold articles); a system is trained once per fold on the
  other folds' articles and predicts the held-out fold, so every gold article gets exactly one
  out-of-fold prediction and every gold unit is scored, with CIs over all gold articles. The metadata must
  say ``"protocol": "cv"``; ``trained_on`` / ``tuned_on`` list the splits whose labels the folds trained on.
* ``temporal`` (the default): train on the older articles, score one split (``test``: the newest articles);
  the scorer refuses a split the system declares it trained or tuned on, and ``all`` unless it trained on
  nothing.

A metadata file without ``protocol`` is ``temporal``, except for kind ``annotator``: an annotator pass is
no trained system, so it is scored under either protocol (and is still not independent of the gold).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from natostance.errors import NatoStanceError

PROTOCOLS = ("cv", "temporal")


@dataclass(frozen=True)
class Protocol:
    name: str  # "cv" | "temporal"
    split: str  # the split scored: "all" under cv

    @property
    def key(self) -> str:
        return "cv" if self.name == "cv" else f"temporal:{self.split}"

    def title(self) -> str:
        if self.name == "cv":
            return "cross-validation over articles: every gold article scored once, out of fold"
        return f"temporal split {self.split!r}: trained on older articles, scored on the {self.split} split"


def resolve(protocol: str | None = None, split: str | None = None) -> Protocol:
    """The protocol to score under; ``split`` only applies to ``temporal`` (default ``test``)."""
    protocol = protocol or "temporal"
    if protocol not in PROTOCOLS:
        raise NatoStanceError(f"protocol: expected one of {', '.join(PROTOCOLS)}, found {protocol!r}")
    if protocol == "cv":
        if split not in (None, "all"):
            raise NatoStanceError(f"protocol cv scores every gold article: a split ({split!r}) does not apply")
        return Protocol("cv", "all")
    return Protocol("temporal", split or "test")


def declared(meta: dict[str, Any]) -> str | None:
    """The protocol a metadata file declares; None = any (an annotator pass without ``protocol``)."""
    if "protocol" in meta:
        return meta["protocol"]
    return None if meta.get("kind") == "annotator" else "temporal"


def refused_splits(meta: dict[str, Any]) -> list[str]:
    return sorted(set(meta.get("trained_on", [])) | set(meta.get("tuned_on", [])))


def meta_errors(meta: dict[str, Any], where: str, protocol: Protocol) -> list[str]:
    """What the (schema-valid) metadata conflicts with under ``protocol``."""
    said = declared(meta)
    if said is not None and said != protocol.name:
        hint = (
            "a cv submission holds out-of-fold predictions for every gold article and says \"protocol\": \"cv\""
            if protocol.name == "cv"
            else "score it with --protocol cv"
        )
        return [f"{where}: protocol: expected {protocol.name!r}, found {said!r} ({hint})"]
    if protocol.name == "cv":
        return []
    refused = refused_splits(meta)
    if protocol.split == "all" and refused:
        return [
            f"{where}: --split all needs a system that trained and tuned on no split, "
            f"found trained_on/tuned_on {', '.join(refused)}"
        ]
    if protocol.split in refused:
        return [
            f"{where}: the system declares training or tuning on split {protocol.split!r} "
            f"(trained_on/tuned_on); refusing to score it there"
        ]
    return []
