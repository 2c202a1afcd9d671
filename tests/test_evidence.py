"""The evidence portfolio: the operations, their files on disk, and the pages.

Every refusal is checked three ways: a message naming the problem, no EvidenceItem row, and
no file left in the storage directory.
"""

from __future__ import annotations

import hashlib
import io
import stat

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from badges.base import InvalidInput
from badges.catalogue.loading import install_framework
from badges.educator import evidence, storage
from badges.extensions import db
from badges.frameworks.loader import read_framework_file
from badges.models import EvidenceItem, EvidenceKind, Indicator
from badges.permissions import can_view_evidence_file
from badges.resources import default_framework_file
from tests.conftest import USER_PASSWORD, csrf_token_from
from tests.test_uploads import HTML, SVG, minimal_pdf, zip_bomb_docx

PDF = minimal_pdf()


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    path = tmp_path / "evidence"
    app.config["EVIDENCE_STORAGE_DIR"] = str(path)
    return path


def stored(path) -> list[str]:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(EvidenceItem))


def ind(framework, code: str) -> Indicator:
    return db.session.scalar(select(Indicator).where(Indicator.framework_id == framework.id, Indicator.code == code))


@pytest.fixture
def other_framework(framework):
    data = read_framework_file(default_framework_file())
    data["version"] = "2.0"
    fw = install_framework(data).framework
    db.session.commit()
    return fw


@pytest.fixture
def pdf_item(teacher, framework):
    item = evidence.add_file(
        teacher, "Unit plan", "Shows my unit plan.", "unit plan.pdf", PDF, [ind(framework, "4.2").id]
    )
    db.session.commit()
    return item


# -- operations ---------------------------------------------------------------------------


def test_add_link_and_list(teacher, framework):
    item = evidence.add_link(
        teacher,
        "  Class blog ",
        "Students publish here.",
        "https://blog.example.org/post",
        [ind(framework, "4.2").id, ind(framework, "1.1").id],
        in_summary=True,
    )
    db.session.commit()
    assert (item.kind, item.title, item.in_summary) == (EvidenceKind.LINK, "Class blog", True)
    assert [i.code for i in item.indicators] == ["1.1", "4.2"]
    assert evidence.list_evidence(teacher) == [item]


def test_add_file_stores_generated_name_hash_and_private_mode(teacher, framework, evidence_dir, pdf_item):
    assert len(pdf_item.stored_name) == 32 and stored(evidence_dir) == [pdf_item.stored_name]
    path = evidence_dir / pdf_item.stored_name
    assert path.read_bytes() == PDF and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (pdf_item.media_type, pdf_item.size_bytes, pdf_item.original_filename) == (
        "application/pdf",
        len(PDF),
        "unit plan.pdf",
    )
    assert pdf_item.sha256 == hashlib.sha256(PDF).hexdigest()


BAD_FIELDS = [
    ({"title": " "}, "title", "title"),
    ({"title": "x" * 201}, "title", "200 characters"),
    ({"narrative": ""}, "narrative", "what you learned"),
    ({"narrative": "x" * 10_001}, "narrative", "10,000"),
    ({"url": "javascript:alert(1)"}, "url", "https://"),
    ({"url": "https://"}, "url", "https://"),
    ({"url": "https://example.org/" + "a" * 2000}, "url", "2000"),
    ({"indicators": []}, "indicators", "at least one"),
    ({"indicators": [999_999]}, "indicators", "id 999999"),
    ({"indicators": ["7.4"]}, "indicators", "7.4"),
    ({"indicators": ["other:4.2"]}, "indicators", "framework"),
]


def _resolve(codes, framework, other):
    out = []
    for code in codes:
        if isinstance(code, int):
            out.append(code)
        elif code.startswith("other:"):
            out.append(ind(other, code[6:]).id)
        else:
            out.append(ind(framework, code).id)
    return out


BAD_FIELD_CASES = [
    (kind, *case) for kind in ("link", "file") for case in BAD_FIELDS if kind == "link" or case[1] != "url"
]


@pytest.mark.parametrize(
    "kind,change,field,words", BAD_FIELD_CASES, ids=[f"{k}-{f}-{w}" for k, _, f, w in BAD_FIELD_CASES]
)
def test_bad_fields_are_refused_before_anything_is_written(
    teacher, framework, other_framework, evidence_dir, kind, change, field, words
):
    args = {"title": "T", "narrative": "N", "url": "https://example.org", "indicators": ["4.2"]}
    args.update(change)
    ids = _resolve(args["indicators"], framework, other_framework)
    with pytest.raises(InvalidInput) as caught:
        if kind == "link":
            evidence.add_link(teacher, args["title"], args["narrative"], args["url"], ids)
        else:
            evidence.add_file(teacher, args["title"], args["narrative"], "ok.pdf", PDF, ids)
    assert words in " ".join(caught.value.errors[field])
    db.session.rollback()
    assert rows() == 0 and stored(evidence_dir) == []


def test_indicator_not_for_the_role_names_code_and_role(teacher, framework):
    with pytest.raises(InvalidInput) as caught:
        evidence.add_link(teacher, "T", "N", "https://example.org", [ind(framework, "7.4").id])
    assert caught.value.errors["indicators"] == [
        f"Not a key question for your role (Teacher): 7.4 (id {ind(framework, '7.4').id})."
    ]


def test_person_without_a_professional_role_is_told_why(make_user, framework):
    nobody = make_user("norole@northfield.example.org", professional_role=None)
    with pytest.raises(InvalidInput, match="no professional role"):
        evidence.add_link(nobody, "T", "N", "https://example.org", [ind(framework, "4.2").id])


def test_rolled_back_upload_leaves_no_file(teacher, framework, evidence_dir):
    evidence.add_file(teacher, "T", "N", "a.pdf", PDF, [ind(framework, "4.2").id])
    assert len(stored(evidence_dir)) == 1
    db.session.rollback()
    assert stored(evidence_dir) == [] and rows() == 0


def test_failed_commit_after_the_file_was_written_leaves_no_file(teacher, framework, evidence_dir, pdf_item):
    first = pdf_item.stored_name
    item = evidence.add_file(teacher, "Copy", "N", "b.pdf", PDF, [ind(framework, "4.2").id])
    assert len(stored(evidence_dir)) == 2
    item.stored_name = first  # unique constraint: the commit fails after the new file is on disk
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert stored(evidence_dir) == [first] and rows() == 1


def test_file_written_in_a_released_savepoint_still_waits_for_the_outer_commit(teacher, framework, evidence_dir):
    with db.session.begin_nested():
        evidence.add_file(teacher, "T", "N", "a.pdf", PDF, [ind(framework, "4.2").id])
    db.session.rollback()
    assert stored(evidence_dir) == []


def test_delete_removes_row_and_file_only_after_commit(teacher, evidence_dir, pdf_item):
    evidence.delete_evidence(teacher, pdf_item)
    assert stored(evidence_dir) == [pdf_item.stored_name]
    db.session.rollback()
    assert stored(evidence_dir) == [pdf_item.stored_name] and rows() == 1
    evidence.delete_evidence(teacher, db.session.get(EvidenceItem, pdf_item.id))
    db.session.commit()
    assert stored(evidence_dir) == [] and rows() == 0


def ind_id(user) -> int:
    return next(i.id for d in user.district.framework.domains for i in d.indicators if i.code == "4.1")


def test_delete_of_cited_evidence_is_refused(teacher, framework, evidence_dir, pdf_item):
    from badges.models import BadgeClass
    from badges.validation.claims import create_claim

    badge = db.session.scalar(select(BadgeClass).where(BadgeClass.name == "Delivery and Operations: Novice, Teacher"))
    create_claim(teacher, badge.id, "My unit plan shows it.", [pdf_item.id])
    db.session.commit()
    with pytest.raises(evidence.EvidenceInUse, match="cited by your claim for “Delivery and Operations: Novice"):
        evidence.delete_evidence(teacher, pdf_item)
    db.session.rollback()
    assert rows() == 1 and stored(evidence_dir) == [pdf_item.stored_name]


def test_update_checks_everything_then_changes(teacher, framework, pdf_item):
    with pytest.raises(InvalidInput) as caught:
        evidence.update_evidence(teacher, pdf_item, title="New", url="https://example.org")
    assert "url" in caught.value.errors and pdf_item.title == "Unit plan"
    evidence.update_evidence(teacher, pdf_item, title="New", indicator_ids=[ind(framework, "1.1").id], in_summary=True)
    db.session.commit()
    assert (pdf_item.title, [i.code for i in pdf_item.indicators], pdf_item.in_summary) == ("New", ["1.1"], True)


def test_operations_refuse_another_persons_item(make_user, pdf_item):
    other = make_user("other@northfield.example.org")
    with pytest.raises(PermissionError):
        evidence.delete_evidence(other, pdf_item)
    with pytest.raises(PermissionError):
        evidence.update_evidence(other, pdf_item, title="Mine now")


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("owner", True),
        ("educator", False),
        ("validator", False),
        ("district_leader", False),
        ("admin", False),
        ("anonymous", False),
    ],
)
def test_only_the_owner_may_see_the_file(make_user, teacher, pdf_item, who, allowed):
    from flask_login import AnonymousUserMixin

    viewer = {"owner": teacher, "anonymous": AnonymousUserMixin()}.get(who) or make_user(
        f"{who}@northfield.example.org", roles=(who,)
    )
    assert can_view_evidence_file(viewer, pdf_item) is allowed


def test_orphaned_names_lists_files_without_rows(evidence_dir, pdf_item):
    (evidence_dir / ("0" * 32)).write_bytes(b"stray")
    assert storage.orphaned_names(min_age_seconds=0) == ["0" * 32]
    assert storage.orphaned_names() == []  # too young: may be an upload in progress


# -- pages --------------------------------------------------------------------------------


@pytest.fixture
def signed_in(auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    return teacher


def post_form(client, page_url, data, url=None):
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    return client.post(url or page_url, data={**data, "csrf_token": token}, content_type="multipart/form-data")


def file_fields(framework, data=PDF, filename="plan.pdf", codes=("4.2",), **extra):
    return {
        "file": (io.BytesIO(data), filename),
        "title": "Unit plan",
        "narrative": "What I learned.",
        "indicators": [str(ind(framework, c).id) for c in codes],
        **extra,
    }


def test_upload_page_lists_only_indicators_for_the_role(client, signed_in, framework):
    html = client.get("/educator/evidence/new-file").get_data(as_text=True)
    assert f'id="indicator-{ind(framework, "4.2").id}"' in html
    assert f'id="indicator-{ind(framework, "7.4").id}"' not in html
    assert 'enctype="multipart/form-data"' in html and '<label for="file">File</label>' in html


def test_upload_and_link_through_the_pages(client, signed_in, framework, evidence_dir):
    response = post_form(client, "/educator/evidence/new-file", file_fields(framework, in_summary="y"))
    assert response.status_code == 302
    item = db.session.scalar(select(EvidenceItem))
    assert response.headers["Location"] == f"/educator/evidence/{item.id}" and item.in_summary
    assert stored(evidence_dir) == [item.stored_name]
    response = post_form(
        client,
        "/educator/evidence/new-link",
        {
            "title": "Blog",
            "narrative": "N",
            "url": "https://blog.example.org",
            "indicators": [ind(framework, "1.1").id],
        },
    )
    assert response.status_code == 302
    html = client.get("/educator/evidence/").get_data(as_text=True)
    assert "Unit plan" in html and "Blog" in html and "4.2" in html
    assert "plan.pdf" in client.get(f"/educator/evidence/{item.id}").get_data(as_text=True)


PAGE_REFUSALS = [
    ("html-as-pdf", {"data": HTML}, "looks like HTML, not a PDF"),
    ("svg", {"data": SVG, "filename": "x.svg"}, "SVG"),
    ("zip-bomb", {"data": zip_bomb_docx(), "filename": "bomb.docx"}, "zip bomb"),
    ("empty", {"data": b""}, "The file is empty."),
    ("not-for-role", {"codes": ("7.4",)}, "Not a key question for your role (Teacher): 7.4"),
    ("no-indicator", {"codes": ()}, "Choose at least one key question"),
]


@pytest.mark.parametrize("case,change,message", PAGE_REFUSALS, ids=[c for c, _, _ in PAGE_REFUSALS])
def test_bad_uploads_rerender_with_the_message_and_save_nothing(
    client, signed_in, framework, evidence_dir, case, change, message
):
    response = post_form(client, "/educator/evidence/new-file", file_fields(framework, **change))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and 'aria-invalid="true"' in html
    assert rows() == 0 and stored(evidence_dir) == []


def test_unknown_and_foreign_indicator_ids_are_named(client, signed_in, framework, other_framework, evidence_dir):
    fields = file_fields(framework)
    fields["indicators"] = ["999999", str(ind(other_framework, "4.2").id)]
    html = post_form(client, "/educator/evidence/new-file", fields).get_data(as_text=True)
    assert f"id 999999, {ind(other_framework, '4.2').id}" in html
    assert rows() == 0 and stored(evidence_dir) == []


def test_oversize_upload_is_refused_by_the_service_and_by_the_request_limit(
    app, client, signed_in, framework, evidence_dir
):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    response = post_form(
        client, "/educator/evidence/new-file", file_fields(framework, data=b"a" * 2000, filename="big.txt")
    )
    assert response.status_code == 400 and "larger than 1 KiB" in response.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = post_form(
        client, "/educator/evidence/new-file", file_fields(framework, data=b"a" * 8000, filename="big.txt")
    )
    assert response.status_code == 413 and "at most 1 KiB" in response.get_data(as_text=True)
    assert rows() == 0 and stored(evidence_dir) == []


def test_download_is_an_attachment_with_the_same_bytes(client, signed_in, pdf_item):
    response = client.get(f"/educator/evidence/{pdf_item.id}/file")
    body = response.get_data()
    response.close()
    assert response.status_code == 200 and body == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"unit plan.pdf\"; filename*=UTF-8''unit%20plan.pdf"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", ["educator", "validator", "district_leader", "admin"])
def test_nobody_else_downloads_or_sees_it(client, auth, make_user, pdf_item, role):
    other = make_user(f"{role}@northfield.example.org", roles=(role,))
    auth.login(other.email, USER_PASSWORD)
    assert client.get(f"/educator/evidence/{pdf_item.id}/file").status_code == 404
    assert client.get(f"/educator/evidence/{pdf_item.id}").status_code in (403, 404)


def test_anonymous_is_sent_to_sign_in(client, pdf_item):
    response = client.get(f"/educator/evidence/{pdf_item.id}/file")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_another_educators_ids_answer_404_and_change_nothing(
    client, auth, make_user, framework, evidence_dir, pdf_item
):
    other = make_user("other@northfield.example.org")
    auth.login(other.email, USER_PASSWORD)
    base = f"/educator/evidence/{pdf_item.id}"
    assert client.get(base).status_code == 404
    assert client.get(base + "/edit").status_code == 404
    token = csrf_token_from(client.get("/educator/evidence/new-link").get_data(as_text=True))
    assert (
        client.post(
            base + "/edit",
            data={"csrf_token": token, "title": "Mine", "narrative": "N", "indicators": [ind(framework, "4.2").id]},
        ).status_code
        == 404
    )
    assert client.post(base + "/delete", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(EvidenceItem, pdf_item.id).title == "Unit plan"
    assert stored(evidence_dir) == [pdf_item.stored_name]


def test_edit_page(client, signed_in, framework, pdf_item):
    page = f"/educator/evidence/{pdf_item.id}/edit"
    html = client.get(page).get_data(as_text=True)
    assert 'value="Unit plan"' in html and 'name="url"' not in html
    bad = post_form(client, page, {"title": "", "narrative": "N", "indicators": [ind(framework, "4.2").id]})
    assert bad.status_code == 400 and "Give the evidence a title." in bad.get_data(as_text=True)
    good = post_form(client, page, {"title": "Better", "narrative": "N", "indicators": [ind(framework, "1.1").id]})
    assert good.status_code == 302
    db.session.expire_all()
    item = db.session.get(EvidenceItem, pdf_item.id)
    assert item.title == "Better" and [i.code for i in item.indicators] == ["1.1"] and not item.in_summary


def test_delete_page(client, signed_in, teacher, evidence_dir, pdf_item, make_user):
    from tests.validation_setup import cite_in_claim

    cited = evidence.add_link(teacher, "Cited", "n", "https://example.org/c", [ind_id(teacher)])
    db.session.commit()
    cite_in_claim(teacher, cited.id)
    page = f"/educator/evidence/{cited.id}"
    refused = post_form(client, page, {}, url=page + "/delete")
    assert refused.status_code == 409 and "cited by your claim" in refused.get_data(as_text=True)
    page = f"/educator/evidence/{pdf_item.id}"
    asked = post_form(client, page, {}, url=page + "/delete")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Delete this evidence?" in html and 'name="confirmed" value="yes"' in html
    assert rows() == 2 and len(stored(evidence_dir)) == 1  # asking changed nothing
    assert post_form(client, page, {"confirmed": "yes"}, url=page + "/delete").status_code == 302
    assert rows() == 1 and stored(evidence_dir) == []


def test_cli_lists_and_removes_orphaned_files(app, runner, tmp_path):
    from pathlib import Path

    folder = Path(app.config["EVIDENCE_STORAGE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stray = folder / ("ab" * 16)
    stray.write_bytes(b"left by a crash")
    listed = runner.invoke(args=["evidence", "orphans", "--min-age", "0"])
    assert listed.exit_code == 0 and stray.name in listed.output and stray.exists()
    removed = runner.invoke(args=["evidence", "orphans", "--min-age", "0", "--delete"])
    assert removed.exit_code == 0 and not stray.exists()
