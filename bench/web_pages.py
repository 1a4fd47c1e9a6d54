"""The web interface with a large record: each page's server time, and the dashboard in Chromium.

The record is the demo (its users, cases and findings) plus `--incidents` seeded incidents
(bench/seed.py: one report and a case each, a tenth of them public). Every page of every
role is asked for `--runs` times in-process (FastAPI's TestClient, so the time is the
server's own: routing, queries, rendering), and the public dashboard is opened in headless
Chromium, fresh each time, to time its first render and the map's clustering.

    .venv/bin/python bench/web_pages.py --db sqlite --incidents 100000
    .venv/bin/python bench/web_pages.py --db postgresql --incidents 100000
"""

from __future__ import annotations

import argparse
import re
import socket
import threading
import time
from typing import Any

import harness
import seed
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from sulh.cli.server import initialise
from sulh.config import Settings
from sulh.scenario import play_demo
from sulh.store.tables import Finding, Incident
from sulh.web.app import create_app

GOAL_P95_MS = 150.0
GOAL_FIRST_RENDER_MS = 1000.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def log_in(client: TestClient, username: str, password: str) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    data = {"csrf": token.group(1), "username": username, "password": password}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def pages(incident: int, public_incident: int, finding: int) -> dict[str | None, list[str]]:
    return {
        None: ["/", "/map/incidents.json", f"/incidents/{public_incident}", f"/findings/{finding}"],
        "liaison.af": ["/", "/liaison", "/liaison/complaints/new", f"/incidents/{incident}"],
        "monitor.1": ["/monitor"],
        "analyst.1": ["/analyst", f"/incidents/{incident}", "/map/incidents.json"],
        "envoy.qa": ["/guarantor", f"/findings/{finding}", f"/incidents/{incident}"],
        "admin": ["/admin"],
    }


def server_times(
    app: Any, passwords: dict[str, tuple[str, str]], paths: Any, runs: int
) -> list[dict[str, Any]]:
    found = []
    for user, urls in paths.items():
        client = TestClient(app, base_url="https://bench")
        if user is not None:
            log_in(client, user, passwords[user][1])
        for url in urls:
            started = time.perf_counter()
            client.get(url)  # the first request fills the caches the others may use
            first_ms = (time.perf_counter() - started) * 1000
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                answer = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, (user, url, answer.status_code)
            found.append(
                {
                    "role": user or "public",
                    "page": url,
                    "bytes": len(answer.content),
                    "first_ms": first_ms,
                    **harness.summarise(samples),
                }
            )
            print(
                f"{user or 'public':<12} {url:<28} p95 {found[-1]['p95_ms']:7.1f} ms, "
                f"first {first_ms:7.1f} ms ({len(answer.content):,} bytes)"
            )
    return found


def first_render(app: Any, runs: int) -> dict[str, Any]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    timings = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{port}/", wait_until="load")
                points = page.evaluate("window.sulhMap.ready.then(m => m[0].pointCount)")
                timings.append(
                    page.evaluate("""() => {
                    const nav = performance.getEntriesByType('navigation')[0];
                    const paint = performance.getEntriesByName('first-contentful-paint')[0];
                    return {first_contentful_paint_ms: paint ? paint.startTime : null,
                            dom_content_loaded_ms: nav.domContentLoadedEventEnd,
                            load_ms: nav.loadEventEnd, map_ready_ms: performance.now()};
                }""")
                    | {"points": points}
                )
                context.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
    keys = ("first_contentful_paint_ms", "dom_content_loaded_ms", "load_ms", "map_ready_ms")
    return {key: harness.summarise([t[key] for t in timings]) for key in keys} | {
        "points": timings[0]["points"],
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--browser-runs", type=int, default=5)
    args = parser.parse_args()
    target = harness.Target.named(args.db, "web")
    target.reset()
    settings = Settings.load(
        environ={},
        data_dir=target.data_dir,
        database_url=target.url,
        fusion="inline",
        log_key=target.data_dir / "keys" / "log.key",
    )
    store = initialise(settings, None)
    passwords = play_demo(store)
    started = time.perf_counter()
    seed.seed_incidents(target.url, count=args.incidents, seed=11, username="liaison.af")
    print(f"seeded {args.incidents:,} incidents in {time.perf_counter() - started:.0f} s")
    with store.read() as session:
        public = session.scalar(select(Incident.id).where(Incident.tier == "public").limit(1))
        finding = session.scalar(select(Finding.id).where(Finding.tier == "public").limit(1))
    app = create_app(settings, store=store)
    paths = pages(incident=1, public_incident=public or 1, finding=finding or 1)
    result = {
        "incidents": args.incidents,
        "db": args.db,
        "goal_p95_ms": GOAL_P95_MS,
        "pages": server_times(app, passwords, paths, args.runs),
        "dashboard_in_chromium": first_render(app, args.browser_runs),
        "machine": harness.machine(target),
    }
    worst = max(p["p95_ms"] for p in result["pages"] if not p["page"].endswith(".json"))
    result["worst_page_p95_ms"] = worst
    print(
        f"worst page p95 {worst:.1f} ms (goal {GOAL_P95_MS:.0f} ms); dashboard in Chromium:",
        {
            k: round(v["median_ms"])
            for k, v in result["dashboard_in_chromium"].items()
            if isinstance(v, dict)
        },
    )
    print("saved", harness.save(f"web_pages-{args.db}", result))


if __name__ == "__main__":
    main()
