"""The web UI in a real browser: headless Chromium against the live demo."""

from __future__ import annotations

import pytest

from tests.browser import LiveDemo, screenshot
from tests.conftest import NewPage

pytestmark = pytest.mark.browser


def test_api_docs_load_in_chromium(live_demo: LiveDemo, new_page: NewPage) -> None:
    page = new_page()
    page.goto(live_demo.url("/api/docs"), wait_until="load")
    screenshot(page, "api-docs")
    assert "Sulh" in page.title()
