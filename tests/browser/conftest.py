"""Browser tests: Debian's chromium, driven by Playwright, against a live server with the demo.

The session starts `perp-track serve` on a free local port over a fresh SQLite database that the
real `perp-track migrate` and `perp-track demo` prepared. Chromium comes from Debian
(`make browser-deps`), never from a browser download; axe-core from npm (tests/browser).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "demo-password-2026"
ANNE = "anne.lambert@mj-liege.example"  # justice assistant, French
PIETER = "pieter.janssens@mj-liege.example"  # justice assistant, Dutch
LUC = "luc.martin@police-liege.example"  # police officer
NADIA = "nadia.benali@sapv-liege.example"  # SAPV contact
KARIM = "karim.haddad@praxis.example"  # programme staff
SOPHIE = "sophie.renard@mj-liege.example"  # supervisor
# The live server checks Twilio's signature on inbound SMS with this token (nothing is sent:
# without an account and a sender, SMS stay queued); a test posts a victim's reply with it.
TWILIO_TOKEN = "browser-test-twilio-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "perp_track.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make browser-deps`")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make browser-deps`")
    folder = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "ENV": "test",
        # Plain http on 127.0.0.1: a Secure cookie would not come back.
        "SESSION_COOKIE_SECURE": "false",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
    }
    _cli(env, "migrate")
    _cli(env, "demo")
    # The worker's first pass: the in-app messages reach the inboxes (no SMS, no e-mail here).
    _cli(env, "dispatch", "--once")
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "perp_track.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/ready", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("the server did not start:\n" + (folder / "server.log").read_text())
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        errors = [
            line
            for line in (folder / "server.log").read_text().splitlines()
            if "Traceback" in line or " 500 " in line
        ]
        assert not errors, "the server logged errors:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Any, live_server: str) -> AsyncIterator[Any]:
    # bypass_csp lets the test inject axe-core; the pages themselves keep their strict policy.
    context = await browser.new_context(
        base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = await context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and "status of 4" not in msg.text
            else None
        ),
    )
    yield tab
    await context.close()
    assert not problems, problems


PHONE = {"width": 390, "height": 844}


@asynccontextmanager
async def signed_in_tab(
    browser: Any, live_server: str, email: str, *, viewport: dict[str, int] = PHONE
) -> AsyncIterator[Any]:
    """A context of its own (CSP bypassed so that axe-core can be injected), one tab, logged in
    as `email`; at phone width unless told otherwise."""
    context = await browser.new_context(base_url=live_server, bypass_csp=True, viewport=viewport)
    context.set_default_timeout(15_000)
    try:
        tab = await context.new_page()
        await login(tab, email)
        yield tab
    finally:
        await context.close()


async def login(tab: Any, email: str) -> None:
    await tab.goto("/login")
    await tab.fill("#email", email)
    await tab.fill("#password", DEMO_PASSWORD)
    await tab.locator("main form button[type=submit]").click()
    await tab.wait_for_url(lambda url: "/login" not in url)


async def check_accessibility(tab: Any, name: str) -> None:
    """axe-core on the page as shown: no serious or critical violation (WCAG 2.2 AA rules)."""
    await tab.add_script_tag(path=str(AXE))
    violations = await tab.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert not serious, f"{name}: {serious}"


async def screenshot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def fits_the_screen(tab: Any) -> bool:
    """No sideways scrolling of the page itself (wide tables scroll inside their own box)."""
    return bool(await tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (`-n 2 --dist loadgroup`), a browser test file runs whole on one worker,
    in its order; the files are shared out between the workers, each with its live server and
    its chromium (started once per worker, on the first browser test it gets)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.xdist_group(f"browser-{item.path.stem}"))
