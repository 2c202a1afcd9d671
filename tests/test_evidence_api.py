"""The evidence API: JSON links, multipart uploads, downloads, and every refusal as JSON."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from badges.educator import evidence
from badges.extensions import db
from badges.models import EvidenceItem
from tests.conftest import USER_PASSWORD, api_headers
from tests.test_evidence import ind, rows, stored
from tests.test_uploads import HTML, SVG, minimal_pdf, zip_bomb_docx

PDF = minimal_pdf()
BASE = "/api/v1/me/evidence"


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    path = tmp_path / "evidence"
    app.config["EVIDENCE_STORAGE_DIR"] = str(path)
    return path


@pytest.fixture
def headers(client, auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    return api_headers(client)


def upload(client, headers, data=PDF, filename="plan.pdf", indicators=("4.2",), **fields):
    body = {
        "file": (io.BytesIO(data), filename),
        "title": "Unit plan",
        "narrative": "What I learned.",
        "indicators": list(indicators),
        **fields,
    }
    return client.post(BASE + "/files", data=body, headers=headers, content_type="multipart/form-data")


def add_link(client, headers, **changes):
    body = {
        "title": "Blog",
        "narrative": "Students publish here.",
        "url": "https://blog.example.org",
        "indicators": ["4.2", "1.1"],
        **changes,
    }
    return client.post(BASE + "/links", json=body, headers=headers)


def test_upload_add_link_list_and_read(client, headers, evidence_dir):
    response = upload(client, headers, indicators=("4.2,1.1",), in_summary="true")
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert item["kind"] == "file" and item["filename"] == "plan.pdf" and item["media_type"] == "application/pdf"
    assert [i["code"] for i in item["indicators"]] == ["1.1", "4.2"] and item["in_summary"] is True
    assert item["file_url"].endswith(f"{BASE}/{item['id']}/file") and item["size_bytes"] == len(PDF)
    assert len(stored(evidence_dir)) == 1
    link = add_link(client, headers)
    assert link.status_code == 201 and link.get_json()["url"] == "https://blog.example.org"
    assert link.get_json()["file_url"] is None
    listing = client.get(BASE).get_json()
    assert [i["title"] for i in listing] == ["Blog", "Unit plan"]
    assert client.get(f"{BASE}/{item['id']}").get_json()["sha256"] == item["sha256"]


def test_download_is_an_attachment_with_identical_bytes(client, headers):
    item = upload(client, headers, filename="Évaluation finale.pdf").get_json()
    response = client.get(urlsplit(item["file_url"]).path)  # the URL names BADGES_PUBLIC_URL, not this client's host
    body = response.get_data()
    response.close()
    assert response.status_code == 200 and body == PDF
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Evaluation finale.pdf\"; filename*=UTF-8''%C3%89valuation%20finale.pdf"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Cache-Control"] == "private, no-store"


REFUSALS = [
    ("html-as-pdf", {"data": HTML}, "file", "looks like HTML, not a PDF"),
    ("svg", {"data": SVG, "filename": "logo.svg"}, "file", "SVG"),
    ("zip-bomb", {"data": zip_bomb_docx(), "filename": "bomb.docx"}, "file", "zip bomb"),
    ("empty", {"data": b""}, "file", "empty"),
    ("unknown-code", {"indicators": ["9.9"]}, "indicators", "No key question 9.9"),
    ("not-for-role", {"indicators": ["7.4"]}, "indicators", "for your role (Teacher): 7.4"),
    ("blank-title", {"title": " "}, "title", "title"),
]


@pytest.mark.parametrize("case,change,field,message", REFUSALS, ids=[c for c, *_ in REFUSALS])
def test_bad_uploads_answer_400_naming_the_field(client, headers, evidence_dir, case, change, field, message):
    response = upload(client, headers, **change)
    body = response.get_json()
    assert response.status_code == 400 and message in " ".join(body["errors"][field]), body
    assert rows() == 0 and stored(evidence_dir) == []


def test_bad_link_fields_are_400_and_missing_ones_422(client, headers):
    bad = add_link(client, headers, url="javascript:alert(1)")
    assert bad.status_code == 400 and "https://" in bad.get_json()["errors"]["url"][0]
    missing = client.post(BASE + "/links", json={"title": "T"}, headers=headers)
    assert missing.status_code == 422 and "narrative" in missing.get_json()["errors"]["json"]
    assert rows() == 0


def test_oversize_is_refused_by_the_service_and_the_request_limit(app, client, headers, evidence_dir):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    response = upload(client, headers, data=b"a" * 2000, filename="big.txt")
    assert response.status_code == 400 and "larger than 1 KiB" in response.get_json()["errors"]["file"][0]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = upload(client, headers, data=b"a" * 8000, filename="big.txt")
    assert response.status_code == 413 and "at most 1 KiB" in response.get_json()["message"]
    assert rows() == 0 and stored(evidence_dir) == []


def test_patch_and_delete(client, headers, evidence_dir):
    item = upload(client, headers).get_json()
    url = f"{BASE}/{item['id']}"
    changed = client.patch(url, json={"title": "Better", "indicators": ["1.1"], "in_summary": True}, headers=headers)
    assert changed.status_code == 200 and changed.get_json()["title"] == "Better"
    assert [i["code"] for i in changed.get_json()["indicators"]] == ["1.1"]
    refused = client.patch(url, json={"url": "https://example.org"}, headers=headers)
    assert refused.status_code == 400 and "url" in refused.get_json()["errors"]
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url).status_code == 404 and rows() == 0 and stored(evidence_dir) == []


def test_delete_of_cited_evidence_is_409(client, headers, teacher, evidence_dir):
    from tests.validation_setup import cite_in_claim

    item = upload(client, headers).get_json()
    cite_in_claim(teacher, item["id"])
    response = client.delete(f"{BASE}/{item['id']}", headers=headers)
    assert response.status_code == 409 and "cited by your claim" in response.get_json()["message"]
    assert rows() == 1 and len(stored(evidence_dir)) == 1


def test_state_changes_need_the_csrf_header(client, headers):
    assert client.post(BASE + "/links", json={"title": "T"}).status_code == 400
    assert rows() == 0


@pytest.mark.parametrize("role", ["educator", "validator", "district_leader", "admin"])
def test_nobody_else_reads_changes_or_downloads(client, auth, make_user, headers, evidence_dir, role):
    item = upload(client, headers).get_json()
    auth.logout()
    other = make_user(f"{role}@northfield.example.org", roles=(role,))
    auth.login(other.email, USER_PASSWORD)
    other_headers = api_headers(client)
    url = f"{BASE}/{item['id']}"
    assert client.get(url + "/file").status_code == 404
    expected = 404 if role == "educator" else 403
    assert client.get(url).status_code == expected
    assert client.patch(url, json={"title": "Mine"}, headers=other_headers).status_code == expected
    assert client.delete(url, headers=other_headers).status_code == expected
    assert client.get(BASE).status_code == (200 if role == "educator" else 403)
    if role == "educator":
        assert client.get(BASE).get_json() == []
    db.session.expire_all()
    assert db.session.scalar(select(EvidenceItem.title)) == "Unit plan" and len(stored(evidence_dir)) == 1


def test_anonymous_gets_401(client, app, teacher, framework):
    item = evidence.add_link(teacher, "T", "N", "https://example.org", [ind(framework, "4.2").id])
    db.session.commit()
    for url in (BASE, f"{BASE}/{item.id}", f"{BASE}/{item.id}/file"):
        response = client.get(url)
        assert response.status_code == 401 and response.get_json()["code"] == 401


def test_openapi_documents_the_evidence_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert {
        "/api/v1/me/evidence",
        "/api/v1/me/evidence/links",
        "/api/v1/me/evidence/files",
        "/api/v1/me/evidence/{item_id}",
        "/api/v1/me/evidence/{item_id}/file",
    } <= set(paths)
    upload_body = paths["/api/v1/me/evidence/files"]["post"]["requestBody"]["content"]["multipart/form-data"]
    schema = spec["components"]["schemas"][upload_body["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert {"file", "title", "narrative", "indicators"} <= set(schema["properties"])
