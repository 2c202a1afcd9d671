"""A verification in plain words, for a parent or a hiring principal rather than a developer.

The verdict comes first, as one sentence ("This badge is valid: issued to … by … on …"), under a word
and an icon that differ per outcome (never colour alone). The checks and the technical reason (what
a developer needs: "not a compact JWS", key ids, proof types) stay on the page, inside a disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..credentials.verification import Verification
from .dates import day

# status -> (the word, the icon's name in templates/public/_verdict.html)
OUTCOMES = {
    "valid": ("Valid", "valid"),
    "revoked": ("Revoked", "revoked"),
    "expired": ("Expired", "expired"),
    "not yet valid": ("Not yet valid", "expired"),
    "invalid": ("Not valid", "invalid"),
}
NOT_A_TOKEN = (
    "This is not a badge token: copy the whole token again (a long text that starts with eyJ), "
    "paste the badge's JSON, or upload the badge image."
)
# (what the technical reason starts with or contains, the plain sentence), first match wins.
_SIGNATURE_REASONS = [
    ("the token is longer than", "This is far too long to be a badge token: check what was pasted."),
    ("image: ", "This file is not a badge image that can be checked here: upload the PNG or SVG badge image."),
    (
        "the image holds no baked credential",
        "This image has no badge inside it: download the badge image again "
        "from its share page or from the holder's badge page.",
    ),
    (
        "Open Badges 2.0",
        "This image holds an older Open Badges 2.0 badge: check it with an Open Badges 2.0 "
        "verifier at the address it names.",
    ),
    (
        "was removed by the issuer",
        "The issuer has withdrawn the key that signed this badge, so it can no longer be confirmed.",
    ),
    (
        "signature does not match",
        "This badge was changed after it was issued (its signature no longer matches), so it cannot be trusted.",
    ),
    (
        "claims do not match",
        "This badge was changed after it was issued (its signature no longer matches), so it cannot be trusted.",
    ),
    ("unknown key", "This badge was not signed by this service, so it cannot be confirmed here."),
    ("not one of this service's keys", "This badge was not signed by this service, so it cannot be confirmed here."),
    ("unknown verification method", "This badge was not signed by this service, so it cannot be confirmed here."),
    ("algorithm", "This badge was not signed the way this service signs badges, so it cannot be confirmed here."),
    ("unsigned token", "This badge carries no signature, so it cannot be trusted."),
]
_NOT_A_TOKEN_HINTS = (
    "not a compact JWS",
    "no token was given",
    "base64url",
    "not a JSON object",
    "not JSON",
    "cannot be decoded",
    "a credential is a JSON object",
    "no proof",
    "JSON is nested",
)


@dataclass(frozen=True)
class Verdict:
    word: str  # Valid, Revoked, Expired, Not yet valid, Not valid
    icon: str
    sentence: str  # what it means, in plain words
    technical: str  # the first failed check's detail as the verifier wrote it ("valid" when none failed)


def _who(result: Verification) -> str:
    summary = result.summary or {}
    return summary.get("recipient") or "the person whose email address it carries"


def _issued(result: Verification) -> str:
    state, summary = result.state, result.summary or {}
    when = day(state.valid_from) if state is not None else "an unknown date"
    return f"issued to {_who(result)} by {summary.get('issuer', 'its issuer')} on {when}"


def _not_valid(result: Verification) -> str:
    failed = next((check for check in result.checks if check.passed is False), None)
    if failed is not None and failed.name == "issuer known":
        return "This badge was not issued by this service, so it cannot be confirmed here."
    reason = result.reason
    if any(hint in reason for hint in _NOT_A_TOKEN_HINTS):
        return NOT_A_TOKEN
    for clue, sentence in _SIGNATURE_REASONS:
        if clue in reason:
            return sentence
    return "This badge's signature could not be confirmed, so it cannot be trusted."


def verdict(result: Verification) -> Verdict:
    word, icon = OUTCOMES.get(result.status, OUTCOMES["invalid"])
    state, badge = result.state, (result.summary or {}).get("badge", "This badge")
    if result.status == "valid":
        sentence = f"This badge is valid: “{badge}”, {_issued(result)}."
    elif result.status == "revoked" and state is not None:
        because = f" The reason given: {state.revoked_reason}" if state.revoked_reason else ""
        sentence = (
            f"This badge was revoked on {day(state.revoked_at)}, so it no longer counts: “{badge}”, "
            f"{_issued(result)}.{because}"
        )
    elif result.status == "expired" and state is not None:
        until = day(state.valid_until) or "its end date"
        sentence = f"This badge has expired: “{badge}”, {_issued(result)}, counted until {until}."
    elif result.status == "not yet valid" and state is not None:
        sentence = f"This badge is not valid yet: it counts from {day(state.valid_from)}."
    else:
        sentence = _not_valid(result)
    return Verdict(word, icon, sentence, result.reason)
