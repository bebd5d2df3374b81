"""The generated configs work for a person: open tasks in the real Label Studio UI (headless chromium)."""

import time
from pathlib import Path

import pytest
from browser import chrome

from natostance import labels as L
from natostance.annotate.labelstudio.push import project_title, push
from natostance.annotate.labelstudio.server import TEMPLATE_PASSWORD as PASSWORD

pytestmark = [pytest.mark.server, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def browser(fail_or_skip):
    with chrome(fail_or_skip) as driver:
        yield driver


def _login(driver, srv):
    from selenium.webdriver.common.by import By

    driver.get(srv.url + "/user/login/")
    if "/user/login" not in driver.current_url:
        return  # this browser is logged in already
    driver.find_element(By.NAME, "email").send_keys(srv.username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]").click()
    _wait(driver, lambda: "/user/login" not in driver.current_url, "login")


def _wait(driver, ok, what, timeout=60):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            if ok():
                return
        except Exception:  # noqa: BLE001 - the page is still rendering
            pass
        time.sleep(0.25)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"timeout-{what.replace(' ', '-')}.png"))
    raise AssertionError(f"timed out waiting for {what}; page text: {_text(driver)[:500]!r}")


_CHOOSE = """
const label = (i) => document.querySelectorAll('input.ant-radio-input')[i].closest('label');
const on = (i) => label(i).classList.contains('ant-radio-wrapper-checked');
for (const i of arguments[0]) { if (!on(i)) label(i).click(); }
return arguments[0].every(on);
"""


def _settled(driver, timeout: float = 90) -> None:
    """Wait until the labeling UI stops re-creating its controls (it can rebuild once after loading)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if driver.execute_script("window.__probe = document.querySelector('input.ant-radio-input');"
                                 "return !!window.__probe;"):
            time.sleep(2)
            if driver.execute_script("return window.__probe.isConnected;"):
                return
        time.sleep(0.25)
    raise AssertionError("the labeling UI kept re-rendering")


def _choose(driver, indexes: list[int]) -> None:
    """Click radio buttons by position, looked up afresh each time, until they stay checked."""
    def stays() -> bool:
        if not driver.execute_script(_CHOOSE, indexes):
            return False
        time.sleep(1)
        return driver.execute_script(_CHOOSE, indexes)
    _wait(driver, stays, "the choices to stay checked")


def _retry(action, what: str, timeout: float = 30):
    """Run a Selenium action again while the element it found was re-rendered away (nothing happened then)."""
    from selenium.common.exceptions import StaleElementReferenceException

    t0 = time.monotonic()
    while True:
        try:
            return action()
        except StaleElementReferenceException:
            if time.monotonic() - t0 > timeout:
                raise AssertionError(f"{what}: the element kept being re-rendered") from None
            time.sleep(0.25)


def _text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def _shown(driver, name: str) -> list:
    """The radio choices called ``name`` that the page shows (hidden rows stay in the DOM)."""
    from selenium.webdriver.common.by import By

    return [e for e in driver.find_elements(By.CSS_SELECTOR, "label.ant-radio-wrapper")
            if e.is_displayed() and e.text.split("[")[0].strip() == name]


def _open_task(driver, srv, client, kind, key, unit_id, must_show, shot):
    project = client.find_project(project_title("ui", kind))
    task_id = client.task_units(project["id"], key)[unit_id]
    driver.get(f"{srv.url}/projects/{project['id']}/data?task={task_id}")
    titles = list(L.titles("target").values())
    _wait(driver, lambda: all(t in _text(driver) for t in [*must_show, *titles]), f"{kind} task to render")
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / shot))
    return _text(driver)


def test_sentence_and_article_tasks_render_in_the_real_ui(browser, ls_server, client, rows):
    push(rows, round_name="ui", client=client)
    _login(browser, ls_server)
    sentences = {r["sentence_id"]: r for r in rows["sentences"]}
    middle = sentences["a-0001-s0001"]
    before, after = sentences["a-0001-s0000"]["text"], sentences["a-0001-s0002"]["text"]
    # the page shows whitespace collapsed by the browser's innerText; compare words, not spacing
    words = lambda s: " ".join(s.split())  # noqa: E731
    page = _open_task(browser, ls_server, client, "sentences", "sentence_id", middle["sentence_id"],
                      [words(middle["text"])[:25], "Washington declined"], "sentence-task.png")
    assert words(before)[:30] in words(page) and words(after) in words(page)
    for target_title in L.titles("target").values():
        assert target_title in page
    for label in L.labels("stance"):
        assert label in page, f"choice {label!r} not rendered"
    for label in L.labels("holder"):  # no holder row before a stance other than none is chosen
        assert _shown(browser, label) == [], f"holder choice {label!r} shown before any stance"
    article = rows["articles"][0]
    page = _open_task(browser, ls_server, client, "articles", "article_id", article["article_id"],
                      [article["title"], "Washington declined to comment."], "article-task.png")
    for label in (*L.labels("claim_type"), *L.labels("stance")):
        assert label in page, f"label {label!r} not rendered"
    assert "Article-level stance: the article as a whole toward each target" in page
    assert (ARTIFACTS / "sentence-task.png").stat().st_size > 10_000


def test_a_person_labels_a_sentence_in_the_ui_and_pull_reads_it_back(browser, ls_server, client, rows, tmp_path):
    """Click every target's stance and holder in the real UI, submit, pull: the records say what was clicked."""
    from selenium.webdriver.common.by import By

    from natostance.annotate.labelstudio.pull import pull

    push(rows, round_name="ui2", kinds=["sentences"], client=client)
    _login(browser, ls_server)
    project = client.find_project(project_title("ui2", "sentences"))
    task_id = client.task_units(project["id"], "sentence_id")["a-0001-s0001"]
    browser.get(f"{ls_server.url}/projects/{project['id']}/data?task={task_id}")
    stances, holders, targets = L.labels("stance"), L.labels("holder"), L.labels("target")
    per_target = len(stances) + len(holders)
    radios = lambda: browser.find_elements(By.CSS_SELECTOR, "input.ant-radio-input")  # noqa: E731
    _wait(browser, lambda: len(radios()) == per_target * len(targets), "the choices to render")
    _settled(browser)
    want = {t: (stances[i % len(stances)], holders[i % len(holders)]) for i, t in enumerate(targets)}
    want = {t: (s, None if s == "none" else h) for t, (s, h) in want.items()}  # a none stance has no holder row
    _choose(browser, [i * per_target + stances.index(want[t][0]) for i, t in enumerate(targets)])
    _choose(browser, [i * per_target + len(stances) + holders.index(want[t][1])
                      for i, t in enumerate(targets) if want[t][1]])
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "sentence-task-labelled.png"))
    _retry(lambda: browser.find_element(By.XPATH, "//button[normalize-space()='Submit']").click(), "submitting")
    _wait(browser, lambda: client.project(project["id"]).get("num_tasks_with_annotations") == 1
          or client.project(project["id"]).get("total_annotations_number") == 1, "the annotation to be saved")
    result = pull("ui2", kinds=["sentences"], out=tmp_path, client=client)
    got = {r.target: (r.stance, r.holder) for r in result.stances if r.unit_id == "a-0001-s0001"}
    assert got == want
    assert {r.annotator for r in result.stances} == {ls_server.username}
    assert all(r.lead_time and r.lead_time > 0 for r in result.stances)


_SELECT = """
const needle = arguments[0];
const walk = document.createTreeWalker(document.querySelector('.lsf-htx-richtext'), NodeFilter.SHOW_TEXT);
let node;
while ((node = walk.nextNode())) {
  const i = node.nodeValue.indexOf(needle);
  if (i >= 0) {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + needle.length);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
}
return false;
"""


def test_a_person_marks_claim_spans_in_the_ui_and_offsets_are_code_points(browser, ls_server, client, rows, tmp_path):
    """Real text selections (an emoji flag, double spaces) with a per-region speaker, submitted and pulled."""
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from natostance.annotate.labelstudio.pull import pull

    push(rows, round_name="ui3", kinds=["articles"], client=client)
    _login(browser, ls_server)
    project = client.find_project(project_title("ui3", "articles"))
    article = rows["articles"][0]
    task_id = client.task_units(project["id"], "article_id")[article["article_id"]]
    browser.get(f"{ls_server.url}/projects/{project['id']}/data?task={task_id}")
    _wait(browser, lambda: browser.find_elements(By.CSS_SELECTOR, ".lsf-htx-richtext .lsf-richtext__line"), "the text")
    _settled(browser)
    spans = [("statement", "mayor  called it", None), ("quantity", "Russia 🇷🇺 had massed 100,000 troops", "NATO")]
    label = lambda name: next(e for e in browser.find_elements(By.CSS_SELECTOR, ".lsf-label")  # noqa: E731
                              if e.text.startswith(name))
    for claim_type, needle, _ in spans:
        _retry(lambda c=claim_type: label(c).click(), f"clicking label {claim_type}")
        assert browser.execute_script(_SELECT, needle), f"{needle!r} not found in the rendered text"
        _wait(browser, lambda n=needle: any(n.split()[0] in e.text for e in
                                           browser.find_elements(By.CSS_SELECTOR, ".lsf-outliner-item__title")),
              f"region for {needle!r}")
    # Label Studio keeps the first label for the second region: select that region, relabel it, add a speaker
    _retry(lambda: ActionChains(browser).move_to_element(next(
        e for e in browser.find_elements(By.CSS_SELECTOR, ".lsf-outliner-item__title") if "Russia" in e.text))
        .click().perform(), "selecting the region")
    _wait(browser, lambda: browser.find_element(By.CSS_SELECTOR, "[name=speaker]").is_displayed(), "speaker field")
    _retry(lambda: browser.find_element(By.CSS_SELECTOR, "[name=speaker]").send_keys("NATO", Keys.ENTER),
           "typing the speaker")
    _retry(lambda: label(spans[1][0]).click(), "relabelling the region")
    stances = L.labels("stance")
    assert len(browser.find_elements(By.CSS_SELECTOR, "input.ant-radio-input")) == len(stances) * len(L.labels("target"))
    _choose(browser, [i * len(stances) for i, _ in enumerate(L.labels("target"))])
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "article-task-labelled.png"))
    _retry(lambda: browser.find_element(By.XPATH, "//button[normalize-space()='Submit']").click(), "submitting")
    _wait(browser, lambda: client.project(project["id"]).get("total_annotations_number") == 1, "the annotation")
    result = pull("ui3", kinds=["articles"], out=tmp_path, client=client)
    text = article["text"]
    got = sorted((s.claim_type, s.start, s.end, s.text, s.speaker) for s in result.claims)
    want = sorted((t, text.index(n), text.index(n) + len(n), n, sp) for t, n, sp in spans)
    assert got == want, (got, want)  # Python code-point offsets into the exact imported text, whitespace kept
    assert {r.stance for r in result.stances} == {stances[0]}


def test_six_targets_get_shortcuts_and_a_holder_row_appears_with_a_stance(browser, ls_server, client, rows, tmp_path,
                                                                          monkeypatch):
    """A label file extended to a sixth target (as the README describes): its rows get keyboard shortcuts, and
    its holder row shows once its stance is chosen; both by key presses in the real UI, read back by pull."""
    import copy
    import xml.etree.ElementTree as ET

    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from natostance.annotate.labelstudio import config as C
    from natostance.annotate.labelstudio.pull import pull

    defs = copy.deepcopy(L.label_defs())
    defs["target"]["enum"].append("china")
    defs["target"]["x-titles"]["china"] = "China"
    monkeypatch.setattr(L, "label_defs", lambda: defs)
    monkeypatch.setattr(L, "labels_version", lambda: "2")
    push(rows, round_name="ui6", kinds=["sentences"], client=client)
    _login(browser, ls_server)
    project = client.find_project(project_title("ui6", "sentences"))
    task_id = client.task_units(project["id"], "sentence_id")["a-0001-s0001"]
    browser.get(f"{ls_server.url}/projects/{project['id']}/data?task={task_id}")
    _wait(browser, lambda: "China" in _text(browser), "the sixth target to render")
    _settled(browser)
    shown = lambda name: _shown(browser, name)  # noqa: E731
    assert shown("author") == [] and shown("quoted") == []  # no holder row before a stance
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "sentence-task-six-targets.png"))
    root = ET.fromstring(C.render("sentences").split("-->", 1)[1])
    key = {(c.get("name"), x.get("value")): x.get("hotkey") for c in root.iter("Choices") for x in c.iter("Choice")}

    def press(shortcut: str) -> None:
        *mods, k = shortcut.split("+")
        chain = ActionChains(browser)
        for m in mods:
            chain.key_down(Keys.SHIFT if m == "shift" else m)
        chain.send_keys(k)
        for m in mods:
            chain.key_up(Keys.SHIFT if m == "shift" else m)
        chain.perform()
        time.sleep(0.5)

    want = {t: ("none", None) for t in L.labels("target")} | {"china": ("against", "quoted"), "nato": ("favor", "author")}
    browser.find_element(By.TAG_NAME, "body").click()
    for target, (stance, holder) in want.items():
        press(key[(C.stance_name(target), stance)])
        if holder:
            _wait(browser, lambda: len(shown(holder)) >= 1, f"the holder row of {target} to show")
            press(key[(C.holder_name(target), holder)])
    assert len(shown("author")) == 2  # two rows with a stance other than none: two holder rows, no more
    assert key[(C.holder_name("china"), "quoted")].startswith("shift+")  # beyond Label Studio's own 33 keys
    browser.save_screenshot(str(ARTIFACTS / "sentence-task-six-targets-labelled.png"))
    _retry(lambda: browser.find_element(By.XPATH, "//button[normalize-space()='Submit']").click(), "submitting")
    _wait(browser, lambda: client.project(project["id"]).get("total_annotations_number") == 1, "the annotation")
    result = pull("ui6", kinds=["sentences"], out=tmp_path, client=client)
    got = {r.target: (r.stance, r.holder) for r in result.stances if r.unit_id == "a-0001-s0001"}
    assert got == want
