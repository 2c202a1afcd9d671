"""As a teacher would: upload a PDF as evidence without any script, see it listed, download it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import USER_PASSWORD
from tests.test_uploads import HTML, minimal_pdf

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    app.config["EVIDENCE_STORAGE_DIR"] = str(tmp_path / "evidence")
    return tmp_path / "evidence"


def test_teacher_uploads_a_pdf_and_downloads_it(live_server, page, teacher, evidence_dir):
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(teacher.email)
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_server + "/educator/evidence/new-file")
    page.get_by_label("File").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": HTML}]
    )
    page.get_by_label("Title").fill("Unit plan")
    page.get_by_label("What it shows and what you learned").fill("How I planned the unit.")
    page.get_by_label("4.2", exact=False).first.check()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("looks like HTML, not a PDF")).to_be_visible()
    assert not evidence_dir.exists() or not any(evidence_dir.iterdir())

    page.get_by_label("File").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unit plan")
    expect(page.get_by_role("status")).to_contain_text("Uploaded")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="plan.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "plan.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == minimal_pdf()

    page.get_by_role("link", name="My evidence").click()
    expect(page.get_by_role("table")).to_contain_text("Unit plan")
