"""What independent verifiers noticed (issue 9, part 7), each checked the way such a verifier would:

the issuer profile expands as an OB 3.0 Profile; the OB 2.0 Issuer has its email; the Achievement id
resolves to a page and to JSON; a padded JWS is refused; names with bidi controls are isolated; the
status lists are signed once per change, cacheable with an ETag, and the VC-JWT names a VC-JWT list;
a baked image is shown beside what its credential says.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import re
from pathlib import Path

import jwt
import pytest
from pyld import jsonld
from sqlalchemy import func, select

import badges
from badges.catalogue.images import badge_png, badge_svg
from badges.credentials import data_integrity, issuing, keys, status_list, vc_jwt
from badges.credentials.baking import bake_png, bake_svg
from badges.credentials.jsonld import pyld_options
from badges.credentials.revocation import revoke
from badges.credentials.verification import verify_image, verify_token
from badges.extensions import db
from badges.models import Award, District, KeyAlgorithm, StatusListCredential
from badges.web.bidi import FSI, PDI, isolate_bidi
from tests.conftest import USER_PASSWORD, Browserless, csrf_token_from
from tests.validation_setup import approve, badge, make_world
from tests.verify_tokens import split

BASE = "http://127.0.0.1:5000"
OB3 = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
SCHEMA = "https://schema.org/"
RLO = "\u202e"


@pytest.fixture
def held(make_user, district, framework):
    """(award, world, validator): the teacher's award, approved by a validator in scope."""
    world = make_world(make_user, district, framework)
    validator = world.person(
        make_user, "v@northfield.example.org", roles=("validator",), role="school-leader", school="south"
    )
    world.set_scope(validator)
    return approve(validator, world.claim()).award, world, validator


@pytest.fixture
def award(held):
    return held[0]


def path_of(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE) :]


def varies_on_accept(response) -> bool:
    return "Accept" in [name.strip() for name in response.headers.get("Vary", "").split(",")]


def expand(document: dict) -> tuple[list, list]:
    dropped: list = []
    with pyld_options() as options:
        expanded = jsonld.expand(document, options, on_property_dropped=dropped.append)
    return expanded, dropped


# -- the issuer profile is an OB 3.0 Profile -----------------------------------------------------------


def test_the_issuer_profile_expands_as_an_ob3_profile_with_every_term(client, award):
    response = client.get("/issuers/northfield")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    profile = response.get_json()
    assert profile["@context"][0] == "https://www.w3.org/ns/did/v1"  # still a controller document first
    [node], dropped = expand(profile)
    assert dropped == []
    assert node["@id"] == f"{BASE}/issuers/northfield"
    assert node["@type"] == [f"{OB3}Profile"]
    assert node[f"{SCHEMA}name"] == [{"@value": "Northfield District"}]
    assert node[f"{SCHEMA}url"][0]["@value"] == BASE
    assert node[f"{SCHEMA}email"] == [{"@value": "badges@localhost"}]
    [method] = node["https://w3id.org/security#assertionMethod"]
    assert method["@id"].startswith(f"{BASE}/issuers/northfield/keys/")
    assert all(key.startswith(("@", "https://")) for key in node), "a term was left unexpanded"


# -- the OB 2.0 Issuer carries an email -----------------------------------------------------------------


def test_the_ob2_issuer_names_the_districts_email_or_the_configured_one(app, client, district):
    district.contact_email = "badges@northfield.example.org"
    db.session.commit()
    issuer = client.get("/ob2/issuers/northfield").get_json(force=True)
    assert issuer["email"] == "badges@northfield.example.org"
    assert client.get("/issuers/northfield").get_json()["email"] == "badges@northfield.example.org"
    district.contact_email = None
    db.session.commit()
    app.config["BADGES_ISSUER_EMAIL"] = "office@schools.example.org"  # as the environment variable sets it
    assert client.get("/ob2/issuers/northfield").get_json(force=True)["email"] == "office@schools.example.org"


def test_district_create_takes_the_contact_email_and_checks_it(runner, framework):
    made = runner.invoke(
        args=["district", "create", "eastfield", "Eastfield District", "--email", " Office@Eastfield.example.org "]
    )
    assert made.exit_code == 0, made.output
    assert (
        db.session.scalar(select(District.contact_email).where(District.slug == "eastfield"))
        == "office@eastfield.example.org"
    )
    bad = runner.invoke(args=["district", "create", "westfield", "Westfield District", "--email", "not an email"])
    assert bad.exit_code != 0 and "is not an email address" in bad.output


# -- the Achievement id resolves -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("application/json", "application/json"),
        ("application/ld+json", "application/ld+json"),
        ("application/ld+json, application/json;q=0.9", "application/ld+json"),
    ],
)
def test_the_achievement_id_answers_machines_with_the_achievement(client, award, accept, media_type):
    credential = json.loads(award.data_integrity)
    achievement = credential["credentialSubject"]["achievement"]
    response = client.get(path_of(achievement["id"]), headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    assert varies_on_accept(response) and response.headers["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.get_data(as_text=True))
    assert document == {"@context": credential["@context"], **achievement}  # what every credential embeds
    [node], dropped = expand(document)
    assert dropped == [] and node["@type"] == [f"{OB3}Achievement"] and node["@id"] == achievement["id"]


@pytest.mark.parametrize("accept", [None, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "*/*"])
def test_the_achievement_id_answers_people_with_a_page(client, award, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/badge-classes/{award.badge_class_id}", headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert varies_on_accept(response)
    html = response.get_data(as_text=True)
    assert "<h1><bdi>Delivery and Operations: Experienced, Teacher</bdi></h1>" in html
    assert award.badge_class.criteria.split("\n")[0] in html
    assert f"/badge-classes/{award.badge_class_id}/image.png" in html


def test_an_unknown_achievement_is_404_however_it_is_asked_for(client, framework):
    for accept in ("application/json", "text/html"):
        assert client.get("/badge-classes/999999", headers={"Accept": accept}).status_code == 404
    assert client.get(f"/badge-classes/{2**40}").status_code == 404


# -- a padded JWS is refused --------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["header", "payload", "signature"])
@pytest.mark.parametrize("padding", ["=", "=="])
def test_a_padded_segment_is_refused_by_name(client, award, where, padding):
    parts = award.jwt.split(".")
    parts[("header", "payload", "signature").index(where)] += padding
    result = verify_token(".".join(parts))
    assert result.valid is False and result.checks[0].passed is False
    assert result.reason == (
        f"the token's {where} carries '=' padding, which a compact JWS never has "
        "(RFC 7515 section 2: base64url without padding)"
    )
    answer = client.post("/api/v1/verify", json={"token": ".".join(parts)}).get_json()
    assert answer["valid"] is False and f"{where} carries '=' padding" in answer["reason"]
    assert verify_token(award.jwt).valid  # the unpadded token still verifies


# -- names with bidirectional controls are isolated ----------------------------------------------------


def test_isolate_bidi_balances_what_it_wraps():
    assert isolate_bidi("Terry Teacher") == "Terry Teacher"
    assert isolate_bidi(f"Terry {RLO}rehcaeT") == f"{FSI}Terry {RLO}rehcaeT{PDI}"
    # A PDI that closes nothing would close our isolate early: dropped. An isolate left open is closed.
    assert isolate_bidi(f"{PDI}{RLO}x") == f"{FSI}{RLO}x{PDI}"
    assert isolate_bidi("\u2067x") == f"{FSI}\u2067x{PDI}{PDI}"
    assert isolate_bidi("\u2066a\u2069b") == f"{FSI}\u2066a\u2069b{PDI}"


def in_bdi(html: str, text: str) -> bool:
    return any(text in inner for inner in re.findall(r"<bdi>(.*?)</bdi>", html, re.S))


def test_names_with_an_override_are_shown_isolated(app, client, held):
    award, world, validator = held
    world.teacher.name = f"Terry {RLO}rehcaeT"
    validator.name = f"Val {RLO}rotadilaV"
    award.show_name = True
    issuing.sign(award)  # the holder chose to show their name: signed again with it
    db.session.commit()
    share = client.get(f"/credentials/{award.credential_uuid}").get_data(as_text=True)
    verified = client.post(
        "/verify",
        data={"csrf_token": csrf_token_from(client.get("/verify").get_data(as_text=True)), "token": award.jwt},
    ).get_data(as_text=True)
    for html in (share, verified):
        assert in_bdi(html, f"Terry {RLO}rehcaeT") and in_bdi(html, f"Val {RLO}rotadilaV")
    # A page whose template has no <bdi> still isolates it: every printed value with a bidi control is.
    admin = app.test_client()
    assert Browserless(admin).login(world.admin.email, USER_PASSWORD).status_code == 302
    awards = admin.get("/admin/awards").get_data(as_text=True)
    assert f"<td>{FSI}Terry {RLO}rehcaeT{PDI}</td>" in awards
    teacher = app.test_client()
    assert Browserless(teacher).login(world.teacher.email, USER_PASSWORD).status_code == 302
    assert in_bdi(teacher.get(f"/educator/badges/{award.id}").get_data(as_text=True), f"Terry {RLO}rehcaeT")


# -- status lists: signed once per change, cacheable, one per securing format ------------------------------


@pytest.fixture
def signatures(monkeypatch):
    """Counts every Data Integrity proof and every JWS made (the real functions still run)."""
    counts = {"data-integrity": 0, "vc-jwt": 0}
    real_di, real_jwt = data_integrity.sign, vc_jwt.sign

    def di(*args, **kwargs):
        counts["data-integrity"] += 1
        return real_di(*args, **kwargs)

    def jws(*args, **kwargs):
        counts["vc-jwt"] += 1
        return real_jwt(*args, **kwargs)

    monkeypatch.setattr(data_integrity, "sign", di)
    monkeypatch.setattr(vc_jwt, "sign", jws)
    return counts


LIST = "/issuers/northfield/status/revocation"


def bits_of(client, path: str = LIST, **headers) -> bytes:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    if response.mimetype == "application/vc+jwt":
        payload = split(response.get_data(as_text=True))[1]
    else:
        payload = response.get_json()
    return status_list.decode_bits(payload["credentialSubject"]["encodedList"])


def test_the_list_is_signed_once_then_served_as_kept_with_an_etag(client, award, signatures):
    first = client.get(LIST)
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert signatures == {"data-integrity": 1, "vc-jwt": 0}
    for _ in range(3):
        again = client.get(LIST)
        assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert signatures == {"data-integrity": 1, "vc-jwt": 0}
    assert first.headers["Cache-Control"] == "public, max-age=300" and varies_on_accept(first)
    assert json.loads(first.get_data())["credentialSubject"]["ttl"] == 300_000
    unchanged = client.get(LIST, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == first.headers["ETag"] and unchanged.headers["Cache-Control"]
    assert client.get(LIST, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_revocation_signs_both_lists_once_and_fetches_then_sign_nothing(client, held, signatures):
    award, world, _ = held
    before = client.get(LIST)
    before_jwt = client.get(f"{LIST}.jwt")
    assert signatures == {"data-integrity": 1, "vc-jwt": 1}
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    assert signatures == {"data-integrity": 2, "vc-jwt": 2}  # in the revoking transaction, both formats
    assert db.session.scalar(select(func.count(StatusListCredential.id))) == 2
    after = client.get(LIST, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    after_jwt = client.get(f"{LIST}.jwt")
    assert after_jwt.get_data() != before_jwt.get_data()
    for _ in range(2):
        assert client.get(LIST).get_data() == after.get_data()
        assert client.get(f"{LIST}.jwt").get_data() == after_jwt.get_data()
    assert signatures == {"data-integrity": 2, "vc-jwt": 2}
    assert status_list.is_set(bits_of(client), award.status_index)
    assert status_list.is_set(bits_of(client, f"{LIST}.jwt"), award.status_index)


def test_a_rotated_key_signs_the_list_again_once(client, award, signatures):
    old = json.loads(client.get(LIST).get_data())["proof"]["verificationMethod"]
    new_key = keys.rotate_key(KeyAlgorithm.ED25519)
    db.session.commit()
    rotated = client.get(LIST)
    assert (
        json.loads(rotated.get_data())["proof"]["verificationMethod"]
        == f"{BASE}/issuers/northfield/keys/{new_key.kid}"
        != old
    )
    assert client.get(LIST).get_data() == rotated.get_data()
    assert signatures["data-integrity"] == 2


def test_a_revocation_stands_when_the_lists_cannot_be_signed_there(app, client, held, signatures):
    award, world, _ = held
    passphrase = app.config["SIGNING_KEY_PASSPHRASE"]
    app.config["SIGNING_KEY_PASSPHRASE"] = "not-the-passphrase-the-keys-were-made-with"  # an instance set up wrong
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    assert signatures == {"data-integrity": 0, "vc-jwt": 0}
    app.config["SIGNING_KEY_PASSPHRASE"] = passphrase
    db.session.expire_all()
    assert db.session.get(Award, award.id).revoked_at is not None
    assert status_list.is_set(bits_of(client), award.status_index)  # signed by the next fetch that can


def public_key_of_method(client, method: str):
    document = client.get(path_of(method)).get_json()
    return data_integrity.public_key_from_multikey(document["publicKeyMultibase"])


def test_each_credential_names_the_list_secured_its_own_way(client, held):
    award, world, _ = held
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    di_status = json.loads(award.data_integrity)["credentialStatus"]
    jwt_status = split(award.jwt)[1]["credentialStatus"]
    assert di_status["statusListCredential"] == f"{BASE}{LIST}"
    assert jwt_status["statusListCredential"] == f"{BASE}{LIST}.jwt"
    assert di_status["statusListIndex"] == jwt_status["statusListIndex"] == str(award.status_index)

    # The Data Integrity list: its proof checks with the issuer's published Multikey.
    di_list = client.get(path_of(di_status["statusListCredential"])).get_json()
    assert data_integrity.verify(di_list, lambda method: public_key_of_method(client, method)) == (True, "ok")
    assert di_list["id"] == di_status["statusListCredential"]

    # The VC-JWT list, fetched as a JWT verifier would: its kid dereferences to the JWK that checks it.
    response = client.get(path_of(jwt_status["statusListCredential"]))
    assert response.mimetype == "application/vc+jwt" and response.headers["Access-Control-Allow-Origin"] == "*"
    token = response.get_data(as_text=True)
    header = jwt.get_unverified_header(token)
    assert set(header) == {"alg", "typ", "kid"} and header["typ"] == "JWT"
    public = jwt.PyJWK(client.get(path_of(header["kid"])).get_json()).key
    claims = jwt.decode(token, public, algorithms=[header["alg"]])
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["id"] == claims["jti"] == jwt_status["statusListCredential"]
    assert claims["iss"] == claims["issuer"] == f"{BASE}/issuers/northfield"
    assert claims["credentialSubject"]["statusPurpose"] == "revocation"
    assert claims["credentialSubject"]["encodedList"] == di_list["credentialSubject"]["encodedList"]
    assert status_list.is_set(
        status_list.decode_bits(claims["credentialSubject"]["encodedList"]), int(jwt_status["statusListIndex"])
    )
    # The same list by content negotiation on the Data Integrity list's URL.
    negotiated = client.get(LIST, headers={"Accept": "application/vc+jwt"})
    assert negotiated.get_data(as_text=True) == token and varies_on_accept(negotiated)


# -- a baked image is shown beside what its credential says ---------------------------------------------


def verify_page_upload(client, image: bytes, name: str) -> str:
    token = csrf_token_from(client.get("/verify").get_data(as_text=True))
    response = client.post("/verify", data={"csrf_token": token, "token": "", "image": (io.BytesIO(image), name)})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_uploaded_picture_is_shown_beside_what_the_credential_says(client, award):
    # The credential is the Experienced badge; the picture it was baked into is an Expert one.
    expert = badge("Delivery and Operations: Expert, Teacher")
    picture = bake_png(
        badge_png(expert.domain.position, expert.domain.name, 4, "Expert"), "openbadgecredential", award.jwt
    )
    html = verify_page_upload(client, picture, "badge.png")
    assert '<h2 id="verdict">Valid</h2>' in html
    assert f'<img src="data:image/png;base64,{base64.b64encode(picture).decode()}"' in html
    section = html[html.index('id="picture-heading"') : html.index("What the badge says")]
    assert "What the credential inside says" in section
    assert "<bdi>Delivery and Operations: Experienced, Teacher</bdi>" in section
    assert "<bdi>Experienced (3)</bdi>" in section and "<bdi>Northfield District</bdi>" in section
    assert f'src="/badge-classes/{award.badge_class_id}/image.png"' in section  # its own achievement image
    assert f"/badge-classes/{expert.id}/" not in section
    assert verify_image(picture).says["level"] == "Experienced (3)"


def test_an_uploaded_svg_is_shown_only_as_an_image(client, award):
    hostile = badge_svg(1, "Delivery", 3, "Experienced").replace("</svg>", "<script>alert(1)</script></svg>")
    picture = bake_svg(hostile, award.jwt).encode()
    html = verify_page_upload(client, picture, "badge.svg")
    assert f'<img src="data:image/svg+xml;base64,{base64.b64encode(picture).decode()}"' in html
    assert "<script>alert(1)</script>" not in html
    assert html.count("<svg") == html.count('<svg class="verdict-icon"')  # only the page's own icons are inline


def test_a_tampered_credential_in_a_picture_says_nothing_trusted(client, award):
    header, payload, signature = award.jwt.split(".")
    claims = split(award.jwt)[1]
    claims["name"] = "Delivery and Operations: Expert, Teacher"
    forged = f"{header}.{base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip('=')}.{signature}"
    picture = bake_png(badge_png(1, "Delivery", 4, "Expert"), "openbadgecredential", forged)
    html = verify_page_upload(client, picture, "badge.png")
    assert '<h2 id="verdict">Not valid</h2>' in html and "Nothing that can be trusted" in html
    assert "data:image/png;base64," in html and "Expert, Teacher" not in html


# -- layering: the API never imports the page layer ------------------------------------------------------


def test_the_api_imports_nothing_of_the_page_layer():
    """What import-linter's independence contract enforces in `make lint`, checked here on the sources:
    no module of badges/api imports badges.web (importing the package imports both through create_app,
    so the modules' own import statements are what count)."""
    api = Path(badges.__file__).parent / "api"
    offenders = []
    for source in sorted(api.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom):
                target = "." * node.level + (node.module or "")
                if target in ("..web", "badges.web") or target.startswith(("..web.", "badges.web.")):
                    offenders.append(f"{source.name}: from {target} import ...")
    assert offenders == []
