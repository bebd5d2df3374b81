"""The static leaderboard page in real headless Chromium (Debian's ``chromium``; ``make browser``).

Drives the browser with the suite's one driver (Selenium, ``tests/browser.py``): the page renders, a real
click on a header sorts the rows, a system named ``<script>alert(1)</script>`` shows as text without any
dialog opening, and the forest plot is drawn where the figures say (screenshot in tests/artifacts/).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from browser import chrome
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.evaluation import html
from natostance.evaluation.leaderboard import leaderboard

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
EVIL = "<script>alert(1)</script>"
# every alert/confirm/prompt the page opens is recorded instead of shown
RECORD_DIALOGS = (
    "window.__dialogs=[];"
    "for (const f of ['alert','confirm','prompt']) window[f]=function(m){window.__dialogs.push(String(m))};"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    meta = json.loads((SUBMISSIONS / "ok.meta.json").read_text())
    rows = [json.loads(x) for x in (SUBMISSIONS / "ok.jsonl").open()]
    for name, system, change in (
        ("a", EVIL, {}),
        ("b", "all none", {"label": "none"}),
        ("c", "all favor", {"label": "favor"}),
        ("d", "annotator pass 1 (automated)", {}),
    ):
        (runs / f"{name}.jsonl").write_text(
            "".join(json.dumps(dict(r, **change) if "label" in r else r) + "\n" for r in rows)
        )
        extra = {"kind": "annotator", "trained_on": [], "tuned_on": [], "articles": ["a4", "a5"]} if name == "d" else {}
        (runs / f"{name}.meta.json").write_text(json.dumps(dict(meta, system=system, **extra)))
    path = runs / "board.html"
    path.write_text(html.to_html(leaderboard(runs, GOLD_DIR, resamples=200)), encoding="utf-8")
    return path


@pytest.fixture
def browser(fail_or_skip):
    with chrome(fail_or_skip, window="1400,1000") as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_DIALOGS})
        yield driver


def test_the_built_dom_has_the_table_and_the_name_as_text(page, browser):
    browser.get(page.as_uri())
    dom = browser.execute_script("return document.documentElement.outerHTML")
    assert '<table class="board" id="board-temporal-sentence_stance">' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and EVIL not in dom


def test_sorting_by_click_and_no_script_from_data(page, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    js = lambda expr: browser.execute_script(f"return {expr};")  # noqa: E731
    table = "#board-temporal-sentence_stance"
    names = f"Array.from(document.querySelectorAll('{table} tbody td.system')).map(td => td.textContent)"
    values = (
        f"Array.from(document.querySelectorAll('{table} tbody tr')).map(tr => parseFloat(tr.cells[2].dataset.sort))"
    )
    header = lambda n: browser.find_element(By.CSS_SELECTOR, f"{table} thead th:nth-child({n})")  # noqa: E731
    # per protocol: 4 tasks + 2 per-target tables; the cv section holds the annotator row alone
    assert js("document.querySelectorAll('table.board').length") == 12
    assert js("document.querySelectorAll('#targets-temporal-sentence_stance tbody tr').length") == 4
    assert EVIL in js(names)  # shown as text
    assert js("document.querySelectorAll('script').length") == 1
    assert js("Array.isArray(window.__dialogs)") and js("window.__dialogs") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - raises when no dialog is open
    before = js(values)
    assert before == sorted(before, reverse=True) != sorted(before)  # ranked best first, not all equal
    header(3).click()  # a real WebDriver click: mouse events at the element's centre
    assert js(values) == sorted(before) and header(3).get_attribute("aria-sort") == "ascending"
    header(3).click()
    assert js(values) == sorted(before, reverse=True)
    header(2).click()  # by name, as text
    assert js(names) == sorted(js(names), key=str)


def test_forest_plot_screenshot(page, browser):
    """Per row a point inside its CI whisker, left of the perfect line; the annotator row hollow and orange."""
    from PIL import Image
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    fig = "#forest-temporal-sentence_stance"
    box = lambda sel: browser.execute_script(  # noqa: E731
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.getBoundingClientRect())"
        ".map(r => [r.left, r.right, r.top, r.bottom])",
        sel,
    )
    rows = box(f"{fig} g.row")
    assert len(rows) == 4 and len(box(f"{fig} g.row.annotator")) == 1
    [perfect] = box(f"{fig} line.perfect")
    points, whiskers = box(f"{fig} .point"), box(f"{fig} line.ci")
    assert len(points) == 4 and len(whiskers) == 4
    for (pl, pr, _, _), (wl, wr, _, _) in zip(points, whiskers, strict=True):
        centre = (pl + pr) / 2
        assert wl - 1 <= centre <= wr + 1  # the point sits inside its CI
        assert centre <= perfect[0] + 1  # nobody beats a perfect system
    assert [b[2] for b in points] == sorted(b[2] for b in points)  # ranked top to bottom
    ARTIFACTS.mkdir(exist_ok=True)
    png = browser.find_element(By.CSS_SELECTOR, fig).screenshot_as_png
    (ARTIFACTS / "leaderboard-forest.png").write_bytes(png)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {c for _, c in img.getcolors(maxcolors=1 << 20)}
    near = lambda rgb: any(sum(abs(a - b) for a, b in zip(rgb, c)) < 30 for c in colours)  # noqa: E731
    assert near((0x2F, 0x5F, 0xB3)) and near((0xD9, 0x82, 0x2B)) and near((0x2A, 0x9D, 0x55))  # system, annotator, perfect
