"""Where you are, and getting past the menus: the current page is marked (aria-current) in the main menu and in
each section's own menu, and "Skip to content" lands past both menus, on the page itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import USER_PASSWORD

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SECTION_MENUS = ("educator/_nav.html", "admin/_nav.html", "readiness/_plans_nav.html", "validator/_nav.html")


def current_links(html: str) -> dict[str, str]:
    """Link text -> its aria-current value, for the marked links of a page."""
    found = re.findall(r'<a href="[^"]*" aria-current="(page|true)">([^<]+)</a>', html)
    return {text: value for value, text in found}


def section_of(html: str) -> tuple[int, int]:
    """Where the section menu ends and where <main> (the skip link's target) starts."""
    return html.find('<div class="section-nav">'), html.find('<main id="main"')


@pytest.fixture
def educator(auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    return teacher


@pytest.mark.parametrize(
    ("path", "main_menu", "section_menu"),
    [
        ("/home/educator", "page", ("Overview", "page")),
        ("/educator/assessment/", "true", ("Self-assessment", "page")),
        ("/educator/evidence/", "true", ("Evidence", "page")),
        ("/educator/evidence/new-link", "true", ("Evidence", "true")),
        ("/educator/goals/", "true", ("Goals", "page")),
        ("/educator/claims/", "true", ("Badges", "page")),
        ("/educator/summary", "true", ("Conference summary", "page")),
    ],
)
def test_the_educator_sees_where_they_are_and_skips_the_menus(client, educator, path, main_menu, section_menu):
    html = client.get(path).get_data(as_text=True)
    marked = current_links(html)
    assert marked["Educator"] == main_menu
    text, value = section_menu
    assert marked[text] == value
    assert sum(v == "page" for v in marked.values()) <= 2  # at most one per menu (Overview is the home page too)
    menu, main = section_of(html)
    assert 0 < menu < main, "the section menu is not before the skip link's target"
    assert 'href="#main"' in html and html.count('aria-label="My competencies"') == 1


def test_the_framework_and_sign_in_links_are_marked(client):
    assert current_links(client.get("/frameworks/").get_data(as_text=True)) == {"Framework": "page"}
    assert current_links(client.get("/login").get_data(as_text=True)) == {"Sign in": "page"}


def test_the_admin_menu_marks_its_page(client, auth, make_user):
    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None)
    assert auth.login(admin.email, USER_PASSWORD).status_code == 302
    html = client.get("/admin/awards").get_data(as_text=True)
    assert current_links(html) == {"Admin": "true", "Awards": "page"}
    menu, main = section_of(html)
    assert 0 < menu < main


def test_every_section_menu_is_rendered_before_main():
    """A template that includes a section menu inside its content would put it after the skip link's target:
    it belongs in `{% block subnav %}` (templates/base.html)."""
    misplaced = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for menu in SECTION_MENUS:
            for line in text.splitlines():
                if f'include "{menu}"' in line and "{% block subnav %}" not in line:
                    misplaced.append(str(template.relative_to(TEMPLATES)))
    assert not misplaced, f"move the section menu into {{% block subnav %}}: {misplaced}"
