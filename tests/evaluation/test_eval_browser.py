"""The static leaderboard page in real headless Chromium (Debian's ``chromium``; ``make browser``).

Drives the browser over the Chrome DevTools protocol (``websocket-client``): the page renders, a real mouse
click on a header sorts the rows, and a system named ``<script>alert(1)</script>`` shows as text without
any dialog opening.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import time
import urllib.request

import pytest
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.evaluation import html
from natostance.evaluation.leaderboard import leaderboard

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make browser)"),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
EVIL = "<script>alert(1)</script>"


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


class DevTools:
    """The smallest CDP client: one page target, send a command, wait for its answer, keep events."""

    def __init__(self, tmp):
        import websocket

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={tmp}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        port = None
        for line in self.proc.stderr:
            if "DevTools listening on ws://" in line:
                port = line.split("ws://")[1].split("/")[0].split(":")[1]
                break
        assert port, "chromium did not open its DevTools port"
        for _ in range(50):
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
            pages = [t for t in targets if t["type"] == "page"]
            if pages:
                break
            time.sleep(0.1)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=20)
        self.ids, self.events = itertools.count(1), []

    def send(self, method, **params):
        i = next(self.ids)
        self.ws.send(json.dumps({"id": i, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == i:
                assert "error" not in msg, msg
                return msg.get("result", {})
            self.events.append(msg)

    def js(self, expr):
        return self.send("Runtime.evaluate", expression=expr, returnByValue=True)["result"].get("value")

    def wait_event(self, method, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if any(e.get("method") == method for e in self.events):
                return
            self.events.append(json.loads(self.ws.recv()))
        raise AssertionError(f"no {method} within {timeout}s")

    def click(self, selector):
        box = self.js(
            f"(function(){{var r=document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            "return [r.x + r.width / 2, r.y + r.height / 2]})()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def browser(tmp_path):
    b = DevTools(tmp_path / "profile")
    yield b
    b.close()


def test_dump_dom_renders_the_table_with_the_name_as_text(page, tmp_path):
    out = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert '<table class="board" id="board-sentence_stance">' in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and EVIL not in out


def test_sorting_by_click_and_no_script_from_data(page, browser):
    browser.send("Page.enable")
    browser.send(
        "Page.addScriptToEvaluateOnNewDocument",
        source="window.__dialogs=[];window.alert=function(m){window.__dialogs.push(String(m))};",
    )
    browser.send("Page.navigate", url=page.as_uri())
    browser.wait_event("Page.loadEventFired")
    table = "#board-sentence_stance"
    names = f"Array.from(document.querySelectorAll('{table} tbody td.system')).map(td => td.textContent)"
    values = (
        f"Array.from(document.querySelectorAll('{table} tbody tr')).map(tr => parseFloat(tr.cells[2].dataset.sort))"
    )
    assert browser.js("document.querySelectorAll('table.board').length") == 6  # 4 tasks + 2 per-target tables
    assert browser.js("document.querySelectorAll('#targets-sentence_stance tbody tr').length") == 3
    assert EVIL in browser.js(names)  # shown as text
    assert browser.js("document.querySelectorAll('script').length") == 1
    assert browser.js("Array.isArray(window.__dialogs)") and browser.js("window.__dialogs") == []
    assert not any(e.get("method") == "Page.javascriptDialogOpening" for e in browser.events)
    before = browser.js(values)
    assert before == sorted(before, reverse=True) != sorted(before)  # ranked best first, not all equal
    browser.click(f"{table} thead th:nth-child(3)")
    ascending = browser.js(values)
    assert (
        ascending == sorted(before)
        and browser.js(f"document.querySelector('{table} thead th:nth-child(3)').getAttribute('aria-sort')")
        == "ascending"
    )
    browser.click(f"{table} thead th:nth-child(3)")
    assert browser.js(values) == sorted(before, reverse=True)
    browser.click(f"{table} thead th:nth-child(2)")  # by name, as text
    assert browser.js(names) == sorted(browser.js(names), key=str)
