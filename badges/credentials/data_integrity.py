"""Data Integrity proofs (`DataIntegrityProof`, cryptosuite `eddsa-rdfc-2022`) on JSON-LD documents.

Follows W3C vc-di-eddsa (section "eddsa-rdfc-2022"): canonicalize the document without its proof
and the proof options (with the document's @context) with RDFC-1.0, SHA-256 each, and sign
hash(proof options) || hash(document) with Ed25519. Works offline: contexts come from
badges.credentials.jsonld.

pyld is not the verifier wallets use (jsonld.js in safe mode, rdf-canonize), so a document is
checked first for what the two would treat differently: properties the context does not define
(pyld drops them silently, jsonld.js refuses), relative or malformed IRIs, control characters
(pyld's N-Quads escaping is not RDFC-1.0's), non-integer numbers and @json/@direction values.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld import jsonld

from badges.credentials.jsonld import UnknownContextError, pyld_options

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
ED25519_MULTICODEC = b"\xed\x01"

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_SIGN_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# What RDFC-1.0 writes as an escape and pyld writes raw: control characters other than \t \n \r.
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*$")
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_MAX_SAFE_INTEGER = 2**53 - 1  # larger JSON numbers become xsd:double in JavaScript


# --- base58btc (bitcoin alphabet), multibase and multikey -------------------------------------

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: i for i, char in enumerate(_B58_ALPHABET)}


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, digit = divmod(number, 58)
        encoded = _B58_ALPHABET[digit] + encoded
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + encoded


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + _B58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multikey_public(public_key: Ed25519PublicKey) -> str:
    """The key's `publicKeyMultibase`: "z" + base58btc(0xed 0x01 + raw 32 bytes), "z6Mk..."."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58btc_encode(ED25519_MULTICODEC + raw)


def public_key_from_multikey(multibase: str) -> Ed25519PublicKey:
    """The Ed25519 public key in a `publicKeyMultibase` value; ValueError if it is not one."""
    if not multibase.startswith("z"):
        raise ValueError("publicKeyMultibase must be base58btc (start with 'z')")
    data = base58btc_decode(multibase[1:])
    if len(data) != 34 or not data.startswith(ED25519_MULTICODEC):
        raise ValueError("publicKeyMultibase is not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def multikey_document(vm_url: str, controller: str, public_key: Ed25519PublicKey) -> dict:
    """The document a verifier gets at `vm_url` (serve it as is, at a URL without #fragment)."""
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": vm_url,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": multikey_public(public_key),
    }


def did_key(public_key: Ed25519PublicKey) -> str:
    return "did:key:" + multikey_public(public_key)


# --- checks that keep pyld and the JavaScript verifiers in agreement ----------------------------


def _check_json(value: Any, path: str, allow_null: bool) -> None:
    """Walk the document as JSON: strings, numbers and nulls that pyld would not treat as RDFC-1.0 /
    jsonld.js do."""
    where = path or "the document"
    if isinstance(value, dict):
        for key, item in value.items():
            _check_json(key, where, allow_null)
            _check_json(item, f"{path}.{key}" if path else key, allow_null)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json(item, f"{path}[{i}]", allow_null)
    elif isinstance(value, str):
        if _UNSAFE_CHARS.search(value):
            raise ValueError(
                f"{where} contains a control character (only tab, newline and carriage "
                "return are allowed in signed text)"
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{where} is not valid Unicode text (a lone surrogate)") from None
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        if abs(value) > _MAX_SAFE_INTEGER:
            raise ValueError(f"{where} is an integer too large to sign portably; use a string")
    elif isinstance(value, float):
        raise ValueError(
            f"{where} is a non-integer number, which canonicalizes differently across "
            "JSON-LD libraries; use a string or an integer"
        )
    elif value is None:
        if not allow_null:
            raise ValueError(f"{where} is null: JSON-LD would drop it unsigned; leave it out")
    else:
        raise ValueError(f"{where} is a {type(value).__name__}, not a JSON value")


def _path_to(value: Any, key: str, path: str = "") -> str | None:
    """Where `key` first occurs in the JSON document, for naming a dropped property."""
    if isinstance(value, dict):
        for name, item in value.items():
            here = f"{path}.{name}" if path else name
            if name == key:
                return here
            found = None if name == "@context" else _path_to(item, key, here)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _path_to(item, key, f"{path}[{i}]")
            if found:
                return found
    return None


def _require_iri(value: Any, what: str, blank_ok: bool = False) -> None:
    if isinstance(value, str) and (_ABSOLUTE_IRI.match(value) or (blank_ok and value.startswith("_:"))):
        return
    raise ValueError(
        f"{what} {value!r} is not an absolute IRI (a relative reference, or a term the @context does not define)"
    )


def _check_expanded(node: Any) -> None:
    """Walk expanded JSON-LD: every @id, @type and property an absolute IRI, no @json/@direction."""
    if isinstance(node, list):
        for item in node:
            _check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@id":
            _require_iri(value, "@id", blank_ok=True)
        elif key == "@type":
            if "@value" in node:
                if value == "@json":
                    raise ValueError("@json literals are not supported in signed documents")
                _require_iri(value, "datatype")
            else:
                for type_ in value:
                    _require_iri(type_, "@type", blank_ok=True)
        elif key == "@direction":
            raise ValueError("@direction is not supported in signed documents")
        elif key == "@language":
            if not isinstance(value, str) or not _LANGUAGE_TAG.match(value):
                raise ValueError(f"@language {value!r} is not a language tag")
        elif key == "@value":
            continue
        elif not key.startswith("@"):
            if key.startswith("_:"):
                raise ValueError(f"property {key!r} is a blank node, not an IRI")
            _require_iri(key, "property")
        _check_expanded(value)


def canonicalize(document: dict, *, allow_null: bool = False) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, after the checks above (ValueError)."""
    if "@context" not in document:
        raise ValueError("the document has no @context")
    _check_json(document, "", allow_null)
    dropped: list[str | None] = []
    try:
        with pyld_options() as options:
            expanded = jsonld.expand(document, options, on_property_dropped=dropped.append)
        if dropped:
            name = dropped[0]
            where = _path_to(document, name) if name is not None else None
            label = repr(name) if name is not None else "(one the @context maps to null)"
            raise ValueError(
                f"property {label}{f' (at {where})' if where else ''} is not defined by the "
                "document's @context: JSON-LD expansion would drop it, so it would not be signed"
            )
        _check_expanded(expanded)
        with pyld_options() as options:
            return jsonld.normalize(expanded, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"})
    except jsonld.JsonLdError as error:
        cause = error
        while cause is not None:
            if isinstance(cause, UnknownContextError):
                raise ValueError(str(cause)) from error
            cause = cause.__cause__ or getattr(cause, "cause", None)
        raise ValueError(f"the document is not valid JSON-LD: {str(error).splitlines()[0]}") from error


def _hash_data(unsecured: dict, proof_options: dict, allow_null: bool) -> bytes:
    proof_config = {"@context": unsecured.get("@context"), **proof_options}
    proof_hash = hashlib.sha256(canonicalize(proof_config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured, allow_null=allow_null).encode("utf-8")).digest()
    return proof_hash + document_hash


# --- sign and verify ----------------------------------------------------------------------------


def sign(document: dict, private_key: Ed25519PrivateKey, verification_method: str, created: str) -> dict:
    """A copy of `document` with an eddsa-rdfc-2022 `proof`; ValueError (naming the problem) for a
    document that could not be signed so that every verifier reads it the same way.

    `created` is "YYYY-MM-DDTHH:MM:SSZ"; `verification_method` a URL (HTTP: no #fragment) or DID URL.
    """
    if "proof" in document:
        raise ValueError("the document already has a proof")
    if not _SIGN_DATETIME.match(created):
        raise ValueError(f"created {created!r} must be written YYYY-MM-DDTHH:MM:SSZ")
    _require_iri(verification_method, "verificationMethod")
    unsecured = copy.deepcopy(document)
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = private_key.sign(_hash_data(unsecured, proof, allow_null=False))
    proof["proofValue"] = "z" + base58btc_encode(signature)
    return {**unsecured, "proof": proof}


def verify(document: dict, public_key_for: Callable[[str], Ed25519PublicKey | None]) -> tuple[bool, str]:
    """Check the document's eddsa-rdfc-2022 proof: (True, "ok") or (False, reason).

    `public_key_for(verification_method)` returns the key that method names, or None when the caller
    does not recognise it (it decides whose keys count). Status and validity dates are not checked.
    """
    proof = document.get("proof")
    if proof is None:
        return False, "no proof"
    if not isinstance(proof, dict):
        return False, "unsupported proof: expected one proof object"
    if proof.get("type") != PROOF_TYPE:
        return False, f"unsupported proof type {proof.get('type')!r}"
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return False, f"unsupported cryptosuite {proof.get('cryptosuite')!r}"
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return False, f"unsupported proof purpose {proof.get('proofPurpose')!r}"
    if "created" in proof and not (isinstance(proof["created"], str) and _DATETIME.match(proof["created"])):
        return False, "proof created is not a date-time"
    proof_value = proof.get("proofValue")
    try:
        if not isinstance(proof_value, str) or not proof_value.startswith("z"):
            raise ValueError
        signature = base58btc_decode(proof_value[1:])
    except ValueError:
        signature = b""
    if len(signature) != 64:
        return False, "malformed proofValue"
    method = proof.get("verificationMethod")
    public_key = public_key_for(method) if isinstance(method, str) else None
    if public_key is None:
        return False, "unknown verification method"
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        data = _hash_data(unsecured, options, allow_null=True)
    except ValueError as error:
        return False, f"cannot canonicalize: {error}"
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False, "signature does not match"
    return True, "ok"
