"""A hypothesis fuzzer for the HTML form posts: each form route, as the role that owns it, with a valid CSRF
token and fields drawn from hostile text (control characters, NUL, superscript and non-ASCII digits, numbers
of thousands of digits, ids beyond the database's range, broken web addresses and dates), sometimes
repeated, sometimes missing, sometimes beside a field nobody expects. No answer may be a 5xx.

Each route first gets every field set to each of the WORST values, then FUZZ_EXAMPLES drawn examples (default 5);
bounded, derandomized so CI is repeatable, no shrinking.
"""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from badges.base import MAX_ID
from tests.hostile_world import DOMAIN, PDF, build_world, sign_in

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

TRICKY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "a\r\nb",
    "\t",
    "\u202e",
    "²",
    "¹²",
    "٣",
    "-1",
    "0",
    "1",
    "3",
    "4",
    "5",
    str(MAX_ID),
    str(MAX_ID + 1),
    "9" * 40,
    "9" * 5000,
    "1e9",
    "NaN",
    "3.0",
    "http://[::1",
    "https://example.org/evidence",
    "javascript:alert(1)",
    "2099-01-01",
    "2000-01-01",
    "0000-00-00",
    "99999-12-31",
    DOMAIN,
    "teacher",
    "north",
    "approve",
    "return",
    "decline",
    "active",
    "completed",
    "next",
    "save",
    "<script>alert(1)</script>",
    "%00",
    "../../etc/passwd",
    "x" * 10_001,
]
# Tried first on every route, in every field at once: each class the hostile-input probes found.
WORST = ["a\x00b", "a\r\nb", "²", "9" * 5000, str(MAX_ID + 1), "http://[::1", "\x7f"]
VALUES = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(WORST),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=12),  # control characters, mostly
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
FIELD = st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3))  # a repeated field
UPLOAD = st.one_of(
    st.tuples(
        st.binary(max_size=64).map(lambda data: PDF + data),
        st.sampled_from(["a.pdf", "a.png", "a.exe", "", "a\u202ecod.pdf", "..\\..\\a.pdf", "a" * 300 + ".pdf"]),
    ),
    VALUES,  # text where a file belongs
)


PERSON = ["name", "email", "school", "professional_role", "system_roles"]


def form_routes(ids: dict) -> dict[str | None, list[tuple[str, list[str]]]]:
    """role -> [(path, the fields its form has)]: every HTML form post, as the role that owns it."""
    code, indicator = ids["indicator_code"], ids["indicator"]
    evidence = ["title", "narrative", "indicators", "in_summary"]
    goal = ["domain", "target_level", "target_date", "actions", "support_needed", "evidence"]
    exemplar = ["title", "narrative", "url", "file", f"anchor-{indicator}", "anchor_level", "rationale"]
    return {
        None: [("/login", ["email", "password"]), ("/verify", ["token", "image"])],
        "educator": [
            ("/educator/assessment/start", []),
            (f"/educator/assessment/domains/{DOMAIN}", [f"level-{code}", f"reflection-{code}", "action"]),
            ("/educator/assessment/submit", []),
            ("/educator/goals/new", goal),
            (f"/educator/goals/{ids['goal']}/edit", [*goal, "status"]),
            ("/educator/evidence/new-link", [*evidence, "url"]),
            ("/educator/evidence/new-file", [*evidence, "file"]),
            (f"/educator/evidence/{ids['link']}/edit", [*evidence, "url"]),
            ("/educator/claims/new", ["badge_class", "statement", "evidence"]),
            (f"/educator/claims/{ids['claim']}/resubmit", ["statement", "evidence"]),
            (f"/educator/badges/{ids['award']}/name", ["show_name"]),
            ("/educator/claims/notifications/read", []),
            ("/me/self-assessment-sharing", ["share"]),
            (f"/educator/claims/{ids['claim']}/withdraw", ["reason"]),
            (f"/educator/goals/{ids['goal']}/delete", []),
            (f"/educator/evidence/{ids['link']}/calibration-consent", []),
            (f"/educator/evidence/{ids['link']}/calibration-consent/withdraw", []),
            (f"/educator/evidence/{ids['link']}/delete", []),
        ],
        "validator": [
            (f"/validator/claims/{ids['claim']}/decision", ["decision", "feedback", "revision", f"rating-{indicator}"]),
            (f"/validator/claims/{ids['approved']}/revoke", ["reason"]),
            (
                f"/validator/calibration/rounds/{ids['round']}/exemplars/{ids['exemplar']}/rating",
                [f"rating-{indicator}", "overall_level", "note"],
            ),
        ],
        "district_leader": [
            ("/verify", ["token"]),
            (
                "/readiness/targets",
                ["domain", "professional_role", "school", "share_percent", "min_level", "measure", "due_on"],
            ),
            ("/readiness/cohorts", ["domain", "name", "starts_on", "notes", "members", "coach"]),
        ],
        "admin": [
            (
                f"/admin/validators/{ids['validator']}/scope",
                ["domains", "roles", "schools", "whole_district", "reason"],
            ),
            ("/admin/conflicts", ["validator", "educator", "reason"]),
            (f"/admin/conflicts/{ids['conflict']}/remove", ["reason"]),
            (f"/admin/awards/{ids['award']}/revoke", ["reason"]),
            ("/admin/people/new", PERSON),
            ("/admin/people/import", ["roster"]),
            ("/admin/people/import/apply", ["roster"]),
            ("/calibration/sets/new", ["domain", "role", "title", "description"]),
            (f"/calibration/sets/{ids['exemplar_set']}/edit", ["title", "description"]),
            (
                f"/calibration/sets/{ids['exemplar_set']}/exemplars/new",
                exemplar,
            ),
            (
                f"/calibration/exemplars/{ids['draft_exemplar']}/edit",
                [
                    "title",
                    "narrative",
                    "url",
                    "file",
                    "remove_file",
                    f"anchor-{indicator}",
                    "anchor_level",
                    "rationale",
                ],
            ),
            (f"/calibration/sets/{ids['exemplar_set']}/copy", ["consent"]),
            (f"/calibration/sets/{ids['open_set']}/rounds", ["title", "confirmed"]),
            ("/calibration/policy", ["min_exact_percent", "max_age_days", "restricted_levels"]),
            (f"/calibration/sets/{ids['exemplar_set']}/open", ["round_title", "confirmed"]),
            # The framework editor (branch editor): the draft's forms, then the steps that end it.
            *editor_forms(ids),
            ("/frameworks/import", ["file", "as_version_of", "slug"]),  # CASE import (case)
            (f"/admin/people/{ids['validator']}/edit", PERSON),  # last: it may change the validator
        ],
    }


def editor_forms(ids: dict) -> list[tuple[str, list[str]]]:
    draft, question = f"/frameworks/drafts/{ids['framework_draft']}", ids["framework_draft_indicator"]
    role = ["name", "description", "questions"]
    return [
        (f"{draft}/details", ["title", "description", "version"]),
        (f"{draft}/levels/1", ["name", "descriptor"]),
        (f"{draft}/domains/{DOMAIN}", ["name", "description"]),
        (f"{draft}/domains/{DOMAIN}/questions", ["text", "roles"]),
        (f"{draft}/questions/{question}", ["text", "roles"]),
        (f"{draft}/roles/new", role),
        (f"{draft}/roles/teacher", role),
        ("/frameworks/cbe-educator-competencies/1.0/adopt", ["confirmed"]),
        ("/frameworks/cbe-educator-competencies/1.0/draft", []),
        (f"{draft}/questions/{question}/retire", ["confirmed"]),
        (f"{draft}/roles/teacher/remove", ["confirmed"]),
        (f"{draft}/publish", ["confirmed"]),
        (f"{draft}/discard", ["confirmed"]),
    ]


@st.composite
def form_data(draw, fields: list[str]) -> dict:
    data = {}
    for name in fields:
        if draw(st.integers(0, 4)) == 0:  # sometimes missing
            continue
        if name in ("file", "image"):
            upload = draw(UPLOAD)
            data[name] = (io.BytesIO(upload[0]), upload[1]) if isinstance(upload, tuple) else upload
        else:
            data[name] = draw(FIELD)
    if draw(st.booleans()):
        data[draw(st.text(min_size=1, max_size=10))] = draw(VALUES)  # a field nobody expects
    return data


def _poster(client, path, token):
    def post(data):
        response = client.post(path, data={**data, "csrf_token": token})
        response.close()
        assert response.status_code < 500, f"{response.status_code} for {data!r}"

    return post


@pytest.mark.parametrize(
    "role",
    [None, "educator", "validator", "district_leader", "admin"],
    ids=["anonymous", "educator", "validator", "district_leader", "admin"],
)
def test_no_form_post_answers_with_a_server_error(app, framework, role):
    ids = build_world(framework)
    client = app.test_client()
    token = sign_in(client, role)
    failures = []
    for path, fields in form_routes(ids)[role]:
        post = _poster(client, path, token)

        for value in WORST:
            post = example(data={name: value for name in fields})(post)
        try:
            BOUNDED(given(data=form_data(fields))(post))()
        except Exception as exc:  # collect every route's failure, then report them together
            failures.append(f"POST {path}: {str(exc)[:1500]}")
    assert not failures, f"{len(failures)} form posts failed as {role or 'anonymous'}:\n" + "\n".join(failures)
