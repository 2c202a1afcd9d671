"""eddsa-rdfc-2022 Data Integrity proofs: sign, verify, refuse what verifiers would read differently."""

from __future__ import annotations

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.credentials import data_integrity as di
from badges.credentials.jsonld import CONTEXT_FILES, UnknownContextError, load_document

ISSUER = "https://badges.example.org/issuers/northfield"
METHOD = f"{ISSUER}/keys/1"
CREATED = "2026-01-01T00:00:00Z"
LEVELS = [
    ("emerging", "Emerging", 1),
    ("developing", "Developing", 2),
    ("proficient", "Proficient", 3),
    ("exemplary", "Exemplary", 4),
]


def badge_credential(issuer: str = ISSUER, status_list: str = f"{ISSUER}/status/1", index: int = 7) -> dict:
    """A realistic unsigned OpenBadgeCredential (shared with tests/interop)."""
    framework = "https://badges.example.org/frameworks/cbe"
    achievement_id = f"{framework}/badges/assessment-teacher-3"
    levels_id = f"{achievement_id}#levels"
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b8e2a4c-5d1f-4c7e-9a3b-2f6d8e1c4a90",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": "Northfield District",
            "url": "https://badges.example.org/",
        },
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Assessment for Learning: Proficient",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$" + "3f" * 32,
                    "salt": "c2FsdC12YWx1ZQ",
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": "Assessment for Learning: Proficient",
                "description": "Proficient (3) in Assessment for Learning for a teacher.",
                "criteria": {
                    "narrative": "Uses formative assessment to adjust instruction.\n\n"
                    "- Evidence from two units\n- A peer observation"
                },
                "image": {"id": f"{achievement_id}/image.png", "type": "Image"},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetType": "CFItem",
                        "targetName": "Assessment for Learning",
                        "targetCode": "D2",
                        "targetUrl": f"{framework}/items/D2",
                        "targetFramework": "CBE Educator Competencies (2026)",
                    }
                ],
                "resultDescription": [
                    {
                        "id": levels_id,
                        "type": ["ResultDescription"],
                        "name": "Competency level",
                        "resultType": "RubricCriterionLevel",
                        "rubricCriterionLevel": [
                            {
                                "id": f"{framework}/levels/{slug}",
                                "type": ["RubricCriterionLevel"],
                                "name": f"{name} ({value})",
                                "description": f"{name} practice.",
                                "level": str(value),
                            }
                            for slug, name, value in LEVELS
                        ],
                        "requiredLevel": f"{framework}/levels/proficient",
                    }
                ],
            },
            "result": [
                {"type": ["Result"], "resultDescription": levels_id, "achievedLevel": f"{framework}/levels/proficient"}
            ],
        },
        "evidence": [
            {
                "type": ["Evidence"],
                "name": "Unit 3 exit tickets",
                "narrative": 'Élodie\'s exit tickets showed "most" students\tneeded re-teaching '
                "(notes in C:\\units\\3) 📚",
            }
        ],
        "credentialStatus": {
            "id": f"{status_list}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_list,
        },
    }


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed(key) -> dict:
    return di.sign(badge_credential(), key, METHOD, CREATED)


def keys_of(key):
    return lambda method: key.public_key() if method == METHOD else None


def test_signed_credential_has_an_eddsa_rdfc_2022_proof(signed):
    proof = signed["proof"]
    assert {k: v for k, v in proof.items() if k != "proofValue"} == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": CREATED,
        "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod",
    }
    assert proof["proofValue"].startswith("z")
    assert len(di.base58btc_decode(proof["proofValue"][1:])) == 64
    assert {k: v for k, v in signed.items() if k != "proof"} == badge_credential()


def test_sign_leaves_the_input_alone(key):
    document = badge_credential()
    di.sign(document, key, METHOD, CREATED)
    assert document == badge_credential()


def test_signed_credential_verifies(signed, key):
    assert di.verify(signed, keys_of(key)) == (True, "ok")


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaf_paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaf_paths(v, path + (i,))
    else:
        yield path


def _tampered(document: dict, path: tuple) -> dict:
    changed = copy.deepcopy(document)
    *parents, last = path
    target = changed
    for step in parents:
        target = target[step]
    old = target[last]
    if isinstance(old, bool):
        target[last] = not old
    elif isinstance(old, str) and old.startswith(("http", "urn:")):
        target[last] = old + "x"
    elif isinstance(old, str) and old[:4].isdigit():
        target[last] = old.replace(old[:4], str(int(old[:4]) + 1), 1)
    else:
        target[last] = old + "x" if isinstance(old, str) else old + 1
    return changed


@pytest.mark.parametrize(
    "path", [p for p in _leaf_paths(badge_credential()) if p[0] != "@context"], ids=lambda p: ".".join(map(str, p))
)
def test_tampering_with_any_field_fails(signed, key, path):
    ok, reason = di.verify(_tampered(signed, path), keys_of(key))
    assert not ok
    # A changed type can also leave the context's type-scoped terms undefined.
    assert reason == "signature does not match" or reason.startswith("cannot canonicalize")


@pytest.mark.parametrize("field", ["created", "verificationMethod"])
def test_tampering_with_the_proof_fails(signed, key, field):
    changed = copy.deepcopy(signed)
    changed["proof"][field] = _tampered(signed["proof"], (field,))[field]
    ok, _ = di.verify(changed, lambda method: key.public_key())
    assert not ok


def test_removing_a_field_fails(signed, key):
    changed = copy.deepcopy(signed)
    del changed["evidence"]
    assert di.verify(changed, keys_of(key)) == (False, "signature does not match")


def test_an_undefined_property_added_after_signing_is_not_ignored(signed, key):
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["note"] = "unsigned, and JSON-LD would drop it"
    ok, reason = di.verify(changed, keys_of(key))
    assert not ok
    assert "'note' (at credentialSubject.note) is not defined" in reason


def test_a_wrong_key_fails(signed):
    other = Ed25519PrivateKey.generate().public_key()
    assert di.verify(signed, lambda method: other) == (False, "signature does not match")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.pop("proof"), "no proof"),
        (lambda d: d["proof"].update(cryptosuite="ecdsa-rdfc-2019"), "unsupported cryptosuite 'ecdsa-rdfc-2019'"),
        (lambda d: d["proof"].update(type="Ed25519Signature2020"), "unsupported proof type 'Ed25519Signature2020'"),
        (lambda d: d["proof"].update(proofPurpose="authentication"), "unsupported proof purpose 'authentication'"),
        (lambda d: d["proof"].update(verificationMethod=f"{ISSUER}/keys/2"), "unknown verification method"),
        (lambda d: d["proof"].update(proofValue="not-multibase"), "malformed proofValue"),
        (lambda d: d["proof"].update(proofValue="z0OIl"), "malformed proofValue"),
    ],
)
def test_verify_says_why(signed, key, change, reason):
    changed = copy.deepcopy(signed)
    change(changed)
    assert di.verify(changed, keys_of(key)) == (False, reason)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d.update(colour="red"), "'colour'"),
        (lambda d: d["credentialSubject"]["achievement"].update(critera={"narrative": "typo"}), "'critera'"),
        (lambda d: d["issuer"].update(type=["Profile", "School"]), "'School'"),
        (lambda d: d["credentialSubject"]["achievement"].update(id="badges/3"), "'badges/3'"),
        (lambda d: d["credentialSubject"]["achievement"]["image"].update(id="image.png"), "'image.png'"),
        (lambda d: d.update(name=None), "name is null"),
        (
            lambda d: d["credentialSubject"]["achievement"].update(creditsAvailable=1.5),
            "credentialSubject.achievement.creditsAvailable",
        ),
    ],
)
def test_what_verifiers_would_read_differently_is_refused_before_signing(key, change, named):
    document = badge_credential()
    change(document)
    with pytest.raises(ValueError) as refused:
        di.sign(document, key, METHOD, CREATED)
    assert named in str(refused.value)


def test_the_loader_refuses_an_unknown_context_url(key):
    with pytest.raises(UnknownContextError, match="https://example.org/my-context"):
        load_document("https://example.org/my-context")
    document = badge_credential()
    document["@context"].append("https://example.org/my-context")
    with pytest.raises(ValueError, match="refusing to load JSON-LD context 'https://example.org/my-context'"):
        di.sign(document, key, METHOD, CREATED)


def test_the_loader_serves_the_shipped_contexts():
    for url in CONTEXT_FILES:
        loaded = load_document(url)
        assert loaded["documentUrl"] == url
        assert "@context" in loaded["document"]


def test_tab_newline_and_quotes_round_trip(key):
    document = badge_credential()
    document["name"] = 'Line one\nline\ttwo "quoted" \\ back\r\n'
    signed = di.sign(document, key, METHOD, CREATED)
    assert di.verify(signed, keys_of(key)) == (True, "ok")


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0c", "\x1b", "\x7f"])
def test_other_control_characters_are_refused_clearly(key, char):
    document = badge_credential()
    document["evidence"][0]["name"] = f"before{char}after"
    with pytest.raises(ValueError, match=r"evidence\[0\]\.name contains a control character"):
        di.sign(document, key, METHOD, CREATED)


def test_created_must_be_a_utc_timestamp(key):
    with pytest.raises(ValueError, match="YYYY-MM-DDTHH:MM:SSZ"):
        di.sign(badge_credential(), key, METHOD, "2026-01-01 00:00:00")


def test_multikey_helpers(key):
    public = key.public_key()
    multibase = di.multikey_public(public)
    assert multibase.startswith("z6Mk")
    assert di.did_key(public) == "did:key:" + multibase
    assert di.public_key_from_multikey(multibase) == public
    assert di.multikey_document(METHOD, ISSUER, public) == {
        "@context": "https://w3id.org/security/multikey/v1",
        "id": METHOD,
        "type": "Multikey",
        "controller": ISSUER,
        "publicKeyMultibase": multibase,
    }


def test_base58btc_matches_the_bitcoin_alphabet():
    assert di.base58btc_encode(b"hello world") == "StV1DL6CwTryKyV"
    assert di.base58btc_encode(b"\0\0\x01") == "112"
    assert di.base58btc_decode("112") == b"\0\0\x01"
    # The did:key spec's example Ed25519 key round-trips.
    example = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert di.multikey_public(di.public_key_from_multikey(example)) == example
