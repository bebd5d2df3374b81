"""Label Studio result items as the UI produces them, for the tests (offsets: code points)."""

from __future__ import annotations

from natostance.annotate.labelstudio import config as C


def stance_result(kind: str, stances: dict[str, str], holders: dict[str, str] | None = None) -> list[dict]:
    to_name = "sentence" if kind == "sentences" else "text"
    out = []
    for target, stance in stances.items():
        out.append({"id": f"st-{target}", "from_name": C.stance_name(target), "to_name": to_name,
                    "type": "choices", "origin": "manual", "value": {"choices": [stance]}})
    for target, holder in (holders or {}).items():
        out.append({"id": f"ho-{target}", "from_name": C.holder_name(target), "to_name": to_name,
                    "type": "choices", "origin": "manual", "value": {"choices": [holder]}})
    return out


def claim_result(text: str, needle: str, claim_type: str, speaker: str | None, rid: str) -> list[dict]:
    start = text.index(needle)
    end = start + len(needle)
    # Label Studio's own value.text collapses whitespace; mimic it so nothing relies on it
    shown = " ".join(needle.split())
    out = [{"id": rid, "from_name": C.CLAIM, "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": end, "text": shown, "labels": [claim_type]}}]
    if speaker is not None:
        out.append({"id": rid, "from_name": C.SPEAKER, "to_name": "text", "type": "textarea",
                    "origin": "manual", "value": {"start": start, "end": end, "text": [speaker]}})
    return out


def exported_task(task_id: int, data: dict, annotations: list[tuple[int, list[dict]]],
                  cancelled: tuple[int, ...] = ()) -> dict:
    """One task of a full JSON export with annotations by the given user ids."""
    return {"id": task_id, "data": data, "meta": {}, "predictions": [], "drafts": [],
            "annotations": [{"id": task_id * 100 + i, "completed_by": who, "result": result,
                             "was_cancelled": who in cancelled, "ground_truth": False,
                             "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:01Z",
                             "lead_time": 3.5}
                            for i, (who, result) in enumerate(annotations)]}


def write_pass(folder, sentences: list[dict], articles: list[dict], stance: str = "neutral", holder: str = "author",
               claims: list[dict] = ()) -> None:
    """An offline pass over the given units (every target labelled ``stance``/``holder``), with ``claims``."""
    import json
    from pathlib import Path

    from natostance import labels as L

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    targets = L.labels("target")
    lab = {"stance": stance, "holder": None if stance == "none" else holder}
    (folder / "sentence_labels.jsonl").write_text("".join(
        json.dumps({"sentence_id": s["sentence_id"], "labels": {t: lab for t in targets}}) + "\n" for s in sentences))
    (folder / "article_labels.jsonl").write_text("".join(
        json.dumps({"article_id": a["article_id"], "labels": {t: stance for t in targets}}) + "\n" for a in articles))
    (folder / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
