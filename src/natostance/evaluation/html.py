"""The static HTML leaderboard: one self-contained file, no CDN, no network. Per protocol and task a forest plot
(``forest.py``), a sortable table (click a header) with CIs in every cell, per-target bars with CI whiskers
and confusion matrices as inline SVG.

Every string that comes from a submission goes through ``html.escape``; the script never writes HTML from
data (it only reorders existing rows), so a system named ``<script>alert(1)</script>`` shows as text.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

from natostance.evaluation.forest import forest_svg
from natostance.evaluation.leaderboard import display_name, p_text, per_target_columns, undefined_notes
from natostance.labels import titles

e = lambda x: html.escape(str(x), quote=True)  # noqa: E731

CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3;cursor:pointer}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.annotator{background:#fff3e6}.note{color:#8a4b08}figure{margin:1em 0}.ci{color:#666;font-size:12px}svg{margin:2px}
details{margin:.3em 0}"""

JS = """document.querySelectorAll('table.board').forEach(function(t){
 t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
  var asc=th.getAttribute('aria-sort')!=='ascending';
  t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});
  th.setAttribute('aria-sort',asc?'ascending':'descending');
  var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
  rows.sort(function(a,b){var x=a.cells[i].dataset.sort,y=b.cells[i].dataset.sort;
   var nx=parseFloat(x),ny=parseFloat(y),c=(isNaN(nx)||isNaN(ny))?String(x).localeCompare(String(y)):nx-ny;
   return asc?c:-c});
  rows.forEach(function(r){body.appendChild(r)});});});});"""


def safe_url(url) -> bool:
    """Only http(s) links from submissions become links (no ``javascript:`` or ``data:`` URLs)."""
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def _script_hash() -> str:
    """CSP hash of our one script: any other script on the page would not run even if it got in."""
    return base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode("ascii")


def _cell(f: dict[str, Any] | None) -> str:
    if not f:
        return '<td data-sort="-1">–</td>'
    if f.get("value") is None:
        return f'<td data-sort="-1" title="{e(f.get("undefined") or "")}">undefined</td>'
    ci = f'<br><span class="ci">[{f["ci_low"]:.3f}, {f["ci_high"]:.3f}]</span>' if f.get("ci_low") is not None else ""
    opt = f.get("optimistic_ci")
    if opt:
        ci += (
            f'<br><span class="ci" title="unit-level bootstrap, optimistic">'
            f"optimistic [{opt[0]:.3f}, {opt[1]:.3f}]</span>"
        )
    return f'<td data-sort="{f["value"]:.6f}">{f["value"]:.3f}{ci}</td>'


def target_bars(per_target: list[dict[str, Any]], metric: str) -> str:
    """Horizontal bars (value) with CI whiskers, one per target; low-support rows drawn hatched-grey."""
    rows = [b for b in per_target if b["metrics"].get(metric, {}).get("value") is not None]
    if not rows:
        return ""
    w, h, left = 260, 18, 100
    parts = [
        f'<svg role="img" aria-label="per-target {e(metric)}" width="{left + w + 50}" height="{h * len(rows) + 4}">'
    ]
    names = titles("target")
    for i, b in enumerate(rows):
        f = b["metrics"][metric]
        y = i * h + 2
        colour = "#bbb" if b["low_support"] else "#4a7bd0"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{e(names.get(b["group"], b["group"]))}</text>')
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{f["value"] * w:.1f}" height="{h - 6}" fill="{colour}">'
            f"<title>{e(b['group'])}: {f['value']:.3f}, n={b['support_units']}</title></rect>"
        )
        if f.get("ci_low") is not None:
            parts.append(
                f'<line x1="{left + f["ci_low"] * w:.1f}" x2="{left + f["ci_high"] * w:.1f}" '
                f'y1="{y + h / 2}" y2="{y + h / 2}" stroke="#000"/>'
            )
        parts.append(f'<text x="{left + w + 4}" y="{y + 13}" font-size="11">n={b["support_units"]}</text>')
    return "".join(parts) + "</svg>"


def confusion_svg(cm: dict[str, Any] | None) -> str:
    """Gold (rows) x predicted (columns) counts as shaded cells; hover a cell for its meaning."""
    if not cm:
        return ""
    names, m = cm["labels"], cm["matrix"]
    top = max((max(r) for r in m), default=0) or 1
    size, left, head = 52, 64, 34
    parts = [
        f'<svg role="img" aria-label="confusion matrix" width="{left + size * len(names)}" '
        f'height="{head + size * len(names)}"><text x="{left}" y="10" font-size="10">predicted →</text>'
        f'<text x="0" y="{head - 4}" font-size="10">gold ↓</text>'
    ]
    for j, n in enumerate(names):
        parts.append(f'<text x="{left + j * size + 2}" y="{head - 4}" font-size="10">{e(n)}</text>')
    for i, n in enumerate(names):
        y = head + i * size
        parts.append(f'<text x="0" y="{y + size / 2 + 4}" font-size="10">{e(n)}</text>')
        for j, v in enumerate(m[i]):
            shade = int(255 - 180 * v / top)
            parts.append(
                f'<rect x="{left + j * size}" y="{y}" width="{size - 2}" height="{size - 2}" '
                f'fill="rgb({shade},{shade},255)"><title>gold {e(n)}, predicted {e(names[j])}: {v}</title></rect>'
                f'<text x="{left + j * size + size / 2 - 6}" y="{y + size / 2 + 4}" font-size="11">{v}</text>'
            )
    return "".join(parts) + "</svg>"


def per_target_table(sid: str, t: dict[str, Any]) -> str:
    """Sortable systems x targets table of the headline metric with CIs and support (stance tasks)."""
    targets = per_target_columns(t)
    if not targets:
        return ""
    names = titles("target")
    out = [
        f'<h4>{e(t["headline"])} per target</h4><table class="board" id="targets-{sid}">'
        "<thead><tr><th>system</th>" + "".join(f"<th>{e(names[x])}</th>" for x in targets) + "</tr></thead><tbody>"
    ]
    for r in t["rows"]:
        cells = {b["group"]: b for b in r["per_target"]}
        row = [f'<tr><td data-sort="{e(r["system"])}">{e(display_name(r))}</td>']
        for x in targets:
            b = cells.get(x)
            if b is None:
                row.append('<td data-sort="-1">–</td>')
                continue
            flag = ' <span class="ci" title="low support">⚠</span>' if b["low_support"] else ""
            row.append(
                _cell(b["metrics"].get(t["headline"]))[:-5] + f'<br><span class="ci">n={b["support_units"]}'
                f"</span>{flag}</td>"
            )
        out.append("".join(row) + "</tr>")
    return "".join(out) + "</tbody></table>"


def _board_table(sid: str, t: dict[str, Any]) -> str:
    metrics = list(t["rows"][0]["metrics"])
    out = [
        f'<table class="board" id="board-{sid}"><thead><tr><th>#</th><th>system</th>'
        + "".join(f"<th>{e(m)}</th>" for m in metrics)
        + "<th>articles</th><th>p vs next</th><th>versions</th></tr></thead><tbody>"
    ]
    for r in t["rows"]:
        name = e(display_name(r))
        if safe_url(r["url"]):
            name = f'<a href="{e(r["url"])}" rel="nofollow noopener">{name}</a>'
        p = r["p_vs_next"]["p_value"] if r["p_vs_next"] and not r["p_vs_next"]["few_clusters"] else None
        hashes = ", ".join(f"{e(k)}:{e(v[:12])}" for k, v in sorted(r["split_hashes"].items()))
        out.append(
            f'<tr class="{"" if r["independent"] else "annotator"}"><td data-sort="{r["rank"]}">{r["rank"]}</td>'
            f'<td data-sort="{e(r["system"])}" class="system">{name}</td>'
            + "".join(_cell(r["metrics"].get(m)) for m in metrics)
            + f'<td data-sort="{r["clusters"]}">{r["clusters"]}</td>'
            + f'<td data-sort="{-1 if p is None else p}">{p_text(r["p_vs_next"])}</td>'
            + f'<td data-sort="{e(r["dataset_version"])}">data {e(r["dataset_version"])}, scorer '
            f'{e(r["scorer_version"])}<br><span class="ci">{hashes}</span></td></tr>'
        )
    notes = "".join(f"<br>undefined {e(n)}" for n in undefined_notes(t))
    return "".join(out) + (
        '</tbody></table><p class="ci">p vs next: paired article-cluster bootstrap, two-sided. '
        f"† fewer than 10 articles: no p-value is shown and the CIs rest on very few clusters.{notes}</p>"
    )


def to_html(board: dict[str, Any]) -> str:
    out = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{_script_hash()}'\">",
        f"<title>NATO-Stance leaderboard</title><style>{CSS}</style></head><body>",
        "<h1>NATO-Stance leaderboard</h1>",
        f'<p id="versions">Dataset {e(board["dataset_version"])}, scorer {e(board["scorer_version"])}. 95% CIs: '
        f"{e(board['bootstrap']['resamples'])} article-cluster bootstrap resamples (percentile). Every row was "
        "re-scored from its submission; protocols are never mixed in one table. Click a column header to sort.</p>",
        f'<p class="note">‡ {e(board["annotator_note"])}</p>',
    ]
    for sec in board["protocols"]:
        out.append(
            f'<h2 id="protocol-{e(sec["protocol"])}">Protocol {e(sec["protocol"])}: {e(sec["title"])}</h2>'
            f'<p>{sec["articles"]} gold articles.</p>'
        )
        for task, t in sec["tasks"].items():
            sid = f"{e(sec['protocol'])}-{e(task)}"
            out.append(f"<h3>{e(task)} ({e(sec['protocol'])})</h3>")
            out.append(
                f'<figure id="forest-{sid}">{forest_svg(task, t, [display_name(r) for r in t["rows"]])}'
                f"<figcaption>{e(t['headline'])} with 95% article-cluster bootstrap CI (over "
                f"{t['rows'][0]['clusters']} articles) per system; dashed line: a "
                "perfect system (1.0); hollow orange: annotation passes (‡), not independent of the gold."
                "</figcaption></figure>"
            )
            out.append(_board_table(sid, t))
            out.append(per_target_table(sid, t))
            for r in t["rows"]:
                plots = target_bars(r["per_target"], t["headline"]) + confusion_svg(r["confusion_matrix"])
                if plots:
                    out.append(
                        f"<details><summary>{e(r['system'])}: per target {e(t['headline'])} and confusion "
                        f"matrix</summary>{plots}</details>"
                    )
    if board.get("not_shown"):
        out.append(f'<p class="ci">Not shown (another protocol): {e(", ".join(board["not_shown"]))}</p>')
    out.append(f"<script>{JS}</script></body></html>")
    return "\n".join(out)
