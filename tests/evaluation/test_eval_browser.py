"""The static leaderboard page in real headless Chromium (Debian's ``chromium``; ``make browser``).

Drives the browser with the suite's one driver (Selenium, ``tests/browser.py``): the page renders, a real
click on a header sorts the rows, and a system named ``<script>alert(1)</script>`` shows as text without
any dialog opening.
"""

from __future__ import annotations

import json

import pytest
from browser import chrome
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.evaluation import html
from natostance.evaluation.leaderboard import leaderboard

pytestmark = pytest.mark.browser
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
    ):
        (runs / f"{name}.jsonl").write_text(
            "".join(json.dumps(dict(r, **change) if "label" in r else r) + "\n" for r in rows)
        )
        (runs / f"{name}.meta.json").write_text(json.dumps(dict(meta, system=system)))
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
    assert '<table class="board" id="board-sentence_stance">' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and EVIL not in dom


def test_sorting_by_click_and_no_script_from_data(page, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    js = lambda expr: browser.execute_script(f"return {expr};")  # noqa: E731
    table = "#board-sentence_stance"
    names = f"Array.from(document.querySelectorAll('{table} tbody td.system')).map(td => td.textContent)"
    values = (
        f"Array.from(document.querySelectorAll('{table} tbody tr')).map(tr => parseFloat(tr.cells[2].dataset.sort))"
    )
    header = lambda n: browser.find_element(By.CSS_SELECTOR, f"{table} thead th:nth-child({n})")  # noqa: E731
    assert js("document.querySelectorAll('table.board').length") == 6  # 4 tasks + 2 per-target tables
    assert js("document.querySelectorAll('#targets-sentence_stance tbody tr').length") == 3
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
