"""The one headless-browser driver of the test suite: Selenium over Debian's chromium + chromedriver.

Both the Label Studio UI tests and the leaderboard page tests open pages through ``chrome(...)``, so there
is one set of flags, one install step (``make browser``) and one way to click, type and take screenshots.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# no background traffic: nothing outside this machine is reachable, and chromium retries it at every start
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


@contextmanager
def chrome(fail_or_skip: Callable[[str], None], window: str = "1400,1800") -> Iterator:
    """A fresh headless chromium under Selenium, with its own throw-away profile."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        fail_or_skip(f"selenium is missing (pip install -e '.[dev]'): {exc}")
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        fail_or_skip("Debian's chromium and chromium-driver are not installed (make browser)")
    profile = tempfile.mkdtemp(prefix="natostance-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (*FLAGS, f"--window-size={window}", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
