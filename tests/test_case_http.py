"""CASE over HTTP: the REST service (published versions only, absolute URIs under BADGES_PUBLIC_URL, 404 as
imsx_StatusInfo), the download link, the upload page (every problem listed, nothing created), the command
line, and credentials' alignments resolving at the CASE item."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from badges.authoring.drafts import start_draft
from badges.authoring.publishing import publish_draft
from badges.extensions import db
from badges.frameworks.case_package import QUESTION_TYPE, schema_problems
from badges.frameworks.queries import get_framework
from badges.models import District, Framework
from badges.permissions import framework_owner
from tests.conftest import USER_PASSWORD, csrf_token_from
from tests.test_holder import issued_award

BASE = "http://127.0.0.1:5000"
CASE = "/ims/case/v1p1"


def local(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE) :]


def frameworks_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Framework))


def test_documents_list_published_versions_only(client, admin, framework):
    draft = start_draft(admin, framework)
    db.session.commit()
    answer = client.get(f"{CASE}/CFDocuments")
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == "*"
    identifiers = [d["identifier"] for d in answer.json["CFDocuments"]]
    assert identifiers == [framework.identifier]
    document = answer.json["CFDocuments"][0]
    assert document["uri"] == f"{BASE}{CASE}/CFDocuments/{framework.identifier}"
    assert client.get(local(document["CFPackageURI"]["uri"])).status_code == 200
    one = client.get(local(document["uri"])).json
    assert one == document and one["creator"] == "Educator Competency Badges" and one["caseVersion"] == "1.1"
    # A draft is never served.
    refused = client.get(f"{CASE}/CFDocuments/{draft.identifier}")
    assert refused.status_code == 404
    assert refused.json == {"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": "Unknown Object"}
    assert client.get(f"{CASE}/CFPackages/{draft.identifier}").status_code == 404
    assert client.get(f"{CASE}/CFItems/{draft.domains[0].identifier}").status_code == 404
    assert client.get(f"{CASE}/CFRubrics/{draft.rubric_identifier}").status_code == 404
    assert client.get(f"{CASE}/CFItems/not-a-uuid").json["imsx_description"] == "Invalid UUID"


def test_the_package_is_valid_downloadable_and_every_uri_in_it_resolves(client, framework):
    answer = client.get(f"{CASE}/CFPackages/{framework.identifier}")
    assert answer.status_code == 200 and "Content-Disposition" not in answer.headers
    package = answer.json
    assert schema_problems(package) == []
    download = client.get(f"{CASE}/CFPackages/{framework.identifier}?download=1")
    assert download.headers["Content-Disposition"] == ('attachment; filename="cbe-educator-competencies-1.0.case.json"')
    assert download.json == package
    question = next(i for i in package["CFItems"] if i["CFItemType"] == QUESTION_TYPE)
    item = client.get(local(question["uri"])).json
    assert {k: v for k, v in item.items() if k != "CFDocumentURI"} == question
    assert item["CFDocumentURI"]["identifier"] == framework.identifier
    association = package["CFAssociations"][-1]
    found = client.get(local(association["uri"])).json
    assert found["identifier"] == association["identifier"] and found["associationType"] == "isRelatedTo"
    rubric = client.get(local(package["CFRubrics"][0]["uri"])).json
    assert rubric == package["CFRubrics"][0]
    assert client.get(f"{CASE}/CFAssociations/{framework.identifier}").status_code == 404


def test_uris_come_from_the_public_url_not_the_host_header(client, framework):
    answer = client.get(f"{CASE}/CFPackages/{framework.identifier}", headers={"Host": "evil.example"})
    assert "evil.example" not in answer.get_data(as_text=True)


def test_the_framework_page_links_the_download(client, framework):
    page = client.get("/frameworks/cbe-educator-competencies/1.0").get_data(as_text=True)
    assert f"{CASE}/CFPackages/{framework.identifier}?download=1" in page


def test_an_alignment_points_at_the_case_item_which_resolves(client, make_user, district, framework):
    award, _ = issued_award(make_user, district, framework)
    credential = json.loads(award.data_integrity)
    (alignment,) = credential["credentialSubject"]["achievement"]["alignment"]
    domain = award.badge_class.domain
    assert alignment["targetType"] == "CFItem"
    assert alignment["targetUrl"] == f"{BASE}{CASE}/CFItems/{domain.identifier}"
    assert alignment["targetCode"] == domain.code
    item = client.get(local(alignment["targetUrl"]))
    assert item.status_code == 200 and item.json["fullStatement"] == domain.name
    badge_class = client.get(f"/ob2/badge-classes/{award.badge_class_id}?issuer=northfield").json
    assert badge_class["alignment"][0]["targetUrl"] == alignment["targetUrl"]
    # A credential issued before names the domain page, which still resolves.
    old = f"/frameworks/{framework.slug}/{framework.version}/domains/{domain.code}"
    assert client.get(old).status_code == 200


# --- the upload page ------------------------------------------------------------------------------


@pytest.fixture
def as_admin(client, auth, admin):
    assert auth.login(admin.email, USER_PASSWORD).status_code == 302
    return client


def upload(client, package: bytes | str, name="framework.json", **fields):
    token = csrf_token_from(client.get("/frameworks/import").get_data(as_text=True))
    data = package.encode() if isinstance(package, str) else package
    return client.post(
        "/frameworks/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def test_an_admin_uploads_a_package_and_lands_on_the_draft(as_admin, admin, framework):
    client = as_admin
    package = client.get(f"{CASE}/CFPackages/{framework.identifier}").get_data()
    page = client.get("/frameworks/import")
    assert page.status_code == 200 and "Import a framework" in page.get_data(as_text=True)
    made = upload(client, package, slug="northfield-rubric")
    assert made.status_code == 302
    draft = db.session.scalar(select(Framework).where(Framework.slug == "northfield-rubric"))
    assert made.headers["Location"].endswith(f"/frameworks/drafts/{draft.id}")
    assert client.get(made.headers["Location"]).status_code == 200
    assert framework_owner("northfield-rubric") == admin.district_id
    assert get_framework("northfield-rubric", "1.0") is None  # a draft, not served


def test_an_admin_uploads_the_next_version_of_their_own_framework(as_admin, admin, framework):
    client = as_admin
    package = client.get(f"{CASE}/CFPackages/{framework.identifier}").json
    assert upload(client, json.dumps(package), slug="ours").status_code == 302
    draft = db.session.scalar(select(Framework).where(Framework.slug == "ours"))
    draft.title = "Our framework"
    publish_draft(admin, draft)
    db.session.commit()
    page = client.get("/frameworks/import").get_data(as_text=True)
    assert 'value="ours"' in page and "A new version of Our framework (latest: 1.0)" in page
    package["CFDocument"]["version"] = "2"
    made = upload(client, json.dumps(package), as_version_of="ours")
    assert made.status_code == 302
    version_2 = db.session.scalar(select(Framework).where(Framework.slug == "ours", Framework.version == "2"))
    assert version_2.based_on_id == draft.id and version_2.is_draft
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "drafted from" in page and ">Our framework 1.0</a>" in page


def test_a_bad_package_lists_every_problem_and_creates_nothing(as_admin, framework):
    client = as_admin
    package = client.get(f"{CASE}/CFPackages/{framework.identifier}").json
    package["CFItems"][3]["identifier"] = "nope"
    package["CFRubrics"] = []
    before = frameworks_count()
    refused = upload(client, json.dumps(package))
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "CFItems[3].identifier" in body and "CFRubrics" in body and "Nothing was imported" in body
    assert frameworks_count() == before
    assert upload(client, b"{not json").status_code == 400
    good = client.get(f"{CASE}/CFPackages/{framework.identifier}").get_data()
    assert upload(client, good, slug="a\x00b").status_code == 400  # the request guard's refusal
    for slug in ("x" * 5000, "Bad Slug", "a\tb"):
        bad_slug = upload(client, good, slug=slug)
        assert bad_slug.status_code == 400 and "is no slug" in bad_slug.get_data(as_text=True)
    assert upload(client, json.dumps(package), as_version_of="cbe-educator-competencies").status_code == 400
    token = csrf_token_from(client.get("/frameworks/import").get_data(as_text=True))
    no_file = client.post("/frameworks/import", data={"csrf_token": token})
    assert no_file.status_code == 400 and "choose the package" in no_file.get_data(as_text=True)
    assert frameworks_count() == before


def test_another_role_cannot_import(client, auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    assert client.get("/frameworks/import").status_code == 403


# --- the command line -----------------------------------------------------------------------------


def test_export_and_import_on_the_command_line(runner, framework, tmp_path):
    out = tmp_path / "cbe.json"
    exported = runner.invoke(args=["framework", "export", "cbe-educator-competencies@1.0", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    package = json.loads(out.read_text())
    assert schema_problems(package) == [] and package["CFDocument"]["identifier"] == framework.identifier
    printed = runner.invoke(args=["framework", "export", "cbe-educator-competencies@1.0"])
    assert json.loads(printed.output) == package
    missing = runner.invoke(args=["framework", "export", "nope@1"])
    assert missing.exit_code == 1 and "no published framework" in missing.output

    imported = runner.invoke(args=["framework", "import", str(out), "--slug", "cbe-copy", "--publish"])
    assert imported.exit_code == 0, imported.output
    assert "cbe-copy 1.0: imported and published (9 domains" in imported.output
    assert get_framework("cbe-copy", "1.0") is not None

    package["CFDocument"]["version"] = "2"
    package["CFItems"][2]["identifier"] = "bad"
    package["CFRubrics"] = []
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(package))
    before = frameworks_count()
    refused = runner.invoke(args=["framework", "import", str(broken), "--as-version-of", "cbe-copy"])
    assert refused.exit_code == 1
    assert "CFItems[2].identifier:" in refused.output and "CFRubrics:" in refused.output
    assert len([line for line in refused.output.splitlines() if line.startswith("  ")]) >= 2
    assert frameworks_count() == before


def test_the_command_line_refuses_a_districts_framework(runner, admin, framework, tmp_path):
    district = db.session.get(District, admin.district_id)
    out = tmp_path / "cbe.json"
    runner.invoke(args=["framework", "export", "cbe-educator-competencies@1.0", "-o", str(out)])
    start_draft(admin, framework)  # the district now owns cbe-educator-competencies-northfield
    db.session.commit()
    refused = runner.invoke(
        args=["framework", "import", str(out), "--as-version-of", f"cbe-educator-competencies-{district.slug}"]
    )
    assert refused.exit_code == 1 and "as_version_of" in refused.output


def test_the_command_line_imports_a_draft_for_a_district_to_finish(runner, admin, framework, tmp_path):
    out = tmp_path / "cbe.json"
    runner.invoke(args=["framework", "export", "cbe-educator-competencies@1.0", "-o", str(out)])
    made = runner.invoke(args=["framework", "import", str(out), "--slug", "theirs", "--district", "northfield"])
    assert made.exit_code == 0 and "theirs 1.0: imported as a draft" in made.output
    assert framework_owner("theirs") == admin.district_id
    both = runner.invoke(args=["framework", "import", str(out), "--district", "northfield", "--publish"])
    assert both.exit_code == 1 and "--publish is for shared frameworks" in both.output
    nowhere = runner.invoke(args=["framework", "import", str(out), "--slug", "x", "--district", "nowhere"])
    assert nowhere.exit_code == 1 and "no district with slug 'nowhere'" in nowhere.output


def test_without_publish_or_district_the_command_line_only_checks(runner, framework, tmp_path):
    out = tmp_path / "cbe.json"
    runner.invoke(args=["framework", "export", "cbe-educator-competencies@1.0", "-o", str(out)])
    before = frameworks_count()
    checked = runner.invoke(args=["framework", "import", str(out), "--slug", "checked-only"])
    assert checked.exit_code == 0 and "checked-only 1.0: checked (9 domains" in checked.output
    assert "nothing was imported" in checked.output and frameworks_count() == before
