"""The builder's text and metadata on real web pages, next to trafilatura alone.

    python benchmarks/extraction.py [--pages DIR] [--golden FILE] [--worst 10]

Reads the shared copy of the article-extraction benchmark (real pages with article bodies marked by
people; a folder ``shared/extraction-benchmark`` beside or above the repository, or ``--pages``). For every
page it runs three systems on the same bytes: the builder (its reader, cleaning and segmentation: the
``text`` of the ``articles`` row), ``trafilatura.extract`` with its defaults, and with ``favor_precision``.
Scores are bag-of-words token F1 over ``\\w+`` tokens (case-folded) against the marked body; a page is
*lost* when a system returns no text for it. Pages are halved by their id (even or odd first hex digit):
the builder's rules were tuned looking at the first half only, so the second half is held out.
Metadata (title, authors, published, outlet, language) is scored per field against the golden table
``tests/builder/golden/html-metadata.json``. Prints a table and writes ``benchmarks/out/extraction.json``.
Without the pages it prints a skip line and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = ROOT / "tests" / "builder" / "golden" / "html-metadata.json"
TOKEN = re.compile(r"\w+")
FIELDS = ("title", "authors", "published", "outlet", "language")


def find_pages(given: str | None) -> Path | None:
    if given:
        return Path(given)
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "extraction-benchmark"
        if (candidate / "ground-truth.json").is_file():
            return candidate
    return None


def tokens(text: str | None) -> Counter:
    return Counter(TOKEN.findall((text or "").casefold()))


def prf(pred: str | None, gold: str) -> dict[str, float]:
    p, g = tokens(pred), tokens(gold)
    common = sum((p & g).values())
    precision = common / sum(p.values()) if p else 0.0
    recall = common / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def builder_row(data: bytes, name: str) -> tuple[dict | None, str | None]:
    """The builder's ``articles`` row for one page, or (None, reason) when it rejects or drops the page."""
    from natostance.builder.pipeline import read_records
    from natostance.builder.process import Drop, process_article
    from natostance.builder.document import Rejected
    from natostance.builder.sourcesfile import SplitRule

    recs = read_records(data, name)
    if len(recs) != 1 or isinstance(recs[0], Rejected):
        return None, str(recs[0]) if recs else "no record"
    try:
        article, _, _ = process_article(recs[0], {}, SplitRule())
    except Drop as exc:
        return None, str(exc)
    return article, None


def trafilatura_text(html: str, precision: bool) -> str | None:
    import trafilatura

    return trafilatura.extract(html, favor_precision=precision)


def _norm(value: str | None) -> str:
    text = unicodedata.normalize("NFKC", value or "").casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-").replace("—", "-")
    return " ".join(re.sub(r"^the\s+", "", text.strip()).split())


def field_match(field: str, got, entry: dict) -> tuple[bool, bool]:
    """(exact, exact or one of the table's alternatives) for one field of one page."""
    def same(a, b) -> bool:
        if field == "authors":
            return sorted(map(_norm, a or [])) == sorted(map(_norm, b or []))
        if field == "language":
            return (a or "").split("-")[0].casefold() == (b or "").split("-")[0].casefold()
        return _norm(a) == _norm(b) if (a or b) else True

    exact = same(got, entry.get(field))
    alternatives = entry.get(f"{field}_alternatives") or []
    return exact, exact or any(same(got, alt) for alt in alternatives)


def builder_meta(article: dict | None) -> dict:
    if article is None:
        return dict.fromkeys(FIELDS)
    return {"title": article["title"], "authors": article["authors"],
            "published": article["published"], "outlet": article["outlet"], "language": article["language"]}


def summarize(pages: list[dict], systems: tuple[str, ...]) -> dict:
    out = {}
    for s in systems:
        scores = [p[s] for p in pages]
        out[s] = {
            "pages": len(scores),
            "mean_f1": statistics.fmean(x["f1"] for x in scores),
            "median_f1": statistics.median(x["f1"] for x in scores),
            "mean_precision": statistics.fmean(x["precision"] for x in scores),
            "mean_recall": statistics.fmean(x["recall"] for x in scores),
            "lost": sum(1 for x in scores if x["lost"]),
        }
    return out


def metadata_accuracy(scored: list[dict]) -> dict:
    n = max(1, len(scored))
    return {f: {"pages": len(scored), "exact": sum(p["metadata"][f]["exact"] for p in scored) / n,
                "accepted": sum(p["metadata"][f]["accepted"] for p in scored) / n} for f in FIELDS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", help="folder with ground-truth.json and pages/<id>.html.gz")
    ap.add_argument("--golden", default=str(GOLDEN), help="metadata golden table (JSON)")
    ap.add_argument("--worst", type=int, default=10, help="how many worst pages to list")
    ap.add_argument("--out", default=str(HERE / "out" / "extraction.json"))
    args = ap.parse_args(argv)
    bench = find_pages(args.pages)
    if bench is None or not (bench / "ground-truth.json").is_file():
        print(f"skip: no extraction benchmark found ({args.pages or 'shared/extraction-benchmark beside or above ' + str(ROOT)})")
        return 0
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    golden_path = Path(args.golden)
    golden = json.loads(golden_path.read_text(encoding="utf-8"))["pages"] if golden_path.is_file() else {}
    systems = ("builder", "trafilatura", "trafilatura_precision")
    pages, seconds = [], Counter()
    for pid in sorted(truth):
        path = bench / "pages" / f"{pid}.html.gz"
        if not path.is_file():
            continue
        data = gzip.decompress(path.read_bytes())
        html = data.decode("utf-8", errors="replace")
        gold = truth[pid]["articleBody"]
        row = {"id": pid, "half": "tuned" if int(pid[0], 16) % 2 == 0 else "held_out"}
        t = time.process_time()
        article, reason = builder_row(data, f"{pid}.html")
        seconds["builder"] += time.process_time() - t
        row["builder"] = {**prf(article and article["text"], gold), "lost": article is None, "reason": reason}
        for name, precision in (("trafilatura", False), ("trafilatura_precision", True)):
            t = time.process_time()
            text = trafilatura_text(html, precision)
            seconds[name] += time.process_time() - t
            row[name] = {**prf(text, gold), "lost": not (text or "").strip()}
        better = max(("trafilatura", "trafilatura_precision"), key=lambda s: row[s]["f1"])
        row["delta_vs_better"] = row["builder"]["f1"] - row[better]["f1"]
        row["lost_but_read"] = row["builder"]["lost"] and not (row["trafilatura"]["lost"] and row["trafilatura_precision"]["lost"])
        if pid in golden:
            got = builder_meta(article)
            row["metadata"] = {f: {"got": got[f], "gold": golden[pid].get(f),
                                   **dict(zip(("exact", "accepted"), field_match(f, got[f], golden[pid])))}
                               for f in FIELDS}
        pages.append(row)
    report = {"pages": len(pages), "cpu_seconds": dict(seconds), "all": summarize(pages, systems)}
    for half in ("tuned", "held_out"):
        report[half] = summarize([p for p in pages if p["half"] == half], systems)
    best = max(report["all"]["trafilatura"]["mean_f1"], report["all"]["trafilatura_precision"]["mean_f1"])
    report["targets"] = {
        "mean_f1_margin": report["all"]["builder"]["mean_f1"] - best,
        "worst_delta": min(p["delta_vs_better"] for p in pages),
        "pages_losing_over_0.05": sum(1 for p in pages if p["delta_vs_better"] < -0.05),
        "lost_but_read_by_trafilatura": [p["id"] for p in pages if p["lost_but_read"]],
    }
    scored = [p for p in pages if "metadata" in p]
    report["metadata"] = metadata_accuracy(scored)
    for half in ("tuned", "held_out"):
        report["metadata_" + half] = metadata_accuracy([p for p in scored if p["half"] == half])
    report["worst"] = [{"id": p["id"], "half": p["half"], "builder_f1": p["builder"]["f1"],
                        "trafilatura_f1": p["trafilatura"]["f1"], "precision_f1": p["trafilatura_precision"]["f1"],
                        "delta": p["delta_vs_better"], "reason": p["builder"]["reason"]}
                       for p in sorted(pages, key=lambda p: p["delta_vs_better"])[:args.worst]]
    report["metadata_misses"] = [{"id": p["id"], "field": f, "got": p["metadata"][f]["got"], "gold": p["metadata"][f]["gold"]}
                                 for p in scored for f in FIELDS if not p["metadata"][f]["accepted"]]
    report["per_page"] = pages
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(report)
    print(f"wrote {args.out}")
    return 0


def print_table(report: dict) -> None:
    print(f"{report['pages']} pages; token F1 against the marked bodies (mean / median), precision, recall, pages lost")
    print(f"{'':10} {'system':23} {'mean F1':>8} {'median':>8} {'prec':>7} {'recall':>7} {'lost':>5}")
    for part in ("all", "tuned", "held_out"):
        for system, s in report[part].items():
            print(f"{part:10} {system:23} {s['mean_f1']:8.4f} {s['median_f1']:8.4f} {s['mean_precision']:7.4f}"
                  f" {s['mean_recall']:7.4f} {s['lost']:5d}")
    t = report["targets"]
    print(f"builder - better trafilatura setting (mean F1): {t['mean_f1_margin']:+.4f} (target >= +0.01); "
          f"worst page {t['worst_delta']:+.4f} (target >= -0.05); pages below -0.05: {t['pages_losing_over_0.05']}; "
          f"pages trafilatura reads that the builder loses: {len(t['lost_but_read_by_trafilatura'])}")
    print(f"CPU seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in report["cpu_seconds"].items()))
    print("worst pages (builder F1 minus the better trafilatura setting):")
    for w in report["worst"]:
        print(f"  {w['id'][:12]} {w['half']:8} builder {w['builder_f1']:.3f} default {w['trafilatura_f1']:.3f} "
              f"precision {w['precision_f1']:.3f} ({w['delta']:+.3f}){' ' + w['reason'] if w['reason'] else ''}")
    if report["metadata"]["title"]["pages"]:
        print(f"metadata on {report['metadata']['title']['pages']} golden pages, exact / exact or a listed alternative "
              f"(all; tuned half {report['metadata_tuned']['title']['pages']}; held-out half "
              f"{report['metadata_held_out']['title']['pages']}):")
        for f, m in report["metadata"].items():
            t, h = report["metadata_tuned"][f], report["metadata_held_out"][f]
            print(f"  {f:10} {m['exact']:.3f} / {m['accepted']:.3f}   tuned {t['exact']:.3f} / {t['accepted']:.3f}"
                  f"   held-out {h['exact']:.3f} / {h['accepted']:.3f}   (target >= 0.9)")
    else:
        print("metadata: no golden table found, not scored")


if __name__ == "__main__":
    sys.exit(main())
