"""Drive a real headless Chromium against a live demo server, for the web UI's tests."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx2 as httpx
import uvicorn
from playwright.sync_api import Browser, Page, Playwright

from sulh.cli.server import initialise
from sulh.config import Settings
from sulh.scenario import play_demo
from sulh.store import Store
from sulh.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class LiveDemo:
    """The demo scenario served over HTTP on a free local port."""

    base_url: str
    passwords: dict[str, tuple[str, str]]
    data_dir: Path
    keys: Path  # the demo's liaisons' and monitors' private key files, <username>.key
    store: Store
    server: uvicorn.Server
    thread: threading.Thread

    def url(self, path: str) -> str:
        return self.base_url + path

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the live demo server did not stop within 10 s"
        self.store.engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_live_demo(data_dir: Path, *, timeout: float = 30) -> LiveDemo:
    """Play the demo into a fresh SQLite record and serve it until `stop()`."""
    database = (data_dir / "demo.sqlite3").resolve()
    settings = Settings.load(
        environ={},
        data_dir=data_dir,
        database_url=f"sqlite:///{database}",
        fusion="inline",
        env="development",
        log_key=data_dir / "keys" / "log.key",
    )
    store = initialise(settings, None)
    keys = data_dir / "demo-keys"
    passwords = play_demo(store, keys=keys)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, store=store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-demo", daemon=True)
    thread.start()
    demo = LiveDemo(f"http://127.0.0.1:{port}", passwords, data_dir, keys, store, server, thread)
    _wait_for_health(demo, timeout)
    return demo


def _wait_for_health(demo: LiveDemo, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert demo.thread.is_alive(), "the live demo server stopped while starting"
        try:
            if httpx.get(demo.url("/api/v1/health"), timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    demo.stop()
    raise AssertionError(f"the live demo did not answer /api/v1/health within {timeout} s")


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; Playwright never downloads a browser of its own."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


AXE_SCRIPT = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page as it stands."""
    # Evaluated rather than added as a <script>, so that the page's CSP cannot refuse it.
    page.evaluate(AXE_SCRIPT)
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return violations


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {target}" for target in v["targets"])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with each WCAG violation and the elements it was found on."""
    violations = axe_violations(page)
    assert not violations, f"axe found on {page.url}:\n{format_violations(violations)}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG as test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
