"""A small district where every kind of object exists once, for the hostile-input probes and the fuzzers:
an educator's link, file, goal, draft self-assessment and claim (in a validator's scope), an awarded
badge, a recorded conflict, and one person per system role, each signed in through the real login form.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date, timedelta

from PIL import Image
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from badges.catalogue.badge_classes import role_indicators
from badges.educator import assessments, evidence, goals
from badges.extensions import db
from badges.models import BadgeClass, District, School, SystemRole, User
from badges.people import scope
from badges.validation import claims, reviews
from tests.calibration_setup import make_set, open_round
from tests.conftest import csrf_token_from
from tests.framework_setup import framework_world_ids

PASSWORD = "a-long-enough-password"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose
ROLES = ("educator", "validator", "district_leader", "admin")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FW = "cbe-educator-competencies"
DOMAIN = "delivery-operations"


def email_of(role: str) -> str:
    return f"{role}@hostile.example.org"


def build_world(framework) -> dict:
    """Everything the probes point at; returns the ids and names they need."""
    district = District(slug="hostile", name="Hostile District", framework=framework)
    district.schools.append(School(slug="north", name="North School"))
    db.session.add(district)
    users = {}
    for role in SystemRole:
        user = User(
            district=district,
            email=email_of(role.value),
            name=role.label,
            professional_role="teacher",
            password_hash=PASSWORD_HASH,
        )
        user.set_system_roles({role})
        db.session.add(user)
        users[role.value] = user
    db.session.flush()
    owner, validator, admin = users["educator"], users["validator"], users["admin"]
    indicator = next(i for d in framework.domains for i in d.indicators if i.code == "4.1")
    ids = {
        "indicator": indicator.id,
        "indicator_code": indicator.code,
        "school": district.schools[0].id,
        "link": evidence.add_link(owner, "A link", "What it shows", "https://example.org/x", [indicator.id]).id,
        "file": evidence.add_file(owner, "A file", "What it shows", "a.pdf", PDF, [indicator.id]).id,
        "assessment": assessments.start_assessment(owner).id,
    }
    ids["goal"] = goals.create_goal(owner, DOMAIN, 3, date.today() + timedelta(days=30), "Use progressions").id
    experienced = db.session.scalar(
        select(BadgeClass).where(BadgeClass.name == "Delivery and Operations: Experienced, Teacher")
    )
    novice = db.session.scalar(select(BadgeClass).where(BadgeClass.name == "Delivery and Operations: Novice, Teacher"))
    ids["cited"] = evidence.add_file(owner, "Cited", "What it shows", "c.pdf", PDF, [indicator.id]).id
    claim = claims.create_claim(owner, experienced.id, "It shows it.", [ids["cited"]])
    ids.update(claim=claim.id, revision=claim.revisions[-1].id if claim.revisions else 1, badge=experienced.id)
    scope.set_scope(admin, validator, [d.code for d in framework.domains], ["teacher"], [], True)
    other = User(district=district, email="other@hostile.example.org", name="Other", professional_role="teacher")
    other.set_system_roles({SystemRole.EDUCATOR})
    db.session.add(other)
    db.session.flush()
    ids.update(validator=validator.id, educator=owner.id, other=other.id)
    ids["conflict"] = scope.record_conflict(admin, validator, other, "Related").id
    approved = claims.create_claim(owner, novice.id, "It shows it.", [ids["cited"]])
    award = reviews.decide(validator, approved.id, "approve", "ok", {i.id: 2 for i in role_indicators(novice)}).award
    ids.update(award=award.id, approved=approved.id, uuid=award.credential_uuid)
    db.session.commit()
    # Calibration: a draft set for the admin's forms, and an opened one with its round for the validator's.
    draft = make_set(district, admin, title="Draft exemplars")
    opened = make_set(district, admin, title="Opened exemplars")
    ids.update(
        exemplar_set=draft.id,
        draft_exemplar=draft.exemplars[0].id,
        open_set=opened.id,
        round=open_round(opened, admin).id,
        exemplar=opened.exemplars[0].id,
    )
    # Frameworks: the admin's draft of the district's next version, and CASE identifiers of the framework.
    ids.update(framework_world_ids(admin, framework))
    db.session.commit()
    return ids


def sign_in(client, role: str | None) -> str:
    """Sign the client in as `role` (None: stay anonymous); returns a CSRF token for its next posts,
    taken from a page the person would have in front of them."""
    if role is not None:
        page = client.get("/login")
        answer = client.post(
            "/login",
            data={
                "email": email_of(role),
                "password": PASSWORD,
                "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            },
        )
        assert answer.status_code == 302, f"{role} could not sign in"
    page = client.get("/login" if role is None else "/frameworks/")
    return csrf_token_from(page.get_data(as_text=True))


def png_with_text_chunk(keyword: str, text: str) -> bytes:
    """A 1x1 PNG carrying `text` in an iTXt chunk, built by hand: the baking module refuses to bake
    what these probes need to send (a credential nested too deeply)."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, format="PNG")
    png = out.getvalue()
    data = keyword.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + chunk + png[iend:]


def svg_with_credential(text: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential></svg>"
    ).encode()
