"""The web form in a real headless browser: Debian's chromium driven by selenium through chromedriver.

The page must render (a screenshot is taken and its pixels looked at: the heading's dark text, the blue
submit button where the browser laid it out), be fillable by label, refuse a missing required field
without a script, and a submission must end as a stored, scored lead. In CI (CI=true) this runs, never
skips; locally it skips only when chromium or chromedriver is not installed.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nlp.extractor import Extractor
from store.store import Store
from tests.conftest import unavailable
from tests.intake.conftest import CONTACT_FORM, intake_server
from tests.intake.png import decode_png

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1000,1100", "--force-device-scale-factor=1")
#: where the last screenshot is kept for a human to look at
SCREENSHOT_COPY = Path(tempfile.gettempdir()) / "leadbot-form-screenshot.png"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        names = ", ".join(missing)
        unavailable(f"{names} not installed (apt-get install chromium chromium-driver)", "the browser test")
    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium must never fetch a browser or a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="leadbot-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _dark(pixel: tuple[int, int, int]) -> bool:
    return sum(pixel) < 200


def _button_blue(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return abs(r - 0x1F) < 12 and abs(g - 0x5B) < 12 and abs(b - 0xD8) < 12


async def test_the_form_renders_and_a_submission_becomes_a_lead(
    browser: Any, sqlite_store: Store, extractor: Extractor, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    async with intake_server(sqlite_store, extractor) as start:
        intake = await start()
        url = f"{intake.base}/form/contact"

        def first_visit() -> tuple[bytes, dict[str, Any], dict[str, Any], str]:
            browser.get(url)
            WebDriverWait(browser, 15).until(expected_conditions.presence_of_element_located((By.TAG_NAME, "h1")))
            heading = browser.find_element(By.TAG_NAME, "h1")
            button = browser.find_element(By.CSS_SELECTOR, "button[type=submit]")
            shot = browser.get_screenshot_as_png()
            return shot, heading.rect, button.rect, browser.title

        shot, heading, button, title = await asyncio.to_thread(first_visit)
        assert title == CONTACT_FORM.title
        (tmp_path / "form.png").write_bytes(shot)
        SCREENSHOT_COPY.write_bytes(shot)
        image = decode_png(shot)
        assert image.width >= 900 and image.height >= 900
        heading_pixels = image.region(int(heading["x"]), int(heading["y"]), int(heading["width"]),
                                      int(heading["height"]))
        assert sum(map(_dark, heading_pixels)) > 100, "the heading's text is not drawn"
        button_pixels = image.region(int(button["x"]), int(button["y"]), int(button["width"]), int(button["height"]))
        assert button["width"] > 40 and sum(map(_button_blue, button_pixels)) > 0.5 * len(button_pixels)
        # The honeypot is in the page but not on screen.
        assert sum(map(_button_blue, image.region(0, 0, image.width, int(button["y"])))) == 0

        def submit_incomplete() -> tuple[str, str | None]:
            browser.find_element(By.ID, "f-email").send_keys("lotta@virtanen-sauna.example")
            browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            alert = WebDriverWait(browser, 15).until(
                expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
            name = browser.find_element(By.ID, "f-full_name")
            return alert.text, name.get_attribute("aria-invalid")

        alert, invalid = await asyncio.to_thread(submit_incomplete)
        assert "Please fill in Your name." in alert and invalid == "true"

        def fill_by_label_and_submit() -> str:
            values = {
                "Your name": "Lotta Virtanen",
                "Phone": "(503) 555-0163",
                "Company": "Virtanen Sauna Works",
                "What do you need?": "Two barrel saunas for a spa, delivery in spring.",
            }
            for label_text, value in values.items():
                label = browser.find_element(By.XPATH, f"//label[starts-with(normalize-space(.), '{label_text}')]")
                field = browser.find_element(By.ID, label.get_attribute("for"))
                field.clear()
                field.send_keys(value)
            browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            status = WebDriverWait(browser, 15).until(
                expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))
            return str(status.text)

        thanks = await asyncio.to_thread(fill_by_label_and_submit)
        assert thanks == CONTACT_FORM.thank_you
        await intake.pipeline.wait_idle()
        leads = await sqlite_store.leads.recent()
        assert len(leads) == 1
        lead = leads[0]
        assert lead.fields["full_name"] == "Lotta Virtanen"
        assert lead.fields["email"] == "lotta@virtanen-sauna.example"
        assert lead.fields["company"] == "Virtanen Sauna Works"
        assert lead.grade == "A"
