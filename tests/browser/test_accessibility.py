"""axe-core on every main page (tests/browser/pages.py), signed in as each role, at a laptop's and a phone's width:
any violation of impact serious or critical fails, printed with its rule, impact and the elements it found.

axe-core comes from tests/browser/axe/node_modules (pinned by its package-lock.json, installed by `make test`):
nothing is loaded from a CDN. The page's Content-Security-Policy allows no inline script, so the test's browser
context bypasses it to inject axe (the service's own pages are unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.pages import ROLES, WIDTHS, MainPage, lived_in_demo, pages_of, report, sign_in
from tests.conftest import need

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
  }));
}"""


@pytest.fixture
def axe_page(chromium):
    need(AXE.exists(), f"axe-core is not installed at {AXE} (run `make axe`, which needs npm)")
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.mark.parametrize("who", ROLES, ids=lambda who: who or "signed-out")
def test_main_pages_have_no_serious_accessibility_violations(live_server, axe_page, demo, who):
    world = lived_in_demo(demo)
    page = axe_page
    sign_in(page, live_server, who)
    found: dict[MainPage, list[str]] = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for main_page in pages_of(who):
            response = page.goto(live_server + main_page.url(world))
            assert response is not None and response.status == 200, main_page.name
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(RUN_AXE):
                if violation["impact"] in FAILING_IMPACTS:
                    found.setdefault(main_page, []).append(
                        f"at {width}px {violation['id']} ({violation['impact']}: {violation['help']}) "
                        f"on {', '.join(violation['targets'])}"
                    )
    report(found, "accessibility violations (axe-core)")


def test_skip_to_content_passes_both_menus_and_focus_is_seen(live_server, page, demo):
    sign_in(page, live_server, "teacher")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/educator/goals/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link is not shown when focused"
    ring = skip.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth] }")
    assert ring == ["solid", "3px"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is the page's own first link, past the main menu and the "My competencies" menu.
    where = page.evaluate("[document.activeElement.textContent, !!document.activeElement.closest('main')]")
    assert where == ["New goal", True]
