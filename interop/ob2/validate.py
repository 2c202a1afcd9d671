"""Validate an Open Badges 2.0 badge with the 1EdTech validator (PyPI `openbadges` 1.1.2, validator-core).

Runs on Python 3.9 from interop/ob2/.venv (see requirements.txt):

    interop/ob2/.venv/bin/python interop/ob2/validate.py [--recipient EMAIL] INPUT

INPUT is a hosted assertion's URL, or the path of a baked PNG or SVG. Prints one JSON object:
{"status": "valid" | "revoked" | "invalid", "valid": ..., "errors": [...], "report": ..., "graph": ...}.

Offline by design: the JSON-LD context https://w3id.org/openbadges/v2 (and v1) is answered from the
copy inside the package, and every other request may go only to a loopback address (the test's own
server); anything else fails at once instead of reaching the internet.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

try:
    from openbadges import verify
    from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT
except SyntaxError:  # pragma: no cover - a broken install, said plainly
    sys.exit("validate.py: pycryptodome 3.6.6 in this venv was built without its 2to3 step (Python 2 code). "
             "Reinstall it: SETUPTOOLS_USE_DISTUTILS=stdlib interop/ob2/.venv/bin/pip install --no-cache-dir "
             "--force-reinstall --no-deps pycryptodome==3.6.6")

BUNDLED = {
    "https://w3id.org/openbadges/v2": OPENBADGES_CONTEXT_V2_DICT,
    "http://w3id.org/openbadges/v2": OPENBADGES_CONTEXT_V2_DICT,
    "https://openbadgespec.org/v2/context.json": OPENBADGES_CONTEXT_V2_DICT,
}
LOOPBACK_NAMES = {"localhost"}
_real_send = HTTPAdapter.send


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bundled_response(request, document: dict) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(document).encode("utf-8")
    response.headers["Content-Type"] = "application/ld+json"
    response.url = request.url
    response.request = request
    response.encoding = "utf-8"
    return response


def _offline_send(adapter, request, *args, **kwargs):
    url = request.url.split("#", 1)[0]
    if url in BUNDLED:
        return _bundled_response(request, BUNDLED[url])
    if not _is_loopback(urlsplit(url).hostname or ""):
        raise requests.ConnectionError(f"offline: {url} is neither bundled nor on a loopback address")
    return _real_send(adapter, request, *args, **kwargs)


def validate(badge_input, recipient: str | None = None) -> dict:
    HTTPAdapter.send = _offline_send
    profile = {"email": recipient} if recipient else None
    result = verify(badge_input, recipient_profile=profile, use_cache=False, include_original_json=False)
    report = result["report"]
    assertions = [node for node in result["graph"] if node.get("type") == "Assertion"
                  or "Assertion" in (node.get("type") or [])]
    if any(node.get("revoked") is True for node in assertions):
        status = "revoked"
    elif report["valid"]:
        status = "valid"
    else:
        status = "invalid"
    return {
        "status": status,
        "valid": report["valid"],
        "revocationReason": next((n.get("revocationReason") for n in assertions if n.get("revoked")), None),
        "errors": [m["result"] for m in report["messages"] if m.get("messageLevel") == "ERROR"],
        "report": report,
        "graph": result["graph"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="a hosted assertion URL, or the path of a baked PNG or SVG")
    parser.add_argument("--recipient", help="the email the assertion should be awarded to")
    args = parser.parse_args(argv)
    if args.input.startswith(("http://", "https://")):
        outcome = validate(args.input, args.recipient)
    else:
        with open(args.input, "rb") as image:
            outcome = validate(image, args.recipient)
    json.dump(outcome, sys.stdout, indent=1, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
