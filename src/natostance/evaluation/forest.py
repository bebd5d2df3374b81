"""Forest plot of one leaderboard table as inline SVG: each row's headline figure as a point with its 95% CI
whisker on a 0–1 axis, a dashed line where a perfect system scores (1.0), and annotator-pass rows drawn
hollow and orange with the words "not independent". An undefined figure is written out with its reason.

Every string from a submission goes through ``html.escape``; nothing here runs script.
"""

from __future__ import annotations

import html
from typing import Any

e = lambda x: html.escape(str(x), quote=True)  # noqa: E731

LEFT, PLOT, RIGHT, ROW, TOP = 440, 400, 70, 24, 34
SYSTEM, ANNOTATOR, GRID = "#2f5fb3", "#d9822b", "#ddd"
MAX_NAME = 48  # characters of a name shown (the full name is in the tooltip); fits LEFT at 12 px


def _x(v: float) -> float:
    return LEFT + max(0.0, min(1.0, v)) * PLOT


def _label(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def _axis(height: float) -> list[str]:
    out = []
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = _x(tick)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 6}" y2="{height - 26}" stroke="{GRID}"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP - 10}" font-size="11" text-anchor="middle">{tick:g}</text>')
    x = _x(1.0)
    out.append(
        f'<line class="perfect" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 6}" y2="{height - 26}" stroke="#2a9d55" '
        'stroke-width="2" stroke-dasharray="5,3"><title>a perfect system scores 1.0</title></line>'
    )
    out.append(
        f'<text x="{x - 4:.1f}" y="12" font-size="11" text-anchor="end" fill="#2a9d55">perfect system = 1.0 ┐</text>'
    )
    return out


def _row(i: int, r: dict[str, Any], name: str) -> list[str]:
    y = TOP + i * ROW + ROW / 2
    colour = SYSTEM if r["independent"] else ANNOTATOR
    label = _label(name) + ("" if r["independent"] else " — not independent")
    out = [
        f'<g class="row{"" if r["independent"] else " annotator"}"><title>{e(name)}</title>',
        f'<text x="{LEFT - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="{colour}">{e(label)}</text>',
    ]
    if r["value"] is None:
        out.append(
            f'<text x="{LEFT + 4}" y="{y + 4:.1f}" font-size="11" fill="#777">undefined: {e(r.get("undefined"))}</text>'
        )
        return out + ["</g>"]
    if r["ci_low"] is not None:
        lo, hi = _x(r["ci_low"]), _x(r["ci_high"])
        pen = f'stroke="{colour}" stroke-width="2"'
        out.append(f'<line class="ci" x1="{lo:.1f}" x2="{hi:.1f}" y1="{y:.1f}" y2="{y:.1f}" {pen}/>')
        for x in (lo, hi):
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 5:.1f}" y2="{y + 5:.1f}" {pen}/>')
    x = _x(r["value"])
    if r["independent"]:
        out.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>')
    else:  # hollow diamond: a reference row, not a competitor
        pts = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
        out.append(f'<polygon class="point" points="{pts}" fill="#fff" stroke="{colour}" stroke-width="2"/>')
    ci = f" [{r['ci_low']:.3f}, {r['ci_high']:.3f}]" if r["ci_low"] is not None else ""
    out.append(f'<text x="{LEFT + PLOT + 8}" y="{y + 4:.1f}" font-size="11">{r["value"]:.3f}</text>')
    out.append(f"<title>{e(name)}: {r['value']:.3f}{ci}, {r['clusters']} articles</title>")
    return out + ["</g>"]


def forest_svg(task: str, t: dict[str, Any], names: list[str]) -> str:
    """The plot for one task table; ``names`` are the rows' display names (same order as ``t['rows']``)."""
    rows = t["rows"]
    height = TOP + ROW * len(rows) + 34
    width = LEFT + PLOT + RIGHT
    parts = [
        f'<svg class="forest" role="img" width="{width}" height="{height}" '
        f'aria-label="{e(task)}: {e(t["headline"])} per system with 95% CI">',
        *_axis(height),
    ]
    for i, (r, name) in enumerate(zip(rows, names, strict=True)):
        parts += _row(i, r, name)
    y = height - 10
    parts.append(
        f'<circle cx="{LEFT + 6}" cy="{y - 4}" r="5" fill="{SYSTEM}"/>'
        f'<text x="{LEFT + 16}" y="{y}" font-size="11">system (95% CI)</text>'
        f'<polygon points="{LEFT + 126},{y - 10} {LEFT + 132},{y - 4} {LEFT + 126},{y + 2} {LEFT + 120},{y - 4}" '
        f'fill="#fff" stroke="{ANNOTATOR}" stroke-width="2"/>'
        f'<text x="{LEFT + 138}" y="{y}" font-size="11">annotation pass ‡: not independent of the gold</text>'
    )
    return "".join(parts) + "</svg>"
