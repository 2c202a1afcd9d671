"""Every main page (tests/browser/pages.py) fits a laptop and a phone: nothing makes the page scroll sideways.

Signed in as each role of the demo district with its history, each page is opened at 1280 and 390 px; a page
whose document is wider than the window fails the test, named with the elements that stick out."""

from __future__ import annotations

import pytest

from tests.browser.pages import ROLES, WIDTHS, MainPage, lived_in_demo, pages_of, report, scroll_width, sign_in

pytestmark = pytest.mark.browser

# The widest elements whose right edge is past the window: what to fix when a page overflows.
WIDER_THAN_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !el.closest('.table-scroll, .chart-scroll, .visually-hidden')) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      out.push(name + ' (' + Math.round(box.right) + 'px)');
    }
  }
  return out.slice(-5);
}"""


@pytest.mark.parametrize("who", ROLES, ids=lambda who: who or "signed-out")
def test_main_pages_fit_a_laptop_and_a_phone(live_server, page, demo, who):
    world = lived_in_demo(demo)
    sign_in(page, live_server, who)
    too_wide: dict[MainPage, list[str]] = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for main_page in pages_of(who):
            response = page.goto(live_server + main_page.url(world))
            assert response is not None and response.status == 200, f"{main_page.name}: {response and response.status}"
            measured = scroll_width(page)
            if measured > width:
                culprits = ", ".join(page.evaluate(WIDER_THAN_WINDOW))
                too_wide.setdefault(main_page, []).append(f"at {width}px it is {measured}px wide: {culprits}")
    report(too_wide, "pages scroll sideways")
