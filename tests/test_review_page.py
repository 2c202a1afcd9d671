"""The validator's review page through HTTP: the two-column layout, what each revision cited (its
snapshot), the resubmission diff, earlier ratings pre-filled, the form kept on a refusal, and image
previews redrawn by the service for exactly the people who may download the file."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from badges.educator import evidence
from badges.extensions import db
from badges.models import Claim
from badges.validation import claims
from tests.conftest import USER_PASSWORD, Browserless, api_headers, csrf_token_from
from tests.validation_setup import badge, full_ratings, indicator_id, make_world

BADGE = "Delivery and Operations: Experienced, Teacher"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SECRET = "Home of Terry, 12 Elm Street"


def photo(size=(2400, 1600), fmt="JPEG") -> bytes:
    """A photo with EXIF naming where it was taken (what a preview must never pass on)."""
    image = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 97):
        image.paste((20, 60, 200), (x, 0, x + 20, size[1]))
    exif = Image.Exif()
    exif[0x010E] = SECRET  # ImageDescription
    exif[0x013B] = "Terry Teacher"  # Artist
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    app.config["EVIDENCE_STORAGE_DIR"] = str(tmp_path / "evidence")


@pytest.fixture
def world(make_user, district, framework):
    world = make_world(make_user, district, framework)
    world.vera = world.person(make_user, "vera@northfield.example.org", roles=("validator",))
    world.set_scope(world.vera)
    world.otto = world.person(make_user, "otto@northfield.example.org", roles=("validator",))
    world.set_scope(world.otto, domains=["engagement-communication"])
    world.other = world.person(make_user, "other@northfield.example.org")
    return world


def signed_in(app, email):
    client = app.test_client()
    assert Browserless(client).login(email, USER_PASSWORD).status_code == 302
    return client


def make_claim(world, image: bytes | None = None, filename="photo.jpg") -> Claim:
    ids = [indicator_id(world.framework, "4.1")]
    link = evidence.add_link(world.teacher, "Class tracker", "Where each student is.", "https://example.org/t", ids)
    cited = [link.id]
    if image is not None:
        cited.append(evidence.add_file(world.teacher, "Wall chart", "The chart.", filename, image, ids).id)
    made = claims.create_claim(world.teacher, badge(BADGE).id, "I track every student weekly.", cited)
    db.session.commit()
    return made


def decide(client, claim, decision, feedback="", levels=None, revision=1):
    token = csrf_token_from(client.get(f"/validator/claims/{claim.id}").get_data(as_text=True))
    data = {"csrf_token": token, "decision": decision, "feedback": feedback, "revision": revision}
    data.update({f"rating-{key}": value for key, value in (levels or {}).items()})
    return client.post(f"/validator/claims/{claim.id}/decision", data=data)


def resubmitted(world, claim) -> Claim:
    """Revision 2: the statement and the tracker's narrative edited, a schedule added."""
    db.session.expire_all()
    claim = db.session.get(Claim, claim.id)
    tracker = next(item for item in claim.current.evidence if item.title == "Class tracker")
    evidence.update_evidence(world.teacher, tracker, narrative="Where each student is, updated every day.")
    schedule = evidence.add_link(
        world.teacher, "Support schedule", "When help happens.", "https://example.org/s", [tracker.indicators[0].id]
    )
    ids = [item.id for item in claim.current.evidence] + [schedule.id]
    claims.resubmit_claim(world.teacher, claim, "I track every student daily, with notes.", ids)
    db.session.commit()
    return claim


def test_layout_puts_evidence_beside_criteria_and_decision(app, world):
    claim = make_claim(world)
    body = signed_in(app, world.vera.email).get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    layout, evidence_col, side = (
        body.index(f'class="{c}"') for c in ("review-layout", "review-evidence", "review-criteria")
    )
    assert layout < evidence_col < body.index("Class tracker") < side
    assert side < body.index('id="criteria-heading"') < body.index('id="decision-heading"') < body.index("</aside>")
    assert "revision-diff" not in body  # revision 1: nothing to compare


def test_resubmission_shows_the_diff_snapshots_and_earlier_ratings(app, world):
    claim = make_claim(world)
    vera = signed_in(app, world.vera.email)
    levels = {str(key): 2 for key in full_ratings(claim, 2)}
    assert decide(vera, claim, "return", "Show daily tracking.", levels).status_code == 302
    claim = resubmitted(world, claim)
    tracker = next(item for item in claim.current.evidence if item.title == "Class tracker")
    # Edited once more after resubmitting: the page still shows what revision 2 cited.
    evidence.update_evidence(world.teacher, tracker, narrative="Rewritten after the claim was sent.")
    db.session.commit()

    body = vera.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    assert "What changed since revision 1" in body and "Revision 1 is the one you last judged." in body
    assert re.search(r"<del><span class=\"visually-hidden\">\[removed: </span>weekly<", body)
    assert re.search(r"<ins><span class=\"visually-hidden\">\[added: </span>daily, with notes<", body)
    assert '<strong class="diff-tag">Added:</strong> Support schedule' in body
    assert '<strong class="diff-tag">Changed:</strong> Class tracker' in body and "<dt>What it shows</dt>" in body
    assert "Where each student is, updated every day." in body  # revision 2's snapshot
    assert "Rewritten after the claim was sent." not in body
    assert "The educator has edited this item since" in body
    for indicator in full_ratings(claim, 2):
        assert re.search(rf'name="rating-{indicator}" value="2" checked', body)
    assert "Your ratings from revision 1 are filled in" in body

    detail = vera.get(f"/api/v1/reviews/claims/{claim.id}").get_json()
    first, second = detail["revisions"]
    assert first["evidence_snapshot"][0]["narrative"] == "Where each student is."
    assert second["evidence_snapshot"][0]["narrative"] == "Where each student is, updated every day."
    diff = detail["diff"]
    assert (diff["since_revision"], diff["revision"], diff["judged_by_you"]) == (1, 2, True)
    assert {"kind": "removed", "text": "weekly"} in diff["statement"]
    assert [s["title"] for s in diff["evidence"]["added"]] == ["Support schedule"]
    assert diff["evidence"]["changed"][0]["title"] == "Class tracker"
    assert detail["earlier_ratings"] == {str(key): 2 for key in full_ratings(claim, 2)}

    # The educator's history shows each revision as it was submitted, too.
    teacher = signed_in(app, world.teacher.email)
    history = teacher.get(f"/educator/claims/{claim.id}").get_data(as_text=True)
    assert "Where each student is." in history  # revision 1 (revision 2 reads "is, updated every day")
    assert "Where each student is, updated every day." in history
    assert "Rewritten after the claim was sent." not in history
    assert "You have edited this item since" in history


def test_a_refused_decision_keeps_ratings_feedback_and_decision(app, world):
    claim = make_claim(world)
    vera = signed_in(app, world.vera.email)
    first = next(iter(full_ratings(claim, 3)))
    response = decide(vera, claim, "approve", "Clear evidence of tracking.", {first: 3})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="ratings-errors"' in body
    assert re.search(rf'name="rating-{first}" value="3" checked', body)
    assert "Clear evidence of tracking.</textarea>" in body
    assert "You chose “Approve”." in body
    assert re.search(r'value="approve" aria-describedby="decision-chosen" data-chosen>Approve</button>', body)
    assert re.search(r'value="return" class="secondary">Return for more evidence</button>', body)
    again = decide(vera, claim, "return", "", {first: 2})
    body = again.get_data(as_text=True)
    assert (
        again.status_code == 400 and 'id="feedback-errors"' in body and "You chose “Return for more evidence”." in body
    )


def test_image_preview_is_redrawn_without_metadata(app, world):
    upload = photo()
    claim = make_claim(world, upload)
    item = next(item for item in claim.current.evidence if item.title == "Wall chart")
    vera = signed_in(app, world.vera.email)
    page = vera.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    assert f'<img src="/educator/evidence/{item.id}/preview" width="1200" height="800"' in page
    response = vera.get(f"/educator/evidence/{item.id}/preview")
    data = response.get_data()
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["Cache-Control"].startswith("private")
    assert "Content-Disposition" not in response.headers or "attachment" not in response.headers["Content-Disposition"]
    assert data != upload and SECRET.encode() not in data and b"Exif" not in data
    preview = Image.open(io.BytesIO(data))
    assert preview.size == (1200, 800) and not preview.getexif() and "exif" not in preview.info
    # The owner sees it too; a phone's rotation is applied; a PNG with transparency stays PNG.
    owner = signed_in(app, world.teacher.email)
    assert owner.get(f"/educator/evidence/{item.id}/preview").status_code == 200
    sideways = Image.new("RGB", (400, 200), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to show
    out = io.BytesIO()
    sideways.save(out, format="JPEG", exif=exif.tobytes())
    turned = evidence.add_file(
        world.teacher, "Turned", "Upright.", "t.jpg", out.getvalue(), [indicator_id(world.framework, "4.1")]
    )
    db.session.commit()
    upright = Image.open(io.BytesIO(owner.get(f"/educator/evidence/{turned.id}/preview").get_data()))
    assert upright.size == (200, 400) and not upright.getexif()
    clear = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    out = io.BytesIO()
    clear.save(out, format="PNG")
    png = evidence.add_file(
        world.teacher, "Clear", "Nothing.", "clear.png", out.getvalue(), [indicator_id(world.framework, "4.1")]
    )
    db.session.commit()
    answer = owner.get(f"/educator/evidence/{png.id}/preview")
    assert answer.mimetype == "image/png" and Image.open(io.BytesIO(answer.get_data())).mode == "RGBA"
    detail = vera.get(f"/api/v1/reviews/claims/{claim.id}").get_json()
    urls = {e["title"]: e["preview_url"] for e in detail["revisions"][0]["evidence"]}
    assert urls["Wall chart"].endswith(f"/educator/evidence/{item.id}/preview") and urls["Class tracker"] is None


def test_preview_only_for_images_and_only_for_those_who_may_download(app, world):
    claim = make_claim(world, photo((400, 300)))
    item = next(item for item in claim.current.evidence if item.title == "Wall chart")
    pdf = evidence.add_file(
        world.teacher, "Report", "The report.", "r.pdf", PDF, [indicator_id(world.framework, "4.1")]
    )
    db.session.commit()
    url = f"/educator/evidence/{item.id}/preview"
    owner = signed_in(app, world.teacher.email)
    assert owner.get(f"/educator/evidence/{pdf.id}/preview").status_code == 404  # not an image
    download = owner.get(f"/educator/evidence/{pdf.id}/file")
    download.close()  # send_file streams from the open file
    assert download.status_code == 200  # still a download
    assert signed_in(app, world.other.email).get(url).status_code == 404  # another educator
    assert signed_in(app, world.otto.email).get(url).status_code == 404  # a validator out of scope
    assert app.test_client().get(url).status_code == 302  # not signed in: to the sign-in page
    vera = signed_in(app, world.vera.email)
    assert vera.get(url).status_code == 200
    assert decide(vera, claim, "return", "More, please.").status_code == 302
    assert vera.get(url).status_code == 404  # decided: no longer theirs to see, like the download


@pytest.mark.parametrize(
    "name,data",
    [
        ("garbage after a PNG signature", b"\x89PNG\r\n\x1a\n" + b"\x00not really an image" * 20),
        ("a truncated JPEG", photo((800, 600))[:900]),
        ("a PNG claiming 49 megapixels", None),
    ],
)
def test_a_bad_image_gets_a_note_and_never_a_500(app, world, name, data):
    if data is None:  # small on disk, huge in memory: refused from its header
        out = io.BytesIO()
        Image.new("1", (7000, 7000)).save(out, format="PNG")
        data = out.getvalue()
    filename = "bad.png" if data.startswith(b"\x89PNG") else "bad.jpg"
    claim = make_claim(world, data, filename)
    item = next(item for item in claim.current.evidence if item.title == "Wall chart")
    vera = signed_in(app, world.vera.email)
    page = vera.get(f"/validator/claims/{claim.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "This image cannot be previewed" in body or f'src="/educator/evidence/{item.id}/preview"' in body
    assert f'href="/educator/evidence/{item.id}/file" download>Download</a>' in body
    assert vera.get(f"/educator/evidence/{item.id}/preview").status_code == 404
    assert vera.get(f"/api/v1/reviews/claims/{claim.id}", headers=api_headers(vera)).status_code == 200
