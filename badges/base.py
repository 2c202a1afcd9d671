"""The service's shared vocabulary, below every other module: input errors, id bounds, the one
free-text cleaner and the one bounded JSON reader. Imports nothing of the service.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any


class InvalidInput(ValueError):
    """Bad input, as {field: [messages]}; answered with 400 and the messages, nothing saved."""

    status = 400

    def __init__(self, errors: dict[str, list[str]] | str, field: str = "_schema"):
        self.errors = {field: [errors]} if isinstance(errors, str) else errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class StateConflict(InvalidInput):
    """The request is well formed but the record's state refuses it (already decided, in use);
    answered with 409 and the message, nothing saved."""

    status = 409


class NotPermitted(InvalidInput):
    """The person may see this but may not do it yet, for a reason they can act on (a validator whose
    calibration is flagged, deciding a claim at a level the district restricts); answered with 403 and
    the message, which says why and what to do, nothing saved."""

    status = 403


class NotAvailable(InvalidInput):
    """The person cannot use this yet (no framework chosen, no professional role)."""


# INTEGER primary keys on SQLite and PostgreSQL: larger ids cannot exist (and PostgreSQL would raise).
MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def is_valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID


def parse_id(value: object) -> int | None:
    """An id from untrusted text: ASCII digits only (str.isdigit() accepts superscripts that int()
    refuses), at most ten of them, within MAX_ID; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if is_valid_id(value) else None
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if is_valid_id(number) else None


def parse_small_int(value: object, lowest: int, highest: int) -> int | None:
    """A bounded integer from untrusted text (ASCII digits, optional minus), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,9}", value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if lowest <= number <= highest else None


# Control characters a person never means to type: C0 (but tab and newline in multi-line text),
# DEL, C1. NUL in particular is refused by PostgreSQL in every text column.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def find_control_character(value: str, multiline: bool = False) -> str | None:
    """The first control character in the text, described for a person, or None."""
    match = (_CONTROL if multiline else _CONTROL_SINGLE_LINE).search(value)
    if match is None:
        return None
    char = match.group()
    return {"\x00": "a NUL character", "\r": "a carriage return", "\n": "a line break", "\t": "a tab"}.get(
        char, f"the control character U+{ord(char):04X}"
    )


def clean_text(
    value: object, *, field: str, label: str, max_length: int, multiline: bool = False, required: bool = False
) -> str:
    """The one cleaner for free text a person writes (names, titles, narratives, reasons, feedback):
    NFC-normalised, trimmed, CRLF as LF, no control characters, at most `max_length` characters.
    Raises InvalidInput naming the field."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{label} must be text.", field)
    text = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").strip()
    if multiline:
        text = text.replace("\r", "\n")
    problem = find_control_character(text, multiline)
    if problem:
        raise InvalidInput(f"{label} contains {problem}, which is not allowed; remove it.", field)
    if required and not text:
        raise InvalidInput(f"{label} is required.", field)
    if len(text) > max_length:
        raise InvalidInput(f"{label} can be at most {max_length:,} characters (it has {len(text):,}).", field)
    return text


def clean_text_into(
    errors: dict[str, list[str]], value: object, *, field: str, label: str, max_length: int, multiline: bool = False
) -> str:
    """clean_text for checks that report every field at once: a problem is added to `errors` under the
    field (and "" returned) instead of raised."""
    try:
        return clean_text(value, field=field, label=label, max_length=max_length, multiline=multiline)
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
        return ""


MAX_JSON_DEPTH = 64


class JSONTooDeep(ValueError):
    pass


def parse_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads for untrusted input: a document nested deeper than `max_depth` (which would
    exhaust the parser's or a later walker's recursion) raises ValueError, as malformed JSON does."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise JSONTooDeep(f"The JSON is nested too deeply (more than {max_depth} levels).") from None
    if json_depth(document) > max_depth:
        raise JSONTooDeep(f"The JSON is nested too deeply (more than {max_depth} levels).")
    return document


def json_depth(document: Any) -> int:
    """Nesting depth of arrays and objects, walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in node)
    return deepest


def spreadsheet_safe(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (CSV injection) gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
