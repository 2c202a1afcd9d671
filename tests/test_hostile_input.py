"""Hostile input, class by class, over the routes that take it: every answer is a 4xx with a message
that says what was wrong, never a 5xx, on SQLite and PostgreSQL.

Each test builds the world once and sends one class of input to every route it applies to, so a
failure lists every route that broke, not only the first.
"""

from __future__ import annotations

import base64
import io
import json

import pytest
from flask import request
from flask_login import login_required
from werkzeug.exceptions import BadRequest

from badges.extensions import db
from badges.models import District
from badges.web.auth import safe_next
from tests.conftest import csrf_token_from, make_app
from tests.hostile_world import DOMAIN, FW, PDF, build_world, png_with_text_chunk, sign_in, svg_with_credential

DEEP_ARRAYS = "[" * 2048 + "]" * 2048  # a 4 KiB body that exhausts a recursive parser
DEEP_OBJECT = '{"a": ' + DEEP_ARRAYS + "}"  # the same, where a credential object is expected
HUGE_IDS = ("2147483648", "99999999999", str(2**63), "9" * 40)
HUGE_NUMBER = "9" * 5000
SUPERSCRIPT = "²"
NUL = "a\x00b"
CRLF = "a\r\nSet-Cookie: x=y"
API = "/api/v1"


@pytest.fixture
def world(app, framework):
    return build_world(framework)


class Probe:
    """Sends requests as a role (a fresh signed-in client per role) and collects every answer that is
    not the expected 4xx, so one assertion reports them all."""

    def __init__(self, app):
        self.app, self.clients, self.failures = app, {}, []

    def client(self, role):
        if role not in self.clients:
            client = self.app.test_client()
            self.clients[role] = (client, sign_in(client, role))
        return self.clients[role]

    def send(self, role, method, path, expect=(400, 404, 413, 422), contains=None, **kwargs):
        client, token = self.client(role)
        headers = kwargs.pop("headers", {})
        if method != "GET":
            if path.startswith(API):
                headers["X-CSRFToken"] = token
            elif isinstance(kwargs.get("data"), dict):
                kwargs["data"] = {"csrf_token": token, **kwargs["data"]}
        response = client.open(path, method=method, headers=headers, **kwargs)
        body = response.get_data().decode("utf-8", "replace")
        response.close()
        if response.status_code not in expect or (contains and contains not in body):
            start = body.find("<main")
            self.failures.append(
                f"{method} {path!r} as {role}: {response.status_code} {(body[start:] if start >= 0 else body)[:300]!r}"
            )
        return response

    def check(self):
        assert not self.failures, f"{len(self.failures)} hostile inputs not refused cleanly:\n" + "\n".join(
            self.failures
        )


@pytest.fixture
def probe(app, world):
    return Probe(app)


# Every JSON body the API reads, with the role that may call it.
def json_routes(ids):
    return [
        ("educator", "PUT", f"{API}/me/assessments/{ids['assessment']}/ratings"),
        ("educator", "POST", f"{API}/me/goals"),
        ("educator", "PATCH", f"{API}/me/goals/{ids['goal']}"),
        ("educator", "POST", f"{API}/me/evidence/links"),
        ("educator", "PATCH", f"{API}/me/evidence/{ids['link']}"),
        ("educator", "POST", f"{API}/me/claims"),
        ("educator", "POST", f"{API}/me/claims/{ids['claim']}/resubmit"),
        ("educator", "POST", f"{API}/me/claims/{ids['claim']}/withdraw"),
        ("educator", "PATCH", f"{API}/me/badges/{ids['award']}"),
        ("validator", "POST", f"{API}/reviews/claims/{ids['claim']}/decision"),
        ("admin", "PUT", f"{API}/admin/validators/{ids['validator']}/scope"),
        ("admin", "POST", f"{API}/admin/conflicts"),
        ("admin", "POST", f"{API}/awards/{ids['award']}/revoke"),
        ("educator", "POST", f"{API}/me/assessments"),
        ("educator", "POST", f"{API}/me/notifications/read"),
        (None, "POST", f"{API}/verify"),
        ("district_leader", "POST", f"{API}/readiness/targets"),
        ("district_leader", "POST", f"{API}/readiness/cohorts"),
        ("educator", "PUT", f"{API}/me/self-assessment-sharing"),
    ]


def test_deeply_nested_json_bodies_are_refused(probe, world):
    for role, method, path in json_routes(world):
        for who in {role, None}:  # refused before sign-in is even looked at
            probe.send(
                who,
                method,
                path,
                data=DEEP_ARRAYS,
                content_type="application/json",
                expect=(400,),
                contains="nested too deeply",
            )
        probe.send(
            role, method, path, data='{"a": [1, 2', content_type="application/json", expect=(400,), contains="JSON"
        )
    probe.check()


def test_every_json_reader_of_the_app_is_bounded(app):
    # request.get_json anywhere (even forced, past the guard) reads through app.json: never a RecursionError.
    with pytest.raises(ValueError, match="nested too deeply"):
        app.json.loads(DEEP_ARRAYS)
    with (
        app.test_request_context("/", method="POST", data=DEEP_ARRAYS, content_type="text/plain"),
        pytest.raises(BadRequest),
    ):
        request.get_json(force=True)
    assert app.json.loads('{"a": [1, "x"]}') == {"a": [1, "x"]}


def test_deeply_nested_credentials_are_refused_wherever_they_arrive(probe):
    # Pasted into the page, sent to the API, baked into a PNG or an SVG: a refused check, not a crash.
    probe.send(None, "POST", "/verify", data={"token": DEEP_OBJECT}, expect=(200,), contains="nested too deeply")
    probe.send(
        None,
        "POST",
        f"{API}/verify",
        data='{"credential": ' + DEEP_OBJECT + "}",
        content_type="application/json",
        expect=(400,),
        contains="nested too deeply",
    )
    probe.send(
        None, "POST", f"{API}/verify", json={"credential": DEEP_OBJECT}, expect=(200,), contains="nested too deeply"
    )
    probe.send(None, "POST", f"{API}/verify", json={"token": DEEP_OBJECT}, expect=(200,), contains='"valid":false')
    header = base64.urlsafe_b64encode(DEEP_OBJECT.encode()).decode().rstrip("=")
    probe.send(
        None,
        "POST",
        f"{API}/verify",
        json={"token": f"{header}.e30.c2ln"},
        expect=(200,),
        contains="not base64url-encoded JSON",
    )
    for image in (png_with_text_chunk("openbadgecredential", DEEP_OBJECT), svg_with_credential(DEEP_OBJECT)):
        probe.send(
            None,
            "POST",
            "/verify",
            data={"image": (io.BytesIO(image), "badge.png")},
            expect=(200,),
            contains="nested too deeply",
        )
        probe.send(
            None,
            "POST",
            f"{API}/verify",
            data={"image": (io.BytesIO(image), "badge.png")},
            expect=(200,),
            contains="nested too deeply",
        )
    probe.check()


def int_routes(ids):
    """Every route with an integer in its path, as its owner would call it: {} is the id."""
    return [
        ("admin", "POST", "/admin/awards/{}/revoke"),
        ("admin", "POST", "/admin/conflicts/{}/remove"),
        ("admin", "GET", "/admin/validators/{}/scope"),
        ("admin", "POST", "/admin/validators/{}/scope"),
        ("admin", "DELETE", API + "/admin/conflicts/{}"),
        ("admin", "GET", API + "/admin/validators/{}/scope"),
        ("admin", "PUT", API + "/admin/validators/{}/scope"),
        ("admin", "POST", API + "/awards/{}/revoke"),
        ("educator", "GET", API + "/me/assessments/{}"),
        ("educator", "GET", API + "/me/assessments/{}/history"),
        ("educator", "PUT", API + "/me/assessments/{}/ratings"),
        ("educator", "POST", API + "/me/assessments/{}/submit"),
        ("educator", "GET", API + "/me/badges/{}"),
        ("educator", "PATCH", API + "/me/badges/{}"),
        ("educator", "GET", API + "/me/badges/{}/credential.json"),
        ("educator", "GET", API + "/me/badges/{}/credential.jwt"),
        ("educator", "GET", API + "/me/claims/{}"),
        ("educator", "POST", API + "/me/claims/{}/resubmit"),
        ("educator", "POST", API + "/me/claims/{}/withdraw"),
        ("educator", "GET", API + "/me/evidence/{}"),
        ("educator", "PATCH", API + "/me/evidence/{}"),
        ("educator", "DELETE", API + "/me/evidence/{}"),
        ("educator", "GET", API + "/me/evidence/{}/file"),
        ("educator", "GET", API + "/me/goals/{}"),
        ("educator", "PATCH", API + "/me/goals/{}"),
        ("educator", "DELETE", API + "/me/goals/{}"),
        ("validator", "GET", API + "/reviews/claims/{}"),
        ("validator", "POST", API + "/reviews/claims/{}/decision"),
        (None, "GET", "/badge-classes/{}/image.png"),
        (None, "GET", "/badge-classes/{}/image.svg"),
        ("educator", "GET", "/educator/badges/{}"),
        ("educator", "GET", "/educator/badges/{}/badge.png"),
        ("educator", "GET", "/educator/badges/{}/badge.svg"),
        ("educator", "GET", "/educator/badges/{}/credential.json"),
        ("educator", "GET", "/educator/badges/{}/credential.jwt"),
        ("educator", "POST", "/educator/badges/{}/name"),
        ("educator", "GET", "/educator/badges/{}/ob2-badge.png"),
        ("educator", "GET", "/educator/claims/{}"),
        ("educator", "POST", "/educator/claims/{}/resubmit"),
        ("educator", "POST", "/educator/claims/{}/withdraw"),
        ("educator", "GET", "/educator/evidence/{}"),
        ("educator", "POST", "/educator/evidence/{}/delete"),
        ("educator", "GET", "/educator/evidence/{}/edit"),
        ("educator", "POST", "/educator/evidence/{}/edit"),
        ("educator", "GET", "/educator/evidence/{}/file"),
        ("validator", "GET", "/educator/evidence/{}/file"),
        ("educator", "POST", "/educator/goals/{}/delete"),
        ("educator", "GET", "/educator/goals/{}/edit"),
        ("educator", "POST", "/educator/goals/{}/edit"),
        (None, "GET", "/ob2/badge-classes/{}?issuer=hostile"),
        ("validator", "GET", "/validator/claims/{}"),
        ("validator", "POST", "/validator/claims/{}/decision"),
        ("validator", "POST", "/validator/claims/{}/revoke"),
        ("district_leader", "POST", "/readiness/targets/{}/delete"),
        ("district_leader", "GET", "/readiness/cohorts/{}"),
        ("district_leader", "POST", "/readiness/cohorts/{}/delete"),
        ("district_leader", "DELETE", API + "/readiness/targets/{}"),
        ("district_leader", "GET", API + "/readiness/cohorts/{}"),
        ("district_leader", "DELETE", API + "/readiness/cohorts/{}"),
    ]


def test_ids_beyond_the_database_range_in_paths_answer_404(probe, world):
    for role, method, path in int_routes(world):
        for huge in HUGE_IDS:
            kwargs = {"json": {}} if path.startswith(API) and method != "GET" else {"data": {}}
            probe.send(role, method, path.format(huge), expect=(404,), **({} if method == "GET" else kwargs))
    probe.check()


def test_ids_beyond_the_database_range_in_forms_queries_and_json_are_refused(probe, world):
    ids, huge = world, "99999999999"
    evidence_form = {"title": "T", "narrative": "N", "url": "https://example.org/e", "indicators": huge}
    probe.send("educator", "POST", "/educator/evidence/new-link", data=evidence_form, contains="indicators")
    probe.send("educator", "POST", f"/educator/evidence/{ids['link']}/edit", data=evidence_form)
    probe.send(
        "educator", "POST", "/educator/evidence/new-file", data={**evidence_form, "file": (io.BytesIO(PDF), "a.pdf")}
    )
    probe.send(
        "educator",
        "POST",
        "/educator/claims/new",
        data={"badge_class": huge, "statement": "S", "evidence": str(ids["cited"])},
    )
    probe.send(
        "educator",
        "POST",
        "/educator/claims/new",
        data={"badge_class": str(ids["badge"]), "statement": "S", "evidence": huge},
    )
    probe.send(
        "educator",
        "POST",
        f"/educator/claims/{ids['claim']}/resubmit",
        data={"statement": "S", "evidence": huge},
        expect=(400, 409),
    )
    probe.send(
        "educator",
        "POST",
        "/educator/goals/new",
        data={"domain": DOMAIN, "target_level": "3", "target_date": "2099-01-01", "actions": "A", "evidence": huge},
    )
    probe.send(
        "educator",
        "POST",
        f"/educator/goals/{ids['goal']}/edit",
        data={"domain": DOMAIN, "target_level": huge, "target_date": "2099-01-01", "actions": "A", "status": "active"},
    )
    probe.send(
        "validator",
        "POST",
        f"/validator/claims/{ids['claim']}/decision",
        data={"decision": "approve", "revision": huge, f"rating-{huge}": "3"},
        expect=(400, 409),
    )
    probe.send(
        "validator",
        "POST",
        f"/validator/claims/{ids['claim']}/decision",
        data={"decision": "approve", "revision": str(ids["revision"]), f"rating-{huge}": "3"},
        expect=(400, 409),
    )
    probe.send(
        "admin",
        "POST",
        f"/admin/validators/{ids['validator']}/scope",
        data={"domains": DOMAIN, "roles": "teacher", "schools": huge},
    )
    probe.send(
        "admin", "POST", "/admin/conflicts", data={"validator": huge, "educator": str(ids["other"]), "reason": "R"}
    )
    probe.send(
        "admin", "POST", "/admin/conflicts", data={"validator": str(ids["validator"]), "educator": huge, "reason": "R"}
    )
    for path in ("/admin/audit", "/admin/awards", "/home/leader", f"{API}/admin/audit"):
        role = "district_leader" if path == "/home/leader" else "admin"
        for page in (huge, str(2**63), HUGE_NUMBER):
            probe.send(role, "GET", f"{path}?page={page}", expect=(200, 400, 404, 422))
    probe.send("educator", "GET", f"/educator/claims/new?badge_class={huge}", expect=(200, 400, 404))
    probe.send(
        "educator",
        "POST",
        f"{API}/me/goals",
        json={
            "domain": DOMAIN,
            "target_level": 3,
            "target_date": "2099-01-01",
            "actions": "A",
            "evidence": [int(huge)],
        },
    )
    probe.send(
        "educator",
        "POST",
        f"{API}/me/claims",
        json={"badge_class": int(huge), "statement": "S", "evidence": [ids["cited"]]},
    )
    probe.send(
        "educator",
        "POST",
        f"{API}/me/claims",
        json={"badge_class": ids["badge"], "statement": "S", "evidence": [int(huge)]},
    )
    probe.send(
        "admin",
        "PUT",
        f"{API}/admin/validators/{ids['validator']}/scope",
        json={"domains": [DOMAIN], "roles": ["teacher"], "schools": [int(huge)], "whole_district": False},
    )
    probe.send(
        "admin",
        "POST",
        f"{API}/admin/conflicts",
        json={"validator": int(huge), "educator": ids["other"], "reason": "R"},
    )
    probe.send(
        "validator",
        "POST",
        f"{API}/reviews/claims/{ids['claim']}/decision",
        json={"decision": "approve", "revision": int(huge), "ratings": {huge: 3}},
        expect=(400, 409, 422),
    )
    probe.send(
        "educator",
        "PUT",
        f"{API}/me/assessments/{ids['assessment']}/ratings",
        json={"ratings": [{"indicator": ids["indicator_code"], "level": int(HUGE_NUMBER[:40])}]},
    )
    probe.check()


def test_web_addresses_the_standard_library_cannot_split_are_refused(probe, world):
    for url in ("http://[::1", "https://[example.org/x", "http://]/"):
        form = {"title": "T", "narrative": "N", "url": url, "indicators": str(world["indicator"])}
        probe.send("educator", "POST", "/educator/evidence/new-link", data=form, contains="web address")
        probe.send("educator", "POST", f"/educator/evidence/{world['link']}/edit", data=form, contains="web address")
        probe.send(
            "educator",
            "POST",
            f"{API}/me/evidence/links",
            json={"title": "T", "narrative": "N", "url": url, "indicators": [world["indicator_code"]]},
            contains="web address",
        )
        probe.send("educator", "PATCH", f"{API}/me/evidence/{world['link']}", json={"url": url}, contains="web address")
    probe.check()


def test_superscript_digits_and_huge_numbers_in_numeric_fields_are_refused(probe, world):
    code = world["indicator_code"]
    for number in (SUPERSCRIPT, "1" + SUPERSCRIPT, HUGE_NUMBER):
        probe.send(
            "educator",
            "POST",
            f"/educator/assessment/domains/{DOMAIN}",
            data={f"level-{code}": number, "action": "save"},
        )
        probe.send(
            "educator",
            "POST",
            "/educator/goals/new",
            data={"domain": DOMAIN, "target_level": number, "target_date": "2099-01-01", "actions": "A"},
        )
        probe.send(
            "educator",
            "POST",
            "/educator/goals/new",
            data={
                "domain": DOMAIN,
                "target_level": "3",
                "target_date": "2099-01-01",
                "actions": "A",
                "evidence": number,
            },
        )
        probe.send(
            "educator",
            "POST",
            "/educator/evidence/new-link",
            data={"title": "T", "narrative": "N", "url": "https://example.org/e", "indicators": number},
        )
        probe.send(
            "educator",
            "POST",
            "/educator/claims/new",
            data={"badge_class": number, "statement": "S", "evidence": str(world["cited"])},
        )
        probe.send(
            "validator",
            "POST",
            f"/validator/claims/{world['claim']}/decision",
            data={"decision": "approve", "revision": number},
            expect=(400, 409),
        )
        probe.send(
            "validator",
            "POST",
            f"/validator/claims/{world['claim']}/decision",
            data={"decision": "approve", "revision": str(world["revision"]), f"rating-{world['indicator']}": number},
            expect=(400, 409),
        )
        probe.send(
            "admin",
            "POST",
            f"/admin/validators/{world['validator']}/scope",
            data={"domains": DOMAIN, "roles": "teacher", "schools": number},
        )
        probe.send(
            "admin",
            "POST",
            "/admin/conflicts",
            data={"validator": number, "educator": str(world["other"]), "reason": "R"},
        )
        probe.send("admin", "GET", f"/admin/audit?page={number}", expect=(200, 400))
        probe.send("educator", "GET", f"/educator/claims/new?badge_class={number}", expect=(200, 400))
    probe.send(
        "educator",
        "PUT",
        f"{API}/me/assessments/{world['assessment']}/ratings",
        data=json.dumps({"ratings": [{"indicator": code, "level": 10**5000 // 10**4980}]}),
        content_type="application/json",
    )
    probe.send(
        "educator",
        "POST",
        f"{API}/me/goals",
        data='{"domain": "x", "target_level": ' + HUGE_NUMBER + "}",
        content_type="application/json",
    )
    probe.check()


def test_a_text_field_where_a_file_is_expected_is_refused(probe, world):
    form = {"title": "T", "narrative": "N", "indicators": str(world["indicator"]), "file": "not a file"}
    probe.send(
        "educator",
        "POST",
        "/educator/evidence/new-file",
        data=form,
        content_type="multipart/form-data",
        contains="file",
    )
    probe.send(
        "educator",
        "POST",
        f"{API}/me/evidence/files",
        data={**form, "indicators": world["indicator_code"]},
        content_type="multipart/form-data",
        contains="file",
    )
    probe.send(None, "POST", "/verify", data={"image": "not a file"}, content_type="multipart/form-data")
    probe.send(None, "POST", f"{API}/verify", data={"image": "not a file"}, content_type="multipart/form-data")
    probe.send(None, "POST", f"{API}/verify", data={"image": "x", "token": "y"}, content_type="multipart/form-data")
    probe.check()


def multipart(fields: dict[str, str], filename_star: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body whose file part names its file the RFC 2231 way (filename*=UTF-8''...), which is
    how a client can send CR or LF in a file name (a plain filename="..." cannot hold them)."""
    boundary = "hostileboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{filename_star}"
        "\r\nContent-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_file_names_with_control_characters_are_refused_naming_the_file(probe, world):
    _, token = probe.client("educator")
    for name in ("a%0D%0ASet-Cookie%3A%20x%3Dy.pdf", "b%0Ac.pdf", "%0D%0A.pdf", "d%00e.pdf"):
        fields = {"csrf_token": token, "title": "T", "narrative": "N"}
        body, content_type = multipart({**fields, "indicators": str(world["indicator"])}, name, PDF)
        probe.send(
            "educator",
            "POST",
            "/educator/evidence/new-file",
            data=body,
            content_type=content_type,
            expect=(400,),
            contains="rename the file",
        )
        body, content_type = multipart({**fields, "indicators": world["indicator_code"]}, name, PDF)
        probe.send(
            "educator",
            "POST",
            f"{API}/me/evidence/files",
            data=body,
            content_type=content_type,
            expect=(400,),
            contains="rename the file",
        )
    probe.check()


def test_evidence_downloads_name_the_file_safely_in_their_header(probe, world):
    client, token = probe.client("educator")
    for name in ("ünïcode “quoted” name.pdf", 'semi;colon"quote.pdf', "tab\there.pdf"):
        answer = client.post(
            f"{API}/me/evidence/files",
            headers={"X-CSRFToken": token},
            data={
                "title": "T",
                "narrative": "N",
                "indicators": world["indicator_code"],
                "file": (io.BytesIO(PDF), name),
            },
        )
        assert answer.status_code in (201, 400), answer.get_data(as_text=True)
        if answer.status_code == 400:
            continue
        item = answer.get_json()["id"]
        for path in (f"/educator/evidence/{item}/file", f"{API}/me/evidence/{item}/file"):
            download = client.get(path)
            disposition = download.headers["Content-Disposition"]
            download.close()
            assert download.status_code == 200
            assert disposition.startswith("attachment; filename=")
            assert not any(ch in disposition for ch in "\r\n\x00\t")


def test_control_characters_in_next_never_reach_a_redirect(probe, app):
    for target in ("/frameworks/%0d%0aSet-Cookie:%20x=y", "/x%00y", "/frameworks/%0a", "/a%09b"):
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        answer = client.post(
            "/login?next=" + target,
            data={"email": "educator@hostile.example.org", "password": "a-long-enough-password", "csrf_token": token},
        )
        if answer.status_code != 400 or "next" not in answer.get_data(as_text=True):
            probe.failures.append(f"next={target!r}: {answer.status_code} {answer.headers.get('Location')!r}")
        probe.send(None, "GET", "/login?next=" + target, expect=(400,), contains="next")
    # Behind the guard, the redirect rule refuses them too.
    for target in ("/frameworks/\r\nSet-Cookie: x=y", "/x\x00y", "/a\nb"):
        assert safe_next(target) is None
    assert safe_next("/frameworks/?q=1") == "/frameworks/?q=1"
    probe.check()


def test_nul_in_path_segments_and_queries_is_refused(probe, world):
    for path in (
        "/frameworks/%00/1.0",
        f"/frameworks/{FW}/%00",
        f"/frameworks/{FW}/1.0/domains/%00",
        f"{API}/frameworks/%00/1.0",
        f"{API}/frameworks/{FW}/a%00",
        "/credentials/%00",
        "/ob2/assertions/a%00",
        "/ob2/issuers/%00",
        "/home/%00",
        "/issuers/%00",
        "/issuers/x%00/keys/%00",
        "/issuers/%00/status/revocation",
        "/keys/%00",
        "/static/a%00.css",
        "/educator/assessment/domains/%00",
    ):
        probe.send("educator", "GET", path, expect=(404,))
        probe.send(None, "GET", path, expect=(302, 404))
    for path in (
        "/verify?token=%00",
        "/verify?credential=a%00",
        f"/ob2/badge-classes/{world['badge']}?issuer=%00",
        "/login?next=%00",
    ):
        probe.send(None, "GET", path, expect=(200, 400, 404))
    for path in (
        "/admin/audit?action=%00",
        f"{API}/admin/audit?action=%00",
        "/admin/audit.csv?action=a%00",
        f"{API}/admin/audit.csv?action=%00",
        f"{API}/admin/conflicts/{world['conflict']}?reason=%00",
    ):
        probe.send("admin", "DELETE" if "conflicts" in path else "GET", path, expect=(400, 422))
    probe.send("educator", "GET", "/educator/claims/new?badge_class=%00", expect=(200, 400))
    probe.check()


def test_nul_in_form_fields_is_refused_naming_the_field(probe, world):
    ids, code = world, world["indicator_code"]
    posts = [
        ("educator", f"/educator/assessment/domains/{DOMAIN}", {f"level-{code}": "3", f"reflection-{code}": NUL}),
        (
            "educator",
            "/educator/goals/new",
            {"domain": DOMAIN, "target_level": "3", "target_date": "2099-01-01", "actions": NUL},
        ),
        (
            "educator",
            "/educator/goals/new",
            {"domain": NUL, "target_level": "3", "target_date": "2099-01-01", "actions": "A"},
        ),
        (
            "educator",
            f"/educator/goals/{ids['goal']}/edit",
            {
                "domain": DOMAIN,
                "target_level": "3",
                "target_date": "2099-01-01",
                "actions": "A",
                "support_needed": NUL,
                "status": "active",
            },
        ),
        (
            "educator",
            "/educator/evidence/new-link",
            {"title": NUL, "narrative": "N", "url": "https://example.org/", "indicators": str(ids["indicator"])},
        ),
        (
            "educator",
            "/educator/evidence/new-link",
            {"title": "T", "narrative": NUL, "url": "https://example.org/", "indicators": str(ids["indicator"])},
        ),
        (
            "educator",
            f"/educator/evidence/{ids['link']}/edit",
            {"title": "T", "narrative": "N", "url": "https://example.org/\x00", "indicators": str(ids["indicator"])},
        ),
        (
            "educator",
            "/educator/claims/new",
            {"badge_class": str(ids["badge"]), "statement": NUL, "evidence": str(ids["cited"])},
        ),
        ("educator", f"/educator/claims/{ids['claim']}/withdraw", {"reason": NUL}),
        (
            "validator",
            f"/validator/claims/{ids['claim']}/decision",
            {"decision": "return", "feedback": NUL, "revision": str(ids["revision"])},
        ),
        ("validator", f"/validator/claims/{ids['approved']}/revoke", {"reason": NUL}),
        ("admin", f"/admin/awards/{ids['award']}/revoke", {"reason": NUL}),
        (
            "admin",
            "/admin/conflicts",
            {"validator": str(ids["validator"]), "educator": str(ids["other"]), "reason": NUL},
        ),
        ("admin", f"/admin/conflicts/{ids['conflict']}/remove", {"reason": NUL}),
        ("admin", f"/admin/validators/{ids['validator']}/scope", {"domains": NUL, "roles": "teacher", "reason": "R"}),
        (None, "/login", {"email": "a\x00@example.org", "password": "p"}),
        (None, "/verify", {"token": "eyJ\x00.a.b"}),
    ]
    for role, path, data in posts:
        probe.send(role, "POST", path, data=data, expect=(400,), contains="NUL")
    probe.send(
        "educator", "POST", "/educator/evidence/new-link", data={"title\x00": "T"}, expect=(400,), contains="NUL"
    )
    probe.check()


def test_nul_in_json_strings_is_refused_naming_the_field(probe, world):
    ids, code = world, world["indicator_code"]
    bodies = [
        (
            "educator",
            "PUT",
            f"{API}/me/assessments/{ids['assessment']}/ratings",
            {"ratings": [{"indicator": code, "level": 3, "reflection": NUL}]},
        ),
        (
            "educator",
            "PUT",
            f"{API}/me/assessments/{ids['assessment']}/ratings",
            {"ratings": [{"indicator": "4\x00", "level": 3}]},
        ),
        (
            "educator",
            "POST",
            f"{API}/me/goals",
            {"domain": DOMAIN, "target_level": 3, "target_date": "2099-01-01", "actions": NUL},
        ),
        (
            "educator",
            "POST",
            f"{API}/me/goals",
            {"domain": "d\x00", "target_level": 3, "target_date": "2099-01-01", "actions": "A"},
        ),
        ("educator", "PATCH", f"{API}/me/goals/{ids['goal']}", {"support_needed": NUL}),
        (
            "educator",
            "POST",
            f"{API}/me/evidence/links",
            {"title": NUL, "narrative": "N", "url": "https://e.org/", "indicators": [code]},
        ),
        (
            "educator",
            "POST",
            f"{API}/me/evidence/links",
            {"title": "T", "narrative": "N", "url": "https://e.org/", "indicators": ["4\x00"]},
        ),
        ("educator", "PATCH", f"{API}/me/evidence/{ids['link']}", {"narrative": NUL}),
        (
            "educator",
            "POST",
            f"{API}/me/claims",
            {"badge_class": ids["badge"], "statement": NUL, "evidence": [ids["cited"]]},
        ),
        ("educator", "POST", f"{API}/me/claims/{ids['claim']}/withdraw", {"reason": NUL}),
        (
            "validator",
            "POST",
            f"{API}/reviews/claims/{ids['claim']}/decision",
            {"decision": "return", "feedback": NUL, "revision": 1},
        ),
        (
            "admin",
            "PUT",
            f"{API}/admin/validators/{ids['validator']}/scope",
            {"domains": ["d\x00"], "roles": ["teacher"], "schools": [], "whole_district": True},
        ),
        (
            "admin",
            "POST",
            f"{API}/admin/conflicts",
            {"validator": ids["validator"], "educator": ids["other"], "reason": NUL},
        ),
        ("admin", "POST", f"{API}/awards/{ids['award']}/revoke", {"reason": NUL}),
        (None, "POST", f"{API}/verify", {"token": "eyJ\x00.a.b"}),
        (None, "POST", f"{API}/verify", {"credential": {"id": NUL, "proof": {}}}),
        ("educator", "POST", f"{API}/me/goals", {"domain\x00": DOMAIN}),
    ]
    for role, method, path, body in bodies:
        probe.send(role, method, path, json=body, expect=(400,), contains="NUL")
    probe.check()


def test_a_failed_statement_still_gets_the_services_own_error_answer(database_url, world):
    """A flush that fails leaves the session unusable; the error page reads the signed-in person, which
    used to raise again inside the handler and escape it (a bare 500, no JSON). Now the handler rolls
    back first, on both databases. (Its own app: routes cannot be added to the shared one.)"""
    app = make_app(database_url)

    @app.get("/api/v1/broken-for-this-test", endpoint="broken_json")
    @app.get("/broken-for-this-test", endpoint="broken_page")
    @login_required
    def broken():
        db.session.add(District(slug=None, name=None))  # NOT NULL columns: the flush fails
        db.session.flush()

    client = app.test_client()
    sign_in(client, "educator")
    answer = client.get("/api/v1/broken-for-this-test")
    assert answer.status_code == 500
    assert answer.get_json() == {
        "code": 500,
        "status": "Internal Server Error",
        "message": "Something went wrong on our side; it has been logged.",
    }
    page = client.get("/broken-for-this-test")
    assert page.status_code == 500 and "Something went wrong on our side" in page.get_data(as_text=True)
    assert "Sign out" in page.get_data(as_text=True)  # the page still knows who is signed in
    assert client.get("/api/v1/me").status_code == 200  # and the next request works as ever
    with app.app_context():
        db.engine.dispose()


def test_a_multipart_part_without_a_name_is_not_a_crash(probe):
    """Found by schemathesis at 40 examples: werkzeug files such a part under the name None."""
    boundary = "b0undary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nno name here\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nA title\r\n--{boundary}--\r\n'
    )
    for path in (f"{API}/me/evidence/files", "/educator/evidence/new-file"):
        probe.send(
            "educator", "POST", path, data=body.encode(), content_type=f"multipart/form-data; boundary={boundary}",
            expect=(400,), contains="has no name",
        )  # fmt: skip
    probe.check()
