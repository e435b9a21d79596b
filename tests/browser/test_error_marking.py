"""Every form sent empty answers with GOV.UK's error summary at the top, each entry a link to
its field, and each field in error marked: the red bar on its group, its message before it,
aria-invalid and aria-describedby pointing at the message."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import ANNE, KARIM, check_accessibility, login

_CHECK = """() => {
  const problems = [];
  const links = [...document.querySelectorAll('.error-summary a[href^="#"]')];
  if (!links.length) problems.push('no linked entry in the summary');
  for (const link of links) {
    const id = link.getAttribute('href').slice(1);
    const target = document.getElementById(id);
    if (!target) { problems.push('no element #' + id); continue; }
    const group = target.closest('.field, fieldset');
    if (!group || !group.classList.contains('has-error')) {
      problems.push('#' + id + ' not marked'); continue;
    }
    if (getComputedStyle(group).borderLeftStyle !== 'solid') problems.push('#' + id + ' no bar');
    const message = document.getElementById(id + '-error');
    if (!message) { problems.push('#' + id + ' has no message'); continue; }
    const described = (target.getAttribute('aria-describedby') || '').split(' ');
    if (!described.includes(id + '-error')) problems.push('#' + id + ' not described by it');
    if (target.matches('input, select, textarea') && target.getAttribute('aria-invalid') !== 'true')
      problems.push('#' + id + ' not aria-invalid');
  }
  return problems;
}"""


async def _submit_empty(tab: Any, url: str) -> list[str]:
    await tab.goto(url)
    await tab.locator("main form[method=post] button[type=submit]").last.click()
    await expect(tab.locator(".error-summary")).to_be_visible()
    # The summary is first in the form's place and takes the focus (app.js).
    await expect(tab.locator(".error-summary")).to_be_focused()
    return list(await tab.evaluate(_CHECK))


async def test_forms_link_and_mark_every_error(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    await page.locator("tr", has_text="Marc Dubois").get_by_role("link").first.click()
    case = re.sub(r"[?#].*$", "", page.url).replace(str(page.url).split("/cases/")[0], "")
    problems: dict[str, list[str]] = {}
    for url in ("/cases/new", f"{case}/summons/new", f"{case}/measures/new"):
        found = await _submit_empty(page, url)
        if found:
            problems[url] = found
        await check_accessibility(page, f"{url} with errors")
    await page.context.clear_cookies()
    await login(page, KARIM)
    found = await _submit_empty(page, "/sessions/new")
    if found:
        problems["/sessions/new"] = found
    assert not problems, problems
