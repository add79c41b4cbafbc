"""Render the report in headless Chromium: no console errors, every image loads, numbers show.

Needs the Debian packages `chromium` and `chromium-driver` (`make test` installs them).
"""

from __future__ import annotations

import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from logbert.reporting.report import build_report

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
)


@pytest.fixture
def browser(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip("chromium and chromedriver not found: apt-get install chromium chromium-driver")
    options = Options()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


@pytest.mark.slow
def test_report_renders_cleanly_in_chromium(report_inputs, tmp_path, browser):
    paths = report_inputs()
    result = build_report(
        paths["model"],
        tmp_path / "out" / "report.html",
        scores=paths["scores"],
        evaluation=paths["evaluation"],
        sessions=paths["sessions"],
        top=len(paths["rows"]),  # every hostile session id and template is on the page
    )
    browser.get(result.html_path.resolve().as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []  # includes CSP refusals: any injected script or fetch would log one
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt])"
    )
    assert len(images) == len(result.figure_paths) == 5
    assert all(complete and width > 0 for complete, width, _ in images), images
    text = browser.execute_script("return document.body.innerText")
    metrics = paths["metrics"]
    for label, value in (
        ("F1", metrics["f1"]),
        ("ROC-AUC", metrics["roc_auc"]),
        ("PR-AUC", metrics["pr_auc"]),
        ("threshold", 1.5),
    ):
        assert f"{value:.4g}\n{label}" in text, label  # the headline boxes: value over name
    assert '<script>alert("pwned")</script>' in text  # hostile content shown as plain text
    browser.save_screenshot(str(tmp_path / "report.png"))
