"""What we sign, checked by @digitalcredentials/verifier-core (the Learner Credential Wallet's verifier).

A small HTTP server on 127.0.0.1 plays the issuer: its profile (a DID-style controller document that
lists the key under assertionMethod), the Multikey document at the verification method URL, and a
signed Bitstring Status List credential. interop/node/verify.mjs fetches nothing else.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.credentials import data_integrity as di
from tests.conftest import need
from tests.test_data_integrity import CREATED, badge_credential

NODE_DIR = Path(__file__).resolve().parents[2] / "interop" / "node"
LIST_BITS = 131072  # the Bitstring Status List minimum (16 KiB), so holders stay anonymous
INDEX = 7


def encoded_list(revoked: set[int], length: int = LIST_BITS) -> str:
    """W3C Bitstring Status List: bit i is 0x80 >> (i % 8) of byte i // 8; "u" + base64url(gzip), no padding."""
    bits = bytearray(length // 8)
    for i in revoked:
        bits[i // 8] |= 0x80 >> (i % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode("ascii").rstrip("=")


class Issuer:
    """The documents an HTTP issuer publishes, served from a thread on 127.0.0.1."""

    def __init__(self):
        self.key = Ed25519PrivateKey.generate()
        self.documents: dict[str, dict] = {}
        self.requests: list[str] = []
        documents, requests = self.documents, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                document = documents.get(self.path)
                body = json.dumps(document).encode("utf-8") if document is not None else b"{}"
                self.send_response(200 if document is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.id = f"{self.base}/issuer"
        self.method = f"{self.base}/issuer/keys/1"  # no #fragment: verifier-core fetches it as is
        self.status_list = f"{self.base}/issuer/status/1"
        self.documents["/issuer"] = {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": self.id,
            "assertionMethod": [self.method],
        }
        self.documents["/issuer/keys/1"] = di.multikey_document(self.method, self.id, self.key.public_key())
        self.publish_status(revoked=set())

    def publish_status(self, revoked: set[int]) -> None:
        status_list = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": self.status_list,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.id,
            "validFrom": CREATED,
            "credentialSubject": {
                "id": f"{self.status_list}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": encoded_list(revoked),
            },
        }
        self.documents["/issuer/status/1"] = di.sign(status_list, self.key, self.method, CREATED)

    def sign(self) -> dict:
        credential = badge_credential(issuer=self.id, status_list=self.status_list, index=INDEX)
        return di.sign(credential, self.key, self.method, CREATED)


@pytest.fixture
def issuer():
    need(shutil.which("node") is not None, "node is not installed")
    need(
        (NODE_DIR / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir(),
        "interop/node/node_modules is missing: run `npm ci` in interop/node",
    )
    issuer = Issuer()
    thread = threading.Thread(target=issuer.server.serve_forever, daemon=True)
    thread.start()
    yield issuer
    issuer.server.shutdown()
    issuer.server.server_close()
    thread.join(timeout=5)


def verifier_core(credential: dict, tmp_path: Path) -> dict:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential), encoding="utf-8")
    run = subprocess.run(
        ["node", str(NODE_DIR / "verify.mjs"), str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.stdout, f"verify.mjs printed nothing; stderr:\n{run.stderr}"
    return json.loads(run.stdout)


def steps(result: dict) -> dict:
    assert "errors" not in result, json.dumps(result.get("errors"), indent=1)
    return {step["id"]: step for step in result["log"]}


def test_verifier_core_accepts_our_credential_then_sees_it_revoked(issuer, tmp_path):
    credential = issuer.sign()
    assert di.verify(credential, lambda method: issuer.key.public_key() if method == issuer.method else None)

    log = steps(verifier_core(credential, tmp_path))
    assert log["valid_signature"]["valid"] is True
    assert log["expiration"]["valid"] is True
    assert log["revocation_status"] == {"id": "revocation_status", "valid": True}
    assert {"/issuer", "/issuer/keys/1", "/issuer/status/1"} <= set(issuer.requests)

    issuer.publish_status(revoked={INDEX})
    log = steps(verifier_core(credential, tmp_path))
    assert log["valid_signature"]["valid"] is True
    assert log["revocation_status"]["valid"] is False


def test_verifier_core_rejects_a_tampered_credential(issuer, tmp_path):
    credential = issuer.sign()
    credential["credentialSubject"]["result"][0]["achievedLevel"] = credential["credentialSubject"]["achievement"][
        "resultDescription"
    ][0]["rubricCriterionLevel"][3]["id"]
    result = verifier_core(credential, tmp_path)
    assert [error["name"] for error in result["errors"]] == ["invalid_signature"]
