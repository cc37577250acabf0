"""The explorer's 年度报告 page, in headless Chromium, offline: it offers the years the data
covers and downloads the annual report from the server's /report route."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.web.conftest import api_data, screenshot

COVERAGE = "{ dataCoverage { synthetic { share } years { years { year } } } }"


def test_the_report_page_downloads_the_years_report(page: Any, demo_url: str, api_client: httpx.Client, tmp_path: Path) -> None:
    page.goto(f"{demo_url}/explorer/")
    page.click("a[href='#/report']")
    page.wait_for_selector("h1:text-is('产教融合协同育人年度报告')")
    coverage = api_data(api_client, COVERAGE)["dataCoverage"]
    years = sorted({item["year"] for rel in coverage["years"] for item in rel["years"]})
    assert page.eval_on_selector_all("select[name=year] option", "options => options.map((o) => Number(o.value))") == years
    page.select_option("select[name=year]", "2024")
    assert page.get_attribute("a[data-format=pdf]", "href") == "/report?year=2024&format=pdf&lang=zh"
    screenshot(page, "7-annual-report")
    with page.expect_download(timeout=300_000) as download:
        page.click("a[data-format=xlsx]")
    assert download.value.suggested_filename == "chanjiao-report-2024.xlsx"
    download.value.save_as(tmp_path / "report.xlsx")
    first = load_workbook(tmp_path / "report.xlsx", read_only=True).worksheets[0]
    rows = [row for row in first.iter_rows(values_only=True)]
    assert rows[0][0] == "产教融合协同育人年度报告 · 2024"
    assert f"{coverage['synthetic']['share']:.1%}" in str(rows[1][0])
